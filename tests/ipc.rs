//! Every command through Tauri's mock runtime: the JSON the UI sends, the
//! JSON it gets back, and the error codes it branches on.

use clausebook_app::state::AppState;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

struct Ui {
    _dir: tempfile::TempDir,
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn ui() -> Ui {
    let dir = tempfile::tempdir().unwrap();
    let app = clausebook_app::build(mock_builder()).build(mock_context(noop_assets())).expect("app builds");
    app.manage(AppState::open(dir.path().join("ipc.sqlite3")).expect("register opens"));
    app.manage(clausebook_app::desktop::Autostart::unavailable());
    app.manage(clausebook_app::commands::attachments::OpenFolder(dir.path().join("open")));
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    Ui { _dir: dir, _app: app, window }
}

impl Ui {
    /// Invokes `cmd` as the UI would: `Ok(data)` or `Err({code, message})`.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.window, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// The error code of a call that must fail.
    fn code(&self, cmd: &str, args: Value) -> String {
        let err = self.call(cmd, args).expect_err(cmd);
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{cmd}: an error says what to fix: {err}");
        err["code"].as_str().unwrap_or_else(|| panic!("{cmd}: error without a code: {err}")).to_owned()
    }
}

/// Invokes `cmd` on `window` as the UI would: `Ok(data)` or `Err({code, message})`.
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON response"))
}

#[test]
fn first_start_settings_and_demo() {
    let ui = ui();
    let info = ui.ok("app_info", json!({}));
    assert_eq!(info["empty"], true);
    assert!(info["database_path"].as_str().unwrap().ends_with("ipc.sqlite3"));
    let counts = ui.ok("load_demo", json!({}));
    assert_eq!((counts["partners"].as_u64(), counts["agreements"].as_u64()), (Some(7), Some(6)));
    assert_eq!(ui.ok("app_info", json!({}))["empty"], false);
    assert_eq!(ui.code("load_demo", json!({})), "not_empty");

    let s = ui.ok("update_settings", json!({"patch": {"officer_name": "Maryam Ahmadi", "ui_language": "fa"}}));
    assert_eq!((s["officer_name"].as_str(), s["ui_language"].as_str()), (Some("Maryam Ahmadi"), Some("fa")));
    assert_eq!(s["date_display"], "both", "an absent field is left as it was");
    assert_eq!(ui.ok("settings", json!({}))["ui_language"], "fa");
}

