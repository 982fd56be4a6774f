-- Per-clause lead times (issue 16): a clause can be reminded of first a
-- chosen number of days before its deadline, instead of the default 30 (the
-- default lead times shorter than it still come). No row: the defaults.

CREATE TABLE reminder_leads (
    clause_id TEXT PRIMARY KEY REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    days      INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365)
) STRICT, WITHOUT ROWID;
