//! The rows the store keeps. Times are unix milliseconds (UTC), passed in by the caller: the store has no
//! clock of its own, so expiry and ordering are testable.

use crate::ids::{IoRequestId, LocalId};
use serde::{Deserialize, Serialize};

/// Local status of a request, as the dashboard counts it. "In scadenza" and "scaduta" are not statuses:
/// they are computed from `expires_at` and the current time (IO Sign has no EXPIRED state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Bozza: being prepared, editable.
    Draft,
    /// In invio: the send saga is running.
    Sending,
    /// In coda: the send waits for the network or the service to come back.
    Queued,
    /// In attesa di firma.
    Waiting,
    /// Firmata.
    Signed,
    /// Rifiutata (a signing failure on IO's side, or a rejected document).
    Rejected,
    /// Annullata.
    Cancelled,
    /// Non riuscita: the clerk must act.
    Failed,
}

impl Status {
    /// Every status, in dashboard order.
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Sending,
        Status::Queued,
        Status::Waiting,
        Status::Signed,
        Status::Rejected,
        Status::Cancelled,
        Status::Failed,
    ];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Sending => "sending",
            Status::Queued => "queued",
            Status::Waiting => "waiting",
            Status::Signed => "signed",
            Status::Rejected => "rejected",
            Status::Cancelled => "cancelled",
            Status::Failed => "failed",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Where a profile's requests go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// The embedded sandbox.
    Prova,
    /// IO Sign with a test key.
    Test,
    /// IO Sign with a production key.
    Produzione,
}

impl Environment {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Environment::Prova => "prova",
            Environment::Test => "test",
            Environment::Produzione => "produzione",
        }
    }

    pub(crate) fn parse(s: &str) -> Environment {
        match s {
            "test" => Environment::Test,
            "produzione" => Environment::Produzione,
            _ => Environment::Prova,
        }
    }
}

/// The testers column: the codes space separated.
pub(crate) fn join_testers(codes: &[String]) -> String {
    codes.join(" ")
}

/// The testers column read back.
pub(crate) fn split_testers(column: &str) -> Vec<String> {
    column.split_whitespace().map(str::to_owned).collect()
}

/// An issuer profile. The API key is not here: it lives in the OS keyring under the profile id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Stable id (also the keyring account suffix).
    pub id: String,
    /// Name shown to the clerk.
    pub name: String,
    /// Prova, Test or Produzione.
    pub environment: Environment,
    /// Issuer API base URL.
    pub base_url: String,
    /// Support email shown to citizens, if set.
    pub support_email: Option<String>,
    /// OIDC issuer URL, when the body's login is required.
    pub oidc_issuer: Option<String>,
    /// OIDC client id.
    pub oidc_client_id: Option<String>,
    /// OIDC scopes, space separated.
    pub oidc_scopes: Option<String>,
    /// The fiscal codes registered as testers of a test key, in capitals: a test profile sends only to
    /// them (empty: not given, the service decides).
    #[serde(default)]
    pub testers: Vec<String>,
}

impl Profile {
    /// A profile without the body's login and without a support email (set them on the result).
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        environment: Environment,
        base_url: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            environment,
            base_url: base_url.into(),
            support_email: None,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_scopes: None,
            testers: Vec::new(),
        }
    }
}

/// A local document template ("Accordo"): the IO dossier's title and default fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentType {
    /// Local name, also the archive folder.
    pub name: String,
    /// Title of the IO dossier (shown in the citizen's IO message).
    pub dossier_title: String,
    /// Support email for citizens, if different from the body's.
    pub support_email: Option<String>,
    /// Default signature fields, as JSON.
    pub template_json: String,
    /// Archived: no longer offered for new requests, kept because requests were sent with it.
    #[serde(default)]
    pub archived: bool,
    /// How many years the records office keeps its documents (1..=999; issue #14, the package's
    /// TempoDiConservazione); `None`: the records office decides.
    #[serde(default)]
    pub retention_years: Option<u32>,
}

