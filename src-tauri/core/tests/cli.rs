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

fn errors(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The id a successful command printed.
fn id(o: Output) -> String {
    assert!(o.status.success(), "{}", errors(&o));
    text(&o).trim().to_owned()
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
    // Unless the script says an existing register is fine.
    let again = clausebook(&db, &["demo", "--if-empty"]);
    assert!(again.status.success(), "{}", errors(&again));
    assert!(text(&again).contains("demo not loaded"), "{}", text(&again));
}

#[test]
fn output_into_a_reader_that_stops_early_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    // A plan of 2,000 clauses: far more output than a pipe holds (64 KiB),
    // so the program is still writing when its reader goes.
    let plan = dir.path().join("plan.csv");
    let mut csv = String::from("No.,Activity,Deadline\n");
    for i in 1..=2000 {
        csv += &format!("{i},Exchange of rehabilitation experts and a joint report on visit {i},2027-01-15\n");
    }
    std::fs::write(&plan, csv).unwrap();
    let partner = id(clausebook(&db, &["add-partner", "Tajikistan"]));
    let done = clausebook(&db, &["--json", "import", plan.to_str().unwrap(), "--partner", &partner, "--title", "Plan"]);
    assert!(done.status.success(), "{}", errors(&done));
    let done: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    let agreement = done["agreement_id"].as_str().unwrap();
    // As `clausebook clauses … | head -1`: the reader takes a line and goes.
    for args in [&["--json", "clauses", agreement][..], &["clauses", agreement]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clausebook"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("CLAUSEBOOK_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", errors(&out));
        assert!(errors(&out).is_empty(), "{args:?}: {}", errors(&out));
    }
}

#[test]
fn adds_updates_notes_and_searches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
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

#[test]
fn moves_clauses_as_its_own_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let p = id(clausebook(&db, &["add-partner", "IOM", "--kind", "organisation"]));
    let a = id(clausebook(&db, &["add-agreement", "Border plan", "--party", &p, "--kind", "action_plan"]));
    let one = id(clausebook(&db, &["add-clause", &a, "--number", "1", "--text", "Training"]));
    let two = id(clausebook(&db, &["add-clause", &a, "--number", "2", "--text", "Equipment"]));
    // Where a clause stands in the table: its row and its depth.
    let place_of = |clause: &str| {
        let rows: serde_json::Value =
            serde_json::from_str(&text(&clausebook(&db, &["--json", "clauses", &a]))).expect("clause rows as JSON");
        let rows = rows.as_array().expect("a list of rows");
        let at = rows.iter().position(|r| r["clause"]["id"] == clause).expect("the clause is listed");
        (at, rows[at]["depth"].as_u64().expect("a depth"))
    };
    // Under another clause, then back to the top, then one step up.
    let moved = clausebook(&db, &["--json", "move-clause", &two, "--under", &one]);
    assert!(moved.status.success(), "{}", errors(&moved));
    let clause: serde_json::Value = serde_json::from_str(&text(&moved)).expect("the moved clause as JSON");
    assert_eq!(clause["parent_id"], one.as_str(), "{clause}");
    assert_eq!(place_of(&two), (1, 1));
    assert!(clausebook(&db, &["move-clause", &two, "--top"]).status.success());
    assert_eq!(place_of(&two), (1, 0));
    let up = clausebook(&db, &["move-clause", &two, "--up"]);
    assert!(text(&up).contains("moved clause 2"), "{}", text(&up));
    assert_eq!(place_of(&two), (0, 0));
    // One destination at a time, and an index only where a parent is named.
    assert_eq!(clausebook(&db, &["move-clause", &two]).status.code(), Some(2));
    assert_eq!(clausebook(&db, &["move-clause", &two, "--up", "--down"]).status.code(), Some(2));
    assert_eq!(clausebook(&db, &["move-clause", &two, "--up", "--index", "0"]).status.code(), Some(2));
    assert!(clausebook(&db, &["move-clause", &two, "--top", "--index", "1"]).status.success());
    assert_eq!(place_of(&two), (1, 0));
    // Moving is no longer a field of update-clause.
    let o = clausebook(&db, &["update-clause", &two, "--status", "in_progress", "--parent", &one]);
    assert_eq!(o.status.code(), Some(2));
    assert!(errors(&o).contains("--parent"), "{}", errors(&o));
    let table = text(&clausebook(&db, &["clauses", &a]));
    assert!(!table.contains("in_progress"), "a refused command changes nothing:\n{table}");
}