#[test]
fn partners_and_agreements() {
    let ui = ui();
    let tj = ui.ok("create_partner", json!({"newPartner": {"kind": "country", "name": "Tajikistan", "name_fa": "تاجیکستان", "name_local": "Тоҷикистон", "local_lang": "tg"}}));
    let tj_id = tj["id"].as_str().unwrap().to_owned();
    assert_eq!(ui.code("create_partner", json!({"newPartner": {"name": "  "}})), "empty_field");
    let renamed = ui.ok("update_partner", json!({"id": tj_id, "patch": {"name_fa": null}}));
    assert_eq!(renamed["name_fa"], Value::Null, "null clears a field");
    assert_eq!(renamed["name_local"], "Тоҷикистон", "an absent field is kept");
    assert_eq!(ui.ok("partners", json!({})).as_array().unwrap().len(), 1);

    let new = json!({"kind": "action_plan", "title": "Action plan 1404", "reference": null, "our_signatory": "State Welfare Organization",
        "parties": [tj_id], "calendar": "persian", "signed_on": "2025-04-27", "in_force_from": null, "in_force_until": null,
        "status": "in_force", "source": null, "summary": null});
    let a = ui.ok("create_agreement", json!({"newAgreement": new}));
    let a_id = a["id"].as_str().unwrap().to_owned();
    assert_eq!(a["parties"][0]["name"], "Tajikistan");
    let mut no_parties = new.clone();
    no_parties["parties"] = json!([]);
    assert_eq!(ui.code("create_agreement", json!({"newAgreement": no_parties})), "no_parties");
    let mut bad_dates = new.clone();
    bad_dates["in_force_from"] = json!("2025-05-01");
    bad_dates["in_force_until"] = json!("2025-04-01");
    assert_eq!(ui.code("create_agreement", json!({"newAgreement": bad_dates})), "end_before_start");
    assert_eq!(ui.code("agreement", json!({"id": "0190aaaa-no-such"})), "not_found");
    let updated =
        ui.ok("update_agreement", json!({"id": a_id, "patch": {"status": "signed", "summary": "Twelve actions"}}));
    assert_eq!((updated["status"].as_str(), updated["summary"].as_str()), (Some("signed"), Some("Twelve actions")));
    assert_eq!(ui.ok("agreements", json!({"partner": tj_id})).as_array().unwrap().len(), 1);
    assert_eq!(ui.ok("agreement", json!({"id": a_id}))["title"], "Action plan 1404");

    assert_eq!(ui.code("delete_partner", json!({"id": tj_id})), "partner_in_use");
    let deletion = ui.ok("delete_agreement", json!({"id": a_id}));
    assert!(ui.ok("agreements", json!({"partner": null})).as_array().unwrap().is_empty());
    assert_eq!(ui.ok("restore", json!({"deletionId": deletion})), "agreement");
    assert_eq!(ui.code("restore", json!({"deletionId": deletion})), "nothing_to_restore");
    assert_eq!(ui.ok("partner_dashboard", json!({"partnerId": tj_id}))["agreements"].as_array().unwrap().len(), 1);
}

