//! Exchange between registers: real files between real SQLite registers.
//!
//! The property test at the end is the promise: registers that edit
//! the same records and exchange files in any order, directly or through a
//! registrar, end with the same data once every conflict is chosen.

mod common;

use std::path::{Path, PathBuf};

use clausebook_core::Store;
use clausebook_core::calendar::Calendar;
use clausebook_core::exchange::{self, ExchangeError, Manifest, TABLES};
use clausebook_core::model::{ClausePatch, NewClause, NewNote, NewPartner, SettingsPatch};
use clausebook_core::store::exchange::SendScope;
use clausebook_core::vocab::{ClauseStatus, ConflictChoice, ConflictKind, PartnerKind};
use common::{agreement, partner, today};
use proptest::prelude::*;
use rusqlite::types::Value;

fn register(dir: &Path, officer: &str) -> Store {
    let mut store = Store::open(dir.join(format!("{officer}.sqlite3"))).unwrap();
    store.update_settings(SettingsPatch { officer_name: Some(officer.into()), ..Default::default() }).unwrap();
    store
}

/// A file of `scope` from `from` to the colleague `to`, in `dir`.
fn send(from: &mut Store, to: &str, scope: SendScope, dir: &Path) -> PathBuf {
    let n = std::fs::read_dir(dir).unwrap().count();
    let path = dir.join(format!("{n}-to-{to}.clausebook"));
    from.exchange_send(&scope, Some(to), &path).unwrap();
    path
}

/// Every carried table and the attached files, row by row, in key order;
/// the audit rows of receipts and of settings are each register's own and
/// left out.
fn dump(store: &Store) -> Vec<String> {
    let conn = rusqlite::Connection::open(store.path().unwrap()).unwrap();
    let mut out = Vec::new();
    for table in TABLES.iter().chain([&exchange::FILES_TABLE]) {
        let filter = if *table == "audit" { "WHERE action <> 'receive' AND entity <> 'settings'" } else { "" };
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} {filter} ORDER BY 1, 2")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| format!("{table} {v:?}"))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

fn status(store: &Store, clause_id: &str) -> ClauseStatus {
    store.clause(clause_id).unwrap().status
}

fn set_status(store: &mut Store, clause_id: &str, status: ClauseStatus) {
    store.update_clause(clause_id, ClausePatch { status: Some(status), ..Default::default() }, today()).unwrap();
}

fn set_text(store: &mut Store, clause_id: &str, text: &str) {
    store.update_clause(clause_id, ClausePatch { text: Some(text.into()), ..Default::default() }, today()).unwrap();
}

/// Two registers with one partner, agreement and clause in common.
fn pair(dir: &Path) -> (Store, Store, String, String) {
    let mut a = register(dir, "Anvar");
    let mut b = register(dir, "Bahrom");
    let p = partner(&mut a, "Tajikistan");
    let g = agreement(&mut a, &[&p], Some("2026-01-10"), Calendar::Gregorian);
    let c = a.create_clause(NewClause::new(&g.id, "1", "Hold a joint seminar"), today()).unwrap().clause;
    let first = send(&mut a, "Bahrom", SendScope::Changes, dir);
    let got = b.exchange_receive(&first, false).unwrap();
    assert!(got.new_entries >= 3 && got.conflicts == 0, "{got:?}");
    assert_eq!(dump(&a), dump(&b));
    (a, b, g.id, c.id)
}

#[test]
fn a_field_changed_on_both_sides_waits_for_the_officer_and_the_rest_merges() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, _, c) = pair(dir.path());
    set_status(&mut a, &c, ClauseStatus::InProgress);
    set_status(&mut b, &c, ClauseStatus::OnHold);
    set_text(&mut b, &c, "Hold two joint seminars");
    let to_b = send(&mut a, "Bahrom", SendScope::Changes, dir.path());
    let to_a = send(&mut b, "Anvar", SendScope::Changes, dir.path());
    let got = a.exchange_receive(&to_a, false).unwrap();
    assert_eq!(got.conflicts, 1, "{got:?}");
    b.exchange_receive(&to_b, false).unwrap();
    // The text only Bahrom changed reached Anvar; each keeps its own status.
    assert_eq!(a.clause(&c).unwrap().text, "Hold two joint seminars");
    assert_eq!((status(&a, &c), status(&b, &c)), (ClauseStatus::InProgress, ClauseStatus::OnHold));
    let conflicts = a.exchange_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let k = &conflicts[0];
    assert_eq!((k.kind, k.table.as_str(), k.field.as_str()), (ConflictKind::BothChanged, "clauses", "status"));
    assert_eq!(
        (k.base.as_deref(), k.mine.as_deref(), k.theirs.as_deref()),
        (Some("not_started"), Some("in_progress"), Some("on_hold"))
    );
    assert_eq!((k.number.as_deref(), k.officer.as_str()), (Some("1"), "Bahrom"));
    // Receiving the same file again does nothing.
    assert!(a.exchange_receive(&to_a, false).unwrap().already);
    // Anvar takes Bahrom's; Bahrom keeps his: both hold "on hold", and the
    // choices are in the history.
    a.resolve_conflict(&k.id, ConflictChoice::Theirs).unwrap();
    let kb = b.exchange_conflicts().unwrap();
    b.resolve_conflict(&kb[0].id, ConflictChoice::Mine).unwrap();
    assert!(a.exchange_conflicts().unwrap().is_empty());
    let history = a.history(&c).unwrap();
    assert!(history.iter().any(|h| h.action == "resolve"), "{history:?}");
    let to_b = send(&mut a, "Bahrom", SendScope::Changes, dir.path());
    let to_a = send(&mut b, "Anvar", SendScope::Changes, dir.path());
    a.exchange_receive(&to_a, false).unwrap();
    b.exchange_receive(&to_b, false).unwrap();
    assert_eq!(dump(&a), dump(&b));
    assert!(b.exchange_conflicts().unwrap().is_empty());
    assert_eq!(status(&b, &c), ClauseStatus::OnHold);
}

