-- An in-flight exit's status as `inflight::fold` derives it from the exit's rows, stored
-- by the writer in the transaction of every write that changes those rows (an event, a
-- rollback), so that the list by status pages in SQL instead of folding every exit
-- (docs/INDEXER.md "In-flight exits"). NULL until computed: `Store::open` fills the rows
-- written before this column existed.
ALTER TABLE inflight_exits ADD COLUMN status TEXT
    CHECK (status IN ('active', 'non_canonical', 'processing', 'finalized'));
CREATE INDEX inflight_exits_status ON inflight_exits (status, started_root_block);
