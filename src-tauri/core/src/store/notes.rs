//! Progress notes: dated text on a clause, which may record a status change.

use rusqlite::{Connection, Row, params};

use super::{Changes, Result, Store, WriteTx, clauses, new_id, resolve_id, strict};
use crate::model::{ClauseStatus, NewNote, Note, ValidationError, optional_short, required_long};

const COLUMNS: &str = "id, clause_id, on_date, author, text, status_from, status_to, created_at";

/// A progress note with the clause it is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    pub note: Note,
    pub clause: crate::model::Clause,
    pub agreement_title: String,
}

/// A note just added, and what it changed in its agreement's table (the
/// clause's latest note; with a status change, the roll-ups above it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteAdded {
    pub note: Note,
    pub change: clauses::ClauseChange,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let status = |i: usize| -> rusqlite::Result<Option<ClauseStatus>> { strict(r, i, "notes", 0) };
    Ok(Note {
        id: r.get(0)?,
        clause_id: r.get(1)?,
        on_date: r.get(2)?,
        author: r.get(3)?,
        text: r.get(4)?,
        status_from: status(5)?,
        status_to: status(6)?,
        created_at: r.get(7)?,
    })
}

fn get(conn: &Connection, id: &str) -> Result<Note> {
    let id = resolve_id(conn, "notes", "note", id)?;
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM notes WHERE id = ?1"), [&id], from_row)?)
}

/// The clauses one write has looked up, by the id the caller gave, with
/// their current status: a batch of notes on the same clauses looks each up
/// once.
#[derive(Default)]
pub(crate) struct Clauses(std::collections::HashMap<String, (String, ClauseStatus)>);

impl Clauses {
    /// Notes a clause this write has just inserted: its notes need not look
    /// it up (an import's remarks were a quarter of its time doing so).
    pub(crate) fn inserted(&mut self, clause: &crate::model::Clause) {
        self.0.insert(clause.id.clone(), (clause.id.clone(), clause.status));
    }
}

