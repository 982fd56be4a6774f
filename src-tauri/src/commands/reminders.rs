//! Reminders for the Today panel, snoozing one, and a clause's own lead time.

use chrono::NaiveDate;
use clausebook_core::clock;
use clausebook_core::store::reminders::{Reminder, ReminderLead};
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

/// A clause's reminder lead times.
#[tauri::command]
#[specta::specta]
pub async fn reminder_lead(state: State<'_, AppState>, clause_id: String) -> CmdResult<ReminderLead> {
    state.run(move |s| s.reminder_lead(&clause_id)).await
}

/// Sets how many days before its deadline a clause is first reminded of;
/// `null` returns it to the defaults.
#[tauri::command]
#[specta::specta]
pub async fn set_reminder_lead(
    state: State<'_, AppState>,
    clause_id: String,
    days: Option<i32>,
) -> CmdResult<ReminderLead> {
    state.run(move |s| s.set_reminder_lead(&clause_id, days.map(i64::from))).await
}
