//! The error shape every command returns to the UI.
//!
//! The UI never receives bare strings: it reads `code` to choose its own translated text and falls back to
//! `message` (Italian) for codes it does not know yet. `detail` carries technical context for the log panel
//! and must never contain secrets.

use serde::Serialize;

/// An error as the UI sees it.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct UiError {
    /// Stable machine-readable code, e.g. `settings.write_failed`.
    pub code: Code,
    /// Italian message for the clerk, saying what to do.
    pub message: String,
    /// Technical detail for logs and support (no secrets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl UiError {
    /// An error with a code and an Italian message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds technical detail (shown on demand, logged).
    pub fn with_detail(mut self, detail: impl std::fmt::Display) -> Self {
        self.detail = Some(detail.to_string());
        self
    }
}

/// Every error code the desk returns to the UI, serialised as `area.reason`: the UI chooses its own text by
/// it (`errors.<code>` in the locale files) and falls back to the Italian message. One code per cause:
/// the core crates' error kinds each map to their own code (`From` below), none to a catch-all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Code {
    #[serde(rename = "archive.invalid")]
    ArchiveInvalid,
    #[serde(rename = "archive.missing")]
    ArchiveMissing,
    #[serde(rename = "archive.not_archived")]
    ArchiveNotArchived,
    #[serde(rename = "archive.not_pdf")]
    ArchiveNotPdf,
    #[serde(rename = "archive.not_writable")]
    ArchiveNotWritable,
    #[serde(rename = "archive.open_failed")]
    ArchiveOpenFailed,
    #[serde(rename = "archive.outside")]
    ArchiveOutside,
    #[serde(rename = "archive.unavailable")]
    ArchiveUnavailable,
    #[serde(rename = "auth.browser_unavailable")]
    AuthBrowserUnavailable,
    #[serde(rename = "auth.invalid_config")]
    AuthInvalidConfig,
    #[serde(rename = "auth.invalid_id_token")]
    AuthInvalidIdToken,
    #[serde(rename = "auth.invalid_signature")]
    AuthInvalidSignature,
    #[serde(rename = "auth.keyring_failure")]
    AuthKeyringFailure,
    #[serde(rename = "auth.keyring_locked")]
    AuthKeyringLocked,
    #[serde(rename = "auth.login_denied")]
    AuthLoginDenied,
    #[serde(rename = "auth.login_required")]
    AuthLoginRequired,
    #[serde(rename = "auth.login_timeout")]
    AuthLoginTimeout,
    #[serde(rename = "auth.loopback_unavailable")]
    AuthLoopbackUnavailable,
    #[serde(rename = "auth.no_keyring")]
    AuthNoKeyring,
    #[serde(rename = "auth.nonce_mismatch")]
    AuthNonceMismatch,
    #[serde(rename = "auth.provider_rejected")]
    AuthProviderRejected,
    #[serde(rename = "auth.provider_unavailable")]
    AuthProviderUnavailable,
    #[serde(rename = "auth.second_factor_missing")]
    AuthSecondFactorMissing,
    #[serde(rename = "auth.session_expired")]
    AuthSessionExpired,
    #[serde(rename = "auth.state_mismatch")]
    AuthStateMismatch,
    #[serde(rename = "auth.token_expired")]
    AuthTokenExpired,
    #[serde(rename = "auth.wrong_audience")]
    AuthWrongAudience,
    #[serde(rename = "auth.wrong_issuer")]
    AuthWrongIssuer,
    #[serde(rename = "doctype.invalid_name")]
    DoctypeInvalidName,
    #[serde(rename = "doctype.invalid_title")]
    DoctypeInvalidTitle,
    #[serde(rename = "engine.archive")]
    EngineArchive,
    #[serde(rename = "engine.bad_download")]
    EngineBadDownload,
    #[serde(rename = "engine.document_rejected")]
    EngineDocumentRejected,
    #[serde(rename = "engine.not_allowed")]
    EngineNotAllowed,
    #[serde(rename = "engine.not_found")]
    EngineNotFound,
    #[serde(rename = "engine.offline")]
    EngineOffline,
    #[serde(rename = "engine.refused")]
    EngineRefused,
    #[serde(rename = "engine.shutdown")]
    EngineShutdown,
    #[serde(rename = "engine.signer_not_on_io")]
    EngineSignerNotOnIo,
    #[serde(rename = "engine.store")]
    EngineStore,
    #[serde(rename = "export.empty")]
    ExportEmpty,
    #[serde(rename = "export.write_failed")]
    ExportWriteFailed,
    #[serde(rename = "pdf.bad_request")]
    PdfBadRequest,
    #[serde(rename = "pdf.encrypted")]
    PdfEncrypted,
    #[serde(rename = "pdf.library_missing")]
    PdfLibraryMissing,
    #[serde(rename = "pdf.not_pdf")]
    PdfNotPdf,
    #[serde(rename = "pdf.render_failed")]
    PdfRenderFailed,
    #[serde(rename = "pdf.save_failed")]
    PdfSaveFailed,
    #[serde(rename = "pdf.too_large")]
    PdfTooLarge,
    #[serde(rename = "pdf.too_many_pages")]
    PdfTooManyPages,
    #[serde(rename = "pdf.unknown")]
    PdfUnknown,
    #[serde(rename = "pdf.unreadable")]
    PdfUnreadable,
    #[serde(rename = "profile.builtin")]
    ProfileBuiltin,
    #[serde(rename = "profile.in_use")]
    ProfileInUse,
    #[serde(rename = "profile.invalid_environment")]
    ProfileInvalidEnvironment,
    #[serde(rename = "profile.invalid_key")]
    ProfileInvalidKey,
    #[serde(rename = "profile.invalid_url")]
    ProfileInvalidUrl,
    #[serde(rename = "profile.ip_forbidden")]
    ProfileIpForbidden,
    #[serde(rename = "profile.key_for_new_url")]
    ProfileKeyForNewUrl,
    #[serde(rename = "profile.key_rejected")]
    ProfileKeyRejected,
    #[serde(rename = "profile.missing_key")]
    ProfileMissingKey,
    #[serde(rename = "profile.missing_name")]
    ProfileMissingName,
    #[serde(rename = "profile.no_key")]
    ProfileNoKey,
    #[serde(rename = "profile.not_found")]
    ProfileNotFound,
    #[serde(rename = "profile.ok")]
    ProfileOk,
    #[serde(rename = "profile.rate_limited")]
    ProfileRateLimited,
    #[serde(rename = "profile.unreachable")]
    ProfileUnreachable,
    #[serde(rename = "qr.not_ready")]
    QrNotReady,
    #[serde(rename = "qr.unavailable")]
    QrUnavailable,
    #[serde(rename = "request.expired_deadline")]
    RequestExpiredDeadline,
    #[serde(rename = "request.invalid_clause")]
    RequestInvalidClause,
    #[serde(rename = "request.invalid_deadline")]
    RequestInvalidDeadline,
    #[serde(rename = "request.invalid_fiscal_code")]
    RequestInvalidFiscalCode,
    #[serde(rename = "request.invalid_title")]
    RequestInvalidTitle,
    #[serde(rename = "request.missing_signer")]
    RequestMissingSigner,
    #[serde(rename = "request.no_documents")]
    RequestNoDocuments,
    #[serde(rename = "request.not_found")]
    RequestNotFound,
    #[serde(rename = "request.not_sent")]
    RequestNotSent,
    #[serde(rename = "request.preflight_failed")]
    RequestPreflightFailed,
    #[serde(rename = "request.unknown_document_type")]
    RequestUnknownDocumentType,
    #[serde(rename = "sandbox.not_running")]
    SandboxNotRunning,
    #[serde(rename = "sandbox.not_sandbox")]
    SandboxNotSandbox,
    #[serde(rename = "sandbox.reject_failed")]
    SandboxRejectFailed,
    #[serde(rename = "sandbox.sign_failed")]
    SandboxSignFailed,
    #[serde(rename = "sandbox.start_failed")]
    SandboxStartFailed,
    #[serde(rename = "settings.unknown_locale")]
    SettingsUnknownLocale,
    #[serde(rename = "settings.write_failed")]
    SettingsWriteFailed,
    #[serde(rename = "store.backup")]
    StoreBackup,
    #[serde(rename = "store.corrupt")]
    StoreCorrupt,
    #[serde(rename = "store.invalid")]
    StoreInvalid,
    #[serde(rename = "store.migration")]
    StoreMigration,
    #[serde(rename = "store.newer_schema")]
    StoreNewerSchema,
    #[serde(rename = "store.sqlite")]
    StoreSqlite,
}

