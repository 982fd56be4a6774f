-- Attachments: files kept inside the register, so that a backup or an
-- exchange carries them. A file's bytes are stored once per content (its
-- SHA-256), however many records it is attached to; `attachments` says
-- which record holds which file under which name. Removing an attachment is
-- soft, like every deletion, and can be undone; the bytes stay.
CREATE TABLE attachment_files (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size   INTEGER NOT NULL CHECK (size > 0),
    -- Written and read in pieces (SQLite's incremental blob I/O), so a large
    -- file is never held whole in memory.
    data   BLOB NOT NULL
) STRICT;

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

CREATE INDEX attachments_by_owner ON attachments (owner_id, created_at);
CREATE INDEX attachments_by_deletion ON attachments (deletion_id) WHERE deletion_id IS NOT NULL;

-- What applying an outcome changed on its clause, field by field (from →
-- to), so that the review still shows it after the clause moves on.
ALTER TABLE outcomes ADD COLUMN applied_changes TEXT CHECK (applied_changes IS NULL OR json_valid(applied_changes));
