/**
 * Dates for display. Stored dates are ISO "YYYY-MM-DD" (Gregorian). The
 * Solar Hijri form comes from the platform's ICU through Intl.DateTimeFormat
 * with the persian calendar: no conversion formula of our own. Dates are
 * built at UTC noon and formatted in UTC, so no time zone can shift a day.
 */
import type { Calendar, DateDisplay, Lang } from './bindings';

export type DateStyle = 'long' | 'numeric';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day at 12:00 UTC, or null when the text is not an ISO date. */
export function isoToDate(iso: string): Date | null {
  const m = ISO.exec(iso);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return Number.isNaN(d.getTime()) ? null : d;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
    formatters.set(key, f);
  }
  return f;
}

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** ASCII digits as Persian digits in the Persian interface. */
export function localDigits(text: string, lang: Lang): string {
  if (lang !== 'fa') return text;
  return text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]);
}

/** Persian and Arabic-Indic digits as ASCII. */
export function asciiDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Year, month and day of a date in a calendar, read from ICU. */
export function partsIn(iso: string, calendar: Calendar): CalendarDate | null {
  const date = isoToDate(iso);
  if (!date) return null;
  const ca = calendar === 'persian' ? 'persian' : 'gregory';
  const parts = formatter(`en-u-ca-${ca}-nu-latn`, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date in one calendar: "5 Jun 2025", "15 Khordad 1404", "۱۵ خرداد ۱۴۰۴", or numeric "1404/03/15". */
export function formatIn(iso: string, calendar: Calendar, lang: Lang, style: DateStyle = 'long'): string {
  const p = partsIn(iso, calendar);
  const date = isoToDate(iso);
  if (!p || !date) return iso;
  if (style === 'numeric') {
    const text =
      calendar === 'persian'
        ? `${pad(p.year, 4)}/${pad(p.month)}/${pad(p.day)}`
        : `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
    return localDigits(text, lang);
  }
  const ca = calendar === 'persian' ? 'persian' : 'gregory';
  const locale = lang === 'fa' ? `fa-IR-u-ca-${ca}-nu-latn` : `en-u-ca-${ca}-nu-latn`;
  // Gregorian months are short in English ("Jun"); Solar Hijri names stay whole.
  const month =
    formatter(locale, { month: lang === 'en' && calendar === 'gregorian' ? 'short' : 'long' })
      .formatToParts(date)
      .find((x) => x.type === 'month')?.value ?? String(p.month);
  return localDigits(`${p.day} ${month} ${p.year}`, lang);
}

/** The calendars a display setting shows, the main one first. */
export function calendarsFor(display: DateDisplay, lang: Lang): Calendar[] {
  switch (display) {
    case 'gregorian':
      return ['gregorian'];
    case 'persian':
      return ['persian'];
    default:
      // Both: Gregorian first in English, Solar Hijri first in Persian.
      return lang === 'fa' ? ['persian', 'gregorian'] : ['gregorian', 'persian'];
  }
}

export interface DisplayDate {
  primary: string;
  secondary: string | null;
}

/** A date as the display setting asks: one calendar, or both. */
export function displayDate(
  iso: string,
  display: DateDisplay,
  lang: Lang,
  style: DateStyle = 'long',
): DisplayDate {
  const [main, other] = calendarsFor(display, lang);
  return {
    primary: formatIn(iso, main, lang, style),
    secondary: other ? formatIn(iso, other, lang, style) : null,
  };
}

/** A day in both calendars, the language's own first: "5 Jun 2025 · 15 Khordad 1404". */
export function bothCalendars(iso: string, lang: Lang): string {
  const [a, b] = calendarsFor('both', lang);
  return `${formatIn(iso, a, lang)} · ${formatIn(iso, b!, lang)}`;
}

/** The same as one line of text: "5 Jun 2025 (15 Khordad 1404)". */
export function dateText(iso: string, display: DateDisplay, lang: Lang, style: DateStyle = 'long'): string {
  const d = displayDate(iso, display, lang, style);
  return d.secondary ? `${d.primary} (${d.secondary})` : d.primary;
}

/**
 * A date in an agreement's own calendar first (a Solar Hijri agreement's
 * signing date reads as it was written), then the other calendar unless the
 * display setting shows only the agreement's.
 */
export function dateInCalendar(
  iso: string,
  calendar: Calendar,
  display: DateDisplay,
  lang: Lang,
): DisplayDate {
  const other: Calendar = calendar === 'persian' ? 'gregorian' : 'persian';
  const showOther = display === 'both' || display !== calendar;
  return {
    primary: formatIn(iso, calendar, lang),
    secondary: showOther ? formatIn(iso, other, lang) : null,
  };
}

/** A moment (RFC 3339, UTC) on this computer's clock: its local day (ISO) and time (HH:MM, ASCII digits). */
export function localMoment(rfc3339: string): { day: string; time: string } | null {
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return null;
  return {
    day: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
  };
}

/** A moment (RFC 3339, UTC) in local time: its day per the display setting, and HH:MM. */
export function momentText(rfc3339: string, display: DateDisplay, lang: Lang): string {
  const at = localMoment(rfc3339);
  if (!at) return rfc3339;
  const [main] = calendarsFor(display, lang);
  return `${formatIn(at.day, main, lang)}, ${localDigits(at.time, lang)}`;
}

/**
 * A moment in local time with its day in every calendar the display setting
 * shows: "4 Dec 2026 (13 Azar 1405), 09:15", "۱۳ آذر ۱۴۰۵ (۴ دسامبر ۲۰۲۶)، ۰۹:۱۵".
 */
export function momentInFull(rfc3339: string, display: DateDisplay, lang: Lang): string {
  const at = localMoment(rfc3339);
  if (!at) return rfc3339;
  return `${dateText(at.day, display, lang)}${lang === 'fa' ? '، ' : ', '}${localDigits(at.time, lang)}`;
}

/** Today on this computer, as ISO. */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  const a = isoToDate(from);
  const b = isoToDate(to);
  if (!a || !b) return 0;
  return Math.round((b.getTime() - a.getTime()) / 86_400_000);
}

/** The name of a month (1–12) of a calendar: "Esfand", "اسفند", "February", "فوریه". */
export function monthName(calendar: Calendar, month: number, lang: Lang): string {
  // Walk from the first day of 1380 AP (2001-03-21) to a day in that month
  // of either calendar, and let ICU name it.
  let day = isoToDate('2001-03-21')!;
  for (let i = 0; i < 40; i++) {
    const iso = day.toISOString().slice(0, 10);
    if (partsIn(iso, calendar)?.month === month) {
      const ca = calendar === 'persian' ? 'persian' : 'gregory';
      const loc = lang === 'fa' ? `fa-IR-u-ca-${ca}-nu-latn` : `en-u-ca-${ca}-nu-latn`;
      return formatter(loc, { month: 'long' }).formatToParts(day).find((x) => x.type === 'month')?.value ?? String(month);
    }
    day = new Date(day.getTime() + 10 * 86_400_000);
  }
  return localDigits(String(month), lang);
}
