//! HTTP side: the issuer API under `/api/v1/sign`, the blob endpoints, the QR image, the citizen
//! simulation under `/sandbox/`, and the background transitions.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Router};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::sync::oneshot;
use tokio::task::{AbortHandle, JoinHandle};

use crate::clock::{format_ts, parse_ts, Clock};
use crate::model::{Document, DocumentStatus, Dossier, Refusal, RequestStatus, SignatureRequest, State, UploadSlot};
use crate::pdf;
use crate::ratelimit::{Decision, RateLimiter};
use crate::store::{self, BlobStore};
use crate::validate::{self, StatusTarget};
use crate::views::{self, UrlMinter};
use crate::{ErrorKind, SandboxConfig, SandboxError};

mod api;
mod blob;
pub mod hold;
mod responses;

use responses::*;

const API_PREFIX: &str = "/api/v1/sign";
const KEY_HEADER: &str = "ocp-apim-subscription-key";
const UPLOADED: &str = "uploaded-documents";
const VALIDATED: &str = "validated-documents";
const SIGNED: &str = "signed-documents";
const UPLOAD_URL_TTL: time::Duration = time::Duration::minutes(15);
const DOWNLOAD_URL_TTL: time::Duration = time::Duration::minutes(5);
const DEFAULT_EXPIRY: time::Duration = time::Duration::days(90);
/// Largest body of a JSON call (the API's and the `/sandbox/` controls'): the largest legitimate one,
/// a dossier with many documents and fields, is a few kB. Documents have their own cap
/// ([`SandboxConfig::max_document_bytes`]).
const MAX_JSON_BODY: usize = 1024 * 1024;
/// Entries kept in the request log.
const MAX_LOG: usize = 10_000;

/// One API call as the sandbox saw it (for tests). Bodies are kept only when JSON, and only with
/// [`SandboxConfig::record_bodies`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// HTTP method.
    pub method: String,
    /// Path, including the `/api/v1/sign` prefix, without the query.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// The spec's operationId for this method and path, when it is one of the API's.
    pub operation: Option<&'static str>,
    /// Response status.
    pub status: u16,
    /// Request body, when it parsed as JSON.
    pub request_json: Option<Value>,
    /// Response `Content-Type`.
    pub response_content_type: Option<String>,
    /// Response body, when it parsed as JSON.
    pub response_json: Option<Value>,
}

#[derive(Debug, Clone)]
struct Caller {
    issuer: String,
    test: bool,
}

pub(crate) struct Inner {
    cfg: SandboxConfig,
    clock: Arc<dyn Clock>,
    origin: String,
    keys: HashMap<String, Caller>,
    state: Mutex<State>,
    blobs: BlobStore,
    limiter: RateLimiter,
    faults: Mutex<StdRng>,
    holds: hold::Holds,
    log: Mutex<Vec<LogEntry>>,
    tasks: Mutex<Vec<AbortHandle>>,
    qtsp: crate::pades::TestQtsp,
    /// "Service down" switch (Modalità prova's outage simulation): every API call answers 503.
    pub(super) unavailable: std::sync::atomic::AtomicBool,
    /// Where an unreadable state file was kept aside at start (the sandbox then started empty).
    recovered_from: Option<std::path::PathBuf>,
    /// The `Host` values this server answers (lowercase `host:port`).
    hosts: Vec<String>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn sha_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// `se` in SAS URLs: second precision, `:` percent-encoded as Azure SDKs do.
fn sas_expiry(t: OffsetDateTime) -> String {
    let s = format_ts(t.replace_millisecond(0).unwrap_or(t));
    s.replace(".000Z", "Z")
}

impl Inner {
    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Runs `f` on the state and persists it when a state dir is configured.
    fn mutate<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut state = lock(&self.state);
        let out = f(&mut state);
        if let Some(dir) = &self.cfg.state_dir {
            if let Err(e) = store::save_state(dir, &state) {
                tracing::error!("cannot save sandbox state in {}: {e}", dir.display());
            }
        }
        out
    }

