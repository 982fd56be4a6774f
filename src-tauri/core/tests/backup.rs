//! Opening files safely, backups and restores, through the core on real
//! files: every kind of file that is not a sound register is refused with
//! its own code and left byte for byte as it was; a backup is a checked,
//! self-contained copy with a true manifest; a restore brings a register
//! back and keeps the one it replaced.

use std::path::{Path, PathBuf};

use clausebook_core::store::backup::{BackupError, FOLDER_PATIENCE, daily_backup_of, hold_folder, restore_in_place};
use clausebook_core::vocab::BackupReason;
use clausebook_core::{Store, StoreError};
use sha2::{Digest, Sha256};

fn sha(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A register with the demo data in a folder of its own.
fn demo_register(dir: &Path) -> (Store, PathBuf) {
    let path = dir.join("clausebook.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.load_demo().unwrap();
    (store, path)
}

/// What opening `path` answers, and whether the file (and the folder around
/// it) came out of it exactly as it went in.
fn refused(path: &Path) -> (String, bool) {
    let before = sha(path);
    let listing = |p: &Path| {
        let mut names: Vec<_> =
            std::fs::read_dir(p.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    let files = listing(path);
    let code = match Store::open(path) {
        Ok(_) => "opened".to_owned(),
        Err(e) => e.code().to_owned(),
    };
    (code, before == sha(path) && files == listing(path))
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minutes.pdf");
    std::fs::write(&path, b"%PDF-1.7\n% not a database at all\n").unwrap();
    assert_eq!(refused(&path), ("not_a_register".to_owned(), true));
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other-program.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('a');").unwrap();
    }
    assert_eq!(refused(&path), ("foreign_database".to_owned(), true));
    // One with an application id of its own, and no tables yet.
    let path = dir.path().join("tagged.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x); DROP TABLE t;").unwrap();
    }
    assert_eq!(refused(&path), ("foreign_database".to_owned(), true));
}

#[test]
fn a_register_from_a_newer_clausebook_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = demo_register(dir.path());
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;").unwrap();
    }
    assert_eq!(refused(&path), ("newer_schema".to_owned(), true));
}

#[test]
fn a_read_only_register_is_refused_and_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = demo_register(dir.path());
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(refused(&path), ("read_only".to_owned(), true));
}

#[test]
fn a_damaged_register_is_named_damaged_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = demo_register(dir.path());
    drop(store);
    // Garbage over every page after the first: the schema still reads, the
    // tables do not.
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for b in bytes[page..].iter_mut() {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let before = sha(&path);
    let code = match Store::open(&path) {
        Err(e) => e.code().to_owned(),
        Ok(store) => store.agreements(None).map(|_| "read".to_owned()).unwrap_or_else(|e| e.code().to_owned()),
    };
    assert_eq!(code, "damaged_file");
    assert_eq!(sha(&path), before, "a damaged file is not written to");
}

#[test]
fn a_full_disk_rolls_the_write_back_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clausebook.sqlite3");
    let mut store = Store::open(&path).unwrap();
    // Not one page more than the empty register has: the demo's thousands
    // of rows cannot fit, as on a full disk.
    let pages: u32 = store.page_count().unwrap();
    store.simulate_full_disk_at(pages).unwrap();
    let e = store.load_demo().unwrap_err();
    assert_eq!(e.code(), "disk_full", "{e}");
    assert!(store.is_empty().unwrap(), "nothing half-written");
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
}

#[test]
fn a_backup_is_a_checked_copy_with_a_true_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = demo_register(dir.path());
    let made = store.backup(BackupReason::Manual).unwrap();
    let m = &made.manifest;
    let file = PathBuf::from(&made.path);
    assert_eq!(file.parent().unwrap(), dir.path().join("backups"));
    assert_eq!(m.reason, BackupReason::Manual);
    assert_eq!(m.bytes, std::fs::metadata(&file).unwrap().len());
    assert_eq!(m.sha256, sha(&file));
    assert_eq!(m.schema_version as usize, clausebook_core::store::SCHEMA_VERSION);
    assert_eq!(m.counts.agreements as usize, store.agreements(None).unwrap().len());
    assert!(m.counts.clauses > 0 && m.counts.partners > 0);
    // Self-contained: no WAL beside it, and it opens as a register.
    assert!(!dir.path().join("backups").join(format!("{}-wal", m.file)).exists());
    let conn = rusqlite::Connection::open(&file).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "delete");
    drop(conn);
    let listed = store.backups().unwrap();
    assert_eq!(listed, vec![m.clone()]);
    // The manifest on disk says the same.
    let json = std::fs::read_to_string(format!("{}.json", made.path)).unwrap();
    assert_eq!(serde_json::from_str::<clausebook_core::store::backup::BackupManifest>(&json).unwrap(), *m);
}

