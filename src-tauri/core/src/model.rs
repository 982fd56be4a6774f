//! The records of the register and the rules every input must pass.
//!
//! Inputs (`New*`) and changes (`*Patch`) are checked here before the store
//! writes anything; a [`ValidationError`] says what to fix. Derived facts,
//! such as whether a clause is overdue, are computed from the records and
//! never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::calendar::Calendar;
use crate::deadline::{Deadline, MAX_OFFSET_DAYS, MAX_OFFSET_MONTHS, OffsetUnit};
use crate::detail::{Param, Params};
use crate::vocab::UnknownCode;
pub use crate::vocab::{AgreementKind, AgreementStatus, ClauseStatus, PartnerKind};

pub mod attachment;
pub mod meeting;

/// Longest name, number, lead body or reference, in characters.
pub const SHORT_TEXT_MAX_CHARS: usize = 500;
/// Longest clause text, summary or note, in bytes (100 KiB).
pub const LONG_TEXT_MAX_BYTES: usize = 100 * 1024;
/// How far ahead "due soon" looks, in days.
pub const DUE_SOON_DAYS: i32 = 30;

/// Longest theme (tag), in characters.
pub const TAG_MAX_CHARS: usize = 60;

/// The longest lead time a clause's reminders can have, in days.
pub const REMINDER_LEAD_MAX_DAYS: u32 = 365;

/// The limits inputs are checked against, for front ends that check a field
/// before sending it (the store checks again): one source for each number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Limits {
    pub short_text_max_chars: u32,
    pub long_text_max_bytes: u32,
    pub tag_max_chars: u32,
    pub due_soon_days: u32,
    pub max_offset_days: u32,
    pub max_offset_months: u32,
    pub reminder_lead_max_days: u32,
    pub attachment_max_bytes: u32,
}

pub const LIMITS: Limits = Limits {
    short_text_max_chars: SHORT_TEXT_MAX_CHARS as u32,
    long_text_max_bytes: LONG_TEXT_MAX_BYTES as u32,
    tag_max_chars: TAG_MAX_CHARS as u32,
    due_soon_days: DUE_SOON_DAYS as u32,
    max_offset_days: MAX_OFFSET_DAYS,
    max_offset_months: MAX_OFFSET_MONTHS,
    reminder_lead_max_days: REMINDER_LEAD_MAX_DAYS,
    attachment_max_bytes: attachment::MAX_BYTES as u32,
};

/// What is wrong with an input, in words that say what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is empty: please fill it in")]
    Empty { field: &'static str },
    #[error(
        "{field} is too long ({len} {unit}; at most {max}): shorten it, or keep the full text in the source document"
    )]
    TooLong { field: &'static str, len: usize, max: usize, unit: &'static str },
    #[error("percent done must be between 0 and 100, not {0}")]
    Percent(i64),
    #[error("the deadline {deadline} is before the agreement was signed ({signed}): check both dates")]
    DeadlineBeforeSigning { deadline: NaiveDate, signed: NaiveDate },
    #[error("\"in force until\" ({until}) is before \"in force from\" ({from})")]
    EndBeforeStart { from: NaiveDate, until: NaiveDate },
    #[error("\"in force from\" ({from}) is before the signing date ({signed})")]
    InForceBeforeSigning { from: NaiveDate, signed: NaiveDate },
    #[error("an agreement needs at least one partner party")]
    NoParties,
    #[error("partner {0} is listed twice among the parties")]
    DuplicateParty(String),
    #[error("a deadline of {amount} {unit} after signing is too far off (at most {max} {unit})")]
    OffsetTooLarge { amount: u32, unit: &'static str, max: u32 },
    #[error("tags must be non-empty single lines of at most 60 characters; \"{0}\" is not")]
    BadTag(String),
    #[error("unknown {field} \"{value}\": use one of {allowed}")]
    UnknownValue { field: &'static str, value: String, allowed: &'static str },
    #[error("a progress note records what has happened: its date ({on_date}) cannot be after today ({today})")]
    NoteInFuture { on_date: NaiveDate, today: NaiveDate },
    #[error("the first reminder must come between 1 and {max} days before the deadline, not {days}")]
    ReminderLead { days: i64, max: u32 },
    #[error("\"{0}\" is not a time of day: write it as hours and minutes, such as 09:30 or 14:00")]
    BadTime(String),
    #[error("the next meeting ({next}) is before this one ({on_date}): check both dates")]
    NextBeforeMeeting { next: NaiveDate, on_date: NaiveDate },
}

