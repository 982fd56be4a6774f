//! Partner countries and organisations.

use clausebook_core::model::{NewPartner, Partner, PartnerPatch};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn partners(state: State<'_, AppState>) -> CmdResult<Vec<Partner>> {
    Ok(state.store()?.partners()?)
}

#[tauri::command]
#[specta::specta]
pub fn create_partner(state: State<'_, AppState>, new_partner: NewPartner) -> CmdResult<Partner> {
    Ok(state.store()?.create_partner(new_partner)?)
}

#[tauri::command]
#[specta::specta]
pub fn update_partner(state: State<'_, AppState>, id: String, patch: PartnerPatch) -> CmdResult<Partner> {
    Ok(state.store()?.update_partner(&id, patch)?)
}

/// Returns the deletion id that `restore` takes.
#[tauri::command]
#[specta::specta]
pub fn delete_partner(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    Ok(state.store()?.delete_partner(&id)?)
}

/// Undoes any deletion; returns what came back: partner, agreement, clause or note.
#[tauri::command]
#[specta::specta]
pub fn restore(state: State<'_, AppState>, deletion_id: String) -> CmdResult<String> {
    Ok(state.store()?.restore(&deletion_id)?.to_owned())
}
