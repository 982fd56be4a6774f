/**
 * The clause tree as the table sees it: rows in depth-first order, as
 * clauseRows returns them. Moves are the core's: a row says which one-step
 * moves it can make (`row.moves`), the UI sends the move it means
 * (`{ to: 'up' }`, `{ to: 'under', parent, index }`), and the core answers
 * with the rows that changed and the new order, which {@link applyChange}
 * puts in place. Nothing here works out a position.
 */
import type { ClauseChange, ClauseRow, ClauseStatus } from './bindings';

/**
 * The rows after a change the core reported: each changed row replaced, a
 * new one added, and the core's order when it gave one (a creation, a move).
 */
export function applyChange(rows: ClauseRow[], change: ClauseChange): ClauseRow[] {
  const byId = new Map(rows.map((r) => [r.clause.id, r]));
  for (const r of change.rows) byId.set(r.clause.id, r);
  const order = change.order ?? rows.map((r) => r.clause.id);
  const out: ClauseRow[] = [];
  for (const id of order) {
    const r = byId.get(id);
    if (r) out.push(r);
  }
  return out;
}

/** Parent and sibling lists of a row array, built once per array. */
interface TreeIndex {
  byId: Map<string, ClauseRow>;
  parent: Map<string, string | null>;
  children: Map<string | null, ClauseRow[]>;
}

const indexes = new WeakMap<ClauseRow[], TreeIndex>();

function indexOf(rows: ClauseRow[]): TreeIndex {
  let ix = indexes.get(rows);
  if (ix) return ix;
  const byId = new Map(rows.map((r) => [r.clause.id, r]));
  const parent = new Map<string, string | null>();
  const children = new Map<string | null, ClauseRow[]>();
  for (const r of rows) {
    // A row whose parent is gone counts as top level, as in the core.
    const p = r.clause.parent_id && byId.has(r.clause.parent_id) ? r.clause.parent_id : null;
    parent.set(r.clause.id, p);
    let list = children.get(p);
    if (!list) children.set(p, (list = []));
    list.push(r);
  }
  ix = { byId, parent, children };
  indexes.set(rows, ix);
  return ix;
}

/** The live parent of a row. */
export function parentOf(rows: ClauseRow[], id: string): string | null {
  return indexOf(rows).parent.get(id) ?? null;
}

/** Ids of every clause below `id`. */
export function descendants(rows: ClauseRow[], id: string): Set<string> {
  const out = new Set<string>();
  const start = rows.findIndex((r) => r.clause.id === id);
  if (start < 0) return out;
  // Depth-first order: the sub-tree is the run of deeper rows after it.
  const depth = rows[start].depth;
  for (let i = start + 1; i < rows.length && rows[i].depth > depth; i++) out.add(rows[i].clause.id);
  return out;
}

/** Clauses `id` may be moved under: not itself, not below itself. */
export function moveTargets(rows: ClauseRow[], id: string): ClauseRow[] {
  const below = descendants(rows, id);
  return rows.filter((r) => r.clause.id !== id && !below.has(r.clause.id));
}

export interface ClauseFilter {
  status: ClauseStatus | null;
  overdueOnly: boolean;
  tag: string | null;
}

export const NO_FILTER: ClauseFilter = { status: null, overdueOnly: false, tag: null };

export function isFiltering(f: ClauseFilter): boolean {
  return f.status !== null || f.overdueOnly || f.tag !== null;
}

export function matches(row: ClauseRow, f: ClauseFilter): boolean {
  if (f.status && row.clause.status !== f.status) return false;
  if (f.overdueOnly && row.due.state !== 'overdue') return false;
  if (f.tag && !row.clause.tags.includes(f.tag)) return false;
  return true;
}

export interface ShownRow {
  row: ClauseRow;
  /** Shown only so that a matching sub-clause keeps its place in the tree. */
  context: boolean;
}

/**
 * The rows a filter shows, in tree order: every match, and the ancestors of
 * matches as context (dimmed), so "2.3" is still seen under "2".
 */
export function filterTree(rows: ClauseRow[], f: ClauseFilter): ShownRow[] {
  if (!isFiltering(f)) return rows.map((row) => ({ row, context: false }));
  const byId = new Map(rows.map((r) => [r.clause.id, r]));
  const keep = new Map<string, boolean>(); // id -> context?
  for (const r of rows) {
    if (!matches(r, f)) continue;
    keep.set(r.clause.id, false);
    let p = r.clause.parent_id;
    while (p && byId.has(p) && !keep.has(p)) {
      keep.set(p, true);
      p = byId.get(p)!.clause.parent_id;
    }
  }
  return rows.filter((r) => keep.has(r.clause.id)).map((row) => ({ row, context: keep.get(row.clause.id)! }));
}

/** Matches only, soonest deadline first; no deadline last; ties in tree order. */
export function sortByDeadline(rows: ClauseRow[], f: ClauseFilter): ShownRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => matches(row, f))
    .sort((a, b) => {
      const da = a.row.clause.due_on;
      const db = b.row.clause.due_on;
      if (da && db && da !== db) return da < db ? -1 : 1;
      if (da && !db) return -1;
      if (!da && db) return 1;
      return a.i - b.i;
    })
    .map(({ row }) => ({ row, context: false }));
}

/** Every theme used in the agreement, sorted. */
export function allTags(rows: ClauseRow[]): string[] {
  const set = new Set<string>();
  for (const r of rows) for (const t of r.clause.tags) set.add(t);
  return [...set].sort((a, b) => a.localeCompare(b));
}

/**
 * Cuts "Training, visits،  exchange" into themes (commas and semicolons in
 * either script, or new lines). The core trims, lower-cases and drops
 * repeats when it stores them.
 */
export function parseTags(text: string): string[] {
  return text
    .split(/[,،;؛\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * A likely number for a new clause: the next after its last sibling when
 * that ends in a number ("2.3" → "2.4", "7" → "8"), else the parent's number
 * and the sibling count ("2" → "2.1").
 */
export function suggestNumber(rows: ClauseRow[], parent: string | null): string {
  const sibs = indexOf(rows).children.get(parent) ?? [];
  const last = sibs[sibs.length - 1]?.clause.number;
  if (last) {
    const m = /^(.*?)(\d+)(\D*)$/.exec(last);
    if (m) return `${m[1]}${Number(m[2]) + 1}${m[3]}`;
  }
  const p = parent ? indexOf(rows).byId.get(parent)?.clause.number : null;
  return p ? `${p.replace(/[.)]$/, '')}.${sibs.length + 1}` : String(sibs.length + 1);
}

/** Lead bodies already used in the agreement, for suggestions. */
export function leadBodies(rows: ClauseRow[], side: 'our_lead' | 'partner_lead'): string[] {
  const set = new Set<string>();
  for (const r of rows) {
    const v = r.clause[side];
    if (v) set.add(v);
  }
  return [...set].sort((a, b) => a.localeCompare(b));
}
