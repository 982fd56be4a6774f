//! The store: the only place that speaks SQL.
//!
//! [`Store`] owns one SQLite connection, configured for safety (WAL,
//! `synchronous=FULL`, foreign keys, a busy timeout, `BEGIN IMMEDIATE` for
//! writes), migrated on open, with the search normaliser registered.
//!
//! Every write goes through [`Store::write`]: one immediate transaction that
//! must also write its audit row, or it is rolled back. Any error rolls the
//! whole write back, so a failed call leaves nothing behind.
//!
//! One submodule per table area: [`partners`], [`agreements`], [`clauses`],
//! [`notes`], [`audit`], [`settings`], [`deletion`], [`search`], [`dashboard`];
//! [`backup`] copies, checks and restores the whole file; `migrate` holds the
//! schema's versions.
//!
//! Opening a file reads what it holds before writing anything to it
//! ([`inspect`]): a file that is not SQLite, another program's database, a
//! damaged file, a newer register or a read-only file is refused with its
//! own error, and the file is left as it was.

pub mod agreements;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod clauses;
pub mod dashboard;
pub mod deletion;
pub mod exchange;
pub mod exports;
pub mod import;
pub mod meetings;
mod migrate;
pub mod notes;
pub mod partners;
pub mod reminders;
pub mod search;
pub mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, TransactionBehavior};

use crate::calendar::CalendarError;
use crate::detail::{Param, Params};
use crate::model::{FieldChange, ValidationError};
use crate::vocab::{
    AgreementKind, AgreementStatus, Calendar, ClauseStatus, ClosedSet, DateDisplay, Lang, OffsetUnit, PartnerKind,
};

/// The page cache of a connection, in KiB (64 MiB): the working set of a
/// million-clause register's hot indexes. An attachment's write shrinks it
/// for its own transaction (see `attachments`).
pub(crate) const PAGE_CACHE_KIB: i64 = 65536;

/// Why a store operation failed. Each kind has a stable [`code`](Self::code).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An input broke a rule; nothing was written.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A date could not be read or does not exist.
    #[error(transparent)]
    Date(#[from] CalendarError),
    /// A meeting's agenda or outcomes do not fit the register.
    #[error(transparent)]
    Meeting(#[from] meetings::MeetingError),
    /// A file could not be attached or written out.
    #[error(transparent)]
    Attachment(#[from] attachments::AttachmentError),
    /// An exchange file was refused, or could not be written.
    #[error(transparent)]
    Exchange(#[from] crate::exchange::ExchangeError),
    /// No live record has this id.
    #[error("no {entity} with id {id}: check the id (a deleted {entity} can be restored from its deletion)")]
    NotFound { entity: &'static str, id: String },
    /// An id prefix matched more than one record.
    #[error("\"{prefix}\" matches more than one {entity}: give more of the id")]
    Ambiguous { entity: &'static str, prefix: String },
    /// Two live sibling clauses would share a number.
    #[error("clause number {number} is already used {scope}: choose another number")]
    DuplicateNumber { number: String, scope: String },
    /// The new parent is the clause itself or one of its descendants.
    #[error("clause {number} cannot be placed under {parent}: that is the clause itself or one of its own sub-clauses")]
    Cycle { number: String, parent: String },
    /// A parent clause from another agreement.
    #[error("the parent clause belongs to another agreement: a clause stays within its agreement")]
    ParentInOtherAgreement,
    /// A partner that live agreements still name.
    #[error("{name} is a party to {count} agreement(s): remove it from them, or delete them, first")]
    PartnerInUse { name: String, count: i64 },
    /// A deletion that is not (or no longer) undoable.
    #[error("nothing to restore for deletion {0}: it was restored already, or the id is wrong")]
    NothingToRestore(String),
    /// Restoring would bring back a clause under a deleted parent.
    #[error("clause {number} was under a clause that is deleted now: restore that clause first")]
    ParentDeleted { number: String },
    /// Demo data goes only into an empty register.
    #[error("the register already holds data: demo data loads only into an empty database")]
    NotEmpty,
    /// The file was written by a newer Clausebook.
    #[error(
        "this database was written by a newer Clausebook (schema {found}; this one knows up to {known}): update Clausebook"
    )]
    NewerSchema { found: i64, known: usize },
    /// Another process holds the write lock for longer than the busy timeout.
    #[error("the database is busy: another program is writing to it; try again in a moment")]
    Busy,
    /// The file could not be opened as a Clausebook database.
    #[error("cannot open {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    /// Any other SQLite failure: a bug or a damaged file.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A stored value this version does not know: a damaged file, or one
    /// written by a newer Clausebook. Nothing is read as a default instead.
    #[error(
        "the register's {table} row {id} holds \"{stored}\" in its {column} column, which this Clausebook does not know: \
         the file may be damaged or written by a newer version; restore a backup or update Clausebook"
    )]
    Damaged { table: &'static str, id: String, column: String, stored: String },
    /// A schema migration failed; the file is unchanged.
    #[error("could not upgrade the database schema: {0}")]
    Migration(String),
    /// An import that was undone already, or an id that names none.
    #[error("nothing to undo for import {0}: it was undone already, or the id is wrong")]
    NothingToUndo(String),
    /// An import whose clauses were changed after it: undoing it would lose
    /// that work.
    #[error("clause {number} was changed after the import: undo those changes first, or edit the clauses by hand")]
    ChangedSinceImport { number: String },
    /// The file is not an SQLite database at all.
    #[error("{path} is not a Clausebook register: open another file, or give a new file name to start a register")]
    NotARegister { path: PathBuf },
    /// An SQLite database that belongs to another program.
    #[error(
        "{path} is another program's database, not a Clausebook register; nothing was written to it: open another file"
    )]
    ForeignDatabase { path: PathBuf },
    /// SQLite found the file damaged.
    #[error("the register file is damaged ({reason}): restore a backup, or open another file")]
    DamagedFile { reason: String },
    /// The file or its folder can only be read.
    #[error(
        "the register can only be read here: ask for permission to write to it, or copy it where you can write and open the copy"
    )]
    ReadOnly,
    /// The disk filled up during a write; the write was rolled back.
    #[error("the disk is full: nothing of this change was written; free some space and try again")]
    DiskFull,
    /// The backup a large change makes first failed, so the change was not
    /// made.
    #[error("nothing was changed: backing the register up first failed ({reason})")]
    BackupFirst { reason: String },
}

