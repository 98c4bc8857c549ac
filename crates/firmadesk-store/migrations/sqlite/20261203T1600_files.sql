-- Content-addressed files (see the team database's migration of the same name). On a desk's own file the
-- documents stay in the data folder; the table exists so both backends keep one interface.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
