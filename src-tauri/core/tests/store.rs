//! The register's rules, through the public API of the store.

mod common;

use clausebook_core::calendar::{Calendar, parse_date};
use clausebook_core::deadline::{Deadline, OffsetUnit};
use clausebook_core::model::{
    AgreementPatch, ClausePatch, ClauseStatus, LONG_TEXT_MAX_BYTES, NewClause, NewNote, SettingsPatch,
};
use clausebook_core::{Store, StoreError};
use common::{agreement, date, footprint, import_into, partner, today};

#[test]
fn a_clause_records_both_lead_bodies_and_its_history() {
    let mut s = Store::open_in_memory().unwrap();
    s.update_settings(SettingsPatch { officer_name: Some("Maryam Ahmadi".into()), ..Default::default() }).unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let mut new = NewClause::new(&a.id, "3", "Vocational training for people with disabilities");
    new.our_lead = Some("State Welfare Organization".into());
    new.partner_lead = Some("Вазорати тандурустӣ ва ҳифзи иҷтимоии аҳолӣ".into());
    new.deadline = Deadline::AfterSigning { amount: 6, unit: OffsetUnit::Months };
    let c = s.create_clause(new, today()).unwrap().clause;
    // 1404/02/07 + 6 Solar Hijri months = 1404/08/07 = 2025-10-29.
    assert_eq!(c.due_on, Some(date("2025-10-29")));
    let c = s
        .update_clause(&c.id, ClausePatch { status: Some(ClauseStatus::InProgress), ..Default::default() }, today())
        .unwrap()
        .clause;
    assert_eq!(c.status, ClauseStatus::InProgress);
    s.add_note(
        NewNote {
            clause_id: c.id.clone(),
            on_date: date("2025-11-01"),
            author: None,
            text: "First cohort of 20 trainees started in Dushanbe".into(),
            status_to: Some(ClauseStatus::Completed),
        },
        today(),
    )
    .unwrap();
    let c = s.clause(&c.id).unwrap();
    assert_eq!(c.status, ClauseStatus::Completed);
    assert_eq!(c.percent, Some(100));

    let history = s.history(&c.id).unwrap();
    let actions: Vec<(&str, &str)> = history.iter().map(|e| (e.entity.as_str(), e.action.as_str())).collect();
    assert_eq!(actions, [("clause", "create"), ("clause", "update"), ("note", "create")]);
    assert!(history.iter().all(|e| e.actor == "Maryam Ahmadi"));
    let status_change = history[1].changes.iter().find(|f| f.field == "status").unwrap();
    assert_eq!(
        (status_change.old.as_deref(), status_change.new.as_deref()),
        (Some("not_started"), Some("in_progress"))
    );
    let note_change = history[2].changes.iter().find(|f| f.field == "status").unwrap();
    assert_eq!(note_change.new.as_deref(), Some("completed"));
    let notes = s.notes(&c.id).unwrap();
    assert_eq!(notes[0].author, "Maryam Ahmadi");
    assert_eq!(notes[0].status_from, Some(ClauseStatus::InProgress));
}

#[test]
fn an_import_is_audited_once_and_each_clause_history_begins_with_it() {
    let mut s = Store::open_in_memory().unwrap();
    s.update_settings(SettingsPatch { officer_name: Some("Maryam Ahmadi".into()), ..Default::default() }).unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let before = s.history(&a.id).unwrap().len();
    let batch = (1..=3).map(|i| NewClause::new(&a.id, i.to_string(), format!("Exchange visit {i}"))).collect();
    let created = import_into(&mut s, &a.id, batch).unwrap();
    let agreement_history = s.history(&a.id).unwrap();
    assert_eq!(agreement_history.len(), before + 1, "one row for the whole import");
    let import = agreement_history.last().unwrap();
    assert_eq!(
        (import.action.as_str(), import.entity.as_str(), import.actor.as_str()),
        ("import", "agreement", "Maryam Ahmadi")
    );
    assert_eq!(import.changes[0].field, "clauses");
    assert_eq!(import.changes[0].new.as_deref(), Some("3"));

    // Each clause's history starts with the import, then its own changes.
    let second = &created[1];
    s.update_clause(&second.id, ClausePatch { status: Some(ClauseStatus::InProgress), ..Default::default() }, today())
        .unwrap();
    let h = s.history(&second.id).unwrap();
    assert_eq!(h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["import", "update"]);
    assert_eq!(h[0].id, import.id);
    // A clause created on its own keeps a creation row of its own.
    let alone = s.create_clause(NewClause::new(&a.id, "4", "Joint exhibition"), today()).unwrap().clause;
    let h = s.history(&alone.id).unwrap();
    assert_eq!(h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["create"]);

    // An import with a bad clause writes nothing, not even its audit row.
    let bad = vec![NewClause::new(&a.id, "5", "Fine"), NewClause::new(&a.id, "6", "")];
    assert_eq!(import_into(&mut s, &a.id, bad).unwrap_err().code(), "empty_field");
    assert_eq!(s.history(&a.id).unwrap().len(), before + 3, "import, the update, the lone creation");
    // An empty import changes nothing and records nothing.
    assert!(import_into(&mut s, &a.id, Vec::new()).unwrap().is_empty());
    assert_eq!(s.history(&a.id).unwrap().len(), before + 3);
}

