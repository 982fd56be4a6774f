-- table agreement_fts
CREATE VIRTUAL TABLE agreement_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

-- table agreement_parties
CREATE TABLE agreement_parties (
    id           TEXT PRIMARY KEY,
    agreement_id TEXT NOT NULL REFERENCES agreements (id),
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    position     INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (agreement_id, partner_id)
) STRICT;

-- table agreements
CREATE TABLE agreements (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('mou', 'cooperation_memorandum', 'action_plan', 'joint_project', 'other')),
    title          TEXT NOT NULL CHECK (title <> ''),
    reference      TEXT,
    our_signatory  TEXT,
    calendar       TEXT NOT NULL CHECK (calendar IN ('gregorian', 'persian')),
    signed_on      TEXT,
    in_force_from  TEXT,
    in_force_until TEXT,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'in_force', 'expired', 'terminated')),
    source         TEXT,
    summary        TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deletion_id    TEXT
) STRICT;

-- table audit
CREATE TABLE audit (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('settings', 'partner', 'agreement', 'clause', 'note', 'deletion')),
    entity_id TEXT NOT NULL,
    -- The clause (or agreement) a row also belongs to, so a clause's history
    -- includes its notes.
    scope_id  TEXT,
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'move', 'delete', 'restore', 'import')),
    changes   TEXT NOT NULL CHECK (json_valid(changes))
) STRICT;

-- table clause_fts
CREATE VIRTUAL TABLE clause_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

-- table clauses
CREATE TABLE clauses (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES agreements (id),
    parent_id       TEXT REFERENCES clauses (id),
    position        INTEGER NOT NULL,
    number          TEXT NOT NULL CHECK (number <> ''),
    text            TEXT NOT NULL CHECK (text <> ''),
    our_lead        TEXT,
    partner_lead    TEXT,
    -- The deadline as the officer wrote it: none, a fixed date, or an offset
    -- after the agreement's signing counted in the agreement's calendar.
    deadline_kind   TEXT NOT NULL CHECK (deadline_kind IN ('none', 'on', 'after_signing')),
    deadline_on     TEXT,
    deadline_amount INTEGER,
    deadline_unit   TEXT CHECK (deadline_unit IN ('days', 'months')),
    -- The resolved deadline, kept for indexing. The store recomputes it in the
    -- same transaction whenever the deadline or the agreement's signing date
    -- or calendar changes. Overdue and due-soon are never stored.
    due_on          TEXT,
    status          TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'on_hold', 'cancelled')),
    percent         INTEGER CHECK (percent BETWEEN 0 AND 100),
    indicator       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    deletion_id     TEXT,
    CHECK ((deadline_kind = 'none' AND deadline_on IS NULL AND deadline_amount IS NULL AND deadline_unit IS NULL)
        OR (deadline_kind = 'on' AND deadline_on IS NOT NULL AND deadline_amount IS NULL AND deadline_unit IS NULL)
        OR (deadline_kind = 'after_signing' AND deadline_on IS NULL AND deadline_amount >= 0 AND deadline_unit IS NOT NULL))
) STRICT;

-- table note_fts
CREATE VIRTUAL TABLE note_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

-- table notes
CREATE TABLE notes (
    id          TEXT PRIMARY KEY,
    clause_id   TEXT NOT NULL REFERENCES clauses (id),
    on_date     TEXT NOT NULL,
    author      TEXT NOT NULL,
    text        TEXT NOT NULL CHECK (text <> ''),
    status_from TEXT,
    status_to   TEXT CHECK (status_to IN ('not_started', 'in_progress', 'completed', 'on_hold', 'cancelled')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    deletion_id TEXT
) STRICT;

-- table partner_open_due
CREATE TABLE partner_open_due (
    partner_id TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (partner_id, due_on)
) STRICT, WITHOUT ROWID;

-- table partner_status_counts
CREATE TABLE partner_status_counts (
    partner_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (partner_id, status)
) STRICT, WITHOUT ROWID;

-- table partners
CREATE TABLE partners (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('country', 'organisation')),
    name        TEXT NOT NULL CHECK (name <> ''),
    name_fa     TEXT,
    name_local  TEXT,
    local_lang  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    deletion_id TEXT
) STRICT;

-- table settings
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- index agreement_parties_by_partner
CREATE INDEX agreement_parties_by_partner ON agreement_parties (partner_id, agreement_id);

-- index audit_by_entity
CREATE INDEX audit_by_entity ON audit (entity_id, at);

-- index audit_by_scope
CREATE INDEX audit_by_scope ON audit (scope_id, at) WHERE scope_id IS NOT NULL;

-- index clauses_by_agreement
CREATE INDEX clauses_by_agreement ON clauses (agreement_id, parent_id, position);

-- index clauses_by_agreement_status
CREATE INDEX clauses_by_agreement_status ON clauses (agreement_id, status, due_on) WHERE deleted_at IS NULL;

-- index clauses_by_deletion
CREATE INDEX clauses_by_deletion ON clauses (deletion_id) WHERE deletion_id IS NOT NULL;

-- index clauses_by_parent
CREATE INDEX clauses_by_parent ON clauses (parent_id) WHERE parent_id IS NOT NULL;

-- index clauses_open_by_due
CREATE INDEX clauses_open_by_due ON clauses (due_on)
    WHERE deleted_at IS NULL AND due_on IS NOT NULL AND status IN ('not_started', 'in_progress', 'on_hold');

-- index clauses_unique_number
CREATE UNIQUE INDEX clauses_unique_number ON clauses (agreement_id, coalesce(parent_id, ''), number)
    WHERE deleted_at IS NULL;

-- index notes_by_clause
CREATE INDEX notes_by_clause ON notes (clause_id, on_date, created_at);

