import { describe, expect, it } from 'vitest';
import { calendarsFor, dateInCalendar, dateText, displayDate, formatIn, isoToDate, localDigits, partsIn, todayIso, asciiDigits } from '../lib/dates';

describe('dates through ICU', () => {
  it('reads the Solar Hijri day of a Gregorian date', () => {
    expect(partsIn('2025-06-05', 'persian')).toEqual({ year: 1404, month: 3, day: 15 });
    expect(partsIn('2021-09-22', 'persian')).toEqual({ year: 1400, month: 6, day: 31 });
    // Nowruz 1404 and the last day of leap year 1403.
    expect(partsIn('2025-03-21', 'persian')).toEqual({ year: 1404, month: 1, day: 1 });
    expect(partsIn('2025-03-20', 'persian')).toEqual({ year: 1403, month: 12, day: 30 });
  });

  it('builds days at UTC noon, so no time zone shifts them', () => {
    expect(isoToDate('2025-06-05')?.toISOString()).toBe('2025-06-05T12:00:00.000Z');
    expect(isoToDate('not a date')).toBeNull();
  });

  it('formats each calendar in English', () => {
    expect(formatIn('2025-06-05', 'gregorian', 'en')).toBe('5 Jun 2025');
    expect(formatIn('2025-06-05', 'persian', 'en')).toBe('15 Khordad 1404');
    expect(formatIn('2025-06-05', 'gregorian', 'en', 'numeric')).toBe('2025-06-05');
    expect(formatIn('2025-06-05', 'persian', 'en', 'numeric')).toBe('1404/03/15');
  });

  it('formats each calendar in Persian, with Persian month names and digits', () => {
    expect(formatIn('2025-06-05', 'persian', 'fa')).toBe('۱۵ خرداد ۱۴۰۴');
    expect(formatIn('2025-06-05', 'gregorian', 'fa')).toBe('۵ ژوئن ۲۰۲۵');
    expect(formatIn('2025-06-05', 'persian', 'fa', 'numeric')).toBe('۱۴۰۴/۰۳/۱۵');
  });

  it('follows the display setting: one calendar, or both with the language’s own first', () => {
    expect(dateText('2025-06-05', 'gregorian', 'en')).toBe('5 Jun 2025');
    expect(dateText('2025-06-05', 'persian', 'en')).toBe('15 Khordad 1404');
    expect(dateText('2025-06-05', 'both', 'en')).toBe('5 Jun 2025 (15 Khordad 1404)');
    expect(dateText('2025-06-05', 'both', 'fa')).toBe('۱۵ خرداد ۱۴۰۴ (۵ ژوئن ۲۰۲۵)');
    expect(displayDate('2025-06-05', 'both', 'fa', 'numeric')).toEqual({ primary: '۱۴۰۴/۰۳/۱۵', secondary: '۲۰۲۵-۰۶-۰۵' });
    expect(calendarsFor('both', 'en')).toEqual(['gregorian', 'persian']);
  });

  it('shows an agreement’s dates in its own calendar first', () => {
    expect(dateInCalendar('2025-04-27', 'persian', 'gregorian', 'en')).toEqual({ primary: '7 Ordibehesht 1404', secondary: '27 Apr 2025' });
    expect(dateInCalendar('2025-04-27', 'persian', 'persian', 'en')).toEqual({ primary: '7 Ordibehesht 1404', secondary: null });
  });

  it('converts digits both ways', () => {
    expect(localDigits('2.1 of 2025', 'fa')).toBe('۲.۱ of ۲۰۲۵');
    expect(localDigits('2025', 'en')).toBe('2025');
    expect(asciiDigits('۱۴۰۴/۰۳/۱۵ ٣')).toBe('1404/03/15 3');
  });

  it('knows today on this computer', () => {
    expect(todayIso(new Date(2026, 10, 22, 23, 30))).toBe('2026-11-22');
  });
});
