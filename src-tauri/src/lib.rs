//! The Clausebook desktop app: a Tauri window over `clausebook-core`.
//!
//! [`run`] opens the register (in the OS app-data folder, or `CLAUSEBOOK_DB`),
//! registers the plugins and the commands of [`commands`], and opens the
//! window. [`specta_builder`] lists every command once, for the invoke handler
//! and for the TypeScript bindings in `ui/src/lib/bindings.ts`.

pub mod commands;
pub mod desktop;
pub mod error;
pub mod reminder_loop;
pub mod state;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

use crate::state::AppState;

/// The file the bindings are generated into, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

/// Every command, with its types, for the invoke handler and the bindings.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    use commands::*;
    // One TypeScript type per Rust type: our types have the same shape in
    // both directions (patch fields are declared with `specta(type)`).
    tauri_specta::Builder::<R>::new()
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            app::settings,
            app::update_settings,
            app::app_info,
            app::load_demo,
            partners::partners,
            partners::create_partner,
            partners::update_partner,
            partners::delete_partner,
            partners::restore,
            agreements::agreements,
            agreements::agreement,
            agreements::create_agreement,
            agreements::update_agreement,
            agreements::delete_agreement,
            clauses::clause_rows,
            clauses::clause,
            clauses::create_clause,
            clauses::update_clause,
            clauses::move_clause,
            clauses::delete_clause,
            clauses::notes,
            clauses::add_note,
            clauses::delete_note,
            clauses::history,
            overview::dashboard,
            overview::partner_dashboard,
            overview::overdue,
            overview::search,
            dates::parse_date,
            dates::parse_deadline,
            reports::export_report,
            exports::export_sheet,
            imports::import_preview,
            imports::import_plan,
            imports::import_sheet,
            imports::undo_import,
            backups::backups,
            backups::backup_now,
            backups::set_backup_mirror,
            backups::restore_backup,
            exchange::exchange_overview,
            exchange::exchange_send,
            exchange::exchange_receive,
            exchange::exchange_conflicts,
            exchange::resolve_conflict,
            reminders::reminders,
            reminders::snooze_reminder,
            reminders::reminder_lead,
            reminders::set_reminder_lead,
            meetings::meetings,
            meetings::meeting,
            meetings::create_meeting,
            meetings::set_meeting_status,
            meetings::suggest_agenda,
            meetings::add_agenda_items,
            meetings::add_outcome,
            meetings::review_meeting,
            meetings::apply_outcomes,
            meetings::meeting_brief,
            attachments::attachments,
            attachments::attach_file,
            attachments::remove_attachment,
            attachments::save_attachment,
            attachments::open_attachment,
            session::desktop,
            session::set_autostart,
        ])
        .constant("ERROR_CATALOG", error::error_catalog())
        .constant("ERROR_WORDS", clausebook_core::detail::WORDS)
        .constant("VOCABULARY", clausebook_core::vocab::vocabulary())
        .constant("LIMITS", clausebook_core::model::LIMITS)
        .constant("EXCHANGE_EXTENSION", clausebook_core::exchange::EXTENSION)
        .constant("REMINDER_LEAD_DAYS", clausebook_core::store::reminders::lead_days())
        .constant("BACKUP_FOLDER_LOCK", clausebook_core::store::backup::FOLDER_LOCK)
}

/// The TypeScript bindings as they should be committed.
pub fn bindings_typescript() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("clausebook-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bindings.ts");
    specta_builder::<tauri::Wry>()
        .export(specta_typescript::Typescript::default(), &path)
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// The command-line option that opens another register: a registrar's
/// department register beside their own, a colleague's copy to look at.
pub const REGISTER_ARG: &str = "--register";

/// Where the register lives: the file after `--register` if given, else
/// `CLAUSEBOOK_DB` if set (scripts, end-to-end tests), else
/// `clausebook.sqlite3` in the OS app-data folder. Settings shows it.
fn database_path<R: Runtime>(app: &tauri::App<R>) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == REGISTER_ARG
            && let Some(file) = args.next()
        {
            return Ok(PathBuf::from(file));
        }
    }
    if let Some(p) = std::env::var_os("CLAUSEBOOK_DB") {
        return Ok(PathBuf::from(p));
    }
    Ok(app.path().app_data_dir()?.join("clausebook.sqlite3"))
}

/// Adds the commands to a builder; its setup opens the register and manages
/// it as [`AppState`]. Used by [`run`] and, with Tauri's mock runtime (whose
/// setup never runs: it has no event loop), by the IPC tests, which manage an
/// [`AppState::open`] themselves.
pub fn build<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let specta = specta_builder::<R>();
    builder
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            specta.mount_events(app);
            app.manage(AppState::open_or_explain(database_path(app)?));
            app.manage(desktop::Autostart::of(app.handle()));
            app.manage(commands::attachments::OpenFolder(app.path().app_cache_dir()?.join("attachments")));
            tauri::async_runtime::spawn(app.state::<AppState>().daily_backup());
            tauri::async_runtime::spawn(desktop::on_start(app.handle().clone()));
            // Reminders need the notification plugin, which `run` registers
            // (the IPC tests' mock app has none).
            if app.try_state::<tauri_plugin_notification::Notification<R>>().is_some() {
                crate::reminder_loop::start(app.handle().clone());
            }
            Ok(())
        })
        // Closing the window asks first whether the officer keeps
        // Clausebook in the tray (see `desktop::on_close`).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event
                && let Some(webview) = window.app_handle().get_webview_window(window.label())
            {
                api.prevent_close();
                tauri::async_runtime::spawn(desktop::on_close(webview));
            }
        })
}

/// When the process started, for `CLAUSEBOOK_TRACE_STARTUP`.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// With `CLAUSEBOOK_TRACE_STARTUP` set, prints (once) how long after the
/// process started the UI made its first call: the app bench's "cold start to
/// a usable window".
pub fn trace_ui_ready() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if let Some(started) = STARTED.get().filter(|_| std::env::var_os("CLAUSEBOOK_TRACE_STARTUP").is_some()) {
        ONCE.call_once(|| eprintln!("clausebook: ui ready {} ms after start", started.elapsed().as_millis()));
    }
}

/// Starts the desktop app.
pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let builder = tauri::Builder::default()
        // A second launch focuses the first window: two writers on one
        // database is how data gets lost.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| desktop::show_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_autostart::Builder::new().args([desktop::AUTOSTART_ARG]).app_name("Clausebook").build());
    let app = match build(builder).build(tauri::generate_context!()) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("clausebook: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        // The backup of the register as it was before an import is made
        // beside the import; the app ends only once it is in place.
        if let tauri::RunEvent::Exit = event
            && let Some(state) = app.try_state::<AppState>()
        {
            state.finish_backups();
        }
    });
}
