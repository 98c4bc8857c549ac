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

/// Every error code the desk returns to the UI, serialised as `area.reason` (each variant's doc is its English
/// text from `ui/locales/en.ftl`): the UI chooses its own text by
/// it (`errors-<area>-<reason>` in the catalogues) and falls back to the Italian message. One code per cause:
/// the core crates' error kinds each map to their own code (`From` below), none to a catch-all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Code {
    /// Invalid folder: choose another one.
    #[serde(rename = "archive.invalid")]
    ArchiveInvalid,
    /// The file is no longer in the archive: it was moved or deleted.
    #[serde(rename = "archive.missing")]
    ArchiveMissing,
    /// The signed document is not in the archive yet: wait for it to be saved or refresh the request.
    #[serde(rename = "archive.not_archived")]
    ArchiveNotArchived,
    /// The file in the archive is not a PDF: it is not opened. Check the archive folder.
    #[serde(rename = "archive.not_pdf")]
    ArchiveNotPdf,
    /// FirmaDesk cannot write to the chosen folder: choose another one or check its permissions.
    #[serde(rename = "archive.not_writable")]
    ArchiveNotWritable,
    /// The file could not be opened: check that a PDF reader is installed.
    #[serde(rename = "archive.open_failed")]
    ArchiveOpenFailed,
    /// Invalid path: the file is not one of the archive's exports.
    #[serde(rename = "archive.outside")]
    ArchiveOutside,
    /// The archive folder is not accessible: check its permissions.
    #[serde(rename = "archive.unavailable")]
    ArchiveUnavailable,
    /// Starting at login could not be changed: check the permissions of the startup folder.
    #[serde(rename = "autostart.failed")]
    AutostartFailed,
    /// The browser could not be opened for the login: open it and try again.
    #[serde(rename = "auth.browser_unavailable")]
    AuthBrowserUnavailable,
    /// Invalid login configuration: check the profile's login service in Settings.
    #[serde(rename = "auth.invalid_config")]
    AuthInvalidConfig,
    /// Invalid answer from the login service: try again; if it happens again contact support.
    #[serde(rename = "auth.invalid_id_token")]
    AuthInvalidIdToken,
    /// The identity token's signature is not valid: login refused for safety.
    #[serde(rename = "auth.invalid_signature")]
    AuthInvalidSignature,
    /// The system keyring failed: try again; if it happens again restart the computer.
    #[serde(rename = "auth.keyring_failure")]
    AuthKeyringFailure,
    /// The system keyring is locked: unlock it and try again.
    #[serde(rename = "auth.keyring_locked")]
    AuthKeyringLocked,
    /// Login denied by the organisation's service.
    #[serde(rename = "auth.login_denied")]
    AuthLoginDenied,
    /// Login required: sign in with your organisation's account to continue.
    #[serde(rename = "auth.login_required")]
    AuthLoginRequired,
    /// The login was not completed in time: try again.
    #[serde(rename = "auth.login_timeout")]
    AuthLoginTimeout,
    /// The login's answer could not be received on this computer: try again.
    #[serde(rename = "auth.loopback_unavailable")]
    AuthLoopbackUnavailable,
    /// No system keyring is available: install one (Secret Service) and reopen FirmaDesk.
    #[serde(rename = "auth.no_keyring")]
    AuthNoKeyring,
    /// Unexpected login answer: possible attack, login refused.
    #[serde(rename = "auth.nonce_mismatch")]
    AuthNonceMismatch,
    /// The login service refused the request: check the profile's configuration.
    #[serde(rename = "auth.provider_rejected")]
    AuthProviderRejected,
    /// The login service cannot be reached: check the connection and try again.
    #[serde(rename = "auth.provider_unavailable")]
    AuthProviderUnavailable,
    /// The login did not use the second factor: log in again with the second factor.
    #[serde(rename = "auth.second_factor_missing")]
    AuthSecondFactorMissing,
    /// Session expired: log in again.
    #[serde(rename = "auth.session_expired")]
    AuthSessionExpired,
    /// Unexpected login answer: possible attack, login refused.
    #[serde(rename = "auth.state_mismatch")]
    AuthStateMismatch,
    /// The identity token has expired: log in again.
    #[serde(rename = "auth.token_expired")]
    AuthTokenExpired,
    /// The identity token is meant for another application: login refused.
    #[serde(rename = "auth.wrong_audience")]
    AuthWrongAudience,
    /// The identity token comes from another login service: login refused.
    #[serde(rename = "auth.wrong_issuer")]
    AuthWrongIssuer,
    /// Two columns of the list have the same title: rename one in the spreadsheet and load the list again.
    #[serde(rename = "bulk.duplicate_header")]
    BulkDuplicateHeader,
    /// The list is empty: export it again from the spreadsheet and try again.
    #[serde(rename = "bulk.empty")]
    BulkEmpty,
    /// The list has no column of fiscal codes: say which one it is.
    #[serde(rename = "bulk.no_fiscal_code_column")]
    BulkNoFiscalCodeColumn,
    /// The list has only the column titles: add one row per recipient.
    #[serde(rename = "bulk.no_rows")]
    BulkNoRows,
    /// The list is larger than 10 MB: remove the columns that are not needed or split it into several files.
    #[serde(rename = "bulk.too_large")]
    BulkTooLarge,
    /// The list has more than 200 columns: keep only those needed (name, tax code, PDF...) and load it again.
    #[serde(rename = "bulk.too_many_columns")]
    BulkTooManyColumns,
    /// The list has more than 20,000 rows: split it into several files and send them one at a time.
    #[serde(rename = "bulk.too_many_rows")]
    BulkTooManyRows,
    /// The spreadsheet cannot be read: open it, save it again as Excel (.xlsx) or CSV and try again.
    #[serde(rename = "bulk.unreadable")]
    BulkUnreadable,
    /// The file is not a list FirmaDesk can read: save it from the spreadsheet as CSV or Excel (.xlsx).
    #[serde(rename = "bulk.unsupported")]
    BulkUnsupported,
    /// This list is sent by another computer: pause or stop it from there.
    #[serde(rename = "bulk.batch_elsewhere")]
    BulkBatchElsewhere,
    /// The sending of this list is over.
    #[serde(rename = "bulk.batch_finished")]
    BulkBatchFinished,
    /// The list sent is not found: reload the page.
    #[serde(rename = "bulk.batch_not_found")]
    BulkBatchNotFound,
    /// No row is ready: correct the rows in error and check the list again.
    #[serde(rename = "bulk.nothing_to_send")]
    BulkNothingToSend,
    /// The document type has no template: the fields of the rows' own PDFs come from it.
    #[serde(rename = "bulk.no_template")]
    BulkNoTemplate,
    /// A row's own PDF cannot be sent (missing, unreadable, or no template field fits it).
    #[serde(rename = "bulk.row_pdf")]
    BulkRowPdf,
    /// A document type of that name exists already: choose another name.
    #[serde(rename = "doctype.exists")]
    DoctypeExists,
    /// The document type's support email is not an address IO accepts.
    #[serde(rename = "doctype.invalid_email")]
    DoctypeInvalidEmail,
    /// The retention period is not a whole number of years from 1 to 999.
    #[serde(rename = "doctype.invalid_retention")]
    DoctypeInvalidRetention,
    /// Give the document type a name.
    #[serde(rename = "doctype.invalid_name")]
    DoctypeInvalidName,
    /// The template cannot be kept: check its documents and fields (the reason follows).
    #[serde(rename = "doctype.invalid_template")]
    DoctypeInvalidTemplate,
    /// Give the document type a title.
    #[serde(rename = "doctype.invalid_title")]
    DoctypeInvalidTitle,
    /// The signed document could not be saved in the archive: check the disk space and the folder's permissions.
    #[serde(rename = "engine.archive")]
    EngineArchive,
    /// The downloaded signed document is not valid: it will be downloaded again automatically.
    #[serde(rename = "engine.bad_download")]
    EngineBadDownload,
    /// Firma con IO refused the document: fix it and send it again.
    #[serde(rename = "engine.document_rejected")]
    EngineDocumentRejected,
    /// This is not possible in the request's current state.
    #[serde(rename = "engine.not_allowed")]
    EngineNotAllowed,
    /// Request or profile not found: refresh the list.
    #[serde(rename = "engine.not_found")]
    EngineNotFound,
    /// The Firma con IO service cannot be reached: the operation will be retried automatically.
    #[serde(rename = "engine.offline")]
    EngineOffline,
    /// Firma con IO refused the operation: check the data and the profile's key.
    #[serde(rename = "engine.refused")]
    EngineRefused,
    /// FirmaDesk is closing: try again after the restart.
    #[serde(rename = "engine.shutdown")]
    EngineShutdown,
    /// The citizen does not use the IO app: they cannot sign with Firma con IO.
    #[serde(rename = "engine.signer_not_on_io")]
    EngineSignerNotOnIo,
    /// The local store is not available: restart FirmaDesk.
    #[serde(rename = "engine.store")]
    EngineStore,
    /// There is nothing to set aside: the draft is empty.
    #[serde(rename = "draft.empty")]
    DraftEmpty,
    /// Invalid draft: refresh the list of drafts.
    #[serde(rename = "draft.invalid_id")]
    DraftInvalidId,
    /// The draft could not be deleted from disk: check the data folder's permissions.
    #[serde(rename = "draft.not_deleted")]
    DraftNotDeleted,
    /// The draft is no longer there: it was resumed or deleted.
    #[serde(rename = "draft.not_found")]
    DraftNotFound,
    /// The draft could not be kept on disk: check the free space.
    #[serde(rename = "draft.not_kept")]
    DraftNotKept,
    /// The draft is too large to be kept: send it or use fewer documents.
    #[serde(rename = "draft.too_large")]
    DraftTooLarge,
    /// No signed request selected: select at least one.
    #[serde(rename = "export.empty")]
    ExportEmpty,
    /// The export failed: check the disk space and the archive folder's permissions.
    #[serde(rename = "export.write_failed")]
    ExportWriteFailed,
    /// A field of the protocol mailbox is not valid: correct it.
    #[serde(rename = "mail.invalid_settings")]
    MailInvalidSettings,
    /// The protocol mailbox is not set for this profile: an administrator sets it in Settings.
    #[serde(rename = "mail.not_configured")]
    MailNotConfigured,
    /// Invalid upload: try again.
    #[serde(rename = "pdf.bad_request")]
    PdfBadRequest,
    /// The PDF is password-protected or encrypted: save an unprotected copy and load that.
    #[serde(rename = "pdf.encrypted")]
    PdfEncrypted,
    /// The PDF component is missing: reinstall FirmaDesk.
    #[serde(rename = "pdf.library_missing")]
    PdfLibraryMissing,
    /// The file is not a PDF: choose a PDF document.
    #[serde(rename = "pdf.not_pdf")]
    PdfNotPdf,
    /// The page preview failed: try again.
    #[serde(rename = "pdf.render_failed")]
    PdfRenderFailed,
    /// A copy of the document could not be saved: check the disk space.
    #[serde(rename = "pdf.save_failed")]
    PdfSaveFailed,
    /// The PDF is too large: reduce its size and try again.
    #[serde(rename = "pdf.too_large")]
    PdfTooLarge,
    /// The PDF has too many pages: split it and try again.
    #[serde(rename = "pdf.too_many_pages")]
    PdfTooManyPages,
    /// Document not found: load it again.
    #[serde(rename = "pdf.unknown")]
    PdfUnknown,
    /// The PDF is damaged or unreadable: save a new copy and try again.
    #[serde(rename = "pdf.unreadable")]
    PdfUnreadable,
    /// The built-in trial profile cannot be changed or deleted.
    #[serde(rename = "profile.builtin")]
    ProfileBuiltin,
    /// The profile has signature requests in the local archive: it cannot be deleted.
    #[serde(rename = "profile.in_use")]
    ProfileInUse,
    /// Trial mode is already available: choose Test or Production.
    #[serde(rename = "profile.invalid_environment")]
    ProfileInvalidEnvironment,
    /// The API key does not look valid: copy it again from the Firma con IO portal (the body's reserved area).
    #[serde(rename = "profile.invalid_key")]
    ProfileInvalidKey,
    /// The support email is not a valid address (for example protocollo@comune.example.it): citizens see it in the IO app.
    #[serde(rename = "profile.invalid_email")]
    ProfileInvalidEmail,
    /// A tester's tax code is not valid: check it on the list of the profile's testers.
    #[serde(rename = "profile.invalid_tester")]
    ProfileInvalidTester,
    /// Invalid service address: use an https address (for example the default one of Firma con IO).
    #[serde(rename = "profile.invalid_url")]
    ProfileInvalidUrl,
    /// Access denied (error 403): this workstation's IP address is not among those allowed for the key. Ask the administrator to add it in the Firma con IO portal.
    #[serde(rename = "profile.ip_forbidden")]
    ProfileIpForbidden,
    /// The service address changed: enter the API key again. For security the saved key is never sent to an address other than the one it was entered for.
    #[serde(rename = "profile.key_for_new_url")]
    ProfileKeyForNewUrl,
    /// API key invalid or revoked (error 401): copy it again from the Firma con IO portal or ask for a new one.
    #[serde(rename = "profile.key_rejected")]
    ProfileKeyRejected,
    /// Enter the profile's API key (from the Firma con IO portal, the body's reserved area).
    #[serde(rename = "profile.missing_key")]
    ProfileMissingKey,
    /// Enter a name for the profile.
    #[serde(rename = "profile.missing_name")]
    ProfileMissingName,
    /// The profile has no API key in the keyring: enter it again in Settings.
    #[serde(rename = "profile.no_key")]
    ProfileNoKey,
    /// Profile not found.
    #[serde(rename = "profile.not_found")]
    ProfileNotFound,
    /// API key valid: the Firma con IO service answers.
    #[serde(rename = "profile.ok")]
    ProfileOk,
    /// Too many requests to the service (error 429): try again in a few seconds.
    #[serde(rename = "profile.rate_limited")]
    ProfileRateLimited,
    /// Firma con IO cannot be reached: check the connection and the service address.
    #[serde(rename = "profile.unreachable")]
    ProfileUnreachable,
    /// Invalid protocol date: give day, month and year, not in the future.
    #[serde(rename = "protocol.invalid_date")]
    ProtocolInvalidDate,
    /// A field of the protocol data is too long or holds line breaks: correct it.
    #[serde(rename = "protocol.invalid_text")]
    ProtocolInvalidText,
    /// The QR code will be available when the request is awaiting signature.
    #[serde(rename = "qr.not_ready")]
    QrNotReady,
    /// QR code not available: try again shortly.
    #[serde(rename = "qr.unavailable")]
    QrUnavailable,
    /// The deadline has already passed: choose a future one.
    #[serde(rename = "request.expired_deadline")]
    RequestExpiredDeadline,
    /// Invalid signature type for a field: choose required, optional or unfair.
    #[serde(rename = "request.invalid_clause")]
    RequestInvalidClause,
    /// Invalid deadline: use the format dd/mm/yyyy.
    #[serde(rename = "request.invalid_deadline")]
    RequestInvalidDeadline,
    /// Invalid fiscal code: check it on the citizen's document.
    #[serde(rename = "request.invalid_fiscal_code")]
    RequestInvalidFiscalCode,
    /// Give the request a title.
    #[serde(rename = "request.invalid_title")]
    RequestInvalidTitle,
    /// Enter the signer's name.
    #[serde(rename = "request.missing_signer")]
    RequestMissingSigner,
    /// Add at least one PDF document.
    #[serde(rename = "request.no_documents")]
    RequestNoDocuments,
    /// Firma con IO would refuse a document that the local checks accepted: fix it and try again (the service's reasons follow).
    #[serde(rename = "request.service_refuses")]
    RequestServiceRefuses,
    /// The request to fix was sent with another profile: choose it in Settings and try again.
    #[serde(rename = "request.other_profile")]
    RequestOtherProfile,
    /// Only a request that stopped (rejected, failed, expired or cancelled) can be fixed and sent again.
    #[serde(rename = "request.still_active")]
    RequestStillActive,
    /// With a test key Firma con IO sends only to the testers: the signer's tax code is not among the profile's testers.
    #[serde(rename = "request.not_tester")]
    RequestNotTester,
    /// Request not found in the local store: refresh the list.
    #[serde(rename = "request.not_found")]
    RequestNotFound,
    /// The request has not reached Firma con IO yet: wait for the send to finish.
    #[serde(rename = "request.not_sent")]
    RequestNotSent,
    /// A document fails Firma con IO's checks: fix it and try again.
    #[serde(rename = "request.preflight_failed")]
    RequestPreflightFailed,
    /// Unknown document type: choose one from the list.
    #[serde(rename = "request.unknown_document_type")]
    RequestUnknownDocumentType,
    /// Trial mode is not active: choose it in Settings to use trial requests.
    #[serde(rename = "sandbox.not_running")]
    SandboxNotRunning,
    /// This request is not a trial-mode request: its signature cannot be simulated.
    #[serde(rename = "sandbox.not_sandbox")]
    SandboxNotSandbox,
    /// The simulated refusal failed: try again.
    #[serde(rename = "sandbox.reject_failed")]
    SandboxRejectFailed,
    /// The simulated signature failed: try again.
    #[serde(rename = "sandbox.sign_failed")]
    SandboxSignFailed,
    /// The local trial service could not start: restart FirmaDesk; if the problem persists contact support.
    #[serde(rename = "sandbox.start_failed")]
    SandboxStartFailed,
    /// Language not available.
    #[serde(rename = "settings.unknown_locale")]
    SettingsUnknownLocale,
    /// Cannot save the settings: check the disk space and the permissions of the data folder.
    #[serde(rename = "settings.write_failed")]
    SettingsWriteFailed,
    /// Invalid time: enter it as hours and minutes, for example 19:00.
    #[serde(rename = "settings.invalid_time")]
    SettingsInvalidTime,
    /// The archived file was changed after it was archived: it is not opened.
    #[serde(rename = "archive.altered")]
    ArchiveAltered,
    /// Only an administrator of the office may do this.
    #[serde(rename = "role.admin_only")]
    RoleAdminOnly,
    /// Roles: name the clerk.
    #[serde(rename = "role.missing_identity")]
    RoleMissingIdentity,
    /// Team mode: the send could not be kept on this computer while the office is unreachable.
    #[serde(rename = "held.write_failed")]
    HeldWriteFailed,
    /// Office mode: sends kept on this desk still wait for the office.
    #[serde(rename = "team.held_sends")]
    TeamHeldSends,
    /// The team database refuses this operation to the login in use.
    #[serde(rename = "store.forbidden")]
    StoreForbidden,
    /// Office mode is not in use on this desk.
    #[serde(rename = "team.not_active")]
    TeamNotActive,
    /// This desk has no archive of its own to move.
    #[serde(rename = "team.nothing_to_move")]
    TeamNothingToMove,
    /// Office mode: write the database's address.
    #[serde(rename = "team.missing_url")]
    TeamMissingUrl,
    /// Office mode: the certificate authority file cannot be read.
    #[serde(rename = "team.ca_unreadable")]
    TeamCaUnreadable,
    /// The local store's backup could not be written: check the disk space.
    #[serde(rename = "store.backup")]
    StoreBackup,
    /// The local store is damaged: contact support (a backup is in the data folder).
    #[serde(rename = "store.corrupt")]
    StoreCorrupt,
    /// Data not valid for the local store: check them and try again.
    #[serde(rename = "store.invalid")]
    StoreInvalid,
    /// The local store's upgrade failed: restart FirmaDesk; the data were not changed.
    #[serde(rename = "store.migration")]
    StoreMigration,
    /// The local store was written by a newer FirmaDesk: update FirmaDesk.
    #[serde(rename = "store.newer_schema")]
    StoreNewerSchema,
    /// The local store is not available: restart FirmaDesk; if it happens again check the disk space.
    #[serde(rename = "store.sqlite")]
    StoreSqlite,
    /// The office database cannot be reached: check the network; FirmaDesk retries by itself.
    #[serde(rename = "store.unreachable")]
    StoreUnreachable,
    /// The office database refused the user or password: check them in Settings › Office mode.
    #[serde(rename = "store.denied")]
    StoreDenied,
    /// Error of the office database: try again; if it happens again tell support.
    #[serde(rename = "store.postgres")]
    StorePostgres,
    /// Another computer took over as the worker for this key: this one stopped sending.
    #[serde(rename = "store.fenced")]
    StoreFenced,
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
        Code::AutostartFailed,
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
        Code::BulkDuplicateHeader,
        Code::BulkEmpty,
        Code::BulkNoFiscalCodeColumn,
        Code::BulkNoRows,
        Code::BulkTooLarge,
        Code::BulkTooManyColumns,
        Code::BulkTooManyRows,
        Code::BulkUnreadable,
        Code::BulkUnsupported,
        Code::BulkBatchElsewhere,
        Code::BulkBatchFinished,
        Code::BulkBatchNotFound,
        Code::BulkNothingToSend,
        Code::BulkNoTemplate,
        Code::BulkRowPdf,
        Code::DoctypeExists,
        Code::DoctypeInvalidEmail,
        Code::DoctypeInvalidRetention,
        Code::DoctypeInvalidName,
        Code::DoctypeInvalidTemplate,
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
        Code::DraftEmpty,
        Code::DraftInvalidId,
        Code::DraftNotDeleted,
        Code::DraftNotFound,
        Code::DraftNotKept,
        Code::DraftTooLarge,
        Code::ExportEmpty,
        Code::ExportWriteFailed,
        Code::MailInvalidSettings,
        Code::MailNotConfigured,
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
        Code::ProfileInvalidEmail,
        Code::ProfileInvalidTester,
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
        Code::ProtocolInvalidDate,
        Code::ProtocolInvalidText,
        Code::QrNotReady,
        Code::QrUnavailable,
        Code::RequestExpiredDeadline,
        Code::RequestInvalidClause,
        Code::RequestInvalidDeadline,
        Code::RequestInvalidFiscalCode,
        Code::RequestInvalidTitle,
        Code::RequestMissingSigner,
        Code::RequestNoDocuments,
        Code::RequestNotTester,
        Code::RequestStillActive,
        Code::RequestServiceRefuses,
        Code::RequestOtherProfile,
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
        Code::SettingsInvalidTime,
        Code::TeamMissingUrl,
        Code::TeamCaUnreadable,
        Code::TeamNotActive,
        Code::TeamHeldSends,
        Code::StoreForbidden,
        Code::HeldWriteFailed,
        Code::TeamNothingToMove,
        Code::RoleAdminOnly,
        Code::RoleMissingIdentity,
        Code::ArchiveAltered,
        Code::StoreBackup,
        Code::StoreCorrupt,
        Code::StoreInvalid,
        Code::StoreMigration,
        Code::StoreNewerSchema,
        Code::StoreSqlite,
        Code::StoreUnreachable,
        Code::StoreDenied,
        Code::StorePostgres,
        Code::StoreFenced,
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
            Code::AutostartFailed => "autostart.failed",
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
            Code::BulkDuplicateHeader => "bulk.duplicate_header",
            Code::BulkEmpty => "bulk.empty",
            Code::BulkNoFiscalCodeColumn => "bulk.no_fiscal_code_column",
            Code::BulkNoRows => "bulk.no_rows",
            Code::BulkTooLarge => "bulk.too_large",
            Code::BulkTooManyColumns => "bulk.too_many_columns",
            Code::BulkTooManyRows => "bulk.too_many_rows",
            Code::BulkUnreadable => "bulk.unreadable",
            Code::BulkUnsupported => "bulk.unsupported",
            Code::BulkBatchElsewhere => "bulk.batch_elsewhere",
            Code::BulkBatchFinished => "bulk.batch_finished",
            Code::BulkBatchNotFound => "bulk.batch_not_found",
            Code::BulkNothingToSend => "bulk.nothing_to_send",
            Code::BulkNoTemplate => "bulk.no_template",
            Code::BulkRowPdf => "bulk.row_pdf",
            Code::DoctypeExists => "doctype.exists",
            Code::DoctypeInvalidEmail => "doctype.invalid_email",
            Code::DoctypeInvalidRetention => "doctype.invalid_retention",
            Code::DoctypeInvalidName => "doctype.invalid_name",
            Code::DoctypeInvalidTemplate => "doctype.invalid_template",
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
            Code::DraftEmpty => "draft.empty",
            Code::DraftInvalidId => "draft.invalid_id",
            Code::DraftNotDeleted => "draft.not_deleted",
            Code::DraftNotFound => "draft.not_found",
            Code::DraftNotKept => "draft.not_kept",
            Code::DraftTooLarge => "draft.too_large",
            Code::ExportEmpty => "export.empty",
            Code::ExportWriteFailed => "export.write_failed",
            Code::MailInvalidSettings => "mail.invalid_settings",
            Code::MailNotConfigured => "mail.not_configured",
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
            Code::ProfileInvalidEmail => "profile.invalid_email",
            Code::ProfileInvalidTester => "profile.invalid_tester",
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
            Code::ProtocolInvalidDate => "protocol.invalid_date",
            Code::ProtocolInvalidText => "protocol.invalid_text",
            Code::QrNotReady => "qr.not_ready",
            Code::QrUnavailable => "qr.unavailable",
            Code::RequestExpiredDeadline => "request.expired_deadline",
            Code::RequestInvalidClause => "request.invalid_clause",
            Code::RequestInvalidDeadline => "request.invalid_deadline",
            Code::RequestInvalidFiscalCode => "request.invalid_fiscal_code",
            Code::RequestInvalidTitle => "request.invalid_title",
            Code::RequestMissingSigner => "request.missing_signer",
            Code::RequestNoDocuments => "request.no_documents",
            Code::RequestNotTester => "request.not_tester",
            Code::RequestStillActive => "request.still_active",
            Code::RequestServiceRefuses => "request.service_refuses",
            Code::RequestOtherProfile => "request.other_profile",
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
            Code::SettingsInvalidTime => "settings.invalid_time",
            Code::TeamMissingUrl => "team.missing_url",
            Code::TeamNotActive => "team.not_active",
            Code::HeldWriteFailed => "held.write_failed",
            Code::TeamHeldSends => "team.held_sends",
            Code::StoreForbidden => "store.forbidden",
            Code::TeamNothingToMove => "team.nothing_to_move",
            Code::RoleAdminOnly => "role.admin_only",
            Code::ArchiveAltered => "archive.altered",
            Code::RoleMissingIdentity => "role.missing_identity",
            Code::TeamCaUnreadable => "team.ca_unreadable",
            Code::StoreBackup => "store.backup",
            Code::StoreCorrupt => "store.corrupt",
            Code::StoreInvalid => "store.invalid",
            Code::StoreMigration => "store.migration",
            Code::StoreNewerSchema => "store.newer_schema",
            Code::StoreSqlite => "store.sqlite",
            Code::StoreUnreachable => "store.unreachable",
            Code::StoreDenied => "store.denied",
            Code::StorePostgres => "store.postgres",
            Code::StoreFenced => "store.fenced",
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
            K::Unreachable => Code::StoreUnreachable,
            K::Denied => Code::StoreDenied,
            // The database's own grants refused it (an operator's login; or a clerk's login asked to upgrade it).
            K::Forbidden => Code::StoreForbidden,
            K::Postgres => Code::StorePostgres,
            K::Fenced => Code::StoreFenced,
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

    /// Every code the desk can return has a text in both catalogues (`errors-<area>-<reason>`), so an
    /// English clerk never reads the Italian fallback.
    #[test]
    fn every_code_has_an_italian_and_an_english_text() {
        use crate::{i18n, settings::Locale};
        for locale in [Locale::It, Locale::En] {
            let missing: Vec<&str> = Code::ALL
                .iter()
                .map(|c| c.as_str())
                .filter(|c| !i18n::has(locale, &i18n::id_of(&format!("errors.{c}"))))
                .collect();
            assert!(missing.is_empty(), "{locale:?} lacks errors for {missing:?}");
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
