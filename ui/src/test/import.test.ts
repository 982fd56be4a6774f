/**
 * The import wizard and the spreadsheet exports against the real core
 * (through the IPC bridge, see core.ts), which reads every file written here
 * with node:fs and writes every export: the wizard end to end in English and
 * Persian (file, sheet, columns, destination, dry run, import, undo), a
 * file's problems in their row and column, a mapping remembered, an
 * export that reads back as unchanged, and an export's file on disk.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

const h = vi.hoisted(() => ({
  /** What the open dialog answers: a path, or null (cancelled). */
  file: null as string | null,
  openCalls: 0,
  /** What the save dialog answers for a suggested name: a path, or null (cancelled). */
  save: ((name: string) => name) as (name: string) => string | null,
  saveCalls: [] as { name: string; extension?: string }[],
  opened: [] as string[],
}));
vi.mock('@tauri-apps/api/core', () => import('./core'));
vi.mock('../lib/files', () => ({
  chooseSheetFile: async () => {
    h.openCalls += 1;
    return h.file;
  },
  chooseExportPath: async (name: string, extension: string) => {
    h.saveCalls.push({ name, extension });
    return h.save(name);
  },
  choosePdfPath: async (name: string) => {
    h.saveCalls.push({ name });
    return h.save(name);
  },
  openInViewer: async (path: string) => {
    h.opened.push(path);
  },
}));

import App from '../App.svelte';
import { app } from '../lib/app.svelte';
import type { Agreement, ClauseRow, ExportedFile, ImportPlan, Partner } from '../lib/bindings';
import { reportExport } from '../lib/export.svelte';
import { locale } from '../lib/locale.svelte';
import { toasts } from '../lib/toasts.svelte';
import { ui } from '../lib/ui.svelte';
import { ask, idle, reset as resetCore, sent } from './core';
import { resetWindowState } from './window';

// Whole walks through the wizard, and workbooks of the whole register, in a debug build of the core.
vi.setConfig({ testTimeout: 20_000 });

/** Where the test's files are: a fresh folder per test. */
let folder = '';

const box = { x: 0, y: 0, top: 0, left: 0, bottom: 900, right: 1200, width: 1200, height: 900, toJSON: () => ({}) };
Element.prototype.getBoundingClientRect = function () {
  return box as DOMRect;
};
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 900 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1200 });

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'clausebook-import-'));
  resetWindowState();
  h.file = null;
  h.openCalls = 0;
  // The dialog answers the suggested path, in the test's folder when it names none.
  h.save = (name) => (name.startsWith('/') ? name : `${folder}/${name}`);
  h.saveCalls = [];
  h.opened = [];
  localStorage.clear();
  history.replaceState(null, '', '/#/');
});
afterEach(async () => {
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  await idle();
  rmSync(folder, { recursive: true, force: true });
});

/** Writes a file for the open dialog to answer with. */
function sheetFile(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text, 'utf8');
  h.file = path;
  return path;
}

const agreements = () => ask<Agreement[]>('agreements', { partner: null });
const clauseRows = (agreementId: string) => ask<ClauseRow[]>('clause_rows', { agreementId });
/** A CSV file's rows and cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

/** The core's answers in a debug build can take a while (a whole register as a workbook). */
const SLOW = { timeout: 15_000 };
/** Waits for the dialog to close (the work it started is done). */
const closed = () => waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), SLOW);
const plans = () => sent.filter((c) => c.cmd === 'import_plan').map((c) => c.ok as ImportPlan | undefined);

/** An officer's action plan: row 3's deadline is no date, row 4's is a day Esfand 1404 does not have. */
const PLAN_CSV = [
  'No.,Clause,Our lead body,Deadline,Status,Remarks',
  '1,Exchange of rehabilitation experts,State Welfare Organization,2027-03-01,In progress,First visit agreed in October',
  '2,Joint training of social workers,Ministry of Labour,soon,Not started,',
  '3,Tele-rehabilitation pilot,State Welfare Organization,1404/12/30,,',
  '3.1,Equip two provincial centres,,,Not started,',
].join('\n');

