//! Importing action plans from spreadsheets, end to end through the core:
//! workbooks written here as officers write them (right to left, Persian
//! digits, Solar Hijri text dates, merged titles, sub-numbers), every kind
//! of bad file, updates matched on clause number, and undo.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clausebook_core::Store;
use clausebook_core::deadline::Deadline;
use clausebook_core::model::{ClauseStatus, NewPartner};
use clausebook_core::sheet::plan::RowAction;
use clausebook_core::sheet::{self, FieldColumn, ImportInto, ImportRequest, SheetChoice, SheetError, TextEncoding};
use clausebook_core::store::clauses::ClauseRow;
use clausebook_core::vocab::{AgreementKind, Calendar, SheetField};
use rust_xlsxwriter::{Format, Workbook};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn store_with_partner() -> (Store, String) {
    let mut s = Store::open_in_memory().unwrap();
    let p = s
        .create_partner(NewPartner {
            name: "Tajikistan".into(),
            name_fa: Some("تاجیکستان".into()),
            ..Default::default()
        })
        .unwrap();
    (s, p.id)
}

fn new_into(partner: &str, signed: Option<&str>, calendar: Calendar) -> ImportInto {
    ImportInto::New {
        partner_id: partner.to_owned(),
        title: "برنامه اقدام".into(),
        kind: AgreementKind::ActionPlan,
        signed_on: signed.map(day),
        calendar,
    }
}

/// The wizard's path with its guesses: preview, then a request with the
/// guessed mapping.
fn request(s: &Store, path: &Path, into: ImportInto) -> ImportRequest {
    let preview = sheet::preview(s, path, &SheetChoice::default()).unwrap();
    ImportRequest {
        path: path.display().to_string(),
        choice: SheetChoice { sheet: Some(preview.sheet), header_row: Some(preview.header_row), encoding: None },
        mapping: preview.mapping,
        into,
        drop_unreadable: false,
    }
}

fn rows(s: &Store, agreement: &str) -> Vec<ClauseRow> {
    s.clause_rows(agreement, today()).unwrap()
}

fn clause_count(s: &Store) -> usize {
    s.agreements(None).unwrap().iter().map(|a| rows(s, &a.id).len()).sum()
}

