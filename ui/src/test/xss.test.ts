/**
 * User text is text, never markup: a clause and a note carrying HTML show
 * it literally, and no element comes of it (the note and panel test stores
 * them in the real core, through the IPC bridge, and shows what it returns).
 */
import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';

vi.mock('@tauri-apps/api/core', () => import('./core'));

import ClauseTableRow from '../components/ClauseTableRow.svelte';
import ClausePanel from '../components/ClausePanel.svelte';
import { api } from '../lib/api';
import { reset } from './core';
import { row } from './fixtures';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';

describe('user text is never HTML', () => {
  it('in a clause row', () => {
    const r = row(
      { text: IMG, number: SCRIPT, our_lead: SCRIPT, partner_lead: IMG, tags: [IMG], status: 'in_progress' },
      0,
      { latest_note: { on_date: '2026-11-01', author: SCRIPT, text: `${SCRIPT} ${IMG}` } },
    );
    const { container } = render(ClauseTableRow, { row: r, onstatus: () => {} });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(screen.getAllByText(IMG).length).toBeGreaterThan(0);
    expect(screen.getAllByText(SCRIPT).length).toBeGreaterThan(0);
    expect(container.textContent).toContain(`${SCRIPT} ${IMG}`);
  });

  it('in a note and the clause panel', async () => {
    await reset();
    const p = await api.createPartner({ kind: 'country', name: IMG, name_fa: null, name_local: SCRIPT, local_lang: 'tg' });
    const a = await api.createAgreement({
      kind: 'mou', title: SCRIPT, reference: null, our_signatory: null, parties: [p.id], calendar: 'gregorian',
      signed_on: null, in_force_from: null, in_force_until: null, status: 'signed', source: null, summary: null,
    });
    const { clause: c } = await api.createClause({
      agreement_id: a.id, parent_id: null, number: '1', text: IMG, our_lead: SCRIPT, partner_lead: null,
      deadline: { kind: 'none' }, status: 'not_started', percent: null, indicator: IMG, tags: [],
    });
    await api.addNote({ clause_id: c.id, on_date: '2026-11-01', author: null, text: SCRIPT, status_to: null });
    await api.addNote({ clause_id: c.id, on_date: '2026-11-02', author: null, text: IMG, status_to: 'in_progress' });
    const rows = await api.clauseRows(a.id);

    const { container } = render(ClausePanel, { agreement: a, row: rows[0], onclose: () => {}, onedit: () => {}, onchange: () => {} });
    await waitFor(() => expect(screen.getAllByText(SCRIPT).length).toBeGreaterThanOrEqual(2));
    expect(screen.getAllByText(IMG).length).toBeGreaterThanOrEqual(2);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
  });
});
