//! Clauses, their progress notes and their history. Changes answer with
//! what they changed in the agreement's table ([`ClauseChange`]), so the
//! window updates its rows instead of reading them all again.

use clausebook_core::clock;
use clausebook_core::model::{AuditEntry, Clause, ClauseMove, ClausePatch, NewClause, NewNote, Note};
use clausebook_core::store::clauses::{ClauseChange, ClauseRow};
use clausebook_core::store::notes::NoteAdded;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn clause_rows(state: State<'_, AppState>, agreement_id: String) -> CmdResult<Vec<ClauseRow>> {
    state.run(move |s| s.clause_rows(&agreement_id, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn clause(state: State<'_, AppState>, id: String) -> CmdResult<Clause> {
    state.run(move |s| s.clause(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_clause(state: State<'_, AppState>, new_clause: NewClause) -> CmdResult<ClauseChange> {
    state.run(move |s| s.create_clause(new_clause, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_clause(state: State<'_, AppState>, id: String, patch: ClausePatch) -> CmdResult<ClauseChange> {
    state.run(move |s| s.update_clause(&id, patch, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn move_clause(state: State<'_, AppState>, id: String, to: ClauseMove) -> CmdResult<ClauseChange> {
    state.run(move |s| s.move_clause(&id, to, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_clause(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    state.run(move |s| s.delete_clause(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn notes(state: State<'_, AppState>, clause_id: String) -> CmdResult<Vec<Note>> {
    state.run(move |s| s.notes(&clause_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_note(state: State<'_, AppState>, new_note: NewNote) -> CmdResult<NoteAdded> {
    state.run(move |s| s.add_note(new_note, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_note(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    state.run(move |s| s.delete_note(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn history(state: State<'_, AppState>, id: String) -> CmdResult<Vec<AuditEntry>> {
    state.run(move |s| s.history(&id)).await
}
