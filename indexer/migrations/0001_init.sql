-- Schema of the plasma indexer. Positions follow docs/SPEC.md:
-- pos = blknum * 1e9 + txindex * 1e4 + oindex. A transaction is keyed by the position of
-- its first output (oindex 0), so every table is ordered by block number and a root-chain
-- reorganisation rolls back with one range delete per table.

-- The last root-chain block whose events are fully stored, with its hash. Updated in the
-- same database transaction as the data derived from those events.
CREATE TABLE sync_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    root_block INTEGER NOT NULL,
    root_hash BLOB NOT NULL
);

-- Hashes of root-chain blocks the follower stopped at, to find the common ancestor
-- after a reorganisation deeper than the confirmation margin.
CREATE TABLE root_headers (
    number INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

-- Child blocks (BlockSubmitted) and deposit blocks (DepositCreated).
CREATE TABLE blocks (
    blknum INTEGER PRIMARY KEY,
    is_deposit INTEGER NOT NULL,
    root BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    root_block INTEGER NOT NULL,
    -- pending: data not checked yet; valid; invalid; withheld: data unavailable past the
    -- timeout (still retried); untrusted: after an invalid or withheld block.
    status TEXT NOT NULL CHECK (status IN ('pending', 'valid', 'invalid', 'withheld', 'untrusted')),
    tx_count INTEGER NOT NULL DEFAULT 0,
    first_seen INTEGER NOT NULL,
    reason TEXT
);
CREATE INDEX blocks_pending ON blocks (status, blknum);

CREATE TABLE txs (
    pos INTEGER PRIMARY KEY,
    hash BLOB NOT NULL,
    tx_type INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    -- 65-byte signatures, one per input, concatenated.
    signatures BLOB NOT NULL
);
CREATE INDEX txs_hash ON txs (hash);

CREATE TABLE outputs (
    pos INTEGER PRIMARY KEY,
    owner BLOB NOT NULL,
    token BLOB NOT NULL,
    -- uint256 as a decimal string.
    amount TEXT NOT NULL
);
CREATE INDEX outputs_owner ON outputs (owner);

-- One row per spent output: which transaction spent it, through which input.
CREATE TABLE spends (
    pos INTEGER PRIMARY KEY,
    tx_pos INTEGER NOT NULL,
    input_index INTEGER NOT NULL
);
CREATE INDEX spends_tx ON spends (tx_pos);

CREATE TABLE exits (
    pos INTEGER PRIMARY KEY,
    owner BLOB NOT NULL,
    token BLOB NOT NULL,
    amount TEXT NOT NULL,
    exitable_at INTEGER NOT NULL,
    started_root_block INTEGER NOT NULL,
    challenged_root_block INTEGER,
    challenger BLOB,
    spending_tx_hash BLOB,
    processed_root_block INTEGER,
    paid INTEGER,
    -- Hash of the challenge this indexer sent, if any.
    our_challenge_tx BLOB
);
CREATE INDEX exits_owner ON exits (owner);

CREATE TABLE byzantine_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('invalid_block', 'block_withheld', 'invalid_exit',
                                       'unchallenged_invalid_exit_near_maturity')),
    blknum INTEGER,
    utxo_pos INTEGER,
    detail TEXT NOT NULL,
    root_block INTEGER NOT NULL,
    raised_at INTEGER NOT NULL,
    resolved_at INTEGER,
    dedup TEXT NOT NULL UNIQUE
);
