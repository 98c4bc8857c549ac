//! Typed errors: a stable machine code for the UI (`{code, message}`) and an Italian message for the clerk.
//!
//! The technical `detail` is for logs only and is built so that it never carries secret material: token
//! endpoint bodies, ID tokens and keyring payloads are never copied into it.

/// What went wrong, independent of the wording. Stable: the UI and the timeline match on [`AuthErrorKind::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
// Exhaustive on purpose: the desk maps every kind to its own UI code (firmadesk-desk error.rs), so a
// new kind fails to compile there until it has one.
pub enum AuthErrorKind {
    /// No OS keyring reachable (Linux: no D-Bus session / no Secret Service; other OSes: platform error).
    NoKeyring,
    /// The keyring exists but is locked or refused access.
    KeyringLocked,
    /// Any other keyring failure (bad encoding, value too long, ambiguous entries...).
    KeyringFailure,
    /// The profile's login configuration is unusable (bad issuer URL, plain http to a remote host...).
    InvalidConfig,
    /// The identity provider cannot be reached or answered with something unusable.
    ProviderUnavailable,
    /// The identity provider refused the request (e.g. `invalid_grant` on code exchange).
    ProviderRejected,
    /// The clerk cancelled or the provider denied the login in the browser.
    LoginDenied,
    /// The browser leg did not complete in time.
    LoginTimeout,
    /// The system browser could not be opened.
    BrowserUnavailable,
    /// The loopback redirect listener could not be started.
    LoopbackUnavailable,
    /// The `state` returned on the redirect is not the one we sent: possible CSRF / login injection.
    StateMismatch,
    /// The ID token's `nonce` is not the one we sent: possible replay / token injection.
    NonceMismatch,
    /// The ID token's signature does not verify against the provider's JWKS.
    InvalidSignature,
    /// The ID token was issued for another client (`aud`).
    WrongAudience,
    /// The ID token was issued by another provider (`iss`).
    WrongIssuer,
    /// The login did not reach the authentication level the profile requires (`acr`): no second factor.
    SecondFactorMissing,
    /// The ID token has expired (`exp`).
    TokenExpired,
    /// The token response or ID token is malformed in another way (missing ID token, bad subject...).
    InvalidIdToken,
    /// No usable session: no refresh token stored, or the provider no longer accepts it.
    SessionExpired,
    /// The profile requires a login and there is no valid session for it (none, another profile's,
    /// idle past the timeout, or older than the maximum age).
    LoginRequired,
}