#[test]
fn clauses_notes_history_and_search() {
    let ui = ui();
    ui.ok("load_demo", json!({}));
    let agreements = ui.ok("agreements", json!({"partner": null}));
    let a_id = agreements[0]["id"].as_str().unwrap().to_owned();
    let new = |number: &str, text: &str, parent: Value| {
        json!({"newClause": {"agreement_id": a_id, "parent_id": parent, "number": number, "text": text,
            "our_lead": "State Welfare Organization", "partner_lead": "Вазорати тандурустӣ",
            "deadline": {"kind": "after_signing", "amount": 3, "unit": "months"}, "status": "not_started",
            "percent": null, "indicator": null, "tags": ["training"]}})
    };
    let created = ui.ok("create_clause", new("90", "Exchange of rehabilitation experts", Value::Null));
    // A change answers with the clause, the table rows it changed, and after
    // a creation the new order, so the window need not read the table again.
    let c = &created["clause"];
    assert!(created["rows"].as_array().unwrap().iter().any(|r| r["clause"]["id"] == c["id"]), "{created}");
    assert!(created["order"].as_array().unwrap().contains(&c["id"]));
    let c_id = c["id"].as_str().unwrap().to_owned();
    assert!(c["due_on"].is_string(), "a relative deadline resolves from the signing date");
    assert_eq!(ui.code("create_clause", new("90", "Same number", Value::Null)), "duplicate_number");
    assert_eq!(ui.code("create_clause", new("91", "", Value::Null)), "empty_field");
    let child = ui.ok("create_clause", new("90.1", "First exchange visit", json!(c_id)));
    let child_id = child["clause"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ui.code("move_clause", json!({"id": c_id, "to": {"to": "under", "parent": child_id, "index": null}})),
        "cycle"
    );
    let moved = ui.ok("move_clause", json!({"id": child_id, "to": {"to": "outdent"}}));
    assert_eq!(moved["clause"]["parent_id"], Value::Null, "outdented to the top level");
    assert!(moved["order"].is_array());
    ui.ok("move_clause", json!({"id": child_id, "to": {"to": "under", "parent": null, "index": 0}}));

    // XSS strings are stored and returned as the very same text.
    let xss = "<img src=x onerror=alert(1)> <script>alert(1)</script>";
    let patched =
        &ui.ok("update_clause", json!({"id": c_id, "patch": {"status": "in_progress", "text": xss}}))["clause"];
    assert_eq!((patched["status"].as_str(), patched["text"].as_str()), (Some("in_progress"), Some(xss)));
    assert_eq!(ui.code("update_clause", json!({"id": c_id, "patch": {"percent": 140}})), "percent_out_of_range");
    assert_eq!(ui.ok("clause", json!({"id": c_id}))["text"], xss);

    let rows = ui.ok("clause_rows", json!({"agreementId": a_id}));
    let row = rows.as_array().unwrap().iter().find(|r| r["clause"]["id"] == c_id.as_str()).unwrap();
    assert!(row["due"]["state"].is_string(), "each row carries its due state: {}", row["due"]);

    let added = ui.ok(
        "add_note",
        json!({"newNote": {"clause_id": c_id, "on_date": "2025-08-01", "author": null,
        "text": "Three experts visited Dushanbe", "status_to": "completed"}}),
    );
    let note = &added["note"];
    assert_eq!(added["change"]["clause"]["status"], "completed");
    assert_eq!(note["status_to"], "completed");
    assert_eq!(ui.ok("clause", json!({"id": c_id}))["status"], "completed");
    assert_eq!(ui.ok("notes", json!({"clauseId": c_id})).as_array().unwrap().len(), 1);
    let history = ui.ok("history", json!({"id": c_id}));
    let actions: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "update", "create"], "create, update, then the note");
    let future = json!({"newNote": {"clause_id": c_id, "on_date": "2999-01-01", "author": null, "text": "Later", "status_to": null}});
    assert_eq!(ui.code("add_note", future), "note_in_future");
    let note_deletion = ui.ok("delete_note", json!({"id": note["id"]}));
    assert!(ui.ok("notes", json!({"clauseId": c_id})).as_array().unwrap().is_empty());
    ui.ok("restore", json!({"deletionId": note_deletion}));

    let hits = ui.ok("search", json!({"query": "Dushanbe experts", "limit": 10}));
    assert!(hits.as_array().unwrap().iter().any(|h| h["kind"] == "note"), "{hits}");
    let deletion = ui.ok("delete_clause", json!({"id": c_id}));
    assert_eq!(ui.code("clause", json!({"id": c_id})), "not_found");
    ui.ok("restore", json!({"deletionId": deletion}));
    assert_eq!(ui.code("notes", json!({"clauseId": "nope"})), "not_found");
}

#[test]
fn dashboards_and_dates() {
    let ui = ui();
    ui.ok("load_demo", json!({}));
    let d = ui.ok("dashboard", json!({}));
    assert_eq!(d["partners"].as_array().unwrap().len(), 7);
    assert!(d["overall"]["counts"]["completed"].as_u64().unwrap() > 0);
    let overdue = ui.ok("overdue", json!({"partner": null, "limit": 5}));
    assert!(overdue.as_array().unwrap().len() <= 5);
    assert_eq!(ui.code("partner_dashboard", json!({"partnerId": "missing"})), "not_found");
    assert_eq!(ui.ok("parse_date", json!({"text": "۱۴۰۴/۰۳/۱۵"})), "2025-06-05");
    assert_eq!(ui.code("parse_date", json!({"text": "1404/12/30"})), "date_no_such_day");
    // The values the UI words the error with in Persian cross IPC typed.
    let err = ui.call("parse_date", json!({"text": "1404/12/30"})).unwrap_err();
    assert_eq!(
        err["params"],
        json!({
            "input": {"kind": "text", "value": "1404/12/30"},
            "month": {"kind": "month", "calendar": "persian", "month": 12},
            "year": {"kind": "number", "value": 1404},
            "days": {"kind": "number", "value": 29},
            "year_kind": {"kind": "word", "value": "common_year"},
        })
    );
    assert_eq!(ui.code("parse_date", json!({"text": "soon"})), "date_unreadable");
    assert_eq!(
        ui.ok("parse_deadline", json!({"text": "3 months"})),
        json!({"kind": "after_signing", "amount": 3, "unit": "months"})
    );
}

