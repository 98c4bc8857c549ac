//! Mapping of error responses to `ApiError`, and keeping secrets out of them.

use crate::support::{api, base_url, client, KEY};
use iosign::{ApiError, ApiErrorKind, ApiKey, Client, RetryPolicy};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// GET /dossiers/X answered with `response`, no retries.
async fn get_with(response: ResponseTemplate) -> ApiError {
    let server = MockServer::start().await;
    let client = Client::builder(base_url(&server), ApiKey::new(KEY))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    Mock::given(method("GET"))
        .and(path(api("/dossiers/X")))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    let err = client.dossiers().get("X").await.unwrap_err();
    let printed = format!("{err:?} {err}");
    assert!(!printed.contains(KEY), "key leaked: {printed}");
    err
}

fn problem(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

#[tokio::test]
async fn unauthorized_keeps_the_problem() {
    let err = get_with(problem(
        401,
        json!({"title": "Unauthorized", "status": 401,
               "detail": "You must provide a valid API key to access this resource."}),
    ))
    .await;
    assert_eq!(err.kind, ApiErrorKind::Unauthorized);
    assert_eq!(err.status, Some(401));
    assert_eq!(
        err.detail(),
        Some("You must provide a valid API key to access this resource.")
    );
    assert_eq!(err.body, None);
}

#[tokio::test]
async fn plain_text_forbidden_from_apim_keeps_the_raw_body() {
    let err = get_with(ResponseTemplate::new(403).set_body_string("Forbidden")).await;
    assert_eq!(err.kind, ApiErrorKind::Forbidden);
    assert_eq!(err.problem, None);
    assert_eq!(err.body.as_deref(), Some("Forbidden"));
}

#[tokio::test]
async fn not_found() {
    let err = get_with(problem(404, json!({"title": "Not Found", "status": 404}))).await;
    assert_eq!(err.kind, ApiErrorKind::NotFound);
    assert_eq!(err.detail(), Some("Not Found"));
}

#[tokio::test]
async fn unprocessable_with_violations_is_validation() {
    let err = get_with(problem(
        422,
        json!({"type": "/problem/validation-error", "title": "Validation Error",
               "detail": "Your request didn't validate", "status": 422,
               "violations": ["value [\"x\"] at [root.0.fiscal_code] is not a valid [FiscalCode]",
                              {"path": "title", "message": "too short"}]}),
    ))
    .await;
    assert_eq!(err.kind, ApiErrorKind::Validation);
    let violations = err.violations();
    assert_eq!(violations.len(), 2);
    assert!(violations[0].contains("FiscalCode"));
    assert!(violations[1].contains("too short"));
}

#[tokio::test]
async fn bad_request_with_a_validation_problem_is_validation_too() {
    let err = get_with(problem(
        400,
        json!({"type": "/problem/validation-error", "title": "Validation Error", "status": 400}),
    ))
    .await;
    assert_eq!(err.kind, ApiErrorKind::Validation);
}

#[tokio::test]
async fn bad_request_from_the_state_machine_is_not_allowed_in_state() {
    let err = get_with(problem(
        400,
        json!({"title": "Bad Request", "status": 400,
               "detail": "MARK_AS_READY is not possible when the signature request is in WAIT_FOR_SIGNATURE status"}),
    ))
    .await;
    assert_eq!(err.kind, ApiErrorKind::NotAllowedInState);
    assert_eq!(err.kind.code(), "not_allowed_in_state");
    assert!(err.detail().unwrap().starts_with("MARK_AS_READY"));
    assert!(err.to_string().contains("MARK_AS_READY"), "{err}");
}

#[tokio::test]
async fn too_many_requests_reads_the_apim_retry_header_or_retry_after() {
    let err = get_with(
        ResponseTemplate::new(429)
            .insert_header("x-rate-limit-retry-after", "2")
            .set_body_string("Rate limit is exceeded. Try again in 2 seconds."),
    )
    .await;
    assert_eq!(
        err.kind,
        ApiErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(2))
        }
    );
    assert!(err.body.unwrap().starts_with("Rate limit"));

    let err = get_with(ResponseTemplate::new(429).insert_header("Retry-After", "7")).await;
    assert_eq!(
        err.kind,
        ApiErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    let err = get_with(ResponseTemplate::new(429)).await;
    assert_eq!(err.kind, ApiErrorKind::RateLimited { retry_after: None });
}

#[tokio::test]
async fn server_error() {
    let err = get_with(problem(
        500,
        json!({"title": "Internal Server Error", "detail": "CosmosError", "status": 500}),
    ))
    .await;
    assert_eq!(err.kind, ApiErrorKind::Server);
    assert!(!err.outcome_unknown, "a GET has no outcome to doubt");
}

#[tokio::test]
async fn garbage_success_body_is_a_decode_error_with_the_body() {
    let err = get_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>")).await;
    assert_eq!(err.kind, ApiErrorKind::Decode);
    assert_eq!(err.status, Some(200));
    assert_eq!(err.body.as_deref(), Some("<html>maintenance</html>"));
}

#[tokio::test]
async fn undocumented_status_is_unexpected() {
    let err = get_with(ResponseTemplate::new(409)).await;
    assert_eq!(err.kind, ApiErrorKind::UnexpectedStatus);
    assert_eq!(err.body, None);
}

#[tokio::test]
async fn the_key_is_sent_but_never_printed() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    assert!(!format!("{client:?}").contains(KEY));
    assert!(!format!("{:?}", ApiKey::new(KEY)).contains(KEY));
    assert!(format!("{:?}", ApiKey::new(KEY)).contains("<redacted>"));
}

#[test]
fn an_unusable_key_or_url_fails_the_build_without_echoing_the_key() {
    let err = Client::new("http://127.0.0.1:1/api/v1/sign", ApiKey::new("bad\nkey-VALUE")).unwrap_err();
    assert!(!err.to_string().contains("VALUE"));
    assert!(matches!(err, iosign::BuildError::ApiKey));
    assert!(matches!(
        Client::new("http://127.0.0.1:1/x", ApiKey::new("   ")).unwrap_err(),
        iosign::BuildError::ApiKey
    ));
    assert!(matches!(
        Client::new("not a url", ApiKey::new("k")).unwrap_err(),
        iosign::BuildError::BaseUrl { .. }
    ));
    assert!(matches!(
        Client::new("mailto:someone@example.org", ApiKey::new("k")).unwrap_err(),
        iosign::BuildError::BaseUrl { .. }
    ));
    // The key would travel in clear: http only to loopback.
    assert!(matches!(
        Client::new("http://api.io.pagopa.it/api/v1/sign", ApiKey::new("k")).unwrap_err(),
        iosign::BuildError::BaseUrl { .. }
    ));
    for ok in [
        "http://localhost:8080/api/v1/sign",
        "http://[::1]:1/x",
        iosign::PRODUCTION_BASE_URL,
    ] {
        assert!(Client::new(ok, ApiKey::new("k")).is_ok(), "{ok}");
    }
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_key_stays_home() {
    let elsewhere = MockServer::start().await;
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/steal", elsewhere.uri())))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.dossiers().get("D").await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::UnexpectedStatus);
    assert_eq!(err.status, Some(302));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
