//! The clerk's work: dashboard, lists, detail, PDFs (import, preview, preflight), sending, the
//! sandbox's citizen simulation and cancellation. Each use case reads the desk, calls a core crate and
//! maps its error to a [`UiError`] with an Italian message.

use crate::session::{active_profile, require_login, require_profile, require_request};
use crate::{Code, Desk, UiError, SANDBOX_PROFILE};
use firmadesk_engine::{Delivery, DocumentType, Engine, SendDocument, SendSpec, SignerInfo};
use firmadesk_pdf::preflight::{self, Severity};
use firmadesk_store::{IoRequestId, ListQuery, LocalId, Placement, Request, Status};
use iosign::{
    Clause, ClauseType, Coordinates, DocumentMetadata, FiscalCode, SignatureField, SignatureFieldAttrs,
    SignatureFieldToBeCreatedAttrs, Size,
};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// "In scadenza" on the dashboard: waiting requests whose deadline is within 7 days.
const EXPIRING_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;

use crate::store_error;

pub(crate) fn engine_error(e: firmadesk_engine::EngineError) -> UiError {
    UiError::new(Code::from(e.kind), e.message.clone()).with_detail(&e.detail)
}

pub(crate) fn pdf_error(e: firmadesk_pdf::PdfError) -> UiError {
    let code = match e.kind() {
        firmadesk_pdf::ErrorKind::Empty | firmadesk_pdf::ErrorKind::NotPdf => Code::PdfNotPdf,
        firmadesk_pdf::ErrorKind::Encrypted => Code::PdfEncrypted,
        firmadesk_pdf::ErrorKind::TooLarge => Code::PdfTooLarge,
        firmadesk_pdf::ErrorKind::TooManyPages => Code::PdfTooManyPages,
        firmadesk_pdf::ErrorKind::LibraryMissing => Code::PdfLibraryMissing,
        _ => Code::PdfUnreadable,
    };
    let mut err = UiError::new(code, e.message().to_string());
    if let Some(d) = e.detail() {
        err = err.with_detail(d);
    }
    err
}

fn not_found() -> UiError {
    UiError::new(
        Code::RequestNotFound,
        "Richiesta non trovata nell'archivio locale: aggiornare l'elenco.",
    )
}

/// A request by its local id (the only name the UI and the notifications use).
pub(crate) async fn find_request(state: &Desk, id: &LocalId) -> Result<Request, UiError> {
    state
        .store
        .request(id)
        .await
        .map_err(store_error)?
        .ok_or_else(not_found)
}

// ---- dashboard and lists ----

/// A line of recent activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecentEvent {
    request_id: LocalId,
    at: i64,
    actor: String,
    code: String,
    text: String,
    title: String,
    signer_name: String,
}

/// The dashboard: counters and recent activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dashboard {
    counts: firmadesk_store::Counts,
    recent: Vec<RecentEvent>,
    /// Set when the office cannot be reached: this is the state read then (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    offline_since: Option<i64>,
    /// Team mode: sends kept on this computer until the office can be reached (always read now).
    #[serde(skip_deserializing, default)]
    held: Vec<crate::held::HeldSummary>,
    #[serde(skip)]
    profile: String,
}

impl crate::offline::MaybeStale for Dashboard {
    fn stale_since(mut self, at: i64) -> Self {
        self.offline_since = Some(at);
        self
    }
    fn profile(&self) -> &str {
        &self.profile
    }
    fn set_profile(&mut self, profile: String) {
        self.profile = profile;
    }
}

impl Dashboard {
    /// The counters.
    pub fn counts(&self) -> &firmadesk_store::Counts {
        &self.counts
    }
}

/// The dashboard's counters for one profile: a locked profile's numbers never mix in.
async fn profile_counts(state: &Desk, profile_id: &str, now: i64) -> Result<firmadesk_store::Counts, UiError> {
    state
        .store
        .counts(Some(profile_id), now, EXPIRING_WINDOW_MS)
        .await
        .map_err(store_error)
}

/// Counters and the latest events of the ACTIVE profile (a protected one only with its login): the
/// dashboard never shows another profile's citizens, e.g. the office's while Modalità prova is active.
pub async fn dashboard(state: &Desk) -> Result<Dashboard, UiError> {
    let fresh = dashboard_of(state).await;
    let mut dashboard = crate::offline::remember(state, &state.last_seen.dashboards, active_profile(state), fresh)?;
    dashboard.held = crate::held::summaries(state, &dashboard.profile);
    Ok(dashboard)
}

impl Dashboard {
    /// The sends kept on this computer (team mode, office unreachable).
    pub fn held(&self) -> &[crate::held::HeldSummary] {
        &self.held
    }
}

/// The dashboard of the active profile (tauri-free, for the tests and the coming desk crate).
pub async fn dashboard_of(state: &Desk) -> Result<Dashboard, UiError> {
    let profile = active_profile(state);
    require_profile(state, &profile).await?;
    let counts = profile_counts(state, &profile, state.now_ms()).await?;
    let mut recent = Vec::new();
    let locale = state.locale();
    // Events of other profiles are skipped: read a wider window so 15 of this one's usually remain.
    for e in state.store.recent_events(200).await.map_err(store_error)? {
        let Some(r) = state.store.request(&e.request_id).await.map_err(store_error)? else {
            continue;
        };
        if r.profile_id != profile {
            continue;
        }
        recent.push(RecentEvent {
            text: crate::wording::event_text(locale, &e),
            request_id: e.request_id,
            at: e.at,
            actor: e.actor,
            code: e.code,
            title: r.title,
            signer_name: r.signer_name,
        });
        if recent.len() == 15 {
            break;
        }
    }
    Ok(Dashboard {
        counts,
        recent,
        offline_since: None,
        held: Vec::new(),
        profile,
    })
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestPage {
    items: Vec<Request>,
    total: u64,
    /// `total` is a lower bound ("più di N"): a text many requests carry is counted only up to a point.
    #[serde(default)]
    total_at_least: bool,
    /// The verification of the signed rows at a glance, by local id (issue #14).
    #[serde(default)]
    verdicts: std::collections::BTreeMap<String, crate::verify::Summary>,
    /// Set when the office cannot be reached: this is the page read then (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    offline_since: Option<i64>,
    #[serde(skip)]
    profile: String,
    /// The profile listed, as the list names it on screen ("Modalità prova", the body's profile), or "all
    /// profiles" when the clerk asked for every one.
    #[serde(default)]
    profile_name: String,
    /// Every profile listed (only when the clerk asked): the rows then carry their profile's name.
    #[serde(default)]
    all_profiles: bool,
    /// The names of the profiles of the rows, by id, when every profile is listed.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    profile_names: std::collections::BTreeMap<String, String>,
}

impl crate::offline::MaybeStale for RequestPage {
    fn stale_since(mut self, at: i64) -> Self {
        self.offline_since = Some(at);
        self
    }
    fn profile(&self) -> &str {
        &self.profile
    }
    fn set_profile(&mut self, profile: String) {
        self.profile = profile;
    }
}

impl RequestPage {
    /// How many requests match.
    pub fn total(&self) -> u64 {
        self.total
    }
}

/// Lists requests with the dashboard's filters, search, sort and paging.
pub async fn list_requests(state: &Desk, query: ListQuery) -> Result<RequestPage, UiError> {
    let key = format!("{query:?}|{}", active_profile(state));
    let fresh = list_of(state, query).await;
    crate::offline::remember(state, &state.last_seen.lists, key, fresh)
}

/// A page of one profile's requests: the one the query names, else the active one; a protected
/// profile only with its login (every profile at once only through [`list_all_profiles`]).
pub async fn list_of(state: &Desk, query: ListQuery) -> Result<RequestPage, UiError> {
    let mut query = query;
    let profile = query.profile_id.clone().unwrap_or_else(|| active_profile(state));
    require_profile(state, &profile).await?;
    query.profile_id = Some(profile.clone());
    let mut page = page_of(state, query).await?;
    page.profile_name = crate::todo::profile_name(state, &profile).await?;
    page.profile = profile;
    Ok(page)
}

/// "Tutti i profili", only when the clerk asks for it: every profile's requests in one list (Modalità prova
/// with the body's ones), each row named with its profile; every protected profile needs its login. Not
/// kept for a start while the office is away: that shows one profile at a time.
pub async fn list_all_profiles(state: &Desk, query: ListQuery) -> Result<RequestPage, UiError> {
    crate::session::require_all_profiles(state).await?;
    let mut query = query;
    query.profile_id = None;
    let mut page = page_of(state, query).await?;
    let mut names = std::collections::BTreeMap::new();
    for r in &page.items {
        if !names.contains_key(&r.profile_id) {
            names.insert(
                r.profile_id.clone(),
                crate::todo::profile_name(state, &r.profile_id).await?,
            );
        }
    }
    page.profile_names = names;
    page.profile_name = crate::i18n::text(state.locale(), "list-all_profiles", &[]);
    page.all_profiles = true;
    Ok(page)
}

/// The store's page for `query` as it is, with the verification of its signed rows.
async fn page_of(state: &Desk, mut query: ListQuery) -> Result<RequestPage, UiError> {
    if query.limit == 0 {
        query.limit = 50;
    }
    let page = state.store.list(&query, state.now_ms()).await.map_err(store_error)?;
    let signed: Vec<LocalId> = page
        .rows
        .iter()
        .filter(|r| r.status == firmadesk_store::Status::Signed)
        .map(|r| r.id.clone())
        .collect();
    Ok(RequestPage {
        verdicts: crate::verify::summaries(state, &signed).await?,
        items: page.rows,
        total: page.total,
        total_at_least: page.total_at_least,
        offline_since: None,
        profile: String::new(),
        profile_name: String::new(),
        all_profiles: false,
        profile_names: std::collections::BTreeMap::new(),
    })
}

/// The saga's state as the detail view shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendView {
    step: String,
    attempts: u32,
    pub(crate) last_error: Option<String>,
    next_attempt_at: Option<i64>,
}

