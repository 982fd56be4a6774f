//! Clauses: the tree of articles, sub-clauses and actions of an agreement,
//! with both sides' lead bodies, deadlines and status.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::{Changes, Result, Store, StoreError, Tags, WriteTx, agreements, new_id, resolve_id, strict};
use crate::calendar::format_gregorian;
use crate::deadline::Deadline;
use crate::model::{
    Agreement, Clause, ClauseMove, ClausePatch, ClauseStatus, DueState, FieldChange, NewClause, StatusCounts,
    check_deadline, check_deadline_after_signing, check_percent, check_tags, optional_long, optional_short,
    required_long, required_short,
};

pub(crate) const COLUMNS: &str = "c.id, c.agreement_id, c.parent_id, c.position, c.number, c.text, c.our_lead, \
    c.partner_lead, c.deadline_kind, c.deadline_on, c.deadline_amount, c.deadline_unit, c.due_on, c.status, c.percent, \
    c.indicator, c.tags, c.created_at, c.updated_at";

pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Clause> {
    from_row_at(r, 0)
}

/// Reads a clause from [`COLUMNS`] starting at column `at` of the row.
pub(crate) fn from_row_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Clause> {
    let deadline = match strict(r, at + 8, "clauses", at)? {
        DeadlineKind::None => Deadline::None,
        DeadlineKind::On => Deadline::On { date: r.get(at + 9)? },
        DeadlineKind::AfterSigning => {
            Deadline::AfterSigning { amount: r.get(at + 10)?, unit: strict(r, at + 11, "clauses", at)? }
        }
    };
    let Tags(tags) = strict(r, at + 16, "clauses", at)?;
    Ok(Clause {
        id: r.get(at)?,
        agreement_id: r.get(at + 1)?,
        parent_id: r.get(at + 2)?,
        position: r.get(at + 3)?,
        number: r.get(at + 4)?,
        text: r.get(at + 5)?,
        our_lead: r.get(at + 6)?,
        partner_lead: r.get(at + 7)?,
        deadline,
        due_on: r.get(at + 12)?,
        status: strict(r, at + 13, "clauses", at)?,
        percent: r.get(at + 14)?,
        indicator: r.get(at + 15)?,
        tags,
        created_at: r.get(at + 17)?,
        updated_at: r.get(at + 18)?,
    })
}

/// `clauses.deadline_kind`: which of the deadline columns hold the deadline.
enum DeadlineKind {
    None,
    On,
    AfterSigning,
}

impl rusqlite::types::FromSql for DeadlineKind {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match value.as_str()? {
            "none" => Ok(DeadlineKind::None),
            "on" => Ok(DeadlineKind::On),
            "after_signing" => Ok(DeadlineKind::AfterSigning),
            other => Err(rusqlite::types::FromSqlError::Other(other.into())),
        }
    }
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Clause> {
    let id = resolve_id(conn, "clauses", "clause", id)?;
    // A clause of a deleted agreement is out of sight with it.
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM clauses c JOIN agreements a ON a.id = c.agreement_id
         WHERE c.id = ?1 AND a.deleted_at IS NULL"
    ))?
    .query_row([&id], from_row)
    .optional()?
    .ok_or(StoreError::NotFound { entity: "clause", id })
}

/// A clause by its full id, deleted or not (a meeting's agenda keeps
/// naming a clause deleted since).
pub(crate) fn get_any(conn: &Connection, id: &str) -> Result<Clause> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM clauses c WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound { entity: "clause", id: id.to_owned() })
}

fn deadline_columns(d: &Deadline) -> (&'static str, Option<chrono::NaiveDate>, Option<u32>, Option<&'static str>) {
    match *d {
        Deadline::None => ("none", None, None, None),
        Deadline::On { date } => ("on", Some(date), None, None),
        Deadline::AfterSigning { amount, unit } => ("after_signing", None, Some(amount), Some(unit.as_str())),
    }
}

/// A date as the column `due_day` holds it: days since 1970-01-01, as
/// SQLite's `unixepoch(date) / 86400` (see `migrations/004_due_day.sql`).
pub(crate) fn day_number(date: chrono::NaiveDate) -> i64 {
    (date - chrono::DateTime::UNIX_EPOCH.date_naive()).num_days()
}

/// Where a clause number must be unique, in words.
fn scope_words(conn: &Connection, parent_id: Option<&str>) -> String {
    match parent_id {
        Some(p) => {
            let number: Option<String> =
                conn.query_row("SELECT number FROM clauses WHERE id = ?1", [p], |r| r.get(0)).optional().ok().flatten();
            format!("under clause {}", number.unwrap_or_else(|| p.to_owned()))
        }
        None => "at the top level of this agreement".to_owned(),
    }
}