    fn spawn(self: &Arc<Self>, fut: impl std::future::Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(fut).abort_handle();
        let mut tasks = lock(&self.tasks);
        tasks.retain(|t| !t.is_finished());
        tasks.push(handle);
    }

    fn signed_sig(&self, secret: &str, document_id: &str, se: &str) -> String {
        sha_hex(&[
            secret.as_bytes(),
            SIGNED.as_bytes(),
            document_id.as_bytes(),
            se.as_bytes(),
        ])[..43]
            .to_string()
    }

    fn signer_id(secret: &str, fiscal_code: &str) -> String {
        let digest = Sha256::digest([secret.as_bytes(), b"\0signer\0", fiscal_code.as_bytes()].concat());
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        uuid::Builder::from_custom_bytes(b).into_uuid().to_string()
    }

    // ---- background transitions -------------------------------------------------------------

    fn schedule_validation(self: &Arc<Self>, request_id: String, document_id: String, upload_id: String) {
        let inner = self.clone();
        self.spawn(async move {
            tokio::time::sleep(inner.cfg.validation_delay).await;
            inner.validate_upload(&request_id, &document_id, &upload_id).await;
        });
    }

    async fn validate_upload(self: &Arc<Self>, request_id: &str, document_id: &str, upload_id: &str) {
        let fields = {
            let state = lock(&self.state);
            let Some(doc) = state
                .requests
                .get(request_id)
                .and_then(|r| r.documents.iter().find(|d| d.id == document_id))
            else {
                return;
            };
            pdf::field_specs(&doc.metadata["signature_fields"])
        };
        let Some(bytes) = self.blobs.get(UPLOADED, upload_id) else {
            tracing::warn!("upload {upload_id} vanished before validation");
            return;
        };
        let checked = bytes.clone();
        let outcome = tokio::task::spawn_blocking(move || pdf::validate(&checked, &fields))
            .await
            .unwrap_or_else(|e| Err(format!("Failed to parse PDF document: {e}")));
        if outcome.is_ok() {
            if let Err(e) = self.blobs.put(VALIDATED, document_id, bytes) {
                tracing::error!("cannot store validated document: {e}");
                return;
            }
        }
        self.blobs.delete(UPLOADED, upload_id);
        let now = self.now();
        self.mutate(|state| {
            if let Some(r) = state.requests.get_mut(request_id) {
                if r.status == RequestStatus::Draft {
                    if let Some(d) = r.document_mut(document_id) {
                        if d.validating.as_deref() == Some(upload_id) {
                            d.finish_validation(outcome, now);
                            r.updated_at = now;
                        }
                    }
                }
            }
        });
    }

    fn schedule_publish(self: &Arc<Self>, request_id: String) {
        let inner = self.clone();
        self.spawn(async move {
            tokio::time::sleep(inner.cfg.publish_delay).await;
            let now = inner.now();
            let qr = format!("{}/qrcode.png?feat=firma&srid={request_id}", inner.origin);
            let published = inner.mutate(|state| {
                state
                    .requests
                    .get_mut(&request_id)
                    .is_some_and(|r| r.mark_wait_for_signature(qr, now).is_ok())
            });
            if published {
                inner.schedule_auto_sign(request_id);
            }
        });
    }

    fn schedule_auto_sign(self: &Arc<Self>, request_id: String) {
        if let Some(after) = self.cfg.auto_sign_after {
            let inner = self.clone();
            self.spawn(async move {
                tokio::time::sleep(after).await;
                if let Err(e) = inner.citizen_sign(&request_id).await {
                    tracing::info!("auto-sign of {request_id} skipped: {e:?}");
                }
            });
        }
    }