/// Everything about one request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestDetail {
    /// Set when the office cannot be reached: this is the detail read then (ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    offline_since: Option<i64>,
    pub(crate) request: Request,
    pub(crate) documents: Vec<firmadesk_store::Document>,
    pub(crate) fields: Vec<firmadesk_store::Field>,
    events: Vec<firmadesk_store::Event>,
    archived: Vec<firmadesk_store::ArchivedFile>,
    /// The verification of each archived document (issue #14), worded.
    #[serde(default)]
    verifications: Vec<crate::verify::Kept>,
    pub(crate) send: Option<SendView>,
    sandbox: bool,
    /// "Correggi e reinvia" applies: the request stopped (see [`crate::reopen::stopped`]).
    #[serde(default)]
    fixable: bool,
    /// "Copia link di firma": IO's link to sign it, while it waits for signature (see [`signing_link`]).
    #[serde(default)]
    signing_link: Option<String>,
    /// Its protocol data (issue #14), if the clerk typed any.
    #[serde(default)]
    protocol: Option<firmadesk_store::Protocol>,
    /// Its profile has a protocol mailbox ("Invia al protocollo" applies).
    #[serde(default)]
    protocol_mail: bool,
    /// Its package waiting for the mail server, if it is.
    #[serde(default)]
    mail_queued: Option<crate::mail::Queued>,
}

/// "Copia link di firma": the link the citizen opens to sign in the IO app (the universal link IO's QR code
/// encodes, `iosign::link`), while the request waits for signature before its deadline; `None` before IO
/// knows the request, once the citizen has signed (IO's `WAIT_FOR_QTSP`) or it ended, and once expired
/// (the same instant the lists call it expired).
pub fn signing_link(request: &Request, now_ms: i64) -> Option<String> {
    let waiting = request.status == Status::Waiting
        && request.io_status.as_deref().is_none_or(|s| s == "WAIT_FOR_SIGNATURE")
        && request.expires_at.is_none_or(|e| e > now_ms);
    waiting
        .then_some(request.io_request_id.as_ref())
        .flatten()
        .map(|id| iosign::link::signing_link(id.as_str()))
}

/// A request's timeline, each entry worded in the clerk's language.
async fn timeline(state: &Desk, id: &LocalId) -> Result<Vec<firmadesk_store::Event>, UiError> {
    let locale = state.locale();
    let mut events = state.store.events(id).await.map_err(store_error)?;
    for e in &mut events {
        e.text = crate::wording::event_text(locale, e);
    }
    Ok(events)
}

/// The one field of the engine's saved send (`SendState.state_json`) the detail needs.
#[derive(Deserialize)]
struct LastErrorKind {
    #[serde(default)]
    last_error_kind: Option<firmadesk_engine::EngineErrorKind>,
}

/// A request with its documents, fields, timeline, archived files and send state.
pub async fn request_detail(state: &Desk, id: LocalId) -> Result<RequestDetail, UiError> {
    let key = id.as_str().to_owned();
    let fresh = request_detail_of(state, id).await;
    crate::offline::remember(state, &state.last_seen.details, key, fresh)
}

impl crate::offline::MaybeStale for RequestDetail {
    fn stale_since(mut self, at: i64) -> Self {
        self.offline_since = Some(at);
        self
    }
    fn profile(&self) -> &str {
        &self.request.profile_id
    }
    fn set_profile(&mut self, _: String) {}
}

/// The saga's last error in the clerk's language (the engine keeps it in Italian with its kind).
pub(crate) fn worded_send_error(locale: crate::settings::Locale, s: &firmadesk_store::SendState) -> Option<String> {
    let kind = serde_json::from_str::<LastErrorKind>(&s.state_json)
        .ok()
        .and_then(|r| r.last_error_kind);
    s.last_error
        .as_deref()
        .map(|m| crate::wording::engine_error(locale, kind, m))
}

/// [`request_detail`], read from the store.
pub(crate) async fn request_detail_of(state: &Desk, id: LocalId) -> Result<RequestDetail, UiError> {
    let mut request = find_request(state, &id).await?;
    require_request(state, &request).await?;
    let id = request.id.clone();
    let locale = state.locale();
    let send = state.store.send(&id).await.map_err(store_error)?.map(|s| {
        // The engine keeps its error in Italian with its kind: worded here in the clerk's language, and so
        // is the request's reason when it is that same error (a send that stopped).
        let last_error = worded_send_error(locale, &s);
        if request.reject_reason.is_some() && request.reject_reason == s.last_error {
            request.reject_reason = last_error.clone();
        }
        SendView {
            step: s.step,
            attempts: s.attempts,
            last_error,
            next_attempt_at: s.next_attempt_at,
        }
    });
    Ok(RequestDetail {
        offline_since: None,
        documents: state.store.documents(&id).await.map_err(store_error)?,
        fields: state.store.fields(&id).await.map_err(store_error)?,
        events: timeline(state, &id).await?,
        archived: state.store.archived_files(&id).await.map_err(store_error)?,
        verifications: state
            .store
            .verifications(std::slice::from_ref(&id))
            .await
            .map_err(store_error)?
            .iter()
            .map(|v| crate::verify::kept(locale, v, Some(&request.fiscal_code), &request.profile_id))
            .collect(),
        send,
        // The citizen simulation exists only for requests sent to the embedded sandbox.
        sandbox: request.profile_id == SANDBOX_PROFILE,
        fixable: crate::reopen::stopped(request.status, request.expires_at, state.now_ms()),
        signing_link: signing_link(&request, state.now_ms()),
        protocol: crate::handoff::protocol_of(state, &id).await?,
        protocol_mail: crate::mail::settings_of(state, &request.profile_id).is_some(),
        mail_queued: crate::mail::queued_for(state, &id),
        request,
    })
}

// ---- the signer book ----

/// A signer the active profile (in Modalità ufficio, the office) has sent to before.
#[derive(Debug, Serialize)]
pub struct KnownSigner {
    name: String,
    fiscal_code: String,
}