/// Turns the unique-number index's complaint into a clear error.
fn map_duplicate(conn: &Connection, e: rusqlite::Error, number: &str, parent_id: Option<&str>) -> StoreError {
    if e.to_string().contains("clauses_unique_number") {
        StoreError::DuplicateNumber { number: number.to_owned(), scope: scope_words(conn, parent_id) }
    } else {
        e.into()
    }
}

/// Checks a new parent: live, in the same agreement, and not `clause` itself
/// or below it.
fn check_parent(conn: &Connection, agreement_id: &str, clause: Option<(&str, &str)>, parent: &str) -> Result<String> {
    let parent = get(conn, parent)?;
    if parent.agreement_id != agreement_id {
        return Err(StoreError::ParentInOtherAgreement);
    }
    if let Some((id, number)) = clause {
        let below_itself: bool = conn.query_row(
            "WITH RECURSIVE up (id, parent_id) AS (
                 SELECT id, parent_id FROM clauses WHERE id = ?1
                 UNION ALL SELECT c.id, c.parent_id FROM clauses c JOIN up ON c.id = up.parent_id)
             SELECT EXISTS (SELECT 1 FROM up WHERE id = ?2)",
            params![parent.id, id],
            |r| r.get(0),
        )?;
        if below_itself {
            return Err(StoreError::Cycle { number: number.to_owned(), parent: parent.number });
        }
    }
    Ok(parent.id)
}

/// What one write has learnt about an agreement's tree: the next free
/// sibling position per parent, and which parents it has checked. A batch
/// of a thousand clauses asks the database once per parent, not per clause.
#[derive(Default)]
pub(crate) struct Positions {
    next: std::collections::HashMap<Option<String>, i32>,
    parents: std::collections::HashSet<String>,
}

impl Positions {
    fn checked_parent(&mut self, conn: &Connection, agreement_id: &str, parent: &str) -> Result<String> {
        if self.parents.contains(parent) {
            return Ok(parent.to_owned());
        }
        let id = check_parent(conn, agreement_id, None, parent)?;
        self.parents.insert(id.clone());
        Ok(id)
    }

    /// Records a clause this write has just created in the agreement as a
    /// checked parent (live, same agreement, no cycle possible yet) that has
    /// no children so far.
    pub(crate) fn new_parent(&mut self, id: &str) {
        self.parents.insert(id.to_owned());
        self.next.insert(Some(id.to_owned()), 0);
    }

    fn next(&mut self, conn: &Connection, agreement_id: &str, parent_id: Option<&str>) -> Result<i32> {
        let key = parent_id.map(str::to_owned);
        if let Some(p) = self.next.get_mut(&key) {
            *p += 1;
            return Ok(*p);
        }
        let next: i32 = conn
            .prepare_cached(
                "SELECT coalesce(max(position), 0) + 1 FROM clauses
                 WHERE agreement_id = ?1 AND coalesce(parent_id, '') = coalesce(?2, '') AND deleted_at IS NULL",
            )?
            .query_row(params![agreement_id, parent_id], |r| r.get(0))?;
        self.next.insert(key, next);
        Ok(next)
    }
}

/// How a new clause's creation is audited.
#[derive(Clone, Copy)]
pub(crate) enum Audit<'a> {
    /// A `create` row of its own, with its short fields.
    Own,
    /// By the one `import` row (this id) of the write that creates it with
    /// others; the clause names that row in `import_id`, so its history
    /// still begins with it.
    Import(&'a str),
}

/// Writes the one `import` audit row (id `import`) that the `count` clauses
/// created with [`Audit::Import`] name, and the `notes` written with them;
/// `changed` counts the clauses it changed (each also has its own `update`
/// row).
pub(crate) fn audit_import(
    tx: &WriteTx<'_>,
    import: &str,
    agreement_id: &str,
    count: usize,
    notes: usize,
    changed: usize,
) -> Result<()> {
    let mut changes = vec![FieldChange { field: "clauses".into(), old: None, new: Some(count.to_string()) }];
    if notes > 0 {
        changes.push(FieldChange { field: "notes".into(), old: None, new: Some(notes.to_string()) });
    }
    if changed > 0 {
        changes.push(FieldChange { field: "changed".into(), old: None, new: Some(changed.to_string()) });
    }
    tx.audit_as(import, "agreement", agreement_id, None, "import", &changes)
}

/// Checks and writes a change to one clause's fields, with its `update`
/// audit row; a change that changes nothing writes nothing. Returns the
/// clause before and after.
pub(crate) fn update(tx: &WriteTx<'_>, id: &str, patch: &ClausePatch) -> Result<(Clause, Clause)> {
    update_noting(tx, id, patch, None)
}