#[test]
fn completing_a_clause_completes_its_percentage_either_way() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let mut new = NewClause::new(&a.id, "1", "Workshop");
    new.percent = Some(40);
    let c = s.create_clause(new, today()).unwrap().clause;
    let done = s
        .update_clause(&c.id, ClausePatch { status: Some(ClauseStatus::Completed), ..Default::default() }, today())
        .unwrap()
        .clause;
    assert_eq!(done.percent, Some(100));
    let explicit = s
        .update_clause(
            &c.id,
            ClausePatch { status: Some(ClauseStatus::InProgress), percent: Some(Some(90)), ..Default::default() },
            today(),
        )
        .unwrap()
        .clause;
    assert_eq!(explicit.percent, Some(90), "reopening keeps what the officer set");
}

#[test]
fn bad_input_says_what_to_fix_and_writes_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], Some("2025-04-27"), Calendar::Gregorian);
    s.create_clause(NewClause::new(&a.id, "1", "Exchange of experts"), today()).unwrap();
    let before = footprint(&s);

    let err = s.create_clause(NewClause::new(&a.id, "2", "   "), today()).unwrap_err();
    assert_eq!(err.code(), "empty_field");
    assert!(err.to_string().contains("clause text is empty"), "{err}");

    let err = s.create_clause(NewClause::new(&a.id, "1", "Another first clause"), today()).unwrap_err();
    assert_eq!(err.code(), "duplicate_number");
    assert!(err.to_string().contains("clause number 1 is already used at the top level"), "{err}");

    let err = s.create_clause(NewClause::new("0000-not-an-id", "9", "text"), today()).unwrap_err();
    assert_eq!(err.code(), "not_found");

    let mut early = NewClause::new(&a.id, "2", "Deadline before signing");
    early.deadline = Deadline::On { date: date("2025-01-01") };
    let err = s.create_clause(early, today()).unwrap_err();
    assert_eq!(err.code(), "deadline_before_signing");

    let err = s.create_clause(NewClause::new(&a.id, "2", "x".repeat(LONG_TEXT_MAX_BYTES + 1)), today()).unwrap_err();
    assert_eq!(err.code(), "too_long");

    let mut pct = NewClause::new(&a.id, "2", "Percent out of range");
    pct.percent = Some(101);
    assert_eq!(s.create_clause(pct, today()).unwrap_err().code(), "percent_out_of_range");

    let mut new = clausebook_core::model::NewAgreement::draft("  ", vec![tj.id.clone()]);
    assert_eq!(s.create_agreement(new.clone()).unwrap_err().code(), "empty_field");
    new.title = "No parties".into();
    new.parties.clear();
    assert_eq!(s.create_agreement(new.clone()).unwrap_err().code(), "no_parties");
    new.parties = vec![tj.id.clone()];
    new.in_force_from = Some(date("2025-05-01"));
    new.in_force_until = Some(date("2025-04-01"));
    assert_eq!(s.create_agreement(new).unwrap_err().code(), "end_before_start");

    let err =
        s.update_agreement(&a.id, AgreementPatch { title: Some(String::new()), ..Default::default() }).unwrap_err();
    assert_eq!(err.code(), "empty_field");
    assert_eq!(parse_date("1404/12/30").unwrap_err().code(), "date_no_such_day");
    assert_eq!(footprint(&s), before, "a refused write leaves no trace, not even an audit row");
}

#[test]
fn numbers_are_unique_among_siblings_only() {
    let mut s = Store::open_in_memory().unwrap();
    let uz = partner(&mut s, "Uzbekistan");
    let a = agreement(&mut s, &[&uz], None, Calendar::Gregorian);
    let p3 = s.create_clause(NewClause::new(&a.id, "3", "Training"), today()).unwrap().clause;
    let p4 = s.create_clause(NewClause::new(&a.id, "4", "Equipment"), today()).unwrap().clause;
    let mut child = NewClause::new(&a.id, "1", "Nurses' course");
    child.parent_id = Some(p3.id.clone());
    s.create_clause(child.clone(), today()).unwrap();
    child.parent_id = Some(p4.id.clone());
    s.create_clause(child.clone(), today()).unwrap();
    let err = s.create_clause(child, today()).unwrap_err();
    assert!(err.to_string().contains("under clause 4"), "{err}");
    // A deleted clause's number is free again.
    let d = s.delete_clause(&p4.id).unwrap();
    s.create_clause(NewClause::new(&a.id, "4", "Equipment, second try"), today()).unwrap();
    let err = s.restore(&d).unwrap_err();
    assert_eq!(err.code(), "duplicate_number");
}

