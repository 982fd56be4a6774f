//! Exchange between officers' registers: the log, sending, receiving,
//! merging and the conflicts an officer resolves.
//!
//! **Recording.** Every [`Store::write`](super::Store::write) runs under an
//! SQLite session attached to the carried tables ([`crate::exchange::TABLES`])
//! and logs what it changed as one changeset in `exchange_log`, under this
//! register's id and its next own number, in the write's own transaction.
//! The log keeps changesets packed ([`file::pack`]): an import's changeset
//! is as large as its rows, and bare it doubled what the import wrote.
//! Changes received from others are logged with their original origin and
//! number, byte for byte, so a register passes on what it received (a
//! registrar between officers) and never takes another's change for its own.
//!
//! **Sending** a log scope writes the entries after the last file sent to
//! that recipient (the first file: the whole log); a register that held
//! data before the log existed adds it as one entry of all its records
//! first. A record scope (one partner, one agreement, the agreements touched
//! since a date) writes those records as they stand, as a changeset of
//! inserts made against empty tables. Either way the file then carries the
//! bytes of every attached file the entries' new `attachments` rows name
//! ([`named_files`]): the log records the row, not the bytes.
//!
//! **Receiving** checks the whole file before it applies anything: the
//! checksum, the sender, the schema, that no earlier file from the same
//! sender is missing, and that every change touches only carried tables in
//! ways an exchange does (no hard deletes but of party links, the columns
//! this schema has). Then one transaction stores the attached files the
//! file carries that this register lacks, applies each entry not seen yet
//! with `changeset_apply`, and merges what SQLite reports as a conflict
//! field by field against the sender's old values: a field this register has
//! not changed takes theirs; a field both changed, or a deletion against an
//! edit, stays as it is here and waits for the officer ([`Conflict`]).
//! `updated_at` takes the later time. Two clauses added under one parent with
//! one number are told apart the same way in every register (the larger id
//! gets a suffix), and two links of one partner to one agreement keep the
//! smaller id, so registers that exchanged everything end alike.
//!
//! Receiving logs nothing of its own (only what it received): a merge is
//! made the same way in every register from the same entries. What the
//! officer chooses for a conflict is an ordinary, logged and audited write.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::hooks::Action;
use rusqlite::session::{ChangesetItem, ChangesetIter, ConflictAction, ConflictType, Session};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, SCHEMA_VERSION, Store, StoreError, WriteTx, new_id};
use crate::exchange::{self as file, Base, Entry, ExchangeError, FILES_TABLE, HARD_DELETES, Manifest, Scope, TABLES};
use crate::model::FieldChange;
use crate::vocab::{BackupReason, ConflictChoice, ConflictKind, ExchangeDirection};

/// The setting that holds this register's id.
const REGISTER_ID: &str = "register_id";

/// The setting present while the records a register held before its log
/// began still have to go into the log (see [`genesis`]).
const GENESIS_DUE: &str = "exchange_genesis_due";

/// A session that records what a write changes in the carried tables.
pub(crate) fn recorder(conn: &Connection) -> Result<Session<'_>> {
    let mut session = Session::new(conn)?;
    for table in TABLES {
        session.attach(Some(*table))?;
    }
    Ok(session)
}

/// Logs what `session` recorded as this register's next own entry.
pub(crate) fn log_own(conn: &Connection, session: &mut Session<'_>, at: &str) -> Result<()> {
    if session.is_empty() {
        return Ok(());
    }
    let mut changeset = Vec::new();
    session.changeset_strm(&mut changeset)?;
    if changeset.is_empty() {
        return Ok(());
    }
    let (origin, next) = next_own(conn)?;
    // Each updated field: the change it was made on top of, then this one.
    let mut bases = Vec::new();
    for (table, row, fields) in updated_fields(conn, &changeset)? {
        for field in fields {
            let (from, seq) = version(conn, &table, &row, &field)?;
            set_version(conn, &table, &row, &field, &origin, next)?;
            bases.push(Base { table: table.clone(), row: row.clone(), field, origin: from, seq });
        }
    }
    append(conn, &Entry { origin, origin_seq: next, at: at.to_owned(), changeset, bases })
}

/// This register's id and the number its next own entry takes.
fn next_own(conn: &Connection) -> Result<(String, i64)> {
    let origin = register_id(conn)?;
    let next = conn
        .prepare_cached("SELECT coalesce(max(origin_seq), 0) + 1 FROM exchange_log WHERE origin = ?1")?
        .query_row([&origin], |r| r.get(0))?;
    Ok((origin, next))
}

/// Adds an entry to the log: this register's own, or one received as it came.
fn append(conn: &Connection, entry: &Entry) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO exchange_log (origin, origin_seq, at, changeset, bases) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        entry.origin,
        entry.origin_seq,
        entry.at,
        file::pack(&entry.changeset),
        file::encode_bases(&entry.bases)
    ])?;
    Ok(())
}

/// Packs the changesets a log of schema 12 holds bare (migration 13).
pub(crate) fn pack_log(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare("SELECT seq FROM exchange_log ORDER BY seq")?;
    let seqs = read.query_map([], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut get = conn.prepare("SELECT changeset FROM exchange_log WHERE seq = ?1")?;
    let mut put = conn.prepare("UPDATE exchange_log SET changeset = ?2 WHERE seq = ?1")?;
    // One entry at a time: a log can hold gigabytes.
    for seq in seqs {
        let bare: Vec<u8> = get.query_row([seq], |r| r.get(0))?;
        put.execute(params![seq, file::pack(&bare)])?;
    }
    Ok(())
}

/// Adds a file sent or received to the history; its id.
fn record_file(
    w: &WriteTx<'_>,
    direction: ExchangeDirection,
    scope: Scope,
    peer: &str,
    path: &Path,
    sha256: &str,
    entries: usize,
) -> Result<String> {
    let id = new_id();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    w.execute(
        "INSERT INTO exchange_files (id, at, direction, scope, peer, file_name, sha256, entries, changes, conflicts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0)",
        params![id, w.now, direction, scope, peer, file_name, sha256, entries as i64],
    )?;
    Ok(id)
}

/// The change the field's value here came from (empty and 0: the record's
/// creation).
fn version(conn: &Connection, table: &str, row: &str, field: &str) -> Result<(String, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT origin, origin_seq FROM exchange_versions WHERE table_name = ?1 AND row_id = ?2 AND field = ?3",
        )?
        .query_row(params![table, row, field], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default())
}

fn set_version(conn: &Connection, table: &str, row: &str, field: &str, origin: &str, seq: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO exchange_versions (table_name, row_id, field, origin, origin_seq) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (table_name, row_id, field) DO UPDATE SET origin = excluded.origin, origin_seq = excluded.origin_seq",
    )?
    .execute(params![table, row, field, origin, seq])?;
    Ok(())
}

/// The rows a changeset updates, each with the fields it changes (not its
/// key, nor `updated_at`, which merges by time).
fn updated_fields(conn: &Connection, changeset: &[u8]) -> Result<Vec<(String, String, Vec<String>)>> {
    let mut out = Vec::new();
    // A write of new records only (an import's) has none, and SQLite's
    // iterator would decode every value of every row to say so.
    if changes_only_inserts(changeset) {
        return Ok(out);
    }
    let mut shapes: HashMap<String, Shape> = HashMap::new();
    each_change(changeset, |table, action, _, item| {
        if action != Action::SQLITE_UPDATE {
            return Ok(());
        }
        if !shapes.contains_key(table) {
            shapes.insert(table.to_owned(), Shape::read(conn, table)?);
        }
        let shape = &shapes[table];
        let key: Vec<Value> = shape
            .pk
            .iter()
            .map(|&i| item.old_value(i).ok().and_then(|v| Value::try_from(v).ok()).unwrap_or(Value::Null))
            .collect();
        let fields = (0..shape.columns.len())
            .filter(|i| !shape.pk.contains(i) && shape.columns[*i] != "updated_at" && item.new_value(*i).is_ok())
            .map(|i| shape.columns[i].clone())
            .collect();
        out.push((table.to_owned(), row_key(&key), fields));
        Ok(())
    })?;
    Ok(out)
}

/// A row's key as text: its id, or its key's values joined.
fn row_key(key: &[Value]) -> String {
    key.iter().map(text_of).collect::<Vec<_>>().join("\u{1f}")
}

/// This register's id.
pub(crate) fn register_id(conn: &Connection) -> Result<String> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([REGISTER_ID], |r| r.get(0))?)
}

/// Gives the register a new id, and forgets what it sent to whom: a
/// restored backup's log went back in time, and a copy of a register file
/// is a second register, so the numbers either hands out next must not pass
/// for changes colleagues already have. Its next file to each colleague
/// carries its whole log; what they have of it is skipped.
pub(crate) fn renew_register_id(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "UPDATE settings SET value = lower(hex(randomblob(16))), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE key = '{REGISTER_ID}';
         DELETE FROM exchange_recipients;"
    ))?;
    Ok(())
}