/// [`update`], with `source` (where the change came from: a meeting) added
/// to the audit row when the patch changes anything.
pub(crate) fn update_noting(
    tx: &WriteTx<'_>,
    id: &str,
    patch: &ClausePatch,
    source: Option<&FieldChange>,
) -> Result<(Clause, Clause)> {
    let old = get(tx, id)?;
    let agreement = agreements::get(tx, &old.agreement_id)?;
    let opt = |field, new: &Option<Option<String>>, old: &Option<String>, long: bool| -> Result<Option<String>> {
        match new {
            Some(v) if long => Ok(optional_long(field, v.as_deref())?),
            Some(v) => Ok(optional_short(field, v.as_deref())?),
            None => Ok(old.clone()),
        }
    };
    let number = match &patch.number {
        Some(n) => required_short("clause number", n)?,
        None => old.number.clone(),
    };
    let text = match &patch.text {
        Some(t) => required_long("clause text", t)?,
        None => old.text.clone(),
    };
    let our_lead = opt("our lead body", &patch.our_lead, &old.our_lead, false)?;
    let partner_lead = opt("partner lead body", &patch.partner_lead, &old.partner_lead, false)?;
    let indicator = opt("indicator", &patch.indicator, &old.indicator, true)?;
    let tags = match &patch.tags {
        Some(t) => check_tags(t)?,
        None => old.tags.clone(),
    };
    let deadline = patch.deadline.unwrap_or(old.deadline);
    check_deadline(&deadline)?;
    if patch.deadline.is_some() {
        check_deadline_after_signing(&deadline, agreement.signed_on)?;
    }
    let status = patch.status.unwrap_or(old.status);
    // Completing a clause completes its percentage (as a note that
    // completes it does), unless the same change sets a percentage.
    let completing = status == ClauseStatus::Completed && old.status != ClauseStatus::Completed;
    let percent = match patch.percent {
        Some(p) => p,
        None if completing => Some(100),
        None => old.percent,
    };
    check_percent(percent)?;
    let due_on = deadline.resolve(agreement.signed_on, agreement.calendar);

    let mut c = Changes::default();
    c.field("number", Some(&old.number), Some(&number));
    c.field("text", Some(&old.text), Some(&text));
    c.field("our_lead", old.our_lead.as_ref(), our_lead.as_ref());
    c.field("partner_lead", old.partner_lead.as_ref(), partner_lead.as_ref());
    c.field("deadline", Some(&old.deadline), Some(&deadline));
    c.field("status", Some(&old.status.as_str()), Some(&status.as_str()));
    c.field("percent", old.percent.as_ref(), percent.as_ref());
    c.field("indicator", old.indicator.as_ref(), indicator.as_ref());
    c.field("tags", Some(&old.tags.join(", ")), Some(&tags.join(", ")));
    if c.0.is_empty() {
        tx.unchanged();
        return Ok((old.clone(), old));
    }
    let (kind, on, amount, unit) = deadline_columns(&deadline);
    // The search index's columns are set only when one of them changes: the
    // trigger that queues a clause for indexing fires on the columns an
    // UPDATE names, changed or not, and indexing again is most of the cost of
    // a status or percent change (500 of them when a meeting is applied).
    let searched_same = number == old.number
        && text == old.text
        && our_lead == old.our_lead
        && partner_lead == old.partner_lead
        && indicator == old.indicator;
    let sql = if searched_same {
        "UPDATE clauses SET deadline_kind = ?6,
                deadline_on = ?7, deadline_amount = ?8, deadline_unit = ?9, due_on = ?10, status = ?11,
                percent = ?12, tags = ?14, updated_at = ?15, due_day = ?16
             WHERE id = ?1"
    } else {
        "UPDATE clauses SET number = ?2, text = ?3, our_lead = ?4, partner_lead = ?5, deadline_kind = ?6,
                deadline_on = ?7, deadline_amount = ?8, deadline_unit = ?9, due_on = ?10, status = ?11,
                percent = ?12, indicator = ?13, tags = ?14, updated_at = ?15, due_day = ?16
             WHERE id = ?1"
    };
    // Both take the same numbered parameters; the first leaves ?2–?5 and ?13
    // unused.
    tx.prepare_cached(sql)?
        .execute(params![
            old.id,
            number,
            text,
            our_lead,
            partner_lead,
            kind,
            on,
            amount,
            unit,
            due_on,
            status.as_str(),
            percent,
            indicator,
            serde_json::to_string(&tags).expect("strings serialise"),
            tx.now,
            due_on.map(day_number)
        ])
        .map_err(|e| map_duplicate(tx, e, &number, old.parent_id.as_deref()))?;
    c.0.extend(source.cloned());
    tx.audit("clause", &old.id, Some(&old.agreement_id), "update", &c.0)?;
    let new = get(tx, &old.id)?;
    Ok((old, new))
}