#[test]
fn closed_sets_are_the_core_codes_with_their_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let p = id(clausebook(&db, &["add-partner", "Tajikistan"]));
    // `jalali` names the Solar Hijri calendar too.
    let a = id(clausebook(&db, &["add-agreement", "Plan", "--party", &p, "--calendar", "jalali"]));
    let json = text(&clausebook(&db, &["--json", "agreements"]));
    assert!(json.contains("\"calendar\": \"persian\""), "{json}");
    // A code that is not in the set is refused before anything is opened,
    // with the codes to choose from.
    let o = clausebook(&db, &["add-clause", &a, "--number", "1", "--text", "x", "--status", "done"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(errors(&o).contains("in_progress") && errors(&o).contains("not_started"), "{}", errors(&o));
    let o = clausebook(&db, &["settings", "--language", "de"]);
    assert_eq!(o.status.code(), Some(2));
    let settings = text(&clausebook(&db, &["settings", "--language", "fa", "--dates", "solar_hijri"]));
    assert!(settings.contains("language:     fa") && settings.contains("dates:        persian"), "{settings}");
    // The help lists each code with its English label.
    let help = text(&clausebook(&db, &["add-clause", "--help"]));
    assert!(help.contains("in_progress") && help.contains("In progress"), "{help}");
}

#[test]
fn today_comes_from_the_flag_or_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    assert!(clausebook(&db, &["init"]).status.success());
    let dashboard = |today: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_clausebook"))
            .arg("--db")
            .arg(&db)
            .arg("dashboard")
            .env("CLAUSEBOOK_TODAY", today)
            .output()
            .expect("run clausebook");
        assert!(o.status.success(), "{}", errors(&o));
        text(&o)
    };
    assert!(dashboard("2030-01-15").contains("All partners on 2030-01-15"));
    assert!(text(&clausebook(&db, &["dashboard"])).contains("All partners on 2026-11-22"));
    // A note cannot be dated after today.
    let p = id(clausebook(&db, &["add-partner", "UNDP", "--kind", "organization"]));
    let a = id(clausebook(&db, &["add-agreement", "Project", "--party", &p]));
    let c = id(clausebook(&db, &["add-clause", &a, "--number", "1", "--text", "Survey"]));
    let o = clausebook(&db, &["--json", "note", &c, "Done early", "--on", "2026-11-23"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("\"code\":\"note_in_future\""), "{}", text(&o));
    let note: serde_json::Value =
        serde_json::from_str(&text(&clausebook(&db, &["--json", "note", &c, "Started"]))).expect("the note as JSON");
    assert_eq!(note["on_date"], "2026-11-22", "{note}");
}

#[test]
fn deletes_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let p = id(clausebook(&db, &["add-partner", "Uzbekistan"]));
    let a = id(clausebook(&db, &["add-agreement", "MoU", "--party", &p]));
    let c = id(clausebook(&db, &["add-clause", &a, "--number", "1", "--text", "Exchange"]));
    let o = clausebook(&db, &["--json", "delete", "clause", &c]);
    assert!(o.status.success(), "{}", errors(&o));
    let deletion: serde_json::Value = serde_json::from_str(&text(&o)).expect("the deletion as JSON");
    let deletion = deletion["deletion_id"].as_str().expect("a deletion id").to_owned();
    assert!(text(&clausebook(&db, &["clauses", &a])).contains("no clauses yet"));
    let restored = text(&clausebook(&db, &["restore", &deletion]));
    assert!(restored.contains("restored the clause"), "{restored}");
    assert_eq!(clausebook(&db, &["restore", &deletion]).status.code(), Some(3));
    assert_eq!(clausebook(&db, &["delete", "treaty", &c]).status.code(), Some(2));
}

