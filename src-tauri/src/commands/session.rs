//! The desktop session: whether a tray icon can be shown here, and
//! starting with the session (read from and written to the desktop's own
//! autostart entry).

use serde::Serialize;
use tauri::State;

use crate::desktop::{self, Autostart};
use crate::error::CmdResult;

/// What Settings shows of the desktop session.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Desktop {
    /// The desktop can show a tray icon (on Linux: the AppIndicator library
    /// is installed).
    pub tray_available: bool,
    /// The app starts with the session; `null` where it cannot.
    pub autostart: Option<bool>,
}

#[tauri::command]
#[specta::specta]
pub async fn desktop(autostart: State<'_, Autostart>) -> CmdResult<Desktop> {
    Ok(Desktop { tray_available: desktop::tray_available(), autostart: autostart.get()? })
}

#[tauri::command]
#[specta::specta]
pub async fn set_autostart(autostart: State<'_, Autostart>, on: bool) -> CmdResult<Desktop> {
    Ok(Desktop { tray_available: desktop::tray_available(), autostart: autostart.set(on)? })
}
