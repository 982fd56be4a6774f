//! Reading a file into grids of cells, as a person sees them: every sheet
//! of a workbook (`.xlsx`, `.xls`, `.ods`, through calamine) or the one
//! table of a CSV file (through the csv crate, after decoding its text).
//!
//! Files come from outside and are untrusted. Before calamine inflates
//! anything, the archive's directory is checked against [`MAX_INFLATED`] and
//! [`MAX_RATIO`], so a zip bomb is refused unread; the file's first bytes
//! must say what its name says; and the rows and columns kept are capped.
//! A merged cell's value is copied into every cell it covers, because an
//! officer reads a title merged over four rows as the title of each.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Sheets};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::SheetError;

/// The largest file read: a 200-row action plan is a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most a workbook's parts may inflate to, all together.
pub const MAX_INFLATED: u64 = 512 * 1024 * 1024;
/// The most one part of a workbook may inflate, relative to its packed size.
/// Real sheets compress 5–20×; a zip bomb, thousands of times.
pub const MAX_RATIO: u64 = 200;
/// The most rows read from one sheet.
pub const MAX_ROWS: usize = 250_000;
/// The most columns read from one sheet.
pub const MAX_COLUMNS: usize = 256;

/// What a file holds, by its name and its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

/// How a CSV file's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf16le,
    Utf16be,
    /// What Excel writes for a Persian CSV on Windows ("Arabic (Windows)").
    Windows1256,
}

/// One cell as read; `Cell<&str>` is a view of one, which the rules that
/// read a value take ([`Cell::view`]), so that a cell of a grid and a field
/// of a streamed record ([`Record`]) are read alike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<S = String> {
    Empty,
    Text(S),
    Number(f64),
    /// A date-formatted cell (either of Excel's date systems, resolved).
    Date(NaiveDate),
    Bool(bool),
}

impl<S: AsRef<str>> Cell<S> {
    /// The cell as a person reads it; dates as ISO.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.as_ref().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => trim_text(t.as_ref()).is_empty(),
            _ => false,
        }
    }

    /// The cell, its text borrowed.
    pub fn view(&self) -> Cell<&str> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(t) => Cell::Text(t.as_ref()),
            Cell::Number(n) => Cell::Number(*n),
            Cell::Date(d) => Cell::Date(*d),
            Cell::Bool(b) => Cell::Bool(*b),
        }
    }
}

/// A row as the plan reads it: a grid's row, or a streamed [`Record`].
pub(crate) trait Row<'g>: Copy {
    /// Its cell in a column; empty past its last.
    fn cell(self, column: usize) -> Cell<&'g str>;

    /// Whether every cell is empty.
    fn is_blank(self) -> bool;
    /// Its last cell that is not empty.
    fn last_filled(self) -> Option<usize>;
}

impl<'g> Row<'g> for &'g [Cell] {
    fn cell(self, column: usize) -> Cell<&'g str> {
        self.get(column).map_or(Cell::Empty, Cell::view)
    }

    fn is_blank(self) -> bool {
        self.iter().all(Cell::is_empty)
    }

    fn last_filled(self) -> Option<usize> {
        self.iter().rposition(|c| !c.is_empty())
    }
}

/// A CSV record as a streamed read keeps it: its first [`MAX_COLUMNS`]
/// fields end to end in one text, and where each ends. Two allocations a
/// row rather than one a cell, and a row's cells side by side, where the
/// plan reads them. Whether a field is empty is learnt once, as it is read.
#[derive(Debug)]
pub(crate) struct Record {
    text: Box<str>,
    /// Where each field ends in `text`, with [`Record::EMPTY`] set for a
    /// field that is empty or white space.
    ends: Box<[u32]>,
}

impl Record {
    /// A bit no end uses: a record is no longer than [`MAX_FILE_BYTES`].
    const EMPTY: u32 = 1 << 31;

    pub(crate) fn of(record: &csv::StringRecord) -> Record {
        const _: () = assert!(MAX_FILE_BYTES < Record::EMPTY as u64);
        let width = record.len().min(MAX_COLUMNS);
        let mut ends = Vec::with_capacity(width);
        let mut end = 0;
        for (i, field) in record.iter().take(width).enumerate() {
            end = record.range(i).map_or(end, |r| r.end);
            let empty = if trim_text(field).is_empty() { Record::EMPTY } else { 0 };
            ends.push(end as u32 | empty);
        }
        Record { text: record.as_slice()[..end].into(), ends: ends.into() }
    }
}

