//! Backups: the list, "back up now", the second folder, and restore (which
//! also puts a register in place of one that could not be opened).

use clausebook_core::store::backup::{BackupMade, BackupOverview, Restored};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn backups(state: State<'_, AppState>) -> CmdResult<BackupOverview> {
    state.run(|s| s.backup_overview()).await
}

#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupMade> {
    state.backup_now().await
}

#[tauri::command]
#[specta::specta]
pub async fn set_backup_mirror(state: State<'_, AppState>, folder: Option<String>) -> CmdResult<Option<String>> {
    state.run(move |s| s.set_backup_mirror(folder.as_deref())).await
}

/// Replaces the register with the backup `file`; when the register could not
/// be opened, puts the backup in its place (the unopenable file is kept).
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(state: State<'_, AppState>, file: String) -> CmdResult<Restored> {
    state.restore(file.into()).await
}
