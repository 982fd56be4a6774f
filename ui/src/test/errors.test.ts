import { beforeEach, describe, expect, it, vi } from 'vitest';

// A plain function, not vi.fn: the spy's own bookkeeping of a rejected
// promise would be reported as an unhandled error.
const h = vi.hoisted(() => ({
  calls: [] as [string, unknown][],
  impl: (async () => undefined) as (cmd: string, args?: unknown) => Promise<unknown>,
}));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: unknown) => {
    h.calls.push([cmd, args]);
    return h.impl(cmd, args);
  },
  Channel: class {},
}));

import { api, ApiError } from '../lib/api';
import { ERROR_CATALOG, ERROR_WORDS, type ErrorParam } from '../lib/bindings';
import { CLAUSE_FIELDS, KNOWN_CODES, asSentence, codeKey, describeError, errorLine, fieldForCode } from '../lib/errors';
import { dictionaries, type Key } from '../lib/i18n';

describe('api unwraps results', () => {
  beforeEach(() => {
    h.calls = [];
  });

  it('returns the data and passes camelCase arguments to the snake_case command', async () => {
    h.impl = async () => [];
    await expect(api.clauseRows('A1')).resolves.toEqual([]);
    expect(h.calls).toEqual([['clause_rows', { agreementId: 'A1' }]]);
    h.impl = async () => ({ id: 'c' });
    await api.moveClause('c', { to: 'up' });
    expect(h.calls[1]).toEqual(['move_clause', { id: 'c', to: { to: 'up' } }]);
  });

  it('throws an ApiError with the backend code and message', async () => {
    h.impl = (async () => { throw { code: 'duplicate_number', message: 'clause number 3 is already used at the top level of this agreement: choose another number' }; });
    const err = await api.createClause({} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('duplicate_number');
  });

  it('turns a failed IPC into an ApiError too', async () => {
    h.impl = (async () => { throw new TypeError('window.__TAURI_INTERNALS__ is undefined'); });
    const err = await api.partners().catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('ipc');
  });
});

describe('error display', () => {
  const err = new ApiError('date_no_such_day', '1404/12/30 does not exist: Esfand 1404 has 29 days (1404 is not a leap year)', {
    input: { kind: 'text', value: '1404/12/30' },
    month: { kind: 'month', calendar: 'persian', month: 12 },
    year: { kind: 'number', value: 1404 },
    days: { kind: 'number', value: 29 },
    year_kind: { kind: 'word', value: 'common_year' },
  });
  const FSI = '\u2068';
  const PDI = '\u2069';

  it('shows the backend message in English, as a sentence', () => {
    // It begins with what the officer typed, which keeps its case.
    expect(describeError(err, 'en')).toEqual({ text: `${err.message}.`, detail: null });
  });

  it('capitalises a message unless it begins with user text, and ends it with a stop', () => {
    expect(asSentence('the exchange file is cut short: ask for it again')).toBe('The exchange file is cut short: ask for it again.');
    expect(asSentence('plan.csv could not be read: No such file', { file: { kind: 'text', value: 'plan.csv' } })).toBe(
      'plan.csv could not be read: No such file.',
    );
    expect(asSentence('"quarterly" is not a status')).toBe('"quarterly" is not a status.');
    expect(asSentence('nothing to undo.')).toBe('Nothing to undo.');
    expect(asSentence('  ')).toBe('');
  });

  it('says the same in Persian from the params: month name, Persian digits, no English', () => {
    expect(describeError(err, 'fa')).toEqual({
      text: `${FSI}1404/12/30${PDI} وجود ندارد: اسفند ۱۴۰۴ ۲۹ روز دارد؛ این سال کبیسه نیست.`,
      detail: null,
    });
  });

  it('leaves out a param the error does not carry', () => {
    const feb = new ApiError('date_no_such_day', '2025-02-29 does not exist: February 2025 has 28 days', {
      input: { kind: 'text', value: '2025-02-29' },
      month: { kind: 'month', calendar: 'gregorian', month: 2 },
      year: { kind: 'number', value: 2025 },
      days: { kind: 'number', value: 28 },
    });
    expect(describeError(feb, 'fa').text).toBe(`${FSI}2025-02-29${PDI} وجود ندارد: فوریه ۲۰۲۵ ۲۸ روز دارد.`);
  });

  it('shows date params in the reader\'s calendar', () => {
    const e = new ApiError('deadline_before_signing', 'the deadline 2025-01-05 is before the agreement was signed (2025-03-01): check both dates', {
      deadline: { kind: 'date', value: '2025-01-05' },
      signed: { kind: 'date', value: '2025-03-01' },
    });
    expect(describeError(e, 'fa', 'persian').text).toBe(
      `مهلت (${FSI}۱۶ دی ۱۴۰۳${PDI}) پیش از تاریخ امضا (${FSI}۱۱ اسفند ۱۴۰۳${PDI}) است: هر دو تاریخ را بررسی کنید.`,
    );
    expect(describeError(e, 'fa', 'both').text).toContain('۱۶ دی ۱۴۰۳ (۵ ژانویه ۲۰۲۵)');
  });

  it('falls back to a Persian sentence for a code it does not know', () => {
    expect(describeError(new ApiError('something_new', 'a new rule'), 'fa')).toEqual({ text: 'مشکلی پیش آمد.', detail: null });
    expect(describeError(new ApiError('something_new', 'a new rule'), 'en')).toEqual({ text: 'A new rule.', detail: null });
  });

  it('has an English and a Persian text for every code, using only the params the core sends', () => {
    for (const code of KNOWN_CODES) expect(codeKey(code), code).not.toBeNull();
    const catalog = ERROR_CATALOG as Record<string, Record<string, string>>;
    for (const [code, params] of Object.entries(catalog)) {
      for (const lang of ['en', 'fa'] as const) {
        const text = dictionaries[lang][`error.${code}` as Key];
        expect(text, `${lang} error.${code}`).toBeTruthy();
        for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
          expect(Object.keys(params), `${lang} error.${code} uses {${name}}, which the core does not send`).toContain(name);
        }
      }
    }
    for (const word of ERROR_WORDS) {
      expect(dictionaries.en[`errorword.${word}` as Key], word).toBeTruthy();
      expect(dictionaries.fa[`errorword.${word}` as Key], word).toBeTruthy();
    }
  });

  it('shows no Latin letters to a Persian reader for any code, whatever its params', () => {
    const catalog = ERROR_CATALOG as Record<string, Record<string, string>>;
    const sample = (kind: string): ErrorParam => {
      switch (kind) {
        case 'text':
          return { kind: 'text', value: '۳-۱' };
        case 'number':
          return { kind: 'number', value: 12 };
        case 'date':
          return { kind: 'date', value: '2025-06-05' };
        case 'month':
          return { kind: 'month', calendar: 'persian', month: 3 };
        default:
          return { kind: 'word', value: ERROR_WORDS[0] };
      }
    };
    for (const [code, params] of Object.entries(catalog)) {
      const filled = Object.fromEntries(Object.entries(params).map(([n, k]) => [n, sample(k)]));
      const shown = describeError(new ApiError(code, 'English words here', filled), 'fa', 'both');
      expect(shown.detail, code).toBeNull();
      // Product and format names stay as they are; ⁦2025-06-05⁩ is an input example.
      const rest = shown.text.replace(/Clausebook|PDF(\/A)?/g, '');
      expect(rest, code).not.toMatch(/[A-Za-z]/);
      expect(rest, code).not.toMatch(/\{\w+\}/);
    }
  });

  it('report_unwritable shows "choose another folder" with the backend message in English, the path in Persian', () => {
    const e = new ApiError('report_unwritable', 'cannot write /mnt/x/a.pdf: Permission denied (os error 13); choose another folder or file name', {
      path: { kind: 'text', value: '/mnt/x/a.pdf' },
    });
    expect(describeError(e, 'en')).toEqual({
      text: `The PDF could not be saved to ${FSI}/mnt/x/a.pdf${PDI}: choose another folder or file name.`,
      detail: e.message,
    });
    expect(describeError(e, 'fa')).toEqual({ text: `پرونده PDF در ${FSI}/mnt/x/a.pdf${PDI} ذخیره نشد: پوشه یا نام دیگری برگزینید.`, detail: null });
    expect(errorLine(e, 'en')).toBe(`${describeError(e, 'en').text} (${e.message})`);
  });

  it('maps the other report codes to their own words', () => {
    const typeset = new ApiError('report_typeset', 'the report could not be typeset: error: unknown variable');
    expect(describeError(typeset, 'en').text).toMatch(/^The report could not be typeset\. This is a fault in Clausebook/);
    expect(describeError(typeset, 'en').detail).toBe(typeset.message);
    expect(describeError(new ApiError('report_pdf', 'the PDF could not be written: PDF/A-2b forbids …'), 'en').text).toMatch(/Try again without PDF\/A/);
    const empty = new ApiError('report_empty_brief', 'the brief covers nothing: choose agreements or clauses, or include overdue, due or recent progress');
    expect(describeError(empty, 'en').text).toBe(`T${empty.message.slice(1)}.`);
    expect(describeError(empty, 'fa').text).toMatch(/^گزارش هنوز چیزی در بر ندارد/);
    const gone = new ApiError('not_found', 'no agreement with id 0190: check the id');
    expect(describeError(gone, 'fa')).toEqual({ text: 'این مورد دیگر در دفتر نیست؛ شاید حذف شده باشد.', detail: null });
  });

  it('places field errors by code, never by message', () => {
    expect(fieldForCode('duplicate_number', CLAUSE_FIELDS)).toBe('number');
    expect(fieldForCode('deadline_before_signing', CLAUSE_FIELDS)).toBe('deadline');
    expect(fieldForCode('empty_field', CLAUSE_FIELDS, () => 'text')).toBe('text');
    expect(fieldForCode('busy', CLAUSE_FIELDS)).toBeNull();
  });
});
