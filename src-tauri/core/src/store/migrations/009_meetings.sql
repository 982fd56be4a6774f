-- Meetings (issue 15): sessions with partners about agreements, their
-- participants on both sides, an ordered agenda whose items may be tied to
-- clauses, and what each item produced. An outcome that proposes a change to
-- a clause (or a new clause) keeps the proposal until the officer applies it;
-- `applied_at` then records that it was, so applying twice changes nothing.
-- The audit's `entity` check widens to 'meeting' (see migrate.rs).

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

CREATE INDEX meetings_by_date ON meetings (on_date) WHERE deleted_at IS NULL;

CREATE TABLE meeting_partners (
    meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    partner_id TEXT NOT NULL REFERENCES partners (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (meeting_id, partner_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX meeting_partners_by_partner ON meeting_partners (partner_id, meeting_id);

CREATE TABLE meeting_agreements (
    meeting_id   TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    agreement_id TEXT NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (meeting_id, agreement_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX meeting_agreements_by_agreement ON meeting_agreements (agreement_id, meeting_id);

-- Who took part, on our side or theirs, in the order given.
CREATE TABLE meeting_participants (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    side       TEXT NOT NULL CHECK (side IN ('ours', 'theirs')),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL CHECK (name <> ''),
    role       TEXT,
    body       TEXT
) STRICT;

CREATE INDEX meeting_participants_by_meeting ON meeting_participants (meeting_id, side, position);

-- The agenda: free text, or a clause (with an optional note of what to raise).
CREATE TABLE agenda_items (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id) DEFERRABLE INITIALLY DEFERRED,
    position   INTEGER NOT NULL,
    clause_id  TEXT REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    text       TEXT,
    CHECK (clause_id IS NOT NULL OR text IS NOT NULL)
) STRICT;

CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, position);

-- What an agenda item produced. `proposal` is the change to the clause (a
-- clause patch) or the new clause, as JSON the store writes and reads back.
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
    deleted_at  TEXT,
    CHECK ((kind IN ('clause_update', 'new_clause')) = (proposal IS NOT NULL)),
    CHECK (kind <> 'clause_update' OR clause_id IS NOT NULL)
) STRICT;

CREATE INDEX outcomes_by_item ON outcomes (item_id, position);
