//! Local emulator of the Firma con IO (IO Sign) issuer API, its blob storage and the citizen.
//!
//! The sandbox speaks the same contract as `https://api.io.pagopa.it/api/v1/sign`, including the
//! places where the live service bends its OpenAPI spec (422 instead of 400 for body validation,
//! 200 instead of 201 for `/signers` and `/notification`, problem+json bodies), runs the same
//! asynchronous state machines (document validation, READY → WAIT_FOR_SIGNATURE) with configurable
//! delays, emulates the Azure blob SAS URLs for upload and download, and simulates the citizen
//! (`/sandbox/...` endpoints or [`SandboxHandle::sign`]). It only ever listens on loopback.
//!
//! Because any web page the user opens can send requests to `127.0.0.1`, the server trusts nothing
//! about a request for being local: it answers only requests whose `Host` is this loopback address
//! (no DNS rebinding), checks the API key (`Ocp-Apim-Subscription-Key`, also on the `/sandbox/`
//! controls) before it reads a body, caps bodies while they stream in (1 MiB of JSON, documents up
//! to [`SandboxConfig::max_document_bytes`]), never sends CORS headers, and logs method, path,
//! status and latency only.
//!
//! Signed documents are the uploaded bytes plus an incremental update with a visible stamp on
//! every signature field and a real PAdES-LT signature by the sandbox test authority ([`pades`]).
//! `README.md` beside this crate lists the CLI flags and a curl walkthrough.
//!
//! # Example
//! ```no_run
//! use iosign_sandbox::{Sandbox, SandboxConfig};
//!
//! # async fn demo() -> Result<(), iosign_sandbox::SandboxError> {
//! let sandbox = Sandbox::start(SandboxConfig {
//!     api_keys: vec!["demo-key".into()],
//!     ..SandboxConfig::default()
//! })
//! .await?;
//! println!("issuer API at {}", sandbox.base_url());
//! // ... drive it with the `iosign` client, then let the citizen sign:
//! // sandbox.sign(&signature_request_id).await?;
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod clock;
mod model;
pub mod pades;
pub mod pdf;
pub mod qr;
mod ratelimit;
mod server;
mod store;
mod validate;
mod views;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use clock::{Clock, ManualClock, SystemClock};
pub use server::LogEntry;

/// How to run a sandbox.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; must be a loopback address. Port 0 picks a free port.
    pub listen: SocketAddr,
    /// Production API keys (each key is its own issuer).
    pub api_keys: Vec<String>,
    /// Test API keys: `POST /signers` accepts only [`SandboxConfig::testers`] (else 403).
    pub test_keys: Vec<String>,
    /// When set, every key (production and test) belongs to this one institution, i.e. one issuer
    /// that sees all their dossiers and requests, as the keys of one body do in the live service.
    /// Being a stable name, it keeps a state dir usable when the keys change between runs (e.g. a
    /// fresh random demo key per process). When `None`, each key is its own issuer.
    pub single_issuer: Option<String>,
    /// Fiscal codes registered as testers for the test keys.
    pub testers: Vec<String>,
    /// Fiscal codes of citizens without the IO app (`/signers` answers 404 "User profile not found!").
    pub not_on_io: Vec<String>,
    /// Fiscal codes of citizens who turned off the service's messages in IO:
    /// `PUT .../notification` answers 400 "It is not allowed to send a message to this user.".
    pub messages_blocked: Vec<String>,
    /// Time the service takes to validate an uploaded document.
    pub validation_delay: Duration,
    /// Time between READY and WAIT_FOR_SIGNATURE.
    pub publish_delay: Duration,
    /// When set, the citizen signs automatically this long after WAIT_FOR_SIGNATURE.
    pub auto_sign_after: Option<Duration>,
    /// Latency added to every API call.
    pub latency: Duration,
    /// Fraction (0..=1) of API calls that fail with 500 or 503; non-idempotent calls sometimes
    /// fail after the change was applied.
    pub fault_rate: f64,
    /// Seed of the fault injection (same seed, same sequence of faults).
    pub seed: u64,
    /// Rate limit per key: this many calls...
    pub rate_limit_calls: u32,
    /// ...per this window (APIM: 150 calls / 5 s).
    pub rate_limit_period: Duration,
    /// Persist state (JSON, atomic writes) and blobs here, across restarts.
    pub state_dir: Option<PathBuf>,
    /// Clock for timestamps and URL expiry (inject a [`ManualClock`] in tests).
    pub clock: Arc<dyn Clock>,
    /// Institution support email used when a dossier has none.
    pub support_email: String,
    /// Largest document accepted, in bytes: the blob upload and `POST /validate-document` (every
    /// other call carries JSON and is capped at 1 MiB). The live service documents no cap (Azure's
    /// Put Blob allows gigabytes); the default, 64 MiB, is twice what FirmaDesk itself imports, and
    /// the cap is enforced while the body streams in, so a larger body is never buffered.
    pub max_document_bytes: usize,
    /// Keep the JSON bodies of API calls in [`SandboxHandle::request_log`] (contract tests); the
    /// log always has method, path, operation and status. Off by default: bodies hold fiscal codes,
    /// which an embedded sandbox has no reason to keep.
    pub record_bodies: bool,
}

