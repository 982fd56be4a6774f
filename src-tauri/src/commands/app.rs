//! Settings, the database's whereabouts, and the demo data.

use clausebook_core::demo::DemoCounts;
use clausebook_core::model::{Settings, SettingsPatch};
use serde::Serialize;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    Ok(state.store()?.settings()?)
}

#[tauri::command]
#[specta::specta]
pub fn update_settings(state: State<'_, AppState>, patch: SettingsPatch) -> CmdResult<Settings> {
    Ok(state.store()?.update_settings(patch)?)
}

/// What the Settings screen and the first-start screen need to know.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub database_path: String,
    pub version: String,
    /// The register holds nothing yet: offer the demo.
    pub empty: bool,
    /// The officer's today, the day overdue and due-soon are measured on.
    pub today: chrono::NaiveDate,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    crate::trace_ui_ready();
    Ok(AppInfo {
        database_path: state.path().display().to_string(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        empty: state.store()?.is_empty()?,
        today: state.today(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn load_demo(state: State<'_, AppState>) -> CmdResult<DemoCounts> {
    Ok(state.store()?.load_demo()?)
}
