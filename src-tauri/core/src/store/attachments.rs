//! Attachments in the register: a file's bytes go into `attachment_files`
//! once per content (keyed by SHA-256) and are written and read in pieces
//! through SQLite's incremental blob I/O; `attachments` ties a file, under
//! the name it had, to an agreement, a clause or a meeting. Removing one is
//! soft and undoable. Storing one and reading one back never hold it whole
//! in memory: the exchange log does not record `attachment_files` (an
//! exchange file carries the bytes beside its changes, see
//! [`crate::exchange::FILES_TABLE`]).
//!
//! A file from outside is untrusted: it is refused when empty, over the
//! limit or unreadable, and it is read twice (once to hash it, once to store
//! it) with the hash checked again, so a file that changes while it is
//! attached is refused rather than stored half old, half new. Nothing is
//! written unless all of it is.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::blob::Blob;
use rusqlite::{Connection, MAIN_DB, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use super::{Changes, Result, Store, StoreError, new_id, strict};
use crate::detail::{Param, Params};
use crate::model::attachment::{self, Attachment, MAX_BYTES};
use crate::vocab::AttachmentOwner;

/// How much of a file is read or written at a time.
const CHUNK: usize = 256 * 1024;

/// The page cache while a file is written into the register, in KiB. A
/// write's dirty pages stay in the cache until they spill to the WAL, and the
/// usual 64 MiB cache would hold a whole 50 MiB file: this one makes them
/// spill early.
const WRITE_CACHE_KIB: i64 = 4096;

/// Why a file could not be attached or written out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("\"{name}\" is empty: attach the file that holds the document")]
    Empty { name: String },
    #[error(
        "\"{name}\" is {size} bytes; files of at most {max} bytes ({} MB) can be attached: attach a smaller copy, e.g. a scan at a lower resolution",
        max / (1024 * 1024)
    )]
    TooLarge { name: String, size: u64, max: u64 },
    #[error("cannot read {path}: {reason}; check that the file exists and that you may read it")]
    Unreadable { path: String, reason: String },
    #[error("\"{name}\" changed while it was being attached: close the program that writes it, then attach it again")]
    Changed { name: String },
    #[error("cannot write the attachment to {path}: {reason}; free some space or choose another folder")]
    Write { path: String, reason: String },
}

impl AttachmentError {
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty { .. } => "attachment_empty",
            AttachmentError::TooLarge { .. } => "attachment_too_large",
            AttachmentError::Unreadable { .. } => "attachment_unreadable",
            AttachmentError::Changed { .. } => "attachment_changed",
            AttachmentError::Write { .. } => "attachment_write_failed",
        }
    }

    pub fn params(&self) -> Params {
        match self {
            AttachmentError::Empty { name } | AttachmentError::Changed { name } => {
                vec![("name", Param::Text(name.clone()))]
            }
            AttachmentError::TooLarge { name, size, max } => vec![
                ("name", Param::Text(name.clone())),
                ("size", Param::Number(*size as i64)),
                ("max", Param::Number(*max as i64)),
            ],
            AttachmentError::Unreadable { path, reason } | AttachmentError::Write { path, reason } => {
                vec![("path", Param::Text(path.clone())), ("reason", Param::Text(reason.clone()))]
            }
        }
    }

    /// One of each kind, for the error catalog.
    pub fn examples() -> Vec<AttachmentError> {
        vec![
            AttachmentError::Empty { name: "scan.pdf".into() },
            AttachmentError::TooLarge { name: "scan.pdf".into(), size: 60_000_000, max: MAX_BYTES },
            AttachmentError::Unreadable { path: "/home/officer/scan.pdf".into(), reason: "permission denied".into() },
            AttachmentError::Changed { name: "scan.pdf".into() },
            AttachmentError::Write { path: "/home/officer/.cache".into(), reason: "No space left on device".into() },
        ]
    }
}

const COLUMNS: &str = "id, owner_kind, owner_id, name, media_type, size, sha256, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        owner: strict(r, 1, "attachments", 0)?,
        owner_id: r.get(2)?,
        name: r.get(3)?,
        media_type: r.get(4)?,
        size: r.get(5)?,
        sha256: r.get(6)?,
        created_at: r.get(7)?,
    })
}

fn get(conn: &Connection, id: &str) -> Result<Attachment> {
    let id = super::resolve_id(conn, "attachments", "attachment", id)?;
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1"), [&id], from_row)?)
}

