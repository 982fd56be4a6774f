//! The audit log: reading a record's history. Rows are written by
//! [`WriteTx::audit`](super::WriteTx) inside each write.
//!
//! A creation row records the new record's short fields; long texts (clause
//! and note text, summaries, indicators, sources) stay in the record itself,
//! and every later change records them old → new in full, so the whole
//! history of every field can be read back without storing each text twice.

use rusqlite::Row;

use super::{Result, Store};
use crate::model::{AuditEntry, FieldChange};

/// The stored form of a change list: `{"field": [old, new], ...}`.
pub(crate) fn encode_changes(changes: &[FieldChange]) -> String {
    // Written directly: this runs once per write, a million times in an import.
    let json = |v: &Option<String>| serde_json::to_string(v).expect("strings serialise");
    let mut out = String::with_capacity(64 * changes.len() + 2);
    out.push('{');
    for (i, c) in changes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = serde_json::to_string(&c.field).expect("strings serialise");
        out.push_str(&format!("{field}:[{},{}]", json(&c.old), json(&c.new)));
    }
    out.push('}');
    out
}

fn decode_changes(json: &str) -> Vec<FieldChange> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str().map(str::to_owned));
    map.into_iter().map(|(field, pair)| FieldChange { old: text(pair.get(0)), new: text(pair.get(1)), field }).collect()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let changes: String = r.get(6)?;
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        changes: decode_changes(&changes),
    })
}

impl Store {
    /// The history of a record, oldest first. For a clause it includes its
    /// notes, and the import that created it if it came in one; for an
    /// agreement, its clauses.
    pub fn history(&self, id: &str) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, at, actor, entity, entity_id, action, changes FROM audit
             WHERE entity_id = ?1 OR scope_id = ?1 OR id = (SELECT import_id FROM clauses WHERE id = ?1)
             ORDER BY at, id",
        )?;
        Ok(stmt.query_map([id.trim()], from_row)?.collect::<rusqlite::Result<_>>()?)
    }

    /// The most recent audit rows, newest first.
    pub fn recent_changes(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, at, actor, entity, entity_id, action, changes FROM audit ORDER BY at DESC, id DESC LIMIT ?1",
        )?;
        Ok(stmt.query_map([limit], from_row)?.collect::<rusqlite::Result<_>>()?)
    }
}
