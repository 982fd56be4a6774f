//! Exchange with colleagues' registers: the screen's overview, sending and
//! receiving `.clausebook` files, and the conflicts an officer chooses for.

use clausebook_core::store::exchange::{Conflict, ExchangeOverview, Received, SendScope, Sent};
use clausebook_core::vocab::ConflictChoice;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn exchange_overview(state: State<'_, AppState>) -> CmdResult<ExchangeOverview> {
    state.run(|s| s.exchange_overview()).await
}

#[tauri::command]
#[specta::specta]
pub async fn exchange_send(
    state: State<'_, AppState>,
    scope: SendScope,
    recipient: Option<String>,
    path: String,
) -> CmdResult<Sent> {
    state.run(move |s| s.exchange_send(&scope, recipient.as_deref(), path.as_ref())).await
}

/// Receives a file; with `dry_run`, tells what it would do and writes nothing.
#[tauri::command]
#[specta::specta]
pub async fn exchange_receive(state: State<'_, AppState>, path: String, dry_run: bool) -> CmdResult<Received> {
    state.run(move |s| s.exchange_receive(path.as_ref(), dry_run)).await
}

#[tauri::command]
#[specta::specta]
pub async fn exchange_conflicts(state: State<'_, AppState>) -> CmdResult<Vec<Conflict>> {
    state.run(|s| s.exchange_conflicts()).await
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_conflict(state: State<'_, AppState>, id: String, choice: ConflictChoice) -> CmdResult<()> {
    state.run(move |s| s.resolve_conflict(&id, choice)).await
}
