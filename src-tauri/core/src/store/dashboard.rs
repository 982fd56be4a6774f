//! Dashboards: counts per status, overdue and due-soon figures, overall and
//! per partner, and the list of what is overdue.
//!
//! The all-partner figures come from the count tables `partner_status_counts`
//! and the open clauses' counts by due date, month and year
//! (`partner_open_due`, `partner_open_due_month`, `partner_open_due_year`,
//! each keyed by its date first), so they cost the same for ten clauses as
//! for a million. Triggers queue every change in `count_queue`;
//! `flush_counts` applies the queue at the end of each write. "Today" is a
//! parameter: overdue is derived at reading time, never stored. Each
//! partner's live agreements are counted in `partner_agreement_counts`, kept
//! by triggers on the party links and on an agreement's liveness.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::{Result, Store, clauses, partners, strict};
use crate::model::{Clause, ClauseStatus, DUE_SOON_DAYS, Partner, StatusCounts};

/// Figures for one partner, or for everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Figures {
    pub counts: StatusCounts,
    /// Open clauses past their deadline.
    pub overdue: u32,
    /// Open clauses due from today to today + 30 days.
    pub due_soon: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerCard {
    pub partner: Partner,
    pub agreements: u32,
    pub figures: Figures,
}

/// The front page: every partner's card and the overall figures (each
/// clause counted once, however many parties its agreement has).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Dashboard {
    pub today: NaiveDate,
    pub overall: Figures,
    pub partners: Vec<PartnerCard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgreementCard {
    pub agreement_id: String,
    pub title: String,
    pub figures: Figures,
}

/// One partner's page: its figures and each of its agreements'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerDashboard {
    pub today: NaiveDate,
    pub partner: Partner,
    pub figures: Figures,
    pub agreements: Vec<AgreementCard>,
}

/// An overdue clause with the agreement it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OverdueItem {
    pub clause: Clause,
    pub agreement_title: String,
    pub days_overdue: i32,
}

