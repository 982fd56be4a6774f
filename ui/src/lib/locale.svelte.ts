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