    /// Reschedules what was in flight when the state was saved.
    fn resume(self: &Arc<Self>) {
        let state = lock(&self.state).clone();
        for r in state.requests.values() {
            match r.status {
                RequestStatus::Draft => {
                    for d in &r.documents {
                        if let (DocumentStatus::WaitForValidation, Some(u)) = (d.status, &d.validating) {
                            self.schedule_validation(r.id.clone(), d.id.clone(), u.clone());
                        }
                    }
                }
                RequestStatus::Ready => self.schedule_publish(r.id.clone()),
                RequestStatus::WaitForSignature => self.schedule_auto_sign(r.id.clone()),
                _ => {}
            }
        }
    }

    /// The citizen signs: every document gets a stamped copy, then the request is SIGNED.
    pub(crate) async fn citizen_sign(self: &Arc<Self>, request_id: &str) -> Result<(), Refusal> {
        let (docs, signer) = {
            let state = lock(&self.state);
            let r = state
                .requests
                .get(request_id)
                .ok_or_else(|| Refusal::NotFound("The specified Signature Request does not exists.".into()))?;
            if r.status != RequestStatus::WaitForSignature {
                return Err(Refusal::Conflict(format!(
                    "The signature request is in {} status: only WAIT_FOR_SIGNATURE can be signed",
                    r.status.as_str()
                )));
            }
            // No EXPIRED status exists: the IO app itself stops the citizen after `expires_at`.
            if self.now() > r.expires_at {
                return Err(Refusal::Conflict(format!(
                    "The signature request expired at {}: the IO app does not let the citizen sign it",
                    format_ts(r.expires_at)
                )));
            }
            let signer = state
                .signers
                .get(&r.signer_id)
                .cloned()
                .unwrap_or_else(|| r.signer_id.clone());
            let docs: Vec<(String, Vec<pdf::FieldSpec>)> = r
                .documents
                .iter()
                .map(|d| (d.id.clone(), pdf::field_specs(&d.metadata["signature_fields"])))
                .collect();
            (docs, signer)
        };
        let now = crate::clock::italian_time(self.now());
        let date = format!("{:02}/{:02}/{:04}", now.day(), u8::from(now.month()), now.year());
        let mut failure = None;
        for (doc_id, fields) in docs {
            let Some(original) = self.blobs.get(VALIDATED, &doc_id) else {
                failure = Some(format!("document {doc_id} is missing from the storage"));
                break;
            };
            let (signer, date) = (signer.clone(), date.clone());
            let qtsp = self.qtsp.clone();
            let stamped = tokio::task::spawn_blocking(move || {
                // The one-shot certificate names the request's signer by fiscal code (the vault's
                // entry for the signer id), the only identity IO Sign's issuer API knows.
                let sealer = pdf::Sealer {
                    qtsp: &qtsp,
                    citizen: crate::pades::Citizen::from_fiscal_code(&signer),
                    options: crate::pades::Options::default(),
                };
                // A PDF the signature field cannot be added to still gets its visible stamps.
                pdf::stamp_signed_with(&original, &fields, &signer, &date, Some(&sealer))
                    .or_else(|_| pdf::stamp_signed_with(&original, &fields, &signer, &date, None))
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            match stamped {
                Ok(bytes) => {
                    if let Err(e) = self.blobs.put(SIGNED, &doc_id, Bytes::from(bytes)) {
                        failure = Some(format!("cannot store the signed document: {e}"));
                        break;
                    }
                }
                Err(e) => {
                    failure = Some(format!("the QTSP could not sign the document: {e}"));
                    break;
                }
            }
        }
        let now = self.now();
        self.mutate(|state| {
            let r = state
                .requests
                .get_mut(request_id)
                .ok_or_else(|| Refusal::NotFound("The specified Signature Request does not exists.".into()))?;
            match failure {
                None => r.mark_signed(now),
                Some(reason) => r.mark_rejected(reason, now),
            }
        })
    }

    pub(crate) fn citizen_reject(&self, request_id: &str, reason: String) -> Result<(), Refusal> {
        let now = self.now();
        self.mutate(|state| {
            state
                .requests
                .get_mut(request_id)
                .ok_or_else(|| Refusal::NotFound("The specified Signature Request does not exists.".into()))?
                .mark_rejected(reason, now)
        })
    }
}

struct Minter<'a> {
    inner: &'a Inner,
    secret: &'a str,
    now: OffsetDateTime,
}

impl UrlMinter for Minter<'_> {
    fn validated_url(&self, document_id: &str) -> String {
        format!("{}/blob/{VALIDATED}/{document_id}", self.inner.origin)
    }