#[test]
fn a_backup_goes_to_the_second_folder_when_it_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let (mut store, _) = demo_register(dir.path());
    assert_eq!(store.set_backup_mirror(Some("relative/folder")).unwrap_err().code(), "backup_folder_relative");
    let absent = stick.path().join("not-plugged-in");
    store.set_backup_mirror(Some(absent.to_str().unwrap())).unwrap();
    assert_eq!(store.backup(BackupReason::Manual).unwrap().mirrored_to, None, "an absent folder is passed over");
    store.set_backup_mirror(Some(stick.path().to_str().unwrap())).unwrap();
    // What copies and backups cut short by a crash left, here and there, goes.
    let folder = store.backup_dir().unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let leftovers = [
        folder.join("clausebook-20261201-090000-daily.sqlite3.partial"),
        folder.join("clausebook-20261201-090000-daily.sqlite3.partial-journal"),
        stick.path().join("clausebook-20261201-090000-daily.sqlite3.partial"),
    ];
    for f in &leftovers {
        std::fs::write(f, b"cut short").unwrap();
    }
    let made = store.backup(BackupReason::Manual).unwrap();
    for f in &leftovers {
        assert!(!f.exists(), "{} is still there", f.display());
    }
    let copy = PathBuf::from(made.mirrored_to.expect("copied to the stick"));
    assert_eq!(sha(&copy), made.manifest.sha256);
    assert!(stick.path().join(format!("{}.json", made.manifest.file)).is_file());
    store.set_backup_mirror(None).unwrap();
    assert_eq!(store.backup_mirror().unwrap(), None);
}

#[test]
fn a_daily_backup_is_made_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = demo_register(dir.path());
    let first = store.backup_if_due().unwrap().expect("no backup yet: one is due");
    assert_eq!(first.manifest.reason, BackupReason::Daily);
    assert_eq!(store.backup_if_due().unwrap(), None, "one a day");
    assert_eq!(store.backups().unwrap().len(), 1);
}

#[test]
fn the_daily_backup_runs_beside_an_open_register_that_goes_on_writing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path) = demo_register(dir.path());
    let agreements = store.agreements(None).unwrap().len() as u32;
    // The app's connection holds the register; the daily backup reads it
    // through its own.
    let made = daily_backup_of(&path).unwrap().expect("due: no backup yet");
    assert_eq!(made.manifest.reason, BackupReason::Daily);
    assert_eq!(made.manifest.counts.agreements, agreements);
    assert_eq!(daily_backup_of(&path).unwrap(), None, "one a day");
    // The register is still the app's to write.
    store
        .create_partner(clausebook_core::model::NewPartner { name: "Kazakhstan".into(), ..Default::default() })
        .unwrap();
    assert_eq!(store.backups().unwrap(), vec![made.manifest]);
}

#[test]
fn restore_brings_the_register_back_and_backs_up_what_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = demo_register(dir.path());
    let agreements = store.agreements(None).unwrap();
    let made = store.backup(BackupReason::Manual).unwrap();
    store.delete_agreement(&agreements[0].id).unwrap();
    assert_eq!(store.agreements(None).unwrap().len(), agreements.len() - 1);

    let restored = store.restore_backup(Path::new(&made.path)).unwrap();
    assert_eq!(store.agreements(None).unwrap(), agreements);
    assert_eq!(restored.counts, made.manifest.counts);
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
    // What it replaced is kept as a backup of its own.
    let reasons: Vec<BackupReason> = store.backups().unwrap().iter().map(|m| m.reason).collect();
    assert!(reasons.contains(&BackupReason::BeforeRestore), "{reasons:?}");
    let previous = Store::open(&restored.previous).unwrap();
    assert_eq!(previous.agreements(None).unwrap().len(), agreements.len() - 1);
    // The restore is in the register's history.
    let history = store.history("register").unwrap();
    assert_eq!(history.last().unwrap().action, "restore");
}