#[test]
fn moves_refuse_cycles_and_other_agreements() {
    use clausebook_core::model::ClauseMove;
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let b = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let top = s.create_clause(NewClause::new(&a.id, "1", "Article 1"), today()).unwrap().clause;
    let mut n = NewClause::new(&a.id, "1.1", "Action");
    n.parent_id = Some(top.id.clone());
    let child = s.create_clause(n, today()).unwrap().clause;
    let under = |parent: &str, index: Option<u32>| ClauseMove::Under { parent: Some(parent.to_owned()), index };
    let err = s.move_clause(&top.id, under(&child.id, None), today()).unwrap_err();
    assert_eq!(err.code(), "cycle");
    assert_eq!(s.move_clause(&top.id, under(&top.id, None), today()).unwrap_err().code(), "cycle");
    let other = s.create_clause(NewClause::new(&b.id, "1", "Elsewhere"), today()).unwrap().clause;
    assert_eq!(
        s.move_clause(&child.id, under(&other.id, None), today()).unwrap_err().code(),
        "parent_in_other_agreement"
    );
    // Moving to the top level, first place, works and is audited.
    let moved = s.move_clause(&child.id, ClauseMove::Under { parent: None, index: Some(0) }, today()).unwrap().clause;
    assert_eq!(moved.parent_id, None);
    let rows = s.clause_rows(&a.id, common::today()).unwrap();
    assert_eq!(rows.iter().map(|r| r.clause.number.as_str()).collect::<Vec<_>>(), ["1.1", "1"]);
    assert_eq!(s.history(&child.id).unwrap().last().unwrap().action, "move");
}

#[test]
fn relative_deadlines_follow_the_signing_date_and_calendar() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Persian);
    let mut n = NewClause::new(&a.id, "1", "Report within three months");
    n.deadline = Deadline::AfterSigning { amount: 3, unit: OffsetUnit::Months };
    let c = s.create_clause(n, today()).unwrap().clause;
    assert_eq!(c.due_on, None, "unsigned: no date yet");
    let signed = parse_date("1400/06/31").unwrap();
    s.update_agreement(&a.id, AgreementPatch { signed_on: Some(Some(signed)), ..Default::default() }).unwrap();
    assert_eq!(s.clause(&c.id).unwrap().due_on, Some(date("2021-12-21")));
    s.update_agreement(&a.id, AgreementPatch { calendar: Some(Calendar::Gregorian), ..Default::default() }).unwrap();
    assert_eq!(s.clause(&c.id).unwrap().due_on, Some(date("2021-12-22")));
    s.update_agreement(&a.id, AgreementPatch { signed_on: Some(Some(date("2022-01-31"))), ..Default::default() })
        .unwrap();
    assert_eq!(s.clause(&c.id).unwrap().due_on, Some(date("2022-04-30")));
}

#[test]
fn parents_roll_up_their_children() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let p = s.create_clause(NewClause::new(&a.id, "3", "Article 3"), today()).unwrap().clause;
    for (number, status, percent) in [
        ("3.1", ClauseStatus::Completed, None),
        ("3.2", ClauseStatus::InProgress, Some(50)),
        ("3.3", ClauseStatus::Cancelled, None),
    ] {
        let mut n = NewClause::new(&a.id, number, "Action");
        n.parent_id = Some(p.id.clone());
        n.status = status;
        n.percent = percent;
        s.create_clause(n, today()).unwrap();
    }
    let rows = s.clause_rows(&a.id, common::today()).unwrap();
    assert_eq!(
        rows.iter().map(|r| (r.clause.number.as_str(), r.depth)).collect::<Vec<_>>(),
        [("3", 0), ("3.1", 1), ("3.2", 1), ("3.3", 1)]
    );
    let roll = rows[0].rollup.unwrap();
    assert_eq!((roll.children, roll.counts.completed, roll.counts.cancelled), (3, 1, 1));
    assert_eq!(roll.percent, Some(75), "(100 + 50) / 2; the cancelled action does not count");
}

#[test]
fn delete_is_soft_and_undo_brings_back_exactly_what_went() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let p = s.create_clause(NewClause::new(&a.id, "1", "Article"), today()).unwrap().clause;
    let mut n = NewClause::new(&a.id, "1.1", "Action");
    n.parent_id = Some(p.id.clone());
    let child = s.create_clause(n, today()).unwrap().clause;
    let other = s.create_clause(NewClause::new(&a.id, "2", "Other"), today()).unwrap().clause;
    let earlier = s.delete_clause(&other.id).unwrap();
    let d = s.delete_clause(&p.id).unwrap();
    assert_eq!(s.clause_rows(&a.id, common::today()).unwrap().len(), 0);
    assert_eq!(s.clause(&child.id).unwrap_err().code(), "not_found");
    assert_eq!(s.restore(&d).unwrap(), "clause");
    let numbers: Vec<String> =
        s.clause_rows(&a.id, common::today()).unwrap().into_iter().map(|r| r.clause.number).collect();
    assert_eq!(numbers, ["1", "1.1"], "clause 2 went in another deletion and stays deleted");
    assert_eq!(s.restore(&d).unwrap_err().code(), "nothing_to_restore");
    s.restore(&earlier).unwrap();
    // A partner in use cannot go; an agreement can, and comes back.
    assert_eq!(s.delete_partner(&tj.id).unwrap_err().code(), "partner_in_use");
    let da = s.delete_agreement(&a.id).unwrap();
    assert!(s.agreements(None).unwrap().is_empty());
    s.delete_partner(&tj.id).unwrap();
    assert!(s.partners().unwrap().is_empty());
    s.restore(&da).unwrap();
    assert_eq!(s.agreements(None).unwrap().len(), 1);
}