/// The live record an id names: an agreement, a clause or a meeting.
fn owner(conn: &Connection, id: &str) -> Result<(AttachmentOwner, String)> {
    for (table, kind) in [
        ("agreements", AttachmentOwner::Agreement),
        ("clauses", AttachmentOwner::Clause),
        ("meetings", AttachmentOwner::Meeting),
    ] {
        match super::resolve_id(conn, table, kind.as_str(), id) {
            Ok(found) => return Ok((kind, found)),
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::NotFound { entity: "agreement, clause or meeting", id: id.trim().to_owned() })
}

/// Hashes a file in pieces: its size and SHA-256, and its first bytes for
/// telling its type.
fn hash(path: &Path, name: &str) -> std::result::Result<(u64, String, Vec<u8>), AttachmentError> {
    let unreadable =
        |e: std::io::Error| AttachmentError::Unreadable { path: path.display().to_string(), reason: e.to_string() };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(unreadable(std::io::Error::other("that is not a file")));
    }
    if meta.len() > MAX_BYTES {
        return Err(AttachmentError::TooLarge { name: name.to_owned(), size: meta.len(), max: MAX_BYTES });
    }
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut head = Vec::new();
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        if head.is_empty() {
            head.extend_from_slice(&buf[..n.min(8192)]);
        }
        size += n as u64;
        if size > MAX_BYTES {
            return Err(AttachmentError::TooLarge { name: name.to_owned(), size, max: MAX_BYTES });
        }
        hasher.update(&buf[..n]);
    }
    if size == 0 {
        return Err(AttachmentError::Empty { name: name.to_owned() });
    }
    Ok((size, hex(&hasher.finalize()), head))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The live attachments of a record, oldest first.
    pub fn attachments(&self, owner_id: &str) -> Result<Vec<Attachment>> {
        self.read(|conn| {
            let (_, owner_id) = owner(conn, owner_id)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM attachments WHERE owner_id = ?1 AND deleted_at IS NULL ORDER BY created_at, id"
            ))?;
            Ok(stmt.query_map([&owner_id], from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// One live attachment.
    pub fn attachment(&self, id: &str) -> Result<Attachment> {
        self.read(|conn| get(conn, id))
    }

    /// Attaches the file at `path` to an agreement, clause or meeting, under
    /// `name` (or the file's own name). The bytes are stored once per
    /// content; in one transaction with the record and its audit row.
    pub fn attach(&mut self, owner_id: &str, path: &Path, name: Option<&str>) -> Result<Attachment> {
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "attachment".to_owned());
        crate::model::required_short("file name", &name)?;
        let (size, sha256, head) = hash(path, &name).map_err(StoreError::Attachment)?;
        let media_type = attachment::media_type(&head, &name);
        self.write(|tx| {
            let (kind, owner_id) = owner(tx, owner_id)?;
            if !is_stored(tx, &sha256)? {
                store_blob(tx, path, &name, size, &sha256)?;
            }
            let id = new_id();
            tx.execute(
                "INSERT INTO attachments (id, owner_kind, owner_id, name, media_type, size, sha256, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![id, kind.as_str(), owner_id, name, media_type, size as i64, sha256, tx.now],
            )?;
            let mut c = Changes::default();
            c.field("name", None, Some(&name));
            c.field("owner", None, Some(&owner_id));
            c.field("size", None, Some(&size));
            c.field("sha256", None, Some(&sha256));
            // Scoped to its record, so the record's history shows it.
            tx.audit("attachment", &id, Some(&owner_id), "create", &c.0)?;
            Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1"), [&id], from_row)?)
        })
    }

    /// Removes an attachment (softly: undo restores it). Returns the
    /// deletion's id.
    pub fn remove_attachment(&mut self, id: &str) -> Result<String> {
        self.write(|tx| {
            let a = get(tx, id)?;
            let deletion = new_id();
            tx.execute(
                "UPDATE attachments SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2 WHERE id = ?1",
                params![a.id, tx.now, deletion],
            )?;
            let mut c = Changes::default();
            c.field("deletion_id", None, Some(&deletion));
            c.field("name", Some(&a.name), None);
            tx.audit("attachment", &a.id, Some(&a.owner_id), "delete", &c.0)?;
            Ok(deletion)
        })
    }

    /// Writes an attachment's bytes to `path`, in pieces, through a
    /// temporary file beside it (no partial file is left on error). Returns
    /// the bytes written.
    pub fn copy_attachment(&self, id: &str, path: &Path) -> Result<u64> {
        self.read(|conn| {
            let a = get(conn, id)?;
            write_out(conn, &a, path)?;
            Ok(u64::from(a.size))
        })
    }

    /// Writes an attachment out to be opened in the system's viewer: into
    /// `dir/<first 16 hex digits of its hash>/<its name made safe>`, reusing
    /// a copy already there. Only names from [`attachment::disk_name`] reach
    /// the disk. Returns the file's path.
    pub fn open_copy(&self, id: &str, dir: &Path) -> Result<PathBuf> {
        self.read(|conn| {
            let a = get(conn, id)?;
            let folder = dir.join(&a.sha256[..16]);
            let path = folder.join(attachment::disk_name(&a.name));
            if std::fs::metadata(&path).is_ok_and(|m| m.len() == u64::from(a.size)) {
                return Ok(path);
            }
            std::fs::create_dir_all(&folder).map_err(|e| write_error(&folder, &e))?;
            write_out(conn, &a, &path)?;
            Ok(path)
        })
    }
}

fn write_error(path: &Path, e: &dyn std::fmt::Display) -> StoreError {
    StoreError::Attachment(AttachmentError::Write { path: path.display().to_string(), reason: e.to_string() })
}

/// Adds a row for a file of `size` bytes, its bytes zero, and has `fill`
/// write them in pieces through the blob. Meanwhile the page cache is cut
/// to [`WRITE_CACHE_KIB`], so the write's pages spill to the WAL instead of
/// piling up in memory.
fn new_blob(conn: &Connection, sha256: &str, size: u64, fill: impl FnOnce(&mut Blob<'_>) -> Result<()>) -> Result<()> {
    // Cut before the row goes in: its zeroed pages are the file's size too.
    conn.pragma_update(None, "cache_size", -WRITE_CACHE_KIB)?;
    let written = (|| {
        conn.execute(
            "INSERT INTO attachment_files (sha256, size, data) VALUES (?1, ?2, zeroblob(?2))",
            params![sha256, size as i64],
        )?;
        let mut blob = conn.blob_open(MAIN_DB, "attachment_files", "data", conn.last_insert_rowid(), false)?;
        fill(&mut blob)?;
        Ok(blob.close()?)
    })();
    conn.pragma_update(None, "cache_size", -super::PAGE_CACHE_KIB)?;
    written
}

/// Streams the file at `path` into a new blob of `size` bytes, hashing it
/// again on the way: a file that changed since it was hashed is refused.
fn store_blob(conn: &Connection, path: &Path, name: &str, size: u64, sha256: &str) -> Result<()> {
    new_blob(conn, sha256, size, |blob| stream_into_blob(blob, path, name, size, sha256))
}

/// Whether the register holds the file whose hash is `sha256`.
fn is_stored(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM attachment_files WHERE sha256 = ?1)")?
        .query_row([sha256], |r| r.get(0))?)
}

