//! Workbooks, through `rust_xlsxwriter`: one sheet per table, its head row
//! bold and frozen, an autofilter over the table, columns as wide as their
//! contents (up to a limit past which long text wraps), each status filled
//! with its own colour, dates as real date cells, and a Persian workbook
//! laid out right to left. Every text goes in as a string cell.

use std::borrow::Cow;

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, IgnoreError, IntoExcelData, Workbook, Worksheet, XlsxError,
};

use super::table::{Cell, Head, Sheet};
use super::{ExportError, XLSX_CELL_MAX_CHARS, XLSX_MAX_ROWS, looks_like_formula};
use crate::calendar::format_gregorian;
use crate::vocab::{ClauseStatus, Lang, SheetField};

/// The widest a column is made, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;
/// A line of text's height, in points (Excel's default row).
const LINE_HEIGHT: f64 = 15.0;
/// The most lines a row is made tall for (Excel's tallest row is 409 points).
const MAX_LINES: usize = 27;
/// The longest sheet name Excel accepts, in UTF-16 units.
const SHEET_NAME_MAX: usize = 31;

/// The fill of each status: grey, blue, green, amber, light red.
fn fill(status: ClauseStatus) -> u32 {
    match status {
        ClauseStatus::NotStarted => 0xE7E6E6,
        ClauseStatus::InProgress => 0xDDEBF7,
        ClauseStatus::Completed => 0xE2EFDA,
        ClauseStatus::OnHold => 0xFFF2CC,
        ClauseStatus::Cancelled => 0xF8CBAD,
    }
}

/// The formats of one workbook.
struct Styles {
    head: Format,
    /// Text, by (wraps, quote prefix).
    text: [[Format; 2]; 2],
    date: Format,
    number: Format,
    status: Vec<(ClauseStatus, Format)>,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        // Cells align to the top, so a row of wrapped text reads from its
        // first line; Persian text reads right to left, from the right.
        let base = match lang {
            Lang::En => Format::new().set_align(FormatAlign::Top),
            Lang::Fa => {
                Format::new().set_align(FormatAlign::Top).set_align(FormatAlign::Right).set_reading_direction(2)
            }
        };
        let text = |wrap: bool, quote: bool| {
            let f = if wrap { base.clone().set_text_wrap() } else { base.clone() };
            if quote { f.set_quote_prefix() } else { f }
        };
        Styles {
            head: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9D9D9))
                .set_border_bottom(FormatBorder::Thin),
            text: [[text(false, false), text(false, true)], [text(true, false), text(true, true)]],
            date: Format::new().set_align(FormatAlign::Top).set_num_format("yyyy-mm-dd"),
            number: Format::new().set_align(FormatAlign::Top),
            status: ClauseStatus::ALL
                .iter()
                .map(|&s| (s, base.clone().set_background_color(Color::RGB(fill(s)))))
                .collect(),
        }
    }

    fn get(&self, style: Style) -> &Format {
        match style {
            Style::Text { wraps, quote } => &self.text[usize::from(wraps)][usize::from(quote)],
            Style::Date => &self.date,
            Style::Number => &self.number,
            Style::Status(status) => {
                &self.status.iter().find(|(s, _)| *s == status).expect("every status has a format").1
            }
        }
    }
}

/// Which of a workbook's formats a cell takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Text that wraps or not, with Excel's quote prefix or not.
    Text {
        wraps: bool,
        quote: bool,
    },
    Date,
    Number,
    Status(ClauseStatus),
}

/// Writes `sheets` into a workbook, in memory.
pub(crate) fn write(sheets: &[Sheet], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let styles = Styles::new(lang);
    let mut workbook = Workbook::new();
    // The fastest deflate level: compressing at the default level took a
    // third of an export's time, for files some 20% smaller (see
    // docs/performance.md).
    workbook.set_zip_compression_level(2);
    let mut names: Vec<String> = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        if sheet.rows.len() > XLSX_MAX_ROWS {
            return Err(ExportError::TooManyRows {
                title: sheet.title.clone(),
                count: sheet.rows.len(),
                max: XLSX_MAX_ROWS,
            });
        }
        let name = sheet_name(&sheet.title, &names);
        let worksheet = workbook.add_worksheet_with_constant_memory().map_err(xlsx)?;
        worksheet.set_name(&name).map_err(xlsx)?;
        names.push(name);
        fill_sheet(worksheet, sheet, lang, &styles)?;
    }
    workbook.save_to_buffer().map_err(xlsx)
}

