//! Meeting-ready status reports as PDF: the agreement report, the partner
//! report, the meeting brief and a meeting's minutes, in English or Persian,
//! with both calendars.
//!
//! [`data`] gathers what a report shows from the store into one serialisable
//! value; [`world`] compiles the bundled Typst template
//! (`assets/reports/report.typ`) with that value as its only input. User text
//! travels inside the JSON value and the template places it as text: it is
//! never turned into markup. Nothing is read from disk or the network at run
//! time: the template and fonts are compiled into the binary.

pub mod data;
pub mod minutes;
pub mod world;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::{DateDisplay, Lang};
use crate::store::{Store, StoreError};

/// Which report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ReportRequest {
    /// One agreement with all its clauses.
    Agreement { id: String },
    /// Every agreement with one partner country or organisation.
    Partner { id: String },
    /// Chosen agreements or clauses, plus what is overdue, what falls due
    /// before a date and the progress recorded since a date.
    Brief(BriefSpec),
    /// The minutes of a meeting.
    Minutes { id: String },
}

/// What a meeting brief covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BriefSpec {
    /// Agreements shown in full.
    pub agreements: Vec<String>,
    /// Individual clauses shown on their own.
    pub clauses: Vec<String>,
    /// Limits the overdue, due and progress sections to one partner.
    pub partner: Option<String>,
    /// Include open clauses due from today up to this day.
    pub due_before: Option<NaiveDate>,
    /// Include progress notes dated on or after this day.
    pub progress_since: Option<NaiveDate>,
    /// Include the overdue clauses.
    pub overdue: bool,
    /// A title of the officer's own (e.g. the meeting's name).
    pub title: Option<String>,
}

impl BriefSpec {
    /// The brief to prepare a planned meeting with: its title, its agenda's
    /// clauses, what is overdue and what falls due by the meeting plus
    /// [`SUGGEST_AFTER_DAYS`](crate::store::meetings::SUGGEST_AFTER_DAYS) days,
    /// and the progress since the last meeting held with its partners;
    /// limited to its partner when it has one.
    pub fn for_meeting(store: &Store, meeting_id: &str) -> Result<BriefSpec, StoreError> {
        let d = store.meeting(meeting_id)?;
        let m = &d.meeting;
        Ok(BriefSpec {
            agreements: Vec::new(),
            clauses: d.agenda.iter().filter_map(|i| i.clause.as_ref().map(|c| c.id.clone())).collect(),
            partner: match m.partners.as_slice() {
                [one] => Some(one.id.clone()),
                _ => None,
            },
            due_before: Some(m.on_date + chrono::Duration::days(crate::store::meetings::SUGGEST_AFTER_DAYS)),
            progress_since: store.last_meeting_before(&m.id)?,
            overdue: true,
            title: Some(m.title.clone()),
        })
    }
}

/// How a report is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportOptions {
    pub lang: Lang,
    /// Produce PDF/A-2b, for archiving.
    pub pdf_a: bool,
    /// The reference number printed in the letterhead.
    pub reference: Option<String>,
    /// The attachments line of the letterhead.
    pub attachments: Option<String>,
    /// The calendars dates are shown in; `None` follows the register's
    /// display setting, as the app's screens do.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub dates: Option<DateDisplay>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { lang: Lang::En, pdf_a: false, reference: None, attachments: None, dates: None }
    }
}

/// What an export produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    pub path: String,
    pub pages: u32,
    pub bytes: u32,
    pub clauses: u32,
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the register failed (e.g. an unknown id).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The template failed to compile: a defect in Clausebook, not in the data.
    #[error("the report could not be typeset: {0}")]
    Typeset(String),
    /// PDF export failed (e.g. PDF/A rules the document breaks).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// The output file could not be written; nothing was left behind.
    #[error("cannot write {path}: {reason}; choose another folder or file name")]
    Write { path: PathBuf, reason: String },
    /// A brief with nothing to show.
    #[error("the brief covers nothing: choose agreements or clauses, or include overdue, due or recent progress")]
    EmptyBrief,
}

