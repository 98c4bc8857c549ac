-- The hand-off to protocollo and conservazione (issue #14).
-- A request's protocol data, typed by the clerk before or after signing: number, date, register
-- (registro/repertorio), classification (titolario), fascicolo, and whether it is confidential.
CREATE TABLE protocol_records (
    request_id     TEXT COLLATE "C" PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    number         TEXT NOT NULL DEFAULT '',
    date           TEXT CHECK (date IS NULL OR date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    register       TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    fascicolo      TEXT NOT NULL DEFAULT '',
    reserved       BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at     BIGINT NOT NULL,
    updated_by     TEXT NOT NULL
);

-- IO Sign's evidence of a signed request: the request as the service returned it when its documents were
-- archived, download links removed (they expire in minutes and grant access).
CREATE TABLE io_evidence (
    request_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    json        TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);

-- Every desk sees a colleague's protocol data at once.
CREATE TRIGGER protocol_records_announce AFTER INSERT OR UPDATE ON protocol_records
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce('request_id');

-- Clerks type protocol data; the worker records the evidence as it archives.
INSERT INTO firmadesk_operator_tables (name) VALUES ('protocol_records'), ('io_evidence');
