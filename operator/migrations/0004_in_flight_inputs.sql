-- Inputs of in-flight exits leave the child chain like standard exits' outputs
-- (docs/SPEC.md "Exits remove outputs from the child chain"): `InFlightExitStarted` is
-- recorded per input as kind 'in_flight'. SQLite cannot widen a CHECK in place.
CREATE TABLE exit_events_v2 (
    utxo_pos       INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('started', 'challenged', 'processed', 'in_flight')),
    eth_block      INTEGER NOT NULL,
    eth_block_hash BLOB NOT NULL,
    PRIMARY KEY (utxo_pos, kind)
);
INSERT INTO exit_events_v2 (utxo_pos, kind, eth_block, eth_block_hash)
    SELECT utxo_pos, kind, eth_block, eth_block_hash FROM exit_events;
DROP TABLE exit_events;
ALTER TABLE exit_events_v2 RENAME TO exit_events;
