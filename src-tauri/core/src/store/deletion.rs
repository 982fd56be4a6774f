//! Undoing deletions. Every delete stamps the rows it hides with one
//! deletion id; restoring that id brings exactly those rows back.

use rusqlite::{OptionalExtension, params};

use super::{Changes, Result, Store, StoreError};

impl Store {
    /// Restores everything one deletion hid. Returns what kind of record
    /// came back: `partner`, `agreement`, `clause`, `note` or
    /// `attachment`.
    pub fn restore(&mut self, deletion_id: &str) -> Result<&'static str> {
        let deletion_id = deletion_id.trim().to_owned();
        self.write(|tx| {
            let mut c = Changes::default();
            c.field("deletion_id", Some(&deletion_id), None);
            for (table, entity) in
                [("partners", "partner"), ("agreements", "agreement"), ("notes", "note"), ("attachments", "attachment")]
            {
                let id: Option<String> = tx
                    .query_row(&format!("SELECT id FROM {table} WHERE deletion_id = ?1"), [&deletion_id], |r| r.get(0))
                    .optional()?;
                if let Some(id) = id {
                    tx.execute(
                        &format!("UPDATE {table} SET deleted_at = NULL, deletion_id = NULL, updated_at = ?2 WHERE deletion_id = ?1"),
                        params![deletion_id, tx.now],
                    )?;
                    let scope: Option<String> = match entity {
                        "note" => tx.query_row("SELECT clause_id FROM notes WHERE id = ?1", [&id], |r| r.get(0))?,
                        "attachment" => {
                            tx.query_row("SELECT owner_id FROM attachments WHERE id = ?1", [&id], |r| r.get(0))?
                        }
                        _ => None,
                    };
                    tx.audit(entity, &id, scope.as_deref(), "restore", &c.0)?;
                    return Ok(entity);
                }
            }
            // Clauses: the first row of the batch is the one the officer deleted.
            let top: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT id, agreement_id, number FROM clauses c WHERE deletion_id = ?1
                       AND NOT EXISTS (SELECT 1 FROM clauses p WHERE p.id = c.parent_id AND p.deletion_id = ?1)",
                    [&deletion_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((id, agreement_id, number)) = top else {
                return Err(StoreError::NothingToRestore(deletion_id.clone()));
            };
            let parent_deleted: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM clauses c JOIN clauses p ON p.id = c.parent_id
                                WHERE c.id = ?1 AND p.deleted_at IS NOT NULL)",
                [&id],
                |r| r.get(0),
            )?;
            if parent_deleted {
                return Err(StoreError::ParentDeleted { number });
            }
            tx.execute(
                "UPDATE clauses SET deleted_at = NULL, deletion_id = NULL, updated_at = ?2 WHERE deletion_id = ?1",
                params![deletion_id, tx.now],
            )
            .map_err(|e| {
                if e.to_string().contains("clauses_unique_number") {
                    StoreError::DuplicateNumber { number: number.clone(), scope: "by a clause added since the deletion".into() }
                } else {
                    e.into()
                }
            })?;
            tx.audit("clause", &id, Some(&agreement_id), "restore", &c.0)?;
            Ok("clause")
        })
    }
}
