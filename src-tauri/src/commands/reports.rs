//! Exporting status reports as PDF.

use std::path::PathBuf;

use clausebook_core::report::{self, ExportSummary, ReportOptions, ReportRequest};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Typesets a report and writes it to `path` (chosen in the save dialog).
/// Async, so typesetting runs off the window's thread; the register is
/// locked only while the report's data is read, not while it is typeset.
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    state: State<'_, AppState>,
    request: ReportRequest,
    options: ReportOptions,
    path: String,
) -> CmdResult<ExportSummary> {
    let now = chrono::Local::now().naive_local();
    let prepared = report::prepare(&*state.store()?, &request, &options, state.today(), now)?;
    Ok(prepared.export(&PathBuf::from(path))?)
}