impl<'g> Row<'g> for &'g Record {
    fn cell(self, column: usize) -> Cell<&'g str> {
        let Some(&end) = self.ends.get(column) else { return Cell::Empty };
        if end & Record::EMPTY != 0 {
            return Cell::Empty;
        }
        let start = if column == 0 { 0 } else { self.ends[column - 1] & !Record::EMPTY };
        Cell::Text(&self.text[start as usize..end as usize])
    }

    fn is_blank(self) -> bool {
        self.ends.iter().all(|e| e & Record::EMPTY != 0)
    }

    fn last_filled(self) -> Option<usize> {
        self.ends.iter().rposition(|e| e & Record::EMPTY == 0)
    }
}

/// One sheet: its name and its rows from the sheet's first row (row 1 is
/// `rows[0]`), every row as long as the widest.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    /// A grid is cut to its extent when it is read.
    pub(crate) fn extent(&self) -> Extent {
        Extent { rows: self.rows.len(), width: self.width() }
    }
}

/// A file read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub kind: FileKind,
    /// The encoding a CSV file was read in.
    pub encoding: Option<TextEncoding>,
    pub sheets: Vec<Grid>,
}

/// The kind a file's name says, or why it is not one we read.
pub fn kind_of(path: &Path) -> Result<FileKind, SheetError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => Ok(FileKind::Xlsx),
        "xls" => Ok(FileKind::Xls),
        "ods" => Ok(FileKind::Ods),
        "csv" | "txt" => Ok(FileKind::Csv),
        _ => Err(SheetError::UnknownFormat { extension: ext }),
    }
}

/// Reads a file: every sheet of a workbook, or a CSV file in `encoding`
/// (`None`: detected).
pub fn read(path: &Path, encoding: Option<TextEncoding>) -> Result<Book, SheetError> {
    let kind = kind_of(path)?;
    let file = file_name(path);
    let bytes = file_bytes(path, &file)?;
    read_bytes(&file, kind, bytes, encoding)
}

/// A file's bytes, refused unread past [`MAX_FILE_BYTES`].
fn file_bytes(path: &Path, file: &str) -> Result<Vec<u8>, SheetError> {
    let unreadable = |e: std::io::Error| SheetError::Unreadable { file: file.to_owned(), reason: e.to_string() };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(SheetError::TooLarge { file: file.to_owned(), bytes: size, max: MAX_FILE_BYTES });
    }
    std::fs::read(path).map_err(unreadable)
}

/// Reads a file's bytes as `kind`; `file` names it in errors.
pub fn read_bytes(
    file: &str,
    kind: FileKind,
    bytes: Vec<u8>,
    encoding: Option<TextEncoding>,
) -> Result<Book, SheetError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SheetError::TooLarge { file: file.to_owned(), bytes: bytes.len() as u64, max: MAX_FILE_BYTES });
    }
    let is_zip = bytes.starts_with(ZIP);
    let is_ole = bytes.starts_with(OLE);
    let not_what_it_says = || SheetError::NotItsKind { file: file.to_owned(), kind: kind_word(kind) };
    match kind {
        FileKind::Csv => {
            let (text, encoding) = csv_decoded(file, bytes, encoding)?;
            let rows = csv_rows(file, &text)?;
            Ok(Book { kind, encoding: Some(encoding), sheets: vec![Grid { name: csv_sheet_name(file), rows }] })
        }
        FileKind::Xlsx | FileKind::Ods => {
            if is_ole {
                // An encrypted OOXML file is an OLE container, as an old .xls is.
                return Err(SheetError::Protected { file: file.to_owned() });
            }
            if !is_zip {
                return Err(not_what_it_says());
            }
            check_archive(file, &bytes)?;
            workbook(file, kind, bytes)
        }
        FileKind::Xls => {
            if !is_ole {
                return Err(not_what_it_says());
            }
            workbook(file, kind, bytes)
        }
    }
}

