//! CSV files, through the `csv` crate: UTF-8 with a byte order mark (so
//! Excel reads Persian right), CRLF line ends, the head row in the export's
//! language, dates as ISO 8601. A text a spreadsheet would take for a
//! formula is written with a leading `'`, which the import takes off again.

use super::looks_like_formula;
use super::table::{Cell, Sheet};
use crate::calendar::format_gregorian;
use crate::vocab::Lang;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes one table in memory.
pub(crate) fn write(sheet: &Sheet, lang: Lang) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.to_vec());
    // A writer into memory fails only on a defect: it does no I/O.
    let defect = "writing CSV into memory cannot fail";
    out.write_record(sheet.heads.iter().map(|h| h.label(lang))).expect(defect);
    for row in &sheet.rows {
        out.write_record(row.cells.iter().map(|c| field(c, lang))).expect(defect);
    }
    out.into_inner().expect(defect)
}

/// One field's text.
fn field(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) if looks_like_formula(t) => format!("'{t}"),
        Cell::Text(t) => t.clone(),
        Cell::Date(d) => format_gregorian(*d),
        Cell::Number(n) => n.to_string(),
        Cell::Status(s) => s.label(lang).to_owned(),
    }
}
