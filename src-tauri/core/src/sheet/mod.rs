//! Imports from spreadsheets: an officer's action-plan workbook or CSV file
//! read, its columns mapped to clause fields, checked row by row in a dry
//! run, and written through the register's one bulk path
//! ([`Store::import`]) as one transaction.
//!
//! The steps are the wizard's, and the command line's:
//!
//! 1. [`preview`]: the sheets, a guessed header row, the first rows as a
//!    person reads them (merged cells filled), and a mapping guessed from the
//!    header words ([`fields`]) or remembered from the last file with the
//!    same headers.
//! 2. [`plan`]: the dry run. Every row becomes a clause to create, one to
//!    update (matched on its number in an existing agreement), one left as it
//!    is, or a continuation of the row above; every value that cannot be
//!    read is a [`Problem`] with its row and column ([`values`]).
//! 3. [`import`]: the same plan, written, audited as one import per
//!    agreement and undone as one step ([`Store::undo_import`]).
//!
//! Files are untrusted: [`read`] caps their size, what they inflate to, and
//! their rows, and refuses a file that is not what its name says. Nothing is
//! written unless the whole plan can be.

pub mod fields;
pub mod plan;
pub mod read;
pub mod values;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::CalendarError;
use crate::detail::{ErrorParam, Param, Params};
use crate::model::{AgreementKind, LONG_TEXT_MAX_BYTES, SHORT_TEXT_MAX_CHARS};
use crate::store::import::ImportError;
use crate::store::{Store, StoreError};
use crate::vocab::Calendar;
use crate::vocab::SheetField;
use read::Record;

pub use crate::model::FieldColumn;
pub use fields::guess_mapping;
pub use read::{Book, Cell, FileKind, Grid, TextEncoding};

