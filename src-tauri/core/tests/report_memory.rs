//! A long-running app exports report after report: Typst's caches are
//! evicted after each, so memory does not grow with the number of exports.
//! Its own test binary, so no other test shares (and grows) the process.

mod common;

use clausebook_core::Store;
use clausebook_core::calendar::Lang;
use clausebook_core::report::{self, ReportOptions, ReportRequest};

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

#[test]
fn ten_exports_in_a_row_do_not_grow_memory() {
    let mut store = Store::open_in_memory().unwrap();
    store.load_demo().unwrap();
    let agreements = store.agreements(None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let export = |i: usize| {
        let a = &agreements[i % agreements.len()];
        let lang = if i.is_multiple_of(2) { Lang::En } else { Lang::Fa };
        let options = ReportOptions { lang, ..ReportOptions::default() };
        let path = dir.path().join(format!("{i}.pdf"));
        report::export(
            &store,
            &ReportRequest::Agreement { id: a.id.clone() },
            &options,
            common::today(),
            common::today().and_hms_opt(10, 0, 0).unwrap(),
            &path,
        )
        .unwrap();
    };
    // Warm up: fonts parsed, allocator arenas in use.
    for i in 0..4 {
        export(i);
    }
    let before = resident_kib();
    for i in 4..14 {
        export(i);
    }
    let after = resident_kib();
    let grown = after.saturating_sub(before);
    println!("resident memory: {before} KiB before ten exports, {after} KiB after (+{grown} KiB)");
    assert!(grown < 30 * 1024, "ten exports grew memory by {grown} KiB ({before} → {after})");
}