/// The row of a stored file, for its blob.
fn file_rowid(conn: &Connection, sha256: &str) -> Result<i64> {
    conn.prepare_cached("SELECT rowid FROM attachment_files WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound { entity: "attachment file", id: sha256.to_owned() })
}

/// Stores a file an exchange file carried (its hash already checked),
/// unless this register holds it already.
pub(super) fn store_carried(conn: &Connection, sha256: &str, bytes: &[u8]) -> Result<()> {
    if is_stored(conn, sha256)? {
        return Ok(());
    }
    new_blob(conn, sha256, bytes.len() as u64, |blob| {
        for piece in bytes.chunks(CHUNK) {
            blob.write_all(piece).map_err(|e| write_error(Path::new("the register"), &e))?;
        }
        Ok(())
    })
}

/// The size of a stored file, in bytes.
pub(super) fn file_size(conn: &Connection, sha256: &str) -> Result<usize> {
    let size: i64 = conn
        .prepare_cached("SELECT size FROM attachment_files WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound { entity: "attachment file", id: sha256.to_owned() })?;
    Ok(size as usize)
}

/// Reads a stored file's bytes into `out`, of its size, in pieces (for an
/// exchange file, which carries them).
pub(super) fn read_file_into(conn: &Connection, sha256: &str, out: &mut [u8]) -> Result<()> {
    let mut blob = conn.blob_open(MAIN_DB, "attachment_files", "data", file_rowid(conn, sha256)?, true)?;
    let unreadable =
        |reason: String| StoreError::Attachment(AttachmentError::Unreadable { path: "the register".into(), reason });
    if blob.len() != out.len() {
        return Err(unreadable(format!("the file {sha256} is not of its recorded size")));
    }
    for piece in out.chunks_mut(CHUNK) {
        blob.read_exact(piece).map_err(|e| unreadable(e.to_string()))?;
    }
    Ok(())
}

fn stream_into_blob(blob: &mut Blob<'_>, path: &Path, name: &str, size: u64, sha256: &str) -> Result<()> {
    let unreadable =
        |e: std::io::Error| AttachmentError::Unreadable { path: path.display().to_string(), reason: e.to_string() };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut written = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        written += n as u64;
        if written > size {
            return Err(AttachmentError::Changed { name: name.to_owned() }.into());
        }
        hasher.update(&buf[..n]);
        blob.write_all(&buf[..n]).map_err(|e| write_error(Path::new("the register"), &e))?;
    }
    if written != size || hex(&hasher.finalize()) != sha256 {
        return Err(AttachmentError::Changed { name: name.to_owned() }.into());
    }
    Ok(())
}

/// Streams a stored file to `path` via a temporary file and a rename.
fn write_out(conn: &Connection, a: &Attachment, path: &Path) -> Result<()> {
    let mut blob = conn.blob_open(MAIN_DB, "attachment_files", "data", file_rowid(conn, &a.sha256)?, true)?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.{}.partial", a.sha256, std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut out = std::fs::File::create(&tmp)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = blob.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])?;
        }
        out.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(write_error(path, &e));
    }
    Ok(())
}
