//! Deadline reminders as the desktop shows them: which of the register's
//! reminders ([`crate::store::reminders`]) are new since the last check, and
//! the notification that tells of them, in the officer's language and
//! calendar.
//!
//! The app checks at start and every hour; a [`Notifier`] lives as long as
//! the app runs, so an hourly check tells only what changed: a clause that
//! became overdue, reached a shorter lead time, or got a new deadline.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{self, DateDisplay, Lang};
use crate::store::reminders::Reminder;
use crate::store::{Store, StoreError};
use crate::vocab::ReminderStage;

/// At most this many clauses are named in one notification; the rest are
/// counted.
pub const NAMED: usize = 5;

/// What has been told since the app started.
#[derive(Debug, Default)]
pub struct Notifier {
    told: HashSet<(String, ReminderStage, NaiveDate)>,
}

impl Notifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// The reminders not told yet, now marked told.
    pub fn fresh(&mut self, reminders: &[Reminder]) -> Vec<Reminder> {
        reminders.iter().filter(|r| self.told.insert((r.clause_id.clone(), r.stage, r.due_on))).cloned().collect()
    }
}

/// One check, as the app makes it at start and every hour: the
/// notification for what is new since the last check, or `None` (nothing
/// new, or reminders turned off in Settings).
pub fn check(store: &Store, notifier: &mut Notifier, today: NaiveDate) -> Result<Option<Notification>, StoreError> {
    let settings = store.settings()?;
    if !settings.reminders {
        return Ok(None);
    }
    let fresh = notifier.fresh(&store.reminders(today)?);
    Ok(notification(&fresh, settings.ui_language, settings.date_display))
}

/// A desktop notification's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Notification {
    pub title: String,
    pub body: String,
}

/// The notification telling of `fresh` reminders, or `None` when there are
/// none: a count per stage as the title, then up to [`NAMED`] clauses with
/// their agreement and deadline, most urgent first.
pub fn notification(fresh: &[Reminder], lang: Lang, display: DateDisplay) -> Option<Notification> {
    if fresh.is_empty() {
        return None;
    }
    let number = |n: usize| number(n, lang);
    let counts = counts(fresh, lang);
    let mut ordered: Vec<&Reminder> = fresh.iter().collect();
    ordered.sort_by_key(|r| (r.due_on, r.number.clone()));
    let mut lines: Vec<String> = ordered
        .iter()
        .take(NAMED)
        .map(|r| {
            let due = calendar::format_date(r.due_on, display, lang);
            format!("{} {} — {} ({due})", r.number, short(&r.text, 60), short(&r.agreement_title, 40))
        })
        .collect();
    if fresh.len() > NAMED {
        lines.push(match lang {
            Lang::En => format!("and {} more", number(fresh.len() - NAMED)),
            Lang::Fa => format!("و {} بند دیگر", number(fresh.len() - NAMED)),
        });
    }
    let title = format!("Clausebook — {counts}");
    Some(Notification { title, body: lines.join("\n") })
}

/// `n` in the digits of `lang`.
fn number(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => n.to_string(),
        Lang::Fa => calendar::persian_digits(&n.to_string()),
    }
}

/// How many reminders have reached each stage, most urgent first:
/// "Overdue: 14 · Due within a week: 2".
fn counts(reminders: &[Reminder], lang: Lang) -> String {
    let separator = match lang {
        Lang::En => " · ",
        Lang::Fa => " ، ",
    };
    ReminderStage::ALL
        .iter()
        .filter_map(|&stage| {
            let n = reminders.iter().filter(|r| r.stage == stage).count();
            (n > 0).then(|| format!("{}: {}", stage.label(lang), number(n, lang)))
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// What can go wrong where the app meets the desktop session for
/// reminders' sake: the entry that starts it with the session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesktopError {
    #[error(
        "starting with the session could not be turned {}: {reason}; check that the folder of autostart entries (~/.config/autostart) can be written",
        if *on { "on" } else { "off" }
    )]
    Autostart { on: bool, reason: String },
}

impl DesktopError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            DesktopError::Autostart { .. } => "autostart_failed",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> crate::detail::Params {
        match self {
            DesktopError::Autostart { reason, .. } => vec![("reason", crate::detail::Param::Text(reason.clone()))],
        }
    }

    /// One error of every variant, for [`crate::catalog`].
    pub fn examples() -> Vec<DesktopError> {
        vec![DesktopError::Autostart { on: true, reason: "Permission denied (os error 13)".into() }]
    }
}

