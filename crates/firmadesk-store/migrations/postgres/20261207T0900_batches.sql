-- Sending from a list (issue #15): a batch is one list sent with one document type; each of its rows is
-- one request whose local id is chosen when the batch is saved, so a send that resumes after a crash or a
-- quit finds the row's request (or its absence) and never sends a row twice.
CREATE TABLE batches (
    id TEXT COLLATE "C" PRIMARY KEY,
    profile_id TEXT NOT NULL,
    document_type TEXT NOT NULL,
    name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    runner TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'paused', 'done', 'stopped')),
    draft_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
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

-- What operators may write is now a table the grants read, so a migration that adds such a table adds its
-- name here instead of writing the whole function again. Operators send lists too: the two new tables.
CREATE TABLE firmadesk_operator_tables (name TEXT PRIMARY KEY);
-- Sending, following, archiving, the outbox and its files, the worker's lease, lists sent; not profiles,
-- document types or roles.
INSERT INTO firmadesk_operator_tables (name) VALUES
    ('requests'), ('documents'), ('signature_fields'), ('events'), ('sends'), ('archived_files'),
    ('dossiers'), ('signers'), ('files'), ('worker_leases'), ('request_counts'), ('batches'), ('batch_rows');

CREATE OR REPLACE FUNCTION firmadesk_grant_roles() RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
    here TEXT := quote_ident(current_schema());
    writable TEXT;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firmadesk_amministratori')
       OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firmadesk_operatori') THEN
        RETURN 'no office groups';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %s TO firmadesk_amministratori, firmadesk_operatori', here);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO firmadesk_amministratori', here);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %s TO firmadesk_operatori', here);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO firmadesk_amministratori, firmadesk_operatori', here);
    FOR writable IN SELECT name FROM firmadesk_operator_tables ORDER BY name LOOP
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %I TO firmadesk_operatori', writable);
    END LOOP;
    RETURN 'granted';
END;
$$;
