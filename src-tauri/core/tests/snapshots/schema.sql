-- table agenda_items
CREATE TABLE agenda_items (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    position   INTEGER NOT NULL,
    clause_id  TEXT REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    text       TEXT,
    CHECK (clause_id IS NOT NULL OR text IS NOT NULL)
) STRICT;

-- table agreement_fts
CREATE VIRTUAL TABLE agreement_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

-- table agreement_parties
CREATE TABLE agreement_parties (
    id           TEXT PRIMARY KEY,
    agreement_id TEXT NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    partner_id   TEXT NOT NULL REFERENCES partners (id) DEFERRABLE INITIALLY DEFERRED,
    position     INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (agreement_id, partner_id)
) STRICT;

-- table agreements
CREATE TABLE agreements (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind = 'mou' OR kind = 'cooperation_memorandum' OR kind = 'action_plan' OR kind = 'joint_project' OR kind = 'other'),
    title          TEXT NOT NULL CHECK (title <> ''),
    reference      TEXT,
    our_signatory  TEXT,
    calendar       TEXT NOT NULL CHECK (calendar IN ('gregorian', 'persian')),
    signed_on      TEXT,
    in_force_from  TEXT,
    in_force_until TEXT,
    status         TEXT NOT NULL CHECK (status = 'draft' OR status = 'signed' OR status = 'in_force' OR status = 'expired' OR status = 'terminated'),
    source         TEXT,
    summary        TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deletion_id    TEXT
) STRICT;

-- table attachment_files
CREATE TABLE attachment_files (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size   INTEGER NOT NULL CHECK (size > 0),
    -- Written and read in pieces (SQLite's incremental blob I/O), so a large
    -- file is never held whole in memory.
    data   BLOB NOT NULL
) STRICT;

-- table attachments
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    owner_kind  TEXT NOT NULL CHECK (owner_kind = 'agreement' OR owner_kind = 'clause' OR owner_kind = 'meeting'),
    owner_id    TEXT NOT NULL,
    -- The name the officer's file had (user text, shown; never a path).
    name        TEXT NOT NULL CHECK (length(name) > 0),
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size > 0),
    sha256      TEXT NOT NULL REFERENCES attachment_files (sha256),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    deletion_id TEXT
) STRICT;

-- table audit
CREATE TABLE audit (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity = 'settings' OR entity = 'partner' OR entity = 'agreement' OR entity = 'clause' OR entity = 'note' OR entity = 'deletion' OR entity = 'meeting' OR entity = 'attachment' OR entity = 'exchange'),
    entity_id TEXT NOT NULL,
    -- The clause (or agreement) a row also belongs to, so a clause's history
    -- includes its notes.
    scope_id  TEXT,
    action    TEXT NOT NULL CHECK (action = 'create' OR action = 'update' OR action = 'move' OR action = 'delete' OR action = 'restore' OR action = 'import' OR action = 'receive' OR action = 'resolve'),
    changes   TEXT NOT NULL CHECK (json_valid(changes))
) STRICT, WITHOUT ROWID;

