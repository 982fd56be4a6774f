//! Spreadsheet figures, each a ratio against a reference measured in the
//! same run on the same machine (absolute times move 1.5–2× between
//! machines; ratios do not):
//!
//! - importing a 10,000-row workbook into the 1M-clause register (the
//!   command line's `import`, a process of its own, as an officer runs it,
//!   timed until it answers; the backup of the register as it was before
//!   the import is made beside it, and the process's end after that copy is
//!   printed too) against LibreOffice headless merely converting the same
//!   workbook to CSV: at least 10× faster;
//! - exporting those 10,000 clauses to XLSX (`export`) against LibreOffice
//!   converting the exported CSV to XLSX: at least 10× faster;
//! - the dry run of a 50,000-row CSV (`sheet::plan`, in process) against
//!   the csv crate alone reading the same file: at most 2× its time (the
//!   medians of nine runs of each, taking turns).
//!
//! Peak memory (max RSS, from GNU time) is printed beside each process.
//! The 1M-clause register is the one the register bench generates; this
//! bench works on a copy of it.

mod common;
use common::verdict;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use clausebook_core::Store;
use clausebook_core::model::NewPartner;
use clausebook_core::sheet::{self, ImportInto, ImportRequest, SheetChoice};
use clausebook_core::vocab::{AgreementKind, Calendar};
use rust_xlsxwriter::{Format, Workbook};

/// The allocator the app and the command line use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 10_000;
const CSV_ROWS: usize = 50_000;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("sheets bench: run with `cargo bench -p clausebook-core --bench sheets`");
        return;
    }
    let register = target_dir().join("bench-data").join("register-1.sqlite3");
    let cli = target_dir().join("release").join("clausebook");
    if !register.exists() || !cli.exists() {
        println!("sheets bench: needs {} (the register bench makes it) and {}", register.display(), cli.display());
        return;
    }
    let dir = tempfile::tempdir_in(register.parent().unwrap()).unwrap();
    let d = dir.path();
    let db = d.join("register.sqlite3");
    std::fs::copy(&register, &db).unwrap();
    std::fs::File::open(&db).unwrap().sync_all().unwrap();
    let run = |args: &[&str]| -> (f64, u64, String) { timed(&cli, &db, args) };
    // Open (and bring the copy's schema up to date) once, outside the clock.
    let (_, _, out) = run(&["--json", "add-partner", "Bench partner"]);
    let partner: serde_json::Value = serde_json::from_str(&out).unwrap();
    let partner = partner["id"].as_str().unwrap().to_owned();

    // Import of a 10,000-row workbook, against LibreOffice converting it.
    let workbook = d.join("plan-10k.xlsx");
    write_workbook(&workbook);
    let profile = format!("-env:UserInstallation=file://{}", d.join("lo-profile").display());
    let soffice = |to: &str, file: &Path| -> (f64, u64) {
        let (s, m, _) = timed_cmd(
            Command::new("soffice")
                .args([&profile, "--headless", "--convert-to", to, "--outdir"])
                .arg(d.join("lo-out"))
                .arg(file),
        );
        (s, m)
    };
    // LibreOffice's first start sets up its profile: not what we compare.
    soffice("csv", &workbook);
    // Three imports (each a new agreement of 10,000 clauses), the fastest
    // counted, as for LibreOffice, whose three runs take turns with them.
    let mut lo_in = (f64::INFINITY, 0);
    let mut agreement = String::new();
    let (mut t_import, mut m_import, mut t_backed_up) = (f64::INFINITY, 0, 0.0);
    for k in 0..3 {
        lo_in = faster(lo_in, soffice("csv", &workbook));
        let title = format!("Bench plan {k}");
        let (t, ended, m, out) = answered(
            &cli,
            &db,
            &[
                "--json",
                "import",
                workbook.to_str().unwrap(),
                "--partner",
                &partner,
                "--title",
                &title,
                "--signed",
                "2026-01-10",
            ],
        );
        let done: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("import failed: {out}"));
        assert_eq!(done["created"].as_u64(), Some(ROWS as u64), "{out}");
        agreement = done["agreement_id"].as_str().unwrap().to_owned();
        if t < t_import {
            (t_import, m_import, t_backed_up) = (t, m, ended);
        }
    }
    ratio_line(
        "import 10,000-row xlsx into the 1M register",
        (t_import, m_import),
        "LibreOffice xlsx → csv",
        lo_in,
        10.0,
    );
    println!(
        "  (the backup of the register as it was before it, made beside the import: the process ended after {:.1} s)",
        t_backed_up
    );

    // Export of the 10,000 clauses, against LibreOffice converting the CSV.
    let csv_out = d.join("export-10k.csv");
    run(&["export", "agreement", &agreement, "-o", csv_out.to_str().unwrap()]);
    let xlsx_out = d.join("export-10k.xlsx");
    // The fastest of three each, taking turns.
    let (mut exported, mut lo_out) = ((f64::INFINITY, 0), (f64::INFINITY, 0));
    for _ in 0..3 {
        let (s, m, _) = run(&["export", "agreement", &agreement, "-o", xlsx_out.to_str().unwrap()]);
        exported = faster(exported, (s, m));
        lo_out = faster(lo_out, soffice("xlsx", &csv_out));
    }
    ratio_line("export 10,000 clauses to xlsx", exported, "LibreOffice csv → xlsx", lo_out, 10.0);

    // The dry run of a 50,000-row CSV, against the csv crate reading it.
    let big = d.join("plan-50k.csv");
    write_csv(&big);
    let csv_alone = || {
        let t = Instant::now();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&big).unwrap();
        let mut fields = 0usize;
        for r in reader.records() {
            fields += r.unwrap().len();
        }
        assert!(fields > CSV_ROWS);
        t.elapsed().as_secs_f64()
    };
    let mut store = Store::open_in_memory().unwrap();
    let p = store.create_partner(NewPartner { name: "Partner".into(), ..Default::default() }).unwrap();
    let preview = sheet::preview(&store, &big, &SheetChoice::default()).unwrap();
    let request = ImportRequest {
        path: big.display().to_string(),
        choice: SheetChoice { sheet: None, header_row: Some(preview.header_row), encoding: None },
        mapping: preview.mapping,
        into: ImportInto::New {
            partner_id: p.id,
            title: "Big plan".into(),
            kind: AgreementKind::ActionPlan,
            signed_on: NaiveDate::from_ymd_opt(2026, 1, 10),
            calendar: Calendar::Gregorian,
        },
        drop_unreadable: false,
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let dry = || {
        let t = Instant::now();
        let plan = sheet::plan(&store, &request, today).unwrap();
        let elapsed = t.elapsed().as_secs_f64();
        assert_eq!(plan.created as usize, CSV_ROWS);
        elapsed
    };
    // Taking turns, so that what the machine does meanwhile weighs on both.
    let (mut csv_times, mut dry_times) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        csv_times.push(csv_alone());
        dry_times.push(dry());
    }
    let (csv_alone, dry) = (median_of(csv_times), median_of(dry_times));
    let (_, m_dry, _) =
        run(&["import", big.to_str().unwrap(), "--partner", &partner, "--title", "Big plan", "--dry-run", "--json"]);
    let r = dry / csv_alone;
    println!(
        "{:<44} {:>8.1} ms  csv crate alone {:>7.1} ms  → {r:.2}× its time   target ≤ 2×   {}   (peak {} MiB as a process)",
        "dry run of a 50,000-row csv",
        dry * 1e3,
        csv_alone * 1e3,
        verdict(r <= 2.0),
        m_dry / 1024
    );
}