/// A Persian action plan as officers write them: a title row above the
/// header, the sheet right to left, the action's title merged over its
/// milestones, Persian digits, Solar Hijri text dates, relative deadlines.
fn persian_workbook(dir: &Path) -> PathBuf {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("برنامه").unwrap();
    ws.set_right_to_left(true);
    let merged = Format::new();
    ws.merge_range(0, 0, 0, 6, "برنامه اقدام همکاری ۱۴۰۵", &merged).unwrap();
    for (c, h) in ["ردیف", "محور", "اقدام", "مسئول", "مهلت", "وضعیت", "توضیحات"].iter().enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let data: &[[&str; 7]] = &[
        ["۱-۱", "", "تشکیل کارگروه مشترک", "وزارت کار", "۱۴۰۵/۰۲/۳۱", "انجام شده", "جلسه اول برگزار شد"],
        ["۱-۲", "", "تدوین شیوه‌نامه", "سازمان بهزیستی", "۳ ماه پس از امضا", "در حال انجام", ""],
        ["۲-۱", "", "دوره آموزشی مربیان", "", "ظرف ۶ ماه", "شروع نشده", ""],
        ["۲-۲", "", "ارزیابی دوره", "", "۱۴۰۴/۱۲/۳۰", "نامعلوم", ""],
    ];
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if c != 1 && !v.is_empty() {
                ws.write_string(2 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    // The group's title merged over its rows: what a person reads on each.
    ws.merge_range(2, 1, 3, 1, "محور ۱: گفتگوی نهادی", &merged).unwrap();
    ws.merge_range(4, 1, 5, 1, "محور ۲: آموزش", &merged).unwrap();
    let path = dir.join("plan-fa.xlsx");
    book.save(&path).unwrap();
    path
}

#[test]
fn a_persian_right_to_left_workbook_becomes_a_clause_tree() {
    let dir = tempfile::tempdir().unwrap();
    let path = persian_workbook(dir.path());
    // The .ods and .xls fixtures are this workbook, converted by LibreOffice.
    if let Some(out) = std::env::var_os("CLAUSEBOOK_WRITE_FIXTURES") {
        std::fs::copy(&path, Path::new(&out).join("plan-fa.xlsx")).unwrap();
    }
    let (mut s, partner) = store_with_partner();
    let preview = sheet::preview(&s, &path, &SheetChoice::default()).unwrap();
    assert_eq!(preview.header_row, 2, "the title row above the header is skipped");
    assert_eq!(preview.rows[1].cells[1], "محور ۱: گفتگوی نهادی", "the merged title fills every row it covers");
    let guessed: Vec<(SheetField, u32)> = preview.mapping.iter().map(|m| (m.field, m.column)).collect();
    assert_eq!(
        guessed,
        [
            (SheetField::Number, 0),
            (SheetField::Group, 1),
            (SheetField::Text, 2),
            (SheetField::OurLead, 3),
            (SheetField::Deadline, 4),
            (SheetField::Status, 5),
            (SheetField::Remarks, 6),
        ]
    );

    let mut req = request(&s, &path, new_into(&partner, Some("2026-01-10"), Calendar::Persian));
    let plan = sheet::plan(&s, &req, today()).unwrap();
    assert_eq!((plan.created, plan.blocking, plan.droppable), (6, 0, 2), "{:#?}", plan.rows);
    let places: Vec<(u32, Option<&str>, &str)> = plan
        .rows
        .iter()
        .flat_map(|r| r.problems.iter().map(move |p| (r.row, p.column.as_deref(), p.code.as_str())))
        .collect();
    assert_eq!(places, [(6, Some("E"), "date_no_such_day"), (6, Some("F"), "unreadable_status")]);

    // Refused until the officer agrees to leave the two values out.
    let err = sheet::import(&mut s, &req, today()).unwrap_err();
    assert_eq!(err.code(), "unreadable_values");
    assert_eq!(clause_count(&s), 0, "nothing written");
    req.drop_unreadable = true;
    let done = sheet::import(&mut s, &req, today()).unwrap();
    assert_eq!((done.created, done.notes, done.dropped), (6, 1, 2));

    let tree: Vec<(u32, String, String, ClauseStatus, Deadline)> = rows(&s, &done.agreement_id)
        .into_iter()
        .map(|r| (r.depth, r.clause.number, r.clause.text, r.clause.status, r.clause.deadline))
        .collect();
    let months = |amount| Deadline::AfterSigning { amount, unit: clausebook_core::deadline::OffsetUnit::Months };
    assert_eq!(
        tree,
        [
            (0, "۱".into(), "محور ۱: گفتگوی نهادی".into(), ClauseStatus::NotStarted, Deadline::None),
            (
                1,
                "۱-۱".into(),
                "تشکیل کارگروه مشترک".into(),
                ClauseStatus::Completed,
                Deadline::On { date: day("2026-05-21") }
            ),
            (1, "۱-۲".into(), "تدوین شیوه‌نامه".into(), ClauseStatus::InProgress, months(3)),
            (0, "۲".into(), "محور ۲: آموزش".into(), ClauseStatus::NotStarted, Deadline::None),
            (1, "۲-۱".into(), "دوره آموزشی مربیان".into(), ClauseStatus::NotStarted, months(6)),
            (1, "۲-۲".into(), "ارزیابی دوره".into(), ClauseStatus::NotStarted, Deadline::None),
        ]
    );
    // Three months after 1404/10/20 in the Solar Hijri calendar.
    let due = rows(&s, &done.agreement_id)[2].clause.due_on.unwrap();
    assert_eq!(clausebook_core::calendar::format_persian(due, clausebook_core::vocab::Lang::En), "1405/01/20");
    let note = rows(&s, &done.agreement_id)[1].latest_note.clone().unwrap();
    assert_eq!(note.text, "جلسه اول برگزار شد");

    // The same headers next time: the mapping is remembered.
    let again = sheet::preview(&s, &path, &SheetChoice::default()).unwrap();
    assert!(again.remembered);
}

/// A CSV plan in English, numbered 1, 1.1, (i), with a continuation row.
const CSV_PLAN: &str = "No.,Action,Responsible,Partner lead,Target date,Status,Percent,Themes,Remarks
1,Joint working group on labour migration,Ministry of Labour,Ministry of Labour (TJ),within 3 months of signing,In progress,40%,migration,First meeting held
1.1,Terms of reference,Legal department,,2026-03-01,done,,,
1.2,Quarterly meetings,,,10 months,ongoing,,,
,and a report after each meeting,,,,,,,
2,Training of trainers,SWO,,1405/03/15,not started,,\"training, health\",
(i),Curriculum,,,,,,,
(ii),Pilot course,,,6 weeks after signing,,,,
";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn an_english_csv_plan_with_sub_numbers_and_a_continuation() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plan.csv", CSV_PLAN.as_bytes());
    let (mut s, partner) = store_with_partner();
    let req = request(&s, &path, new_into(&partner, Some("2026-01-10"), Calendar::Gregorian));
    let done = sheet::import(&mut s, &req, today()).unwrap();
    assert_eq!((done.created, done.notes, done.dropped), (6, 1, 0));
    let got: Vec<(u32, String)> =
        rows(&s, &done.agreement_id).into_iter().map(|r| (r.depth, r.clause.number)).collect();
    let want: Vec<(u32, String)> =
        [(0, "1"), (1, "1.1"), (1, "1.2"), (0, "2"), (1, "(i)"), (1, "(ii)")].map(|(d, n)| (d, n.to_owned())).into();
    assert_eq!(got, want);
    let r = rows(&s, &done.agreement_id);
    assert_eq!(r[2].clause.text, "Quarterly meetings\nand a report after each meeting");
    assert_eq!(r[0].clause.partner_lead.as_deref(), Some("Ministry of Labour (TJ)"));
    assert_eq!(r[0].clause.percent, Some(40));
    assert_eq!(r[3].clause.tags, ["training", "health"]);
    assert_eq!(r[3].clause.due_on, Some(day("2026-06-05")), "1405/03/15");
    assert_eq!(r[5].clause.due_on, Some(day("2026-02-21")), "6 weeks after 2026-01-10");
}

