import { describe, expect, it } from 'vitest';
import { dateInputText, deadlineInputText, deadlineText, dueBadge, excerpt, nameOf, normalizeDeadlineInput, personText, rollupText, UNNAMED_OFFICER } from '../lib/format';
import { fieldDir } from '../lib/locale.svelte';
import { formatNumber, formatPercent } from '../lib/i18n';

describe('deadlines and due states', () => {
  it('writes a deadline as the officer gave it', () => {
    expect(deadlineText({ kind: 'none' }, 'both', 'en')).toBe('No deadline');
    expect(deadlineText({ kind: 'on', date: '2025-06-05' }, 'both', 'en')).toBe('5 Jun 2025 (15 Khordad 1404)');
    expect(deadlineText({ kind: 'after_signing', amount: 3, unit: 'months' }, 'both', 'en')).toBe('3 months after signing');
    expect(deadlineText({ kind: 'after_signing', amount: 1, unit: 'months' }, 'both', 'en')).toBe('1 month after signing');
    expect(deadlineText({ kind: 'after_signing', amount: 90, unit: 'days' }, 'both', 'fa')).toBe('۹۰ روز پس از امضا');
  });

  it('flags overdue and due-soon clauses, and nothing else', () => {
    expect(dueBadge({ state: 'overdue', days: 12 }, 'en')).toEqual({ text: '12 days overdue', tone: 'overdue' });
    expect(dueBadge({ state: 'overdue', days: 1 }, 'en')?.text).toBe('1 day overdue');
    expect(dueBadge({ state: 'overdue', days: 1118 }, 'fa')?.text).toBe('۱٬۱۱۸ روز تأخیر');
    expect(dueBadge({ state: 'due_soon', days: 0 }, 'en')).toEqual({ text: 'Due today', tone: 'soon' });
    expect(dueBadge({ state: 'due_soon', days: 1 }, 'en')?.text).toBe('Due tomorrow');
    expect(dueBadge({ state: 'due_soon', days: 3 }, 'en')?.text).toBe('Due in 3 days');
    expect(dueBadge({ state: 'later', days: 90 }, 'en')?.tone).toBe('later');
    expect(dueBadge({ state: 'closed' }, 'en')).toBeNull();
    expect(dueBadge({ state: 'no_deadline' }, 'en')).toBeNull();
  });

  it('reads Persian unit words in a deadline', () => {
    expect(normalizeDeadlineInput('۳ ماه')).toBe('۳ months');
    expect(normalizeDeadlineInput('۹۰ روز پس از امضا')).toBe('۹۰ days after signing');
    expect(normalizeDeadlineInput(' 3 months ')).toBe('3 months');
    expect(normalizeDeadlineInput('1404/03/15')).toBe('1404/03/15');
  });

  it('starts edit fields from the stored value', () => {
    expect(deadlineInputText({ kind: 'after_signing', amount: 6, unit: 'months' }, 'en', 'gregorian')).toBe('6 months');
    expect(deadlineInputText({ kind: 'after_signing', amount: 6, unit: 'months' }, 'fa', 'persian')).toBe('۶ ماه');
    expect(deadlineInputText({ kind: 'on', date: '2025-06-05' }, 'en', 'persian')).toBe('1404/03/15');
    expect(dateInputText('2025-06-05', 'en', 'gregorian')).toBe('2025-06-05');
    expect(dateInputText(null, 'en', 'gregorian')).toBe('');
  });
});

describe('numbers and names', () => {
  it('uses Persian digits in Persian', () => {
    expect(formatNumber(1234, 'fa')).toBe('۱٬۲۳۴');
    expect(formatPercent(75, 'fa')).toBe('۷۵٪');
    expect(formatPercent(75, 'en')).toBe('75%');
  });

  it('rolls up a parent clause', () => {
    const r = { children: 3, counts: { not_started: 0, in_progress: 1, completed: 2, on_hold: 0, cancelled: 0 }, percent: 75 };
    expect(rollupText(r, 'en')).toBe('2 of 3 done, 75%');
    expect(rollupText(r, 'fa')).toBe('۲ از ۳ انجام‌شده، ۷۵٪');
    expect(rollupText({ ...r, percent: null }, 'en')).toBe('2 of 3 done');
  });

  it('names partners in the interface language', () => {
    const p = { name: 'Tajikistan', name_fa: 'تاجیکستان' };
    expect(nameOf(p, 'fa')).toBe('تاجیکستان');
    expect(nameOf(p, 'en')).toBe('Tajikistan');
    expect(nameOf({ name: 'IOM', name_fa: null }, 'fa')).toBe('IOM');
  });

  it('cuts long text on a word', () => {
    expect(excerpt('one two three four', 14)).toBe('one two three…');
    expect(excerpt('  short\n text ')).toBe('short text');
  });
});

describe('people and field directions', () => {
  it('shows the core’s unset-officer sentinel in the interface language, other names as they are', () => {
    expect(UNNAMED_OFFICER).toBe('(officer not set)');
    expect(personText(UNNAMED_OFFICER, 'en')).toBe('(officer not set)');
    expect(personText(UNNAMED_OFFICER, 'fa')).toBe('(نام کارشناس تنظیم نشده)');
    expect(personText('Maryam Tavakoli', 'fa')).toBe('Maryam Tavakoli');
  });

  it('gives a field the direction of its first letter, else the interface’s', () => {
    expect(fieldDir('', 'fa')).toBe('rtl');
    expect(fieldDir('', 'en')).toBe('ltr');
    expect(fieldDir('1404/12/30', 'fa')).toBe('rtl');
    expect(fieldDir('۳ ماه', 'en')).toBe('rtl');
    expect(fieldDir('3 months', 'fa')).toBe('ltr');
    expect(fieldDir('(Тоҷикистон)', 'fa')).toBe('ltr');
  });
});
