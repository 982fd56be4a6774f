//! Attachments through the store: files kept inside the register, read back
//! byte for byte, stored once per content, refused clearly when empty, too
//! large or unreadable (with nothing written), removed and restored, and
//! written out for the viewer only under a safe name.

mod common;

use std::path::Path;

use clausebook_core::calendar::Calendar;
use clausebook_core::model::attachment::MAX_BYTES;
use clausebook_core::model::{ClauseStatus, NewClause};
use clausebook_core::vocab::AttachmentOwner;
use clausebook_core::{Store, StoreError};
use common::{agreement, footprint, partner, today};

struct Fixture {
    store: Store,
    agreement: String,
    clause: String,
    dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("register.sqlite3")).unwrap();
    let tj = partner(&mut store, "Tajikistan");
    let agreement = agreement(&mut store, &[&tj], Some("2025-04-27"), Calendar::Persian).id;
    let mut new = NewClause::new(&agreement, "1", "Exchange curricula");
    new.status = ClauseStatus::InProgress;
    let clause = store.create_clause(new, today()).unwrap().clause.id;
    Fixture { store, agreement, clause, dir }
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn code(e: StoreError) -> &'static str {
    e.code()
}

#[test]
fn a_file_is_kept_in_the_register_and_read_back_whole() {
    let mut f = fixture();
    // Not a multiple of the I/O piece size, and more than one piece.
    let bytes: Vec<u8> = (0..700_001u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(&bytes);
    let path = file(f.dir.path(), "signed MoU.pdf", &pdf);
    let a = f.store.attach(&f.agreement, &path, None).unwrap();
    assert_eq!(
        (a.owner, a.name.as_str(), a.media_type.as_str()),
        (AttachmentOwner::Agreement, "signed MoU.pdf", "application/pdf")
    );
    assert_eq!(a.size as usize, pdf.len());
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(a.sha256, expected);
    // The original may go: the register holds the bytes.
    std::fs::remove_file(&path).unwrap();
    let out = f.dir.path().join("back.pdf");
    assert_eq!(f.store.copy_attachment(&a.id, &out).unwrap(), pdf.len() as u64);
    assert_eq!(std::fs::read(&out).unwrap(), pdf);
    assert_eq!(f.store.attachments(&f.agreement).unwrap(), vec![a.clone()]);
    // Its history shows it, on the record it belongs to.
    let history = f.store.history(&f.agreement).unwrap();
    assert!(history.iter().any(|h| h.entity == "attachment" && h.action == "create"), "{history:?}");
}

#[test]
fn the_same_content_is_stored_once_and_each_record_lists_its_own() {
    let mut f = fixture();
    let photo = file(f.dir.path(), "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR and the rest");
    let on_agreement = f.store.attach(&f.agreement, &photo, Some("Signing ceremony.png")).unwrap();
    let on_clause = f.store.attach(&f.clause, &photo, None).unwrap();
    assert_eq!(on_agreement.sha256, on_clause.sha256);
    assert_eq!(on_clause.owner, AttachmentOwner::Clause);
    assert_eq!(f.store.attachments(&f.agreement).unwrap().len(), 1);
    assert_eq!(f.store.attachments(&f.clause).unwrap()[0].name, "photo.png");
    let conn = rusqlite::Connection::open(f.dir.path().join("register.sqlite3")).unwrap();
    let stored: i64 = conn.query_row("SELECT count(*) FROM attachment_files", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1);
}

#[test]
fn bad_files_are_refused_and_nothing_is_written() {
    let mut f = fixture();
    let before = footprint(&f.store);
    let empty = file(f.dir.path(), "empty.pdf", b"");
    assert_eq!(code(f.store.attach(&f.agreement, &empty, None).unwrap_err()), "attachment_empty");
    // A sparse file just over the limit: refused before it is read.
    let big = f.dir.path().join("scan.tiff");
    std::fs::File::create(&big).unwrap().set_len(MAX_BYTES + 1).unwrap();
    let e = f.store.attach(&f.agreement, &big, None).unwrap_err();
    assert_eq!(code(e), "attachment_too_large");
    let missing = f.dir.path().join("not there.pdf");
    let e = f.store.attach(&f.agreement, &missing, None).unwrap_err();
    assert_eq!(e.code(), "attachment_unreadable");
    assert!(e.to_string().contains("not there.pdf"), "{e}");
    assert_eq!(code(f.store.attach(&f.agreement, f.dir.path(), None).unwrap_err()), "attachment_unreadable");
    let ok = file(f.dir.path(), "ok.txt", b"minutes");
    assert_eq!(code(f.store.attach("no-such-record", &ok, None).unwrap_err()), "not_found");
    assert_eq!(footprint(&f.store), before);
    assert!(f.store.attachments(&f.agreement).unwrap().is_empty());
}

#[test]
fn removing_is_undone_by_restoring() {
    let mut f = fixture();
    let a = f.store.attach(&f.clause, &file(f.dir.path(), "note.txt", b"hello"), None).unwrap();
    assert_eq!(a.media_type, "text/plain");
    let deletion = f.store.remove_attachment(&a.id).unwrap();
    assert!(f.store.attachments(&f.clause).unwrap().is_empty());
    assert_eq!(f.store.attachment(&a.id).unwrap_err().code(), "not_found");
    assert_eq!(f.store.restore(&deletion).unwrap(), "attachment");
    assert_eq!(f.store.attachments(&f.clause).unwrap(), vec![a]);
}

#[test]
fn a_copy_for_the_viewer_gets_a_safe_name_inside_its_folder() {
    let mut f = fixture();
    let src = file(f.dir.path(), "x.pdf", b"%PDF-1.4 tiny");
    let a = f.store.attach(&f.agreement, &src, Some("../../.bashrc")).unwrap();
    assert_eq!(a.name, "../../.bashrc", "the name shown is the officer's own");
    let open = f.dir.path().join("open");
    let path = f.store.open_copy(&a.id, &open).unwrap();
    assert!(path.starts_with(&open), "{}", path.display());
    assert_eq!(path.file_name().unwrap(), "bashrc");
    assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 tiny");
    // Opening again reuses the copy.
    assert_eq!(f.store.open_copy(&a.id, &open).unwrap(), path);
}
