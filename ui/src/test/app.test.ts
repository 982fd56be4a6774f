/**
 * The app against the real core (through the IPC bridge, see core.ts): first
 * start, the dashboard, the agreement table (inline status, delete with
 * undo), search, history, language.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', () => import('./core'));

import App from '../App.svelte';
import { app } from '../lib/app.svelte';
import type { Agreement, ClauseChange, ClauseRow, Partner, Settings } from '../lib/bindings';
import { locale } from '../lib/locale.svelte';
import { navigate, paths } from '../lib/router.svelte';
import { ui } from '../lib/ui.svelte';
import { toasts } from '../lib/toasts.svelte';
import { ask, bigAgreement, reset as resetCore, sent } from './core';
import { resetWindowState } from './window';

function reset() {
  resetWindowState();
}

// jsdom lays nothing out: give elements a window-sized box so the
// virtualised table has room to render its rows.
const box = { x: 0, y: 0, top: 0, left: 0, bottom: 900, right: 1200, width: 1200, height: 900, toJSON: () => ({}) };
Element.prototype.getBoundingClientRect = function () {
  return box as DOMRect;
};
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 900 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1200 });

beforeEach(() => {
  reset();
  history.replaceState(null, '', '/#/');
});
afterEach(() => {
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
});

const settings = () => ask<Settings>('settings');
const agreements = () => ask<Agreement[]>('agreements', { partner: null });
const agreementId = async (title: RegExp) => (await agreements()).find((a) => title.test(a.title))!.id;
const clauseRows = (agreementId: string) => ask<ClauseRow[]>('clause_rows', { agreementId });
const clauseNumbered = async (agreementId: string, number: string) =>
  (await clauseRows(agreementId)).find((r) => r.clause.number === number)!.clause;
const updateSettings = (patch: Partial<Settings>) => ask('update_settings', { patch });
const TAJIK_PLAN = /Red Crescent Society and the Republic of Tajikistan/;

describe('first start', () => {
  beforeEach(() => resetCore());

  it('explains Clausebook and loads the demo', async () => {
    render(App);
    expect(await screen.findByRole('heading', { name: 'Welcome to Clausebook' })).toBeTruthy();
    await fireEvent.input(screen.getByLabelText(/Your name/), { target: { value: 'Reza Karimi' } });
    await fireEvent.click(screen.getByRole('button', { name: /Load demo data/ }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Open Tajikistan' })).toBeTruthy();
    expect((await settings()).officer_name).toBe('Reza Karimi');
    expect(await agreements()).toHaveLength(6);
  });

  it('offers an empty register with the first partner form', async () => {
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: /Start with an empty register/ }));
    const dialog = await screen.findByRole('dialog', { name: 'New partner' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    // Client-side check first: the name is required.
    expect(await within(dialog).findByText('This field is empty: please fill it in.')).toBeTruthy();
    await fireEvent.input(within(dialog).getByLabelText('Name in English'), { target: { value: 'Uzbekistan' } });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect(await ask<Partner[]>('partners')).toHaveLength(1));
    expect(await screen.findByRole('heading', { name: 'Uzbekistan', level: 1 })).toBeTruthy();
  });
});

describe('with the demo register', () => {
  beforeEach(async () => {
    await resetCore({ demo: true });
    await updateSettings({ officer_name: 'Maryam Tavakoli' });
  });

  it('changes a status inline, from the row', async () => {
    const id = await agreementId(TAJIK_PLAN);
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    const select = await screen.findByRole('combobox', { name: 'Status of clause 3' });
    await fireEvent.change(select, { target: { value: 'on_hold' } });
    await waitFor(async () => expect((await clauseNumbered(id, '3')).status).toBe('on_hold'));
    expect(await screen.findByText('Clause 3: On hold')).toBeTruthy();
  });

  it('moves, edits and notes a clause with the core’s answer, never reading the table again', async () => {
    const id = await agreementId(TAJIK_PLAN);
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await screen.findByRole('combobox', { name: 'Status of clause 1' });
    const rows = () => [...document.querySelectorAll<HTMLElement>('[role="row"][data-clause-id]')];
    const shown = () => rows().map((r) => r.querySelector('.number')?.textContent);
    // The table is virtualised: the rows on screen are the first of the core's.
    const numbers = async () => (await clauseRows(id)).map((r) => r.clause.number).slice(0, shown().length);
    sent.length = 0;

    // Alt+↓ on clause 1: the core moves it and answers with the new order.
    const one = rows().find((r) => r.querySelector('.number')?.textContent === '1')!;
    one.focus();
    await fireEvent.keyDown(one, { key: 'ArrowDown', altKey: true });
    await screen.findByText('Clause 1 moved');
    expect(sent.find((c) => c.cmd === 'move_clause')?.args).toMatchObject({ to: { to: 'down' } });
    await waitFor(async () => expect(shown()).toEqual(await numbers()));
    expect(shown().indexOf('2')).toBeLessThan(shown().indexOf('1'));

    // A status changed inline: its parent's roll-up follows from the answer.
    const select = screen.getByRole('combobox', { name: 'Status of clause 3' });
    await fireEvent.change(select, { target: { value: 'completed' } });
    await screen.findByText('Clause 3: Completed');

    // A note from the clause's panel shows in the table's latest-note column.
    navigate(paths.clause(id, (await clauseNumbered(id, '2')).id));
    const panel = await screen.findByRole('textbox', { name: /What happened/ });
    await fireEvent.input(panel, { target: { value: 'Agreed at the joint commission.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await screen.findByText('Note added');
    await waitFor(() => expect(screen.getAllByText('Agreed at the joint commission.').length).toBeGreaterThan(1));

    const reads = sent.filter((c) => c.cmd === 'clause_rows' || c.cmd === 'agreement');
    expect(reads, 'no change read the whole table again').toEqual([]);
    expect(shown()).toEqual(await numbers());
  });

    it('deletes a clause and its sub-clauses after confirming, and undoes it', async () => {
    const id = await agreementId(TAJIK_PLAN);
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await screen.findByRole('combobox', { name: 'Status of clause 3' });
    const three = [...document.querySelectorAll<HTMLElement>('[role="row"][data-clause-id]')].find((r) => r.querySelector('.number')?.textContent === '3')!;
    three.focus();
    await fireEvent.keyDown(three, { key: 'Delete' });
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete clause 3?' });
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await screen.findByText('Clause 3 and its sub-clauses deleted');
    const live = async () => (await clauseRows(id)).length;
    expect(await live()).toBe(8);
    await fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(async () => expect(await live()).toBe(11));
  });

  it('checks a date through the core and confirms it in both calendars', async () => {
    const id = await agreementId(TAJIK_PLAN);
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('button', { name: /Add clause/ }));
    const dialog = await screen.findByRole('dialog', { name: 'New clause' });
    const deadline = within(dialog).getByLabelText(/Deadline/);
    await fireEvent.input(deadline, { target: { value: '1404/12/30' } });
    await fireEvent.blur(deadline);
    expect(await within(dialog).findByText(/Esfand 1404 has 29 days/)).toBeTruthy();
    await fireEvent.input(deadline, { target: { value: '۱۴۰۴/۰۳/۱۵' } });
    await fireEvent.blur(deadline);
    expect(await within(dialog).findByText(/5 Jun 2025 · 15 Khordad 1404/)).toBeTruthy();
  });

  it('searches from anywhere with Ctrl+K, grouped by partner', async () => {
    render(App);
    await screen.findByRole('heading', { name: 'Dashboard' });
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const box = await screen.findByRole('combobox', { name: 'Search agreements, clauses and notes' });
    await fireEvent.input(box, { target: { value: 'tele-rehabilitation' } });
    const list = await screen.findByRole('listbox');
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBeGreaterThan(0));
    expect(within(list).getByText('Tajikistan')).toBeTruthy();
    await fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(location.hash).toMatch(/^#\/agreements\//));
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('highlights no clause row until the user selects one, and keeps one row reachable with Tab', async () => {
    const id = await agreementId(TAJIK_PLAN);
    history.replaceState(null, '', `/#/agreements/${id}`);
    render(App);
    await screen.findByRole('combobox', { name: 'Status of clause 1' });
    const rows = () => [...document.querySelectorAll<HTMLElement>('[role="row"][data-clause-id]')];
    expect(rows().filter((r) => r.classList.contains('selected'))).toHaveLength(0);
    expect(rows().filter((r) => r.tabIndex === 0)).toHaveLength(1);
    expect(rows()[0].tabIndex).toBe(0);
    rows()[0].focus();
    await waitFor(() => expect(rows()[0].classList.contains('selected')).toBe(true));
  });

  it('shows a status changed with a note as old → new in the history, in a sensible order', async () => {
    await updateSettings({ officer_name: '' });
    const id = await agreementId(TAJIK_PLAN);
    // A clause the officer added: the demo's clauses came in by import, and
    // an imported clause's history begins with the import (the next test).
    const { clause } = await ask<ClauseChange>('create_clause', {
      newClause: {
        agreement_id: id, parent_id: null, number: '90', text: 'Exchange of rehabilitation experts', our_lead: 'State Welfare Organization',
        partner_lead: null, deadline: { kind: 'none' }, status: 'in_progress', percent: null, indicator: null, tags: [],
      },
    });
    await ask('add_note', { newNote: { clause_id: clause.id, on_date: '2026-11-20', author: null, text: 'Done.', status_to: 'completed' } });
    history.replaceState(null, '', `/#/agreements/${id}/clauses/${clause.id}`);
    render(App);
    await fireEvent.click(await screen.findByRole('tab', { name: /History/ }));
    const panel = await screen.findByRole('tabpanel');
    const entries = await within(panel).findAllByRole('listitem');
    const note = entries[0];
    expect(note.textContent).toContain('Note · created');
    expect(within(note).getAllByText('(officer not set)').length).toBeGreaterThan(0);
    const status = [...note.querySelectorAll('.changes li')].find((li) => li.querySelector('.f')?.textContent === 'Status')!;
    expect(status.querySelector('.old')?.textContent).toBe('In progress');
    expect(status.querySelector('.new')?.textContent).toBe('Completed');
    // The clause's creation: short fields only, number first, not alphabetical.
    const created = entries.find((li) => li.textContent?.includes('Clause · created'))!;
    const fields = [...created.querySelectorAll('.changes li .f')].map((f) => f.textContent);
    expect(fields[0]).toBe('Number');
    expect(fields.indexOf('Status')).toBeLessThan(fields.indexOf('Our lead body'));
    expect(created.querySelector('.old')).toBeNull();
  });

  it('sets a clause’s own first reminder, refuses one out of range with the core’s limit, and returns to the default', async () => {
    const id = await agreementId(TAJIK_PLAN);
    const { clause } = await ask<ClauseChange>('create_clause', {
      newClause: {
        agreement_id: id, parent_id: null, number: '91', text: 'Joint review of the action plan', our_lead: null,
        partner_lead: null, deadline: { kind: 'on', date: '2027-06-30' }, status: 'not_started', percent: null, indicator: null, tags: [],
      },
    });
    history.replaceState(null, '', `/#/agreements/${id}/clauses/${clause.id}`);
    render(App);
    expect(await screen.findByText('30, 7, and 1 days before the deadline')).toBeTruthy();
    await fireEvent.click(await screen.findByRole('button', { name: 'Change reminders' }));
    const days = await screen.findByLabelText('First reminder, in days before the deadline');
    // Out of range: the core refuses and says its limit.
    await fireEvent.input(days, { target: { value: '400' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/^The first reminder must come between 1 and 365 days before the deadline, not 400\.$/)).toBeTruthy();
    // Typed in Persian digits: 90 days, and the shorter defaults follow.
    await fireEvent.input(days, { target: { value: '۹۰' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('90, 30, 7, and 1 days before the deadline')).toBeTruthy();
    expect((await ask<{ own: number | null }>('reminder_lead', { clauseId: clause.id })).own).toBe(90);
    await fireEvent.click(await screen.findByRole('tab', { name: /History/ }));
    const panel = await screen.findByRole('tabpanel');
    const change = (await within(panel).findAllByText('First reminder (days before the deadline)'))[0].closest('li')!;
    expect(change.querySelector('.new')?.textContent).toBe('90');
    await fireEvent.click(screen.getByRole('button', { name: 'Change reminders' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Use the default' }));
    expect(await screen.findByText('30, 7, and 1 days before the deadline')).toBeTruthy();
    expect((await ask<{ own: number | null }>('reminder_lead', { clauseId: clause.id })).own).toBeNull();
  });

  it('begins an imported clause’s history with the import, in both languages', async () => {
    // Imported for real, through the core's bulk path: the agreement's import
    // row, which the clause names in its import_id, begins its history.
    const id = await bigAgreement(120);
    const three = await clauseNumbered(id, '3');
    history.replaceState(null, '', `/#/agreements/${id}/clauses/${three.id}`);
    const { unmount } = render(App);
    await fireEvent.click(await screen.findByRole('tab', { name: /History/ }));
    const panel = await screen.findByRole('tabpanel');
    // Newest first: the import, the oldest entry, comes last.
    const first = (await within(panel).findAllByRole('listitem')).filter((li) => li.closest('.changes') === null).at(-1)!;
    expect(first.textContent).toContain('Agreement · imported');
    const count = first.querySelector('.changes li')!;
    expect(count.querySelector('.f')?.textContent).toBe('Clauses');
    expect(count.querySelector('.old')).toBeNull();
    expect(count.textContent).toContain('120');
    unmount();

    await updateSettings({ ui_language: 'fa' });
    render(App);
    await fireEvent.click(await screen.findByRole('tab', { name: /تاریخچه/ }));
    const fa = (await within(await screen.findByRole('tabpanel')).findAllByRole('listitem')).filter((li) => li.closest('.changes') === null).at(-1)!;
    expect(fa.textContent).toContain('سند · وارد کرد');
    expect(fa.querySelector('.changes li .f')?.textContent).toBe('بندها');
  });

  it('translates the unset-officer sentinel in Persian', async () => {
    await updateSettings({ officer_name: '', ui_language: 'fa' });
    const id = await agreementId(TAJIK_PLAN);
    const three = await clauseNumbered(id, '3');
    await ask('add_note', { newNote: { clause_id: three.id, on_date: '2026-11-20', author: null, text: 'انجام شد.', status_to: null } });
    history.replaceState(null, '', `/#/agreements/${id}/clauses/${three.id}`);
    render(App);
    expect((await screen.findAllByText('(نام کارشناس تنظیم نشده)')).length).toBeGreaterThan(0);
    expect(screen.queryByText('(officer not set)')).toBeNull();
  });

  it('puts the separator between a partner’s other names, outside their isolated spans', async () => {
    render(App);
    const card = await screen.findByRole('link', { name: 'Open Tajikistan' });
    const others = card.querySelector('.others')!;
    const items = [...others.children].map((el) => [el.getAttribute('dir'), el.textContent]);
    expect(items).toEqual([
      ['auto', 'تاجیکستان'],
      [null, '·'],
      ['auto', 'Тоҷикистон'],
    ]);
  });

  it('switches to Persian at once, mirrors the layout and remembers it', async () => {
    render(App);
    await screen.findByRole('heading', { name: 'Dashboard' });
    await fireEvent.click(screen.getByRole('button', { name: 'Switch the interface to Persian' }));
    expect(await screen.findByRole('heading', { name: 'پیشخوان' })).toBeTruthy();
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('fa');
    await waitFor(async () => expect((await settings()).ui_language).toBe('fa'));
    // Counts in Persian digits.
    expect(screen.getAllByText('۶۹').length).toBeGreaterThan(0);
  });
});
