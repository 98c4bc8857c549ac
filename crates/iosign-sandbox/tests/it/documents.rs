//! Upload, asynchronous validation (reject reasons in the service's wording), blob SAS rules and
//! `POST /validate-document`.

use std::sync::Arc;
use std::time::Duration;

use iosign_sandbox::{pdf as checks, ManualClock};
use serde_json::{json, Value};

use crate::common::*;
use crate::contract::{check_log, check_responses, Spec};

/// Uploads `bytes` for a request made with these fields; returns the document after validation.
async fn validate_upload(api: &Raw, fields: Value, bytes: Vec<u8>) -> Value {
    let dossier = api.dossier(fields).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    let put = api.upload(&id, &doc, bytes).await;
    assert_eq!(put.status, 201, "{}", put.text);
    api.validated(&id).await["documents"][0].clone()
}

fn reason(doc: &Value) -> &str {
    assert_eq!(doc["status"], "REJECTED", "{doc}");
    assert!(doc["rejected_at"].is_string() && doc["uploaded_at"].is_string());
    doc["reject_reason"].as_str().unwrap()
}

#[tokio::test]
async fn rejected_uploads_carry_the_service_reasons() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));

    let doc = validate_upload(
        &api,
        json!([created_field(1, 10.0, 10.0, 50.0, 20.0)]),
        pdf(&[A4], false),
    )
    .await;
    assert_eq!(
        reason(&doc),
        "(Firma del cittadino) incompatible coordinates: unable to find page 1 in the uploaded document"
    );
    // x + w must be strictly less than the width.
    let doc = validate_upload(
        &api,
        json!([created_field(0, 395.0, 10.0, 200.0, 20.0)]),
        pdf(&[A4], false),
    )
    .await;
    assert_eq!(
        reason(&doc),
        "(Firma del cittadino) incompatible coordinates: they can't fit in the uploaded document"
    );
    let doc = validate_upload(
        &api,
        json!([created_field(0, 394.5, 10.0, 200.0, 20.0)]),
        pdf(&[A4], false),
    )
    .await;
    assert_eq!(doc["status"], "READY", "{doc}");
    // Page sizes come from each page's MediaBox (second page is small).
    let doc = validate_upload(
        &api,
        json!([created_field(1, 0.0, 0.0, 150.0, 90.0)]),
        pdf(&[A4, (200.0, 100.0)], false),
    )
    .await;
    assert_eq!(doc["status"], "READY", "{doc}");
    let doc = validate_upload(
        &api,
        json!([created_field(1, 0.0, 0.0, 150.0, 100.0)]),
        pdf(&[A4, (200.0, 100.0)], false),
    )
    .await;
    assert!(reason(&doc).ends_with("they can't fit in the uploaded document"));

    let doc = validate_upload(&api, json!([existing_field("Firma")]), pdf(&[A4], true)).await;
    assert_eq!(doc["status"], "READY", "{doc}");
    let doc = validate_upload(&api, json!([existing_field("Nome")]), pdf(&[A4], true)).await;
    assert_eq!(
        reason(&doc),
        "(Firma in calce) the field \"Nome\" was not found is the uploaded document",
        "text fields are not signature fields"
    );
    let doc = validate_upload(
        &api,
        json!([existing_field("Manca"), created_field(3, 0.0, 0.0, 1.0, 1.0)]),
        pdf(&[A4], true),
    )
    .await;
    assert_eq!(
        reason(&doc),
        "(Firma in calce) the field \"Manca\" was not found is the uploaded document\n(Firma del cittadino) incompatible coordinates: unable to find page 3 in the uploaded document"
    );

    let doc = validate_upload(&api, json!([]), b"PK\x03\x04 this is a zip, not a PDF".to_vec()).await;
    assert_eq!(reason(&doc), checks::NO_PDF_HEADER);
    let doc = validate_upload(&api, json!([]), encrypted_pdf()).await;
    assert_eq!(reason(&doc), checks::ENCRYPTED);
    let doc = validate_upload(&api, json!([]), b"%PDF-1.7\n1 0 obj << /Broken".to_vec()).await;
    assert!(reason(&doc).starts_with("Failed to parse PDF document"), "{doc}");
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_rejected_document_can_be_uploaded_again_while_draft() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([created_field(0, 10.0, 10.0, 100.0, 30.0)])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    api.upload(&id, &doc, b"not a pdf".to_vec()).await;
    assert_eq!(api.validated(&id).await["documents"][0]["status"], "REJECTED");
    let r = api
        .put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
        .await;
    assert_eq!(r.status, 400);
    api.upload(&id, &doc, pdf(&[A4], false)).await;
    let v = api.validated(&id).await;
    assert_eq!(v["documents"][0]["status"], "READY", "{v}");
    assert!(v["documents"][0].get("reject_reason").is_none());
    assert_eq!(
        api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
            .await
            .status,
        204
    );
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn blob_upload_rules_like_azure() {
    let clock = ManualClock::new();
    let sb = start(iosign_sandbox::SandboxConfig {
        clock: Arc::new(clock.clone()),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    let url_of = || async {
        let r = api
            .get(&format!("/signature-requests/{id}/documents/{doc}/upload_url"))
            .await;
        assert_eq!(r.status, 200);
        serde_json::from_str::<String>(&r.text).unwrap()
    };
    let url = url_of().await;
    assert!(
        url.starts_with(&format!("{}/blob/uploaded-documents/", sb.origin())),
        "{url}"
    );
    assert!(url.contains("sig=") && url.contains("se="), "{url}");
    let http = reqwest::Client::new();

    let no_type = http.put(&url).body(pdf(&[A4], false)).send().await.unwrap();
    assert_eq!(no_type.status().as_u16(), 400);
    assert_eq!(no_type.headers()["x-ms-error-code"], "MissingRequiredHeader");
    let wrong_type = http
        .put(&url)
        .header("x-ms-blob-type", "AppendBlob")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status().as_u16(), 400);
    let tampered = http
        .put(url.replace("sig=", "sig=00"))
        .header("x-ms-blob-type", "BlockBlob")
        .body(pdf(&[A4], false))
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status().as_u16(), 403);
    assert_eq!(tampered.headers()["x-ms-error-code"], "AuthenticationFailed");

    // A newer URL supersedes the old one.
    let newer = url_of().await;
    let old = http
        .put(&url)
        .header("x-ms-blob-type", "BlockBlob")
        .body(pdf(&[A4], false))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status().as_u16(), 403);

    // Valid for 15 minutes.
    clock.advance(Duration::from_secs(15 * 60 + 1));
    let late = http
        .put(&newer)
        .header("x-ms-blob-type", "BlockBlob")
        .body(pdf(&[A4], false))
        .send()
        .await
        .unwrap();
    assert_eq!(late.status().as_u16(), 403);
    assert_eq!(
        api.get(&format!("/signature-requests/{id}")).await.json()["documents"][0]["status"],
        "WAIT_FOR_UPLOAD"
    );

    // Single use.
    let fresh = url_of().await;
    let ok = http
        .put(&fresh)
        .header("x-ms-blob-type", "BlockBlob")
        .body(pdf(&[A4], false))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 201);
    let again = http
        .put(&fresh)
        .header("x-ms-blob-type", "BlockBlob")
        .body(pdf(&[A4], false))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 403);
    assert_eq!(api.validated(&id).await["documents"][0]["status"], "READY");
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

