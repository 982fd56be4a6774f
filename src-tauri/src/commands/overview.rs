//! Dashboards, the overdue list and search.

use clausebook_core::store::dashboard::{Dashboard, OverdueItem, PartnerDashboard};
use clausebook_core::store::search::SearchHit;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn dashboard(state: State<'_, AppState>) -> CmdResult<Dashboard> {
    Ok(state.store()?.dashboard(state.today())?)
}

#[tauri::command]
#[specta::specta]
pub fn partner_dashboard(state: State<'_, AppState>, partner_id: String) -> CmdResult<PartnerDashboard> {
    Ok(state.store()?.partner_dashboard(&partner_id, state.today())?)
}

#[tauri::command]
#[specta::specta]
pub fn overdue(state: State<'_, AppState>, partner: Option<String>, limit: u32) -> CmdResult<Vec<OverdueItem>> {
    Ok(state.store()?.overdue(state.today(), partner.as_deref(), limit)?)
}

#[tauri::command]
#[specta::specta]
pub fn search(state: State<'_, AppState>, query: String, limit: u32) -> CmdResult<Vec<SearchHit>> {
    Ok(state.store()?.search(&query, limit)?)
}
