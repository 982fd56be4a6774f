//! Exporting status reports as PDF.

use std::path::PathBuf;

use clausebook_core::clock;
use clausebook_core::report::{self, ExportSummary, ReportOptions, ReportRequest};
use tauri::State;

use crate::error::CmdResult;
use crate::state::{AppState, off_thread};

/// Typesets a report and writes it to `path` (chosen in the save dialog).
/// The register is locked only while the report's data is read, not while
/// it is typeset; both run off the window's thread.
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    state: State<'_, AppState>,
    request: ReportRequest,
    options: ReportOptions,
    path: String,
) -> CmdResult<ExportSummary> {
    let prepared = state.run(move |s| report::prepare(s, &request, &options, clock::today(), clock::now())).await?;
    off_thread(move || prepared.export(&PathBuf::from(path))).await
}
