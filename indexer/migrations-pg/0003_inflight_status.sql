-- An in-flight exit's status as `inflight::fold` derives it from the exit's rows, kept by
-- the writer in the transaction of every write that changes them (the SQLite migration
-- 0004 explains it). NULL until computed: the writer fills older rows after migrating.
ALTER TABLE inflight_exits ADD COLUMN status TEXT
    CHECK (status IN ('active', 'non_canonical', 'processing', 'finalized'));
CREATE INDEX inflight_exits_status ON inflight_exits (status, started_root_block, seq);
