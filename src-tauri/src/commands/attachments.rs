//! Files attached to agreements, clauses and meetings: listing, attaching
//! (the officer picks the file in the open dialog), removing, writing one
//! out where the officer chooses, and opening one in the system's viewer.

use std::path::{Path, PathBuf};

use clausebook_core::model::attachment::Attachment;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The folder attachments are written to for the system's viewer: the
/// app's cache folder, `attachments/`. The opener's scope allows this folder
/// only (`capabilities/main.json`), so the window can open the files the app
/// wrote there and no other.
pub struct OpenFolder(pub PathBuf);

#[tauri::command]
#[specta::specta]
pub async fn attachments(state: State<'_, AppState>, owner_id: String) -> CmdResult<Vec<Attachment>> {
    state.run(move |s| s.attachments(&owner_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn attach_file(
    state: State<'_, AppState>,
    owner_id: String,
    path: String,
    name: Option<String>,
) -> CmdResult<Attachment> {
    state.run(move |s| s.attach(&owner_id, Path::new(&path), name.as_deref())).await
}

/// Removes an attachment; returns the deletion's id, for undo.
#[tauri::command]
#[specta::specta]
pub async fn remove_attachment(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    state.run(move |s| s.remove_attachment(&id)).await
}

/// Writes an attachment to `path` (chosen in the save dialog); returns the
/// bytes written.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment(state: State<'_, AppState>, id: String, path: String) -> CmdResult<u32> {
    state.run(move |s| s.copy_attachment(&id, Path::new(&path)).map(|n| n as u32)).await
}

/// Writes an attachment into the [`OpenFolder`]; returns its path, for the
/// opener.
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(
    state: State<'_, AppState>,
    folder: State<'_, OpenFolder>,
    id: String,
) -> CmdResult<String> {
    let dir = folder.0.clone();
    state.run(move |s| s.open_copy(&id, &dir).map(|p| p.display().to_string())).await
}
