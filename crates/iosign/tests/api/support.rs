//! Shared helpers: a manual clock, a client pointed at a mock server, multipart parsing.

use iosign::{ApiKey, Client, Clock, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use wiremock::MockServer;

/// A made-up key; tests assert it never leaks.
pub const KEY: &str = "test-key-5f0c2b7e9a1d4c3b";

/// A clock whose sleeps return at once and move its time forward, recording each delay.
pub struct ManualClock {
    start: Instant,
    elapsed: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
}

impl ManualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            elapsed: Mutex::new(Duration::ZERO),
            sleeps: Mutex::new(Vec::new()),
        })
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.elapsed.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> iosign::clock::Sleep {
        *self.elapsed.lock().unwrap() += duration;
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// Deterministic policy: 4 attempts, 100 ms doubling, no jitter.
pub fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(1))
        .with_jitter(false)
}

pub fn base_url(server: &MockServer) -> String {
    format!("{}/api/v1/sign", server.uri())
}

/// A client for `server` on a manual clock.
pub fn client(server: &MockServer) -> (Client, Arc<ManualClock>) {
    let clock = ManualClock::new();
    let client = Client::builder(base_url(server), ApiKey::new(KEY))
        .clock(clock.clone())
        .retry_policy(policy())
        .build()
        .unwrap();
    (client, clock)
}

/// Path under the API base.
pub fn api(p: &str) -> String {
    format!("/api/v1/sign{p}")
}

/// One part of a multipart body: its headers (lowercased names) and content.
pub struct Part {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Part {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Splits a `multipart/form-data` body (RFC 7578) into its parts.
pub fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .expect("boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut chunks = split(body, &delimiter).into_iter().skip(1);
    for chunk in chunks.by_ref() {
        if chunk.starts_with(b"--") {
            break; // closing delimiter
        }
        let chunk = chunk.strip_prefix(b"\r\n").expect("CRLF after boundary");
        let chunk = chunk.strip_suffix(b"\r\n").expect("CRLF before boundary");
        let split_at = chunk
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("blank line after part headers");
        let headers = std::str::from_utf8(&chunk[..split_at])
            .unwrap()
            .split("\r\n")
            .map(|line| {
                let (n, v) = line.split_once(':').expect("header line");
                (n.trim().to_ascii_lowercase(), v.trim().to_owned())
            })
            .collect();
        parts.push(Part {
            headers,
            body: chunk[split_at + 4..].to_vec(),
        });
    }
    parts
}

fn split<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = haystack;
    while let Some(i) = rest.windows(needle.len()).position(|w| w == needle) {
        out.push(&rest[..i]);
        rest = &rest[i + needle.len()..];
    }
    out.push(rest);
    out
}

/// JSON of a dossier as the service returns it.
pub fn dossier_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "title": "Accordo di collaborazione",
        "support_email": "protocollo@comune.example.it",
        "documents_metadata": [{"title": "Accordo", "signature_fields": []}],
        "created_at": "2026-11-01T10:00:00.000Z",
        "updated_at": "2026-11-01T10:00:00.000Z"
    })
}

/// JSON of a signature request in DRAFT with one document to upload.
pub fn request_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "status": "DRAFT",
        "dossier_id": "01DOSSIER",
        "signer_id": "8f1e2d3c-0000-4000-8000-000000000001",
        "expires_at": "2027-02-01T10:00:00.000Z",
        "documents": [{
            "id": "01DOC",
            "status": "WAIT_FOR_UPLOAD",
            "metadata": {"title": "Accordo", "signature_fields": []},
            "created_at": "2026-11-01T10:00:00.000Z",
            "updated_at": "2026-11-01T10:00:00.000Z"
        }],
        "created_at": "2026-11-01T10:00:00.000Z",
        "updated_at": "2026-11-01T10:00:00.000Z"
    })
}

pub fn list_item_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "signer_id": "8f1e2d3c-0000-4000-8000-000000000001",
        "dossier_id": "01DOSSIER",
        "status": "WAIT_FOR_SIGNATURE",
        "created_at": "2026-11-01T10:00:00.000Z",
        "updated_at": "2026-11-01T10:00:00.000Z",
        "expires_at": "2027-02-01T10:00:00.000Z"
    })
}
