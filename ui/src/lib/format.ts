/** Display of deadlines, due states, statuses and names. */
import type {
  AgreementKind,
  AgreementStatus,
  ClauseStatus,
  DateDisplay,
  Deadline,
  DueState,
  Lang,
  Meeting,
  Partner,
  Party,
  SheetField,
} from './bindings';
import { VOCABULARY } from './bindings';
import { dateText, formatIn } from './dates';
import { formatNumber, formatPercent, hasKey, translate, type Key } from './i18n';

/** The closed sets, in the order the core lists them (its vocabulary). */
export const CLAUSE_STATUSES: ClauseStatus[] = VOCABULARY.clause_status.map((term) => term.value);
export const AGREEMENT_STATUSES: AgreementStatus[] = VOCABULARY.agreement_status.map((term) => term.value);
export const AGREEMENT_KINDS: AgreementKind[] = VOCABULARY.agreement_kind.map((term) => term.value);
/** What a spreadsheet's column can be imported as. */
export const SHEET_FIELDS: SheetField[] = VOCABULARY.sheet_field.map((term) => term.value);

export function statusKey(s: ClauseStatus): Key {
  return `status.${s}`;
}

function plural(lang: Lang, base: string, n: number): string {
  const form = lang === 'en' && n === 1 ? 'one' : 'other';
  return translate(lang, `${base}.${form}` as Key, { n });
}

/** How a deadline was written: a date, "3 months after signing", or none. */
export function deadlineText(d: Deadline, display: DateDisplay, lang: Lang): string {
  switch (d.kind) {
    case 'on':
      return dateText(d.date, display, lang);
    case 'after_signing':
      return plural(lang, `deadline.afterSigning.${d.unit}`, d.amount);
    default:
      return translate(lang, 'deadline.none');
  }
}

export type DueTone = 'overdue' | 'soon' | 'later' | 'none';

/** A short badge for a due state, or null when there is nothing to flag. */
export function dueBadge(due: DueState, lang: Lang): { text: string; tone: DueTone } | null {
  switch (due.state) {
    case 'overdue':
      return { text: plural(lang, 'due.overdue', due.days), tone: 'overdue' };
    case 'due_soon':
      return {
        text: due.days === 0 ? translate(lang, 'due.today') : plural(lang, 'due.soon', due.days),
        tone: 'soon',
      };
    case 'later':
      return { text: plural(lang, 'due.later', due.days), tone: 'later' };
    default:
      return null;
  }
}

/** "2 of 3 done, 75%" for a parent clause. */
export function rollupText(
  r: { children: number; counts: { completed: number }; percent: number | null },
  lang: Lang,
): string {
  return r.percent === null
    ? translate(lang, 'clauses.rollupNoPercent', { done: r.counts.completed, n: r.children })
    : translate(lang, 'clauses.rollup', {
        done: r.counts.completed,
        n: r.children,
        p: formatPercent(r.percent, lang),
      });
}

/**
 * The actor the core records when no officer name is set (the core's
 * `store::UNNAMED_OFFICER`); it is also a note's author when none was given.
 */
export const UNNAMED_OFFICER = '(officer not set)';

/** An audit actor or note author for display: the core's unset-officer sentinel in the interface language. */
export function personText(name: string, lang: Lang): string {
  return name === UNNAMED_OFFICER ? translate(lang, 'history.officerNotSet') : name;
}

/** A partner's or party's name in the interface language. */
export function nameOf(p: Pick<Partner, 'name' | 'name_fa'> | Party, lang: Lang): string {
  return lang === 'fa' && p.name_fa ? p.name_fa : p.name;
}

/** The other name (English in Persian, Persian in English), if any. */
export function otherNameOf(p: Pick<Partner, 'name' | 'name_fa'> | Party, lang: Lang): string | null {
  if (lang === 'fa') return p.name_fa ? p.name : null;
  return p.name_fa ?? null;
}

/** First characters of a text, on a word boundary. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

/**
 * A deadline as typed, made readable for parseDeadline: Persian unit words
 * ("۳ ماه", "۹۰ روز پس از امضا") become the English ones the core reads.
 */
export function normalizeDeadlineInput(text: string): string {
  return text
    .replace(/\s*(پس|بعد)\s*از\s*امضاء?\s*$/u, ' after signing')
    .replace(/\s*ماه/gu, ' months')
    .replace(/\s*روز/gu, ' days')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text a deadline field starts with when editing. */
export function deadlineInputText(d: Deadline, lang: Lang, calendar: 'gregorian' | 'persian'): string {
  if (d.kind === 'after_signing') {
    if (lang === 'fa') return `${d.amount} ${d.unit === 'months' ? 'ماه' : 'روز'}`.replace(/[0-9]/g, (x) => '۰۱۲۳۴۵۶۷۸۹'[Number(x)]);
    return `${d.amount} ${d.unit}`;
  }
  if (d.kind === 'on') return dateInputText(d.date, lang, calendar);
  return '';
}

/** The text a date field starts with: numeric, in the calendar the officer writes in. */
export function dateInputText(iso: string | null, lang: Lang, calendar: 'gregorian' | 'persian'): string {
  if (!iso) return '';
  return formatIn(iso, calendar, lang, 'numeric');
}

/** A language's name in the interface language, from ICU: "Tajik", "تاجیکی". */
export function languageName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang === 'fa' ? 'fa-IR' : 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A changed field's word, as a clause's history and a meeting's review show it. */
export function changedFieldText(field: string, lang: Lang): string {
  const key = `history.field.${field}`;
  return hasKey(key) ? translate(lang, key) : field;
}

/**
 * A changed value as a person reads it: statuses, percentages, dates and
 * relative deadlines in the language and calendars shown, counts in its
 * digits; `numberOf` names a parent clause by its number. Anything else is
 * shown as stored.
 */
export function changedValueText(
  field: string,
  v: string | null,
  lang: Lang,
  display: DateDisplay,
  numberOf: (clauseId: string) => string | null = () => null,
): string {
  if (v === null || v === '') return translate(lang, 'history.empty.value');
  if (field === 'status') {
    const key = `status.${v}`;
    if (hasKey(key)) return translate(lang, key);
  }
  if (field === 'parent_id') return numberOf(v) ?? v.slice(0, 8);
  if (field === 'author') return personText(v, lang);
  if (field === 'percent' && /^\d+$/.test(v)) return formatPercent(Number(v), lang);
  // Counts (an import's clauses and notes, a position, a lead time) in the
  // language's digits; a clause's number is the officer's label, as written.
  if (field !== 'number' && /^\d+$/.test(v)) return formatNumber(Number(v), lang);
  if (field === 'on_date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return dateText(v, display, lang);
  if (field === 'deadline') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return dateText(v, display, lang);
    const m = /^(\d+) (days|months) after signing$/.exec(v);
    if (m) return deadlineText({ kind: 'after_signing', amount: Number(m[1]), unit: m[2] as 'days' | 'months' }, display, lang);
    if (v === 'none') return translate(lang, 'deadline.none');
  }
  return v;
}

/** Whether a meeting is still ahead on `today` (cancelled ones are not). */
export function isUpcoming(m: Pick<Meeting, 'on_date' | 'status'>, today: string): boolean {
  return m.on_date >= today && m.status !== 'cancelled';
}