#[test]
fn dashboard_counts_each_partner_and_everything_once() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let uz = partner(&mut s, "Uzbekistan");
    let joint = agreement(&mut s, &[&tj, &uz], Some("2024-01-01"), Calendar::Gregorian);
    let solo = agreement(&mut s, &[&tj], Some("2024-01-01"), Calendar::Gregorian);
    let today = date("2026-11-22");
    for (agreement, number, due, status) in [
        (&joint, "1", "2026-01-01", ClauseStatus::InProgress), // overdue
        (&joint, "2", "2026-12-01", ClauseStatus::NotStarted), // due soon
        (&joint, "3", "2026-01-01", ClauseStatus::Completed),  // closed
        (&solo, "1", "2026-11-21", ClauseStatus::OnHold),      // overdue
        (&solo, "2", "2027-06-01", ClauseStatus::InProgress),  // later
    ] {
        let mut n = NewClause::new(&agreement.id, number, "Work");
        n.deadline = Deadline::On { date: date(due) };
        n.status = status;
        s.create_clause(n, today).unwrap();
    }
    let d = s.dashboard(today).unwrap();
    assert_eq!((d.overall.counts.total(), d.overall.overdue, d.overall.due_soon), (5, 2, 1));
    let card = |name: &str| d.partners.iter().find(|c| c.partner.name == name).unwrap().clone();
    let (t, u) = (card("Tajikistan"), card("Uzbekistan"));
    assert_eq!((t.agreements, t.figures.counts.total(), t.figures.overdue, t.figures.due_soon), (2, 5, 2, 1));
    assert_eq!((u.agreements, u.figures.counts.total(), u.figures.overdue, u.figures.due_soon), (1, 3, 1, 1));
    let pd = s.partner_dashboard(&uz.id, today).unwrap();
    assert_eq!(pd.figures, u.figures, "the partner page agrees with its card");
    let overdue = s.overdue(today, None, 100).unwrap();
    assert_eq!(overdue.iter().map(|o| o.days_overdue).collect::<Vec<_>>(), [325, 1]);
    assert_eq!(s.overdue(today, Some(&uz.id), 100).unwrap().len(), 1);
    // Uzbekistan leaves the joint agreement: its figures go with it.
    s.update_agreement(
        &joint.id,
        clausebook_core::model::AgreementPatch { parties: Some(vec![tj.id.clone()]), ..Default::default() },
    )
    .unwrap();
    let d = s.dashboard(today).unwrap();
    let u = d.partners.iter().find(|c| c.partner.name == "Uzbekistan").unwrap();
    assert_eq!((u.agreements, u.figures.counts.total(), u.figures.overdue), (0, 0, 0));
    assert_eq!(d.overall.counts.total(), 5);
}

#[test]
fn search_finds_persian_spelling_variants_and_every_script() {
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Persian);
    let texts = [
        ("1", "تهیه كتاب آموزشی برای مربیان"),        // Arabic kaf
        ("2", "برگزاری نمایشگاه محصولات در سال ۱۴۰۲"), // Persian digits
        ("3", "آموزش مهارت‌های فنی و حرفه‌ای"),         // ZWNJ
        ("4", "همكاري با دفتر منطقه‌اي"),              // Arabic kaf and yeh
        ("5", "تَوانمندسازی زنان سرپرست خانوار"),      // a fatha
        ("6", "تقویـــت مراکز مثبت زندگی"),           // tatweel
        ("7", "Вазорати тандурустӣ ва ҳифзи иҷтимоӣ"),
        ("8", "Sogʻliqni saqlash vazirligi bilan hamkorlik"),
        ("9", "Standard operating procedures on border health"),
        ("10", "گزارش سال ١٤٠٣"), // Arabic-Indic digits
        ("11", "O'zbekiston Respublikasi bilan kelishuv"),
    ];
    for (number, text) in texts {
        s.create_clause(NewClause::new(&a.id, number, text), today()).unwrap();
    }
    fn found_in(s: &Store, q: &str) -> Vec<String> {
        s.search(q, 20).unwrap().into_iter().filter_map(|h| h.clause_number).collect()
    }
    let found = |q: &str| found_in(&s, q);
    for (query, number) in [
        ("کتاب", "1"),
        ("کِتاب", "1"),
        ("1402", "2"),
        ("۱۴۰۲", "2"),
        ("مهارت", "3"),
        ("همکاری", "4"),
        ("منطقه‌ای", "4"),
        ("توانمندسازی", "5"),
        ("تقویت", "6"),
        ("тандурустӣ", "7"),
        ("ТАНДУРУСТӢ", "7"),
        ("sogʻliqni", "8"),
        ("border heal", "9"),
        ("1403", "10"),
        ("۱۴۰۳", "10"),
        ("o'zbekiston", "11"),
        ("O'zbek", "11"),
    ] {
        assert_eq!(found(query), [number], "query {query}");
    }
    // Query syntax typed by a user is only text.
    assert!(found("\"border\" OR NEAR(health)").is_empty());
    assert!(s.search("*", 10).unwrap().is_empty());
    // A word the tokenizer cuts in odd places is still only words.
    assert!(found("bⓞrder").is_empty());
    // A deleted clause drops out of search and comes back with undo.
    let nine = s.search("border", 5).unwrap()[0].id.clone();
    let d = s.delete_clause(&nine).unwrap();
    assert!(found_in(&s, "border").is_empty());
    s.restore(&d).unwrap();
    assert_eq!(found_in(&s, "border"), ["9"]);
}

