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

-- The worker records verifications as it archives: operators write the new table.
INSERT INTO firmadesk_operator_tables (name) VALUES ('verifications');
