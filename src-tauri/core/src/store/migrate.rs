//! The schema's versions, applied in order on open (`rusqlite_migration`
//! keeps the version in `PRAGMA user_version`).
//!
//! Each version is a SQL file under `migrations/`. Versions 3 and 4 also edit
//! table definitions in place ([`edit_tables`]), which plain SQL cannot do
//! safely; version 5 fills the clause search index it recreates; version 13
//! packs the exchange log's changesets.

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookError, HookResult, M, Migrations};

use super::{Result, StoreError};

/// The number of schema versions.
pub(crate) const VERSIONS: usize = 15;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_register.sql")),
        M::up(include_str!("migrations/002_due_by_month.sql")),
        M::up_with_hook(include_str!("migrations/003_cheaper_inserts.sql"), |tx: &Transaction| {
            edit_tables(tx, VERSION_3)
        }),
        M::up_with_hook(include_str!("migrations/004_due_day.sql"), |tx: &Transaction| edit_tables(tx, VERSION_4)),
        M::up_with_hook(include_str!("migrations/005_search_without_positions.sql"), |tx: &Transaction| {
            Ok(super::search::index_all(tx, "clause")?)
        }),
        M::up(include_str!("migrations/006_imports.sql")),
        M::up(include_str!("migrations/007_reminders.sql")),
        M::up(include_str!("migrations/008_reminder_leads.sql")),
        M::up_with_hook(include_str!("migrations/009_meetings.sql"), |tx: &Transaction| edit_tables(tx, VERSION_9)),
        M::up_with_hook(include_str!("migrations/010_attachments.sql"), |tx: &Transaction| edit_tables(tx, VERSION_10)),
        M::up(include_str!("migrations/011_live_agreements.sql")),
        M::up_with_hook(include_str!("migrations/012_exchange.sql"), |tx: &Transaction| edit_tables(tx, VERSION_12)),
        M::up_with_hook(include_str!("migrations/013_packed_log.sql"), |tx: &Transaction| {
            Ok(super::exchange::pack_log(tx)?)
        }),
        M::up(include_str!("migrations/014_partner_agreement_counts.sql")),
        M::up(include_str!("migrations/015_due_counts_by_date.sql")),
    ])
}

/// Brings the schema up to date, each version in its own transaction.
pub(crate) fn to_latest(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| StoreError::Migration(e.to_string()))
}

/// Brings a new database to `version` only: for tests of later migrations.
#[cfg(test)]
pub(crate) fn to_version(conn: &mut Connection, version: usize) -> Result<()> {
    migrations().to_version(conn, version).map_err(|e| StoreError::Migration(e.to_string()))
}

