//! Imports: many new agreements, each with its clause tree, written as one
//! transaction. This is what an import of a workbook writes (reading the
//! workbook comes with the import issue), and the register's bulk path:
//! one commit for the whole workbook, so a bad row leaves the register as it
//! was, and a large import pays for one commit rather than one per agreement.
//!
//! Each agreement gets its `create` audit row and one `import` row that
//! counts its clauses; every imported clause names that row in `import_id`,
//! so its history begins with it (as with [`Store::create_clauses`]).

use super::clauses::{self, Audit, Positions};
use super::{Store, StoreError, agreements, new_id};
use crate::model::{Agreement, NewAgreement, NewClause};

/// One agreement to import, with its clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportAgreement {
    pub agreement: NewAgreement,
    /// Its top-level clauses, in order, each with its sub-clauses.
    pub clauses: Vec<ImportClause>,
}

/// A clause to import and its sub-clauses, in order. The tree places it:
/// the clause's own `agreement_id` and `parent_id` are not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportClause {
    pub clause: NewClause,
    pub children: Vec<ImportClause>,
}

impl ImportClause {
    /// A clause with no sub-clauses.
    pub fn leaf(clause: NewClause) -> Self {
        ImportClause { clause, children: Vec::new() }
    }
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The new agreements, in the order given.
    pub agreements: Vec<Agreement>,
    pub clauses: usize,
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
    /// Writes new agreements with their clause trees in one transaction: all
    /// or nothing. A failure says which agreement and clause to fix.
    pub fn import(&mut self, agreements: Vec<ImportAgreement>) -> Result<Imported, ImportError> {
        let mut place = Place::default();
        let written = self.write(|tx| {
            let mut out = Imported { agreements: Vec::with_capacity(agreements.len()), clauses: 0 };
            if agreements.is_empty() {
                tx.unchanged();
            }
            // The agreements and their parties first, then every clause:
            // a party row flushes the count queue through the SQL trigger,
            // which sorts it six times, so no clause may be queued before the
            // last party is written. The write's end applies the queue once.
            let mut trees = Vec::with_capacity(agreements.len());
            for (i, a) in agreements.into_iter().enumerate() {
                place.agreement = Some((i + 1, a.agreement.title.clone()));
                out.agreements.push(agreements::insert(tx, &a.agreement)?);
                trees.push((a.agreement.title, a.clauses));
            }
            let mut insert = clauses::insert_statement(tx)?;
            for (i, ((title, tree), agreement)) in trees.into_iter().zip(&out.agreements).enumerate() {
                if tree.is_empty() {
                    continue;
                }
                place.agreement = Some((i + 1, title));
                let import = new_id();
                let mut positions = Positions::default();
                let mut count = 0usize;
                // Depth first, in order; `None` marks the end of a clause's
                // children, to keep the place right.
                let mut stack: Vec<Option<(Option<String>, ImportClause)>> =
                    tree.into_iter().rev().map(|c| Some((None, c))).collect();
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
                    stack.push(None);
                    if !c.children.is_empty() {
                        positions.new_parent(&clause.id);
                        stack.extend(c.children.into_iter().rev().map(|k| Some((Some(clause.id.clone()), k))));
                    }
                }
                place.clause.clear();
                clauses::audit_import(tx, &import, &agreement.id, count)?;
                out.clauses += count;
            }
            place.agreement = None;
            Ok(out)
        });
        written.map_err(|e| place.error(e))
    }
}
