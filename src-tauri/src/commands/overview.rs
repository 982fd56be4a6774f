//! Dashboards, the overdue list and search.

use clausebook_core::clock;
use clausebook_core::store::dashboard::{Dashboard, OverdueItem, PartnerDashboard};
use clausebook_core::store::search::SearchHit;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn dashboard(state: State<'_, AppState>) -> CmdResult<Dashboard> {
    state.run(|s| s.dashboard(clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn partner_dashboard(state: State<'_, AppState>, partner_id: String) -> CmdResult<PartnerDashboard> {
    state.run(move |s| s.partner_dashboard(&partner_id, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn overdue(state: State<'_, AppState>, partner: Option<String>, limit: u32) -> CmdResult<Vec<OverdueItem>> {
    state.run(move |s| s.overdue(clock::today(), partner.as_deref(), limit)).await
}

#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: String, limit: u32) -> CmdResult<Vec<SearchHit>> {
    state.run(move |s| s.search(&query, limit)).await
}
