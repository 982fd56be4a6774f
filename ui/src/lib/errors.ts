/**
 * Error display. The UI branches on `code` only, never on message text.
 *
 * In English the core's message is shown in its own words, made a sentence
 * ({@link asSentence}): it names the record and says what to fix. In Persian
 * the code's translation is shown, filled with the error's `params` (a clause
 * number, two dates in the reader's calendar, a month by its Persian name),
 * so a Persian reader meets no English; the bindings' ERROR_CATALOG lists
 * every code with its params, and a test checks every translation against it. A few codes ({@link UI_TEXT_FIRST})
 * lead with the UI's own text in both languages.
 */
import { ApiError, toApiError } from './api';
import { ERROR_CATALOG, LIMITS, type DateDisplay, type ErrorParam, type Lang } from './bindings';
import { dateText, localDigits, monthName } from './dates';
import { hasKey, translate, type Key } from './i18n';
import { locale } from './locale.svelte';

/** Codes the UI raises itself, beside the core's (ERROR_CATALOG). */
export const UI_CODES = ['ipc', 'unknown'] as const;

/** Every code an error shown to the user can carry. */
export const KNOWN_CODES: readonly string[] = [...Object.keys(ERROR_CATALOG), ...UI_CODES];

/**
 * Codes whose translated text leads in English too, with the backend's
 * message as the detail: what to do next matters more than the core's
 * wording (a PDF that cannot be written: "choose another folder", with the
 * path and the system's reason below), or the message is a developer's
 * (a template or PDF failure).
 */
export const UI_TEXT_FIRST: readonly string[] = ['report_unwritable', 'report_typeset', 'report_pdf', 'export_unwritable', 'export_xlsx'];

export interface ShownError {
  /** The main line, in the interface language. */
  text: string;
  /** The backend's own words, when they add something to `text` (English only). */
  detail: string | null;
}

export function codeKey(code: string): Key | null {
  const key = `error.${code}`;
  return hasKey(key) ? key : null;
}

/** Bidirectional isolation: user text keeps its own direction inside a sentence. */
const isolate = (text: string) => `\u2068${text}\u2069`;

/** One param as words in `lang`: dates in the display setting's calendars, months by name. */
export function paramText(p: ErrorParam, lang: Lang, display: DateDisplay): string {
  switch (p.kind) {
    case 'text':
      return isolate(p.value);
    case 'number':
      return localDigits(String(p.value), lang);
    case 'date':
      return isolate(dateText(p.value, display, lang));
    case 'month':
      return monthName(p.calendar, p.month, lang);
    case 'word': {
      const key = `errorword.${p.value}`;
      return hasKey(key) ? translate(lang, key) : '';
    }
  }
}

/** The params of an error as fill-ins; a param the catalog lists but the error lacks is empty. */
export function paramTexts(
  code: string,
  params: Partial<Record<string, ErrorParam>> | undefined,
  lang: Lang,
  display: DateDisplay,
): Record<string, string> {
  const out: Record<string, string> = {};
  const listed = (ERROR_CATALOG as Record<string, Record<string, string>>)[code] ?? {};
  for (const name of Object.keys(listed)) out[name] = '';
  for (const [name, p] of Object.entries(params ?? {})) if (p) out[name] = paramText(p, lang, display);
  return out;
}

/** The UI's own words for an error in `lang` (its code's translation, filled with its params), whatever the language. */
export function translatedError(e: unknown, lang: Lang, display: DateDisplay = locale.dateDisplay): string {
  const err = toApiError(e);
  return translate(lang, codeKey(err.code) ?? 'error.unknown', paramTexts(err.code, err.params, lang, display));
}

/**
 * Why a register could not be opened, for which the window offers to restore
 * a backup in its place (the core keeps the file that was there).
 */
export const RESTORE_OFFERED: readonly string[] = ['not_a_register', 'foreign_database', 'damaged_file', 'damaged_row', 'newer_schema', 'read_only'];

/**
 * The core's message as a sentence of its own. The core words its messages
 * for the command line ("clausebook: the exchange file carries …"): they
 * start in lower case and end without a stop. On screen the first letter is
 * capitalised, unless the message begins with user text (one of its params:
 * a file name, a clause number, which stay as typed), and a stop is added.
 */
export function asSentence(message: string, params: Partial<Record<string, ErrorParam>> = {}): string {
  const text = message.trim();
  if (!text) return text;
  const userFirst = Object.values(params).some((p) => p?.kind === 'text' && p.value !== '' && text.startsWith(p.value));
  const first = userFirst ? text : text.charAt(0).toLocaleUpperCase('en') + text.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/** What to show for an error, in `lang`. */
export function describeError(e: unknown, lang: Lang, display: DateDisplay = locale.dateDisplay): ShownError {
  const err = toApiError(e);
  const message = err.message?.trim() ?? '';
  const key = codeKey(err.code);
  const filled = () => translatedError(err, lang, display);
  if (lang === 'en') {
    if (key && UI_TEXT_FIRST.includes(err.code)) {
      return { text: filled(), detail: message && message !== err.code ? message : null };
    }
    return { text: message ? asSentence(message, err.params) : filled(), detail: null };
  }
  return { text: filled(), detail: null };
}

/** One line for a toast. */
export function errorLine(e: unknown, lang: Lang): string {
  const shown = describeError(e, lang);
  return shown.detail ? `${shown.text} (${shown.detail})` : shown.text;
}

/**
 * The form field an error belongs to, by code. `empty_field` and `too_long`
 * name no field in their code: `fallback` decides (the form knows which of
 * its fields is empty or too long); otherwise the error is the form's own.
 */
export function fieldForCode(
  code: string,
  fields: Partial<Record<string, string>>,
  fallback?: (code: string) => string | null,
): string | null {
  const direct = fields[code];
  if (direct) return direct;
  return fallback ? fallback(code) : null;
}

/** Field codes per form. */
export const CLAUSE_FIELDS: Record<string, string> = {
  duplicate_number: 'number',
  deadline_before_signing: 'deadline',
  date_no_such_day: 'deadline',
  date_no_such_month: 'deadline',
  date_out_of_range: 'deadline',
  date_unreadable: 'deadline',
  offset_too_large: 'deadline',
  percent_out_of_range: 'percent',
  bad_tag: 'tags',
};

export const AGREEMENT_FIELDS: Record<string, string> = {
  no_parties: 'parties',
  duplicate_party: 'parties',
  end_before_start: 'in_force_until',
  in_force_before_signing: 'in_force_from',
  deadline_before_signing: 'signed_on',
};

export const NOTE_FIELDS: Record<string, string> = {
  note_in_future: 'on_date',
  date_no_such_day: 'on_date',
  date_no_such_month: 'on_date',
  date_out_of_range: 'on_date',
  date_unreadable: 'on_date',
};

/**
 * Whether a field is over the core's limit (`LIMITS` in the bindings), to say
 * so before sending it; the core checks again.
 */
export function tooLong(value: string, kind: 'short' | 'long'): boolean {
  const v = value.trim();
  return kind === 'short'
    ? [...v].length > LIMITS.short_text_max_chars
    : new TextEncoder().encode(v).length > LIMITS.long_text_max_bytes;
}

export { ApiError, toApiError };