/// The setting that holds where the register's file was opened last.
const REGISTER_PATH: &str = "register_path";

/// On opening a file: a register found at another path than its own is a
/// copy (officers copy register files to colleagues today) or was moved;
/// either way it takes a new id, so two copies never send different changes
/// under one id. Runs in the opening, before any write.
pub(crate) fn adopt_path(conn: &Connection, path: &Path) -> Result<()> {
    let here = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()).to_string_lossy().into_owned();
    let known: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [REGISTER_PATH], |r| r.get(0)).optional()?;
    if known.as_deref() == Some(here.as_str()) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    if known.is_some() {
        renew_register_id(&tx)?;
    }
    tx.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![REGISTER_PATH, here],
    )?;
    tx.commit()?;
    Ok(())
}

/// What a send carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SendScope {
    /// The log after the last file sent to the recipient (all of it for a
    /// first file, or with no recipient named).
    Changes,
    /// The whole log.
    Everything,
    /// The agreements with anything changed on or after a day (ISO date),
    /// and the partners changed since, as records.
    Since(String),
    /// One partner with its agreements, as records.
    Partner(String),
    /// One agreement in full, as records.
    Agreement(String),
}

impl SendScope {
    fn scope(&self) -> Scope {
        match self {
            SendScope::Changes => Scope::Changes,
            SendScope::Everything => Scope::Everything,
            SendScope::Since(_) => Scope::Since,
            SendScope::Partner(_) => Scope::Partner,
            SendScope::Agreement(_) => Scope::Agreement,
        }
    }
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Sent {
    pub file_id: String,
    /// The file written (the path given, with `.clausebook` added if it
    /// had no extension).
    pub path: String,
    pub scope: Scope,
    pub recipient: Option<String>,
    pub entries: u32,
    pub bytes: u32,
    pub sha256: String,
}

/// A file received (or, in a dry run, what receiving it would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Received {
    /// The file was received before: nothing was done.
    pub already: bool,
    pub dry_run: bool,
    pub officer: String,
    pub scope: Scope,
    pub sent_at: String,
    /// Entries in the file, and those new here.
    pub entries: u32,
    pub new_entries: u32,
    /// Rows of this register the file changed.
    pub changes: u32,
    /// Fields that now wait for the officer.
    pub conflicts: u32,
}

/// A received change that waits for the officer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Conflict {
    pub id: String,
    pub kind: ConflictKind,
    /// The table and row: "clauses", its id.
    pub table: String,
    pub row_id: String,
    /// What the record is, as the audit names it ("clause", "note",
    /// "agreement", "partner", "meeting"); none for the other tables.
    pub entity: Option<String>,
    /// For a clause: its agreement and number; for others their own title.
    pub agreement_title: Option<String>,
    pub number: Option<String>,
    pub title: Option<String>,
    pub field: String,
    /// The value before either side changed it, this register's, and the
    /// sender's, as stored (a code, a date, a number as digits; `None` for
    /// empty, or for a record not deleted).
    pub base: Option<String>,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    pub officer: String,
    pub received_at: String,
}

/// One file in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExchangeFile {
    pub id: String,
    pub at: String,
    pub direction: ExchangeDirection,
    pub scope: Scope,
    pub peer: String,
    pub file_name: String,
    pub entries: u32,
    pub changes: u32,
    pub conflicts: u32,
}

/// What the Exchange screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExchangeOverview {
    pub register_id: String,
    /// The names files went to, for the recipient field.
    pub recipients: Vec<String>,
    pub open_conflicts: u32,
    pub log_entries: u32,
    /// Newest first, at most [`HISTORY_LIMIT`].
    pub files: Vec<ExchangeFile>,
}

/// How many files the overview lists.
pub const HISTORY_LIMIT: i64 = 200;

impl Store {
    /// Writes an exchange file of `scope` for `recipient` to `path`.
    /// A path without an extension gets `.clausebook`, so the colleague's
    /// open dialog, which lists exchange files, shows it.
    pub fn exchange_send(&mut self, scope: &SendScope, recipient: Option<&str>, path: &Path) -> Result<Sent> {
        let with_extension;
        let path = if path.extension().is_none() {
            with_extension = path.with_extension(file::EXTENSION);
            with_extension.as_path()
        } else {
            path
        };
        let recipient = recipient.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if matches!(scope, SendScope::Changes | SendScope::Everything) {
            self.genesis()?;
        }
        let (entries, from_seq, upto_seq) = self.read(|conn| {
            let upto: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM exchange_log", [], |r| r.get(0))?;
            Ok(match scope {
                SendScope::Changes | SendScope::Everything => {
                    let after: i64 = match (scope, &recipient) {
                        (SendScope::Changes, Some(name)) => conn
                            .query_row("SELECT sent_upto FROM exchange_recipients WHERE name = ?1", [name], |r| {
                                r.get(0)
                            })
                            .optional()?
                            .unwrap_or(0),
                        _ => 0,
                    };
                    (log_entries(conn, after)?, after + 1, upto)
                }
                SendScope::Since(day) => (vec![records(conn, &Selection::Since(day.clone()))?], 0, 0),
                SendScope::Partner(id) => {
                    let id = super::resolve_id(conn, "partners", "partner", id)?;
                    (vec![records(conn, &Selection::Partner(id))?], 0, 0)
                }
                SendScope::Agreement(id) => {
                    let id = super::resolve_id(conn, "agreements", "agreement", id)?;
                    (vec![records(conn, &Selection::Agreement(id))?], 0, 0)
                }
            })
        })?;
        // The attached files the entries name, with their sizes: the file
        // carries them (read into it below, in pieces).
        let files = self.read(|conn| {
            named_files(conn, &entries)?
                .into_iter()
                .map(|sha| Ok((super::attachments::file_size(conn, &sha)?, sha)))
                .collect::<Result<Vec<_>>>()
        })?;
        let officer = self.settings()?.officer_name;
        let manifest = Manifest {
            format: file::FORMAT,
            register_id: register_id(self.conn())?,
            officer: if officer.trim().is_empty() { super::UNNAMED_OFFICER.to_owned() } else { officer },
            schema_version: SCHEMA_VERSION as i64,
            created_at: super::now(),
            scope: scope.scope(),
            recipient: recipient.clone(),
            from_seq,
            upto_seq,
            entries: 0,
            payload_bytes: 0,
            payload_sha256: String::new(),
        };
        let sizes: Vec<(&str, usize)> = files.iter().map(|(size, sha)| (sha.as_str(), *size)).collect();
        let bytes = self.read(|conn| {
            file::encode_with(manifest, &entries, &sizes, |i, out| {
                super::attachments::read_file_into(conn, sizes[i].0, out)
            })
        })?;
        let file_sha = file::sha256_hex(&bytes);
        file::write_file(path, &bytes).map_err(StoreError::Exchange)?;
        let file_id = self.write(|w| {
            w.recording(false);
            let peer = recipient.as_deref().unwrap_or_default();
            let id = record_file(w, ExchangeDirection::Sent, scope.scope(), peer, path, &file_sha, entries.len())?;
            if let (Some(name), false) = (&recipient, scope.scope().is_records()) {
                w.execute(
                    "INSERT INTO exchange_recipients (name, sent_upto) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET sent_upto = max(sent_upto, excluded.sent_upto)",
                    params![name, upto_seq],
                )?;
            }
            // Sending changes no record: the file history is its trace.
            w.unchanged();
            Ok(id)
        })?;
        Ok(Sent {
            file_id,
            path: path.display().to_string(),
            scope: scope.scope(),
            recipient,
            entries: entries.len() as u32,
            bytes: bytes.len() as u32,
            sha256: file_sha,
        })
    }