impl StoreError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Invalid(e) => e.code(),
            StoreError::Date(e) => e.code(),
            StoreError::Meeting(e) => e.code(),
            StoreError::Attachment(e) => e.code(),
            StoreError::Exchange(e) => e.code(),
            StoreError::NotFound { .. } => "not_found",
            StoreError::Ambiguous { .. } => "ambiguous_id",
            StoreError::DuplicateNumber { .. } => "duplicate_number",
            StoreError::Cycle { .. } => "cycle",
            StoreError::ParentInOtherAgreement => "parent_in_other_agreement",
            StoreError::PartnerInUse { .. } => "partner_in_use",
            StoreError::NothingToRestore(_) => "nothing_to_restore",
            StoreError::ParentDeleted { .. } => "parent_deleted",
            StoreError::NotEmpty => "not_empty",
            StoreError::NewerSchema { .. } => "newer_schema",
            StoreError::Busy => "busy",
            StoreError::Open { .. } => "cannot_open",
            StoreError::Sqlite(_) => "database",
            StoreError::Migration(_) => "migration",
            StoreError::Damaged { .. } => "damaged_row",
            StoreError::NothingToUndo(_) => "nothing_to_undo",
            StoreError::ChangedSinceImport { .. } => "changed_since_import",
            StoreError::NotARegister { .. } => "not_a_register",
            StoreError::ForeignDatabase { .. } => "foreign_database",
            StoreError::DamagedFile { .. } => "damaged_file",
            StoreError::ReadOnly => "read_only",
            StoreError::DiskFull => "disk_full",
            StoreError::BackupFirst { .. } => "backup_first",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        match self {
            StoreError::Invalid(e) => e.params(),
            StoreError::Date(e) => e.params(),
            StoreError::Meeting(e) => e.params(),
            StoreError::Attachment(e) => e.params(),
            StoreError::Exchange(e) => e.params(),
            StoreError::Ambiguous { prefix, .. } => vec![("prefix", Param::Text(prefix.clone()))],
            StoreError::DuplicateNumber { number, .. }
            | StoreError::ParentDeleted { number }
            | StoreError::ChangedSinceImport { number } => {
                vec![("number", Param::Text(number.clone()))]
            }
            StoreError::Cycle { number, parent } => {
                vec![("number", Param::Text(number.clone())), ("parent", Param::Text(parent.clone()))]
            }
            StoreError::PartnerInUse { name, count } => {
                vec![("name", Param::Text(name.clone())), ("count", Param::Number(*count))]
            }
            StoreError::NewerSchema { found, known } => {
                vec![("found", Param::Number(*found)), ("known", Param::Number(*known as i64))]
            }
            StoreError::Open { path, .. }
            | StoreError::NotARegister { path }
            | StoreError::ForeignDatabase { path } => vec![("path", Param::Text(path.display().to_string()))],
            StoreError::Damaged { table, id, column, stored } => vec![
                ("table", Param::Text((*table).to_owned())),
                ("id", Param::Text(id.clone())),
                ("column", Param::Text(column.clone())),
                ("stored", Param::Text(stored.clone())),
            ],
            StoreError::NotFound { .. }
            | StoreError::ParentInOtherAgreement
            | StoreError::NothingToRestore(_)
            | StoreError::NothingToUndo(_)
            | StoreError::NotEmpty
            | StoreError::Busy
            | StoreError::Sqlite(_)
            | StoreError::Migration(_)
            | StoreError::DamagedFile { .. }
            | StoreError::ReadOnly
            | StoreError::DiskFull => Vec::new(),
            StoreError::BackupFirst { reason } => vec![("reason", Param::Text(reason.clone()))],
        }
    }

    /// One error of every variant of its own (the wrapped enums give theirs),
    /// for [`crate::detail::catalog`]; the match fails to compile when a
    /// variant is added, as a reminder to add it here.
    pub fn examples() -> Vec<StoreError> {
        let all = vec![
            StoreError::NotFound { entity: "clause", id: "0192f0c1".into() },
            StoreError::Ambiguous { entity: "clause", prefix: "0192".into() },
            StoreError::DuplicateNumber { number: "3.1".into(), scope: "under clause 3".into() },
            StoreError::Cycle { number: "3".into(), parent: "3.1".into() },
            StoreError::ParentInOtherAgreement,
            StoreError::PartnerInUse { name: "IOM".into(), count: 2 },
            StoreError::NothingToRestore("0192f0c1".into()),
            StoreError::ParentDeleted { number: "3".into() },
            StoreError::NotEmpty,
            StoreError::NewerSchema { found: 9, known: 1 },
            StoreError::Busy,
            StoreError::Open { path: PathBuf::from("/tmp/register.sqlite3"), reason: "permission denied".into() },
            StoreError::Sqlite(rusqlite::Error::InvalidQuery),
            StoreError::Damaged {
                table: "clauses",
                id: "0192f0c1".into(),
                column: "status".into(),
                stored: "finished".into(),
            },
            StoreError::Migration("example".into()),
            StoreError::NothingToUndo("0192f0c1".into()),
            StoreError::ChangedSinceImport { number: "3.1".into() },
            StoreError::NotARegister { path: PathBuf::from("/home/officer/report.pdf") },
            StoreError::ForeignDatabase { path: PathBuf::from("/home/officer/other-program.sqlite3") },
            StoreError::DamagedFile { reason: "database disk image is malformed".into() },
            StoreError::ReadOnly,
            StoreError::DiskFull,
            StoreError::BackupFirst { reason: "No space left on device".into() },
        ];
        for e in &all {
            match e {
                StoreError::Invalid(_)
                | StoreError::Date(_)
                | StoreError::Meeting(_)
                | StoreError::Attachment(_)
                | StoreError::Exchange(_)
                | StoreError::NotFound { .. }
                | StoreError::Ambiguous { .. }
                | StoreError::DuplicateNumber { .. }
                | StoreError::Cycle { .. }
                | StoreError::ParentInOtherAgreement
                | StoreError::PartnerInUse { .. }
                | StoreError::NothingToRestore(_)
                | StoreError::ParentDeleted { .. }
                | StoreError::NotEmpty
                | StoreError::NewerSchema { .. }
                | StoreError::Busy
                | StoreError::Open { .. }
                | StoreError::Sqlite(_)
                | StoreError::Damaged { .. }
                | StoreError::Migration(_)
                | StoreError::NothingToUndo(_)
                | StoreError::ChangedSinceImport { .. }
                | StoreError::NotARegister { .. }
                | StoreError::ForeignDatabase { .. }
                | StoreError::DamagedFile { .. }
                | StoreError::ReadOnly
                | StoreError::DiskFull
                | StoreError::BackupFirst { .. } => {}
            }
        }
        all
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::FromSqlConversionFailure(_, _, cause) = &e
            && let Some(d) = cause.downcast_ref::<Damaged>()
        {
            return StoreError::Damaged {
                table: d.table,
                id: d.id.clone(),
                column: d.column.clone(),
                stored: d.stored.clone(),
            };
        }
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => {
                StoreError::DamagedFile { reason: e.to_string() }
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A stored value no closed set knows, on its way out of a row reader (which
/// must return `rusqlite::Error`) to [`StoreError::Damaged`].
#[derive(Debug, thiserror::Error)]
#[error("{table} row {id}: unknown {column} \"{stored}\"")]
struct Damaged {
    table: &'static str,
    id: String,
    column: String,
    stored: String,
}

/// The text of a value a `FromSql` refused, for [`Damaged`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Unknown(String);

/// Column `i` of a row of `table` whose id is in column `id_at`, read
/// strictly: a value the code does not know (an unknown status, tags that
/// are not a JSON list) is [`StoreError::Damaged`], naming the table, the
/// row and the column, never a default.
pub(crate) fn strict<T: FromSql>(
    r: &rusqlite::Row<'_>,
    i: usize,
    table: &'static str,
    id_at: usize,
) -> rusqlite::Result<T> {
    r.get(i).map_err(|e| match e {
        rusqlite::Error::FromSqlConversionFailure(at, ty, cause) => {
            let damaged = Damaged {
                table,
                id: r.get::<_, String>(id_at).unwrap_or_else(|_| "?".to_owned()),
                column: r.as_ref().column_name(at).map_or_else(|_| format!("#{at}"), str::to_owned),
                stored: cause.to_string(),
            };
            rusqlite::Error::FromSqlConversionFailure(at, ty, Box::new(damaged))
        }
        other => other,
    })
}

/// Stores each closed set as its code, and reads it back strictly.
macro_rules! stored_as_code {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let code = value.as_str()?;
                <$t as ClosedSet>::from_code(code).ok_or_else(|| FromSqlError::Other(Box::new(Unknown(code.to_owned()))))
            }
        }
    )+};
}

