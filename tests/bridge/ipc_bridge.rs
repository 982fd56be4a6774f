//! The IPC bridge: the desktop app's own invoke handler, driven through
//! Tauri's mock runtime as `tests/ipc.rs` drives it, and spoken to as
//! newline-delimited JSON on standard input and output. This is test code
//! (the `ipc-bridge` example of the root package; nothing ships it): the UI's
//! vitest suites (`ui/src/test/core.ts`) and `vite --mode fixture` ask the
//! real core through it, so every command, argument name, JSON shape and
//! error the UI meets in a test is the app's own.
//!
//! A request is one line, `{"id": N, "cmd": "...", "args": {...}}`, answered
//! by one line, `{"id": N, "ok": <data>}` or `{"id": N, "err": <the error>}`,
//! where the error is the command's `{code, message, params}` (or the string
//! Tauri rejects an unknown command with). Commands run as in the app: the
//! invoke handler takes each request as it arrives; a synchronous command
//! answers at once, an async one when its task is done, perhaps after later
//! requests' answers (which is why answers carry the request's id).
//!
//! Requests for setting tests up start with `__` and are not commands:
//!
//! - `__reset` `{"demo": bool}`: closes the register and opens a fresh, empty
//!   one in a new temporary folder; with `demo`, loads the demo through the
//!   app's `load_demo` command. Answers `{"dir": <that folder>, "demo":
//!   <load_demo's counts, or null>}`.
//! - `__big` `{"clauses": N}`: adds one agreement with N clauses (tops with
//!   four sub-clauses each) through the core's bulk path, `Store::import` (on
//!   a connection of its own to the same file), to the first partner (a new
//!   one in an empty register). Answers
//!   `{"agreement": <the agreement>, "clauses": N}`.
//!
//! "Today" is the core's (`clausebook_core::clock`): whoever starts the
//! bridge sets `CLAUSEBOOK_TODAY` to fix it. The bridge exits when its input
//! ends, after the answers still due.

use std::io::{BufRead, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use clausebook_app::error::AppError;
use clausebook_app::state::AppState;
use clausebook_core::Store;
use clausebook_core::model::{NewAgreement, NewClause, NewPartner};
use clausebook_core::store::import::{Import, ImportAgreement, ImportClause};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeError, InvokeResponse};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, Webview, WebviewWindow, WebviewWindowBuilder};

/// The register's file name in its temporary folder.
const REGISTER: &str = "register.sqlite3";

/// How long the bridge waits, once its input has ended, for answers still due.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let out = Output::default();
    let mut register = match Register::open() {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("ipc-bridge: {}", e["message"].as_str().unwrap_or_default());
            std::process::exit(1);
        }
    };
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                out.send(&json!({"id": null, "err": bridge_error(format!("unreadable request: {e}"))}));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = match serde_json::from_str(&line) {
            Ok(request) => request,
            Err(e) => {
                out.send(&json!({"id": null, "err": bridge_error(format!("a request is one JSON object: {e}"))}));
                continue;
            }
        };
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        let Some(cmd) = request.get("cmd").and_then(Value::as_str) else {
            out.send(&json!({"id": id, "err": bridge_error("a request names its command in \"cmd\"".into())}));
            continue;
        };
        let args = request.get("args").cloned().unwrap_or_else(|| json!({}));
        let answer = match cmd {
            "__reset" => {
                // The old register closes before the new one opens.
                register = None;
                Register::open().and_then(|r| {
                    let answer = r.reset(&args);
                    register = Some(r);
                    answer
                })
            }
            "__big" => match &register {
                Some(r) => r.big(&args),
                None => Err(bridge_error("no register is open: send __reset".into())),
            },
            _ if cmd.starts_with("__") => Err(bridge_error(format!("no bridge request {cmd}"))),
            _ => {
                match &register {
                    Some(r) => r.invoke(id, cmd, args, &out),
                    None => {
                        out.send(&json!({"id": id, "err": bridge_error("no register is open: send __reset".into())}))
                    }
                }
                continue;
            }
        };
        out.send(&match answer {
            Ok(data) => json!({"id": id, "ok": data}),
            Err(e) => json!({"id": id, "err": e}),
        });
    }
    out.drain(DRAIN_TIMEOUT);
    drop(register);
}

