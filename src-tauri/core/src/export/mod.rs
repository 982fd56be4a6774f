//! Exports: the register written out as XLSX, CSV and ICS.
//!
//! A workbook or CSV file holds an agreement's clauses in tree order, one
//! row each, under heads from [`crate::vocab`]: the [`SheetField`] columns an
//! import reads back (a clause's `Group` is its parent's number, which is
//! how an import rebuilds the tree), then the [`DerivedColumn`]s it ignores
//! (the day each deadline falls, in each calendar). A calendar file holds
//! one all-day event per open clause with a due date, with a stable UID and
//! a `SEQUENCE` that counts the revisions of that date, so importing a
//! newer file updates the events instead of adding copies.
//!
//! [`prepare`] reads what a file shows from the store; [`Prepared::write`]
//! renders it without the store (a front end holds the register's lock only
//! while reading) and writes it atomically: into a temporary file beside
//! the target, then renamed, so a failure leaves no half file behind.
//!
//! User text is data: every string goes into a workbook as a string cell,
//! never as a formula, and a string that a spreadsheet would take for a
//! formula when it is edited or opened as CSV (one that begins with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is marked as text: with
//! Excel's quote prefix in a workbook, with a leading `'` in a CSV file,
//! which an import takes off again. (A text that itself begins with `'`
//! before such a character gets one `'` more, in a workbook too.)

mod csv_file;
mod ics;
mod table;
mod xlsx;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::model::Agreement;
use crate::store::clauses::{ClauseRow, NoteBrief};
use crate::store::{Store, StoreError};
use crate::vocab::{DateDisplay, Lang};

pub use crate::vocab::{DerivedColumn, SheetField};

/// What an export covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportScope {
    /// One agreement (its id) with all its clauses.
    Agreement(String),
    /// Every agreement one partner (its id) is a party to.
    Partner(String),
    /// Every agreement in the register.
    All,
}

/// The kind of file, told by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    /// An Excel workbook: one sheet per agreement.
    Xlsx,
    /// Comma-separated values, UTF-8: one table for the whole scope.
    Csv,
    /// An iCalendar file: one all-day event per open clause with a due date.
    Ics,
}

impl SheetFormat {
    pub const ALL: &'static [SheetFormat] = &[SheetFormat::Xlsx, SheetFormat::Csv, SheetFormat::Ics];

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Csv => "csv",
            SheetFormat::Ics => "ics",
        }
    }

    /// The format a file name's extension names (in any case).
    pub fn from_path(path: &Path) -> Result<SheetFormat, ExportError> {
        let extension = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        SheetFormat::ALL
            .iter()
            .copied()
            .find(|f| f.extension().eq_ignore_ascii_case(&extension))
            .ok_or(ExportError::UnknownFormat { extension })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportedFile {
    pub path: String,
    pub format: SheetFormat,
    /// The agreements the file covers.
    pub agreements: u32,
    /// The clauses of those agreements: the rows of a workbook or CSV file.
    pub clauses: u32,
    /// The events of a calendar file (0 for the other formats).
    pub events: u32,
    pub bytes: u32,
}

/// The most characters an Excel cell holds.
pub const XLSX_CELL_MAX_CHARS: usize = 32_767;
/// The most rows of clauses an Excel sheet holds, below its head row.
pub const XLSX_MAX_ROWS: usize = 1_048_575;

/// Why an export could not be made. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the register failed (e.g. an unknown id).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file name does not end in an extension we write.
    #[error("cannot export to a file ending \".{extension}\": end the file name with .xlsx, .csv or .ics")]
    UnknownFormat { extension: String },
    /// The scope holds no agreement.
    #[error("there is nothing to export: no agreement is in this scope; choose another, or add an agreement first")]
    Empty,
    /// A text longer than an Excel cell holds.
    #[error(
        "clause {number} of \"{title}\" has a text longer than an Excel cell holds ({max} characters): \
         export it as CSV, or shorten the text"
    )]
    CellTooLong { number: String, title: String, max: usize },
    /// More clauses than an Excel sheet has rows.
    #[error("\"{title}\" has {count} clauses, more than an Excel sheet holds ({max}): export it as CSV")]
    TooManyRows { title: String, count: usize, max: usize },
    /// The workbook library refused the workbook: a defect in Clausebook.
    #[error("the workbook could not be made: {0}")]
    Xlsx(String),
    /// The output file could not be written; nothing was left behind.
    #[error("cannot write {path}: {reason}; choose another folder or file name")]
    Write { path: PathBuf, reason: String },
}