/// The signers whose name contains `text` or whose code starts with it, for the form to offer as the clerk
/// types (at least 2 characters; none while the office cannot be reached).
pub async fn signer_book(state: &Desk, text: String) -> Result<Vec<KnownSigner>, UiError> {
    let profile_id = active_profile(state);
    require_profile(state, &profile_id).await?;
    if text.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    match state.store.signer_book(&profile_id, &text, 8).await {
        Ok(found) => Ok(found
            .into_iter()
            .map(|(fiscal_code, name)| KnownSigner { name, fiscal_code })
            .collect()),
        Err(e) if e.kind == firmadesk_store::ErrorKind::Unreachable => Ok(Vec::new()),
        Err(e) => Err(store_error(e)),
    }
}

// ---- fiscal code and document types ----

/// A document type as the form shows it.
#[derive(Debug, Serialize, Deserialize)]
pub struct DocTypeView {
    name: String,
    dossier_title: String,
    /// The type's template, if it has one (`templates.rs`); never taken from the form here.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    template: Option<crate::templates::Template>,
    /// Its own support email (else the profile's); changed in Impostazioni only.
    #[serde(default, skip_deserializing)]
    support_email: Option<String>,
    /// Archived: kept for the requests sent with it, no longer offered for new ones.
    #[serde(default, skip_deserializing)]
    archived: bool,
    /// How many years the records office keeps its documents (issue #14); changed in Impostazioni only.
    #[serde(default, skip_deserializing)]
    retention_years: Option<u32>,
}

/// The body's document types; while the office's database cannot be reached, the ones last read.
async fn office_document_types(state: &Desk) -> Result<Vec<firmadesk_store::DocumentType>, UiError> {
    match state.store.document_types().await {
        Ok(types) => {
            state.last_seen.note_document_types(&types);
            Ok(types)
        }
        Err(e) if e.kind == firmadesk_store::ErrorKind::Unreachable => {
            state.last_seen.document_types().ok_or_else(|| store_error(e))
        }
        Err(e) => Err(store_error(e)),
    }
}

/// What a send takes from its profile (tester codes, support email); while the office cannot be reached,
/// what was last read.
pub(crate) async fn profile_rules(state: &Desk, profile_id: &str) -> Result<crate::offline::ProfileRules, UiError> {
    match state.store.profiles().await {
        Ok(profiles) => {
            let rules = profiles
                .into_iter()
                .find(|p| p.id == profile_id)
                .map(|p| crate::offline::ProfileRules {
                    testers: if p.environment == firmadesk_store::Environment::Test {
                        p.testers
                    } else {
                        Vec::new()
                    },
                    support_email: p.support_email,
                })
                .unwrap_or_default();
            state.last_seen.note_profile(profile_id, &rules);
            Ok(rules)
        }
        Err(e) if e.kind == firmadesk_store::ErrorKind::Unreachable => Ok(state.last_seen.profile(profile_id)),
        Err(e) => Err(store_error(e)),
    }
}

/// The body's document types.
pub async fn document_types(state: &Desk) -> Result<Vec<DocTypeView>, UiError> {
    Ok(office_document_types(state)
        .await?
        .into_iter()
        .map(|t| DocTypeView {
            template: crate::templates::Template::from_json(&t.template_json),
            name: t.name,
            dossier_title: t.dossier_title,
            support_email: t.support_email,
            archived: t.archived,
            retention_years: t.retention_years,
        })
        .collect())
}

/// Checks a document type's name (1 to 60 characters) and dossier title (3 to 60, as IO counts them), both
/// trimmed: the form's types and the ones a templates file brings.
pub(crate) fn check_document_type(name: &str, title: &str) -> Result<(), UiError> {
    if name.is_empty() || name.chars().count() > 60 {
        return Err(UiError::new(
            Code::DoctypeInvalidName,
            "Il nome del tipo di documento deve avere da 1 a 60 caratteri.",
        ));
    }
    let len = title.encode_utf16().count();
    if !(3..=60).contains(&len) {
        return Err(UiError::new(
            Code::DoctypeInvalidTitle,
            format!("Il titolo del dossier deve avere da 3 a 60 caratteri (ne ha {len})."),
        ));
    }
    Ok(())
}

/// The document type `name` as the store has it now (not the last one seen: for an administrator's change).
pub(crate) async fn stored_document_type(
    state: &Desk,
    name: &str,
) -> Result<Option<firmadesk_store::DocumentType>, UiError> {
    Ok(state
        .store
        .document_types()
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|t| t.name == name))
}

/// Adds or renames a document type; returns the updated list.
pub async fn save_document_type(state: &Desk, doc_type: DocTypeView) -> Result<Vec<DocTypeView>, UiError> {
    // Document types carry the templates of their requests: the office's administrators keep them.
    crate::roles::require_admin(state).await?;
    let name = doc_type.name.trim();
    let title = doc_type.dossier_title.trim();
    check_document_type(name, title)?;
    // A new title keeps the type's support email and template.
    let existing = stored_document_type(state, name).await?;
    let (support_email, template_json) = existing
        .map(|t| (t.support_email, t.template_json))
        .unwrap_or_else(|| (None, "[]".to_owned()));
    state
        .store
        .upsert_document_type(name, title, support_email.as_deref(), &template_json)
        .await
        .map_err(store_error)?;
    document_types(state).await
}

// ---- PDFs ----

fn documents_dir(state: &Desk) -> PathBuf {
    state.data_dir.join("documents")
}

/// Whether the data folder still has the imported PDF `doc_id`.
pub(crate) fn document_kept(state: &Desk, doc_id: &str) -> bool {
    doc_path(state, doc_id).is_ok()
}

fn doc_path(state: &Desk, doc_id: &str) -> Result<PathBuf, UiError> {
    // Content-addressed: the id is the file's sha256, never a path from the UI.
    if doc_id.len() != 64 || !doc_id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        return Err(UiError::new(
            Code::PdfUnknown,
            "Documento non trovato: caricarlo di nuovo.",
        ));
    }
    let path = documents_dir(state).join(format!("{doc_id}.pdf"));
    if !path.is_file() {
        return Err(UiError::new(
            Code::PdfUnknown,
            "Documento non trovato: caricarlo di nuovo.",
        ));
    }
    Ok(path)
}

/// Decodes the percent-encoded file name the UI sends in `x-file-name` (invalid UTF-8 is replaced).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A page as the preview needs it.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub(crate) width: f64,
    pub(crate) height: f64,
}

/// What the form shows about an imported PDF.
#[derive(Debug, Serialize)]
pub struct ImportedPdf {
    pub(crate) doc_id: String,
    name: String,
    size: u64,
    pub(crate) pages: Vec<PageView>,
    signature_fields: Vec<firmadesk_pdf::document::SignatureFieldInfo>,
    findings: Vec<preflight::Finding>,
    service_accepts: bool,
    /// The PDF/A level the document declares, `None` when it declares none (the form advises PDF/A).
    pdfa: Option<String>,
}

/// Imports a PDF the clerk dropped or picked (raw bytes in the body, the name in `x-file-name`):
/// checks it as the service will, keeps a copy in the data folder and describes it.
pub async fn import_pdf(
    state: &Desk,
    name: Option<String>,
    declared: Option<u64>,
    bytes: &[u8],
) -> Result<ImportedPdf, UiError> {
    require_login(state).await?;
    import_unchecked(state, name, declared, bytes).await
}