/// Why a file cannot be read or imported. Problems with single values are
/// not errors: they are [`Problem`]s of the plan.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{extension:?} files cannot be imported: choose an .xlsx, .xls, .ods or .csv file")]
    UnknownFormat { extension: String },
    #[error("{file} could not be read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file} is {bytes} bytes; files over {max} bytes are not imported: save the sheet you need on its own")]
    TooLarge { file: String, bytes: u64, max: u64 },
    #[error("{file} is not a {kind} file, whatever its name says: open it in a spreadsheet program and save it again")]
    NotItsKind { file: String, kind: &'static str },
    #[error("{file} is password-protected or encrypted: save an unprotected copy and import that")]
    Protected { file: String },
    #[error("{file} is damaged and cannot be read ({reason}): open it in a spreadsheet program and save it again")]
    Corrupt { file: String, reason: String },
    #[error("{file} would inflate to {bytes} bytes or more (at most {max}): it is not an ordinary workbook")]
    Inflates { file: String, bytes: u64, max: u64 },
    #[error("{file} is not valid {encoding} text: choose its encoding")]
    Encoding { file: String, encoding: &'static str },
    #[error("{file} has more than {max} rows: split it")]
    TooManyRows { file: String, max: i64 },
    #[error("{file} has no sheet named {sheet:?}")]
    NoSuchSheet { file: String, sheet: String },
    #[error("sheet {sheet:?} of {file} is empty")]
    EmptySheet { file: String, sheet: String },
    #[error("sheet {sheet:?} of {file} has a header row ({row}) and no rows under it")]
    NoRows { file: String, sheet: String, row: i64 },
    #[error("the header row {row} is outside sheet {sheet:?}, which has {rows} rows")]
    HeaderOutside { sheet: String, row: i64, rows: i64 },
    #[error("no column holds the clause text: map one column to the text")]
    NoTextColumn,
    #[error("column {column} is not in the sheet: it has columns A to {last}")]
    NoSuchColumn { column: String, last: String },
    #[error("no column is headed {head:?}: give the header's text or the column's letter")]
    UnknownColumn { head: String },
    #[error("{field} is mapped to two columns: keep one")]
    FieldTwice { field: &'static str },
    // Worded so that a count of one reads right too.
    #[error("problems to fix before the import: {count}, the first on row {row}: {first}")]
    ProblemsRemain { count: i64, row: i64, first: String },
    #[error(
        "values that cannot be read: {count}, the first on row {row}: {first}; fix them, or import the rows without them"
    )]
    UnreadableValues { count: i64, row: i64, first: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl SheetError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::UnknownFormat { .. } => "unknown_format",
            SheetError::Unreadable { .. } => "file_unreadable",
            SheetError::TooLarge { .. } => "file_too_large",
            SheetError::NotItsKind { .. } => "not_its_kind",
            SheetError::Protected { .. } => "file_protected",
            SheetError::Corrupt { .. } => "file_corrupt",
            SheetError::Inflates { .. } => "file_inflates",
            SheetError::Encoding { .. } => "bad_encoding",
            SheetError::TooManyRows { .. } => "too_many_rows",
            SheetError::NoSuchSheet { .. } => "no_such_sheet",
            SheetError::EmptySheet { .. } => "empty_sheet",
            SheetError::NoRows { .. } => "no_rows",
            SheetError::HeaderOutside { .. } => "header_outside",
            SheetError::NoTextColumn => "no_text_column",
            SheetError::NoSuchColumn { .. } => "no_such_column",
            SheetError::UnknownColumn { .. } => "unknown_column",
            SheetError::FieldTwice { .. } => "field_twice",
            SheetError::ProblemsRemain { .. } => "problems_remain",
            SheetError::UnreadableValues { .. } => "unreadable_values",
            SheetError::Store(e) => e.code(),
            SheetError::Import(e) => e.code(),
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        let text = |s: &str| Param::Text(s.to_owned());
        let num = |n: u64| Param::Number(i64::try_from(n).unwrap_or(i64::MAX));
        match self {
            SheetError::UnknownFormat { extension } => vec![("extension", text(extension))],
            SheetError::Unreadable { file, reason } | SheetError::Corrupt { file, reason } => {
                vec![("file", text(file)), ("reason", text(reason))]
            }
            SheetError::TooLarge { file, bytes, max } | SheetError::Inflates { file, bytes, max } => {
                vec![("file", text(file)), ("bytes", num(*bytes)), ("max", num(*max))]
            }
            SheetError::NotItsKind { file, kind } => vec![("file", text(file)), ("format", text(kind))],
            SheetError::Protected { file } => vec![("file", text(file))],
            SheetError::Encoding { file, encoding } => vec![("file", text(file)), ("encoding", text(encoding))],
            SheetError::TooManyRows { file, max } => vec![("file", text(file)), ("max", Param::Number(*max))],
            SheetError::NoSuchSheet { file, sheet } | SheetError::EmptySheet { file, sheet } => {
                vec![("file", text(file)), ("sheet", text(sheet))]
            }
            SheetError::NoRows { file, sheet, row } => {
                vec![("file", text(file)), ("sheet", text(sheet)), ("row", Param::Number(*row))]
            }
            SheetError::HeaderOutside { sheet, row, rows } => {
                vec![("sheet", text(sheet)), ("row", Param::Number(*row)), ("rows", Param::Number(*rows))]
            }
            SheetError::NoTextColumn => Vec::new(),
            SheetError::NoSuchColumn { column, last } => vec![("column", text(column)), ("last", text(last))],
            SheetError::UnknownColumn { head } => vec![("head", text(head))],
            SheetError::FieldTwice { field } => vec![("field", text(field))],
            SheetError::ProblemsRemain { count, row, first } | SheetError::UnreadableValues { count, row, first } => {
                vec![("count", Param::Number(*count)), ("row", Param::Number(*row)), ("first_problem", text(first))]
            }
            SheetError::Store(e) => e.params(),
            SheetError::Import(e) => e.source.params(),
        }
    }

    /// One error of every variant of its own, for [`crate::catalog`].
    pub fn examples() -> Vec<SheetError> {
        let file = || "plan.xlsx".to_owned();
        let all = vec![
            SheetError::UnknownFormat { extension: "docx".into() },
            SheetError::Unreadable { file: file(), reason: "permission denied".into() },
            SheetError::TooLarge { file: file(), bytes: 200 << 20, max: read::MAX_FILE_BYTES },
            SheetError::NotItsKind { file: file(), kind: "xlsx" },
            SheetError::Protected { file: file() },
            SheetError::Corrupt { file: file(), reason: "invalid Zip archive".into() },
            SheetError::Inflates { file: file(), bytes: 4 << 30, max: read::MAX_INFLATED },
            SheetError::Encoding { file: "plan.csv".into(), encoding: "UTF-8" },
            SheetError::TooManyRows { file: file(), max: read::MAX_ROWS as i64 },
            SheetError::NoSuchSheet { file: file(), sheet: "Plan".into() },
            SheetError::EmptySheet { file: file(), sheet: "Plan".into() },
            SheetError::NoRows { file: file(), sheet: "Plan".into(), row: 1 },
            SheetError::HeaderOutside { sheet: "Plan".into(), row: 9, rows: 4 },
            SheetError::NoTextColumn,
            SheetError::NoSuchColumn { column: "K".into(), last: "F".into() },
            SheetError::UnknownColumn { head: "Owner".into() },
            SheetError::FieldTwice { field: "deadline" },
            SheetError::ProblemsRemain { count: 2, row: 7, first: "number 3 appears twice".into() },
            SheetError::UnreadableValues { count: 1, row: 4, first: "\"soon\" is not a deadline".into() },
        ];
        for e in &all {
            match e {
                SheetError::UnknownFormat { .. }
                | SheetError::Unreadable { .. }
                | SheetError::TooLarge { .. }
                | SheetError::NotItsKind { .. }
                | SheetError::Protected { .. }
                | SheetError::Corrupt { .. }
                | SheetError::Inflates { .. }
                | SheetError::Encoding { .. }
                | SheetError::TooManyRows { .. }
                | SheetError::NoSuchSheet { .. }
                | SheetError::EmptySheet { .. }
                | SheetError::NoRows { .. }
                | SheetError::HeaderOutside { .. }
                | SheetError::NoTextColumn
                | SheetError::NoSuchColumn { .. }
                | SheetError::UnknownColumn { .. }
                | SheetError::FieldTwice { .. }
                | SheetError::ProblemsRemain { .. }
                | SheetError::UnreadableValues { .. }
                | SheetError::Store(_)
                | SheetError::Import(_) => {}
            }
        }
        all
    }
}