#[test]
fn a_database_file_is_configured_for_safety_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("register.sqlite3");
    {
        let mut s = Store::open(&path).unwrap();
        s.load_demo().unwrap();
        assert_eq!(s.load_demo().unwrap_err().code(), "not_empty");
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.agreements(None).unwrap().len(), 6);
    assert_eq!(s.integrity_check().unwrap(), ["ok"]);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let pragma = |p: &str| -> String {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
    // A change made outside the store is queued by the triggers and indexed,
    // normalised, by the store's next write.
    conn.execute("UPDATE clauses SET text = 'Ремонти تجهيزات' WHERE rowid = 1", []).unwrap();
    drop(s);
    let mut s = Store::open(&path).unwrap();
    assert!(s.search("تجهیزات", 5).unwrap().is_empty(), "not indexed yet");
    s.update_settings(SettingsPatch { officer_name: Some("Officer".into()), ..Default::default() }).unwrap();
    assert_eq!(s.search("تجهیزات", 5).unwrap().len(), 1, "indexed, with ي folded to ی");
    conn.execute("PRAGMA user_version = 99", []).unwrap();
    drop(conn);
    drop(s);
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "newer_schema");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "this is not a database, just some text that is long enough to matter".repeat(20)).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "not_a_register");
    assert!(err.to_string().contains("notes.txt"), "{err}");
}

#[test]
fn the_demo_tells_five_situations_in_four_scripts() {
    let mut s = Store::open_in_memory().unwrap();
    let counts = s.load_demo().unwrap();
    assert_eq!((counts.partners, counts.agreements), (7, 6));
    let titles: Vec<String> = s.agreements(None).unwrap().into_iter().map(|a| a.title).collect();
    for needle in ["Tajikistan", "Red Crescent", "برنامه عمران ملل متحد", "border management", "Uzbekistan"]
    {
        assert!(titles.iter().any(|t| t.contains(needle)), "no agreement mentions {needle}: {titles:?}");
    }
    let all_text: String = s
        .agreements(None)
        .unwrap()
        .iter()
        .flat_map(|a| s.clause_rows(&a.id, common::today()).unwrap())
        .map(|r| format!("{} {}", r.clause.text, r.clause.partner_lead.unwrap_or_default()))
        .collect();
    assert!(all_text.contains('ҳ') || all_text.contains('ӣ'), "Tajik Cyrillic");
    assert!(all_text.contains('ʻ'), "Uzbek Latin");
    assert!(all_text.contains('ی'), "Persian");
    let d = s.dashboard(date("2026-11-22")).unwrap();
    assert!(d.overall.overdue > 0 && d.overall.counts.completed > 0, "some overdue, some done");
    // Every clause's status is where its notes' story ends.
    for a in s.agreements(None).unwrap() {
        for r in s.clause_rows(&a.id, common::today()).unwrap() {
            let notes = s.notes(&r.clause.id).unwrap();
            if let Some(last) = notes.iter().rev().find_map(|n| n.status_to) {
                assert_eq!(last, r.clause.status, "clause {} of {}", r.clause.number, a.title);
            }
        }
    }
}

#[test]
fn schema_snapshot_matches() {
    let s = Store::open_in_memory().unwrap();
    let schema = s.schema_sql().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/schema.sql");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &schema).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == schema,
        "the schema changed: review it, then run `UPDATE_SNAPSHOTS=1 cargo test -p clausebook-core --test store schema` and commit tests/snapshots/schema.sql"
    );
}

#[test]
fn errors_have_stable_codes() {
    let e = StoreError::NotFound { entity: "clause", id: "x".into() };
    assert_eq!(e.code(), "not_found");
    assert_eq!(StoreError::Busy.code(), "busy");
}

#[test]
fn an_import_writes_agreements_with_clause_trees_in_one_transaction() {
    use clausebook_core::model::NewAgreement;
    use clausebook_core::store::import::{Import, ImportAgreement, ImportClause};
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let uz = partner(&mut s, "Uzbekistan");
    let clause = |number: &str, text: &str| NewClause::new("", number, text);
    let tree = |number: &str, children: &[&str]| ImportClause {
        clause: clause(number, &format!("Article {number}")),
        notes: Vec::new(),
        children: children.iter().map(|c| ImportClause::leaf(clause(c, &format!("Action {c}")))).collect(),
    };
    let mut first = NewAgreement::draft("Rehabilitation action plan", vec![tj.id.clone()]);
    first.signed_on = Some(date("2025-04-27"));
    let second = NewAgreement::draft("Health cooperation", vec![uz.id.clone(), tj.id.clone()]);
    let imported = s
        .import(Import {
            partners: Vec::new(),
            agreements: vec![
                ImportAgreement::new(first, vec![tree("1", &["1.1", "1.2"]), tree("2", &[])]),
                ImportAgreement::new(second, vec![tree("1", &["1.1"])]),
            ],
        })
        .unwrap();
    assert_eq!((imported.agreements.len(), imported.clauses.len()), (2, 6));

    // The trees stand as given: parents, positions and depth.
    let rows = s.clause_rows(&imported.agreements[0].id, common::today()).unwrap();
    let shape: Vec<(&str, u32, i32)> =
        rows.iter().map(|r| (r.clause.number.as_str(), r.depth, r.clause.position)).collect();
    assert_eq!(shape, [("1", 0, 1), ("1.1", 1, 1), ("1.2", 1, 2), ("2", 0, 2)]);
    assert_eq!(rows[1].clause.parent_id.as_deref(), Some(rows[0].clause.id.as_str()));
    assert_eq!(rows[0].rollup.unwrap().children, 2);
    assert_eq!(s.partner_dashboard(&tj.id, common::today()).unwrap().figures.counts.total(), 6);

    // Each agreement: its creation, then one import row counting its clauses;
    // each clause's history begins with its agreement's import row.
    for (a, n) in imported.agreements.iter().zip(["4", "2"]) {
        let h = s.history(&a.id).unwrap();
        assert_eq!(h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["create", "import"]);
        assert_eq!(h[1].changes[0].new.as_deref(), Some(n));
        let clause = &s.clause_rows(&a.id, common::today()).unwrap()[1].clause;
        assert_eq!(s.history(&clause.id).unwrap()[0].id, h[1].id);
    }
    // Search finds imported text.
    assert!(!s.search("Action 1.2", 10).unwrap().is_empty());
}

