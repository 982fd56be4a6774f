//! PDF reports, checked the way a reader would: the text that comes out of
//! the file (poppler's pdftotext), its structure (qpdf --check), its pages.

mod common;

use std::path::Path;
use std::process::Command;

use clausebook_core::Store;
use clausebook_core::calendar::{Calendar, DateDisplay, Lang};
use clausebook_core::model::{ClauseStatus, NewClause, NewNote, SettingsPatch};
use clausebook_core::report::{self, BriefSpec, ReportOptions, ReportRequest};
use clausebook_core::vocab::{ClauseColumn, ClosedSet, Figure};
use common::{agreement, date, import_into, partner, today};

/// When the test reports are "generated".
fn now() -> chrono::NaiveDateTime {
    today().and_hms_opt(10, 0, 0).unwrap()
}

fn demo() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.load_demo().unwrap();
    s.update_settings(SettingsPatch {
        organisation: Some("State Welfare Organization of Iran".into()),
        ..Default::default()
    })
    .unwrap();
    s
}

fn options(lang: Lang) -> ReportOptions {
    ReportOptions { lang, reference: Some("IA/1405/2318".into()), ..ReportOptions::default() }
}

/// The PDF's text as pdftotext gives it, without the bidi controls it wraps
/// right-to-left runs in, white space folded to one space, and without
/// zero-width non-joiners (pdftotext misplaces them by a letter).
fn text_of(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(
            |c| !matches!(c, '\u{200C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
        )
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Persian words of `expected`, without ZWNJ as in [`text_of`].
fn persian_words(expected: &str) -> Vec<String> {
    // Letters only: punctuation such as «،» moves around a word in visual order.
    expected
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| w.chars().count() > 2)
        .collect()
}

fn qpdf_check(pdf: &Path) {
    let out = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf is installed");
    assert!(out.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&out.stdout));
}

fn export(
    store: &Store,
    request: &ReportRequest,
    lang: Lang,
    dir: &Path,
    name: &str,
) -> (std::path::PathBuf, report::ExportSummary) {
    let path = dir.join(name);
    let summary = report::export(store, request, &options(lang), today(), now(), &path).unwrap();
    (path, summary)
}

/// How many `dddd{sep}dd{sep}dd` dates the text holds.
fn dates_with(text: &str, sep: char) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let shape =
        |w: &[char]| w.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == sep } else { c.is_ascii_digit() });
    chars.windows(10).filter(|w| shape(w)).count()
}

#[test]
fn dates_follow_the_display_setting() {
    let mut store = demo();
    let dir = tempfile::tempdir().unwrap();
    let id = store.agreements(None).unwrap().into_iter().find(|a| a.signed_on.is_some()).unwrap().id;
    let request = ReportRequest::Agreement { id };
    let mut counts = Vec::new();
    for dates in [DateDisplay::Gregorian, DateDisplay::Persian, DateDisplay::Both] {
        let path = dir.path().join(format!("{dates:?}.pdf"));
        let opts = ReportOptions { dates: Some(dates), ..options(Lang::En) };
        report::export(&store, &request, &opts, today(), now(), &path).unwrap();
        let text = text_of(&path);
        counts.push((dates, dates_with(&text, '-'), dates_with(&text, '/')));
    }
    // Gregorian dates are ISO (2025-06-05), Solar Hijri ones 1404/03/15.
    let [(_, g_iso, g_sh), (_, p_iso, p_sh), (_, b_iso, b_sh)] = counts[..] else { unreachable!() };
    assert!(g_iso > 3 && g_sh == 0, "Gregorian only: {counts:?}");
    assert!(p_iso == 0 && p_sh > 3, "Solar Hijri only: {counts:?}");
    // Both: every date in the main calendar, deadlines and the letterhead in
    // the other too (note dates and the footer keep to the main one).
    assert!(b_iso == g_iso && b_sh > 3 && b_sh < p_sh, "both: {counts:?}");

    // Without a choice, the export follows the register's own setting.
    store.update_settings(SettingsPatch { date_display: Some(DateDisplay::Persian), ..Default::default() }).unwrap();
    let path = dir.path().join("setting.pdf");
    report::export(&store, &request, &options(Lang::En), today(), now(), &path).unwrap();
    let text = text_of(&path);
    assert_eq!((dates_with(&text, '-'), dates_with(&text, '/')), (0, p_sh), "the register's setting: {text}");
}

