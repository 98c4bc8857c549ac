//! Errors of the client, with the service's problem document kept as data.

use crate::types::ProblemDetail;
use std::fmt;
use std::time::Duration;

/// What went wrong, coarsely, so callers can decide without parsing messages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 401: unknown or revoked API key.
    Unauthorized,
    /// 403: caller IP not in the key's allow-list, test key with a fiscal code not among the
    /// testers, or an expired/invalid blob SAS URL.
    Forbidden,
    /// 404: unknown id (or an id of another issuer), citizen not on IO for `/signers`.
    NotFound,
    /// 422, or 400 with a validation problem: the request body or parameters were refused.
    Validation,
    /// 400 that is not a validation problem: the state machine forbids the action (e.g.
    /// "MARK_AS_READY is not possible..."), an invalid expiry date, a citizen who cannot be
    /// messaged. `problem.detail` says which.
    NotAllowedInState,
    /// 429: over the 150 calls / 5 s budget (or IO's own limit).
    RateLimited {
        /// How long the service asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// 5xx.
    Server,
    /// Another HTTP status the API does not document.
    UnexpectedStatus,
    /// The request did not complete (connection, TLS, timeout, body stream).
    Network,
    /// A success response whose body is not what the spec says.
    Decode,
    /// Writing a download to its destination failed (a local disk problem, not the service).
    Io,
    /// Refused before sending: the arguments are invalid (e.g. a page limit outside 25..=100).
    InvalidRequest,
    /// A download was larger than the client's cap (see `ClientBuilder::download_limits`).
    TooLarge,
}

impl ApiErrorKind {
    /// A stable machine-readable code (snake_case) for the UI's `{code, message}`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Validation => "validation",
            Self::NotAllowedInState => "not_allowed_in_state",
            Self::RateLimited { .. } => "rate_limited",
            Self::Server => "server",
            Self::UnexpectedStatus => "unexpected_status",
            Self::Network => "network",
            Self::Decode => "decode",
            Self::Io => "io",
            Self::InvalidRequest => "invalid_request",
            Self::TooLarge => "too_large",
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthorized => f.write_str("unauthorized"),
            Self::Forbidden => f.write_str("forbidden"),
            Self::NotFound => f.write_str("not found"),
            Self::Validation => f.write_str("validation error"),
            Self::NotAllowedInState => f.write_str("action not allowed"),
            Self::RateLimited { retry_after: Some(d) } => {
                write!(f, "rate limited (retry after {} ms)", d.as_millis())
            }
            Self::RateLimited { retry_after: None } => f.write_str("rate limited"),
            Self::Server => f.write_str("server error"),
            Self::UnexpectedStatus => f.write_str("unexpected status"),
            Self::Network => f.write_str("network error"),
            Self::Decode => f.write_str("unexpected response body"),
            Self::InvalidRequest => f.write_str("invalid request"),
            Self::Io => f.write_str("local I/O error"),
            Self::TooLarge => f.write_str("download larger than allowed"),
        }
    }
}

/// An error of one API operation.
///
/// Never contains the API key or a blob URL's SAS token: network errors are stripped of their
/// URL. `body` and `problem` hold what the service sent, which may echo request data, so log
/// `kind` and `status`, not the whole error.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// Classification.
    pub kind: ApiErrorKind,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The problem document, when the body was `ProblemDetail`-shaped JSON.
    pub problem: Option<ProblemDetail>,
    /// The raw body when it was not a problem document (APIM's plain 401/403/429, a decode
    /// failure), truncated to a few KiB.
    pub body: Option<String>,
    /// True when the operation may have taken effect although it failed, so the caller must
    /// reconcile (re-read the request, list the dossier's requests) instead of repeating it:
    /// - a non-idempotent call (create, send notification) got a 5xx, timed out or lost the
    ///   connection after sending, or its success body was unreadable;
    /// - a retried call (e.g. `set_status`) ended with a state or validation refusal after an
    ///   earlier attempt failed in one of those ways: the refusal may be the earlier attempt's
    ///   own effect ("already READY").
    pub outcome_unknown: bool,
    /// The operation (`getDossier`, `uploadDocument`, ...), for logs.
    pub operation: &'static str,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Most raw body we keep in an error: enough for any APIM/problem message, not a whole page.
