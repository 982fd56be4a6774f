//! Backups: copies of the register made with SQLite's online backup API,
//! each checked and described by a manifest, rotated, and restored.
//!
//! A backup is written to a temporary name in the backup folder (`backups/`
//! beside the register), switched out of WAL mode, checked with
//! `PRAGMA integrity_check`, counted, hashed (SHA-256), and only then renamed
//! to its final name, its manifest (`<name>.json`) last. A folder therefore
//! holds complete, checked backups and, after a crash, at most a `.partial`
//! file that the next backup removes; a backup without its manifest is not
//! listed.
//!
//! Rotation keeps the newest backup of each of the last 7 days, 4 weeks and
//! 12 months that have one ([`rotate`]). A second folder (a USB stick, a
//! share; the setting `backup_mirror`) receives a copy of each backup when it
//! is present, rotated the same way.
//!
//! One backup at a time per folder: each holds the folder's lock file
//! (`.lock`) while it names, writes, renames and rotates, so the app's daily
//! backup, an import's and the command line's never take the same name or
//! remove each other's unfinished file. A backup waits for the folder at
//! most [`FOLDER_PATIENCE`], then fails with [`BackupError::FolderBusy`]: a
//! program that hangs while holding it cannot keep a backup, or the app's
//! close that waits for one, waiting for ever.
//!
//! The backup before an import is made beside it ([`Store::backup_beside`]):
//! a read-only connection of its own fixes the register as it is before the
//! import, and a thread copies that moment while the import goes on. An
//! officer does not wait for the copy of a large register (a million clauses
//! or many scanned attachments: 8–25 s) before the import is done; the
//! import is one transaction, undoable from its history, and the backup of
//! the moment before it is finished before the app or the command line ends
//! ([`Store::finish_backups`]).
//!
//! A restore checks the chosen file as it would check a backup, backs the
//! current register up first, then copies the file's pages into the open
//! connection in one step: one write transaction, so a crash leaves either
//! the old register or the restored one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Datelike, Utc};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Result, SCHEMA_VERSION, Store, StoreError};
use crate::detail::{Param, Params};
use crate::vocab::BackupReason;

/// How many backups rotation keeps: the newest of each of this many days,
/// weeks and months.
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 4;
pub const KEEP_MONTHLY: usize = 12;
/// A start makes a backup when the newest is older than this.
pub const DAILY_HOURS: i64 = 24;

/// The setting naming the second folder that receives a copy of each backup.
pub(crate) const MIRROR: &str = "backup_mirror";

/// Why a backup or a restore failed. Each kind has a stable
/// [`code`](Self::code).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A register in memory has no folder to back up to.
    #[error("this register lives in memory only: there is no file to back up")]
    NoFolder,
    /// The backup or its manifest could not be written: no space, no
    /// permission, a folder that went away.
    #[error("could not write the backup in {path}: {reason}; free some space or choose another folder")]
    Write { path: PathBuf, reason: String },
    /// The chosen file does not exist or cannot be read.
    #[error("cannot read {file}: {reason}")]
    Read { file: PathBuf, reason: String },
    /// The chosen file is not a Clausebook register.
    #[error("{file} is not a Clausebook register or backup: choose a file from the backups folder")]
    NotARegister { file: PathBuf },
    /// The chosen file is damaged (or a fresh copy failed its check).
    #[error("{file} is damaged ({problem}): choose another backup")]
    Damaged { file: PathBuf, problem: String },
    /// The chosen file was written by a newer Clausebook.
    #[error(
        "{file} was written by a newer Clausebook (schema {found}; this one knows up to {known}): update Clausebook to restore it"
    )]
    Newer { file: PathBuf, found: i64, known: usize },
    /// A second backup folder given as a relative path.
    #[error("{path} is not a full folder path: choose the folder, e.g. /media/usb/backups")]
    RelativeFolder { path: PathBuf },
    /// Another backup (or another program) held the backup folder for longer
    /// than a backup waits for it ([`FOLDER_PATIENCE`]).
    #[error(
        "{path} was kept busy by another backup for over {minutes} minutes: close any other Clausebook using this folder, then back up again"
    )]
    FolderBusy { path: PathBuf, minutes: u64 },
    /// The register itself failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::NoFolder => "backup_no_folder",
            BackupError::Write { .. } => "backup_write",
            BackupError::Read { .. } => "backup_read",
            BackupError::NotARegister { .. } => "backup_not_register",
            BackupError::Damaged { .. } => "backup_damaged",
            BackupError::Newer { .. } => "backup_newer",
            BackupError::RelativeFolder { .. } => "backup_folder_relative",
            BackupError::FolderBusy { .. } => "backup_folder_busy",
            BackupError::Store(e) => e.code(),
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        let path = |p: &Path| ("path", Param::Text(p.display().to_string()));
        match self {
            BackupError::NoFolder => Vec::new(),
            BackupError::Write { path: p, .. } => vec![path(p)],
            BackupError::Read { file, .. } | BackupError::NotARegister { file } | BackupError::Damaged { file, .. } => {
                vec![path(file)]
            }
            BackupError::RelativeFolder { path: p } => vec![path(p)],
            BackupError::FolderBusy { path: p, minutes } => vec![path(p), ("minutes", Param::Number(*minutes as i64))],
            BackupError::Newer { file, found, known } => {
                vec![path(file), ("found", Param::Number(*found)), ("known", Param::Number(*known as i64))]
            }
            BackupError::Store(e) => e.params(),
        }
    }

    /// One error of every variant of its own, for [`crate::catalog`].
    pub fn examples() -> Vec<BackupError> {
        let file = PathBuf::from("/media/usb/clausebook-20261204-091500-daily.sqlite3");
        let all = vec![
            BackupError::NoFolder,
            BackupError::Write { path: PathBuf::from("/media/usb"), reason: "No space left on device".into() },
            BackupError::Read { file: file.clone(), reason: "No such file or directory".into() },
            BackupError::NotARegister { file: file.clone() },
            BackupError::Damaged { file: file.clone(), problem: "database disk image is malformed".into() },
            BackupError::Newer { file, found: 99, known: 1 },
            BackupError::RelativeFolder { path: PathBuf::from("backups") },
            BackupError::FolderBusy { path: PathBuf::from("/media/usb"), minutes: 15 },
        ];
        for e in &all {
            match e {
                BackupError::NoFolder
                | BackupError::Write { .. }
                | BackupError::Read { .. }
                | BackupError::NotARegister { .. }
                | BackupError::Damaged { .. }
                | BackupError::Newer { .. }
                | BackupError::RelativeFolder { .. }
                | BackupError::FolderBusy { .. }
                | BackupError::Store(_) => {}
            }
        }
        all
    }
}