fn part_pdf(bytes: Vec<u8>) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes)
        .file_name("doc.pdf")
        .mime_str("application/pdf")
        .unwrap()
}

fn part_json(v: &Value) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(v.to_string().into_bytes())
        .file_name("signature_fields.json")
        .mime_str("application/json")
        .unwrap()
}

#[tokio::test]
async fn validate_document_dry_run() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let url = format!("{}/validate-document", api.base);
    let send = |form: reqwest::multipart::Form| api.send(api.http.post(&url).multipart(form));

    let r = send(reqwest::multipart::Form::new().part("document", part_pdf(pdf(&[A4], true)))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!({"is_valid": true}));

    let fields = json!([existing_field("Firma"), created_field(1, 0.0, 0.0, 10.0, 10.0)]);
    // Parts are matched by content type, in either order.
    let r = send(
        reqwest::multipart::Form::new()
            .part("signature_fields", part_json(&fields))
            .part("document", part_pdf(pdf(&[A4], true))),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"is_valid": false, "violations": [
            "(Firma del cittadino) incompatible coordinates: unable to find page 1 in the uploaded document"]})
    );

    let r = send(reqwest::multipart::Form::new().part("signature_fields", part_json(&fields))).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["detail"],
        "missing files: the pdf document to be validated and a json document containing the signature fields"
    );
    let r = api.post("/validate-document", &json!({"document": "x"})).await;
    assert_eq!(r.status, 400, "not multipart: {}", r.text);
    let r = send(
        reqwest::multipart::Form::new()
            .part("document", part_pdf(pdf(&[A4], false)))
            .part("signature_fields", part_json(&json!([{"attrs": {}, "clause": {}}]))),
    )
    .await;
    assert_eq!(r.status, 422);
    let r = send(reqwest::multipart::Form::new().part("document", part_pdf(encrypted_pdf()))).await;
    assert_eq!(
        r.status, 500,
        "a PDF pdf-lib cannot open is an unhandled error in the service"
    );
    let r = Raw::new(&sb, None)
        .send(
            reqwest::Client::new()
                .post(&url)
                .multipart(reqwest::multipart::Form::new().part("document", part_pdf(pdf(&[A4], false)))),
        )
        .await;
    assert_eq!(r.status, 401);
    assert!(
        check_responses(&Spec::load(), &sb.request_log()) > 0,
        "every response matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn uploads_larger_than_axum_default_limit_are_accepted() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    // A valid PDF with ~3 MB of trailing comment bytes before the EOF marker is still loadable.
    let mut big = pdf(&[A4], false);
    let tail = big.split_off(big.len() - 5);
    assert_eq!(&tail, b"%%EOF", "fixture ends with the EOF marker");
    let doc = validate_upload(&api, json!([]), {
        big.extend(std::iter::repeat_n(b'%', 3 * 1024 * 1024));
        big.push(b'\n');
        big.extend_from_slice(&tail);
        big
    })
    .await;
    assert_eq!(doc["status"], "READY", "{doc}");
    sb.shutdown().await;
}

#[tokio::test]
async fn documents_wait_for_validation_until_the_delay_has_passed() {
    let sb = start(iosign_sandbox::SandboxConfig {
        validation_delay: Duration::from_secs(2),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    assert_eq!(api.upload(&id, &doc, pdf(&[A4], false)).await.status, 201);
    let v = api.get(&format!("/signature-requests/{id}")).await.json();
    let d = &v["documents"][0];
    assert_eq!(d["status"], "WAIT_FOR_VALIDATION", "{v}");
    assert!(d["uploaded_at"].is_string() && d.get("url").is_none(), "{d}");
    let r = api
        .get(&format!("/signature-requests/{id}/documents/{doc}/upload_url"))
        .await;
    assert_eq!(r.status, 200, "a new URL may be taken while validating");
    assert_eq!(api.validated(&id).await["documents"][0]["status"], "READY");
    assert!(check_log(&Spec::load(), &sb.request_log()) > 0);
    sb.shutdown().await;
}