impl Code {
    /// Every code, for tests of the locale files.
    pub const ALL: &'static [Code] = &[
        Code::ArchiveInvalid,
        Code::ArchiveMissing,
        Code::ArchiveNotArchived,
        Code::ArchiveNotPdf,
        Code::ArchiveNotWritable,
        Code::ArchiveOpenFailed,
        Code::ArchiveOutside,
        Code::ArchiveUnavailable,
        Code::AuthBrowserUnavailable,
        Code::AuthInvalidConfig,
        Code::AuthInvalidIdToken,
        Code::AuthInvalidSignature,
        Code::AuthKeyringFailure,
        Code::AuthKeyringLocked,
        Code::AuthLoginDenied,
        Code::AuthLoginRequired,
        Code::AuthLoginTimeout,
        Code::AuthLoopbackUnavailable,
        Code::AuthNoKeyring,
        Code::AuthNonceMismatch,
        Code::AuthProviderRejected,
        Code::AuthProviderUnavailable,
        Code::AuthSecondFactorMissing,
        Code::AuthSessionExpired,
        Code::AuthStateMismatch,
        Code::AuthTokenExpired,
        Code::AuthWrongAudience,
        Code::AuthWrongIssuer,
        Code::DoctypeInvalidName,
        Code::DoctypeInvalidTitle,
        Code::EngineArchive,
        Code::EngineBadDownload,
        Code::EngineDocumentRejected,
        Code::EngineNotAllowed,
        Code::EngineNotFound,
        Code::EngineOffline,
        Code::EngineRefused,
        Code::EngineShutdown,
        Code::EngineSignerNotOnIo,
        Code::EngineStore,
        Code::ExportEmpty,
        Code::ExportWriteFailed,
        Code::PdfBadRequest,
        Code::PdfEncrypted,
        Code::PdfLibraryMissing,
        Code::PdfNotPdf,
        Code::PdfRenderFailed,
        Code::PdfSaveFailed,
        Code::PdfTooLarge,
        Code::PdfTooManyPages,
        Code::PdfUnknown,
        Code::PdfUnreadable,
        Code::ProfileBuiltin,
        Code::ProfileInUse,
        Code::ProfileInvalidEnvironment,
        Code::ProfileInvalidKey,
        Code::ProfileInvalidUrl,
        Code::ProfileIpForbidden,
        Code::ProfileKeyForNewUrl,
        Code::ProfileKeyRejected,
        Code::ProfileMissingKey,
        Code::ProfileMissingName,
        Code::ProfileNoKey,
        Code::ProfileNotFound,
        Code::ProfileOk,
        Code::ProfileRateLimited,
        Code::ProfileUnreachable,
        Code::QrNotReady,
        Code::QrUnavailable,
        Code::RequestExpiredDeadline,
        Code::RequestInvalidClause,
        Code::RequestInvalidDeadline,
        Code::RequestInvalidFiscalCode,
        Code::RequestInvalidTitle,
        Code::RequestMissingSigner,
        Code::RequestNoDocuments,
        Code::RequestNotFound,
        Code::RequestNotSent,
        Code::RequestPreflightFailed,
        Code::RequestUnknownDocumentType,
        Code::SandboxNotRunning,
        Code::SandboxNotSandbox,
        Code::SandboxRejectFailed,
        Code::SandboxSignFailed,
        Code::SandboxStartFailed,
        Code::SettingsUnknownLocale,
        Code::SettingsWriteFailed,
        Code::StoreBackup,
        Code::StoreCorrupt,
        Code::StoreInvalid,
        Code::StoreMigration,
        Code::StoreNewerSchema,
        Code::StoreSqlite,
    ];

    /// The code as the UI sees it, `area.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ArchiveInvalid => "archive.invalid",
            Code::ArchiveMissing => "archive.missing",
            Code::ArchiveNotArchived => "archive.not_archived",
            Code::ArchiveNotPdf => "archive.not_pdf",
            Code::ArchiveNotWritable => "archive.not_writable",
            Code::ArchiveOpenFailed => "archive.open_failed",
            Code::ArchiveOutside => "archive.outside",
            Code::ArchiveUnavailable => "archive.unavailable",
            Code::AuthBrowserUnavailable => "auth.browser_unavailable",
            Code::AuthInvalidConfig => "auth.invalid_config",
            Code::AuthInvalidIdToken => "auth.invalid_id_token",
            Code::AuthInvalidSignature => "auth.invalid_signature",
            Code::AuthKeyringFailure => "auth.keyring_failure",
            Code::AuthKeyringLocked => "auth.keyring_locked",
            Code::AuthLoginDenied => "auth.login_denied",
            Code::AuthLoginRequired => "auth.login_required",
            Code::AuthLoginTimeout => "auth.login_timeout",
            Code::AuthLoopbackUnavailable => "auth.loopback_unavailable",
            Code::AuthNoKeyring => "auth.no_keyring",
            Code::AuthNonceMismatch => "auth.nonce_mismatch",
            Code::AuthProviderRejected => "auth.provider_rejected",
            Code::AuthProviderUnavailable => "auth.provider_unavailable",
            Code::AuthSecondFactorMissing => "auth.second_factor_missing",
            Code::AuthSessionExpired => "auth.session_expired",
            Code::AuthStateMismatch => "auth.state_mismatch",
            Code::AuthTokenExpired => "auth.token_expired",
            Code::AuthWrongAudience => "auth.wrong_audience",
            Code::AuthWrongIssuer => "auth.wrong_issuer",
            Code::DoctypeInvalidName => "doctype.invalid_name",
            Code::DoctypeInvalidTitle => "doctype.invalid_title",
            Code::EngineArchive => "engine.archive",
            Code::EngineBadDownload => "engine.bad_download",
            Code::EngineDocumentRejected => "engine.document_rejected",
            Code::EngineNotAllowed => "engine.not_allowed",
            Code::EngineNotFound => "engine.not_found",
            Code::EngineOffline => "engine.offline",
            Code::EngineRefused => "engine.refused",
            Code::EngineShutdown => "engine.shutdown",
            Code::EngineSignerNotOnIo => "engine.signer_not_on_io",
            Code::EngineStore => "engine.store",
            Code::ExportEmpty => "export.empty",
            Code::ExportWriteFailed => "export.write_failed",
            Code::PdfBadRequest => "pdf.bad_request",
            Code::PdfEncrypted => "pdf.encrypted",
            Code::PdfLibraryMissing => "pdf.library_missing",
            Code::PdfNotPdf => "pdf.not_pdf",
            Code::PdfRenderFailed => "pdf.render_failed",
            Code::PdfSaveFailed => "pdf.save_failed",
            Code::PdfTooLarge => "pdf.too_large",
            Code::PdfTooManyPages => "pdf.too_many_pages",
            Code::PdfUnknown => "pdf.unknown",
            Code::PdfUnreadable => "pdf.unreadable",
            Code::ProfileBuiltin => "profile.builtin",
            Code::ProfileInUse => "profile.in_use",
            Code::ProfileInvalidEnvironment => "profile.invalid_environment",
            Code::ProfileInvalidKey => "profile.invalid_key",
            Code::ProfileInvalidUrl => "profile.invalid_url",
            Code::ProfileIpForbidden => "profile.ip_forbidden",
            Code::ProfileKeyForNewUrl => "profile.key_for_new_url",
            Code::ProfileKeyRejected => "profile.key_rejected",
            Code::ProfileMissingKey => "profile.missing_key",
            Code::ProfileMissingName => "profile.missing_name",
            Code::ProfileNoKey => "profile.no_key",
            Code::ProfileNotFound => "profile.not_found",
            Code::ProfileOk => "profile.ok",
            Code::ProfileRateLimited => "profile.rate_limited",
            Code::ProfileUnreachable => "profile.unreachable",
            Code::QrNotReady => "qr.not_ready",
            Code::QrUnavailable => "qr.unavailable",
            Code::RequestExpiredDeadline => "request.expired_deadline",
            Code::RequestInvalidClause => "request.invalid_clause",
            Code::RequestInvalidDeadline => "request.invalid_deadline",
            Code::RequestInvalidFiscalCode => "request.invalid_fiscal_code",
            Code::RequestInvalidTitle => "request.invalid_title",
            Code::RequestMissingSigner => "request.missing_signer",
            Code::RequestNoDocuments => "request.no_documents",
            Code::RequestNotFound => "request.not_found",
            Code::RequestNotSent => "request.not_sent",
            Code::RequestPreflightFailed => "request.preflight_failed",
            Code::RequestUnknownDocumentType => "request.unknown_document_type",
            Code::SandboxNotRunning => "sandbox.not_running",
            Code::SandboxNotSandbox => "sandbox.not_sandbox",
            Code::SandboxRejectFailed => "sandbox.reject_failed",
            Code::SandboxSignFailed => "sandbox.sign_failed",
            Code::SandboxStartFailed => "sandbox.start_failed",
            Code::SettingsUnknownLocale => "settings.unknown_locale",
            Code::SettingsWriteFailed => "settings.write_failed",
            Code::StoreBackup => "store.backup",
            Code::StoreCorrupt => "store.corrupt",
            Code::StoreInvalid => "store.invalid",
            Code::StoreMigration => "store.migration",
            Code::StoreNewerSchema => "store.newer_schema",
            Code::StoreSqlite => "store.sqlite",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<firmadesk_auth::AuthErrorKind> for Code {
    fn from(kind: firmadesk_auth::AuthErrorKind) -> Self {
        use firmadesk_auth::AuthErrorKind as K;
        match kind {
            K::NoKeyring => Code::AuthNoKeyring,
            K::KeyringLocked => Code::AuthKeyringLocked,
            K::KeyringFailure => Code::AuthKeyringFailure,
            K::InvalidConfig => Code::AuthInvalidConfig,
            K::ProviderUnavailable => Code::AuthProviderUnavailable,
            K::ProviderRejected => Code::AuthProviderRejected,
            K::LoginDenied => Code::AuthLoginDenied,
            K::LoginTimeout => Code::AuthLoginTimeout,
            K::BrowserUnavailable => Code::AuthBrowserUnavailable,
            K::LoopbackUnavailable => Code::AuthLoopbackUnavailable,
            K::StateMismatch => Code::AuthStateMismatch,
            K::NonceMismatch => Code::AuthNonceMismatch,
            K::InvalidSignature => Code::AuthInvalidSignature,
            K::WrongAudience => Code::AuthWrongAudience,
            K::WrongIssuer => Code::AuthWrongIssuer,
            K::SecondFactorMissing => Code::AuthSecondFactorMissing,
            K::TokenExpired => Code::AuthTokenExpired,
            K::InvalidIdToken => Code::AuthInvalidIdToken,
            K::SessionExpired => Code::AuthSessionExpired,
            K::LoginRequired => Code::AuthLoginRequired,
        }
    }
}

