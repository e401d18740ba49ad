-- Piggybacks on outputs of in-flight exits (docs/SPEC.md "Exits remove outputs from the
-- child chain"): output `oindex` of the transaction whose hash is the exit id leaves the
-- child chain wherever that transaction is (or will be) included. Written with the
-- follower cursor in one transaction; deleted and rescanned after a reorganisation.
CREATE TABLE output_piggybacks (
    tx_hash        BLOB NOT NULL,
    oindex         INTEGER NOT NULL CHECK (oindex BETWEEN 0 AND 3),
    eth_block      INTEGER NOT NULL,
    eth_block_hash BLOB NOT NULL,
    PRIMARY KEY (tx_hash, oindex)
);