/// What is wrong with one row or one value, found by the dry run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowIssue {
    #[error(
        "{value:?} is not a date or a deadline after signing (e.g. 2026-03-01, 1405/01/15, \"3 months after signing\")"
    )]
    Deadline { value: String },
    #[error("{0}")]
    Date(CalendarError),
    #[error("{value:?} is not a status: use one of the statuses (e.g. Not started, In progress, Completed)")]
    Status { value: String },
    #[error("{value:?} is not a percentage between 0 and 100")]
    Percent { value: String },
    #[error("{value:?} is not a theme: themes are single lines of at most {max} characters")]
    Theme { value: String, max: i64 },
    #[error("the row has a number but no clause text")]
    NoText,
    #[error("the number {number} appears twice under the same clause (rows {first} and {row})")]
    NumberTwice { number: String, first: i64, row: i64 },
    #[error("the {field} is too long ({length} {unit}; at most {max})")]
    TooLong { field: &'static str, length: i64, max: i64, unit: &'static str },
    #[error("the row has no number and follows no numbered row")]
    NoNumber,
    #[error("the deadline {deadline} is before the agreement was signed ({signed})")]
    BeforeSigning { deadline: NaiveDate, signed: NaiveDate },
}

impl RowIssue {
    pub fn code(&self) -> &'static str {
        match self {
            RowIssue::Deadline { .. } => "unreadable_deadline",
            RowIssue::Date(e) => e.code(),
            RowIssue::Status { .. } => "unreadable_status",
            RowIssue::Percent { .. } => "unreadable_percent",
            RowIssue::Theme { .. } => "unreadable_theme",
            RowIssue::NoText => "row_without_text",
            RowIssue::NumberTwice { .. } => "number_twice",
            RowIssue::TooLong { .. } => "value_too_long",
            RowIssue::NoNumber => "row_without_number",
            RowIssue::BeforeSigning { .. } => "deadline_before_signing",
        }
    }

    pub fn params(&self) -> Params {
        let text = |s: &str| Param::Text(s.to_owned());
        match self {
            RowIssue::Deadline { value } | RowIssue::Status { value } | RowIssue::Percent { value } => {
                vec![("value_text", text(value))]
            }
            RowIssue::Theme { value, max } => vec![("value_text", text(value)), ("max", Param::Number(*max))],
            RowIssue::Date(e) => e.params(),
            RowIssue::NoText | RowIssue::NoNumber => Vec::new(),
            RowIssue::NumberTwice { number, first, row } => {
                vec![("number", text(number)), ("first", Param::Number(*first)), ("row", Param::Number(*row))]
            }
            RowIssue::TooLong { field, length, max, unit } => vec![
                ("field", text(field)),
                ("length", Param::Number(*length)),
                ("max", Param::Number(*max)),
                ("unit", Param::Word(unit)),
            ],
            RowIssue::BeforeSigning { deadline, signed } => {
                vec![("deadline", Param::Date(*deadline)), ("signed", Param::Date(*signed))]
            }
        }
    }

    /// A value that cannot be read can be left out and the row imported
    /// without it; the other issues stop the import until the file is fixed.
    pub fn can_drop(&self) -> bool {
        matches!(
            self,
            RowIssue::Deadline { .. }
                | RowIssue::Date(_)
                | RowIssue::Status { .. }
                | RowIssue::Percent { .. }
                | RowIssue::Theme { .. }
                | RowIssue::BeforeSigning { .. }
        )
    }

    pub fn examples() -> Vec<RowIssue> {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid example date");
        let all = vec![
            RowIssue::Deadline { value: "soon".into() },
            RowIssue::Date(CalendarError::examples().remove(0)),
            RowIssue::Status { value: "pending review".into() },
            RowIssue::Percent { value: "half".into() },
            RowIssue::Theme { value: "x".repeat(70), max: crate::model::TAG_MAX_CHARS as i64 },
            RowIssue::NoText,
            RowIssue::NumberTwice { number: "3".into(), first: 4, row: 9 },
            RowIssue::TooLong { field: "text", length: 120_000, max: LONG_TEXT_MAX_BYTES as i64, unit: "bytes" },
            RowIssue::NoNumber,
            RowIssue::BeforeSigning { deadline: day(2025, 1, 5), signed: day(2025, 3, 1) },
        ];
        for e in &all {
            match e {
                RowIssue::Deadline { .. }
                | RowIssue::Date(_)
                | RowIssue::Status { .. }
                | RowIssue::Percent { .. }
                | RowIssue::Theme { .. }
                | RowIssue::NoText
                | RowIssue::NumberTwice { .. }
                | RowIssue::TooLong { .. }
                | RowIssue::NoNumber
                | RowIssue::BeforeSigning { .. } => {}
            }
        }
        all
    }
}