-- table clause_fts
CREATE VIRTUAL TABLE clause_fts USING fts5 (body, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2');

-- table clauses
CREATE TABLE clauses (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    parent_id       TEXT REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    position        INTEGER NOT NULL,
    number          TEXT NOT NULL CHECK (number <> ''),
    text            TEXT NOT NULL CHECK (text <> ''),
    our_lead        TEXT,
    partner_lead    TEXT,
    -- The deadline as the officer wrote it: none, a fixed date, or an offset
    -- after the agreement's signing counted in the agreement's calendar.
    deadline_kind   TEXT NOT NULL CHECK (deadline_kind = 'none' OR deadline_kind = 'on' OR deadline_kind = 'after_signing'),
    deadline_on     TEXT,
    deadline_amount INTEGER,
    deadline_unit   TEXT CHECK (deadline_unit IN ('days', 'months')),
    -- The resolved deadline, kept for indexing. The store recomputes it in the
    -- same transaction whenever the deadline or the agreement's signing date
    -- or calendar changes. Overdue and due-soon are never stored.
    due_on          TEXT,
    status          TEXT NOT NULL CHECK (status = 'not_started' OR status = 'in_progress' OR status = 'completed' OR status = 'on_hold' OR status = 'cancelled'),
    percent         INTEGER CHECK (percent BETWEEN 0 AND 100),
    indicator       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]' CHECK (tags >= '[' AND tags < '\'),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    deletion_id     TEXT, import_id TEXT, due_day INTEGER CHECK ((due_day IS NULL) = (due_on IS NULL)),
    CHECK ((deadline_kind = 'none' AND deadline_on IS NULL AND deadline_amount IS NULL AND deadline_unit IS NULL)
        OR (deadline_kind = 'on' AND deadline_on IS NOT NULL AND deadline_amount IS NULL AND deadline_unit IS NULL)
        OR (deadline_kind = 'after_signing' AND deadline_on IS NULL AND deadline_amount >= 0 AND deadline_unit IS NOT NULL))
) STRICT;

-- table count_queue
CREATE TABLE count_queue (
    agreement_id TEXT NOT NULL,
    status       TEXT NOT NULL,
    due_on       TEXT,
    delta        INTEGER NOT NULL
) STRICT;

-- table exchange_conflicts
CREATE TABLE exchange_conflicts (
    id          TEXT PRIMARY KEY,
    file_id     TEXT NOT NULL REFERENCES exchange_files (id),
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    field       TEXT NOT NULL,
    -- The register theirs was made in: its later change to the field
    -- supersedes this one.
    origin      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind = 'both_changed' OR kind = 'deleted_there' OR kind = 'deleted_here'),
    base        TEXT NOT NULL,
    mine        TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    -- Fields that go with theirs when it is chosen (a deletion's id).
    theirs_also TEXT NOT NULL DEFAULT '{}',
    resolved_at TEXT,
    choice      TEXT CHECK (choice = 'mine' OR choice = 'theirs')
) STRICT;

-- table exchange_files
CREATE TABLE exchange_files (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction = 'sent' OR direction = 'received'),
    scope     TEXT NOT NULL,
    peer      TEXT NOT NULL,          -- the recipient's name, or the sender's officer
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    entries   INTEGER NOT NULL,
    changes   INTEGER NOT NULL,       -- rows a received file changed here
    conflicts INTEGER NOT NULL
) STRICT;

-- table exchange_log
CREATE TABLE exchange_log (
    seq        INTEGER PRIMARY KEY,   -- this register's order of the entries
    origin     TEXT NOT NULL,         -- the register_id the change began in
    origin_seq INTEGER NOT NULL CHECK (origin_seq > 0),
    at         TEXT NOT NULL,
    changeset  BLOB NOT NULL,
    -- For each field the changeset updates, the change it was made on top
    -- of (`exchange::encode_bases`).
    bases      BLOB NOT NULL,
    UNIQUE (origin, origin_seq)
) STRICT;

-- table exchange_recipients
CREATE TABLE exchange_recipients (
    name      TEXT PRIMARY KEY CHECK (name <> ''),
    sent_upto INTEGER NOT NULL
) STRICT;

-- table exchange_senders
CREATE TABLE exchange_senders (
    register_id   TEXT PRIMARY KEY,
    officer       TEXT NOT NULL,
    received_upto INTEGER NOT NULL
) STRICT;

-- table exchange_versions
CREATE TABLE exchange_versions (
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    field      TEXT NOT NULL,
    origin     TEXT NOT NULL,
    origin_seq INTEGER NOT NULL,
    PRIMARY KEY (table_name, row_id, field)
) STRICT, WITHOUT ROWID;

-- table import_changes
CREATE TABLE import_changes (
    import_id TEXT NOT NULL REFERENCES imports (id) DEFERRABLE INITIALLY DEFERRED,
    clause_id TEXT NOT NULL REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    before    TEXT NOT NULL CHECK (json_valid(before)),
    PRIMARY KEY (import_id, clause_id)
) STRICT, WITHOUT ROWID;

-- table import_mappings
CREATE TABLE import_mappings (
    heads      TEXT PRIMARY KEY,
    mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
    updated_at TEXT NOT NULL
) STRICT;

