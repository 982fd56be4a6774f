//! Clauses, their progress notes and their history.

use clausebook_core::model::{AuditEntry, Clause, ClausePatch, NewClause, NewNote, Note};
use clausebook_core::store::clauses::ClauseRow;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn clause_rows(state: State<'_, AppState>, agreement_id: String) -> CmdResult<Vec<ClauseRow>> {
    Ok(state.store()?.clause_rows(&agreement_id, state.today())?)
}

#[tauri::command]
#[specta::specta]
pub fn clause(state: State<'_, AppState>, id: String) -> CmdResult<Clause> {
    Ok(state.store()?.clause(&id)?)
}

#[tauri::command]
#[specta::specta]
pub fn create_clause(state: State<'_, AppState>, new_clause: NewClause) -> CmdResult<Clause> {
    Ok(state.store()?.create_clause(new_clause)?)
}

#[tauri::command]
#[specta::specta]
pub fn update_clause(state: State<'_, AppState>, id: String, patch: ClausePatch) -> CmdResult<Clause> {
    Ok(state.store()?.update_clause(&id, patch)?)
}

#[tauri::command]
#[specta::specta]
pub fn move_clause(
    state: State<'_, AppState>,
    id: String,
    parent: Option<String>,
    index: Option<u32>,
) -> CmdResult<Clause> {
    Ok(state.store()?.move_clause(&id, parent.as_deref(), index.map(|i| i as usize))?)
}

#[tauri::command]
#[specta::specta]
pub fn delete_clause(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    Ok(state.store()?.delete_clause(&id)?)
}

#[tauri::command]
#[specta::specta]
pub fn notes(state: State<'_, AppState>, clause_id: String) -> CmdResult<Vec<Note>> {
    Ok(state.store()?.notes(&clause_id)?)
}

#[tauri::command]
#[specta::specta]
pub fn add_note(state: State<'_, AppState>, new_note: NewNote) -> CmdResult<Note> {
    Ok(state.store()?.add_note(new_note)?)
}

#[tauri::command]
#[specta::specta]
pub fn delete_note(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    Ok(state.store()?.delete_note(&id)?)
}

#[tauri::command]
#[specta::specta]
pub fn history(state: State<'_, AppState>, id: String) -> CmdResult<Vec<AuditEntry>> {
    Ok(state.store()?.history(&id)?)
}
