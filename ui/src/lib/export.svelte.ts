/**
 * Exporting a report as PDF: the save dialog, the core's export_report, then
 * the system viewer; and the register as a spreadsheet or calendar (XLSX,
 * CSV, ICS): the save dialog, then the core's export_sheet, which writes the
 * format the path's extension names. One export at a time, app-wide: a
 * second request while one runs is refused (no double submit), and every
 * Export button shows the busy state.
 *
 * A dialog that starts an export shows its progress and errors inline; if it
 * is closed while the PDF is being made, the export goes on and reports
 * through toasts instead ("Preparing the PDF…", then the result).
 */
import { api, toApiError, type ApiError } from './api';
import { today } from './app.svelte';
import type { ExportedFile, ExportScope, ExportSummary, Lang, ReportOptions, ReportRequest, SheetFormat } from './bindings';
import { errorLine } from './errors';
import { chooseExportPath, choosePdfPath, openInViewer } from './files';
import { t, tn, type Key } from './i18n';
import { locale } from './locale.svelte';
import { folderOf, inFolder, isolate, withExtension, withPdfExtension } from './reports';
import { dismiss, showToast } from './toasts.svelte';

/** Choosing where to save; the core typesetting a PDF; the core writing a spreadsheet or calendar. */
export type ExportPhase = 'choosing' | 'typesetting' | 'writing';

export const reportExport = $state<{ busy: boolean; phase: ExportPhase | null }>({ busy: false, phase: null });

export type ExportOutcome =
  | { status: 'busy' }
  | { status: 'cancelled' }
  | { status: 'saved'; summary: ExportSummary; opened: boolean }
  /** `toasted`: the error went to a toast, as no dialog was there to show it. */
  | { status: 'failed'; error: ApiError; toasted: boolean };

let inline = false;
let progressToast: number | null = null;

const FOLDER_KEY = 'clausebook.reportFolder';

/** The folder the last report was saved in, offered again next time. */
function lastFolder(): string | null {
  try {
    return localStorage.getItem(FOLDER_KEY);
  } catch {
    return null;
  }
}

function rememberFolder(path: string): void {
  const folder = folderOf(path);
  try {
    if (folder) localStorage.setItem(FOLDER_KEY, folder);
  } catch {
    // Private storage off: the dialog opens where the system likes.
  }
}

function showProgress(): void {
  if (progressToast === null) progressToast = showToast({ kind: 'info', text: t('report.exporting'), busy: true, timeout: 0 });
}

/** The dialog that started the export closed: report the rest through toasts. */
export function detachExport(): void {
  if (!reportExport.busy) return;
  inline = false;
  if (reportExport.phase === 'typesetting') showProgress();
}

async function copyPath(path: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(path);
    showToast({ kind: 'info', text: t('common.copied') });
  } catch {
    // No clipboard: the path stays readable in the toast.
  }
}

function announceSaved(summary: ExportSummary, opened: boolean): void {
  const text = tn('report.saved', summary.pages, { path: isolate(summary.path) });
  if (opened) {
    showToast({ kind: 'success', text, timeout: 8_000 });
  } else {
    showToast({
      kind: 'success',
      text,
      detail: t('report.notOpened'),
      action: { label: t('report.copyPath'), run: () => copyPath(summary.path) },
      timeout: 20_000,
    });
  }
}

/**
 * Asks where to save, makes the PDF and opens it. Cancelling the save dialog
 * is not an error: it resolves to `cancelled` and nothing else happens.
 */
export async function exportPdf(
  request: ReportRequest,
  options: ReportOptions,
  fileName: string,
  opts: { inline?: boolean } = {},
): Promise<ExportOutcome> {
  if (reportExport.busy) return { status: 'busy' };
  reportExport.busy = true;
  reportExport.phase = 'choosing';
  inline = opts.inline ?? false;
  try {
    const chosen = await choosePdfPath(inFolder(lastFolder(), fileName), t('report.saveDialogTitle'));
    if (!chosen) return { status: 'cancelled' };
    const path = withPdfExtension(chosen);
    reportExport.phase = 'typesetting';
    if (!inline) showProgress();
    const summary = await api.exportReport(request, options, path);
    rememberFolder(summary.path);
    let opened = true;
    try {
      await openInViewer(summary.path);
    } catch {
      opened = false;
    }
    announceSaved(summary, opened);
    return { status: 'saved', summary, opened };
  } catch (e) {
    const error = toApiError(e);
    const toasted = !inline;
    if (toasted) showToast({ kind: 'error', text: errorLine(error, locale.lang) });
    return { status: 'failed', error, toasted };
  } finally {
    if (progressToast !== null) dismiss(progressToast);
    progressToast = null;
    inline = false;
    reportExport.busy = false;
    reportExport.phase = null;
  }
}

/** The formats export_sheet writes, each chosen by the path's extension. */
export const SHEET_FORMATS: readonly SheetFormat[] = ['xlsx', 'csv', 'ics'];
/** What an export dialog offers: a PDF report, or the data as a sheet or calendar. */
export type ExportFormat = 'pdf' | SheetFormat;

/** The name the save dialog shows for each format's files. */
const FORMAT_NAMES: Record<SheetFormat, Key> = {
  xlsx: 'export.format.xlsx',
  csv: 'export.format.csv',
  ics: 'export.format.ics',
};

export type SheetOutcome =
  | { status: 'busy' }
  | { status: 'cancelled' }
  | { status: 'saved'; file: ExportedFile }
  | { status: 'failed'; error: ApiError; toasted: boolean };

function announceWritten(file: ExportedFile): void {
  const text =
    file.format === 'ics' ? tn('export.savedEvents', file.events, { path: isolate(file.path) }) : tn('export.saved', file.clauses, { path: isolate(file.path) });
  showToast({
    kind: 'success',
    text,
    action: {
      label: t('export.openFile'),
      run: async () => {
        try {
          await openInViewer(file.path);
        } catch {
          showToast({
            kind: 'error',
            text: t('export.notOpened'),
            action: { label: t('report.copyPath'), run: () => copyPath(file.path) },
          });
        }
      },
    },
    timeout: 15_000,
  });
}

/**
 * Asks where to save and writes the scope as a workbook, CSV or calendar,
 * in `lang`. Cancelling the save dialog is not an error. The file is not
 * opened (a calendar opened would be imported into the officer's calendar
 * program): the toast offers to open it.
 */
export async function exportSheetFile(
  scope: ExportScope,
  lang: Lang,
  format: SheetFormat,
  fileName: string,
  opts: { inline?: boolean } = {},
): Promise<SheetOutcome> {
  if (reportExport.busy) return { status: 'busy' };
  reportExport.busy = true;
  reportExport.phase = 'choosing';
  inline = opts.inline ?? false;
  try {
    const chosen = await chooseExportPath(inFolder(lastFolder(), fileName), format, t(FORMAT_NAMES[format]), t('export.saveDialogTitle'));
    if (!chosen) return { status: 'cancelled' };
    const path = withExtension(chosen, format);
    reportExport.phase = 'writing';
    const file = await api.exportSheet(scope, lang, path);
    rememberFolder(file.path);
    announceWritten(file);
    return { status: 'saved', file };
  } catch (e) {
    const error = toApiError(e);
    const toasted = !inline;
    if (toasted) showToast({ kind: 'error', text: errorLine(error, locale.lang) });
    return { status: 'failed', error, toasted };
  } finally {
    inline = false;
    reportExport.busy = false;
    reportExport.phase = null;
  }
}

/** Today as the core sees it (the letterhead's date), for file names. */
export function reportToday(): string {
  return today();
}