/// What a register holds, as a backup's manifest records it (live records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RegisterCounts {
    pub partners: u32,
    pub agreements: u32,
    pub clauses: u32,
    pub notes: u32,
}

/// A backup, as its manifest describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupManifest {
    /// The backup's file name in its folder.
    pub file: String,
    /// When it was made, UTC (RFC 3339).
    pub created_at: String,
    pub reason: BackupReason,
    /// The Clausebook that made it.
    pub app_version: String,
    pub schema_version: u32,
    pub counts: RegisterCounts,
    /// The file's size in bytes.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

/// A backup just made, and where its copies went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupMade {
    pub manifest: BackupManifest,
    /// The backup's full path.
    pub path: String,
    /// The second folder's copy, when that folder is set and present.
    pub mirrored_to: Option<String>,
    /// Older backups rotation removed.
    pub removed: u32,
}

/// The Backups section of Settings: where backups go, and what is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupOverview {
    /// The backup folder beside the register.
    pub folder: String,
    /// The second folder, if one is set.
    pub mirror: Option<String>,
    /// Whether the second folder is there now (a USB stick may not be).
    pub mirror_present: bool,
    /// The backups in the folder, newest first.
    pub backups: Vec<ListedBackup>,
    /// Backups of the register as it was before an import, still being made
    /// beside it ([`Store::backup_beside`]); they join the list when done.
    pub under_way: u32,
    /// Backups made beside an import that failed since the register was
    /// opened, oldest first: the import is in the register, without the
    /// backup of the moment before it.
    pub failed: Vec<FailedBackup>,
}

/// A backup made beside a change that failed, with its error as front ends
/// receive errors (`code`, `message`, `params`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FailedBackup {
    pub reason: BackupReason,
    /// When the moment it was to hold was fixed, UTC (RFC 3339).
    pub at: String,
    pub code: String,
    pub message: String,
    pub params: std::collections::BTreeMap<String, crate::detail::ErrorParam>,
}

/// A backup in its folder: where it is, and its manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ListedBackup {
    /// The backup's full path, as a restore takes it.
    pub path: String,
    pub manifest: BackupManifest,
}

/// A restore done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Restored {
    /// The file restored from.
    pub from: String,
    /// What the register holds now.
    pub counts: RegisterCounts,
    /// Where the register as it was just before is kept: the backup made
    /// first, or the unopenable file set aside.
    pub previous: String,
}

type BResult<T> = std::result::Result<T, BackupError>;

/// A backup being made on a thread of its own, of the register as it was
/// when the backup began ([`Store::backup_beside`]).
#[derive(Debug)]
pub struct BackupUnderWay {
    thread: std::thread::JoinHandle<BResult<BackupMade>>,
    folder: PathBuf,
    reason: BackupReason,
    at: DateTime<Utc>,
}

impl BackupUnderWay {
    /// Waits until the backup is written, checked and in place.
    pub fn finish(self) -> BResult<BackupMade> {
        let folder = self.folder;
        self.thread.join().unwrap_or_else(|_| {
            Err(BackupError::Write { path: folder, reason: "the backup's thread stopped unexpectedly".into() })
        })
    }
}

impl Store {
    /// Makes every large change (an import) back the register up first.
    /// The command line and the app turn this on; tests and benches that
    /// measure imports leave it off.
    pub fn enable_auto_backups(&mut self) {
        self.auto_backups = true;
    }