/// How a new note is audited.
#[derive(Clone, Copy)]
pub(crate) enum NoteAudit<'a> {
    /// A `create` row of its own (with the clause's status change, if it
    /// records one); `Some` names the import that adds it to a clause the
    /// register already held.
    Own(Option<&'a str>),
    /// By the one `import` row (this id) of the import that creates the note
    /// with its clause: the clause's history begins with that row, which
    /// counts the notes, and the note names it in `import_id`. Three notes
    /// per clause audited one by one were most of a large import's work.
    Import(&'a str),
}

/// Writes a note and, if it records one, the clause's status change.
pub(crate) fn insert(tx: &WriteTx<'_>, new: &NewNote, seen: &mut Clauses, audit: NoteAudit<'_>) -> Result<Note> {
    let import = match audit {
        NoteAudit::Own(import) => import,
        NoteAudit::Import(import) => Some(import),
    };
    let (clause_id, clause_status) = match seen.0.get(&new.clause_id) {
        Some(known) => known.clone(),
        None => {
            let c = clauses::get(tx, &new.clause_id)?;
            seen.0.insert(new.clause_id.clone(), (c.id.clone(), c.status));
            (c.id, c.status)
        }
    };
    let text = required_long("note text", &new.text)?;
    let author = optional_short("author", new.author.as_deref())?.unwrap_or_else(|| tx.actor.clone());
    let status_to = new.status_to.filter(|s| *s != clause_status);
    let status_from = status_to.map(|_| clause_status);
    let id = new_id();
    // OR FAIL, as for clauses: no statement journal for a row the whole
    // write would roll back anyway.
    tx.prepare_cached(&format!(
        "INSERT OR FAIL INTO notes ({COLUMNS}, updated_at, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)"
    ))?
    .execute(params![
        id,
        clause_id,
        new.on_date,
        author,
        text,
        status_from.map(ClauseStatus::as_str),
        status_to.map(ClauseStatus::as_str),
        tx.now,
        import
    ])?;
    let mut c = Changes::default();
    c.field("on_date", None, Some(&new.on_date));
    c.field("author", None, Some(&author));
    if let Some(to) = status_to {
        // Completing a clause also completes its percentage.
        let percent_sql = if to == ClauseStatus::Completed { ", percent = 100" } else { "" };
        tx.prepare_cached(&format!("UPDATE clauses SET status = ?2, updated_at = ?3{percent_sql} WHERE id = ?1"))?
            .execute(params![clause_id, to.as_str(), tx.now])?;
        c.field("status", Some(&clause_status.as_str()), Some(&to.as_str()));
    }
    match audit {
        NoteAudit::Own(_) => tx.audit("note", &id, Some(&clause_id), "create", &c.0)?,
        NoteAudit::Import(_) => {}
    }
    if let Some(to) = status_to {
        seen.0.insert(new.clause_id.clone(), (clause_id.clone(), to));
    }
    Ok(Note { id, clause_id, on_date: new.on_date, author, text, status_from, status_to, created_at: tx.now.clone() })
}

impl Store {
    /// A clause's live notes, oldest first.
    pub fn notes(&self, clause_id: &str) -> Result<Vec<Note>> {
        self.read(|conn| {
            let clause = clauses::get(conn, clause_id)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM notes WHERE clause_id = ?1 AND deleted_at IS NULL ORDER BY on_date, created_at"
            ))?;
            Ok(stmt.query_map([&clause.id], from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Adds a progress note; with `status_to` it also changes the clause's
    /// status, in the same transaction. Returns the note with the rows of
    /// the agreement's table that changed, as seen on `today`.
    pub fn add_note(&mut self, new: NewNote, today: chrono::NaiveDate) -> Result<NoteAdded> {
        if new.on_date > today {
            return Err(ValidationError::NoteInFuture { on_date: new.on_date, today }.into());
        }
        let note = self.write(|tx| insert(tx, &new, &mut Clauses::default(), NoteAudit::Own(None)))?;
        let clause = clauses::get(self.conn(), &note.clause_id)?;
        let change = self.clause_changed(clause, today)?;
        Ok(NoteAdded { note, change })
    }

    /// Progress recorded on or after `since`: each live note with its clause
    /// and the clause's agreement title, oldest first; with `partner`, only
    /// that partner's agreements.
    pub fn notes_since(&self, since: chrono::NaiveDate, partner: Option<&str>, limit: u32) -> Result<Vec<Progress>> {
        self.read(|conn| {
            let partner_id = partner.map(|p| super::partners::get(conn, p)).transpose()?.map(|p| p.id);
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT n.id, n.clause_id, n.on_date, n.author, n.text, n.status_from, n.status_to, n.created_at,
                        {}, a.title
                 FROM notes n JOIN clauses c ON c.id = n.clause_id JOIN agreements a ON a.id = c.agreement_id
                 WHERE n.deleted_at IS NULL AND c.deleted_at IS NULL AND a.deleted_at IS NULL AND n.on_date >= ?1
                   AND (?2 IS NULL OR c.agreement_id IN (SELECT agreement_id FROM agreement_parties WHERE partner_id = ?2))
                 ORDER BY n.on_date, n.created_at LIMIT ?3",
                clauses::COLUMNS
            ))?;
            let rows = stmt.query_map(params![since, partner_id, limit], |r| {
                let note = from_row(r)?;
                let clause = clauses::from_row_at(r, 8)?;
                Ok(Progress { note, clause, agreement_title: r.get(27)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Soft-deletes a note. Returns the deletion id for [`Store::restore`].
    pub fn delete_note(&mut self, id: &str) -> Result<String> {
        self.write(|tx| {
            let note = get(tx, id)?;
            let deletion = new_id();
            tx.execute(
                "UPDATE notes SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2 WHERE id = ?1",
                params![note.id, tx.now, deletion],
            )?;
            let mut c = Changes::default();
            c.field("deletion_id", None, Some(&deletion));
            tx.audit("note", &note.id, Some(&note.clause_id), "delete", &c.0)?;
            Ok(deletion)
        })
    }
}
