//! Full-text search over agreement titles, clause text and progress notes.
//!
//! Queries pass through the same normaliser as the index and are cut into
//! words by the index's own tokenizer ([`query_tokens`]); every word is
//! quoted before it reaches FTS5, so what an officer types is always text,
//! never query syntax. A row matches when it holds every word, the last as a
//! prefix. The clause index keeps no word positions (`detail = none`, see
//! `migrations/005_search_without_positions.sql`), so no query may need them.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::{Result, Store};
use crate::normalize::normalize;

/// The tokenizer of every search index, as the schema names it.
const TOKENIZER: &str = "unicode61 remove_diacritics 2";

/// The search indexes: the kind of row in `search_queue`, the index, the
/// table it indexes, and the text it indexes of a row `t` of that table.
const INDEXES: [(&str, &str, &str, &str); 3] = [
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
];

/// Indexes every queued row (see `search_queue` in the schema): one
/// statement per index, so FTS5 flushes once per write, not once per row.
pub(crate) fn index_queued(conn: &Connection) -> rusqlite::Result<()> {
    let pending: bool =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_queue)")?.query_row([], |r| r.get(0))?;
    if !pending {
        return Ok(());
    }
    for (kind, index, table, body) in INDEXES {
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

/// Indexes every live row of one kind (`clause`, `note` or `agreement`)
/// into the empty index a migration has just created, with the same text as
/// [`index_queued`].
pub(crate) fn index_all(conn: &Connection, kind: &str) -> rusqlite::Result<()> {
    for (_, index, table, body) in INDEXES.into_iter().filter(|i| i.0 == kind) {
        conn.execute(
            &format!(
                "INSERT INTO {index} (rowid, body)
                 SELECT t.rowid, cb_normalize({body}) FROM {table} t WHERE t.deleted_at IS NULL"
            ),
            [],
        )?;
    }
    Ok(())
}

/// Makes the connection's private tables for searching, once, when the
/// register is opened: the tokenizer table of [`query_tokens`] and each
/// index's vocabulary for [`index_query`]. Made inside a search's read
/// transaction, they were rolled back at the transaction's end, and SQLite
/// then reloaded the whole schema: 0.6 ms of every search, and of the first
/// read after it.
pub(crate) fn prepare_connection(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_text USING fts5 (body, tokenize = '{TOKENIZER}');
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_tokens USING fts5vocab (temp, query_text, instance);"
    ))?;
    for (_, index, _, _) in INDEXES {
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{index}_terms USING fts5vocab (main, {index}, row);"
        ))?;
    }
    Ok(())
}

/// The words of a normalised query as the indexes' tokenizer cuts them (case
/// folded, diacritics removed), in order.
///
/// A quoted word the tokenizer would cut in two is a phrase, which an index
/// without positions refuses, and no rule written here could cut exactly as
/// SQLite does ("o'zbek" is two words to it, "bⓞrder" three). So the query
/// goes through the tokenizer itself: into a one-row FTS5 table private to
/// this connection, read back by `fts5vocab`.
fn query_tokens(conn: &Connection, normalized: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("INSERT OR REPLACE INTO temp.query_text (rowid, body) VALUES (1, ?1)")?
        .execute([normalized])?;
    let mut stmt = conn.prepare_cached("SELECT term FROM temp.query_tokens ORDER BY offset")?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

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

/// A word quoted for FTS5: always a string, never query syntax.
fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// Builds a safe FTS5 query: each word quoted, the last one a prefix.
/// Returns `None` when nothing searchable is left. This is FTS5's own way
/// to ask for the candidates; [`Store::search`] asks each index for the same
/// rows through [`index_query`].
fn fts_query(conn: &Connection, input: &str) -> rusqlite::Result<Option<String>> {
    let words: Vec<String> = query_tokens(conn, &normalize(input))?.iter().map(|w| quoted(w)).collect();
    if words.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!("{}*", words.join(" "))))
}

/// The most terms a query's last word is expanded into (see [`index_query`]);
/// a prefix with more is left to FTS5.
const MAX_EXPANSION: usize = 32;