impl From<firmadesk_store::ErrorKind> for Code {
    fn from(kind: firmadesk_store::ErrorKind) -> Self {
        use firmadesk_store::ErrorKind as K;
        match kind {
            K::Corrupt => Code::StoreCorrupt,
            K::NewerSchema => Code::StoreNewerSchema,
            K::Migration => Code::StoreMigration,
            K::Backup => Code::StoreBackup,
            K::Invalid => Code::StoreInvalid,
            K::Sqlite => Code::StoreSqlite,
        }
    }
}

impl From<firmadesk_engine::EngineErrorKind> for Code {
    fn from(kind: firmadesk_engine::EngineErrorKind) -> Self {
        use firmadesk_engine::EngineErrorKind as K;
        match kind {
            K::Offline => Code::EngineOffline,
            K::Refused => Code::EngineRefused,
            K::SignerNotOnIo => Code::EngineSignerNotOnIo,
            K::DocumentRejected => Code::EngineDocumentRejected,
            K::NotAllowed => Code::EngineNotAllowed,
            K::Store => Code::EngineStore,
            K::Archive => Code::EngineArchive,
            K::BadDownload => Code::EngineBadDownload,
            K::NotFound => Code::EngineNotFound,
            K::Shutdown => Code::EngineShutdown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(lang: &str) -> serde_json::Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../ui/locales/{lang}.json"));
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    /// Every code the desk can return has a text in both UI languages (`errors.<area>.<reason>`), so an
    /// English clerk never reads the Italian fallback.
    #[test]
    fn every_code_has_an_italian_and_an_english_text() {
        for lang in ["it", "en"] {
            let dict = locale(lang);
            let missing: Vec<&str> = Code::ALL
                .iter()
                .map(|c| c.as_str())
                .filter(|c| {
                    let (area, reason) = c.split_once('.').unwrap();
                    !dict["errors"][area][reason].is_string()
                })
                .collect();
            assert!(missing.is_empty(), "{lang}.json lacks errors for {missing:?}");
        }
    }

    /// The wire format the UI reads: `area.reason`, unique, and the same as `as_str`.
    #[test]
    fn codes_serialise_as_area_dot_reason() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().into()));
            assert!(code.as_str().split_once('.').is_some(), "{code}");
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        let err = UiError::new(Code::ProfileNotFound, "Profilo non trovato.");
        assert_eq!(serde_json::to_value(&err).unwrap()["code"], "profile.not_found");
    }
}
