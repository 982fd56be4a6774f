//! The `clausebook` command line, run as a user would.

use std::process::{Command, Output};

fn clausebook(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-22"])
        .args(args)
        .env_remove("CLAUSEBOOK_DB")
        .output()
        .expect("run clausebook")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn loads_the_demo_and_lists_all_five_situations() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let o = clausebook(&db, &["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text(&o).contains("7 partners, 6 agreements"), "{}", text(&o));
    let list = text(&clausebook(&db, &["agreements"]));
    for needle in
        ["State Welfare Organization", "Red Crescent", "برنامه عمران ملل متحد", "border management", "Uzbekistan"]
    {
        assert!(list.contains(needle), "agreements list lacks {needle}:\n{list}");
    }
    let partners = text(&clausebook(&db, &["partners"]));
    assert!(partners.contains("Тоҷикистон") && partners.contains("Oʻzbekiston"), "{partners}");
    let dash = text(&clausebook(&db, &["dashboard"]));
    assert!(dash.contains("overdue") && dash.contains("Tajikistan"), "{dash}");
    // Loading twice is refused with a reason and exit code 2.
    let again = clausebook(&db, &["demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));
}

#[test]
fn adds_updates_notes_and_searches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let id = |o: Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        text(&o).trim().to_owned()
    };
    let p = id(clausebook(&db, &["add-partner", "Uzbekistan", "--name-local", "Oʻzbekiston", "--local-lang", "uz"]));
    let a = id(clausebook(
        &db,
        &["add-agreement", "Health MoU", "--party", &p, "--calendar", "persian", "--signed-on", "1400/06/31"],
    ));
    let c = id(clausebook(
        &db,
        &["add-clause", &a, "--number", "1", "--text", "Medical equipment exchange", "--deadline", "3 months"],
    ));
    let json = text(&clausebook(&db, &["--json", "clauses", &a]));
    assert!(json.contains("\"due_on\": \"2021-12-21\""), "3 Solar Hijri months after 1400/06/31:\n{json}");
    assert!(clausebook(&db, &["update-clause", &c, "--status", "in_progress", "--percent", "40"]).status.success());
    id(clausebook(&db, &["note", &c, "First shipment cleared customs", "--on", "2025-03-01", "--status", "completed"]));
    let found = text(&clausebook(&db, &["search", "shipment"]));
    assert!(found.contains("Health MoU") && found.contains("clause 1"), "{found}");
    let history = text(&clausebook(&db, &["history", &c]));
    assert!(history.contains("status: not_started → in_progress"), "{history}");
    assert!(history.contains("status: in_progress → completed"), "{history}");
}

#[test]
fn bad_input_gets_a_clear_error_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let o = clausebook(&db, &["add-clause", "0190-no-such", "--number", "1", "--text", "x"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no agreement with id 0190-no-such"));
    let o = clausebook(&db, &["date", "1404/12/30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Esfand 1404 has 29 days (1404 is not a leap year)"));
    let o = clausebook(&db, &["--json", "add-partner", "  "]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("\"code\":\"empty_field\""), "{}", text(&o));
}

#[test]
fn date_prints_both_calendars() {
    let dir = tempfile::tempdir().unwrap();
    let o = clausebook(&dir.path().join("unused.sqlite3"), &["date", "۱۴۰۴/۰۳/۱۵"]);
    let out = text(&o);
    assert!(out.contains("2025-06-05") && out.contains("1404/03/15") && out.contains("۱۵ خرداد ۱۴۰۴"), "{out}");
    assert!(!dir.path().join("unused.sqlite3").exists(), "converting a date touches no database");
}

#[test]
fn help_explains_itself() {
    let o = Command::new(env!("CARGO_BIN_EXE_clausebook")).arg("--help").output().unwrap();
    let out = text(&o);
    assert!(
        out.contains("Follow every clause") && out.contains("clausebook demo") && out.contains("add-clause"),
        "{out}"
    );
}