#[test]
fn csv_in_windows_1256_and_utf16_read_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let text = "ردیف;اقدام;مهلت\n1;تشکیل کارگروه;1405/02/31\n";
    // Windows-1256 has no Persian yeh or keheh: such files carry the Arabic
    // letters (which search folds together with the Persian ones).
    let arabic = text.replace('ی', "\u{064A}").replace('ک', "\u{0643}");
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&arabic);
    assert!(!unmappable);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for (name, bytes) in
        [("a.csv", cp1256.into_owned()), ("b.csv", utf16), ("c.csv", format!("\u{FEFF}{text}").into_bytes())]
    {
        let path = write(dir.path(), name, &bytes);
        let (mut s, partner) = store_with_partner();
        let req = request(&s, &path, new_into(&partner, None, Calendar::Persian));
        let done = sheet::import(&mut s, &req, today()).unwrap();
        let r = rows(&s, &done.agreement_id);
        let want = if name == "a.csv" { "تشکيل كارگروه" } else { "تشکیل کارگروه" };
        assert_eq!(
            clausebook_core::normalize::normalize(&r[0].clause.text),
            clausebook_core::normalize::normalize(want)
        );
        assert_eq!(r[0].clause.text.contains('\u{064A}'), name == "a.csv", "{name}: the letters as the file has them");
        assert_eq!(r[0].clause.due_on, Some(day("2026-05-21")), "{name}");
    }
}

#[test]
fn excel_date_cells_in_both_date_systems() {
    let dir = tempfile::tempdir().unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let make = |name: &str, serial: f64| {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "No.").unwrap();
        ws.write_string(0, 1, "Action").unwrap();
        ws.write_string(0, 2, "Deadline").unwrap();
        ws.write_string(1, 0, "1").unwrap();
        ws.write_string(1, 1, "Survey").unwrap();
        ws.write_number_with_format(1, 2, serial, &date).unwrap();
        let path = dir.path().join(name);
        book.save(&path).unwrap();
        path
    };
    // 2026-03-01 is 46082 days after 1899-12-30, and 1462 fewer after 1904-01-01.
    let p1900 = make("d1900.xlsx", 46082.0);
    let p1904 = make("d1904.xlsx", 46082.0 - 1462.0);
    set_1904(&p1904);
    for path in [p1900, p1904] {
        let (mut s, partner) = store_with_partner();
        let req = request(&s, &path, new_into(&partner, None, Calendar::Gregorian));
        let done = sheet::import(&mut s, &req, today()).unwrap();
        assert_eq!(rows(&s, &done.agreement_id)[0].clause.due_on, Some(day("2026-03-01")), "{}", path.display());
    }
}

