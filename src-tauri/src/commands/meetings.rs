//! Meetings: recording them, their agenda (and suggestions for it), their
//! outcomes, and the review and application of the changes they propose.

use clausebook_core::clock;
use clausebook_core::model::meeting::{
    Applied, Meeting, MeetingDetail, NewAgendaItem, NewMeeting, NewOutcome, Outcome, Review, Suggestion,
};
use clausebook_core::vocab::MeetingStatus;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn meetings(state: State<'_, AppState>, partner: Option<String>) -> CmdResult<Vec<Meeting>> {
    state.run(move |s| s.meetings(partner.as_deref())).await
}

#[tauri::command]
#[specta::specta]
pub async fn meeting(state: State<'_, AppState>, id: String) -> CmdResult<MeetingDetail> {
    state.run(move |s| s.meeting(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_meeting(state: State<'_, AppState>, new_meeting: NewMeeting) -> CmdResult<Meeting> {
    state.run(move |s| s.create_meeting(new_meeting)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_meeting_status(state: State<'_, AppState>, id: String, status: MeetingStatus) -> CmdResult<Meeting> {
    state.run(move |s| s.set_meeting_status(&id, status)).await
}

#[tauri::command]
#[specta::specta]
pub async fn suggest_agenda(state: State<'_, AppState>, id: String) -> CmdResult<Vec<Suggestion>> {
    state.run(move |s| s.suggest_agenda(&id, clock::today())).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_agenda_items(
    state: State<'_, AppState>,
    id: String,
    items: Vec<NewAgendaItem>,
) -> CmdResult<MeetingDetail> {
    state.run(move |s| s.add_agenda_items(&id, items)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_outcome(state: State<'_, AppState>, new_outcome: NewOutcome) -> CmdResult<Outcome> {
    state.run(move |s| s.add_outcome(new_outcome)).await
}

#[tauri::command]
#[specta::specta]
pub async fn review_meeting(state: State<'_, AppState>, id: String) -> CmdResult<Vec<Review>> {
    state.run(move |s| s.review(&id)).await
}

/// Applies the outcomes named, or with `null` every one not applied yet.
#[tauri::command]
#[specta::specta]
pub async fn apply_outcomes(state: State<'_, AppState>, id: String, only: Option<Vec<String>>) -> CmdResult<Applied> {
    state.run(move |s| s.apply_outcomes(&id, only, clock::today())).await
}

/// A meeting brief prepared from a planned meeting: its title, its agenda's
/// clauses, what is overdue or due soon, and the progress since the last
/// meeting with its partner. The brief screen starts from it.
#[tauri::command]
#[specta::specta]
pub async fn meeting_brief(state: State<'_, AppState>, id: String) -> CmdResult<clausebook_core::report::BriefSpec> {
    state.run(move |s| clausebook_core::report::BriefSpec::for_meeting(s, &id)).await
}