/// The statement [`insert`] writes a clause with; prepared once for a batch.
pub(crate) fn insert_statement<'c>(conn: &'c Connection) -> Result<rusqlite::CachedStatement<'c>> {
    // OR FAIL: a broken rule stops the statement without undoing it alone, so
    // SQLite keeps no statement journal for it; the failed write is rolled
    // back whole anyway (see migrations/003_cheaper_inserts.sql).
    Ok(conn.prepare_cached(
        "INSERT OR FAIL INTO clauses (id, agreement_id, parent_id, position, number, text, our_lead, partner_lead,
             deadline_kind, deadline_on, deadline_amount, deadline_unit, due_on, status, percent, indicator, tags,
             created_at, updated_at, import_id, due_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?19, ?20)",
    )?)
}

/// Checks and writes one new clause of `agreement` (already loaded), with the
/// statement from [`insert_statement`].
pub(crate) fn insert(
    tx: &WriteTx<'_>,
    insert_stmt: &mut rusqlite::CachedStatement<'_>,
    agreement: &Agreement,
    new: &NewClause,
    positions: &mut Positions,
    audit: Audit<'_>,
) -> Result<Clause> {
    let number = required_short("clause number", &new.number)?;
    let text = required_long("clause text", &new.text)?;
    let our_lead = optional_short("our lead body", new.our_lead.as_deref())?;
    let partner_lead = optional_short("partner lead body", new.partner_lead.as_deref())?;
    let indicator = optional_long("indicator", new.indicator.as_deref())?;
    let tags = check_tags(&new.tags)?;
    check_percent(new.percent)?;
    check_deadline(&new.deadline)?;
    check_deadline_after_signing(&new.deadline, agreement.signed_on)?;
    let parent_id = new.parent_id.as_deref().map(|p| positions.checked_parent(tx, &agreement.id, p)).transpose()?;
    let position = positions.next(tx, &agreement.id, parent_id.as_deref())?;
    let due_on = new.deadline.resolve(agreement.signed_on, agreement.calendar);
    let (kind, on, amount, unit) = deadline_columns(&new.deadline);
    let id = new_id();
    let tags_json = serde_json::to_string(&tags).expect("strings serialise");
    insert_stmt
        .execute(params![
            id,
            agreement.id,
            parent_id,
            position,
            number,
            text,
            our_lead,
            partner_lead,
            kind,
            on.map(format_gregorian),
            amount,
            unit,
            due_on.map(format_gregorian),
            new.status.as_str(),
            new.percent,
            indicator,
            tags_json,
            tx.now,
            match audit {
                Audit::Own => None,
                Audit::Import(row) => Some(row),
            },
            due_on.map(day_number)
        ])
        .map_err(|e| map_duplicate(tx, e, &number, parent_id.as_deref()))?;
    if let Audit::Own = audit {
        let mut c = Changes::default();
        c.field("number", None, Some(&number));
        c.field("parent_id", None, parent_id.as_ref());
        c.field("our_lead", None, our_lead.as_ref());
        c.field("partner_lead", None, partner_lead.as_ref());
        c.field("deadline", None, Some(&new.deadline).filter(|d| **d != Deadline::None));
        c.field("status", None, Some(&new.status.as_str()));
        c.field("percent", None, new.percent.as_ref());
        c.field("tags", None, Some(&tags.join(", ")).filter(|t| !t.is_empty()));
        tx.audit("clause", &id, Some(&agreement.id), "create", &c.0)?;
    }
    Ok(Clause {
        id,
        agreement_id: agreement.id.clone(),
        parent_id,
        position,
        number,
        text,
        our_lead,
        partner_lead,
        deadline: new.deadline,
        due_on,
        status: new.status,
        percent: new.percent,
        indicator,
        tags,
        created_at: tx.now.clone(),
        updated_at: tx.now.clone(),
    })
}

/// The last progress note of a clause, for tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteBrief {
    pub on_date: chrono::NaiveDate,
    pub author: String,
    /// The note; when it is longer than [`NOTE_BRIEF_CHARS`] characters,
    /// its start up to the last word that fits, then "…".
    pub text: String,
}

/// How much of a clause's latest note a table or a report shows.
pub const NOTE_BRIEF_CHARS: usize = 500;

impl NoteBrief {
    /// Whether the note goes on past this brief, so that whoever needs it
    /// whole must read it ([`Store::latest_note_texts`]). A note that itself
    /// ends in "…" counts too: that only costs the read.
    pub fn is_cut(&self) -> bool {
        self.text.ends_with('…')
    }
}

