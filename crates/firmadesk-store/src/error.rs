//! Store errors: a kind for code, an Italian message for the clerk.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Exhaustive on purpose: the desk maps every kind to its own UI code (firmadesk-desk error.rs), so a
// new kind fails to compile there until it has one.
pub enum ErrorKind {
    /// The database file failed its integrity check.
    Corrupt,
    /// The database was written by a newer FirmaDesk.
    NewerSchema,
    /// A migration failed (the database is unchanged: each runs in a transaction).
    Migration,
    /// The backup before a migration could not be written.
    Backup,
    /// A constraint refused the data (bad fiscal code, unknown status...).
    Invalid,
    /// Any other SQLite or file error.
    Sqlite,
    /// The team database cannot be reached, or the connection broke (the call may be retried).
    Unreachable,
    /// The team database refused the user or password.
    Denied,
    /// The team database does not let this login make the change (its group is the office's operators).
    Forbidden,
    /// Any other PostgreSQL error.
    Postgres,
    /// A worker's write refused: another process has taken its lease over (it must stop at once).
    Fenced,
}

/// A store error.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    /// The kind.
    pub kind: ErrorKind,
    /// Italian message for the clerk.
    pub message: String,
    /// Technical detail (never secrets: the store holds none).
    pub detail: Option<String>,
}

impl StoreError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            detail: None,
        }
    }

    pub(crate) fn detail(mut self, detail: impl std::fmt::Display) -> Self {
        self.detail = Some(detail.to_string());
        self
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        let kind = match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                ErrorKind::Invalid
            }
            _ => ErrorKind::Sqlite,
        };
        let message = match kind {
            ErrorKind::Invalid => "Dati non validi: la modifica non è stata salvata.",
            _ => "Errore dell'archivio locale: riprovare; se si ripete, riavviare FirmaDesk.",
        };
        StoreError::new(kind, message).detail(e)
    }
}

/// A document type that requests were sent with cannot be deleted (both backends say so alike).
pub(crate) fn type_in_use(name: &str) -> StoreError {
    StoreError::new(
        ErrorKind::Invalid,
        "Il tipo di documento è usato da richieste inviate: può essere archiviato, non eliminato.",
    )
    .detail(format!("document type {name} in use"))
}

/// Result of a store call.
pub type Result<T> = std::result::Result<T, StoreError>;
