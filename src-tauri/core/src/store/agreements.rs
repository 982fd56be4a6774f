//! Agreements and their partner parties.

use chrono::NaiveDate;
use rusqlite::{Connection, Row, params};

use super::{Changes, Result, Store, WriteTx, clauses, new_id, resolve_id, strict};
use crate::calendar::Calendar;
use crate::deadline::{Deadline, OffsetUnit};
use crate::model::{
    Agreement, AgreementPatch, NewAgreement, Party, check_agreement_dates, check_parties, optional_long,
    optional_short, required_short,
};

const COLUMNS: &str = "id, kind, title, reference, our_signatory, calendar, signed_on, in_force_from, in_force_until, \
                       status, source, summary, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Agreement> {
    Ok(Agreement {
        id: r.get(0)?,
        kind: strict(r, 1, "agreements", 0)?,
        title: r.get(2)?,
        reference: r.get(3)?,
        our_signatory: r.get(4)?,
        parties: Vec::new(),
        calendar: strict(r, 5, "agreements", 0)?,
        signed_on: r.get(6)?,
        in_force_from: r.get(7)?,
        in_force_until: r.get(8)?,
        status: strict(r, 9, "agreements", 0)?,
        source: r.get(10)?,
        summary: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

fn parties(conn: &Connection, agreement_id: &str) -> Result<Vec<Party>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, p.name_fa FROM agreement_parties ap JOIN partners p ON p.id = ap.partner_id
         WHERE ap.agreement_id = ?1 ORDER BY ap.position",
    )?;
    let rows =
        stmt.query_map([agreement_id], |r| Ok(Party { partner_id: r.get(0)?, name: r.get(1)?, name_fa: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Agreement> {
    let id = resolve_id(conn, "agreements", "agreement", id)?;
    let mut a =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM agreements WHERE id = ?1"))?.query_row([&id], from_row)?;
    a.parties = parties(conn, &a.id)?;
    Ok(a)
}

fn party_names(parties: &[Party]) -> String {
    parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// Checks party ids and resolves them to live partners.
fn resolve_parties(conn: &Connection, ids: &[String]) -> Result<Vec<String>> {
    let resolved = ids.iter().map(|p| super::partners::get(conn, p).map(|p| p.id)).collect::<Result<Vec<_>>>()?;
    check_parties(&resolved)?;
    Ok(resolved)
}

fn write_parties(tx: &WriteTx<'_>, agreement_id: &str, parties: &[String]) -> Result<()> {
    let old: Vec<String> = {
        let mut stmt = tx.prepare("SELECT partner_id FROM agreement_parties WHERE agreement_id = ?1")?;
        stmt.query_map([agreement_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    for gone in old.iter().filter(|p| !parties.contains(p)) {
        tx.execute(
            "DELETE FROM agreement_parties WHERE agreement_id = ?1 AND partner_id = ?2",
            params![agreement_id, gone],
        )?;
    }
    for (position, partner) in parties.iter().enumerate() {
        if old.contains(partner) {
            tx.execute(
                "UPDATE agreement_parties SET position = ?3, updated_at = ?4 WHERE agreement_id = ?1 AND partner_id = ?2",
                params![agreement_id, partner, position as i64, tx.now],
            )?;
        } else {
            tx.execute(
                "INSERT INTO agreement_parties (id, agreement_id, partner_id, position, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![new_id(), agreement_id, partner, position as i64, tx.now],
            )?;
        }
    }
    Ok(())
}

/// Re-resolves every relative deadline of an agreement after its signing
/// date or calendar changed.
fn reresolve_deadlines(
    tx: &WriteTx<'_>,
    agreement_id: &str,
    signed_on: Option<NaiveDate>,
    calendar: Calendar,
) -> Result<()> {
    let rows: Vec<(String, u32, OffsetUnit)> = {
        let mut stmt = tx.prepare(
            "SELECT id, deadline_amount, deadline_unit FROM clauses
             WHERE agreement_id = ?1 AND deadline_kind = 'after_signing'",
        )?;
        stmt.query_map([agreement_id], |r| Ok((r.get(0)?, r.get(1)?, strict(r, 2, "clauses", 0)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut update =
        tx.prepare_cached("UPDATE clauses SET due_on = ?2, due_day = ?3 WHERE id = ?1 AND due_on IS NOT ?2")?;
    for (id, amount, unit) in rows {
        let due = Deadline::AfterSigning { amount, unit }.resolve(signed_on, calendar);
        update.execute(params![id, due, due.map(clauses::day_number)])?;
    }
    Ok(())
}

pub(crate) fn insert(tx: &WriteTx<'_>, new: &NewAgreement) -> Result<Agreement> {
    let title = required_short("title", &new.title)?;
    let reference = optional_short("reference", new.reference.as_deref())?;
    let our_signatory = optional_short("our signatory", new.our_signatory.as_deref())?;
    let source = optional_long("source", new.source.as_deref())?;
    let summary = optional_long("summary", new.summary.as_deref())?;
    check_agreement_dates(new.signed_on, new.in_force_from, new.in_force_until)?;
    let parties = resolve_parties(tx, &new.parties)?;
    let id = new_id();
    tx.execute(
        &format!(
            "INSERT INTO agreements ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"
        ),
        params![
            id,
            new.kind.as_str(),
            title,
            reference,
            our_signatory,
            new.calendar.as_str(),
            new.signed_on,
            new.in_force_from,
            new.in_force_until,
            new.status.as_str(),
            source,
            summary,
            tx.now
        ],
    )?;
    write_parties(tx, &id, &parties)?;
    let created = get(tx, &id)?;
    let mut c = Changes::default();
    c.field("kind", None, Some(&new.kind.as_str()));
    c.field("title", None, Some(&title));
    c.field("reference", None, reference.as_ref());
    c.field("our_signatory", None, our_signatory.as_ref());
    c.field("parties", None, Some(&party_names(&created.parties)));
    c.field("calendar", None, Some(&new.calendar.as_str()));
    c.field("signed_on", None, new.signed_on.as_ref());
    c.field("in_force_from", None, new.in_force_from.as_ref());
    c.field("in_force_until", None, new.in_force_until.as_ref());
    c.field("status", None, Some(&new.status.as_str()));
    tx.audit("agreement", &id, None, "create", &c.0)?;
    Ok(created)
}

impl Store {
    /// Live agreements, newest signing first; with `partner`, only those it
    /// is a party to.
    pub fn agreements(&self, partner: Option<&str>) -> Result<Vec<Agreement>> {
        self.read(|conn| {
            let partner_id = partner.map(|p| super::partners::get(conn, p)).transpose()?.map(|p| p.id);
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM agreements a WHERE deleted_at IS NULL
                   AND (?1 IS NULL OR EXISTS (SELECT 1 FROM agreement_parties ap WHERE ap.agreement_id = a.id AND ap.partner_id = ?1))
                 ORDER BY signed_on IS NULL, signed_on DESC, title"
            ))?;
            let mut list = stmt.query_map([partner_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            for a in &mut list {
                a.parties = parties(conn, &a.id)?;
            }
            Ok(list)
        })
    }

    /// One agreement by id (or a unique id prefix).
    pub fn agreement(&self, id: &str) -> Result<Agreement> {
        self.read(|conn| get(conn, id))
    }

    pub fn create_agreement(&mut self, new: NewAgreement) -> Result<Agreement> {
        self.write(|tx| insert(tx, &new))
    }

    /// Changes an agreement. A new signing date or calendar moves every
    /// relative deadline of its clauses in the same transaction.
    pub fn update_agreement(&mut self, id: &str, patch: AgreementPatch) -> Result<Agreement> {
        self.write(|tx| {
            let old = get(tx, id)?;
            let pick_short = |field, new: &Option<Option<String>>, old: &Option<String>| -> Result<Option<String>> {
                match new {
                    Some(v) => Ok(optional_short(field, v.as_deref())?),
                    None => Ok(old.clone()),
                }
            };
            let pick_long = |field, new: &Option<Option<String>>, old: &Option<String>| -> Result<Option<String>> {
                match new {
                    Some(v) => Ok(optional_long(field, v.as_deref())?),
                    None => Ok(old.clone()),
                }
            };
            let title = match &patch.title {
                Some(t) => required_short("title", t)?,
                None => old.title.clone(),
            };
            let reference = pick_short("reference", &patch.reference, &old.reference)?;
            let our_signatory = pick_short("our signatory", &patch.our_signatory, &old.our_signatory)?;
            let source = pick_long("source", &patch.source, &old.source)?;
            let summary = pick_long("summary", &patch.summary, &old.summary)?;
            let kind = patch.kind.unwrap_or(old.kind);
            let calendar = patch.calendar.unwrap_or(old.calendar);
            let status = patch.status.unwrap_or(old.status);
            let signed_on = patch.signed_on.unwrap_or(old.signed_on);
            let in_force_from = patch.in_force_from.unwrap_or(old.in_force_from);
            let in_force_until = patch.in_force_until.unwrap_or(old.in_force_until);
            check_agreement_dates(signed_on, in_force_from, in_force_until)?;

            let mut c = Changes::default();
            c.field("kind", Some(&old.kind.as_str()), Some(&kind.as_str()));
            c.field("title", Some(&old.title), Some(&title));
            c.field("reference", old.reference.as_ref(), reference.as_ref());
            c.field("our_signatory", old.our_signatory.as_ref(), our_signatory.as_ref());
            c.field("calendar", Some(&old.calendar.as_str()), Some(&calendar.as_str()));
            c.field("signed_on", old.signed_on.as_ref(), signed_on.as_ref());
            c.field("in_force_from", old.in_force_from.as_ref(), in_force_from.as_ref());
            c.field("in_force_until", old.in_force_until.as_ref(), in_force_until.as_ref());
            c.field("status", Some(&old.status.as_str()), Some(&status.as_str()));
            c.field("source", old.source.as_ref(), source.as_ref());
            c.field("summary", old.summary.as_ref(), summary.as_ref());
            if let Some(new_parties) = &patch.parties {
                let resolved = resolve_parties(tx, new_parties)?;
                let old_ids: Vec<&str> = old.parties.iter().map(|p| p.partner_id.as_str()).collect();
                if resolved.iter().map(String::as_str).ne(old_ids.iter().copied()) {
                    write_parties(tx, &old.id, &resolved)?;
                    let now_parties = parties(tx, &old.id)?;
                    c.field("parties", Some(&party_names(&old.parties)), Some(&party_names(&now_parties)));
                }
            }
            if c.0.is_empty() {
                tx.unchanged();
                return Ok(old);
            }
            tx.execute(
                "UPDATE agreements SET kind = ?2, title = ?3, reference = ?4, our_signatory = ?5, calendar = ?6,
                    signed_on = ?7, in_force_from = ?8, in_force_until = ?9, status = ?10, source = ?11, summary = ?12,
                    updated_at = ?13
                 WHERE id = ?1",
                params![
                    old.id,
                    kind.as_str(),
                    title,
                    reference,
                    our_signatory,
                    calendar.as_str(),
                    signed_on,
                    in_force_from,
                    in_force_until,
                    status.as_str(),
                    source,
                    summary,
                    tx.now
                ],
            )?;
            if signed_on != old.signed_on || calendar != old.calendar {
                reresolve_deadlines(tx, &old.id, signed_on, calendar)?;
            }
            tx.audit("agreement", &old.id, None, "update", &c.0)?;
            get(tx, &old.id)
        })
    }

    /// Soft-deletes an agreement (its clauses and notes go out of sight with
    /// it). Returns the deletion id that [`Store::restore`] takes.
    pub fn delete_agreement(&mut self, id: &str) -> Result<String> {
        self.write(|tx| {
            let a = get(tx, id)?;
            let deletion = new_id();
            tx.execute(
                "UPDATE agreements SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2 WHERE id = ?1",
                params![a.id, tx.now, deletion],
            )?;
            let mut c = Changes::default();
            c.field("deletion_id", None, Some(&deletion));
            tx.audit("agreement", &a.id, None, "delete", &c.0)?;
            Ok(deletion)
        })
    }
}
