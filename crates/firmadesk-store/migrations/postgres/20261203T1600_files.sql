-- The bytes every desk must reach in team mode: the PDFs a desk queued for the worker (which may run on
-- another machine) and the signed PDFs the worker archived. Content-addressed: a file is written once,
-- under its sha256, and whoever reads it checks the hash.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes BYTEA NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