/// One change to the text of a table's definition.
enum Edit {
    /// `CHECK (column IN ('a', 'b', …))` becomes `CHECK (column = 'a' OR …)`.
    InList(&'static str, &'static [&'static str]),
    /// `REFERENCES table (id)` becomes `REFERENCES table (id) DEFERRABLE
    /// INITIALLY DEFERRED`.
    DeferReference(&'static str),
    /// A fragment replaced word for word.
    Replace(&'static str, &'static str),
}

const CLAUSE_STATUSES: &[&str] = &["not_started", "in_progress", "completed", "on_hold", "cancelled"];

/// Edits to the definitions of some tables, by table.
type Edits = &'static [(&'static str, &'static [Edit])];

/// The edits of version 3 (see `migrations/003_cheaper_inserts.sql` for why).
const VERSION_3: Edits = &[
    (
        "agreements",
        &[
            Edit::InList("kind", &["mou", "cooperation_memorandum", "action_plan", "joint_project", "other"]),
            Edit::InList("status", &["draft", "signed", "in_force", "expired", "terminated"]),
        ],
    ),
    ("agreement_parties", &[Edit::DeferReference("agreements"), Edit::DeferReference("partners")]),
    (
        "clauses",
        &[
            Edit::InList("deadline_kind", &["none", "on", "after_signing"]),
            Edit::InList("status", CLAUSE_STATUSES),
            Edit::DeferReference("agreements"),
            Edit::DeferReference("clauses"),
            Edit::Replace("CHECK (json_valid(tags))", "CHECK (tags >= '[' AND tags < '\\')"),
        ],
    ),
    ("notes", &[Edit::InList("status_to", CLAUSE_STATUSES), Edit::DeferReference("clauses")]),
    (
        "audit",
        &[
            Edit::InList("entity", &["settings", "partner", "agreement", "clause", "note", "deletion"]),
            Edit::InList("action", &["create", "update", "move", "delete", "restore", "import"]),
        ],
    ),
    ("search_queue", &[Edit::InList("kind", &["clause", "note", "agreement"])]),
];

/// The edit of version 4 (see `migrations/004_due_day.sql`): the column it
/// adds is set exactly when `due_on` is. ALTER TABLE cannot add this check,
/// since it tests the existing rows before the migration has filled them.
const VERSION_4: Edits =
    &[("clauses", &[Edit::Replace("due_day INTEGER", "due_day INTEGER CHECK ((due_day IS NULL) = (due_on IS NULL))")])];

/// The edit of version 9 (`migrations/009_meetings.sql`): the audit records
/// meetings too. Widening the check leaves every stored row valid.
const VERSION_9: Edits =
    &[("audit", &[Edit::Replace("entity = 'deletion')", "entity = 'deletion' OR entity = 'meeting')")])];

/// The edit of version 10 (`migrations/010_attachments.sql`): the audit
/// records attachments too.
const VERSION_10: Edits =
    &[("audit", &[Edit::Replace("entity = 'meeting')", "entity = 'meeting' OR entity = 'attachment')")])];

/// The edits of version 12 (`migrations/012_exchange.sql`): the audit
/// records files exchanged and conflicts resolved.
const VERSION_12: Edits = &[(
    "audit",
    &[
        Edit::Replace("entity = 'attachment')", "entity = 'attachment' OR entity = 'exchange')"),
        Edit::Replace("action = 'import')", "action = 'import' OR action = 'receive' OR action = 'resolve')"),
    ],
)];

impl Edit {
    /// The fragment as it stands, and what it becomes.
    fn fragments(&self) -> (String, String) {
        match self {
            Edit::InList(column, values) => {
                let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
                let equals: Vec<String> = quoted.iter().map(|v| format!("{column} = {v}")).collect();
                (format!("CHECK ({column} IN ({}))", quoted.join(", ")), format!("CHECK ({})", equals.join(" OR ")))
            }
            Edit::DeferReference(table) => {
                let old = format!("REFERENCES {table} (id)");
                let new = format!("{old} DEFERRABLE INITIALLY DEFERRED");
                (old, new)
            }
            Edit::Replace(old, new) => (old.to_string(), new.to_string()),
        }
    }
}

/// Applies `edits` to the stored `CREATE TABLE` texts, following SQLite's
/// procedure for changes that leave every stored row valid and in place
/// (<https://sqlite.org/lang_altertable.html#otheralter>): edit
/// `sqlite_schema` with `writable_schema` on, bump `schema_version` so every
/// connection reloads the schema, all in the migration's transaction. Each
/// fragment must be found exactly once, or the migration fails and the file
/// is left as it was.
fn edit_tables(tx: &Transaction, edits: Edits) -> HookResult {
    tx.pragma_update(None, "writable_schema", true)?;
    for (table, edits) in edits {
        let mut sql: String =
            tx.query_row("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))?;
        for edit in *edits {
            let (old, new) = edit.fragments();
            if sql.matches(&old).count() != 1 {
                return Err(HookError::Hook(format!("table {table}: expected `{old}` once in its definition")));
            }
            sql = sql.replacen(&old, &new, 1);
        }
        tx.execute("UPDATE sqlite_schema SET sql = ?2 WHERE type = 'table' AND name = ?1", [table, &sql.as_str()])?;
    }
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", "RESET")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SettingsPatch;

    /// A version-2 register with one of everything, written as version 2
    /// knew it.
    fn version_2() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        crate::normalize::register(&conn).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        to_version(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO partners VALUES ('p1', 'country', 'Tajikistan', NULL, NULL, NULL, 't', 't', NULL, NULL);
             INSERT INTO agreements (id, kind, title, calendar, status, created_at, updated_at)
                 VALUES ('a1', 'mou', 'Rehabilitation', 'persian', 'signed', 't', 't');
             INSERT INTO agreement_parties VALUES ('ap1', 'a1', 'p1', 0, 't', 't');
             INSERT INTO clauses (id, agreement_id, position, number, text, deadline_kind, deadline_on, due_on,
                                  status, tags, created_at, updated_at)
                 VALUES ('c1', 'a1', 0, '1', 'Workshops', 'on', '2026-01-01', '2026-01-01', 'in_progress',
                         '[\"training\"]', 't', 't');
             INSERT INTO clauses (id, agreement_id, position, number, text, deadline_kind, status, created_at,
                                  updated_at)
                 VALUES ('c2', 'a1', 1, '2', 'Report', 'none', 'not_started', 't', 't');
             INSERT INTO notes (id, clause_id, on_date, author, text, status_from, status_to, created_at,
                                updated_at, deleted_at, deletion_id) VALUES ('n1', 'c1', '2025-12-01', 'Officer', 'Venue found', NULL, NULL, 't', 't',
                                       NULL, NULL);
             INSERT INTO audit VALUES ('u1', 't', 'Officer', 'clause', 'c1', 'a1', 'create', '{}');",
        )
        .unwrap();
        (dir, path)
    }

    #[test]
    fn versions_3_to_6_keep_every_row_and_every_rule() {
        let (_dir, path) = version_2();
        let store = crate::Store::open(&path).unwrap();
        let conn = store.conn();
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, VERSIONS as i64);
        assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
        let fk_problems: i64 =
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(fk_problems, 0);
        let rows: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM partners) + (SELECT count(*) FROM agreements)
                      + (SELECT count(*) FROM agreement_parties) + (SELECT count(*) FROM clauses)
                      + (SELECT count(*) FROM notes) + (SELECT count(*) FROM audit)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows, 7);
        // Version 4 gave each resolved deadline its day number, as the store
        // computes it, and none to a clause without one.
        let days: Vec<Option<i64>> = conn
            .prepare("SELECT due_day FROM clauses ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let new_year = crate::store::clauses::day_number(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(days, [Some(new_year), None]);
        // The rebuilt index still holds the open clause, and the dashboard's
        // overdue query still finds it through that index.
        let due = store.overdue(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(), None, 10).unwrap();
        assert_eq!(due.len(), 1);
        // Version 14 counted the partner's live agreement.
        let dashboard = store.dashboard(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).unwrap();
        assert_eq!(dashboard.partners.iter().map(|c| c.agreements).collect::<Vec<_>>(), [1]);
        // Version 5 indexed every clause again, the one version 2 only
        // queued included, and took it off the queue; the note and the
        // agreement stay queued for the store's next write.
        let queued = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn.prepare("SELECT kind FROM search_queue ORDER BY kind").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
        };
        assert_eq!(queued(conn), ["agreement", "note"]);
        let found = |q: &str| -> Vec<String> { store.search(q, 10).unwrap().into_iter().map(|h| h.id).collect() };
        assert_eq!(found("workshop"), ["c1"]);
        conn.execute("INSERT INTO clause_fts (clause_fts) VALUES ('integrity-check')", []).unwrap();

        // The rewritten checks refuse what the old ones refused…
        let refused = |sql: &str| {
            let err = conn.execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("CHECK constraint failed"), "{sql}: {err}");
        };
        refused("UPDATE clauses SET status = 'done' WHERE id = 'c1'");
        refused("UPDATE clauses SET deadline_kind = 'soon' WHERE id = 'c1'");
        refused("UPDATE clauses SET tags = 'training' WHERE id = 'c1'");
        refused("UPDATE clauses SET due_day = NULL WHERE id = 'c1'");
        refused("UPDATE clauses SET due_day = 20000 WHERE id = 'c2'");
        refused("UPDATE agreements SET kind = 'treaty' WHERE id = 'a1'");
        refused("UPDATE agreements SET status = 'lost' WHERE id = 'a1'");
        refused("UPDATE notes SET status_to = 'done' WHERE id = 'n1'");
        refused("UPDATE audit SET action = 'erase' WHERE id = 'u1'");
        refused("UPDATE audit SET entity = 'user' WHERE id = 'u1'");
        refused("INSERT INTO search_queue VALUES ('partner', 1, 0)");
        // …and accept every value they accepted.
        for s in CLAUSE_STATUSES {
            conn.execute("UPDATE clauses SET status = ?1 WHERE id = 'c1'", [s]).unwrap();
        }
        // A dangling reference now fails at commit rather than at once, and
        // the whole transaction goes.
        conn.execute_batch("BEGIN").unwrap();
        conn.execute(
            "INSERT INTO notes (id, clause_id, on_date, author, text, status_from, status_to, created_at, updated_at,
                                deleted_at, deletion_id) VALUES ('n2', 'nowhere', '2025-12-02', 'Officer', 'Lost', NULL, NULL, 't', 't', NULL, NULL)",
            [],
        )
        .unwrap();
        let err = conn.execute_batch("COMMIT").unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY constraint failed"), "{err}");
        conn.execute_batch("ROLLBACK").unwrap();
        let notes: i64 = conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0)).unwrap();
        assert_eq!(notes, 1);

        // The store's next write indexes what waited, and every row is
        // found once.
        let mut store = store;
        store.update_settings(SettingsPatch { officer_name: Some("Officer".into()), ..Default::default() }).unwrap();
        assert_eq!(queued(store.conn()), Vec::<String>::new());
        let found = |q: &str| -> Vec<String> { store.search(q, 10).unwrap().into_iter().map(|h| h.id).collect() };
        assert_eq!(found("rehabilitation"), ["a1"]);
        assert_eq!(found("workshop"), ["c1"]);
        assert_eq!(found("venue"), ["n1"]);
    }

    #[test]
    fn an_open_register_at_rest_needs_no_analysis() {
        // PRAGMA optimize (run on every open) with bit 0x01 lists the
        // ANALYZE statements it would run. Before version 3 it listed the
        // always-empty count_queue every time: a write on every open.
        let mut s = crate::Store::open_in_memory().unwrap();
        s.load_demo().unwrap();
        s.conn().execute_batch("ANALYZE").unwrap();
        let pending = |s: &crate::Store| -> Vec<String> {
            let mut stmt = s.conn().prepare("PRAGMA optimize = 0x10013").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
        };
        assert_eq!(pending(&s), Vec::<String>::new());
    }

    #[test]
    fn no_table_or_index_checks_a_list_of_more_than_two() {
        let s = crate::Store::open_in_memory().unwrap();
        let sql = s.schema_sql().unwrap();
        // Trigger bodies may: they run once per write, not once per row.
        for def in sql.split(";\n\n").filter(|d| !d.contains("CREATE TRIGGER")) {
            for list in def.split(" IN (").skip(1) {
                let values = list[..list.find(')').unwrap()].matches("',").count() + 1;
                assert!(values <= 2, "a list of {values} values: {def}");
            }
        }
    }
}