-- table imports
CREATE TABLE imports (
    id            TEXT PRIMARY KEY,
    agreement_id  TEXT NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    new_agreement INTEGER NOT NULL CHECK (new_agreement = 0 OR new_agreement = 1),
    at            TEXT NOT NULL,
    undone_at     TEXT
) STRICT;

-- table meeting_agreements
CREATE TABLE meeting_agreements (
    meeting_id   TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    agreement_id TEXT NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (meeting_id, agreement_id)
) STRICT, WITHOUT ROWID;

-- table meeting_participants
CREATE TABLE meeting_participants (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    side       TEXT NOT NULL CHECK (side IN ('ours', 'theirs')),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL CHECK (name <> ''),
    role       TEXT,
    body       TEXT
) STRICT;

-- table meeting_partners
CREATE TABLE meeting_partners (
    meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    partner_id TEXT NOT NULL REFERENCES partners (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (meeting_id, partner_id)
) STRICT, WITHOUT ROWID;

-- table meetings
CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL CHECK (title <> ''),
    kind        TEXT NOT NULL CHECK (kind = 'joint_commission' OR kind = 'bilateral' OR kind = 'working_group' OR kind = 'visit' OR kind = 'remote'),
    -- The day it is held (ISO, Gregorian) and the calendar the officer gave it in.
    on_date     TEXT NOT NULL,
    calendar    TEXT NOT NULL CHECK (calendar IN ('gregorian', 'persian')),
    -- 'HH:MM', local time, or none.
    starts_at   TEXT CHECK (starts_at IS NULL OR starts_at GLOB '[0-2][0-9]:[0-5][0-9]'),
    -- Where it is held; none when remote.
    place       TEXT,
    remote      INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1)),
    status      TEXT NOT NULL CHECK (status = 'planned' OR status = 'held' OR status = 'cancelled'),
    next_on     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    deletion_id TEXT
) STRICT;

-- table note_fts
CREATE VIRTUAL TABLE note_fts USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

-- table notes
CREATE TABLE notes (
    id          TEXT PRIMARY KEY,
    clause_id   TEXT NOT NULL REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    on_date     TEXT NOT NULL,
    author      TEXT NOT NULL,
    text        TEXT NOT NULL CHECK (text <> ''),
    status_from TEXT,
    status_to   TEXT CHECK (status_to = 'not_started' OR status_to = 'in_progress' OR status_to = 'completed' OR status_to = 'on_hold' OR status_to = 'cancelled'),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    deletion_id TEXT
, import_id TEXT) STRICT;

-- table outcomes
CREATE TABLE outcomes (
    id          TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES agenda_items (id) DEFERRABLE INITIALLY DEFERRED,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind = 'information' OR kind = 'decision' OR kind = 'clause_update' OR kind = 'new_clause'),
    text        TEXT,
    owner_side  TEXT CHECK (owner_side IN ('ours', 'theirs')),
    owner       TEXT,
    due_on      TEXT,
    clause_id   TEXT REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    proposal    TEXT CHECK (proposal IS NULL OR json_valid(proposal)),
    applied_at  TEXT,
    -- The clause an applied "new clause" outcome created.
    created_clause_id TEXT,
    created_at  TEXT NOT NULL,
    deleted_at  TEXT, applied_changes TEXT CHECK (applied_changes IS NULL OR json_valid(applied_changes)),
    CHECK ((kind IN ('clause_update', 'new_clause')) = (proposal IS NOT NULL)),
    CHECK (kind <> 'clause_update' OR clause_id IS NOT NULL)
) STRICT;

