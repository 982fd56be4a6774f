//! The exchange file: what one officer's register sends another.
//!
//! A `.clausebook` file is a magic line, a JSON [`Manifest`] (who sent it,
//! from which register and schema, what it covers, and the SHA-256 of the
//! payload), then the payload: [`Entry`]s, each one SQLite session
//! changeset with the register it began in, then the attached files those
//! changes name ([`CarriedFile`]), each once, by SHA-256. Nothing here
//! speaks SQL: the store makes the changesets and applies them
//! (`store::exchange`).
//!
//! Attached files travel beside the changesets, not inside them (layout 3):
//! a changeset holds every value it records in memory, so a 50 MiB scan
//! inside the log's changeset made attaching it peak near 290 MiB. The log
//! records the `attachments` row, which names the file by its hash, and a
//! file carries the bytes of the files its entries name
//! ([`FILES_TABLE`]). Entries logged or sent before layout 3 may hold
//! `attachment_files` rows themselves; they are still received as they are.
//!
//! Changesets travel and stay in the log packed with zstd ([`pack`]): a
//! changeset repeats its column layout and much of its text from row to
//! row, and packs 6–7× smaller at zstd's fastest ordinary level, for 1.5% of
//! an import's time: the register is a third smaller and a file a sixth of
//! its bare size. Layout 1 files carried them bare; they are still read.
//!
//! The file comes from someone else's machine, so reading it is strict
//! ([`decode`]): limits on every length before anything is allocated, the
//! checksum before any entry is read, and each problem its own
//! [`ExchangeError`] that says what to do. A file that fails is applied not
//! at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::detail::{Param, Params};
pub use crate::vocab::ExchangeScope as Scope;

/// The first bytes of every exchange file.
pub const MAGIC: &[u8] = b"CLAUSEBOOK EXCHANGE\n";

/// The layout this build writes: each entry's changeset packed, and the
/// attached files they name after the entries.
pub const FORMAT: u32 = 3;

/// The layout before, still read: changesets packed, attached files inside
/// them.
const FORMAT_PACKED: u32 = 2;

/// The first layout, still read: changesets bare.
const FORMAT_BARE: u32 = 1;

/// The extension of exchange files, for file dialogs and default names.
pub const EXTENSION: &str = "clausebook";

/// The largest file received: larger is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The most a file's changesets may hold once unpacked, together: a small
/// file that unpacks without end is refused like a large one.
pub const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// The zstd level changesets are packed at: its fastest ordinary one, as an
/// import packs its changeset inside its write.
const PACK_LEVEL: i32 = 1;

/// The largest manifest.
pub const MAX_MANIFEST_BYTES: u32 = 64 * 1024;

/// The tables an exchange carries as changes, parents before children: the
/// officer's records and their history. Settings, counts, the search index,
/// queues, imports' undo records, reminders' snoozes and the exchange's own
/// tables stay in each register; attached files' bytes travel beside the
/// changes ([`FILES_TABLE`]).
pub const TABLES: &[&str] = &[
    "partners",
    "agreements",
    "agreement_parties",
    "clauses",
    "notes",
    "audit",
    "meetings",
    "meeting_partners",
    "meeting_agreements",
    "meeting_participants",
    "agenda_items",
    "outcomes",
    "attachments",
];

/// The table of attached files' bytes, one row per content (keyed by its
/// SHA-256). The log does not record it: a file carries, beside its
/// changes, the bytes of every file an `attachments` row inserted by those
/// changes names. Changes logged before layout 3 may hold its rows, so a
/// receiver still reads them (and passes them on as they are).
pub const FILES_TABLE: &str = "attachment_files";

/// The most attached files one exchange file carries.
pub const MAX_CARRIED_FILES: u32 = 100_000;

/// The one carried table whose rows are deleted outright (a partner taken
/// off an agreement); every other deletion is soft and travels as an update.
pub const HARD_DELETES: &[&str] = &["agreement_parties"];