-- trigger agreements_count_delete
CREATE TRIGGER agreements_count_delete AFTER UPDATE OF deleted_at ON agreements
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
BEGIN
    UPDATE partner_status_counts SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = NEW.id AND c.deleted_at IS NULL AND c.status = partner_status_counts.status)
        WHERE partner_id = '*' OR partner_id IN (SELECT partner_id FROM agreement_parties WHERE agreement_id = NEW.id);
    UPDATE partner_open_due SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = NEW.id AND c.deleted_at IS NULL AND c.due_on = partner_open_due.due_on
              AND c.status IN ('not_started', 'in_progress', 'on_hold'))
        WHERE partner_id = '*' OR partner_id IN (SELECT partner_id FROM agreement_parties WHERE agreement_id = NEW.id);
    DELETE FROM partner_open_due WHERE n = 0;
END;

-- trigger agreements_count_restore
CREATE TRIGGER agreements_count_restore AFTER UPDATE OF deleted_at ON agreements
WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT p.partner_id, c.status, count(*)
        FROM (SELECT partner_id, agreement_id FROM agreement_parties WHERE agreement_id = NEW.id UNION ALL SELECT '*', NEW.id) p
        JOIN clauses c ON c.agreement_id = p.agreement_id
        WHERE p.agreement_id = NEW.id AND c.deleted_at IS NULL
        GROUP BY p.partner_id, c.status
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT p.partner_id, c.due_on, count(*)
        FROM (SELECT partner_id, agreement_id FROM agreement_parties WHERE agreement_id = NEW.id UNION ALL SELECT '*', NEW.id) p
        JOIN clauses c ON c.agreement_id = p.agreement_id
        WHERE p.agreement_id = NEW.id AND c.deleted_at IS NULL AND c.due_on IS NOT NULL
          AND c.status IN ('not_started', 'in_progress', 'on_hold')
        GROUP BY p.partner_id, c.due_on
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
END;

-- trigger clauses_count_insert
CREATE TRIGGER clauses_count_insert AFTER INSERT ON clauses
WHEN NEW.deleted_at IS NULL AND (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT partner_id, NEW.status, 1 FROM (SELECT partner_id FROM agreement_parties WHERE agreement_id = NEW.agreement_id UNION ALL SELECT '*')
        WHERE true
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT partner_id, NEW.due_on, 1 FROM (SELECT partner_id FROM agreement_parties WHERE agreement_id = NEW.agreement_id UNION ALL SELECT '*')
        WHERE NEW.due_on IS NOT NULL
          AND NEW.status IN ('not_started', 'in_progress', 'on_hold')
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
END;

-- trigger clauses_count_update
CREATE TRIGGER clauses_count_update AFTER UPDATE OF status, due_on, deleted_at ON clauses
WHEN (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    UPDATE partner_status_counts SET n = n - 1
        WHERE OLD.deleted_at IS NULL AND status = OLD.status
          AND (partner_id = '*' OR partner_id IN (SELECT partner_id FROM agreement_parties WHERE agreement_id = OLD.agreement_id));
    UPDATE partner_open_due SET n = n - 1
        WHERE OLD.deleted_at IS NULL AND OLD.status IN ('not_started', 'in_progress', 'on_hold')
          AND due_on = OLD.due_on
          AND (partner_id = '*' OR partner_id IN (SELECT partner_id FROM agreement_parties WHERE agreement_id = OLD.agreement_id));
    DELETE FROM partner_open_due WHERE n = 0 AND due_on = OLD.due_on;
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT partner_id, NEW.status, 1 FROM (SELECT partner_id FROM agreement_parties WHERE agreement_id = NEW.agreement_id UNION ALL SELECT '*')
        WHERE NEW.deleted_at IS NULL
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT partner_id, NEW.due_on, 1 FROM (SELECT partner_id FROM agreement_parties WHERE agreement_id = NEW.agreement_id UNION ALL SELECT '*')
        WHERE NEW.deleted_at IS NULL AND NEW.due_on IS NOT NULL
          AND NEW.status IN ('not_started', 'in_progress', 'on_hold')
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
END;

-- trigger parties_count_delete
CREATE TRIGGER parties_count_delete AFTER DELETE ON agreement_parties
WHEN (SELECT deleted_at FROM agreements WHERE id = OLD.agreement_id) IS NULL
BEGIN
    UPDATE partner_status_counts SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = OLD.agreement_id AND c.deleted_at IS NULL
              AND c.status = partner_status_counts.status)
        WHERE partner_id = OLD.partner_id;
    UPDATE partner_open_due SET n = n - (
            SELECT count(*) FROM clauses c
            WHERE c.agreement_id = OLD.agreement_id AND c.deleted_at IS NULL
              AND c.due_on = partner_open_due.due_on
              AND c.status IN ('not_started', 'in_progress', 'on_hold'))
        WHERE partner_id = OLD.partner_id;
    DELETE FROM partner_open_due WHERE partner_id = OLD.partner_id AND n = 0;
END;

-- trigger parties_count_insert
CREATE TRIGGER parties_count_insert AFTER INSERT ON agreement_parties
WHEN (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    INSERT INTO partner_status_counts (partner_id, status, n)
        SELECT NEW.partner_id, status, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL GROUP BY status
        ON CONFLICT (partner_id, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO partner_open_due (partner_id, due_on, n)
        SELECT NEW.partner_id, due_on, count(*) FROM clauses
        WHERE agreement_id = NEW.agreement_id AND deleted_at IS NULL AND due_on IS NOT NULL
          AND status IN ('not_started', 'in_progress', 'on_hold')
        GROUP BY due_on
        ON CONFLICT (partner_id, due_on) DO UPDATE SET n = n + excluded.n;
END;