stored_as_code!(
    ClauseStatus,
    AgreementKind,
    AgreementStatus,
    PartnerKind,
    Calendar,
    DateDisplay,
    OffsetUnit,
    crate::vocab::MeetingKind,
    crate::vocab::MeetingStatus,
    crate::vocab::Side,
    crate::vocab::OutcomeKind,
    crate::vocab::AttachmentOwner,
    crate::vocab::ExchangeScope,
    crate::vocab::ConflictKind,
    crate::vocab::ConflictChoice,
    crate::vocab::ExchangeDirection
);

impl ToSql for Lang {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Lang {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let code = value.as_str()?;
        Lang::from_code(code).ok_or_else(|| FromSqlError::Other(Box::new(Unknown(code.to_owned()))))
    }
}

/// A clause's themes, stored as a JSON list of strings.
pub(crate) struct Tags(pub(crate) Vec<String>);

impl FromSql for Tags {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        serde_json::from_str(text).map(Tags).map_err(|_| FromSqlError::Other(Box::new(Unknown(text.to_owned()))))
    }
}

/// The number of schema versions this build knows.
pub const SCHEMA_VERSION: usize = migrate::VERSIONS;

/// Whether the register holds nothing yet (no partner, no agreement).
pub(crate) fn is_empty(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM partners) AND NOT EXISTS (SELECT 1 FROM agreements)", [], |r| {
        r.get(0)
    })
}

