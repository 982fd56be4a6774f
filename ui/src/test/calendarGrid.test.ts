import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { addDays, monthOf, monthTitle, otherSpan, sameDayIn, shiftMonth, weekdayNames } from '../lib/calendarGrid';
import { monthName, partsIn } from '../lib/dates';
import DateField from '../components/DateField.svelte';

vi.mock('@tauri-apps/api/core', () => ({
  invoke: async () => {
    throw { code: 'ipc', message: 'no backend in this test', params: {} };
  },
  Channel: class {},
}));

describe('month grids read from ICU', () => {
  it('lays out Esfand of leap year 1403 (30 days) and of 1404 (29 days)', () => {
    const esfand1403 = monthOf('2025-03-01', 'persian');
    expect([esfand1403.year, esfand1403.month, esfand1403.days.length]).toEqual([1403, 12, 30]);
    expect(esfand1403.days.at(-1)!.iso).toBe('2025-03-20');
    const esfand1404 = monthOf('2026-03-01', 'persian');
    expect([esfand1404.year, esfand1404.month, esfand1404.days.length]).toEqual([1404, 12, 29]);
  });

  it('puts each first day under its weekday: Saturday first in Solar Hijri, Monday in Gregorian', () => {
    // 1404/01/01 = 2025-03-21, a Friday: the last column of a Saturday week.
    const farvardin = monthOf('2025-04-01', 'persian');
    expect(farvardin.days[0].iso).toBe('2025-03-21');
    expect(farvardin.lead).toBe(6);
    // 2025-06-01 was a Sunday: the last column of a Monday week.
    expect(monthOf('2025-06-15', 'gregorian').lead).toBe(6);
    expect(weekdayNames('gregorian', 'en')).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(weekdayNames('persian', 'fa')[0]).toBe('ش');
  });

  it('gives every day the other calendar’s day', () => {
    const khordad = monthOf('2025-06-05', 'persian');
    const d15 = khordad.days[14];
    expect(d15).toEqual({ iso: '2025-06-05', day: 15, other: { year: 2025, month: 6, day: 5 } });
    expect(monthTitle(khordad, 'en')).toBe('Khordad 1404');
    expect(monthTitle(khordad, 'fa')).toBe('خرداد ۱۴۰۴');
    expect(otherSpan(khordad, 'en')).toBe('May – June 2025');
  });

  it('steps through months and years, clamping the day to the month’s end', () => {
    let v = monthOf('2025-03-10', 'persian');
    v = shiftMonth(v, 1);
    expect([v.year, v.month]).toEqual([1404, 1]);
    v = shiftMonth(v, -13);
    expect([v.year, v.month]).toEqual([1402, 12]);
    expect(partsIn(sameDayIn('2025-03-20', 'persian', 12), 'persian')).toEqual({ year: 1404, month: 12, day: 29 });
    expect(sameDayIn('2024-01-31', 'gregorian', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-20', 1)).toBe('2025-03-21');
  });

  it('covers every day of 1300–1500 AP exactly once, months of 29–31 days', () => {
    let v = monthOf('1921-03-21', 'persian');
    expect([v.year, v.month, v.days[0].day]).toEqual([1300, 1, 1]);
    let next = v.days[0].iso;
    while (v.year <= 1500) {
      expect(v.days[0].iso).toBe(next);
      expect(v.days.length).toBeGreaterThanOrEqual(29);
      expect(v.days.length).toBeLessThanOrEqual(31);
      next = addDays(v.days.at(-1)!.iso, 1);
      v = shiftMonth(v, 1);
    }
  });

  it('agrees with the official leap-year table on the length of every Esfand', () => {
    const rows = readFileSync(join(process.cwd(), '../../shared/data/persian-calendar/kabise.txt'), 'utf8')
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(/\s+/));
    expect(rows.length).toBe(293);
    for (const [year, nowruz] of rows) {
      const farvardin = monthOf(nowruz, 'persian');
      expect(farvardin.days[0].iso, year).toBe(nowruz);
      // A star marks a leap year: its Esfand has 30 days.
      const esfand = shiftMonth(farvardin, 11);
      expect([esfand.year, esfand.month], year).toEqual([Number(year.replace(/\*/g, '')), 12]);
      expect(esfand.days.length, year).toBe(year.includes('*') ? 30 : 29);
    }
  });

  it('names months of both calendars', () => {
    expect(monthName('persian', 1, 'fa')).toBe('فروردین');
    expect(monthName('persian', 12, 'en')).toBe('Esfand');
    expect(monthName('gregorian', 2, 'fa')).toBe('فوریه');
  });
});

describe('the date picker in a date field', () => {
  it('opens a grid with both calendars and fills the field with the chosen day', async () => {
    render(DateField, { props: { id: 'd', label: 'Signed on', value: '2025-06-05', calendar: 'persian' } });
    const field = screen.getByLabelText('Signed on') as HTMLInputElement;
    expect(field.value).toBe('1404/03/15');
    await fireEvent.click(screen.getByRole('button', { name: 'Choose a date in a calendar' }));
    const grid = screen.getByRole('grid', { name: 'Khordad 1404' });
    // The chosen day is marked, and read out in both calendars.
    const selected = within(grid).getByRole('button', { name: '15 Khordad 1404 (5 Jun 2025)' });
    expect(selected.getAttribute('tabindex')).toBe('0');
    expect(selected.textContent?.replace(/\s+/g, ' ').trim()).toBe('15 5');
    await fireEvent.click(within(grid).getByRole('button', { name: '20 Khordad 1404 (10 Jun 2025)' }));
    expect(field.value).toBe('1404/03/20');
    expect(screen.queryByRole('grid')).toBeNull();
    expect(screen.getByText(/✓ 10 Jun 2025 · 20 Khordad 1404/)).toBeTruthy();
  });

  it('switches the grid to the other calendar and moves by keys', async () => {
    render(DateField, { props: { id: 'd', label: 'Due', value: '2025-03-20', calendar: 'persian' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Choose a date in a calendar' }));
    expect(screen.getByRole('grid', { name: 'Esfand 1403' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('radio', { name: 'Gregorian' }));
    const grid = screen.getByRole('grid', { name: 'March 2025' });
    const day = within(grid).getByRole('button', { name: '20 Mar 2025 (30 Esfand 1403)' });
    await fireEvent.keyDown(day, { key: 'ArrowRight' });
    expect(screen.getByRole('button', { name: '21 Mar 2025 (1 Farvardin 1404)' }).getAttribute('tabindex')).toBe('0');
    await fireEvent.keyDown(grid, { key: 'PageDown' });
    expect(screen.getByRole('grid', { name: 'April 2025' })).toBeTruthy();
    await fireEvent.keyDown(grid, { key: 'Escape' });
    expect(screen.queryByRole('grid')).toBeNull();
  });
});
