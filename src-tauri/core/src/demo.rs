//! The demo dataset: five real situations (Tajikistan, the Red Crescent,
//! UNDP, IOM, Uzbekistan) as a register an officer can explore. It is
//! compiled in, so the app never reads it from disk.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::Calendar;
use crate::deadline::{Deadline, OffsetUnit};
use crate::detail::Params;
use crate::model::meeting::{NewAgendaItem, NewMeeting, NewOutcome, NewParticipant};
use crate::model::{
    AgreementKind, AgreementStatus, ClausePatch, ClauseStatus, NewAgreement, NewClause, NewPartner, PartnerKind,
};
use crate::store::import::{Import, ImportAgreement, ImportClause, ImportError, ImportNote, ImportTarget, Imported};
use crate::store::{Store, StoreError};
use crate::vocab::{MeetingKind, MeetingStatus, OutcomeKind, Side};

/// The dataset as shipped, JSON.
pub const DEMO_JSON: &str = include_str!("../../../assets/demo/demo.json");

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The bundled file does not parse: a build defect, caught by the tests.
    #[error("the demo dataset is malformed: {0}")]
    Malformed(#[from] serde_json::Error),
    /// The bundled file names a partner it does not define (a build defect).
    #[error("the demo dataset names an unknown partner key \"{0}\"")]
    UnknownPartner(String),
    /// The bundled file's meetings name an agreement or clause it does not
    /// define (a build defect).
    #[error("the demo dataset's meetings name an unknown {0}")]
    UnknownReference(String),
    /// The register refused it (e.g. it is not empty); nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The import failed; nothing was written.
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl DemoError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            DemoError::Malformed(_) | DemoError::UnknownPartner(_) | DemoError::UnknownReference(_) => "demo_malformed",
            DemoError::Store(e) => e.code(),
            DemoError::Import(e) => e.code(),
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        match self {
            DemoError::Malformed(_) | DemoError::UnknownPartner(_) | DemoError::UnknownReference(_) => Vec::new(),
            DemoError::Store(e) => e.params(),
            DemoError::Import(e) => e.source.params(),
        }
    }

    /// One error of every variant of its own, for [`crate::catalog`].
    pub fn examples() -> Vec<DemoError> {
        let all = vec![DemoError::UnknownPartner("x".into()), DemoError::UnknownReference("clause 9".into())];
        for e in &all {
            match e {
                DemoError::Malformed(_)
                | DemoError::UnknownPartner(_)
                | DemoError::UnknownReference(_)
                | DemoError::Store(_)
                | DemoError::Import(_) => {}
            }
        }
        all
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    partners: Vec<DemoPartner>,
    agreements: Vec<DemoAgreement>,
    #[serde(default)]
    meetings: Vec<DemoMeeting>,
}