/// The brief of a note, from its text's first `NOTE_BRIEF_CHARS + 1`
/// characters (so that it knows whether the note goes on): text of up to
/// [`NOTE_BRIEF_CHARS`] characters kept as it is; longer text
/// cut there and ended with "…". A word the cut would split is left out,
/// unless it is a long run without spaces (a link, a hash, a script written
/// without them), which is cut where the limit falls, or before it when the
/// limit falls inside one character as a reader sees it (a letter and its
/// marks, an emoji of several code points).
fn brief(mut text: String) -> String {
    use unicode_segmentation::GraphemeCursor;
    /// How far back, in bytes, the cut looks for the space before a word.
    const WORD_BYTES: usize = 60;
    let Some((at, next)) = text.char_indices().nth(NOTE_BRIEF_CHARS) else { return text };
    let end = if next.is_whitespace() {
        at
    } else if let Some(space) = text[..at].rfind(char::is_whitespace).filter(|&space| at - space <= WORD_BYTES) {
        space
    } else {
        // The whole text read is given, so the cursor needs no more context.
        let mut cursor = GraphemeCursor::new(at, text.len(), true);
        match cursor.is_boundary(&text, 0) {
            Ok(true) => at,
            _ => cursor.prev_boundary(&text, 0).ok().flatten().unwrap_or(0),
        }
    };
    text.truncate(end);
    text.truncate(text.trim_end().len());
    text.push('…');
    text
}

#[cfg(test)]
mod tests {
    use super::{NOTE_BRIEF_CHARS, brief};

    #[test]
    fn a_long_note_is_cut_between_words() {
        let n = NOTE_BRIEF_CHARS;
        // (text, its brief)
        let cases: Vec<(String, String)> = vec![
            ("short".into(), "short".into()),
            ("a".repeat(n), "a".repeat(n)),
            // The limit falls on a space: every word kept.
            (format!("{} tail", "a".repeat(n)), format!("{}…", "a".repeat(n))),
            // The limit falls inside "words": it is left out.
            (format!("{} words", "a".repeat(n - 3)), format!("{}…", "a".repeat(n - 3))),
            (format!("{} واژه‌ها", "ب".repeat(n - 3)), format!("{}…", "ب".repeat(n - 3))),
            // A run with no space near the limit is cut where it falls.
            ("x".repeat(n + 1), format!("{}…", "x".repeat(n))),
            (format!("a {}", "x".repeat(n)), format!("a {}…", "x".repeat(n - 2))),
            // …but never inside a letter with its mark, or inside an emoji
            // sequence: the whole of it is left out.
            (format!("{}e\u{301}x", "x".repeat(n - 1)), format!("{}…", "x".repeat(n - 1))),
            (format!("{}\u{1F469}\u{200D}\u{1F4BB}", "x".repeat(n - 2)), format!("{}…", "x".repeat(n - 2))),
            // A run of marks with nothing to cut between is left out whole.
            (format!("e{}", "\u{301}".repeat(n)), "…".into()),
        ];
        for (text, expected) in cases {
            // The store reads one character past the limit.
            let read: String = text.chars().take(n + 1).collect();
            let start: String = text.chars().take(20).collect();
            assert_eq!(brief(read), expected, "{start}…");
        }
    }
}

/// What a parent clause shows of its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rollup {
    /// Direct children.
    pub children: u32,
    /// Direct children per status.
    pub counts: StatusCounts,
    /// Average progress of the children (a completed child counts 100, a
    /// cancelled one not at all), each child weighted by its own roll-up.
    pub percent: Option<u8>,
}

/// A clause as an agreement's table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClauseRow {
    pub clause: Clause,
    /// 0 for top-level clauses.
    pub depth: u32,
    pub latest_note: Option<NoteBrief>,
    /// Present for clauses that have children.
    pub rollup: Option<Rollup>,
    /// Where the clause stands against its deadline on the day asked for.
    pub due: DueState,
    /// Which of the one-step moves ([`ClauseMove`]) would change its place.
    pub moves: Moves,
}

/// The one-step moves a clause can make, from its place in the tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Moves {
    pub up: bool,
    pub down: bool,
    pub indent: bool,
    pub outdent: bool,
}

/// What a change did to an agreement's clause table, so that a front end
/// can update the table it shows instead of reading it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClauseChange {
    /// The clause as it is now.
    pub clause: Clause,
    /// Every row the change altered, as [`Store::clause_rows`] shows it now:
    /// the clause and its ancestors (their roll-ups); after a creation or a
    /// move also its siblings (their places and moves), and after a move its
    /// sub-clauses (their depth) and its former parent's line and siblings.
    pub rows: Vec<ClauseRow>,
    /// After a creation or a move, the agreement's clause ids in tree order;
    /// `None` when the order did not change.
    pub order: Option<Vec<String>>,
}

