-- The exchange log's changesets are stored packed with zstd (issue 18). In
-- the generated million-clause register the log held 1.80 GB of a 4.6 GB
-- file, and every import wrote its rows a second time as its changeset
-- (some 1,100 pages per 10,000 clauses). Packed, a changeset is 6-7 times
-- smaller and the register a third smaller; the import's speed did not
-- change (docs/performance.md, *Exchange*).
--
-- The entries already logged are packed by this version's hook
-- (`store::exchange::pack_log`), so every entry has one form.
SELECT 1;