/// The first 16 bytes of every SQLite database file.
pub(crate) const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// `PRAGMA application_id` of a Clausebook register ("CLBK"), set by every
/// migration, so a register is known as one whatever its tables.
pub const APPLICATION_ID: i32 = 0x434C_424B;

/// What an SQLite file holds, read before anything is written to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// No tables: a new file, or an empty database.
    Empty,
    /// A Clausebook register of this schema version.
    Register { version: i64 },
    /// Another program's database.
    Foreign,
}

/// The tables every register has had since schema 1; a register from before
/// the application id was set is known by them.
const CORE_TABLES: [&str; 7] = ["settings", "partners", "agreements", "agreement_parties", "clauses", "notes", "audit"];

/// Reads, without writing, what the connection's file holds.
pub(crate) fn inspect(conn: &Connection) -> rusqlite::Result<FileKind> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?;
    let tables = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(if app_id == APPLICATION_ID {
        FileKind::Register { version }
    } else if app_id != 0 {
        FileKind::Foreign
    } else if tables.is_empty() && version == 0 {
        FileKind::Empty
    } else if version >= 1 && CORE_TABLES.iter().all(|t| tables.iter().any(|n| n == t)) {
        FileKind::Register { version }
    } else {
        FileKind::Foreign
    })
}