#[test]
fn restore_refuses_what_is_not_a_sound_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path) = demo_register(dir.path());
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a backup").unwrap();
    let other = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE songs (title TEXT);").unwrap();
    let newer = PathBuf::from(store.backup(BackupReason::Manual).unwrap().path);
    rusqlite::Connection::open(&newer).unwrap().execute_batch("PRAGMA user_version = 99;").unwrap();
    let damaged = PathBuf::from(store.backup(BackupReason::Manual).unwrap().path);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let len = bytes.len();
    for b in bytes[4096..len - 4096].iter_mut() {
        *b = 0x5A;
    }
    std::fs::write(&damaged, bytes).unwrap();

    let agreements = store.agreements(None).unwrap();
    let backups = store.backups().unwrap().len();
    for (file, code) in [
        (junk.as_path(), "backup_not_register"),
        (other.as_path(), "backup_not_register"),
        (newer.as_path(), "backup_newer"),
        (damaged.as_path(), "backup_damaged"),
        (dir.path().join("missing.sqlite3").as_path(), "backup_read"),
    ] {
        let e: BackupError = store.restore_backup(file).unwrap_err();
        assert_eq!(e.code(), code, "{}: {e}", file.display());
    }
    assert_eq!(store.agreements(None).unwrap(), agreements);
    assert_eq!(store.backups().unwrap().len(), backups, "a refused restore makes no backup");
    drop(store);
    assert!(Store::open(&path).is_ok());
}

#[test]
fn a_register_that_cannot_be_opened_is_set_aside_for_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = demo_register(dir.path());
    let made = store.backup(BackupReason::Manual).unwrap();
    let agreements = store.agreements(None).unwrap();
    drop(store);
    std::fs::write(&path, b"overwritten by mistake").unwrap();
    assert_eq!(Store::open(&path).unwrap_err().code(), "not_a_register");

    let (store, restored) = restore_in_place(&path, Path::new(&made.path)).unwrap();
    assert_eq!(store.agreements(None).unwrap(), agreements);
    assert_eq!(std::fs::read(&restored.previous).unwrap(), b"overwritten by mistake", "kept, not deleted");
}

/// An import of one new agreement of `rows` clauses from a CSV file, as the
/// window's wizard makes it.
fn import_plan(store: &mut Store, dir: &Path, rows: usize) -> Result<(), clausebook_core::sheet::SheetError> {
    use clausebook_core::sheet::{self, ImportInto, ImportRequest, SheetChoice};
    let csv = dir.join("plan.csv");
    let mut text = String::from("No.,Action\n");
    for n in 1..=rows {
        text.push_str(&format!("{n},Exchange of experts, round {n}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let partner = store.partners().unwrap()[0].id.clone();
    let preview = sheet::preview(store, &csv, &SheetChoice::default()).unwrap();
    let request = ImportRequest {
        path: csv.display().to_string(),
        choice: SheetChoice::default(),
        mapping: preview.mapping,
        into: ImportInto::New {
            partner_id: partner,
            title: "Plan".into(),
            kind: clausebook_core::vocab::AgreementKind::ActionPlan,
            signed_on: None,
            calendar: clausebook_core::vocab::Calendar::Gregorian,
        },
        drop_unreadable: false,
    };
    sheet::import(store, &request, chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()).map(|_| ())
}

/// The clauses a register file holds, counted on a connection of its own.
fn clauses_in(file: &Path) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row("SELECT count(*) FROM clauses", [], |r| r.get(0)).unwrap()
}

#[test]
fn an_import_backs_the_register_up_first_when_backups_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path) = demo_register(dir.path());
    store.enable_auto_backups();
    let before = clauses_in(&path);
    import_plan(&mut store, dir.path(), 3).unwrap();
    let made: Vec<_> = store.finish_backups().into_iter().map(Result::unwrap).collect();
    assert_eq!(made.len(), 1);
    let reasons: Vec<BackupReason> = store.backups().unwrap().iter().map(|m| m.reason).collect();
    assert_eq!(reasons, vec![BackupReason::BeforeImport]);
    // The register as it was before the import, and the import in the register.
    assert_eq!(clauses_in(Path::new(&made[0].path)), before);
    assert_eq!(clauses_in(&path), before + 3);
}

/// A demo register with automatic backups, its clause count, its backup
/// folder held (as another backup, the daily one of a large register, would
/// hold it) and the lock, after an import of `rows` clauses made meanwhile.
struct HeldImport {
    store: Store,
    path: PathBuf,
    before: i64,
    folder: PathBuf,
    lock: std::fs::File,
}

fn import_while_the_folder_is_held(dir: &Path, rows: usize) -> HeldImport {
    let (mut store, path) = demo_register(dir);
    store.enable_auto_backups();
    let before = clauses_in(&path);
    let folder = store.backup_dir().unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let lock = hold_folder(&folder, FOLDER_PATIENCE).unwrap();
    import_plan(&mut store, dir, rows).unwrap();
    HeldImport { store, path, before, folder, lock }
}

