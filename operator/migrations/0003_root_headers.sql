-- The root-chain blocks the follower stopped at (the end of each applied batch), so a
-- reorganisation walks back to the newest one still canonical: the common ancestor
-- (plasma-follower). Written with the cursor in one transaction; pruned to the last
-- 100,000 blocks. An existing cursor is the first header.
CREATE TABLE root_headers (
    number INTEGER PRIMARY KEY,
    hash   BLOB NOT NULL
);
INSERT INTO root_headers (number, hash) SELECT eth_block, eth_hash FROM cursor;
