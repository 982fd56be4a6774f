//! The demo dataset: five real situations (Tajikistan, the Red Crescent,
//! UNDP, IOM, Uzbekistan) as a register an officer can explore. It is
//! compiled in, so the app never reads it from disk.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::Calendar;
use crate::deadline::{Deadline, OffsetUnit};
use crate::model::{
    AgreementKind, AgreementStatus, ClauseStatus, NewAgreement, NewClause, NewNote, NewPartner, PartnerKind,
};
use crate::store::{Result, Store};

/// The dataset as shipped, JSON.
pub const DEMO_JSON: &str = include_str!("../../../assets/demo/demo.json");

/// Why the demo file could not be read. It is compiled in, so this is a
/// build defect, caught by the test suite.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo dataset is malformed: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("the demo dataset names an unknown partner key \"{0}\"")]
    UnknownPartner(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    partners: Vec<DemoPartner>,
    agreements: Vec<DemoAgreement>,
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
    #[allow(dead_code)]
    key: String,
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
}

fn parse() -> Result<DemoFile, DemoError> {
    Ok(serde_json::from_str(DEMO_JSON)?)
}

/// Checks the bundled dataset can be read.
pub fn check() -> Result<(), DemoError> {
    let file = parse()?;
    for a in &file.agreements {
        for key in &a.parties {
            if !file.partners.iter().any(|p| &p.key == key) {
                return Err(DemoError::UnknownPartner(key.clone()));
            }
        }
    }
    Ok(())
}

impl Store {
    /// Loads the demo dataset into an empty register, in one transaction.
    /// Notes keep their own authors; statuses end as the story tells.
    pub fn load_demo(&mut self) -> Result<DemoCounts> {
        let file = parse()?;
        if !self.is_empty()? {
            return Err(crate::store::StoreError::NotEmpty);
        }
        self.write(|tx| {
            let mut counts = DemoCounts::default();
            let mut keys = std::collections::HashMap::new();
            for p in &file.partners {
                let new = NewPartner {
                    kind: Some(p.kind),
                    name: p.name.clone(),
                    name_fa: p.name_fa.clone(),
                    name_local: p.name_local.clone(),
                    local_lang: p.local_lang.clone(),
                };
                let created = crate::store::partners::insert(tx, &new)?;
                keys.insert(p.key.clone(), created.id);
                counts.partners += 1;
            }
            for a in &file.agreements {
                let parties = a.parties.iter().map(|k| keys.get(k).cloned().unwrap_or_else(|| k.clone())).collect();
                let new = NewAgreement {
                    kind: a.kind,
                    title: a.title.clone(),
                    reference: a.reference.clone(),
                    our_signatory: a.our_signatory.clone(),
                    parties,
                    calendar: a.calendar,
                    signed_on: a.signed_on,
                    in_force_from: a.in_force_from,
                    in_force_until: a.in_force_until,
                    status: a.status,
                    source: a.source.clone(),
                    summary: a.summary.clone(),
                };
                let agreement = crate::store::agreements::insert(tx, &new)?;
                counts.agreements += 1;
                let mut positions = crate::store::clauses::Positions::default();
                let mut seen = crate::store::notes::Clauses::default();
                let mut stack: Vec<(Option<String>, &DemoClause)> = a.clauses.iter().rev().map(|c| (None, c)).collect();
                while let Some((parent_id, c)) = stack.pop() {
                    // A clause whose notes record status changes starts not
                    // started; its notes then move it to where the story ends.
                    let first_status = c.notes.iter().find_map(|n| n.status_to).map(|_| ClauseStatus::NotStarted);
                    let new = NewClause {
                        agreement_id: agreement.id.clone(),
                        parent_id,
                        number: c.number.clone(),
                        text: c.text.clone(),
                        our_lead: c.our_lead.clone(),
                        partner_lead: c.partner_lead.clone(),
                        deadline: deadline(&c.deadline),
                        status: first_status.unwrap_or(c.status),
                        percent: c.percent,
                        indicator: c.indicator.clone(),
                        tags: c.tags.clone(),
                    };
                    let clause = crate::store::clauses::insert(
                        tx,
                        &mut crate::store::clauses::insert_statement(tx)?,
                        &agreement,
                        &new,
                        &mut positions,
                        crate::store::clauses::Audit::Own,
                    )?;
                    counts.clauses += 1;
                    for n in &c.notes {
                        let note = NewNote {
                            clause_id: clause.id.clone(),
                            on_date: n.on,
                            author: Some(n.author.clone()),
                            text: n.text.clone(),
                            status_to: n.status_to,
                        };
                        crate::store::notes::insert(tx, &note, &mut seen)?;
                        counts.notes += 1;
                    }
                    for child in c.children.iter().rev() {
                        stack.push((Some(clause.id.clone()), child));
                    }
                }
            }
            Ok(counts)
        })
    }
}