#[test]
fn a_bad_import_names_the_agreement_and_clause_to_fix_and_writes_nothing() {
    use clausebook_core::model::NewAgreement;
    use clausebook_core::store::import::{Import, ImportAgreement, ImportClause, ImportTarget};
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let before = footprint(&s);
    let import = |agreements: Vec<ImportAgreement>| Import { partners: Vec::new(), agreements };
    let draft = |title: &str| NewAgreement::draft(title, vec![tj.id.clone()]);
    let good = || {
        ImportAgreement::new(
            draft("Exchange of experts"),
            vec![ImportClause::leaf(NewClause::new("", "1", "Two visits a year"))],
        )
    };
    let mut bad = good();
    bad.target = ImportTarget::New(draft("Training"));
    bad.clauses.push(ImportClause {
        clause: NewClause::new("", "3", "Workshops"),
        notes: Vec::new(),
        children: vec![
            ImportClause::leaf(NewClause::new("", "3.1", "In Dushanbe")),
            ImportClause::leaf(NewClause::new("", "3.2", " ")),
        ],
    });
    let e = s.import(import(vec![good(), bad.clone()])).unwrap_err();
    assert_eq!(e.code(), "empty_field");
    assert_eq!((e.agreement, e.clause.as_deref()), (Some(2), Some("3 › 3.2")));
    assert!(e.to_string().starts_with("agreement 2 (Training), clause 3 › 3.2: "), "{e}");
    assert_eq!(footprint(&s), before, "nothing of the import is written");

    // Two sibling clauses with one number.
    bad.clauses[1].children[1].clause.text = "In Tashkent".into();
    bad.clauses[1].children[1].clause.number = "3.1".into();
    let e = s.import(import(vec![bad.clone()])).unwrap_err();
    assert_eq!((e.code(), e.clause.as_deref()), ("duplicate_number", Some("3 › 3.1")));
    // A fault of the agreement itself names no clause.
    let mut nobody = draft("Training");
    nobody.parties = vec!["no-such-partner".into()];
    bad.target = ImportTarget::New(nobody);
    let e = s.import(import(vec![bad])).unwrap_err();
    assert_eq!((e.code(), e.agreement, e.clause), ("not_found", Some(1), None));
    assert_eq!(footprint(&s), before);

    // An empty import writes and records nothing.
    assert!(s.import(import(Vec::new())).unwrap().agreements.is_empty());
    assert_eq!(footprint(&s), before);
}