/// An error of the bridge itself (a malformed request), shaped as the app's.
fn bridge_error(message: String) -> Value {
    serde_json::to_value(AppError::new("bridge", message)).expect("an error serialises")
}

/// A value of the core's model, from the JSON the UI would send for it.
fn parse<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> Result<T, Value> {
    serde_json::from_value(value).map_err(|e| bridge_error(format!("__big: the {what} does not parse: {e}")))
}

/// Standard output, shared by the answers of async commands, and a count of
/// the answers still due.
#[derive(Clone, Default)]
struct Output {
    due: Arc<(Mutex<usize>, Condvar)>,
}

impl Output {
    /// Writes one answer as one line. A failed write means the reader is
    /// gone; the input then ends too.
    fn send(&self, answer: &Value) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{answer}").and_then(|()| stdout.flush());
    }

    fn expect_answer(&self) {
        *self.due.0.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }

    fn answered(&self) {
        let (count, changed) = &*self.due;
        *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        changed.notify_all();
    }

    /// Waits (at most `timeout`) until every command has answered.
    fn drain(&self, timeout: Duration) {
        let (count, changed) = &*self.due;
        let count = count.lock().unwrap_or_else(|e| e.into_inner());
        let _ = changed.wait_timeout_while(count, timeout, |due| *due > 0);
    }
}

/// One register: the app over a fresh file in a temporary folder. Fields drop
/// in order: the window and the app (which close the register), then the
/// folder.
struct Register {
    window: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
    dir: tempfile::TempDir,
}

impl Register {
    fn open() -> Result<Register, Value> {
        let fail = |what: &str, e: &dyn std::fmt::Display| bridge_error(format!("{what}: {e}"));
        let dir =
            tempfile::Builder::new().prefix("clausebook-bridge-").tempdir().map_err(|e| fail("temp folder", &e))?;
        let app = clausebook_app::build(mock_builder())
            .build(mock_context(noop_assets()))
            .map_err(|e| fail("the app does not build", &e))?;
        let state = AppState::open(dir.path().join(REGISTER)).map_err(|e| fail("the register", &e))?;
        app.manage(state);
        app.manage(clausebook_app::desktop::Autostart::unavailable());
        app.manage(clausebook_app::commands::attachments::OpenFolder(dir.path().join("open")));
        let window =
            WebviewWindowBuilder::new(&app, "main", Default::default()).build().map_err(|e| fail("window", &e))?;
        Ok(Register { window, _app: app, dir })
    }

    /// The register's file.
    fn path(&self) -> std::path::PathBuf {
        self.dir.path().join(REGISTER)
    }