/// What a file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    /// The sending register's id.
    pub register_id: String,
    /// The sending officer's name, as their settings give it.
    pub officer: String,
    /// The sender's schema version.
    pub schema_version: i64,
    pub created_at: String,
    pub scope: Scope,
    /// The name the sender gave the recipient, if any.
    pub recipient: Option<String>,
    /// The part of the sender's log the file covers (inclusive; 0 and 0 for
    /// a file of records).
    pub from_seq: i64,
    pub upto_seq: i64,
    pub entries: u64,
    pub payload_bytes: u64,
    /// SHA-256 of the payload, lower-case hex.
    pub payload_sha256: String,
}

/// One changeset and where it began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The register the change was made in.
    pub origin: String,
    /// Its number in that register's own changes (0 in a file of records).
    pub origin_seq: i64,
    pub at: String,
    /// An SQLite session changeset.
    pub changeset: Vec<u8>,
    /// For every field the changeset updates, the change it was made on top
    /// of in its register: the receiver applies it where it has that same
    /// change, and shows a conflict where it has another.
    pub bases: Vec<Base>,
}

/// An attached file's bytes, carried beside the changes that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedFile<'a> {
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    pub bytes: &'a [u8],
}

/// A file, read: what it says about itself, its entries, and the attached
/// files it carries (borrowed from the file's bytes).
#[derive(Debug)]
pub struct Decoded<'a> {
    pub manifest: Manifest,
    pub entries: Vec<Entry>,
    pub files: Vec<CarriedFile<'a>>,
}

/// The change a field's value came from when an entry changed it: the
/// register and its number (empty and 0: the record's creation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Base {
    pub table: String,
    pub row: String,
    pub field: String,
    pub origin: String,
    pub seq: i64,
}

/// The bytes of an entry's bases, as the log stores them and files carry them.
pub fn encode_bases(bases: &[Base]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(bases.len() as u32).to_le_bytes());
    for b in bases {
        put_bytes(&mut out, b.table.as_bytes());
        put_bytes(&mut out, b.row.as_bytes());
        put_bytes(&mut out, b.field.as_bytes());
        put_bytes(&mut out, b.origin.as_bytes());
        out.extend_from_slice(&b.seq.to_le_bytes());
    }
    out
}

/// Reads what [`encode_bases`] wrote.
pub fn decode_bases(bytes: &[u8]) -> Result<Vec<Base>, ExchangeError> {
    let mut r = Reader(bytes);
    let bases = r.bases()?;
    if !r.0.is_empty() {
        return Err(ExchangeError::Truncated);
    }
    Ok(bases)
}

/// A changeset packed as the log stores it and files carry it (one zstd
/// frame that records its own length).
pub fn pack(changeset: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(changeset, PACK_LEVEL).expect("packing into memory cannot fail")
}

/// Unpacks what [`pack`] made, refusing more than `limit` bytes of output
/// and anything that is not one zstd frame declaring its size: its bytes
/// may come from another machine.
///
/// The declared size is checked against `limit` before anything is
/// unpacked, and the output may not exceed it, so a small file that would
/// unpack to gigabytes is refused at once instead of after filling memory.
pub fn unpack(packed: &[u8], limit: u64) -> Result<Vec<u8>, ExchangeError> {
    use zstd::zstd_safe;
    let unreadable = || ExchangeError::UnreadableChanges;
    // One frame and nothing after it.
    if zstd_safe::find_frame_compressed_size(packed) != Ok(packed.len()) {
        return Err(unreadable());
    }
    // `pack` always records the size; a frame without one was made elsewhere.
    let Ok(Some(declared)) = zstd_safe::get_frame_content_size(packed) else { return Err(unreadable()) };
    if declared > limit {
        return Err(too_large_unpacked());
    }
    let out = zstd::bulk::decompress(packed, declared as usize).map_err(|_| unreadable())?;
    if out.len() as u64 != declared {
        return Err(unreadable());
    }
    Ok(out)
}

