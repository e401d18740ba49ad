-- Root-chain exit events, one row per output and kind, written with the follower cursor
-- in one transaction (docs/SPEC.md "Exits remove outputs from the child chain"). The
-- ledger derives each output's exit phase (exiting / exited) from them on start-up.
-- A row whose root-chain block is reorganised away is deleted and rescanned, like a
-- deposit.
CREATE TABLE exit_events (
    utxo_pos       INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('started', 'challenged', 'processed')),
    eth_block      INTEGER NOT NULL,
    eth_block_hash BLOB NOT NULL,
    PRIMARY KEY (utxo_pos, kind)
);
