//! The [`Client`]: configuration, the request loop (rate limit, retry, error mapping, logs).

use crate::clock::{Clock, TokioClock};
use crate::error::{ApiError, ApiErrorKind};
use crate::handlers::{DossiersHandler, SignatureRequestsHandler, SignersHandler};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::secret::ApiKey;
use bytes::Bytes;
use reqwest::header::HeaderValue;
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;
use url::Url;

/// Header carrying the API key.
pub const API_KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";

/// Production base URL of the issuer API. Test keys use it too: "test" is a property of the key.
pub const PRODUCTION_BASE_URL: &str = "https://api.io.pagopa.it/api/v1/sign";

/// Why a [`Client`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse or cannot have a path.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The key is empty or has characters an HTTP header cannot carry (the value is not shown).
    #[error("the API key is empty or contains characters not allowed in an HTTP header")]
    ApiKey,
    /// reqwest could not build its client (TLS backend).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// Typed async client of the IO Sign issuer API. Cheap to clone (an `Arc` inside); clones share
/// the HTTP connection pool, the rate limiter and the configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    base: Url,
    key: HeaderValue,
    limiter: RateLimiter,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    timeout: Duration,
    pub(crate) download: crate::fetch::Limits,
    /// The service's `Date` of the last API response, with the instant it arrived (see
    /// [`Client::server_now`]).
    server_date: Mutex<Option<(OffsetDateTime, tokio::time::Instant)>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("api_key", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Builder of a [`Client`].
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    api_key: ApiKey,
    limiter: Option<RateLimiter>,
    retry: RetryPolicy,
    clock: Option<Arc<dyn Clock>>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    download: crate::fetch::Limits,
}

impl ClientBuilder {
    /// Shares a rate limiter (e.g. one per API key across clients). Default: a new
    /// 150-calls-per-5-s limiter on the builder's clock.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Sets the retry policy. Default: [`RetryPolicy::default`].
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the clock used for backoff sleeps (and by the default rate limiter).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Uses a preconfigured reqwest client (proxy, custom roots).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Timeout of one API call attempt (not of blob uploads and downloads, whose duration
    /// depends on the file size). Default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Total timeout and size cap of signed-document downloads. Default
    /// [`Limits::document`](crate::fetch::Limits::document) (the connect timeout of the HTTP
    /// client applies).
    pub fn download_limits(mut self, limits: crate::fetch::Limits) -> Self {
        self.download = limits;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut base = Url::parse(self.base_url.trim()).map_err(|e| BuildError::BaseUrl {
            url: self.base_url.clone(),
            reason: e.to_string(),
        })?;
        if base.cannot_be_a_base() || !matches!(base.scheme(), "http" | "https") {
            return Err(BuildError::BaseUrl {
                url: self.base_url,
                reason: "not an http(s) URL".into(),
            });
        }
        // The key travels in a header: plain http only to this machine (the sandbox).
        if !transport_allowed(&base) {
            return Err(BuildError::BaseUrl {
                url: self.base_url,
                reason: "plain http is allowed only to a loopback address".into(),
            });
        }
        base.set_query(None);
        base.set_fragment(None);
        let key = self.api_key.expose();
        if key.is_empty() {
            return Err(BuildError::ApiKey);
        }
        let mut key = HeaderValue::from_str(key).map_err(|_| BuildError::ApiKey)?;
        // Keeps hyper/reqwest from printing it in their own Debug output.
        key.set_sensitive(true);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!("firmadesk-iosign/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(10))
                .read_timeout(Duration::from_secs(60))
                // Neither APIM nor blob storage redirects; following one would hand the key
                // header to whatever host it points at.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(BuildError::Http)?,
        };
        let clock = self.clock.unwrap_or_else(|| Arc::new(TokioClock));
        let limiter = self.limiter.unwrap_or_else(|| {
            RateLimiter::with_clock(
                crate::rate_limit::DEFAULT_CALLS,
                crate::rate_limit::DEFAULT_PERIOD + crate::rate_limit::ARRIVAL_MARGIN,
                clock.clone(),
            )
        });
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                key,
                limiter,
                retry: self.retry,
                clock,
                timeout: self.timeout,
                download: self.download,
                server_date: Mutex::new(None),
            }),
        })
    }
}

/// Whether repeating a call after an unclear failure is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Retried per the policy.
    Safe,
    /// Never retried; a failure after sending sets `outcome_unknown`.
    Unsafe,
}

