-- Sending from a list (issue #15): a batch is one list sent with one document type; each of its rows is
-- one request whose local id is chosen when the batch is saved, so a send that resumes after a crash or a
-- quit finds the row's request (or its absence) and never sends a row twice.
CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    document_type TEXT NOT NULL,
    name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    runner TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'paused', 'done', 'stopped')),
    draft_json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX batches_by_profile ON batches (profile_id, created_at);

CREATE TABLE batch_rows (
    batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    line INTEGER NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    signer_name TEXT NOT NULL,
    fiscal_code TEXT NOT NULL,
    data_json TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    PRIMARY KEY (batch_id, position)
);