#[test]
fn imports_a_plan_with_a_dry_run_a_mapping_and_an_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    let partner = id(clausebook(&db, &["add-partner", "Tajikistan"]));
    let plan = dir.path().join("plan.csv");
    std::fs::write(
        &plan,
        "Owner,Item,What,When\nLabour ministry,1,Joint working group,within 3 months of signing\n,1.1,Terms of reference,soon\n",
    )
    .unwrap();
    let base =
        ["import", plan.to_str().unwrap(), "--partner", &partner, "--title", "Labour plan", "--signed", "2026-01-10"];
    let maps = ["--map", "number=Item", "--map", "text=C", "--map", "deadline=When", "--map", "our_lead=A"];
    // The dry run lists every row with its problems and writes nothing.
    let dry = clausebook(&db, &[&base[..], &maps[..], &["--dry-run"]].concat());
    assert!(dry.status.success(), "{}", errors(&dry));
    let out = text(&dry);
    assert!(out.contains("1 › 1.1") && out.contains("\"soon\" is not a date"), "{out}");
    assert!(!text(&clausebook(&db, &["agreements"])).contains("Labour plan"));
    // Without leave to drop the unreadable value: refused, exit code 2.
    let refused = clausebook(&db, &[&base[..], &maps[..]].concat());
    assert_eq!(refused.status.code(), Some(2));
    assert!(errors(&refused).contains("cannot be read"), "{}", errors(&refused));
    // With it, imported; --json says what was written and how to undo it.
    let done = clausebook(&db, &[&["--json"][..], &base[..], &maps[..], &["--drop-unreadable"]].concat());
    assert!(done.status.success(), "{}", errors(&done));
    let done: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!((done["created"].as_u64(), done["dropped"].as_u64()), (Some(2), Some(1)));
    let listed = text(&clausebook(&db, &["clauses", done["agreement_id"].as_str().unwrap()]));
    assert!(listed.contains("Joint working group") && listed.contains("Labour ministry"), "{listed}");
    let undone = clausebook(&db, &["undo-import", done["import_id"].as_str().unwrap()]);
    assert!(undone.status.success(), "{}", errors(&undone));
    assert!(!text(&clausebook(&db, &["agreements"])).contains("Labour plan"));
    // A column that is not there is named.
    let bad = clausebook(&db, &[&base[..], &["--map", "text=Owner body"]].concat());
    assert_eq!(bad.status.code(), Some(2));
    assert!(errors(&bad).contains("no column is headed \"Owner body\""), "{}", errors(&bad));
}