-- table partner_agreement_counts
CREATE TABLE partner_agreement_counts (
    partner_id TEXT PRIMARY KEY,
    n          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- table partner_open_due
CREATE TABLE "partner_open_due" (
    due_on     TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (due_on, partner_id)
) STRICT, WITHOUT ROWID;

-- table partner_open_due_month
CREATE TABLE "partner_open_due_month" (
    month      TEXT NOT NULL, -- 'YYYY-MM' of due_on
    partner_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (month, partner_id)
) STRICT, WITHOUT ROWID;

-- table partner_open_due_year
CREATE TABLE partner_open_due_year (
    year       TEXT NOT NULL, -- 'YYYY' of due_on
    partner_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (year, partner_id)
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

-- table reminder_leads
CREATE TABLE reminder_leads (
    clause_id TEXT PRIMARY KEY REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    days      INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365)
) STRICT, WITHOUT ROWID;

-- table reminder_snoozes
CREATE TABLE reminder_snoozes (
    clause_id TEXT PRIMARY KEY REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    until     TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- table search_queue
CREATE TABLE search_queue (
    kind    TEXT NOT NULL CHECK (kind = 'clause' OR kind = 'note' OR kind = 'agreement'),
    row     INTEGER NOT NULL,
    reindex INTEGER NOT NULL,
    PRIMARY KEY (kind, row)
) STRICT, WITHOUT ROWID;

-- table settings
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- index agenda_items_by_meeting
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, position);

-- index agreement_parties_by_partner
CREATE INDEX agreement_parties_by_partner ON agreement_parties (partner_id, agreement_id);

-- index agreements_live
CREATE INDEX agreements_live ON agreements (id, deleted_at);

-- index attachments_by_deletion
CREATE INDEX attachments_by_deletion ON attachments (deletion_id) WHERE deletion_id IS NOT NULL;

-- index attachments_by_owner
CREATE INDEX attachments_by_owner ON attachments (owner_id, created_at);

-- index audit_by_entity
CREATE INDEX audit_by_entity ON audit (entity_id, at);

-- index audit_by_scope
CREATE INDEX audit_by_scope ON audit (scope_id, at) WHERE scope_id IS NOT NULL;

-- index clauses_by_agreement_status
CREATE INDEX clauses_by_agreement_status ON clauses (agreement_id, status, due_on) WHERE deleted_at IS NULL;

-- index clauses_by_deletion
CREATE INDEX clauses_by_deletion ON clauses (deletion_id) WHERE deletion_id IS NOT NULL;

-- index clauses_open_by_due
CREATE INDEX clauses_open_by_due ON clauses (due_day)
    WHERE deleted_at IS NULL AND due_day IS NOT NULL AND status NOT IN ('completed', 'cancelled');

-- index clauses_unique_number
CREATE UNIQUE INDEX clauses_unique_number ON clauses (agreement_id, coalesce(parent_id, ''), number)
    WHERE deleted_at IS NULL;

-- index exchange_conflicts_open
CREATE INDEX exchange_conflicts_open ON exchange_conflicts (table_name, row_id, field) WHERE resolved_at IS NULL;

-- index meeting_agreements_by_agreement
CREATE INDEX meeting_agreements_by_agreement ON meeting_agreements (agreement_id, meeting_id);

-- index meeting_participants_by_meeting
CREATE INDEX meeting_participants_by_meeting ON meeting_participants (meeting_id, side, position);

-- index meeting_partners_by_partner
CREATE INDEX meeting_partners_by_partner ON meeting_partners (partner_id, meeting_id);

-- index meetings_by_date
CREATE INDEX meetings_by_date ON meetings (on_date) WHERE deleted_at IS NULL;

-- index notes_by_clause
CREATE INDEX notes_by_clause ON notes (clause_id, on_date, created_at);

-- index outcomes_by_item
CREATE INDEX outcomes_by_item ON outcomes (item_id, position);

-- trigger agreements_count_liveness
CREATE TRIGGER agreements_count_liveness AFTER UPDATE OF deleted_at ON agreements
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO count_flush VALUES (1);
    INSERT INTO count_queue
        SELECT agreement_id, status, due_on, CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END
        FROM clauses WHERE agreement_id = NEW.id AND deleted_at IS NULL;
    INSERT INTO count_flush VALUES (1);
END;

-- trigger agreements_partners_insert
CREATE TRIGGER agreements_partners_insert AFTER INSERT ON agreements
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO partner_agreement_counts (partner_id, n)
        SELECT partner_id, 1 FROM agreement_parties WHERE agreement_id = NEW.id
        ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

-- trigger agreements_partners_liveness
CREATE TRIGGER agreements_partners_liveness AFTER UPDATE OF deleted_at ON agreements
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    INSERT INTO partner_agreement_counts (partner_id, n)
        SELECT partner_id, CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END
        FROM agreement_parties WHERE agreement_id = NEW.id
        ON CONFLICT (partner_id) DO UPDATE SET n = n + excluded.n;
END;

-- trigger agreements_search_insert
CREATE TRIGGER agreements_search_insert AFTER INSERT ON agreements BEGIN
    INSERT INTO search_queue VALUES ('agreement', NEW.rowid, 0) ON CONFLICT DO NOTHING;
END;

-- trigger agreements_search_update
CREATE TRIGGER agreements_search_update AFTER UPDATE OF title, reference, summary, deleted_at ON agreements BEGIN
    INSERT INTO search_queue VALUES ('agreement', NEW.rowid, 1) ON CONFLICT DO NOTHING;
END;

-- trigger clauses_count_insert
CREATE TRIGGER clauses_count_insert AFTER INSERT ON clauses
WHEN NEW.deleted_at IS NULL AND (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    INSERT INTO count_queue VALUES (NEW.agreement_id, NEW.status, NEW.due_on, 1);
END;

-- trigger clauses_count_update
CREATE TRIGGER clauses_count_update AFTER UPDATE OF status, due_on, deleted_at ON clauses
WHEN (SELECT deleted_at FROM agreements WHERE id = NEW.agreement_id) IS NULL
BEGIN
    INSERT INTO count_queue SELECT OLD.agreement_id, OLD.status, OLD.due_on, -1 WHERE OLD.deleted_at IS NULL;
    INSERT INTO count_queue SELECT NEW.agreement_id, NEW.status, NEW.due_on, 1 WHERE NEW.deleted_at IS NULL;
END;

-- trigger clauses_search_insert
CREATE TRIGGER clauses_search_insert AFTER INSERT ON clauses BEGIN
    INSERT INTO search_queue VALUES ('clause', NEW.rowid, 0) ON CONFLICT DO NOTHING;
END;

-- trigger clauses_search_update
CREATE TRIGGER clauses_search_update AFTER UPDATE OF number, text, our_lead, partner_lead, indicator, deleted_at ON clauses BEGIN
    INSERT INTO search_queue VALUES ('clause', NEW.rowid, 1) ON CONFLICT DO NOTHING;
END;

-- trigger count_flush_apply
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

-- trigger notes_search_insert
CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN
    INSERT INTO search_queue VALUES ('note', NEW.rowid, 0) ON CONFLICT DO NOTHING;
END;

-- trigger notes_search_update
CREATE TRIGGER notes_search_update AFTER UPDATE OF text, author, deleted_at ON notes BEGIN
    INSERT INTO search_queue VALUES ('note', NEW.rowid, 1) ON CONFLICT DO NOTHING;
END;

-- trigger parties_agreements_delete
CREATE TRIGGER parties_agreements_delete AFTER DELETE ON agreement_parties
WHEN EXISTS (SELECT 1 FROM agreements WHERE id = OLD.agreement_id AND deleted_at IS NULL)
BEGIN
    UPDATE partner_agreement_counts SET n = n - 1 WHERE partner_id = OLD.partner_id;
END;

-- trigger parties_agreements_insert
CREATE TRIGGER parties_agreements_insert AFTER INSERT ON agreement_parties
WHEN EXISTS (SELECT 1 FROM agreements WHERE id = NEW.agreement_id AND deleted_at IS NULL)
BEGIN
    INSERT INTO partner_agreement_counts (partner_id, n) VALUES (NEW.partner_id, 1)
        ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

-- trigger parties_agreements_move
CREATE TRIGGER parties_agreements_move AFTER UPDATE OF agreement_id, partner_id ON agreement_parties
BEGIN
    UPDATE partner_agreement_counts SET n = n - 1
        WHERE partner_id = OLD.partner_id
          AND EXISTS (SELECT 1 FROM agreements WHERE id = OLD.agreement_id AND deleted_at IS NULL);
    INSERT INTO partner_agreement_counts (partner_id, n)
        SELECT NEW.partner_id, 1 WHERE EXISTS (SELECT 1 FROM agreements WHERE id = NEW.agreement_id AND deleted_at IS NULL)
        ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

-- trigger parties_count_delete
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

-- trigger parties_count_insert
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

-- view count_flush
CREATE VIEW count_flush AS SELECT 1 AS go;