    fn signed_url(&self, document_id: &str) -> String {
        let se = sas_expiry(self.now + DOWNLOAD_URL_TTL);
        let sig = self.inner.signed_sig(self.secret, document_id, &se);
        format!(
            "{}/blob/{SIGNED}/{document_id}?sig={sig}&se={}",
            self.inner.origin,
            se.replace(':', "%3A")
        )
    }
}

fn router(inner: Arc<Inner>) -> Router {
    let api = Router::new()
        .route("/info", get(api::info))
        .route("/dossiers", post(api::create_dossier))
        .route("/dossiers/{id}", get(api::get_dossier))
        .route("/dossiers/{id}/signature-requests", get(api::list_requests))
        .route("/signers", post(api::get_signer))
        .route("/signature-requests", post(api::create_request))
        .route("/signature-requests/{id}", get(api::get_request))
        .route("/signature-requests/{id}/status", put(api::set_status))
        .route(
            "/signature-requests/{id}/documents/{doc}/upload_url",
            get(api::upload_url),
        )
        .route("/signature-requests/{id}/notification", put(api::send_notification))
        .route("/validate-document", post(api::validate_document))
        .fallback(api::api_not_found)
        .method_not_allowed_fallback(api::api_not_found)
        .layer(middleware::from_fn_with_state(inner.clone(), api::api_layer));
    let blob_routes = Router::new()
        .route(&format!("/blob/{UPLOADED}/{{id}}"), put(blob::put_upload))
        .route(&format!("/blob/{SIGNED}/{{id}}"), get(blob::get_signed))
        .route("/blob/{*rest}", get(blob::blob_fallback).put(blob::blob_fallback))
        .route("/qrcode.png", get(blob::qr_code));
    // The citizen simulation changes requests: the same key as the API (see `control_auth`).
    let controls = Router::new()
        .route("/sandbox/signature-requests", get(blob::sandbox_list))
        .route("/sandbox/signature-requests/{id}/sign", post(blob::sandbox_sign))
        .route("/sandbox/signature-requests/{id}/reject", post(blob::sandbox_reject))
        .route_layer(middleware::from_fn_with_state(inner.clone(), control_auth));
    Router::new()
        // The API layer reads and caps bodies itself, per operation, once the key is known.
        .nest(API_PREFIX, api.layer(axum::extract::DefaultBodyLimit::disable()))
        .merge(blob_routes)
        .merge(controls)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_JSON_BODY))
        // Outermost: nothing runs for a request addressed to another host.
        .layer(middleware::from_fn_with_state(inner.clone(), guard))
        .with_state(inner)
}

/// The `Host` values a server on `addr` answers: its own address and the loopback names, with its
/// port. A web page that makes a host name resolve to 127.0.0.1 (DNS rebinding) still sends its own
/// host name, and is refused.
fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let own = addr.to_string().to_ascii_lowercase();
    if !hosts.contains(&own) {
        hosts.push(own);
    }
    hosts
}

fn host_allowed(hosts: &[String], req: &Request) -> bool {
    let allowed = |h: &str| hosts.iter().any(|a| a.eq_ignore_ascii_case(h));
    let header = req.headers().get(header::HOST).map(|v| v.to_str().unwrap_or(""));
    // HTTP/2 and absolute-form requests carry the authority in the URI: it must match as well.
    let authority = req.uri().authority().map(axum::http::uri::Authority::as_str);
    match (header, authority) {
        (None, None) => false,
        (h, a) => h.is_none_or(allowed) && a.is_none_or(allowed),
    }
}