/// Marks a workbook as using the 1904 date system, as Excel for Mac did.
fn set_1904(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut content).unwrap();
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(content).unwrap();
            let xml = match xml.find("<workbookPr") {
                Some(at) => format!("{}<workbookPr date1904=\"1\"{}", &xml[..at], &xml[at + "<workbookPr".len()..]),
                None => xml.replacen("<sheets>", "<workbookPr date1904=\"1\"/><sheets>", 1),
            };
            content = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&content).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn bad_files_are_refused_clearly_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut s, partner) = store_with_partner();
    let zip_of = |entries: &[(&str, Vec<u8>)]| {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in entries {
            out.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(content).unwrap();
        }
        out.finish().unwrap().into_inner()
    };
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 504]);
    let big = d.join("huge.xlsx");
    std::fs::File::create(&big).unwrap().set_len(200 << 20).unwrap();
    let header_only = {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "No.").unwrap();
        ws.write_string(0, 1, "Action").unwrap();
        let p = d.join("header-only.xlsx");
        book.save(&p).unwrap();
        p
    };
    let empty = {
        let mut book = Workbook::new();
        book.add_worksheet();
        let p = d.join("empty.xlsx");
        book.save(&p).unwrap();
        p
    };
    let cases: Vec<(PathBuf, &str)> = vec![
        (write(d, "notes.docx", b"PK\x03\x04"), "unknown_format"),
        (write(d, "letter.xlsx", b"Dear colleagues, please find the plan attached."), "not_its_kind"),
        (write(d, "protected.xlsx", &ole), "file_protected"),
        (write(d, "broken.xlsx", b"PK\x03\x04 this is not really a zip archive"), "file_corrupt"),
        (write(d, "old.xls", b"No.,Action\n1,Train\n"), "not_its_kind"),
        (write(d, "bomb.xlsx", &zip_of(&[("xl/worksheets/sheet1.xml", vec![b'a'; 60 << 20])])), "file_inflates"),
        (big, "file_too_large"),
        (header_only, "no_rows"),
        (empty, "empty_sheet"),
    ];
    for (path, code) in cases {
        let req = ImportRequest {
            path: path.display().to_string(),
            choice: SheetChoice::default(),
            mapping: vec![FieldColumn { field: SheetField::Text, column: 1 }],
            into: new_into(&partner, None, Calendar::Gregorian),
            drop_unreadable: true,
        };
        let err = sheet::import(&mut s, &req, today()).unwrap_err();
        assert_eq!(err.code(), code, "{}: {err}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if code != "unknown_format" {
            assert!(err.to_string().contains(&name), "the error names the file: {err}");
        }
        assert!(s.agreements(None).unwrap().is_empty(), "{name} wrote nothing");
    }
}

#[test]
fn rows_that_cannot_be_imported_stop_the_import_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(600);
    let csv = format!("No.,Action,Responsible\n1,Survey,\n2,Train,\n2,Train again,\n3,,\n4,Report,{long}\n");
    let path = write(dir.path(), "dup.csv", csv.as_bytes());
    let (mut s, partner) = store_with_partner();
    let mut req = request(&s, &path, new_into(&partner, None, Calendar::Gregorian));
    req.drop_unreadable = true;
    let plan = sheet::plan(&s, &req, today()).unwrap();
    let problems: Vec<(u32, Option<&str>, &str, bool)> = plan
        .rows
        .iter()
        .flat_map(|r| r.problems.iter().map(move |p| (r.row, p.column.as_deref(), p.code.as_str(), p.can_drop)))
        .collect();
    assert_eq!(
        problems,
        [
            (4, Some("A"), "number_twice", false),
            (5, Some("B"), "row_without_text", false),
            (6, Some("C"), "value_too_long", false),
        ]
    );
    let err = sheet::import(&mut s, &req, today()).unwrap_err();
    assert!(matches!(err, SheetError::ProblemsRemain { count: 3, row: 4, .. }), "{err}");
    assert!(s.agreements(None).unwrap().is_empty());
}

