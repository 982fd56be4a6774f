//! The Clausebook desktop app. Everything happens in [`clausebook_app::run`].

// No console window on Windows release builds.
#![cfg_attr(all(not(debug_assertions), target_os = "windows"), windows_subsystem = "windows")]

fn main() {
    clausebook_app::run();
}
