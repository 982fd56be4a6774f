//! The Clausebook desktop app. Everything happens in [`clausebook_app::run`].

// No console window on Windows release builds.
#![cfg_attr(all(not(debug_assertions), target_os = "windows"), windows_subsystem = "windows")]

/// The allocator the command line uses too: imports and exports make and
/// free many small strings, which glibc's allocator frees slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    clausebook_app::run();
}
