//! Settings, the database's whereabouts, and the demo data.

use clausebook_core::demo::DemoCounts;
use clausebook_core::model::{Settings, SettingsPatch};
use clausebook_core::{StoreError, clock};
use serde::Serialize;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    state.run(|s| s.settings()).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(state: State<'_, AppState>, patch: SettingsPatch) -> CmdResult<Settings> {
    state.run(move |s| s.update_settings(patch)).await
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
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    crate::trace_ui_ready();
    let database_path = state.path().display().to_string();
    state
        .run(move |s| {
            Ok::<_, StoreError>(AppInfo {
                database_path,
                version: env!("CARGO_PKG_VERSION").to_owned(),
                empty: s.is_empty()?,
                today: clock::today(),
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn load_demo(state: State<'_, AppState>) -> CmdResult<DemoCounts> {
    state.run(|s| s.load_demo()).await
}
