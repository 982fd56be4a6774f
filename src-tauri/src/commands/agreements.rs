//! Agreements.

use clausebook_core::model::{Agreement, AgreementPatch, NewAgreement};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn agreements(state: State<'_, AppState>, partner: Option<String>) -> CmdResult<Vec<Agreement>> {
    state.run(move |s| s.agreements(partner.as_deref())).await
}

#[tauri::command]
#[specta::specta]
pub async fn agreement(state: State<'_, AppState>, id: String) -> CmdResult<Agreement> {
    state.run(move |s| s.agreement(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_agreement(state: State<'_, AppState>, new_agreement: NewAgreement) -> CmdResult<Agreement> {
    state.run(move |s| s.create_agreement(new_agreement)).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_agreement(state: State<'_, AppState>, id: String, patch: AgreementPatch) -> CmdResult<Agreement> {
    state.run(move |s| s.update_agreement(&id, patch)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_agreement(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    state.run(move |s| s.delete_agreement(&id)).await
}