/// The register: one SQLite database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Whether an import backs the register up first ([`Store::enable_auto_backups`]).
    auto_backups: bool,
    /// How long a backup waits for its folder ([`Store::set_backup_patience`]).
    backup_patience: std::time::Duration,
    /// Backups still being made beside an import ([`Store::backup_beside`]).
    backups_under_way: Vec<backup::BackupUnderWay>,
    /// Those of them that ended in failure, for Settings to show.
    failed_backups: Vec<backup::FailedBackup>,
}

impl Drop for Store {
    /// Waits for the backups still being made beside earlier imports: the
    /// register as it was before each import is kept before the store goes.
    fn drop(&mut self) {
        self.finish_backups();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    ///
    /// What the file holds is read before anything is written to it: a file
    /// that is not SQLite, another program's database, a damaged, newer or
    /// read-only register is refused with its own error and left untouched.
    /// A register of an older schema is backed up before it is upgraded.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let open_err = |e: std::io::Error| StoreError::Open { path: path.to_owned(), reason: e.to_string() };
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::Open { path: path.to_owned(), reason: "it is a folder, not a file".into() });
            }
            Ok(meta) => {
                if meta.len() > 0 {
                    let mut head = [0u8; 16];
                    let mut f = std::fs::File::open(path).map_err(open_err)?;
                    if std::io::Read::read_exact(&mut f, &mut head).is_err() || &head != SQLITE_MAGIC {
                        return Err(StoreError::NotARegister { path: path.to_owned() });
                    }
                }
                if meta.permissions().readonly() {
                    return Err(StoreError::ReadOnly);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(open_err)?;
                }
            }
            Err(e) => return Err(open_err(e)),
        }
        let conn =
            Connection::open(path).map_err(|e| StoreError::Open { path: path.to_owned(), reason: e.to_string() })?;
        Self::setup(conn, Some(path.to_owned()))
    }

    /// A private in-memory register, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, None)
    }

    fn setup(conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // What the file holds, read before the first write (WAL mode is one).
        let kind = inspect(&conn).map_err(|e| match (e.sqlite_error_code(), &path) {
            (Some(rusqlite::ErrorCode::NotADatabase), Some(p)) => StoreError::NotARegister { path: p.clone() },
            _ => StoreError::from(e),
        })?;
        let version = match kind {
            FileKind::Foreign => return Err(StoreError::ForeignDatabase { path: path.unwrap_or_default() }),
            FileKind::Register { version } if version > SCHEMA_VERSION as i64 => {
                return Err(StoreError::NewerSchema { found: version, known: SCHEMA_VERSION });
            }
            FileKind::Register { version } => version,
            FileKind::Empty => 0,
        };
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA journal_size_limit = 67108864;
             PRAGMA wal_autocheckpoint = 8192;",
        )?;
        // temp_store stays SQLite's default. With `temp_store = MEMORY`,
        // applying a received file of 10,000 clauses to the 1M-clause
        // register took 2.3 s instead of 0.3 s (each statement's savepoint,
        // `sqlite3BtreeSavepoint` at the top of the profile); the search and
        // read figures did not change without it.
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        crate::normalize::register(&conn)?;
        // A write uses some twenty statements (an import more); the default
        // cache of 16 would prepare some of them again for every write.
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = Store {
            conn,
            path,
            auto_backups: false,
            backup_patience: backup::FOLDER_PATIENCE,
            backups_under_way: Vec::new(),
            failed_backups: Vec::new(),
        };
        if version > 0 && version < SCHEMA_VERSION as i64 && store.path.is_some() {
            // The register as the older version left it, before the upgrade.
            store.backup(crate::vocab::BackupReason::BeforeMigration).map_err(|e| {
                StoreError::Migration(format!("the register was not upgraded: backing it up first failed ({e})"))
            })?;
        }
        let conn = &mut store.conn;
        migrate::to_latest(conn)?;
        search::prepare_connection(conn)?;
        if let Some(path) = &store.path {
            exchange::adopt_path(&store.conn, path)?;
        }
        let conn = &mut store.conn;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        // Refreshes the planner's statistics where they are stale: 0x10000
        // checks every table, as SQLite recommends on opening a long-lived
        // connection, and 0x10 bounds each analysis to a sample. Without that
        // bound, opening a million-clause register after an index lost its
        // statistics read the whole table first (minutes on a cold cache).
        conn.execute_batch("PRAGMA optimize = 0x10012;")?;
        Ok(store)
    }

    /// The database file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Read access for the area modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it only if
    /// `f` succeeded and wrote at least one audit row.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut WriteTx<'_>) -> Result<T>) -> Result<T> {
        let conn = &self.conn;
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let actor: Option<String> =
            tx.query_row("SELECT value FROM settings WHERE key = 'officer_name'", [], |r| r.get(0)).optional()?;
        let actor = actor.filter(|a| !a.trim().is_empty()).unwrap_or_else(|| UNNAMED_OFFICER.to_owned());
        // What the write changes in the carried tables, for the exchange log.
        let recorder = exchange::recorder(conn)?;
        let mut w = WriteTx {
            tx,
            recorder: std::cell::RefCell::new(recorder),
            now: now(),
            actor,
            audited: std::cell::Cell::new(false),
            roll_back: std::cell::Cell::new(false),
        };
        let out = f(&mut w)?;
        assert!(w.audited.get(), "a write must record its audit row");
        // What the triggers queued: dashboard counts, then the search index.
        dashboard::flush_counts(&w.tx)?;
        search::index_queued(&w.tx)?;
        if w.roll_back.get() {
            return Ok(out);
        }
        exchange::log_own(&w.tx, &mut w.recorder.borrow_mut(), &w.now)?;
        let WriteTx { tx, recorder, .. } = w;
        drop(recorder);
        tx.commit()?;
        Ok(out)
    }

    /// Runs a read in one transaction, so it sees one consistent state.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// `PRAGMA integrity_check`: `Ok` when SQLite finds the file sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The whole schema as SQL text, in a stable order: for review snapshots.
    pub fn schema_sql(&self) -> Result<String> {
        let mut stmt = self.conn.prepare(
            "SELECT type, name, sql FROM sqlite_schema
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts_%'
             ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, name",
        )?;
        let mut out = String::new();
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (kind, name, sql) = row?;
            out.push_str(&format!("-- {kind} {name}\n{sql};\n\n"));
        }
        Ok(out)
    }

    /// Whether the register holds no partners or agreements, deleted or not.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(is_empty(&self.conn)?)
    }
}