/// Runs the command line on `db` under GNU time: wall seconds, max RSS in
/// KiB, and what it printed.
fn timed(cli: &Path, db: &Path, args: &[&str]) -> (f64, u64, String) {
    timed_cmd(Command::new(cli).arg("--db").arg(db).args(args))
}

/// GNU time, writing the peak memory (max RSS, KiB) of what it runs to `stats`.
fn gnu_time(stats: &Path) -> Command {
    let mut time = Command::new("/usr/bin/time");
    time.arg("-f").arg("%M").arg("-o").arg(stats);
    time
}

/// The peak memory GNU time wrote to `stats`.
fn peak_kib(stats: &Path) -> u64 {
    std::fs::read_to_string(stats).unwrap().trim().lines().last().unwrap().parse().unwrap_or(0)
}

fn timed_cmd(cmd: &mut Command) -> (f64, u64, String) {
    let stats = tempfile::NamedTempFile::new().unwrap();
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let t = Instant::now();
    let out = gnu_time(stats.path()).arg(program).args(args).output().expect("GNU time runs (make bench installs it)");
    let seconds = t.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kib = peak_kib(stats.path());
    (seconds, kib, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs the command line until it answers (its JSON read whole from its
/// output) and on until it ends: the seconds to its answer, the seconds to
/// its end, its peak memory, and the answer.
fn answered(cli: &Path, db: &Path, args: &[&str]) -> (f64, f64, u64, String) {
    use std::io::Read;
    let stats = tempfile::NamedTempFile::new().unwrap();
    let t = Instant::now();
    let mut child = gnu_time(stats.path())
        .arg(cli)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("GNU time runs (make bench installs it)");
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let answer: serde_json::Value = serde_json::Deserializer::from_reader(&mut stdout)
        .into_iter()
        .next()
        .expect("an answer")
        .expect("the answer is JSON");
    let to_answer = t.elapsed().as_secs_f64();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    // What it says while it finishes the backup, kept out of the figures.
    let mut said = String::new();
    child.stderr.take().unwrap().read_to_string(&mut said).unwrap();
    let status = child.wait().unwrap();
    let to_end = t.elapsed().as_secs_f64();
    assert!(status.success(), "{answer} {rest} {said}");
    let kib = peak_kib(stats.path());
    (to_answer, to_end, kib, answer.to_string())
}

/// The faster of two runs (seconds, with the run's memory): kept over three
/// runs, it is the floor of what the machine can do, for us and for the
/// reference alike. Our runs and the reference's take turns, so that a slow
/// spell of the machine weighs on both.
fn faster(a: (f64, u64), b: (f64, u64)) -> (f64, u64) {
    if b.0 < a.0 { b } else { a }
}

fn median_of(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ratio_line(name: &str, (ours, our_mem): (f64, u64), reference: &str, (theirs, their_mem): (f64, u64), target: f64) {
    let r = theirs / ours;
    println!(
        "{name:<44} {:>8.0} ms, peak {:>4} MiB   {reference} {:>6.0} ms, peak {:>4} MiB   → {r:.1}× faster   target ≥ {target}×   {}",
        ours * 1e3,
        our_mem / 1024,
        theirs * 1e3,
        their_mem / 1024,
        verdict(r >= target)
    );
}

const WORDS: &[&str] = &[
    "joint",
    "working",
    "group",
    "training",
    "workshop",
    "exchange",
    "experts",
    "rehabilitation",
    "centre",
    "report",
    "survey",
    "migration",
    "labour",
    "health",
    "protocol",
    "visit",
    "programme",
    "capacity",
];

fn text(i: usize, n: usize) -> String {
    (0..n).map(|k| WORDS[(i * 7 + k * 13) % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

const STATUSES: &[&str] = &["Not started", "In progress", "Completed", "On hold", "در حال انجام", "انجام شده"];

/// A 10,000-row action plan: 2,000 actions of five rows (n, n.1 … n.4).
fn write_workbook(path: &Path) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["No.", "Action", "Responsible", "Partner lead", "Deadline", "Status", "Remarks"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let start = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    for i in 0..ROWS {
        let r = i as u32 + 1;
        let number = if i % 5 == 0 { format!("{}", i / 5 + 1) } else { format!("{}.{}", i / 5 + 1, i % 5) };
        ws.write_string(r, 0, &number).unwrap();
        ws.write_string(r, 1, text(i, 14)).unwrap();
        ws.write_string(r, 2, "State Welfare Organization").unwrap();
        ws.write_string(r, 3, "Ministry of Health").unwrap();
        if i % 3 == 0 {
            ws.write_string(r, 4, format!("{} months after signing", 1 + i % 24)).unwrap();
        } else {
            let due = start + chrono::Days::new((i % 700) as u64);
            let serial = (due - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
            ws.write_number_with_format(r, 4, serial, &date).unwrap();
        }
        ws.write_string(r, 5, STATUSES[i % STATUSES.len()]).unwrap();
        if i % 4 == 0 {
            ws.write_string(r, 6, text(i + 3, 8)).unwrap();
        }
    }
    book.save(path).unwrap();
}

/// A 50,000-row CSV plan of the same shape, with text dates in both calendars.
fn write_csv(path: &Path) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["No.", "Action", "Responsible", "Partner lead", "Deadline", "Status", "Remarks"]).unwrap();
    for i in 0..CSV_ROWS {
        let number = if i % 5 == 0 { format!("{}", i / 5 + 1) } else { format!("{}.{}", i / 5 + 1, i % 5) };
        let deadline = match i % 3 {
            0 => format!("{} months", 1 + i % 24),
            1 => format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            _ => format!("1405/{:02}/{:02}", 1 + i % 12, 1 + i % 29),
        };
        let remarks = if i % 4 == 0 { text(i + 3, 8) } else { String::new() };
        w.write_record([
            number.as_str(),
            &text(i, 14),
            "State Welfare Organization",
            "Ministry of Health",
            &deadline,
            STATUSES[i % STATUSES.len()],
            &remarks,
        ])
        .unwrap();
    }
    w.flush().unwrap();
}