/// A group's clause takes the first part of its items' numbers (`2` above
/// `2.a`); when a row of the sheet already has that number, or another
/// group took it, the plan says so on the row, as the store would refuse
/// the second clause 2. The dry run and the import agree.
#[test]
fn a_group_whose_number_another_clause_has_is_a_problem_on_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "No.,Action,Group\n2,Two,\n2.a,Two a,Health\n3.1,Three one,Education\n3.2,Three two,Transport\n";
    let path = write(dir.path(), "groups.csv", csv.as_bytes());
    let (mut s, partner) = store_with_partner();
    let req = request(&s, &path, new_into(&partner, None, Calendar::Gregorian));
    assert!(req.mapping.iter().any(|m| m.field == SheetField::Group), "{:?}", req.mapping);
    let plan = sheet::plan(&s, &req, today()).unwrap();
    let problems: Vec<(u32, Option<&str>, &str)> = plan
        .rows
        .iter()
        .flat_map(|r| r.problems.iter().map(move |p| (r.row, p.column.as_deref(), p.code.as_str())))
        .collect();
    assert_eq!(problems, [(3, Some("C"), "number_twice"), (5, Some("C"), "number_twice")]);
    assert_eq!((plan.created, plan.skipped, plan.blocking), (3, 2, 2));
    let err = sheet::import(&mut s, &req, today()).unwrap_err();
    assert!(matches!(err, SheetError::ProblemsRemain { count: 2, row: 3, .. }), "{err}");
    assert!(s.agreements(None).unwrap().is_empty());

    // A group whose items have no dotted numbers gets the next number in
    // turn that no row above has taken.
    let csv = "No.,Action,Group\n1,One,\n2,Two,\n1,Item one,Health\n2,Item two,Health\n";
    let path = write(dir.path(), "turn.csv", csv.as_bytes());
    let req = request(&s, &path, new_into(&partner, None, Calendar::Gregorian));
    let plan = sheet::plan(&s, &req, today()).unwrap();
    let numbers: Vec<String> = plan.rows.iter().map(|r| r.number.join(" › ")).collect();
    assert_eq!(numbers, ["1", "2", "3", "3 › 1", "3 › 2"]);
    assert_eq!(plan.blocking, 0);
    let agreement = sheet::import(&mut s, &req, today()).unwrap().agreement_id;

    // Into that agreement, a group's number in turn passes over its
    // clauses too: the items do not land under clause 1, "One"…
    let csv = "No.,Action,Group\n1,Item one,Transport\n2,Item two,Transport\n";
    let path = write(dir.path(), "more.csv", csv.as_bytes());
    let into = ImportInto::Existing { agreement_id: agreement.clone() };
    let req = request(&s, &path, into.clone());
    let plan = sheet::plan(&s, &req, today()).unwrap();
    let rows: Vec<(String, RowAction)> = plan.rows.iter().map(|r| (r.number.join(" › "), r.action)).collect();
    assert_eq!(
        rows,
        [
            ("4".to_owned(), RowAction::Create),
            ("4 › 1".to_owned(), RowAction::Create),
            ("4 › 2".to_owned(), RowAction::Create)
        ]
    );
    sheet::import(&mut s, &req, today()).unwrap();
    // …and a group imported before is found again by its title: the same
    // sheet once more changes nothing.
    for file in ["turn.csv", "more.csv"] {
        let req = request(&s, &dir.path().join(file), into.clone());
        let plan = sheet::plan(&s, &req, today()).unwrap();
        assert_eq!((plan.created, plan.updated, plan.blocking), (0, 0, 0), "{file}: {:?}", plan.rows);
    }
    let clauses = s.clause_rows(&agreement, today()).unwrap();
    let top: Vec<(&str, &str)> = clauses
        .iter()
        .filter(|r| r.clause.parent_id.is_none())
        .map(|r| (r.clause.number.as_str(), r.clause.text.as_str()))
        .collect();
    assert_eq!(top, [("1", "One"), ("2", "Two"), ("3", "Health"), ("4", "Transport")]);
}