fn xlsx(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

fn fill_sheet(ws: &mut Worksheet, sheet: &Sheet, lang: Lang, styles: &Styles) -> Result<(), ExportError> {
    ws.set_right_to_left(lang == Lang::Fa);
    // Printed: landscape A4, one page wide, the head row on every page.
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xlsx)?;
    let widths = widths(sheet, lang);
    // Each cell's style, then each column's most common one, which becomes
    // the column's format: its cells are written without a format of their
    // own and take the column's (the file gives them the same style).
    // rust_xlsxwriter looks a cell's format up by hashing the whole format,
    // which was a fifth of a 10,000-clause export (see docs/performance.md).
    let cell_styles: Vec<Vec<Option<Style>>> = sheet
        .rows
        .iter()
        .map(|row| row.cells.iter().enumerate().map(|(col, cell)| style(cell, lang, widths[col])).collect())
        .collect();
    let column_styles: Vec<Option<Style>> = (0..sheet.heads.len())
        .map(|col| most_common(cell_styles.iter().filter_map(|row| row.get(col).copied().flatten())))
        .collect();
    for (col, head) in sheet.heads.iter().enumerate() {
        let c = col as u16;
        ws.write_string_with_format(0, c, head.label(lang), &styles.head).map_err(xlsx)?;
        ws.set_column_width(c, widths[col] as f64 + 1.0).map_err(xlsx)?;
        if let Some(style) = column_styles[col] {
            ws.set_column_format(c, styles.get(style)).map_err(xlsx)?;
        }
    }
    for (i, (row, row_styles)) in sheet.rows.iter().zip(&cell_styles).enumerate() {
        let r = i as u32 + 1;
        let mut lines = 1;
        for (col, (cell, style)) in row.cells.iter().zip(row_styles).enumerate() {
            let c = col as u16;
            // The cell's own format, unless the column's is the same.
            let format = style.filter(|s| Some(*s) != column_styles[col]).map(|s| styles.get(s));
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    if t.chars().count() > XLSX_CELL_MAX_CHARS {
                        return Err(ExportError::CellTooLong {
                            number: row.number.clone(),
                            title: sheet.title.clone(),
                            max: XLSX_CELL_MAX_CHARS,
                        });
                    }
                    lines = lines.max(line_count(t, widths[col]));
                    // An import takes one apostrophe off a formula-like text
                    // (a CSV file's guard), so a text that begins with its own
                    // apostrophe gets one more, as in CSV.
                    let quoted = matches!(style, Some(Style::Text { quote: true, .. })) && t.starts_with('\'');
                    let text = if quoted { Cow::Owned(format!("'{t}")) } else { Cow::Borrowed(t.as_str()) };
                    put(ws, r, c, text, format)?;
                }
                Cell::Date(d) => match excel_date(*d) {
                    Some(date) => put(ws, r, c, date, format)?,
                    // Before 1900: no Excel date; the ISO text instead.
                    None => put(ws, r, c, format_gregorian(*d), format)?,
                },
                Cell::Number(n) => put(ws, r, c, *n as f64, format)?,
                Cell::Status(s) => put(ws, r, c, s.label(lang), format)?,
            }
        }
        // Spreadsheets do not all fit a row to wrapped text on opening
        // (LibreOffice keeps the default height), so the height is set.
        if lines > 1 {
            ws.set_row_height(r, LINE_HEIGHT * lines.min(MAX_LINES) as f64).map_err(xlsx)?;
        }
    }
    let last_col = sheet.heads.len().saturating_sub(1) as u16;
    let last_row = sheet.rows.len() as u32;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.autofilter(0, 0, last_row, last_col).map_err(xlsx)?;
    // Clause numbers such as 3 are text on purpose: no green triangles.
    if last_row > 0 {
        for (col, head) in sheet.heads.iter().enumerate() {
            if matches!(head, Head::Field(SheetField::Number | SheetField::Group)) {
                ws.ignore_error_range(1, col as u16, last_row, col as u16, IgnoreError::NumberStoredAsText)
                    .map_err(xlsx)?;
            }
        }
    }
    Ok(())
}

/// Writes a cell, with its own format or, without one, taking its column's.
fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    data: impl IntoExcelData,
    format: Option<&Format>,
) -> Result<(), ExportError> {
    match format {
        Some(f) => ws.write_with_format(row, col, data, f),
        None => ws.write(row, col, data),
    }
    .map(drop)
    .map_err(xlsx)
}

