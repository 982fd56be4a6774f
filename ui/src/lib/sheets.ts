/**
 * The import wizard's pure parts: the column mapping as the officer edits
 * it, a column's first values, a title from the file's name, and a dry
 * run's problem in the reader's language. What a file holds and what an
 * import would do are the core's answers (import_preview, import_plan);
 * nothing here reads a file or a value.
 */
import { ApiError } from './api';
import type { DateDisplay, FieldColumn, Lang, PlannedRow, Preview, Problem, SheetField, TextEncoding } from './bindings';
import { describeError } from './errors';
import { translate, type Key } from './i18n';
import { locale } from './locale.svelte';

/** The field a column is mapped to, or null (not imported). */
export function fieldAt(mapping: readonly FieldColumn[], column: number): SheetField | null {
  return mapping.find((m) => m.column === column)?.field ?? null;
}

/** The column a field is mapped to, or null. */
export function columnOf(mapping: readonly FieldColumn[], field: SheetField): number | null {
  return mapping.find((m) => m.field === field)?.column ?? null;
}

/**
 * The mapping with `column` imported as `field` (null: not imported). A
 * field maps to one column: another column that had it loses it.
 */
export function mapColumn(mapping: readonly FieldColumn[], column: number, field: SheetField | null): FieldColumn[] {
  const rest = mapping.filter((m) => m.column !== column && m.field !== field);
  return (field ? [...rest, { field, column }] : rest).sort((a, b) => a.column - b.column);
}

/** The clause text is the one field an import cannot do without. */
export function hasText(mapping: readonly FieldColumn[]): boolean {
  return mapping.some((m) => m.field === 'text');
}

/** A column's first non-empty values in the preview, for the mapping step. */
export function samples(preview: Preview, column: number, count = 3): string[] {
  const out: string[] = [];
  for (const r of preview.rows) {
    const v = (r.cells[column] ?? '').trim();
    if (v) out.push(v);
    if (out.length === count) break;
  }
  return out;
}

/** A new agreement's title, from the file's name: "Action_plan 1404.xlsx" → "Action plan 1404". */
export function titleFromFile(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name
    .replace(/\.(xlsx|xls|ods|csv)$/i, '')
    .replace(/[_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words for each text encoding a CSV file may be read in. */
export const ENCODINGS: Record<TextEncoding, Key> = {
  utf8: 'import.encoding.utf8',
  utf16le: 'import.encoding.utf16le',
  utf16be: 'import.encoding.utf16be',
  windows1256: 'import.encoding.windows1256',
};

/**
 * A problem of the dry run in `lang`: the core's words in English; in
 * Persian the code's translation, filled with the problem's params. A
 * field the problem names is given by its label in `lang` (the core names
 * it by its English word).
 */
export function problemText(p: Problem, lang: Lang, display: DateDisplay = locale.dateDisplay): string {
  const params = { ...p.params };
  if (p.field && 'field' in params) params.field = { kind: 'text', value: translate(lang, `sheetField.${p.field}`) };
  return describeError(new ApiError(p.code, p.message, params), lang, display).text;
}

/** Rows of a plan that have problems. */
export function withProblems(rows: readonly PlannedRow[]): PlannedRow[] {
  return rows.filter((r) => r.problems.length > 0);
}