/// `sheet::plan` plans a CSV file as it reads it, on two threads; the plan
/// (or the refusal) must be the one `plan_source` makes of the whole file
/// read first. Compared over files of every shape and encoding the wizard
/// meets (Windows-1256 found only after thousands of UTF-8 rows, UTF-16, a
/// first line longer than what the stream looks at first, old Mac line
/// ends, a workbook named .csv), with header rows inside, on and past the
/// sheet, mappings good and bad, each encoding asked for or none, into a
/// new agreement and into an existing one.
#[test]
fn a_csv_planned_as_it_is_read_is_planned_as_the_whole_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, partner) = store_with_partner();
    // An agreement to plan into, with clauses the files' numbers match.
    let seed =
        write(dir.path(), "seed.csv", "No.,Action,Responsible\n1,Survey,Ministry\n1.1,Visit,\n2,Train,\n".as_bytes());
    let seed_request = request(&s, &seed, new_into(&partner, None, Calendar::Gregorian));
    let agreement = sheet::import(&mut s, &seed_request, today()).unwrap().agreement_id;
    let mut long = String::from("No.,Action,Deadline,Status,Remarks\n");
    for i in 0..3000 {
        let n = if i % 4 == 0 { format!("{}", i / 4 + 1) } else { format!("{}.{}", i / 4 + 1, i % 4) };
        long += &format!("{n},Action {i},{} months,{},\"note, {i}\"\n", 1 + i % 12, ["Done", "Ongoing", "?"][i % 3]);
    }
    let mut late_1256 = long.clone().into_bytes();
    late_1256.extend(encoding_rs::WINDOWS_1256.encode("9999,آموزش,3 months,Done,\n").0.iter());
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "No.\tAction\n1\tTrain\n1.1\tVisit\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let wide_head = format!("No.,Action,{}\n1,One,x\n2,Two,y\n", "h".repeat(70_000));
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("cp1256", encoding_rs::WINDOWS_1256.encode("ردیف;اقدام\n۱;آموزش\n۲;بازدید\n").0.into_owned()),
        ("late-cp1256", late_1256),
        ("utf16", utf16),
        ("wide-head", wide_head.into_bytes()),
        ("old-mac", b"No.,Action\r1,One\r1.1,Sub\r2,Two\r".to_vec()),
        ("workbook", b"PK\x03\x04 not really a zip".to_vec()),
        ("bad-utf8", b"No.,Action\n1,\xE1\xE2 caf\n".to_vec()),
    ];
    let text_files: Vec<(&str, String)> = vec![
        ("plain", "No.,Action,Responsible,Deadline\n1,Survey,Ministry,2026-03-01\n1.1,Visit,,3 months\n,more text,,\n2,Train,,bad\n".into()),
        ("title-rows", "Action plan 2026,,\n,,\nNo.,Action,Group\n2,Two,\n2.a,Two a,Health\n3.1,x,Education\n".into()),
        ("ragged", "No.,Action\n1,One,extra,cells,here\n2\n3,Three\n\n\n".into()),
        ("trailing-empty", "No.,Action\n1,One\n,\n , \n\n".into()),
        ("header-only", "No.,Action\n\n".into()),
        ("empty", "\n \n".into()),
        ("quoted", "No.,Action\r\n1,\"multi\nline \"\"quoted\"\"\"\r\n1.1,\"a,b\"\r".into()),
        ("persian", "\u{FEFF}ردیف;اقدام;مهلت\n۱;آموزش;۱۴۰۵/۰۳/۱۵\n۱-۱;زیر بند;۳ ماه\n۱-۱;تکراری;\n".into()),
        ("long", long),
    ];
    files.extend(text_files.into_iter().map(|(name, text)| (name, text.into_bytes())));
    let intos =
        [new_into(&partner, Some("2026-01-10"), Calendar::Gregorian), ImportInto::Existing { agreement_id: agreement }];
    let (mut compared, mut planned, mut refused) = (0, 0, std::collections::BTreeSet::new());
    for (name, bytes) in &files {
        let path = write(dir.path(), &format!("{name}.csv"), bytes);
        let guessed = sheet::preview(&s, &path, &SheetChoice::default()).ok();
        let mappings = [
            guessed.as_ref().map(|p| p.mapping.clone()).unwrap_or_default(),
            vec![
                FieldColumn { field: SheetField::Number, column: 0 },
                FieldColumn { field: SheetField::Text, column: 1 },
            ],
            vec![FieldColumn { field: SheetField::Text, column: 9 }],
        ];
        for header_row in [0, 1, 2, 3, 5, 400] {
            for (mapping, into, encoding) in mappings.iter().flat_map(|m| {
                intos.iter().flat_map(move |i| {
                    [None, Some(TextEncoding::Utf8), Some(TextEncoding::Windows1256)].map(|e| (m, i, e))
                })
            }) {
                let req = ImportRequest {
                    path: path.display().to_string(),
                    choice: SheetChoice { sheet: None, header_row: Some(header_row), encoding },
                    mapping: mapping.clone(),
                    into: into.clone(),
                    drop_unreadable: false,
                };
                let streamed = sheet::plan(&s, &req, today());
                let whole = sheet::Source::read(&path, encoding)
                    .and_then(|source| sheet::plan_source(&s, &source, &req, today()));
                let context = format!("{name}, header row {header_row}, {encoding:?}, {mapping:?}, {into:?}");
                match (streamed, whole) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a, b, "{context}");
                        planned += 1;
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!((a.code(), a.to_string()), (b.code(), b.to_string()), "{context}");
                        refused.insert(a.code());
                    }
                    (a, b) => panic!("{context}: streamed {a:?}, whole {b:?}"),
                }
                compared += 1;
            }
        }
    }
    // Past the most rows read, a file that is not UTF-8 further on is
    // refused for its encoding first, as the whole file is.
    let mut too_long = "1\n".repeat(sheet::read::MAX_ROWS + 1).into_bytes();
    too_long.extend(b"\xE1\n");
    let path = write(dir.path(), "too-long.csv", &too_long);
    for (bom, encoding, code) in [
        (false, Some(TextEncoding::Utf8), "bad_encoding"),
        (true, None, "bad_encoding"),
        (false, None, "too_many_rows"),
    ] {
        let bytes = if bom { [&b"\xEF\xBB\xBF"[..], &too_long].concat() } else { too_long.clone() };
        std::fs::write(&path, bytes).unwrap();
        let req = ImportRequest {
            path: path.display().to_string(),
            choice: SheetChoice { sheet: None, header_row: Some(1), encoding },
            mapping: vec![FieldColumn { field: SheetField::Text, column: 0 }],
            into: intos[0].clone(),
            drop_unreadable: false,
        };
        let streamed = sheet::plan(&s, &req, today()).unwrap_err();
        let Err(whole) = sheet::Source::read(&path, encoding) else { panic!("{bom} {encoding:?}: read") };
        assert_eq!((streamed.code(), streamed.to_string()), (whole.code(), whole.to_string()));
        assert_eq!(streamed.code(), code, "{bom} {encoding:?}");
    }
    assert_eq!(compared, files.len() * 6 * 3 * 2 * 3);
    // Both kinds of answer were compared, and every check a whole grid
    // gets before its plan, and the file's own refusals.
    assert!(planned > 300, "{planned} plans");
    for code in ["empty_sheet", "header_outside", "no_rows", "no_such_column", "bad_encoding", "not_its_kind"] {
        assert!(refused.contains(code), "{code} never compared: {refused:?}");
    }
}

