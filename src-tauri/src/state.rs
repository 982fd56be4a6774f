//! The app's state: the one open register, behind a mutex (the store is a
//! single SQLite connection; commands take turns), and the way commands use
//! it: [`AppState::run`] calls the core on a blocking thread, so no command
//! holds the window's thread while it waits for the register or works.
//!
//! A register that cannot be opened (not a register, damaged, newer, read
//! only) does not stop the app: the state keeps the reason, every command
//! answers with it, and the window shows it with a way out, restoring a
//! backup ([`AppState::restore`]).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clausebook_core::store::backup::{BackupMade, Restored, backup_of, daily_backup_of, restore_in_place};
use clausebook_core::vocab::BackupReason;
use clausebook_core::{Store, StoreError};

use crate::error::{AppError, CmdResult};

/// The register, or why it could not be opened. (Boxed: the slot is made
/// once and the register is much larger than an error.)
enum Slot {
    Open(Box<Store>),
    Unopened(AppError),
}

pub struct AppState {
    store: Arc<Mutex<Slot>>,
    path: PathBuf,
    /// Backups being made through connections of their own (the daily one,
    /// "Back up now"); those beside imports the store counts itself.
    own_backups: Arc<AtomicUsize>,
    /// Set while the app, its window closed, waits for its backups before
    /// it ends; cleared when the window is brought back.
    ending: AtomicBool,
}

/// Counts a backup through its own connection while it is being made.
struct OwnBackup(Arc<AtomicUsize>);

impl OwnBackup {
    fn start(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        OwnBackup(Arc::clone(count))
    }
}

impl Drop for OwnBackup {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AppState {
    /// Opens (creating if needed) the register at `path`, with automatic
    /// backups before imports.
    pub fn open(path: PathBuf) -> Result<Self, StoreError> {
        let mut store = Store::open(&path)?;
        store.enable_auto_backups();
        Ok(AppState::with(Slot::Open(Box::new(store)), path))
    }

    /// Opens the register at `path`, or keeps why it could not be opened:
    /// every command then answers with that error until a backup is
    /// restored in its place.
    pub fn open_or_explain(path: PathBuf) -> Self {
        match Self::open(path.clone()) {
            Ok(state) => state,
            Err(e) => AppState::with(Slot::Unopened(AppError::from(e)), path),
        }
    }

    fn with(slot: Slot, path: PathBuf) -> Self {
        AppState {
            store: Arc::new(Mutex::new(slot)),
            path,
            own_backups: Arc::new(AtomicUsize::new(0)),
            ending: AtomicBool::new(false),
        }
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
            let mut slot = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match &mut *slot {
                Slot::Open(store) => f(store).map_err(AppError::from),
                Slot::Unopened(why) => Err(why.clone()),
            }
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) => Err(AppError::new("ipc", format!("the register's worker stopped: {e}"))),
        }
    }

    /// Restores the backup `file`: into the open register, or, when the
    /// register could not be opened, in its place (the file that was there
    /// is kept beside it), which opens it.
    pub async fn restore(&self, file: PathBuf) -> CmdResult<Restored> {
        let store = Arc::clone(&self.store);
        let path = self.path.clone();
        let joined = tauri::async_runtime::spawn_blocking(move || {
            let mut slot = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match &mut *slot {
                Slot::Open(store) => store.restore_backup(&file).map_err(AppError::from),
                Slot::Unopened(_) => {
                    let (mut store, restored) = restore_in_place(&path, &file)?;
                    store.enable_auto_backups();
                    *slot = Slot::Open(Box::new(store));
                    Ok(restored)
                }
            }
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) => Err(AppError::new("ipc", format!("the register's worker stopped: {e}"))),
        }
    }

    /// "Back up now": through a connection of its own, so the window's other
    /// commands go on while a large register is copied (or while another
    /// backup holds the folder).
    pub async fn backup_now(&self) -> CmdResult<BackupMade> {
        if let Slot::Unopened(why) = &*self.store.lock().unwrap_or_else(|p| p.into_inner()) {
            return Err(why.clone());
        }
        let path = self.path.clone();
        let _counted = OwnBackup::start(&self.own_backups);
        off_thread(move || backup_of(&path, BackupReason::Manual)).await
    }

    /// The daily backup, when the newest is more than a day old. A failure
    /// is reported on stderr and does not stop the app; the next start
    /// tries again. It counts as being made from the moment this is called,
    /// before the returned work is spawned, so that a close in the app's
    /// first moments waits for it too.
    pub fn daily_backup(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let counted = OwnBackup::start(&self.own_backups);
        let store = Arc::clone(&self.store);
        let path = self.path.clone();
        async move {
            let _counted = counted;
            let opened = matches!(*store.lock().unwrap_or_else(|p| p.into_inner()), Slot::Open(_));
            if !opened {
                return;
            }
            // A connection of its own: commands go on while a large register
            // is copied.
            if let Err(e) = off_thread(move || daily_backup_of(&path)).await {
                eprintln!("clausebook: the daily backup failed: {}", e.message);
            }
        }
    }

    /// Waits for the backups still being made beside imports (see
    /// `Store::backup_beside`). The app calls it as it ends; a failure is
    /// reported on stderr, as the daily backup's is.
    pub fn finish_backups(&self) {
        let mut slot = self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Slot::Open(store) = &mut *slot {
            for made in store.finish_backups() {
                if let Err(e) = made {
                    eprintln!("clausebook: the backup before an import failed: {e}");
                }
            }
        }
    }

    /// Waits until no backup is being made, however it was started (beside
    /// an import, daily, "Back up now"). The register stays free meanwhile:
    /// the window's commands go on if it is brought back, and a backup that
    /// failed beside an import stays for Settings to show (`RunEvent::Exit`
    /// collects the rest when the app ends).
    pub async fn wait_for_backups(&self) {
        let store = Arc::clone(&self.store);
        let own = Arc::clone(&self.own_backups);
        let _ = tauri::async_runtime::spawn_blocking(move || {
            let beside = || match &*store.lock().unwrap_or_else(|p| p.into_inner()) {
                Slot::Open(store) => store.backups_under_way(),
                Slot::Unopened(_) => 0,
            };
            while own.load(Ordering::SeqCst) + beside() > 0 {
                std::thread::sleep(Duration::from_millis(200));
            }
        })
        .await;
    }

    /// Marks the app as ending once its backups are made (see
    /// `desktop::end_after_backups`).
    pub fn begin_ending(&self) {
        self.ending.store(true, Ordering::SeqCst);
    }

    /// The window was brought back: the app goes on.
    pub fn keep_running(&self) {
        self.ending.store(false, Ordering::SeqCst);
    }

    /// Whether the app is still to end (nothing brought its window back).
    pub fn still_ending(&self) -> bool {
        self.ending.load(Ordering::SeqCst)
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