#[test]
fn the_backup_before_an_import_holds_the_moment_before_it_even_when_it_ends_after() {
    let dir = tempfile::tempdir().unwrap();
    // The import's backup waits for the folder; the import does not.
    let HeldImport { mut store, path, before, lock, .. } = import_while_the_folder_is_held(dir.path(), 5);
    assert_eq!(clauses_in(&path), before + 5, "the import is done while its backup waits");
    assert_eq!(store.backups_under_way(), 1);
    assert!(store.backups().unwrap().is_empty());
    // More writes while the backup still waits do not reach it.
    let partners = store.partners().unwrap().len();
    store
        .create_partner(clausebook_core::model::NewPartner { name: "Later partner".into(), ..Default::default() })
        .unwrap();
    drop(lock);
    let made = store.finish_backups().pop().unwrap().unwrap();
    assert_eq!(made.manifest.reason, BackupReason::BeforeImport);
    assert_eq!(clauses_in(Path::new(&made.path)), before);
    assert_eq!(made.manifest.counts.clauses as i64, before);
    assert_eq!(made.manifest.counts.partners as usize, partners);
    let kept = store.backups().unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].sha256, made.manifest.sha256);
}

#[test]
fn a_backup_beside_an_import_that_fails_is_kept_for_settings_and_the_import_stays() {
    let dir = tempfile::tempdir().unwrap();
    let HeldImport { mut store, path, before, folder, lock } = import_while_the_folder_is_held(dir.path(), 2);
    // While the backup waits, its folder goes and a file takes its place.
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, b"not a folder").unwrap();
    drop(lock);
    let waited = std::time::Instant::now();
    while store.backups_under_way() > 0 {
        assert!(waited.elapsed().as_secs() < 60, "the backup never ended");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let overview = store.backup_overview().unwrap();
    assert_eq!(overview.under_way, 0);
    assert_eq!(overview.failed.len(), 1, "{:?}", overview.failed);
    let failed = &overview.failed[0];
    assert_eq!(failed.reason, BackupReason::BeforeImport);
    assert_eq!(failed.code, "backup_write", "{}", failed.message);
    assert!(failed.params.contains_key("path"));
    assert_eq!(clauses_in(&path), before + 2, "the import stays");
    assert!(store.finish_backups().is_empty(), "taken in by the overview");
}

#[test]
fn a_backup_waits_for_a_held_folder_only_so_long_then_fails_and_writes_nothing() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path) = demo_register(dir.path());
    store.enable_auto_backups();
    let patience = Duration::from_millis(400);
    store.set_backup_patience(patience);
    let folder = store.backup_dir().unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let listing = || {
        let mut names: Vec<String> =
            std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        names.sort();
        names
    };
    // A program that hangs while holding the folder.
    let lock = hold_folder(&folder, FOLDER_PATIENCE).unwrap();
    let files = listing();
    // A backup by hand: it waits its patience, then says why it stopped.
    let asked = Instant::now();
    let err = store.backup(BackupReason::Manual).unwrap_err();
    assert!(asked.elapsed() >= patience, "gave up after {:?}", asked.elapsed());
    assert!(asked.elapsed() < patience * 10, "waited {:?}", asked.elapsed());
    assert_eq!(err.code(), "backup_folder_busy", "{err}");
    assert!(err.to_string().contains("close any other Clausebook"), "{err}");
    let minutes = err.params().into_iter().find(|p| p.0 == "minutes").map(|p| p.1);
    assert!(matches!(minutes, Some(clausebook_core::detail::Param::Number(1))), "{minutes:?}");
    assert_eq!(listing(), files, "nothing written");
    // An import's backup beside it gives up too, and Settings is told; the
    // import stays.
    let before = clauses_in(&path);
    import_plan(&mut store, dir.path(), 2).unwrap();
    let asked = Instant::now();
    while store.backups_under_way() > 0 {
        assert!(asked.elapsed() < patience * 10, "the backup never gave up");
        std::thread::sleep(Duration::from_millis(10));
    }
    let overview = store.backup_overview().unwrap();
    assert_eq!(overview.failed.len(), 1, "{:?}", overview.failed);
    assert_eq!(overview.failed[0].code, "backup_folder_busy", "{}", overview.failed[0].message);
    assert_eq!(clauses_in(&path), before + 2, "the import stays");
    assert_eq!(listing(), files, "nothing written");
    // Once the folder is free, backups are made again.
    drop(lock);
    let made = store.backup(BackupReason::Manual).unwrap();
    assert_eq!(made.manifest.counts.clauses as i64, before + 2);
}