/// What the tray icon shows, when the officer keeps Clausebook in the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Tray {
    /// Beside the icon (where the desktop shows a label): the overdue count,
    /// empty when nothing is overdue.
    pub label: String,
    /// The icon's tooltip, and the first line of its menu: the counts by
    /// stage, or that nothing is due.
    pub summary: String,
    /// The menu's items.
    pub open: String,
    pub quit: String,
}

/// The tray's words on `today`, in the officer's language: the counts are
/// the reminders' (the Today panel's), so a snoozed clause is not counted.
pub fn tray(store: &Store, today: NaiveDate) -> Result<Tray, StoreError> {
    let lang = store.settings()?.ui_language;
    let reminders = store.reminders(today)?;
    let overdue = reminders.iter().filter(|r| r.stage == ReminderStage::Overdue).count();
    let counts = counts(&reminders, lang);
    let summary = match (lang, counts.is_empty()) {
        (Lang::En, true) => "Clausebook — nothing overdue or due soon".to_owned(),
        (Lang::Fa, true) => "Clausebook — بندی دارای تأخیر یا نزدیک به مهلت نیست".to_owned(),
        (_, false) => format!("Clausebook — {counts}"),
    };
    let (open, quit) = match lang {
        Lang::En => ("Open Clausebook", "Quit Clausebook"),
        Lang::Fa => ("باز کردن Clausebook", "بستن کامل Clausebook"),
    };
    Ok(Tray {
        label: if overdue > 0 { number(overdue, lang) } else { String::new() },
        summary,
        open: open.to_owned(),
        quit: quit.to_owned(),
    })
}

/// `text` cut to `max` characters, with an ellipsis when cut: a
/// notification shows a few short lines.
fn short(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reminder(id: &str, due: &str, stage: ReminderStage) -> Reminder {
        Reminder {
            clause_id: id.into(),
            agreement_id: "a".into(),
            agreement_title: "Action plan 2025".into(),
            number: id.into(),
            text: format!("Clause {id}"),
            due_on: NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
            days: 0,
            stage,
            own_lead: None,
        }
    }

    #[test]
    fn an_hourly_check_tells_only_what_changed() {
        let mut n = Notifier::new();
        let first = vec![
            reminder("1", "2026-12-01", ReminderStage::Overdue),
            reminder("2", "2026-12-20", ReminderStage::DueMonth),
        ];
        assert_eq!(n.fresh(&first).len(), 2);
        assert!(n.fresh(&first).is_empty(), "told once");
        // Clause 2 reaches the week; clause 1 gets a new deadline.
        let later = vec![
            reminder("1", "2026-12-03", ReminderStage::Overdue),
            reminder("2", "2026-12-20", ReminderStage::DueWeek),
        ];
        assert_eq!(n.fresh(&later).len(), 2);
    }

    #[test]
    fn the_notification_counts_by_stage_and_names_the_most_urgent() {
        let fresh: Vec<Reminder> = (1..=7)
            .map(|i| {
                reminder(
                    &i.to_string(),
                    &format!("2026-12-{:02}", i),
                    if i < 4 { ReminderStage::Overdue } else { ReminderStage::DueWeek },
                )
            })
            .collect();
        let en = notification(&fresh, Lang::En, DateDisplay::Gregorian).unwrap();
        assert_eq!(en.title, "Clausebook — Overdue: 3 · Due within a week: 4");
        let lines: Vec<&str> = en.body.lines().collect();
        assert_eq!(lines.len(), NAMED + 1);
        assert!(lines[0].starts_with("1 Clause 1 — Action plan 2025 ("), "{}", lines[0]);
        assert_eq!(lines[NAMED], "and 2 more");
        let fa = notification(&fresh, Lang::Fa, DateDisplay::Persian).unwrap();
        assert!(fa.title.contains("دارای تأخیر: ۳"), "{}", fa.title);
        assert!(fa.body.ends_with("و ۲ بند دیگر"), "{}", fa.body);
        assert_eq!(notification(&[], Lang::En, DateDisplay::Both), None);
    }
}
