import { describe, expect, it } from 'vitest';
import { allTags, descendants, filterTree, indent, moveDown, moveTargets, moveUp, outdent, parseTags, sortByDeadline, suggestNumber, NO_FILTER } from '../lib/tree';
import { smallTree } from './fixtures';

const ids = (xs: { row: { clause: { id: string } }; context: boolean }[]) => xs.map((x) => (x.context ? `(${x.row.clause.id})` : x.row.clause.id));

describe('tree moves, as moveClause(parent, index) takes them', () => {
  const rows = smallTree();

  it('moves up and down among siblings', () => {
    expect(moveUp(rows, 'a')).toBeNull();
    expect(moveUp(rows, 'b')).toEqual({ parent: null, index: 0 });
    expect(moveUp(rows, 'a2')).toEqual({ parent: 'a', index: 0 });
    expect(moveDown(rows, 'a')).toEqual({ parent: null, index: 1 });
    expect(moveDown(rows, 'c')).toBeNull();
    expect(moveDown(rows, 'a1')).toEqual({ parent: 'a', index: 1 });
    expect(moveDown(rows, 'a2')).toBeNull();
  });

  it('indents under the sibling above, as its last sub-clause', () => {
    expect(indent(rows, 'a')).toBeNull();
    expect(indent(rows, 'b')).toEqual({ parent: 'a', index: null });
    expect(indent(rows, 'a2')).toEqual({ parent: 'a1', index: null });
    expect(indent(rows, 'a21')).toBeNull();
  });

  it('outdents to just after its former parent', () => {
    expect(outdent(rows, 'a')).toBeNull();
    expect(outdent(rows, 'a1')).toEqual({ parent: null, index: 1 });
    expect(outdent(rows, 'a21')).toEqual({ parent: 'a', index: 2 });
  });

  it('never offers a clause itself or its sub-clauses as a new parent', () => {
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
    expect(parseTags('Training, visits، exchange;training')).toEqual(['training', 'visits', 'exchange']);
  });

  it('suggests the next number', () => {
    expect(suggestNumber(rows, null)).toBe('4');
    expect(suggestNumber(rows, 'a')).toBe('1.3');
    expect(suggestNumber(rows, 'a1')).toBe('1.1.1');
    expect(suggestNumber([], null)).toBe('1');
  });
});
