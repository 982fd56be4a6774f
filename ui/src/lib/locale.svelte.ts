/** The interface language and date display, shared by every component. */
import type { DateDisplay, Lang } from './bindings';

export const locale = $state<{ lang: Lang; dateDisplay: DateDisplay }>({
  lang: 'en',
  dateDisplay: 'both',
});

export function dirOf(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'fa' ? 'rtl' : 'ltr';
}

/** Applies the language to <html>: lang, dir, and so the whole layout mirrors. */
export function applyToDocument(lang: Lang): void {
  const html = document.documentElement;
  html.lang = lang;
  html.dir = dirOf(lang);
}

const STRONG = /[\p{L}]/u;
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/**
 * The direction of a text field: that of its first strong (letter)
 * character, like dir="auto", but the interface's when it has none (empty,
 * or only digits and signs), so an empty field and its placeholder line up
 * with every other field.
 */
export function fieldDir(text: string, lang: Lang): 'ltr' | 'rtl' {
  const first = STRONG.exec(text)?.[0];
  if (!first) return dirOf(lang);
  return RTL_SCRIPT.test(first) ? 'rtl' : 'ltr';
}