/// Why a file was refused. Each kind has a stable [`code`](Self::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}: choose another folder, or free some space")]
    Unwritable { path: PathBuf, reason: String },
    #[error("this is not a Clausebook exchange file: choose the .clausebook file a colleague sent")]
    NotExchangeFile,
    #[error("the exchange file is cut short (it ends before its contents do): ask for it to be sent again")]
    Truncated,
    #[error(
        "the exchange file was changed after it was written (its checksum does not match): ask for it to be sent again"
    )]
    Tampered,
    #[error(
        "the exchange file is larger than {limit_mib} MiB: ask for a file of one partner or agreement, or of changes since a date"
    )]
    TooLarge { limit_mib: i64 },
    #[error(
        "the exchange file's changes would take more than {limit_mib} MiB once unpacked: ask for a file of one partner or agreement, or of changes since a date"
    )]
    UnpacksTooLarge { limit_mib: i64 },
    #[error("the exchange file's description cannot be read ({reason}): ask for it to be sent again")]
    BadManifest { reason: String },
    #[error(
        "the exchange file was written by a newer Clausebook (schema {found}; this one knows up to {known}): update Clausebook, then receive it"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error(
        "the exchange file was written by an older Clausebook whose {table} records differ from this one's: ask the sender to update Clausebook and send it again"
    )]
    OlderTables { table: String },
    #[error("this file was sent from this register: receive files from colleagues' registers")]
    OwnFile,
    #[error(
        "a file from {officer} is missing: this one starts at change {found}, but only those up to {expected} arrived here; receive the earlier file first, or ask for everything"
    )]
    MissingEarlier { officer: String, expected: i64, found: i64 },
    #[error(
        "the exchange file tries to change {table} in a way an exchange never does: it was not made by Clausebook; nothing was applied"
    )]
    Forbidden { table: String },
    #[error(
        "the exchange file changes records this register does not have: receive the earlier files from that colleague first, or ask for everything"
    )]
    MissingRecords,
    #[error("the exchange file holds changes that cannot be read: it was not made by Clausebook; nothing was applied")]
    UnreadableChanges,
    #[error(
        "the exchange file carries an attached file that is empty, too large to attach, or not the file its checksum names: it was not made by Clausebook; nothing was applied"
    )]
    BadAttachedFile,
}

