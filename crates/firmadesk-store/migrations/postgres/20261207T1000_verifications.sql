-- The verification of each archived signed document (issue #14): its verdict, the finding codes, who signed
-- (name, fiscal code from the certificate), when, and the whole report as JSON (firmadesk-verify's).
CREATE TABLE verifications (
    request_id     TEXT COLLATE "C" NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    io_document_id TEXT COLLATE "C" NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('valid', 'valid_with_warnings', 'invalid')),
    codes          TEXT NOT NULL DEFAULT '',
    signer         TEXT,
    fiscal_code    TEXT,
    signing_time   TEXT,
    report_json    TEXT NOT NULL,
    verified_at    BIGINT NOT NULL,
    PRIMARY KEY (request_id, io_document_id)
);

-- Every desk shows the result as the worker records it.
CREATE TRIGGER verifications_announce AFTER INSERT OR UPDATE ON verifications
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce('request_id');

-- The worker records verifications as it archives: the office groups' grants name the new table.
CREATE OR REPLACE FUNCTION firmadesk_grant_roles() RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
    here TEXT := quote_ident(current_schema());
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firmadesk_amministratori')
       OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firmadesk_operatori') THEN
        RETURN 'no office groups';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %s TO firmadesk_amministratori, firmadesk_operatori', here);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO firmadesk_amministratori', here);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %s TO firmadesk_operatori', here);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO firmadesk_amministratori, firmadesk_operatori', here);
    -- Sending, following, archiving and verifying, the outbox and its files, the worker's lease, lists
    -- sent; not profiles, document types or roles.
    GRANT INSERT, UPDATE, DELETE ON requests, documents, signature_fields, events, sends, archived_files,
        verifications, dossiers, signers, files, worker_leases, request_counts, batches, batch_rows
        TO firmadesk_operatori;
    RETURN 'granted';
END;
$$;

SELECT firmadesk_grant_roles();
