//! The reminder loop: at start and every hour, what the core's reminders
//! hold that is new since the last check becomes one desktop notification
//! (tauri-plugin-notification, which reaches the desktop's notification
//! service over D-Bus on Linux; no network). Which clauses, and the words,
//! are the core's (`store::reminders`, `remind`); this only asks and shows.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clausebook_core::clock;
use clausebook_core::remind::{self, Notifier};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

/// How often the app looks again while it runs.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// Starts the loop on a thread of its own; the first check comes at once.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let notifier = Arc::new(Mutex::new(Notifier::new()));
    std::thread::spawn(move || {
        loop {
            tauri::async_runtime::block_on(async {
                check(&app, &notifier).await;
                // The tray, when the app runs there, shows the new counts.
                if app.tray_by_id(crate::desktop::TRAY).is_some() {
                    crate::desktop::sync_tray(&app).await;
                }
            });
            std::thread::sleep(EVERY);
        }
    });
}

async fn check<R: Runtime>(app: &AppHandle<R>, notifier: &Arc<Mutex<Notifier>>) {
    let notifier = Arc::clone(notifier);
    let found = app
        .state::<AppState>()
        .run(move |s| {
            let mut notifier = notifier.lock().unwrap_or_else(|p| p.into_inner());
            remind::check(s, &mut notifier, clock::today())
        })
        .await;
    match found {
        Ok(Some(n)) => {
            if let Err(e) = app.notification().builder().title(n.title).body(n.body).show() {
                eprintln!("clausebook: the reminder notification was not shown: {e}");
            }
        }
        Ok(None) => {}
        // A register that could not be opened says so in the window.
        Err(_) => {}
    }
}
