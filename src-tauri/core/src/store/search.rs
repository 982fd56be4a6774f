//! Full-text search over agreement titles, clause text and progress notes.
//!
//! Queries pass through the same normaliser as the index, and every word is
//! quoted before it reaches FTS5, so what an officer types is always text,
//! never query syntax. The last word matches as a prefix.

use rusqlite::{Connection, params};

/// Indexes every queued row (see `search_queue` in the schema): one
/// statement per index, so FTS5 flushes once per write, not once per row.
pub(crate) fn index_queued(conn: &Connection) -> rusqlite::Result<()> {
    let pending: bool =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_queue)")?.query_row([], |r| r.get(0))?;
    if !pending {
        return Ok(());
    }
    for (kind, index, table, body) in [
        (
            "clause",
            "clause_fts",
            "clauses",
            "t.number || ' ' || t.text || ' ' || coalesce(t.our_lead, '') || ' ' || coalesce(t.partner_lead, '') || ' ' || coalesce(t.indicator, '')",
        ),
        ("note", "note_fts", "notes", "t.text || ' ' || t.author"),
        (
            "agreement",
            "agreement_fts",
            "agreements",
            "t.title || ' ' || coalesce(t.reference, '') || ' ' || coalesce(t.summary, '')",
        ),
    ] {
        conn.prepare_cached(&format!(
            "DELETE FROM {index} WHERE rowid IN (SELECT row FROM search_queue WHERE kind = '{kind}' AND reindex)"
        ))?
        .execute([])?;
        conn.prepare_cached(&format!(
            "INSERT INTO {index} (rowid, body)
             SELECT t.rowid, cb_normalize({body}) FROM search_queue q JOIN {table} t ON t.rowid = q.row
             WHERE q.kind = '{kind}' AND t.deleted_at IS NULL"
        ))?
        .execute([])?;
    }
    conn.prepare_cached("DELETE FROM search_queue")?.execute([])?;
    Ok(())
}
use serde::{Deserialize, Serialize};

use super::{Result, Store};
use crate::normalize::normalize;

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Agreement,
    Clause,
    Note,
}

/// One search result, with what a results list needs to group it by
/// partner and agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub kind: HitKind,
    /// The id of the agreement, clause or note found.
    pub id: String,
    pub agreement_id: String,
    pub agreement_title: String,
    /// The clause found, or the clause of the note found.
    pub clause_id: Option<String>,
    pub clause_number: Option<String>,
    /// The agreement's parties, in order.
    pub partner_ids: Vec<String>,
    pub partner_names: Vec<String>,
    /// The start of the text that matched (at most 300 characters).
    pub excerpt: String,
}

/// The words of a text after normalisation (a query's last word matches as
/// a prefix).
fn query_words(input: &str) -> Vec<String> {
    normalize(input)
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != 'ʻ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Builds a safe FTS5 query: each word quoted, the last one a prefix.
/// Returns `None` when nothing searchable is left.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = query_words(input).iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("{}*", words.join(" ")))
}

/// How many of the newest matches of each kind are ranked.
const WINDOW: u32 = 500;

/// Relevance of matched texts to the query words, in the manner of BM25
/// (term frequency saturating, longer texts weighing less) but without the
/// inverse document frequency: every candidate contains every word, and
/// FTS5's `bm25()` pays for that factor by reading each word's whole posting
/// list, 800,000 entries for a common word in a large register.
struct Ranker {
    words: Vec<String>,
}

impl Ranker {
    fn new(query: &str) -> Self {
        Ranker { words: query_words(query).iter().map(|w| w.to_lowercase()).collect() }
    }