/// The actor recorded when no officer name is set.
pub const UNNAMED_OFFICER: &str = "(officer not set)";

/// A write transaction that knows its time and actor and must audit itself.
pub(crate) struct WriteTx<'c> {
    tx: rusqlite::Transaction<'c>,
    /// Records the write's changes to the carried tables (see [`exchange`]).
    recorder: std::cell::RefCell<rusqlite::session::Session<'c>>,
    /// Set by a dry run: everything is rolled back at the end.
    roll_back: std::cell::Cell<bool>,
    pub(crate) now: String,
    pub(crate) actor: String,
    audited: std::cell::Cell<bool>,
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl WriteTx<'_> {
    /// Records one audit row in this transaction.
    pub(crate) fn audit(
        &self,
        entity: &str,
        entity_id: &str,
        scope_id: Option<&str>,
        action: &str,
        changes: &[FieldChange],
    ) -> Result<()> {
        self.audit_as(&new_id(), entity, entity_id, scope_id, action, changes)
    }

    /// Records one audit row with an id chosen beforehand (an import's rows
    /// name it as they are written).
    pub(crate) fn audit_as(
        &self,
        id: &str,
        entity: &str,
        entity_id: &str,
        scope_id: Option<&str>,
        action: &str,
        changes: &[FieldChange],
    ) -> Result<()> {
        let changes_json = audit::encode_changes(changes);
        // Settings are each register's own, and so is their history: it
        // stays out of the exchange log.
        let insert = || -> Result<()> {
            self.tx
                .prepare_cached(
                    "INSERT INTO audit (id, at, actor, entity, entity_id, scope_id, action, changes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(rusqlite::params![
                    id,
                    self.now,
                    self.actor,
                    entity,
                    entity_id,
                    scope_id,
                    action,
                    changes_json
                ])?;
            Ok(())
        };
        if entity == "settings" {
            self.unrecorded(insert)?
        } else {
            insert()?
        }
        self.audited.set(true);
        Ok(())
    }

    /// Marks a write that found nothing to change: it wrote no data, so it
    /// owes no audit row.
    pub(crate) fn unchanged(&self) {
        self.audited.set(true);
    }

    /// Turns the exchange log's recording of this write on or off (a
    /// received change is logged as it came, not as this register's own).
    pub(crate) fn recording(&self, on: bool) {
        self.recorder.borrow_mut().set_enabled(on);
    }

    /// Runs `f` with the exchange log's recording paused, then puts it back
    /// as it was, whatever `f` returns.
    pub(crate) fn unrecorded<T>(&self, f: impl FnOnce() -> T) -> T {
        let was = self.is_recording();
        self.recording(false);
        let out = f();
        self.recording(was);
        out
    }

    /// Whether the exchange log records this write now.
    pub(crate) fn is_recording(&self) -> bool {
        self.recorder.borrow().is_enabled()
    }

    /// Makes the write a dry run: it is rolled back however it ends.
    pub(crate) fn roll_back(&self) {
        self.roll_back.set(true);
    }
}

