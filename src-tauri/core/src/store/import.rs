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
//! names that row in `import_id`, so its history begins with it. Notes are
//! audited one by one, as when an officer adds them.

use chrono::NaiveDate;

use super::clauses::{self, Audit, Positions};
use super::{Store, StoreError, agreements, new_id, notes, partners};
use crate::model::{Agreement, Clause, ClauseStatus, NewAgreement, NewClause, NewNote, NewPartner, Partner};

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
}

impl ImportAgreement {
    /// A new agreement with its clause tree and no new partners.
    pub fn new(agreement: NewAgreement, clauses: Vec<ImportClause>) -> Self {
        ImportAgreement { target: ImportTarget::New(agreement), new_parties: Vec::new(), clauses }
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
        let mut place = Place::default();
        let written = self.write(|tx| {
            let Import { partners: new_partners, agreements: targets } = import;
            let mut out = Imported {
                partners: Vec::with_capacity(new_partners.len()),
                agreements: Vec::with_capacity(targets.len()),
                clauses: Vec::new(),
                notes: 0,
            };
            if new_partners.is_empty() && targets.iter().all(|a| a.clauses.is_empty() && !a.is_new()) {
                tx.unchanged();
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
                trees.push((agreement.title.clone(), a.clauses));
                out.agreements.push(agreement);
            }
            let mut insert = clauses::insert_statement(tx)?;
            let mut seen = notes::Clauses::default();
            for (i, ((title, tree), agreement)) in trees.into_iter().zip(&out.agreements).enumerate() {
                if tree.is_empty() {
                    continue;
                }
                place.agreement = Some((i + 1, title));
                let import = new_id();
                let mut positions = Positions::default();
                let mut count = 0usize;
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
                    for n in c.notes {
                        let note = NewNote {
                            clause_id: clause_id.clone(),
                            on_date: n.on_date,
                            author: n.author,
                            text: n.text,
                            status_to: n.status_to,
                        };
                        notes::insert(tx, &note, &mut seen)?;
                        out.notes += 1;
                    }
                    stack.push(None);
                    if !c.children.is_empty() {
                        positions.new_parent(&clause_id);
                        stack.extend(c.children.into_iter().rev().map(|k| Some((Some(clause_id.clone()), k))));
                    }
                    out.clauses.push(clause);
                }
                place.clause.clear();
                clauses::audit_import(tx, &import, &agreement.id, count)?;
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
