//! Meetings: recording them, their agenda (suggested from the register),
//! their outcomes, and applying the changes outcomes propose to the clauses
//! in one transaction that writes a progress note naming the meeting on
//! every clause it changes.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Changes, Result, Store, agreements, clauses, new_id, notes, resolve_id, strict};
use crate::calendar::{self, Lang};
use crate::detail::{Param, Params};
use crate::model::meeting::{
    AgendaItem, Applied, ClauseRef, Meeting, MeetingDetail, Named, NewAgendaItem, NewMeeting, NewOutcome, Outcome,
    Participant, Review, Suggestion, check_meeting, check_outcome,
};
use crate::model::{ClausePatch, FieldChange, NewClause, NewNote, optional_long};
use crate::vocab::{AgendaReason, MeetingStatus, OutcomeKind};

/// How far past the meeting "suggest an agenda" looks for deadlines.
pub const SUGGEST_AFTER_DAYS: i64 = 30;

/// What is wrong with a meeting's agenda or outcomes in the register.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    #[error(
        "clause {number} belongs to \"{agreement}\", which this meeting does not concern: add that agreement to the meeting first"
    )]
    UnrelatedClause { number: String, agreement: String },
    #[error(
        "agenda item {item} is not tied to a clause: a clause update needs one; record the change as a decision instead"
    )]
    NoClause { item: u32 },
    #[error("clause {number} was deleted after it was put on the agenda: restore it, or drop this outcome")]
    ClauseDeleted { number: String },
    #[error("the outcome of agenda item {item} was applied already: applying it again would change nothing")]
    AlreadyApplied { item: u32 },
    #[error("outcomes are applied once the meeting is held: mark it as held first")]
    NotHeld,
    #[error("the new clause belongs to another agreement than this meeting's: choose one of the meeting's agreements")]
    NewClauseElsewhere,
}

impl MeetingError {
    pub fn code(&self) -> &'static str {
        match self {
            MeetingError::UnrelatedClause { .. } => "agenda_clause_unrelated",
            MeetingError::NoClause { .. } => "outcome_needs_clause",
            MeetingError::ClauseDeleted { .. } => "outcome_clause_deleted",
            MeetingError::AlreadyApplied { .. } => "outcome_applied",
            MeetingError::NotHeld => "meeting_not_held",
            MeetingError::NewClauseElsewhere => "new_clause_elsewhere",
        }
    }

    pub fn params(&self) -> Params {
        match self {
            MeetingError::UnrelatedClause { number, agreement } => {
                vec![("number", Param::Text(number.clone())), ("agreement", Param::Text(agreement.clone()))]
            }
            MeetingError::NoClause { item } | MeetingError::AlreadyApplied { item } => {
                vec![("item", Param::Number(i64::from(*item)))]
            }
            MeetingError::ClauseDeleted { number } => vec![("number", Param::Text(number.clone()))],
            MeetingError::NotHeld | MeetingError::NewClauseElsewhere => Vec::new(),
        }
    }

    /// One error of every variant, for [`crate::catalog`].
    pub fn examples() -> Vec<MeetingError> {
        vec![
            MeetingError::UnrelatedClause { number: "3.1".into(), agreement: "Action plan 2025".into() },
            MeetingError::NoClause { item: 2 },
            MeetingError::ClauseDeleted { number: "4".into() },
            MeetingError::AlreadyApplied { item: 1 },
            MeetingError::NotHeld,
            MeetingError::NewClauseElsewhere,
        ]
    }
}

const COLUMNS: &str = "m.id, m.title, m.kind, m.on_date, m.calendar, m.starts_at, m.place, m.remote, m.status, \
    m.next_on, m.created_at, m.updated_at, \
    (SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id), \
    (SELECT count(*) FROM outcomes o JOIN agenda_items i ON i.id = o.item_id WHERE i.meeting_id = m.id AND o.deleted_at IS NULL), \
    (SELECT count(*) FROM outcomes o JOIN agenda_items i ON i.id = o.item_id WHERE i.meeting_id = m.id \
        AND o.deleted_at IS NULL AND o.applied_at IS NULL AND o.proposal IS NOT NULL)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        title: r.get(1)?,
        kind: strict(r, 2, "meetings", 0)?,
        on_date: r.get(3)?,
        calendar: strict(r, 4, "meetings", 0)?,
        starts_at: r.get(5)?,
        place: r.get(6)?,
        remote: r.get(7)?,
        status: strict(r, 8, "meetings", 0)?,
        next_on: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        items: r.get(12)?,
        outcomes: r.get(13)?,
        pending: r.get(14)?,
        partners: Vec::new(),
        agreements: Vec::new(),
        participants: Vec::new(),
    })
}