    fn request(cmd: &str, args: Value) -> InvokeRequest {
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        }
    }

    /// Hands a command to the app's invoke handler, as the webview does; the
    /// answer is written when the command responds.
    fn invoke(&self, id: Value, cmd: &str, args: Value, out: &Output) {
        out.expect_answer();
        let out = out.clone();
        let responder =
            move |_: Webview<MockRuntime>, _: String, response: InvokeResponse, _: CallbackFn, _: CallbackFn| {
                let answer = match response {
                    InvokeResponse::Ok(body) => match body.deserialize::<Value>() {
                        Ok(data) => json!({"id": id, "ok": data}),
                        Err(e) => json!({"id": id, "err": bridge_error(format!("the answer is not JSON: {e}"))}),
                    },
                    InvokeResponse::Err(InvokeError(e)) => json!({"id": id, "err": e}),
                };
                out.send(&answer);
                out.answered();
            };
        AsRef::<Webview<MockRuntime>>::as_ref(&self.window)
            .clone()
            .on_message(Register::request(cmd, args), Box::new(responder));
    }

    /// A command whose answer the bridge needs itself.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(&self.window, Register::request(cmd, args)).and_then(|body| {
            body.deserialize::<Value>().map_err(|e| bridge_error(format!("the answer is not JSON: {e}")))
        })
    }

    fn reset(&self, args: &Value) -> Result<Value, Value> {
        let demo = match args.get("demo") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(demo)) => *demo,
            Some(other) => return Err(bridge_error(format!("__reset: \"demo\" is true or false, not {other}"))),
        };
        let counts = if demo { self.call("load_demo", json!({}))? } else { Value::Null };
        Ok(json!({"dir": self.dir.path(), "demo": counts}))
    }

    /// One agreement with `clauses` clauses, written by `Store::import`.
    fn big(&self, args: &Value) -> Result<Value, Value> {
        let count = args
            .get("clauses")
            .and_then(Value::as_u64)
            .filter(|&n| n > 0)
            .ok_or_else(|| bridge_error("__big: \"clauses\" is a number above zero".into()))?;
        // A connection of its own to the app's register, as a second front
        // end would open (the core keeps nothing in memory between calls).
        let mut store = Store::open(self.path()).map_err(|e| json!(AppError::from(e)))?;
        let first = store.partners().map_err(|e| json!(AppError::from(e)))?.into_iter().next();
        let (partners, parties, new_parties): (Vec<NewPartner>, _, _) = match first {
            Some(p) => (Vec::new(), vec![p.id], Vec::new()),
            None => {
                let tajikistan = json!({"kind": "country", "name": "Tajikistan", "name_fa": "تاجیکستان",
                    "name_local": "Тоҷикистон", "local_lang": "tg"});
                (vec![parse("partner", tajikistan)?], Vec::new(), vec![0])
            }
        };
        let agreement: NewAgreement = parse(
            "agreement",
            json!({"kind": "action_plan", "title": format!("Synthetic action plan with {count} clauses (load test)"),
                "reference": format!("TEST/{count}"), "our_signatory": "State Welfare Organization", "parties": parties,
                "calendar": "persian", "signed_on": "2025-03-21", "in_force_from": "2025-03-21", "in_force_until": null,
                "status": "in_force", "source": null, "summary": null}),
        )?;
        let clause = |number: String, i: u64| -> Result<NewClause, Value> {
            const STATUSES: [&str; 5] = ["not_started", "in_progress", "completed", "on_hold", "cancelled"];
            const THEMES: [&str; 5] = ["training", "visits", "rehabilitation", "exhibitions", "health"];
            let due = chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("a date") + chrono::Days::new((i * 7) % 900);
            let text = format!(
                "Activity {number}: joint training session and exchange of experience on community-based \
                 rehabilitation, round {}.",
                i + 1
            );
            parse(
                "clause",
                json!({"agreement_id": "", "parent_id": null, "number": number, "text": text,
                    "our_lead": "SWO Rehabilitation Deputy", "partner_lead": "Вазорати тандурустӣ ва ҳифзи иҷтимоии аҳолӣ",
                    "deadline": {"kind": "on", "date": due}, "status": STATUSES[(i % 5) as usize],
                    "percent": (i * 13) % 100, "indicator": null, "tags": [THEMES[(i % 5) as usize]]}),
            )
        };
        let mut tree = Vec::new();
        let mut made = 0;
        while made < count {
            let top = tree.len() + 1;
            let mut parent = ImportClause::leaf(clause(top.to_string(), made)?);
            made += 1;
            for k in 1..=4 {
                if made == count {
                    break;
                }
                parent.children.push(ImportClause::leaf(clause(format!("{top}.{k}"), made)?));
                made += 1;
            }
            tree.push(parent);
        }
        let mut target = ImportAgreement::new(agreement, tree);
        target.new_parties = new_parties;
        let imported = store
            .import(Import { partners, agreements: vec![target] })
            .map_err(|e| json!(AppError::new(e.code(), e.to_string())))?;
        Ok(json!({"agreement": imported.agreements.first(), "clauses": imported.clauses.len()}))
    }
}
