-- Overdue figures for the all-partner dashboard read every open due date
-- before today for every partner: on a million clauses, 300,000 rows of
-- partner_open_due per dashboard. A monthly roll-up of the same counts lets
-- the dashboard sum whole months before this one, and read day rows only for
-- the current month and the due-soon window.
CREATE TABLE partner_open_due_month (
    partner_id TEXT NOT NULL,
    month      TEXT NOT NULL, -- 'YYYY-MM' of due_on
    n          INTEGER NOT NULL,
    PRIMARY KEY (partner_id, month)
) STRICT, WITHOUT ROWID;

INSERT INTO partner_open_due_month (partner_id, month, n)
    SELECT partner_id, substr(due_on, 1, 7), sum(n) FROM partner_open_due GROUP BY partner_id, substr(due_on, 1, 7);

-- The roll-up follows every change of partner_open_due, which is only ever
-- inserted into (upserts included) and updated, never deleted from.
CREATE TRIGGER partner_open_due_month_insert AFTER INSERT ON partner_open_due
BEGIN
    INSERT INTO partner_open_due_month (partner_id, month, n) VALUES (NEW.partner_id, substr(NEW.due_on, 1, 7), NEW.n)
        ON CONFLICT (partner_id, month) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER partner_open_due_month_update AFTER UPDATE OF n ON partner_open_due
BEGIN
    INSERT INTO partner_open_due_month (partner_id, month, n)
        VALUES (NEW.partner_id, substr(NEW.due_on, 1, 7), NEW.n - OLD.n)
        ON CONFLICT (partner_id, month) DO UPDATE SET n = n + excluded.n;
END;