    /// How long this register's backups wait for their folder while another
    /// backup holds it ([`FOLDER_PATIENCE`] unless set).
    pub fn set_backup_patience(&mut self, patience: Duration) {
        self.backup_patience = patience;
    }

    /// Before a large change: a backup, when automatic backups are on and
    /// the register holds something to lose.
    pub(crate) fn backup_before(&self, reason: BackupReason) -> Result<()> {
        if self.auto_backups && self.path.is_some() && !self.is_empty()? {
            self.backup(reason).map_err(|e| StoreError::BackupFirst { reason: e.to_string() })?;
        }
        Ok(())
    }

    /// Before a large change that can be undone from its history (an
    /// import): a backup of the register as it is now, made on a thread of
    /// its own while the change goes on, when automatic backups are on and
    /// the register holds something to lose.
    ///
    /// The moment is fixed before this returns: a read-only connection opens
    /// a read transaction, and the backup copies what that transaction sees
    /// (in WAL mode a reader keeps its snapshot while another connection
    /// commits). A folder that cannot be written to refuses the change here,
    /// before anything is written; a failure later (the disk filling up
    /// during the copy) is reported by [`Store::finish_backups`].
    pub(crate) fn backup_beside(&mut self, reason: BackupReason) -> Result<()> {
        let Some(register) = self.path.clone().filter(|_| self.auto_backups) else { return Ok(()) };
        self.settle_backups();
        let dir = backup_dir_of(&register);
        let first = |e: &dyn std::fmt::Display| StoreError::BackupFirst { reason: format!("{}: {e}", dir.display()) };
        let conn = Connection::open_with_flags(&register, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| first(&e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| first(&e))?;
        // The first read fixes the moment the backup copies.
        conn.execute_batch("BEGIN").map_err(|e| first(&e))?;
        if super::is_empty(&conn).map_err(|e| first(&e))? {
            return Ok(());
        }
        // A folder where no file can be made refuses the change now.
        let probe = dir.join(format!(".probe-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .and_then(|()| open_lock(&dir))
            .and_then(|_| std::fs::write(&probe, b""))
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| first(&e))?;
        let mirror = self.backup_mirror()?;
        let patience = self.backup_patience;
        let at = Utc::now();
        let folder = dir.clone();
        let into = dir.clone();
        let thread = std::thread::Builder::new()
            .name("backup".into())
            .spawn(move || {
                let how = Rotation { rotate: true, protect: None, mirror: mirror.as_deref(), patience };
                backup_connection(&conn, &into, reason, how, Some(at))
            })
            .map_err(|e| first(&e))?;
        self.backups_under_way.push(BackupUnderWay { thread, folder, reason, at });
        Ok(())
    }

    /// Takes in the backups made beside earlier changes that have ended:
    /// a failed one is kept for [`Store::backup_overview`] to show.
    fn settle_backups(&mut self) {
        let (ended, going): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.backups_under_way).into_iter().partition(|b| b.thread.is_finished());
        self.backups_under_way = going;
        for b in ended {
            let (reason, at) = (b.reason, b.at);
            if let Err(e) = b.finish() {
                self.failed_backups.push(FailedBackup {
                    reason,
                    at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    code: e.code().to_owned(),
                    message: e.to_string(),
                    params: crate::detail::named(e.params()),
                });
            }
        }
    }

    /// Waits for the backups still being made beside earlier changes
    /// ([`Store::backup_beside`]) and says how each went, oldest first.
    /// Dropping the store waits for them too, without saying. (Ones that
    /// ended before and failed are in [`BackupOverview::failed`].)
    pub fn finish_backups(&mut self) -> Vec<BResult<BackupMade>> {
        self.backups_under_way.drain(..).map(BackupUnderWay::finish).collect()
    }

    /// How many backups are still being made beside earlier changes.
    pub fn backups_under_way(&self) -> usize {
        self.backups_under_way.iter().filter(|b| !b.thread.is_finished()).count()
    }

    /// The folder automatic backups go to: `backups/` beside the register.
    pub fn backup_dir(&self) -> Option<PathBuf> {
        self.path().map(backup_dir_of)
    }

    /// Backs the register up into its backup folder, rotates the folder, and
    /// copies the backup to the second folder when it is set and present.
    pub fn backup(&self, reason: BackupReason) -> BResult<BackupMade> {
        let dir = self.backup_dir().ok_or(BackupError::NoFolder)?;
        self.backup_into(&dir, reason, true)
    }

    /// Backs the register up into `dir` (created if needed). With `rotate`,
    /// the folder is rotated and the second folder receives a copy.
    pub fn backup_into(&self, dir: &Path, reason: BackupReason, rotate: bool) -> BResult<BackupMade> {
        self.backup_keeping(dir, reason, rotate, None)
    }

    /// [`Store::backup_into`], whose rotation never removes `protect`.
    fn backup_keeping(
        &self,
        dir: &Path,
        reason: BackupReason,
        rotate: bool,
        protect: Option<&Path>,
    ) -> BResult<BackupMade> {
        let mirror = if rotate { self.backup_mirror()? } else { None };
        let how = Rotation { rotate, protect, mirror: mirror.as_deref(), patience: self.backup_patience };
        backup_connection(&self.conn, dir, reason, how, None)
    }

    /// Makes the daily backup when the newest backup in the folder is older
    /// than a day (or there is none); `None` when one is recent enough.
    pub fn backup_if_due(&self) -> BResult<Option<BackupMade>> {
        let Some(dir) = self.backup_dir() else { return Ok(None) };
        if !daily_due(&dir) || self.is_empty()? {
            return Ok(None);
        }
        self.backup(BackupReason::Daily).map(Some)
    }

    /// The backups in the backup folder, newest first.
    pub fn backups(&self) -> BResult<Vec<BackupManifest>> {
        let dir = self.backup_dir().ok_or(BackupError::NoFolder)?;
        Ok(list_dir(&dir))
    }

    /// Where backups go and what is there, for Settings.
    pub fn backup_overview(&mut self) -> BResult<BackupOverview> {
        self.settle_backups();
        let dir = self.backup_dir().ok_or(BackupError::NoFolder)?;
        let mirror = self.backup_mirror()?;
        Ok(BackupOverview {
            folder: dir.display().to_string(),
            mirror_present: mirror.as_deref().is_some_and(|m| Path::new(m).is_dir()),
            mirror,
            backups: list_dir(&dir)
                .into_iter()
                .map(|manifest| ListedBackup { path: dir.join(&manifest.file).display().to_string(), manifest })
                .collect(),
            under_way: self.backups_under_way() as u32,
            failed: self.failed_backups.clone(),
        })
    }

    /// The second backup folder, if one is set.
    pub fn backup_mirror(&self) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [MIRROR], |r| r.get::<_, String>(0))
            .optional()?
            .filter(|v| !v.trim().is_empty()))
    }

    /// Sets (or, with `None` or an empty text, clears) the second folder that
    /// receives a copy of every backup. The folder need not be present now
    /// (a USB stick); it must be an absolute path.
    pub fn set_backup_mirror(&mut self, folder: Option<&str>) -> BResult<Option<String>> {
        let folder = folder.map(str::trim).filter(|f| !f.is_empty());
        if let Some(f) = folder
            && !Path::new(f).is_absolute()
        {
            return Err(BackupError::RelativeFolder { path: PathBuf::from(f) });
        }
        let old = self.backup_mirror()?;
        if old.as_deref() == folder {
            return Ok(old);
        }
        self.write(|tx| {
            match folder {
                Some(f) => tx.execute(
                    "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    rusqlite::params![MIRROR, f, tx.now],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [MIRROR])?,
            };
            tx.audit(
                "settings",
                "settings",
                None,
                "update",
                &[crate::model::FieldChange { field: MIRROR.into(), old, new: folder.map(str::to_owned) }],
            )
        })?;
        Ok(self.backup_mirror()?)
    }

    /// The register's size in pages.
    #[doc(hidden)]
    pub fn page_count(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?)
    }

    /// Records a restore in the register's history (under the id
    /// `register`), naming the file it came from.
    fn audit_restore(&mut self, from: &str) -> Result<()> {
        let change = crate::model::FieldChange { field: "from".into(), old: None, new: Some(from.to_owned()) };
        self.write(|tx| tx.audit("settings", "register", None, "restore", &[change]))
    }

    /// Makes SQLite refuse to grow the file past `pages` pages, as a full
    /// disk would: for tests of what a write does when the disk fills.
    #[doc(hidden)]
    pub fn simulate_full_disk_at(&self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    /// Replaces the register's content with the backup `file`, after checking
    /// it and backing the current register up. An older backup is brought up
    /// to this version's schema.
    pub fn restore_backup(&mut self, file: &Path) -> BResult<Restored> {
        let candidate = open_candidate(file)?;
        let facts = check(&candidate, file)?;
        drop(candidate);
        let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| BackupError::Read { file: file.to_owned(), reason: e.to_string() })?;
        // The register as it is, kept; its rotation spares the file being
        // restored.
        let dir = self.backup_dir().ok_or(BackupError::NoFolder)?;
        let previous = self.backup_keeping(&dir, BackupReason::BeforeRestore, true, Some(file))?;
        // The backup API copies every page in one step, as one write
        // transaction on the open register: all of it or none.
        {
            let backup = Backup::new(&src, &mut self.conn).map_err(StoreError::from)?;
            backup.step(-1).map_err(StoreError::from)?;
        }
        // The restored pages carry the backup's journal mode (DELETE).
        self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)).map_err(StoreError::from)?;
        if (facts.schema_version as usize) < SCHEMA_VERSION {
            super::migrate::to_latest(&mut self.conn)?;
        }
        // The log went back in time with the file: what it numbers next
        // goes out under a new register id, so colleagues never take it for
        // changes they have already received.
        super::exchange::renew_register_id(&self.conn)?;
        let from = file.display().to_string();
        self.audit_restore(&from)?;
        Ok(Restored { from, counts: counts(&self.conn).map_err(StoreError::from)?, previous: previous.path })
    }
}

