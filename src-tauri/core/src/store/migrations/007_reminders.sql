-- Deadline reminders (issue 16): a clause's reminders snoozed until a day.
-- What was already notified is not stored: the app keeps it for as long as
-- it runs, so a start reminds once more, and the hourly checks do not repeat.

CREATE TABLE reminder_snoozes (
    clause_id TEXT PRIMARY KEY REFERENCES clauses (id) DEFERRABLE INITIALLY DEFERRED,
    until     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
