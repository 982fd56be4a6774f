//! Partners: the countries and organisations we sign with.

use rusqlite::{Connection, Row, params};

use super::{Changes, Result, Store, StoreError, WriteTx, new_id, resolve_id, strict};
use crate::model::{NewPartner, Partner, PartnerKind, PartnerPatch, optional_short, required_short};

const COLUMNS: &str = "id, kind, name, name_fa, name_local, local_lang, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Partner> {
    Ok(Partner {
        id: r.get(0)?,
        kind: strict(r, 1, "partners", 0)?,
        name: r.get(2)?,
        name_fa: r.get(3)?,
        name_local: r.get(4)?,
        local_lang: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Partner> {
    let id = resolve_id(conn, "partners", "partner", id)?;
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM partners WHERE id = ?1"), [&id], from_row)?)
}

pub(crate) fn insert(tx: &WriteTx<'_>, new: &NewPartner) -> Result<Partner> {
    let name = required_short("partner name", &new.name)?;
    let name_fa = optional_short("Persian name", new.name_fa.as_deref())?;
    let name_local = optional_short("local name", new.name_local.as_deref())?;
    let local_lang = optional_short("local language", new.local_lang.as_deref())?;
    let kind = new.kind.unwrap_or(PartnerKind::Country);
    let id = new_id();
    tx.execute(
        &format!("INSERT INTO partners ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"),
        params![id, kind.as_str(), name, name_fa, name_local, local_lang, tx.now],
    )?;
    let mut c = Changes::default();
    c.field("kind", None, Some(&kind.as_str()));
    c.field("name", None, Some(&name));
    c.field("name_fa", None, name_fa.as_ref());
    c.field("name_local", None, name_local.as_ref());
    c.field("local_lang", None, local_lang.as_ref());
    tx.audit("partner", &id, None, "create", &c.0)?;
    get(tx, &id)
}

impl Store {
    /// Every live partner, countries first, then by English name.
    pub fn partners(&self) -> Result<Vec<Partner>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM partners WHERE deleted_at IS NULL ORDER BY kind = 'organisation', name COLLATE NOCASE"
        ))?;
        Ok(stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?)
    }

    /// One partner by id (or a unique id prefix).
    pub fn partner(&self, id: &str) -> Result<Partner> {
        get(self.conn(), id)
    }

    pub fn create_partner(&mut self, new: NewPartner) -> Result<Partner> {
        self.write(|tx| insert(tx, &new))
    }

    pub fn update_partner(&mut self, id: &str, patch: PartnerPatch) -> Result<Partner> {
        self.write(|tx| {
            let old = get(tx, id)?;
            let name = match &patch.name {
                Some(n) => required_short("partner name", n)?,
                None => old.name.clone(),
            };
            let opt = |field, new: &Option<Option<String>>, old: &Option<String>| -> Result<Option<String>> {
                match new {
                    Some(v) => Ok(optional_short(field, v.as_deref())?),
                    None => Ok(old.clone()),
                }
            };
            let name_fa = opt("Persian name", &patch.name_fa, &old.name_fa)?;
            let name_local = opt("local name", &patch.name_local, &old.name_local)?;
            let local_lang = opt("local language", &patch.local_lang, &old.local_lang)?;
            let kind = patch.kind.unwrap_or(old.kind);
            let mut c = Changes::default();
            c.field("kind", Some(&old.kind.as_str()), Some(&kind.as_str()));
            c.field("name", Some(&old.name), Some(&name));
            c.field("name_fa", old.name_fa.as_ref(), name_fa.as_ref());
            c.field("name_local", old.name_local.as_ref(), name_local.as_ref());
            c.field("local_lang", old.local_lang.as_ref(), local_lang.as_ref());
            if c.0.is_empty() {
                tx.unchanged();
                return Ok(old);
            }
            tx.execute(
                "UPDATE partners SET kind = ?2, name = ?3, name_fa = ?4, name_local = ?5, local_lang = ?6, updated_at = ?7
                 WHERE id = ?1",
                params![old.id, kind.as_str(), name, name_fa, name_local, local_lang, tx.now],
            )?;
            tx.audit("partner", &old.id, None, "update", &c.0)?;
            get(tx, &old.id)
        })
    }

    /// Soft-deletes a partner that no live agreement names. Returns the
    /// deletion id that [`Store::restore`] takes.
    pub fn delete_partner(&mut self, id: &str) -> Result<String> {
        self.write(|tx| {
            let p = get(tx, id)?;
            let count: i64 = tx.query_row(
                "SELECT count(*) FROM agreement_parties ap JOIN agreements a ON a.id = ap.agreement_id
                 WHERE ap.partner_id = ?1 AND a.deleted_at IS NULL",
                [&p.id],
                |r| r.get(0),
            )?;
            if count > 0 {
                return Err(StoreError::PartnerInUse { name: p.name, count });
            }
            let deletion = new_id();
            tx.execute(
                "UPDATE partners SET deleted_at = ?2, deletion_id = ?3, updated_at = ?2 WHERE id = ?1",
                params![p.id, tx.now, deletion],
            )?;
            let mut c = Changes::default();
            c.field("deletion_id", None, Some(&deletion));
            tx.audit("partner", &p.id, None, "delete", &c.0)?;
            Ok(deletion)
        })
    }
}
