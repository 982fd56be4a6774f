/**
 * PDF reports: what the export dialogs send (ReportRequest, ReportOptions)
 * and the file name they suggest. Pure functions; the export itself is in
 * export.svelte.ts.
 */
import type { BriefSpec, Lang, ReportOptions, ReportRequest } from './bindings';
import { formatIn } from './dates';
import { translate } from './i18n';
import { dirOf, fieldDir } from './locale.svelte';

/** What the options part of an export dialog holds. */
export interface OptionsForm {
  lang: Lang;
  pdfA: boolean;
  reference: string;
  attachments: string;
}

const opt = (v: string): string | null => (v.trim() ? v.trim() : null);

export function reportOptions(form: OptionsForm): ReportOptions {
  return { lang: form.lang, pdf_a: form.pdfA, reference: opt(form.reference), attachments: opt(form.attachments) };
}

/** What the meeting-brief builder holds. */
export interface BriefForm {
  agreements: string[];
  /** Clauses shown on their own (a planned meeting's agenda). */
  clauses: string[];
  partner: string | null;
  overdue: boolean;
  dueBefore: string | null;
  progressSince: string | null;
  title: string;
}

export function briefSpec(form: BriefForm): BriefSpec {
  return {
    agreements: [...form.agreements],
    clauses: [...form.clauses],
    partner: form.partner || null,
    due_before: form.dueBefore || null,
    progress_since: form.progressSince || null,
    overdue: form.overdue,
    title: opt(form.title),
  };
}

export function briefRequest(form: BriefForm): ReportRequest {
  return { kind: 'brief', ...briefSpec(form) };
}

/** A brief with nothing to show: the core would answer report_empty_brief. */
export function isEmptyBrief(spec: BriefSpec): boolean {
  return !spec.agreements.length && !spec.clauses.length && !spec.overdue && !spec.due_before && !spec.progress_since;
}

const MAX_NAME_CHARS = 90;
/** Words a shortened title should not end on ("… of Iran and the"). */
const CONNECTORS = new Set([
  'a', 'an', 'and', 'at', 'between', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with',
  'و', 'با', 'در', 'به', 'از', 'برای', 'میان', 'بین', 'را', 'یا', 'که',
]);

/**
 * A title made safe as a file name on Windows, macOS and Linux: no path
 * separators, reserved characters, control or bidi-override characters;
 * spaces collapsed; at most 90 characters, cut at a word.
 */
export function safeFileName(title: string): string {
  let s = title
    .normalize('NFC')
    .replace(/[\\/]+/g, '-')
    .replace(/[<>:"|?*]/g, ' ')
    // Control characters and bidi embeddings/overrides/isolates (which can disguise an extension).
    .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...s];
  if (chars.length > MAX_NAME_CHARS) {
    const cut = chars.slice(0, MAX_NAME_CHARS).join('');
    const space = cut.lastIndexOf(' ');
    const words = (space > MAX_NAME_CHARS / 2 ? cut.slice(0, space) : cut).split(' ');
    while (words.length > 1 && CONNECTORS.has(words[words.length - 1].toLowerCase().replace(/[,.;:–-]+$/u, ''))) words.pop();
    s = words.join(' ').replace(/[\s,.;:–-]+$/u, '');
  }
  s = s.replace(/^[.\s]+|[.\s]+$/g, '');
  return s;
}

/** The day in the report's calendar, for file names: 2026-11-22, or 1405-09-01 in a Persian report. */
export function fileDate(iso: string, lang: Lang): string {
  if (lang === 'fa') return formatIn(iso, 'persian', 'en', 'numeric').replace(/\//g, '-');
  return iso;
}

/**
 * The suggested file name: "Action plan 1404 – status 2026-11-22.pdf", with
 * the day in the report's calendar ("… – وضعیت 1405-09-01.pdf" in Persian).
 * The word "status" is left out when the title runs the other way than the
 * report's language (an English title in a Persian report): a name mixing
 * directions reads scrambled in file managers.
 */
export function reportFileName(
  title: string,
  today: string,
  lang: Lang,
  word: 'status' | 'none' = 'status',
  extension: string = 'pdf',
): string {
  const name = safeFileName(title) || translate(lang, 'brief.open');
  const date = fileDate(today, lang);
  const withWord = word === 'status' && fieldDir(name, lang) === dirOf(lang);
  const tail = withWord ? `${translate(lang, 'report.fileStatus')} ${date}` : date;
  return `${name} – ${tail}.${extension}`;
}

/** The path with ".pdf" added when the save dialog returned none (GTK does not add it). */
export function withPdfExtension(path: string): string {
  return withExtension(path, 'pdf');
}

/** The path with ".<extension>" added when the save dialog returned none. */
export function withExtension(path: string, extension: string): string {
  return path.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? path : `${path}.${extension}`;
}

/** The folder of a path, or null for a bare file name. */
export function folderOf(path: string): string | null {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : i === 0 ? path.slice(0, 1) : null;
}

/** A file name inside a folder, with the folder's own separator. */
export function inFolder(folder: string | null, name: string): string {
  if (!folder) return name;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(sep) ? folder + name : folder + sep + name;
}

/** Text set apart for the bidi algorithm (FSI … PDI), e.g. a path inside a Persian sentence. */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
