//! Imports: the register's one bulk path. New partners, new agreements
//! with their clause trees, clauses added to existing agreements, and
//! progress notes on the new clauses, all written as one transaction. This is
//! what an import of a workbook writes and what the demo dataset loads
//! through: one commit for the whole file, so a bad row leaves the register
//! as it was, and a large import pays for one commit rather than one per
//! agreement.
//!
//! A new agreement gets its `create` audit row; each agreement that receives
//! clauses gets one `import` row that counts them, and every imported clause
//! names that row in `import_id`, so its history begins with it. The notes of
//! imported clauses are counted by that row too and name it in `import_id`;
//! notes an import adds to clauses the register already held are audited one
//! by one, as when an officer adds them.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::clauses::{self, Audit, Positions};
use super::notes::NoteAudit;
use super::{Changes, Store, StoreError, WriteTx, agreements, new_id, notes, partners};
use crate::model::{
    Agreement, Clause, ClausePatch, ClauseStatus, NewAgreement, NewClause, NewNote, NewPartner, Partner,
};

/// Everything one import writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// New partners; an agreement names them by their index here in
    /// [`ImportAgreement::new_parties`].
    pub partners: Vec<NewPartner>,
    pub agreements: Vec<ImportAgreement>,
}

/// Where an import's clauses go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    /// A new agreement, written first.
    New(NewAgreement),
    /// An agreement already in the register (its id, or a unique start of it).
    Existing(String),
}

/// One agreement to import into, with the clauses it receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportAgreement {
    pub target: ImportTarget,
    /// Partners of this import (indexes into [`Import::partners`]) that are
    /// parties to a new agreement, after those its `parties` name.
    pub new_parties: Vec<usize>,
    /// Its new top-level clauses, in order, each with its sub-clauses.
    pub clauses: Vec<ImportClause>,
    /// Changes to clauses already in the agreement, written before the new
    /// clauses.
    pub updates: Vec<ImportUpdate>,
}

/// A change an import makes to a clause already in the register, with the
/// progress notes it adds to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportUpdate {
    pub clause_id: String,
    pub patch: ClausePatch,
    pub notes: Vec<ImportNote>,
}

impl ImportAgreement {
    /// A new agreement with its clause tree and no new partners.
    pub fn new(agreement: NewAgreement, clauses: Vec<ImportClause>) -> Self {
        ImportAgreement { target: ImportTarget::New(agreement), new_parties: Vec::new(), clauses, updates: Vec::new() }
    }
}

/// A clause to import, its progress notes and its sub-clauses, in order.
/// The tree places it: the clause's own `agreement_id` is not read, nor is
/// its `parent_id`, except on a top-level clause imported into an existing
/// agreement, where it may name a clause already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportClause {
    pub clause: NewClause,
    pub notes: Vec<ImportNote>,
    pub children: Vec<ImportClause>,
}

impl ImportClause {
    /// A clause with no notes and no sub-clauses.
    pub fn leaf(clause: NewClause) -> Self {
        ImportClause { clause, notes: Vec::new(), children: Vec::new() }
    }
}

/// A progress note on an imported clause, written after the clause, in
/// order: one that records a status change moves the clause's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNote {
    pub on_date: NaiveDate,
    /// `None`: the officer named in settings.
    pub author: Option<String>,
    pub text: String,
    pub status_to: Option<ClauseStatus>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The new partners, in the order given.
    pub partners: Vec<Partner>,
    /// The agreements imported into (new or existing), in the order given.
    pub agreements: Vec<Agreement>,
    /// The new clauses, agreement by agreement, each tree depth first.
    pub clauses: Vec<Clause>,
    pub notes: usize,
    /// The import's id in each agreement that received clauses or changes
    /// (see [`Store::undo_import`]), in the order given.
    pub import_ids: Vec<String>,
}

/// What undoing an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportUndone {
    pub agreement_id: String,
    /// Whether the agreement the import created was deleted with it.
    pub agreement_deleted: bool,
    /// Clauses the import created, deleted now.
    pub removed: u32,
    /// Clauses the import changed, back as they were.
    pub restored: u32,
}

