-- FirmaDesk local cache, first schema. Times are unix milliseconds (UTC). No secrets live here: API keys
-- and tokens are in the OS keyring, referenced by profile id.

CREATE TABLE profiles (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    environment   TEXT NOT NULL CHECK (environment IN ('prova', 'test', 'produzione')),
    base_url      TEXT NOT NULL,
    support_email TEXT,
    oidc_issuer   TEXT,
    oidc_client_id TEXT,
    oidc_scopes   TEXT,
    created_at    INTEGER NOT NULL
);

-- Local templates ("Accordo"): title shown in the IO message, default fields as JSON.
CREATE TABLE document_types (
    name           TEXT PRIMARY KEY,
    dossier_title  TEXT NOT NULL CHECK (length(dossier_title) >= 3),
    support_email  TEXT,
    template_json  TEXT NOT NULL DEFAULT '[]'
);

-- The IO dossier that holds a document type, per profile.
CREATE TABLE dossiers (
    profile_id    TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    document_type TEXT NOT NULL,
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

-- One row per signature request, from the first draft to the signed file. `id` is local and exists before
-- IO knows the request; `io_request_id` arrives with the create.
CREATE TABLE requests (
    id             TEXT PRIMARY KEY,
    profile_id     TEXT NOT NULL REFERENCES profiles(id),
    document_type  TEXT NOT NULL,
    title          TEXT NOT NULL,
    signer_name    TEXT NOT NULL,
    -- '' for a request another desk of the same body created: IO never returns a signer's fiscal code.
    fiscal_code    TEXT NOT NULL CHECK (fiscal_code = '' OR length(fiscal_code) = 16),
    status         TEXT NOT NULL CHECK (status IN
                     ('draft', 'sending', 'queued', 'waiting', 'signed', 'rejected', 'cancelled', 'failed')),
    io_status      TEXT,
    io_request_id  TEXT,
    dossier_id     TEXT,
    signer_id      TEXT,
    delivery       TEXT NOT NULL DEFAULT 'io_message' CHECK (delivery IN ('io_message', 'qr_only', 'both')),
    qr_code_url    TEXT,
    reject_reason  TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    expires_at     INTEGER,
    published_at   INTEGER,
    signed_at      INTEGER,
    archived       INTEGER NOT NULL DEFAULT 0,
    -- IO's created_at and updated_at exactly as IO wrote them (RFC 3339: the poller compares them for
    -- equality, so they keep full precision), and the last expiry state announced to the clerk.
    io_created_at  TEXT,
    io_updated_at  TEXT,
    expiry_notice  TEXT,
    -- Lower-cased "name|fiscal code|title" for the dashboard's text search.
    search_text    TEXT NOT NULL,
    UNIQUE (profile_id, io_request_id)
);
CREATE INDEX requests_status_expiry ON requests (status, expires_at);
CREATE INDEX requests_status_updated ON requests (status, updated_at);
CREATE INDEX requests_type_status ON requests (document_type, status);
CREATE INDEX requests_updated ON requests (updated_at DESC);
CREATE INDEX requests_created ON requests (created_at DESC);
CREATE INDEX requests_dossier ON requests (profile_id, dossier_id);
CREATE INDEX requests_signer ON requests (signer_name COLLATE NOCASE);

CREATE TABLE documents (
    request_id     TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    path           TEXT NOT NULL,
    sha256         TEXT,
    size           INTEGER,
    io_document_id TEXT,
    io_status      TEXT,
    reject_reason  TEXT,
    PRIMARY KEY (request_id, position)
);

-- Coordinates in PDF points, top-left origin, 0-based page (the service's convention), or an existing
-- AcroForm field by name.
CREATE TABLE signature_fields (
    request_id   TEXT NOT NULL,
    document     INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    page         INTEGER,
    x REAL, y REAL, w REAL, h REAL,
    unique_name  TEXT,
    clause_type  TEXT NOT NULL CHECK (clause_type IN ('REQUIRED', 'UNFAIR', 'OPTIONAL')),
    clause_title TEXT NOT NULL,
    PRIMARY KEY (request_id, document, position),
    FOREIGN KEY (request_id, document) REFERENCES documents(request_id, position) ON DELETE CASCADE,
    CHECK ((unique_name IS NOT NULL) OR (page IS NOT NULL AND x IS NOT NULL AND y IS NOT NULL AND w IS NOT NULL AND h IS NOT NULL))
);

-- The timeline: every change of a request, who did it and when.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    code        TEXT NOT NULL,
    text        TEXT NOT NULL,
    detail_json TEXT
);
CREATE INDEX events_request ON events (request_id, at, seq);
CREATE INDEX events_recent ON events (at DESC);

-- The send saga of a request (outbox): the step is saved before the work it names begins.
CREATE TABLE sends (
    request_id          TEXT PRIMARY KEY REFERENCES requests(id) ON DELETE CASCADE,
    step                TEXT NOT NULL,
    state_json          TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER,
    create_attempted_at INTEGER,
    last_error          TEXT,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX sends_step ON sends (step);

CREATE TABLE archived_files (
    request_id     TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    io_document_id TEXT NOT NULL,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
    size           INTEGER NOT NULL,
    archived_at    INTEGER NOT NULL,
    PRIMARY KEY (request_id, io_document_id)
);