#[test]
fn a_deletion_against_an_edit_is_shown_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, _, c) = pair(dir.path());
    a.delete_clause(&c).unwrap();
    set_status(&mut b, &c, ClauseStatus::Completed);
    let to_b = send(&mut a, "Bahrom", SendScope::Changes, dir.path());
    let to_a = send(&mut b, "Anvar", SendScope::Changes, dir.path());
    a.exchange_receive(&to_a, false).unwrap();
    b.exchange_receive(&to_b, false).unwrap();
    let ka = a.exchange_conflicts().unwrap();
    let kb = b.exchange_conflicts().unwrap();
    assert_eq!((ka.len(), ka[0].kind), (1, ConflictKind::DeletedHere), "{ka:?}");
    assert_eq!((kb.len(), kb[0].kind), (1, ConflictKind::DeletedThere), "{kb:?}");
    // Nothing was decided for the officers: deleted at Anvar's, live at Bahrom's.
    assert!(a.clause(&c).is_err());
    assert_eq!(status(&b, &c), ClauseStatus::Completed);
    // Bahrom accepts the deletion, Anvar keeps it.
    b.resolve_conflict(&kb[0].id, ConflictChoice::Theirs).unwrap();
    a.resolve_conflict(&ka[0].id, ConflictChoice::Mine).unwrap();
    assert!(b.clause(&c).is_err());
    let to_b = send(&mut a, "Bahrom", SendScope::Changes, dir.path());
    let to_a = send(&mut b, "Anvar", SendScope::Changes, dir.path());
    a.exchange_receive(&to_a, false).unwrap();
    b.exchange_receive(&to_b, false).unwrap();
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn a_registrar_passes_changes_on_and_nothing_comes_back_twice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = register(d, "Anvar");
    let mut b = register(d, "Bahrom");
    let mut h = register(d, "Hub");
    let p = partner(&mut a, "Uzbekistan");
    partner(&mut b, "IOM");
    let first_a = send(&mut a, "Hub", SendScope::Changes, d);
    let first_b = send(&mut b, "Hub", SendScope::Changes, d);
    h.exchange_receive(&first_a, false).unwrap();
    h.exchange_receive(&first_b, false).unwrap();
    let to_a = send(&mut h, "Anvar", SendScope::Changes, d);
    let to_b = send(&mut h, "Bahrom", SendScope::Changes, d);
    let got = a.exchange_receive(&to_a, false).unwrap();
    // Anvar's own entries came back through the hub and were skipped.
    assert!(got.new_entries > 0 && got.new_entries < got.entries, "{got:?}");
    b.exchange_receive(&to_b, false).unwrap();
    assert_eq!(dump(&a), dump(&h));
    assert_eq!(dump(&b), dump(&h));
    assert_eq!(a.partners().unwrap().len(), 2);
    // A change after that travels once more through the hub.
    a.update_partner(
        &p.id,
        clausebook_core::model::PartnerPatch { name: Some("Uzbekistan (MFA)".into()), ..Default::default() },
    )
    .unwrap();
    let next = send(&mut a, "Hub", SendScope::Changes, d);
    assert_eq!(h.exchange_receive(&next, false).unwrap().new_entries, 1);
    let to_b = send(&mut h, "Bahrom", SendScope::Changes, d);
    assert_eq!(b.exchange_receive(&to_b, false).unwrap().new_entries, 1);
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn two_clauses_added_with_one_number_are_told_apart_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b, g, _) = pair(dir.path());
    let ca = a.create_clause(NewClause::new(&g, "2", "Exchange statistics"), today()).unwrap().clause;
    let cb = b.create_clause(NewClause::new(&g, "2", "Train border officers"), today()).unwrap().clause;
    let to_b = send(&mut a, "Bahrom", SendScope::Changes, dir.path());
    let to_a = send(&mut b, "Anvar", SendScope::Changes, dir.path());
    a.exchange_receive(&to_a, false).unwrap();
    b.exchange_receive(&to_b, false).unwrap();
    assert_eq!(dump(&a), dump(&b));
    let (smaller, larger) = if ca.id < cb.id { (&ca.id, &cb.id) } else { (&cb.id, &ca.id) };
    assert_eq!(a.clause(smaller).unwrap().number, "2");
    assert_eq!(a.clause(larger).unwrap().number, format!("2 ({})", &larger[larger.len() - 4..]));
    assert!(a.exchange_conflicts().unwrap().is_empty());
}

