-- The index of open clauses by due date keys on a day number. Nothing here
-- changes what the register accepts or holds.
--
-- An import's deadlines spread over the years ahead, so its clauses land
-- all over that index: in a register of a million clauses an import of
-- 10,000 rewrote 1,466 of its pages, more than it wrote of clause rows. A
-- text date takes 10 bytes in an index entry; the same day as a number of
-- days since 1970-01-01 takes 2, which makes each entry 8 bytes smaller
-- and the index about 40% smaller, and with it what every import rewrites.
--
-- due_day is stored beside due_on, not computed by the index: an index
-- expression that calls a function makes every insert keep a statement
-- journal (see 003). The store writes both in the same statement; a CHECK,
-- added by the migration hook in store/migrate.rs, refuses a row that has
-- one without the other.

ALTER TABLE clauses ADD COLUMN due_day INTEGER;
-- Touches neither the counts nor the search index: no trigger watches due_day.
UPDATE clauses SET due_day = unixepoch(due_on) / 86400 WHERE due_on IS NOT NULL;

DROP INDEX clauses_open_by_due;
CREATE INDEX clauses_open_by_due ON clauses (due_day)
    WHERE deleted_at IS NULL AND due_day IS NOT NULL AND status NOT IN ('completed', 'cancelled');
-- As in 003: statistics for this index alone, so the next PRAGMA optimize
-- does not analyse the whole table.
ANALYZE clauses_open_by_due;