#[test]
fn an_import_adds_partners_notes_and_clauses_under_existing_ones() {
    use clausebook_core::model::NewPartner;
    use clausebook_core::store::import::{Import, ImportAgreement, ImportClause, ImportNote, ImportTarget};
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], Some("2025-04-27"), Calendar::Persian);
    let top = s.create_clause(NewClause::new(&a.id, "1", "Article 1"), today()).unwrap().clause;

    // Into the existing agreement: a sub-clause under its clause 1, with a
    // note that completes it; and a new agreement with a new partner.
    let mut under = NewClause::new("", "1.1", "Exchange visit");
    under.parent_id = Some(top.id.clone());
    let note = ImportNote {
        on_date: date("2025-06-01"),
        author: None,
        text: "Held in Dushanbe".into(),
        status_to: Some(ClauseStatus::Completed),
    };
    let mut new = clausebook_core::model::NewAgreement::draft("IOM project", vec![tj.id.clone()]);
    new.signed_on = Some(date("2025-01-01"));
    let done = s
        .import(Import {
            partners: vec![NewPartner { name: "IOM".into(), ..Default::default() }],
            agreements: vec![
                ImportAgreement {
                    target: ImportTarget::Existing(a.id.clone()),
                    new_parties: Vec::new(),
                    clauses: vec![ImportClause { clause: under, notes: vec![note], children: Vec::new() }],
                    updates: Vec::new(),
                },
                ImportAgreement {
                    target: ImportTarget::New(new),
                    new_parties: vec![0],
                    clauses: vec![ImportClause::leaf(NewClause::new("", "1", "Survey"))],
                    updates: Vec::new(),
                },
            ],
        })
        .unwrap();
    assert_eq!((done.partners.len(), done.clauses.len(), done.notes), (1, 2, 1));
    let rows = s.clause_rows(&a.id, today()).unwrap();
    assert_eq!(rows.iter().map(|r| (r.clause.number.as_str(), r.depth)).collect::<Vec<_>>(), [("1", 0), ("1.1", 1)]);
    assert_eq!(rows[1].clause.status, ClauseStatus::Completed, "the note moved the status");
    let iom = &done.agreements[1];
    assert_eq!(iom.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Tajikistan", "IOM"]);
    // The existing agreement gets an import row, not a second creation.
    let h = s.history(&a.id).unwrap();
    let own: Vec<&str> = h.iter().filter(|e| e.entity == "agreement").map(|e| e.action.as_str()).collect();
    assert_eq!(own, ["create", "import"]);
    // The imported clause's history is that one row, counting its clauses
    // and its notes: the note has no audit row of its own, and its status
    // change is part of the clause as imported.
    let h = s.history(&rows[1].clause.id).unwrap();
    let counted = |e: &clausebook_core::model::AuditEntry| -> Vec<(String, Option<String>)> {
        e.changes.iter().map(|c| (c.field.clone(), c.new.clone())).collect()
    };
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!((h[0].entity.as_str(), h[0].action.as_str()), ("agreement", "import"));
    assert_eq!(
        counted(&h[0]),
        [("clauses".to_owned(), Some("1".to_owned())), ("notes".to_owned(), Some("1".to_owned()))]
    );
    assert_eq!(s.notes(&rows[1].clause.id).unwrap().len(), 1);
}

#[test]
fn a_move_is_said_as_meant_and_answers_with_what_changed() {
    use clausebook_core::model::ClauseMove;
    // 1 (1.1, 1.2 (1.2.1)), 2, 3
    let mut s = Store::open_in_memory().unwrap();
    let tj = partner(&mut s, "Tajikistan");
    let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
    let mut ids: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (number, parent) in
        [("1", None), ("1.1", Some("1")), ("1.2", Some("1")), ("1.2.1", Some("1.2")), ("2", None), ("3", None)]
    {
        let mut n = NewClause::new(&a.id, number, format!("Clause {number}"));
        n.parent_id = parent.map(|p: &str| ids[p].clone());
        let change = s.create_clause(n, today()).unwrap();
        assert!(change.order.as_ref().is_some_and(|o| o.contains(&change.clause.id)), "a creation gives the order");
        ids.insert(number, change.clause.id);
    }
    let shape = |s: &Store| -> Vec<(String, u32)> {
        s.clause_rows(&a.id, today()).unwrap().iter().map(|r| (r.clause.number.clone(), r.depth)).collect()
    };
    let moves = |s: &Store, number: &str| {
        let m = s.clause_rows(&a.id, today()).unwrap().into_iter().find(|r| r.clause.number == number).unwrap().moves;
        (m.up, m.down, m.indent, m.outdent)
    };
    assert_eq!(moves(&s, "1"), (false, true, false, false));
    assert_eq!(moves(&s, "1.2"), (true, false, true, true));
    assert_eq!(moves(&s, "3"), (true, false, true, false));

    // Up from the top writes nothing.
    let before = s.recent_changes(u32::MAX).unwrap().len();
    s.move_clause(&ids["1"], ClauseMove::Up, today()).unwrap();
    assert_eq!(s.recent_changes(u32::MAX).unwrap().len(), before, "a move that changes nothing is not recorded");

    // Down, then indent under the one above, then outdent back.
    let change = s.move_clause(&ids["1"], ClauseMove::Down, today()).unwrap();
    let order: Vec<String> = change.order.clone().unwrap();
    let rows = s.clause_rows(&a.id, today()).unwrap();
    assert_eq!(order, rows.iter().map(|r| r.clause.id.clone()).collect::<Vec<_>>(), "the order is the table's");
    assert_eq!(rows[0].clause.number, "2");
    for r in &change.rows {
        assert_eq!(Some(r), rows.iter().find(|x| x.clause.id == r.clause.id), "a changed row is as the table shows it");
    }
    s.move_clause(&ids["2"], ClauseMove::Down, today()).unwrap();
    let n = |v: &[(&str, u32)]| v.iter().map(|(a, b)| (a.to_string(), *b)).collect::<Vec<_>>();
    assert_eq!(shape(&s), n(&[("1", 0), ("1.1", 1), ("1.2", 1), ("1.2.1", 2), ("2", 0), ("3", 0)]));
    let change = s.move_clause(&ids["2"], ClauseMove::Indent, today()).unwrap();
    assert_eq!(change.clause.parent_id.as_deref(), Some(ids["1"].as_str()), "last under the sibling above");
    assert!(change.rows.iter().any(|r| r.clause.id == ids["1"] && r.rollup.is_some_and(|u| u.children == 3)));
    assert_eq!(shape(&s), n(&[("1", 0), ("1.1", 1), ("1.2", 1), ("1.2.1", 2), ("2", 1), ("3", 0)]));
    let change = s.move_clause(&ids["1.2.1"], ClauseMove::Outdent, today()).unwrap();
    assert_eq!(change.clause.parent_id.as_deref(), Some(ids["1"].as_str()), "right after its former parent");
    assert!(
        change.rows.iter().any(|r| r.clause.id == ids["1.2"] && r.rollup.is_none()),
        "the former parent has no children left"
    );
    assert_eq!(shape(&s), n(&[("1", 0), ("1.1", 1), ("1.2", 1), ("1.2.1", 1), ("2", 1), ("3", 0)]));
    s.move_clause(&ids["2"], ClauseMove::Outdent, today()).unwrap();
    assert_eq!(shape(&s), n(&[("1", 0), ("1.1", 1), ("1.2", 1), ("1.2.1", 1), ("2", 0), ("3", 0)]));
    // Under a chosen parent, first.
    s.move_clause(&ids["3"], ClauseMove::Under { parent: Some(ids["1.2"].clone()), index: Some(0) }, today()).unwrap();
    assert_eq!(shape(&s), n(&[("1", 0), ("1.1", 1), ("1.2", 1), ("3", 2), ("1.2.1", 1), ("2", 0)]));

    // An update answers with the clause and its line of parents (roll-ups).
    let change = s
        .update_clause(&ids["3"], ClausePatch { status: Some(ClauseStatus::Completed), ..Default::default() }, today())
        .unwrap();
    assert!(change.order.is_none(), "an update keeps the order");
    let changed: Vec<&str> = change.rows.iter().map(|r| r.clause.number.as_str()).collect();
    for number in ["3", "1.2", "1"] {
        assert!(changed.contains(&number), "{number} is among the changed rows {changed:?}");
    }
    assert!(!changed.contains(&"2"), "an unrelated row is not sent again: {changed:?}");
}

