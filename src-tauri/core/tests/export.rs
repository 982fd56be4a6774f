//! Exports, checked by reading the files back as their readers do: workbooks
//! with calamine (and their XML inside the zip, for what calamine does not
//! report), CSV files with the csv crate, calendars with icalendar's parser.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, DataType, Reader, open_workbook_auto};
use chrono::{NaiveDate, NaiveDateTime};
use clausebook_core::Store;
use clausebook_core::calendar::{Calendar, DateDisplay, Lang, format_gregorian, format_persian};
use clausebook_core::deadline::{Deadline, OffsetUnit};
use clausebook_core::export::{self, ExportScope, ExportedFile, SheetFormat};
use clausebook_core::model::{AgreementPatch, ClausePatch, ClauseStatus, NewClause, NewNote, SettingsPatch};
use clausebook_core::store::clauses::ClauseRow;
use clausebook_core::vocab::{DerivedColumn, SheetField};
use common::{agreement, date, partner, today};
use icalendar::parser::{Component, read_calendar, unfold};

/// When the test files are written.
fn now() -> NaiveDateTime {
    today().and_hms_opt(10, 0, 0).unwrap()
}

fn demo() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.load_demo().unwrap();
    s
}

fn export_to(store: &Store, scope: &ExportScope, lang: Lang, path: &Path) -> ExportedFile {
    export::export(store, scope, lang, today(), now(), path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The heads an export should write, from the vocabulary.
fn heads(lang: Lang, several: bool, persian: bool) -> Vec<String> {
    let mut out = Vec::new();
    if several {
        out.push(DerivedColumn::Agreement.label(lang).to_owned());
    }
    out.extend(SheetField::ALL.iter().map(|f| f.label(lang).to_owned()));
    out.push(DerivedColumn::DueOn.label(lang).to_owned());
    if persian {
        out.push(DerivedColumn::DueOnPersian.label(lang).to_owned());
    }
    out
}

/// Where a field's column is, in a table without an agreement column.
fn column(field: SheetField) -> usize {
    SheetField::ALL.iter().position(|f| *f == field).unwrap()
}

/// A relative deadline as the export words it.
fn relative(amount: u32, unit: OffsetUnit, lang: Lang) -> String {
    let d = Deadline::AfterSigning { amount, unit };
    match lang {
        Lang::En => d.to_string(),
        Lang::Fa => {
            format!(
                "{} {} پس از امضا",
                clausebook_core::calendar::persian_digits(&amount.to_string()),
                unit.label(lang)
            )
        }
    }
}

/// One file of a zip, as text.
fn zipped(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The clauses' parents' numbers, by clause id.
fn parent_numbers(rows: &[ClauseRow]) -> HashMap<String, String> {
    let numbers: HashMap<&str, &str> = rows.iter().map(|r| (r.clause.id.as_str(), r.clause.number.as_str())).collect();
    rows.iter()
        .filter_map(|r| {
            let parent = r.clause.parent_id.as_deref()?;
            Some((r.clause.id.clone(), numbers.get(parent)?.to_string()))
        })
        .collect()
}

fn string(cell: &Data) -> Option<&str> {
    match cell {
        Data::String(s) => Some(s),
        _ => None,
    }
}

#[test]
fn a_workbook_has_a_sheet_per_agreement_that_reads_back() {
    let mut store = demo();
    // A long note goes out whole, not as the table's first 500 characters.
    let a = &store.agreements(None).unwrap()[0];
    let first = store.clause_rows(&a.id, today()).unwrap()[0].clause.clone();
    let long_note = "A long progress note. ".repeat(60);
    let new = NewNote {
        clause_id: first.id.clone(),
        on_date: today(),
        author: None,
        text: long_note.clone(),
        status_to: None,
    };
    store.add_note(new, today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Fa] {
        let path = dir.path().join(format!("all-{}.xlsx", lang.as_str()));
        let file = export_to(&store, &ExportScope::All, lang, &path);
        let agreements = store.agreements(None).unwrap();
        assert_eq!((file.format, file.agreements as usize, file.events), (SheetFormat::Xlsx, agreements.len(), 0));
        assert_eq!(file.bytes as u64, std::fs::metadata(&path).unwrap().len());
        let mut book = open_workbook_auto(&path).unwrap();
        let names = book.sheet_names();
        assert_eq!(names.len(), agreements.len(), "{names:?}");
        let mut clauses = 0;
        for (index, (name, a)) in names.iter().zip(&agreements).enumerate() {
            assert!(name.chars().count() <= 31 && a.title.starts_with(name.trim_end()), "{name} for {}", a.title);
            let range = book.worksheet_range(name).unwrap();
            let table: Vec<&[Data]> = range.rows().collect();
            let head: Vec<&str> = table[0].iter().map(|c| string(c).unwrap_or("")).collect();
            assert_eq!(head, heads(lang, false, true), "sheet {name}");
            let rows = store.clause_rows(&a.id, today()).unwrap();
            assert_eq!(table.len() - 1, rows.len(), "sheet {name}");
            clauses += rows.len();
            let parents = parent_numbers(&rows);
            let after = SheetField::ALL.len();
            for (cells, row) in table[1..].iter().zip(&rows) {
                let c = &row.clause;
                let cell = |f: SheetField| &cells[column(f)];
                assert_eq!(string(cell(SheetField::Number)), Some(c.number.as_str()));
                assert_eq!(string(cell(SheetField::Group)), parents.get(&c.id).map(String::as_str), "{}", c.number);
                assert_eq!(string(cell(SheetField::Text)), Some(c.text.as_str()));
                assert_eq!(string(cell(SheetField::Status)), Some(c.status.label(lang)));
                assert_eq!(cell(SheetField::Percent).as_f64(), c.percent.map(f64::from), "{}", c.number);
                match c.deadline {
                    Deadline::None => assert_eq!(cell(SheetField::Deadline), &Data::Empty),
                    Deadline::On { date } => {
                        assert!(cell(SheetField::Deadline).is_datetime(), "{:?}", cell(SheetField::Deadline));
                        assert_eq!(cell(SheetField::Deadline).as_date(), Some(date));
                    }
                    Deadline::AfterSigning { amount, unit } => {
                        let text = string(cell(SheetField::Deadline)).unwrap();
                        assert_eq!(text, relative(amount, unit, lang));
                        assert_eq!(Deadline::parse(text).unwrap(), c.deadline);
                    }
                }
                let themes = c.tags.join(if lang == Lang::Fa { "، " } else { ", " });
                assert_eq!(string(cell(SheetField::Themes)).unwrap_or(""), themes);
                let note = if c.id == first.id && index == 0 {
                    Some(long_note.trim())
                } else {
                    row.latest_note.as_ref().map(|n| n.text.as_str())
                };
                assert_eq!(string(cell(SheetField::Remarks)), note, "{}", c.number);
                let due = &cells[after];
                assert_eq!(due.as_date(), c.due_on, "{}", c.number);
                assert!(c.due_on.is_none() || due.is_datetime());
                let persian = c.due_on.map(|d| format_persian(d, lang));
                assert_eq!(string(&cells[after + 1]), persian.as_deref());
            }
            // Frozen head, a filter over the table, right to left in Persian.
            let xml = zipped(&path, &format!("xl/worksheets/sheet{}.xml", index + 1));
            assert!(xml.contains(r#"state="frozen""#) && xml.contains("<autoFilter ref=\"A1:"), "{name}");
            assert_eq!(xml.contains(r#"rightToLeft="1""#), lang == Lang::Fa, "{name}");
            assert!(!xml.contains("<f>"), "no formulas in {name}");
        }
        assert_eq!(clauses, file.clauses as usize);
        let styles = zipped(&path, "xl/styles.xml");
        assert_eq!(styles.contains(r#"readingOrder="2""#), lang == Lang::Fa);
        for fill in ["E7E6E6", "DDEBF7", "E2EFDA", "FFF2CC", "F8CBAD"] {
            assert!(styles.contains(fill), "no status fill {fill}");
        }
    }
}

/// Texts a spreadsheet would take for formulas, and how a CSV file carries
/// each: with one `'` before it. Leading quotes count as part of the start.
const FORMULAS: &[(&str, &str)] = &[
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("-2 tonnes of equipment", "'-2 tonnes of equipment"),
    ("+98 21 1234 5678", "'+98 21 1234 5678"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("'=already quoted", "''=already quoted"),
    ("a = b, plainly", "a = b, plainly"),
    ("'quoted' words", "'quoted' words"),
];

/// A store with one agreement whose clause texts are [`FORMULAS`].
fn formulas() -> (Store, String) {
    let mut store = Store::open_in_memory().unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let a = agreement(&mut store, &[&tj], Some("2025-04-27"), Calendar::Persian);
    for (i, (text, _)) in FORMULAS.iter().enumerate() {
        let mut new = NewClause::new(&a.id, (i + 1).to_string(), *text);
        new.our_lead = Some("=HYPERLINK(\"http://x\")".into());
        store.create_clause(new, today()).unwrap();
    }
    (store, a.id)
}

#[test]
fn formulas_stay_text_in_a_workbook() {
    let (store, id) = formulas();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formulas.xlsx");
    export_to(&store, &ExportScope::Agreement(id), Lang::En, &path);
    let mut book = open_workbook_auto(&path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let texts: Vec<&str> = range.rows().skip(1).map(|r| string(&r[column(SheetField::Text)]).unwrap()).collect();
    // A text that begins with its own apostrophe gets one more, as in CSV.
    let written: Vec<String> =
        FORMULAS.iter().map(|(t, _)| if t.starts_with("'=") { format!("'{t}") } else { (*t).to_owned() }).collect();
    assert_eq!(texts, written);
    let xml = zipped(&path, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>") && !xml.contains("<f "), "a formula was written");
    // Each formula-like text's cell style carries Excel's quote prefix; the
    // plain ones' styles do not.
    let styles = zipped(&path, "xl/styles.xml");
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xfs: Vec<&str> = cell_xfs.split("<xf ").skip(1).collect();
    for (row, (text, csv)) in FORMULAS.iter().enumerate() {
        let cell = format!("<c r=\"C{}\"", row + 2);
        let at = xml.find(&cell).unwrap_or_else(|| panic!("no {cell}"));
        let tag = &xml[at..at + xml[at..].find('>').unwrap()];
        let style: usize = tag.split("s=\"").nth(1).map_or(0, |s| s[..s.find('"').unwrap()].parse().unwrap());
        let quoted = xfs[style].contains(r#"quotePrefix="1""#);
        assert_eq!(quoted, text != csv, "{text:?} has style {style}: {}", xfs[style]);
    }
}

/// A CSV file's bytes, checked for its BOM, as heads and records.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no byte order mark");
    assert!(!bytes[3..].starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let heads = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let records = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (heads, records)
}

#[test]
fn csv_marks_formulas_with_a_quote() {
    let (store, id) = formulas();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formulas.csv");
    export_to(&store, &ExportScope::Agreement(id), Lang::En, &path);
    let (head, records) = read_csv(&path);
    assert_eq!(head, heads(Lang::En, false, true));
    let text = column(SheetField::Text);
    let lead = column(SheetField::OurLead);
    for (record, (_, expected)) in records.iter().zip(FORMULAS) {
        assert_eq!(record[text], *expected);
        assert_eq!(record[lead], "'=HYPERLINK(\"http://x\")");
    }
    assert!(std::fs::read_to_string(&path).unwrap().contains("\r\n"), "CRLF line ends");
}

#[test]
fn csv_columns_follow_the_scope_the_language_and_the_date_setting() {
    let mut store = demo();
    let agreements = store.agreements(None).unwrap();
    let tj = store.partners().unwrap().into_iter().find(|p| p.name.contains("Tajikistan")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // (scope, language, whether it has an agreement column, agreements).
    let tj_agreements = store.agreements(Some(&tj.id)).unwrap();
    let cases = [
        (ExportScope::Agreement(agreements[1].id.clone()), Lang::En, false, vec![agreements[1].clone()]),
        (ExportScope::Partner(tj.id.clone()), Lang::Fa, true, tj_agreements),
        (ExportScope::All, Lang::En, true, agreements.clone()),
    ];
    for (persian, display) in [(true, DateDisplay::Both), (true, DateDisplay::Persian), (false, DateDisplay::Gregorian)]
    {
        store.update_settings(SettingsPatch { date_display: Some(display), ..Default::default() }).unwrap();
        for (scope, lang, several, covered) in &cases {
            let path = dir.path().join("clauses.csv");
            let file = export_to(&store, scope, *lang, &path);
            let (head, records) = read_csv(&path);
            assert_eq!(head, heads(*lang, *several, persian), "{scope:?} {display:?}");
            let rows: Vec<(String, ClauseRow)> = covered
                .iter()
                .flat_map(|a| store.clause_rows(&a.id, today()).unwrap().into_iter().map(|r| (a.title.clone(), r)))
                .collect();
            assert_eq!((records.len(), file.clauses as usize), (rows.len(), rows.len()), "{scope:?}");
            let skip = usize::from(*several);
            for (record, (title, row)) in records.iter().zip(&rows) {
                let c = &row.clause;
                if *several {
                    assert_eq!(&record[0], title);
                }
                let field = |f: SheetField| record[skip + column(f)].as_str();
                assert_eq!(field(SheetField::Number), c.number);
                assert_eq!(field(SheetField::Status), c.status.label(*lang));
                assert_eq!(field(SheetField::Percent), c.percent.map(|p| p.to_string()).unwrap_or_default());
                let deadline = field(SheetField::Deadline);
                match c.deadline {
                    Deadline::On { date } => assert_eq!(deadline, format_gregorian(date)),
                    _ => assert_eq!(Deadline::parse(deadline).unwrap(), c.deadline),
                }
                let due = &record[skip + SheetField::ALL.len()];
                assert_eq!(*due, c.due_on.map(format_gregorian).unwrap_or_default());
                if persian {
                    let solar = &record[skip + SheetField::ALL.len() + 1];
                    assert_eq!(*solar, c.due_on.map(|d| format_persian(d, *lang)).unwrap_or_default());
                }
            }
        }
    }
}

/// The events of a calendar file, checked for the file's own rules first.
fn read_ics(path: &Path) -> Vec<Component<'static>> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains(['\n', '\r']), "CRLF only");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = unfold(&text);
    let calendar = read_calendar(&unfolded).unwrap();
    let prop = |name: &str| calendar.properties.iter().find(|p| p.name == name).map(|p| p.val.as_str().to_owned());
    assert_eq!(prop("VERSION").as_deref(), Some("2.0"));
    assert_eq!(prop("PRODID").as_deref(), Some("-//Clausebook//Clausebook//EN"));
    assert_eq!(prop("CALSCALE").as_deref(), Some("GREGORIAN"));
    calendar.components.iter().map(|c| c.to_owned_component()).collect()
}

trait Owned {
    fn to_owned_component(&self) -> Component<'static>;
}

impl Owned for Component<'_> {
    fn to_owned_component(&self) -> Component<'static> {
        Component {
            name: self.name.to_owned(),
            properties: self
                .properties
                .iter()
                .map(|p| icalendar::parser::Property {
                    name: p.name.to_owned(),
                    val: p.val.to_owned(),
                    params: p
                        .params
                        .iter()
                        .map(|q| icalendar::parser::Parameter {
                            key: q.key.to_owned(),
                            val: q.val.as_ref().map(|v| v.to_owned()),
                        })
                        .collect(),
                })
                .collect(),
            components: self.components.iter().map(|c| c.to_owned_component()).collect(),
        }
    }
}

/// A property's value, TEXT unescaped.
fn value(c: &Component<'_>, name: &str) -> Option<String> {
    c.find_prop(name).map(|p| p.val.clone().unescape_text().as_str().to_owned())
}

/// The events by clause id (their UID without `@clausebook`).
fn events(path: &Path) -> HashMap<String, Component<'static>> {
    read_ics(path)
        .into_iter()
        .map(|e| {
            assert_eq!(e.name.as_str(), "VEVENT");
            let uid = value(&e, "UID").unwrap();
            (uid.strip_suffix("@clausebook").expect("UIDs end @clausebook").to_owned(), e)
        })
        .collect()
}

fn sequence(events: &HashMap<String, Component<'static>>, id: &str) -> u32 {
    value(&events[id], "SEQUENCE").unwrap().parse().unwrap()
}

#[test]
fn a_calendar_has_an_event_per_open_clause_with_a_due_date() {
    let store = demo();
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Fa] {
        let path = dir.path().join(format!("due-{}.ics", lang.as_str()));
        let file = export_to(&store, &ExportScope::All, lang, &path);
        let agreements = store.agreements(None).unwrap();
        let mut expected = HashMap::new();
        for a in &agreements {
            for r in store.clause_rows(&a.id, today()).unwrap() {
                if let Some(due) = r.clause.due_on.filter(|_| r.clause.status.is_open()) {
                    expected.insert(r.clause.id.clone(), (a.clone(), r.clause, due));
                }
            }
        }
        let events = events(&path);
        assert_eq!(events.len(), expected.len());
        assert_eq!(file.events as usize, expected.len());
        assert!(!expected.is_empty());
        for (id, (a, c, due)) in &expected {
            let e = &events[id];
            let start = e.find_prop("DTSTART").unwrap();
            assert_eq!(start.val.as_str(), due.format("%Y%m%d").to_string());
            assert!(
                start.params.iter().any(|p| p.key == "VALUE" && p.val.as_ref().is_some_and(|v| v.as_str() == "DATE"))
            );
            let next = due.succ_opt().unwrap().format("%Y%m%d").to_string();
            assert_eq!(e.find_prop("DTEND").unwrap().val.as_str(), next);
            // The demo's meetings revised a few clauses once each.
            assert!(matches!(value(e, "SEQUENCE").as_deref(), Some("0" | "1")), "{:?}", value(e, "SEQUENCE"));
            assert!(value(e, "DTSTAMP").unwrap().ends_with('Z'));
            let summary = value(e, "SUMMARY").unwrap();
            assert!(summary.starts_with(&format!("{} ", c.number)) && summary.chars().count() <= 81 + c.number.len());
            let description = value(e, "DESCRIPTION").unwrap();
            for needle in [
                a.title.as_str(),
                c.our_lead.as_deref().unwrap_or(""),
                c.partner_lead.as_deref().unwrap_or(""),
                &format_persian(*due, lang),
                c.status.label(lang),
                DerivedColumn::Agreement.label(lang),
                SheetField::OurLead.label(lang),
            ] {
                assert!(description.contains(needle), "{needle:?} not in {description:?}");
            }
            let gregorian = format_gregorian(*due);
            let gregorian =
                if lang == Lang::Fa { clausebook_core::calendar::persian_digits(&gregorian) } else { gregorian };
            assert!(description.contains(&gregorian), "{description}");
            let alarm = &e.components[0];
            assert_eq!(alarm.name.as_str(), "VALARM");
            assert_eq!(value(alarm, "ACTION").as_deref(), Some("DISPLAY"));
            assert_eq!(value(alarm, "TRIGGER").as_deref(), Some("-P7D"));
            assert_eq!(value(alarm, "DESCRIPTION"), Some(summary));
        }
    }
}

#[test]
fn an_event_keeps_its_uid_and_counts_its_revisions() {
    let mut store = Store::open_in_memory().unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let a = agreement(&mut store, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let clause = |number: &str, deadline: Deadline| {
        let mut new = NewClause::new(&a.id, number, format!("Clause {number}; with, punctuation\\ and\nlines"));
        new.deadline = deadline;
        new.our_lead = Some("SWO".into());
        new
    };
    let fixed = store.create_clause(clause("1", Deadline::On { date: date("2026-12-01") }), today()).unwrap().clause;
    let months = Deadline::AfterSigning { amount: 3, unit: OffsetUnit::Months };
    let rel = store.create_clause(clause("2", months), today()).unwrap().clause;
    let later = store.create_clause(clause("3", Deadline::None), today()).unwrap().clause;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("due.ics");
    let scope = ExportScope::Agreement(a.id.clone());
    let sequences = |store: &Store| {
        export_to(store, &scope, Lang::En, &path);
        let events = events(&path);
        [&fixed, &rel, &later].map(|c| events.contains_key(&c.id).then(|| sequence(&events, &c.id)))
    };
    assert_eq!(sequences(&store), [Some(0), Some(0), None]);
    let e = events(&path);
    assert_eq!(value(&e[&fixed.id], "SUMMARY").unwrap(), "1 Clause 1; with, punctuation\\ and lines");
    assert!(value(&e[&fixed.id], "DESCRIPTION").unwrap().contains("Clause 1; with, punctuation\\ and\nlines"));
    // Each step, and each clause's sequence after it (None: no event).
    type Step = Box<dyn Fn(&mut Store)>;
    let (f, r, l, aid) = (fixed.id.clone(), rel.id.clone(), later.id.clone(), a.id.clone());
    let steps: Vec<(&str, Step, [Option<u32>; 3])> = vec![
        ("exported again", Box::new(|_| {}), [Some(0), Some(0), None]),
        (
            "fixed deadline moved",
            Box::new({
                let f = f.clone();
                move |s| {
                    let patch =
                        ClausePatch { deadline: Some(Deadline::On { date: date("2027-01-15") }), ..Default::default() };
                    s.update_clause(&f, patch, today()).unwrap();
                }
            }),
            [Some(1), Some(0), None],
        ),
        (
            "status and text changed",
            Box::new({
                let f = f.clone();
                move |s| {
                    let patch = ClausePatch {
                        text: Some("Reworded".into()),
                        status: Some(ClauseStatus::InProgress),
                        ..Default::default()
                    };
                    s.update_clause(&f, patch, today()).unwrap();
                }
            }),
            [Some(1), Some(0), None],
        ),
        (
            "signing moved",
            Box::new({
                let aid = aid.clone();
                move |s| {
                    let patch = AgreementPatch { signed_on: Some(Some(date("2025-05-10"))), ..Default::default() };
                    s.update_agreement(&aid, patch).unwrap();
                }
            }),
            [Some(1), Some(1), None],
        ),
        (
            "calendar changed",
            Box::new({
                let aid = aid.clone();
                move |s| {
                    let patch = AgreementPatch { calendar: Some(Calendar::Gregorian), ..Default::default() };
                    s.update_agreement(&aid, patch).unwrap();
                }
            }),
            [Some(1), Some(2), None],
        ),
        (
            "a deadline given",
            Box::new({
                let l = l.clone();
                move |s| {
                    let patch =
                        ClausePatch { deadline: Some(Deadline::On { date: date("2027-02-01") }), ..Default::default() };
                    s.update_clause(&l, patch, today()).unwrap();
                }
            }),
            [Some(1), Some(2), Some(1)],
        ),
        (
            "relative made fixed",
            Box::new({
                let r = r.clone();
                move |s| {
                    let patch =
                        ClausePatch { deadline: Some(Deadline::On { date: date("2027-03-01") }), ..Default::default() };
                    s.update_clause(&r, patch, today()).unwrap();
                }
            }),
            [Some(1), Some(3), Some(1)],
        ),
        (
            "signing moved again: fixed dates stay",
            Box::new({
                let aid = aid.clone();
                move |s| {
                    let patch = AgreementPatch { signed_on: Some(Some(date("2025-05-20"))), ..Default::default() };
                    s.update_agreement(&aid, patch).unwrap();
                }
            }),
            [Some(1), Some(3), Some(1)],
        ),
        (
            "completed: no event",
            Box::new({
                let f = f.clone();
                move |s| {
                    let patch = ClausePatch { status: Some(ClauseStatus::Completed), ..Default::default() };
                    s.update_clause(&f, patch, today()).unwrap();
                }
            }),
            [None, Some(3), Some(1)],
        ),
    ];
    for (what, step, expected) in steps {
        step(&mut store);
        assert_eq!(sequences(&store), expected, "after: {what}");
    }
    // The same clauses keep the same UIDs throughout.
    let ids: Vec<String> = events(&path).into_keys().collect();
    assert!(ids.contains(&rel.id) && ids.contains(&later.id));
}

#[test]
fn revisions_count_an_imported_relative_deadline_after_the_import() {
    let mut store = Store::open_in_memory().unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let a = agreement(&mut store, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let mut new = NewClause::new(&a.id, "1", "Imported");
    new.deadline = Deadline::AfterSigning { amount: 90, unit: OffsetUnit::Days };
    let imported = common::import_into(&mut store, &a.id, vec![new]).unwrap();
    assert!(store.deadline_revisions(&a.id).unwrap().is_empty());
    let patch = AgreementPatch { signed_on: Some(Some(date("2025-05-01"))), ..Default::default() };
    store.update_agreement(&a.id, patch).unwrap();
    assert_eq!(store.deadline_revisions(&a.id).unwrap(), HashMap::from([(imported[0].id.clone(), 1)]));
}

#[test]
fn failures_name_the_problem_and_leave_no_file() {
    let mut store = demo();
    let a = store.agreements(None).unwrap()[0].id.clone();
    let lonely = partner(&mut store, "Nowhere");
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("kept.xlsx");
    std::fs::write(&existing, b"before").unwrap();
    let cases: Vec<(ExportScope, PathBuf, &str)> = vec![
        (ExportScope::Agreement(a.clone()), dir.path().join("plan.docx"), "export_unknown_format"),
        (ExportScope::Agreement(a.clone()), dir.path().join("plan"), "export_unknown_format"),
        (ExportScope::Agreement(a.clone()), dir.path().join("missing").join("plan.xlsx"), "export_unwritable"),
        (ExportScope::Agreement("no-such-agreement".into()), existing.clone(), "not_found"),
        (ExportScope::Partner("no-such-partner".into()), dir.path().join("p.csv"), "not_found"),
        (ExportScope::Partner(lonely.id.clone()), dir.path().join("p.ics"), "export_empty"),
    ];
    for (scope, path, code) in cases {
        let e = export::export(&store, &scope, Lang::En, today(), now(), &path).unwrap_err();
        assert_eq!(e.code(), code, "{scope:?} to {}: {e}", path.display());
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("kept.xlsx")], "only the file that was there");
    assert_eq!(std::fs::read(&existing).unwrap(), b"before");
}

#[test]
fn a_cell_longer_than_excel_allows_is_refused_for_xlsx_only() {
    let mut store = Store::open_in_memory().unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let a = agreement(&mut store, &[&tj], None, Calendar::Persian);
    store.create_clause(NewClause::new(&a.id, "7", "x".repeat(40_000)), today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let scope = ExportScope::Agreement(a.id.clone());
    let e = export::export(&store, &scope, Lang::En, today(), now(), &dir.path().join("long.xlsx")).unwrap_err();
    assert_eq!(e.code(), "export_cell_too_long");
    assert!(e.to_string().contains("clause 7"), "{e}");
    let file = export_to(&store, &scope, Lang::En, &dir.path().join("long.csv"));
    assert_eq!(file.clauses, 1);
}

fn clausebook(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-22"])
        .args(args)
        .env_remove("CLAUSEBOOK_DB")
        .output()
        .expect("run clausebook")
}

#[test]
fn the_command_line_exports_in_the_settings_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    assert!(clausebook(&db, &["demo"]).status.success());
    let xlsx = dir.path().join("all.xlsx");
    let out = clausebook(&db, &["--json", "export", "all", "-o", xlsx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((json["format"].as_str(), json["agreements"].as_u64()), (Some("xlsx"), Some(6)), "{json}");
    assert!(clausebook(&db, &["settings", "--language", "fa"]).status.success());
    let list = clausebook(&db, &["--json", "agreements"]);
    let agreements: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let id = agreements[0]["id"].as_str().unwrap();
    let csv = dir.path().join("one.csv");
    let out = clausebook(&db, &["export", "agreement", id, "-o", csv.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("wrote "), "{out:?}");
    assert_eq!(read_csv(&csv).0, heads(Lang::Fa, false, true));
    let out = clausebook(&db, &["export", "agreement", id, "-o", csv.to_str().unwrap(), "--lang", "en"]);
    assert!(out.status.success());
    assert_eq!(read_csv(&csv).0, heads(Lang::En, false, true));
    let out = clausebook(&db, &["--json", "export", "all", "-o", dir.path().join("x.pdf").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "export_unknown_format");
}

#[test]
fn dates_before_excel_began_are_written_as_text() {
    let mut store = Store::open_in_memory().unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let a = agreement(&mut store, &[&tj], None, Calendar::Gregorian);
    let mut new = NewClause::new(&a.id, "1", "Old");
    new.deadline = Deadline::On { date: NaiveDate::from_ymd_opt(1899, 5, 1).unwrap() };
    store.create_clause(new, today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.xlsx");
    export_to(&store, &ExportScope::Agreement(a.id), Lang::En, &path);
    let mut book = open_workbook_auto(&path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let row = range.rows().nth(1).unwrap();
    assert_eq!(string(&row[column(SheetField::Deadline)]), Some("1899-05-01"));
}

/// What a clause is, as a round trip through a file should keep it: its
/// number, its parent's number and its fields (not its due day, which the
/// agreement's signing decides, nor its notes' dates).
fn essence(rows: &[ClauseRow]) -> Vec<String> {
    let parents = parent_numbers(rows);
    rows.iter()
        .map(|r| {
            let c = &r.clause;
            format!(
                "{} under {:?}: {:?} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?} | note {:?}",
                c.number,
                parents.get(&c.id),
                c.text,
                c.our_lead,
                c.partner_lead,
                c.deadline,
                c.status,
                c.percent,
                c.indicator,
                c.tags,
                r.latest_note.as_ref().map(|n| &n.text)
            )
        })
        .collect()
}

/// Exports an agreement to `path` and imports the file into a fresh
/// register, as the import wizard would with its guesses; returns what the
/// new agreement holds.
fn round_trip(store: &Store, a: &clausebook_core::model::Agreement, lang: Lang, path: &Path) -> Vec<String> {
    use clausebook_core::sheet::{self, ImportInto, ImportRequest, SheetChoice};
    export_to(store, &ExportScope::Agreement(a.id.clone()), lang, path);
    let mut fresh = Store::open_in_memory().unwrap();
    let p = partner(&mut fresh, "Partner");
    let preview = sheet::preview(&fresh, path, &SheetChoice::default()).unwrap();
    let request = ImportRequest {
        path: path.display().to_string(),
        choice: SheetChoice { sheet: Some(preview.sheet), header_row: Some(preview.header_row), encoding: None },
        mapping: preview.mapping,
        into: ImportInto::New {
            partner_id: p.id,
            title: a.title.clone(),
            kind: a.kind,
            signed_on: a.signed_on,
            calendar: a.calendar,
        },
        drop_unreadable: false,
    };
    let done = sheet::import(&mut fresh, &request, today())
        .unwrap_or_else(|e| panic!("{} as {} in {lang:?}: {e}", a.title, path.display()));
    essence(&fresh.clause_rows(&done.agreement_id, today()).unwrap())
}

/// An export imported back into its own agreement changes nothing, a
/// latest note longer than a table shows included: the file holds it whole,
/// and the plan compares it with the whole note, not the start the clause's
/// row carries.
#[test]
fn an_export_imported_into_its_own_agreement_changes_nothing() {
    use clausebook_core::sheet::{self, ImportInto, ImportRequest, SheetChoice};
    let mut store = demo();
    let a = store.agreements(None).unwrap().remove(0);
    let first = store.clause_rows(&a.id, today()).unwrap()[0].clause.clone();
    let text = "A long progress note. ".repeat(60).trim().to_owned();
    let note = NewNote { clause_id: first.id, on_date: today(), author: None, text, status_to: None };
    store.add_note(note, today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (lang, extension) in [(Lang::En, "xlsx"), (Lang::Fa, "csv")] {
        let path = dir.path().join(format!("plan.{extension}"));
        export_to(&store, &ExportScope::Agreement(a.id.clone()), lang, &path);
        let preview = sheet::preview(&store, &path, &SheetChoice::default()).unwrap();
        let request = ImportRequest {
            path: path.display().to_string(),
            choice: SheetChoice { sheet: Some(preview.sheet), header_row: Some(preview.header_row), encoding: None },
            mapping: preview.mapping,
            into: ImportInto::Existing { agreement_id: a.id.clone() },
            drop_unreadable: false,
        };
        let plan = sheet::plan(&store, &request, today()).unwrap();
        let counts = (plan.created, plan.updated, plan.notes, plan.blocking);
        assert_eq!(counts, (0, 0, 0, 0), "{extension} in {lang:?}: {:?}", plan.rows.iter().take(3).collect::<Vec<_>>());
        assert!(plan.unchanged > 0);
    }
}

#[test]
fn every_export_of_an_agreement_imports_back_as_it_was() {
    let store = demo();
    let (formulas, id) = formulas();
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(&Store, clausebook_core::model::Agreement)> =
        store.agreements(None).unwrap().into_iter().map(|a| (&store, a)).collect();
    cases.push((&formulas, formulas.agreement(&id).unwrap()));
    for (store, a) in cases {
        let expected = essence(&store.clause_rows(&a.id, today()).unwrap());
        for (lang, extension) in [(Lang::En, "xlsx"), (Lang::Fa, "xlsx"), (Lang::En, "csv"), (Lang::Fa, "csv")] {
            let path = dir.path().join(format!("plan.{extension}"));
            let got = round_trip(store, &a, lang, &path);
            assert_eq!(got, expected, "{} as {extension} in {lang:?}", a.title);
        }
    }
}
