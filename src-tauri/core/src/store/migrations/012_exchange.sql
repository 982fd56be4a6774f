-- Exchange between officers' registers (issue 17).
--
-- Every write records what it changed in the user tables (SQLite's session
-- extension) as one changeset, logged here with the register it began in
-- (its origin) and that register's own sequence number. A register's log
-- holds its own changes and every change it received, each once, so it can
-- pass them on (a registrar between officers) and so a colleague's first
-- file can carry everything. Derived tables (counts, the search index,
-- queues) are never logged: the receiving register's triggers rebuild them.
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

-- Which change each updated field's value here came from. A received
-- change made on top of that same change applies; one made on top of
-- another is a conflict, even when the values happen to match (a field set
-- to A, to B and back to A is not the A it was).
CREATE TABLE exchange_versions (
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    field      TEXT NOT NULL,
    origin     TEXT NOT NULL,
    origin_seq INTEGER NOT NULL,
    PRIMARY KEY (table_name, row_id, field)
) STRICT, WITHOUT ROWID;

-- The registers this one has sent files to, by the name the officer gave,
-- and how far into the log the last file went.
CREATE TABLE exchange_recipients (
    name      TEXT PRIMARY KEY CHECK (name <> ''),
    sent_upto INTEGER NOT NULL
) STRICT;

-- The registers this one has received files from, and how far into each
-- sender's log it has received: a file that starts later is missing one
-- before it.
CREATE TABLE exchange_senders (
    register_id   TEXT PRIMARY KEY,
    officer       TEXT NOT NULL,
    received_upto INTEGER NOT NULL
) STRICT;

-- Every file sent or received, for the Exchange screen's history.
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

-- A field both sides changed, or a record deleted on one side and edited
-- on the other: kept as this register has it until the officer chooses.
-- Values are JSON (an SQLite value: text, number or null).
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
CREATE INDEX exchange_conflicts_open ON exchange_conflicts (table_name, row_id, field) WHERE resolved_at IS NULL;

-- This register's own id, the origin its changes travel under. A restored
-- backup takes a new one (its log went back in time).
INSERT INTO settings (key, value, updated_at)
VALUES ('register_id', lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- A register that already holds records puts them into the log as one
-- entry of its own before its first file goes out.
INSERT INTO settings (key, value, updated_at)
SELECT 'exchange_genesis_due', '1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE EXISTS (SELECT 1 FROM partners) OR EXISTS (SELECT 1 FROM agreements) OR EXISTS (SELECT 1 FROM meetings);