impl ExchangeError {
    /// A stable code front ends can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ExchangeError::Unreadable { .. } => "exchange_unreadable",
            ExchangeError::Unwritable { .. } => "exchange_unwritable",
            ExchangeError::NotExchangeFile => "exchange_not_a_file",
            ExchangeError::Truncated => "exchange_truncated",
            ExchangeError::Tampered => "exchange_tampered",
            ExchangeError::TooLarge { .. } => "exchange_too_large",
            ExchangeError::UnpacksTooLarge { .. } => "exchange_unpacks_too_large",
            ExchangeError::BadManifest { .. } => "exchange_bad_manifest",
            ExchangeError::NewerSchema { .. } => "exchange_newer_schema",
            ExchangeError::OlderTables { .. } => "exchange_older_tables",
            ExchangeError::OwnFile => "exchange_own_file",
            ExchangeError::MissingEarlier { .. } => "exchange_missing_earlier",
            ExchangeError::Forbidden { .. } => "exchange_forbidden_change",
            ExchangeError::MissingRecords => "exchange_missing_records",
            ExchangeError::UnreadableChanges => "exchange_unreadable_changes",
            ExchangeError::BadAttachedFile => "exchange_bad_attached_file",
        }
    }

    /// The values the message is built from (see [`crate::detail`]).
    pub fn params(&self) -> Params {
        match self {
            ExchangeError::Unreadable { path, .. } | ExchangeError::Unwritable { path, .. } => {
                vec![("path", Param::Text(path.display().to_string()))]
            }
            ExchangeError::TooLarge { limit_mib } | ExchangeError::UnpacksTooLarge { limit_mib } => {
                vec![("limit_mib", Param::Number(*limit_mib))]
            }
            ExchangeError::BadManifest { reason } => vec![("reason", Param::Text(reason.clone()))],
            ExchangeError::NewerSchema { found, known } => {
                vec![("found", Param::Number(*found)), ("known", Param::Number(*known))]
            }
            ExchangeError::OlderTables { table } | ExchangeError::Forbidden { table } => {
                vec![("table", Param::Text(table.clone()))]
            }
            ExchangeError::MissingEarlier { officer, expected, found } => vec![
                ("officer", Param::Text(officer.clone())),
                ("expected", Param::Number(*expected)),
                ("found", Param::Number(*found)),
            ],
            ExchangeError::NotExchangeFile
            | ExchangeError::Truncated
            | ExchangeError::Tampered
            | ExchangeError::OwnFile
            | ExchangeError::MissingRecords
            | ExchangeError::UnreadableChanges
            | ExchangeError::BadAttachedFile => Vec::new(),
        }
    }

    /// One error of every variant, for [`crate::catalog`]; the match fails
    /// to compile when a variant is added, as a reminder to add it here.
    pub fn examples() -> Vec<ExchangeError> {
        let all = vec![
            ExchangeError::Unreadable { path: PathBuf::from("/media/usb/tajik.clausebook"), reason: "gone".into() },
            ExchangeError::Unwritable { path: PathBuf::from("/media/usb/to-hub.clausebook"), reason: "full".into() },
            ExchangeError::NotExchangeFile,
            ExchangeError::Truncated,
            ExchangeError::Tampered,
            ExchangeError::TooLarge { limit_mib: 256 },
            ExchangeError::UnpacksTooLarge { limit_mib: 1024 },
            ExchangeError::BadManifest { reason: "missing field `scope`".into() },
            ExchangeError::NewerSchema { found: 13, known: 12 },
            ExchangeError::OlderTables { table: "clauses".into() },
            ExchangeError::OwnFile,
            ExchangeError::MissingEarlier { officer: "Dilnoza".into(), expected: 12, found: 20 },
            ExchangeError::Forbidden { table: "settings".into() },
            ExchangeError::MissingRecords,
            ExchangeError::UnreadableChanges,
            ExchangeError::BadAttachedFile,
        ];
        for e in &all {
            match e {
                ExchangeError::Unreadable { .. }
                | ExchangeError::Unwritable { .. }
                | ExchangeError::NotExchangeFile
                | ExchangeError::Truncated
                | ExchangeError::Tampered
                | ExchangeError::TooLarge { .. }
                | ExchangeError::UnpacksTooLarge { .. }
                | ExchangeError::BadManifest { .. }
                | ExchangeError::NewerSchema { .. }
                | ExchangeError::OlderTables { .. }
                | ExchangeError::OwnFile
                | ExchangeError::MissingEarlier { .. }
                | ExchangeError::Forbidden { .. }
                | ExchangeError::MissingRecords
                | ExchangeError::UnreadableChanges
                | ExchangeError::BadAttachedFile => {}
            }
        }
        all
    }
}