/// A clause's own progress: completed is 100, otherwise its percent.
fn own_percent(c: &Clause) -> Option<f64> {
    match c.status {
        ClauseStatus::Cancelled => None,
        ClauseStatus::Completed => Some(100.0),
        ClauseStatus::NotStarted => Some(f64::from(c.percent.unwrap_or(0))),
        _ => Some(f64::from(c.percent.unwrap_or(0))),
    }
}

/// Orders clauses depth-first and computes parents' roll-ups.
fn build_tree(mut rows: Vec<ClauseRow>) -> Vec<ClauseRow> {
    use std::collections::HashMap;
    // Children by parent, in position order (rows arrive sorted by position).
    let index: HashMap<String, usize> = rows.iter().enumerate().map(|(i, r)| (r.clause.id.clone(), i)).collect();
    let mut children: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        // A clause whose parent is not live is shown at the top level.
        let parent = r.clause.parent_id.as_ref().and_then(|p| index.get(p).copied());
        children.entry(parent).or_default().push(i);
    }
    for (parent, kids) in &children {
        let last = kids.len().saturating_sub(1);
        for (at, &k) in kids.iter().enumerate() {
            rows[k].moves = Moves { up: at > 0, down: at < last, indent: at > 0, outdent: parent.is_some() };
        }
    }
    // Depth-first order, iteratively so deep trees cannot overflow the stack.
    let mut order = Vec::with_capacity(rows.len());
    let mut stack: Vec<(usize, u32)> =
        children.get(&None).map(|v| v.iter().rev().map(|&i| (i, 0)).collect()).unwrap_or_default();
    while let Some((i, depth)) = stack.pop() {
        rows[i].depth = depth;
        order.push(i);
        if let Some(kids) = children.get(&Some(i)) {
            stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
        }
    }
    // Roll-ups bottom-up: children come after parents in `order`.
    let mut effective: Vec<Option<f64>> = rows.iter().map(|r| own_percent(&r.clause)).collect();
    for &i in order.iter().rev() {
        if let Some(kids) = children.get(&Some(i)) {
            let mut counts = StatusCounts::default();
            let (mut sum, mut n) = (0.0, 0u32);
            for &k in kids {
                counts.add(rows[k].clause.status, 1);
                if let Some(p) = effective[k] {
                    sum += p;
                    n += 1;
                }
            }
            let percent = (n > 0).then(|| (sum / f64::from(n)).round() as u8);
            if rows[i].clause.status != ClauseStatus::Cancelled {
                effective[i] = percent.map(f64::from).or(effective[i]);
            }
            rows[i].rollup = Some(Rollup { children: kids.len() as u32, counts, percent });
        }
    }
    let mut slots: Vec<Option<ClauseRow>> = rows.into_iter().map(Some).collect();
    order.into_iter().map(|i| slots[i].take().expect("each row once")).collect()
}

impl Store {
    /// One clause by id (or a unique id prefix).
    pub fn clause(&self, id: &str) -> Result<Clause> {
        get(self.conn(), id)
    }

