/**
 * Test data builders for the pure-logic and component tests that need no
 * register: rows of a clause table, shaped as the bindings type them. Tests
 * that need the core ask the real one (core.ts). Test code only: app code
 * never imports from src/test.
 */
import type { Clause, ClauseRow, ClauseStatus, DueState } from '../lib/bindings';

let n = 0;
export function clause(over: Partial<Clause> = {}): Clause {
  n += 1;
  return {
    id: over.id ?? `c${n}`,
    agreement_id: 'a1',
    parent_id: null,
    position: n,
    number: String(n),
    text: 'Clause text',
    our_lead: null,
    partner_lead: null,
    deadline: { kind: 'none' },
    due_on: null,
    status: 'not_started',
    percent: null,
    indicator: null,
    tags: [],
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export function row(over: Partial<Clause> = {}, depth = 0, extra: Partial<ClauseRow> = {}): ClauseRow {
  const due: DueState = { state: 'no_deadline' };
  const moves = { up: false, down: false, indent: false, outdent: false };
  return { clause: clause(over), depth, latest_note: null, rollup: null, due, moves, ...extra };
}

/**
 * A small tree in depth-first order:
 *   1
 *     1.1
 *     1.2
 *       1.2.1
 *   2
 *   3
 */
export function smallTree(): ClauseRow[] {
  const s = (status: ClauseStatus) => status;
  return [
    row({ id: 'a', number: '1', status: s('in_progress') }, 0),
    row({ id: 'a1', number: '1.1', parent_id: 'a', status: s('completed'), tags: ['training'] }, 1),
    row({ id: 'a2', number: '1.2', parent_id: 'a', due_on: '2026-01-10' }, 1, { due: { state: 'overdue', days: 3 } }),
    row({ id: 'a21', number: '1.2.1', parent_id: 'a2', tags: ['visits'] }, 2),
    row({ id: 'b', number: '2', due_on: '2025-12-01' }, 0, { due: { state: 'overdue', days: 43 } }),
    row({ id: 'c', number: '3', tags: ['training'] }, 0),
  ];
}