/// Why an import failed, and where: nothing of it was written.
#[derive(Debug, thiserror::Error)]
#[error("{}{source}", self.place())]
pub struct ImportError {
    /// The 1-based position of the agreement in the import, when the error
    /// is about one.
    pub agreement: Option<usize>,
    /// That agreement's title, as given.
    pub title: Option<String>,
    /// The number of the clause it is about, with its parents' (`3 › 3.1`).
    pub clause: Option<String>,
    #[source]
    pub source: Box<StoreError>,
}

impl ImportError {
    /// The stable code of the underlying error (see [`StoreError::code`]).
    pub fn code(&self) -> &'static str {
        self.source.code()
    }

    /// "agreement 2 (title), clause 3 › 3.1: ", or nothing.
    fn place(&self) -> String {
        let Some(i) = self.agreement else { return String::new() };
        let mut place = format!("agreement {i} ({})", self.title.as_deref().unwrap_or_default());
        if let Some(clause) = &self.clause {
            place.push_str(&format!(", clause {clause}"));
        }
        place + ": "
    }
}

/// Where an import is while it writes, for its error.
#[derive(Default)]
struct Place {
    agreement: Option<(usize, String)>,
    clause: Vec<String>,
}

impl Place {
    fn error(self, source: StoreError) -> ImportError {
        let (agreement, title) = self.agreement.unzip();
        ImportError {
            agreement,
            title,
            clause: (!self.clause.is_empty()).then(|| self.clause.join(" › ")),
            source: Box::new(source),
        }
    }
}

impl Store {
    /// Writes an import in one transaction: all or nothing. A failure says
    /// which agreement and clause to fix.
    pub fn import(&mut self, import: Import) -> Result<Imported, ImportError> {
        self.import_remembering(import, None)
    }

    /// Writes an import of a sheet, as [`Store::import`] does, and remembers
    /// the sheet's column mapping under its heads in the same transaction.
    pub fn import_sheet(
        &mut self,
        import: Import,
        heads: &str,
        mapping: &[crate::model::FieldColumn],
    ) -> Result<Imported, ImportError> {
        let mapping = serde_json::to_string(mapping).expect("a mapping serialises");
        self.import_remembering(import, Some((heads, &mapping)))
    }