/// A meeting of the story: held ones have their outcomes applied as the
/// demo loads; a planned one may take the register's suggested agenda.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMeeting {
    title: String,
    kind: MeetingKind,
    on: NaiveDate,
    calendar: Calendar,
    time: Option<String>,
    place: Option<String>,
    remote: bool,
    status: MeetingStatus,
    next_on: Option<NaiveDate>,
    partners: Vec<String>,
    agreements: Vec<String>,
    ours: Vec<DemoPerson>,
    theirs: Vec<DemoPerson>,
    suggest: bool,
    agenda: Vec<DemoItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPerson {
    name: String,
    role: Option<String>,
    body: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoItem {
    /// A clause number in the meeting's first agreement.
    clause: Option<String>,
    text: Option<String>,
    outcomes: Vec<DemoOutcome>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOutcome {
    kind: OutcomeKind,
    text: Option<String>,
    owner_side: Option<Side>,
    owner: Option<String>,
    due: Option<NaiveDate>,
    status: Option<ClauseStatus>,
    percent: Option<u8>,
    deadline: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPartner {
    key: String,
    kind: PartnerKind,
    name: String,
    name_fa: Option<String>,
    name_local: Option<String>,
    local_lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAgreement {
    /// Names the agreement in the file; the register gives it an id.
    #[serde(rename = "key")]
    _key: String,
    kind: AgreementKind,
    title: String,
    reference: Option<String>,
    our_signatory: Option<String>,
    parties: Vec<String>,
    calendar: Calendar,
    signed_on: Option<NaiveDate>,
    in_force_from: Option<NaiveDate>,
    in_force_until: Option<NaiveDate>,
    status: AgreementStatus,
    source: Option<String>,
    summary: Option<String>,
    clauses: Vec<DemoClause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum DemoDeadline {
    On(NaiveDate),
    AfterSigning(DemoOffset),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOffset {
    months: Option<u32>,
    days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoClause {
    number: String,
    text: String,
    our_lead: Option<String>,
    partner_lead: Option<String>,
    deadline: Option<DemoDeadline>,
    status: ClauseStatus,
    percent: Option<u8>,
    indicator: Option<String>,
    tags: Vec<String>,
    notes: Vec<DemoNote>,
    children: Vec<DemoClause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoNote {
    on: NaiveDate,
    author: String,
    text: String,
    status_to: Option<ClauseStatus>,
}

fn deadline(d: &Option<DemoDeadline>) -> Deadline {
    match d {
        None => Deadline::None,
        Some(DemoDeadline::On(date)) => Deadline::On { date: *date },
        Some(DemoDeadline::AfterSigning(DemoOffset { months: Some(m), .. })) => {
            Deadline::AfterSigning { amount: *m, unit: OffsetUnit::Months }
        }
        Some(DemoDeadline::AfterSigning(DemoOffset { days, .. })) => {
            Deadline::AfterSigning { amount: days.unwrap_or(0), unit: OffsetUnit::Days }
        }
    }
}

/// What loading the demo created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DemoCounts {
    pub partners: u32,
    pub agreements: u32,
    pub clauses: u32,
    pub notes: u32,
    pub meetings: u32,
}

fn parse() -> Result<DemoFile, DemoError> {
    Ok(serde_json::from_str(DEMO_JSON)?)
}

/// The dataset as one import: its partners, then its agreements naming them.
fn to_import(file: DemoFile) -> Result<Import, DemoError> {
    let keys: Vec<String> = file.partners.iter().map(|p| p.key.clone()).collect();
    let partners = file
        .partners
        .into_iter()
        .map(|p| NewPartner {
            kind: Some(p.kind),
            name: p.name,
            name_fa: p.name_fa,
            name_local: p.name_local,
            local_lang: p.local_lang,
        })
        .collect();
    let mut agreements = Vec::with_capacity(file.agreements.len());
    for a in file.agreements {
        let new_parties = a
            .parties
            .iter()
            .map(|k| keys.iter().position(|key| key == k).ok_or_else(|| DemoError::UnknownPartner(k.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        let agreement = NewAgreement {
            kind: a.kind,
            title: a.title,
            reference: a.reference,
            our_signatory: a.our_signatory,
            parties: Vec::new(),
            calendar: a.calendar,
            signed_on: a.signed_on,
            in_force_from: a.in_force_from,
            in_force_until: a.in_force_until,
            status: a.status,
            source: a.source,
            summary: a.summary,
        };
        agreements.push(ImportAgreement {
            target: ImportTarget::New(agreement),
            new_parties,
            clauses: a.clauses.into_iter().map(clause).collect(),
            updates: Vec::new(),
        });
    }
    Ok(Import { partners, agreements })
}

fn clause(c: DemoClause) -> ImportClause {
    // A clause whose notes record status changes starts not started; its
    // notes then move it to where the story ends.
    let moved_by_notes = c.notes.iter().any(|n| n.status_to.is_some());
    let mut new = NewClause::new("", c.number, c.text);
    new.our_lead = c.our_lead;
    new.partner_lead = c.partner_lead;
    new.deadline = deadline(&c.deadline);
    new.status = if moved_by_notes { ClauseStatus::NotStarted } else { c.status };
    new.percent = c.percent;
    new.indicator = c.indicator;
    new.tags = c.tags;
    ImportClause {
        clause: new,
        notes: c
            .notes
            .into_iter()
            .map(|n| ImportNote { on_date: n.on, author: Some(n.author), text: n.text, status_to: n.status_to })
            .collect(),
        children: c.children.into_iter().map(clause).collect(),
    }
}

/// The register's ids of the dataset's keys.
struct Keys<'a> {
    partners: &'a [String],
    agreements: &'a [String],
    done: &'a Imported,
}

impl Keys<'_> {
    fn partner(&self, key: &str) -> Result<String, DemoError> {
        let at = self.partners.iter().position(|k| k == key).ok_or_else(|| DemoError::UnknownPartner(key.into()))?;
        Ok(self.done.partners[at].id.clone())
    }

    fn agreement(&self, key: &str) -> Result<String, DemoError> {
        let at = self
            .agreements
            .iter()
            .position(|k| k == key)
            .ok_or_else(|| DemoError::UnknownReference(format!("agreement \"{key}\"")))?;
        Ok(self.done.agreements[at].id.clone())
    }

    fn clause(&self, agreement_id: &str, number: &str) -> Result<String, DemoError> {
        self.done
            .clauses
            .iter()
            .find(|c| c.agreement_id == agreement_id && c.number == number)
            .map(|c| c.id.clone())
            .ok_or_else(|| DemoError::UnknownReference(format!("clause \"{number}\"")))
    }
}

/// Checks the bundled dataset can be read.
pub fn check() -> Result<(), DemoError> {
    to_import(parse()?).map(|_| ())
}

impl Store {
    /// Loads the demo dataset into an empty register, through the one bulk
    /// path ([`Store::import`]), in one transaction. Notes keep their own
    /// authors; statuses end as the story tells. Then its meetings, through
    /// the same calls the window makes: the held ones with their outcomes
    /// applied (so their clauses carry the meetings' notes), the planned one
    /// with the agenda the register suggests on `today`.
    pub fn load_demo(&mut self) -> Result<DemoCounts, DemoError> {
        let mut file = parse()?;
        let meetings = std::mem::take(&mut file.meetings);
        let partner_keys: Vec<String> = file.partners.iter().map(|p| p.key.clone()).collect();
        let agreement_keys: Vec<String> = file.agreements.iter().map(|a| a._key.clone()).collect();
        let import = to_import(file)?;
        if !self.is_empty()? {
            return Err(StoreError::NotEmpty.into());
        }
        let done = self.import(import)?;
        let keys = Keys { partners: &partner_keys, agreements: &agreement_keys, done: &done };
        for m in &meetings {
            self.load_meeting(m, &keys)?;
        }
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(DemoCounts {
            partners: count(done.partners.len()),
            agreements: count(done.agreements.len()),
            clauses: count(done.clauses.len()),
            notes: count(done.notes),
            meetings: count(meetings.len()),
        })
    }

    fn load_meeting(&mut self, m: &DemoMeeting, keys: &Keys<'_>) -> Result<(), DemoError> {
        let person = |side: Side, p: &DemoPerson| NewParticipant {
            side,
            name: p.name.clone(),
            role: p.role.clone(),
            body: p.body.clone(),
        };
        let agreement_ids = m.agreements.iter().map(|k| keys.agreement(k)).collect::<Result<Vec<_>, _>>()?;
        let first = agreement_ids.first().ok_or_else(|| DemoError::UnknownReference("agreement".into()))?;
        let new = NewMeeting {
            title: m.title.clone(),
            kind: m.kind,
            on_date: m.on,
            calendar: m.calendar,
            starts_at: m.time.clone(),
            place: m.place.clone(),
            remote: m.remote,
            status: MeetingStatus::Planned,
            next_on: m.next_on,
            partner_ids: m.partners.iter().map(|k| keys.partner(k)).collect::<Result<_, _>>()?,
            agreement_ids: agreement_ids.clone(),
            participants: m
                .ours
                .iter()
                .map(|p| person(Side::Ours, p))
                .chain(m.theirs.iter().map(|p| person(Side::Theirs, p)))
                .collect(),
        };
        let meeting = self.create_meeting(new)?;
        let today = crate::clock::today();
        let items: Vec<NewAgendaItem> = if m.suggest {
            self.suggest_agenda(&meeting.id, today)?
                .into_iter()
                .map(|s| NewAgendaItem { clause_id: Some(s.clause.id), text: None })
                .collect()
        } else {
            m.agenda
                .iter()
                .map(|i| {
                    let clause_id = i.clause.as_deref().map(|n| keys.clause(first, n)).transpose()?;
                    Ok(NewAgendaItem { clause_id, text: i.text.clone() })
                })
                .collect::<Result<_, DemoError>>()?
        };
        if items.is_empty() {
            return Ok(());
        }
        let detail = self.add_agenda_items(&meeting.id, items)?;
        if !m.suggest {
            for (item, demo) in detail.agenda.iter().zip(&m.agenda) {
                for o in &demo.outcomes {
                    let update = (o.kind == OutcomeKind::ClauseUpdate).then(|| ClausePatch {
                        status: o.status,
                        percent: o.percent.map(Some),
                        deadline: o.deadline.map(|date| Deadline::On { date }),
                        ..Default::default()
                    });
                    self.add_outcome(NewOutcome {
                        item_id: item.id.clone(),
                        kind: o.kind,
                        text: o.text.clone(),
                        owner_side: o.owner_side,
                        owner: o.owner.clone(),
                        due_on: o.due,
                        update,
                        new_clause: None,
                    })?;
                }
            }
        }
        if m.status != MeetingStatus::Planned {
            self.set_meeting_status(&meeting.id, m.status)?;
        }
        if m.status == MeetingStatus::Held {
            self.apply_outcomes(&meeting.id, None, today)?;
        }
        Ok(())
    }
}
