-- Imports of spreadsheets (issue 14), undone as one step, and the column
-- mappings officers chose, remembered for the next file with the same heads.
--
-- An import writes one `imports` row per agreement it fills, under the id of
-- its `import` audit row. The clauses it creates name that row in
-- clauses.import_id (version 3), and the notes it adds in notes.import_id;
-- every clause it changes keeps its fields from before in import_changes.
-- Undoing the import deletes what it created (as a deletion that can itself
-- be restored) and writes the fields from before back, each change audited.

CREATE TABLE imports (
    id            TEXT PRIMARY KEY,
    agreement_id  TEXT NOT NULL REFERENCES agreements (id) DEFERRABLE INITIALLY DEFERRED,
    new_agreement INTEGER NOT NULL CHECK (new_agreement = 0 OR new_agreement = 1),
    at            TEXT NOT NULL,
    undone_at     TEXT
) STRICT;

CREATE TABLE import_changes (
    import_id TEXT NOT NULL REFERENCES imports (id) DEFERRABLE INITIALLY DEFERRED,
    clause_id TEXT NOT NULL REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    before    TEXT NOT NULL CHECK (json_valid(before)),
    PRIMARY KEY (import_id, clause_id)
) STRICT, WITHOUT ROWID;

ALTER TABLE notes ADD COLUMN import_id TEXT;
-- No index on either import_id: an undo finds its clauses through their
-- agreement and its notes through the clauses it changed, so a bulk import
-- pays no extra B-tree write per row.

CREATE TABLE import_mappings (
    heads      TEXT PRIMARY KEY,
    mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
    updated_at TEXT NOT NULL
) STRICT;