#[test]
fn an_import_whose_backup_folder_cannot_be_written_is_refused_before_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, path) = demo_register(dir.path());
    store.enable_auto_backups();
    // A file where the backup folder should be.
    std::fs::write(store.backup_dir().unwrap(), b"not a folder").unwrap();
    let before = clauses_in(&path);
    let err = import_plan(&mut store, dir.path(), 3).unwrap_err();
    assert_eq!(err.code(), "backup_first", "{err}");
    assert_eq!(clauses_in(&path), before);
    assert!(store.finish_backups().is_empty());
}

#[test]
fn backups_made_at_once_into_one_folder_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = demo_register(dir.path());
    drop(store);
    let folder = dir.path().join("stick");
    // Four connections at once, as the app's daily backup, an import's and
    // the command line's may be: each gets its own complete, checked file.
    let made: Vec<_> = std::thread::scope(|s| {
        let jobs: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let store = Store::open(&path).unwrap();
                    store.backup_into(&folder, BackupReason::Manual, false)
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap().unwrap()).collect()
    });
    let mut names: Vec<_> = made.iter().map(|m| m.manifest.file.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 4, "{names:?}");
    for m in &made {
        assert_eq!(sha(Path::new(&m.path)), m.manifest.sha256);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_command_line_backs_up_lists_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite3");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_clausebook"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["demo"]).0, 0);
    let (code, out, err) = run(&["--json", "backup"]);
    assert_eq!(code, 0, "{err}");
    let made: serde_json::Value = serde_json::from_str(&out).unwrap();
    let file = made["path"].as_str().unwrap().to_owned();
    let (code, out, _) = run(&["--json", "backups"]);
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let to = dir.path().join("stick");
    let (code, out, _) = run(&["backup", "--to", to.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("backed up to"), "{out}");
    let (code, out, err) = run(&["restore", &file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("restored from"), "{out}");
    // Another program's database: refused, untouched, with its code.
    let other = dir.path().join("other-program.sqlite3");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE songs (title TEXT);").unwrap();
    let before = sha(&other);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clausebook"))
        .arg("--db")
        .arg(&other)
        .args(["--json", "partners"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("foreign_database") || String::from_utf8_lossy(&out.stdout).contains("foreign_database"),
        "{stderr}"
    );
    assert_eq!(sha(&other), before);
}

#[test]
fn the_command_line_answers_an_import_before_its_backup_and_fails_if_the_backup_does() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite3");
    let cli = |args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clausebook"));
        cmd.arg("--db").arg(&db).args(args);
        cmd
    };
    assert!(cli(&["demo"]).status().unwrap().success());
    let partners: serde_json::Value =
        serde_json::from_slice(&cli(&["--json", "partners"]).output().unwrap().stdout).unwrap();
    let partner = partners[0]["id"].as_str().unwrap().to_owned();
    let csv = dir.path().join("plan.csv");
    std::fs::write(&csv, "No.,Action\n1,Exchange of experts\n2,Joint survey\n").unwrap();
    let before = clauses_in(&db);
    // The backup folder is held, as another backup would hold it.
    let folder = dir.path().join("backups");
    std::fs::create_dir_all(&folder).unwrap();
    let lock = hold_folder(&folder, FOLDER_PATIENCE).unwrap();
    let mut child = cli(&["--json", "import", csv.to_str().unwrap(), "--partner", &partner, "--title", "Plan"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The answer comes while the backup still waits.
    let mut stdout = child.stdout.take().unwrap();
    let answer: serde_json::Value =
        serde_json::Deserializer::from_reader(&mut stdout).into_iter().next().unwrap().unwrap();
    assert_eq!(answer["created"].as_u64(), Some(2), "{answer}");
    assert_eq!(clauses_in(&db), before + 2);
    assert!(child.try_wait().unwrap().is_none(), "the command line waits for the backup");
    // Then the folder goes: the backup fails, and so does the command.
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, b"not a folder").unwrap();
    drop(lock);
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the backup of the register as it was before the import failed"), "{stderr}");
    assert!(stderr.contains("undo-import"), "{stderr}");
    assert!(rest.contains("backup_write"), "{rest}");
    assert_eq!(clauses_in(&db), before + 2, "the import stays");
}

#[test]
fn storeerror_codes_for_files_are_listed() {
    let codes: Vec<&str> = StoreError::examples().iter().map(|e| e.code()).collect();
    for code in ["not_a_register", "foreign_database", "damaged_file", "read_only", "disk_full", "backup_first"] {
        assert!(codes.contains(&code), "{code}");
    }
}