    /// The column mapping last used for a sheet with these heads.
    pub fn remembered_mapping(&self, heads: &str) -> super::Result<Option<Vec<crate::model::FieldColumn>>> {
        let json: Option<String> = self
            .conn()
            .query_row("SELECT mapping FROM import_mappings WHERE heads = ?1", [heads], |r| r.get(0))
            .optional()?;
        // A mapping this version cannot read is forgotten, not an error:
        // the wizard guesses again.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    fn import_remembering(&mut self, import: Import, remember: Option<(&str, &str)>) -> Result<Imported, ImportError> {
        let mut place = Place::default();
        // The register as it is now is backed up beside the import, which does
        // not wait for the copy (see `backup`'s module doc).
        self.backup_beside(crate::vocab::BackupReason::BeforeImport).map_err(|e| Place::default().error(e))?;
        let written = self.write(|tx| {
            let Import { partners: new_partners, agreements: targets } = import;
            let mut out = Imported {
                partners: Vec::with_capacity(new_partners.len()),
                agreements: Vec::with_capacity(targets.len()),
                clauses: Vec::new(),
                notes: 0,
                import_ids: Vec::new(),
            };
            if new_partners.is_empty()
                && targets.iter().all(|a| a.clauses.is_empty() && a.updates.is_empty() && !a.is_new())
            {
                tx.unchanged();
            }
            if let Some((heads, mapping)) = remember {
                tx.execute(
                    "INSERT INTO import_mappings (heads, mapping, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (heads) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                    params![heads, mapping, tx.now],
                )?;
            }
            for p in &new_partners {
                out.partners.push(partners::insert(tx, p)?);
            }
            // The agreements and their parties first, then every clause:
            // a party row flushes the count queue through the SQL trigger,
            // which sorts it six times, so no clause may be queued before the
            // last party is written. The write's end applies the queue once.
            let mut trees = Vec::with_capacity(targets.len());
            for (i, a) in targets.into_iter().enumerate() {
                let is_new = a.is_new();
                let agreement = match a.target {
                    ImportTarget::New(mut new) => {
                        place.agreement = Some((i + 1, new.title.clone()));
                        for &p in &a.new_parties {
                            let partner = out.partners.get(p).ok_or_else(|| StoreError::NotFound {
                                entity: "partner",
                                id: format!("number {} of this import", p + 1),
                            })?;
                            new.parties.push(partner.id.clone());
                        }
                        agreements::insert(tx, &new)?
                    }
                    ImportTarget::Existing(id) => {
                        place.agreement = Some((i + 1, id.clone()));
                        let agreement = agreements::get(tx, &id)?;
                        place.agreement = Some((i + 1, agreement.title.clone()));
                        agreement
                    }
                };
                trees.push((agreement.title.clone(), a.clauses, a.updates, is_new));
                out.agreements.push(agreement);
            }
            let mut insert = clauses::insert_statement(tx)?;
            let mut seen = notes::Clauses::default();
            for (i, ((title, tree, updates, is_new), agreement)) in trees.into_iter().zip(&out.agreements).enumerate() {
                if tree.is_empty() && updates.is_empty() {
                    continue;
                }
                place.agreement = Some((i + 1, title));
                let import = new_id();
                tx.prepare_cached(
                    "INSERT INTO imports (id, agreement_id, new_agreement, at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![import, agreement.id, is_new, tx.now])?;
                out.import_ids.push(import.clone());
                let mut changed = 0usize;
                for u in updates {
                    let (old, new) = clauses::update(tx, &u.clause_id, &u.patch)?;
                    place.clause = vec![new.number.clone()];
                    if old != new {
                        changed += 1;
                        tx.prepare_cached("INSERT INTO import_changes (import_id, clause_id, before) VALUES (?1, ?2, ?3)")?
                            .execute(params![import, old.id, serde_json::to_string(&before(&old)).expect("serialises")])?;
                    }
                    for n in u.notes {
                        let note = NewNote {
                            clause_id: new.id.clone(),
                            on_date: n.on_date,
                            author: n.author,
                            text: n.text,
                            status_to: n.status_to,
                        };
                        if old == new {
                            // The note's clause must be restorable too: a
                            // note's status change is a change of the clause.
                            tx.prepare_cached(
                                "INSERT OR IGNORE INTO import_changes (import_id, clause_id, before) VALUES (?1, ?2, ?3)",
                            )?
                            .execute(params![import, old.id, serde_json::to_string(&before(&old)).expect("serialises")])?;
                        }
                        notes::insert(tx, &note, &mut seen, NoteAudit::Own(Some(&import)))?;
                        out.notes += 1;
                    }
                    place.clause.clear();
                }
                let mut positions = Positions::default();
                let (mut count, mut new_notes) = (0usize, 0usize);
                // Depth first, in order; `None` marks the end of a clause's
                // children, to keep the place right. A top-level clause keeps
                // the parent it names (only an existing clause can be one).
                let mut stack: Vec<Option<(Option<String>, ImportClause)>> = tree
                    .into_iter()
                    .rev()
                    .map(|c| {
                        let parent = c.clause.parent_id.clone();
                        Some((parent, c))
                    })
                    .collect();
                while let Some(entry) = stack.pop() {
                    let Some((parent_id, c)) = entry else {
                        place.clause.pop();
                        continue;
                    };
                    place.clause.push(c.clause.number.clone());
                    let mut new = c.clause;
                    new.agreement_id.clone_from(&agreement.id);
                    new.parent_id = parent_id;
                    let clause =
                        clauses::insert(tx, &mut insert, agreement, &new, &mut positions, Audit::Import(&import))?;
                    count += 1;
                    let clause_id = clause.id.clone();
                    if !c.notes.is_empty() {
                        seen.inserted(&clause);
                    }
                    for n in c.notes {
                        let note = NewNote {
                            clause_id: clause_id.clone(),
                            on_date: n.on_date,
                            author: n.author,
                            text: n.text,
                            status_to: n.status_to,
                        };
                        notes::insert(tx, &note, &mut seen, NoteAudit::Import(&import))?;
                        new_notes += 1;
                    }
                    stack.push(None);
                    if !c.children.is_empty() {
                        positions.new_parent(&clause_id);
                        stack.extend(c.children.into_iter().rev().map(|k| Some((Some(clause_id.clone()), k))));
                    }
                    out.clauses.push(clause);
                }
                place.clause.clear();
                out.notes += new_notes;
                clauses::audit_import(tx, &import, &agreement.id, count, new_notes, changed)?;
            }
            place.agreement = None;
            Ok(out)
        });
        written.map_err(|e| place.error(e))
    }
}

impl ImportAgreement {
    fn is_new(&self) -> bool {
        matches!(self.target, ImportTarget::New(_))
    }
}

/// The fields of a clause an import's change may touch, as they were: what
/// an undo writes back.
fn before(c: &Clause) -> ClausePatch {
    ClausePatch {
        number: Some(c.number.clone()),
        text: Some(c.text.clone()),
        our_lead: Some(c.our_lead.clone()),
        partner_lead: Some(c.partner_lead.clone()),
        deadline: Some(c.deadline),
        status: Some(c.status),
        percent: Some(c.percent),
        indicator: Some(c.indicator.clone()),
        tags: Some(c.tags.clone()),
    }
}

impl Store {
    /// Undoes an import as one step: deletes the clauses it created (and
    /// the agreement, if it created that too) as one deletion that can be
    /// restored, deletes the notes it added, and writes back every clause it
    /// changed. Refused when a clause it touched was changed since, as that
    /// work would be lost.
    pub fn undo_import(&mut self, import_id: &str) -> super::Result<ImportUndone> {
        let import_id = import_id.trim().to_owned();
        self.write(|tx| {
            let row: Option<(String, bool, String)> = tx
                .query_row(
                    "SELECT agreement_id, new_agreement, at FROM imports WHERE id = ?1 AND undone_at IS NULL",
                    [&import_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((agreement_id, new_agreement, at)) = row else {
                return Err(StoreError::NothingToUndo(import_id.clone()));
            };
            changed_since(tx, &import_id, &agreement_id, &at)?;
            let deletion = new_id();
            let removed = tx.execute(
                "UPDATE clauses SET deleted_at = ?3, deletion_id = ?4, updated_at = ?3
                 WHERE agreement_id = ?1 AND import_id = ?2 AND deleted_at IS NULL",
                params![agreement_id, import_id, tx.now, deletion],
            )?;
            tx.execute(
                "UPDATE notes SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2
                 WHERE import_id = ?1 AND deleted_at IS NULL
                   AND clause_id IN (SELECT clause_id FROM import_changes WHERE import_id = ?1)",
                params![import_id, tx.now, deletion],
            )?;
            let befores: Vec<(String, String)> = tx
                .prepare("SELECT clause_id, before FROM import_changes WHERE import_id = ?1")?
                .query_map([&import_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut restored = 0u32;
            for (clause_id, json) in befores {
                let patch: ClausePatch = serde_json::from_str(&json).map_err(|_| StoreError::Damaged {
                    table: "import_changes",
                    id: clause_id.clone(),
                    column: "before".into(),
                    stored: json.clone(),
                })?;
                clauses::update(tx, &clause_id, &patch)?;
                restored += 1;
            }
            if new_agreement {
                tx.execute(
                    "UPDATE agreements SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2 WHERE id = ?1",
                    params![agreement_id, tx.now, deletion],
                )?;
            }
            tx.execute("UPDATE imports SET undone_at = ?2 WHERE id = ?1", params![import_id, tx.now])?;
            let mut c = Changes::default();
            c.field("import", Some(&import_id), None);
            c.field("deletion_id", None, Some(&deletion));
            tx.audit("agreement", &agreement_id, None, "delete", &c.0)?;
            Ok(ImportUndone { agreement_id, agreement_deleted: new_agreement, removed: removed as u32, restored })
        })
    }
}

/// Refuses an undo that would lose work done after the import.
fn changed_since(tx: &WriteTx<'_>, import_id: &str, agreement_id: &str, at: &str) -> super::Result<()> {
    let number: Option<String> = tx
        .query_row(
            "SELECT number FROM clauses
             WHERE agreement_id = ?1 AND deleted_at IS NULL AND updated_at > ?3
               AND (import_id = ?2 OR id IN (SELECT clause_id FROM import_changes WHERE import_id = ?2))
             LIMIT 1",
            params![agreement_id, import_id, at],
            |r| r.get(0),
        )
        .optional()?;
    match number {
        Some(number) => Err(StoreError::ChangedSinceImport { number }),
        None => Ok(()),
    }
}
