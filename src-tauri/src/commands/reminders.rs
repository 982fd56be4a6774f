//! Reminders for the Today panel, and snoozing one.

use chrono::NaiveDate;
use clausebook_core::clock;
use clausebook_core::store::reminders::Reminder;
use clausebook_core::vocab::SnoozeLength;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn reminders(state: State<'_, AppState>) -> CmdResult<Vec<Reminder>> {
    state.run(|s| s.reminders(clock::today())).await
}

/// Snoozes a clause's reminders; answers the day they come back.
#[tauri::command]
#[specta::specta]
pub async fn snooze_reminder(
    state: State<'_, AppState>,
    clause_id: String,
    length: SnoozeLength,
) -> CmdResult<NaiveDate> {
    state.run(move |s| s.snooze_reminder(&clause_id, length, clock::today())).await
}