#[test]
fn a_prepared_report_shows_the_register_as_it_was_and_needs_no_store() {
    let mut store = demo();
    let a = store.agreements(None).unwrap().remove(0);
    let prepared =
        report::prepare(&store, &ReportRequest::Agreement { id: a.id.clone() }, &options(Lang::En), today(), now())
            .unwrap();
    // Typesetting happens without the store: the app releases its lock here.
    fn owns_no_borrow<T: Send + 'static>(_: &T) {}
    owns_no_borrow(&prepared);
    store.create_clause(NewClause::new(&a.id, "99", "Added while the report was typesetting"), today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.pdf");
    prepared.export(&path).unwrap();
    assert!(!text_of(&path).contains("Added while the report"), "the report is the register as prepared");
}

/// The window and the PDF say the same words for statuses, the clause
/// table's columns, the summary figures and the calendars: the report prints
/// the core's vocabulary (which the app exports to the window, where a UI
/// test checks its translations against it), and the template has no words
/// of its own for them.
#[test]
fn the_report_says_the_vocabularys_words() {
    fn labels<T: ClosedSet>(lang: Lang) -> Vec<&'static str> {
        T::all().iter().map(|v| v.label().get(lang)).collect()
    }
    let every = |lang| {
        [labels::<ClauseStatus>(lang), labels::<ClauseColumn>(lang), labels::<Figure>(lang), labels::<Calendar>(lang)]
            .concat()
    };
    let template = include_str!("../../../assets/reports/report.typ");
    // The same word for another thing: «شماره» is also the letterhead's
    // "Reference" (number) label, as on official letters.
    let other_uses = ["شماره"];
    for lang in [Lang::En, Lang::Fa] {
        for label in every(lang).into_iter().filter(|l| !other_uses.contains(l)) {
            assert!(!template.contains(&format!("\"{label}\"")), "report.typ keeps its own copy of {label:?}");
        }
    }

    let mut store = Store::open_in_memory().unwrap();
    let p = partner(&mut store, "Uzbekistan");
    let a = agreement(&mut store, &[&p], Some("2025-01-10"), Calendar::Persian);
    for (i, status) in ClauseStatus::ALL.iter().enumerate() {
        let mut c = NewClause::new(&a.id, (i + 1).to_string(), format!("Clause {i}"));
        c.status = *status;
        store.create_clause(c, today()).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let request = ReportRequest::Agreement { id: a.id.clone() };
    for lang in [Lang::En, Lang::Fa] {
        let path = dir.path().join(format!("vocabulary-{lang:?}.pdf"));
        let options = ReportOptions { lang, dates: Some(DateDisplay::Both), ..ReportOptions::default() };
        report::export(&store, &request, &options, today(), now(), &path).unwrap();
        let text = text_of(&path);
        for label in every(lang) {
            // Word by word: a column's header may wrap, and Persian comes out
            // in visual order.
            let words = match lang {
                Lang::Fa => persian_words(label),
                Lang::En => label.split_whitespace().map(str::to_owned).collect(),
            };
            for word in words {
                // pdftotext takes the lam-alef ligature apart in the wrong
                // order: «میلادی» comes out as «میالدی».
                let found = text.contains(&word) || text.contains(&word.replace("لا", "ال"));
                assert!(found, "{lang:?}: {word:?} of {label:?} is not in the PDF");
            }
        }
    }
}

#[test]
fn every_demo_agreement_reports_in_english_and_persian() {
    let store = demo();
    let dir = tempfile::tempdir().unwrap();
    for (i, a) in store.agreements(None).unwrap().iter().enumerate() {
        for lang in [Lang::En, Lang::Fa] {
            let (path, summary) = export(
                &store,
                &ReportRequest::Agreement { id: a.id.clone() },
                lang,
                dir.path(),
                &format!("a{i}-{lang:?}.pdf"),
            );
            qpdf_check(&path);
            assert!(summary.pages >= 1 && summary.clauses > 0, "{summary:?}");
            let text = text_of(&path);
            // Latin and Cyrillic come out exactly; Persian word by word (in visual order).
            for r in store.clause_rows(&a.id, today()).unwrap() {
                for lead in [r.clause.our_lead.as_deref(), r.clause.partner_lead.as_deref()].into_iter().flatten() {
                    let rtl = clausebook_core::report::data::is_rtl(lead);
                    if rtl {
                        for word in persian_words(lead) {
                            assert!(
                                text.contains(&word),
                                "{lang:?} report of {}: Persian word {word:?} missing",
                                a.title
                            );
                        }
                    } else if lead.chars().count() < 25 {
                        assert!(text.contains(lead), "{lang:?} report of {}: {lead:?} missing", a.title);
                    }
                }
            }
            let label = if lang == Lang::Fa { "گزارش" } else { "Agreement status report" };
            assert!(text.contains(label), "{lang:?}: the report names itself");
        }
    }
}

#[test]
fn tajik_uzbek_and_persian_strings_survive_exactly() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let mut c = NewClause::new(&a.id, "1", "Тренинги касбӣ барои ҷавонон");
    c.partner_lead = Some("Вазорати меҳнат".into());
    c.our_lead = Some("Sogʻliqni saqlash vazirligi".into());
    s.create_clause(c, today()).unwrap();
    s.create_clause(NewClause::new(&a.id, "2", "آموزش مهارت‌های فنی و حرفه‌ای برای زنان سرپرست خانوار"), today())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Fa] {
        let (path, _) = export(&s, &ReportRequest::Agreement { id: a.id.clone() }, lang, dir.path(), "t.pdf");
        let text = text_of(&path);
        for exact in ["Тренинги касбӣ барои ҷавонон", "Вазорати меҳнат", "Sogʻliqni saqlash vazirligi"]
        {
            assert!(text.contains(exact), "{lang:?}: {exact:?} not in {text}");
        }
        for word in persian_words("آموزش مهارت‌های فنی و حرفه‌ای برای زنان سرپرست خانوار")
        {
            assert!(text.contains(&word), "{lang:?}: Persian word {word:?} missing");
        }
    }
}

