-- Which agreements are live, readable from an index alone (issue 18). The
-- dashboard counts each partner's live agreements by joining its parties to
-- the agreements; through the primary key that read every agreement's whole
-- row (titles, summaries) from disk on the first visit after the app starts:
-- 47 ms of a cold all-partner dashboard on ten thousand agreements, 17 ms
-- with this index, which holds just the two columns the join needs.
CREATE INDEX agreements_live ON agreements (id, deleted_at);