/// Default of [`SandboxConfig::max_document_bytes`].
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_keys: Vec::new(),
            test_keys: Vec::new(),
            single_issuer: None,
            testers: Vec::new(),
            not_on_io: Vec::new(),
            messages_blocked: Vec::new(),
            validation_delay: Duration::from_millis(500),
            publish_delay: Duration::from_millis(2000),
            auto_sign_after: None,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            seed: 0,
            rate_limit_calls: 150,
            rate_limit_period: Duration::from_secs(5),
            state_dir: None,
            clock: Arc::new(SystemClock),
            support_email: "firmaconio@comune.sandbox.example.it".to_string(),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            record_bodies: false,
        }
    }
}

impl std::fmt::Debug for SandboxConfig {
    // API keys are secrets even in a sandbox (they may be copies of real ones): never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("listen", &self.listen)
            .field("api_keys", &format_args!("<{} redacted>", self.api_keys.len()))
            .field("test_keys", &format_args!("<{} redacted>", self.test_keys.len()))
            .field("single_issuer", &self.single_issuer)
            .field("testers", &self.testers.len())
            .field("not_on_io", &self.not_on_io.len())
            .field("messages_blocked", &self.messages_blocked.len())
            .field("validation_delay", &self.validation_delay)
            .field("publish_delay", &self.publish_delay)
            .field("auto_sign_after", &self.auto_sign_after)
            .field("latency", &self.latency)
            .field("fault_rate", &self.fault_rate)
            .field("seed", &self.seed)
            .field("rate_limit_calls", &self.rate_limit_calls)
            .field("rate_limit_period", &self.rate_limit_period)
            .field("state_dir", &self.state_dir)
            .field("max_document_bytes", &self.max_document_bytes)
            .field("record_bodies", &self.record_bodies)
            .finish_non_exhaustive()
    }
}

/// What went wrong starting or driving a sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The listen address is not loopback.
    NonLoopback,
    /// Binding the socket failed.
    Bind,
    /// Reading or writing the state dir failed.
    State,
    /// The configuration is unusable (e.g. fault rate outside 0..=1).
    Config,
    /// No signature request with that id.
    NotFound,
    /// The citizen action is not possible in the request's current status.
    Conflict,
}

/// Error of the sandbox library.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SandboxError {
    kind: ErrorKind,
    message: String,
}

impl SandboxError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// Entry point.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Binds, loads the state dir (if any), reschedules pending transitions and starts serving.
    pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
        server::start(config).await
    }
}

pub use server::hold::{Hold, HoldAt, DOWNLOAD_SIGNED};
pub use server::{Citizen, SandboxHandle};

/// The root certificate (DER) of the test authority a sandbox keeping its state in `state_dir` signs with
/// (the same as [`SandboxHandle::test_root_certificate_der`] once it runs there), read without starting
/// it and without touching the state: `None` when no sandbox ran there or its state file is unreadable.
pub fn test_root_certificate_in(state_dir: &std::path::Path) -> Option<Vec<u8>> {
    let bytes = std::fs::read(state_dir.join(store::STATE_FILE)).ok()?;
    let state: model::State = serde_json::from_slice(&bytes).ok()?;
    Some(
        pades::TestQtsp::from_secret(state.secret.as_bytes())
            .root_certificate_der()
            .to_vec(),
    )
}
