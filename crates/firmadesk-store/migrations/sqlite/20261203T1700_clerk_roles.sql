-- Roles in the office (see the team database's migration of the same name). On a desk's own file the
-- clerk administers their own desk; the table exists so both backends keep one interface.
CREATE TABLE clerk_roles (
    identity TEXT PRIMARY KEY,
    role     TEXT NOT NULL CHECK (role IN ('amministratore', 'operatore')),
    set_by   TEXT NOT NULL,
    set_at   INTEGER NOT NULL
);