/// The query for one index: the same rows as [`fts_query`]'s, with the last
/// word's prefix expanded into the index's own terms that begin with it, so
/// that FTS5 matches exact terms. For a prefix, FTS5 merges the whole doclist
/// of every term with that prefix before it yields a row (24 ms for a common
/// word in a million clauses); an exact term it reads lazily from the newest
/// end, as `ORDER BY rowid DESC LIMIT` wants (0.3 ms). The terms come from
/// the index's vocabulary, bounded above so that the first term past the
/// prefix is never counted. When no term begins with it, the word itself,
/// which the index does not hold either: FTS5 then finds nothing at once.
fn index_query(conn: &Connection, index: &str, words: &[String]) -> rusqlite::Result<String> {
    let Some((last, head)) = words.split_last() else { return Ok(String::new()) };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT term FROM temp.{index}_terms WHERE term >= ?1 AND term <= ?2 LIMIT {}",
        MAX_EXPANSION + 1
    ))?;
    let terms: Vec<String> = stmt
        .query_map(params![last, format!("{last}\u{10FFFF}")], |r| r.get::<_, String>(0))?
        .filter(|t| t.as_ref().map_or(true, |t| t.starts_with(last.as_str())))
        .collect::<rusqlite::Result<_>>()?;
    let tail = match terms.len() {
        0 => quoted(last),
        1 => quoted(&terms[0]),
        n if n > MAX_EXPANSION => format!("{}*", quoted(last)),
        _ => format!("({})", terms.iter().map(|t| quoted(t)).collect::<Vec<_>>().join(" OR ")),
    };
    let mut parts: Vec<String> = head.iter().map(|w| quoted(w)).collect();
    parts.push(tail);
    Ok(parts.join(" AND "))
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
    /// FTS5's own expression for the candidates [`Store::search`] ranks for
    /// `query`, the last word a prefix (`None` when nothing in it is
    /// searchable): what the benchmark's floor, a bare `MATCH` of the same
    /// candidates, runs. The search itself asks each index for the same rows
    /// with the prefix expanded (see `index_query`).
    pub fn search_expression(&self, query: &str) -> Result<Option<String>> {
        self.read(|conn| Ok(fts_query(conn, query)?))
    }

    /// Finds agreements, clauses and notes matching every word of `query`
    /// (any script, any spelling variant the normaliser folds): agreements,
    /// then clauses, then notes, each best first.
    ///
    /// Ranking is bounded: the 500 newest matches of each kind are ranked
    /// by relevance ([`Ranker`]), so a word found in half a million notes
    /// costs about the same as a rare one.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let ranker = Ranker::new(query);
        self.read(|conn| {
            let words = query_tokens(conn, &normalize(query))?;
            if words.is_empty() {
                return Ok(Vec::new());
            }
            let q = index_query(conn, "agreement_fts", &words)?;
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
            let q = index_query(conn, "clause_fts", &words)?;
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
            let q = index_query(conn, "note_fts", &words)?;
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
    use super::{Ranker, TOKENIZER, fts_query, prepare_connection};

    #[test]
    fn user_text_never_becomes_query_syntax() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        prepare_connection(&conn).unwrap();
        let q = |input: &str| fts_query(&conn, input).unwrap();
        assert_eq!(q("border health").unwrap(), "\"border\" \"health\"*");
        assert_eq!(q("a\" OR b NEAR(c)").unwrap(), "\"a\" \"or\" \"b\" \"near\" \"c\"*");
        assert_eq!(q("كتاب").unwrap(), "\"کتاب\"*");
        assert_eq!(q("  ()* ").as_deref(), None);
        // Cut where the index's tokenizer cuts, never a phrase of two words,
        // and folded as it folds.
        assert_eq!(q("O'zbekiston").unwrap(), "\"o\" \"zbekiston\"*");
        assert_eq!(q("Sogʻliqni").unwrap(), "\"sogʻliqni\"*");
        assert_eq!(q("bⓞrder").unwrap(), "\"b\" \"rder\"*");
        assert_eq!(q("Санаторияҳо Ҷумҳурии").unwrap(), "\"санаторияҳо\" \"ҷумҳурии\"*");
        assert_eq!(q("café").unwrap(), "\"cafe\"*");
    }

    #[test]
    fn an_expanded_prefix_finds_the_rows_fts5s_prefix_finds() {
        use super::{INDEXES, MAX_EXPANSION, index_query, query_tokens};
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for (_, index, _, _) in INDEXES {
            conn.execute_batch(&format!(
                "CREATE VIRTUAL TABLE {index} USING fts5 (body, content = '', tokenize = '{TOKENIZER}')"
            ))
            .unwrap();
        }
        prepare_connection(&conn).unwrap();
        let mut texts = vec![
            "joint workshop on rehabilitation".to_owned(),
            "two workshops and a work plan".to_owned(),
            "world health day".to_owned(),
            "worker safety".to_owned(),
            "rehabilitation of the clinic".to_owned(),
            "کارگاه توانبخشی".to_owned(),
        ];
        // More terms beginning with "many" than are ever expanded.
        texts.extend((0..=MAX_EXPANSION).map(|i| format!("many{i} rehabilitation")));
        for (i, t) in texts.iter().enumerate() {
            conn.execute("INSERT INTO clause_fts (rowid, body) VALUES (?1, ?2)", rusqlite::params![i as i64 + 1, t])
                .unwrap();
        }
        let rows = |q: &str| -> Vec<i64> {
            let mut stmt =
                conn.prepare("SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?1 ORDER BY rowid DESC").unwrap();
            stmt.query_map([q], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        for (query, expected) in [
            ("work", 3),
            ("workshop", 2),
            ("rehab", 1 + 1 + MAX_EXPANSION + 1),
            ("rehabilitation work", 1),
            ("many rehabilitation", 0),
            ("rehabilitation many", MAX_EXPANSION + 1),
            ("توانبخ", 1),
            ("zzz", 0),
        ] {
            let words = query_tokens(&conn, query).unwrap();
            let expanded = index_query(&conn, "clause_fts", &words).unwrap();
            let prefix = fts_query(&conn, query).unwrap().unwrap();
            assert_eq!(rows(&expanded), rows(&prefix), "{query}: {expanded} against {prefix}");
            assert_eq!(rows(&expanded).len(), expected, "{query}");
        }
        let words = query_tokens(&conn, "work").unwrap();
        assert_eq!(
            index_query(&conn, "clause_fts", &words).unwrap(),
            "(\"work\" OR \"worker\" OR \"workshop\" OR \"workshops\")"
        );
        let words = query_tokens(&conn, "rehabilitation many").unwrap();
        assert_eq!(
            index_query(&conn, "clause_fts", &words).unwrap(),
            "\"rehabilitation\" AND \"many\"*",
            "too many terms: FTS5's prefix"
        );
    }

    #[test]
    fn queries_are_cut_by_the_tokenizer_of_the_indexes() {
        let s = crate::Store::open_in_memory().unwrap();
        let schema = s.schema_sql().unwrap();
        for index in ["clause_fts", "note_fts", "agreement_fts"] {
            let def = schema.split(";\n\n").find(|d| d.contains(&format!("CREATE VIRTUAL TABLE {index} "))).unwrap();
            assert!(def.contains(&format!("tokenize = '{TOKENIZER}'")), "{def}");
            assert_eq!(def.contains("detail = none"), index == "clause_fts", "{def}");
        }
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