/// A row may break across pages when its clause or note, as printed, is
/// longer than [`BREAKABLE_TEXT_BYTES`](report::data::BREAKABLE_TEXT_BYTES)
/// or a lead longer than
/// [`BREAKABLE_LEAD_BYTES`](report::data::BREAKABLE_LEAD_BYTES), counted in
/// bytes (a Persian letter is two); every other row is kept whole. An
/// agreement's section prints the brief of a clause's latest note: up to
/// [`NOTE_BRIEF_CHARS`](clausebook_core::store::clauses::NOTE_BRIEF_CHARS)
/// characters and "…" when it goes on, so only a script of three or four
/// bytes a letter makes a note that long there ("…" included).
#[test]
fn rows_long_enough_to_outgrow_a_page_may_break() {
    use clausebook_core::store::clauses::NOTE_BRIEF_CHARS;
    use report::data::{BREAKABLE_LEAD_BYTES as LEAD, BREAKABLE_TEXT_BYTES as TEXT};
    const LATIN: &str = "ab cd ";
    const PERSIAN: &str = "اب پ ";
    // Old Persian cuneiform, four bytes a letter.
    const CUNEIFORM: &str = "\u{103A0}\u{103A1}\u{103A2}\u{103A3} ";
    /// Bytes of each text (0: no note), the note's words, and the answer.
    struct Case {
        clause: usize,
        leads: (usize, usize),
        note: (usize, &'static str),
        breakable: bool,
    }
    let case = |clause, leads, note, breakable| Case { clause, leads, note, breakable };
    let cases = [
        case(100, (20, 20), (0, LATIN), false),
        case(TEXT, (LEAD, LEAD), (TEXT, CUNEIFORM), false),
        case(TEXT + 2, (20, 20), (0, LATIN), true),
        case(100, (LEAD + 2, 20), (0, LATIN), true),
        case(100, (20, LEAD + 2), (0, LATIN), true),
        case(100, (20, 20), (TEXT + 2, CUNEIFORM), true),
        // Printed as its brief, cut near NOTE_BRIEF_CHARS characters.
        case(100, (20, 20), (TEXT + 2, LATIN), false),
    ];
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    // Short words: no run is long enough to get soft hyphens, so the bytes
    // printed are the bytes typed.
    let text = |bytes: usize, word: &str| {
        let t = word.repeat(bytes / word.len()) + &"a".repeat(bytes % word.len());
        // Stored text is trimmed: end on a letter.
        if t.ends_with(' ') { t[..t.len() - 1].to_owned() + "a" } else { t }
    };
    for (i, Case { clause, leads: (ours, theirs), note: (note, words), .. }) in cases.iter().enumerate() {
        let mut new = NewClause::new(&a.id, (i + 1).to_string(), text(*clause, LATIN));
        new.our_lead = Some(text(*ours, PERSIAN));
        new.partner_lead = Some(text(*theirs, PERSIAN));
        let c = s.create_clause(new, today()).unwrap().clause;
        if *note > 0 {
            let note =
                NewNote { clause_id: c.id, on_date: today(), author: None, text: text(*note, words), status_to: None };
            s.add_note(note, today()).unwrap();
        }
    }
    let request = ReportRequest::Agreement { id: a.id.clone() };
    let data = report::data::build(&s, &request, &options(Lang::En), today(), now()).unwrap();
    let rows = &data.sections[0].rows;
    for (row, c) in rows.iter().zip(&cases) {
        assert_eq!(row.text.s.len(), c.clause, "the clause prints as typed");
        let (clause, (ours, theirs), note) = (c.clause, c.leads, c.note.0);
        assert_eq!(row.breakable, c.breakable, "clause {clause}, leads {ours} and {theirs}, note {note} bytes");
    }
    assert_eq!(rows.len(), cases.len());
    let cut = rows[6].latest_note.as_ref().unwrap();
    let kept = cut.s.chars().count() - 1;
    assert!(kept <= NOTE_BRIEF_CHARS && kept > NOTE_BRIEF_CHARS - 10, "{kept} characters kept");
    let end: String = cut.s.chars().rev().take(10).collect::<Vec<_>>().into_iter().rev().collect();
    assert!(end.ends_with("ab…") || end.ends_with("cd…"), "a whole word, then the ellipsis: {end}");
    let whole = rows[5].latest_note.as_ref().unwrap();
    assert!(!whole.s.ends_with('…'), "a note of 446 characters prints whole");
}

/// The sample inputs beside the template (`assets/reports/sample-*.json`,
/// what its README shows and Typst's own tools can compile) are the data the
/// core makes today: a brief over every demo agreement and an agreement with
/// no clauses yet; the English one also has a section of markup-like text and
/// a row long enough to break across pages. A field the core adds, drops or
/// renames fails here. `UPDATE_SAMPLES=1` rewrites them.
#[test]
fn the_template_samples_are_the_cores_own_data() {
    use clausebook_core::model::NewAgreement;
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/reports");
    for (lang, file) in [(Lang::En, "sample-en.json"), (Lang::Fa, "sample-fa.json")] {
        let mut s = demo();
        let tj = s.partners().unwrap().into_iter().find(|p| p.name == "Tajikistan").unwrap();
        let title = if lang == Lang::En {
            "Draft protocol on vocational training"
        } else {
            "پیش‌نویس پروتکل آموزش فنی و حرفه‌ای"
        };
        s.create_agreement(NewAgreement::draft(title, vec![tj.id.clone()])).unwrap();
        if lang == Lang::En {
            let a = s
                .create_agreement(NewAgreement::draft("Test data: text that must print literally", vec![tj.id]))
                .unwrap();
            let evil = r#"#panic("x") *bold* $m$ <l> ] [ @ref #set page(fill: red)"#;
            s.create_clause(NewClause::new(&a.id, "1", evil), today()).unwrap();
            let long = "A clause long enough that its row may break across pages. ".repeat(30);
            s.create_clause(NewClause::new(&a.id, "2", long), today()).unwrap();
        }
        let spec = BriefSpec {
            agreements: s.agreements(None).unwrap().into_iter().map(|a| a.id).collect(),
            title: Some("Meeting with the Ambassador of Tajikistan".into()),
            ..BriefSpec::default()
        };
        let data = report::data::build(&s, &ReportRequest::Brief(spec), &options(lang), today(), now()).unwrap();
        let generated = serde_json::to_string_pretty(&data).unwrap() + "\n";
        let path = samples.join(file);
        if std::env::var_os("UPDATE_SAMPLES").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "assets/reports/{file} is not what the core makes: run `UPDATE_SAMPLES=1 cargo test --test report samples` and commit it"
        );
        // And the template reads it.
        let pdf = report::world::typeset(generated, false).unwrap();
        assert!(pdf.1 >= 2, "{file}: {} pages", pdf.1);
    }
}