/// Every request: the `Host` check first, then one log line with method, path (no query: SAS
/// signatures travel there), status and latency. Never headers or bodies (keys, fiscal codes).
async fn guard(AxState(inner): AxState<Arc<Inner>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    if !host_allowed(&inner.hosts, &req) {
        tracing::warn!(%method, %path, "sandbox request refused: Host is not this loopback address");
        let mut res = (
            StatusCode::MISDIRECTED_REQUEST,
            "This server answers only requests addressed to its own loopback address.",
        )
            .into_response();
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return res;
    }
    let res = next.run(req).await;
    tracing::debug!(
        %method,
        %path,
        status = res.status().as_u16(),
        latency_ms = started.elapsed().as_millis() as u64,
        "sandbox request"
    );
    res
}

/// The caller named by the API key header, if the key is one of this sandbox's.
fn caller_of(inner: &Inner, headers: &HeaderMap) -> Option<Caller> {
    let key = headers.get(KEY_HEADER)?.to_str().ok()?;
    inner.keys.get(key).cloned()
}

fn unauthorized() -> Response {
    let mut res = titled(
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
        "You must provide a valid API key to access this resource.",
    );
    // The body was not read: the connection cannot carry another request.
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// The `/sandbox/` controls take the same `Ocp-Apim-Subscription-Key` as the API: whoever can drive
/// the issuer API of this sandbox may play its citizen, and nobody else (not a web page, not another
/// local program). One secret for the embedding app to hold, nothing new for a CLI user to pass.
async fn control_auth(AxState(inner): AxState<Arc<Inner>>, req: Request, next: Next) -> Response {
    if caller_of(&inner, req.headers()).is_none() {
        return unauthorized();
    }
    next.run(req).await
}

/// Reads a body of at most `limit` bytes: a declared larger `Content-Length` is refused before any
/// byte is read, and a body without one stops being read at the limit.
pub(super) async fn read_capped(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ()> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(());
    }
    // Over the limit or cut short by the client: either way there is nothing to act on.
    to_bytes(body, limit).await.map_err(|_| ())
}

// ---- lifecycle ----------------------------------------------------------------------------------

