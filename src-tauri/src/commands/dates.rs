//! Reading dates and deadlines as officers type them.

use chrono::NaiveDate;
use clausebook_core::calendar;
use clausebook_core::deadline::Deadline;

use crate::error::CmdResult;

/// `2025-06-05`, `1404/03/15` or `۱۴۰۴/۰۳/۱۵` → the ISO date.
#[tauri::command]
#[specta::specta]
pub fn parse_date(text: String) -> CmdResult<NaiveDate> {
    Ok(calendar::parse_date(&text)?)
}

/// `3 months`, `90 days`, a date, or nothing.
#[tauri::command]
#[specta::specta]
pub fn parse_deadline(text: String) -> CmdResult<Deadline> {
    Ok(Deadline::parse(&text)?)
}
