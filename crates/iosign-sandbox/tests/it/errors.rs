//! Every error path of the API, with the status codes and messages of the live service.

use std::time::Duration;

use serde_json::json;

use crate::common::*;
use crate::contract::{check_responses, Spec};

fn assert_problem(r: &Reply, status: u16, detail: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(r.json()["detail"], detail, "{}", r.text);
    assert_eq!(r.json()["status"], status);
}

fn assert_validation_error(r: &Reply) {
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.content_type(), "application/problem+json");
    let v = r.json();
    assert_eq!(v["title"], "Validation Error");
    assert_eq!(v["detail"], "Your request didn't validate");
    assert_eq!(v["type"], "/problem/validation-error");
    assert!(v["violations"].as_array().is_some_and(|a| !a.is_empty()), "{v}");
}

#[tokio::test]
async fn unknown_or_missing_key_is_401_and_info_needs_none() {
    let sb = start(config()).await;
    for key in [None, Some("not-a-key")] {
        let r = Raw::new(&sb, key).get("/dossiers/01ARZ3NDEKTSV4RRFFQ69G5FAV").await;
        assert_problem(&r, 401, "You must provide a valid API key to access this resource.");
    }
    assert_eq!(Raw::new(&sb, None).get("/info").await.status, 200);
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn ids_of_other_issuers_and_unknown_ids_are_404() {
    let sb = start(config()).await;
    let mine = Raw::new(&sb, Some(KEY));
    let theirs = Raw::new(&sb, Some(OTHER_KEY));
    let dossier = mine.dossier(json!([])).await;
    let signer = mine.signer(CF).await;
    let (id, doc) = mine.request(&dossier, &signer).await;

    assert_eq!(theirs.get(&format!("/dossiers/{dossier}")).await.status, 404);
    assert_eq!(theirs.get(&format!("/signature-requests/{id}")).await.status, 404);
    assert_eq!(
        theirs
            .get(&format!("/dossiers/{dossier}/signature-requests"))
            .await
            .status,
        404
    );
    assert_eq!(
        theirs
            .get(&format!("/signature-requests/{id}/documents/{doc}/upload_url"))
            .await
            .status,
        404
    );
    assert_eq!(
        theirs
            .put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
            .await
            .status,
        404
    );
    let r = theirs
        .post(
            "/signature-requests",
            &json!({"dossier_id": dossier, "signer_id": signer}),
        )
        .await;
    assert_eq!(r.status, 404, "a dossier of another issuer cannot be used");

    let r = mine.get("/dossiers/01ARZ3NDEKTSV4RRFFQ69G5FAV").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["title"], "Not Found");
    assert_eq!(
        r.json()["detail"],
        "The specified Dossier does not exists.",
        "the service's wording"
    );
    let r = theirs.get(&format!("/signature-requests/{id}")).await;
    assert_eq!(r.json()["detail"], "The specified Signature Request does not exists.");
    assert_eq!(
        mine.get("/signature-requests/01ARZ3NDEKTSV4RRFFQ69G5FAV").await.status,
        404
    );
    assert_eq!(
        mine.get(&format!(
            "/signature-requests/{id}/documents/01ARZ3NDEKTSV4RRFFQ69G5FAV/upload_url"
        ))
        .await
        .status,
        404
    );
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn signers_fiscal_code_test_keys_and_citizens_not_on_io() {
    let sb = start(config()).await;
    let prod = Raw::new(&sb, Some(KEY));
    assert_validation_error(&prod.post("/signers", &json!({"fiscal_code": "RSSMRA80A01H50"})).await);
    assert_validation_error(&prod.post("/signers", &json!({"fiscal_code": "rssmra80a01h501u"})).await);
    assert_validation_error(&prod.post("/signers", &json!({})).await);
    assert_validation_error(&prod.post_raw("/signers", "{not json").await);
    // The service checks the format only, not the check character.
    assert_eq!(
        prod.post("/signers", &json!({"fiscal_code": "RSSMRA80A01H501A"}))
            .await
            .status,
        200
    );

    let r = prod.post("/signers", &json!({"fiscal_code": NOT_ON_IO_CF})).await;
    assert_problem(&r, 404, "User profile not found!");

    let test = Raw::new(&sb, Some(TEST_KEY));
    assert_eq!(
        test.post("/signers", &json!({"fiscal_code": TESTER_CF})).await.status,
        200
    );
    let r = test.post("/signers", &json!({"fiscal_code": CF})).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.text, "Forbidden", "APIM's plain error, not problem+json");
    // Prod keys are not restricted to testers.
    assert_eq!(
        prod.post("/signers", &json!({"fiscal_code": TESTER_CF})).await.status,
        200
    );
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_are_422_with_violations() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let bodies = [
        json!({"documents_metadata": [{"title": "Contratto"}]}),
        json!({"title": "Ac", "documents_metadata": [{"title": "Contratto"}]}),
        json!({"title": "Accordo", "documents_metadata": []}),
        json!({"title": "Accordo", "documents_metadata": [{"title": "Co"}]}),
        json!({"title": "Accordo", "documents_metadata": [{"title": "x".repeat(61)}]}),
        json!({"title": "Accordo", "support_email": "Ufficio <u@comune.example.it>", "documents_metadata": [{"title": "Contratto"}]}),
        json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto", "signature_fields": [
            {"attrs": {"unique_name": "Firma"}, "clause": {"title": "Breve", "type": "MAYBE"}}]}]}),
        json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto", "signature_fields": [
            {"attrs": {"unique_name": "Firma"}, "clause": {"title": "Solo facoltativa", "type": "OPTIONAL"}}]}]}),
        json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto", "signature_fields": [
            {"attrs": {"coordinates": {"x": 1}, "page": 0, "size": {"w": 1, "h": 1}}, "clause": {"title": "Firma qui", "type": "REQUIRED"}}]}]}),
    ];
    for b in &bodies {
        let r = api.post("/dossiers", b).await;
        assert_validation_error(&r);
    }
    assert_validation_error(&api.post_raw("/dossiers", "[]").await);
    // 60 characters is accepted (pagopa/io-sign#729).
    let ok = api
        .post(
            "/dossiers",
            &json!({"title": "Accordo", "documents_metadata": [{"title": "x".repeat(60)}]}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(sb.dossier_count(), 1);

    let dossier = ok.json()["id"].as_str().unwrap().to_string();
    assert_validation_error(&api.post("/signature-requests", &json!({"dossier_id": dossier})).await);
    assert_validation_error(
        &api.post(
            "/signature-requests",
            &json!({"dossier_id": dossier, "signer_id": "s", "expires_at": "domani"}),
        )
        .await,
    );
    let past = api
        .post(
            "/signature-requests",
            &json!({"dossier_id": dossier, "signer_id": "s", "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    assert_problem(&past, 400, "Invalid expire date.");
    assert_eq!(past.json()["title"], "Bad Request");
    let unknown = api
        .post(
            "/signature-requests",
            &json!({"dossier_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "signer_id": "s"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let offset = api
        .post(
            "/signature-requests",
            &json!({"dossier_id": dossier, "signer_id": "s", "expires_at": "2099-01-01T10:00:00+02:00"}),
        )
        .await;
    assert_eq!(offset.status, 201);
    assert_eq!(
        offset.json()["expires_at"],
        "2099-01-01T08:00:00.000Z",
        "offsets in, UTC out"
    );
    let id = offset.json()["id"].as_str().unwrap().to_string();
    assert_validation_error(
        &api.put(&format!("/signature-requests/{id}/status"), Some(&json!("SIGNED")))
            .await,
    );
    assert_validation_error(
        &api.put(
            &format!("/signature-requests/{id}/status"),
            Some(&json!({"status": "READY"})),
        )
        .await,
    );
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn state_machine_violations_are_400_with_the_service_messages() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    let status = format!("/signature-requests/{id}/status");

    let r = api.put(&status, Some(&json!("READY"))).await;
    assert_problem(&r, 400, "MARK_AS_READY is not possible unless all documents are READY");
    let r = api.put(&status, Some(&json!("CANCELLED"))).await;
    assert_problem(
        &r,
        400,
        "MARK_AS_CANCELLED is prohibited if the signature request is in DRAFT status",
    );
    let r = api.put(&format!("/signature-requests/{id}/notification"), None).await;
    assert_validation_error(&r);

    api.upload(&id, &doc, pdf(&[A4], false)).await;
    api.validated(&id).await;
    // The service also accepts the raw word (pagopa/io-sign#480).
    let raw = api
        .send(
            api.http
                .put(format!("{}{status}", api.base))
                .header("content-type", "text/plain")
                .body("READY"),
        )
        .await;
    assert_eq!(raw.status, 204, "{}", raw.text);
    let r = api
        .get(&format!("/signature-requests/{id}/documents/{doc}/upload_url"))
        .await;
    assert!(r.status == 400, "{}", r.text);
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail == "Unable to get the Upload Url. The Signature Request is in READY status"
            || detail == "Unable to get the Upload Url. The Signature Request is in WAIT_FOR_SIGNATURE status",
        "{detail}"
    );
    api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;
    let r = api.put(&status, Some(&json!("READY"))).await;
    assert_problem(
        &r,
        400,
        "MARK_AS_READY is prohibited if the signature request is in WAIT_FOR_SIGNATURE status",
    );
    assert_eq!(
        api.put(&format!("/signature-requests/{id}/notification"), None)
            .await
            .status,
        200
    );
    assert_validation_error(&api.put(&format!("/signature-requests/{id}/notification"), None).await);
    assert_eq!(sb.messages_sent(), 1);
    sb.sign(&id).await.unwrap();
    let r = api.put(&status, Some(&json!("CANCELLED"))).await;
    assert_problem(
        &r,
        400,
        "MARK_AS_CANCELLED is prohibited if the signature request is in SIGNED status",
    );
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn rate_limit_is_429_with_apim_headers() {
    let sb = start(iosign_sandbox::SandboxConfig {
        rate_limit_calls: 3,
        rate_limit_period: Duration::from_secs(60),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let other = Raw::new(&sb, Some(OTHER_KEY));
    for remaining in (0..3).rev() {
        let r = api.get("/dossiers/01ARZ3NDEKTSV4RRFFQ69G5FAV").await;
        assert_eq!(r.status, 404);
        assert_eq!(r.headers["x-rate-limit-remaining"], remaining.to_string().as_str());
    }
    let r = api.get("/dossiers/01ARZ3NDEKTSV4RRFFQ69G5FAV").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.headers["x-rate-limit-remaining"], "0");
    let retry: u64 = r.headers["x-rate-limit-retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        other.get("/dossiers/01ARZ3NDEKTSV4RRFFQ69G5FAV").await.status,
        404,
        "limits are per key"
    );
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn paging_with_continuation_tokens() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let other_dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let mut created = Vec::new();
    for _ in 0..31 {
        created.push(api.request(&dossier, &signer).await.0);
    }
    api.request(&other_dossier, &signer).await;

    let path = format!("/dossiers/{dossier}/signature-requests");
    let first = api.get(&format!("{path}?limit=25")).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 25);
    let token = first["continuation_token"]
        .as_str()
        .expect("a token while more items exist")
        .to_string();
    let second = api
        .get(&format!("{path}?limit=25&continuationToken={token}"))
        .await
        .json();
    assert_eq!(second["items"].as_array().unwrap().len(), 6);
    assert!(second.get("continuation_token").is_none(), "no token on the last page");
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    created.sort();
    assert_eq!(seen, created, "every request once, none of the other dossier");
    assert_eq!(
        api.get(&path).await.json()["items"].as_array().unwrap().len(),
        25,
        "default limit 25"
    );
    assert_eq!(
        api.get(&format!("{path}?limit=100")).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        31
    );
    assert_validation_error(&api.get(&format!("{path}?limit=10")).await);
    assert_validation_error(&api.get(&format!("{path}?limit=101")).await);
    assert_validation_error(&api.get(&format!("{path}?limit=abc")).await);
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every error body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_api_paths_are_404() {
    let sb = start(config()).await;
    for (key, path) in [
        (Some(KEY), "/dossiers"),
        (Some(KEY), "/nothing-here"),
        (None, "/nothing-here"),
    ] {
        let r = Raw::new(&sb, key).get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.text);
        assert_eq!(
            r.json()["message"],
            "Resource not found",
            "APIM's answer, before any key check"
        );
    }
    let r = Raw::new(&sb, Some(KEY))
        .send(reqwest::Client::new().delete(format!("{}/dossiers/01ARZ3NDEKTSV4RRFFQ69G5FAV", sb.base_url())))
        .await;
    assert_eq!(r.status, 404, "no DELETE operation exists");
    sb.shutdown().await;
}

#[tokio::test]
async fn binding_a_non_loopback_address_is_refused() {
    let err = iosign_sandbox::Sandbox::start(iosign_sandbox::SandboxConfig {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..config()
    })
    .await
    .unwrap_err();
    assert_eq!(err.kind(), iosign_sandbox::ErrorKind::NonLoopback);
    assert!(err.to_string().contains("only binds loopback"), "{err}");
    let v6 = iosign_sandbox::Sandbox::start(iosign_sandbox::SandboxConfig {
        listen: "[::]:0".parse().unwrap(),
        ..config()
    })
    .await
    .unwrap_err();
    assert_eq!(v6.kind(), iosign_sandbox::ErrorKind::NonLoopback);
}