#[test]
fn a_partner_travels_in_full_to_a_colleague_who_has_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = register(d, "Anvar");
    let mut c = register(d, "Chorshanbe");
    let p = partner(&mut a, "IOM");
    let other = partner(&mut a, "UNDP");
    let g = agreement(&mut a, &[&p], Some("2026-02-01"), Calendar::Persian);
    let cl = a.create_clause(NewClause::new(&g.id, "1", "Border seminar"), today()).unwrap().clause;
    a.add_note(
        NewNote {
            clause_id: cl.id.clone(),
            on_date: today(),
            author: None,
            text: "Draft agenda".into(),
            status_to: None,
        },
        today(),
    )
    .unwrap();
    agreement(&mut a, &[&other], None, Calendar::Gregorian);
    let file = send(&mut a, "Chorshanbe", SendScope::Partner(p.id.clone()), d);
    let got = c.exchange_receive(&file, false).unwrap();
    assert!(got.changes > 0, "{got:?}");
    assert_eq!(c.partners().unwrap().len(), 1);
    assert_eq!(c.agreements(None).unwrap().len(), 1);
    assert_eq!(c.clause(&cl.id).unwrap().text, "Border seminar");
    assert_eq!(c.notes(&cl.id).unwrap().len(), 1);
    // The colleague's register passes the records on as its own news.
    let mut e = register(d, "Erkin");
    let on = send(&mut c, "Erkin", SendScope::Changes, d);
    e.exchange_receive(&on, false).unwrap();
    assert_eq!(e.clause(&cl.id).unwrap().text, "Border seminar");
    assert_eq!(c.integrity_check().unwrap(), vec!["ok"]);
}

/// A file attached on one side arrives whole on the other, by a file of
/// changes and by a file of records. It is written into the register in
/// pieces, with the exchange log's recording paused (the log reads the row
/// when the write ends), so what travels must be the finished file.
#[test]
fn an_attached_file_travels_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, g, c) = pair(d);
    // Several of the store's 256 KiB pieces, and no two pieces alike.
    let bytes: Vec<u8> = (0..1_100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let scan = d.join("scan.tiff");
    std::fs::write(&scan, &bytes).unwrap();
    let on_clause = a.attach(&c, &scan, None).unwrap();
    let on_agreement = a.attach(&g, &scan, Some("copy.tiff")).unwrap();
    let to_b = send(&mut a, "Bahrom", SendScope::Changes, d);
    // The log recorded the two attachments, not the bytes: the file
    // carries them once, beside the changes.
    let sent = std::fs::read(&to_b).unwrap();
    let decoded = exchange::decode(&sent).unwrap();
    assert_eq!(decoded.files.len(), 1);
    assert_eq!(decoded.files[0].bytes, &bytes[..]);
    let in_changes: usize = decoded.entries.iter().map(|e| e.changeset.len()).sum();
    assert!(in_changes < 64 * 1024, "{in_changes} bytes of changes");
    b.exchange_receive(&to_b, false).unwrap();
    assert_eq!(dump(&a), dump(&b));
    let back_from = |s: &Store, id: &str| {
        let back = d.join(format!("{id}.{}.back", s.path().unwrap().file_name().unwrap().to_string_lossy()));
        s.copy_attachment(id, &back).unwrap();
        std::fs::read(&back).unwrap()
    };
    for id in [&on_clause.id, &on_agreement.id] {
        assert_eq!(back_from(&b, id), bytes);
    }
    // A file of records carries it too, and a register passes on what it
    // received.
    let mut e = register(d, "Erkin");
    e.exchange_receive(&send(&mut a, "Erkin", SendScope::Agreement(g.clone()), d), false).unwrap();
    assert_eq!(back_from(&e, &on_clause.id), bytes);
    assert_eq!(e.integrity_check().unwrap(), vec!["ok"]);
    let mut f = register(d, "Farrukh");
    f.exchange_receive(&send(&mut b, "Farrukh", SendScope::Changes, d), false).unwrap();
    assert_eq!(dump(&b), dump(&f));
    assert_eq!(back_from(&f, &on_agreement.id), bytes);
    // A later file to the same colleague does not carry it again.
    let later = send(&mut a, "Bahrom", SendScope::Changes, d);
    assert!(exchange::decode(&std::fs::read(&later).unwrap()).unwrap().files.is_empty());
}

/// An attached file must come with the changes that name it, within the
/// attachment limit: a file that names one it does not carry, or carries
/// one larger than an officer could attach, is refused whole.
#[test]
fn attached_files_are_checked_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, g, _) = pair(d);
    let scan = d.join("scan.pdf");
    std::fs::write(&scan, b"%PDF-1.7 the signed plan").unwrap();
    a.attach(&g, &scan, None).unwrap();
    let sent = std::fs::read(send(&mut a, "Bahrom", SendScope::Changes, d)).unwrap();
    let exchange::Decoded { manifest, entries, files } = exchange::decode(&sent).unwrap();
    assert_eq!(files.len(), 1);
    let before = (dump(&b), b.exchange_overview().unwrap().files.len());
    let without = d.join("without.clausebook");
    std::fs::write(&without, exchange::encode(manifest.clone(), &entries, &[])).unwrap();
    let err = b.exchange_receive(&without, false).unwrap_err();
    assert_eq!(err.code(), "exchange_missing_records", "{err}");
    let huge = vec![7u8; clausebook_core::model::attachment::MAX_BYTES as usize + 1];
    let extra = exchange::CarriedFile { sha256: exchange::sha256_hex(&huge), bytes: &huge };
    let oversized = d.join("oversized.clausebook");
    std::fs::write(&oversized, exchange::encode(manifest, &entries, &[files[0].clone(), extra])).unwrap();
    let err = b.exchange_receive(&oversized, false).unwrap_err();
    assert_eq!(err.code(), "exchange_bad_attached_file", "{err}");
    assert_eq!((dump(&b), b.exchange_overview().unwrap().files.len()), before);
}