fn kind_word(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Xlsx => "xlsx",
        FileKind::Xls => "xls",
        FileKind::Ods => "ods",
        FileKind::Csv => "csv",
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// The name of a CSV file's one sheet: its file name without extension.
pub(crate) fn csv_sheet_name(file: &str) -> String {
    Path::new(file).file_stem().map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// Refuses an archive whose parts would inflate past the limits, from its
/// directory alone.
fn check_archive(file: &str, bytes: &[u8]) -> Result<(), SheetError> {
    let corrupt = |reason: String| SheetError::Corrupt { file: file.to_owned(), reason };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| corrupt(e.to_string()))?;
        if entry.encrypted() {
            return Err(SheetError::Protected { file: file.to_owned() });
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if size > 1024 * 1024 && size / entry.compressed_size().max(1) > MAX_RATIO {
            return Err(SheetError::Inflates { file: file.to_owned(), bytes: size, max: MAX_INFLATED });
        }
    }
    if total > MAX_INFLATED {
        return Err(SheetError::Inflates { file: file.to_owned(), bytes: total, max: MAX_INFLATED });
    }
    Ok(())
}

fn workbook(file: &str, kind: FileKind, bytes: Vec<u8>) -> Result<Book, SheetError> {
    let corrupt = |reason: String| SheetError::Corrupt { file: file.to_owned(), reason };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        let reason = e.to_string();
        if reason.to_ascii_lowercase().contains("password") || reason.to_ascii_lowercase().contains("encrypt") {
            SheetError::Protected { file: file.to_owned() }
        } else {
            corrupt(reason)
        }
    })?;
    let names = book.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| corrupt(e.to_string()))?;
        let merged = merged_regions(&mut book, &name);
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let (height, width) = range.get_size();
        let height = (row0 as usize + height).min(MAX_ROWS);
        let width = (col0 as usize + width).min(MAX_COLUMNS);
        let mut rows = vec![vec![Cell::Empty; width]; height];
        for (r, c, data) in range.used_cells() {
            let (r, c) = (r + row0 as usize, c + col0 as usize);
            if r < height && c < width {
                rows[r][c] = cell(data);
            }
        }
        for m in merged {
            let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
            if r0 >= height || c0 >= width {
                continue;
            }
            let value = rows[r0][c0].clone();
            for row in rows.iter_mut().take((m.end.0 as usize + 1).min(height)).skip(r0) {
                for slot in row.iter_mut().take((m.end.1 as usize + 1).min(width)).skip(c0) {
                    slot.clone_from(&value);
                }
            }
        }
        trim(&mut rows);
        sheets.push(Grid { name, rows });
    }
    Ok(Book { kind, encoding: None, sheets })
}

/// The merged regions of a sheet, where the format keeps them.
fn merged_regions<RS: Read + std::io::Seek>(book: &mut Sheets<RS>, name: &str) -> Vec<calamine::Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        // calamine reports no merged regions for ODS and XLSB: an ODS cell
        // covered by a merge reads as empty.
        Sheets::Ods(_) | Sheets::Xlsb(_) => Vec::new(),
    }
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => {
            d.as_datetime().map_or(Cell::Number(d.as_f64()), |t| Cell::Date(t.date()))
        }
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map_or_else(|_| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// `s.trim()`, answered at once for text that starts and ends with a
/// visible ASCII character, as nearly every cell does (`str::trim` decodes
/// a character at each end to ask whether it is white space).
pub(crate) fn trim_text(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// How far a sheet's cells reach: its rows up to the last that is not
/// empty, and its columns up to the last cell that is not empty in any row.
/// A grid is cut to its extent; a sheet read row by row learns it as it
/// goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Extent {
    pub rows: usize,
    pub width: usize,
}

impl Extent {
    /// Takes in row `index` (0-based), the rows before it taken in.
    pub fn add<'g>(&mut self, index: usize, row: impl Row<'g>) {
        if let Some(last) = row.last_filled() {
            self.rows = index + 1;
            self.width = self.width.max(last + 1);
        }
    }
}

/// Cuts rows to their [`Extent`], and makes every row as wide.
fn trim(rows: &mut Vec<Vec<Cell>>) {
    let mut extent = Extent::default();
    for (i, r) in rows.iter().enumerate() {
        extent.add(i, r.as_slice());
    }
    rows.truncate(extent.rows);
    for r in rows.iter_mut() {
        r.resize(extent.width, Cell::Empty);
    }
}

/// A CSV file's bytes (their size checked) as text: refused when they are
/// a workbook or binary, else decoded.
fn csv_decoded(
    file: &str,
    bytes: Vec<u8>,
    encoding: Option<TextEncoding>,
) -> Result<(String, TextEncoding), SheetError> {
    if not_text(&bytes) {
        return Err(SheetError::NotItsKind { file: file.to_owned(), kind: kind_word(FileKind::Csv) });
    }
    decode(file, bytes, encoding)
}

