/**
 * Export PDF against the real core (through the IPC bridge, see core.ts),
 * which typesets and writes every PDF into a fresh temporary folder, with the
 * file plugins mocked through lib/files: what each dialog sends
 * (ReportRequest, ReportOptions, path), a cancelled save dialog, the busy
 * state, and what errors show.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

const h = vi.hoisted(() => ({
  /** What the save dialog answers for a suggested name: a path, or null (cancelled). */
  save: ((name: string) => name) as (name: string) => string | null,
  saveCalls: [] as { name: string; title?: string }[],
  openFails: false,
  opened: [] as string[],
}));
vi.mock('@tauri-apps/api/core', () => import('./core'));
vi.mock('../lib/files', () => ({
  choosePdfPath: async (name: string, title?: string) => {
    h.saveCalls.push({ name, title });
    return h.save(name);
  },
  openInViewer: async (path: string) => {
    if (h.openFails) throw Object.assign(new Error('no viewer'), { code: 'ipc' });
    h.opened.push(path);
  },
}));

import App from '../App.svelte';
import { app } from '../lib/app.svelte';
import type { Agreement, ExportSummary, Partner, ReportOptions, ReportRequest } from '../lib/bindings';
import { reportExport } from '../lib/export.svelte';
import { locale } from '../lib/locale.svelte';
import { toasts } from '../lib/toasts.svelte';
import { ui } from '../lib/ui.svelte';
import { ask, delays, idle, reset as resetCore, sent } from './core';
import { resetWindowState } from './window';

/** Where the save dialog puts PDFs: a fresh folder per test, which the core really writes into. */
let documents = '';
/** A folder that is not there (a share gone offline): the core cannot write into it. */
let offline = '';

function reset() {
  resetWindowState();
  h.save = (name) => `${documents}/${name}`;
  h.saveCalls = [];
  h.openFails = false;
  h.opened = [];
  localStorage.clear();
}

const box = { x: 0, y: 0, top: 0, left: 0, bottom: 900, right: 1200, width: 1200, height: 900, toJSON: () => ({}) };
Element.prototype.getBoundingClientRect = function () {
  return box as DOMRect;
};
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 900 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1200 });

/** What the UI asked the core to export, in order. */
const exports = () =>
  sent.filter((c) => c.cmd === 'export_report').map((c) => c.args as { request: ReportRequest; options: ReportOptions; path: string });
/** What the core answered the export to `path`. */
const summaryOf = (path: string) => sent.find((c) => c.cmd === 'export_report' && c.args.path === path)?.ok as ExportSummary;
/** A real PDF was written at `path`. */
const isPdf = (path: string) => existsSync(path) && readFileSync(path).subarray(0, 5).toString('latin1') === '%PDF-';

const ACTION_PLAN = /^Action Plan for Cooperation between the State Welfare Organization/;
let agreements: Agreement[] = [];
let partners: Partner[] = [];
const agreementId = (title: RegExp) => agreements.find((a) => title.test(a.title))!.id;
const partnerId = (name: string) => partners.find((p) => p.name === name)!.id;

beforeEach(async () => {
  documents = mkdtempSync(join(tmpdir(), 'clausebook-export-'));
  offline = join(documents, 'share-offline');
  reset();
  await resetCore({ demo: true });
  await ask('update_settings', { patch: { officer_name: 'Maryam Tavakoli' } });
  agreements = await ask<Agreement[]>('agreements', { partner: null });
  partners = await ask<Partner[]>('partners');
  history.replaceState(null, '', '/#/');
});
afterEach(async () => {
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  // An export still typesetting finishes in its own test, before its folder goes.
  await idle();
  rmSync(documents, { recursive: true, force: true });
});

