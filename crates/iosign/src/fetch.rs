//! Bounded HTTP fetches for everything that is not an issuer API call: the QR code image, and
//! any other URL the service hands out.
//!
//! Every fetch has a connect timeout, a total timeout (connect, headers and the whole body), a
//! size cap enforced while the body streams in (a `Content-Length` over the cap is refused
//! before reading), https only outside loopback (`127.0.0.0/8`, `::1`, `localhost`: the
//! sandbox), and follows no redirect to another origin. Nothing here writes to disk: callers that
//! keep a download (the engine's archive) write it themselves, never over another file.
//!
//! ```no_run
//! # async fn run() -> Result<(), iosign::fetch::FetchError> {
//! use iosign::fetch::{bounded_get, Limits};
//! let png = bounded_get("https://example.invalid/qr.png", &Limits::small_image()).await?;
//! # let _ = png; Ok(()) }
//! ```

use crate::client::transport_allowed;
use futures::StreamExt;
use std::time::Duration;
use url::Url;

/// Bounds of one fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time to open the connection (TCP + TLS).
    pub connect_timeout: Duration,
    /// Time for the whole exchange, body included.
    pub total_timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
}

impl Limits {
    /// For a QR code PNG: 10 s to connect, 30 s in all, at most 2 MiB (IO's are a few KiB).
    pub fn small_image() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_bytes: 2 * 1024 * 1024,
        }
    }

    /// For a signed document: 10 s to connect, 10 minutes in all, at most 64 MiB. IO states no file-size
    /// limit, but FirmaDesk uploads at most 30 MiB (`firmadesk_pdf::Limits`) and a signature adds a few
    /// hundred KiB; the signed copy is checked in memory (it must parse) before it is archived, so the cap
    /// is also the memory one download may take.
    pub fn document() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(600),
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::small_image()
    }
}

/// Why a bounded fetch failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchErrorKind {
    /// Not a URL, not http(s), or plain http to a host that is not loopback: refused before
    /// any connection.
    NotAllowed,
    /// The server redirected to another origin (or too many times).
    Redirect,
    /// The body is larger than [`Limits::max_bytes`].
    TooLarge,
    /// The connect or total timeout passed.
    Timeout,
    /// The server answered with a non-success status.
    Status,
    /// The connection failed or broke.
    Network,
    /// Writing the download to disk failed.
    Io,
}

/// A failed bounded fetch. Never holds the URL (its query may be a SAS token).
#[derive(Debug, thiserror::Error)]
#[error("bounded fetch failed ({kind:?}): {detail}")]
pub struct FetchError {
    /// Classification.
    pub kind: FetchErrorKind,
    /// HTTP status, when one arrived.
    pub status: Option<u16>,
    /// English detail for logs.
    pub detail: String,
}

impl FetchError {
    fn new(kind: FetchErrorKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            detail: detail.into(),
        }
    }

    fn from_reqwest(err: reqwest::Error) -> Self {
        let kind = if err.is_timeout() {
            FetchErrorKind::Timeout
        } else if err.is_redirect() {
            FetchErrorKind::Redirect
        } else {
            FetchErrorKind::Network
        };
        Self::new(kind, err.without_url().to_string())
    }
}

/// Parses `url` and checks the transport rule (https, or http to loopback only).
pub fn check_url(url: &str) -> Result<Url, FetchError> {
    let parsed =
        Url::parse(url).map_err(|e| FetchError::new(FetchErrorKind::NotAllowed, format!("invalid URL: {e}")))?;
    if !transport_allowed(&parsed) {
        return Err(FetchError::new(
            FetchErrorKind::NotAllowed,
            "only https (plain http only to a loopback address) is allowed",
        ));
    }
    Ok(parsed)
}

/// The client of one fetch: its timeouts, and redirects only within the same origin (at most 3).
fn http_client(limits: &Limits) -> Result<reqwest::Client, FetchError> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= 3 && transport_allowed(attempt.url()) {
            attempt.follow()
        } else {
            attempt.error("redirect to another origin refused")
        }
    });
    reqwest::Client::builder()
        .user_agent(concat!("firmadesk-iosign/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(limits.connect_timeout)
        .timeout(limits.total_timeout)
        .redirect(policy)
        .build()
        .map_err(|e| FetchError::new(FetchErrorKind::Network, e.to_string()))
}

/// Sends the GET and checks status and declared length; the body is left to stream.
async fn start(url: &str, limits: &Limits) -> Result<reqwest::Response, FetchError> {
    let url = check_url(url)?;
    let response = http_client(limits)?
        .get(url)
        .send()
        .await
        .map_err(FetchError::from_reqwest)?;
    let status = response.status();
    if status.is_redirection() {
        let mut e = FetchError::new(FetchErrorKind::Redirect, "redirect refused");
        e.status = Some(status.as_u16());
        return Err(e);
    }
    if !status.is_success() {
        let mut e = FetchError::new(FetchErrorKind::Status, format!("HTTP {}", status.as_u16()));
        e.status = Some(status.as_u16());
        return Err(e);
    }
    if response.content_length().is_some_and(|n| n > limits.max_bytes) {
        return Err(too_large(limits));
    }
    Ok(response)
}

fn too_large(limits: &Limits) -> FetchError {
    FetchError::new(
        FetchErrorKind::TooLarge,
        format!("body larger than the {} bytes allowed", limits.max_bytes),
    )
}

/// The body of a response, chunk by chunk, failing as soon as it passes the cap.
struct CappedBody {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    total: u64,
    limits: Limits,
}

impl CappedBody {
    fn new(response: reqwest::Response, limits: &Limits) -> Self {
        Self {
            body: response.bytes_stream().boxed(),
            total: 0,
            limits: *limits,
        }
    }

    async fn next(&mut self) -> Result<Option<bytes::Bytes>, FetchError> {
        let Some(chunk) = self.body.next().await else {
            return Ok(None);
        };
        let chunk = chunk.map_err(FetchError::from_reqwest)?;
        self.total += chunk.len() as u64;
        if self.total > self.limits.max_bytes {
            return Err(too_large(&self.limits));
        }
        Ok(Some(chunk))
    }
}

/// GETs `url` into memory within `limits` (see the module docs).
pub async fn bounded_get(url: &str, limits: &Limits) -> Result<Vec<u8>, FetchError> {
    let work = async {
        let mut body = CappedBody::new(start(url, limits).await?, limits);
        let mut out = Vec::new();
        while let Some(chunk) = body.next().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    };
    // reqwest's timeout covers the body too; this one also covers everything around it.
    tokio::time::timeout(limits.total_timeout, work)
        .await
        .unwrap_or_else(|_| Err(FetchError::new(FetchErrorKind::Timeout, "total timeout")))
}