/// Whether a file named as text begins as a workbook (a zip archive or an
/// OLE container) or as binary data does: many NUL bytes, not UTF-16.
fn not_text(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP)
        || bytes.starts_with(OLE)
        || bytes.iter().take(4096).filter(|&&b| b == 0).count() > 64 && !looks_utf16(bytes)
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn looks_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Decodes a CSV file's bytes: as `encoding`, or by its byte-order mark, or
/// as UTF-8 when it is valid UTF-8, else as Windows-1256. UTF-8 text is
/// checked once and kept in the bytes it came in, not copied.
fn decode(file: &str, bytes: Vec<u8>, encoding: Option<TextEncoding>) -> Result<(String, TextEncoding), SheetError> {
    let utf16_mark = looks_utf16(&bytes);
    let bytes = match encoding {
        Some(TextEncoding::Utf8) | None if !utf16_mark => match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{FEFF}') {
                    text.drain(..'\u{FEFF}'.len_utf8());
                }
                return Ok((text, TextEncoding::Utf8));
            }
            Err(_) if encoding.is_some() => {
                return Err(SheetError::Encoding {
                    file: file.to_owned(),
                    encoding: encoding_word(TextEncoding::Utf8),
                });
            }
            Err(e) => e.into_bytes(),
        },
        _ => bytes,
    };
    let detected = match encoding {
        Some(e) => e,
        None if bytes.starts_with(&[0xFF, 0xFE]) => TextEncoding::Utf16le,
        None if bytes.starts_with(&[0xFE, 0xFF]) => TextEncoding::Utf16be,
        None => TextEncoding::Windows1256,
    };
    let codec = match detected {
        TextEncoding::Utf8 => encoding_rs::UTF_8,
        TextEncoding::Utf16le => encoding_rs::UTF_16LE,
        TextEncoding::Utf16be => encoding_rs::UTF_16BE,
        TextEncoding::Windows1256 => encoding_rs::WINDOWS_1256,
    };
    let (text, _, malformed) = codec.decode(&bytes);
    if malformed {
        return Err(SheetError::Encoding { file: file.to_owned(), encoding: encoding_word(detected) });
    }
    Ok((text.into_owned(), detected))
}

pub(crate) fn encoding_word(e: TextEncoding) -> &'static str {
    match e {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::Utf16le => "UTF-16LE",
        TextEncoding::Utf16be => "UTF-16BE",
        TextEncoding::Windows1256 => "Windows-1256",
    }
}

/// The rows of a CSV text, each as long as the widest, without the empty
/// rows at its end.
fn csv_rows(file: &str, text: &str) -> Result<Vec<Vec<Cell>>, SheetError> {
    let mut rows = Vec::new();
    csv_each(file, text, |row| rows.push(row))?;
    trim(&mut rows);
    Ok(rows)
}

/// Hands each record of a CSV text to `each` as a row of cells, as it is
/// read; at most [`MAX_ROWS`] of them and [`MAX_COLUMNS`] cells each.
pub(crate) fn csv_each(file: &str, text: &str, each: impl FnMut(Vec<Cell>)) -> Result<(), SheetError> {
    let reader = csv_reader(delimiter(text.as_bytes()), text.as_bytes());
    let mut each = each;
    each_record(file, reader, |record| each(cells_of(record))).map_err(|e| match e {
        RecordError::Sheet(e) => e,
        RecordError::NotUtf8(reason) => SheetError::Corrupt { file: file.to_owned(), reason },
    })
}

/// What [`csv_stream`] did.
pub(crate) enum Streamed {
    /// Every record was handed on.
    Read,
    /// The file is to be read whole and decoded as [`read`] does: it is not
    /// UTF-8, says it is UTF-16, or has more rows than are read (whose
    /// refusal waits on the whole file's encoding). Records handed on
    /// before this was found are to be forgotten.
    ReadWhole,
}