impl ValidationError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::Empty { .. } => "empty_field",
            ValidationError::TooLong { .. } => "too_long",
            ValidationError::Percent(_) => "percent_out_of_range",
            ValidationError::DeadlineBeforeSigning { .. } => "deadline_before_signing",
            ValidationError::EndBeforeStart { .. } => "end_before_start",
            ValidationError::InForceBeforeSigning { .. } => "in_force_before_signing",
            ValidationError::NoParties => "no_parties",
            ValidationError::DuplicateParty(_) => "duplicate_party",
            ValidationError::OffsetTooLarge { .. } => "offset_too_large",
            ValidationError::BadTag(_) => "bad_tag",
            ValidationError::UnknownValue { .. } => "unknown_value",
            ValidationError::NoteInFuture { .. } => "note_in_future",
            ValidationError::ReminderLead { .. } => "reminder_lead_out_of_range",
            ValidationError::BadTime(_) => "bad_time",
            ValidationError::NextBeforeMeeting { .. } => "next_before_meeting",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        match self {
            ValidationError::Empty { .. } | ValidationError::NoParties => Vec::new(),
            ValidationError::TooLong { len, max, unit, .. } => vec![
                ("length", Param::Number(*len as i64)),
                ("max", Param::Number(*max as i64)),
                ("unit", Param::Word(unit)),
            ],
            ValidationError::Percent(value) => vec![("value", Param::Number(*value))],
            ValidationError::DeadlineBeforeSigning { deadline, signed } => {
                vec![("deadline", Param::Date(*deadline)), ("signed", Param::Date(*signed))]
            }
            ValidationError::EndBeforeStart { from, until } => {
                vec![("from", Param::Date(*from)), ("until", Param::Date(*until))]
            }
            ValidationError::InForceBeforeSigning { from, signed } => {
                vec![("from", Param::Date(*from)), ("signed", Param::Date(*signed))]
            }
            ValidationError::DuplicateParty(name) => vec![("name", Param::Text(name.clone()))],
            ValidationError::OffsetTooLarge { amount, unit, max } => vec![
                ("amount", Param::Number(i64::from(*amount))),
                ("max", Param::Number(i64::from(*max))),
                ("unit", Param::Word(unit)),
            ],
            ValidationError::BadTag(tag) => vec![("tag", Param::Text(tag.clone()))],
            ValidationError::UnknownValue { value, .. } => vec![("value_text", Param::Text(value.clone()))],
            ValidationError::NoteInFuture { on_date, today } => {
                vec![("on_date", Param::Date(*on_date)), ("today", Param::Date(*today))]
            }
            ValidationError::ReminderLead { days, max } => {
                vec![("days", Param::Number(*days)), ("max", Param::Number(i64::from(*max)))]
            }
            ValidationError::BadTime(value) => vec![("value_text", Param::Text(value.clone()))],
            ValidationError::NextBeforeMeeting { next, on_date } => {
                vec![("next", Param::Date(*next)), ("on_date", Param::Date(*on_date))]
            }
        }
    }

    /// One error of every variant, for [`crate::detail::catalog`]; the match
    /// fails to compile when a variant is added, as a reminder to add it here.
    pub fn examples() -> Vec<ValidationError> {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid example date");
        let all = vec![
            ValidationError::Empty { field: "title" },
            ValidationError::TooLong { field: "text", len: 120_000, max: LONG_TEXT_MAX_BYTES, unit: "bytes" },
            ValidationError::Percent(140),
            ValidationError::DeadlineBeforeSigning { deadline: day(2025, 1, 5), signed: day(2025, 3, 1) },
            ValidationError::EndBeforeStart { from: day(2025, 3, 1), until: day(2024, 3, 1) },
            ValidationError::InForceBeforeSigning { from: day(2025, 1, 1), signed: day(2025, 3, 1) },
            ValidationError::NoParties,
            ValidationError::DuplicateParty("IOM".into()),
            ValidationError::OffsetTooLarge { amount: 900, unit: "months", max: MAX_OFFSET_MONTHS },
            ValidationError::BadTag("a\nb".into()),
            ValidationError::UnknownValue { field: "status", value: "done".into(), allowed: "not_started, completed" },
            ValidationError::NoteInFuture { on_date: day(2026, 12, 1), today: day(2026, 11, 22) },
            ValidationError::ReminderLead { days: 400, max: REMINDER_LEAD_MAX_DAYS },
            ValidationError::BadTime("25:00".into()),
            ValidationError::NextBeforeMeeting { next: day(2026, 11, 1), on_date: day(2026, 12, 1) },
        ];
        for e in &all {
            match e {
                ValidationError::Empty { .. }
                | ValidationError::TooLong { .. }
                | ValidationError::Percent(_)
                | ValidationError::DeadlineBeforeSigning { .. }
                | ValidationError::EndBeforeStart { .. }
                | ValidationError::InForceBeforeSigning { .. }
                | ValidationError::NoParties
                | ValidationError::DuplicateParty(_)
                | ValidationError::OffsetTooLarge { .. }
                | ValidationError::BadTag(_)
                | ValidationError::UnknownValue { .. }
                | ValidationError::NoteInFuture { .. }
                | ValidationError::ReminderLead { .. }
                | ValidationError::BadTime(_)
                | ValidationError::NextBeforeMeeting { .. } => {}
            }
        }
        all
    }
}