/** The wizard's dialog, and its current step's heading. */
async function wizard(name: string | RegExp): Promise<HTMLElement> {
  return screen.findByRole('dialog', { name });
}
async function onStep(dialog: HTMLElement, heading: string): Promise<void> {
  await within(dialog).findByRole('heading', { level: 3, name: new RegExp(`${heading}$`) });
}
const next = (dialog: HTMLElement, label = 'Next') => fireEvent.click(within(dialog).getByRole('button', { name: label }));

describe('the import wizard', () => {
  it('imports an action plan on the first start, step by step, and undoes it', async () => {
    await resetCore();
    sheetFile('Action_plan 1405.csv', PLAN_CSV);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: /Import an action plan from Excel/ }));
    const dialog = await wizard('Import clauses from a spreadsheet');
    const steps = within(dialog).getByRole('list', { name: 'Steps of the import' });
    expect(within(steps).getAllByRole('listitem').map((li) => li.textContent?.trim())).toEqual(['1 File', '2 Sheet', '3 Columns', '4 Destination', '5 Check']);
    expect(within(steps).getByText('File').closest('li')?.getAttribute('aria-current')).toBe('step');
    expect((within(dialog).getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);

    // 1. The file: read by the core, then on to its sheet.
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await onStep(dialog, 'The sheet and its header row');
    expect(sent.find((c) => c.cmd === 'import_preview')?.args).toEqual({
      path: h.file,
      choice: { sheet: null, header_row: null, encoding: null },
    });
    // 2. The sheet: the header row found, the first rows as text, the encoding choosable for CSV.
    expect((within(dialog).getByLabelText('Header row') as HTMLInputElement).value).toBe('1');
    const table = within(dialog).getByRole('table');
    expect(within(table).getByRole('columnheader', { name: /Deadline/ })).toBeTruthy();
    const cell = within(table).getByText('Joint training of social workers');
    // User text keeps its own direction; the column's alignment is the interface's.
    expect(cell.getAttribute('dir')).toBe('auto');
    expect(within(table).getByText(/4 rows under the header/)).toBeTruthy();
    expect(within(dialog).getByLabelText('Encoding of the text')).toBeTruthy();
    await next(dialog);

    // 3. The columns, guessed from the heads; the text is required.
    await onStep(dialog, 'What each column holds');
    expect(within(dialog).getByText('Guessed from the column heads: check each one.')).toBeTruthy();
    const asText = within(dialog).getByRole('combobox', { name: 'Import as B Clause' }) as HTMLSelectElement;
    expect(asText.value).toBe('text');
    expect((within(dialog).getByRole('combobox', { name: 'Import as D Deadline' }) as HTMLSelectElement).value).toBe('deadline');
    expect((within(dialog).getByRole('combobox', { name: 'Import as F Remarks' }) as HTMLSelectElement).value).toBe('remarks');
    // A field already taken is not offered for another column.
    const deadlineForA = within(within(dialog).getByRole('combobox', { name: 'Import as A No.' })).getByRole('option', { name: /^Deadline/ }) as HTMLOptionElement;
    expect(deadlineForA.disabled).toBe(true);
    await fireEvent.change(asText, { target: { value: '' } });
    expect(within(dialog).getByText('Choose the column that holds the clause text.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.change(asText, { target: { value: 'text' } });
    await next(dialog);

    // 4. Where to: a new agreement with a new partner (the register has none yet).
    await onStep(dialog, 'Where the rows go');
    expect((within(dialog).getByRole('radio', { name: 'A new agreement' }) as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByRole('radio', { name: 'An agreement in the register' }) as HTMLInputElement).disabled).toBe(true);
    expect((within(dialog).getByLabelText('Title') as HTMLTextAreaElement).value).toBe('Action plan 1405');
    await next(dialog);
    expect(await within(dialog).findByText('This field is empty: please fill it in.')).toBeTruthy();
    await fireEvent.input(within(dialog).getByLabelText('Partner’s name in English'), { target: { value: 'Uzbekistan' } });
    await fireEvent.input(within(dialog).getByLabelText(/Partner’s name in Persian/), { target: { value: 'ازبکستان' } });
    const signed = within(dialog).getByLabelText(/Signed/);
    await fireEvent.input(signed, { target: { value: '2026-01-15' } });
    await fireEvent.blur(signed);
    await next(dialog);

    // 5. The dry run: counts, and each problem in its row and column.
    await onStep(dialog, 'What the import will do');
    await waitFor(() => expect(sent.find((c) => c.cmd === 'import_plan')?.err ?? plans()[0]).toBeTruthy(), SLOW);
    expect(sent.find((c) => c.cmd === 'import_plan')?.err).toBeUndefined();
    const plan = plans()[0]!;
    expect(plan).toMatchObject({ created: 4, updated: 0, unchanged: 0, skipped: 0, notes: 1, blocking: 0, droppable: 2 });
    const figure = (name: string) => within(dialog).getByText(name).closest('div')?.querySelector('dd')?.textContent;
    expect(figure('To add')).toBe('4');
    expect(figure('Notes')).toBe('1');
    const soon = within(dialog).getByText(/soon.? is not a date or a deadline after signing/).closest('li')!;
    expect(soon.textContent).toContain('Row 3, column D · Deadline');
    const esfand = within(dialog).getByText(/1404\/12\/30 does not exist: Esfand 1404 has 29 days/).closest('li')!;
    expect(esfand.textContent).toContain('Row 4, column D');
    expect(within(dialog).getByText('2 values could not be read.')).toBeTruthy();
    const importButton = within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement;
    expect(importButton.disabled).toBe(true);
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Import these rows without the values that could not be read' }));
    expect(importButton.disabled).toBe(false);
    await fireEvent.click(importButton);

    // Imported: the agreement opens with its clauses; Undo takes them back.
    await closed();
    expect(await screen.findByRole('heading', { level: 1, name: 'Action plan 1405' })).toBeTruthy();
    const toast = (await screen.findByText('Imported 4 clauses')).closest('li')!;
    expect(toast.textContent).toContain('Added 4, updated 0, unchanged 0.');
    const [created] = await agreements();
    expect(created.parties.map((p) => p.name)).toEqual(['Uzbekistan']);
    expect(created.signed_on).toBe('2026-01-15');
    const rows = await clauseRows(created.id);
    expect(rows.map((r) => r.clause.number)).toEqual(['1', '2', '3', '3.1']);
    expect(rows[0].clause).toMatchObject({ status: 'in_progress', deadline: { kind: 'on', date: '2027-03-01' }, our_lead: 'State Welfare Organization' });
    expect(rows[1].clause.deadline).toEqual({ kind: 'none' });
    expect(rows[3].clause.parent_id).toBe(rows[2].clause.id);
    expect(await screen.findByRole('combobox', { name: 'Status of clause 3.1' })).toBeTruthy();

    await fireEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    expect(await screen.findByText('Import undone: 4 clauses removed')).toBeTruthy();
    expect(await agreements()).toEqual([]);
  });

  it('walks through in Persian, into an existing partner’s new agreement, with the problems in Persian', async () => {
    await resetCore({ demo: true });
    await ask('update_settings', { patch: { ui_language: 'fa' } });
    const partners = await ask<Partner[]>('partners');
    const tajikistan = partners.find((p) => p.name === 'Tajikistan')!;
    sheetFile(
      'برنامه اقدام.csv',
      ['ردیف,شرح اقدام,دستگاه مسئول,مهلت اجرا,وضعیت', '۱,تبادل کارشناسان توانبخشی,سازمان بهزیستی,۱۴۰۵/۰۶/۳۱,در حال انجام', '۲,آموزش مددکاران اجتماعی,وزارت کار,به زودی,'].join('\n'),
    );
    history.replaceState(null, '', '/#/agreements');
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'وارد کردن' }));
    const dialog = await wizard('وارد کردن بندها از صفحه‌گسترده');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'انتخاب پرونده…' }));
    await onStep(dialog, 'کاربرگ و ردیف عنوان‌ها');
    expect(within(dialog).getByText('تبادل کارشناسان توانبخشی').getAttribute('dir')).toBe('auto');
    await next(dialog, 'بعدی');
    await onStep(dialog, 'هر ستون چه چیزی دارد');
    expect((within(dialog).getByRole('combobox', { name: 'وارد شود به عنوان B شرح اقدام' }) as HTMLSelectElement).value).toBe('text');
    await next(dialog, 'بعدی');
    await onStep(dialog, 'ردیف‌ها به کجا بروند');
    await fireEvent.change(within(dialog).getByLabelText('طرف همکاری'), { target: { value: tajikistan.id } });
    expect((within(dialog).getByRole('radio', { name: 'هجری شمسی' }) as HTMLInputElement).checked).toBe(true);
    await next(dialog, 'بعدی');
    await onStep(dialog, 'وارد کردن چه خواهد کرد');
    const problem = (await within(dialog).findByText(/«\u2068به زودی\u2069» تاریخ یا مهلتی پس از امضا نیست/)).closest('li')!;
    expect(problem.textContent).toContain('ردیف ۳، ستون D · مهلت');
    expect(within(dialog).getByText('۱ مقدار خوانده نشد.')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'این ردیف‌ها بدون مقدارهای ناخوانا وارد شوند' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'وارد کردن' }));
    expect(await screen.findByText('۲ بند وارد شد')).toBeTruthy();
    const imported = (await agreements()).find((a) => a.title === 'برنامه اقدام')!;
    expect(imported.parties.map((p) => p.partner_id)).toEqual([tajikistan.id]);
    expect(imported.calendar).toBe('persian');
    const rows = await clauseRows(imported.id);
    expect(rows.map((r) => [r.clause.number, r.clause.status])).toEqual([
      ['۱', 'in_progress'],
      ['۲', 'not_started'],
    ]);
    expect(rows[0].clause.deadline).toEqual({ kind: 'on', date: await ask<string>('parse_date', { text: '1405/06/31' }) });
  });

  it('reads a Persian right-to-left workbook (.xls) with a title row and merged groups', async () => {
    await resetCore({ demo: true });
    await ask('update_settings', { patch: { ui_language: 'fa' } });
    const tajikistan = (await ask<Partner[]>('partners')).find((p) => p.name === 'Tajikistan')!;
    // The core's own fixture: a title row merged over the header, the action areas merged over their rows.
    h.file = join(__dirname, '..', '..', '..', 'src-tauri', 'core', 'tests', 'fixtures', 'plan-fa.xls');
    history.replaceState(null, '', '/#/agreements');
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'وارد کردن' }));
    const dialog = await wizard('وارد کردن بندها از صفحه‌گسترده');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'انتخاب پرونده…' }));
    await onStep(dialog, 'کاربرگ و ردیف عنوان‌ها');
    // The title row above the heads is skipped; a binary workbook has no encoding to choose.
    expect((within(dialog).getByLabelText('ردیف عنوان‌ها') as HTMLInputElement).value).toBe('2');
    expect(within(dialog).queryByLabelText('کدگذاری نویسه‌ها')).toBeNull();
    expect(within(dialog).getAllByText('محور ۱: گفتگوی نهادی').length).toBe(2);
    await next(dialog, 'بعدی');
    await onStep(dialog, 'هر ستون چه چیزی دارد');
    expect((within(dialog).getByRole('combobox', { name: 'وارد شود به عنوان B محور' }) as HTMLSelectElement).value).toBe('group');
    await next(dialog, 'بعدی');
    await onStep(dialog, 'ردیف‌ها به کجا بروند');
    await fireEvent.change(within(dialog).getByLabelText('طرف همکاری'), { target: { value: tajikistan.id } });
    await next(dialog, 'بعدی');
    await onStep(dialog, 'وارد کردن چه خواهد کرد');
    await waitFor(() => expect(plans()[0]).toBeTruthy(), SLOW);
    expect(plans()[0]).toMatchObject({ created: 6, blocking: 0, droppable: 2 });
    const status = (await within(dialog).findByText(/«\u2068نامعلوم\u2069» وضعیت شناخته‌شده‌ای نیست/)).closest('li')!;
    expect(status.textContent).toContain('ردیف ۶، ستون F · وضعیت');
    const date = within(dialog).getByText(/اسفند ۱۴۰۴ ۲۹ روز دارد/).closest('li')!;
    expect(date.textContent).toContain('ردیف ۶، ستون E · مهلت');
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'این ردیف‌ها بدون مقدارهای ناخوانا وارد شوند' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'وارد کردن' }));
    expect(await screen.findByText('۶ بند وارد شد', {}, SLOW)).toBeTruthy();
    const imported = (await agreements()).find((a) => a.parties.some((p) => p.partner_id === tajikistan.id) && a.title === 'plan-fa')!;
    expect((await clauseRows(imported.id)).map((r) => [r.depth, r.clause.number])).toEqual([
      [0, '۱'],
      [1, '۱-۱'],
      [1, '۱-۲'],
      [0, '۲'],
      [1, '۲-۱'],
      [1, '۲-۲'],
    ]);
  });

  it('reads its own workbook export back as unchanged', async () => {
    await resetCore({ demo: true });
    const id = (await agreements()).find((a) => /Red Crescent Society and the Republic of Tajikistan/.test(a.title))!.id;
    h.file = join(folder, 'plan.xlsx');
    await ask<ExportedFile>('export_sheet', { scope: { agreement: id }, lang: 'fa', path: h.file });
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Import rows' }));
    const dialog = await wizard('Import rows into this agreement');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await onStep(dialog, 'The sheet and its header row');
    await next(dialog);
    await onStep(dialog, 'What each column holds');
    // Persian heads, read back as the fields they name.
    expect((within(dialog).getByRole('combobox', { name: /^Import as [A-Z] بند$/ }) as HTMLSelectElement).value).toBe('text');
    await next(dialog);
    await onStep(dialog, 'Where the rows go');
    await waitFor(() => expect((within(dialog).getByLabelText('Agreement') as HTMLSelectElement).value).toBe(id));
    await next(dialog);
    await onStep(dialog, 'What the import will do');
    await waitFor(() => expect(plans()[0]).toBeTruthy(), SLOW);
    const rows = (await clauseRows(id)).length;
    expect(plans()[0]).toMatchObject({ created: 0, updated: 0, unchanged: rows, blocking: 0, droppable: 0 });
  });

  it('refuses an import while a row must be fixed, and reads the fixed file again', async () => {
    await resetCore({ demo: true });
    const path = sheetFile('twice.csv', ['No.,Clause', '1,First clause', '1,The same number again'].join('\n'));
    const iom = (await ask<Partner[]>('partners')).find((p) => p.name.includes('IOM'))!;
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Import' }));
    const dialog = await wizard('Import clauses from a spreadsheet');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await onStep(dialog, 'The sheet and its header row');
    await next(dialog);
    await onStep(dialog, 'What each column holds');
    await next(dialog);
    await onStep(dialog, 'Where the rows go');
    // No partner is chosen for the officer.
    expect((within(dialog).getByLabelText('Partner') as HTMLSelectElement).value).toBe('');
    await next(dialog);
    expect(await within(dialog).findByText('This field is empty: please fill it in.')).toBeTruthy();
    await fireEvent.change(within(dialog).getByLabelText('Partner'), { target: { value: iom.id } });
    await next(dialog);
    await onStep(dialog, 'What the import will do');
    expect(await within(dialog).findByText(/must be fixed in the file before anything is imported/)).toBeTruthy();
    expect(within(dialog).getByText(/number 1 appears twice/i)).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);

    writeFileSync(path, ['No.,Clause', '1,First clause', '2,Another number now'].join('\n'), 'utf8');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Read the file again' }));
    expect(await within(dialog).findByText('Every value in the file can be read.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('removes the partner it recorded when closed without importing', async () => {
    await resetCore();
    sheetFile('plan.csv', PLAN_CSV);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: /Import an action plan from Excel/ }));
    const dialog = await wizard('Import clauses from a spreadsheet');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await onStep(dialog, 'The sheet and its header row');
    await next(dialog);
    await onStep(dialog, 'What each column holds');
    await next(dialog);
    await onStep(dialog, 'Where the rows go');
    await fireEvent.input(within(dialog).getByLabelText('Partner’s name in English'), { target: { value: 'IOM' } });
    await next(dialog);
    await onStep(dialog, 'What the import will do');
    await waitFor(() => expect(plans()[0]).toBeTruthy(), SLOW);
    expect(await ask<Partner[]>('partners')).toHaveLength(1);
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(async () => expect(await ask<Partner[]>('partners')).toEqual([]));
  });

  it('updates an agreement from its own export: unchanged rows stay, an edited status is an update, the mapping is remembered', async () => {
    await resetCore({ demo: true });
    const id = (await agreements()).find((a) => /Red Crescent Society and the Republic of Tajikistan/.test(a.title))!.id;
    const csv = join(folder, 'export.csv');
    await ask<ExportedFile>('export_sheet', { scope: { agreement: id }, lang: 'en', path: csv });
    // The officer marks clause 2 completed in the exported file.
    const table = parseCsv(readFileSync(csv, 'utf8').replace(/^\uFEFF/, ''));
    const status = table[0].indexOf('Status');
    const two = table.findIndex((r, i) => i > 0 && r[table[0].indexOf('No.')] === '2');
    const was = table[two][status];
    table[two][status] = 'Completed';
    writeFileSync(csv, toCsv(table), 'utf8');
    h.file = csv;

    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Import rows' }));
    const dialog = await wizard('Import rows into this agreement');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await onStep(dialog, 'The sheet and its header row');
    // The export's due-date columns are shown, and not imported.
    await next(dialog);
    await onStep(dialog, 'What each column holds');
    expect(within(dialog).getAllByText('Worked out by an export: not imported').length).toBeGreaterThan(0);
    await next(dialog);
    await onStep(dialog, 'Where the rows go');
    expect((within(dialog).getByRole('radio', { name: 'An agreement in the register' }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect((within(dialog).getByLabelText('Agreement') as HTMLSelectElement).value).toBe(id));
    expect(within(dialog).getByText(/Rows are matched on their clause number/)).toBeTruthy();
    await next(dialog);
    await onStep(dialog, 'What the import will do');
    await waitFor(() => expect(plans()[0]).toBeTruthy(), SLOW);
    const rows = (await clauseRows(id)).length;
    expect(was).not.toBe('Completed');
    expect(plans()[0]).toMatchObject({ created: 0, updated: 1, unchanged: rows - 1, blocking: 0, droppable: 0 });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Import' }));
    await closed();
    expect((await clauseRows(id)).find((r) => r.clause.number === '2')!.clause.status).toBe('completed');

    // The same layout again: the mapping is remembered.
    await fireEvent.click(await screen.findByRole('button', { name: 'Import rows' }));
    const again = await wizard('Import rows into this agreement');
    await fireEvent.click(within(again).getByRole('button', { name: 'Choose a file…' }));
    await onStep(again, 'The sheet and its header row');
    await next(again);
    expect(await within(again).findByText('Remembered from your last import of this layout.')).toBeTruthy();
  });

  it('shows a file’s cells as text, never as markup', async () => {
    await resetCore({ demo: true });
    const IMG = '<img src=x onerror=alert(1)>';
    sheetFile('markup.csv', ['No.,Clause,Our lead body', `1,"${IMG}",<script>alert(1)</script>`].join('\n'));
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Import' }));
    const dialog = await wizard('Import clauses from a spreadsheet');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    await onStep(dialog, 'The sheet and its header row');
    expect(within(dialog).getByText(IMG)).toBeTruthy();
    await next(dialog);
    await onStep(dialog, 'What each column holds');
    expect(within(dialog).getByText('<script>alert(1)</script>')).toBeTruthy();
    expect(document.querySelector('[role="dialog"] img, [role="dialog"] script')).toBeNull();
  });

  it('says why a file cannot be read, in both languages', async () => {
    await resetCore({ demo: true });
    sheetFile('minutes.docx', 'not a sheet');
    const { unmount } = render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Import' }));
    const dialog = await wizard('Import clauses from a spreadsheet');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Choose a file…' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(/docx/);
    expect(sent.find((c) => c.cmd === 'import_preview')?.err).toMatchObject({ code: 'unknown_format' });
    await onStep(dialog, 'Choose the file');
    unmount();

    await ask('update_settings', { patch: { ui_language: 'fa' } });
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'وارد کردن' }));
    const fa = await wizard('وارد کردن بندها از صفحه‌گسترده');
    await fireEvent.click(within(fa).getByRole('button', { name: 'انتخاب پرونده…' }));
    const faAlert = await within(fa).findByRole('alert');
    expect(faAlert.textContent?.trim()).toBe('پرونده‌های \u2068docx\u2069 وارد نمی‌شوند: پرونده اکسل، صفحه‌گسترده اُپن‌داکیومنت یا پرونده متنی جداشده با ویرگول برگزینید.');
  });
});