/// The bytes of a file: magic, manifest length, manifest, payload (the
/// entries, then the attached files). The manifest's `format`, `entries`,
/// `payload_bytes` and `payload_sha256` are filled in here.
pub fn encode(manifest: Manifest, entries: &[Entry], files: &[CarriedFile<'_>]) -> Vec<u8> {
    let sizes: Vec<(&str, usize)> = files.iter().map(|f| (f.sha256.as_str(), f.bytes.len())).collect();
    encode_with(manifest, entries, &sizes, |i, out| {
        out.copy_from_slice(files[i].bytes);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
}

/// [`encode`], with each attached file's bytes written by `fill` (its
/// index in `files`, and room of its size) straight into the file's
/// buffer: the store reads them from the register in pieces, so a file's
/// attached bytes are held once while it is made, not twice. The payload
/// is written first and the head put in front of it in place.
pub fn encode_with<E>(
    mut manifest: Manifest,
    entries: &[Entry],
    files: &[(&str, usize)],
    mut fill: impl FnMut(usize, &mut [u8]) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    let files_bytes: usize = files.iter().map(|(_, len)| 40 + len).sum();
    let head_room = MAGIC.len() + 4 + MAX_MANIFEST_BYTES as usize;
    let mut payload = Vec::with_capacity(head_room + files_bytes + 4096);
    for e in entries {
        put_bytes(&mut payload, e.origin.as_bytes());
        payload.extend_from_slice(&e.origin_seq.to_le_bytes());
        put_bytes(&mut payload, e.at.as_bytes());
        let changeset = pack(&e.changeset);
        payload.extend_from_slice(&(changeset.len() as u64).to_le_bytes());
        payload.extend_from_slice(&changeset);
        payload.extend_from_slice(&encode_bases(&e.bases));
    }
    // The files: how many, then each one's hash, length and bytes.
    payload.extend_from_slice(&(files.len() as u32).to_le_bytes());
    for (i, (sha256, len)) in files.iter().enumerate() {
        payload.extend_from_slice(&unhex(sha256).expect("a stored file's hash is 64 hex digits"));
        payload.extend_from_slice(&(*len as u64).to_le_bytes());
        let start = payload.len();
        payload.resize(start + len, 0);
        fill(i, &mut payload[start..])?;
    }
    manifest.format = FORMAT;
    manifest.entries = entries.len() as u64;
    manifest.payload_bytes = payload.len() as u64;
    manifest.payload_sha256 = hex(&Sha256::digest(&payload));
    let json = serde_json::to_vec(&manifest).expect("a manifest serialises");
    let mut head = Vec::with_capacity(MAGIC.len() + 4 + json.len());
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&(json.len() as u32).to_le_bytes());
    head.extend_from_slice(&json);
    payload.splice(0..0, head);
    Ok(payload)
}

/// The 32 bytes a hash of 64 hex digits stands for.
fn unhex(s: &str) -> Option<[u8; 32]> {
    let digits = s.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in digits.chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// A short text field: a u16 length, then UTF-8.
fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u16::try_from(bytes.len()).expect("ids and times are short");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The SHA-256 of `bytes`, lower-case hex: a file's identity.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The refusal of a file over [`MAX_FILE_BYTES`].
fn too_large() -> ExchangeError {
    ExchangeError::TooLarge { limit_mib: (MAX_FILE_BYTES >> 20) as i64 }
}

/// The refusal of a file whose changes unpack past [`MAX_UNPACKED_BYTES`].
fn too_large_unpacked() -> ExchangeError {
    ExchangeError::UnpacksTooLarge { limit_mib: (MAX_UNPACKED_BYTES >> 20) as i64 }
}

/// Reads a whole file, refusing one over [`MAX_FILE_BYTES`] before reading it.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ExchangeError> {
    use std::io::Read;
    let fail = |e: std::io::Error| ExchangeError::Unreadable { path: path.to_owned(), reason: e.to_string() };
    let file = std::fs::File::open(path).map_err(fail)?;
    let len = file.metadata().map_err(fail)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(fail)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Writes a file whole or not at all.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExchangeError> {
    crate::atomic::write_atomically(path, bytes)
        .map_err(|e| ExchangeError::Unwritable { path: path.to_owned(), reason: e.to_string() })
}

/// Reads a file's bytes strictly: its manifest, then (after the checksum)
/// its entries and the attached files it carries, each file's bytes checked
/// against its hash. Schema and sender checks are the store's.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, ExchangeError> {
    decode_within(bytes, MAX_UNPACKED_BYTES)
}

/// [`decode`], with the changesets unpacking to at most `room` bytes.
fn decode_within(bytes: &[u8], mut room: u64) -> Result<Decoded<'_>, ExchangeError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        // A file cut within the magic line is still a cut exchange file.
        return Err(if !bytes.is_empty() && MAGIC.starts_with(bytes) {
            ExchangeError::Truncated
        } else {
            ExchangeError::NotExchangeFile
        });
    };
    let mut r = Reader(rest);
    let len = u32::from_le_bytes(r.take(4)?.try_into().expect("four bytes"));
    if len > MAX_MANIFEST_BYTES {
        return Err(ExchangeError::BadManifest { reason: format!("it is {len} bytes long") });
    }
    let json = r.take(len as usize)?;
    let manifest: Manifest =
        serde_json::from_slice(json).map_err(|e| ExchangeError::BadManifest { reason: e.to_string() })?;
    if ![FORMAT, FORMAT_PACKED, FORMAT_BARE].contains(&manifest.format) {
        return Err(ExchangeError::BadManifest {
            reason: format!("layout {} is not one this Clausebook reads", manifest.format),
        });
    }
    let payload = r.0;
    if (payload.len() as u64) < manifest.payload_bytes {
        return Err(ExchangeError::Truncated);
    }
    if payload.len() as u64 != manifest.payload_bytes || hex(&Sha256::digest(payload)) != manifest.payload_sha256 {
        return Err(ExchangeError::Tampered);
    }
    // The checksum matched, so what follows was written as it stands; the
    // lengths are still checked, as a file can be made to match by hand.
    let mut r = Reader(payload);
    let mut entries = Vec::new();
    // Layout 3 says how many entries come before the files; earlier layouts
    // hold entries to the end.
    let more = |r: &Reader<'_>, n: usize| {
        if manifest.format == FORMAT { (n as u64) < manifest.entries } else { !r.0.is_empty() }
    };
    while more(&r, entries.len()) {
        let origin = r.text()?;
        let origin_seq = i64::from_le_bytes(r.take(8)?.try_into().expect("eight bytes"));
        let at = r.text()?;
        let n = u64::from_le_bytes(r.take(8)?.try_into().expect("eight bytes"));
        let n = usize::try_from(n).map_err(|_| ExchangeError::Truncated)?;
        let changeset = match manifest.format {
            FORMAT_BARE => r.take(n)?.to_vec(),
            _ => unpack(r.take(n)?, room)?,
        };
        room = room.saturating_sub(changeset.len() as u64);
        let bases = r.bases()?;
        entries.push(Entry { origin, origin_seq, at, changeset, bases });
    }
    if entries.len() as u64 != manifest.entries {
        return Err(ExchangeError::BadManifest {
            reason: format!("it lists {} entries, the file holds {}", manifest.entries, entries.len()),
        });
    }
    let mut files = Vec::new();
    if manifest.format == FORMAT {
        let count = u32::from_le_bytes(r.take(4)?.try_into().expect("four bytes"));
        if count > MAX_CARRIED_FILES {
            return Err(ExchangeError::BadAttachedFile);
        }
        for _ in 0..count {
            let sha256 = hex(r.take(32)?);
            let n = u64::from_le_bytes(r.take(8)?.try_into().expect("eight bytes"));
            // The attachment limit is the store's to check (it owns the
            // rule); the file's own limit already bounds what is read here.
            if n == 0 {
                return Err(ExchangeError::BadAttachedFile);
            }
            let bytes = r.take(usize::try_from(n).map_err(|_| ExchangeError::Truncated)?)?;
            // The checksum says the payload is as written, not that it was
            // written by Clausebook: a file's bytes must be what its hash says.
            if hex(&Sha256::digest(bytes)) != sha256 {
                return Err(ExchangeError::BadAttachedFile);
            }
            files.push(CarriedFile { sha256, bytes });
        }
        if !r.0.is_empty() {
            return Err(ExchangeError::BadManifest { reason: "it holds more than its entries and files".into() });
        }
    }
    Ok(Decoded { manifest, entries, files })
}

