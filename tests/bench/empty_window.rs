//! The app bench's reference (`scripts/bench-app.sh`): an empty Tauri
//! window, built as the app is (the same package, Tauri features and release
//! profile), showing a blank page from a custom protocol as the app shows
//! its UI. With `CLAUSEBOOK_TRACE_STARTUP` set it prints "ui ready N ms after
//! start" once its page has loaded, as the app does when its UI makes its
//! first call; its memory is that of Tauri and WebKit with nothing in them.

use tauri::webview::PageLoadEvent;
use tauri::{WebviewUrl, WebviewWindowBuilder};

const PAGE: &[u8] = b"<!doctype html><meta charset=utf-8><title>Empty</title><p>Empty window</p>";

fn main() {
    let started = std::time::Instant::now();
    let mut context = tauri::generate_context!();
    // The app's own window is made from the configuration; this one is not.
    context.config_mut().app.windows.clear();
    let built = tauri::Builder::default()
        .register_uri_scheme_protocol("empty", |_ctx, _request| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html")
                .body(PAGE.to_vec())
                .expect("a response")
        })
        .setup(move |app| {
            let url = WebviewUrl::CustomProtocol("empty://localhost/".parse().expect("a URL"));
            WebviewWindowBuilder::new(app, "main", url)
                .title("Empty")
                .inner_size(1320.0, 860.0)
                .on_page_load(move |_window, payload| {
                    if payload.event() == PageLoadEvent::Finished
                        && std::env::var_os("CLAUSEBOOK_TRACE_STARTUP").is_some()
                    {
                        eprintln!("clausebook: ui ready {} ms after start", started.elapsed().as_millis());
                    }
                })
                .build()?;
            Ok(())
        })
        .run(context);
    if let Err(e) = built {
        eprintln!("empty-window: {e}");
        std::process::exit(1);
    }
}
