-- The all-partner dashboard's due-date counts, keyed by date first (issue
-- 18). Keyed by partner, they made the dashboard read the whole monthly
-- table (every partner's months before this one) and seek once per partner
-- into the daily one: 600 of the 711 pages a cold dashboard read on a
-- million clauses. Keyed by date, this month's days and the due-soon window
-- are one range of the daily table, this year's earlier months one range of
-- the monthly table, and the years before one range of a new yearly table.
--
-- The triggers that write these tables are dropped first (a table they name
-- cannot be renamed into place while they name a missing one) and made
-- again with the yearly table. The party links' delete trigger now
-- subtracts by upsert, as its insert trigger adds, reading only the
-- agreement's clauses rather than every row of the partner.
DROP TRIGGER count_flush_apply;
DROP TRIGGER parties_count_insert;
DROP TRIGGER parties_count_delete;

CREATE TABLE due_by_day (
    due_on     TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (due_on, partner_id)
) STRICT, WITHOUT ROWID;
INSERT INTO due_by_day (due_on, partner_id, n) SELECT due_on, partner_id, n FROM partner_open_due WHERE n <> 0;
DROP TABLE partner_open_due;
ALTER TABLE due_by_day RENAME TO partner_open_due;

CREATE TABLE due_by_month (
    month      TEXT NOT NULL, -- 'YYYY-MM' of due_on
    partner_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (month, partner_id)
) STRICT, WITHOUT ROWID;
INSERT INTO due_by_month (month, partner_id, n) SELECT month, partner_id, n FROM partner_open_due_month WHERE n <> 0;
DROP TABLE partner_open_due_month;
ALTER TABLE due_by_month RENAME TO partner_open_due_month;

CREATE TABLE partner_open_due_year (
    year       TEXT NOT NULL, -- 'YYYY' of due_on
    partner_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (year, partner_id)
) STRICT, WITHOUT ROWID;
INSERT INTO partner_open_due_year (year, partner_id, n)
    SELECT substr(month, 1, 4), partner_id, sum(n) FROM partner_open_due_month
    GROUP BY substr(month, 1, 4), partner_id HAVING sum(n) <> 0;

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
    INSERT INTO partner_open_due (due_on, partner_id, n)
        SELECT due_on, '*', sum(delta) FROM count_queue
        WHERE due_on IS NOT NULL AND status NOT IN ('completed', 'cancelled')
        GROUP BY due_on
        ON CONFLICT (due_on, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (due_on, partner_id, n)
        SELECT q.due_on, ap.partner_id, sum(q.delta)
        FROM count_queue q CROSS JOIN agreement_parties ap ON ap.agreement_id = q.agreement_id
        WHERE q.due_on IS NOT NULL AND q.status NOT IN ('completed', 'cancelled')
        GROUP BY q.due_on, ap.partner_id
        ON CONFLICT (due_on, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (month, partner_id, n)
        SELECT substr(due_on, 1, 7), '*', sum(delta) FROM count_queue
        WHERE due_on IS NOT NULL AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 7)
        ON CONFLICT (month, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (month, partner_id, n)
        SELECT substr(q.due_on, 1, 7), ap.partner_id, sum(q.delta)
        FROM count_queue q CROSS JOIN agreement_parties ap ON ap.agreement_id = q.agreement_id
        WHERE q.due_on IS NOT NULL AND q.status NOT IN ('completed', 'cancelled')
        GROUP BY substr(q.due_on, 1, 7), ap.partner_id
        ON CONFLICT (month, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_year (year, partner_id, n)
        SELECT substr(due_on, 1, 4), '*', sum(delta) FROM count_queue
        WHERE due_on IS NOT NULL AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 4)
        ON CONFLICT (year, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_year (year, partner_id, n)
        SELECT substr(q.due_on, 1, 4), ap.partner_id, sum(q.delta)
        FROM count_queue q CROSS JOIN agreement_parties ap ON ap.agreement_id = q.agreement_id
        WHERE q.due_on IS NOT NULL AND q.status NOT IN ('completed', 'cancelled')
        GROUP BY substr(q.due_on, 1, 4), ap.partner_id
        ON CONFLICT (year, partner_id) DO UPDATE SET n = n + excluded.n;
    DELETE FROM count_queue;
END;

CREATE TRIGGER parties_count_insert AFTER INSERT ON agreement_parties
WHEN (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    INSERT INTO count_flush VALUES (1);
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT NEW.partner_id, status, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL GROUP BY status
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (due_on, partner_id, n)
        SELECT due_on, NEW.partner_id, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY due_on
        ON CONFLICT (due_on, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (month, partner_id, n)
        SELECT substr(due_on, 1, 7), NEW.partner_id, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 7)
        ON CONFLICT (month, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_year (year, partner_id, n)
        SELECT substr(due_on, 1, 4), NEW.partner_id, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 4)
        ON CONFLICT (year, partner_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER parties_count_delete AFTER DELETE ON agreement_parties
WHEN (SELECT deleted_at FROM agreements WHERE id = OLD.agreement_id) IS NULL
BEGIN
    INSERT INTO count_flush VALUES (1);
    UPDATE partner_status_counts SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = OLD.agreement_id AND c.deleted_at IS NULL AND c.status = partner_status_counts.status)
        WHERE partner_id = OLD.partner_id;
    INSERT INTO partner_open_due (due_on, partner_id, n)
        SELECT due_on, OLD.partner_id, -count(*) FROM clauses
        WHERE agreement_id = OLD.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY due_on
        ON CONFLICT (due_on, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_month (month, partner_id, n)
        SELECT substr(due_on, 1, 7), OLD.partner_id, -count(*) FROM clauses
        WHERE agreement_id = OLD.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 7)
        ON CONFLICT (month, partner_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due_year (year, partner_id, n)
        SELECT substr(due_on, 1, 4), OLD.partner_id, -count(*) FROM clauses
        WHERE agreement_id = OLD.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status NOT IN ('completed', 'cancelled')
        GROUP BY substr(due_on, 1, 4)
        ON CONFLICT (year, partner_id) DO UPDATE SET n = n + excluded.n;
END;