/// A problem of the dry run, with its place in the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    pub sheet: String,
    /// The sheet's row, as the spreadsheet numbers it (from 1).
    pub row: u32,
    /// The column's letter, when the problem is one value.
    pub column: Option<String>,
    pub field: Option<SheetField>,
    /// `true`: the row can be imported without the value (if the officer
    /// agrees); `false`: the file must be fixed first.
    pub can_drop: bool,
    pub code: String,
    pub message: String,
    pub params: BTreeMap<String, ErrorParam>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sheet {:?}, row {}", self.sheet, self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Which sheet and rows to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SheetChoice {
    /// `None`: the first sheet with rows.
    pub sheet: Option<String>,
    /// The header row, from 1. `None`: guessed from the header words.
    pub header_row: Option<u32>,
    /// A CSV file's encoding. `None`: detected.
    pub encoding: Option<TextEncoding>,
}

/// A column of the chosen sheet, under its head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnHead {
    pub index: u32,
    pub letter: String,
    /// The header cell's text (empty when it has none).
    pub head: String,
    /// The head of a column an export computes (its due dates): not imported.
    pub derived: bool,
}

/// The start of the wizard: what the file holds and a first mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Preview {
    pub file: String,
    pub kind: FileKind,
    pub encoding: Option<TextEncoding>,
    /// Every sheet's name, in the workbook's order.
    pub sheets: Vec<String>,
    pub sheet: String,
    pub header_row: u32,
    pub columns: Vec<ColumnHead>,
    /// The first rows under the header as a person reads them: each with
    /// its sheet row number and one text per column.
    pub rows: Vec<PreviewRow>,
    /// How many rows lie under the header.
    pub data_rows: u32,
    /// The mapping remembered for these headers, or guessed from them.
    pub mapping: Vec<FieldColumn>,
    pub remembered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewRow {
    pub row: u32,
    pub cells: Vec<String>,
}

/// Where the rows go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "into")]
pub enum ImportInto {
    /// A new agreement with one partner.
    New { partner_id: String, title: String, kind: AgreementKind, signed_on: Option<NaiveDate>, calendar: Calendar },
    /// An agreement in the register: rows are matched on clause number.
    Existing { agreement_id: String },
}

/// Everything the dry run and the import need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportRequest {
    pub path: String,
    pub choice: SheetChoice,
    pub mapping: Vec<FieldColumn>,
    pub into: ImportInto,
    /// Import rows whose unreadable values are left out ([`RowIssue::can_drop`]).
    pub drop_unreadable: bool,
}

/// A file read once, for a caller that takes several steps on it (the
/// command line previews, plans and imports the same file).
pub struct Source {
    file: String,
    encoding: Option<TextEncoding>,
    book: Book,
}

impl Source {
    /// Reads a file, in `encoding` if it is a CSV file (`None`: detected).
    pub fn read(path: &Path, encoding: Option<TextEncoding>) -> Result<Source, SheetError> {
        Ok(Source { file: read::file_name(path), encoding, book: read::read(path, encoding)? })
    }