const MAX_BODY: usize = 4096;

impl ApiError {
    /// An error of `kind` with nothing else known; for fakes of the client in other crates'
    /// tests (the client itself fills the other fields).
    pub fn new(operation: &'static str, kind: ApiErrorKind) -> Self {
        Self {
            kind,
            status: None,
            problem: None,
            body: None,
            outcome_unknown: false,
            operation,
            source: None,
        }
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the problem document.
    pub fn with_problem(mut self, problem: ProblemDetail) -> Self {
        self.problem = Some(problem);
        self
    }

    /// Sets [`outcome_unknown`](Self::outcome_unknown).
    pub fn with_outcome_unknown(mut self, unknown: bool) -> Self {
        self.outcome_unknown = unknown;
        self
    }

    /// Sets the underlying cause.
    pub fn with_source(mut self, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn network(operation: &'static str, err: reqwest::Error) -> Self {
        // The URL may carry a SAS token (blob upload/download): never keep it.
        // A body that stalls past the timeout surfaces as a decode error: it is the network.
        let kind = if err.is_decode() && !err.is_timeout() {
            ApiErrorKind::Decode
        } else {
            ApiErrorKind::Network
        };
        Self::new(operation, kind).with_source(err.without_url())
    }

    pub(crate) fn decode(
        operation: &'static str,
        status: u16,
        body: &[u8],
        err: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let mut e = Self::new(operation, ApiErrorKind::Decode).with_source(err);
        e.status = Some(status);
        e.body = Some(truncated(body));
        e
    }

    /// Classifies a non-success response from its status, headers and body.
    pub(crate) fn from_response(
        operation: &'static str,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Self {
        let problem = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .filter(serde_json::Value::is_object)
            .and_then(|v| serde_json::from_value::<ProblemDetail>(v).ok());
        let kind = match status {
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 => ApiErrorKind::NotFound,
            422 => ApiErrorKind::Validation,
            // The service answers 400 both for schema failures (where the spec says so) and for
            // state-machine refusals; only the problem tells them apart.
            400 if problem.as_ref().is_some_and(is_validation_problem) => ApiErrorKind::Validation,
            400 => ApiErrorKind::NotAllowedInState,
            429 => ApiErrorKind::RateLimited {
                retry_after: retry_after(headers),
            },
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::UnexpectedStatus,
        };
        let mut e = Self::new(operation, kind);
        e.status = Some(status);
        if problem.is_none() && !body.is_empty() {
            e.body = Some(truncated(body));
        }
        e.problem = problem;
        e
    }

    /// The most specific human-readable message the service gave, if any.
    pub fn detail(&self) -> Option<&str> {
        let p = self.problem.as_ref()?;
        p.detail.as_deref().or(p.title.as_deref())
    }

    /// The violations of a validation problem, as strings (objects are rendered as JSON).
    pub fn violations(&self) -> Vec<String> {
        self.problem
            .as_ref()
            .and_then(|p| p.violations.as_ref())
            .map(|v| {
                v.iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether a retry of an idempotent call could succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            ApiErrorKind::RateLimited { .. } | ApiErrorKind::Server | ApiErrorKind::Network
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.kind)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(detail) = self.detail() {
            write!(f, ": {detail}")?;
        }
        if self.outcome_unknown {
            f.write_str(" [outcome unknown]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

fn is_validation_problem(p: &ProblemDetail) -> bool {
    p.violations.is_some()
        || p.type_.as_deref().is_some_and(|t| t.contains("validation"))
        || p.title.as_deref() == Some("Validation Error")
}

/// `x-rate-limit-retry-after` (APIM) or `Retry-After`, in (possibly fractional) seconds.
/// An HTTP-date `Retry-After` is ignored: APIM never sends one and the backoff covers it.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    ["x-rate-limit-retry-after", "retry-after"]
        .iter()
        .filter_map(|h| headers.get(*h)?.to_str().ok()?.trim().parse::<f64>().ok())
        .find_map(|s| Duration::try_from_secs_f64(s).ok())
}

fn truncated(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(MAX_BODY)]);
    s.into_owned()
}