/// A signature request as the dashboard and the engine see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Local id (exists before IO knows the request).
    pub id: LocalId,
    /// Profile sending it.
    pub profile_id: String,
    /// Document type ("Accordo").
    pub document_type: String,
    /// Title for the dashboard and the archive.
    pub title: String,
    /// Signer's name.
    pub signer_name: String,
    /// Signer's fiscal code (uppercase, 16 characters).
    pub fiscal_code: String,
    /// Local status.
    pub status: Status,
    /// Last status read from IO (`WAIT_FOR_SIGNATURE`...), if any.
    pub io_status: Option<String>,
    /// IO signature request id, once created.
    pub io_request_id: Option<IoRequestId>,
    /// IO dossier id.
    pub dossier_id: Option<String>,
    /// IO signer id.
    pub signer_id: Option<String>,
    /// `io_message`, `qr_only` or `both`.
    pub delivery: String,
    /// QR code image URL while waiting.
    pub qr_code_url: Option<String>,
    /// Reject reason from IO or from validation.
    pub reject_reason: Option<String>,
    /// Created (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
    /// Deadline (ms).
    pub expires_at: Option<i64>,
    /// Published (ms).
    pub published_at: Option<i64>,
    /// Signed (ms).
    pub signed_at: Option<i64>,
    /// Every signed document archived.
    pub archived: bool,
    /// IO's `created_at` (RFC 3339, as IO wrote it), once created.
    pub io_created_at: Option<String>,
    /// IO's `updated_at` (RFC 3339, full precision: the poller compares it for equality).
    pub io_updated_at: Option<String>,
    /// Last expiry state announced to the clerk (`valid`, `expiring`, `expired`).
    pub expiry_notice: Option<String>,
}

impl Request {
    /// A request IO knows nothing of yet, created and changed at `now_ms`: what the clerk typed goes in with
    /// struct update syntax (`Request { title, ..Request::unsent(id, profile, status, now) }`), what IO says
    /// comes later.
    pub fn unsent(id: LocalId, profile_id: impl Into<String>, status: Status, now_ms: i64) -> Request {
        Request {
            id,
            profile_id: profile_id.into(),
            document_type: String::new(),
            title: String::new(),
            signer_name: String::new(),
            fiscal_code: String::new(),
            status,
            io_status: None,
            io_request_id: None,
            dossier_id: None,
            signer_id: None,
            delivery: "io_message".into(),
            qr_code_url: None,
            reject_reason: None,
            created_at: now_ms,
            updated_at: now_ms,
            expires_at: None,
            published_at: None,
            signed_at: None,
            archived: false,
            io_created_at: None,
            io_updated_at: None,
            expiry_notice: None,
        }
    }
}

/// One PDF of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Order in the request (0-based).
    pub position: u32,
    /// Title sent to IO (3–60 characters).
    pub title: String,
    /// The copy of the PDF in the data folder.
    pub path: String,
    /// sha256 of the PDF.
    pub sha256: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// IO document id.
    pub io_document_id: Option<String>,
    /// IO document status.
    pub io_status: Option<String>,
    /// Why IO rejected it.
    pub reject_reason: Option<String>,
}

/// Where a signature goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Created by coordinates: points, top-left origin, 0-based page.
    Coordinates {
        /// Page.
        page: u32,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
    /// An existing AcroForm signature field.
    Existing {
        /// Its fully qualified name.
        unique_name: String,
    },
}

/// A signature field of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Document position.
    pub document: u32,
    /// Order within the document.
    pub position: u32,
    /// Where.
    pub placement: Placement,
    /// `REQUIRED`, `UNFAIR` or `OPTIONAL`.
    pub clause_type: String,
    /// Clause title shown to the citizen.
    pub clause_title: String,
}

/// A timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Request.
    pub request_id: LocalId,
    /// When (ms).
    pub at: i64,
    /// Who: the clerk's name from the login, or "FirmaDesk" for automatic steps.
    pub actor: String,
    /// Machine code (`send.created`, `signed`...).
    pub code: String,
    /// Italian text for the timeline.
    pub text: String,
    /// Optional structured detail (JSON).
    pub detail_json: Option<String>,
}

impl Event {
    /// The `detail_json` of an entry recorded with named values (the wording of its code needs them).
    pub fn detail_of_args(args: &std::collections::BTreeMap<String, String>) -> Option<String> {
        (!args.is_empty()).then(|| serde_json::json!({ "args": args }).to_string())
    }

    /// The named values the entry was recorded with (`detail_json.args`); none for entries recorded
    /// without, or before values were recorded.
    pub fn args(&self) -> std::collections::BTreeMap<String, String> {
        self.detail_json
            .as_deref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|v| v.get("args").cloned())
            .and_then(|a| serde_json::from_value(a).ok())
            .unwrap_or_default()
    }
}

/// The persisted state of a send saga (the outbox row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendState {
    /// Request.
    pub request_id: LocalId,
    /// Current step (the engine's step name).
    pub step: String,
    /// The engine's full record, as JSON.
    pub state_json: String,
    /// Attempts of the current step.
    pub attempts: u32,
    /// Not before (ms).
    pub next_attempt_at: Option<i64>,
    /// Set right before `POST /signature-requests`: a request may exist on IO (reconcile, never re-create).
    pub create_attempted_at: Option<i64>,
    /// Last error, Italian.
    pub last_error: Option<String>,
    /// Saved (ms).
    pub updated_at: i64,
}