/// A value the code does not know in a stored row is an error that names the
/// table, the row and the column: never read as a default.
#[test]
fn a_stored_value_nobody_knows_is_an_error_naming_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.sqlite3");
    let (partner_id, agreement_id, clause_id) = {
        let mut s = Store::open(&path).unwrap();
        let tj = partner(&mut s, "Tajikistan");
        let a = agreement(&mut s, &[&tj], None, Calendar::Gregorian);
        let c = s.create_clause(NewClause::new(&a.id, "1", "Workshop"), today()).unwrap().clause;
        s.add_note(
            NewNote {
                clause_id: c.id.clone(),
                on_date: date("2026-11-01"),
                author: None,
                text: "Met".into(),
                status_to: Some(ClauseStatus::InProgress),
            },
            today(),
        )
        .unwrap();
        s.update_settings(SettingsPatch {
            ui_language: Some(clausebook_core::calendar::Lang::Fa),
            ..Default::default()
        })
        .unwrap();
        (tj.id, a.id, c.id)
    };
    // (what another program wrote, the table and column the error must name)
    let cases = [
        ("UPDATE clauses SET status = 'finished'", "clauses", "status"),
        ("UPDATE clauses SET deadline_kind = 'someday'", "clauses", "deadline_kind"),
        ("UPDATE clauses SET tags = 'training'", "clauses", "tags"),
        ("UPDATE agreements SET kind = 'treaty'", "agreements", "kind"),
        ("UPDATE agreements SET calendar = 'lunar'", "agreements", "calendar"),
        ("UPDATE agreements SET status = 'paused'", "agreements", "status"),
        ("UPDATE partners SET kind = 'city'", "partners", "kind"),
        ("UPDATE notes SET status_to = 'half_done'", "notes", "status_to"),
        ("UPDATE settings SET value = 'tg' WHERE key = 'ui_language'", "settings", "value"),
    ];
    for (sql, table, column) in cases {
        let copy = dir.path().join(format!("{table}-{column}.sqlite3"));
        std::fs::copy(&path, &copy).unwrap();
        {
            let raw = rusqlite::Connection::open(&copy).unwrap();
            raw.create_scalar_function(
                "cb_normalize",
                1,
                rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
                |c| c.get::<String>(0),
            )
            .unwrap();
            raw.execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql};")).unwrap();
        }
        let s = Store::open(&copy).unwrap();
        let read = match table {
            "clauses" => s.clause(&clause_id).map(|_| ()),
            "agreements" => s.agreement(&agreement_id).map(|_| ()),
            "partners" => s.partner(&partner_id).map(|_| ()),
            "notes" => s.notes(&clause_id).map(|_| ()),
            _ => s.settings().map(|_| ()),
        };
        let e = read.expect_err(sql);
        assert_eq!(e.code(), "damaged_row", "{sql}: {e}");
        let params: std::collections::HashMap<_, _> =
            e.params().into_iter().map(|(k, v)| (k, format!("{v:?}"))).collect();
        assert!(params["table"].contains(table), "{sql}: {params:?}");
        let id = match table {
            "clauses" => clause_id.as_str(),
            "agreements" => agreement_id.as_str(),
            "partners" => partner_id.as_str(),
            "settings" => "ui_language",
            // A note's row is the note's own id, which this test never learnt.
            _ => "",
        };
        assert!(params["id"].contains(id), "{sql}: the error names the row {id}: {params:?}");
        assert!(params["column"].contains(column), "{sql}: {params:?}");
        let message = e.to_string();
        assert!(message.contains(table) && message.contains(column), "{message}");
    }
}