#[test]
fn markup_in_user_text_prints_literally() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let evil = r#"#panic("x") *bold* $m$ <l> ] [ @ref #set page(fill: red)"#;
    s.create_clause(NewClause::new(&a.id, "1", evil), today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, summary) = export(&s, &ReportRequest::Agreement { id: a.id.clone() }, Lang::En, dir.path(), "x.pdf");
    assert_eq!(summary.clauses, 1);
    assert!(text_of(&path).contains(evil), "the clause is printed as typed");
}

#[test]
fn pages_grow_with_clauses_and_long_text_wraps() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let dir = tempfile::tempdir().unwrap();
    let request = ReportRequest::Agreement { id: a.id.clone() };
    let (_, empty) = export(&s, &request, Lang::En, dir.path(), "0.pdf");
    let (path, _) = export(&s, &request, Lang::En, dir.path(), "0.pdf");
    assert!(text_of(&path).contains("no clauses yet"), "an empty agreement says so");
    let batch: Vec<NewClause> = (1..=60)
        .map(|i| {
            NewClause::new(&a.id, i.to_string(), format!("Exchange visit number {i} between rehabilitation centres"))
        })
        .collect();
    import_into(&mut s, &a.id, batch).unwrap();
    let (_, sixty) = export(&s, &request, Lang::En, dir.path(), "60.pdf");
    let batch: Vec<NewClause> =
        (61..=240).map(|i| NewClause::new(&a.id, i.to_string(), format!("Training cohort {i} in Dushanbe"))).collect();
    import_into(&mut s, &a.id, batch).unwrap();
    let (_, many) = export(&s, &request, Lang::En, dir.path(), "240.pdf");
    assert!(
        empty.pages < sixty.pages && sixty.pages < many.pages,
        "{} < {} < {}",
        empty.pages,
        sixty.pages,
        many.pages
    );

    // A 100 KB clause wraps across pages instead of being cut.
    let long = "The parties exchange rehabilitation experts and report quarterly. ".repeat(1500);
    let (_, before) = export(&s, &request, Lang::En, dir.path(), "b.pdf");
    let mut c = NewClause::new(&a.id, "999", &long[..long.len().min(100 * 1024 - 100)]);
    c.status = ClauseStatus::InProgress;
    s.create_clause(c, today()).unwrap();
    let (path, after) = export(&s, &request, Lang::En, dir.path(), "long.pdf");
    assert!(after.pages >= before.pages + 10, "{} pages before, {} after", before.pages, after.pages);
    let text = text_of(&path);
    assert!(text.matches("report quarterly").count() > 1000, "the whole clause is printed");
    qpdf_check(&path);
}

