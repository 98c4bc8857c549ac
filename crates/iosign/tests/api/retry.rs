//! Retry policy per operation, rate limiting of API calls, logs.

use crate::support::{api, base_url, client, policy, ManualClock, KEY};
use iosign::{
    ApiErrorKind, ApiKey, Client, CreateDossierBody, CreateSignatureRequestBody, DocumentMetadata, FiscalCode,
    RateLimiter, SetSignatureRequestStatusBody,
};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Mounts `first` for the first `n` calls and `then` afterwards.
async fn failing_then(
    server: &MockServer,
    route: &str,
    verb: &str,
    n: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(api(route)))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(api(route)))
        .respond_with(then)
        .mount(server)
        .await;
}

fn request_body() -> CreateSignatureRequestBody {
    CreateSignatureRequestBody {
        dossier_id: "01DOSSIER".into(),
        signer_id: "signer-1".into(),
        expires_at: None,
        documents_metadata: None,
    }
}

#[tokio::test]
async fn get_is_retried_on_5xx_with_exponential_backoff() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    failing_then(
        &server,
        "/signature-requests/01REQ",
        "GET",
        2,
        ResponseTemplate::new(503),
        ResponseTemplate::new(200).set_body_json(crate::support::request_json("01REQ")),
    )
    .await;

    let request = client.signature_requests().get("01REQ").await.unwrap();
    assert_eq!(request.id, "01REQ");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(clock.sleeps(), vec![ms(100), ms(200)]);
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(4)
        .mount(&server)
        .await;
    let err = client.dossiers().get("D").await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Server);
    assert_eq!(clock.sleeps(), vec![ms(100), ms(200), ms(400)]);
}

#[tokio::test]
async fn status_change_and_signer_lookup_honour_retry_after_on_429() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    failing_then(
        &server,
        "/signature-requests/01REQ/status",
        "PUT",
        1,
        ResponseTemplate::new(429).insert_header("x-rate-limit-retry-after", "3"),
        ResponseTemplate::new(204),
    )
    .await;
    failing_then(
        &server,
        "/signers",
        "POST",
        1,
        ResponseTemplate::new(502),
        ResponseTemplate::new(200).set_body_json(json!({"id": "signer-1"})),
    )
    .await;

    client
        .signature_requests()
        .set_status("01REQ", SetSignatureRequestStatusBody::Ready)
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(3)]);
    let cf = FiscalCode::parse("RSSMRA80A01H501U").unwrap();
    assert_eq!(client.signers().get_by_fiscal_code(&cf).await.unwrap().id, "signer-1");
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn create_signature_request_is_sent_once_on_500_and_flagged_outcome_unknown() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    Mock::given(method("POST"))
        .and(path(api("/signature-requests")))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"title": "Internal Server Error", "detail": "CosmosError", "status": 500})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.signature_requests().create(&request_body()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Server);
    assert!(err.outcome_unknown);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn create_dossier_and_send_notification_are_never_retried() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("POST"))
        .and(path(api("/dossiers")))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(api("/signature-requests/01REQ/notification")))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let dossier = CreateDossierBody {
        title: "Accordo".into(),
        support_email: None,
        documents_metadata: vec![DocumentMetadata {
            title: "Accordo".into(),
            signature_fields: vec![],
        }],
    };
    let err = client.dossiers().create(&dossier).await.unwrap_err();
    assert!(err.outcome_unknown && err.kind == ApiErrorKind::Server);
    let err = client
        .signature_requests()
        .send_notification("01REQ")
        .await
        .unwrap_err();
    assert!(err.outcome_unknown && err.kind == ApiErrorKind::Server);
}

#[tokio::test]
async fn a_refused_create_is_not_outcome_unknown() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-rate-limit-retry-after", "1"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.signature_requests().create(&request_body()).await.unwrap_err();
    assert!(matches!(err.kind, ApiErrorKind::RateLimited { .. }));
    assert!(!err.outcome_unknown, "APIM refused it before the backend");
}

#[tokio::test]
async fn create_timing_out_after_sending_is_outcome_unknown() {
    let server = MockServer::start().await;
    let client = Client::builder(base_url(&server), ApiKey::new(KEY))
        .retry_policy(policy())
        .timeout(ms(200))
        .build()
        .unwrap();
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(30)))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.signature_requests().create(&request_body()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network);
    assert!(err.outcome_unknown);
}

/// An address where nothing listens: bind, read the port, close.
fn dead_base_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/api/v1/sign")
}

#[tokio::test]
async fn connection_refused_is_retried_for_gets_and_known_not_sent_for_creates() {
    let clock = ManualClock::new();
    let client = Client::builder(dead_base_url(), ApiKey::new(KEY))
        .clock(clock.clone())
        .retry_policy(policy())
        .build()
        .unwrap();
    let err = client.dossiers().get("D").await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network);
    assert_eq!(clock.sleeps().len(), 3, "4 attempts");

    let err = client.signature_requests().create(&request_body()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network);
    assert!(!err.outcome_unknown, "the connection never opened, nothing was sent");
    assert_eq!(clock.sleeps().len(), 3, "creates are not retried");

    // Network errors keep no URL: a blob URL's query is its SAS token.
    let blob = dead_base_url().replace("/api/v1/sign", "/blob/x?sig=TOPSECRETSAS");
    let err = client
        .upload_document(&blob, b"%PDF".as_slice(), 4, |_, _| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network);
    assert!(!format!("{err:?} {err}").contains("TOPSECRETSAS"), "{err:?}");
}

#[tokio::test]
async fn every_api_call_takes_a_token_from_the_shared_limiter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(crate::support::dossier_json("D")))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let limiter = RateLimiter::with_clock(2, Duration::from_secs(5), clock.clone());
    let make = || {
        Client::builder(base_url(&server), ApiKey::new(KEY))
            .clock(clock.clone())
            .rate_limiter(limiter.clone())
            .build()
            .unwrap()
    };
    let (a, b) = (make(), make());
    a.dossiers().get("D").await.unwrap();
    b.dossiers().get("D").await.unwrap();
    assert!(clock.sleeps().is_empty());
    // The third call in the window waits for the first token to come back.
    a.dossiers().get("D").await.unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(5)]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_state_refusal_after_an_uncertain_attempt_is_flagged_outcome_unknown() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    failing_then(
        &server,
        "/signature-requests/01REQ/status",
        "PUT",
        1,
        ResponseTemplate::new(502),
        ResponseTemplate::new(400).set_body_json(json!({"title": "Bad Request", "status": 400,
            "detail": "MARK_AS_READY is not possible when the signature request is in READY status"})),
    )
    .await;
    let err = client
        .signature_requests()
        .set_status("01REQ", SetSignatureRequestStatusBody::Ready)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotAllowedInState);
    assert!(err.outcome_unknown, "the 502'd attempt may have published it");

    // Without an uncertain attempt before it, the refusal is just a refusal.
    let err = client
        .signature_requests()
        .set_status("01REQ", SetSignatureRequestStatusBody::Ready)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotAllowedInState);
    assert!(!err.outcome_unknown);
}

#[tokio::test]
async fn a_429_pauses_the_shared_limiter_for_everyone() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-rate-limit-retry-after", "4"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(crate::support::dossier_json("D")))
        .mount(&server)
        .await;
    let err = client.signature_requests().create(&request_body()).await.unwrap_err();
    assert!(matches!(err.kind, ApiErrorKind::RateLimited { .. }));
    assert!(clock.sleeps().is_empty(), "a create is not retried");
    // The next call, of any kind, waits for the window the service announced.
    client.dossiers().get("D").await.unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(4)]);
}