#[test]
fn a_second_import_updates_matched_clauses_adds_new_ones_and_undoes_as_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "plan.csv", CSV_PLAN.as_bytes());
    let (mut s, partner) = store_with_partner();
    let req = request(&s, &first, new_into(&partner, Some("2026-01-10"), Calendar::Gregorian));
    let done = sheet::import(&mut s, &req, today()).unwrap();
    let before: Vec<ClauseRow> = rows(&s, &done.agreement_id);

    // The officer's next version: 1.1 moved and noted, 2 on hold, a 3rd item;
    // clause 1.2 is gone from the sheet, and stays in the register.
    let second = CSV_PLAN
        .replace(
            "1.1,Terms of reference,Legal department,,2026-03-01,done,,,",
            "1.1,Terms of reference,Legal department,,2026-04-01,done,,,Signed off",
        )
        .replace("2,Training of trainers,SWO,,1405/03/15,not started", "2,Training of trainers,SWO,,1405/03/15,on hold")
        .replace("1.2,Quarterly meetings,,,10 months,ongoing,,,\n,and a report after each meeting,,,,,,,\n", "")
        + "3,Joint evaluation,,,12 months,,,,\n";
    let path = write(dir.path(), "plan-v2.csv", second.as_bytes());
    let req = request(&s, &path, ImportInto::Existing { agreement_id: done.agreement_id.clone() });
    let plan = sheet::plan(&s, &req, today()).unwrap();
    assert_eq!((plan.created, plan.updated, plan.unchanged), (1, 2, 3), "{:#?}", plan.rows);
    let again = sheet::import(&mut s, &req, today()).unwrap();
    let after = rows(&s, &done.agreement_id);
    assert_eq!(after.len(), before.len() + 1, "nothing deleted, one added");
    let find = |rs: &[ClauseRow], n: &str| rs.iter().find(|r| r.clause.number == n).unwrap().clause.clone();
    assert_eq!(find(&after, "1.1").due_on, Some(day("2026-04-01")));
    assert_eq!(find(&after, "2").status, ClauseStatus::OnHold);
    assert_eq!(find(&after, "1.2"), find(&before, "1.2"));

    // Undone as one step: the register is as it was after the first import.
    let undone = s.undo_import(&again.import_id).unwrap();
    assert_eq!((undone.removed, undone.restored), (1, 2));
    let clauses = |rs: Vec<ClauseRow>| {
        rs.into_iter()
            .map(|r| (r.clause.number, r.clause.status, r.clause.deadline, r.latest_note.map(|n| n.text)))
            .collect::<Vec<_>>()
    };
    assert_eq!(clauses(rows(&s, &done.agreement_id)), clauses(before));
    assert_eq!(s.undo_import(&again.import_id).unwrap_err().code(), "nothing_to_undo");

    // The first import's clauses changed since (the second import and its
    // undo): undoing it would lose that, and is refused.
    assert_eq!(s.undo_import(&done.import_id).unwrap_err().code(), "changed_since_import");
    // Undoing an import into a new agreement deletes the agreement too.
    let req = request(&s, &first, new_into(&partner, None, Calendar::Gregorian));
    let fresh = sheet::import(&mut s, &req, today()).unwrap();
    let undone = s.undo_import(&fresh.import_id).unwrap();
    assert!(undone.agreement_deleted);
    assert_eq!(s.agreements(None).unwrap().len(), 1);
}