/// Steps that end a saga: the store lists the others as unfinished.
pub const FINISHED_STEPS: [&str; 3] = ["waiting", "needs_edit", "failed"];

/// A signed PDF in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedFile {
    /// Request.
    pub request_id: LocalId,
    /// IO document id.
    pub io_document_id: String,
    /// Where the file is.
    pub path: String,
    /// sha256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// When (ms).
    pub archived_at: i64,
}

/// The verification of an archived signed document (issue #14), as `firmadesk-verify` made it: the store
/// keeps the verdict and the codes as their stable names and the report as JSON, in no language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Request.
    pub request_id: LocalId,
    /// IO document id (the archived file's).
    pub io_document_id: String,
    /// `valid`, `valid_with_warnings` or `invalid`.
    pub verdict: String,
    /// The finding codes, in the report's order.
    pub codes: Vec<String>,
    /// The signer's name from the certificate.
    pub signer: Option<String>,
    /// The signer's fiscal code from the certificate.
    pub fiscal_code: Option<String>,
    /// When it was signed (RFC 3339).
    pub signing_time: Option<String>,
    /// The whole report (JSON).
    pub report_json: String,
    /// When it was verified (ms).
    pub verified_at: i64,
}

/// A request's protocol data (issue #14), typed by the clerk before sending or after signing: how the
/// body's protocol register and records office know the document. Every text may be empty; `date` is
/// `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protocol {
    /// Request.
    pub request_id: LocalId,
    /// Numero di protocollo (or of the register entry).
    pub number: String,
    /// Data di registrazione, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Registro or repertorio ("Protocollo generale", "Repertorio contratti"...).
    pub register: String,
    /// Classificazione (titolario index, "6.3").
    pub classification: String,
    /// Fascicolo.
    pub fascicolo: String,
    /// Riservato.
    pub reserved: bool,
    /// Last changed (ms).
    pub updated_at: i64,
    /// Who changed it (the clerk's name).
    pub updated_by: String,
}

/// The codes of a verification as the stores keep them (comma-separated).
pub(crate) fn split_codes(text: &str) -> Vec<String> {
    text.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

/// Dashboard counters (of one profile, or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Bozze.
    pub drafts: u64,
    /// In invio or in coda.
    pub sending: u64,
    /// In attesa di firma (expired ones included).
    pub waiting: u64,
    /// Firmate.
    pub signed: u64,
    /// Rifiutate.
    pub rejected: u64,
    /// Annullate.
    pub cancelled: u64,
    /// Non riuscite.
    pub failed: u64,
    /// Waiting and expiring within the window.
    pub expiring: u64,
    /// Waiting and past their deadline.
    pub expired: u64,
}

impl Counts {
    /// Adds `n` requests of `status` (as the database spells it; an unknown status counts nowhere).
    pub fn add(&mut self, status: &str, n: u64) {
        match Status::parse(status) {
            Some(Status::Draft) => self.drafts += n,
            Some(Status::Sending | Status::Queued) => self.sending += n,
            Some(Status::Waiting) => self.waiting += n,
            Some(Status::Signed) => self.signed += n,
            Some(Status::Rejected) => self.rejected += n,
            Some(Status::Cancelled) => self.cancelled += n,
            Some(Status::Failed) => self.failed += n,
            None => {}
        }
    }
}

/// Sort order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest changes first (default).
    #[default]
    Updated,
    /// By creation.
    Created,
    /// By deadline.
    ExpiresAt,
    /// By signer name.
    SignerName,
}

/// A dashboard list query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Case-insensitive text in signer name, fiscal code or title.
    pub text: Option<String>,
    /// Only these statuses (empty = all).
    pub statuses: Vec<Status>,
    /// Only waiting requests expiring within this many ms from `now` (and not yet expired).
    pub expiring_within_ms: Option<i64>,
    /// Only waiting requests past their deadline.
    pub expired_only: bool,
    /// Only this profile.
    pub profile_id: Option<String>,
    /// Only this document type.
    pub document_type: Option<String>,
    /// Created at or after (ms).
    pub created_from: Option<i64>,
    /// Created before (ms).
    pub created_to: Option<i64>,
    /// Order.
    pub sort: Sort,
    /// Ascending instead of descending.
    pub ascending: bool,
    /// Page size (1..=500; default 50).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListPage {
    /// The rows.
    pub rows: Vec<Request>,
    /// How many rows match in all, or, with [`ListPage::total_at_least`], at least how many.
    pub total: u64,
    /// The total is a lower bound: a text many requests carry was counted only up to a point (each backend's
    /// `list` says where).
    pub total_at_least: bool,
}