impl ExportError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::Store(e) => e.code(),
            ExportError::UnknownFormat { .. } => "export_unknown_format",
            ExportError::Empty => "export_empty",
            ExportError::CellTooLong { .. } => "export_cell_too_long",
            ExportError::TooManyRows { .. } => "export_too_many_rows",
            ExportError::Xlsx(_) => "export_xlsx",
            ExportError::Write { .. } => "export_unwritable",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> crate::detail::Params {
        use crate::detail::Param;
        let number = |n: usize| Param::Number(i64::try_from(n).unwrap_or(i64::MAX));
        match self {
            ExportError::Store(e) => e.params(),
            ExportError::UnknownFormat { extension } => vec![("extension", Param::Text(extension.clone()))],
            ExportError::CellTooLong { number: clause, title, max } => vec![
                ("number", Param::Text(clause.clone())),
                ("title", Param::Text(title.clone())),
                ("max", number(*max)),
            ],
            ExportError::TooManyRows { title, count, max } => {
                vec![("title", Param::Text(title.clone())), ("count", number(*count)), ("max", number(*max))]
            }
            ExportError::Write { path, .. } => vec![("path", Param::Text(path.display().to_string()))],
            ExportError::Empty | ExportError::Xlsx(_) => Vec::new(),
        }
    }

    /// One error of every variant of its own, for [`crate::catalog`]; the
    /// match fails to compile when a variant is added, as a reminder to add
    /// it here.
    pub fn examples() -> Vec<ExportError> {
        let all = vec![
            ExportError::UnknownFormat { extension: "docx".into() },
            ExportError::Empty,
            ExportError::CellTooLong { number: "3.1".into(), title: "Action plan".into(), max: XLSX_CELL_MAX_CHARS },
            ExportError::TooManyRows { title: "Action plan".into(), count: 2_000_000, max: XLSX_MAX_ROWS },
            ExportError::Xlsx("example".into()),
            ExportError::Write { path: PathBuf::from("/tmp/clauses.xlsx"), reason: "read-only".into() },
        ];
        for e in &all {
            match e {
                ExportError::Store(_)
                | ExportError::UnknownFormat { .. }
                | ExportError::Empty
                | ExportError::CellTooLong { .. }
                | ExportError::TooManyRows { .. }
                | ExportError::Xlsx(_)
                | ExportError::Write { .. } => {}
            }
        }
        all
    }
}

/// One agreement as an export shows it.
struct Part {
    agreement: Agreement,
    /// Its live clauses in tree order.
    rows: Vec<ClauseRow>,
    /// The full text of each clause's latest note, by clause id.
    notes: HashMap<String, String>,
    /// How often each clause's due date was revised (calendar files only).
    revisions: HashMap<String, u32>,
}

/// An export's data, read from the register and ready to write. It holds no
/// borrow of the store: the file shows the register as it was when prepared.
pub struct Prepared {
    format: SheetFormat,
    lang: Lang,
    /// Whether dates are also shown in the Solar Hijri calendar (the
    /// register's display setting is not Gregorian only).
    persian_dates: bool,
    /// Whether the scope may cover several agreements (a partner, or all).
    several: bool,
    /// What the scope is called, in `lang`: an agreement's title, a
    /// partner's name, or nothing for the whole register.
    name: Option<String>,
    parts: Vec<Part>,
}

/// Reads what an export of `scope` as `format` shows, in `lang`. `today`
/// is the day clauses are seen on (it decides nothing the file shows).
pub fn prepare(
    store: &Store,
    scope: &ExportScope,
    format: SheetFormat,
    lang: Lang,
    today: NaiveDate,
) -> Result<Prepared, ExportError> {
    let (agreements, name, several) = match scope {
        ExportScope::Agreement(id) => {
            let a = store.agreement(id)?;
            let title = a.title.clone();
            (vec![a], Some(title), false)
        }
        ExportScope::Partner(id) => {
            let p = store.partner(id)?;
            let name = match lang {
                Lang::Fa => p.name_fa.filter(|n| !n.trim().is_empty()).unwrap_or(p.name),
                Lang::En => p.name,
            };
            (store.agreements(Some(&p.id))?, Some(name), true)
        }
        ExportScope::All => (store.agreements(None)?, None, true),
    };
    if agreements.is_empty() {
        return Err(ExportError::Empty);
    }
    let mut parts = Vec::with_capacity(agreements.len());
    for agreement in agreements {
        let rows = store.clause_rows(&agreement.id, today)?;
        // A note the row carries whole is in it already.
        let long = rows.iter().any(|r| r.latest_note.as_ref().is_some_and(NoteBrief::is_cut));
        let notes =
            if long && format != SheetFormat::Ics { store.latest_note_texts(&agreement.id)? } else { HashMap::new() };
        let revisions =
            if format == SheetFormat::Ics { store.deadline_revisions(&agreement.id)? } else { HashMap::new() };
        parts.push(Part { agreement, rows, notes, revisions });
    }
    let persian_dates = store.settings()?.date_display != DateDisplay::Gregorian;
    Ok(Prepared { format, lang, persian_dates, several, name, parts })
}