/// One logical operation, for the request loop.
pub(crate) struct Call<'a> {
    pub(crate) op: &'static str,
    pub(crate) method: Method,
    /// Path (no query: blob SAS tokens live there) for logs.
    pub(crate) log_path: &'a str,
    pub(crate) idempotency: Idempotency,
    /// An issuer API call: takes a rate-limit token and carries the API key. Blob storage
    /// calls do neither.
    pub(crate) api: bool,
}

/// A successful response, read in full or left to stream.
pub(crate) enum Received {
    Full { status: u16, body: Bytes },
    Streaming(Response),
}

impl Client {
    /// Starts building a client for `base_url` (e.g. [`PRODUCTION_BASE_URL`] or the sandbox's
    /// `http://127.0.0.1:PORT/api/v1/sign`).
    pub fn builder(base_url: impl Into<String>, api_key: ApiKey) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            api_key,
            limiter: None,
            retry: RetryPolicy::default(),
            clock: None,
            http: None,
            timeout: Duration::from_secs(30),
            download: crate::fetch::Limits::document(),
        }
    }

    /// A client with the default configuration.
    pub fn new(base_url: impl Into<String>, api_key: ApiKey) -> Result<Self, BuildError> {
        Self::builder(base_url, api_key).build()
    }

    /// Dossiers: create, get, list their signature requests.
    pub fn dossiers(&self) -> DossiersHandler {
        DossiersHandler::new(self.clone())
    }

    /// Signers: resolve a fiscal code to a signer id.
    pub fn signers(&self) -> SignersHandler {
        SignersHandler::new(self.clone())
    }

    /// Signature requests: create, get, publish/cancel, upload URLs, IO message.
    pub fn signature_requests(&self) -> SignatureRequestsHandler {
        SignatureRequestsHandler::new(self.clone())
    }

    /// The limiter every API call of this client goes through.
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.inner.limiter
    }

    /// The service's current time, estimated from the `Date` header of the last API response
    /// plus the (monotonic) time since it arrived; `None` before any response. Independent of
    /// this machine's wall clock, so a desk whose clock is wrong can still compare with IO's
    /// timestamps (`created_at`). Resolution one second; it may lag (never lead) when the
    /// machine slept, since the monotonic clock does not count suspend on every OS.
    pub fn server_now(&self) -> Option<OffsetDateTime> {
        let seen = *self
            .inner
            .server_date
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.map(|(date, at)| date + self.inner.clock.now().saturating_duration_since(at))
    }

    fn note_server_date(&self, headers: &reqwest::header::HeaderMap) {
        if let Some(date) = headers
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
        {
            *self
                .inner
                .server_date
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((date, self.inner.clock.now()));
        }
    }

    /// The base URL, normalised.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// `base` + percent-encoded `segments`.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .expect("checked in build: can be a base")
            .pop_if_empty()
            .extend(segments);
        url
    }

    /// Runs `call`, rebuilding the request with `build` on every attempt.
    pub(crate) async fn execute(
        &self,
        call: &Call<'_>,
        stream: bool,
        build: &(dyn Fn() -> RequestBuilder + Send + Sync),
    ) -> Result<Received, ApiError> {
        let inner = &*self.inner;
        let unsafe_call = call.idempotency == Idempotency::Unsafe;
        let mut attempt: u32 = 1;
        // Whether an earlier attempt may have reached the backend and done its work.
        let mut maybe_applied = false;
        loop {
            let mut request = build();
            if call.api {
                inner.limiter.acquire().await;
                request = request.header(API_KEY_HEADER, inner.key.clone());
            }
            let started = inner.clock.now();
            // Whether this attempt may have reached the backend although it failed.
            let mut uncertain = false;
            let sent = request.send().await;
            if call.api {
                if let Ok(resp) = &sent {
                    self.note_server_date(resp.headers());
                }
            }
            let outcome = match sent {
                Err(e) => {
                    // A connection that never opened carried nothing: the outcome is known.
                    uncertain = !e.is_connect();
                    let mut err = ApiError::network(call.op, e);
                    err.outcome_unknown = unsafe_call && uncertain;
                    Err(err)
                }
                Ok(resp) if resp.status().is_success() => {
                    let status = resp.status().as_u16();
                    if stream {
                        Ok(Received::Streaming(resp))
                    } else {
                        match resp.bytes().await {
                            Ok(body) => Ok(Received::Full { status, body }),
                            Err(e) => {
                                uncertain = true;
                                let mut err = ApiError::network(call.op, e);
                                err.status = Some(status);
                                err.outcome_unknown = unsafe_call;
                                Err(err)
                            }
                        }
                    }
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    let body = resp.bytes().await.unwrap_or_default();
                    let mut err = ApiError::from_response(call.op, status, &headers, &body);
                    // A 5xx may come after the backend did the work (or from a gateway that
                    // timed out waiting for it).
                    uncertain = err.kind == ApiErrorKind::Server;
                    err.outcome_unknown = unsafe_call && uncertain;
                    Err(err)
                }
            };
            let elapsed_ms = inner.clock.now().saturating_duration_since(started).as_millis() as u64;
            match outcome {
                Ok(received) => {
                    let status = match &received {
                        Received::Full { status, .. } => *status,
                        Received::Streaming(r) => r.status().as_u16(),
                    };
                    tracing::debug!(
                        target: "iosign",
                        op = call.op, method = %call.method, path = call.log_path,
                        status, elapsed_ms, attempt,
                        "request completed"
                    );
                    return Ok(received);
                }
                Err(mut err) => {
                    let retry_in = match call.idempotency {
                        Idempotency::Safe => inner.retry.delay_after(attempt, &err),
                        Idempotency::Unsafe => None,
                    };
                    tracing::warn!(
                        target: "iosign",
                        op = call.op, method = %call.method, path = call.log_path,
                        status = err.status, kind = %err.kind, elapsed_ms, attempt,
                        outcome_unknown = err.outcome_unknown,
                        retry_in_ms = retry_in.map(|d| d.as_millis() as u64),
                        "request failed"
                    );
                    if call.api {
                        if let ApiErrorKind::RateLimited {
                            retry_after: Some(wait),
                        } = err.kind
                        {
                            // Someone else spends this key's budget too (another desk with the
                            // same key): hold every caller of this limiter, not just this one.
                            inner.limiter.pause_for(wait);
                        }
                    }
                    match retry_in {
                        Some(delay) => {
                            maybe_applied |= uncertain;
                            inner.clock.sleep(delay).await;
                            attempt += 1;
                        }
                        None => {
                            if maybe_applied
                                && matches!(err.kind, ApiErrorKind::NotAllowedInState | ApiErrorKind::Validation)
                            {
                                err.outcome_unknown = true;
                            }
                            return Err(err);
                        }
                    }
                }
            }
        }
    }

    /// An API call whose success body is JSON `T`.
    pub(crate) async fn api_json<T: DeserializeOwned>(
        &self,
        op: &'static str,
        method: Method,
        idempotency: Idempotency,
        url: Url,
        build: &(dyn Fn(RequestBuilder) -> RequestBuilder + Send + Sync),
    ) -> Result<T, ApiError> {
        let body = self.api_bytes(op, method, idempotency, url, build).await?;
        let (status, body) = body;
        serde_json::from_slice(&body).map_err(|e| {
            let mut err = ApiError::decode(op, status, &body, e);
            // Created, but we cannot tell what: the caller must reconcile.
            err.outcome_unknown = idempotency == Idempotency::Unsafe;
            err
        })
    }

    /// The per-attempt timeout of API calls.
    pub(crate) fn api_timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// An API call whose success body is ignored or decoded by the caller.
    pub(crate) async fn api_bytes(
        &self,
        op: &'static str,
        method: Method,
        idempotency: Idempotency,
        url: Url,
        build: &(dyn Fn(RequestBuilder) -> RequestBuilder + Send + Sync),
    ) -> Result<(u16, Bytes), ApiError> {
        let log_path = url.path().to_owned();
        let call = Call {
            op,
            method: method.clone(),
            log_path: &log_path,
            idempotency,
            api: true,
        };
        let http = &self.inner.http;
        // The default timeout goes first so that `build` can lengthen it (large uploads).
        let make = || build(http.request(method.clone(), url.clone()).timeout(self.inner.timeout));
        match self.execute(&call, false, &make).await? {
            Received::Full { status, body } => Ok((status, body)),
            Received::Streaming(_) => unreachable!("execute called with stream = false"),
        }
    }
}

/// Whether `url` may carry secrets: https anywhere, plain http only to loopback (the
/// sandbox). Applies to the API key and to blob URLs, whose query is a SAS token.
pub(crate) fn transport_allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        },
        _ => false,
    }
}

/// Parses an HTTP `Date` (IMF-fixdate, RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_http_date(value: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(value.trim(), format)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// `host/path` of a URL, for logs: the query of a blob URL is its SAS token.
pub(crate) fn redacted_location(url: &Url) -> String {
    format!("{}{}", url.host_str().unwrap_or(""), url.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse_as_utc() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(time::macros::datetime!(1994-11-06 08:49:37 UTC))
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }
}
