-- An owner's exitable UTXOs without a probe per output (docs/INDEXER.md "Postgres, one
-- writer, many API replicas"): a spend records the spent output's owner, so the owner's
-- outputs, spends and exits are three ranges of (owner, pos) indexes, each read in
-- position order and merged, index-only (the covering columns below), instead of two
-- primary-key probes for each of the owner's outputs.
ALTER TABLE spends ADD COLUMN owner address;
UPDATE spends s SET owner = o.owner FROM outputs o WHERE o.pos = s.pos;
CREATE INDEX spends_owner ON spends (owner, pos);

DROP INDEX outputs_owner;
CREATE INDEX outputs_owner ON outputs (owner, pos) INCLUDE (token, amount);

DROP INDEX exits_owner;
CREATE INDEX exits_owner ON exits (owner, pos) INCLUDE (status);