/// How a backup treats its folder: how long it waits for it, and what it
/// does with it afterwards.
struct Rotation<'a> {
    rotate: bool,
    /// A file rotation must not remove (the one being restored).
    protect: Option<&'a Path>,
    /// The second folder that receives a copy, when rotating.
    mirror: Option<&'a str>,
    /// How long the backup waits while the folder is held.
    patience: Duration,
}

/// The lock file in a backup folder that one backup at a time holds.
pub const FOLDER_LOCK: &str = ".lock";

/// Opens (creating it) the lock file of the backup folder `dir`.
fn open_lock(dir: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.join(FOLDER_LOCK))
}

/// How long a backup waits for its folder while another backup holds it.
/// A backup of the bench's million-clause register (3 GB) takes about half a
/// minute on a 2-core machine, and its copy to a slow USB stick some
/// minutes; a backup that waits longer than this is waiting for a program
/// that hangs.
pub const FOLDER_PATIENCE: Duration = Duration::from_secs(15 * 60);

/// Takes the backup folder `dir` (it must exist), waiting for a backup that
/// holds it, at most `patience`; the folder is free again when the file is
/// dropped (or the process dies). Every backup holds it from naming its
/// file to rotating.
pub fn hold_folder(dir: &Path, patience: Duration) -> BResult<std::fs::File> {
    let write_err = |e: std::io::Error| io_write(dir, e);
    let lock = open_lock(dir).map_err(write_err)?;
    let until = std::time::Instant::now() + patience;
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(lock),
            Err(std::fs::TryLockError::Error(e)) => return Err(write_err(e)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() >= until => {
                return Err(BackupError::FolderBusy {
                    path: dir.to_owned(),
                    minutes: patience.as_millis().div_ceil(60_000) as u64,
                });
            }
            Err(std::fs::TryLockError::WouldBlock) => std::thread::sleep(FOLDER_LOOK_AGAIN.min(patience)),
        }
    }
}

