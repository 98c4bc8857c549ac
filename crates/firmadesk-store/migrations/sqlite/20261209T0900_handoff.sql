-- The hand-off to protocollo and conservazione (issue #14).
-- A request's protocol data, typed by the clerk before or after signing: number, date (YYYY-MM-DD),
-- register (registro/repertorio), classification (titolario), fascicolo, and whether it is confidential.
CREATE TABLE protocol_records (
    request_id     TEXT PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    number         TEXT NOT NULL DEFAULT '',
    date           TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    register       TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    fascicolo      TEXT NOT NULL DEFAULT '',
    reserved       INTEGER NOT NULL DEFAULT 0 CHECK (reserved IN (0, 1)),
    updated_at     INTEGER NOT NULL,
    updated_by     TEXT NOT NULL
);

-- IO Sign's evidence of a signed request: the request as the service returned it when its documents were
-- archived, download links removed (they expire in minutes and grant access).
CREATE TABLE io_evidence (
    request_id  TEXT PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    json        TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