/// `tests/fixtures/bad-attached-file.clausebook`: a sealed exchange file
/// (a partner, an agreement, a PDF attached to it) whose carried file is not
/// the file its checksum names. The window's end-to-end test receives it to
/// show the refusal; `CLAUSEBOOK_WRITE_FIXTURES=1` writes it anew.
#[test]
fn a_file_carrying_a_file_unlike_its_checksum_is_refused_in_a_dry_run_too() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-attached-file.clausebook");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    if std::env::var_os("CLAUSEBOOK_WRITE_FIXTURES").is_some() {
        let mut a = register(d, "Anvar Karimov");
        let p = partner(&mut a, "Tajikistan");
        let g = agreement(&mut a, &[&p], Some("2026-01-10"), Calendar::Gregorian);
        let scan = d.join("signed-plan.pdf");
        std::fs::write(&scan, b"%PDF-1.7 the signed plan, page 1 of 1").unwrap();
        a.attach(&g.id, &scan, None).unwrap();
        let sent = std::fs::read(send(&mut a, "Maryam", SendScope::Changes, d)).unwrap();
        let exchange::Decoded { manifest, entries, files } = exchange::decode(&sent).unwrap();
        let mut tampered = files[0].bytes.to_vec();
        *tampered.last_mut().unwrap() ^= 1;
        let carried = exchange::CarriedFile { sha256: files[0].sha256.clone(), bytes: &tampered };
        std::fs::write(&fixture, exchange::encode(manifest, &entries, &[carried])).unwrap();
    }
    let mut b = register(d, "Bahrom");
    let before = dump(&b);
    for dry_run in [true, false] {
        let err = b.exchange_receive(&fixture, dry_run).unwrap_err();
        assert_eq!(err.code(), "exchange_bad_attached_file", "{err}");
        assert_eq!(dump(&b), before);
        assert!(b.exchange_overview().unwrap().files.is_empty());
    }
}

#[test]
fn a_dry_run_tells_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = register(d, "Anvar");
    let mut b = register(d, "Bahrom");
    partner(&mut a, "Red Crescent");
    let file = send(&mut a, "Bahrom", SendScope::Changes, d);
    let before = dump(&b);
    let got = b.exchange_receive(&file, true).unwrap();
    assert!(got.dry_run && got.changes > 0, "{got:?}");
    assert_eq!(dump(&b), before);
    assert!(b.exchange_overview().unwrap().files.is_empty());
    assert!(!b.exchange_receive(&file, false).unwrap().already);
    assert_eq!(b.partners().unwrap().len(), 1);
}

#[test]
fn a_copied_register_file_is_a_register_of_its_own() {
    // Officers copy register files to colleagues today: the copy must not
    // send its changes under the original's id, or they would be skipped
    // as already received.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, _, _, c) = pair(d);
    let copy = d.join("copy.sqlite3");
    let made = a.backup_into(&d.join("backups"), clausebook_core::vocab::BackupReason::Manual, false).unwrap();
    std::fs::copy(&made.path, &copy).unwrap();
    let mut b = Store::open(&copy).unwrap();
    assert_ne!(a.exchange_overview().unwrap().register_id, b.exchange_overview().unwrap().register_id);
    set_status(&mut a, &c, ClauseStatus::InProgress);
    set_text(&mut b, &c, "Hold the seminar in Khujand");
    let to_b = send(&mut a, "Copy", SendScope::Changes, d);
    let to_a = send(&mut b, "Anvar", SendScope::Changes, d);
    b.exchange_receive(&to_b, false).unwrap();
    a.exchange_receive(&to_a, false).unwrap();
    for s in [&a, &b] {
        assert_eq!(status(s, &c), ClauseStatus::InProgress);
        assert_eq!(s.clause(&c).unwrap().text, "Hold the seminar in Khujand");
    }
}

/// A file whose manifest is `edit`ed, re-sealed with a good checksum.
fn reseal(path: &Path, edit: impl FnOnce(&mut Manifest, &mut Vec<exchange::Entry>)) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let exchange::Decoded { manifest: mut m, entries: mut e, files } = exchange::decode(&bytes).unwrap();
    edit(&mut m, &mut e);
    exchange::encode(m, &e, &files)
}