    /// The same source, or the file read again if a step asks for another
    /// encoding.
    fn with_encoding(
        &self,
        path: &Path,
        encoding: Option<TextEncoding>,
    ) -> Result<std::borrow::Cow<'_, Source>, SheetError> {
        if encoding == self.encoding || encoding.is_none() {
            Ok(std::borrow::Cow::Borrowed(self))
        } else {
            Ok(std::borrow::Cow::Owned(Source::read(path, encoding)?))
        }
    }
}

impl Clone for Source {
    fn clone(&self) -> Self {
        Source { file: self.file.clone(), encoding: self.encoding, book: self.book.clone() }
    }
}

/// Reads a file and proposes the wizard's first choices.
pub fn preview(store: &Store, path: &Path, choice: &SheetChoice) -> Result<Preview, SheetError> {
    preview_source(store, &Source::read(path, choice.encoding)?, choice)
}

/// [`preview`] of a file already read.
pub fn preview_source(store: &Store, source: &Source, choice: &SheetChoice) -> Result<Preview, SheetError> {
    let book = &source.book;
    let file = source.file.clone();
    let grid = pick_sheet(&file, book, choice.sheet.as_deref())?;
    let header_row = match choice.header_row {
        Some(r) => check_header(&grid.name, grid.rows.len(), r)?,
        None => fields::guess_header_row(grid),
    };
    let header = &grid.rows[header_row as usize - 1];
    let heads: Vec<String> = header.iter().map(|c| c.display().trim().to_owned()).collect();
    let columns = heads
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnHead {
            index: i as u32,
            letter: read::column_letter(i),
            head: h.clone(),
            derived: fields::is_derived(h),
        })
        .collect();
    let body = &grid.rows[header_row as usize..];
    let rows = body
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.iter().all(Cell::is_empty))
        .take(12)
        .map(|(i, r)| PreviewRow { row: header_row + 1 + i as u32, cells: r.iter().map(Cell::display).collect() })
        .collect();
    let remembered = store.remembered_mapping(&fields::header_key(&heads))?;
    let (mapping, remembered) = match remembered {
        Some(m) if m.iter().all(|fc| (fc.column as usize) < heads.len()) => (m, true),
        _ => (fields::guess_mapping(&heads, body), false),
    };
    Ok(Preview {
        file,
        kind: book.kind,
        encoding: book.encoding,
        sheets: book.sheets.iter().map(|s| s.name.clone()).collect(),
        sheet: grid.name.clone(),
        header_row,
        columns,
        rows,
        data_rows: body.iter().filter(|r| !r.iter().all(Cell::is_empty)).count() as u32,
        mapping,
        remembered,
    })
}

fn pick_sheet<'b>(file: &str, book: &'b Book, name: Option<&str>) -> Result<&'b Grid, SheetError> {
    let grid = match name {
        Some(n) => book
            .sheets
            .iter()
            .find(|s| s.name == n)
            .ok_or_else(|| SheetError::NoSuchSheet { file: file.to_owned(), sheet: n.to_owned() })?,
        None => book
            .sheets
            .iter()
            .find(|s| !s.rows.is_empty())
            .or(book.sheets.first())
            .ok_or_else(|| SheetError::EmptySheet { file: file.to_owned(), sheet: String::new() })?,
    };
    if grid.rows.is_empty() {
        return Err(SheetError::EmptySheet { file: file.to_owned(), sheet: grid.name.clone() });
    }
    Ok(grid)
}

fn check_header(sheet: &str, rows: usize, row: u32) -> Result<u32, SheetError> {
    if row == 0 || row as usize > rows {
        return Err(SheetError::HeaderOutside { sheet: sheet.to_owned(), row: i64::from(row), rows: rows as i64 });
    }
    Ok(row)
}

/// What a sheet must be before it is planned, from its extent: not empty,
/// its header row inside it, rows below the header, and the mapping's
/// columns within its width.
fn check_sheet(
    file: &str,
    sheet: &str,
    extent: read::Extent,
    header_row: u32,
    mapping: &[FieldColumn],
) -> Result<(), SheetError> {
    if extent.rows == 0 {
        return Err(SheetError::EmptySheet { file: file.to_owned(), sheet: sheet.to_owned() });
    }
    check_header(sheet, extent.rows, header_row)?;
    // The last row of an extent is not empty.
    if extent.rows <= header_row as usize {
        return Err(SheetError::NoRows { file: file.to_owned(), sheet: sheet.to_owned(), row: i64::from(header_row) });
    }
    check_mapping(mapping, extent.width)
}

