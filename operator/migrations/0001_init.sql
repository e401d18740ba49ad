-- The operator's durable state. The in-memory UTXO set and mempool are rebuilt from
-- these tables on start-up: `txs` is an append-only log in acceptance order, `blocks`
-- cuts it into sealed child blocks, `deposits` holds the credited deposit outputs.

-- Every acknowledged transaction, in acceptance order. A transaction belongs to the
-- block whose [first_seq, last_seq] range holds its seq; its txindex is seq - first_seq.
CREATE TABLE txs (
    seq        INTEGER PRIMARY KEY NOT NULL,
    tx_hash    BLOB NOT NULL,
    tx_bytes   BLOB NOT NULL,
    -- the signatures, 65 bytes each, concatenated in input order
    signatures BLOB NOT NULL
);

-- Sealed child blocks. A row is written (and committed) before its root is submitted.
CREATE TABLE blocks (
    blknum        INTEGER PRIMARY KEY NOT NULL,
    root          BLOB NOT NULL,
    first_seq     INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL,
    sealed_at_ms  INTEGER NOT NULL,
    -- the operator-account nonce reserved for this block's submitBlock transaction,
    -- written before the transaction is sent; NULL until the first attempt
    submit_nonce  INTEGER,
    -- hash of the last submitBlock transaction sent for this block
    submit_tx     BLOB,
    -- 1 once the root is seen on chain (nextChildBlock passed it, event root matches)
    confirmed     INTEGER NOT NULL DEFAULT 0,
    -- 1 when a fault-injection switch withholds this block's data from the feed
    withheld      INTEGER NOT NULL DEFAULT 0
);

-- Deposit outputs credited after the confirmation margin (position blknum * 1e9).
CREATE TABLE deposits (
    blknum        INTEGER PRIMARY KEY NOT NULL,
    owner         BLOB NOT NULL,
    token         BLOB NOT NULL,
    -- 32-byte big-endian amount
    amount        BLOB NOT NULL,
    eth_block     INTEGER NOT NULL,
    eth_block_hash BLOB NOT NULL
);

-- Root-chain follower cursor: the last root-chain block whose deposits are credited.
CREATE TABLE cursor (
    id          INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    eth_block   INTEGER NOT NULL,
    eth_hash    BLOB NOT NULL
);
