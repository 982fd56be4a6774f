//! The app's state: the one open register, behind a mutex (the store is a
//! single SQLite connection; commands take turns), and the way commands use
//! it: [`AppState::run`] calls the core on a blocking thread, so no command
//! holds the window's thread while it waits for the register or works.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clausebook_core::{Store, StoreError};

use crate::error::{AppError, CmdResult};

pub struct AppState {
    store: Arc<Mutex<Store>>,
    path: PathBuf,
}

impl AppState {
    /// Opens (creating if needed) the register at `path`.
    pub fn open(path: PathBuf) -> Result<Self, StoreError> {
        let store = Store::open(&path)?;
        Ok(AppState { store: Arc::new(Mutex::new(store)), path })
    }

    /// Runs one core call with the register, on a thread of the blocking
    /// pool, and maps its error. Commands await it: the window's thread and
    /// the async runtime's workers stay free while a long call (an import, a
    /// 10,000-clause report) runs or waits for the lock.
    pub async fn run<T, E>(&self, f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static) -> CmdResult<T>
    where
        T: Send + 'static,
        E: Send + 'static,
        AppError: From<E>,
    {
        let store = Arc::clone(&self.store);
        let joined = tauri::async_runtime::spawn_blocking(move || {
            // A panic while holding the lock leaves the connection usable:
            // every write is a transaction that rolled back with the panic.
            let mut store = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut store)
        })
        .await;
        match joined {
            Ok(result) => result.map_err(AppError::from),
            Err(e) => Err(AppError::new("ipc", format!("the register's worker stopped: {e}"))),
        }
    }

    pub fn path(&self) -> &PathBuf {
        &self.path
    }
}

/// Runs work that needs no register (typesetting a prepared report) on a
/// thread of the blocking pool.
pub async fn off_thread<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> CmdResult<T>
where
    T: Send + 'static,
    E: Send + 'static,
    AppError: From<E>,
{
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => result.map_err(AppError::from),
        Err(e) => Err(AppError::new("ipc", format!("the worker stopped: {e}"))),
    }
}
