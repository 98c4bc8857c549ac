//! Request logs: present, and free of the key, fiscal codes and SAS tokens.
//!
//! A binary of its own with a global subscriber: tracing caches per-callsite interest, and a
//! thread-scoped subscriber racing other tests' threads would make this test flaky.

use iosign::{ApiKey, Client, FiscalCode};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const KEY: &str = "test-key-5f0c2b7e9a1d4c3b";

#[tokio::test]
async fn logs_name_the_call_and_never_show_secrets_or_personal_data() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = MockServer::start().await;
    let client = Client::builder(format!("{}/api/v1/sign", server.uri()), ApiKey::new(KEY))
        .retry_policy(
            iosign::RetryPolicy::default()
                .with_jitter(false)
                .with_backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    Mock::given(method("POST"))
        .and(path("/api/v1/sign/signers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "signer-1"})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;

    let cf = FiscalCode::parse("RSSMRA80A01H501U").unwrap();
    client.signers().get_by_fiscal_code(&cf).await.unwrap();
    let blob = format!("{}/uploaded-documents/01UP?sv=2024&sig=TOPSECRETSAS", server.uri());
    client
        .upload_document(&blob, b"%PDF-1.7".as_slice(), 8, |_, _| {})
        .await
        .unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("getSignerByFiscalCode") && logs.contains("/api/v1/sign/signers"));
    assert!(
        logs.contains("uploadDocument") && logs.contains("request failed"),
        "{logs}"
    );
    assert!(logs.contains("/uploaded-documents/01UP"));
    for secret in [KEY, "RSSMRA80A01H501U", "TOPSECRETSAS"] {
        assert!(!logs.contains(secret), "{secret} in logs:\n{logs}");
    }
}
