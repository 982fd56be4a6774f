//! Exporting clauses as a workbook, a CSV file or a calendar.

use std::path::PathBuf;

use clausebook_core::clock;
use clausebook_core::export::{self, ExportScope, ExportedFile, SheetFormat};
use clausebook_core::vocab::Lang;
use tauri::State;

use crate::error::CmdResult;
use crate::state::{AppState, off_thread};

/// Writes the clauses of `scope` to `path` (chosen in the save dialog), in
/// the format its extension names (`.xlsx`, `.csv` or `.ics`) and in
/// `lang`. The register is locked only while the clauses are read; the file
/// is made and written after, and both run off the window's thread.
#[tauri::command]
#[specta::specta]
pub async fn export_sheet(
    state: State<'_, AppState>,
    scope: ExportScope,
    lang: Lang,
    path: String,
) -> CmdResult<ExportedFile> {
    let path = PathBuf::from(path);
    let format = SheetFormat::from_path(&path)?;
    let prepared = state.run(move |s| export::prepare(s, &scope, format, lang, clock::today())).await?;
    off_thread(move || prepared.write(clock::now(), &path)).await
}