/// The style met most often, the first met among equals (so the file is
/// the same every time); none for a column of empty cells.
fn most_common(styles: impl Iterator<Item = Style>) -> Option<Style> {
    let mut counts: Vec<(Style, usize)> = Vec::new();
    for style in styles {
        match counts.iter_mut().find(|(s, _)| *s == style) {
            Some((_, n)) => *n += 1,
            None => counts.push((style, 1)),
        }
    }
    counts.into_iter().reduce(|best, next| if next.1 > best.1 { next } else { best }).map(|(s, _)| s)
}

/// The style of a cell in a column `width` characters wide (none for an
/// empty cell).
fn style(cell: &Cell, lang: Lang, width: usize) -> Option<Style> {
    match cell {
        Cell::Empty => None,
        Cell::Text(t) => Some(Style::Text {
            wraps: t.contains('\n') || cell_width(cell, lang) > width,
            quote: looks_like_formula(t),
        }),
        Cell::Date(d) => {
            Some(if excel_date(*d).is_some() { Style::Date } else { Style::Text { wraps: false, quote: false } })
        }
        Cell::Number(_) => Some(Style::Number),
        Cell::Status(s) => Some(Style::Status(*s)),
    }
}

/// How many characters a cell shows on its widest line.
fn cell_width(cell: &Cell, lang: Lang) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Date(_) => "2025-06-05".len(),
        Cell::Number(n) => n.to_string().len(),
        Cell::Status(s) => s.label(lang).chars().count(),
    }
}

/// Each column's width in characters: its widest cell, or its head with
/// room for the filter button, up to [`MAX_WIDTH`].
fn widths(sheet: &Sheet, lang: Lang) -> Vec<usize> {
    let mut widths: Vec<usize> = sheet.heads.iter().map(|h| h.label(lang).chars().count() + 3).collect();
    for row in &sheet.rows {
        for (width, cell) in widths.iter_mut().zip(&row.cells) {
            *width = (*width).max(cell_width(cell, lang));
        }
    }
    widths.into_iter().map(|w| w.min(MAX_WIDTH)).collect()
}

/// About how many lines `text` takes in a column `width` characters wide.
/// A column's width counts digits; some tenth more letters fit on a line
/// (measured in LibreOffice; Excel's Calibri fits more).
fn line_count(text: &str, width: usize) -> usize {
    let per_line = (width.max(1) * 11).div_ceil(10);
    text.lines().map(|l| l.chars().count().div_ceil(per_line).max(1)).sum::<usize>().max(1)
}

/// A day as an Excel date, which starts in 1900.
fn excel_date(d: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// A sheet name from an agreement's title: without the characters Excel
/// forbids, at most 31 long, and unlike the names already `taken` (Excel
/// compares them without case).
fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = clean.trim_matches('\'').trim();
    // Excel keeps "History" for itself.
    let base = if clean.is_empty() || clean.eq_ignore_ascii_case("history") { "Sheet" } else { clean };
    let free = |name: &str| !taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    (1..)
        .map(|n| {
            let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
            let room = SHEET_NAME_MAX - suffix.encode_utf16().count();
            let mut name = String::new();
            for c in base.chars() {
                if name.encode_utf16().count() + c.len_utf16() > room {
                    break;
                }
                name.push(c);
            }
            // Cutting may leave a trailing space or apostrophe.
            format!("{}{suffix}", name.trim_end().trim_end_matches('\''))
        })
        .find(|name| free(name))
        .expect("some number makes the name unique")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_clean_short_and_unique() {
        let mut taken = Vec::new();
        let title = "Action Plan [2025/26]: health*care? \\ Tajikistan and Uzbekistan";
        for expected in
            ["Action Plan 2025 26 health care", "Action Plan 2025 26 health (2)", "Action Plan 2025 26 health (3)"]
        {
            let name = sheet_name(title, &taken);
            assert_eq!(name, expected);
            assert!(name.encode_utf16().count() <= SHEET_NAME_MAX);
            taken.push(name);
        }
        assert_eq!(sheet_name("'quoted'", &[]), "quoted");
        assert_eq!(sheet_name("", &[]), "Sheet");
        assert_eq!(sheet_name("history", &[]), "Sheet");
        assert_eq!(sheet_name("ACTION", &["action".into()]), "ACTION (2)");
        let persian = sheet_name("برنامه همکاری وزارت تعاون، کار و رفاه اجتماعی و برنامه عمران ملل متحد", &[]);
        assert!(persian.chars().count() <= SHEET_NAME_MAX, "{persian}");
    }
}