/// [`import_pdf`] past the login gate: a list's own PDF, imported at its row's turn (`bulk/send.rs`) for
/// the clerk who started the list.
pub(crate) async fn import_unchecked(
    state: &Desk,
    name: Option<String>,
    declared: Option<u64>,
    bytes: &[u8],
) -> Result<ImportedPdf, UiError> {
    let name = name.unwrap_or_else(|| "documento.pdf".into());
    // Before anything is copied: a huge drop is refused at once, not after a second copy in memory.
    let size = bytes.len() as u64;
    check_import_size(declared.unwrap_or(size).max(size), &firmadesk_pdf::Limits::default())?;
    let bytes = bytes.to_vec();
    let dir = documents_dir(state);
    let (report, sha) = tokio::task::spawn_blocking(move || -> Result<_, UiError> {
        let limits = firmadesk_pdf::Limits::default();
        firmadesk_pdf::document::check_bytes(&bytes, &limits).map_err(pdf_error)?;
        let pdfium = firmadesk_pdf::library::pdfium().map_err(pdf_error)?;
        let report = preflight::run(
            pdfium,
            preflight::Input {
                bytes: &bytes,
                fields: &[],
                title: None,
                limits,
            },
        );
        let sha = firmadesk_pdf::document::sha256_hex(&bytes);
        if report.document.is_some() {
            std::fs::create_dir_all(&dir)
                .and_then(|_| write_atomic(&dir.join(format!("{sha}.pdf")), &bytes))
                .map_err(|e| {
                    UiError::new(
                        Code::PdfSaveFailed,
                        "Impossibile salvare una copia del documento: verificare lo spazio su disco.",
                    )
                    .with_detail(e)
                })?;
        }
        Ok((report, sha))
    })
    .await
    .map_err(|e| UiError::new(Code::PdfUnreadable, "Lettura del PDF interrotta: riprovare.").with_detail(e))??;
    let Some(document) = report.document else {
        let first = report.findings.iter().find(|f| f.severity == Severity::Error);
        return Err(UiError::new(
            match first.map(|f| f.code) {
                Some("encrypted") => Code::PdfEncrypted,
                Some("not_pdf") => Code::PdfNotPdf,
                Some("too_large") => Code::PdfTooLarge,
                Some("too_many_pages") => Code::PdfTooManyPages,
                _ => Code::PdfUnreadable,
            },
            first
                .map(|f| f.message.clone())
                .unwrap_or_else(|| "Il file non è un PDF leggibile.".into()),
        ));
    };
    tracing::info!(size, pages = document.page_count, "PDF imported");
    crate::retention::spawn(state);
    Ok(ImportedPdf {
        doc_id: sha,
        name,
        size,
        pages: document
            .pages
            .iter()
            .map(|p| PageView {
                width: p.width,
                height: p.height,
            })
            .collect(),
        signature_fields: document.signature_fields,
        findings: report.findings,
        service_accepts: report.service_accepts,
        pdfa: document.pdfa,
    })
}

