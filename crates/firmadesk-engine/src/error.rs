//! Errors of the engine: a kind the shell maps to `{code, message}`, and an Italian message for
//! the clerk chosen here, next to the cause, so every screen says the same thing.

use iosign::{ApiError, ApiErrorKind};
use std::fmt;

/// What went wrong, coarsely. Decides whether a send is queued for a retry or stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
// Exhaustive on purpose: the desk maps every kind to its own UI code (firmadesk-desk error.rs), so a
// new kind fails to compile there until it has one.
pub enum EngineErrorKind {
    /// Network down, the service failing (5xx) or over budget (429): retried with backoff.
    Offline,
    /// The service refused the call for good (validation, key, permissions, unknown id).
    Refused,
    /// The citizen is not on IO (`POST /signers` 404).
    SignerNotOnIo,
    /// A document failed the service's validation: the clerk must fix it.
    DocumentRejected,
    /// The action is not possible in the request's current status (e.g. cancel a DRAFT).
    NotAllowed,
    /// The local cache failed.
    Store,
    /// Writing the signed PDF into the archive failed (read-only folder, disk full).
    Archive,
    /// The "signed" download is not a signed PDF (an error page, a cut-off transfer, the
    /// unsigned original): not archived, downloaded again on the next pass.
    BadDownload,
    /// Unknown send, request or profile.
    NotFound,
    /// The engine is shutting down.
    Shutdown,
}

impl EngineErrorKind {
    /// Stable code for the UI.
    pub fn code(self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Refused => "refused",
            Self::SignerNotOnIo => "signer_not_on_io",
            Self::DocumentRejected => "document_rejected",
            Self::NotAllowed => "not_allowed",
            Self::Store => "store",
            Self::Archive => "archive",
            Self::BadDownload => "bad_download",
            Self::NotFound => "not_found",
            Self::Shutdown => "shutdown",
        }
    }

    /// Whether waiting and trying again may succeed without the clerk doing anything.
    pub fn is_transient(self) -> bool {
        matches!(self, Self::Offline | Self::Archive | Self::BadDownload | Self::Store)
    }
}

/// An engine error: kind, Italian message for the clerk, technical detail for the log.
///
/// Never holds the API key (iosign's errors never do) nor a blob SAS URL.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct EngineError {
    /// Classification.
    pub kind: EngineErrorKind,
    /// Italian, for the clerk.
    pub message: String,
    /// English technical detail (operation, status), for logs.
    pub detail: String,
}

impl EngineError {
    /// An error of `kind` with an Italian `message`.
    pub fn new(kind: EngineErrorKind, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            kind,
            detail: message.clone(),
            message,
        }
    }

    /// Sets the technical detail.
    pub fn with_detail(mut self, detail: impl fmt::Display) -> Self {
        self.detail = detail.to_string();
        self
    }

    /// The local cache failed.
    pub fn store(detail: impl fmt::Display) -> Self {
        Self::new(
            EngineErrorKind::Store,
            "Errore dell'archivio locale di FirmaDesk: l'operazione verrà ritentata.",
        )
        .with_detail(detail)
    }

    /// Maps a client error; `what` says what we were doing, in Italian ("creare la richiesta").
    pub fn from_api(err: &ApiError, what: &str) -> Self {
        let detail = err.detail().map(str::to_owned).unwrap_or_default();
        let (kind, message) = match &err.kind {
            ApiErrorKind::Network => (
                EngineErrorKind::Offline,
                format!("Servizio Firma con IO non raggiungibile mentre si cercava di {what}: la richiesta resta in coda e verrà ritentata."),
            ),
            ApiErrorKind::Server => (
                EngineErrorKind::Offline,
                format!("Il servizio Firma con IO non risponde correttamente ({what}): nuovo tentativo più tardi."),
            ),
            ApiErrorKind::RateLimited { .. } => (
                EngineErrorKind::Offline,
                format!("Troppe richieste al servizio Firma con IO ({what}): nuovo tentativo tra poco."),
            ),
            ApiErrorKind::Unauthorized => (
                EngineErrorKind::Refused,
                "Chiave API di Firma con IO non valida o revocata: controllare la configurazione del profilo.".to_owned(),
            ),
            ApiErrorKind::Forbidden => (
                EngineErrorKind::Refused,
                "Accesso negato da Firma con IO: indirizzo IP non autorizzato per la chiave, oppure codice fiscale non abilitato ai test.".to_owned(),
            ),
            ApiErrorKind::NotFound if err.operation == "getSignerByFiscalCode" => (
                EngineErrorKind::SignerNotOnIo,
                "Il cittadino non risulta iscritto all'app IO: non è possibile inviargli la richiesta di firma.".to_owned(),
            ),
            ApiErrorKind::NotFound => (
                EngineErrorKind::Refused,
                format!("Elemento non trovato su Firma con IO mentre si cercava di {what}."),
            ),
            ApiErrorKind::Validation => {
                let v = err.violations();
                let why = if v.is_empty() { detail.clone() } else { v.join("; ") };
                (
                    EngineErrorKind::Refused,
                    format!("Dati rifiutati da Firma con IO mentre si cercava di {what}: {why}"),
                )
            }
            ApiErrorKind::NotAllowedInState => (
                EngineErrorKind::NotAllowed,
                format!("Operazione non consentita nello stato attuale della richiesta ({what}): {detail}"),
            ),
            ApiErrorKind::Io => (
                EngineErrorKind::Archive,
                format!("Errore di scrittura su disco mentre si cercava di {what}."),
            ),
            _ => (
                EngineErrorKind::Refused,
                format!("Risposta inattesa da Firma con IO mentre si cercava di {what}."),
            ),
        };
        // kind + status + operation: never the whole error, whose body may echo request data.
        let detail = format!(
            "{}: {}{}",
            err.operation,
            err.kind,
            err.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
        );
        Self { kind, message, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_api_failures_queue_and_permanent_ones_stop() {
        let net = EngineError::from_api(
            &ApiError::new("createSignatureRequest", ApiErrorKind::Network),
            "creare",
        );
        assert_eq!(net.kind, EngineErrorKind::Offline);
        assert!(net.kind.is_transient());
        assert!(net.message.contains("in coda"), "{}", net.message);
        let cf = EngineError::from_api(&ApiError::new("getSignerByFiscalCode", ApiErrorKind::NotFound), "x");
        assert_eq!(cf.kind, EngineErrorKind::SignerNotOnIo);
        assert!(!cf.kind.is_transient());
        assert!(cf.message.contains("app IO"));
    }
}