/// How often a backup waiting for its folder looks again.
const FOLDER_LOOK_AGAIN: Duration = Duration::from_millis(100);

/// Backs the database of `src` up into `dir`: one backup step into a
/// `.partial` file, out of WAL mode, checked, counted, hashed, renamed, its
/// manifest written last; then the folder rotated and the copy made. All of
/// it holds the folder's lock. `at` is when the moment copied was fixed, if
/// before now (a backup beside a change, which may have waited for the lock).
fn backup_connection(
    src: &Connection,
    dir: &Path,
    reason: BackupReason,
    how: Rotation<'_>,
    at: Option<DateTime<Utc>>,
) -> BResult<BackupMade> {
    let write_err = |e: std::io::Error| io_write(dir, e);
    std::fs::create_dir_all(dir).map_err(write_err)?;
    // Released when the file closes, at the end of this function (or when
    // the process dies).
    let _held = hold_folder(dir, how.patience)?;
    let now = at.unwrap_or_else(Utc::now);
    let mut name = format!("clausebook-{}-{}", now.format("%Y%m%d-%H%M%S"), reason.as_str());
    // Two backups in one second (a restore right after an import) get
    // distinct names.
    let mut n = 1;
    while dir.join(format!("{name}.sqlite3")).exists() {
        n += 1;
        name = format!("clausebook-{}-{}-{n}", now.format("%Y%m%d-%H%M%S"), reason.as_str());
    }
    let file = format!("{name}.sqlite3");
    let partial = dir.join(format!("{file}.partial"));
    remove_partials(dir);
    let made = (|| {
        let mut dst = Connection::open(&partial).map_err(|e| sqlite_write(dir, e))?;
        {
            let backup = Backup::new(src, &mut dst).map_err(|e| sqlite_write(dir, e))?;
            // One step: a consistent copy of one moment of the register.
            backup.step(-1).map_err(|e| sqlite_write(dir, e))?;
        }
        // A backup beside a change read in a transaction of its own: ended
        // now, so the register's log can be checkpointed past that moment
        // while the copy is checked and hashed.
        if at.is_some() && !src.is_autocommit() {
            src.execute_batch("COMMIT").map_err(|e| sqlite_write(dir, e))?;
        }
        // A backup is one self-contained file, not a WAL database.
        dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0))
            .map_err(|e| sqlite_write(dir, e))?;
        let facts = check(&dst, &partial)?;
        dst.close().map_err(|(_, e)| sqlite_write(dir, e))?;
        let (bytes, sha256) = hash_file(&partial).map_err(write_err)?;
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(write_err)?;
        let manifest = BackupManifest {
            file: file.clone(),
            created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            reason,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: facts.schema_version,
            counts: facts.counts,
            bytes,
            sha256,
        };
        std::fs::rename(&partial, dir.join(&file)).map_err(write_err)?;
        write_manifest(dir, &manifest).map_err(write_err)?;
        Ok(manifest)
    })();
    let manifest = match made {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    let mut removed = 0;
    let mut mirrored_to = None;
    if how.rotate {
        removed = rotate_dir(dir, now, how.protect);
        if let Some(mirror) = how.mirror.map(PathBuf::from).filter(|m| m.is_dir())
            && mirror != dir
        {
            // A copy that fails (the stick is full) leaves the main backup
            // standing; the next backup tries again, first removing what a
            // copy cut short left there.
            remove_partials(&mirror);
            if copy_backup(dir, &mirror, &manifest).is_ok() {
                rotate_dir(&mirror, now, None);
                mirrored_to = Some(mirror.join(&manifest.file).display().to_string());
            }
        }
    }
    Ok(BackupMade { path: dir.join(&manifest.file).display().to_string(), manifest, mirrored_to, removed })
}