/// A changeset that does `sql` to a copy of `table` (made like the
/// register's own) after `setup`, as a hostile sender could write it.
fn hostile_changeset(store: &Store, table: &str, setup: &str, sql: &str) -> Vec<u8> {
    let reg = rusqlite::Connection::open(store.path().unwrap()).unwrap();
    let create: String = reg.query_row("SELECT sql FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0)).unwrap();
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute_batch(&create).unwrap();
    conn.execute_batch(setup).unwrap();
    let mut session = rusqlite::session::Session::new(&conn).unwrap();
    session.attach(None::<&str>).unwrap();
    conn.execute_batch(sql).unwrap();
    let mut out = Vec::new();
    session.changeset_strm(&mut out).unwrap();
    assert!(!out.is_empty(), "{sql}");
    out
}

#[test]
fn untrusted_files_are_refused_clearly_and_leave_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = register(d, "Anvar");
    let mut b = register(d, "Bahrom");
    let p = partner(&mut a, "Tajikistan");
    let file = send(&mut a, "Bahrom", SendScope::Changes, d);
    let good = std::fs::read(&file).unwrap();
    let before = dump(&b);
    let refuse = |b: &mut Store, bytes: &[u8]| -> String {
        let path = d.join("hostile.clausebook");
        std::fs::write(&path, bytes).unwrap();
        let e = b.exchange_receive(&path, false).unwrap_err();
        e.code().to_owned()
    };
    let mut tampered = good.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x20;
    assert_eq!(refuse(&mut b, &tampered), "exchange_tampered");
    assert_eq!(refuse(&mut b, &good[..good.len() - 7]), "exchange_truncated");
    assert_eq!(refuse(&mut b, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "exchange_not_a_file");
    assert_eq!(refuse(&mut b, b""), "exchange_not_a_file");
    // A gigabyte, refused before it is read (a sparse file).
    let huge = d.join("huge.clausebook");
    std::fs::File::create(&huge).unwrap().set_len(1 << 30).unwrap();
    assert_eq!(b.exchange_receive(&huge, false).unwrap_err().code(), "exchange_too_large");
    // The register's own file.
    assert_eq!(a.exchange_receive(&file, false).unwrap_err().code(), "exchange_own_file");
    // A newer schema, and an older one whose tables differ.
    let newer = reseal(&file, |m, _| m.schema_version += 1);
    assert_eq!(refuse(&mut b, &newer), "exchange_newer_schema");
    let older = reseal(&file, |m, e| {
        m.schema_version -= 1;
        e.push(exchange::Entry {
            origin: m.register_id.clone(),
            origin_seq: 99,
            at: "2026-12-06T00:00:00.000Z".into(),
            changeset: {
                // A partners table of one column fewer.
                let conn = rusqlite::Connection::open_in_memory().unwrap();
                conn.execute_batch("CREATE TABLE partners (id TEXT PRIMARY KEY, name TEXT)").unwrap();
                let mut s = rusqlite::session::Session::new(&conn).unwrap();
                s.attach(None::<&str>).unwrap();
                conn.execute_batch("INSERT INTO partners VALUES ('p', 'x')").unwrap();
                let mut out = Vec::new();
                s.changeset_strm(&mut out).unwrap();
                out
            },
            bases: vec![],
        });
    });
    assert_eq!(refuse(&mut b, &older), "exchange_older_tables");
    // Changes to a setting, a derived table, the log, or a hard delete of a clause.
    for (table, setup, sql) in [
        ("settings", "", "INSERT INTO settings VALUES ('register_id', 'evil', 't')"),
        ("partner_status_counts", "", "INSERT INTO partner_status_counts VALUES ('*', 'completed', 5)"),
        ("exchange_log", "", "INSERT INTO exchange_log VALUES (1, 'o', 1, 't', x'00', x'00')"),
        (
            "clauses",
            "INSERT INTO clauses (id, agreement_id, position, number, text, deadline_kind, status, created_at, updated_at)
             VALUES ('c', 'a', 1, '1', 't', 'none', 'not_started', 't', 't')",
            "DELETE FROM clauses",
        ),
    ] {
        let cs = hostile_changeset(&b, table, setup, sql);
        let bytes = reseal(&file, |m, e| {
            e.push(exchange::Entry { origin: m.register_id.clone(), origin_seq: 50, at: "t".into(), changeset: cs, bases: vec![] });
        });
        assert_eq!(refuse(&mut b, &bytes), "exchange_forbidden_change", "{table}");
    }
    // Bytes that are no changeset at all.
    let junk = reseal(&file, |m, e| {
        e.push(exchange::Entry {
            origin: m.register_id.clone(),
            origin_seq: 51,
            at: "t".into(),
            changeset: vec![0x54, 9, 9, 9],
            bases: vec![],
        });
    });
    assert_eq!(refuse(&mut b, &junk), "exchange_unreadable_changes");
    // A file after one that never arrived.
    a.update_partner(
        &p.id,
        clausebook_core::model::PartnerPatch { name: Some("Tojikiston".into()), ..Default::default() },
    )
    .unwrap();
    let second = send(&mut a, "Bahrom", SendScope::Changes, d);
    let e = b.exchange_receive(&second, false).unwrap_err();
    assert_eq!(e.code(), "exchange_missing_earlier");
    assert!(e.to_string().contains("Anvar"), "{e}");
    // None of it left a trace.
    assert_eq!(dump(&b), before);
    assert!(b.exchange_overview().unwrap().files.is_empty());
    // The good file, then the second, are received.
    b.exchange_receive(&file, false).unwrap();
    b.exchange_receive(&second, false).unwrap();
    assert_eq!(dump(&a), dump(&b));
}

#[test]
fn a_file_from_the_previous_schema_with_the_same_tables_is_received() {
    // Schema 13 changed only how the exchange log stores its changesets: a
    // file written by a register of the version before (same carried
    // tables) is upgraded as it is read, not refused.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = register(d, "Anvar");
    let mut b = register(d, "Bahrom");
    partner(&mut a, "IOM");
    let file = send(&mut a, "Bahrom", SendScope::Changes, d);
    let older = d.join("older.clausebook");
    std::fs::write(&older, reseal(&file, |m, _| m.schema_version -= 1)).unwrap();
    let got = b.exchange_receive(&older, false).unwrap();
    assert!(got.changes > 0, "{got:?}");
    assert_eq!(b.partners().unwrap()[0].name, "IOM");
}

/// A file the previous release wrote (schema 12, layout 1: changesets bare):
/// a partner, a Persian agreement dated in the Solar Hijri calendar and one
/// clause with both lead bodies.
#[test]
fn a_file_of_the_previous_release_is_received() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout1-schema12.clausebook");
    let bytes = std::fs::read(&fixture).unwrap();
    let exchange::Decoded { manifest, entries, .. } = exchange::decode(&bytes).unwrap();
    assert_eq!((manifest.format, manifest.schema_version, entries.len()), (1, 12, 3));
    let dir = tempfile::tempdir().unwrap();
    let mut b = register(dir.path(), "Bahrom");
    let got = b.exchange_receive(&fixture, false).unwrap();
    assert_eq!((got.new_entries, got.conflicts), (3, 0), "{got:?}");
    assert_eq!(b.partners().unwrap()[0].name, "Tajikistan");
    let agreement = &b.agreements(None).unwrap()[0];
    assert_eq!(agreement.title, "یادداشت تفاهم همکاری در امور بهداشت");
    let clause = &b.clause_rows(&agreement.id, today()).unwrap()[0].clause;
    assert_eq!(clause.text, "برگزاری کارگاه آموزشی در خجند");
    assert_eq!(
        (clause.our_lead.as_deref(), clause.partner_lead.as_deref()),
        (Some("سازمان بهزیستی کشور"), Some("Ministry of Health"))
    );
    // What it received goes on, packed, to the next register.
    let mut c = register(dir.path(), "Chorshanbe");
    let on = send(&mut b, "Chorshanbe", SendScope::Changes, dir.path());
    assert_eq!(exchange::decode(&std::fs::read(&on).unwrap()).unwrap().manifest.format, exchange::FORMAT);
    c.exchange_receive(&on, false).unwrap();
    assert_eq!(dump(&b), dump(&c));
}

