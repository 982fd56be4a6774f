-- Cheaper inserts, found by profiling the bulk insert of clauses. Nothing
-- here changes what the register accepts or holds.
--
-- 1. A CHECK or partial-index condition `x IN (a, b, c, …)` with more than
--    two values makes SQLite build a temporary b-tree of the list each time it
--    checks a row: a clause insert built six. Those lists become
--    `x = a OR x = b …`, and the index of open clauses says "neither
--    completed nor cancelled" (two values, compared in place).
-- 2. On a table with triggers, an immediate foreign key, or a function call
--    in a CHECK, makes every INSERT keep a statement journal: a copy of each
--    page it touches, to undo that one statement alone. Every write of the
--    store is one transaction, rolled back whole on any error, so that undo
--    buys nothing. The foreign keys become DEFERRABLE INITIALLY DEFERRED
--    (checked at commit; the store checks ids first and says which is
--    unknown), and the json_valid() check on clauses.tags becomes a check of
--    its first character (the store writes tags as a JSON array of strings).
-- 3. The monthly roll-up of open due dates (002) was kept by a trigger on
--    every changed row of partner_open_due: some 1,400 trigger runs for an
--    import of 1,000 clauses. The statements that change partner_open_due now
--    change the roll-up beside it, set-based, one statement each.
-- 4. An import (Store::create_clauses) writes one audit row, which counts the
--    clauses, instead of one per clause; each clause it creates names that
--    row in import_id, so the clause's history still begins with it.
--
-- The table definitions are edited in place by the migration hook in
-- store/migrate.rs (SQLite's documented procedure for changes that leave the
-- stored rows as they are); this file does the rest.

DROP INDEX clauses_open_by_due;
CREATE INDEX clauses_open_by_due ON clauses (due_on)
    WHERE deleted_at IS NULL AND due_on IS NOT NULL AND status NOT IN ('completed', 'cancelled');
-- Dropping the index dropped its planner statistics; gathering them for this
-- index alone reads only the index. Without them the next PRAGMA optimize
-- analyses the whole clauses table, which on a million clauses took minutes.
ANALYZE clauses_open_by_due;
-- count_queue is empty between writes and has no index, so ANALYZE records
-- nothing for it, and PRAGMA optimize, finding no size on record, analysed
-- it again on every open: a write and an fsync each time the register was
-- opened, and a failure on a read-only copy. Its size on record is now zero.
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('count_queue', NULL, '0');

-- The audit row of the import that created the clause; NULL for a clause
-- created on its own (its history has a 'create' row of its own).
ALTER TABLE clauses ADD COLUMN import_id TEXT;

DROP TRIGGER partner_open_due_month_insert;
DROP TRIGGER partner_open_due_month_update;

DROP TRIGGER count_flush_apply;
CREATE TRIGGER count_flush_apply INSTEAD OF INSERT ON count_flush
BEGIN
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT '*', status, sum(delta) FROM count_queue WHERE true GROUP BY status
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT ap.partner_id, q.status, sum(q.delta)
        FROM count_queue q CROSS JOIN agreement_parties ap ON ap.agreement_id = q.agreement_id
        WHERE true GROUP BY ap.partner_id, q.status
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT '*', due_on, sum(delta) FROM count_queue
        WHERE due_on IS NOT NULL AND status NOT IN ('completed', 'cancelled')
        GROUP BY due_on
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT ap.partner_id, q.due_on, sum(q.delta)
        FROM count_queue q CROSS JOIN agreement_parties ap ON ap.agreement_id = q.agreement_id
        WHERE q.due_on IS NOT NULL AND q.status NOT IN ('completed', 'cancelled')
        GROUP BY ap.partner_id, q.due_on
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (partner_id, month, n)
        SELECT '*', substr(due_on, 1, 7), sum(delta) FROM count_queue
        WHERE due_on IS NOT NULL AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 7)
        ON CONFLICT (partner_id, month) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (partner_id, month, n)
        SELECT ap.partner_id, substr(q.due_on, 1, 7), sum(q.delta)
        FROM count_queue q CROSS JOIN agreement_parties ap ON ap.agreement_id = q.agreement_id
        WHERE q.due_on IS NOT NULL AND q.status NOT IN ('completed', 'cancelled')
        GROUP BY ap.partner_id, substr(q.due_on, 1, 7)
        ON CONFLICT (partner_id, month) DO UPDATE SET n = n + excluded.n;
    DELETE FROM count_queue;
END;

DROP TRIGGER parties_count_insert;
CREATE TRIGGER parties_count_insert AFTER INSERT ON agreement_parties
WHEN (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    INSERT INTO count_flush VALUES (1);
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT NEW.partner_id, status, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL GROUP BY status
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT NEW.partner_id, due_on, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY due_on
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (partner_id, month, n)
        SELECT NEW.partner_id, substr(due_on, 1, 7), count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 7)
        ON CONFLICT (partner_id, month) DO UPDATE SET n = n + excluded.n;
END;

DROP TRIGGER parties_count_delete;
CREATE TRIGGER parties_count_delete AFTER DELETE ON agreement_parties
WHEN (SELECT deleted_at FROM agreements WHERE id = OLD.agreement_id) IS NULL
BEGIN
    INSERT INTO count_flush VALUES (1);
    UPDATE partner_status_counts SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = OLD.agreement_id AND c.deleted_at IS NULL AND c.status = partner_status_counts.status)
        WHERE partner_id = OLD.partner_id;
    UPDATE partner_open_due SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = OLD.agreement_id AND c.deleted_at IS NULL AND c.due_on = partner_open_due.due_on
              AND c.status NOT IN ('completed', 'cancelled'))
        WHERE partner_id = OLD.partner_id;
    UPDATE partner_open_due_month SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = OLD.agreement_id AND c.deleted_at IS NULL
              AND c.due_on >= partner_open_due_month.month || '-01' AND c.due_on <= partner_open_due_month.month || '-31'
              AND c.status NOT IN ('completed', 'cancelled'))
        WHERE partner_id = OLD.partner_id;
END;
