//! Agreements.

use clausebook_core::model::{Agreement, AgreementPatch, NewAgreement};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn agreements(state: State<'_, AppState>, partner: Option<String>) -> CmdResult<Vec<Agreement>> {
    Ok(state.store()?.agreements(partner.as_deref())?)
}

#[tauri::command]
#[specta::specta]
pub fn agreement(state: State<'_, AppState>, id: String) -> CmdResult<Agreement> {
    Ok(state.store()?.agreement(&id)?)
}

#[tauri::command]
#[specta::specta]
pub fn create_agreement(state: State<'_, AppState>, new_agreement: NewAgreement) -> CmdResult<Agreement> {
    Ok(state.store()?.create_agreement(new_agreement)?)
}

#[tauri::command]
#[specta::specta]
pub fn update_agreement(state: State<'_, AppState>, id: String, patch: AgreementPatch) -> CmdResult<Agreement> {
    Ok(state.store()?.update_agreement(&id, patch)?)
}

#[tauri::command]
#[specta::specta]
pub fn delete_agreement(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    Ok(state.store()?.delete_agreement(&id)?)
}