/// A file the previous release wrote (schema 13, layout 2: changesets
/// packed, the attached file inside them): a Persian agreement whose clause
/// has both lead bodies, and one 210-byte PDF attached to the clause and to
/// the agreement. It is received, passed on as it came (its entries hold
/// the file, so it is not carried again), and a file of records made from
/// it carries the file beside its changes.
#[test]
fn an_attached_file_of_the_previous_release_is_received_and_passed_on() {
    const LETTER_SHA: &str = "d3f07b79f957d5599255c078f8a28b50bf04f8262964e070a123b0fd6fd94353";
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout2-schema13.clausebook");
    let bytes = std::fs::read(&fixture).unwrap();
    let old = exchange::decode(&bytes).unwrap();
    assert_eq!((old.manifest.format, old.manifest.schema_version, old.entries.len()), (2, 13, 6));
    assert!(old.files.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let letter_in = |s: &Store| {
        let agreement = s.agreements(None).unwrap().into_iter().next().unwrap();
        let clause = s.clause_rows(&agreement.id, today()).unwrap().remove(0).clause;
        assert_eq!(
            (clause.our_lead.as_deref(), clause.partner_lead.as_deref()),
            (Some("سازمان بهزیستی کشور"), Some("Sogʻliqni saqlash vazirligi"))
        );
        let names: Vec<String> = [&clause.id, &agreement.id]
            .into_iter()
            .map(|owner| {
                let a = s.attachments(owner).unwrap().remove(0);
                let back = d.join(format!("{}.back", a.id));
                s.copy_attachment(&a.id, &back).unwrap();
                assert_eq!(exchange::sha256_hex(&std::fs::read(&back).unwrap()), LETTER_SHA);
                a.name
            })
            .collect();
        assert_eq!(names, ["نامه امضاشده.pdf", "signed-letter.pdf"]);
        agreement.id
    };
    let mut b = register(d, "Bahrom");
    let got = b.exchange_receive(&fixture, false).unwrap();
    assert_eq!((got.new_entries, got.conflicts), (6, 0), "{got:?}");
    letter_in(&b);
    let on = send(&mut b, "Chorshanbe", SendScope::Changes, d);
    let passed = std::fs::read(&on).unwrap();
    let passed = exchange::decode(&passed).unwrap();
    assert_eq!((passed.manifest.format, passed.files.len()), (exchange::FORMAT, 0));
    let mut c = register(d, "Chorshanbe");
    c.exchange_receive(&on, false).unwrap();
    assert_eq!(dump(&b), dump(&c));
    let agreement = letter_in(&c);
    let records = send(&mut c, "Dilnoza", SendScope::Agreement(agreement), d);
    let records_bytes = std::fs::read(&records).unwrap();
    let files: Vec<String> = exchange::decode(&records_bytes).unwrap().files.into_iter().map(|f| f.sha256).collect();
    assert_eq!(files, [LETTER_SHA]);
    let mut e = register(d, "Dilnoza");
    e.exchange_receive(&records, false).unwrap();
    letter_in(&e);
    assert_eq!(e.integrity_check().unwrap(), vec!["ok"]);
}

#[test]
fn a_file_named_without_an_extension_gets_the_exchange_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = register(dir.path(), "Anvar");
    partner(&mut a, "UNDP");
    let sent = a.exchange_send(&SendScope::Changes, Some("Hub"), &dir.path().join("for-hub")).unwrap();
    assert_eq!(sent.path, dir.path().join("for-hub.clausebook").display().to_string());
    assert!(dir.path().join("for-hub.clausebook").is_file());
}

