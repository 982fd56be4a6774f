/**
 * Error display. The UI branches on `code` only, never on message text. In
 * English the backend's message is shown as it is (it says what to fix); in
 * Persian a known code gets its translation, with the backend's message kept
 * as the detail, and an unknown code falls back to the message. A few codes
 * ({@link UI_TEXT_FIRST}) lead with the UI's own text in both languages.
 */
import { ApiError, toApiError } from './api';
import type { Lang } from './bindings';
import { hasKey, translate, type Key } from './i18n';

export const KNOWN_CODES = [
  'not_found',
  'empty_field',
  'too_long',
  'duplicate_number',
  'cycle',
  'parent_in_other_agreement',
  'partner_in_use',
  'nothing_to_restore',
  'parent_deleted',
  'deadline_before_signing',
  'end_before_start',
  'in_force_before_signing',
  'no_parties',
  'duplicate_party',
  'percent_out_of_range',
  'date_no_such_day',
  'date_unreadable',
  'not_empty',
  'busy',
  'database',
  'report_unwritable',
  'report_empty_brief',
  'report_typeset',
  'report_pdf',
] as const;

/**
 * Codes whose translated text leads in English too, with the backend's
 * message as the detail: what to do next matters more than the core's
 * wording (a PDF that cannot be written: "choose another folder", with the
 * path and the system's reason below), or the message is a developer's
 * (a template or PDF failure).
 */
export const UI_TEXT_FIRST: readonly string[] = ['report_unwritable', 'report_typeset', 'report_pdf'];

export interface ShownError {
  /** The main line, in the interface language. */
  text: string;
  /** The backend's own words, when they add something to `text`. */
  detail: string | null;
}

export function codeKey(code: string): Key | null {
  const key = `error.${code}`;
  return hasKey(key) ? key : null;
}

/** What to show for an error, in `lang`. */
export function describeError(e: unknown, lang: Lang): ShownError {
  const err = toApiError(e);
  const message = err.message?.trim() ?? '';
  if (UI_TEXT_FIRST.includes(err.code)) {
    const key = codeKey(err.code);
    if (key) return { text: translate(lang, key), detail: message && message !== err.code ? message : null };
  }
  if (lang === 'en') {
    if (message) return { text: message, detail: null };
    const key = codeKey(err.code);
    return { text: translate('en', key ?? 'error.unknown'), detail: null };
  }
  const key = codeKey(err.code);
  if (key) return { text: translate(lang, key), detail: message || null };
  return { text: message || translate(lang, 'error.unknown'), detail: null };
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
  date_unreadable: 'on_date',
};

/** Client-side limits, the same as the core's (model.rs). */
export const SHORT_TEXT_MAX_CHARS = 500;
export const LONG_TEXT_MAX_BYTES = 100 * 1024;

export function tooLong(value: string, kind: 'short' | 'long'): boolean {
  const v = value.trim();
  return kind === 'short'
    ? [...v].length > SHORT_TEXT_MAX_CHARS
    : new TextEncoder().encode(v).length > LONG_TEXT_MAX_BYTES;
}

export { ApiError, toApiError };
