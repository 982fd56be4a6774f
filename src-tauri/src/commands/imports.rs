//! Importing action plans from workbooks and CSV files: the wizard's steps,
//! each one call into the core's `sheet` module.

use std::path::PathBuf;

use clausebook_core::clock;
use clausebook_core::sheet::plan::{ImportDone, ImportPlan};
use clausebook_core::sheet::{self, ImportRequest, Preview, SheetChoice};
use clausebook_core::store::import::ImportUndone;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Reads a file and proposes its sheet, header row and column mapping.
#[tauri::command]
#[specta::specta]
pub async fn import_preview(state: State<'_, AppState>, path: String, choice: SheetChoice) -> CmdResult<Preview> {
    state.run(move |s| sheet::preview(s, &PathBuf::from(path), &choice)).await
}

/// The dry run: what the import would do with every row. Writes nothing.
#[tauri::command]
#[specta::specta]
pub async fn import_plan(state: State<'_, AppState>, request: ImportRequest) -> CmdResult<ImportPlan> {
    state.run(move |s| sheet::plan(s, &request, clock::today())).await
}

/// The import, as one transaction.
#[tauri::command]
#[specta::specta]
pub async fn import_sheet(state: State<'_, AppState>, request: ImportRequest) -> CmdResult<ImportDone> {
    state.run(move |s| sheet::import(s, &request, clock::today())).await
}

/// Undoes an import as one step.
#[tauri::command]
#[specta::specta]
pub async fn undo_import(state: State<'_, AppState>, import_id: String) -> CmdResult<ImportUndone> {
    state.run(move |s| s.undo_import(&import_id)).await
}
