-- In-flight exits (MoreVP, docs/INDEXER.md "In-flight exits"). Every row carries the
-- root-chain block of the event it comes from, so a reorganisation rolls back with one
-- range delete per table, and the state of an exit is the fold of its remaining rows.

-- InFlightExitStarted. `tx_bytes`, `signatures` (65 bytes per input, concatenated, when
-- the start was a direct call) and `started_at` (the start's root-chain block time, which
-- opens the first phase) are filled by the resolver from the start's calldata and block
-- header; all are fixed by the event's block, so they go with the row.
CREATE TABLE inflight_exits (
    exit_id BLOB PRIMARY KEY,
    starter BLOB NOT NULL,
    exitable_at INTEGER NOT NULL,
    youngest_pos INTEGER NOT NULL,
    started_root_block INTEGER NOT NULL,
    tx_bytes BLOB,
    signatures BLOB,
    started_at INTEGER
);
CREATE INDEX inflight_exits_started ON inflight_exits (started_root_block);

-- The exit's inputs, as the start event lists them.
CREATE TABLE inflight_inputs (
    exit_id BLOB NOT NULL,
    idx INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    input_id BLOB NOT NULL,
    PRIMARY KEY (exit_id, idx)
);
CREATE INDEX inflight_inputs_pos ON inflight_inputs (pos);

-- Every later event of an exit, in log order: piggybacked, challenged, responded,
-- input_blocked, output_blocked, input_withdrawn, output_withdrawn, canonicity_decided,
-- finalized. Columns unused by a kind are NULL.
CREATE TABLE inflight_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    exit_id BLOB NOT NULL,
    root_block INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('piggybacked', 'challenged', 'responded',
        'input_blocked', 'output_blocked', 'input_withdrawn', 'output_withdrawn',
        'canonicity_decided', 'finalized')),
    actor BLOB,
    is_output INTEGER,
    idx INTEGER,
    token BLOB,
    amount TEXT,
    tx_hash BLOB,
    pos INTEGER,
    flag INTEGER
);
CREATE INDEX inflight_log_exit ON inflight_log (exit_id, id);
CREATE INDEX inflight_log_root ON inflight_log (root_block);

-- What this indexer's watchtower sent about an in-flight exit (never twice per action
-- and subject, across restarts): action is challenge_canonicity, respond, challenge_input
-- or challenge_output; idx the input or output (0 for the exit-level actions).
CREATE TABLE inflight_actions (
    exit_id BLOB NOT NULL,
    action TEXT NOT NULL,
    idx INTEGER NOT NULL,
    tx_hash BLOB NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (exit_id, action, idx)
);

-- Byzantine events about in-flight exits: the kinds are no longer fixed by a CHECK
-- (they are mapped in one place, store/events.rs), and an event may name an exit id.
CREATE TABLE byzantine_events_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    blknum INTEGER,
    utxo_pos INTEGER,
    detail TEXT NOT NULL,
    root_block INTEGER NOT NULL,
    raised_at INTEGER NOT NULL,
    resolved_at INTEGER,
    dedup TEXT NOT NULL UNIQUE,
    exit_id BLOB
);
INSERT INTO byzantine_events_new (id, kind, blknum, utxo_pos, detail, root_block, raised_at, resolved_at, dedup)
    SELECT id, kind, blknum, utxo_pos, detail, root_block, raised_at, resolved_at, dedup FROM byzantine_events;
DROP TABLE byzantine_events;
ALTER TABLE byzantine_events_new RENAME TO byzantine_events;
