import { describe, expect, it } from 'vitest';
import type { ClauseRow } from '../lib/bindings';
import { allTags, applyChange, descendants, filterTree, moveTargets, parseTags, sortByDeadline, suggestNumber, NO_FILTER } from '../lib/tree';
import { row, smallTree } from './fixtures';

const ids = (xs: { row: { clause: { id: string } }; context: boolean }[]) => xs.map((x) => (x.context ? `(${x.row.clause.id})` : x.row.clause.id));

describe('a change the core answered, put into the table', () => {
  const rows = smallTree();
  const order = (xs: ClauseRow[]) => xs.map((r) => r.clause.id);

  it('replaces the changed rows and keeps the rest and their order', () => {
    const a = { ...rows[0], rollup: null, clause: { ...rows[0].clause, status: 'completed' as const } };
    const next = applyChange(rows, { clause: a.clause, rows: [a], order: null });
    expect(order(next)).toEqual(order(rows));
    expect(next[0]).toBe(a);
    expect(next.slice(1)).toEqual(rows.slice(1));
  });

  it('takes the core’s order after a move or a creation, new rows included', () => {
    const added = row({ id: 'd', number: '4' }, 0);
    const next = applyChange(rows, { clause: added.clause, rows: [added], order: ['b', 'a', 'a1', 'a2', 'a21', 'd', 'c'] });
    expect(order(next)).toEqual(['b', 'a', 'a1', 'a2', 'a21', 'd', 'c']);
    expect(next[5]).toBe(added);
  });

  it('offers as move targets neither the clause itself nor its sub-clauses', () => {
    expect([...descendants(rows, 'a')]).toEqual(['a1', 'a2', 'a21']);
    expect(moveTargets(rows, 'a').map((r) => r.clause.id)).toEqual(['b', 'c']);
    expect(moveTargets(rows, 'a2').map((r) => r.clause.id)).toEqual(['a', 'a1', 'b', 'c']);
  });
});

describe('filters and order', () => {
  const rows = smallTree();

  it('shows matches with their ancestors as context', () => {
    expect(ids(filterTree(rows, NO_FILTER))).toEqual(['a', 'a1', 'a2', 'a21', 'b', 'c']);
    expect(ids(filterTree(rows, { ...NO_FILTER, tag: 'visits' }))).toEqual(['(a)', '(a2)', 'a21']);
    expect(ids(filterTree(rows, { ...NO_FILTER, overdueOnly: true }))).toEqual(['(a)', 'a2', 'b']);
    expect(ids(filterTree(rows, { ...NO_FILTER, status: 'in_progress' }))).toEqual(['a']);
  });

  it('sorts by deadline, soonest first, none last', () => {
    expect(ids(sortByDeadline(rows, NO_FILTER))).toEqual(['b', 'a2', 'a', 'a1', 'a21', 'c']);
    expect(ids(sortByDeadline(rows, { ...NO_FILTER, tag: 'training' }))).toEqual(['a1', 'c']);
  });

  it('lists themes and reads them from text', () => {
    expect(allTags(rows)).toEqual(['training', 'visits']);
    expect(parseTags('Training, visits، exchange;training ,')).toEqual(['Training', 'visits', 'exchange', 'training']);
  });

  it('suggests the next number', () => {
    expect(suggestNumber(rows, null)).toBe('4');
    expect(suggestNumber(rows, 'a')).toBe('1.3');
    expect(suggestNumber(rows, 'a1')).toBe('1.1.1');
    expect(suggestNumber([], null)).toBe('1');
  });
});
