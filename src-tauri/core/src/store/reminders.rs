//! Reminders: the open clauses that are overdue or fall due within their
//! lead time, with the stage each has reached, less those snoozed; snoozing,
//! and a clause's own lead time, writes audited on the clause.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::{Result, Store, clauses};
use crate::model::{FieldChange, REMINDER_LEAD_MAX_DAYS, ValidationError};
use crate::vocab::{ReminderStage, SnoozeLength};

/// The default lead times, longest first: a clause due within one of them
/// has reached its stage.
pub const LEAD_DAYS: [(u32, ReminderStage); 3] =
    [(30, ReminderStage::DueMonth), (7, ReminderStage::DueWeek), (1, ReminderStage::DueTomorrow)];

/// The default lead times in days, longest first, for front ends to say them.
pub fn lead_days() -> Vec<u32> {
    LEAD_DAYS.iter().map(|(days, _)| *days).collect()
}

/// The lead times of a clause, longest first: the defaults, or the clause's
/// own first lead time followed by the default ones shorter than it.
pub fn leads(own: Option<u32>) -> Vec<(u32, ReminderStage)> {
    match own {
        None => LEAD_DAYS.to_vec(),
        Some(first) => {
            let stage = LEAD_DAYS.iter().find(|(d, _)| *d == first).map_or(ReminderStage::DueLead, |(_, s)| *s);
            std::iter::once((first, stage)).chain(LEAD_DAYS.iter().copied().filter(|(d, _)| *d < first)).collect()
        }
    }
}

/// The stage a deadline has reached on `today` with the clause's own lead
/// time (`None`: the defaults): overdue once past it, else the shortest
/// lead time it falls within; `None` beyond them all.
pub fn stage(due_on: NaiveDate, today: NaiveDate, own: Option<u32>) -> Option<ReminderStage> {
    let days = (due_on - today).num_days();
    if days < 0 {
        return Some(ReminderStage::Overdue);
    }
    leads(own).iter().rev().find(|(lead, _)| days <= i64::from(*lead)).map(|(_, s)| *s)
}

/// A clause's lead times, as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderLead {
    pub clause_id: String,
    /// The clause's own first lead time in days; `None` for the defaults.
    pub own: Option<u32>,
    /// The lead times in force, longest first.
    pub leads: Vec<u32>,
}

impl ReminderLead {
    fn of(clause_id: String, own: Option<u32>) -> Self {
        ReminderLead { clause_id, own, leads: leads(own).iter().map(|(d, _)| *d).collect() }
    }
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
    /// The clause's own first lead time, when it has one.
    pub own_lead: Option<u32>,
}

/// The setting that turns reminders off.
pub(crate) const SETTING: &str = "reminders";

impl Store {
    /// What to remind of on `today`: the open clauses overdue or due within
    /// their lead time, earliest deadline first, less the snoozed.
    pub fn reminders(&self, today: NaiveDate) -> Result<Vec<Reminder>> {
        let own = self.own_leads()?;
        let longest = own.values().copied().chain([LEAD_DAYS[0].0]).max().unwrap_or(LEAD_DAYS[0].0);
        let until = today + chrono::Duration::days(i64::from(longest));
        let items = self.open_due(today, NaiveDate::MIN, until, None, u32::MAX)?;
        let snoozed = self.snoozed(today)?;
        Ok(items
            .into_iter()
            .filter(|i| !snoozed.contains_key(&i.clause.id))
            .filter_map(|i| {
                let due_on = i.clause.due_on?;
                let own_lead = own.get(&i.clause.id).copied();
                let stage = stage(due_on, today, own_lead)?;
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
                    own_lead,
                })
            })
            .collect())
    }

    /// The clauses with a lead time of their own, with it.
    fn own_leads(&self) -> Result<HashMap<String, u32>> {
        let mut stmt = self.conn().prepare_cached("SELECT clause_id, days FROM reminder_leads")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A clause's lead times.
    pub fn reminder_lead(&self, clause_id: &str) -> Result<ReminderLead> {
        let clause = clauses::get(self.conn(), clause_id)?;
        let own = self.own_lead(&clause.id)?;
        Ok(ReminderLead::of(clause.id, own))
    }

    fn own_lead(&self, clause_id: &str) -> Result<Option<u32>> {
        Ok(self
            .conn()
            .query_row("SELECT days FROM reminder_leads WHERE clause_id = ?1", [clause_id], |r| r.get(0))
            .optional()?)
    }

    /// Sets a clause's own first lead time in days (1 to
    /// [`REMINDER_LEAD_MAX_DAYS`]), or with `None` returns it to the
    /// defaults. Audited on the clause.
    pub fn set_reminder_lead(&mut self, clause_id: &str, days: Option<i64>) -> Result<ReminderLead> {
        let days = days
            .map(|d| match u32::try_from(d) {
                Ok(n) if (1..=REMINDER_LEAD_MAX_DAYS).contains(&n) => Ok(n),
                _ => Err(ValidationError::ReminderLead { days: d, max: REMINDER_LEAD_MAX_DAYS }),
            })
            .transpose()?;
        let clause = clauses::get(self.conn(), clause_id)?;
        let old = self.own_lead(&clause.id)?;
        if old == days {
            return Ok(ReminderLead::of(clause.id, days));
        }
        self.write(|tx| {
            match days {
                Some(d) => tx.execute(
                    "INSERT INTO reminder_leads (clause_id, days) VALUES (?1, ?2)
                     ON CONFLICT (clause_id) DO UPDATE SET days = excluded.days",
                    rusqlite::params![clause.id, d],
                )?,
                None => tx.execute("DELETE FROM reminder_leads WHERE clause_id = ?1", [&clause.id])?,
            };
            let change = FieldChange {
                field: "reminder_lead_days".into(),
                old: old.map(|d| d.to_string()),
                new: days.map(|d| d.to_string()),
            };
            tx.audit("clause", &clause.id, Some(&clause.agreement_id), "update", &[change])
        })?;
        Ok(ReminderLead::of(clause.id, days))
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