/// [`csv_each`] straight from the file, each record as a [`Record`],
/// without the file's whole text in memory first, for a UTF-8 file (said to be, or found to be: a record that is
/// not UTF-8 ends the stream with [`Streamed::ReadWhole`], as [`read`]
/// would then decode the whole file as Windows-1256). The file is checked
/// as [`read`] checks it, from its size and its first bytes.
pub(crate) fn csv_stream(
    path: &Path,
    encoding: Option<TextEncoding>,
    mut each: impl FnMut(Record),
) -> Result<Streamed, SheetError> {
    use std::io::Read as _;
    if encoding.is_some_and(|e| e != TextEncoding::Utf8) {
        return Ok(Streamed::ReadWhole);
    }
    let file = file_name(path);
    let unreadable = |e: std::io::Error| SheetError::Unreadable { file: file.clone(), reason: e.to_string() };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(SheetError::TooLarge { file, bytes: size, max: MAX_FILE_BYTES });
    }
    let mut input = std::fs::File::open(path).map_err(unreadable)?;
    // The first bytes: what the file is, and its first line for the
    // delimiter.
    let mut head = Vec::with_capacity(HEAD);
    (&mut input).take(HEAD as u64).read_to_end(&mut head).map_err(unreadable)?;
    if not_text(&head) {
        return Err(SheetError::NotItsKind { file, kind: kind_word(FileKind::Csv) });
    }
    let body = head.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&head);
    let whole_head = head.len() < HEAD;
    // A first line longer than the first bytes, or a UTF-16 file: read whole.
    if looks_utf16(&head) || !whole_head && !body.contains(&b'\n') {
        return Ok(Streamed::ReadWhole);
    }
    let delimiter = delimiter(body);
    let reader = csv_reader(delimiter, std::io::Cursor::new(body).chain(input));
    match each_record(&file, reader, |record| each(Record::of(record))) {
        Ok(()) => Ok(Streamed::Read),
        Err(RecordError::NotUtf8(_)) if encoding.is_none() => Ok(Streamed::ReadWhole),
        Err(RecordError::NotUtf8(_)) => Err(SheetError::Encoding { file, encoding: encoding_word(TextEncoding::Utf8) }),
        // Past the last row read, the whole file decides: read whole, a
        // file that is not UTF-8 after its 250,000th row is refused for
        // that first, as read() refuses it.
        Err(RecordError::Sheet(SheetError::TooManyRows { .. })) => Ok(Streamed::ReadWhole),
        Err(RecordError::Sheet(e)) => Err(e),
    }
}

/// How many first bytes [`csv_stream`] reads to know a file.
const HEAD: usize = 64 * 1024;

/// The one of `,`, `;` and tab that splits the first line most (Excel
/// writes `;` where `,` is the decimal mark).
fn delimiter(text: &[u8]) -> u8 {
    let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
    [b',', b';', b'\t'].into_iter().max_by_key(|d| first.iter().filter(|b| *b == d).count()).unwrap_or(b',')
}

fn csv_reader<R: std::io::Read>(delimiter: u8, input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(HEAD)
        .from_reader(input)
}

/// Why [`each_record`] stopped early.
enum RecordError {
    Sheet(SheetError),
    /// A record that is not UTF-8.
    NotUtf8(String),
}

/// Hands each record to `each`, at most [`MAX_ROWS`] of them, to be kept
/// as the caller keeps a row (of which no more than [`MAX_COLUMNS`] cells).
fn each_record<R: std::io::Read>(
    file: &str,
    mut reader: csv::Reader<R>,
    mut each: impl FnMut(&csv::StringRecord),
) -> Result<(), RecordError> {
    // One record read into again and again (the csv crate checks it is
    // UTF-8 once); each row is copied out of it once.
    let mut record = csv::StringRecord::new();
    let mut count = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                return Err(match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => RecordError::NotUtf8(e.to_string()),
                    csv::ErrorKind::Io(io) => {
                        RecordError::Sheet(SheetError::Unreadable { file: file.to_owned(), reason: io.to_string() })
                    }
                    _ => RecordError::Sheet(SheetError::Corrupt { file: file.to_owned(), reason: e.to_string() }),
                });
            }
        }
        if count >= MAX_ROWS {
            return Err(RecordError::Sheet(SheetError::TooManyRows { file: file.to_owned(), max: MAX_ROWS as i64 }));
        }
        count += 1;
        each(&record);
    }
}

/// A record as a grid's row.
fn cells_of(record: &csv::StringRecord) -> Vec<Cell> {
    let mut row = Vec::with_capacity(record.len().min(MAX_COLUMNS));
    for field in record.iter().take(MAX_COLUMNS) {
        row.push(if trim_text(field).is_empty() { Cell::Empty } else { Cell::Text(field.to_owned()) });
    }
    row
}