    /// An agreement's live clauses in tree order, each with its latest note,
    /// its due state on `today` and, for parents, the roll-up of its children.
    pub fn clause_rows(&self, agreement_id: &str, today: chrono::NaiveDate) -> Result<Vec<ClauseRow>> {
        self.read(|conn| {
            let agreement = agreements::get(conn, agreement_id)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS}, n.on_date, n.author, substr(n.text, 1, {})
                 FROM clauses c
                 LEFT JOIN notes n ON n.rowid = (
                     SELECT rowid FROM notes WHERE clause_id = c.id AND deleted_at IS NULL
                     ORDER BY on_date DESC, created_at DESC LIMIT 1)
                 WHERE c.agreement_id = ?1 AND c.deleted_at IS NULL",
                NOTE_BRIEF_CHARS + 1
            ))?;
            // Sorted here rather than by `ORDER BY c.position`: SQLite's
            // sorter copied every row's columns into a temporary b-tree, a
            // fifth of the query's work for a large agreement.
            let mut rows = stmt
                .query_map([&agreement.id], |r| {
                    let clause = from_row(r)?;
                    let on_date: Option<chrono::NaiveDate> = r.get(19)?;
                    let latest_note = match on_date {
                        Some(on_date) => Some(NoteBrief { on_date, author: r.get(20)?, text: brief(r.get(21)?) }),
                        None => None,
                    };
                    let due = clause.due_state(today);
                    Ok(ClauseRow { clause, depth: 0, latest_note, rollup: None, due, moves: Moves::default() })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.sort_by_key(|r| r.clause.position);
            Ok(build_tree(rows))
        })
    }

    /// Adds a clause; returns it with the rows of its agreement's table
    /// that changed, as seen on `today`.
    pub fn create_clause(&mut self, new: NewClause, today: NaiveDate) -> Result<ClauseChange> {
        let clause = self.write(|tx| {
            let agreement = agreements::get(tx, &new.agreement_id)?;
            insert(tx, &mut insert_statement(tx)?, &agreement, &new, &mut Positions::default(), Audit::Own)
        })?;
        self.change_of(clause, Touched { order: true, ..Touched::default() }, today)
    }

    /// Changes a clause's fields (moving is [`Store::move_clause`]); returns
    /// it with the rows of its agreement's table that changed.
    pub fn update_clause(&mut self, id: &str, patch: ClausePatch, today: NaiveDate) -> Result<ClauseChange> {
        let clause = self.update_clause_fields(id, patch)?;
        self.change_of(clause, Touched::default(), today)
    }

    fn update_clause_fields(&mut self, id: &str, patch: ClausePatch) -> Result<Clause> {
        self.write(|tx| update(tx, id, &patch).map(|(_, new)| new))
    }

    /// Moves a clause, with its sub-clauses, as `to` says; returns it with
    /// the rows of its agreement's table that changed. A move that would not
    /// change its place (up from the top) writes nothing.
    pub fn move_clause(&mut self, id: &str, to: ClauseMove, today: NaiveDate) -> Result<ClauseChange> {
        let mut old_parent = None;
        let clause = self.write(|tx| {
            let clause = get(tx, id)?;
            old_parent = clause.parent_id.clone();
            let (parent, index) = match target(tx, &clause, to)? {
                Some(place) => place,
                None => {
                    tx.unchanged();
                    return Ok(clause);
                }
            };
            place(tx, clause, parent.as_deref(), index)
        })?;
        let touched = Touched { order: true, subtree: true, old_parent: Some(old_parent) };
        self.change_of(clause, touched, today)
    }

    /// The rows a change to `clause`'s own fields altered: it, its ancestors
    /// and its siblings (see [`ClauseChange`]).
    pub(crate) fn clause_changed(&self, clause: Clause, today: NaiveDate) -> Result<ClauseChange> {
        self.change_of(clause, Touched::default(), today)
    }

    /// The rows a change to `clause` altered (see [`ClauseChange`]), read
    /// after the write.
    fn change_of(&self, clause: Clause, touched: Touched, today: NaiveDate) -> Result<ClauseChange> {
        let rows = self.clause_rows(&clause.agreement_id, today)?;
        let parent_of: HashMap<&str, Option<&str>> =
            rows.iter().map(|r| (r.clause.id.as_str(), r.clause.parent_id.as_deref())).collect();
        let mut keep: HashSet<&str> = HashSet::new();
        // The children of `from` and its line of parents: the clause's own
        // (or, after a move, its former) siblings and ancestors.
        fn line<'a>(
            rows: &'a [ClauseRow],
            parent_of: &HashMap<&'a str, Option<&'a str>>,
            from: Option<&'a str>,
            siblings: bool,
            keep: &mut HashSet<&'a str>,
        ) {
            for r in rows.iter().filter(|_| siblings) {
                if r.clause.parent_id.as_deref() == from {
                    keep.insert(r.clause.id.as_str());
                }
            }
            let mut up = from;
            while let Some(p) = up {
                keep.insert(p);
                up = parent_of.get(p).copied().flatten();
            }
        }
        // Siblings change (their places, the moves they can make) only when
        // the order does.
        line(&rows, &parent_of, clause.parent_id.as_deref(), touched.order, &mut keep);
        if let Some(old) = &touched.old_parent {
            line(&rows, &parent_of, old.as_deref(), touched.order, &mut keep);
        }
        keep.insert(clause.id.as_str());
        let mut out = Vec::new();
        let mut under: Option<u32> = None;
        for r in &rows {
            if let Some(depth) = under {
                if r.depth > depth {
                    out.push(r.clone());
                    continue;
                }
                under = None;
            }
            if r.clause.id == clause.id && touched.subtree {
                under = Some(r.depth);
            }
            if keep.contains(r.clause.id.as_str()) {
                out.push(r.clone());
            }
        }
        let order = touched.order.then(|| rows.iter().map(|r| r.clause.id.clone()).collect());
        Ok(ClauseChange { clause, rows: out, order })
    }

    /// Soft-deletes a clause with all its sub-clauses. Returns the deletion id
    /// that [`Store::restore`] takes to bring them all back.
    pub fn delete_clause(&mut self, id: &str) -> Result<String> {
        self.write(|tx| {
            let clause = get(tx, id)?;
            let deletion = new_id();
            let n = tx.execute(
                "WITH RECURSIVE sub (id) AS (
                     SELECT ?1
                     UNION ALL SELECT c.id FROM clauses c JOIN sub
                         ON c.agreement_id = ?4 AND coalesce(c.parent_id, '') = sub.id AND c.deleted_at IS NULL)
                 UPDATE clauses SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2 WHERE id IN (SELECT id FROM sub)",
                params![clause.id, tx.now, deletion, clause.agreement_id],
            )?;
            let mut c = Changes::default();
            c.field("deletion_id", None, Some(&deletion));
            c.field("clauses_deleted", None, Some(&n));
            tx.audit("clause", &clause.id, Some(&clause.agreement_id), "delete", &c.0)?;
            Ok(deletion)
        })
    }
}

