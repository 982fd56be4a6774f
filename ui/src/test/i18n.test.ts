import { describe, expect, it } from 'vitest';
import { en, fa, translate } from '../lib/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(fa).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty values', () => {
    for (const [lang, dict] of Object.entries({ en, fa })) {
      for (const [key, value] of Object.entries(dict)) {
        expect(value.trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(fa[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('write Persian with Persian letters (ی, ک), not Arabic ones (ي, ك)', () => {
    for (const [key, value] of Object.entries(fa)) {
      expect(value, key).not.toMatch(/[يك]/);
    }
  });

  it('translate every string into Persian (not English left in place)', () => {
    // Names that are the same in both, and strings of symbols only.
    const same = new Set(['app.name', 'common.none', 'date.confirm', 'lang.switchTo', 'report.lang.en', 'report.lang.fa']);
    for (const [key, value] of Object.entries(fa)) {
      if (same.has(key)) continue;
      expect(value, key).toMatch(/[\u0600-\u06FF]/);
      expect(value, key).not.toBe(en[key as keyof typeof en]);
    }
  });

  it('have the PDF export and meeting brief strings, with error texts for their codes', () => {
    const keys = Object.keys(en).filter((k) => /^(report|brief)\./.test(k));
    expect(keys.length).toBeGreaterThan(40);
    for (const code of ['report_unwritable', 'report_empty_brief', 'report_typeset', 'report_pdf', 'not_found'])
      expect(Object.keys(fa), code).toContain(`error.${code}`);
    // A Persian sentence must not start with a Latin word: dir="auto" would set it left to right.
    for (const key of [...keys, 'error.report_unwritable', 'error.report_pdf'] as (keyof typeof fa)[]) {
      if (key === 'report.lang.en') continue;
      const firstLetter = fa[key].replace(/\{\w+\}/g, '').match(/\p{L}/u)?.[0] ?? '';
      expect(firstLetter, key).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('fills placeholders, with Persian digits in Persian', () => {
    expect(translate('en', 'count.clauses.other', { n: 12 })).toBe('12 clauses');
    expect(translate('fa', 'count.clauses.other', { n: 12 })).toBe('۱۲ بند');
    expect(translate('fa', 'clauses.rollup', { done: 2, n: 3, p: '۷۵٪' })).toBe('۲ از ۳ انجام‌شده، ۷۵٪');
  });
});