async function openAgreementExport(): Promise<HTMLElement> {
  history.replaceState(null, '', `/#/agreements/${agreementId(ACTION_PLAN)}`);
  render(App);
  await fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
  const dialog = await screen.findByRole('dialog', { name: 'Export this agreement' });
  // PDF is the format offered first.
  expect((within(dialog).getByRole('radio', { name: 'PDF report' }) as HTMLInputElement).checked).toBe(true);
  return dialog;
}

describe('agreement report', () => {
  it('sends the agreement with the interface language by default, saves where chosen and opens it', async () => {
    const dialog = await openAgreementExport();
    expect((within(dialog).getByRole('radio', { name: 'English' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    expect(h.saveCalls).toHaveLength(1);
    expect(h.saveCalls[0].name).toBe('Action Plan for Cooperation between the State Welfare Organization of Iran – status 2026-11-22.pdf');
    const path = `${documents}/${h.saveCalls[0].name}`;
    expect(exports()).toEqual([
      { request: { kind: 'agreement', id: agreementId(ACTION_PLAN) }, options: { lang: 'en', pdf_a: false, reference: null, attachments: null }, path },
    ]);
    expect(h.opened).toEqual([path]);
    expect(isPdf(path)).toBe(true);
    const saved = summaryOf(path);
    expect(await screen.findByText(`Saved ${saved.pages} pages: \u2068${path}\u2069`)).toBeTruthy();
    expect(reportExport.busy).toBe(false);
  });

  it('sends the chosen language, PDF/A and letterhead', async () => {
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('radio', { name: 'فارسی' }));
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'PDF/A for archiving' }));
    await fireEvent.input(within(dialog).getByLabelText(/Reference number/), { target: { value: ' ۱۴۰۵/۲۱۲/ب ' } });
    await fireEvent.input(within(dialog).getByLabelText(/Attachments/), { target: { value: 'Minutes of the 3rd joint committee' } });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(exports()[0].options).toEqual({ lang: 'fa', pdf_a: true, reference: '۱۴۰۵/۲۱۲/ب', attachments: 'Minutes of the 3rd joint committee' });
    // An English title in a Persian report: the day in Solar Hijri, no Persian word in the name.
    expect(h.saveCalls[0].name).toBe('Action Plan for Cooperation between the State Welfare Organization of Iran – 1405-09-01.pdf');
  });

  it('does nothing when the save dialog is cancelled', async () => {
    h.save = () => null;
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(h.saveCalls).toHaveLength(1));
    await waitFor(() => expect(reportExport.busy).toBe(false));
    expect(exports()).toEqual([]);
    expect(h.opened).toEqual([]);
    expect(toasts.list).toEqual([]);
    expect(within(dialog).queryByRole('alert')).toBeNull();
    // The dialog stays, ready to try again.
    expect(screen.getByRole('dialog', { name: 'Export this agreement' })).toBe(dialog);
  });

  it('adds .pdf to a name typed without it', async () => {
    h.save = () => `${documents}/for the minister`;
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(exports()[0].path).toBe(`${documents}/for the minister.pdf`);
    await waitFor(() => expect(h.opened).toHaveLength(1));
    expect(isPdf(`${documents}/for the minister.pdf`)).toBe(true);
  });

  it('refuses a second press while the PDF is being made', async () => {
    delays.export_report = 80;
    const dialog = await openAgreementExport();
    const save = within(dialog).getByRole('button', { name: 'Save PDF…' });
    await fireEvent.click(save);
    await waitFor(() => expect(reportExport.phase).toBe('typesetting'));
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(within(dialog).getByRole('status').textContent).toContain('Preparing the PDF…');
    expect(screen.getByRole('button', { name: 'Export' }).getAttribute('aria-busy')).toBe('true');
    await fireEvent.click(save);
    await fireEvent.click(save);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(h.saveCalls).toHaveLength(1);
    expect(exports()).toHaveLength(1);
  });

  it('goes on in the background when the dialog is closed, with a progress toast', async () => {
    delays.export_report = 80;
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(reportExport.phase).toBe('typesetting'));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Preparing the PDF…')).toBeTruthy();
    expect(await screen.findByText(/^Saved \d+ pages?: /)).toBeTruthy();
    expect(screen.queryByText('Preparing the PDF…')).toBeNull();
  });

  it('shows the saved path in the toast when the viewer does not open', async () => {
    h.openFails = true;
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    const toast = (await screen.findByText(/^Saved \d+ pages?: /)).closest('li')!;
    expect(toast.textContent).toContain(`${documents}/Action Plan for Cooperation`);
    expect(within(toast).getByText('The PDF viewer did not open it: open the file from its folder.')).toBeTruthy();
    expect(within(toast).getByRole('button', { name: 'Copy path' })).toBeTruthy();
  });
});

