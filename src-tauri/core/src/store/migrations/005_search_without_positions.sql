-- The index of clause text records which clauses hold a word, no longer
-- where in the clause it stands (FTS5 `detail = none`). Nothing here changes
-- what the register holds. What a search finds changes in one corner only:
-- a word the tokenizer cuts in two ("o'zbek") used to match its pieces side
-- by side, and now matches clauses holding both pieces.
--
-- A search asks for rows that hold every word of the query, the last as a
-- prefix, and ranks them itself (store/search.rs): no phrase, no NEAR, no
-- bm25(), no snippet() ever needed a word's position. Positions made the
-- clause index three times its size (65 MB against 21 MB for a million
-- clauses), and FTS5 copies every stored entry each time it merges its
-- segments: in a million-clause register that merging was the largest single
-- cost of an import, growing as imports followed each other (see
-- docs/performance.md).
--
-- The note and agreement indexes keep their positions. No import writes
-- notes, and without positions FTS5 is about three times slower to gather
-- the rows of a prefix (the last query word): 54 ms instead of 17 ms for a
-- common word in three million notes.
--
-- A quoted query word that the tokenizer cuts in two ("o'zbek" is "o" and
-- "zbek") is a phrase, which an index without positions refuses. So the
-- store now cuts a query into words with the indexes' own tokenizer
-- (search::query_tokens), and every quoted word is one token.
--
-- The index is contentless, so it cannot rebuild itself: the migration hook
-- in store/migrate.rs indexes every live clause again, with the same text
-- the store indexes. That covers any clause waiting in search_queue (changed
-- outside the store since its last write), so those entries go rather than
-- being indexed a second time.

DROP TABLE clause_fts;
CREATE VIRTUAL TABLE clause_fts USING fts5 (body, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2');
DELETE FROM search_queue WHERE kind = 'clause';