impl Prepared {
    pub fn format(&self) -> SheetFormat {
        self.format
    }

    /// Renders the file in memory. `now` (local time) stamps a calendar's
    /// events.
    pub fn render(&self, now: NaiveDateTime) -> Result<Rendered, ExportError> {
        let clauses = self.parts.iter().map(|p| p.rows.len()).sum::<usize>();
        let (bytes, events) = match self.format {
            SheetFormat::Xlsx => (xlsx::write(&table::each(self), self.lang)?, 0),
            // A partner's or the whole register's agreements share one
            // table; an agreement's scope has one agreement.
            SheetFormat::Csv => (csv_file::write(&table::one(self), self.lang), 0),
            SheetFormat::Ics => {
                let (text, events) = ics::write(self, now);
                (text.into_bytes(), events)
            }
        };
        Ok(Rendered { bytes, agreements: count(self.parts.len()), clauses: count(clauses), events: count(events) })
    }

    /// Renders the file and writes it to `path` atomically: into a
    /// temporary file beside it, then renamed. On any error no file is left
    /// behind, and a file already at `path` is left as it was.
    pub fn write(&self, now: NaiveDateTime, path: &Path) -> Result<ExportedFile, ExportError> {
        let rendered = self.render(now)?;
        write_atomically(path, &rendered.bytes)?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            format: self.format,
            agreements: rendered.agreements,
            clauses: rendered.clauses,
            events: rendered.events,
            bytes: count(rendered.bytes.len()),
        })
    }
}

/// A file rendered in memory, with what it holds.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub agreements: u32,
    pub clauses: u32,
    pub events: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Exports `scope` to `path`, in the format its extension names (`.xlsx`,
/// `.csv` or `.ics`) and in `lang`. `today` is the day clauses are seen on;
/// `now` (local time) stamps a calendar's events.
pub fn export(
    store: &Store,
    scope: &ExportScope,
    lang: Lang,
    today: NaiveDate,
    now: NaiveDateTime,
    path: &Path,
) -> Result<ExportedFile, ExportError> {
    let format = SheetFormat::from_path(path)?;
    prepare(store, scope, format, lang, today)?.write(now, path)
}

/// Whether a spreadsheet would read `text` as a formula when it is edited,
/// or opened from a CSV file (OWASP's list of first characters). Leading
/// `'`s are looked past: a text that begins with `'=` is marked too, so
/// that an import that takes one leading `'` off gives it back whole.
pub(crate) fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic::write_atomically(path, bytes)
        .map_err(|e| ExportError::Write { path: path.to_owned(), reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(SheetFormat::from_path(Path::new("a/plan.XLSX")).unwrap(), SheetFormat::Xlsx);
        assert_eq!(SheetFormat::from_path(Path::new("plan.csv")).unwrap(), SheetFormat::Csv);
        assert_eq!(SheetFormat::from_path(Path::new("due.ics")).unwrap(), SheetFormat::Ics);
        let e = SheetFormat::from_path(Path::new("plan.docx")).unwrap_err();
        assert_eq!(
            (e.code(), e.params()),
            ("export_unknown_format", vec![("extension", crate::detail::Param::Text("docx".into()))])
        );
        assert!(SheetFormat::from_path(Path::new("plan")).is_err());
    }

    #[test]
    fn formula_starts_are_recognised() {
        for text in ["=cmd()", "+1", "-2 tonnes", "@SUM(A1)", "\tx", "\rx", "'=x", "''+x"] {
            assert!(looks_like_formula(text), "{text:?}");
        }
        for text in ["3 months after signing", "a = b", "'quoted'", "", "۳ ماه", "1-2"] {
            assert!(!looks_like_formula(text), "{text:?}");
        }
    }
}
