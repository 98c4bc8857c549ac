-- FirmaDesk team store, first schema: the same tables as the single-desk SQLite schema
-- (migrations/sqlite/20261125T0900_init.sql), in PostgreSQL's types. Times are unix milliseconds (UTC).
-- No secrets live here: API keys, tokens and the database password are in each machine's OS keyring.
-- Text that is sorted or compared for order is COLLATE "C": byte order, as SQLite's, whatever locale the
-- body created its database with (ids that break ties stay in one order on every server).

CREATE TABLE profiles (
    id             TEXT PRIMARY KEY,
    name           TEXT COLLATE "C" NOT NULL,
    environment    TEXT NOT NULL CHECK (environment IN ('prova', 'test', 'produzione')),
    base_url       TEXT NOT NULL,
    support_email  TEXT,
    oidc_issuer    TEXT,
    oidc_client_id TEXT,
    oidc_scopes    TEXT,
    created_at     BIGINT NOT NULL
);

CREATE TABLE document_types (
    name          TEXT COLLATE "C" PRIMARY KEY,
    dossier_title TEXT NOT NULL CHECK (length(dossier_title) >= 3),
    support_email TEXT,
    template_json TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE dossiers (
    profile_id    TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    document_type TEXT COLLATE "C" NOT NULL,
    dossier_id    TEXT NOT NULL,
    PRIMARY KEY (profile_id, document_type)
);

CREATE TABLE signers (
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    fiscal_code  TEXT NOT NULL CHECK (length(fiscal_code) = 16 AND fiscal_code = upper(fiscal_code)),
    display_name TEXT NOT NULL,
    signer_id    TEXT,
    PRIMARY KEY (profile_id, fiscal_code)
);
CREATE INDEX signers_by_id ON signers (profile_id, signer_id);

CREATE TABLE requests (
    id            TEXT COLLATE "C" PRIMARY KEY,
    profile_id    TEXT NOT NULL REFERENCES profiles(id),
    document_type TEXT NOT NULL,
    title         TEXT NOT NULL,
    signer_name   TEXT COLLATE "C" NOT NULL,
    fiscal_code   TEXT NOT NULL CHECK (fiscal_code = '' OR length(fiscal_code) = 16),
    status        TEXT NOT NULL CHECK (status IN
                    ('draft', 'sending', 'queued', 'waiting', 'signed', 'rejected', 'cancelled', 'failed')),
    io_status     TEXT,
    io_request_id TEXT,
    dossier_id    TEXT,
    signer_id     TEXT,
    delivery      TEXT NOT NULL DEFAULT 'io_message' CHECK (delivery IN ('io_message', 'qr_only', 'both')),
    qr_code_url   TEXT,
    reject_reason TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    published_at  BIGINT,
    signed_at     BIGINT,
    archived      BOOLEAN NOT NULL DEFAULT FALSE,
    io_created_at TEXT,
    io_updated_at TEXT,
    expiry_notice TEXT,
    -- Lower-cased "name|fiscal code|title" for the dashboard's text search.
    search_text   TEXT NOT NULL,
    UNIQUE (profile_id, io_request_id)
);
CREATE INDEX requests_status_expiry ON requests (status, expires_at);
CREATE INDEX requests_status_updated ON requests (status, updated_at);
CREATE INDEX requests_type_status ON requests (document_type, status);
CREATE INDEX requests_updated ON requests (updated_at DESC, id DESC);
CREATE INDEX requests_created ON requests (created_at DESC, id DESC);
CREATE INDEX requests_dossier ON requests (profile_id, dossier_id);
CREATE INDEX requests_signer ON requests (lower(signer_name), id);

CREATE TABLE documents (
    request_id     TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    path           TEXT NOT NULL,
    sha256         TEXT,
    size           BIGINT,
    io_document_id TEXT,
    io_status      TEXT,
    reject_reason  TEXT,
    PRIMARY KEY (request_id, position)
);

CREATE TABLE signature_fields (
    request_id   TEXT NOT NULL,
    document     INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    page         INTEGER,
    x DOUBLE PRECISION, y DOUBLE PRECISION, w DOUBLE PRECISION, h DOUBLE PRECISION,
    unique_name  TEXT,
    clause_type  TEXT NOT NULL CHECK (clause_type IN ('REQUIRED', 'UNFAIR', 'OPTIONAL')),
    clause_title TEXT NOT NULL,
    PRIMARY KEY (request_id, document, position),
    FOREIGN KEY (request_id, document) REFERENCES documents(request_id, position) ON DELETE CASCADE,
    CHECK ((unique_name IS NOT NULL) OR (page IS NOT NULL AND x IS NOT NULL AND y IS NOT NULL AND w IS NOT NULL AND h IS NOT NULL))
);

CREATE TABLE events (
    seq         BIGSERIAL PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    code        TEXT NOT NULL,
    text        TEXT NOT NULL,
    detail_json TEXT
);
CREATE INDEX events_request ON events (request_id, at, seq);
CREATE INDEX events_recent ON events (at DESC, seq DESC);

CREATE TABLE sends (
    request_id          TEXT COLLATE "C" PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    step                TEXT NOT NULL,
    state_json          TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     BIGINT,
    create_attempted_at BIGINT,
    last_error          TEXT,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX sends_step ON sends (step);

CREATE TABLE archived_files (
    request_id     TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    io_document_id TEXT COLLATE "C" NOT NULL,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    size           BIGINT NOT NULL,
    archived_at    BIGINT NOT NULL,
    PRIMARY KEY (request_id, io_document_id)
);
