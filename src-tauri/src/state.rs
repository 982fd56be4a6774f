//! The app's state: the one open register, behind a mutex (the store is a
//! single SQLite connection; commands take turns).

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use clausebook_core::{Store, StoreError};

use crate::error::AppError;

pub struct AppState {
    store: Mutex<Store>,
    path: PathBuf,
}

impl AppState {
    /// Opens (creating if needed) the register at `path`.
    pub fn open(path: PathBuf) -> Result<Self, StoreError> {
        let store = Store::open(&path)?;
        Ok(AppState { store: Mutex::new(store), path })
    }

    /// The register, for one command.
    pub fn store(&self) -> Result<MutexGuard<'_, Store>, AppError> {
        // A panic while holding the lock leaves the connection usable: every
        // write is a transaction that rolled back with the panic.
        Ok(self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    pub fn path(&self) -> &PathBuf {
        &self.path
    }

    /// The officer's today, for overdue and due-soon figures.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Local::now().date_naive()
    }
}