describe('export errors', () => {
  it('report_unwritable: the backend message plus "choose another folder", in the dialog', async () => {
    h.save = (name) => `${offline}/${name}`;
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(`The PDF could not be saved to \u2068${offline}/`);
    expect(alert.textContent).toContain('choose another folder or file name.');
    expect(alert.textContent).toContain(`cannot write ${offline}/Action Plan`);
    // The system's reason, as the core reported it.
    expect(alert.textContent).toMatch(/No such file or directory|os error \d+/);
    expect(h.opened).toEqual([]);
    // Choosing another folder then works from the same dialog.
    h.save = (name) => `${documents}/${name}`;
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(h.opened).toHaveLength(1);
  });

  it('report_unwritable in Persian', async () => {
    await ask('update_settings', { patch: { ui_language: 'fa' } });
    h.save = (name) => `${offline}/${name}`;
    history.replaceState(null, '', `/#/agreements/${agreementId(ACTION_PLAN)}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'خروجی گرفتن' }));
    const dialog = await screen.findByRole('dialog', { name: 'خروجی گرفتن از این سند' });
    expect((within(dialog).getByRole('radio', { name: 'فارسی' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'ذخیره PDF…' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(`پرونده PDF در \u2068${offline}/`);
    expect(alert.textContent).toContain('ذخیره نشد: پوشه یا نام دیگری برگزینید.');
    expect(alert.textContent).not.toMatch(/cannot write|No such file|os error/);
  });

  it('an error after the dialog closed goes to a toast', async () => {
    delays.export_report = 60;
    h.save = (name) => `${offline}/${name}`;
    const dialog = await openAgreementExport();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(reportExport.phase).toBe('typesetting'));
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(await screen.findByText(/^The PDF could not be saved to .*: choose another folder or file name\. \(cannot write/)).toBeTruthy();
  });

  it('not_found: the agreement was deleted meanwhile', async () => {
    const dialog = await openAgreementExport();
    const id = agreementId(ACTION_PLAN);
    await ask('delete_agreement', { id });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(`No agreement with id ${id}`);
  });
});

describe('partner report', () => {
  it('sends the partner and names the file after it', async () => {
    const id = partnerId('Tajikistan');
    history.replaceState(null, '', `/#/partners/${id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export the agreements with this partner' });
    expect(within(dialog).getByText('Tajikistan')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(exports()[0].request).toEqual({ kind: 'partner', id });
    expect(h.saveCalls[0].name).toBe('Tajikistan – status 2026-11-22.pdf');
  });

  it('names a Persian report after the Persian name', async () => {
    history.replaceState(null, '', `/#/partners/${partnerId('Tajikistan')}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export the agreements with this partner' });
    await fireEvent.click(within(dialog).getByRole('radio', { name: 'فارسی' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(h.saveCalls[0].name).toBe('تاجیکستان – وضعیت 1405-09-01.pdf');
  });
});

describe('meeting brief', () => {
  async function openBrief(): Promise<HTMLElement> {
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: 'Meeting brief' }));
    const dialog = await screen.findByRole('dialog', { name: 'Prepare a meeting brief' });
    await within(dialog).findAllByRole('checkbox', { name: /Memorandum|Action Plan|Enhancing/ });
    return dialog;
  }

  it('opens from the sidebar too', async () => {
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    await fireEvent.click(within(nav).getByRole('button', { name: 'Meeting brief' }));
    expect(await screen.findByRole('dialog', { name: 'Prepare a meeting brief' })).toBeTruthy();
  });

  it('says the brief covers nothing before calling the core', async () => {
    const dialog = await openBrief();
    const overdue = within(dialog).getByRole('checkbox', { name: 'Overdue clauses' }) as HTMLInputElement;
    expect(overdue.checked).toBe(true);
    await fireEvent.click(overdue);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The brief covers nothing yet');
    expect(h.saveCalls).toEqual([]);
    expect(exports()).toEqual([]);
  });

  it('sends the overdue section alone by default', async () => {
    const dialog = await openBrief();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(exports()[0].request).toEqual({
      kind: 'brief', agreements: [], clauses: [], partner: null, due_before: null, progress_since: null, overdue: true, title: null,
    });
    expect(h.saveCalls[0].name).toBe('Meeting brief – 2026-11-22.pdf');
  });

  it('sends the chosen agreements, partner, dates (either calendar) and title', async () => {
    const dialog = await openBrief();
    const tj = partnerId('Tajikistan');
    await fireEvent.change(within(dialog).getByLabelText('For partner'), { target: { value: tj } });
    // The checklist follows the partner: Tajikistan's three agreements (one shared with others).
    const boxes = within(dialog).getAllByRole('checkbox', { name: /Memorandum|Action Plan|Enhancing/ });
    expect(boxes).toHaveLength(3);
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: ACTION_PLAN }));
    const due = within(dialog).getByLabelText(/Clauses due by/);
    await fireEvent.input(due, { target: { value: '۱۴۰۵/۱۰/۱۵' } });
    await fireEvent.blur(due);
    const since = within(dialog).getByLabelText(/Progress recorded since/);
    await fireEvent.input(since, { target: { value: '2026-10-01' } });
    await fireEvent.blur(since);
    await fireEvent.input(within(dialog).getByLabelText(/^Title/), { target: { value: 'Joint committee, 3rd session' } });
    await fireEvent.click(within(dialog).getByRole('radio', { name: 'فارسی' }));
    expect(within(dialog).getByText('1 chosen')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(exports()[0].request).toEqual({
      kind: 'brief',
      agreements: [agreementId(ACTION_PLAN)],
      clauses: [],
      partner: tj,
      due_before: '2027-01-05',
      progress_since: '2026-10-01',
      overdue: true,
      title: 'Joint committee, 3rd session',
    });
    expect(exports()[0].options.lang).toBe('fa');
    expect(h.saveCalls[0].name).toBe('Joint committee, 3rd session – 1405-09-01.pdf');
  });

  it('keeps ticked agreements when the list shows another partner’s', async () => {
    const dialog = await openBrief();
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: ACTION_PLAN }));
    await fireEvent.change(within(dialog).getByLabelText('Show agreements with'), { target: { value: partnerId('Uzbekistan') } });
    expect(within(dialog).getByText('1 chosen (1 not in this list)')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Tick all listed' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    await waitFor(() => expect(exports()).toHaveLength(1));
    const request = exports()[0].request as Extract<ReportRequest, { kind: 'brief' }>;
    expect(request.agreements).toHaveLength(3);
    expect(request.agreements).toContain(agreementId(ACTION_PLAN));
    expect(request.partner).toBeNull();
  });

  it('does not export with a date that does not exist', async () => {
    const dialog = await openBrief();
    const due = within(dialog).getByLabelText(/Clauses due by/);
    await fireEvent.input(due, { target: { value: '1404/12/30' } });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save PDF…' }));
    expect(await within(dialog).findByText(/Esfand 1404 has 29 days/)).toBeTruthy();
    expect(h.saveCalls).toEqual([]);
  });
});
