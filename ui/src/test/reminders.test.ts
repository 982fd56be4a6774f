/**
 * Deadline reminders against the real core (through the IPC bridge, see
 * core.ts; "today" is the demo's, 2026-11-22): the Dashboard's Today panel
 * lists what the core reminds of, overdue rows first with their stage chip;
 * snoozing one for a week takes it off the panel and out of the core's list,
 * and the toast says when it comes back; Settings turns the desktop
 * notifications off, and the core keeps it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', () => import('./core'));

import App from '../App.svelte';
import { app } from '../lib/app.svelte';
import type { Reminder, Settings } from '../lib/bindings';
import { dateText } from '../lib/dates';
import { locale } from '../lib/locale.svelte';
import { toasts } from '../lib/toasts.svelte';
import { ui } from '../lib/ui.svelte';
import { paths } from '../lib/router.svelte';
import { ask, idle, reset as resetCore, sent } from './core';
import { resetWindowState } from './window';

vi.setConfig({ testTimeout: 20_000 });
const SLOW = { timeout: 15_000 };

beforeEach(async () => {
  resetWindowState();
  await resetCore({ demo: true });
});
afterEach(async () => {
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  await idle();
});

const reminders = () => ask<Reminder[]>('reminders');
const settings = () => ask<Settings>('settings');

/** The Today card's rows, once the core has answered. */
async function todayRows(): Promise<HTMLElement[]> {
  const heading = await screen.findByRole('heading', { level: 2, name: 'Today' }, SLOW);
  const section = heading.closest('section')!;
  await waitFor(() => expect(section.querySelectorAll('li').length).toBeGreaterThan(0), SLOW);
  return [...section.querySelectorAll<HTMLElement>('li')];
}

describe('Today panel', () => {
  it('lists the reminders, overdue first, and a week’s snooze takes one off', async () => {
    history.replaceState(null, '', '/#/');
    const expected = await reminders();
    const overdue = expected.filter((r) => r.stage === 'overdue');
    expect(overdue.length).toBeGreaterThan(0);

    render(App);
    const rows = await todayRows();
    expect(rows).toHaveLength(expected.length);

    // The first row is the core's first reminder: overdue, its chip the vocabulary's word.
    const first = rows[0];
    const r = expected[0];
    expect(r.stage).toBe('overdue');
    expect(within(first).getByText('Overdue')).toBeTruthy();
    expect(within(first).getByText(r.number)).toBeTruthy();
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe(r.due_on);
    const link = first.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(`#${paths.clause(r.agreement_id, r.clause_id)}`);
    expect(first.textContent).toContain(r.agreement_title.slice(0, 30));

    await fireEvent.click(within(first).getByRole('button', { name: 'For a week' }));

    // The core left it out, the panel took it off, and the toast says when it comes back.
    await waitFor(async () => expect((await reminders()).map((x) => x.clause_id)).not.toContain(r.clause_id), SLOW);
    await waitFor(() => {
      const section = screen.getByRole('heading', { level: 2, name: 'Today' }).closest('section')!;
      expect(section.querySelectorAll('li')).toHaveLength(expected.length - 1);
    }, SLOW);
    const toast = toasts.list.find((x) => x.kind === 'success');
    expect(toast?.text).toBe(`Reminder of clause ${r.number} snoozed`);
    // The day the core answered, in both calendars.
    const call = sent.find((c) => c.cmd === 'snooze_reminder')!;
    expect(call.args).toEqual({ clauseId: r.clause_id, length: 'week' });
    expect(call.ok).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(toast?.detail).toBe(`It comes back on ${dateText(call.ok as string, 'both', 'en')}.`);
  });

  it('speaks Persian: the stage chip and snooze buttons in the vocabulary’s words', async () => {
    await ask('update_settings', { patch: { ui_language: 'fa' } });
    history.replaceState(null, '', '/#/');
    render(App);
    const heading = await screen.findByRole('heading', { level: 2, name: 'امروز' }, SLOW);
    const section = heading.closest('section')!;
    await waitFor(() => expect(section.querySelectorAll('li').length).toBeGreaterThan(0), SLOW);
    const first = section.querySelector('li')!;
    expect(within(first).getByText('دارای تأخیر')).toBeTruthy();
    expect(within(first).getByRole('button', { name: 'برای یک هفته' })).toBeTruthy();
    expect(within(first).getByRole('button', { name: 'برای یک روز' })).toBeTruthy();
  });
});

describe('Settings → Reminders', () => {
  it('turns desktop reminders off, and the core keeps it', async () => {
    expect((await settings()).reminders).toBe(true);
    history.replaceState(null, '', '/#/settings');
    render(App);
    const box = await screen.findByRole('switch', { name: 'Remind me of deadlines' }, SLOW);
    await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false));
    expect((box as HTMLInputElement).checked).toBe(true);
    expect(box.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(box.getAttribute('aria-describedby')!)?.textContent).toMatch(/every hour/);

    await fireEvent.click(box);
    await waitFor(async () => expect((await settings()).reminders).toBe(false), SLOW);
    await waitFor(() => expect(app.settings?.reminders).toBe(false));
    expect((box as HTMLInputElement).checked).toBe(false);
  });
});