/// A new UUIDv7 primary key: unique across databases, and sorted by time.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, as RFC 3339 UTC text with milliseconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Collects the fields a write changes, for its audit row.
#[derive(Default)]
pub(crate) struct Changes(pub(crate) Vec<FieldChange>);

impl Changes {
    /// Notes `field` going from `old` to `new` if they differ.
    pub(crate) fn field<T: ToString + PartialEq>(&mut self, field: &str, old: Option<&T>, new: Option<&T>) {
        if old != new {
            self.0.push(FieldChange {
                field: field.to_owned(),
                old: old.map(ToString::to_string),
                new: new.map(ToString::to_string),
            });
        }
    }
}

/// Resolves a full id, or a unique prefix of one, in `table`.
pub(crate) fn resolve_id(conn: &Connection, table: &str, entity: &'static str, id: &str) -> Result<String> {
    let id = id.trim();
    let exact: Option<String> = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE id = ?1 AND deleted_at IS NULL"))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(found) = exact {
        return Ok(found);
    }
    if id.len() < 4 || !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return Err(StoreError::NotFound { entity, id: id.to_owned() });
    }
    let mut stmt = conn
        .prepare(&format!("SELECT id FROM {table} WHERE id >= ?1 AND id < ?1 || 'g' AND deleted_at IS NULL LIMIT 2"))?;
    let found: Vec<String> = stmt.query_map([id.to_lowercase()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    match found.len() {
        1 => Ok(found.into_iter().next().expect("one")),
        0 => Err(StoreError::NotFound { entity, id: id.to_owned() }),
        _ => Err(StoreError::Ambiguous { entity, prefix: id.to_owned() }),
    }
}
