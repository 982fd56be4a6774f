//! Partner countries and organisations.

use clausebook_core::model::{NewPartner, Partner, PartnerPatch};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn partners(state: State<'_, AppState>) -> CmdResult<Vec<Partner>> {
    state.run(|s| s.partners()).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_partner(state: State<'_, AppState>, new_partner: NewPartner) -> CmdResult<Partner> {
    state.run(move |s| s.create_partner(new_partner)).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_partner(state: State<'_, AppState>, id: String, patch: PartnerPatch) -> CmdResult<Partner> {
    state.run(move |s| s.update_partner(&id, patch)).await
}

/// Returns the deletion id that `restore` takes.
#[tauri::command]
#[specta::specta]
pub async fn delete_partner(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    state.run(move |s| s.delete_partner(&id)).await
}

/// Undoes any deletion; returns what came back: partner, agreement, clause or note.
#[tauri::command]
#[specta::specta]
pub async fn restore(state: State<'_, AppState>, deletion_id: String) -> CmdResult<String> {
    state.run(move |s| s.restore(&deletion_id).map(str::to_owned)).await
}