impl From<UnknownCode> for ValidationError {
    fn from(e: UnknownCode) -> Self {
        ValidationError::UnknownValue { field: e.set, value: e.value, allowed: e.allowed }
    }
}

/// Serde for the optional fields of a patch: an absent field is `None`
/// (keep), `null` is `Some(None)` (clear), a value is `Some(Some(v))`.
fn patch_field<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A country or organisation we sign with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Partner {
    pub id: String,
    pub kind: PartnerKind,
    /// The English name.
    pub name: String,
    pub name_fa: Option<String>,
    /// The name in the partner's own language, e.g. Тоҷикистон.
    pub name_local: Option<String>,
    /// The BCP 47 code of `name_local`, e.g. `tg`.
    pub local_lang: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewPartner {
    pub kind: Option<PartnerKind>,
    pub name: String,
    pub name_fa: Option<String>,
    pub name_local: Option<String>,
    pub local_lang: Option<String>,
}

/// Changes to a partner: `None` leaves a field as it is; for optional fields
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PartnerPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub kind: Option<PartnerKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub name: Option<String>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub name_fa: Option<Option<String>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub name_local: Option<Option<String>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub local_lang: Option<Option<String>>,
}

/// A party to an agreement, with its names for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Party {
    pub partner_id: String,
    pub name: String,
    pub name_fa: Option<String>,
}

/// An MoU, memorandum, action plan or joint project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Agreement {
    pub id: String,
    pub kind: AgreementKind,
    pub title: String,
    pub reference: Option<String>,
    /// Our signatory body, e.g. State Welfare Organization.
    pub our_signatory: Option<String>,
    pub parties: Vec<Party>,
    /// The calendar the agreement is drafted in; relative deadlines count in it.
    pub calendar: Calendar,
    pub signed_on: Option<NaiveDate>,
    pub in_force_from: Option<NaiveDate>,
    pub in_force_until: Option<NaiveDate>,
    pub status: AgreementStatus,
    /// Where it comes from: a document or news reference.
    pub source: Option<String>,
    pub summary: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewAgreement {
    pub kind: AgreementKind,
    pub title: String,
    pub reference: Option<String>,
    pub our_signatory: Option<String>,
    /// Partner ids, in order.
    pub parties: Vec<String>,
    pub calendar: Calendar,
    pub signed_on: Option<NaiveDate>,
    pub in_force_from: Option<NaiveDate>,
    pub in_force_until: Option<NaiveDate>,
    pub status: AgreementStatus,
    pub source: Option<String>,
    pub summary: Option<String>,
}

impl NewAgreement {
    /// A draft with a title and parties; the rest empty.
    pub fn draft(title: impl Into<String>, parties: Vec<String>) -> Self {
        NewAgreement {
            kind: AgreementKind::Mou,
            title: title.into(),
            reference: None,
            our_signatory: None,
            parties,
            calendar: Calendar::Gregorian,
            signed_on: None,
            in_force_from: None,
            in_force_until: None,
            status: AgreementStatus::Draft,
            source: None,
            summary: None,
        }
    }
}