#[test]
fn export_report_writes_a_pdf_or_says_why_not() {
    let ui = ui();
    ui.ok("load_demo", json!({}));
    let a_id = ui.ok("agreements", json!({"partner": null}))[0]["id"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.pdf");
    let options = json!({"lang": "fa", "pdf_a": false, "reference": "IA/1405/12", "attachments": null});
    let summary = ui.ok(
        "export_report",
        json!({"request": {"kind": "agreement", "id": a_id}, "options": options, "path": path.to_str().unwrap()}),
    );
    assert!(summary["pages"].as_u64().unwrap() >= 1 && summary["clauses"].as_u64().unwrap() > 0, "{summary}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"), "a real PDF");
    let brief = json!({"kind": "brief", "agreements": [], "clauses": [], "partner": null, "due_before": null,
        "progress_since": null, "overdue": true, "title": "Joint commission"});
    ui.ok(
        "export_report",
        json!({"request": brief, "options": options, "path": dir.path().join("brief.pdf").to_str().unwrap()}),
    );
    let blocked = dir.path().join("missing-folder").join("x.pdf");
    let request = json!({"kind": "partner", "id": "nope"});
    assert_eq!(
        ui.code("export_report", json!({"request": request, "options": options, "path": blocked.to_str().unwrap()})),
        "not_found"
    );
    let request = json!({"kind": "agreement", "id": a_id});
    assert_eq!(
        ui.code("export_report", json!({"request": request, "options": options, "path": blocked.to_str().unwrap()})),
        "report_unwritable"
    );
    assert!(!blocked.exists());
}

#[test]
fn meetings_agenda_outcomes_and_apply() {
    let ui = ui();
    ui.ok("load_demo", json!({}));
    let partners = ui.ok("partners", json!({}));
    let tj = partners.as_array().unwrap().iter().find(|p| p["name"] == "Tajikistan").unwrap()["id"].clone();
    let agreements = ui.ok("agreements", json!({"partner": null}));
    let plan = agreements
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Action Plan"))
        .unwrap()["id"]
        .clone();
    let meeting = |title: &str, start: &str| {
        json!({"newMeeting": {
            "title": title, "kind": "joint_commission", "on_date": "2026-11-10", "calendar": "persian",
            "starts_at": start, "place": "Dushanbe", "remote": false, "status": "planned", "next_on": null,
            "partner_ids": [tj], "agreement_ids": [plan],
            "participants": [{"side": "theirs", "name": "Гулнора Раҳимова", "role": null, "body": null}]
        }})
    };
    assert_eq!(ui.code("create_meeting", meeting("", "10:00")), "empty_field");
    assert_eq!(ui.code("create_meeting", meeting("Joint commission", "noon")), "bad_time");
    let m = ui.ok("create_meeting", meeting("Joint commission", "10:00"));
    let id = m["id"].as_str().unwrap().to_owned();
    let suggested = ui.ok("suggest_agenda", json!({"id": id}));
    let first = suggested[0]["clause"]["id"].clone();
    let detail = ui.ok("add_agenda_items", json!({"id": id, "items": [{"clause_id": first, "text": null}]}));
    let item = detail["agenda"][0]["id"].clone();
    ui.ok(
        "add_outcome",
        json!({"newOutcome": {"item_id": item, "kind": "clause_update", "text": null, "owner_side": null,
        "owner": null, "due_on": null, "update": {"status": "on_hold"}, "new_clause": null}}),
    );
    assert_eq!(ui.code("apply_outcomes", json!({"id": id, "only": null})), "meeting_not_held");
    ui.ok("set_meeting_status", json!({"id": id, "status": "held"}));
    let review = ui.ok("review_meeting", json!({"id": id}));
    assert_eq!(review[0]["changes"][0]["new"], "on_hold");
    let applied = ui.ok("apply_outcomes", json!({"id": id, "only": null}));
    assert_eq!(applied["updated"], 1);
    let outcome = review[0]["outcome_id"].clone();
    assert_eq!(ui.code("apply_outcomes", json!({"id": id, "only": [outcome]})), "outcome_applied");
    assert_eq!(ui.ok("meetings", json!({"partner": null})).as_array().unwrap().len(), 7, "the demo's six and this one");
}

