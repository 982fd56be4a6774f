//! Crash test: a writer process commits clauses (each with its audit row) in
//! a loop and reports every commit on stdout; we SIGKILL it at random moments
//! and check, after each kill, that the file is sound, that every reported
//! commit is there, and that nothing is half-applied.
//!
//! One round in five the writer also backs the register up every few
//! commits, and one in five it restores a backup of the register as it is,
//! again and again, so kills land inside backups and restores too. After
//! each round every backup the folder lists must be whole: its SHA-256 as
//! the manifest says, and sound.
//!
//! `CLAUSEBOOK_CRASH_KILLS` sets the number of kills (default 50; the bench
//! runs 200).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clausebook_core::Store;
use clausebook_core::calendar::Calendar;
use clausebook_core::deadline::Deadline;
use clausebook_core::model::{ClauseStatus, NewAgreement, NewClause, NewPartner};
use clausebook_core::vocab::BackupReason;
use rand::Rng;
use sha2::Digest;

const WRITER_ARG: &str = "--crash-writer";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == WRITER_ARG) {
        match args.get(i + 3).map(String::as_str) {
            Some("restore") => restorer(&args[i + 1], &args[i + 2]),
            Some("backup") => writer(&args[i + 1], &args[i + 2], true),
            _ => writer(&args[i + 1], &args[i + 2], false),
        }
        return;
    }
    // Under `cargo test -- <filter>`, run only when the filter names us.
    if args.iter().skip(1).any(|a| !a.starts_with('-') && !"crash".contains(a.as_str())) {
        println!("0 passed, 0 failed");
        return;
    }
    let kills: usize = std::env::var("CLAUSEBOOK_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    match orchestrate(kills) {
        Ok(summary) => {
            println!("crash test: {summary}");
            println!("1 passed, 0 failed");
        }
        Err(e) => {
            println!("crash test FAILED: {e}");
            println!("0 passed, 1 failed");
            std::process::exit(1);
        }
    }
}

/// Restores `backup` into the register forever, until killed.
fn restorer(db: &str, backup: &str) {
    let mut store = Store::open(db).expect("restorer opens the database");
    let mut out = std::io::stdout().lock();
    loop {
        store.restore_backup(std::path::Path::new(backup)).expect("restore");
        writeln!(out, "restored").expect("report");
        out.flush().expect("report");
    }
}

/// The writer: commits forever until killed, printing each committed id;
/// with `backups`, it backs the register up after every fifth commit.
fn writer(db: &str, agreement: &str, backups: bool) {
    let mut store = Store::open(db).expect("writer opens the database");
    let mut out = std::io::stdout().lock();
    let pid = std::process::id();
    for i in 0.. {
        let mut new =
            NewClause::new(agreement, format!("{pid}.{i}"), format!("Clause written by process {pid}, step {i}"));
        new.status = if i % 3 == 0 { ClauseStatus::InProgress } else { ClauseStatus::NotStarted };
        new.deadline = Deadline::On { date: chrono::NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 15).unwrap() };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let clause = store.create_clause(new, today).expect("commit").clause;
        writeln!(out, "{}", clause.id).expect("report");
        out.flush().expect("report");
        if backups && i % 5 == 4 {
            store.backup(BackupReason::Manual).expect("backup");
        }
    }
}