/// Changes to an agreement; see [`PartnerPatch`] for the meaning of `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AgreementPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub kind: Option<AgreementKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub title: Option<String>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub reference: Option<Option<String>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub our_signatory: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub parties: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub calendar: Option<Calendar>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<NaiveDate>, optional))]
    pub signed_on: Option<Option<NaiveDate>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<NaiveDate>, optional))]
    pub in_force_from: Option<Option<NaiveDate>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<NaiveDate>, optional))]
    pub in_force_until: Option<Option<NaiveDate>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub status: Option<AgreementStatus>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub source: Option<Option<String>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub summary: Option<Option<String>>,
}

/// One clause, sub-clause or action of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Clause {
    pub id: String,
    pub agreement_id: String,
    pub parent_id: Option<String>,
    /// Order among its siblings.
    pub position: i32,
    /// The number as printed in the agreement: `3`, `3.1`, `a)`.
    pub number: String,
    pub text: String,
    pub our_lead: Option<String>,
    pub partner_lead: Option<String>,
    pub deadline: Deadline,
    /// The deadline resolved to a day (relative ones need a signing date).
    pub due_on: Option<NaiveDate>,
    pub status: ClauseStatus,
    pub percent: Option<u8>,
    /// What counts as done.
    pub indicator: Option<String>,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Where a clause stands against its deadline on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum DueState {
    /// Completed or cancelled: the deadline no longer matters.
    Closed,
    /// Open, with no resolved deadline.
    NoDeadline,
    /// Open and past its deadline by `days`.
    Overdue { days: i32 },
    /// Open and due within [`DUE_SOON_DAYS`] (0 means today).
    DueSoon { days: i32 },
    /// Open and due later.
    Later { days: i32 },
}

/// The due state of a clause with `status` and `due_on`, seen on `today`.
pub fn due_state(status: ClauseStatus, due_on: Option<NaiveDate>, today: NaiveDate) -> DueState {
    if !status.is_open() {
        return DueState::Closed;
    }
    let Some(due) = due_on else { return DueState::NoDeadline };
    // Deadlines lie within a few centuries of today: the days fit an i32.
    let days = (due - today).num_days() as i32;
    if days < 0 {
        DueState::Overdue { days: -days }
    } else if days <= DUE_SOON_DAYS {
        DueState::DueSoon { days }
    } else {
        DueState::Later { days }
    }
}

impl Clause {
    pub fn due_state(&self, today: NaiveDate) -> DueState {
        due_state(self.status, self.due_on, today)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewClause {
    pub agreement_id: String,
    pub parent_id: Option<String>,
    pub number: String,
    pub text: String,
    pub our_lead: Option<String>,
    pub partner_lead: Option<String>,
    pub deadline: Deadline,
    pub status: ClauseStatus,
    pub percent: Option<u8>,
    pub indicator: Option<String>,
    pub tags: Vec<String>,
}

impl NewClause {
    /// A not-started clause with a number and text; the rest empty.
    pub fn new(agreement_id: impl Into<String>, number: impl Into<String>, text: impl Into<String>) -> Self {
        NewClause {
            agreement_id: agreement_id.into(),
            parent_id: None,
            number: number.into(),
            text: text.into(),
            our_lead: None,
            partner_lead: None,
            deadline: Deadline::None,
            status: ClauseStatus::NotStarted,
            percent: None,
            indicator: None,
            tags: Vec::new(),
        }
    }
}

/// Changes to a clause; see [`PartnerPatch`] for the meaning of `None`.
/// Moving a clause is a separate operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ClausePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub text: Option<String>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub our_lead: Option<Option<String>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub partner_lead: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub deadline: Option<Deadline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub status: Option<ClauseStatus>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<u8>, optional))]
    pub percent: Option<Option<u8>>,
    #[serde(deserialize_with = "patch_field", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>, optional))]
    pub indicator: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub tags: Option<Vec<String>>,
}

/// Where a clause goes, as the officer asks for it. Each step names the
/// intent; the store works out the place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "to")]
pub enum ClauseMove {
    /// One place up among its siblings.
    Up,
    /// One place down among its siblings.
    Down,
    /// Becomes the last sub-clause of the sibling above it.
    Indent,
    /// Moves out one level, right after its former parent.
    Outdent,
    /// Under `parent` (`None`: the top level), at `index` among its new
    /// siblings (`None`: last).
    Under { parent: Option<String>, index: Option<u32> },
}

/// One column of a spreadsheet mapped to a clause field (see
/// [`crate::sheet`]): `column` is 0-based (A is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldColumn {
    pub field: crate::vocab::SheetField,
    pub column: u32,
}