/// Refuses a file over the size limit before it is read or copied, with the limit in the message.
pub fn check_import_size(len: u64, limits: &firmadesk_pdf::Limits) -> Result<(), UiError> {
    if len > limits.max_bytes {
        return Err(UiError::new(
            Code::PdfTooLarge,
            format!(
                "Il file è troppo grande ({} MB): Firma con IO accetta documenti fino a {} MB. Ridurne le dimensioni e riprovare.",
                len.div_ceil(1024 * 1024),
                limits.max_bytes / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if path.is_file() {
        return Ok(()); // content-addressed: already there
    }
    let tmp = path.with_extension("pdf.tmp");
    let mut f = crate::private::create_file(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// A page of an imported PDF as a PNG data URL, `width` device pixels wide (cached on disk).
pub async fn render_page(state: &Desk, doc_id: String, page: u32, width: u32) -> Result<String, UiError> {
    use base64::Engine as _;
    // Documents are content-addressed and shared: the preview belongs to the active profile's work.
    require_login(state).await?;
    let path = doc_path(state, &doc_id)?;
    let cache = firmadesk_pdf::render::RenderCache::new(state.data_dir.join("cache").join("render"));
    let width = width.clamp(50, 4000);
    let png = tokio::task::spawn_blocking(move || {
        cache.get_or_render(&doc_id, page, width, || {
            let limits = firmadesk_pdf::Limits::default();
            let bytes = firmadesk_pdf::document::read_file(&path, &limits)?;
            let pdfium = firmadesk_pdf::library::pdfium()?;
            firmadesk_pdf::render::render_png(pdfium, &bytes, page, width, 1.0, &limits)
        })
    })
    .await
    .map_err(|e| UiError::new(Code::PdfRenderFailed, "Anteprima interrotta: riprovare.").with_detail(e))?
    .map_err(pdf_error)?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

// ---- sending ----

/// A signature field drawn by the clerk (points, top-left origin, 0-based page); also what a reopened
/// request gives back to the form (`reopen.rs`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftField {
    pub(crate) page: u32,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
    pub(crate) clause_type: String,
    pub(crate) clause_title: String,
}

/// One document of the draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftDocument {
    pub(crate) doc_id: String,
    pub(crate) title: String,
    pub(crate) fields: Vec<DraftField>,
}

/// What "Richiedi firma" sends.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    pub(crate) document_type: String,
    pub(crate) signer_name: String,
    pub(crate) fiscal_code: String,
    pub(crate) title: String,
    /// `YYYY-MM-DD`: the request expires at 23:59 (Italian time) of that day.
    pub(crate) expires_at: Option<String>,
    pub(crate) delivery: String,
    pub(crate) documents: Vec<DraftDocument>,
    /// "Correggi e reinvia": the request that stopped and this one replaces (the two timelines name each
    /// other).
    #[serde(default)]
    pub(crate) replaces: Option<LocalId>,
    /// Protocol data typed before sending (issue #14), if any.
    #[serde(default)]
    pub(crate) protocol: Option<crate::handoff::ProtocolInput>,
}

/// The new request's local id.
#[derive(Debug, Serialize)]
pub struct Submitted {
    id: LocalId,
    /// Team mode, office unreachable: kept on this computer, sent when the connection returns.
    held: bool,
}

fn invalid(code: Code, message: impl Into<String>) -> UiError {
    UiError::new(code, message)
}

/// Offset of Italian civil time on a date: CEST (+2) from the last Sunday of March to the last
/// Sunday of October, CET (+1) otherwise (EU rule; the switch hour does not matter at 23:59).
fn italian_offset(date: time::Date) -> time::UtcOffset {
    fn last_sunday(year: i32, month: time::Month) -> time::Date {
        let mut d = time::Date::from_calendar_date(year, month, month.length(year)).expect("valid date");
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().expect("valid date");
        }
        d
    }
    let start = last_sunday(date.year(), time::Month::March);
    let end = last_sunday(date.year(), time::Month::October);
    let hours = if date >= start && date < end { 2 } else { 1 };
    time::UtcOffset::from_hms(hours, 0, 0).expect("valid offset")
}

/// The Italian calendar day of an instant (ms), `YYYY-MM-DD`: a deadline as the form shows it.
pub(crate) fn italian_day(ms: i64) -> String {
    let utc =
        time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    // `Date`'s display is `YYYY-MM-DD`.
    utc.to_offset(italian_offset(utc.date())).date().to_string()
}

/// 23:59 Italian time of `YYYY-MM-DD`; must be in the future.
fn parse_deadline(s: &str) -> Result<time::OffsetDateTime, UiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(s.trim(), &format).map_err(|_| {
        invalid(
            Code::RequestInvalidDeadline,
            "Data di scadenza non valida: usare il formato gg/mm/aaaa.",
        )
    })?;
    let at = time::PrimitiveDateTime::new(date, time::Time::from_hms(23, 59, 0).expect("valid time"))
        .assume_offset(italian_offset(date));
    if at <= time::OffsetDateTime::now_utc() {
        return Err(invalid(
            Code::RequestExpiredDeadline,
            "La scadenza è già passata: scegliere una data futura.",
        ));
    }
    Ok(at)
}

fn clause_type(s: &str) -> Result<ClauseType, UiError> {
    match s {
        "REQUIRED" => Ok(ClauseType::Required),
        "UNFAIR" => Ok(ClauseType::Unfair),
        "OPTIONAL" => Ok(ClauseType::Optional),
        _ => Err(invalid(
            Code::RequestInvalidClause,
            format!("Tipo di clausola non valido: {s}"),
        )),
    }
}

/// A draft that passed every check that needs no PDF: the one place the draft is validated.
struct CheckedDraft {
    profile_id: String,
    fiscal_code: FiscalCode,
    signer_name: String,
    title: String,
    doc_type: firmadesk_store::DocumentType,
    expires_at: Option<time::OffsetDateTime>,
    delivery: Delivery,
    /// The support email of the IO dossier: the document type's own, else the profile's.
    support_email: Option<String>,
}

/// Checks the draft's fields (fiscal code, signer, title, documents present, known document type,
/// deadline) for the active profile, whose login it requires.
async fn check_draft(state: &Desk, draft: &Draft) -> Result<CheckedDraft, UiError> {
    // The profile is fixed once: the gate and the saved request name the same one.
    let profile_id = active_profile(state);
    require_profile(state, &profile_id).await?;
    check_draft_on(state, draft, profile_id).await
}

/// [`check_draft`] for `profile_id`, past the login gate (a list's rows, sent after the clerk who started
/// the list passed it).
async fn check_draft_on(state: &Desk, draft: &Draft, profile_id: String) -> Result<CheckedDraft, UiError> {
    let cf =
        FiscalCode::parse(&draft.fiscal_code).map_err(|e| invalid(Code::RequestInvalidFiscalCode, e.to_string()))?;
    let rules = profile_rules(state, &profile_id).await?;
    // A test key reaches only its testers (when the profile lists them): any other code is refused here,
    // before any call to the service.
    if !rules.testers.is_empty() && !rules.testers.iter().any(|t| t == cf.as_str()) {
        return Err(invalid(
            Code::RequestNotTester,
            format!(
                "Con una chiave di test Firma con IO invia solo ai codici fiscali dei tester: {cf} non è tra i \
                 tester del profilo. Aggiungerlo al profilo (e nel portale di Firma con IO) oppure usare il \
                 profilo di produzione."
            ),
        ));
    }
    let signer_name = draft.signer_name.trim().to_owned();
    if signer_name.is_empty() {
        return Err(invalid(
            Code::RequestMissingSigner,
            "Indicare nome e cognome del firmatario.",
        ));
    }
    let title = draft.title.trim().to_owned();
    let title_len = title.encode_utf16().count();
    if !(3..=60).contains(&title_len) {
        return Err(invalid(
            Code::RequestInvalidTitle,
            format!("Il titolo della richiesta deve avere da 3 a 60 caratteri (ne ha {title_len})."),
        ));
    }
    if draft.documents.is_empty() {
        return Err(invalid(Code::RequestNoDocuments, "Aggiungere almeno un documento PDF."));
    }
    let doc_type = office_document_types(state)
        .await?
        .into_iter()
        .find(|t| t.name == draft.document_type)
        .ok_or_else(|| invalid(Code::RequestUnknownDocumentType, "Scegliere un tipo di documento."))?;
    let expires_at = match draft.expires_at.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(parse_deadline(s)?),
        None => None,
    };
    let delivery = match draft.delivery.as_str() {
        "qr_only" => Delivery::QrOnly,
        _ => Delivery::IoMessage,
    };

    let support_email = doc_type.support_email.clone().or(rules.support_email);
    Ok(CheckedDraft {
        profile_id,
        fiscal_code: cf,
        signer_name,
        title,
        doc_type,
        expires_at,
        delivery,
        support_email,
    })
}

/// What a draft's documents become: the send's documents, the stored documents and fields.
type BuiltDocuments = (
    Vec<SendDocument>,
    Vec<firmadesk_store::Document>,
    Vec<firmadesk_store::Field>,
);

/// Builds each document's signature fields and runs the service's checks on its PDF (preflight), before
/// anything is stored or sent.
async fn build_documents(state: &Desk, draft: &Draft) -> Result<BuiltDocuments, UiError> {
    let mut send_documents = Vec::new();
    let mut documents = Vec::new();
    let mut fields = Vec::new();
    for (position, d) in draft.documents.iter().enumerate() {
        let path = doc_path(state, &d.doc_id)?;
        let mut signature_fields = Vec::new();
        for (i, f) in d.fields.iter().enumerate() {
            signature_fields.push(SignatureField {
                attrs: SignatureFieldAttrs::ToBeCreated(SignatureFieldToBeCreatedAttrs {
                    coordinates: Coordinates { x: f.x, y: f.y },
                    page: f.page,
                    size: Size { w: f.w, h: f.h },
                }),
                clause: Clause {
                    title: f.clause_title.trim().to_owned(),
                    type_: clause_type(&f.clause_type)?,
                },
            });
            fields.push(firmadesk_store::Field {
                document: position as u32,
                position: i as u32,
                placement: Placement::Coordinates {
                    page: f.page,
                    x: f.x,
                    y: f.y,
                    w: f.w,
                    h: f.h,
                },
                clause_type: f.clause_type.clone(),
                clause_title: f.clause_title.trim().to_owned(),
            });
        }
        let metadata = DocumentMetadata {
            title: d.title.trim().to_owned(),
            signature_fields,
        };
        // The service's checks, here, before anything is sent.
        let (check_path, check_meta) = (path.clone(), metadata.clone());
        let report = tokio::task::spawn_blocking(move || -> Result<preflight::Report, UiError> {
            let limits = firmadesk_pdf::Limits::default();
            let bytes = firmadesk_pdf::document::read_file(&check_path, &limits).map_err(pdf_error)?;
            let pdfium = firmadesk_pdf::library::pdfium().map_err(pdf_error)?;
            Ok(preflight::run(
                pdfium,
                preflight::Input {
                    bytes: &bytes,
                    fields: &check_meta.signature_fields,
                    title: Some(&check_meta.title),
                    limits,
                },
            ))
        })
        .await
        .map_err(|e| UiError::new(Code::PdfUnreadable, "Verifica del PDF interrotta: riprovare.").with_detail(e))??;
        if let Some(f) = report.findings.iter().find(|f| f.severity == Severity::Error) {
            return Err(UiError::new(
                Code::RequestPreflightFailed,
                format!("{}: {}", d.title.trim(), f.message),
            ));
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).ok();
        documents.push(firmadesk_store::Document {
            position: position as u32,
            title: metadata.title.clone(),
            path: path.to_string_lossy().into_owned(),
            sha256: Some(d.doc_id.clone()),
            size,
            io_document_id: None,
            io_status: None,
            reject_reason: None,
        });
        send_documents.push(SendDocument {
            metadata,
            path,
            sha256: None,
        });
    }

    Ok((send_documents, documents, fields))
}

/// Checks the draft once and builds everything the send writes: no store write yet.
async fn prepare(state: &Desk, draft: &Draft) -> Result<crate::held::Prepared, UiError> {
    let checked = check_draft(state, draft).await?;
    prepare_checked(state, draft, checked, LocalId::from(ulid::Ulid::new().to_string())).await
}

/// [`prepare`] for a row of a list sent (`bulk/send.rs`): the local id chosen when the list was saved, the
/// profile the list is sent with, past the login gate (passed by the clerk who started the list).
pub(crate) async fn prepare_row(
    state: &Desk,
    draft: &Draft,
    id: LocalId,
    profile_id: &str,
) -> Result<crate::held::Prepared, UiError> {
    let checked = check_draft_on(state, draft, profile_id.to_owned()).await?;
    prepare_checked(state, draft, checked, id).await
}

async fn prepare_checked(
    state: &Desk,
    draft: &Draft,
    checked: CheckedDraft,
    id: LocalId,
) -> Result<crate::held::Prepared, UiError> {
    let replaced = match &draft.replaces {
        Some(old) => {
            let old = find_request(state, old).await?;
            require_request(state, &old).await?;
            if !crate::reopen::stopped(old.status, old.expires_at, state.now_ms()) {
                return Err(invalid(
                    Code::RequestStillActive,
                    "Si può correggere e reinviare solo una richiesta ferma (rifiutata, non riuscita, scaduta o annullata).",
                ));
            }
            // The fix goes where the request went (a test key's request is not fixed in production).
            if old.profile_id != checked.profile_id {
                return Err(invalid(
                    Code::RequestOtherProfile,
                    "La richiesta da correggere è stata inviata con un altro profilo: sceglierlo in Impostazioni e riprovare.",
                ));
            }
            Some(old)
        }
        None => None,
    };
    let (send_documents, documents, fields) = build_documents(state, draft).await?;
    let CheckedDraft {
        profile_id,
        fiscal_code: cf,
        signer_name,
        title,
        doc_type,
        expires_at,
        delivery,
        support_email,
    } = checked;
    let now = state.now_ms();
    let actor = crate::session::actor(state, &profile_id);
    let protocol = match &draft.protocol {
        Some(input) => crate::handoff::from_form(input, &id, &actor, now)?,
        None => None,
    };
    let delivery_name = match delivery {
        Delivery::IoMessage => "io_message",
        Delivery::QrOnly => "qr_only",
    };
    let request = Request {
        document_type: doc_type.name.clone(),
        title: title.clone(),
        signer_name: signer_name.clone(),
        fiscal_code: cf.as_str().to_owned(),
        delivery: delivery_name.into(),
        expires_at: expires_at.map(firmadesk_engine::clock::unix_ms),
        ..Request::unsent(id.clone(), profile_id.clone(), Status::Draft, now)
    };
    let event = firmadesk_store::Event {
        request_id: id,
        at: now,
        actor,
        code: "created".into(),
        text: match &replaced {
            Some(old) => format!(
                "Richiesta creata e inviata a Firma con IO, in sostituzione di «{}»",
                old.title
            ),
            None => "Richiesta creata e inviata a Firma con IO".into(),
        },
        detail_json: replaced.as_ref().map(|old| {
            serde_json::json!({ "args": { "replaces": old.id.as_str(), "replaces_title": old.title } }).to_string()
        }),
    };
    let spec = SendSpec {
        profile_id,
        document_type: DocumentType {
            name: doc_type.name.clone(),
            dossier_title: doc_type.dossier_title.clone(),
            documents_metadata: send_documents.iter().map(|d| d.metadata.clone()).collect(),
            support_email,
        },
        signer: SignerInfo {
            fiscal_code: cf,
            display_name: signer_name,
        },
        title,
        documents: send_documents,
        expires_at,
        delivery,
    };
    Ok(crate::held::Prepared {
        request,
        documents,
        fields,
        event,
        spec,
        problem: None,
        protocol,
    })
}

/// Checks the draft once, builds the send, stores the request with its first event and hands it to the
/// engine. The local id is returned at once; progress arrives as engine events.
///
/// In team mode the send is first kept on this computer (`held.rs`): when the office's database cannot be
/// reached it stays there, `held` says so, and it leaves when the connection returns.
pub async fn submit_request(state: &Desk, engine: &Engine, draft: Draft) -> Result<Submitted, UiError> {
    let mut prepared = prepare(state, &draft).await?;
    second_opinion(state, &prepared).await?;
    let id = prepared.request.id.clone();
    if state.store.backend() != firmadesk_store::Backend::Postgres {
        crate::held::deliver(state, engine, &prepared).await?;
        return Ok(Submitted { id, held: false });
    }
    let _one = state.held_lock.lock().await;
    crate::held::keep(state, &mut prepared)?;
    match crate::held::deliver(state, engine, &prepared).await {
        Ok(()) => {
            crate::held::release(state, &id);
            Ok(Submitted { id, held: false })
        }
        Err(e) if e.code == Code::StoreUnreachable => {
            tracing::info!(%id, "office unreachable: send kept on this desk");
            Ok(Submitted { id, held: true })
        }
        Err(e) => {
            crate::held::release(state, &id);
            Err(e)
        }
    }
}

/// How long "Richiedi firma" waits for the service's second opinion before going on without it.
const SECOND_OPINION_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The service's own check of each document with its fields (`POST /validate-document`, the same checks
/// it runs after the upload), asked before anything is stored: a document it would refuse although the
/// local checks passed stops the send here, with the service's reasons, and the disagreement is logged.
/// No key on this desk, the service unreachable or slower than [`SECOND_OPINION_WAIT`]: the send goes on
/// (the service checks again after the upload).
async fn second_opinion(state: &Desk, prepared: &crate::held::Prepared) -> Result<(), UiError> {
    let client = match crate::profiles::client_for(state, &prepared.spec.profile_id).await {
        Ok(client) => client,
        Err(e) => {
            tracing::debug!(code = %e.code, "no second opinion: no client for the profile here");
            return Ok(());
        }
    };
    for document in &prepared.spec.documents {
        let Ok(bytes) = tokio::fs::read(&document.path).await else {
            continue;
        };
        let title = &document.metadata.title;
        let asked = client.validate_document(bytes, Some(&document.metadata.signature_fields));
        match tokio::time::timeout(SECOND_OPINION_WAIT, asked).await {
            Ok(Ok(answer)) if !answer.is_valid => {
                let violations = answer.violations.unwrap_or_default();
                tracing::warn!(
                    document = %title,
                    ?violations,
                    "the service would refuse a document the local checks accepted"
                );
                let why = if violations.is_empty() {
                    "nessun motivo indicato".to_owned()
                } else {
                    violations.join("; ")
                };
                return Err(UiError::new(
                    Code::RequestServiceRefuses,
                    format!("Firma con IO rifiuterebbe il documento «{title}»: {why}. Correggerlo e riprovare."),
                ));
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::info!(error = %e, "no second opinion from the service: the send goes on");
                return Ok(());
            }
            Err(_) => {
                tracing::info!("the service's second opinion is slow: the send goes on without it");
                return Ok(());
            }
        }
    }
    Ok(())
}

// ---- after sending ----

fn io_id(request: &Request) -> Result<IoRequestId, UiError> {
    request.io_request_id.clone().ok_or_else(|| {
        UiError::new(
            Code::RequestNotSent,
            "La richiesta non è ancora arrivata a Firma con IO: attendere la fine dell'invio.",
        )
    })
}

/// The embedded sandbox, for a request sent to it (the citizen simulation exists only there).
fn sandbox(state: &Desk, request: &Request) -> Result<std::sync::Arc<crate::sandbox::RunningSandbox>, UiError> {
    if request.profile_id != SANDBOX_PROFILE {
        return Err(UiError::new(
            Code::SandboxNotSandbox,
            "La simulazione del cittadino è disponibile solo per le richieste in modalità prova.",
        ));
    }
    state.sandbox.running().ok_or_else(|| {
        UiError::new(
            Code::SandboxNotRunning,
            "La modalità prova non è attiva: sceglierla in Impostazioni per usare le richieste di prova.",
        )
    })
}

/// Modalità prova: the citizen signs in the simulated IO app.
pub async fn simulate_sign(state: &Desk, engine: &Engine, id: LocalId) -> Result<(), UiError> {
    let request = find_request(state, &id).await?;
    require_request(state, &request).await?;
    let io = io_id(&request)?;
    sandbox(state, &request)?.handle.sign(&io).await.map_err(|e| {
        UiError::new(
            Code::SandboxSignFailed,
            "Firma simulata non riuscita: la richiesta deve essere in attesa di firma.",
        )
        .with_detail(e)
    })?;
    let _ = engine.poke_poller(&request.profile_id);
    Ok(())
}

/// Modalità prova: the citizen's signature fails.
pub async fn simulate_reject(state: &Desk, engine: &Engine, id: LocalId) -> Result<(), UiError> {
    let request = find_request(state, &id).await?;
    require_request(state, &request).await?;
    let io = io_id(&request)?;
    sandbox(state, &request)?
        .handle
        .reject(&io, "Firma non completata dal cittadino (simulazione)")
        .await
        .map_err(|e| {
            UiError::new(
                Code::SandboxRejectFailed,
                "Errore simulato non riuscito: la richiesta deve essere in attesa di firma.",
            )
            .with_detail(e)
        })?;
    let _ = engine.poke_poller(&request.profile_id);
    Ok(())
}

/// Cancels a request waiting for the citizen (the service allows it only from WAIT_FOR_SIGNATURE): here
/// when this desk is the key's worker (or on its own file), else by the worker (team mode).
pub async fn cancel_request(state: &Desk, engine: &Engine, id: LocalId) -> Result<(), UiError> {
    let request = find_request(state, &id).await?;
    require_request(state, &request).await?;
    let io = io_id(&request)?;
    if engine.is_worker(&request.profile_id) || state.store.backend() != firmadesk_store::Backend::Postgres {
        engine.cancel(&request.profile_id, &io).await.map_err(engine_error)?;
        return Ok(());
    }
    // Team mode on a desk that is not the key's worker: only the worker talks to IO Sign. It cancels
    // the request from the shared outbox; the feed brings the new status to every desk.
    if request.status != Status::Waiting {
        return Err(UiError::new(
            Code::from(firmadesk_engine::EngineErrorKind::NotAllowed),
            "Si può annullare solo una richiesta in attesa di firma.",
        ));
    }
    engine.order_cancel(&request.id).await.map_err(engine_error)?;
    state
        .store
        .add_event(&firmadesk_store::Event {
            request_id: request.id.clone(),
            at: state.now_ms(),
            actor: crate::session::actor(state, &request.profile_id),
            code: "cancel_requested".into(),
            text: "Annullamento richiesto: lo esegue il servizio dell'ufficio che ha la chiave".into(),
            detail_json: None,
        })
        .await
        .map_err(store_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, protected, test_desk};

    fn draft() -> Draft {
        Draft {
            document_type: "Accordo".into(),
            signer_name: "  Mario Rossi ".into(),
            fiscal_code: "RSSMRA80A01H501U".into(),
            title: "Accordo di collaborazione".into(),
            expires_at: None,
            delivery: "io_message".into(),
            documents: vec![DraftDocument {
                doc_id: "0".repeat(64),
                title: "Accordo".into(),
                fields: vec![],
            }],
            replaces: None,
            protocol: None,
        }
    }

    /// Test data apart from production (issue #16): Modalità prova's requests never change a body profile's
    /// counters or lists, each list names its profile, and every profile is listed together only when asked
    /// (with each row's profile named, and a protected profile's login required).
    #[tokio::test]
    async fn modalita_prova_stays_apart_and_every_profile_is_listed_only_when_asked() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let mut comune = firmadesk_store::Profile::new(
            "comune",
            "Comune di Prova",
            firmadesk_store::Environment::Produzione,
            "https://api.io.pagopa.it/api/v1/sign",
        );
        comune.support_email = None;
        desk.store.upsert_profile(&comune, 0).await.unwrap();
        crate::testing::request(&desk, "demo", SANDBOX_PROFILE, "Mario Rossi").await;
        crate::testing::request(&desk, "demo2", SANDBOX_PROFILE, "Anna Bianchi").await;
        let mut real = crate::testing::request(&desk, "real", "comune", "Luca Verdi").await;
        real.document_type = "Contratto".into();
        desk.store.update_request(&real).await.unwrap();
        let ids = |page: &RequestPage| page.items.iter().map(|r| r.id.as_str().to_owned()).collect::<Vec<_>>();

        desk.settings.lock().unwrap().active_profile = Some("comune".into());
        assert_eq!(
            dashboard(&desk).await.unwrap().counts.waiting,
            1,
            "Produzione counts its own only"
        );
        let page = list_requests(&desk, ListQuery::default()).await.unwrap();
        assert_eq!(ids(&page), ["real"]);
        assert_eq!(page.profile_name, "Comune di Prova");
        assert!(!page.all_profiles);

        desk.settings.lock().unwrap().active_profile = Some(SANDBOX_PROFILE.into());
        assert_eq!(dashboard(&desk).await.unwrap().counts.waiting, 2);
        let page = list_requests(&desk, ListQuery::default()).await.unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.profile_name, "Modalità prova");

        let all = list_all_profiles(&desk, ListQuery::default()).await.unwrap();
        assert_eq!(all.total(), 3);
        assert!(all.all_profiles);
        assert_eq!(all.profile_name, "Tutti i profili");
        assert_eq!(
            all.profile_names.get("comune").map(String::as_str),
            Some("Comune di Prova")
        );
        assert_eq!(
            all.profile_names.get(SANDBOX_PROFILE).map(String::as_str),
            Some("Modalità prova")
        );
        // The store's filters reach every list: the document type here.
        let contracts = ListQuery {
            document_type: Some("Contratto".into()),
            ..ListQuery::default()
        };
        assert_eq!(ids(&list_all_profiles(&desk, contracts).await.unwrap()), ["real"]);

        // A protected profile without its login: no list of every profile.
        protected(&desk, "ente").await;
        assert_eq!(
            list_all_profiles(&desk, ListQuery::default()).await.unwrap_err().code,
            "auth.login_required"
        );
    }

    /// "In scadenza" and "scaduta" are read on the desk's clock (the one its sessions use), not on the
    /// machine's: a request due in a day is expiring now and expired two days later.
    #[tokio::test]
    async fn the_dashboards_deadlines_follow_the_desks_clock() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let desk = test_desk(tmp.path(), clock.clone());
        let mut r = crate::testing::request(&desk, "r1", SANDBOX_PROFILE, "Mario Rossi").await;
        r.expires_at = Some(desk.now_ms() + 24 * 3600 * 1000);
        desk.store.update_request(&r).await.unwrap();
        let counts = dashboard(&desk).await.unwrap().counts;
        assert_eq!((counts.waiting, counts.expiring, counts.expired), (1, 1, 0));
        clock.advance(std::time::Duration::from_secs(2 * 24 * 3600));
        let counts = dashboard(&desk).await.unwrap().counts;
        assert_eq!((counts.waiting, counts.expiring, counts.expired), (1, 0, 1));
    }

    /// "Copia link di firma": the detail carries IO's link while the request waits for signature, and no
    /// link before IO knows it, once the citizen signed, once it ended or past its deadline.
    #[tokio::test]
    async fn the_detail_gives_the_signing_link_only_while_the_request_waits_for_signature() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let desk = test_desk(tmp.path(), clock.clone());
        let mut r = crate::testing::request(&desk, "r1", SANDBOX_PROFILE, "Mario Rossi").await;
        r.io_status = Some("WAIT_FOR_SIGNATURE".into());
        r.expires_at = Some(desk.now_ms() + 3600 * 1000);
        desk.store.update_request(&r).await.unwrap();
        let link = |d: RequestDetail| d.signing_link;
        assert_eq!(
            link(request_detail(&desk, "r1".into()).await.unwrap()).as_deref(),
            Some("https://continua.io.pagopa.it/open?feat=firma&srid=io-r1")
        );
        let now = desk.now_ms();
        let without = |change: &dyn Fn(&mut Request)| {
            let mut other = r.clone();
            change(&mut other);
            signing_link(&other, now)
        };
        assert!(without(&|_| ()).is_some());
        assert_eq!(without(&|o| o.io_request_id = None), None, "IO does not know it yet");
        assert_eq!(without(&|o| o.status = Status::Sending), None, "still being sent");
        assert_eq!(
            without(&|o| o.io_status = Some("WAIT_FOR_QTSP".into())),
            None,
            "signed, being sealed"
        );
        assert_eq!(without(&|o| o.status = Status::Signed), None);
        assert!(without(&|o| o.expires_at = None).is_some(), "no deadline: always valid");
        // Past the deadline, on the desk's clock, like the lists' "Scaduta".
        clock.advance(std::time::Duration::from_secs(3600));
        assert_eq!(link(request_detail(&desk, "r1".into()).await.unwrap()), None);
    }

    /// The draft is validated in one place, before any PDF is read or anything stored.
    #[tokio::test]
    async fn the_signer_book_offers_the_active_profiles_signers_once_two_characters_are_typed() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        desk.store
            .upsert_signer(SANDBOX_PROFILE, "RSSMRA80A01H501U", "Mario Rossi", None)
            .await
            .unwrap();
        assert!(
            signer_book(&desk, "r".into()).await.unwrap().is_empty(),
            "one character: nothing yet"
        );
        let found = serde_json::to_value(signer_book(&desk, "ros".into()).await.unwrap()).unwrap();
        assert_eq!(
            found,
            serde_json::json!([{ "name": "Mario Rossi", "fiscal_code": "RSSMRA80A01H501U" }])
        );
        // A protected profile's signers need its login.
        protected(&desk, "ente").await;
        desk.store
            .upsert_signer("ente", "NRENNA85M41F205S", "Anna Neri", None)
            .await
            .unwrap();
        desk.settings.lock().unwrap().active_profile = Some("ente".into());
        let refused = signer_book(&desk, "anna".into()).await.unwrap_err();
        assert_eq!(refused.code, Code::AuthLoginRequired);
    }

    #[tokio::test]
    async fn the_dossier_carries_the_document_types_support_email_else_the_profiles() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        assert_eq!(check_draft(&desk, &draft()).await.unwrap().support_email, None);
        let mut profile = desk
            .store
            .profiles()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.id == SANDBOX_PROFILE)
            .unwrap();
        profile.support_email = Some("ufficio@comune.example.it".into());
        desk.store.upsert_profile(&profile, 0).await.unwrap();
        assert_eq!(
            check_draft(&desk, &draft()).await.unwrap().support_email.as_deref(),
            Some("ufficio@comune.example.it")
        );
        desk.store
            .upsert_document_type(
                "Accordo",
                "Accordo con il Comune",
                Some("contratti@comune.example.it"),
                "[]",
            )
            .await
            .unwrap();
        assert_eq!(
            check_draft(&desk, &draft()).await.unwrap().support_email.as_deref(),
            Some("contratti@comune.example.it")
        );
    }

    #[tokio::test]
    async fn a_fix_replaces_only_a_stopped_request_of_the_same_profile() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let mut waiting = crate::testing::request(&desk, "r1", SANDBOX_PROFILE, "Mario Rossi").await;
        let fixing = |id: &str| Draft {
            replaces: Some(id.into()),
            ..draft()
        };
        assert_eq!(
            prepare(&desk, &fixing("r1")).await.unwrap_err().code,
            Code::RequestStillActive
        );
        waiting.status = Status::Rejected;
        desk.store.update_request(&waiting).await.unwrap();
        // Stopped: the check goes on to the documents (this draft's PDF is not in the data folder).
        assert_eq!(prepare(&desk, &fixing("r1")).await.unwrap_err().code, Code::PdfUnknown);
        protected(&desk, "ente").await;
        let mut other = crate::testing::request(&desk, "r2", "ente", "Anna Neri").await;
        other.status = Status::Failed;
        desk.store.update_request(&other).await.unwrap();
        assert_eq!(
            prepare(&desk, &fixing("r2")).await.unwrap_err().code,
            Code::AuthLoginRequired
        );
        desk.auth.begin("ente", crate::testing::session());
        assert_eq!(
            prepare(&desk, &fixing("r2")).await.unwrap_err().code,
            Code::RequestOtherProfile
        );
    }

    #[tokio::test]
    async fn a_draft_is_checked_once_with_one_code_per_mistake() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let ok = check_draft(&desk, &draft()).await.unwrap();
        assert_eq!(ok.profile_id, SANDBOX_PROFILE);
        assert_eq!(ok.signer_name, "Mario Rossi");
        assert_eq!(ok.fiscal_code.as_str(), "RSSMRA80A01H501U");
        let desk = &desk;
        let code = |change: fn(&mut Draft)| async move {
            let mut d = draft();
            change(&mut d);
            check_draft(desk, &d).await.err().map(|e| e.code)
        };
        assert_eq!(
            code(|d| d.fiscal_code = "RSSMRA80A01H501X".into()).await,
            Some(Code::RequestInvalidFiscalCode)
        );
        assert_eq!(
            code(|d| d.signer_name = "   ".into()).await,
            Some(Code::RequestMissingSigner)
        );
        assert_eq!(code(|d| d.title = "Ac".into()).await, Some(Code::RequestInvalidTitle));
        assert_eq!(
            code(|d| d.title = "x".repeat(61)).await,
            Some(Code::RequestInvalidTitle)
        );
        assert_eq!(code(|d| d.documents.clear()).await, Some(Code::RequestNoDocuments));
        assert_eq!(
            code(|d| d.document_type = "Ignoto".into()).await,
            Some(Code::RequestUnknownDocumentType)
        );
        assert_eq!(
            code(|d| d.expires_at = Some("2020-01-01".into())).await,
            Some(Code::RequestExpiredDeadline)
        );
    }

    /// A send that stopped: its error and the request's reason read in the clerk's language, the Italian
    /// detail kept in Italian.
    #[tokio::test]
    async fn a_stopped_send_is_explained_in_the_clerks_language() {
        let dir = tempfile::tempdir().unwrap();
        let desk = crate::testing::test_desk(dir.path(), crate::testing::clock());
        let italian = "Il documento «Accordo» è stato rifiutato da Firma con IO: non è un PDF/A";
        let mut r = crate::testing::request(&desk, "r1", crate::SANDBOX_PROFILE, "Mario Rossi").await;
        r.status = firmadesk_store::Status::Failed;
        r.reject_reason = Some(italian.into());
        let send = firmadesk_store::SendState {
            request_id: "r1".into(),
            step: "needs_edit".into(),
            state_json: serde_json::json!({ "last_error_kind": "document_rejected" }).to_string(),
            attempts: 1,
            next_attempt_at: None,
            create_attempted_at: None,
            last_error: Some(italian.into()),
            updated_at: 3,
        };
        desk.store.save_request_row(&r, Some(&send), None).await.unwrap();
        async fn read(desk: &Desk) -> serde_json::Value {
            serde_json::to_value(request_detail(desk, "r1".into()).await.unwrap()).unwrap()
        }
        let it = read(&desk).await;
        assert_eq!(it["send"]["last_error"], italian);
        assert_eq!(it["request"]["reject_reason"], italian);
        crate::app::set_locale(&desk, "en").unwrap();
        let en = read(&desk).await;
        let english = "Firma con IO refused the document: fix it and send it again.";
        assert_eq!(en["send"]["last_error"], english);
        assert_eq!(en["request"]["reject_reason"], english);
    }

    /// A protected active profile needs its login before a draft is even checked.
    #[tokio::test]
    async fn a_draft_for_a_locked_profile_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        protected(&desk, "ufficio").await;
        desk.settings.lock().unwrap().active_profile = Some("ufficio".into());
        assert_eq!(
            check_draft(&desk, &draft()).await.err().map(|e| e.code),
            Some(Code::AuthLoginRequired)
        );
    }

    #[test]
    fn italian_time_follows_the_eu_summer_rule() {
        use time::macros::date;
        assert_eq!(italian_offset(date!(2027 - 01 - 15)).whole_hours(), 1);
        assert_eq!(italian_offset(date!(2027 - 03 - 27)).whole_hours(), 1); // Saturday before the switch
        assert_eq!(italian_offset(date!(2027 - 03 - 28)).whole_hours(), 2); // last Sunday of March
        assert_eq!(italian_offset(date!(2027 - 10 - 30)).whole_hours(), 2);
        assert_eq!(italian_offset(date!(2027 - 10 - 31)).whole_hours(), 1); // last Sunday of October
    }

    #[test]
    fn a_past_or_malformed_deadline_is_refused_in_italian() {
        assert_eq!(
            parse_deadline("2020-01-01").unwrap_err().code,
            "request.expired_deadline"
        );
        assert_eq!(
            parse_deadline("31/12/2099").unwrap_err().code,
            "request.invalid_deadline"
        );
        let at = parse_deadline("2099-07-01").unwrap();
        assert_eq!((at.hour(), at.minute(), at.offset().whole_hours()), (23, 59, 2));
    }

    /// Issue #10 item 14: the size is checked before the body is copied or parsed.
    #[test]
    fn oversized_imports_are_refused_before_reading() {
        let limits = firmadesk_pdf::Limits::default();
        assert!(check_import_size(limits.max_bytes, &limits).is_ok());
        let err = check_import_size(limits.max_bytes + 1, &limits).unwrap_err();
        assert_eq!(err.code, "pdf.too_large");
        assert!(err.message.contains("30 MB"), "{}", err.message);
    }

    #[test]
    fn file_names_are_percent_decoded() {
        assert_eq!(
            percent_decode("Contratto%20d%27affitto%20%C3%A8.pdf"),
            "Contratto d'affitto è.pdf"
        );
        assert_eq!(percent_decode("bad%zz%2"), "bad%zz%2");
    }
}
