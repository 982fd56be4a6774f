//! The audit log: reading a record's history. Rows are written by
//! [`WriteTx::audit`](super::WriteTx) inside each write.
//!
//! A creation row records the new record's short fields; long texts (clause
//! and note text, summaries, indicators, sources) stay in the record itself,
//! and every later change records them old → new in full, so the whole
//! history of every field can be read back without storing each text twice.

use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};

use super::{Result, Store, strict};
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

/// A stored change list, read strictly: anything but `{"field": [old, new],
/// ...}` of strings or nulls is a damaged row (see [`super::strict`]).
struct Changes(Vec<FieldChange>);

impl FromSql for Changes {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        let damaged = || FromSqlError::Other(text.into());
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).map_err(|_| damaged())?;
        let side = |v: &serde_json::Value| match v {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) => Ok(Some(s.clone())),
            _ => Err(damaged()),
        };
        map.into_iter()
            .map(|(field, pair)| match pair.as_array().map(Vec::as_slice) {
                Some([old, new]) => Ok(FieldChange { old: side(old)?, new: side(new)?, field }),
                _ => Err(damaged()),
            })
            .collect::<FromSqlResult<_>>()
            .map(Changes)
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let Changes(changes) = strict(r, 6, "audit", 0)?;
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        changes,
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