/// A dated progress note on a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Note {
    pub id: String,
    pub clause_id: String,
    pub on_date: NaiveDate,
    pub author: String,
    pub text: String,
    /// The status change this note recorded, if any.
    pub status_from: Option<ClauseStatus>,
    pub status_to: Option<ClauseStatus>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewNote {
    pub clause_id: String,
    pub on_date: NaiveDate,
    /// Defaults to the officer named in settings.
    pub author: Option<String>,
    pub text: String,
    /// Set to change the clause's status with this note.
    pub status_to: Option<ClauseStatus>,
}

/// One field's change in an audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One row of the audit log: who changed what, when, from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: Vec<FieldChange>,
}

/// The settings an officer keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settings {
    /// Recorded as the actor of every change.
    pub officer_name: String,
    pub organisation: String,
    pub ui_language: crate::calendar::Lang,
    pub date_display: crate::calendar::DateDisplay,
    /// Deadline reminders as desktop notifications (on unless turned off).
    pub reminders: bool,
    /// Closing the window leaves the app running in the tray, with the
    /// overdue count (off unless turned on).
    pub tray: bool,
}

/// Changes to settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct SettingsPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub officer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub organisation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub ui_language: Option<crate::calendar::Lang>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub date_display: Option<crate::calendar::DateDisplay>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub reminders: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub tray: Option<bool>,
}

// Field checks. They trim surrounding white space: a name of spaces is empty.

pub(crate) fn required_short(field: &'static str, value: &str) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::Empty { field });
    }
    check_short(field, v)?;
    Ok(v.to_owned())
}

pub(crate) fn optional_short(field: &'static str, value: Option<&str>) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            check_short(field, v)?;
            Ok(Some(v.to_owned()))
        }
    }
}

fn check_short(field: &'static str, v: &str) -> Result<(), ValidationError> {
    let len = v.chars().count();
    if len > SHORT_TEXT_MAX_CHARS {
        return Err(ValidationError::TooLong { field, len, max: SHORT_TEXT_MAX_CHARS, unit: "characters" });
    }
    Ok(())
}

pub(crate) fn required_long(field: &'static str, value: &str) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::Empty { field });
    }
    check_long(field, v)?;
    Ok(v.to_owned())
}

pub(crate) fn optional_long(field: &'static str, value: Option<&str>) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            check_long(field, v)?;
            Ok(Some(v.to_owned()))
        }
    }
}

fn check_long(field: &'static str, v: &str) -> Result<(), ValidationError> {
    if v.len() > LONG_TEXT_MAX_BYTES {
        return Err(ValidationError::TooLong { field, len: v.len(), max: LONG_TEXT_MAX_BYTES, unit: "bytes" });
    }
    Ok(())
}

pub(crate) fn check_percent(percent: Option<u8>) -> Result<(), ValidationError> {
    match percent {
        Some(p) if p > 100 => Err(ValidationError::Percent(i64::from(p))),
        _ => Ok(()),
    }
}

