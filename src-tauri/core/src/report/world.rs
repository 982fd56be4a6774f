//! A sealed Typst world: one template, four fonts, one JSON input. It reads
//! no file, fetches no package and knows no system font, so a report looks
//! the same on every machine and user text can reach Typst only as data.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::ReportError;

const TEMPLATE: &str = include_str!("../../../../assets/reports/report.typ");

static FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../../assets/fonts/Vazirmatn-Regular.ttf"),
    include_bytes!("../../../../assets/fonts/Vazirmatn-Bold.ttf"),
];

/// The fonts, parsed once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl ReportWorld {
    fn new(input_json: String) -> Self {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), input_json.into_value());
        let id = RootedPath::new(VirtualRoot::Project, VirtualPath::new("report.typ").expect("a valid path")).intern();
        ReportWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, TEMPLATE.to_owned()),
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The report's date comes in its data; the template never asks.
        None
    }
}

/// The PDF's creation time (PDF/A requires one).
fn now() -> Option<Timestamp> {
    use chrono::{Datelike, Timelike};
    let t = chrono::Utc::now();
    let datetime = Datetime::from_ymd_hms(
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )?;
    Some(Timestamp::new_utc(datetime))
}

fn describe(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// Typesets the report data (as JSON, see [`ReportData`](super::data::ReportData)) with the bundled
/// template; returns the PDF and its
/// page count. Typst's caches are evicted afterwards, so a long-running app
/// does not grow with every export.
pub fn typeset(data_json: String, pdf_a: bool) -> Result<(Vec<u8>, u32), ReportError> {
    let world = ReportWorld::new(data_json);
    let result = typst::compile::<PagedDocument>(&world).output;
    let out = result.map_err(|d| ReportError::Typeset(describe(&d))).and_then(|document| {
        let standards = if pdf_a {
            PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| ReportError::Pdf(e.message().to_string()))?
        } else {
            PdfStandards::default()
        };
        // Untagged unless archiving: tagging makes files about four times
        // larger and slower, and these reports are for printing.
        let options = PdfOptions { standards, tagged: pdf_a, timestamp: now(), ..PdfOptions::default() };
        let bytes = typst_pdf::pdf(&document, &options).map_err(|d| ReportError::Pdf(describe(&d)))?;
        Ok((bytes, document.pages().len() as u32))
    });
    typst::comemo::evict(0);
    out
}