/// Every word pdftotext finds: its left and right edge and its page's width.
fn word_boxes(pdf: &Path) -> Vec<(f64, f64, f64, String)> {
    let out = Command::new("pdftotext").args(["-bbox", "-enc", "UTF-8"]).arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let mut width = 0.0;
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            width = attr(line, "width");
        } else if line.starts_with("<word ") {
            let text = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            words.push((attr(line, "xMin"), attr(line, "xMax"), width, text.to_owned()));
        }
    }
    words
}

#[test]
fn runs_without_spaces_stay_on_the_page() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let token = "x".repeat(600);
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let mut c = NewClause::new(&a.id, "1.2.3.4.5.6.7.8.9.10.11", format!("Send the file {token} to the ministry"));
    c.our_lead = Some("international.cooperation.department@welfare.example.ir".into());
    c.partner_lead = Some("Вазорати_тандурустӣ_ва_ҳифзи_иҷтимоии_аҳолӣ".into());
    let clause = s.create_clause(c, today()).unwrap();
    let note = NewNote {
        clause_id: clause.clause.id.clone(),
        on_date: today(),
        author: None,
        text: format!("Checksum {hash}"),
        status_to: None,
    };
    s.add_note(note, today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let request = ReportRequest::Agreement { id: a.id.clone() };
    for lang in [Lang::En, Lang::Fa] {
        let (path, _) = export(&s, &request, lang, dir.path(), "runs.pdf");
        let words = word_boxes(&path);
        assert!(words.len() > 20, "{lang:?}: {words:?}");
        for (x_min, x_max, width, text) in &words {
            assert!(
                *x_min >= 0.0 && *x_max <= *width,
                "{lang:?}: {text:?} runs off the page ({x_min}–{x_max} of {width})"
            );
        }
        // The clause number's pieces stay in its column: 15 mm inside the
        // 14 mm margin, on the left in English and on the right in Persian.
        let edge = (14.0 + 15.0) * 72.0 / 25.4 + 0.5;
        let pieces: Vec<_> = words
            .iter()
            .filter(|(.., text)| {
                // pdftotext keeps the soft hyphens where no line broke.
                let t: String = text.chars().filter(|&c| c != '\u{AD}').collect();
                let t = t.trim_end_matches(['-', '\u{2010}']);
                t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.')
            })
            .collect();
        assert!(pieces.len() >= 3, "{lang:?}: the number is broken over lines: {pieces:?}");
        for (x_min, x_max, width, text) in pieces {
            let inside = if lang == Lang::Fa { *x_min >= width - edge } else { *x_max <= edge };
            assert!(inside, "{lang:?}: {text:?} leaves the number column ({x_min}–{x_max})");
        }
        // Nothing is lost: every letter of the token is printed, and the
        // hash with it, a line break at most every ten characters.
        let text = text_of(&path);
        assert!(text.matches('x').count() >= token.len(), "{lang:?}: {text}");
        assert!(hash.as_bytes().chunks(10).all(|c| text.contains(std::str::from_utf8(c).unwrap())), "{lang:?}: {text}");
        qpdf_check(&path);
    }
}

