//! Meetings: sessions with partners about agreements, who took part on each
//! side, the agenda (free text or clauses), and what each item produced:
//! information, a decision with an owner and a due date, or a change to the
//! register (a clause update, a new clause) that waits for the officer to
//! apply it. The rules on their fields are here; the store checks how they
//! relate to the register (that a clause belongs to the meeting's
//! agreements, that an outcome is not applied twice).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ClausePatch, ClauseStatus, FieldChange, NewClause, ValidationError, optional_long, optional_short};
use crate::vocab::{AgendaReason, Calendar, MeetingKind, MeetingStatus, OutcomeKind, Side};

/// A meeting to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewMeeting {
    pub title: String,
    pub kind: MeetingKind,
    /// The day it is (or was) held.
    pub on_date: NaiveDate,
    /// The calendar the officer gave the date in, for showing it back.
    pub calendar: Calendar,
    /// Local start time, `HH:MM`.
    pub starts_at: Option<String>,
    /// Where it is held; none when remote.
    pub place: Option<String>,
    pub remote: bool,
    pub status: MeetingStatus,
    /// When the next meeting is planned, if it is.
    pub next_on: Option<NaiveDate>,
    /// The partners it is held with: at least one.
    pub partner_ids: Vec<String>,
    /// The agreements it concerns (their clauses can be on the agenda).
    pub agreement_ids: Vec<String>,
    pub participants: Vec<NewParticipant>,
}

/// A person taking part, on either side; their name in any script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewParticipant {
    pub side: Side,
    pub name: String,
    /// Their position: "Deputy Minister".
    pub role: Option<String>,
    /// The body they come from.
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Participant {
    pub id: String,
    pub side: Side,
    pub name: String,
    pub role: Option<String>,
    pub body: Option<String>,
}

/// A partner or an agreement a meeting names, with what to show for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Named {
    pub id: String,
    pub name: String,
    /// The Persian name, where the record has one.
    pub name_fa: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Meeting {
    pub id: String,
    pub title: String,
    pub kind: MeetingKind,
    pub on_date: NaiveDate,
    pub calendar: Calendar,
    pub starts_at: Option<String>,
    pub place: Option<String>,
    pub remote: bool,
    pub status: MeetingStatus,
    pub next_on: Option<NaiveDate>,
    pub partners: Vec<Named>,
    pub agreements: Vec<Named>,
    pub participants: Vec<Participant>,
    /// Agenda items, outcomes, and outcomes proposing a change not yet applied.
    pub items: u32,
    pub outcomes: u32,
    pub pending: u32,
    pub created_at: String,
    pub updated_at: String,
}

/// An agenda item to set: free text, a clause, or a clause with what to raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewAgendaItem {
    pub clause_id: Option<String>,
    pub text: Option<String>,
}

/// A clause as an agenda shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClauseRef {
    pub id: String,
    pub agreement_id: String,
    pub agreement_title: String,
    pub number: String,
    pub text: String,
    pub status: ClauseStatus,
    pub percent: Option<u8>,
    pub due_on: Option<NaiveDate>,
    pub our_lead: Option<String>,
    pub partner_lead: Option<String>,
    /// Deleted since it was put on the agenda.
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgendaItem {
    pub id: String,
    /// 1, 2, 3… in agenda order.
    pub position: u32,
    pub clause: Option<ClauseRef>,
    pub text: Option<String>,
    pub outcomes: Vec<Outcome>,
}

/// What an agenda item produced, to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewOutcome {
    pub item_id: String,
    pub kind: OutcomeKind,
    /// What was said or decided (information, decision), or why (the rest).
    pub text: Option<String>,
    /// Who carries a decision out, on which side.
    pub owner_side: Option<Side>,
    pub owner: Option<String>,
    /// By when a decision is to be carried out.
    pub due_on: Option<NaiveDate>,
    /// The change a clause-update outcome proposes to its item's clause.
    pub update: Option<ClausePatch>,
    /// The clause a new-clause outcome proposes.
    pub new_clause: Option<NewClause>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Outcome {
    pub id: String,
    pub item_id: String,
    pub kind: OutcomeKind,
    pub text: Option<String>,
    pub owner_side: Option<Side>,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// The clause a clause update changes.
    pub clause_id: Option<String>,
    pub update: Option<ClausePatch>,
    pub new_clause: Option<NewClause>,
    /// When it was applied to the register; `None` while it waits.
    pub applied_at: Option<String>,
    /// The clause an applied new-clause outcome created.
    pub created_clause_id: Option<String>,
    /// What applying it changed, field by field, as it was then; empty
    /// while it waits.
    pub applied_changes: Vec<FieldChange>,
}