impl Store {
    /// The all-partner dashboard as seen on `today`.
    pub fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        let soon = today + chrono::Days::new(DUE_SOON_DAYS as u64);
        self.read(|conn| {
            use std::collections::HashMap;
            let mut figures: HashMap<String, Figures> = HashMap::new();
            let mut stmt =
                conn.prepare_cached("SELECT partner_id, status, n FROM partner_status_counts WHERE n > 0")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let status: ClauseStatus = strict(r, 1, "partner_status_counts", 0)?;
                figures.entry(r.get(0)?).or_default().counts.add(status, r.get(2)?);
            }
            // Overdue: whole years before this one from the yearly roll-up,
            // this year's months before this one from the monthly one, then
            // this month's days before today; due soon: the days of the
            // window. Each table is keyed by its date first, so each of the
            // three is one range of its key, whatever the number of partners.
            let month_start = today.with_day(1).expect("every month has a first day");
            let mut stmt = conn.prepare_cached(
                "SELECT partner_id, sum(n) FROM (
                     SELECT partner_id, n FROM partner_open_due_year WHERE year < ?1
                     UNION ALL
                     SELECT partner_id, n FROM partner_open_due_month WHERE month >= ?1 || '-01' AND month < ?2)
                 GROUP BY partner_id",
            )?;
            let mut rows =
                stmt.query(params![month_start.format("%Y").to_string(), month_start.format("%Y-%m").to_string()])?;
            while let Some(r) = rows.next()? {
                figures.entry(r.get(0)?).or_default().overdue = r.get(1)?;
            }
            let mut stmt = conn.prepare_cached(
                "SELECT partner_id,
                        coalesce(sum(n) FILTER (WHERE due_on < ?2), 0),
                        coalesce(sum(n) FILTER (WHERE due_on >= ?2), 0)
                 FROM partner_open_due WHERE due_on >= ?1 AND due_on <= ?3
                 GROUP BY partner_id",
            )?;
            let mut rows = stmt.query(params![month_start, today, soon])?;
            while let Some(r) = rows.next()? {
                let f = figures.entry(r.get(0)?).or_default();
                f.overdue += r.get::<_, u32>(1)?;
                f.due_soon = r.get(2)?;
            }
            let mut stmt = conn.prepare_cached("SELECT partner_id, n FROM partner_agreement_counts WHERE n > 0")?;
            let agreement_counts: HashMap<String, u32> =
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            let overall = figures.get("*").copied().unwrap_or_default();
            let partners = self
                .partners()?
                .into_iter()
                .map(|p| PartnerCard {
                    agreements: agreement_counts.get(&p.id).copied().unwrap_or(0),
                    figures: figures.get(&p.id).copied().unwrap_or_default(),
                    partner: p,
                })
                .collect();
            Ok(Dashboard { today, overall, partners })
        })
    }

    /// One partner's dashboard as seen on `today`.
    pub fn partner_dashboard(&self, partner_id: &str, today: NaiveDate) -> Result<PartnerDashboard> {
        let soon = today + chrono::Days::new(DUE_SOON_DAYS as u64);
        self.read(|conn| {
            let partner = partners::get(conn, partner_id)?;
            let mut stmt = conn.prepare_cached(
                // The inner aggregate reads only the covering index
                // clauses_by_agreement_status (agreement_id, status, due_on).
                "SELECT a.id, a.title, s.status, s.n, s.overdue, s.due_soon
                 FROM agreement_parties ap
                 JOIN agreements a ON a.id = ap.agreement_id AND a.deleted_at IS NULL
                 LEFT JOIN (
                     SELECT agreement_id, status, count(*) AS n,
                            count(*) FILTER (WHERE status NOT IN ('completed', 'cancelled') AND due_on < ?2) AS overdue,
                            count(*) FILTER (WHERE status NOT IN ('completed', 'cancelled')
                                               AND due_on >= ?2 AND due_on <= ?3) AS due_soon
                     FROM clauses
                     WHERE deleted_at IS NULL
                       AND agreement_id IN (SELECT agreement_id FROM agreement_parties WHERE partner_id = ?1)
                     GROUP BY agreement_id, status) s ON s.agreement_id = a.id
                 WHERE ap.partner_id = ?1
                 ORDER BY a.signed_on IS NULL, a.signed_on DESC, a.title, a.id",
            )?;
            let mut agreements: Vec<AgreementCard> = Vec::new();
            let mut total = Figures::default();
            let mut rows = stmt.query(params![partner.id, today, soon])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                if agreements.last().is_none_or(|a| a.agreement_id != id) {
                    agreements.push(AgreementCard { agreement_id: id, title: r.get(1)?, figures: Figures::default() });
                }
                let card = agreements.last_mut().expect("pushed above");
                // Statuses are counted per agreement here: a damaged one is
                // named by the agreement its clauses belong to.
                if let Some(status) = strict::<Option<ClauseStatus>>(r, 2, "clauses of agreement", 0)? {
                    let (n, overdue, due_soon): (u32, u32, u32) = (r.get(3)?, r.get(4)?, r.get(5)?);
                    card.figures.counts.add(status, n);
                    card.figures.overdue += overdue;
                    card.figures.due_soon += due_soon;
                    total.counts.add(status, n);
                    total.overdue += overdue;
                    total.due_soon += due_soon;
                }
            }
            Ok(PartnerDashboard { today, partner, figures: total, agreements })
        })
    }

    /// Open clauses due from `today` to `until` (inclusive), soonest first;
    /// with `partner`, only that partner's.
    pub fn due_between(
        &self,
        today: NaiveDate,
        until: NaiveDate,
        partner: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OverdueItem>> {
        self.open_due(today, today, until, partner, limit)
    }

    /// The open clauses past their deadline on `today`, most overdue first;
    /// with `partner`, only that partner's.
    pub fn overdue(&self, today: NaiveDate, partner: Option<&str>, limit: u32) -> Result<Vec<OverdueItem>> {
        let Some(yesterday) = today.pred_opt() else { return Ok(Vec::new()) };
        self.open_due(today, NaiveDate::MIN, yesterday, partner, limit)
    }

    /// Open clauses due from `from` to `to` (inclusive), earliest first, with
    /// how many days each is overdue on `today` (0 when not yet due).
    pub(super) fn open_due(
        &self,
        today: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
        partner: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OverdueItem>> {
        self.read(|conn| {
            let partner_id = partner.map(|p| partners::get(conn, p)).transpose()?.map(|p| p.id);
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {}, a.title FROM clauses c JOIN agreements a ON a.id = c.agreement_id
                 WHERE c.deleted_at IS NULL AND c.due_day IS NOT NULL
                   AND c.status NOT IN ('completed', 'cancelled') -- as clauses_open_by_due says it
                   AND c.due_day >= ?1 AND c.due_day <= ?2 AND a.deleted_at IS NULL
                   AND (?3 IS NULL OR c.agreement_id IN (SELECT agreement_id FROM agreement_parties WHERE partner_id = ?3))
                 ORDER BY c.due_day, c.id LIMIT ?4",
                clauses::COLUMNS
            ))?;
            let (from, to) = (clauses::day_number(from), clauses::day_number(to));
            let rows = stmt.query_map(params![from, to, partner_id, limit], |r| {
                let clause = clauses::from_row(r)?;
                let days_overdue = clause.due_on.map(|d| (today - d).num_days().max(0) as i32).unwrap_or(0);
                Ok(OverdueItem { clause, agreement_title: r.get(19)?, days_overdue })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// Applies the queued count changes (see `count_queue` in the schema) at the
/// end of a write. It does what the trigger `count_flush_apply` does, but sums
/// the queue in one pass here instead of sorting it six times in SQL; for an
/// import that was a quarter of its work (see docs/performance.md). The trigger
/// stays for the flushes other triggers need in mid-statement; the property
/// test `dashboard_counts_match_a_recount` checks both against a recount.
pub(crate) fn flush_counts(conn: &Connection) -> rusqlite::Result<()> {
    // Partners by index (0 is '*', everything), each agreement's parties as
    // indexes, and sums keyed by (partner, status), (due date, partner),
    // (month, partner) and (year, partner); sorted, so the upserts below
    // walk each table in the order of its key.
    let mut partners: Vec<String> = vec!["*".to_owned()];
    let mut parties_of: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_status: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    let mut by_day: BTreeMap<(String, usize), i64> = BTreeMap::new();
    let mut by_month: BTreeMap<(String, usize), i64> = BTreeMap::new();
    let mut by_year: BTreeMap<(String, usize), i64> = BTreeMap::new();
    let mut parties = conn.prepare_cached("SELECT partner_id FROM agreement_parties WHERE agreement_id = ?1")?;
    let mut queue = conn.prepare_cached("SELECT agreement_id, status, due_on, delta FROM count_queue")?;
    let mut rows = queue.query([])?;
    let mut queued = false;
    while let Some(r) = rows.next()? {
        queued = true;
        let agreement = r.get_ref(0)?.as_str()?;
        if !parties_of.contains_key(agreement) {
            let mut indexes = vec![0];
            for id in parties.query_map([agreement], |p| p.get::<_, String>(0))? {
                let id = id?;
                indexes.push(partners.iter().position(|p| *p == id).unwrap_or_else(|| {
                    partners.push(id);
                    partners.len() - 1
                }));
            }
            parties_of.insert(agreement.to_owned(), indexes);
        }
        let status = r.get_ref(1)?.as_str()?;
        let status_at = ClauseStatus::ALL.iter().position(|s| s.as_str() == status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, format!("status {status}").into())
        })?;
        let due = r.get_ref(2)?.as_str_or_null()?.filter(|_| !matches!(status, "completed" | "cancelled"));
        let delta: i64 = r.get(3)?;
        for &partner in &parties_of[agreement] {
            *by_status.entry((partner, status_at)).or_default() += delta;
            if let Some(day) = due {
                *by_day.entry((day.to_owned(), partner)).or_default() += delta;
                // As substr(due_on, 1, 7) and substr(due_on, 1, 4).
                let month = day.get(..7).unwrap_or(day);
                *by_month.entry((month.to_owned(), partner)).or_default() += delta;
                let year = day.get(..4).unwrap_or(day);
                *by_year.entry((year.to_owned(), partner)).or_default() += delta;
            }
        }
    }
    if !queued {
        return Ok(());
    }
    let upsert = |sql: &str, rows: Vec<(usize, String, i64)>| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        for (partner, key, n) in rows.into_iter().filter(|r| r.2 != 0) {
            stmt.execute(params![partners[partner], key, n])?;
        }
        Ok(())
    };
    upsert(
        "INSERT INTO partner_status_counts (partner_id, status, n) VALUES (?1, ?2, ?3)
         ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n",
        by_status.into_iter().map(|((p, s), n)| (p, ClauseStatus::ALL[s].as_str().to_owned(), n)).collect(),
    )?;
    upsert(
        "INSERT INTO partner_open_due (partner_id, due_on, n) VALUES (?1, ?2, ?3)
         ON CONFLICT (due_on, partner_id) DO UPDATE SET n = n + excluded.n",
        by_day.into_iter().map(|((d, p), n)| (p, d, n)).collect(),
    )?;
    upsert(
        "INSERT INTO partner_open_due_month (partner_id, month, n) VALUES (?1, ?2, ?3)
         ON CONFLICT (month, partner_id) DO UPDATE SET n = n + excluded.n",
        by_month.into_iter().map(|((m, p), n)| (p, m, n)).collect(),
    )?;
    upsert(
        "INSERT INTO partner_open_due_year (partner_id, year, n) VALUES (?1, ?2, ?3)
         ON CONFLICT (year, partner_id) DO UPDATE SET n = n + excluded.n",
        by_year.into_iter().map(|((y, p), n)| (p, y, n)).collect(),
    )?;
    conn.prepare_cached("DELETE FROM count_queue")?.execute([])?;
    Ok(())
}
