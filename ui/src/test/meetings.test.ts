/**
 * Meetings against the real core (through the IPC bridge; "today" is the
 * demo's, 2026-11-22): the dashboard lists the demo's planned meeting among
 * the next ones; on its page an agenda item records a new clause under the
 * item's clause, and once the meeting is held, applying it creates the
 * clause in the register.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', () => import('./core'));

import App from '../App.svelte';
import type { ClauseRow, Meeting, MeetingDetail } from '../lib/bindings';
import { paths } from '../lib/router.svelte';
import { ask, idle, reset as resetCore } from './core';
import { resetWindowState } from './window';

vi.setConfig({ testTimeout: 30_000 });
const SLOW = { timeout: 15_000 };

beforeEach(async () => {
  resetWindowState();
  await resetCore({ demo: true });
});
afterEach(async () => {
  await idle();
});

describe('meetings', () => {
  it('shows the next meeting on the dashboard, and a new clause decided there reaches the register', async () => {
    const meetings = await ask<Meeting[]>('meetings', { partner: null });
    const planned = meetings.find((m) => m.status === 'planned')!;
    expect(planned).toBeTruthy();

    history.replaceState(null, '', '/#/');
    render(App);
    const next = await screen.findByRole('heading', { level: 2, name: 'Next meetings' }, SLOW);
    const card = next.closest('section')!;
    await waitFor(() => expect(card.textContent).toContain(planned.title), SLOW);

    history.replaceState(null, '', `/#${paths.meeting(planned.id)}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { level: 1, name: planned.title }, SLOW);
    const detail = await ask<MeetingDetail>('meeting', { id: planned.id });
    const item = detail.agenda[0];
    const parent = item.clause!;

    const items = document.querySelectorAll<HTMLElement>('ol.agenda > li');
    await fireEvent.click(within(items[0]).getByRole('button', { name: 'Record an outcome' }));
    const form = items[0].querySelector('form')!;
    await fireEvent.change(within(form).getByLabelText('Outcome'), { target: { value: 'new_clause' } });
    await fireEvent.input(await within(form).findByLabelText('Number'), { target: { value: `${parent.number}.9` } });
    await fireEvent.input(within(form).getByLabelText('The new clause or action'), { target: { value: 'Joint report on the return visit' } });
    expect((within(form).getByLabelText(`Under clause ${parent.number}`) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await ask<MeetingDetail>('meeting', { id: planned.id })).agenda[0].outcomes).toHaveLength(1), SLOW);

    await fireEvent.click(await screen.findByRole('button', { name: 'Mark as held' }));
    const applyAll = await screen.findByRole('button', { name: /^Apply 1 changes/ }, SLOW);
    await fireEvent.click(applyAll);
    await waitFor(async () => {
      const rows = await ask<ClauseRow[]>('clause_rows', { agreementId: parent.agreement_id });
      const made = rows.find((r) => r.clause.number === `${parent.number}.9`);
      expect(made?.clause.parent_id).toBe(parent.id);
      expect(made?.latest_note?.text).toContain(planned.title);
    }, SLOW);
  });
});