impl Outcome {
    /// Whether it proposes a change to the register that is not applied yet.
    pub fn pending(&self) -> bool {
        self.applied_at.is_none() && matches!(self.kind, OutcomeKind::ClauseUpdate | OutcomeKind::NewClause)
    }
}

/// A meeting with its agenda and outcomes: the meeting page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub agenda: Vec<AgendaItem>,
}

/// A clause "suggest an agenda" proposes, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Suggestion {
    pub clause: ClauseRef,
    pub reasons: Vec<AgendaReason>,
}

/// One proposed change as the review screen shows it: the clause's fields
/// now and as proposed (for a new clause, its fields with no "now").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Review {
    pub outcome_id: String,
    pub kind: OutcomeKind,
    /// The agenda item's number.
    pub item: u32,
    /// The clause changed, or the new clause's number.
    pub number: String,
    pub agreement_title: String,
    pub changes: Vec<FieldChange>,
    pub applied: bool,
}

/// What applying a meeting's outcomes did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Applied {
    /// Clauses changed and clauses created.
    pub updated: u32,
    pub created: u32,
    /// Progress notes written (one per applied outcome).
    pub notes: u32,
    /// The clauses changed or created.
    pub clause_ids: Vec<String>,
}

/// Checks a meeting's own fields; returns them trimmed.
pub(crate) fn check_meeting(new: &NewMeeting) -> Result<NewMeeting, ValidationError> {
    let title = super::required_short("meeting title", &new.title)?;
    let starts_at = new.starts_at.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(check_time).transpose()?;
    let place = if new.remote { None } else { optional_short("place", new.place.as_deref())? };
    if new.partner_ids.is_empty() {
        return Err(ValidationError::NoParties);
    }
    let participants = new
        .participants
        .iter()
        .map(|p| {
            Ok(NewParticipant {
                side: p.side,
                name: super::required_short("participant name", &p.name)?,
                role: optional_short("position", p.role.as_deref())?,
                body: optional_short("body", p.body.as_deref())?,
            })
        })
        .collect::<Result<_, ValidationError>>()?;
    if let Some(next) = new.next_on
        && next < new.on_date
    {
        return Err(ValidationError::NextBeforeMeeting { next, on_date: new.on_date });
    }
    Ok(NewMeeting { title, starts_at, place, participants, ..new.clone() })
}

/// A time of day as `HH:MM` (a single-digit hour is padded).
fn check_time(s: &str) -> Result<String, ValidationError> {
    let bad = || ValidationError::BadTime(s.to_owned());
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 || s.split_once(':').is_some_and(|(_, m)| m.len() != 2) {
        return Err(bad());
    }
    Ok(format!("{h:02}:{m:02}"))
}

/// Checks an outcome's own fields: what each kind needs.
pub(crate) fn check_outcome(new: &NewOutcome) -> Result<NewOutcome, ValidationError> {
    let text = optional_long("outcome text", new.text.as_deref())?;
    let owner = optional_short("owner", new.owner.as_deref())?;
    let needs = |what: &'static str| ValidationError::Empty { field: what };
    match new.kind {
        OutcomeKind::Information | OutcomeKind::Decision if text.is_none() => {
            return Err(needs("what was said or decided"));
        }
        OutcomeKind::ClauseUpdate if new.update.as_ref().is_none_or(patch_is_empty) => {
            return Err(needs("the change to the clause"));
        }
        OutcomeKind::NewClause if new.new_clause.is_none() => return Err(needs("the new clause")),
        _ => {}
    }
    // Completing a clause completes its percentage; an outcome says so
    // itself, so that every outcome only sets fields (see `apply_outcomes`).
    let update = new.update.clone().filter(|_| new.kind == OutcomeKind::ClauseUpdate).map(|mut p| {
        if p.status == Some(ClauseStatus::Completed) && p.percent.is_none() {
            p.percent = Some(Some(100));
        }
        p
    });
    Ok(NewOutcome {
        text,
        owner,
        update,
        owner_side: new.owner_side.filter(|_| new.kind == OutcomeKind::Decision),
        due_on: new.due_on.filter(|_| new.kind == OutcomeKind::Decision),
        new_clause: new.new_clause.clone().filter(|_| new.kind == OutcomeKind::NewClause),
        ..new.clone()
    })
}

/// Whether a clause patch changes nothing.
pub(crate) fn patch_is_empty(p: &ClausePatch) -> bool {
    *p == ClausePatch::default()
}