/// The dry run: what the import would do with every row, and every problem.
///
/// A CSV file whose header row is chosen is planned as it is read: its
/// records are read on a second thread while this one plans the rows read
/// so far ([`plan_csv`]); the plan is the one [`plan_source`] makes of the
/// whole file read first.
pub fn plan(store: &Store, request: &ImportRequest, today: NaiveDate) -> Result<plan::ImportPlan, SheetError> {
    let path = Path::new(&request.path);
    if let (FileKind::Csv, Some(header_row)) = (read::kind_of(path)?, request.choice.header_row) {
        let sheet = read::csv_sheet_name(&read::file_name(path));
        // A sheet named that the file does not have is the whole read's
        // error to give.
        if request.choice.sheet.as_ref().is_none_or(|s| *s == sheet) {
            return plan_csv(store, path, sheet, header_row, request, today);
        }
    }
    let source = Source::read(path, request.choice.encoding)?;
    plan_source(store, &source, request, today)
}

/// [`plan`] of a CSV file, read on a second thread while this one plans.
///
/// The reader reads the file ([`read::csv_stream`]) and puts each record
/// on a [`Shelf`] as it reads it; the plan borrows its cells from there, as
/// it borrows a grid's. A file that turns out not to be UTF-8 is planned
/// again, read whole, as [`plan_source`] plans it. The checks a grid gets
/// before planning ([`check_sheet`]) need the sheet's extent: they are
/// made once it is read, and the reader's errors, then theirs, come first,
/// as they would. The reader frees the rows it made once the plan is done
/// with them, after the plan is returned.
fn plan_csv(
    store: &Store,
    path: &Path,
    sheet: String,
    header_row: u32,
    request: &ImportRequest,
    today: NaiveDate,
) -> Result<plan::ImportPlan, SheetError> {
    use std::sync::{Arc, mpsc};
    let shelf = Arc::new(Shelf::default());
    let (extent_tx, extent_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    {
        let shelf = Arc::clone(&shelf);
        let planner = std::thread::current();
        let path = path.to_owned();
        let encoding = request.choice.encoding;
        std::thread::spawn(move || {
            let mut extent = read::Extent::default();
            let mut putting = Putting::new(&shelf, &planner);
            let read = read::csv_stream(&path, encoding, |row| {
                extent.add(putting.count(), &row);
                putting.put(row);
            });
            drop(putting);
            let _ = extent_tx.send(read.map(|streamed| match streamed {
                read::Streamed::Read => Some(extent),
                read::Streamed::ReadWhole => None,
            }));
            // Until the planner lets go of the rows (or is gone).
            let _ = release_rx.recv();
            drop(shelf);
        });
    }
    // About how many rows (a 7-column plan row is about a hundred bytes),
    // up to a number the tables grow past cheaply.
    let height = std::fs::metadata(path).map_or(0, |m| m.len() as usize / 100).min(1 << 16);
    let rows = Arriving::new(&shelf, header_row as usize);
    let planned = plan::build(store, &sheet, rows, height, header_row, &request.mapping, &request.into, today, false);
    // A reader that ended without a word (it cannot panic, but if it did)
    // leaves the file to be read whole.
    let read = extent_rx.recv().unwrap_or(Ok(None));
    drop(shelf);
    drop(release_tx);
    // Not UTF-8 after all, or too long: the plan of the file read whole.
    let Some(extent) = read? else {
        return plan_source(store, &Source::read(path, request.choice.encoding)?, request, today);
    };
    check_sheet(&read::file_name(path), &sheet, extent, header_row, &request.mapping)?;
    Ok(planned?.0)
}

/// Rows a reader puts down one after another while a planner takes them:
/// a row once put stays where it is, so the planner may borrow from it
/// while more come. The reader hands the rows over in batches of
/// [`Shelf::BATCH`], each set once, up to [`read::MAX_ROWS`] rows, and wakes
/// the planner then: neither waits on the other, nor pays for a handover,
/// row by row.
struct Shelf {
    batches: Vec<std::sync::OnceLock<Box<[Record]>>>,
    /// Rows the planner may take.
    ready: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicBool,
}

impl Default for Shelf {
    fn default() -> Shelf {
        Shelf {
            batches: std::iter::repeat_with(Default::default).take(read::MAX_ROWS / Self::BATCH + 1).collect(),
            ready: Default::default(),
            done: Default::default(),
        }
    }
}

impl Shelf {
    const BATCH: usize = 256;

    /// Puts down the batch of rows from row `at` on (a multiple of
    /// [`Shelf::BATCH`]), the batches before it being down (a row past the
    /// limit is the reader's error before it comes here).
    fn put(&self, at: usize, batch: Vec<Record>, planner: &std::thread::Thread) {
        let len = batch.len();
        if let Some(slot) = self.batches.get(at / Self::BATCH) {
            let _ = slot.set(batch.into_boxed_slice());
        }
        self.ready.store(at + len, std::sync::atomic::Ordering::Release);
        planner.unpark();
    }

    /// No more rows.
    fn close(&self, planner: &std::thread::Thread) {
        self.done.store(true, std::sync::atomic::Ordering::Release);
        planner.unpark();
    }
}

/// The reader's side of a [`Shelf`]: puts rows down one after another, and
/// says there are no more when it is dropped, even by a panic, so that the
/// planner never waits for rows that will not come.
struct Putting<'s> {
    shelf: &'s Shelf,
    planner: &'s std::thread::Thread,
    /// Rows put down so far.
    at: usize,
    /// Rows read since, not yet put down.
    batch: Vec<Record>,
}