    /// Scores each text; the first of equal scores stays first (the newest).
    fn order<T>(&self, items: Vec<(T, String)>, limit: u32) -> Vec<T> {
        let tokenised: Vec<Vec<String>> = items.iter().map(|(_, text)| query_words(&text.to_lowercase())).collect();
        let avg = (tokenised.iter().map(Vec::len).sum::<usize>() as f64 / tokenised.len().max(1) as f64).max(1.0);
        let (k1, b) = (1.2, 0.75);
        let last = self.words.len().saturating_sub(1);
        let mut scored: Vec<(f64, usize, T)> = items
            .into_iter()
            .zip(&tokenised)
            .enumerate()
            .map(|(i, ((item, _), tokens))| {
                let norm = k1 * (1.0 - b + b * tokens.len() as f64 / avg);
                let score = self
                    .words
                    .iter()
                    .enumerate()
                    .map(|(wi, w)| {
                        let tf = tokens
                            .iter()
                            .filter(|t| if wi == last { t.starts_with(w.as_str()) } else { *t == w })
                            .count() as f64;
                        tf * (k1 + 1.0) / (tf + norm)
                    })
                    .sum::<f64>();
                (score, i, item)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(limit as usize).map(|(_, _, item)| item).collect()
    }
}

fn parties(conn: &Connection, agreement_id: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name FROM agreement_parties ap JOIN partners p ON p.id = ap.partner_id
         WHERE ap.agreement_id = ?1 ORDER BY ap.position",
    )?;
    let rows: Vec<(String, String)> =
        stmt.query_map([agreement_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows.into_iter().unzip())
}

impl Store {
    /// Finds agreements, clauses and notes matching every word of `query`
    /// (any script, any spelling variant the normaliser folds): agreements,
    /// then clauses, then notes, each best first.
    ///
    /// Ranking is bounded: the 500 newest matches of each kind are ranked
    /// by relevance ([`Ranker`]), so a word found in half a million notes
    /// costs about the same as a rare one.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else { return Ok(Vec::new()) };
        let ranker = Ranker::new(query);
        self.read(|conn| {
            let mut hits = Vec::new();
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.title, substr(coalesce(a.summary, a.title), 1, 300),
                        a.title || ' ' || coalesce(a.reference, '') || ' ' || coalesce(a.summary, '')
                 FROM (SELECT rowid FROM agreement_fts WHERE agreement_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) f
                 JOIN agreements a ON a.rowid = f.rowid WHERE a.deleted_at IS NULL ORDER BY f.rowid DESC",
            )?;
            let rows = stmt
                .query_map(params![q, WINDOW], |r| Ok(((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<((String, String, String), String)>>>()?;
            for (id, title, excerpt) in ranker.order(rows, limit) {
                let (partner_ids, partner_names) = parties(conn, &id)?;
                hits.push(SearchHit {
                    kind: HitKind::Agreement,
                    agreement_id: id.clone(),
                    id,
                    agreement_title: title,
                    clause_id: None,
                    clause_number: None,
                    partner_ids,
                    partner_names,
                    excerpt,
                });
            }
            let mut stmt = conn.prepare_cached(
                "SELECT c.id, c.number, substr(c.text, 1, 300), a.id, a.title,
                        c.number || ' ' || c.text || ' ' || coalesce(c.our_lead, '') || ' ' || coalesce(c.partner_lead, '')
                            || ' ' || coalesce(c.indicator, '')
                 FROM (SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) f
                 JOIN clauses c ON c.rowid = f.rowid JOIN agreements a ON a.id = c.agreement_id
                 WHERE c.deleted_at IS NULL AND a.deleted_at IS NULL ORDER BY f.rowid DESC",
            )?;
            type ClauseRow = (String, String, String, String, String);
            let rows = stmt
                .query_map(params![q, WINDOW], |r| {
                    Ok(((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?), r.get(5)?))
                })?
                .collect::<rusqlite::Result<Vec<(ClauseRow, String)>>>()?;
            for (id, number, excerpt, agreement_id, title) in ranker.order(rows, limit) {
                let (partner_ids, partner_names) = parties(conn, &agreement_id)?;
                hits.push(SearchHit {
                    kind: HitKind::Clause,
                    clause_id: Some(id.clone()),
                    id,
                    agreement_id,
                    agreement_title: title,
                    clause_number: Some(number),
                    partner_ids,
                    partner_names,
                    excerpt,
                });
            }
            let mut stmt = conn.prepare_cached(
                "SELECT n.id, substr(n.text, 1, 300), c.id, c.number, a.id, a.title, n.text || ' ' || n.author
                 FROM (SELECT rowid FROM note_fts WHERE note_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) f
                 JOIN notes n ON n.rowid = f.rowid JOIN clauses c ON c.id = n.clause_id
                 JOIN agreements a ON a.id = c.agreement_id
                 WHERE n.deleted_at IS NULL AND c.deleted_at IS NULL AND a.deleted_at IS NULL ORDER BY f.rowid DESC",
            )?;
            type NoteRow = (String, String, String, String, String, String);
            let rows = stmt
                .query_map(params![q, WINDOW], |r| {
                    Ok(((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?), r.get(6)?))
                })?
                .collect::<rusqlite::Result<Vec<(NoteRow, String)>>>()?;
            for (id, excerpt, clause_id, number, agreement_id, title) in ranker.order(rows, limit) {
                let (partner_ids, partner_names) = parties(conn, &agreement_id)?;
                hits.push(SearchHit {
                    kind: HitKind::Note,
                    id,
                    agreement_id,
                    agreement_title: title,
                    clause_id: Some(clause_id),
                    clause_number: Some(number),
                    partner_ids,
                    partner_names,
                    excerpt,
                });
            }
            hits.truncate(limit as usize);
            Ok(hits)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Ranker, fts_query};

    #[test]
    fn user_text_never_becomes_query_syntax() {
        assert_eq!(fts_query("border health").unwrap(), "\"border\" \"health\"*");
        assert_eq!(fts_query("a\" OR b NEAR(c)").unwrap(), "\"a\" \"OR\" \"b\" \"NEAR\" \"c\"*");
        assert_eq!(fts_query("كتاب").unwrap(), "\"کتاب\"*");
        assert_eq!(fts_query("  ()* ").as_deref(), None);
    }

    #[test]
    fn ranks_by_frequency_and_length_newest_first_among_equals() {
        let r = Ranker::new("border heal");
        let items = vec![
            ("newest, long", "a long text about many things that mentions the border once and health once".to_owned()),
            ("short", "border health".to_owned()),
            ("twice", "border health, border healthcare".to_owned()),
            ("same as short, older", "Border Health".to_owned()),
        ];
        assert_eq!(r.order(items, 3), ["twice", "short", "same as short, older"]);
        // Persian forms fold as in the index; the last word is a prefix.
        let r = Ranker::new("همكاري توانمند");
        let items = vec![("no", "همکاری".to_owned()), ("yes", "همکاری و توانمندسازی".to_owned())];
        assert_eq!(r.order(items, 2), ["yes", "no"]);
    }
}