    /// Puts the records a register held before its log began into the log,
    /// once, as one own entry, so a colleague's first file carries them.
    fn genesis(&mut self) -> Result<()> {
        let due: bool =
            self.conn()
                .query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?1)", [GENESIS_DUE], |r| r.get(0))?;
        if !due {
            return Ok(());
        }
        let entry = self.read(|conn| records(conn, &Selection::All))?;
        self.write(|w| {
            w.recording(false);
            if !entry.changeset.is_empty() {
                let (origin, origin_seq) = next_own(w)?;
                append(w, &Entry { origin, origin_seq, at: w.now.clone(), ..entry })?;
            }
            w.execute("DELETE FROM settings WHERE key = ?1", [GENESIS_DUE])?;
            w.unchanged();
            Ok(())
        })
    }

    /// Receives the exchange file at `path`: checks it whole, then applies
    /// it in one transaction (after a backup), or in a dry run reports what
    /// it would do and changes nothing.
    pub fn exchange_receive(&mut self, path: &Path, dry_run: bool) -> Result<Received> {
        let bytes = file::read_file(path).map_err(StoreError::Exchange)?;
        let file::Decoded { manifest, entries, files } = file::decode(&bytes).map_err(StoreError::Exchange)?;
        // A file is known by its whole bytes: two files of no changes carry
        // the same payload, but never the same manifest.
        let file_sha = file::sha256_hex(&bytes);
        let me = register_id(self.conn())?;
        if manifest.register_id == me {
            return Err(ExchangeError::OwnFile.into());
        }
        if manifest.schema_version > SCHEMA_VERSION as i64 {
            return Err(
                ExchangeError::NewerSchema { found: manifest.schema_version, known: SCHEMA_VERSION as i64 }.into()
            );
        }
        let summary = |already: bool| Received {
            already,
            dry_run,
            officer: manifest.officer.clone(),
            scope: manifest.scope,
            sent_at: manifest.created_at.clone(),
            entries: entries.len() as u32,
            new_entries: 0,
            changes: 0,
            conflicts: 0,
        };
        let seen: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM exchange_files WHERE direction = 'received' AND sha256 = ?1)",
            [&file_sha],
            |r| r.get(0),
        )?;
        if seen {
            return Ok(summary(true));
        }
        let records = manifest.scope.is_records();
        if !records {
            let upto: i64 = self
                .conn()
                .query_row(
                    "SELECT received_upto FROM exchange_senders WHERE register_id = ?1",
                    [&manifest.register_id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            if manifest.from_seq > upto + 1 {
                return Err(ExchangeError::MissingEarlier {
                    officer: manifest.officer.clone(),
                    expected: upto,
                    found: manifest.from_seq,
                }
                .into());
            }
        }
        if files.iter().any(|f| f.bytes.len() as u64 > crate::model::attachment::MAX_BYTES) {
            return Err(ExchangeError::BadAttachedFile.into());
        }
        let shapes = Shapes::read(self.conn())?;
        for entry in &entries {
            check_entry(&shapes, entry, manifest.schema_version < SCHEMA_VERSION as i64)?;
        }
        if !dry_run {
            self.backup_before(BackupReason::BeforeExchange)?;
        }
        self.write(|w| {
            if dry_run {
                w.roll_back();
            }
            // A file of records is new here as a whole: what it changes is
            // this register's to pass on. Log entries travel as they came.
            w.recording(records);
            let file_id =
                record_file(w, ExchangeDirection::Received, manifest.scope, &manifest.officer, path, &file_sha, entries.len())?;
            let before = w.total_changes();
            // The attached files first: the entries' `attachments` rows name
            // them (checked after the merge, by `unstored_files`).
            for f in &files {
                super::attachments::store_carried(w, &f.sha256, f.bytes)?;
            }
            let mut merge = Merge {
                shapes: &shapes,
                file_id: &file_id,
                origin: String::new(),
                bases: HashMap::new(),
                kept: Default::default(),
                conflicts: 0,
                changes: 0,
            };
            let mut new_entries = 0;
            for entry in &entries {
                if !records {
                    let known: bool = w
                        .prepare_cached(
                            "SELECT ?1 = ?3 OR EXISTS (SELECT 1 FROM exchange_log WHERE origin = ?1 AND origin_seq = ?2)",
                        )?
                        .query_row(params![entry.origin, entry.origin_seq, me], |r| r.get(0))?;
                    if known {
                        continue;
                    }
                    append(w, entry)?;
                }
                new_entries += 1;
                merge.apply(w, entry)?;
            }
            if (dry_run && dangling_references(w)?) || unstored_files(w)? {
                return Err(ExchangeError::MissingRecords.into());
            }
            // Rows the file changed, less this receipt's own bookkeeping.
            let changes = (w.total_changes() - before) as i64 - merge.changes;
            let conflicts = merge.conflicts;
            w.execute("UPDATE exchange_files SET changes = ?2, conflicts = ?3 WHERE id = ?1", params![
                file_id, changes, conflicts
            ])?;
            if !records {
                w.execute(
                    "INSERT INTO exchange_senders (register_id, officer, received_upto) VALUES (?1, ?2, ?3)
                     ON CONFLICT (register_id) DO UPDATE
                     SET officer = excluded.officer, received_upto = max(received_upto, excluded.received_upto)",
                    params![manifest.register_id, manifest.officer, manifest.upto_seq],
                )?;
            }
            if changes > 0 {
                // This register's own history of the receipt, not passed on.
                w.recording(false);
                w.audit("exchange", &file_id, None, "receive", &[
                    FieldChange { field: "officer".into(), old: None, new: Some(manifest.officer.clone()) },
                    FieldChange { field: "changes".into(), old: None, new: Some(changes.to_string()) },
                    FieldChange { field: "conflicts".into(), old: None, new: Some(conflicts.to_string()) },
                ])?;
            } else {
                w.unchanged();
            }
            Ok(Received {
                new_entries,
                changes: changes as u32,
                conflicts: conflicts as u32,
                ..summary(false)
            })
        })
        .map_err(|e| if is_dangling(&e) { ExchangeError::MissingRecords.into() } else { e })
    }

    /// The conflicts that wait for the officer, oldest first.
    pub fn exchange_conflicts(&self) -> Result<Vec<Conflict>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT c.id, c.kind, c.table_name, c.row_id, c.field, c.base, c.mine, c.theirs, f.peer, f.at
                 FROM exchange_conflicts c JOIN exchange_files f ON f.id = c.file_id
                 WHERE c.resolved_at IS NULL ORDER BY f.at, c.id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    super::strict::<ConflictKind>(r, 1, "exchange_conflicts", 0)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    [r.get::<_, String>(5)?, r.get::<_, String>(6)?, r.get::<_, String>(7)?],
                    r.get::<_, String>(8)?,
                    r.get::<_, String>(9)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, kind, table, row_id, field, [base, _, theirs], officer, received_at) = row?;
                // This register's value as it is now (a later file or choice may have
                // changed it); a conflict whose value arrived since is moot.
                let Some(mine) = current_value(conn, &table, &row_id, &field)? else { continue };
                let mine = to_json(&mine).to_string();
                if mine == theirs {
                    continue;
                }
                let Described { entity, agreement_title, number, title } = describe(conn, &table, &row_id)?;
                let json = |t: &str| match from_json(t) {
                    Value::Text(t) => Some(t),
                    Value::Integer(i) => Some(i.to_string()),
                    Value::Real(f) => Some(f.to_string()),
                    Value::Null | Value::Blob(_) => None,
                };
                out.push(Conflict {
                    id,
                    kind,
                    table,
                    row_id,
                    entity: entity.map(str::to_owned),
                    agreement_title,
                    number,
                    title,
                    field,
                    base: json(&base),
                    mine: json(&mine),
                    theirs: json(&theirs),
                    officer,
                    received_at,
                });
            }
            Ok(out)
        })
    }

    /// Settles a conflict as the officer chose: theirs is written as an
    /// ordinary change (logged, so it reaches the others); either choice is
    /// audited.
    pub fn resolve_conflict(&mut self, id: &str, choice: ConflictChoice) -> Result<()> {
        self.write(|w| {
            let found: Option<(String, String, String, String, String, String)> = w
                .query_row(
                    "SELECT table_name, row_id, field, mine, theirs, theirs_also FROM exchange_conflicts
                     WHERE id = ?1 AND resolved_at IS NULL",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?;
            let Some((table, row_id, field, _, theirs, also)) = found else {
                return Err(StoreError::NotFound { entity: "conflict", id: id.to_owned() });
            };
            let shape = Shape::read(w, &table)?;
            let Some(current) = current_value(w, &table, &row_id, &field)? else {
                return Err(StoreError::NotFound { entity: "record", id: row_id });
            };
            let mine = to_json(&current).to_string();
            if choice == ConflictChoice::Theirs && mine != theirs {
                let mut sets: Vec<(String, Value)> = vec![(field.clone(), from_json(&theirs))];
                if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&also) {
                    for (k, v) in map {
                        sets.push((k, from_json(&v.to_string())));
                    }
                }
                if shape.index("updated_at").is_some() {
                    sets.push(("updated_at".into(), Value::Text(w.now.clone())));
                }
                sets.retain(|(c, _)| shape.index(c).is_some());
                shape.update(w, &Value::Text(row_id.clone()), &sets).map_err(|e| {
                    // Bringing back a clause whose number a live one took since.
                    if table == "clauses" && is_unique_clash(&e) {
                        let number = current_value(w, "clauses", &row_id, "number")
                            .ok()
                            .flatten()
                            .map_or_else(String::new, |v| text_of(&v));
                        StoreError::DuplicateNumber { number, scope: "among its sibling clauses".into() }
                    } else {
                        e
                    }
                })?;
            }
            w.execute(
                "UPDATE exchange_conflicts SET resolved_at = ?2, choice = ?3 WHERE id = ?1",
                params![id, w.now, choice],
            )?;
            let (old, new) = match choice {
                ConflictChoice::Mine => (theirs, mine),
                ConflictChoice::Theirs => (mine, theirs),
            };
            w.audit(
                "exchange",
                &row_id,
                None,
                "resolve",
                &[FieldChange { field, old: Some(old), new: Some(format!("{new} ({})", choice.as_str())) }],
            )
        })
    }

    /// The Exchange screen's figures and history.
    pub fn exchange_overview(&self) -> Result<ExchangeOverview> {
        self.read(|conn| {
            let mut stmt = conn.prepare("SELECT name FROM exchange_recipients ORDER BY name")?;
            let recipients = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            let mut stmt = conn.prepare(
                "SELECT id, at, direction, scope, peer, file_name, entries, changes, conflicts
                 FROM exchange_files ORDER BY at DESC, id DESC LIMIT ?1",
            )?;
            let files = stmt
                .query_map([HISTORY_LIMIT], |r| {
                    Ok(ExchangeFile {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        direction: super::strict(r, 2, "exchange_files", 0)?,
                        scope: super::strict(r, 3, "exchange_files", 0)?,
                        peer: r.get(4)?,
                        file_name: r.get(5)?,
                        entries: r.get(6)?,
                        changes: r.get(7)?,
                        conflicts: r.get(8)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ExchangeOverview {
                register_id: register_id(conn)?,
                recipients,
                open_conflicts: conn.query_row(
                    "SELECT count(*) FROM exchange_conflicts WHERE resolved_at IS NULL",
                    [],
                    |r| r.get(0),
                )?,
                log_entries: conn.query_row("SELECT count(*) FROM exchange_log", [], |r| r.get(0))?,
                files,
            })
        })
    }
}

/// The log after `after`, in this register's order.
fn log_entries(conn: &Connection, after: i64) -> Result<Vec<Entry>> {
    let mut stmt =
        conn.prepare("SELECT origin, origin_seq, at, changeset, bases FROM exchange_log WHERE seq > ?1 ORDER BY seq")?;
    let rows = stmt.query_map([after], |r| {
        Ok((
            Entry { origin: r.get(0)?, origin_seq: r.get(1)?, at: r.get(2)?, changeset: Vec::new(), bases: Vec::new() },
            r.get::<_, Vec<u8>>(3)?,
            r.get::<_, Vec<u8>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    // The log is read with the limits of a received file: a register can
    // be one someone handed over, and what is sent must be receivable.
    let mut room = file::MAX_UNPACKED_BYTES;
    for row in rows {
        let (mut entry, packed, bases) = row?;
        entry.changeset = file::unpack(&packed, room)?;
        room -= entry.changeset.len() as u64;
        entry.bases = file::decode_bases(&bases)?;
        out.push(entry);
    }
    Ok(out)
}

/// Which records a file of records carries.
enum Selection {
    All,
    Since(String),
    Partner(String),
    Agreement(String),
}

/// The selected records as one entry: a changeset of inserts, made by a
/// session on an empty in-memory copy of the carried tables as the rows are
/// copied into it.
fn records(conn: &Connection, selection: &Selection) -> Result<Entry> {
    let copy = Connection::open_in_memory()?;
    // The receiver checks every reference; the copy only collects rows.
    copy.execute_batch("PRAGMA foreign_keys = OFF")?;
    for table in TABLES {
        let sql: String =
            conn.query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))?;
        copy.execute_batch(&sql)?;
    }
    let mut session = Session::new(&copy)?;
    for table in TABLES {
        session.attach(Some(*table))?;
    }
    // The agreements selected, then what hangs off them.
    let agreements = "SELECT id FROM temp.exchange_agreements";
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS exchange_agreements (id TEXT PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS exchange_partners (id TEXT PRIMARY KEY);
         DELETE FROM temp.exchange_agreements; DELETE FROM temp.exchange_partners;",
    )?;
    match selection {
        Selection::All => {
            conn.execute("INSERT INTO temp.exchange_agreements SELECT id FROM agreements", [])?;
            conn.execute("INSERT INTO temp.exchange_partners SELECT id FROM partners", [])?;
        }
        Selection::Agreement(id) => {
            conn.execute("INSERT INTO temp.exchange_agreements VALUES (?1)", [id])?;
        }
        Selection::Partner(id) => {
            conn.execute(
                "INSERT INTO temp.exchange_agreements SELECT agreement_id FROM agreement_parties WHERE partner_id = ?1",
                [id],
            )?;
            conn.execute("INSERT INTO temp.exchange_partners VALUES (?1)", [id])?;
        }
        Selection::Since(day) => {
            conn.execute(
                "INSERT OR IGNORE INTO temp.exchange_agreements
                 SELECT id FROM agreements WHERE updated_at >= ?1
                 UNION SELECT agreement_id FROM clauses WHERE updated_at >= ?1
                 UNION SELECT c.agreement_id FROM notes n JOIN clauses c ON c.id = n.clause_id WHERE n.updated_at >= ?1
                 UNION SELECT agreement_id FROM agreement_parties WHERE updated_at >= ?1",
                [day],
            )?;
            conn.execute("INSERT INTO temp.exchange_partners SELECT id FROM partners WHERE updated_at >= ?1", [day])?;
        }
    }
    conn.execute_batch(
        "INSERT OR IGNORE INTO temp.exchange_partners
         SELECT partner_id FROM agreement_parties WHERE agreement_id IN (SELECT id FROM temp.exchange_agreements);",
    )?;
    let meetings = format!(
        "SELECT meeting_id FROM meeting_agreements WHERE agreement_id IN ({agreements})
         UNION SELECT meeting_id FROM meeting_partners WHERE partner_id IN (SELECT id FROM temp.exchange_partners)"
    );
    let clauses = format!("SELECT id FROM clauses WHERE agreement_id IN ({agreements})");
    let notes = format!("SELECT id FROM notes WHERE clause_id IN ({clauses})");
    let owners = format!("{agreements} UNION {clauses} UNION {meetings}");
    let wheres: [(&str, String); 13] = [
        ("partners", "id IN (SELECT id FROM temp.exchange_partners)".into()),
        ("agreements", format!("id IN ({agreements})")),
        ("agreement_parties", format!("agreement_id IN ({agreements})")),
        ("clauses", format!("id IN ({clauses})")),
        ("notes", format!("id IN ({notes})")),
        (
            "audit",
            format!(
                "entity <> 'exchange' AND (entity_id IN ({agreements} UNION {clauses} UNION {notes} UNION {meetings}
                 UNION SELECT id FROM temp.exchange_partners) OR scope_id IN ({agreements} UNION {clauses}))"
            ),
        ),
        ("meetings", format!("id IN ({meetings})")),
        (
            "meeting_partners",
            format!("meeting_id IN ({meetings}) AND partner_id IN (SELECT id FROM temp.exchange_partners)"),
        ),
        ("meeting_agreements", format!("meeting_id IN ({meetings}) AND agreement_id IN ({agreements})")),
        ("meeting_participants", format!("meeting_id IN ({meetings})")),
        ("agenda_items", format!("meeting_id IN ({meetings})")),
        ("outcomes", format!("item_id IN (SELECT id FROM agenda_items WHERE meeting_id IN ({meetings}))")),
        ("attachments", format!("owner_id IN ({owners})")),
    ];
    debug_assert!(wheres.iter().map(|(t, _)| *t).eq(TABLES.iter().copied()));
    for (table, filter) in &wheres {
        let where_sql = if matches!(selection, Selection::All) { "1".to_owned() } else { filter.clone() };
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE {where_sql}"))?;
        let n = stmt.column_count();
        let marks = vec!["?"; n].join(", ");
        let mut insert = copy.prepare(&format!("INSERT INTO {table} VALUES ({marks})"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let values: Vec<Value> = (0..n).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?;
            insert.execute(rusqlite::params_from_iter(values))?;
        }
    }
    conn.execute_batch("DELETE FROM temp.exchange_agreements; DELETE FROM temp.exchange_partners;")?;
    let mut changeset = Vec::new();
    session.changeset_strm(&mut changeset)?;
    Ok(Entry { origin: register_id(conn)?, origin_seq: 0, at: super::now(), changeset, bases: Vec::new() })
}

/// The attached files `entries` name and do not hold: the hash of every
/// file an `attachments` row they insert names, each once, less the files
/// whose own `attachment_files` row an entry from before layout 3 carries
/// (it travels inside that entry, as it always did).
fn named_files(conn: &Connection, entries: &[Entry]) -> Result<Vec<String>> {
    let named_by = Shape::read(conn, "attachments")?.index("sha256").expect("an attachment names its file");
    let key = Shape::read(conn, FILES_TABLE)?.index("sha256").expect("a file is keyed by its hash");
    let (mut named, mut held) = (BTreeSet::new(), BTreeSet::new());
    for entry in entries {
        each_change(&entry.changeset, |table, action, _, item| {
            if action != Action::SQLITE_INSERT {
                return Ok(());
            }
            let (column, set) = match table {
                "attachments" => (named_by, &mut named),
                FILES_TABLE => (key, &mut held),
                _ => return Ok(()),
            };
            if let Ok(ValueRef::Text(sha)) = item.new_value(column) {
                set.insert(String::from_utf8_lossy(sha).into_owned());
            }
            Ok(())
        })?;
    }
    Ok(named.into_iter().filter(|sha| !held.contains(sha)).collect())
}

/// Whether rows of the carried tables name records this register does not
/// have (for a dry run, which never reaches the commit that would refuse
/// them).
fn dangling_references(conn: &Connection) -> Result<bool> {
    for table in TABLES {
        let n: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check(?1)", [table], |r| r.get(0))?;
        if n > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether an attachment names a file this register does not hold. Its
/// reference is the one SQLite checks immediately, not at commit, and
/// `changeset_apply` defers and then forgets such checks once its conflict
/// handler lets the changes stand; so it is checked here, after the merge.
/// (The attachments are few; each is one look-up in the files' key.)
fn unstored_files(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM attachments a
                        WHERE NOT EXISTS (SELECT 1 FROM attachment_files f WHERE f.sha256 = a.sha256))",
        [],
        |r| r.get(0),
    )?)
}

/// Whether `e` is SQLite refusing a commit that leaves rows naming records
/// not there.
fn is_dangling(e: &StoreError) -> bool {
    matches!(e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// Whether `e` is SQLite refusing a second live row with one unique key.
fn is_unique_clash(e: &StoreError) -> bool {
    matches!(e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// SQLite's order of values: null, numbers, text, blobs.
fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Integer(_) | Value::Real(_) => 1,
            Value::Text(_) => 2,
            Value::Blob(_) => 3,
        }
    }
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Integer(x), Value::Real(y)) => (*x as f64).partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::Real(x), Value::Integer(y)) => x.partial_cmp(&(*y as f64)).unwrap_or(Ordering::Equal),
        (Value::Real(x), Value::Real(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// The columns of one carried table.
#[derive(Debug, Clone)]
struct Shape {
    table: String,
    columns: Vec<String>,
    /// The primary key's columns, by index.
    pk: Vec<usize>,
}

impl Shape {
    fn read(conn: &Connection, table: &str) -> Result<Shape> {
        let mut stmt = conn.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
        let cols: Vec<(String, i64)> =
            stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut pk: Vec<(i64, usize)> =
            cols.iter().enumerate().filter(|(_, c)| c.1 > 0).map(|(i, c)| (c.1, i)).collect();
        pk.sort();
        Ok(Shape {
            table: table.to_owned(),
            columns: cols.into_iter().map(|c| c.0).collect(),
            pk: pk.into_iter().map(|p| p.1).collect(),
        })
    }

    fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }

    fn key_where(&self) -> String {
        self.pk
            .iter()
            .enumerate()
            .map(|(n, &i)| format!("{} = ?{}", self.columns[i], n + 1))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The row whose key is `key`, every column.
    fn row(&self, conn: &Connection, key: &[Value]) -> Result<Option<Vec<Value>>> {
        let sql = format!("SELECT * FROM {} WHERE {}", self.table, self.key_where());
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(key), |r| {
                (0..self.columns.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()
            })
            .optional()?)
    }

    /// Sets `sets` on the row of a one-column key.
    fn update(&self, conn: &Connection, id: &Value, sets: &[(String, Value)]) -> Result<()> {
        self.update_key(conn, std::slice::from_ref(id), sets)
    }

    fn update_key(&self, conn: &Connection, key: &[Value], sets: &[(String, Value)]) -> Result<()> {
        if sets.is_empty() {
            return Ok(());
        }
        let n = key.len();
        let assign: Vec<String> = sets.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", n + i + 1)).collect();
        let sql = format!("UPDATE {} SET {} WHERE {}", self.table, assign.join(", "), self.key_where());
        let values: Vec<&Value> = key.iter().chain(sets.iter().map(|(_, v)| v)).collect();
        conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }

    fn insert(&self, conn: &Connection, row: &[Value]) -> Result<()> {
        let marks = vec!["?"; row.len()].join(", ");
        conn.prepare_cached(&format!("INSERT INTO {} VALUES ({marks})", self.table))?
            .execute(rusqlite::params_from_iter(row))?;
        Ok(())
    }

    fn delete(&self, conn: &Connection, key: &[Value]) -> Result<()> {
        conn.prepare_cached(&format!("DELETE FROM {} WHERE {}", self.table, self.key_where()))?
            .execute(rusqlite::params_from_iter(key))?;
        Ok(())
    }

    fn key_of(&self, row: &[Option<Value>]) -> Vec<Value> {
        self.pk.iter().map(|&i| row.get(i).cloned().flatten().unwrap_or(Value::Null)).collect()
    }
}

/// The carried tables' shapes in this register.
struct Shapes(HashMap<String, Shape>);

impl Shapes {
    fn read(conn: &Connection) -> Result<Shapes> {
        let mut map = HashMap::new();
        // Entries from before layout 3 may hold attached files' rows.
        for table in TABLES.iter().chain([&FILES_TABLE]) {
            map.insert((*table).to_owned(), Shape::read(conn, table)?);
        }
        Ok(Shapes(map))
    }

    fn get(&self, table: &str) -> Result<&Shape> {
        self.0.get(table).ok_or_else(|| ExchangeError::Forbidden { table: table.to_owned() }.into())
    }
}

/// Walks every change of a changeset, handing each to `f` with its table,
/// action, column count and values: the one reader of changesets, for the
/// checks on a received entry and for the fields an entry updates. A
/// changeset SQLite cannot read is refused.
fn each_change(changeset: &[u8], mut f: impl FnMut(&str, Action, usize, &ChangesetItem) -> Result<()>) -> Result<()> {
    let forbidden = || StoreError::Exchange(ExchangeError::UnreadableChanges);
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = ChangesetIter::start_strm(&reader).map_err(|_| forbidden())?;
    while let Some(item) = iter.next().map_err(|_| forbidden())? {
        let op = item.op().map_err(|_| forbidden())?;
        f(op.table_name(), op.code(), op.number_of_columns() as usize, item)?;
    }
    Ok(())
}

/// Whether `changeset` (this register's own, as a session made it) holds
/// nothing but inserts. It walks the changeset format SQLite documents
/// (`sqlite3session.h`, "changeset format") without decoding a value; on
/// anything it does not expect it answers `false`, and the caller reads the
/// changeset through SQLite's own iterator.
fn changes_only_inserts(changeset: &[u8]) -> bool {
    /// SQLite's varint: big-endian groups of seven bits, the high bit set
    /// on all but the last; a ninth byte counts all eight.
    fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut v = 0u64;
        for i in 0..9 {
            let b = *bytes.get(*at)?;
            *at += 1;
            if i == 8 {
                return Some((v << 8) | u64::from(b));
            }
            v = (v << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    /// Skips one record of `columns` values.
    fn record(bytes: &[u8], at: &mut usize, columns: u64) -> Option<()> {
        for _ in 0..columns {
            match *bytes.get(*at)? {
                // Undefined, NULL: the type byte alone.
                0 | 5 => *at += 1,
                // An integer or a real: eight bytes.
                1 | 2 => *at += 9,
                // Text or a blob: its length, then its bytes.
                3 | 4 => {
                    *at += 1;
                    let n = usize::try_from(varint(bytes, at)?).ok()?;
                    *at = at.checked_add(n)?;
                }
                _ => return None,
            }
        }
        (*at <= bytes.len()).then_some(())
    }
    let walk = || -> Option<bool> {
        let mut at = 0usize;
        let mut columns = None;
        while at < changeset.len() {
            match changeset[at] {
                b'T' => {
                    at += 1;
                    let n = varint(changeset, &mut at)?;
                    at = at.checked_add(usize::try_from(n).ok()?)?;
                    at += changeset.get(at..)?.iter().position(|&b| b == 0)? + 1;
                    columns = Some(n);
                }
                op if op == Action::SQLITE_INSERT as u8 => {
                    // The op, then its "indirect" flag, then the new row.
                    at += 2;
                    record(changeset, &mut at, columns?)?;
                }
                _ => return Some(false),
            }
        }
        Some(true)
    };
    walk().unwrap_or(false)
}

/// Refuses an entry that touches anything an exchange never does.
fn check_entry(shapes: &Shapes, entry: &Entry, older: bool) -> Result<()> {
    each_change(&entry.changeset, |table, action, columns, _| {
        let shape = shapes.get(table)?;
        if columns != shape.columns.len() {
            return Err(if older {
                ExchangeError::OlderTables { table: table.to_owned() }
            } else {
                ExchangeError::Forbidden { table: table.to_owned() }
            }
            .into());
        }
        match action {
            Action::SQLITE_INSERT | Action::SQLITE_UPDATE => Ok(()),
            Action::SQLITE_DELETE if HARD_DELETES.contains(&table) => Ok(()),
            _ => Err(ExchangeError::Forbidden { table: table.to_owned() }.into()),
        }
    })
}

/// A change SQLite could not apply as it stands, kept for [`Merge`].
#[derive(Debug)]
struct Pending {
    conflict: ConflictType,
    table: String,
    action: Action,
    old: Vec<Option<Value>>,
    new: Vec<Option<Value>>,
}

impl Pending {
    fn from_item(conflict: ConflictType, item: &ChangesetItem) -> rusqlite::Result<Pending> {
        let op = item.op()?;
        let n = op.number_of_columns() as usize;
        let action = op.code();
        let table = op.table_name().to_owned();
        let value = |r: rusqlite::Result<ValueRef<'_>>| r.ok().and_then(|v| Value::try_from(v).ok());
        let old =
            (0..n).map(|i| if action == Action::SQLITE_INSERT { None } else { value(item.old_value(i)) }).collect();
        let new =
            (0..n).map(|i| if action == Action::SQLITE_DELETE { None } else { value(item.new_value(i)) }).collect();
        Ok(Pending { conflict, table, action, old, new })
    }
}

/// Applies received changesets and merges what they could not apply.
struct Merge<'a> {
    shapes: &'a Shapes,
    file_id: &'a str,
    /// The register the entry being applied began in.
    origin: String,
    /// What the entry's updated fields were changed on top of.
    bases: HashMap<(String, String, String), (String, i64)>,
    /// The fields of the entry that stay as they are here (in conflict).
    kept: std::collections::HashSet<(String, String, String)>,
    conflicts: i64,
    /// Rows written for bookkeeping (conflict rows), not data.
    changes: i64,
}

impl Merge<'_> {
    fn apply(&mut self, w: &WriteTx<'_>, entry: &Entry) -> Result<()> {
        self.origin.clone_from(&entry.origin);
        self.bases = entry
            .bases
            .iter()
            .map(|b| ((b.table.clone(), b.row.clone(), b.field.clone()), (b.origin.clone(), b.seq)))
            .collect();
        self.kept.clear();
        self.apply_changeset(w, &entry.changeset)?;
        // The fields the entry set here now come from it.
        if entry.origin_seq > 0 {
            for (table, row, fields) in updated_fields(w, &entry.changeset)? {
                for field in fields {
                    let k = (table.clone(), row.clone(), field);
                    if !self.kept.contains(&k) {
                        set_version(w, &k.0, &k.1, &k.2, &entry.origin, entry.origin_seq)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn apply_changeset(&mut self, w: &WriteTx<'_>, changeset: &[u8]) -> Result<()> {
        let pending: Arc<Mutex<Vec<Pending>>> = Arc::default();
        let failed: Arc<Mutex<Option<rusqlite::Error>>> = Arc::default();
        let (p, f) = (pending.clone(), failed.clone());
        let mut input: &[u8] = changeset;
        w.apply_strm(&mut input, None::<fn(&str) -> bool>, move |kind, item| match kind {
            ConflictType::SQLITE_CHANGESET_DATA
            | ConflictType::SQLITE_CHANGESET_CONFLICT
            | ConflictType::SQLITE_CHANGESET_CONSTRAINT => match Pending::from_item(kind, &item) {
                Ok(pending) => {
                    p.lock().expect("not poisoned").push(pending);
                    ConflictAction::SQLITE_CHANGESET_OMIT
                }
                Err(e) => {
                    *f.lock().expect("not poisoned") = Some(e);
                    ConflictAction::SQLITE_CHANGESET_ABORT
                }
            },
            // A change to a row this register does not have (a party link
            // removed here too): nothing to do.
            ConflictType::SQLITE_CHANGESET_NOTFOUND => ConflictAction::SQLITE_CHANGESET_OMIT,
            // Rows that name records not here yet: the merge below may add
            // them (a clause renumbered); what remains is refused before
            // the transaction ends.
            ConflictType::SQLITE_CHANGESET_FOREIGN_KEY => ConflictAction::SQLITE_CHANGESET_OMIT,
            _ => ConflictAction::SQLITE_CHANGESET_ABORT,
        })
        .map_err(|e| match failed.lock().expect("not poisoned").take() {
            Some(inner) => StoreError::from(inner),
            None => StoreError::from(e),
        })?;
        let pending = std::mem::take(&mut *pending.lock().expect("not poisoned"));
        for p in pending {
            self.settle(w, p)?;
        }
        Ok(())
    }

    /// Merges one change SQLite reported.
    fn settle(&mut self, w: &WriteTx<'_>, p: Pending) -> Result<()> {
        let shape = self.shapes.get(&p.table)?;
        let key = shape.key_of(if p.action == Action::SQLITE_INSERT { &p.new } else { &p.old });
        let Some(current) = shape.row(w, &key)? else {
            // A uniqueness clash on a new row.
            return self.clash(w, shape, p, None);
        };
        match (&p.conflict, p.action) {
            (ConflictType::SQLITE_CHANGESET_CONSTRAINT, _) => self.clash(w, shape, p, Some(current)),
            (_, Action::SQLITE_DELETE) => {
                // A party link removed there and changed here: removed.
                shape.delete(w, &key)
            }
            (_, Action::SQLITE_INSERT) => {
                // The row is here already (a file of records, or a log
                // entry of records): the later version wins, whole.
                let new: Vec<Value> = p.new.into_iter().map(|v| v.unwrap_or(Value::Null)).collect();
                if new == current {
                    return Ok(());
                }
                match shape.index("updated_at") {
                    Some(u) if later(&new[u], &current[u]) => {
                        let sets: Vec<(String, Value)> = shape
                            .columns
                            .iter()
                            .cloned()
                            .zip(new)
                            .enumerate()
                            .filter(|(i, _)| !shape.pk.contains(i))
                            .map(|(_, s)| s)
                            .collect();
                        shape.update_key(w, &key, &sets)
                    }
                    _ => Ok(()),
                }
            }
            (_, _) => self.merge_update(w, shape, &key, &p, &current),
        }
    }

    /// An update whose old values are not what this register holds: field
    /// by field, theirs where this register has not changed the field.
    fn merge_update(
        &mut self,
        w: &WriteTx<'_>,
        shape: &Shape,
        key: &[Value],
        p: &Pending,
        current: &[Value],
    ) -> Result<()> {
        let updated = shape.index("updated_at");
        let deleted = shape.index("deleted_at");
        let deletion = shape.index("deletion_id");
        let edited_here = updated.is_some_and(|u| p.old[u].as_ref().is_some_and(|old| *old != current[u]));
        let mut sets: Vec<(String, Value)> = Vec::new();
        for (i, new) in p.new.iter().enumerate() {
            let Some(new) = new else { continue };
            if Some(i) == deletion || Some(i) == updated || shape.pk.contains(&i) {
                continue;
            }
            self.supersede(w, shape, key, i)?;
            let old = p.old[i].clone().unwrap_or(Value::Null);
            let cur = &current[i];
            if Some(i) == deleted {
                let theirs_also = deletion.and_then(|d| p.new[d].clone()).unwrap_or(Value::Null);
                let mine_also = deletion.map(|d| current[d].clone()).unwrap_or(Value::Null);
                if *cur == old && !(edited_here && *new != Value::Null) {
                    sets.push((shape.columns[i].clone(), new.clone()));
                    if let Some(d) = deletion {
                        sets.push((shape.columns[d].clone(), theirs_also));
                    }
                } else if *cur != Value::Null && *new != Value::Null {
                    // Deleted on both sides: the later deletion, everywhere.
                    if compare(new, cur).then_with(|| compare(&theirs_also, &mine_also)).is_gt() {
                        sets.push((shape.columns[i].clone(), new.clone()));
                        if let Some(d) = deletion {
                            sets.push((shape.columns[d].clone(), theirs_also));
                        }
                    }
                } else if cur != new {
                    let kind = if *new != Value::Null { ConflictKind::DeletedThere } else { ConflictKind::BothChanged };
                    for c in [Some(i), deletion].into_iter().flatten() {
                        self.kept.insert((shape.table.clone(), row_key(key), shape.columns[c].clone()));
                    }
                    self.conflict(w, shape, key, i, kind, &old, cur, new, deletion.map(|d| (d, theirs_also)))?;
                }
                continue;
            }
            // Theirs was made on top of the change this value came from:
            // this register has not changed the field since, so it takes
            // theirs (by the change, not the value: A, B and back to A is
            // a change).
            let k = (shape.table.clone(), row_key(key), shape.columns[i].clone());
            let base = self.bases.get(&k).cloned().unwrap_or_default();
            let here = version(w, &k.0, &k.1, &k.2)?;
            if here == base {
                sets.push((shape.columns[i].clone(), new.clone()));
            } else if cur != new {
                self.kept.insert(k);
                self.conflict(w, shape, key, i, ConflictKind::BothChanged, &old, cur, new, None)?;
            } else {
                // The same value by chance, from changes made apart: the
                // field keeps the change it came from here, so that a later
                // change there, made on top of theirs, is not taken for one
                // made on top of this.
                self.kept.insert(k);
            }
        }
        // An edit there to a record deleted here.
        if let Some(d) = deleted
            && p.new[d].is_none()
            && current[d] != Value::Null
            && edited_here
        {
            let also = deletion.map(|x| (x, Value::Null));
            self.conflict(w, shape, key, d, ConflictKind::DeletedHere, &Value::Null, &current[d], &Value::Null, also)?;
        }
        if let Some(u) = updated
            && let Some(new) = &p.new[u]
            && later(new, &current[u])
        {
            sets.push(("updated_at".into(), new.clone()));
        }
        shape.update_key(w, key, &sets)
    }

    /// Closes the open conflicts on one field that the entry's own register
    /// raised before: its later change to the field replaces them.
    fn supersede(&mut self, w: &WriteTx<'_>, shape: &Shape, key: &[Value], column: usize) -> Result<()> {
        let Some(Value::Text(row_id)) = key.first().filter(|_| key.len() == 1) else { return Ok(()) };
        let n = w
            .prepare_cached(
                "UPDATE exchange_conflicts SET resolved_at = ?5
                 WHERE table_name = ?1 AND row_id = ?2 AND field = ?3 AND origin = ?4 AND resolved_at IS NULL",
            )?
            .execute(params![shape.table, row_id, shape.columns[column], self.origin, w.now])?;
        self.changes += n as i64;
        Ok(())
    }

    /// Records (or brings up to date) the open conflict on one field.
    #[allow(clippy::too_many_arguments)]
    fn conflict(
        &mut self,
        w: &WriteTx<'_>,
        shape: &Shape,
        key: &[Value],
        column: usize,
        kind: ConflictKind,
        base: &Value,
        mine: &Value,
        theirs: &Value,
        also: Option<(usize, Value)>,
    ) -> Result<()> {
        let row_id = match key.first() {
            Some(Value::Text(t)) if key.len() == 1 => t.clone(),
            _ => return Ok(()),
        };
        let field = &shape.columns[column];
        let mut also_json = serde_json::Map::new();
        if let Some((i, v)) = also {
            also_json.insert(shape.columns[i].clone(), to_json(&v));
        }
        let also_json = serde_json::Value::Object(also_json).to_string();
        // One conflict per value that arrived: when several colleagues
        // changed the field, the officer sees each one's value.
        let theirs_json = to_json(theirs).to_string();
        let open: bool = w.query_row(
            "SELECT EXISTS (SELECT 1 FROM exchange_conflicts WHERE table_name = ?1 AND row_id = ?2 AND field = ?3
             AND theirs = ?4 AND resolved_at IS NULL)",
            params![shape.table, row_id, field, theirs_json],
            |r| r.get(0),
        )?;
        if !open {
            w.execute(
                "INSERT INTO exchange_conflicts (id, file_id, table_name, row_id, field, kind, base, mine, theirs, theirs_also, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    new_id(),
                    self.file_id,
                    shape.table,
                    row_id,
                    field,
                    kind,
                    to_json(base).to_string(),
                    to_json(mine).to_string(),
                    theirs_json,
                    also_json,
                    self.origin
                ],
            )?;
            self.conflicts += 1;
        }
        self.changes += 1;
        Ok(())
    }

    /// A change that broke a uniqueness rule: two clauses with one number
    /// under one parent, or two links of one partner to one agreement.
    fn clash(&mut self, w: &WriteTx<'_>, shape: &Shape, p: Pending, current: Option<Vec<Value>>) -> Result<()> {
        let forbidden = || StoreError::Exchange(ExchangeError::Forbidden { table: p.table.clone() });
        // The row as it would be with the change.
        let mut row: Vec<Value> = match &current {
            Some(cur) => cur.clone(),
            None => vec![Value::Null; shape.columns.len()],
        };
        for (i, v) in p.new.iter().enumerate() {
            if let Some(v) = v {
                row[i] = v.clone();
            }
        }
        let id = row[0].clone();
        match shape.table.as_str() {
            "clauses" => {
                let (agreement, parent, number) = (
                    &row[shape.index("agreement_id").ok_or_else(forbidden)?],
                    &row[shape.index("parent_id").ok_or_else(forbidden)?],
                    shape.index("number").ok_or_else(forbidden)?,
                );
                let other: Option<Value> = w
                    .query_row(
                        "SELECT id FROM clauses WHERE agreement_id = ?1 AND coalesce(parent_id, '') = coalesce(?2, '')
                         AND number = ?3 AND deleted_at IS NULL AND id <> ?4",
                        params![agreement, parent, row[number], id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(other) = other else { return Err(forbidden()) };
                // The larger id takes a free number beside the same one.
                let taken = row[number].clone();
                // The larger id takes its number with the end of its own id:
                // every register gives one record the same number, whatever
                // order the clauses met in ("7" and "7 (b3c9)").
                let renumber = |w: &WriteTx<'_>, who: &Value| -> Result<Value> {
                    let Value::Text(base) = &taken else { return Err(forbidden()) };
                    let id = text_of(who);
                    for len in [4, 8, id.len()] {
                        let candidate = format!("{base} ({})", &id[id.len().saturating_sub(len)..]);
                        let used: bool = w.query_row(
                            "SELECT EXISTS (SELECT 1 FROM clauses WHERE agreement_id = ?1
                             AND coalesce(parent_id, '') = coalesce(?2, '') AND number = ?3 AND deleted_at IS NULL)",
                            params![agreement, parent, candidate],
                            |r| r.get(0),
                        )?;
                        if !used {
                            return Ok(Value::Text(candidate));
                        }
                    }
                    Err(forbidden())
                };
                // The renumbering is this register's own change, logged as an
                // update of the number, so a register where the two never met
                // (one was deleted first) renumbers the same record the same way.
                let was = w.is_recording();
                let larger = if compare(&id, &other).is_gt() { id.clone() } else { other.clone() };
                let free = renumber(w, &larger)?;
                if compare(&id, &other).is_gt() {
                    // Theirs is renumbered: the other steps aside while it
                    // arrives under its own number, then it takes the free one.
                    let Value::Text(own) = &taken else { return Err(forbidden()) };
                    let aside = Value::Text(format!("{own}\u{1}{}", text_of(&other)));
                    w.recording(false);
                    shape.update(w, &other, &[("number".into(), aside)])?;
                    self.write_row(w, shape, &row, current.is_some())?;
                    w.recording(true);
                    shape.update(w, &id, &[("number".into(), free)])?;
                    w.recording(false);
                    shape.update(w, &other, &[("number".into(), taken.clone())])?;
                } else {
                    w.recording(true);
                    shape.update(w, &other, &[("number".into(), free)])?;
                    w.recording(false);
                    self.write_row(w, shape, &row, current.is_some())?;
                }
                w.recording(was);
                Ok(())
            }
            "agreement_parties" => {
                let (a, pt) = (
                    shape.index("agreement_id").ok_or_else(forbidden)?,
                    shape.index("partner_id").ok_or_else(forbidden)?,
                );
                let other: Option<Value> = w
                    .query_row(
                        "SELECT id FROM agreement_parties WHERE agreement_id = ?1 AND partner_id = ?2 AND id <> ?3",
                        params![row[a], row[pt], id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(other) = other else { return Err(forbidden()) };
                if compare(&id, &other).is_lt() {
                    // The larger link goes, as this register's own change.
                    let was = w.is_recording();
                    w.recording(true);
                    shape.delete(w, &[other])?;
                    w.recording(was);
                    self.write_row(w, shape, &row, current.is_some())
                } else {
                    Ok(())
                }
            }
            _ => Err(forbidden()),
        }
    }

    fn write_row(&mut self, w: &WriteTx<'_>, shape: &Shape, row: &[Value], exists: bool) -> Result<()> {
        if exists {
            let sets: Vec<(String, Value)> = shape
                .columns
                .iter()
                .cloned()
                .zip(row.iter().cloned())
                .enumerate()
                .filter(|(i, _)| !shape.pk.contains(i))
                .map(|(_, s)| s)
                .collect();
            shape.update_key(w, &shape.pk.iter().map(|&i| row[i].clone()).collect::<Vec<_>>(), &sets)
        } else {
            shape.insert(w, row)
        }
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

/// Whether `a` is a later time than `b` (RFC 3339 text sorts by time).
fn later(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(a), Value::Text(b)) => a > b,
        (Value::Text(_), Value::Null) => true,
        _ => false,
    }
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(t) => t.clone().into(),
        Value::Blob(b) => format!("({} bytes)", b.len()).into(),
    }
}

fn from_json(text: &str) -> Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) => Value::Text(s),
        Ok(serde_json::Value::Number(n)) => {
            n.as_i64().map(Value::Integer).or_else(|| n.as_f64().map(Value::Real)).unwrap_or(Value::Null)
        }
        _ => Value::Null,
    }
}

/// The value of `field` in the row `id` of a carried table, or `None` when
/// the row is gone.
fn current_value(conn: &Connection, table: &str, id: &str, field: &str) -> Result<Option<Value>> {
    if !TABLES.contains(&table) {
        return Err(ExchangeError::Forbidden { table: table.to_owned() }.into());
    }
    let shape = Shape::read(conn, table)?;
    if shape.index(field).is_none() || shape.pk.len() != 1 {
        return Err(ExchangeError::Forbidden { table: table.to_owned() }.into());
    }
    let key = &shape.columns[shape.pk[0]];
    Ok(conn
        .query_row(&format!("SELECT {field} FROM {table} WHERE {key} = ?1"), [id], |r| r.get::<_, Value>(0))
        .optional()?)
}

/// What a conflict's record is, in the officer's words: a clause's
/// agreement, number and text; another record's own title or name.
fn describe(conn: &Connection, table: &str, id: &str) -> Result<Described> {
    let (entity, sql) = match table {
        "clauses" => (
            "clause",
            "SELECT a.title, c.number, c.text FROM clauses c JOIN agreements a ON a.id = c.agreement_id WHERE c.id = ?1",
        ),
        "notes" => (
            "note",
            "SELECT a.title, c.number, n.text FROM notes n JOIN clauses c ON c.id = n.clause_id
             JOIN agreements a ON a.id = c.agreement_id WHERE n.id = ?1",
        ),
        "agreements" => ("agreement", "SELECT title, NULL, NULL FROM agreements WHERE id = ?1"),
        "partners" => ("partner", "SELECT NULL, NULL, name FROM partners WHERE id = ?1"),
        "meetings" => ("meeting", "SELECT NULL, NULL, title FROM meetings WHERE id = ?1"),
        _ => return Ok(Described::default()),
    };
    let (agreement_title, number, title) =
        conn.query_row(sql, [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?.unwrap_or_default();
    Ok(Described { entity: Some(entity), agreement_title, number, title })
}

/// A conflict's record in the officer's words.
#[derive(Default)]
struct Described {
    entity: Option<&'static str>,
    agreement_title: Option<String>,
    number: Option<String>,
    title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `changes_only_inserts` against SQLite's own iterator, on changesets
    /// a session made: values of every type and length (varints of one to
    /// three bytes), two tables, and each kind of change; cut short, or
    /// with any byte changed, it never panics, and never calls a changeset
    /// SQLite finds anything but inserts in "only inserts".
    #[test]
    fn a_changeset_of_inserts_is_told_without_decoding_it() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE a (id TEXT PRIMARY KEY, n INTEGER, r REAL, t TEXT, b BLOB);
             CREATE TABLE b (x INTEGER, y TEXT, PRIMARY KEY (x, y));",
        )
        .unwrap();
        let changeset = |sql: &str| {
            let mut session = Session::new(&conn).unwrap();
            session.attach(None::<&str>).unwrap();
            conn.execute_batch(sql).unwrap();
            let mut out = Vec::new();
            session.changeset_strm(&mut out).unwrap();
            out
        };
        let only_inserts = |c: &[u8]| {
            let mut all = true;
            each_change(c, |_, action, _, _| {
                all &= action == Action::SQLITE_INSERT;
                Ok(())
            })
            .unwrap();
            all
        };
        let inserts = changeset(&format!(
            "INSERT INTO a VALUES ('x', -5, 1.5, 'short', x'00ff'), ('y', NULL, NULL, '{}', zeroblob(3)),
                                  ('z', 9223372036854775807, -0.0, '', NULL);
             INSERT INTO b VALUES (1, 'one'), (2, 'ی');",
            "w".repeat(300),
        ));
        // Lengths whose varints take three bytes.
        let large =
            changeset(&format!("INSERT INTO a VALUES ('v', 1, 2.0, '{}', zeroblob(20000))", "ی".repeat(10_000)));
        for c in [&inserts, &large] {
            assert!(only_inserts(c));
            assert!(changes_only_inserts(c));
        }
        assert!(!changes_only_inserts(&large[..large.len() - 1]));
        assert!(!changes_only_inserts(&large[..large.len() - 20_001]));
        let update = changeset("UPDATE a SET t = 'changed' WHERE id = 'x'");
        let delete = changeset("DELETE FROM b WHERE x = 1");
        let mixed = changeset("INSERT INTO a (id) VALUES ('w'); UPDATE a SET n = 1 WHERE id = 'y';");
        for c in [&update, &delete, &mixed] {
            assert!(!only_inserts(c));
            assert!(!changes_only_inserts(c));
        }
        assert!(changes_only_inserts(&[]));
        // What the walk accepts, SQLite reads as inserts too, or refuses.
        let agrees = |c: &[u8]| {
            !changes_only_inserts(c) || {
                let mut all = true;
                let read = each_change(c, |_, action, _, _| {
                    all &= action == Action::SQLITE_INSERT;
                    Ok(())
                });
                read.is_err() || all
            }
        };
        for c in [&inserts, &update, &delete, &mixed] {
            for cut in 0..c.len() {
                assert!(agrees(&c[..cut]), "cut at {cut}");
            }
            for i in 0..c.len().min(400) {
                for flip in [0x01u8, 0x80, 0xff] {
                    let mut bad = c.clone();
                    bad[i] ^= flip;
                    assert!(agrees(&bad), "byte {i} ^ {flip:#x}");
                }
            }
        }
        // Cut inside a record, it is not taken for inserts.
        assert!(!changes_only_inserts(&inserts[..inserts.len() - 1]));
    }

    /// A register of schema 11 with records, upgraded on open: its first
    /// file carries what it held before the log began.
    #[test]
    fn a_register_from_before_the_log_sends_what_it_held() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&old).unwrap();
            crate::normalize::register(&conn).unwrap();
            super::super::migrate::to_version(&mut conn, 11).unwrap();
            conn.execute_batch(
                "INSERT INTO partners (id, kind, name, created_at, updated_at)
                 VALUES ('0192f0c1-0000-7000-8000-000000000001', 'country', 'Tajikistan', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
                 INSERT INTO audit (id, at, actor, entity, entity_id, action, changes)
                 VALUES ('0192f0c1-0000-7000-8000-000000000002', '2026-01-01T00:00:00.000Z', 'Anvar', 'partner',
                         '0192f0c1-0000-7000-8000-000000000001', 'create', '{}');",
            )
            .unwrap();
        }
        let mut a = Store::open(&old).unwrap();
        let mut b = Store::open(dir.path().join("new.sqlite3")).unwrap();
        let file = dir.path().join("first.clausebook");
        let sent = a.exchange_send(&SendScope::Changes, Some("Bahrom"), &file).unwrap();
        assert_eq!(sent.entries, 1);
        b.exchange_receive(&file, false).unwrap();
        assert_eq!(b.partners().unwrap()[0].name, "Tajikistan");
        // Only once: the next file carries nothing new.
        let again =
            a.exchange_send(&SendScope::Changes, Some("Bahrom"), &dir.path().join("second.clausebook")).unwrap();
        assert_eq!(again.entries, 0);
    }

    /// A register of schema 12 logged its changesets bare: upgraded on
    /// open, its log is packed and sends what it held.
    #[test]
    fn a_bare_log_is_packed_on_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.sqlite3");
        let bare = {
            let mut conn = Connection::open(&old).unwrap();
            crate::normalize::register(&conn).unwrap();
            super::super::migrate::to_version(&mut conn, 12).unwrap();
            let mut session = recorder(&conn).unwrap();
            conn.execute_batch(
                "INSERT INTO partners (id, kind, name, created_at, updated_at)
                 VALUES ('0192f0c1-0000-7000-8000-000000000001', 'country', 'Uzbekistan', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');",
            )
            .unwrap();
            let mut bare = Vec::new();
            session.changeset_strm(&mut bare).unwrap();
            drop(session);
            conn.execute(
                "INSERT INTO exchange_log (origin, origin_seq, at, changeset, bases)
                 SELECT value, 1, '2026-01-01T00:00:00.000Z', ?1, ?2 FROM settings WHERE key = 'register_id'",
                params![bare, file::encode_bases(&[])],
            )
            .unwrap();
            bare
        };
        let mut a = Store::open(&old).unwrap();
        let stored: Vec<u8> = a.conn().query_row("SELECT changeset FROM exchange_log", [], |r| r.get(0)).unwrap();
        assert_eq!(stored, file::pack(&bare));
        let mut b = Store::open(dir.path().join("new.sqlite3")).unwrap();
        let path = dir.path().join("first.clausebook");
        assert_eq!(a.exchange_send(&SendScope::Changes, Some("Bahrom"), &path).unwrap().entries, 1);
        b.exchange_receive(&path, false).unwrap();
        assert_eq!(b.partners().unwrap()[0].name, "Uzbekistan");
    }
}