/// Puts the backup `file` in place of a register that cannot be opened (a
/// damaged or foreign file at `register`), after checking the backup. The
/// file that was there is kept, renamed `<name>.unopened-<time>`, never
/// deleted. Returns the register, open.
pub fn restore_in_place(register: &Path, file: &Path) -> BResult<(Store, Restored)> {
    let candidate = open_candidate(file)?;
    check(&candidate, file)?;
    drop(candidate);
    let dir = register.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let write_err = |e: std::io::Error| io_write(dir, e);
    let stamp = Utc::now().format("%Y%m%d-%H%M%S");
    let name = register.file_name().map_or_else(|| "register".into(), |n| n.to_string_lossy().into_owned());
    let aside = dir.join(format!("{name}.unopened-{stamp}"));
    if register.exists() {
        std::fs::rename(register, &aside).map_err(write_err)?;
        for suffix in ["-wal", "-shm"] {
            let side = dir.join(format!("{name}{suffix}"));
            if side.exists() {
                std::fs::rename(&side, dir.join(format!("{name}.unopened-{stamp}{suffix}"))).map_err(write_err)?;
            }
        }
    }
    let tmp = dir.join(format!("{name}.restoring"));
    std::fs::copy(file, &tmp).map_err(write_err)?;
    std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(write_err)?;
    std::fs::rename(&tmp, register).map_err(write_err)?;
    let mut store = Store::open(register)?;
    super::exchange::renew_register_id(&store.conn)?;
    let from = file.display().to_string();
    store.audit_restore(&from)?;
    let counts = counts(&store.conn).map_err(StoreError::from)?;
    Ok((store, Restored { from, counts, previous: aside.display().to_string() }))
}