impl ReportError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::Store(e) => e.code(),
            ReportError::Typeset(_) => "report_typeset",
            ReportError::Pdf(_) => "report_pdf",
            ReportError::Write { .. } => "report_unwritable",
            ReportError::EmptyBrief => "report_empty_brief",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> crate::detail::Params {
        use crate::detail::Param;
        match self {
            ReportError::Store(e) => e.params(),
            ReportError::Write { path, .. } => vec![("path", Param::Text(path.display().to_string()))],
            ReportError::Typeset(_) | ReportError::Pdf(_) | ReportError::EmptyBrief => Vec::new(),
        }
    }

    /// One error of every variant of its own, for [`crate::detail::catalog`];
    /// the match fails to compile when a variant is added, as a reminder to
    /// add it here.
    pub fn examples() -> Vec<ReportError> {
        let all = vec![
            ReportError::Typeset("example".into()),
            ReportError::Pdf("example".into()),
            ReportError::Write { path: PathBuf::from("/tmp/report.pdf"), reason: "read-only".into() },
            ReportError::EmptyBrief,
        ];
        for e in &all {
            match e {
                ReportError::Store(_)
                | ReportError::Typeset(_)
                | ReportError::Pdf(_)
                | ReportError::Write { .. }
                | ReportError::EmptyBrief => {}
            }
        }
        all
    }
}

/// A finished PDF in memory.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: u32,
    pub clauses: u32,
}

/// A report's data, read from the register and ready to typeset. It holds
/// no borrow of the store: a front end reads under its lock, then typesets
/// (the slow part) without holding it, and the report shows the register as
/// it was when prepared.
pub struct Prepared {
    json: String,
    clauses: u32,
    pdf_a: bool,
}

/// Reads a report's data. `today` dates the letterhead and decides what is
/// overdue; `now` (local time) is the "generated" stamp in the footer.
pub fn prepare(
    store: &Store,
    request: &ReportRequest,
    options: &ReportOptions,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Prepared, ReportError> {
    let data = data::build(store, request, options, today, now)?;
    let clauses = data.row_count();
    // Only the JSON goes on: the structured copy is freed before Typst
    // starts, which matters for 10,000-clause reports.
    let json = serde_json::to_string(&data).expect("report data serialises");
    Ok(Prepared { json, clauses, pdf_a: options.pdf_a })
}

impl Prepared {
    /// Typesets the report into a PDF in memory.
    pub fn render(self) -> Result<Pdf, ReportError> {
        let (bytes, pages) = world::typeset(self.json, self.pdf_a)?;
        Ok(Pdf { bytes, pages, clauses: self.clauses })
    }

    /// Typesets the report and writes it to `path` atomically: into a
    /// temporary file beside it, then renamed. On any error no file is left
    /// behind.
    pub fn export(self, path: &Path) -> Result<ExportSummary, ReportError> {
        let pdf = self.render()?;
        write_atomically(path, &pdf.bytes)?;
        Ok(ExportSummary {
            path: path.display().to_string(),
            pages: pdf.pages,
            bytes: u32::try_from(pdf.bytes.len()).unwrap_or(u32::MAX),
            clauses: pdf.clauses,
        })
    }
}

/// Prepares and typesets a report.
pub fn render(
    store: &Store,
    request: &ReportRequest,
    options: &ReportOptions,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Pdf, ReportError> {
    prepare(store, request, options, today, now)?.render()
}

/// Prepares a report and writes it to `path` (see [`Prepared::export`]).
pub fn export(
    store: &Store,
    request: &ReportRequest,
    options: &ReportOptions,
    today: NaiveDate,
    now: NaiveDateTime,
    path: &Path,
) -> Result<ExportSummary, ReportError> {
    prepare(store, request, options, today, now)?.export(path)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    crate::atomic::write_atomically(path, bytes)
        .map_err(|e| ReportError::Write { path: path.to_owned(), reason: e.to_string() })
}