#[test]
fn pdf_a_declares_itself() {
    let store = demo();
    let a = &store.agreements(None).unwrap()[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.pdf");
    let opts = ReportOptions { pdf_a: true, ..options(Lang::Fa) };
    report::export(&store, &ReportRequest::Agreement { id: a.id.clone() }, &opts, today(), now(), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>") && raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "PDF/A-2b metadata"
    );
    qpdf_check(&path);
}

#[test]
fn briefs_and_partner_reports() {
    let store = demo();
    let dir = tempfile::tempdir().unwrap();
    let tj = store.partners().unwrap().into_iter().find(|p| p.name == "Tajikistan").unwrap();
    let (path, summary) = export(&store, &ReportRequest::Partner { id: tj.id.clone() }, Lang::En, dir.path(), "p.pdf");
    assert_eq!(summary.clauses, store.partner_dashboard(&tj.id, today()).unwrap().figures.counts.total());
    assert!(text_of(&path).contains("Partner status report"));
    let spec = BriefSpec {
        partner: Some(tj.id.clone()),
        overdue: true,
        due_before: Some(date("2027-03-20")),
        progress_since: Some(date("2026-01-01")),
        title: Some("Meeting with the Ambassador of Tajikistan".into()),
        ..BriefSpec::default()
    };
    let (path, summary) = export(&store, &ReportRequest::Brief(spec), Lang::Fa, dir.path(), "brief.pdf");
    assert!(summary.clauses > 0);
    let text = text_of(&path);
    for word in ["تأخیر", "سررسید", "پیشرفت"] {
        assert!(text.contains(word), "brief section {word} missing");
    }
    let err = report::export(
        &store,
        &ReportRequest::Brief(BriefSpec::default()),
        &options(Lang::En),
        today(),
        now(),
        &dir.path().join("e.pdf"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "report_empty_brief");
}

#[test]
fn bad_requests_leave_no_file() {
    let store = demo();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.pdf");
    let err = report::export(
        &store,
        &ReportRequest::Agreement { id: "0190ffff-none".into() },
        &options(Lang::En),
        today(),
        now(),
        &path,
    )
    .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(!path.exists());
    let a = &store.agreements(None).unwrap()[0];
    let blocked = dir.path().join("no-such-folder").join("report.pdf");
    let err = report::export(
        &store,
        &ReportRequest::Agreement { id: a.id.clone() },
        &options(Lang::En),
        today(),
        now(),
        &blocked,
    )
    .unwrap_err();
    assert_eq!(err.code(), "report_unwritable");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no partial file anywhere");
}

/// A held meeting about one agreement: participants on both sides (one
/// named in Persian), a clause item whose update is applied, a decision
/// with markup in it, a Persian decision, and an attached file.
fn held_meeting(s: &mut Store, dir: &Path) -> String {
    use clausebook_core::model::ClausePatch;
    use clausebook_core::model::meeting::{NewAgendaItem, NewMeeting, NewOutcome, NewParticipant};
    use clausebook_core::vocab::{MeetingKind, MeetingStatus, OutcomeKind, Side};
    let tj = partner(s, "Tajikistan");
    let a = agreement(s, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let mut new = NewClause::new(&a.id, "3.1", "Exchange curricula for sheltered workshops");
    new.status = ClauseStatus::NotStarted;
    let clause = s.create_clause(new, today()).unwrap().clause;
    let person =
        |side, name: &str, role: &str| NewParticipant { side, name: name.into(), role: Some(role.into()), body: None };
    let m = s
        .create_meeting(NewMeeting {
            title: "Joint working group, 2nd session".into(),
            kind: MeetingKind::JointCommission,
            on_date: date("2026-11-10"),
            calendar: Calendar::Persian,
            starts_at: Some("10:00".into()),
            place: Some("Dushanbe".into()),
            remote: false,
            status: MeetingStatus::Planned,
            next_on: Some(date("2027-05-10")),
            partner_ids: vec![tj.id.clone()],
            agreement_ids: vec![a.id.clone()],
            participants: vec![
                person(Side::Ours, "مریم رحیمی", "Director"),
                person(Side::Theirs, "Гулнора Раҳимова", "First Deputy Minister"),
            ],
        })
        .unwrap();
    let items = vec![
        NewAgendaItem { clause_id: Some(clause.id.clone()), text: None },
        NewAgendaItem { clause_id: None, text: Some("Next session".into()) },
    ];
    let d = s.add_agenda_items(&m.id, items).unwrap();
    let blank = common::outcome;
    let patch = ClausePatch { status: Some(ClauseStatus::InProgress), percent: Some(Some(30)), ..Default::default() };
    s.add_outcome(NewOutcome {
        text: Some("Draft curricula exchanged".into()),
        update: Some(patch),
        ..blank(&d.agenda[0].id, OutcomeKind::ClauseUpdate)
    })
    .unwrap();
    s.add_outcome(NewOutcome {
        text: Some(r#"Host #set page(fill: red) *the* 4th session"#.into()),
        owner_side: Some(Side::Ours),
        owner: Some("International department".into()),
        due_on: Some(date("2027-02-01")),
        ..blank(&d.agenda[1].id, OutcomeKind::Decision)
    })
    .unwrap();
    s.add_outcome(NewOutcome {
        text: Some("نشست بعدی در تهران برگزار می‌شود".into()),
        ..blank(&d.agenda[1].id, OutcomeKind::Decision)
    })
    .unwrap();
    s.set_meeting_status(&m.id, MeetingStatus::Held).unwrap();
    s.apply_outcomes(&m.id, None, today()).unwrap();
    let scan = dir.join("signed minutes.pdf");
    std::fs::write(&scan, b"%PDF-1.4 scan").unwrap();
    s.attach(&m.id, &scan, None).unwrap();
    m.id
}

#[test]
fn minutes_show_both_sides_the_agenda_decisions_changes_and_files() {
    let mut s = demo();
    let dir = tempfile::tempdir().unwrap();
    let id = held_meeting(&mut s, dir.path());
    let request = ReportRequest::Minutes { id };
    let (en, summary) = export(&s, &request, Lang::En, dir.path(), "minutes-en.pdf");
    qpdf_check(&en);
    assert!(summary.pages >= 1);
    let text = text_of(&en);
    for expected in [
        "Minutes of the meeting",
        "Joint working group, 2nd session",
        "Гулнора Раҳимова",
        "First Deputy Minister",
        "Clause 3.1",
        "Exchange curricula for sheltered workshops",
        "Draft curricula exchanged",
        // Markup in a decision prints as typed.
        "Host #set page(fill: red) *the* 4th session",
        "International department",
        "Changes applied to the register",
        "Not started",
        "In progress",
        "30%",
        "signed minutes.pdf",
        "application/pdf",
        "2027-05-10",
    ] {
        assert!(text.contains(expected), "English minutes lack {expected:?}:\n{text}");
    }
    let (fa, _) = export(&s, &request, Lang::Fa, dir.path(), "minutes-fa.pdf");
    qpdf_check(&fa);
    let text = text_of(&fa);
    for expected in ["صورت‌جلسه", "شرکت‌کنندگان", "تصمیم‌ها", "تغییرهای اعمال‌شده در دفتر", "پیوست‌ها", "در حال انجام"]
    {
        for word in persian_words(expected) {
            assert!(text.contains(&word), "Persian minutes lack {word:?} (of {expected:?}):\n{text}");
        }
    }
    for word in persian_words("نشست بعدی در تهران برگزار می‌شود") {
        assert!(text.contains(&word), "the Persian decision is printed: {word:?}");
    }
    assert!(text.contains("Гулнора Раҳимова"));
    assert!(text.contains("۱۴۰۵/۰۸/۱۹"), "the meeting's day in Persian digits:\n{text}");
}