pub(crate) fn check_tags(tags: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let t = tag.trim();
        if t.is_empty() || t.chars().count() > TAG_MAX_CHARS || t.contains(['\n', '\r']) {
            return Err(ValidationError::BadTag(tag.clone()));
        }
        let t = t.to_lowercase();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

pub(crate) fn check_deadline(deadline: &Deadline) -> Result<(), ValidationError> {
    if let Deadline::AfterSigning { amount, unit } = *deadline {
        let max = match unit {
            OffsetUnit::Days => MAX_OFFSET_DAYS,
            OffsetUnit::Months => MAX_OFFSET_MONTHS,
        };
        if amount > max {
            return Err(ValidationError::OffsetTooLarge { amount, unit: unit.as_str(), max });
        }
    }
    Ok(())
}

/// A fixed deadline before the signing date makes no sense.
pub(crate) fn check_deadline_after_signing(
    deadline: &Deadline,
    signed_on: Option<NaiveDate>,
) -> Result<(), ValidationError> {
    if let (Deadline::On { date }, Some(signed)) = (deadline, signed_on)
        && *date < signed
    {
        return Err(ValidationError::DeadlineBeforeSigning { deadline: *date, signed });
    }
    Ok(())
}

pub(crate) fn check_agreement_dates(
    signed_on: Option<NaiveDate>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<(), ValidationError> {
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        return Err(ValidationError::EndBeforeStart { from, until });
    }
    if let (Some(signed), Some(from)) = (signed_on, from)
        && from < signed
    {
        return Err(ValidationError::InForceBeforeSigning { from, signed });
    }
    Ok(())
}

pub(crate) fn check_parties(parties: &[String]) -> Result<(), ValidationError> {
    if parties.is_empty() {
        return Err(ValidationError::NoParties);
    }
    for (i, p) in parties.iter().enumerate() {
        if parties[..i].contains(p) {
            return Err(ValidationError::DuplicateParty(p.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_state_is_derived_from_status_and_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let d = |s: &str| Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(due_state(ClauseStatus::InProgress, d("2026-11-01"), today), DueState::Overdue { days: 21 });
        assert_eq!(due_state(ClauseStatus::Completed, d("2026-11-01"), today), DueState::Closed);
        assert_eq!(due_state(ClauseStatus::OnHold, d("2026-12-01"), today), DueState::DueSoon { days: 9 });
        assert_eq!(due_state(ClauseStatus::NotStarted, d("2027-12-01"), today), DueState::Later { days: 374 });
        assert_eq!(due_state(ClauseStatus::NotStarted, None, today), DueState::NoDeadline);
    }

    #[test]
    fn the_due_soon_label_names_the_due_soon_window() {
        use crate::vocab::{Figure, Lang};
        let days = DUE_SOON_DAYS.to_string();
        assert_eq!(Figure::DueSoon.label(Lang::En), format!("Due within {days} days"));
        let fa_days = crate::calendar::persian_digits(&days);
        assert_eq!(Figure::DueSoon.label(Lang::Fa), format!("مهلت در {fa_days} روز آینده"));
    }

    #[test]
    fn text_checks_say_what_to_fix() {
        assert_eq!(required_short("title", "   ").unwrap_err(), ValidationError::Empty { field: "title" });
        assert_eq!(required_short("title", "  MoU ").unwrap(), "MoU");
        let long = "x".repeat(LONG_TEXT_MAX_BYTES + 1);
        assert_eq!(required_long("clause text", &long).unwrap_err().code(), "too_long");
        assert_eq!(optional_short("reference", Some("  ")).unwrap(), None);
        assert_eq!(check_tags(&["Training".into(), "training".into()]).unwrap(), vec!["training"]);
        assert!(check_tags(&["".into()]).is_err());
        assert_eq!(ValidationError::from(ClauseStatus::parse("done").unwrap_err()).code(), "unknown_value");
    }
}

/// Clause counts per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatusCounts {
    pub not_started: u32,
    pub in_progress: u32,
    pub completed: u32,
    pub on_hold: u32,
    pub cancelled: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: ClauseStatus, n: u32) {
        match status {
            ClauseStatus::NotStarted => self.not_started += n,
            ClauseStatus::InProgress => self.in_progress += n,
            ClauseStatus::Completed => self.completed += n,
            ClauseStatus::OnHold => self.on_hold += n,
            ClauseStatus::Cancelled => self.cancelled += n,
        }
    }

    pub fn get(&self, status: ClauseStatus) -> u32 {
        match status {
            ClauseStatus::NotStarted => self.not_started,
            ClauseStatus::InProgress => self.in_progress,
            ClauseStatus::Completed => self.completed,
            ClauseStatus::OnHold => self.on_hold,
            ClauseStatus::Cancelled => self.cancelled,
        }
    }

    pub fn total(&self) -> u32 {
        self.not_started + self.in_progress + self.completed + self.on_hold + self.cancelled
    }
}
