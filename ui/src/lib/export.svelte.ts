/**
 * Exporting a report as PDF: the save dialog, the core's export_report, then
 * the system viewer. One export at a time, app-wide: a second request while
 * one runs is refused (no double submit), and every Export button shows the
 * busy state.
 *
 * A dialog that starts an export shows its progress and errors inline; if it
 * is closed while the PDF is being made, the export goes on and reports
 * through toasts instead ("Preparing the PDF…", then the result).
 */
import { api, toApiError, type ApiError } from './api';
import { today } from './app.svelte';
import type { ExportSummary, ReportOptions, ReportRequest } from './bindings';
import { errorLine } from './errors';
import { choosePdfPath, openInViewer } from './files';
import { t, tn } from './i18n';
import { locale } from './locale.svelte';
import { folderOf, inFolder, isolate, withPdfExtension } from './reports';
import { dismiss, showToast } from './toasts.svelte';

export type ExportPhase = 'choosing' | 'typesetting';

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

/** Today as the core sees it (the letterhead's date), for file names. */
export function reportToday(): string {
  return today();
}