#[test]
fn markup_and_sql_in_names_arrive_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = register(d, "Anvar");
    let mut b = register(d, "Bahrom");
    let name = "<img src=x onerror=alert(1)>'); DROP TABLE clauses; --";
    a.create_partner(NewPartner { kind: Some(PartnerKind::Organisation), name: name.into(), ..Default::default() })
        .unwrap();
    let file = send(&mut a, "Bahrom", SendScope::Changes, d);
    b.exchange_receive(&file, false).unwrap();
    assert_eq!(b.partners().unwrap()[0].name, name);
    assert_eq!(b.integrity_check().unwrap(), vec!["ok"]);
}

// ---------------------------------------------------------------------------
// Three registers, random edits, files delivered in any order.

#[derive(Debug, Clone)]
enum Op {
    Status { at: usize, clause: usize, status: usize },
    Text { at: usize, clause: usize, text: usize },
    Delete { at: usize, clause: usize },
    Add { at: usize, number: usize },
    Note { at: usize, clause: usize },
    Send { from: usize, to: usize, everything: bool },
    Deliver { to: usize, pick: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..6usize, 0..5usize).prop_map(|(at, clause, status)| Op::Status { at, clause, status }),
        (0..3usize, 0..6usize, 0..3usize).prop_map(|(at, clause, text)| Op::Text { at, clause, text }),
        (0..3usize, 0..6usize).prop_map(|(at, clause)| Op::Delete { at, clause }),
        (0..3usize, 0..2usize).prop_map(|(at, number)| Op::Add { at, number }),
        (0..3usize, 0..6usize).prop_map(|(at, clause)| Op::Note { at, clause }),
        (0..3usize, 0..3usize, proptest::bool::weighted(0.1)).prop_map(|(from, to, everything)| Op::Send {
            from,
            to,
            everything
        }),
        (0..3usize, 0..4usize).prop_map(|(to, pick)| Op::Deliver { to, pick }),
    ]
}

const NAMES: [&str; 3] = ["Anvar", "Bahrom", "Hub"];
const STATUSES: [ClauseStatus; 5] = [
    ClauseStatus::NotStarted,
    ClauseStatus::InProgress,
    ClauseStatus::Completed,
    ClauseStatus::OnHold,
    ClauseStatus::Cancelled,
];

struct World {
    dir: tempfile::TempDir,
    stores: Vec<Store>,
    /// Files on their way to each register.
    inbox: Vec<Vec<PathBuf>>,
    agreement: String,
    files: usize,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let mut stores: Vec<Store> = NAMES.iter().map(|n| register(dir.path(), n)).collect();
        let p = partner(&mut stores[0], "IOM");
        let g = agreement(&mut stores[0], &[&p], Some("2026-03-01"), Calendar::Persian);
        for (n, text) in ["Joint seminar", "Statistics", "Training"].iter().enumerate() {
            stores[0].create_clause(NewClause::new(&g.id, (n + 1).to_string(), *text), today()).unwrap();
        }
        let mut w = World { dir, stores, inbox: vec![Vec::new(); 3], agreement: g.id, files: 0 };
        for to in 1..3 {
            w.send(0, to, false);
            let file = w.inbox[to].pop().unwrap();
            w.stores[to].exchange_receive(&file, false).unwrap();
        }
        w
    }

    fn clause(&self, at: usize, k: usize) -> Option<String> {
        let rows = self.stores[at].clause_rows(&self.agreement, today()).unwrap();
        (!rows.is_empty()).then(|| rows[k % rows.len()].clause.id.clone())
    }

    fn send(&mut self, from: usize, to: usize, everything: bool) {
        if from == to {
            return;
        }
        self.files += 1;
        let path = self.dir.path().join(format!("{}-{}-to-{}.clausebook", self.files, NAMES[from], NAMES[to]));
        let scope = if everything { SendScope::Everything } else { SendScope::Changes };
        self.stores[from].exchange_send(&scope, Some(NAMES[to]), &path).unwrap();
        self.inbox[to].push(path);
    }

    /// Receives one waiting file; one that follows a file not yet received
    /// waits for it.
    fn deliver(&mut self, to: usize, pick: usize) {
        if self.inbox[to].is_empty() {
            return;
        }
        let i = pick % self.inbox[to].len();
        let file = self.inbox[to][i].clone();
        match self.stores[to].exchange_receive(&file, false) {
            Ok(_) => {
                self.inbox[to].remove(i);
            }
            Err(e) if e.code() == "exchange_missing_earlier" => {}
            Err(e) => panic!("{} receiving {}: {e}", NAMES[to], file.display()),
        }
    }

    /// The test's fixed rule: the larger value (none the smallest) wins, so every
    /// register that sees a conflict chooses alike.
    fn resolve_all(&mut self) -> usize {
        let mut n = 0;
        for store in &mut self.stores {
            // One choice at a time, the list read again after each, as the
            // screen shows it: a choice changes what the next one compares.
            while let Some(c) = store.exchange_conflicts().unwrap().into_iter().next() {
                let choice = if c.theirs > c.mine { ConflictChoice::Theirs } else { ConflictChoice::Mine };
                match store.resolve_conflict(&c.id, choice) {
                    Ok(()) => {}
                    // Bringing a clause back under a number a live one took:
                    // the officer would renumber first; the test keeps it deleted.
                    Err(e) if e.code() == "duplicate_number" => {
                        store.resolve_conflict(&c.id, ConflictChoice::Mine).unwrap()
                    }
                    Err(e) => panic!("{e}"),
                }
                n += 1;
            }
        }
        n
    }

    fn apply(&mut self, op: &Op) {
        let today = today();
        match *op {
            Op::Status { at, clause, status } => {
                if let Some(id) = self.clause(at, clause) {
                    set_status(&mut self.stores[at], &id, STATUSES[status]);
                }
            }
            Op::Text { at, clause, text } => {
                if let Some(id) = self.clause(at, clause) {
                    set_text(&mut self.stores[at], &id, ["Alpha", "Beta", "Gamma"][text]);
                }
            }
            Op::Delete { at, clause } => {
                if let Some(id) = self.clause(at, clause) {
                    self.stores[at].delete_clause(&id).unwrap();
                }
            }
            Op::Add { at, number } => {
                let new = NewClause::new(&self.agreement, ["7", "8"][number], "Added");
                // The number may be taken here already: the register says so.
                let _ = self.stores[at].create_clause(new, today);
            }
            Op::Note { at, clause } => {
                if let Some(id) = self.clause(at, clause) {
                    let note =
                        NewNote { clause_id: id, on_date: today, author: None, text: "Met".into(), status_to: None };
                    self.stores[at].add_note(note, today).unwrap();
                }
            }
            Op::Send { from, to, everything } => self.send(from, to, everything),
            Op::Deliver { to, pick } => self.deliver(to, pick),
        }
    }

    /// Receives every file waiting for `to`, latest first (so files that
    /// follow one not yet received wait for it, as they would on a desk).
    fn drain(&mut self, to: usize) {
        while !self.inbox[to].is_empty() {
            let before = self.inbox[to].len();
            for pick in (0..before).rev() {
                self.deliver(to, pick);
            }
            assert!(self.inbox[to].len() < before, "files to {} wait for ever", NAMES[to]);
        }
    }

    /// Everyone sends to everyone, through the hub too, until nothing is
    /// left to choose and nothing new travels.
    fn settle(&mut self) {
        for _ in 0..8 {
            (0..3).for_each(|to| self.drain(to));
            let chosen = self.resolve_all();
            for from in 0..3 {
                for to in 0..3 {
                    self.send(from, to, false);
                }
            }
            (0..3).for_each(|to| self.drain(to));
            if chosen == 0 && self.stores.iter().all(|s| s.exchange_conflicts().unwrap().is_empty()) {
                let d0 = dump(&self.stores[0]);
                if self.stores.iter().all(|s| dump(s) == d0) {
                    return;
                }
            }
        }
    }
}