describe('exports', () => {
  it('exports an agreement as CSV, with a BOM and the vocabulary’s heads, and offers to open it', async () => {
    await resetCore({ demo: true });
    const id = (await agreements()).find((a) => /Red Crescent Society and the Republic of Tajikistan/.test(a.title))!.id;
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export this agreement' });
    expect(within(dialog).getAllByRole('radio', { name: /PDF report|Excel workbook|CSV file|Calendar/ })).toHaveLength(4);
    await fireEvent.click(within(dialog).getByRole('radio', { name: 'CSV file' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save CSV…' }));
    await closed();

    expect(h.saveCalls).toEqual([{ name: expect.stringMatching(/ – status 2026-11-22\.csv$/), extension: 'csv' }]);
    const path = `${folder}/${h.saveCalls[0].name}`;
    expect(sent.find((c) => c.cmd === 'export_sheet')?.args).toEqual({ scope: { agreement: id }, lang: 'en', path });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const heads = parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''))[0];
    expect(heads).toEqual(expect.arrayContaining(['No.', 'Clause', 'Our lead body', 'Partner’s lead body', 'Deadline', 'Status']));
    const toast = (await screen.findByText(/^Saved \d+ clauses: /)).closest('li')!;
    expect(toast.textContent).toContain(path);
    expect(h.opened).toEqual([]);
    await fireEvent.click(within(toast).getByRole('button', { name: 'Open' }));
    expect(h.opened).toEqual([path]);
  });

  it('exports the whole register as a workbook and a partner’s deadlines as a calendar, in Persian', async () => {
    await resetCore({ demo: true });
    await ask('update_settings', { patch: { ui_language: 'fa' } });
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'خروجی گرفتن' }));
    const register = await screen.findByRole('dialog', { name: 'خروجی گرفتن از همه دفتر' });
    // No PDF for the whole register: the meeting brief makes that one.
    expect(within(register).queryByRole('radio', { name: 'گزارش PDF' })).toBeNull();
    expect((within(register).getByRole('radio', { name: 'پرونده اکسل' }) as HTMLInputElement).checked).toBe(true);
    expect((within(register).getByRole('radio', { name: 'فارسی' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(within(register).getByRole('button', { name: 'ذخیره پرونده اکسل…' }));
    await closed();
    expect(h.saveCalls[0]).toEqual({ name: 'همه اسناد همکاری – وضعیت 1405-09-01.xlsx', extension: 'xlsx' });
    const xlsx = `${folder}/${h.saveCalls[0].name}`;
    expect(readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(sent.find((c) => c.cmd === 'export_sheet')?.args).toEqual({ scope: 'all', lang: 'fa', path: xlsx });

    const partners = await ask<Partner[]>('partners');
    const tj = partners.find((p) => p.name === 'Tajikistan')!;
    history.replaceState(null, '', `/#/partners/${tj.id}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { level: 1, name: 'تاجیکستان' });
    await fireEvent.click(await screen.findByRole('button', { name: 'خروجی گرفتن' }));
    const partner = await screen.findByRole('dialog', { name: 'خروجی گرفتن از اسناد همکاری با این طرف' });
    await fireEvent.click(within(partner).getByRole('radio', { name: 'تقویم' }));
    await fireEvent.click(within(partner).getByRole('button', { name: 'ذخیره تقویم…' }));
    await closed();
    // Offered in the folder the last export went to.
    expect(h.saveCalls[1]).toEqual({ name: `${folder}/تاجیکستان – 1405-09-01.ics`, extension: 'ics' });
    const ics = readFileSync(h.saveCalls[1].name, 'utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(await screen.findByText(/مهلت ذخیره شد/)).toBeTruthy();
  });

  it('adds the extension to a name typed without it, and shows a folder it cannot write to in the dialog', async () => {
    await resetCore({ demo: true });
    const id = (await agreements())[0].id;
    h.save = () => `${folder}/gone/for the minister`;
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export this agreement' });
    await fireEvent.click(within(dialog).getByRole('radio', { name: 'Excel workbook' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save workbook…' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(`The file could not be saved to \u2068${folder}/gone/for the minister.xlsx\u2069`);
    h.save = () => `${folder}/for the minister`;
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save workbook…' }));
    await closed();
    expect(existsSync(`${folder}/for the minister.xlsx`)).toBe(true);
  });
});