fn orchestrate(kills: usize) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = dir.path().join("crash.sqlite3");
    let agreement = {
        let mut s = Store::open(&db).map_err(|e| e.to_string())?;
        let p = s
            .create_partner(NewPartner { name: "Tajikistan".into(), ..Default::default() })
            .map_err(|e| e.to_string())?;
        let mut new = NewAgreement::draft("Crash-tested plan", vec![p.id]);
        new.calendar = Calendar::Persian;
        s.create_agreement(new).map_err(|e| e.to_string())?.id
    };
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut rng = rand::rng();
    let mut reported: Vec<String> = Vec::new();
    let started = Instant::now();
    let (mut backup_rounds, mut restore_rounds) = (0, 0);
    for round in 0..kills {
        let (mode, target) = match round % 5 {
            3 => ("backup", agreement.clone()),
            4 => {
                // A backup of the register as it is: restoring it changes no
                // record, so every check below still holds, whenever the
                // kill lands.
                let s = Store::open(&db).map_err(|e| e.to_string())?;
                let made = s.backup(BackupReason::Manual).map_err(|e| format!("round {round}: backup: {e}"))?;
                // Outside the folder, which the restorer's own backups rotate.
                let source = dir.path().join("restore-source.sqlite3");
                std::fs::copy(&made.path, &source).map_err(|e| e.to_string())?;
                ("restore", source.display().to_string())
            }
            _ => ("commit", agreement.clone()),
        };
        match mode {
            "backup" => backup_rounds += 1,
            "restore" => restore_rounds += 1,
            _ => {}
        }
        let mut child = Command::new(&exe)
            .args([WRITER_ARG, db.to_str().expect("utf-8 temp path"), &target, mode])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().expect("piped");
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut line = String::new();
            // Only whole lines count: a commit is reported once its newline is out.
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if line.ends_with('\n') {
                    sink.lock().unwrap().push(line.trim_end().to_owned());
                }
                line.clear();
            }
        });
        // Let it commit at least once, then kill it at a random moment.
        let deadline = Instant::now() + Duration::from_secs(20);
        while lines.lock().unwrap().is_empty() {
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!("round {round}: the writer committed nothing in 20 s"));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_micros(rng.random_range(0..30_000)));
        child.kill().map_err(|e| e.to_string())?; // SIGKILL
        child.wait().map_err(|e| e.to_string())?;
        reader.join().map_err(|_| "reader thread panicked".to_string())?;
        if mode == "restore" {
            lines.lock().unwrap().clear();
        } else {
            reported.extend(lines.lock().unwrap().drain(..));
        }

        let s = Store::open(&db).map_err(|e| format!("round {round}: reopen failed: {e}"))?;
        let check = s.integrity_check().map_err(|e| e.to_string())?;
        if check != ["ok"] {
            return Err(format!("round {round}: integrity_check says {check:?}"));
        }
        let rows = s
            .clause_rows(&agreement, chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap())
            .map_err(|e| e.to_string())?;
        let present: std::collections::HashSet<&str> = rows.iter().map(|r| r.clause.id.as_str()).collect();
        if let Some(lost) = reported.iter().find(|id| !present.contains(id.as_str())) {
            return Err(format!("round {round}: reported commit {lost} is missing"));
        }
        // Nothing half-applied: each clause has exactly its audit row, and the
        // trigger-kept counts agree with the clauses.
        let audited: usize = s
            .recent_changes(u32::MAX)
            .map_err(|e| e.to_string())?
            .iter()
            .filter(|e| e.entity == "clause" && e.action == "create")
            .count();
        if audited != rows.len() {
            return Err(format!("round {round}: {} clauses but {audited} clause audit rows", rows.len()));
        }
        let d = s.dashboard(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()).map_err(|e| e.to_string())?;
        if d.overall.counts.total() as usize != rows.len() {
            return Err(format!(
                "round {round}: dashboard counts {} but {} clauses exist",
                d.overall.counts.total(),
                rows.len()
            ));
        }
        for r in &rows {
            let h = s.history(&r.clause.id).map_err(|e| e.to_string())?;
            if h.len() != 1 {
                return Err(format!("round {round}: clause {} has {} history rows", r.clause.id, h.len()));
            }
        }
        // Every backup the folder lists is whole and sound.
        let folder = s.backup_dir().expect("a file register");
        for m in s.backups().map_err(|e| e.to_string())? {
            let file = folder.join(&m.file);
            let bytes = std::fs::read(&file).map_err(|e| format!("round {round}: {}: {e}", m.file))?;
            let sha: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            if sha != m.sha256 || bytes.len() as u64 != m.bytes {
                return Err(format!("round {round}: backup {} is not what its manifest says", m.file));
            }
            let conn = rusqlite::Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| e.to_string())?;
            let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| e.to_string())?;
            if ok != "ok" {
                return Err(format!("round {round}: backup {} is damaged: {ok}", m.file));
            }
        }
    }
    Ok(format!(
        "{kills} kills ({backup_rounds} while backing up, {restore_rounds} while restoring), {} reported commits all present, integrity ok, no half-applied write, every listed backup whole ({:.1} s)",
        reported.len(),
        started.elapsed().as_secs_f64()
    ))
}