#[test]
fn an_undo_that_would_lose_later_work_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plan.csv", CSV_PLAN.as_bytes());
    let (mut s, partner) = store_with_partner();
    let req = request(&s, &path, new_into(&partner, Some("2026-01-10"), Calendar::Gregorian));
    let done = sheet::import(&mut s, &req, today()).unwrap();
    let first = rows(&s, &done.agreement_id)[0].clause.id.clone();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let patch = clausebook_core::model::ClausePatch { status: Some(ClauseStatus::Completed), ..Default::default() };
    s.update_clause(&first, patch, today()).unwrap();
    let err = s.undo_import(&done.import_id).unwrap_err();
    assert_eq!(err.code(), "changed_since_import");
    assert_eq!(rows(&s, &done.agreement_id).len(), 6);
}

#[test]
fn formula_like_text_keeps_its_characters_and_an_exports_guard_comes_off() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "No.,Action,Remarks\n1,'=HYPERLINK(\"http://x\"),'-2 tonnes delivered\n2,'plain quote,+ok\n";
    let path = write(dir.path(), "f.csv", csv.as_bytes());
    let (mut s, partner) = store_with_partner();
    let req = request(&s, &path, new_into(&partner, None, Calendar::Gregorian));
    let done = sheet::import(&mut s, &req, today()).unwrap();
    let r = rows(&s, &done.agreement_id);
    assert_eq!(r[0].clause.text, "=HYPERLINK(\"http://x\")");
    assert_eq!(r[0].latest_note.as_ref().unwrap().text, "-2 tonnes delivered");
    assert_eq!(r[1].clause.text, "'plain quote");
}

#[test]
fn a_mapping_by_header_text_or_letter() {
    let heads: Vec<String> = ["No.", "Action", "Target date"].map(String::from).into();
    assert_eq!(sheet::resolve_column(&heads, "target date").unwrap(), 2);
    assert_eq!(sheet::resolve_column(&heads, "B").unwrap(), 1);
    assert_eq!(sheet::resolve_column(&heads, "Z").unwrap_err().code(), "no_such_column");
    assert_eq!(sheet::resolve_column(&heads, "Owner body").unwrap_err().code(), "unknown_column");
}

#[test]
fn the_same_plan_as_ods_and_as_xls_reads_the_same() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["plan-fa.ods", "plan-fa.xls"] {
        let path = fixtures.join(name);
        let (mut s, partner) = store_with_partner();
        let mut req = request(&s, &path, new_into(&partner, Some("2026-01-10"), Calendar::Persian));
        req.drop_unreadable = true;
        let done = sheet::import(&mut s, &req, today()).unwrap();
        let tree: Vec<(u32, String, String)> = rows(&s, &done.agreement_id)
            .into_iter()
            .map(|r| (r.depth, r.clause.number, r.clause.text.chars().take(12).collect()))
            .collect();
        let want: Vec<(u32, String, String)> = [
            (0, "۱", "محور ۱: گفتگو"),
            (1, "۱-۱", "تشکیل کارگروه"),
            (1, "۱-۲", "تدوین شیوه‌نا"),
            (0, "۲", "محور ۲: آموزش"),
            (1, "۲-۱", "دوره آموزشی "),
            (1, "۲-۲", "ارزیابی دوره"),
        ]
        .map(|(d, n, t)| (d, n.to_owned(), t.chars().take(12).collect()))
        .into();
        assert_eq!(tree, want, "{name}");
        assert_eq!(done.dropped, 2, "{name}");
    }
}