#[test]
fn sets_a_clause_s_own_reminder_lead_time_and_refuses_one_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    assert!(clausebook(&db, &["demo"]).status.success());
    let list = clausebook(&db, &["--json", "reminders"]);
    let reminders: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let clause = reminders[0]["clause_id"].as_str().unwrap().to_owned();

    let shown = clausebook(&db, &["remind", &clause]);
    assert_eq!(text(&shown).trim(), "reminded 30, 7, 1 days before the deadline (the default)");
    let set = clausebook(&db, &["remind", &clause, "--days", "60"]);
    assert!(set.status.success(), "{}", errors(&set));
    assert_eq!(text(&set).trim(), "reminded 60, 30, 7, 1 days before the deadline (its own)");
    let json: serde_json::Value =
        serde_json::from_slice(&clausebook(&db, &["--json", "remind", &clause]).stdout).unwrap();
    assert_eq!(json["own"], 60);

    let bad = clausebook(&db, &["remind", &clause, "--days", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(errors(&bad).contains("between 1 and 365 days before the deadline, not 0"), "{}", errors(&bad));
    let word = clausebook(&db, &["remind", &clause, "--days", "soon"]);
    assert!(!word.status.success());
    assert!(errors(&word).contains("say a number of days, or default"), "{}", errors(&word));
    let back = clausebook(&db, &["remind", &clause, "--days", "default"]);
    assert_eq!(text(&back).trim(), "reminded 30, 7, 1 days before the deadline (the default)");

    let tray = clausebook(&db, &["settings", "--tray", "on"]);
    assert!(text(&tray).contains("tray:         on"), "{}", text(&tray));
}

#[test]
fn plans_a_meeting_takes_the_suggested_agenda_and_applies_its_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cb.sqlite3");
    assert!(clausebook(&db, &["demo"]).status.success());
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let o = clausebook(&db, &all);
        assert!(o.status.success(), "{:?}: {}", args, errors(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let partners = json(&["partners"]);
    let tj = partners.as_array().unwrap().iter().find(|p| p["name"] == "Tajikistan").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agreements = json(&["agreements"]);
    let plan = agreements
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Action Plan"))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let m = id(clausebook(
        &db,
        &[
            "meeting",
            "add",
            "--title",
            "Joint commission",
            "--kind",
            "joint_commission",
            "--date",
            "1405/09/01",
            "--calendar",
            "persian",
            "--partner",
            &tj,
            "--agreement",
            &plan,
            "--theirs",
            "Гулнора Раҳимова|Deputy Minister",
        ],
    ));
    let suggested = json(&["meeting", "suggest", &m]);
    assert!(!suggested.as_array().unwrap().is_empty(), "the demo plan has overdue clauses");
    let shown = json(&["meeting", "agenda", &m, "--suggested", "--text", "Next session"]);
    let agenda = shown["agenda"].as_array().unwrap();
    assert_eq!(agenda.len(), suggested.as_array().unwrap().len() + 1);
    let item = agenda[0]["id"].as_str().unwrap();
    let clause = agenda[0]["clause"]["id"].as_str().unwrap().to_owned();
    id(clausebook(
        &db,
        &["meeting", "outcome", item, "--kind", "clause_update", "--status", "on_hold", "--text", "Postponed"],
    ));
    let refused = clausebook(&db, &["meeting", "apply", &m]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(errors(&refused).contains("mark it as held first"), "{}", errors(&refused));
    assert!(clausebook(&db, &["meeting", "status", &m, "held"]).status.success());
    let applied = json(&["meeting", "apply", &m]);
    assert_eq!((applied["updated"].as_u64(), applied["notes"].as_u64()), (Some(1), Some(1)));
    let after = json(&["meeting", "apply", &m]);
    assert_eq!(after["updated"].as_u64(), Some(0), "applying twice changes nothing");
    let history = text(&clausebook(&db, &["history", &clause]));
    assert!(history.contains("meeting: ∅ → Joint commission"), "{history}");
    assert!(text(&clausebook(&db, &["meetings"])).contains("held      Joint commission — Tajikistan"));

    // A file attached to the meeting, listed, written back; the minutes in both languages.
    let scan = dir.path().join("signed minutes.pdf");
    std::fs::write(&scan, b"%PDF-1.4 the signed minutes").unwrap();
    let attached = json(&["attach", &m, scan.to_str().unwrap()]);
    assert_eq!(attached["media_type"], "application/pdf");
    let listed = text(&clausebook(&db, &["attachments", &m]));
    assert!(listed.contains("signed minutes.pdf"), "{listed}");
    let back = dir.path().join("back.pdf");
    let a = attached["id"].as_str().unwrap();
    assert!(clausebook(&db, &["attachment", "save", a, "-o", back.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&scan).unwrap());
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    let refused = clausebook(&db, &["attach", &m, empty.to_str().unwrap()]);
    assert!(!refused.status.success() && errors(&refused).contains("is empty"), "{}", errors(&refused));
    for lang in ["en", "fa"] {
        let pdf = dir.path().join(format!("minutes-{lang}.pdf"));
        let made = json(&["report", "minutes", &m, "--lang", lang, "-o", pdf.to_str().unwrap()]);
        assert!(made["pages"].as_u64().unwrap() >= 1);
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    }
    // A brief prepared from the meeting takes its agenda's clauses.
    let brief = dir.path().join("brief.pdf");
    let made = json(&["report", "brief", "--meeting", &m, "-o", brief.to_str().unwrap()]);
    assert!(made["clauses"].as_u64().unwrap() >= suggested.as_array().unwrap().len() as u64, "{made}");
}
