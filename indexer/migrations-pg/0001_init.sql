-- Schema of the plasma indexer on Postgres: the same tables as the SQLite schema
-- (indexer/migrations), one migration. Types are exact:
--   * positions (pos = blknum * 1e9 + txindex * 1e4 + oindex) are u64: integral NUMERIC
--     within [0, 2^64 - 1] (BIGINT stops at 2^63 - 1);
--   * amounts are uint256: integral NUMERIC within [0, 2^256 - 1], never a float.
--     (Not NUMERIC(p,0): its coercion would round a fraction instead of refusing it.)
--   * block numbers, root-chain blocks and times are BIGINT (as in SQLite);
--   * addresses and hashes are BYTEA of their exact length.
-- Statuses are TEXT with the CHECKs of the SQLite schema; an exit's status is a stored
-- generated column so that it can be indexed.

CREATE DOMAIN u64 AS NUMERIC
    CHECK (VALUE >= 0 AND VALUE <= 18446744073709551615 AND VALUE = trunc(VALUE));
CREATE DOMAIN uint256 AS NUMERIC
    CHECK (VALUE >= 0 AND VALUE = trunc(VALUE)
           AND VALUE <= 115792089237316195423570985008687907853269984665640564039457584007913129639935);
CREATE DOMAIN address AS BYTEA CHECK (octet_length(VALUE) = 20);
CREATE DOMAIN hash32 AS BYTEA CHECK (octet_length(VALUE) = 32);

-- The last root-chain block whose events are fully stored, with its hash. Updated in the
-- same database transaction as the data derived from those events.
CREATE TABLE sync_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    root_block BIGINT NOT NULL,
    root_hash hash32 NOT NULL
);

-- Hashes of root-chain blocks the follower stopped at (common ancestor after a reorg).
CREATE TABLE root_headers (
    number BIGINT PRIMARY KEY,
    hash hash32 NOT NULL
);

-- Child blocks (BlockSubmitted) and deposit blocks (DepositCreated).
CREATE TABLE blocks (
    blknum BIGINT PRIMARY KEY CHECK (blknum >= 0),
    is_deposit BOOLEAN NOT NULL,
    root hash32 NOT NULL,
    timestamp BIGINT NOT NULL,
    root_block BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'valid', 'invalid', 'withheld', 'untrusted')),
    tx_count BIGINT NOT NULL DEFAULT 0,
    first_seen BIGINT NOT NULL,
    reason TEXT
);
CREATE INDEX blocks_pending ON blocks (status, blknum);
CREATE INDEX blocks_root_block ON blocks (root_block);

CREATE TABLE txs (
    pos u64 PRIMARY KEY,
    hash hash32 NOT NULL,
    tx_type SMALLINT NOT NULL,
    bytes BYTEA NOT NULL,
    -- 65-byte signatures, one per input, concatenated.
    signatures BYTEA NOT NULL
);
CREATE INDEX txs_hash ON txs (hash);

CREATE TABLE outputs (
    pos u64 PRIMARY KEY,
    owner address NOT NULL,
    token address NOT NULL,
    amount uint256 NOT NULL
);
-- Exitable UTXOs by owner (a mass exit's first question): the owner's outputs in order.
CREATE INDEX outputs_owner ON outputs (owner, pos);

-- One row per spent output: which transaction spent it, through which input.
CREATE TABLE spends (
    pos u64 PRIMARY KEY,
    tx_pos u64 NOT NULL,
    input_index INTEGER NOT NULL
);
CREATE INDEX spends_tx ON spends (tx_pos);

CREATE TABLE exits (
    pos u64 PRIMARY KEY,
    owner address NOT NULL,
    token address NOT NULL,
    amount uint256 NOT NULL,
    exitable_at BIGINT NOT NULL,
    started_root_block BIGINT NOT NULL,
    challenged_root_block BIGINT,
    challenger address,
    spending_tx_hash hash32,
    processed_root_block BIGINT,
    paid BOOLEAN,
    our_challenge_tx hash32,
    -- docs/SPEC.md "Exits remove outputs from the child chain" (see the SQLite schema).
    exited_from_blknum BIGINT,
    status TEXT GENERATED ALWAYS AS (
        CASE WHEN processed_root_block IS NOT NULL THEN 'processed'
             WHEN challenged_root_block IS NOT NULL THEN 'challenged'
             ELSE 'active' END) STORED
);
CREATE INDEX exits_owner ON exits (owner, pos);
-- Exits by status, in position order (the API's list) and by time (maturity).
CREATE INDEX exits_status ON exits (status, pos);
CREATE INDEX exits_status_time ON exits (status, exitable_at);
CREATE INDEX exits_started ON exits (started_root_block);

CREATE TABLE byzantine_events (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    blknum BIGINT,
    utxo_pos u64,
    detail TEXT NOT NULL,
    root_block BIGINT NOT NULL,
    raised_at BIGINT NOT NULL,
    resolved_at BIGINT,
    dedup TEXT NOT NULL UNIQUE,
    exit_id hash32
);

-- In-flight exits (MoreVP, docs/INDEXER.md "In-flight exits"), as in the SQLite schema.
CREATE TABLE inflight_exits (
    exit_id hash32 PRIMARY KEY,
    starter address NOT NULL,
    exitable_at BIGINT NOT NULL,
    youngest_pos u64 NOT NULL,
    started_root_block BIGINT NOT NULL,
    tx_bytes BYTEA,
    signatures BYTEA,
    started_at BIGINT,
    -- Insertion order (SQLite's rowid), the tie-break of the list.
    seq BIGSERIAL NOT NULL
);
CREATE INDEX inflight_exits_started ON inflight_exits (started_root_block, seq);

CREATE TABLE inflight_inputs (
    exit_id hash32 NOT NULL,
    idx INTEGER NOT NULL,
    pos u64 NOT NULL,
    input_id hash32 NOT NULL,
    PRIMARY KEY (exit_id, idx)
);
CREATE INDEX inflight_inputs_pos ON inflight_inputs (pos);

CREATE TABLE inflight_log (
    id BIGSERIAL PRIMARY KEY,
    exit_id hash32 NOT NULL,
    root_block BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('piggybacked', 'challenged', 'responded',
        'input_blocked', 'output_blocked', 'input_withdrawn', 'output_withdrawn',
        'canonicity_decided', 'finalized')),
    actor address,
    is_output BOOLEAN,
    idx INTEGER,
    token address,
    amount uint256,
    tx_hash hash32,
    pos u64,
    flag BOOLEAN
);
CREATE INDEX inflight_log_exit ON inflight_log (exit_id, id);
CREATE INDEX inflight_log_root ON inflight_log (root_block);

CREATE TABLE inflight_actions (
    exit_id hash32 NOT NULL,
    action TEXT NOT NULL,
    idx INTEGER NOT NULL,
    tx_hash hash32 NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (exit_id, action, idx)
);

-- The writer's view of the root chain, for the status endpoint of API replicas (which
-- follow nothing themselves): the head it last saw, that head's timestamp, how many
-- reorganisations it rolled back (a replica clears its proof cache when this moves) and
-- when it last wrote the row (Unix seconds).
CREATE TABLE writer_status (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    root_head BIGINT NOT NULL,
    root_head_timestamp BIGINT NOT NULL,
    reorgs BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