impl AuthErrorKind {
    /// Machine code sent to the UI alongside the message.
    pub fn code(self) -> &'static str {
        match self {
            Self::NoKeyring => "auth.no_keyring",
            Self::KeyringLocked => "auth.keyring_locked",
            Self::KeyringFailure => "auth.keyring_failure",
            Self::InvalidConfig => "auth.invalid_config",
            Self::ProviderUnavailable => "auth.provider_unavailable",
            Self::ProviderRejected => "auth.provider_rejected",
            Self::LoginDenied => "auth.login_denied",
            Self::LoginTimeout => "auth.login_timeout",
            Self::BrowserUnavailable => "auth.browser_unavailable",
            Self::LoopbackUnavailable => "auth.loopback_unavailable",
            Self::StateMismatch => "auth.state_mismatch",
            Self::NonceMismatch => "auth.nonce_mismatch",
            Self::InvalidSignature => "auth.invalid_signature",
            Self::WrongAudience => "auth.wrong_audience",
            Self::WrongIssuer => "auth.wrong_issuer",
            Self::SecondFactorMissing => "auth.second_factor_missing",
            Self::TokenExpired => "auth.token_expired",
            Self::InvalidIdToken => "auth.invalid_id_token",
            Self::SessionExpired => "auth.session_expired",
            Self::LoginRequired => "auth.login_required",
        }
    }

    /// The Italian message shown to the clerk.
    pub fn message(self) -> &'static str {
        match self {
            Self::NoKeyring => {
                "Nessun portachiavi di sistema disponibile: su Linux installare e avviare gnome-keyring o KWallet \
                 (Secret Service) e riaprire FirmaDesk; su Windows e macOS verificare che Gestione credenziali / \
                 Portachiavi siano attivi. Per sicurezza FirmaDesk non salva chiavi e token in chiaro."
            }
            Self::KeyringLocked => {
                "Il portachiavi di sistema è bloccato o ha negato l'accesso: sbloccarlo (di solito con la password \
                 di accesso al computer) e riprovare."
            }
            Self::KeyringFailure => {
                "Errore del portachiavi di sistema: riprovare; se il problema persiste contattare l'assistenza \
                 informatica dell'ente."
            }
            Self::InvalidConfig => {
                "Configurazione dell'accesso non valida: verificare nel profilo l'indirizzo del servizio di accesso \
                 dell'ente (deve iniziare con https://) e l'identificativo client."
            }
            Self::ProviderUnavailable => {
                "Il servizio di accesso dell'ente non risponde. Verificare la connessione e riprovare tra qualche \
                 minuto; se il problema persiste contattare l'assistenza informatica dell'ente."
            }
            Self::ProviderRejected => {
                "Il servizio di accesso dell'ente ha rifiutato la richiesta. Ripetere l'accesso; se il problema \
                 persiste contattare l'assistenza informatica dell'ente."
            }
            Self::LoginDenied => "L'accesso è stato annullato o negato nel browser. Ripetere l'accesso per continuare.",
            Self::LoginTimeout => {
                "Tempo scaduto: l'accesso nel browser non è stato completato. Ripetere l'accesso per continuare."
            }
            Self::BrowserUnavailable => {
                "Impossibile aprire il browser di sistema per l'accesso. Verificare che sia installato un browser \
                 predefinito e riprovare."
            }
            Self::LoopbackUnavailable => {
                "Impossibile ricevere la risposta di accesso sul computer (127.0.0.1). Riprovare; se il problema \
                 persiste contattare l'assistenza informatica dell'ente."
            }
            Self::StateMismatch => {
                "La risposta di accesso ricevuta non corrisponde alla richiesta in corso: possibile tentativo di \
                 attacco, l'accesso è stato bloccato. Ripetere l'accesso e, se si ripresenta, avvisare l'assistenza \
                 informatica dell'ente."
            }
            Self::NonceMismatch => {
                "Il token di identità non appartiene a questa richiesta di accesso: possibile tentativo di attacco, \
                 l'accesso è stato bloccato. Ripetere l'accesso e, se si ripresenta, avvisare l'assistenza \
                 informatica dell'ente."
            }
            Self::InvalidSignature => {
                "La firma del token di identità non è valida: possibile tentativo di attacco, l'accesso è stato \
                 bloccato. Avvisare l'assistenza informatica dell'ente."
            }
            Self::WrongAudience => {
                "Il token di identità è destinato a un'altra applicazione: accesso rifiutato. Verificare \
                 l'identificativo client configurato nel profilo."
            }
            Self::WrongIssuer => {
                "Il token di identità proviene da un servizio di accesso diverso da quello configurato: accesso \
                 rifiutato."
            }
            Self::SecondFactorMissing => {
                "L'accesso non è stato effettuato con il secondo fattore richiesto dall'ente: accesso rifiutato. \
                 Ripetere l'accesso completando la verifica in due passaggi (ad esempio SPID di livello 2 o codice \
                 OTP)."
            }
            Self::TokenExpired => {
                "Il token di identità è scaduto: ripetere l'accesso. Se il problema si ripresenta verificare data e \
                 ora del computer."
            }
            Self::InvalidIdToken => {
                "Il servizio di accesso ha restituito un'identità non valida: accesso rifiutato. Ripetere l'accesso."
            }
            Self::SessionExpired => "La sessione è scaduta: è necessario accedere di nuovo.",
            Self::LoginRequired => "Accesso richiesto: accedere con l'account dell'ente per continuare.",
        }
    }
}

/// The crate's error: a kind (code + Italian message) and a technical detail for logs.
///
/// `Display` is the Italian message (what the clerk sees); `detail()` is for diagnostics.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .kind.message())]
pub struct AuthError {
    kind: AuthErrorKind,
    detail: String,
}

impl AuthError {
    /// Builds an error. `detail` must never contain secret material.
    pub fn new(kind: AuthErrorKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    /// The kind, to match on.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// Stable machine code (see [`AuthErrorKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Italian message for the clerk.
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }

    /// Technical detail for logs (no secrets).
    pub fn detail(&self) -> &str {
        &self.detail
    }
}