pub(crate) async fn start(cfg: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
    if !cfg.listen.ip().is_loopback() {
        return Err(SandboxError::new(
            ErrorKind::NonLoopback,
            format!(
                "refusing to listen on {}: the sandbox only binds loopback addresses (127.0.0.0/8 or ::1)",
                cfg.listen
            ),
        ));
    }
    if !(0.0..=1.0).contains(&cfg.fault_rate) {
        return Err(SandboxError::new(
            ErrorKind::Config,
            "fault rate must be between 0 and 1",
        ));
    }
    if cfg.rate_limit_calls == 0 {
        return Err(SandboxError::new(
            ErrorKind::Config,
            "the rate limit must allow at least one call",
        ));
    }
    let loaded = match &cfg.state_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                SandboxError::new(
                    ErrorKind::State,
                    format!("cannot create state dir {}: {e}", dir.display()),
                )
            })?;
            store::load_state(dir, cfg.clock.now()).map_err(|e| {
                SandboxError::new(
                    ErrorKind::State,
                    format!("cannot read the sandbox state in {}: {e}", dir.display()),
                )
            })?
        }
        None => store::Loaded::default(),
    };
    let recovered_from = loaded.set_aside;
    let state = loaded.state.unwrap_or_else(|| State::new(random_hex(32)));
    let listener = tokio::net::TcpListener::bind(cfg.listen)
        .await
        .map_err(|e| SandboxError::new(ErrorKind::Bind, format!("cannot listen on {}: {e}", cfg.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| SandboxError::new(ErrorKind::Bind, e.to_string()))?;
    let mut keys = HashMap::new();
    for (list, test) in [(&cfg.api_keys, false), (&cfg.test_keys, true)] {
        for k in list {
            let issuer = match &cfg.single_issuer {
                Some(name) => sha_hex(&[b"institution", name.as_bytes()])[..26].to_string(),
                None => sha_hex(&[b"issuer", k.as_bytes()])[..26].to_string(),
            };
            keys.insert(k.clone(), Caller { issuer, test });
        }
    }
    let qtsp = crate::pades::TestQtsp::from_secret(state.secret.as_bytes());
    let inner = Arc::new(Inner {
        clock: cfg.clock.clone(),
        origin: format!("http://{addr}"),
        keys,
        state: Mutex::new(state),
        blobs: BlobStore::new(cfg.state_dir.clone()),
        limiter: RateLimiter::new(cfg.rate_limit_calls, cfg.rate_limit_period),
        faults: Mutex::new(StdRng::seed_from_u64(cfg.seed)),
        holds: hold::Holds::default(),
        log: Mutex::new(Vec::new()),
        tasks: Mutex::new(Vec::new()),
        unavailable: std::sync::atomic::AtomicBool::new(false),
        qtsp,
        recovered_from,
        hosts: allowed_hosts(addr),
        cfg,
    });
    if let Some(dir) = &inner.cfg.state_dir {
        store::save_state(dir, &lock(&inner.state)).map_err(|e| SandboxError::new(ErrorKind::State, e.to_string()))?;
    }
    inner.resume();
    let (tx, rx) = oneshot::channel::<()>();
    let app = router(inner.clone());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(SandboxHandle {
        inner,
        addr,
        shutdown: Some(tx),
        server: Some(server),
    })
}

/// A running sandbox. Dropping it stops the server (prefer [`SandboxHandle::shutdown`]).
pub struct SandboxHandle {
    inner: Arc<Inner>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

fn refusal_error(r: Refusal) -> SandboxError {
    match r {
        Refusal::NotFound(m) => SandboxError::new(ErrorKind::NotFound, m),
        Refusal::Conflict(m) | Refusal::BadRequest(m) => SandboxError::new(ErrorKind::Conflict, m),
        Refusal::Validation(v) => SandboxError::new(ErrorKind::Conflict, v.join("; ")),
    }
}

impl SandboxHandle {
    /// The socket address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (blob, QR and `/sandbox/` endpoints hang off it).
    pub fn origin(&self) -> String {
        self.inner.origin.clone()
    }

    /// The issuer API base URL: `http://127.0.0.1:PORT/api/v1/sign`.
    pub fn base_url(&self) -> String {
        format!("{}{API_PREFIX}", self.inner.origin)
    }

    /// When the state file was unreadable at start (bad JSON, truncated, empty, wrong schema): where
    /// it was kept aside (`state.json.corrupt-<timestamp>`). The sandbox then started empty, so the
    /// embedding app should tell the user that earlier demo requests are gone.
    pub fn recovered_from(&self) -> Option<&std::path::Path> {
        self.inner.recovered_from.as_deref()
    }

    /// The citizen signs the request (it must be in WAIT_FOR_SIGNATURE).
    pub async fn sign(&self, signature_request_id: &str) -> Result<(), SandboxError> {
        self.citizen().sign(signature_request_id).await
    }

    /// The signing fails for `reason` (REJECTED; it must be in WAIT_FOR_SIGNATURE).
    pub async fn reject(&self, signature_request_id: &str, reason: &str) -> Result<(), SandboxError> {
        self.citizen().reject(signature_request_id, reason).await
    }

    /// A cheap, cloneable handle on the simulated citizen (e.g. for an app's state, while the
    /// [`SandboxHandle`] itself keeps the server's lifetime).
    pub fn citizen(&self) -> Citizen {
        Citizen {
            inner: self.inner.clone(),
        }
    }

    /// Simulates an outage of the service: while `true` every API call answers 503 Service
    /// Unavailable (what the API gateway returns when the backend is down). Blob transfers are
    /// unaffected.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.inner
            .unavailable
            .store(unavailable, std::sync::atomic::Ordering::SeqCst);
    }

    /// Holds the next call of `operation` (an operationId of the spec, or
    /// [`hold::DOWNLOAD_SIGNED`]) at `at` until the returned [`hold::Hold`] is released or dropped: a crash
    /// test kills its client while the call is held.
    pub fn hold(&self, operation: &str, at: hold::HoldAt) -> hold::Hold {
        self.inner.holds.arm(operation, at)
    }

    /// Whether the outage simulation is on.
    pub fn is_unavailable(&self) -> bool {
        self.inner.unavailable.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Every API call so far, in order of completion.
    pub fn request_log(&self) -> Vec<LogEntry> {
        lock(&self.inner.log).clone()
    }

    /// Empties the request log.
    pub fn clear_request_log(&self) {
        lock(&self.inner.log).clear();
    }

    /// Number of signature requests stored (all issuers).
    pub fn signature_request_count(&self) -> usize {
        lock(&self.inner.state).requests.len()
    }

    /// Status (wire name) of a signature request, any issuer.
    pub fn signature_request_status(&self, signature_request_id: &str) -> Option<&'static str> {
        lock(&self.inner.state)
            .requests
            .get(signature_request_id)
            .map(|r| r.status.as_str())
    }

    /// Checks the PAdES signature of a signed PDF downloaded from this sandbox (same state dir
    /// or same run): byte range, digest, the ECDSA signature with the signer's certificate, and that
    /// certificate's issuance by the sandbox's test authority.
    pub fn verify_signature(&self, pdf: &[u8]) -> Result<(), SandboxError> {
        crate::pades::verify(pdf, &self.inner.qtsp).map_err(|m| SandboxError::new(ErrorKind::Conflict, m))
    }

    /// The root certificate of the sandbox's test authority (DER): the trust anchor of its signatures,
    /// e.g. to trust it in a viewer or a verifier. Stable for a state dir.
    pub fn test_root_certificate_der(&self) -> Vec<u8> {
        self.inner.qtsp.root_certificate_der().to_vec()
    }

    /// Number of dossiers stored (all issuers).
    pub fn dossier_count(&self) -> usize {
        lock(&self.inner.state).dossiers.len()
    }

    /// Number of IO messages sent.
    pub fn messages_sent(&self) -> u64 {
        lock(&self.inner.state).messages_sent
    }

    /// Stops accepting connections, cancels pending transitions and waits for the server to end.
    pub async fn shutdown(mut self) {
        self.stop();
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
        }
    }

    fn stop(&mut self) {
        for t in lock(&self.inner.tasks).drain(..) {
            t.abort();
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The simulated citizen of a running sandbox. Cloneable; acting after the sandbox was shut down
/// still changes its (then unreachable) state harmlessly.
#[derive(Clone)]
pub struct Citizen {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Citizen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Citizen").field("origin", &self.inner.origin).finish()
    }
}

impl Citizen {
    /// Signs the request (it must be in WAIT_FOR_SIGNATURE and not past `expires_at`).
    pub async fn sign(&self, signature_request_id: &str) -> Result<(), SandboxError> {
        self.inner
            .citizen_sign(signature_request_id)
            .await
            .map_err(refusal_error)
    }

    /// The signing fails for `reason` (REJECTED; it must be in WAIT_FOR_SIGNATURE).
    pub async fn reject(&self, signature_request_id: &str, reason: &str) -> Result<(), SandboxError> {
        self.inner
            .citizen_reject(signature_request_id, reason.to_string())
            .map_err(refusal_error)
    }

    /// Ids of the requests waiting for this citizen's signature (all issuers), oldest first.
    pub fn waiting_for_signature(&self) -> Vec<String> {
        lock(&self.inner.state)
            .requests
            .values()
            .filter(|r| r.status == RequestStatus::WaitForSignature)
            .map(|r| r.id.clone())
            .collect()
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
