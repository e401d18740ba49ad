-- One row the storage probe rewrites: after a failed write, the operator accepts writes
-- again only once a real write transaction commits (docs/OPERATOR.md "Storage failure").
CREATE TABLE storage_probe (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    at_ms INTEGER NOT NULL
);
