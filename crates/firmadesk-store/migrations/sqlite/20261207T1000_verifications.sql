-- The verification of each archived signed document (issue #14): its verdict, the finding codes, who signed
-- (name, fiscal code from the certificate), when, and the whole report as JSON (firmadesk-verify's).
CREATE TABLE verifications (
    request_id     TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    io_document_id TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('valid', 'valid_with_warnings', 'invalid')),
    codes          TEXT NOT NULL DEFAULT '',
    signer         TEXT,
    fiscal_code    TEXT,
    signing_time   TEXT,
    report_json    TEXT NOT NULL,
    verified_at    INTEGER NOT NULL,
    PRIMARY KEY (request_id, io_document_id)
);