/// The letters of a 0-based column: A, B, …, Z, AA.
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The 0-based index of column letters (`A`, `ab`), if they are letters.
pub fn column_index(letters: &str) -> Option<usize> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for b in letters.bytes() {
        n = n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    Some(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A streamed record reads as the grid row the whole read makes of it:
    /// cell by cell, its blankness and its last filled cell.
    #[test]
    fn a_record_reads_as_its_grid_row() {
        let wide: Vec<String> =
            (0..MAX_COLUMNS + 3).map(|i| if i % 7 == 0 { format!("c{i}") } else { String::new() }).collect();
        let records: Vec<Vec<String>> = vec![
            vec![],
            vec!["".into()],
            vec![" ".into(), "\t".into(), "".into()],
            vec!["1.2".into(), " Action ".into(), "".into(), "۱۴۰۴/۰۳/۱۵".into(), "  ".into()],
            vec!["".into(), "".into(), "x".into()],
            vec!["اقدام".into(), "\u{a0}".into()],
            wide,
        ];
        for fields in records {
            let record = csv::StringRecord::from(fields.clone());
            let (kept, grid) = (Record::of(&record), cells_of(&record));
            let row = grid.as_slice();
            assert_eq!(kept.ends.len(), row.len(), "{fields:?}");
            for c in 0..row.len() + 2 {
                assert_eq!(kept.cell(c), row.cell(c), "{fields:?} column {c}");
            }
            assert_eq!(kept.is_blank(), row.is_blank(), "{fields:?}");
            assert_eq!(kept.last_filled(), row.last_filled(), "{fields:?}");
        }
    }

    #[test]
    fn column_letters_round_trip() {
        for (i, l) in [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_letter(i), l);
            assert_eq!(column_index(l), Some(i));
        }
        assert_eq!(column_index("No."), None);
    }

    #[test]
    fn trim_text_is_str_trim() {
        for s in
            ["", " ", "a", " a", "a ", "\ta\r", "\u{A0}x\u{3000}", "x\u{2003}", "ab", "(1)", "\u{FEFF}a", "۱ ", " ۱"]
        {
            assert_eq!(trim_text(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn csv_text_is_decoded_by_its_mark_or_as_windows_1256() {
        let utf8 = "\u{FEFF}ردیف,اقدام\n1,آموزش\n".as_bytes().to_vec();
        let book = read_bytes("a.csv", FileKind::Csv, utf8, None).unwrap();
        assert_eq!(book.encoding, Some(TextEncoding::Utf8));
        assert_eq!(book.sheets[0].rows[0][0], Cell::Text("ردیف".into()));
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("ردیف;اقدام\n1;آموزش\n");
        let book = read_bytes("a.csv", FileKind::Csv, cp1256.into_owned(), None).unwrap();
        assert_eq!(book.encoding, Some(TextEncoding::Windows1256));
        assert_eq!(book.sheets[0].rows[1][1], Cell::Text("آموزش".into()));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "No.\tAction\n1\tTrain\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let book = read_bytes("a.csv", FileKind::Csv, utf16, None).unwrap();
        assert_eq!(book.encoding, Some(TextEncoding::Utf16le));
        assert_eq!(book.sheets[0].rows[1][1], Cell::Text("Train".into()));
        // Said to be UTF-8: its mark is dropped; bytes that are not UTF-8 are
        // refused, not read as another encoding.
        let book = read_bytes("a.csv", FileKind::Csv, "\u{FEFF}No.\n1\n".into(), Some(TextEncoding::Utf8)).unwrap();
        assert_eq!(book.sheets[0].rows[0][0], Cell::Text("No.".into()));
        let err = read_bytes("a.csv", FileKind::Csv, b"No.\n\xE1\n".to_vec(), Some(TextEncoding::Utf8)).unwrap_err();
        assert_eq!(err.code(), "bad_encoding");
        // A UTF-8 mark before bytes that are not UTF-8 is no proof of UTF-8.
        let err = read_bytes("a.csv", FileKind::Csv, b"\xEF\xBB\xBFNo.\n\xE1\n".to_vec(), None).unwrap_err();
        assert_eq!(err.code(), "bad_encoding");
    }
}
