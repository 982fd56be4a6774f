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
import { CLAUSE_FIELDS, KNOWN_CODES, codeKey, describeError, errorLine, fieldForCode } from '../lib/errors';

describe('api unwraps results', () => {
  beforeEach(() => {
    h.calls = [];
  });

  it('returns the data and passes camelCase arguments to the snake_case command', async () => {
    h.impl = async () => [];
    await expect(api.clauseRows('A1')).resolves.toEqual([]);
    expect(h.calls).toEqual([['clause_rows', { agreementId: 'A1' }]]);
    h.impl = async () => ({ id: 'c' });
    await api.moveClause('c', null, 0);
    expect(h.calls[1]).toEqual(['move_clause', { id: 'c', parent: null, index: 0 }]);
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
  const err = new ApiError('date_no_such_day', '1404/12/30 does not exist: Esfand 1404 has 29 days (1404 is not a leap year)');

  it('shows the backend message in English', () => {
    expect(describeError(err, 'en')).toEqual({ text: err.message, detail: null });
  });

  it('translates known codes in Persian and keeps the message as detail', () => {
    expect(describeError(err, 'fa')).toEqual({ text: 'چنین روزی در این تقویم وجود ندارد.', detail: err.message });
    expect(errorLine(err, 'fa')).toContain('(1404/12/30');
  });

  it('falls back to the message for unknown codes', () => {
    expect(describeError(new ApiError('something_new', 'a new rule'), 'fa')).toEqual({ text: 'a new rule', detail: null });
  });

  it('has a Persian text for every code the UI must branch on', () => {
    for (const code of KNOWN_CODES) expect(codeKey(code), code).not.toBeNull();
  });

  it('report_unwritable shows "choose another folder" with the backend message, in both languages', () => {
    const e = new ApiError('report_unwritable', 'cannot write /mnt/x/a.pdf: Permission denied (os error 13); choose another folder or file name');
    expect(describeError(e, 'en')).toEqual({ text: 'The PDF could not be saved there: choose another folder.', detail: e.message });
    expect(describeError(e, 'fa')).toEqual({ text: 'پرونده PDF در آن‌جا ذخیره نشد: پوشه دیگری برگزینید.', detail: e.message });
    expect(errorLine(e, 'en')).toBe(`The PDF could not be saved there: choose another folder. (${e.message})`);
  });

  it('maps the other report codes to their own words', () => {
    const typeset = new ApiError('report_typeset', 'the report could not be typeset: error: unknown variable');
    expect(describeError(typeset, 'en').text).toMatch(/^The report could not be typeset\. This is a fault in Clausebook/);
    expect(describeError(typeset, 'en').detail).toBe(typeset.message);
    expect(describeError(new ApiError('report_pdf', 'the PDF could not be written: PDF/A-2b forbids …'), 'en').text).toMatch(/Try again without PDF\/A/);
    const empty = new ApiError('report_empty_brief', 'the brief covers nothing: choose agreements or clauses, or include overdue, due or recent progress');
    expect(describeError(empty, 'en').text).toBe(empty.message);
    expect(describeError(empty, 'fa').text).toMatch(/^گزارش هنوز چیزی در بر ندارد/);
    const gone = new ApiError('not_found', 'no agreement with id 0190: check the id');
    expect(describeError(gone, 'fa')).toEqual({ text: 'این مورد دیگر در دفتر نیست؛ شاید حذف شده باشد.', detail: gone.message });
  });

  it('places field errors by code, never by message', () => {
    expect(fieldForCode('duplicate_number', CLAUSE_FIELDS)).toBe('number');
    expect(fieldForCode('deadline_before_signing', CLAUSE_FIELDS)).toBe('deadline');
    expect(fieldForCode('empty_field', CLAUSE_FIELDS, () => 'text')).toBe('text');
    expect(fieldForCode('busy', CLAUSE_FIELDS)).toBeNull();
  });
});