impl<'s> Putting<'s> {
    fn new(shelf: &'s Shelf, planner: &'s std::thread::Thread) -> Putting<'s> {
        Putting { shelf, planner, at: 0, batch: Vec::with_capacity(Shelf::BATCH) }
    }

    fn put(&mut self, row: Record) {
        self.batch.push(row);
        if self.batch.len() == Shelf::BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(Shelf::BATCH));
        let len = batch.len();
        self.shelf.put(self.at, batch, self.planner);
        self.at += len;
    }

    /// Rows read so far.
    fn count(&self) -> usize {
        self.at + self.batch.len()
    }
}

impl Drop for Putting<'_> {
    fn drop(&mut self) {
        if !self.batch.is_empty() {
            self.flush();
        }
        self.shelf.close(self.planner);
    }
}

/// The rows of [`plan_csv`] from `next` on, each once the reader says it is
/// ready; the end once the reader is done.
struct Arriving<'s> {
    shelf: &'s Shelf,
    next: usize,
    /// Rows known to be ready.
    ready: usize,
    /// The batch row `next` is in, and where it starts.
    batch: (usize, &'s [Record]),
}

impl<'s> Arriving<'s> {
    fn new(shelf: &'s Shelf, next: usize) -> Arriving<'s> {
        Arriving { shelf, next, ready: 0, batch: (0, &[]) }
    }
}

impl<'s> Iterator for Arriving<'s> {
    type Item = (usize, &'s Record);

    fn next(&mut self) -> Option<Self::Item> {
        use std::sync::atomic::Ordering;
        while self.next >= self.ready {
            // Done is read before ready: rows ready before the reader was
            // done are seen.
            let done = self.shelf.done.load(Ordering::Acquire);
            self.ready = self.shelf.ready.load(Ordering::Acquire);
            if self.next < self.ready {
                break;
            }
            if done {
                return None;
            }
            std::thread::park();
        }
        let (start, rows) = self.batch;
        if self.next - start >= rows.len() {
            let b = self.next / Shelf::BATCH;
            self.batch = (b * Shelf::BATCH, self.shelf.batches.get(b)?.get()?);
        }
        let row = self.batch.1.get(self.next - self.batch.0)?;
        self.next += 1;
        Some((self.next - 1, row))
    }
}

/// [`plan`] of a file already read.
pub fn plan_source(
    store: &Store,
    source: &Source,
    request: &ImportRequest,
    today: NaiveDate,
) -> Result<plan::ImportPlan, SheetError> {
    let source = source.with_encoding(Path::new(&request.path), request.choice.encoding)?;
    Ok(prepare(store, &source, request, today, false)?.0)
}

/// Imports as the plan says, in one transaction; refused while the plan has
/// problems that stop it (or unreadable values the request does not drop).
/// Remembers the mapping for the next file with the same headers.
pub fn import(store: &mut Store, request: &ImportRequest, today: NaiveDate) -> Result<plan::ImportDone, SheetError> {
    let source = Source::read(Path::new(&request.path), request.choice.encoding)?;
    import_source(store, &source, request, today)
}

/// [`import`] of a file already read.
pub fn import_source(
    store: &mut Store,
    source: &Source,
    request: &ImportRequest,
    today: NaiveDate,
) -> Result<plan::ImportDone, SheetError> {
    let source = source.with_encoding(Path::new(&request.path), request.choice.encoding)?;
    let (plan, import, key) = prepare(store, &source, request, today, true)?;
    let blocking: Vec<&Problem> = plan.rows.iter().flat_map(|r| &r.problems).filter(|p| !p.can_drop).collect();
    if let Some(first) = blocking.first() {
        return Err(SheetError::ProblemsRemain {
            count: blocking.len() as i64,
            row: i64::from(first.row),
            first: first.message.clone(),
        });
    }
    let dropped: Vec<&Problem> = plan.rows.iter().flat_map(|r| &r.problems).collect();
    if let (Some(first), false) = (dropped.first(), request.drop_unreadable) {
        return Err(SheetError::UnreadableValues {
            count: dropped.len() as i64,
            row: i64::from(first.row),
            first: first.message.clone(),
        });
    }
    let imported = store.import_sheet(import, &key, &request.mapping)?;
    let agreement = imported.agreements.into_iter().next().ok_or(SheetError::NoTextColumn)?;
    Ok(plan::ImportDone {
        agreement_id: agreement.id,
        import_id: imported.import_ids.into_iter().next().unwrap_or_default(),
        created: plan.created,
        updated: plan.updated,
        unchanged: plan.unchanged,
        skipped: plan.skipped,
        notes: plan.notes,
        dropped: dropped.len() as u32,
    })
}

fn prepare(
    store: &Store,
    source: &Source,
    request: &ImportRequest,
    today: NaiveDate,
    with_import: bool,
) -> Result<(plan::ImportPlan, crate::store::import::Import, String), SheetError> {
    let file = source.file.clone();
    let grid = pick_sheet(&file, &source.book, request.choice.sheet.as_deref())?;
    let header_row = request.choice.header_row.unwrap_or_else(|| fields::guess_header_row(grid));
    check_sheet(&file, &grid.name, grid.extent(), header_row, &request.mapping)?;
    let heads: Vec<String> = grid.rows[header_row as usize - 1].iter().map(|c| c.display().trim().to_owned()).collect();
    let rows = grid.rows.iter().enumerate().skip(header_row as usize).map(|(i, r)| (i, r.as_slice()));
    let height = grid.rows.len().saturating_sub(header_row as usize);
    let (plan, import) =
        plan::build(store, &grid.name, rows, height, header_row, &request.mapping, &request.into, today, with_import)?;
    Ok((plan, import, fields::header_key(&heads)))
}

fn check_mapping(mapping: &[FieldColumn], width: usize) -> Result<(), SheetError> {
    if !mapping.iter().any(|m| m.field == SheetField::Text) {
        return Err(SheetError::NoTextColumn);
    }
    for (i, m) in mapping.iter().enumerate() {
        if m.column as usize >= width {
            return Err(SheetError::NoSuchColumn {
                column: read::column_letter(m.column as usize),
                last: read::column_letter(width.saturating_sub(1)),
            });
        }
        if mapping[..i].iter().any(|o| o.field == m.field) {
            return Err(SheetError::FieldTwice { field: m.field.label(crate::vocab::Lang::En) });
        }
    }
    Ok(())
}

/// Resolves a command line's `FIELD=COLUMN`: the column given by its header
/// text (as it stands, case and spacing aside) or by its letter.
pub fn resolve_column(heads: &[String], column: &str) -> Result<u32, SheetError> {
    let wanted = fields::fold(column);
    if let Some(i) = heads.iter().position(|h| fields::fold(h) == wanted) {
        return Ok(i as u32);
    }
    match read::column_index(column) {
        Some(i) if i < heads.len() => Ok(i as u32),
        Some(_) => Err(SheetError::NoSuchColumn {
            column: column.to_owned(),
            last: read::column_letter(heads.len().saturating_sub(1)),
        }),
        None => Err(SheetError::UnknownColumn { head: column.to_owned() }),
    }
}

/// The short-text limit, in the units problems report.
pub(crate) const SHORT_MAX: i64 = SHORT_TEXT_MAX_CHARS as i64;

#[cfg(test)]
mod tests {
    use super::*;

    /// The planner takes every row put, in order, and ends when the reader
    /// is done, even when the reader dies mid-way: it never waits for rows
    /// that will not come.
    #[test]
    fn a_shelf_hands_over_every_row_and_ends_even_when_its_reader_dies() {
        for rows in [0, 1, 255, 256, 257, 5000] {
            for dies in [false, true] {
                let shelf = Shelf::default();
                let planner = std::thread::current();
                let taken: Vec<(usize, String)> = std::thread::scope(|scope| {
                    let reader = scope.spawn(|| {
                        let mut putting = Putting::new(&shelf, &planner);
                        for i in 0..rows {
                            putting.put(Record::of(&csv::StringRecord::from(vec![i.to_string()])));
                        }
                        assert!(!dies, "the reader dies");
                    });
                    let taken =
                        Arriving::new(&shelf, 0).map(|(i, row)| (i, read::Row::cell(row, 0).display())).collect();
                    assert_eq!(reader.join().is_err(), dies);
                    taken
                });
                let want: Vec<(usize, String)> = (0..rows).map(|i| (i, i.to_string())).collect();
                assert_eq!(taken, want, "{rows} rows, dies: {dies}");
            }
        }
    }
}
