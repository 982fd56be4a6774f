//! Where the app meets the desktop session beyond its window, so reminders
//! reach an officer who has closed it: the tray icon that keeps Clausebook
//! running with the overdue count once the window is closed, and starting
//! with the session. Both are opt-in: the tray is the register's `tray`
//! setting; starting with the session is the desktop's own autostart entry
//! (tauri-plugin-autostart), so it is read from there, never copied.
//!
//! The tray's words are the core's (`remind::tray`). The icon is made when
//! the window closes with the tray turned on (or at a session start with
//! it on), refreshed by the hourly reminder check, and removed when a close
//! finds the setting off.

use clausebook_core::clock;
use clausebook_core::remind::{self, DesktopError};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, WebviewWindow};

use crate::state::AppState;

/// The tray icon's id.
pub const TRAY: &str = "clausebook";

/// The argument the session's autostart entry starts the app with: with
/// the tray on, such a start goes straight to the tray.
pub const AUTOSTART_ARG: &str = "--autostart";

/// The libraries Tauri draws a tray icon with on Linux, as it looks for them.
#[cfg(target_os = "linux")]
const TRAY_LIBRARIES: [&str; 4] =
    ["libayatana-appindicator3.so.1", "libappindicator3.so.1", "libayatana-appindicator3.so", "libappindicator3.so"];

/// Whether this desktop can show a tray icon. On Linux, Tauri loads the
/// AppIndicator library when the first icon is made and aborts the app if
/// it is missing, so the app looks for it first, once, where the dynamic
/// linker looks: `LD_LIBRARY_PATH`, then the system's library folders.
pub fn tray_available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            let multiarch = format!("{}-linux-gnu", std::env::consts::ARCH);
            let mut folders: Vec<std::path::PathBuf> =
                std::env::var_os("LD_LIBRARY_PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
            for root in ["/usr/lib", "/lib", "/usr/local/lib"] {
                folders.push(std::path::Path::new(root).join(&multiarch));
                folders.push(root.into());
            }
            folders.extend(["/usr/lib64".into(), "/lib64".into()]);
            folders.iter().any(|folder| TRAY_LIBRARIES.iter().any(|name| folder.join(name).exists()))
        }
        #[cfg(not(target_os = "linux"))]
        {
            true
        }
    })
}

/// Shows, refreshes or removes the tray icon as the settings and the
/// register say: shown with today's counts when the officer keeps
/// Clausebook in the tray and the desktop can show it, removed otherwise.
/// Returns whether an icon is shown.
pub async fn sync_tray<R: Runtime>(app: &AppHandle<R>) -> bool {
    let state = app.state::<AppState>();
    let wanted = tray_available() && state.run(|s| s.settings()).await.is_ok_and(|s| s.tray);
    if !wanted {
        let _ = app.remove_tray_by_id(TRAY);
        return false;
    }
    let words = match state.run(|s| remind::tray(s, clock::today())).await {
        Ok(words) => words,
        Err(_) => return false,
    };
    match show_tray(app, &words) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("clausebook: the tray icon could not be shown: {e}");
            false
        }
    }
}

fn show_tray<R: Runtime>(app: &AppHandle<R>, words: &remind::Tray) -> tauri::Result<()> {
    let summary = MenuItem::with_id(app, "summary", &words.summary, false, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let open = MenuItem::with_id(app, "open", &words.open, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", &words.quit, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&summary, &separator, &open, &quit])?;
    let label = (!words.label.is_empty()).then_some(words.label.as_str());
    if let Some(tray) = app.tray_by_id(TRAY) {
        tray.set_menu(Some(menu))?;
        tray.set_title(label)?;
        tray.set_tooltip(Some(&words.summary))?;
        return Ok(());
    }
    let mut builder =
        TrayIconBuilder::with_id(TRAY).menu(&menu).tooltip(&words.summary).show_menu_on_left_click(true).on_menu_event(
            |app, event| match event.id().as_ref() {
                "open" => show_window(app),
                "quit" => {
                    let app = app.clone();
                    tauri::async_runtime::spawn(async move { end_after_backups(&app, || app.exit(0)).await });
                }
                _ => {}
            },
        );
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    if let Some(label) = label {
        builder = builder.title(label);
    }
    builder.build(app)?;
    Ok(())
}

/// Brings the main window back: shown, restored and focused. An app that
/// was ending once its backups were made goes on instead.
pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<AppState>() {
        state.keep_running();
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// The officer closed the window (its close was held back): with the tray
/// on, the app goes on running there; otherwise the window closes, and
/// with it the app, once its backups are made.
pub async fn on_close<R: Runtime>(window: WebviewWindow<R>) {
    if sync_tray(window.app_handle()).await {
        let _ = window.hide();
    } else {
        end_after_backups(window.app_handle(), || {
            let _ = window.destroy();
        })
        .await;
    }
}

/// Ends the app with `end`, once no backup is being made: ending at once
/// would cut off the copy of the register as it was before an import, or
/// the day's backup (a large register takes half a minute). Meanwhile the
/// window is hidden, and a second launch or the tray's "Open" brings it
/// back: then the app goes on, as if it had not been closed.
pub async fn end_after_backups<R: Runtime>(app: &AppHandle<R>, end: impl FnOnce()) {
    let state = app.state::<AppState>();
    state.begin_ending();
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.hide();
    }
    state.wait_for_backups().await;
    if state.still_ending() {
        end();
    }
}

/// A start from the session's autostart entry with the tray on goes
/// straight to the tray.
pub async fn on_start<R: Runtime>(app: AppHandle<R>) {
    if std::env::args().any(|a| a == AUTOSTART_ARG)
        && sync_tray(&app).await
        && let Some(window) = app.get_webview_window("main")
    {
        let _ = window.hide();
    }
}

/// Sets the autostart entry (`Some`) and reads it back.
type AutostartEntry = Box<dyn Fn(Option<bool>) -> Result<bool, String> + Send + Sync>;

/// Starting with the session, as the desktop's autostart entry says; absent
/// where the app runs without the autostart plugin (the IPC tests).
pub struct Autostart {
    entry: Option<AutostartEntry>,
}

impl Autostart {
    /// No autostart: the app cannot start with the session here.
    pub fn unavailable() -> Self {
        Autostart { entry: None }
    }

    /// The autostart plugin's entry, when the plugin is registered.
    pub fn of<R: Runtime>(app: &AppHandle<R>) -> Self {
        use tauri_plugin_autostart::{AutoLaunchManager, ManagerExt};
        if app.try_state::<AutoLaunchManager>().is_none() {
            return Self::unavailable();
        }
        let app = app.clone();
        Autostart {
            entry: Some(Box::new(move |set| {
                let manager = app.autolaunch();
                match set {
                    Some(true) => manager.enable().map_err(|e| e.to_string())?,
                    Some(false) => manager.disable().map_err(|e| e.to_string())?,
                    None => {}
                }
                manager.is_enabled().map_err(|e| e.to_string())
            })),
        }
    }

    /// Whether the app starts with the session; `None` where it cannot.
    pub fn get(&self) -> Result<Option<bool>, DesktopError> {
        self.entry.as_ref().map(|f| f(None).map_err(|reason| DesktopError::Autostart { on: false, reason })).transpose()
    }

    /// Turns starting with the session on or off.
    pub fn set(&self, on: bool) -> Result<Option<bool>, DesktopError> {
        self.entry.as_ref().map(|f| f(Some(on)).map_err(|reason| DesktopError::Autostart { on, reason })).transpose()
    }
}