#[test]
fn attachments_are_kept_opened_from_the_cache_and_refused_clearly() {
    let ui = ui();
    ui.ok("load_demo", json!({}));
    let agreements = ui.ok("agreements", json!({"partner": null}));
    let id = agreements[0]["id"].clone();
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("signed MoU.pdf");
    std::fs::write(&scan, b"%PDF-1.7\n%fake but typed by its first bytes").unwrap();
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    let a = ui.ok("attach_file", json!({"ownerId": id, "path": scan, "name": null}));
    assert_eq!((a["name"].as_str(), a["media_type"].as_str()), (Some("signed MoU.pdf"), Some("application/pdf")));
    assert_eq!(ui.code("attach_file", json!({"ownerId": id, "path": empty, "name": null})), "attachment_empty");
    let missing = dir.path().join("gone.pdf");
    assert_eq!(ui.code("attach_file", json!({"ownerId": id, "path": missing, "name": null})), "attachment_unreadable");
    assert_eq!(ui.ok("attachments", json!({"ownerId": id})).as_array().unwrap().len(), 1);
    // Opening writes the file into the app's folder for the viewer, and only there.
    let path = ui.ok("open_attachment", json!({"id": a["id"]}));
    let path = std::path::PathBuf::from(path.as_str().unwrap());
    assert!(path.starts_with(ui._dir.path().join("open")), "{}", path.display());
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&scan).unwrap());
    let deletion = ui.ok("remove_attachment", json!({"id": a["id"]}));
    assert!(ui.ok("attachments", json!({"ownerId": id})).as_array().unwrap().is_empty());
    ui.ok("restore", json!({"deletionId": deletion}));
    assert_eq!(ui.ok("attachments", json!({"ownerId": id})).as_array().unwrap().len(), 1);
}

#[test]
fn back_up_now_does_not_hold_the_window_while_it_waits_or_copies() {
    let ui = ui();
    ui.ok("load_demo", json!({}));
    let folder = std::path::PathBuf::from(ui.ok("backups", json!({}))["folder"].as_str().unwrap());
    std::fs::create_dir_all(&folder).unwrap();
    // Another backup holds the folder (a large register's daily one).
    let lock =
        clausebook_core::store::backup::hold_folder(&folder, clausebook_core::store::backup::FOLDER_PATIENCE).unwrap();
    std::thread::scope(|s| {
        let window = ui.window.clone();
        let backing_up = s.spawn(move || invoke(&window, "backup_now", json!({})));
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!backing_up.is_finished(), "the backup waits for the folder");
        // Meanwhile the window's other commands are answered.
        let (tx, rx) = std::sync::mpsc::channel();
        let window = ui.window.clone();
        s.spawn(move || tx.send(invoke(&window, "partners", json!({})).map(|v| v.as_array().map_or(0, Vec::len))));
        let partners = rx.recv_timeout(std::time::Duration::from_secs(20)).expect("partners answered while backing up");
        assert_eq!(partners, Ok(7));
        assert!(!backing_up.is_finished());
        drop(lock);
        let made = backing_up.join().unwrap().unwrap();
        assert_eq!(made["manifest"]["reason"], "manual");
        assert_eq!(made["manifest"]["counts"]["agreements"], 6);
    });
    assert_eq!(ui.ok("backups", json!({}))["backups"].as_array().unwrap().len(), 1);
}