/// The lease a worker holds on a profile's API key: only its holder talks to IO Sign with that key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// The profile whose key it is.
    pub profile_id: String,
    /// Who holds it (a process's own name: machine, process id and a random part).
    pub holder: String,
    /// The fencing token: grows by one at every take-over.
    pub epoch: i64,
    /// Until when (ms); renewed well before.
    pub expires_at: i64,
}

/// A clerk's role in the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Profiles, keys, templates, team settings, roles; and all an operator does.
    Amministratore,
    /// Send, follow, export.
    Operatore,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Amministratore => "amministratore",
            Role::Operatore => "operatore",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "amministratore" => Some(Role::Amministratore),
            "operatore" => Some(Role::Operatore),
            _ => None,
        }
    }
}

/// A clerk's role as recorded, with who set it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClerkRole {
    /// The clerk: the login's subject, or user@machine.
    pub identity: String,
    /// The role.
    pub role: Role,
    /// Who set it.
    pub set_by: String,
    /// When (ms).
    pub set_at: i64,
}

/// The LIKE patterns of a signer-book search: (name contains, lower case; code starts with, upper case),
/// with `\\`, `%` and `_` escaped (`ESCAPE '\\'`).
/// The key a request is searched by, and the clerk's text folded the same way: lower case, accents dropped
/// (canonical decomposition, combining marks left out), so "niccolo" finds "Niccolò" and "NICCOLÒ".
pub(crate) fn search_key(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn signer_book_patterns(text: &str) -> (String, String) {
    let escaped: String = text
        .trim()
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    (
        format!("%{}%", escaped.to_lowercase()),
        format!("{}%", escaped.to_uppercase()),
    )
}

/// Where a batch (a list sent with one document type) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchState {
    /// Its rows are being sent (and will be, after a crash or a quit, at the next start).
    Sending,
    /// Paused by the clerk: rows not yet started wait; those under way finish.
    Paused,
    /// Every row was handed to the send saga or refused.
    Done,
    /// Stopped by the clerk: the rows not yet started are not sent.
    Stopped,
}

impl BatchState {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchState::Sending => "sending",
            BatchState::Paused => "paused",
            BatchState::Done => "done",
            BatchState::Stopped => "stopped",
        }
    }

    /// The state a stored text names.
    pub fn parse(s: &str) -> Option<BatchState> {
        [
            BatchState::Sending,
            BatchState::Paused,
            BatchState::Done,
            BatchState::Stopped,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// A list sent with one document type: its rows become requests, one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Its id (a ULID).
    pub id: String,
    /// The profile (key) it is sent with.
    pub profile_id: String,
    /// The document type.
    pub document_type: String,
    /// The list's file name, as the clerk knows it.
    pub name: String,
    /// Who started it (the clerk's identity).
    pub created_by: String,
    /// The desk that sends it (and resumes it at its next start).
    pub runner: String,
    /// Where it stands.
    pub state: BatchState,
    /// What every row shares (the desk's draft, as JSON).
    pub draft_json: String,
    /// Started (ms).
    pub created_at: i64,
    /// Last change of its state (ms).
    pub updated_at: i64,
}

/// One row of a batch: one request, whose local id is chosen when the batch is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRow {
    /// Its batch.
    pub batch_id: String,
    /// Its place in the sending order (from 0).
    pub position: u32,
    /// Its line in the list, as a spreadsheet numbers it.
    pub line: u32,
    /// The request it becomes.
    pub request_id: LocalId,
    /// The signer's name.
    pub signer_name: String,
    /// The signer's fiscal code.
    pub fiscal_code: String,
    /// What else the row carries (its own PDF...), as JSON.
    pub data_json: String,
    /// Why the row could not become a request (it is not sent), in Italian.
    pub error: Option<String>,
}

/// A batch row with what became of its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRowState {
    /// The row.
    pub row: BatchRow,
    /// Its request's status, once the request exists.
    pub status: Option<Status>,
    /// Its request's IO id, once created.
    pub io_request_id: Option<IoRequestId>,
    /// Its send's step, once handed to the saga.
    pub step: Option<String>,
    /// Its send's last error, in Italian.
    pub last_error: Option<String>,
}