/// The backup folder of the register at `register`: `backups/` beside it.
pub fn backup_dir_of(register: &Path) -> PathBuf {
    let path = std::path::absolute(register).unwrap_or_else(|_| register.to_owned());
    path.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Whether the newest backup in `dir` is more than a day old, or there is none.
fn daily_due(dir: &Path) -> bool {
    let newest = list_dir(dir).into_iter().filter_map(|m| created(&m)).max();
    newest.is_none_or(|t| Utc::now() - t >= chrono::Duration::hours(DAILY_HOURS))
}

/// The daily backup of the register at `register`, when one is due, through
/// a read-only connection of its own: the app's connection (and so the
/// window) never waits for it, and the app may go on writing meanwhile (the
/// backup step reads one consistent moment of the WAL register).
pub fn daily_backup_of(register: &Path) -> BResult<Option<BackupMade>> {
    if !daily_due(&backup_dir_of(register)) {
        return Ok(None);
    }
    // A new, empty register has nothing to keep yet.
    backup_through_own_connection(register, BackupReason::Daily, true)
}

/// A backup of the register at `register` into its backup folder, rotated
/// and copied to the second folder, through a read-only connection of its
/// own: "Back up now" in the app, which would otherwise hold the register
/// (and every command of the window) while a large register is copied, or
/// while another backup holds the folder.
pub fn backup_of(register: &Path, reason: BackupReason) -> BResult<BackupMade> {
    backup_through_own_connection(register, reason, false)?.ok_or(BackupError::NoFolder)
}

/// A backup through a read-only connection of its own; with `skip_empty`,
/// none of a register that holds nothing.
fn backup_through_own_connection(
    register: &Path,
    reason: BackupReason,
    skip_empty: bool,
) -> BResult<Option<BackupMade>> {
    let dir = backup_dir_of(register);
    let read_err = |e: rusqlite::Error| BackupError::Read { file: register.to_owned(), reason: e.to_string() };
    let conn = Connection::open_with_flags(register, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(read_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(read_err)?;
    if skip_empty && super::is_empty(&conn).map_err(read_err)? {
        return Ok(None);
    }
    let mirror: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [MIRROR], |r| r.get(0))
        .optional()
        .map_err(read_err)?;
    let mirror = mirror.filter(|m| !m.trim().is_empty());
    let how = Rotation { rotate: true, protect: None, mirror: mirror.as_deref(), patience: FOLDER_PATIENCE };
    backup_connection(&conn, &dir, reason, how, None).map(Some)
}

/// What a check of a backup (or a file about to be restored) found.
struct Facts {
    schema_version: u32,
    counts: RegisterCounts,
}

/// Checks that `conn` holds a sound Clausebook register this version can
/// read: the application id (or, for registers from before it was set, the
/// tables), the schema version, `PRAGMA integrity_check`.
fn check(conn: &Connection, file: &Path) -> BResult<Facts> {
    let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => BackupError::NotARegister { file: file.to_owned() },
        _ => BackupError::Damaged { file: file.to_owned(), problem: e.to_string() },
    };
    let kind = super::inspect(conn).map_err(damaged)?;
    match kind {
        super::FileKind::Register { version } if version > SCHEMA_VERSION as i64 => {
            return Err(BackupError::Newer { file: file.to_owned(), found: version, known: SCHEMA_VERSION });
        }
        super::FileKind::Register { .. } => {}
        super::FileKind::Empty | super::FileKind::Foreign => {
            return Err(BackupError::NotARegister { file: file.to_owned() });
        }
    }
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(damaged)?;
    if problems != ["ok"] {
        return Err(BackupError::Damaged { file: file.to_owned(), problem: problems.join("; ") });
    }
    let schema_version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(damaged)?;
    Ok(Facts { schema_version, counts: counts(conn).map_err(damaged)? })
}

/// The live records a register holds.
fn counts(conn: &Connection) -> rusqlite::Result<RegisterCounts> {
    conn.query_row(
        // What the window shows: a clause of a deleted agreement, or a note
        // of a deleted clause (an undone import's), is not counted.
        "SELECT (SELECT count(*) FROM partners WHERE deleted_at IS NULL),
                (SELECT count(*) FROM agreements WHERE deleted_at IS NULL),
                (SELECT count(*) FROM clauses c JOIN agreements a ON a.id = c.agreement_id
                  WHERE c.deleted_at IS NULL AND a.deleted_at IS NULL),
                (SELECT count(*) FROM notes n JOIN clauses c ON c.id = n.clause_id
                  JOIN agreements a ON a.id = c.agreement_id
                  WHERE n.deleted_at IS NULL AND c.deleted_at IS NULL AND a.deleted_at IS NULL)",
        [],
        |r| Ok(RegisterCounts { partners: r.get(0)?, agreements: r.get(1)?, clauses: r.get(2)?, notes: r.get(3)? }),
    )
}

/// Opens a file to restore, read-only, refusing what is plainly not SQLite.
fn open_candidate(file: &Path) -> BResult<Connection> {
    let mut head = [0u8; 16];
    let mut f =
        std::fs::File::open(file).map_err(|e| BackupError::Read { file: file.to_owned(), reason: e.to_string() })?;
    if f.read_exact(&mut head).is_err() || &head != super::SQLITE_MAGIC {
        return Err(BackupError::NotARegister { file: file.to_owned() });
    }
    Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| BackupError::Read { file: file.to_owned(), reason: e.to_string() })
}

fn sqlite_write(dir: &Path, e: rusqlite::Error) -> BackupError {
    BackupError::Write { path: dir.to_owned(), reason: e.to_string() }
}

/// A backup that the file system refused in `dir`.
fn io_write(dir: &Path, e: std::io::Error) -> BackupError {
    BackupError::Write { path: dir.to_owned(), reason: e.to_string() }
}

/// The file's size and SHA-256, read in blocks (a large register is never
/// held in memory).
fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    let digest = hasher.finalize();
    Ok((bytes, digest.iter().map(|b| format!("{b:02x}")).collect()))
}

fn manifest_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(format!("{file}.json"))
}

/// Writes the manifest under a temporary name, synced, then renames it: a
/// manifest is whole or absent.
fn write_manifest(dir: &Path, m: &BackupManifest) -> std::io::Result<()> {
    let path = manifest_path(dir, &m.file);
    let tmp = dir.join(format!("{}.json.partial", m.file));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(serde_json::to_string_pretty(m).expect("a manifest serialises").as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Copies a backup and its manifest into `to`, each under a temporary name
/// first.
fn copy_backup(from: &Path, to: &Path, m: &BackupManifest) -> std::io::Result<()> {
    let tmp = to.join(format!("{}.partial", m.file));
    std::fs::copy(from.join(&m.file), &tmp)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, to.join(&m.file))?;
    write_manifest(to, m)
}

/// Removes what a crash mid-backup left behind: unfinished copies and the
/// journal SQLite kept beside one while writing it.
fn remove_partials(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("clausebook-") && (name.ends_with(".partial") || name.contains(".partial-")) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// The manifests in `dir` whose backup file is there too, newest first.
/// Files that are not manifests, or do not parse, are passed over.
fn list_dir(dir: &Path) -> Vec<BackupManifest> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with("clausebook-") && name.ends_with(".sqlite3.json")) {
            continue;
        }
        // A manifest is a few hundred bytes; anything larger is not one.
        if e.metadata().map_or(true, |m| m.len() > 64 * 1024) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
        let Ok(m) = serde_json::from_str::<BackupManifest>(&text) else { continue };
        if m.file.contains(['/', '\\']) || !dir.join(&m.file).is_file() {
            continue;
        }
        out.push(m);
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.file.cmp(&a.file)));
    out
}