/// What else than the clause itself a change may have altered.
#[derive(Default)]
struct Touched {
    /// The order of rows (a creation, a move).
    order: bool,
    /// The depth of its sub-clauses (a move).
    subtree: bool,
    /// Its parent before a move, whose line lost it.
    old_parent: Option<Option<String>>,
}

/// The live siblings of `clause` (itself included), in order.
fn siblings(conn: &Connection, agreement_id: &str, parent_id: Option<&str>) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM clauses
         WHERE agreement_id = ?1 AND coalesce(parent_id, '') = coalesce(?2, '') AND deleted_at IS NULL
         ORDER BY position",
    )?;
    Ok(stmt.query_map(params![agreement_id, parent_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

/// Where `to` puts `clause`: its new parent and its index among the new
/// siblings (without itself; `None`: last), or `None` when it would stay.
fn target(conn: &Connection, clause: &Clause, to: ClauseMove) -> Result<Option<(Option<String>, Option<usize>)>> {
    let here = || -> Result<(Vec<String>, usize)> {
        let list = siblings(conn, &clause.agreement_id, clause.parent_id.as_deref())?;
        let at = list.iter().position(|s| *s == clause.id).unwrap_or(0);
        Ok((list, at))
    };
    Ok(match to {
        ClauseMove::Up => {
            let (_, at) = here()?;
            (at > 0).then(|| (clause.parent_id.clone(), Some(at - 1)))
        }
        ClauseMove::Down => {
            let (list, at) = here()?;
            (at + 1 < list.len()).then(|| (clause.parent_id.clone(), Some(at + 1)))
        }
        ClauseMove::Indent => {
            let (list, at) = here()?;
            (at > 0).then(|| (Some(list[at - 1].clone()), None))
        }
        ClauseMove::Outdent => match &clause.parent_id {
            None => None,
            Some(parent_id) => {
                let parent = get(conn, parent_id)?;
                let list = siblings(conn, &clause.agreement_id, parent.parent_id.as_deref())?;
                let at = list.iter().position(|s| *s == parent.id).unwrap_or(list.len());
                Some((parent.parent_id, Some(at + 1)))
            }
        },
        ClauseMove::Under { parent, index } => Some((parent, index.map(|i| i as usize))),
    })
}

/// Puts `clause` under `parent` (`None`: the top level) at `index` among its
/// new siblings (`None`: last), renumbering positions, and audits the move.
fn place(tx: &WriteTx<'_>, clause: Clause, parent: Option<&str>, index: Option<usize>) -> Result<Clause> {
    let parent_id =
        parent.map(|p| check_parent(tx, &clause.agreement_id, Some((&clause.id, &clause.number)), p)).transpose()?;
    let mut siblings: Vec<String> =
        siblings(tx, &clause.agreement_id, parent_id.as_deref())?.into_iter().filter(|s| *s != clause.id).collect();
    let at = index.unwrap_or(siblings.len()).min(siblings.len());
    siblings.insert(at, clause.id.clone());
    tx.execute(
        "UPDATE clauses SET parent_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![clause.id, parent_id, tx.now],
    )
    .map_err(|e| map_duplicate(tx, e, &clause.number, parent_id.as_deref()))?;
    {
        let mut set_position =
            tx.prepare_cached("UPDATE clauses SET position = ?2 WHERE id = ?1 AND position <> ?2")?;
        for (i, sibling) in siblings.iter().enumerate() {
            set_position.execute(params![sibling, i as i64 + 1])?;
        }
    }
    let moved = get(tx, &clause.id)?;
    let mut c = Changes::default();
    c.field("parent_id", clause.parent_id.as_ref(), moved.parent_id.as_ref());
    c.field("position", Some(&clause.position), Some(&moved.position));
    tx.audit("clause", &clause.id, Some(&clause.agreement_id), "move", &c.0)?;
    Ok(moved)
}