/// A live meeting with its partners, agreements and participants.
pub(crate) fn get(conn: &Connection, id: &str) -> Result<Meeting> {
    let id = resolve_id(conn, "meetings", "meeting", id)?;
    let mut m = conn.query_row(&format!("SELECT {COLUMNS} FROM meetings m WHERE m.id = ?1"), [&id], from_row)?;
    fill(conn, &mut m)?;
    Ok(m)
}

fn fill(conn: &Connection, m: &mut Meeting) -> Result<()> {
    let named = |r: &Row<'_>| Ok(Named { id: r.get(0)?, name: r.get(1)?, name_fa: r.get(2)? });
    m.partners = conn
        .prepare_cached(
            "SELECT p.id, p.name, p.name_fa FROM meeting_partners mp JOIN partners p ON p.id = mp.partner_id
             WHERE mp.meeting_id = ?1 ORDER BY p.name COLLATE NOCASE",
        )?
        .query_map([&m.id], named)?
        .collect::<rusqlite::Result<_>>()?;
    m.agreements = conn
        .prepare_cached(
            "SELECT a.id, a.title, NULL FROM meeting_agreements ma JOIN agreements a ON a.id = ma.agreement_id
             WHERE ma.meeting_id = ?1 AND a.deleted_at IS NULL ORDER BY a.title COLLATE NOCASE",
        )?
        .query_map([&m.id], named)?
        .collect::<rusqlite::Result<_>>()?;
    m.participants = conn
        .prepare_cached(
            "SELECT id, side, name, role, body FROM meeting_participants WHERE meeting_id = ?1 ORDER BY side, position",
        )?
        .query_map([&m.id], |r| {
            Ok(Participant {
                id: r.get(0)?,
                side: strict(r, 1, "meeting_participants", 0)?,
                name: r.get(2)?,
                role: r.get(3)?,
                body: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

const CLAUSE_REF: &str = "c.id, c.agreement_id, a.title, c.number, c.text, c.status, c.percent, c.due_on, \
    c.our_lead, c.partner_lead, c.deleted_at IS NOT NULL";

fn clause_ref_at(r: &Row<'_>, at: usize) -> rusqlite::Result<ClauseRef> {
    Ok(ClauseRef {
        id: r.get(at)?,
        agreement_id: r.get(at + 1)?,
        agreement_title: r.get(at + 2)?,
        number: r.get(at + 3)?,
        text: r.get(at + 4)?,
        status: strict(r, at + 5, "clauses", at)?,
        percent: r.get(at + 6)?,
        due_on: r.get(at + 7)?,
        our_lead: r.get(at + 8)?,
        partner_lead: r.get(at + 9)?,
        deleted: r.get(at + 10)?,
    })
}

const OUTCOME_COLUMNS: &str = "o.id, o.item_id, o.kind, o.text, o.owner_side, o.owner, o.due_on, o.clause_id, o.proposal, o.applied_at, \
     o.created_clause_id, o.applied_changes";

fn outcome_from_row(r: &Row<'_>) -> rusqlite::Result<Outcome> {
    let kind: OutcomeKind = strict(r, 2, "outcomes", 0)?;
    let proposal: Option<String> = r.get(8)?;
    let damaged =
        |e: serde_json::Error| rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e));
    let (update, new_clause) = match (kind, proposal) {
        (OutcomeKind::ClauseUpdate, Some(p)) => (Some(serde_json::from_str::<ClausePatch>(&p).map_err(damaged)?), None),
        (OutcomeKind::NewClause, Some(p)) => (None, Some(serde_json::from_str::<NewClause>(&p).map_err(damaged)?)),
        _ => (None, None),
    };
    Ok(Outcome {
        id: r.get(0)?,
        item_id: r.get(1)?,
        kind,
        text: r.get(3)?,
        owner_side: strict(r, 4, "outcomes", 0)?,
        owner: r.get(5)?,
        due_on: r.get(6)?,
        clause_id: r.get(7)?,
        update,
        new_clause,
        applied_at: r.get(9)?,
        created_clause_id: r.get(10)?,
        applied_changes: match r.get::<_, Option<String>>(11)? {
            Some(j) => serde_json::from_str(&j)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(11, rusqlite::types::Type::Text, Box::new(e)))?,
            None => Vec::new(),
        },
    })
}

/// The day of the last meeting held before `meeting` with one of its partners.
fn last_held(conn: &Connection, meeting: &Meeting) -> Result<Option<NaiveDate>> {
    Ok(conn
        .query_row(
            "SELECT max(m.on_date) FROM meetings m JOIN meeting_partners mp ON mp.meeting_id = m.id
             WHERE m.deleted_at IS NULL AND m.status = 'held' AND m.on_date < ?2 AND m.id <> ?1
               AND mp.partner_id IN (SELECT partner_id FROM meeting_partners WHERE meeting_id = ?1)",
            params![meeting.id, meeting.on_date],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// A meeting's agenda in order, each item with its clause and outcomes.
fn agenda(conn: &Connection, meeting_id: &str) -> Result<Vec<AgendaItem>> {
    let mut items: Vec<AgendaItem> = conn
        .prepare_cached(&format!(
            "SELECT i.id, i.position, i.text, i.clause_id, {CLAUSE_REF}
             FROM agenda_items i
             LEFT JOIN clauses c ON c.id = i.clause_id LEFT JOIN agreements a ON a.id = c.agreement_id
             WHERE i.meeting_id = ?1 ORDER BY i.position"
        ))?
        .query_map([meeting_id], |r| {
            let clause = match r.get::<_, Option<String>>(3)? {
                Some(_) => Some(clause_ref_at(r, 4)?),
                None => None,
            };
            Ok(AgendaItem { id: r.get(0)?, position: r.get(1)?, text: r.get(2)?, clause, outcomes: Vec::new() })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut outcomes: HashMap<String, Vec<Outcome>> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OUTCOME_COLUMNS} FROM outcomes o JOIN agenda_items i ON i.id = o.item_id
         WHERE i.meeting_id = ?1 AND o.deleted_at IS NULL ORDER BY o.position"
    ))?;
    for o in stmt.query_map([meeting_id], outcome_from_row)? {
        let o = o?;
        outcomes.entry(o.item_id.clone()).or_default().push(o);
    }
    for item in &mut items {
        item.outcomes = outcomes.remove(&item.id).unwrap_or_default();
    }
    Ok(items)
}

/// The meeting's agreements' ids.
fn agreement_ids(conn: &Connection, meeting_id: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT agreement_id FROM meeting_agreements WHERE meeting_id = ?1")?
        .query_map([meeting_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A clause for the agenda: live, and of one of the meeting's agreements.
fn agenda_clause(conn: &Connection, meeting: &Meeting, clause_id: &str) -> Result<String> {
    let clause = clauses::get(conn, clause_id)?;
    if !meeting.agreements.iter().any(|a| a.id == clause.agreement_id) {
        let agreement = agreements::get(conn, &clause.agreement_id)?;
        return Err(MeetingError::UnrelatedClause { number: clause.number, agreement: agreement.title }.into());
    }
    Ok(clause.id)
}

impl Store {
    /// Live meetings by date, earliest first; with `partner`, only those
    /// held with it.
    pub fn meetings(&self, partner: Option<&str>) -> Result<Vec<Meeting>> {
        self.read(|conn| {
            let partner_id = partner.map(|p| super::partners::get(conn, p)).transpose()?.map(|p| p.id);
            let mut list: Vec<Meeting> = conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM meetings m WHERE m.deleted_at IS NULL
                       AND (?1 IS NULL OR m.id IN (SELECT meeting_id FROM meeting_partners WHERE partner_id = ?1))
                     ORDER BY m.on_date, m.starts_at, m.created_at"
                ))?
                .query_map([partner_id], from_row)?
                .collect::<rusqlite::Result<_>>()?;
            for m in &mut list {
                fill(conn, m)?;
            }
            Ok(list)
        })
    }

    /// A meeting with its agenda and outcomes.
    pub fn meeting(&self, id: &str) -> Result<MeetingDetail> {
        self.read(|conn| {
            let meeting = get(conn, id)?;
            let agenda = agenda(conn, &meeting.id)?;
            Ok(MeetingDetail { meeting, agenda })
        })
    }

    /// Records a meeting with its partners, agreements and participants.
    pub fn create_meeting(&mut self, new: NewMeeting) -> Result<Meeting> {
        let new = check_meeting(&new)?;
        self.write(|tx| {
            let id = new_id();
            tx.execute(
                "INSERT INTO meetings (id, title, kind, on_date, calendar, starts_at, place, remote, status, next_on,
                                       created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                params![
                    id,
                    new.title,
                    new.kind.as_str(),
                    new.on_date,
                    new.calendar.as_str(),
                    new.starts_at,
                    new.place,
                    new.remote,
                    new.status.as_str(),
                    new.next_on,
                    tx.now
                ],
            )?;
            let mut seen = HashSet::new();
            for p in &new.partner_ids {
                let partner = super::partners::get(tx, p)?;
                if !seen.insert(partner.id.clone()) {
                    return Err(crate::model::ValidationError::DuplicateParty(partner.name).into());
                }
                tx.execute(
                    "INSERT INTO meeting_partners (meeting_id, partner_id) VALUES (?1, ?2)",
                    [&id, &partner.id],
                )?;
            }
            for a in &new.agreement_ids {
                let agreement = agreements::get(tx, a)?;
                tx.execute(
                    "INSERT OR IGNORE INTO meeting_agreements (meeting_id, agreement_id) VALUES (?1, ?2)",
                    [&id, &agreement.id],
                )?;
            }
            for (position, p) in new.participants.iter().enumerate() {
                tx.execute(
                    "INSERT INTO meeting_participants (id, meeting_id, side, position, name, role, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![new_id(), id, p.side.as_str(), position as i64, p.name, p.role, p.body],
                )?;
            }
            let mut c = Changes::default();
            c.field("title", None, Some(&new.title));
            c.field("kind", None, Some(&new.kind.as_str()));
            c.field("on_date", None, Some(&new.on_date));
            c.field("status", None, Some(&new.status.as_str()));
            tx.audit("meeting", &id, None, "create", &c.0)?;
            get(tx, &id)
        })
    }

    /// Marks a meeting planned, held or cancelled.
    pub fn set_meeting_status(&mut self, id: &str, status: MeetingStatus) -> Result<Meeting> {
        let old = get(self.conn(), id)?;
        if old.status == status {
            return Ok(old);
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE meetings SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![old.id, status.as_str(), tx.now],
            )?;
            let mut c = Changes::default();
            c.field("status", Some(&old.status.as_str()), Some(&status.as_str()));
            tx.audit("meeting", &old.id, None, "update", &c.0)?;
            get(tx, &old.id)
        })
    }

    /// Adds items at the end of a meeting's agenda, in the order given. A
    /// clause must be one of the meeting's agreements'.
    pub fn add_agenda_items(&mut self, meeting_id: &str, items: Vec<NewAgendaItem>) -> Result<MeetingDetail> {
        let id = self.write(|tx| {
            let meeting = get(tx, meeting_id)?;
            let mut position: u32 = tx.query_row(
                "SELECT coalesce(max(position), 0) FROM agenda_items WHERE meeting_id = ?1",
                [&meeting.id],
                |r| r.get(0),
            )?;
            let mut c = Changes::default();
            for item in &items {
                let clause_id = item.clause_id.as_deref().map(|c| agenda_clause(tx, &meeting, c)).transpose()?;
                let text = optional_long("agenda item", item.text.as_deref())?;
                if clause_id.is_none() && text.is_none() {
                    return Err(crate::model::ValidationError::Empty { field: "agenda item" }.into());
                }
                position += 1;
                tx.execute(
                    "INSERT INTO agenda_items (id, meeting_id, position, clause_id, text) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![new_id(), meeting.id, position, clause_id, text],
                )?;
            }
            c.field("agenda_items", None, Some(&position));
            tx.audit("meeting", &meeting.id, None, "update", &c.0)?;
            Ok(meeting.id)
        })?;
        self.meeting(&id)
    }

    /// The day of the last meeting held before this one with one of its
    /// partners, if any.
    pub fn last_meeting_before(&self, meeting_id: &str) -> Result<Option<NaiveDate>> {
        self.read(|conn| {
            let meeting = get(conn, meeting_id)?;
            last_held(conn, &meeting)
        })
    }

    /// What to put on a meeting's agenda: the open clauses of its
    /// agreements that are overdue on `today` or due by the meeting plus
    /// [`SUGGEST_AFTER_DAYS`], and those changed since the last meeting held
    /// with one of the same partners; less those on the agenda already.
    /// In agreement and clause order.
    pub fn suggest_agenda(&self, meeting_id: &str, today: NaiveDate) -> Result<Vec<Suggestion>> {
        self.read(|conn| {
            let meeting = get(conn, meeting_id)?;
            let until = meeting.on_date + chrono::Duration::days(SUGGEST_AFTER_DAYS);
            let last = last_held(conn, &meeting)?;
            let on_agenda: HashSet<String> = conn
                .prepare_cached("SELECT clause_id FROM agenda_items WHERE meeting_id = ?1 AND clause_id IS NOT NULL")?
                .query_map([&meeting.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut out: Vec<Suggestion> = Vec::new();
            let mut index: HashMap<String, usize> = HashMap::new();
            for agreement_id in agreement_ids(conn, &meeting.id)? {
                let mut due = conn.prepare_cached(&format!(
                    "SELECT {CLAUSE_REF} FROM clauses c JOIN agreements a ON a.id = c.agreement_id
                     WHERE c.agreement_id = ?1 AND c.deleted_at IS NULL AND c.due_on <= ?2
                       AND c.status NOT IN ('completed', 'cancelled')
                     ORDER BY c.due_on"
                ))?;
                for r in due.query_map(params![agreement_id, until], |r| clause_ref_at(r, 0))? {
                    let clause = r?;
                    let reason = if clause.due_on.is_some_and(|d| d < today) {
                        AgendaReason::Overdue
                    } else {
                        AgendaReason::DueSoon
                    };
                    index.insert(clause.id.clone(), out.len());
                    out.push(Suggestion { clause, reasons: vec![reason] });
                }
                if let Some(last) = last {
                    // Changed: its own fields (audited with the agreement as
                    // scope) since the last meeting, or a progress note
                    // dated on or after its day (a note's date is when the
                    // work happened; one typed in later still counts). The
                    // agreement's live clauses come from the partial index on
                    // (agreement, number), which needs `deleted_at IS NULL`
                    // said: without it SQLite scans every clause.
                    let since = format!("{last}T00:00:00");
                    let mut changed = conn.prepare_cached(&format!(
                        "SELECT {CLAUSE_REF} FROM clauses c JOIN agreements a ON a.id = c.agreement_id
                         WHERE c.deleted_at IS NULL AND c.id IN (
                             SELECT entity_id FROM audit WHERE scope_id = ?1 AND entity = 'clause' AND at >= ?2
                             UNION
                             SELECT n.clause_id FROM notes n JOIN clauses c2 ON c2.id = n.clause_id
                             WHERE c2.agreement_id = ?1 AND c2.deleted_at IS NULL
                               AND n.deleted_at IS NULL AND n.on_date >= ?3)"
                    ))?;
                    for r in changed.query_map(params![agreement_id, since, last], |r| clause_ref_at(r, 0))? {
                        let clause = r?;
                        match index.get(&clause.id) {
                            Some(&at) => out[at].reasons.push(AgendaReason::Changed),
                            None => {
                                index.insert(clause.id.clone(), out.len());
                                out.push(Suggestion { clause, reasons: vec![AgendaReason::Changed] });
                            }
                        }
                    }
                }
            }
            out.retain(|s| !on_agenda.contains(&s.clause.id));
            out.sort_by(|a, b| {
                (&a.clause.agreement_title, natural(&a.clause.number))
                    .cmp(&(&b.clause.agreement_title, natural(&b.clause.number)))
            });
            Ok(out)
        })
    }

    /// Records what an agenda item produced. A clause update is checked
    /// against the clause now (a deadline before the agreement's signing is
    /// refused); it changes nothing until applied.
    pub fn add_outcome(&mut self, new: NewOutcome) -> Result<Outcome> {
        let new = check_outcome(&new)?;
        self.write(|tx| {
            let item_id = resolve_id_plain(tx, "agenda_items", "agenda item", &new.item_id)?;
            let (meeting_id, position, clause_id): (String, u32, Option<String>) = tx.query_row(
                "SELECT meeting_id, position, clause_id FROM agenda_items WHERE id = ?1",
                [&item_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let meeting = get(tx, &meeting_id)?;
            let (clause_id, proposal) = match new.kind {
                OutcomeKind::ClauseUpdate => {
                    let clause_id = clause_id.ok_or(MeetingError::NoClause { item: position })?;
                    let clause = live_clause(tx, &clause_id)?;
                    let patch = new.update.as_ref().expect("checked: a clause update has its change");
                    if let Some(deadline) = &patch.deadline {
                        let agreement = agreements::get(tx, &clause.agreement_id)?;
                        crate::model::check_deadline_after_signing(deadline, agreement.signed_on)?;
                    }
                    (Some(clause.id), Some(serde_json::to_string(patch).expect("a patch serialises")))
                }
                OutcomeKind::NewClause => {
                    let mut new_clause = new.new_clause.clone().expect("checked: a new clause outcome has it");
                    let agreement = agreements::get(tx, &new_clause.agreement_id)?;
                    if !meeting.agreements.iter().any(|a| a.id == agreement.id) {
                        return Err(MeetingError::NewClauseElsewhere.into());
                    }
                    new_clause.agreement_id = agreement.id.clone();
                    crate::model::check_deadline_after_signing(&new_clause.deadline, agreement.signed_on)?;
                    (None, Some(serde_json::to_string(&new_clause).expect("a clause serialises")))
                }
                _ => (clause_id, None),
            };
            let id = new_id();
            let order: u32 =
                tx.query_row("SELECT count(*) FROM outcomes WHERE item_id = ?1", [&item_id], |r| r.get(0))?;
            tx.execute(
                &format!(
                    "INSERT INTO outcomes ({}, position, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL, NULL, ?10, ?11)",
                    OUTCOME_COLUMNS.replace("o.", "")
                ),
                params![
                    id,
                    item_id,
                    new.kind.as_str(),
                    new.text,
                    new.owner_side.map(|s| s.as_str()),
                    new.owner,
                    new.due_on,
                    clause_id,
                    proposal,
                    order + 1,
                    tx.now
                ],
            )?;
            let mut c = Changes::default();
            c.field("outcome", None, Some(&new.kind.as_str()));
            c.field("agenda_item", None, Some(&position));
            tx.audit("meeting", &meeting.id, None, "update", &c.0)?;
            Ok(tx.query_row(
                &format!("SELECT {OUTCOME_COLUMNS} FROM outcomes o WHERE o.id = ?1"),
                [&id],
                outcome_from_row,
            )?)
        })
    }

    /// Every change a meeting's outcomes propose, as *now → proposed*.
    pub fn review(&self, meeting_id: &str) -> Result<Vec<Review>> {
        self.read(|conn| {
            let meeting = get(conn, meeting_id)?;
            let mut out = Vec::new();
            for item in agenda(conn, &meeting.id)? {
                for o in &item.outcomes {
                    match (&o.update, &o.new_clause) {
                        (Some(patch), _) => {
                            let clause = item.clause.as_ref().expect("a clause update's item has its clause");
                            let now = clauses::get_any(conn, &clause.id)?;
                            out.push(Review {
                                outcome_id: o.id.clone(),
                                kind: o.kind,
                                item: item.position,
                                number: now.number.clone(),
                                agreement_title: clause.agreement_title.clone(),
                                // Once applied, the review shows what applying
                                // changed, as it was then.
                                changes: if o.applied_at.is_some() {
                                    o.applied_changes.clone()
                                } else {
                                    patch_changes(&now, patch)
                                },
                                applied: o.applied_at.is_some(),
                            });
                        }
                        (None, Some(new)) => {
                            let agreement = agreements::get(conn, &new.agreement_id)?;
                            out.push(Review {
                                outcome_id: o.id.clone(),
                                kind: o.kind,
                                item: item.position,
                                number: new.number.clone(),
                                agreement_title: agreement.title,
                                changes: new_clause_changes(new),
                                applied: o.applied_at.is_some(),
                            });
                        }
                        _ => {}
                    }
                }
            }
            Ok(out)
        })
    }

    /// Applies the changes a held meeting's outcomes propose: those named
    /// in `only`, or every one not applied yet. One transaction: each
    /// clause is changed (or created) and gets a progress note naming the
    /// meeting, dated the meeting's day (or `today`, if that is earlier),
    /// and each outcome is marked applied; on any error nothing is. Applying
    /// again changes nothing; naming an applied outcome is an error.
    pub fn apply_outcomes(&mut self, meeting_id: &str, only: Option<Vec<String>>, today: NaiveDate) -> Result<Applied> {
        let meeting = get(self.conn(), meeting_id)?;
        if meeting.status != MeetingStatus::Held {
            return Err(MeetingError::NotHeld.into());
        }
        let agenda = agenda(self.conn(), &meeting.id)?;
        // Every outcome with its place: agenda item, then its order there.
        let all: Vec<((u32, usize), &AgendaItem, &Outcome)> = agenda
            .iter()
            .flat_map(|i| i.outcomes.iter().enumerate().map(move |(j, o)| ((i.position, j), i, o)))
            .collect();
        let mut chosen: Vec<((u32, usize), &AgendaItem, &Outcome)> = match &only {
            Some(ids) => {
                let mut chosen = Vec::new();
                for id in ids {
                    let found = all
                        .iter()
                        .find(|(_, _, o)| o.id == *id || (id.len() >= 4 && o.id.starts_with(id.as_str())))
                        .ok_or_else(|| super::StoreError::NotFound { entity: "outcome", id: id.clone() })?;
                    if found.2.applied_at.is_some() {
                        return Err(MeetingError::AlreadyApplied { item: found.1.position }.into());
                    }
                    chosen.push(*found);
                }
                chosen
            }
            None => all.iter().filter(|(_, _, o)| o.pending()).copied().collect(),
        };
        chosen.retain(|(_, _, o)| o.pending());
        // In agenda order, so that a later item's change to a field wins.
        chosen.sort_by_key(|(key, _, _)| *key);
        chosen.dedup_by_key(|(key, _, _)| *key);
        let mut applied = Applied { updated: 0, created: 0, notes: 0, clause_ids: Vec::new() };
        if chosen.is_empty() {
            return Ok(applied);
        }
        let settings = self.settings()?;
        let on_date = meeting.on_date.min(today);
        let said = calendar::format_date(meeting.on_date, settings.date_display, settings.ui_language);
        self.write(|tx| {
            let mut seen = notes::Clauses::default();
            for (key, item, o) in &chosen {
                let source = FieldChange {
                    field: "meeting".into(),
                    old: None,
                    new: Some(format!("{} ({said})", meeting.title)),
                };
                let changed;
                let clause_id = match (&o.update, &o.new_clause) {
                    (Some(patch), _) => {
                        let clause_id = o.clause_id.as_deref().expect("a clause update names its clause");
                        let now = live_clause(tx, clause_id)?;
                        // A field a later item's outcome set when it was
                        // applied before this one keeps that value: applying
                        // in any order ends the same.
                        let later: Vec<&ClausePatch> = all
                            .iter()
                            .filter(|(k, _, l)| {
                                k > key && l.applied_at.is_some() && l.clause_id.as_deref() == Some(clause_id)
                            })
                            .filter_map(|(_, _, l)| l.update.as_ref())
                            .collect();
                        let mut patch = without_later(patch, &later);
                        // Outcomes set percent with a completion; one kept
                        // from a later item stays as it is.
                        if patch.status == Some(crate::vocab::ClauseStatus::Completed) && patch.percent.is_none() {
                            patch.percent = Some(now.percent);
                        }
                        let (old, new) = clauses::update_noting(tx, clause_id, &patch, Some(&source))?;
                        changed = patch_changes(&old, &patch);
                        applied.updated += 1;
                        // The note below then need not read the clause again.
                        seen.inserted(&new);
                        new.id
                    }
                    (None, Some(new)) => {
                        let agreement = agreements::get(tx, &new.agreement_id)?;
                        let clause = clauses::insert(
                            tx,
                            &mut clauses::insert_statement(tx)?,
                            &agreement,
                            new,
                            &mut clauses::Positions::default(),
                            clauses::Audit::Own,
                        )?;
                        applied.created += 1;
                        changed = new_clause_changes(new);
                        seen.inserted(&clause);
                        clause.id
                    }
                    _ => continue,
                };
                let what = o.text.clone().unwrap_or_else(|| match (settings.ui_language, o.kind) {
                    (Lang::En, OutcomeKind::NewClause) => "clause added".to_owned(),
                    (Lang::En, _) => "clause updated".to_owned(),
                    (Lang::Fa, OutcomeKind::NewClause) => "بند افزوده شد".to_owned(),
                    (Lang::Fa, _) => "بند به‌روز شد".to_owned(),
                });
                let text = match settings.ui_language {
                    // The note is dated the meeting's day: its text names
                    // the meeting and the item, without a date of its own.
                    Lang::En => format!("Meeting “{}”, agenda item {}: {what}", meeting.title, item.position),
                    Lang::Fa => format!(
                        "نشست «{}»، دستور کار {}: {what}",
                        meeting.title,
                        calendar::persian_digits(&item.position.to_string())
                    ),
                };
                notes::insert(
                    tx,
                    &NewNote { clause_id: clause_id.clone(), on_date, author: None, text, status_to: None },
                    &mut seen,
                    notes::NoteAudit::Own(None),
                )?;
                applied.notes += 1;
                tx.prepare_cached(
                    "UPDATE outcomes SET applied_at = ?2, created_clause_id = ?3, applied_changes = ?4 WHERE id = ?1",
                )?
                .execute(params![
                    o.id,
                    tx.now,
                    (o.kind == OutcomeKind::NewClause).then_some(&clause_id),
                    serde_json::to_string(&changed).expect("changes serialise")
                ])?;
                applied.clause_ids.push(clause_id);
            }
            let mut c = Changes::default();
            c.field("applied_outcomes", None, Some(&(applied.updated + applied.created)));
            tx.audit("meeting", &meeting.id, None, "update", &c.0)
        })?;
        Ok(applied)
    }
}

/// An id in a table without soft deletion, or a unique start of one.
fn resolve_id_plain(conn: &Connection, table: &str, entity: &'static str, id: &str) -> Result<String> {
    let id = id.trim();
    let found: Vec<String> = conn
        .prepare(&format!("SELECT id FROM {table} WHERE id = ?1 OR (length(?1) >= 4 AND id LIKE ?1 || '%') LIMIT 2"))?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(super::StoreError::NotFound { entity, id: id.to_owned() }),
        _ => Err(super::StoreError::Ambiguous { entity, prefix: id.to_owned() }),
    }
}

/// A clause that must still be live, or the error naming it as deleted.
fn live_clause(conn: &Connection, clause_id: &str) -> Result<crate::model::Clause> {
    let clause = clauses::get_any(conn, clause_id)?;
    let deleted: bool = conn
        .prepare_cached("SELECT deleted_at IS NOT NULL FROM clauses WHERE id = ?1")?
        .query_row([&clause.id], |r| r.get(0))?;
    if deleted {
        return Err(MeetingError::ClauseDeleted { number: clause.number }.into());
    }
    Ok(clause)
}

/// `patch` less the fields `later` patches set: each field ends with the
/// value of the latest outcome (in agenda order) that sets it.
fn without_later(patch: &ClausePatch, later: &[&ClausePatch]) -> ClausePatch {
    let mut p = patch.clone();
    for l in later {
        if l.number.is_some() {
            p.number = None;
        }
        if l.text.is_some() {
            p.text = None;
        }
        if l.our_lead.is_some() {
            p.our_lead = None;
        }
        if l.partner_lead.is_some() {
            p.partner_lead = None;
        }
        if l.deadline.is_some() {
            p.deadline = None;
        }
        if l.status.is_some() {
            p.status = None;
        }
        if l.percent.is_some() {
            p.percent = None;
        }
        if l.indicator.is_some() {
            p.indicator = None;
        }
        if l.tags.is_some() {
            p.tags = None;
        }
    }
    p
}

/// What a patch would change in `now`, field by field.
fn patch_changes(now: &crate::model::Clause, p: &ClausePatch) -> Vec<FieldChange> {
    let mut c = Changes::default();
    if let Some(v) = &p.number {
        c.field("number", Some(&now.number), Some(v));
    }
    if let Some(v) = &p.text {
        c.field("text", Some(&now.text), Some(v));
    }
    if let Some(v) = &p.our_lead {
        c.field("our_lead", now.our_lead.as_ref(), v.as_ref());
    }
    if let Some(v) = &p.partner_lead {
        c.field("partner_lead", now.partner_lead.as_ref(), v.as_ref());
    }
    if let Some(v) = &p.deadline {
        c.field("deadline", Some(&now.deadline), Some(v));
    }
    if let Some(v) = &p.status {
        c.field("status", Some(&now.status.as_str()), Some(&v.as_str()));
    }
    if let Some(v) = &p.percent {
        c.field("percent", now.percent.as_ref(), v.as_ref());
    }
    if let Some(v) = &p.indicator {
        c.field("indicator", now.indicator.as_ref(), v.as_ref());
    }
    if let Some(v) = &p.tags {
        c.field("tags", Some(&now.tags.join(", ")), Some(&v.join(", ")));
    }
    c.0
}

/// A new clause's fields, as a review lists them.
fn new_clause_changes(n: &NewClause) -> Vec<FieldChange> {
    let mut c = Changes::default();
    c.field("number", None, Some(&n.number));
    c.field("text", None, Some(&n.text));
    c.field("our_lead", None, n.our_lead.as_ref());
    c.field("partner_lead", None, n.partner_lead.as_ref());
    c.field("deadline", None, Some(&n.deadline));
    c.field("status", None, Some(&n.status.as_str()));
    c.0
}

/// A clause number as a sort key: its numeric parts as numbers, so 2 comes
/// before 10.
fn natural(number: &str) -> Vec<(u64, String)> {
    number
        .split(|ch: char| ch == '.' || ch == '-' || ch.is_whitespace())
        .map(|part| {
            let digits: String =
                part.chars().filter_map(|ch| ch.to_digit(10)).map(|d| char::from(b'0' + d as u8)).collect();
            (digits.parse().unwrap_or(u64::MAX), part.to_owned())
        })
        .collect()
}
