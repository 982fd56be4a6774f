/**
 * Month grids for the date picker, in either calendar. Every fact about a
 * month (where it starts, how long it is, what the other calendar says of
 * each day) is read from ICU through {@link partsIn}: the grid walks day by
 * day and never computes a calendar itself.
 */
import type { Calendar, Lang } from './bindings';
import { formatIn, isoToDate, localDigits, monthName, partsIn, type CalendarDate } from './dates';

export interface DayCell {
  iso: string;
  /** The day of the month in the grid's calendar. */
  day: number;
  /** The same day in the other calendar. */
  other: CalendarDate;
}

export interface MonthView {
  calendar: Calendar;
  year: number;
  month: number;
  days: DayCell[];
  /** Empty cells before the first day, so it falls under its weekday. */
  lead: number;
}

const DAY_MS = 86_400_000;

/** The ISO day `n` days after `iso`. */
export function addDays(iso: string, n: number): string {
  const d = isoToDate(iso);
  if (!d) return iso;
  return new Date(d.getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

export const otherCalendar = (c: Calendar): Calendar => (c === 'persian' ? 'gregorian' : 'persian');

/**
 * The first weekday of a grid (0 = Sunday): Saturday for the Solar Hijri
 * week as it is kept in Iran, Monday for the Gregorian one as in Tajikistan
 * and Uzbekistan.
 */
export const weekStart = (c: Calendar): number => (c === 'persian' ? 6 : 1);

/** The month of `calendar` that holds the day `iso`. */
export function monthOf(iso: string, calendar: Calendar): MonthView {
  const p = partsIn(iso, calendar);
  if (!p) throw new Error(`not an ISO date: ${iso}`);
  const other = otherCalendar(calendar);
  const first = addDays(iso, -(p.day - 1));
  const days: DayCell[] = [];
  for (let d = first, n = 1; n <= 31; d = addDays(d, 1), n++) {
    const q = partsIn(d, calendar)!;
    if (q.month !== p.month) break;
    days.push({ iso: d, day: q.day, other: partsIn(d, other)! });
  }
  const weekday = isoToDate(first)!.getUTCDay();
  return { calendar, year: p.year, month: p.month, days, lead: (weekday - weekStart(calendar) + 7) % 7 };
}

/** The month `delta` months before (negative) or after `view`, in its calendar. */
export function shiftMonth(view: MonthView, delta: number): MonthView {
  let v = view;
  for (let i = 0; i < Math.abs(delta); i++) {
    const edge = delta > 0 ? addDays(v.days[v.days.length - 1].iso, 1) : addDays(v.days[0].iso, -1);
    v = monthOf(edge, v.calendar);
  }
  return v;
}

/**
 * The same day number `delta` months away, clamped to the month's end
 * (Shift+PageDown on 1403/12/30 lands on 1404/12/29).
 */
export function sameDayIn(iso: string, calendar: Calendar, delta: number): string {
  const from = monthOf(iso, calendar);
  const day = partsIn(iso, calendar)!.day;
  const to = shiftMonth(from, delta);
  return to.days[Math.min(day, to.days.length) - 1].iso;
}

/** Short weekday names in grid order ("Sa" … "Fr", "ش" … "ج"). */
export function weekdayNames(calendar: Calendar, lang: Lang): string[] {
  // 2025-06-07 was a Saturday; walk to the grid's first weekday.
  const saturday = '2025-06-07';
  const start = addDays(saturday, (weekStart(calendar) - 6 + 7) % 7);
  const f = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : 'en', { weekday: lang === 'fa' ? 'narrow' : 'short', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => f.format(isoToDate(addDays(start, i))!));
}

/** "Khordad 1404" / "خرداد ۱۴۰۴". */
export function monthTitle(view: MonthView, lang: Lang): string {
  return localDigits(`${monthName(view.calendar, view.month, lang)} ${view.year}`, lang);
}

/** The other calendar's months the grid spans: "May – June 2025", "Dey 1403 – Bahman 1403" shortened. */
export function otherSpan(view: MonthView, lang: Lang): string {
  const first = view.days[0].other;
  const last = view.days[view.days.length - 1].other;
  const cal = otherCalendar(view.calendar);
  const name = (p: CalendarDate) => monthName(cal, p.month, lang);
  const text =
    first.year === last.year
      ? `${name(first)} – ${name(last)} ${last.year}`
      : `${name(first)} ${first.year} – ${name(last)} ${last.year}`;
  return localDigits(text, lang);
}

/** A day's full name for screen readers: both calendars. */
export function dayLabel(iso: string, calendar: Calendar, lang: Lang): string {
  return `${formatIn(iso, calendar, lang)} (${formatIn(iso, otherCalendar(calendar), lang)})`;
}
