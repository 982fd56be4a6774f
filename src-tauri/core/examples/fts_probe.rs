use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA cache_size = -65536;").unwrap();
    let _: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
    let sqls = [
        "SELECT partner_id, status, n FROM partner_status_counts WHERE n > 0",
        "SELECT partner_id, sum(n) FROM partner_open_due_month WHERE month < '2026-11' GROUP BY partner_id",
        "SELECT p.partner_id, coalesce(sum(d.n) FILTER (WHERE d.due_on < '2026-11-22'), 0), coalesce(sum(d.n) FILTER (WHERE d.due_on >= '2026-11-22'), 0) FROM (SELECT DISTINCT partner_id FROM partner_open_due_month) p JOIN partner_open_due d ON d.partner_id = p.partner_id AND d.due_on >= '2026-11-01' AND d.due_on <= '2026-12-22' GROUP BY p.partner_id",
        "SELECT ap.partner_id, count(*) FROM agreement_parties ap JOIN agreements a ON a.id = ap.agreement_id WHERE a.deleted_at IS NULL GROUP BY ap.partner_id",
        "SELECT * FROM partners WHERE deleted_at IS NULL",
    ];
    for round in 0..2 {
        for sql in sqls {
            let t = Instant::now();
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.query_map([], |_| Ok(())).unwrap().count();
            println!(
                "{round} {:>8.2} ms {n:>6} rows  {}",
                t.elapsed().as_secs_f64() * 1000.0,
                &sql[..60.min(sql.len())]
            );
        }
    }
}
