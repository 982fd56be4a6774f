//! The officer's today: the one place every front end takes it from.
//!
//! Overdue and due-soon are measured against "today", and a report is dated
//! now. Both come from the machine's local clock, unless the environment
//! variable `CLAUSEBOOK_TODAY` names a day (`2026-11-22`): tests, the
//! fixtures the UI tests read and screenshots use it to see the register on
//! a fixed day (the demo's story is set on 2026-11-22). A value that is not
//! a date is ignored, with a warning on standard error, rather than
//! silently moving every deadline.

use chrono::{Local, NaiveDate, NaiveDateTime};

/// The environment variable that fixes "today".
pub const TODAY_VAR: &str = "CLAUSEBOOK_TODAY";

/// Today, local time (or `CLAUSEBOOK_TODAY`).
pub fn today() -> NaiveDate {
    fixed_today().unwrap_or_else(|| Local::now().date_naive())
}

/// Now, local time; on a fixed day, that day at the clock's current time.
pub fn now() -> NaiveDateTime {
    let now = Local::now().naive_local();
    match fixed_today() {
        Some(day) => day.and_time(now.time()),
        None => now,
    }
}

fn fixed_today() -> Option<NaiveDate> {
    let value = std::env::var(TODAY_VAR).ok()?;
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| eprintln!("clausebook: ignoring {TODAY_VAR}={value:?}: write it as 2026-11-22"));
            None
        }
    }
}