/// A cursor over bytes that refuses to read past their end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ExchangeError> {
        if self.0.len() < n {
            return Err(ExchangeError::Truncated);
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn bases(&mut self) -> Result<Vec<Base>, ExchangeError> {
        let n = u32::from_le_bytes(self.take(4)?.try_into().expect("four bytes"));
        // Each base takes at least 16 bytes: a count beyond what is left is a lie.
        if n as usize > self.0.len() / 16 {
            return Err(ExchangeError::Truncated);
        }
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let (table, row, field, origin) = (self.text()?, self.text()?, self.text()?, self.text()?);
            let seq = i64::from_le_bytes(self.take(8)?.try_into().expect("eight bytes"));
            out.push(Base { table, row, field, origin, seq });
        }
        Ok(out)
    }

    fn text(&mut self) -> Result<String, ExchangeError> {
        let n = u16::from_le_bytes(self.take(2)?.try_into().expect("two bytes"));
        let bytes = self.take(n as usize)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| ExchangeError::BadManifest { reason: "an entry's origin is not text".into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Manifest, Vec<Entry>) {
        let manifest = Manifest {
            format: FORMAT,
            register_id: "a".repeat(32),
            officer: "Dilnoza".into(),
            schema_version: 12,
            created_at: "2026-12-06T10:00:00.000Z".into(),
            scope: Scope::Changes,
            recipient: Some("Hub".into()),
            from_seq: 1,
            upto_seq: 2,
            entries: 0,
            payload_bytes: 0,
            payload_sha256: String::new(),
        };
        let entries = vec![
            Entry {
                origin: "a".repeat(32),
                origin_seq: 1,
                at: "t1".into(),
                changeset: vec![1, 2, 3],
                bases: vec![Base {
                    table: "clauses".into(),
                    row: "c1".into(),
                    field: "status".into(),
                    origin: "b".repeat(32),
                    seq: 4,
                }],
            },
            Entry { origin: "b".repeat(32), origin_seq: 7, at: "t2".into(), changeset: vec![], bases: vec![] },
        ];
        (manifest, entries)
    }

    #[test]
    fn a_file_reads_back_as_written() {
        let (m, e) = sample();
        let scan = b"%PDF-1.7 a scanned letter".to_vec();
        let file = CarriedFile { sha256: sha256_hex(&scan), bytes: &scan };
        let bytes = encode(m.clone(), &e, std::slice::from_ref(&file));
        let d = decode(&bytes).unwrap();
        assert_eq!(d.entries, e);
        assert_eq!(d.files, vec![file]);
        assert_eq!((d.manifest.format, d.manifest.entries, d.manifest.register_id), (FORMAT, 2, m.register_id));
    }

    /// A carried file whose bytes are not what its hash names is refused,
    /// even in a file whose checksum matches (as a hand-made one can).
    #[test]
    fn a_carried_file_must_be_what_its_hash_names() {
        let (m, e) = sample();
        let scan = b"%PDF-1.7 a scanned letter".to_vec();
        let other = sha256_hex(b"another letter");
        let bytes = encode(m, &e, &[CarriedFile { sha256: other, bytes: &scan }]);
        assert_eq!(decode(&bytes).unwrap_err(), ExchangeError::BadAttachedFile);
    }

    #[test]
    fn every_cut_is_refused_as_cut_or_tampered() {
        let (m, e) = sample();
        let scan = vec![9u8; 300];
        let bytes = encode(m, &e, &[CarriedFile { sha256: sha256_hex(&scan), bytes: &scan }]);
        for n in 1..bytes.len() {
            let err = decode(&bytes[..n]).unwrap_err();
            assert!(
                matches!(err, ExchangeError::Truncated | ExchangeError::BadManifest { .. } | ExchangeError::Tampered),
                "cut at {n}: {err:?}"
            );
        }
        assert_eq!(decode(b"%PDF-1.7\n").unwrap_err(), ExchangeError::NotExchangeFile);
        assert_eq!(decode(b"").unwrap_err(), ExchangeError::NotExchangeFile);
    }

    #[test]
    fn a_changeset_unpacks_within_its_limit_or_not_at_all() {
        let bare = vec![7u8; 100_000];
        let packed = pack(&bare);
        assert!(packed.len() < 1_000, "{} bytes", packed.len());
        assert_eq!(unpack(&packed, 100_000).unwrap(), bare);
        assert_eq!(unpack(&packed, 99_999).unwrap_err(), ExchangeError::UnpacksTooLarge { limit_mib: 1024 });
        // Not a zstd frame, a frame cut short, two frames.
        for bad in [&b"T\x03\x01"[..], &packed[..packed.len() - 1], &[packed.clone(), packed.clone()].concat()] {
            assert_eq!(unpack(bad, 1 << 20), Err(ExchangeError::UnreadableChanges), "{bad:?}");
        }
        // A file's changesets share one limit.
        let (m, mut e) = sample();
        e[0].changeset = vec![1; 600];
        e[1].changeset = vec![2; 600];
        let bytes = encode(m, &e, &[]);
        assert_eq!(decode_within(&bytes, 1_200).unwrap().entries, e);
        assert!(matches!(decode_within(&bytes, 1_199), Err(ExchangeError::UnpacksTooLarge { .. })));
    }

    /// A frame that does not declare its size (zstd's streaming form, not
    /// what `pack` writes) is refused, and one declaring more than the limit
    /// is refused before it is unpacked.
    #[test]
    fn a_frame_is_refused_by_its_declared_size() {
        let bare = vec![7u8; 100_000];
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 1).unwrap();
        encoder.include_contentsize(false).unwrap();
        std::io::Write::write_all(&mut encoder, &bare).unwrap();
        let streamed = encoder.finish().unwrap();
        assert!(matches!(zstd::zstd_safe::get_frame_content_size(&streamed), Ok(None)));
        assert_eq!(unpack(&streamed, 1 << 20), Err(ExchangeError::UnreadableChanges));
        assert_eq!(unpack(&pack(&bare), 1_000).unwrap_err(), ExchangeError::UnpacksTooLarge { limit_mib: 1024 });
    }

    /// Files of the earlier layouts are still read: layout 1 carries its
    /// changesets bare, layout 2 packed; neither has a files section (their
    /// changesets hold attached files' rows themselves).
    #[test]
    fn the_earlier_layouts_are_still_read() {
        let (m, e) = sample();
        let mut m = decode(&encode(m, &e, &[])).unwrap().manifest;
        for format in [FORMAT_BARE, FORMAT_PACKED] {
            let mut payload = Vec::new();
            for e in &e {
                put_bytes(&mut payload, e.origin.as_bytes());
                payload.extend_from_slice(&e.origin_seq.to_le_bytes());
                put_bytes(&mut payload, e.at.as_bytes());
                let changeset = if format == FORMAT_BARE { e.changeset.clone() } else { pack(&e.changeset) };
                payload.extend_from_slice(&(changeset.len() as u64).to_le_bytes());
                payload.extend_from_slice(&changeset);
                payload.extend_from_slice(&encode_bases(&e.bases));
            }
            m.format = format;
            m.payload_bytes = payload.len() as u64;
            m.payload_sha256 = sha256_hex(&payload);
            let json = serde_json::to_vec(&m).unwrap();
            let old = [MAGIC, &(json.len() as u32).to_le_bytes(), &json, &payload].concat();
            let d = decode(&old).unwrap();
            assert_eq!((d.entries, d.files.len()), (e.clone(), 0), "layout {format}");
        }
    }

    #[test]
    fn a_changed_byte_is_tampering() {
        let (m, e) = sample();
        let mut bytes = encode(m, &e, &[]);
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(decode(&bytes).unwrap_err(), ExchangeError::Tampered);
    }
}
