//! What an export reads beyond an agreement's clause table: each clause's
//! latest progress note in full, and how many times each clause's due date
//! was revised (a calendar event's `SEQUENCE`), counted from the audit log.

use std::collections::HashMap;

use super::{Result, Store, agreements};
use crate::deadline::Deadline;

/// A point in the audit log's order: its time, then its UUIDv7 id, which
/// orders rows written within the same millisecond.
type Moment = (String, String);

impl Store {
    /// The full text of each live clause's latest progress note, by clause
    /// id, for the agreement `agreement_id`. Clauses without notes are
    /// absent. ([`Store::clause_rows`] carries only the start of a note
    /// longer than [`NOTE_BRIEF_CHARS`](super::clauses::NOTE_BRIEF_CHARS)
    /// characters.)
    pub fn latest_note_texts(&self, agreement_id: &str) -> Result<HashMap<String, String>> {
        self.read(|conn| {
            let agreement = agreements::get(conn, agreement_id)?;
            let mut stmt = conn.prepare_cached(
                "SELECT c.id, n.text FROM clauses c
                 JOIN notes n ON n.id = (
                     SELECT id FROM notes WHERE clause_id = c.id AND deleted_at IS NULL
                     ORDER BY on_date DESC, created_at DESC LIMIT 1)
                 WHERE c.agreement_id = ?1 AND c.deleted_at IS NULL",
            )?;
            let rows = stmt.query_map([&agreement.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// How many times the due date of each live clause of an agreement was
    /// revised, by clause id: the changes of its own deadline after it was
    /// created, plus each later change of the agreement's signing date or
    /// calendar made while the clause's deadline was relative to the
    /// signing. The count only grows as the register changes, so a calendar
    /// event can carry it as its `SEQUENCE`. Clauses never revised are absent.
    pub fn deadline_revisions(&self, agreement_id: &str) -> Result<HashMap<String, u32>> {
        self.read(|conn| {
            let agreement = agreements::get(conn, agreement_id)?;
            // Each clause's creation, and whether its deadline is relative now.
            let clauses: Vec<(String, Moment, bool)> = {
                let mut stmt = conn.prepare_cached(
                    "SELECT id, created_at, deadline_kind = 'after_signing' FROM clauses
                     WHERE agreement_id = ?1 AND deleted_at IS NULL",
                )?;
                stmt.query_map([&agreement.id], |r| {
                    let id: String = r.get(0)?;
                    Ok((id.clone(), (r.get(1)?, id), r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?
            };
            // Every change of a clause's deadline, oldest first, with the
            // deadline it replaced (as `Deadline`'s text).
            let mut changes: HashMap<String, Vec<(Moment, Option<String>)>> = HashMap::new();
            {
                let mut stmt = conn.prepare_cached(
                    "SELECT entity_id, at, id, json_extract(changes, '$.deadline[0]') FROM audit
                     WHERE scope_id = ?1 AND entity = 'clause' AND action = 'update'
                       AND json_type(changes, '$.deadline') IS NOT NULL
                     ORDER BY at, id",
                )?;
                let rows = stmt.query_map([&agreement.id], |r| {
                    Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?), r.get::<_, Option<String>>(3)?))
                })?;
                for row in rows {
                    let (clause, at, old) = row?;
                    changes.entry(clause).or_default().push((at, old));
                }
            }
            // Every change of the agreement's signing date or calendar.
            let moved: Vec<Moment> = {
                let mut stmt = conn.prepare_cached(
                    "SELECT at, id FROM audit
                     WHERE entity_id = ?1 AND entity = 'agreement' AND action = 'update'
                       AND (json_type(changes, '$.signed_on') IS NOT NULL
                            OR json_type(changes, '$.calendar') IS NOT NULL)
                     ORDER BY at, id",
                )?;
                stmt.query_map([&agreement.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
            };
            let relative = |text: &str| matches!(Deadline::parse(text), Ok(Deadline::AfterSigning { .. }));
            let mut out = HashMap::new();
            for (id, created, relative_now) in clauses {
                let own = changes.remove(&id).unwrap_or_default();
                let mut count = own.iter().filter(|(at, _)| *at > created).count();
                for at in moved.iter().filter(|at| **at > created) {
                    // The deadline the clause had then: the one the next
                    // change of its own replaced, or else the one it has now.
                    let was_relative = match own.iter().find(|(own_at, _)| own_at > at) {
                        Some((_, old)) => old.as_deref().is_some_and(relative),
                        None => relative_now,
                    };
                    count += usize::from(was_relative);
                }
                if count > 0 {
                    out.insert(id, u32::try_from(count).unwrap_or(u32::MAX));
                }
            }
            Ok(out)
        })
    }
}
