//! Reminders: the open clauses that are overdue or fall due within the
//! longest lead time, with the stage each has reached, less those snoozed;
//! and snoozing, a write audited on its clause.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::{Result, Store, clauses};
use crate::model::FieldChange;
use crate::vocab::{ReminderStage, SnoozeLength};

/// The lead times, longest first: a clause due within one of them has
/// reached its stage.
pub const LEAD_DAYS: [(u32, ReminderStage); 3] =
    [(30, ReminderStage::DueMonth), (7, ReminderStage::DueWeek), (1, ReminderStage::DueTomorrow)];

/// The lead times in days, longest first, for front ends to say them.
pub fn lead_days() -> Vec<u32> {
    LEAD_DAYS.iter().map(|(days, _)| *days).collect()
}

/// The stage a deadline has reached on `today`: overdue once past it, else
/// the shortest lead time it falls within; `None` beyond them all.
pub fn stage(due_on: NaiveDate, today: NaiveDate) -> Option<ReminderStage> {
    let days = (due_on - today).num_days();
    if days < 0 {
        return Some(ReminderStage::Overdue);
    }
    LEAD_DAYS.iter().rev().find(|(lead, _)| days <= i64::from(*lead)).map(|(_, s)| *s)
}

/// One clause to remind of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reminder {
    pub clause_id: String,
    pub agreement_id: String,
    pub agreement_title: String,
    /// The clause's number, as written.
    pub number: String,
    /// The start of the clause's text.
    pub text: String,
    pub due_on: NaiveDate,
    /// Days from today to the deadline: negative when overdue.
    pub days: i32,
    pub stage: ReminderStage,
}

/// The setting that turns reminders off.
pub(crate) const SETTING: &str = "reminders";

impl Store {
    /// What to remind of on `today`: the open clauses overdue or due within
    /// the longest lead time, earliest deadline first, less the snoozed.
    pub fn reminders(&self, today: NaiveDate) -> Result<Vec<Reminder>> {
        let until = today + chrono::Duration::days(i64::from(LEAD_DAYS[0].0));
        let items = self.open_due(today, NaiveDate::MIN, until, None, u32::MAX)?;
        let snoozed = self.snoozed(today)?;
        Ok(items
            .into_iter()
            .filter(|i| !snoozed.contains_key(&i.clause.id))
            .filter_map(|i| {
                let due_on = i.clause.due_on?;
                let stage = stage(due_on, today)?;
                let text = i.clause.text.lines().next().unwrap_or_default();
                let end = text.char_indices().nth(160).map_or(text.len(), |(at, _)| at);
                Some(Reminder {
                    clause_id: i.clause.id,
                    agreement_id: i.clause.agreement_id,
                    agreement_title: i.agreement_title,
                    number: i.clause.number,
                    text: text[..end].to_owned(),
                    due_on,
                    days: (due_on - today).num_days() as i32,
                    stage,
                })
            })
            .collect())
    }

    /// The clauses whose reminders are snoozed past `today`, with the day.
    fn snoozed(&self, today: NaiveDate) -> Result<HashMap<String, NaiveDate>> {
        let mut stmt = self.conn().prepare_cached("SELECT clause_id, until FROM reminder_snoozes WHERE until > ?1")?;
        let rows = stmt.query_map([today], |r| Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Snoozes a clause's reminders for a day or a week from `today`;
    /// returns the day they come back. Audited on the clause.
    pub fn snooze_reminder(&mut self, clause_id: &str, length: SnoozeLength, today: NaiveDate) -> Result<NaiveDate> {
        let until = today + chrono::Duration::days(length.days());
        self.write(|tx| {
            let clause = clauses::get(tx, clause_id)?;
            let old: Option<NaiveDate> = tx
                .query_row("SELECT until FROM reminder_snoozes WHERE clause_id = ?1", [&clause.id], |r| r.get(0))
                .optional()?;
            tx.execute(
                "INSERT INTO reminder_snoozes (clause_id, until) VALUES (?1, ?2)
                 ON CONFLICT (clause_id) DO UPDATE SET until = excluded.until",
                rusqlite::params![clause.id, until],
            )?;
            let change = FieldChange {
                field: "reminders_snoozed_until".into(),
                old: old.map(|d| d.to_string()),
                new: Some(until.to_string()),
            };
            tx.audit("clause", &clause.id, Some(&clause.agreement_id), "update", &[change])
        })?;
        Ok(until)
    }
}
