-- docs/SPEC.md "Exits remove outputs from the child chain": at ExitProcessed the indexer
-- records the next child block to be submitted (largest child block + 1000). Child blocks
-- numbered from there on may not spend the output (they are invalid blocks); earlier
-- ones may. Cleared with the processing mark when a reorganisation rolls it back.
ALTER TABLE exits ADD COLUMN exited_from_blknum INTEGER;