proptest! {
    // 24 cases, the same every run (see `proptest_config`); a case a
    // search finds becomes a test of its own, as the one below.
    #![proptest_config(common::proptest_config(24))]

    #[test]
    fn three_registers_that_exchange_in_any_order_end_alike(ops in proptest::collection::vec(op(), 1..28)) {
        let mut w = World::new();
        for op in &ops {
            w.apply(op);
        }
        w.settle();
        let dumps: Vec<Vec<String>> = w.stores.iter().map(dump).collect();
        for (i, d) in dumps.iter().enumerate().skip(1) {
            let diff: Vec<_> = d.iter().zip(&dumps[0]).filter(|(a, b)| a != b).take(3).collect();
            prop_assert!(d == &dumps[0], "{} differs from {}: {:?} (lengths {} and {})", NAMES[i], NAMES[0], diff, d.len(), dumps[0].len());
        }
        for s in &w.stores {
            prop_assert_eq!(s.integrity_check().unwrap(), vec!["ok".to_owned()]);
            prop_assert!(s.exchange_conflicts().unwrap().is_empty());
        }
    }
}

/// Found by the property test above (stop 31, one run in three): A and B
/// ended with different texts for clause 3, and no conflict open. What the
/// merge did, logged field by field:
///
/// - A edits the text to Alpha; C to Beta; B to Beta, then to Alpha.
/// - A receives C's Beta: a conflict; A chooses Beta (the larger).
/// - A receives B's two changes. The first (Beta, made on top of the
///   record's creation) equals the value here, so nothing was asked, and
///   the field took B's version with it. The second (Beta to Alpha, made on
///   top of that version) then applied at A as if A had not changed the
///   field: A had Alpha.
/// - B, receiving C's and A's files, ended with Beta and no conflict open,
///   with no change of its own to send; A's Alpha went nowhere.
///
/// A value that arrives equal to the value here, from a change made apart
/// from it, no longer brings its version: the field keeps the change it
/// came from here, and B's next change is a conflict at A.
#[test]
fn two_registers_agreeing_by_chance_then_one_changing_again_end_alike() {
    let ops = [
        Op::Delete { at: 1, clause: 0 },
        Op::Delete { at: 1, clause: 2 },
        Op::Text { at: 0, clause: 2, text: 0 },
        Op::Text { at: 1, clause: 0, text: 1 },
        Op::Text { at: 1, clause: 0, text: 0 },
        Op::Delete { at: 2, clause: 0 },
        Op::Text { at: 2, clause: 1, text: 1 },
        Op::Send { from: 2, to: 0, everything: false },
    ];
    let mut w = World::new();
    for op in &ops {
        w.apply(op);
    }
    w.settle();
    let d0 = dump(&w.stores[0]);
    for (i, s) in w.stores.iter().enumerate().skip(1) {
        assert!(dump(s) == d0, "{} differs from {}", NAMES[i], NAMES[0]);
    }
}

#[test]
fn every_error_says_what_to_do() {
    for e in ExchangeError::examples() {
        let text = e.to_string();
        assert!(text.contains(':') || text.contains("first"), "{text}");
    }
}
