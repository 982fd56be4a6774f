-- Each partner's live agreements, kept as a count as its clauses are
-- (issue 18). The all-partner dashboard counted them by joining every party
-- link to the agreements' liveness: on a register of ten thousand
-- agreements, the whole of two indexes, 356 of the 1,062 pages a dashboard
-- read from disk on its first visit. Triggers on the links and on an
-- agreement's insertion, deletion and restoration keep it; a link counts
-- once both it and its live agreement exist, in whichever order they came
-- (a received file applies its tables in its own order).
CREATE TABLE partner_agreement_counts (
    partner_id TEXT PRIMARY KEY,
    n          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO partner_agreement_counts (partner_id, n)
    SELECT ap.partner_id, count(*) FROM agreement_parties ap JOIN agreements a ON a.id = ap.agreement_id
    WHERE a.deleted_at IS NULL GROUP BY ap.partner_id;

CREATE TRIGGER parties_agreements_insert AFTER INSERT ON agreement_parties
WHEN EXISTS (SELECT 1 FROM agreements WHERE id = NEW.agreement_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO partner_agreement_counts (partner_id, n) VALUES (NEW.partner_id, 1)
        ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER parties_agreements_delete AFTER DELETE ON agreement_parties
WHEN EXISTS (SELECT 1 FROM agreements WHERE id = OLD.agreement_id AND deleted_at IS NULL)
BEGIN
    UPDATE partner_agreement_counts SET n = n - 1 WHERE partner_id = OLD.partner_id;
END;

-- Links are never moved by this program; a received file could.
CREATE TRIGGER parties_agreements_move AFTER UPDATE OF agreement_id, partner_id ON agreement_parties
BEGIN
    UPDATE partner_agreement_counts SET n = n - 1
        WHERE partner_id = OLD.partner_id
          AND EXISTS (SELECT 1 FROM agreements WHERE id = OLD.agreement_id AND deleted_at IS NULL);
    INSERT INTO partner_agreement_counts (partner_id, n)
        SELECT NEW.partner_id, 1 WHERE EXISTS (SELECT 1 FROM agreements WHERE id = NEW.agreement_id AND deleted_at IS NULL)
        ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER agreements_partners_insert AFTER INSERT ON agreements
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO partner_agreement_counts (partner_id, n)
        SELECT partner_id, 1 FROM agreement_parties WHERE agreement_id = NEW.id
        ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER agreements_partners_liveness AFTER UPDATE OF deleted_at ON agreements
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO partner_agreement_counts (partner_id, n)
        SELECT partner_id, CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END
        FROM agreement_parties WHERE agreement_id = NEW.id
        ON CONFLICT (partner_id) DO UPDATE SET n = n + excluded.n;
END;