fn created(m: &BackupManifest) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&m.created_at).ok().map(|t| t.with_timezone(&Utc))
}

/// Rotates `dir`: removes the backups [`rotate`] does not keep, with their
/// manifests. Returns how many it removed.
fn rotate_dir(dir: &Path, now: DateTime<Utc>, protect: Option<&Path>) -> u32 {
    let all = list_dir(dir);
    let stamped: Vec<(String, DateTime<Utc>)> =
        all.iter().filter_map(|m| created(m).map(|t| (m.file.clone(), t))).collect();
    let mut removed = 0;
    let protected = protect.and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
    for file in rotate(&stamped, now) {
        if protected.as_deref() == Some(file.as_str()) {
            continue;
        }
        let a = std::fs::remove_file(manifest_path(dir, &file));
        let b = std::fs::remove_file(dir.join(&file));
        if a.is_ok() && b.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Which backups rotation removes: it keeps every backup of the last
/// [`DAILY_HOURS`] hours (the points before each of today's imports), and of
/// the older ones the newest of each of the last [`KEEP_DAILY`] days,
/// [`KEEP_WEEKLY`] ISO weeks and [`KEEP_MONTHLY`] months that have one (a
/// backup may count for all three).
pub fn rotate(backups: &[(String, DateTime<Utc>)], now: DateTime<Utc>) -> Vec<String> {
    let mut sorted: Vec<&(String, DateTime<Utc>)> = backups.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let recent = |t: &DateTime<Utc>| now - *t < chrono::Duration::hours(DAILY_HOURS);
    let mut keep: Vec<bool> = sorted.iter().map(|(_, t)| recent(t)).collect();
    let mut mark = |key: &dyn Fn(&DateTime<Utc>) -> (i32, u32), limit: usize| {
        let mut seen: Vec<(i32, u32)> = Vec::new();
        for (i, (_, t)) in sorted.iter().enumerate() {
            let k = key(t);
            if seen.contains(&k) {
                continue;
            }
            if seen.len() == limit {
                break;
            }
            seen.push(k);
            keep[i] = true;
        }
    };
    mark(&|t| (t.year(), t.ordinal()), KEEP_DAILY);
    mark(&|t| (t.iso_week().year(), t.iso_week().week()), KEEP_WEEKLY);
    mark(&|t| (t.year(), t.month()), KEEP_MONTHLY);
    sorted.iter().zip(keep).filter(|(_, k)| !k).map(|(b, _)| b.0.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn rotation_keeps_seven_days_four_weeks_twelve_months() {
        // Two backups a day (09:00 and 17:00) for 400 days up to 2026-12-04.
        let end = at(2026, 12, 4, 17);
        let mut all = Vec::new();
        for day in 0..400 {
            for h in [8, 0] {
                let t = end - chrono::Duration::days(day) - chrono::Duration::hours(h);
                all.push((format!("b{}", t.format("%Y%m%d%H")), t));
            }
        }
        let removed = rotate(&all, end + chrono::Duration::days(2));
        let kept: Vec<&DateTime<Utc>> = all.iter().filter(|(f, _)| !removed.contains(f)).map(|(_, t)| t).collect();
        let mut days: Vec<_> = kept.iter().map(|t| t.date_naive()).collect();
        days.sort();
        days.dedup();
        assert_eq!(days.len(), kept.len(), "one backup per kept day");
        // 28 Nov to 4 Dec (7 days); of the 4 weeks, 4 Dec and 29 Nov are
        // among them, 22 and 15 Nov (Sundays) are added; of the 12 months,
        // December and November are kept already, the last days of January
        // to October are added: 7 + 2 + 10.
        assert_eq!(kept.len(), 7 + 2 + 10, "{kept:?}");
        assert!(kept.iter().all(|t| t.format("%H").to_string() == "17"), "the newest of each day");
        assert_eq!(kept.iter().min().unwrap().date_naive(), chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    }

    #[test]
    fn rotation_keeps_few_backups_and_always_the_newest() {
        let later = at(2026, 3, 1, 9);
        assert!(rotate(&[], later).is_empty());
        let one = vec![("a".to_owned(), at(2026, 1, 1, 9))];
        assert!(rotate(&one, later).is_empty());
        // Three on one day: all kept for a day, then only the newest.
        let same_day = vec![
            ("a".to_owned(), at(2026, 1, 1, 9)),
            ("b".to_owned(), at(2026, 1, 1, 10)),
            ("c".to_owned(), at(2026, 1, 1, 11)),
        ];
        assert!(rotate(&same_day, at(2026, 1, 1, 20)).is_empty());
        let next_morning = at(2026, 1, 2, 9) + chrono::Duration::minutes(30);
        assert_eq!(rotate(&same_day, next_morning), vec!["a".to_owned()], "a is 24½ hours old, b 23½");
        assert_eq!(rotate(&same_day, later), vec!["b".to_owned(), "a".to_owned()]);
    }
}
