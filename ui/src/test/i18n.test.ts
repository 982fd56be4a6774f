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

  it('fills placeholders, with Persian digits in Persian', () => {
    expect(translate('en', 'count.clauses.other', { n: 12 })).toBe('12 clauses');
    expect(translate('fa', 'count.clauses.other', { n: 12 })).toBe('۱۲ بند');
    expect(translate('fa', 'clauses.rollup', { done: 2, n: 3, p: '۷۵٪' })).toBe('۲ از ۳ انجام‌شده، ۷۵٪');
  });
});
