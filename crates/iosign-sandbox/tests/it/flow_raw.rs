//! The whole flow over raw HTTP (the client-driven flow lives in `flow_client`), plus the contract
//! check of every body exchanged.

use std::time::Duration;

use iosign_sandbox::ManualClock;
use serde_json::json;

use crate::common::*;
use crate::contract::{check_log, Spec};

#[tokio::test]
async fn dossier_to_signed_pdf_and_expiring_download() {
    let clock = ManualClock::new();
    let sb = start(iosign_sandbox::SandboxConfig {
        clock: std::sync::Arc::new(clock.clone()),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));

    let info = api.get("/info").await;
    assert_eq!(info.status, 200);
    assert_eq!(info.json()["message"], "It's working!");

    let dossier = api
        .dossier(json!([
            created_field(0, 100.0, 600.0, 200.0, 60.0),
            existing_field("Firma")
        ]))
        .await;
    let got = api.get(&format!("/dossiers/{dossier}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(
        got.json()["documents_metadata"][0]["signature_fields"][1]["attrs"]["unique_name"],
        "Firma"
    );

    let signer = api.signer(CF).await;
    assert_eq!(api.signer(CF).await, signer, "signer ids are stable per fiscal code");
    assert!(!signer.contains(CF), "the signer id does not expose the fiscal code");
    uuid::Uuid::parse_str(&signer).expect("signer id is a UUID");

    let (id, doc) = api.request(&dossier, &signer).await;
    let created = api.get(&format!("/signature-requests/{id}")).await.json();
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["documents"][0]["status"], "WAIT_FOR_UPLOAD");
    let expires = time::OffsetDateTime::parse(
        created["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let days = (expires - time::OffsetDateTime::now_utc()).whole_days();
    assert!((89..=90).contains(&days), "default expiry is 90 days, got {days}");

    let original = pdf(&[A4], true);
    let put = api.upload(&id, &doc, original.clone()).await;
    assert_eq!(put.status, 201, "{}", put.text);
    let validated = api.validated(&id).await;
    assert_eq!(validated["documents"][0]["status"], "READY", "{validated}");
    let internal_url = validated["documents"][0]["url"].as_str().unwrap().to_string();
    let internal = reqwest::get(&internal_url).await.unwrap();
    assert_eq!(
        internal.status().as_u16(),
        404,
        "the validated-documents URL is not downloadable"
    );

    assert_eq!(
        api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
            .await
            .status,
        204
    );
    let waiting = api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;
    let qr_url = waiting["qr_code_url"].as_str().unwrap().to_string();
    assert!(qr_url.contains(&format!("srid={id}")));
    let qr = reqwest::get(&qr_url).await.unwrap();
    assert_eq!(qr.headers()["content-type"], "image/png");
    let png = qr.bytes().await.unwrap();
    let img = image::load_from_memory(&png).expect("a real PNG").to_luma8();
    assert!(img.width() >= 100);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(img.width() as usize, img.height() as usize, |x, y| {
            img.get_pixel(x as u32, y as u32)[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    assert_eq!(
        content,
        format!("https://continua.io.pagopa.it/open?feat=firma&srid={id}")
    );

    let n = api.put(&format!("/signature-requests/{id}/notification"), None).await;
    assert_eq!(n.status, 200, "the service answers 200, not the spec's 201");
    assert!(n.json()["io_message_id"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(sb.messages_sent(), 1);

    let sign = reqwest::Client::new()
        .post(format!("{}/sandbox/signature-requests/{id}/sign", sb.origin()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(sign.status().as_u16(), 204);
    let signed = api.get(&format!("/signature-requests/{id}")).await.json();
    assert_eq!(signed["status"], "SIGNED");
    assert!(signed["signed_at"].is_string());
    assert!(
        signed.get("qr_code_url").is_none(),
        "qr_code_url only in WAIT_FOR_SIGNATURE"
    );
    assert!(signed["notification"]["io_message_id"].is_string());
    let url = signed["documents"][0]["url"].as_str().unwrap().to_string();
    assert!(
        url.contains("/blob/signed-documents/") && url.contains("sig=") && url.contains("se="),
        "{url}"
    );

    let bytes = reqwest::get(&url).await.unwrap();
    assert_eq!(bytes.status().as_u16(), 200);
    let bytes = bytes.bytes().await.unwrap();
    assert_ne!(&bytes[..], &original[..], "the signed PDF differs from the upload");
    assert!(bytes.starts_with(&original), "the original bytes are untouched");
    if let Some(dir) = std::env::var_os("SANDBOX_DUMP_DIR") {
        // For looking at the stamp: SANDBOX_DUMP_DIR=/tmp/x cargo test -p iosign-sandbox dossier_to_signed
        std::fs::write(std::path::Path::new(&dir).join("signed.pdf"), &bytes).unwrap();
    }
    let signed_doc = lopdf::Document::load_mem(&bytes).expect("the signed PDF parses");
    assert_eq!(signed_doc.get_pages().len(), 1);
    let tail = String::from_utf8_lossy(&bytes[original.len()..]);
    assert!(tail.contains(&format!("{CF} il ")), "stamp names the signer");
    assert!(tail.contains("startxref"), "an incremental update with its own xref");

    // IO's links live 5 minutes.
    clock.advance(Duration::from_secs(301));
    let expired = reqwest::get(&url).await.unwrap();
    assert_eq!(expired.status().as_u16(), 403);
    assert!(expired.text().await.unwrap().contains("AuthenticationFailed"));
    let fresh = api.get(&format!("/signature-requests/{id}")).await.json();
    let fresh_url = fresh["documents"][0]["url"].as_str().unwrap();
    assert_ne!(fresh_url, url);
    assert_eq!(reqwest::get(fresh_url).await.unwrap().status().as_u16(), 200);

    let listed = api.get(&format!("/dossiers/{dossier}/signature-requests")).await;
    assert_eq!(listed.json()["items"][0]["status"], "SIGNED");

    let checked = check_log(&Spec::load(), &sb.request_log());
    assert!(checked >= 15, "only {checked} bodies checked");
    sb.shutdown().await;
}

#[tokio::test]
async fn auto_sign_and_reject_and_cancel() {
    let sb = start(iosign_sandbox::SandboxConfig {
        auto_sign_after: Some(Duration::from_millis(10)),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([created_field(0, 50.0, 50.0, 100.0, 40.0)])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    api.upload(&id, &doc, pdf(&[A4], false)).await;
    api.validated(&id).await;
    api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
        .await;
    api.wait_status(&id, "SIGNED").await;
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;

    // Without auto-sign: reject with a reason, and cancel.
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let (id, doc) = api.request(&dossier, &signer).await;
        api.upload(&id, &doc, pdf(&[A4], false)).await;
        api.validated(&id).await;
        api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
            .await;
        api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;
        ids.push(id);
    }
    let rejected = reqwest::Client::new()
        .post(format!("{}/sandbox/signature-requests/{}/reject", sb.origin(), ids[0]))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .json(&json!({"reason": "Certificato QTSP non disponibile"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status().as_u16(), 204);
    let r = api.get(&format!("/signature-requests/{}", ids[0])).await.json();
    assert_eq!(r["status"], "REJECTED");
    assert_eq!(r["reject_reason"], "Certificato QTSP non disponibile");
    assert!(r["rejected_at"].is_string());
    let again = reqwest::Client::new()
        .post(format!("{}/sandbox/signature-requests/{}/sign", sb.origin(), ids[0]))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 409, "only WAIT_FOR_SIGNATURE can be signed");
    assert_eq!(again.headers()["content-type"], "application/problem+json");

    api.put(&format!("/signature-requests/{}/notification", ids[1]), None)
        .await;
    let c = api
        .put(
            &format!("/signature-requests/{}/status", ids[1]),
            Some(&json!("CANCELLED")),
        )
        .await;
    assert_eq!(c.status, 204);
    let r = api.get(&format!("/signature-requests/{}", ids[1])).await.json();
    assert_eq!(r["status"], "CANCELLED");
    assert!(r["cancelled_at"].is_string());
    assert!(r.get("qr_code_url").is_none() && r.get("notification").is_none(), "{r}");
    assert!(sb.sign(&ids[1]).await.is_err());
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = || iosign_sandbox::SandboxConfig {
        state_dir: Some(dir.path().to_path_buf()),
        ..config()
    };
    let sb = start(cfg()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    api.upload(&id, &doc, pdf(&[A4], false)).await;
    api.validated(&id).await;
    let certificate = sb.test_root_certificate_der();
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;

    let sb = start(cfg()).await;
    assert_eq!(
        sb.test_root_certificate_der(),
        certificate,
        "the test certificate survives a restart"
    );
    let api = Raw::new(&sb, Some(KEY));
    assert_eq!(api.get(&format!("/dossiers/{dossier}")).await.status, 200);
    assert_eq!(
        api.signer(CF).await,
        signer,
        "signer ids stay stable with the same state dir"
    );
    assert_eq!(
        api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
            .await
            .status,
        204
    );
    api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;
    let citizen = sb.citizen();
    assert_eq!(citizen.waiting_for_signature(), vec![id.clone()]);
    citizen.sign(&id).await.unwrap();
    assert!(citizen.waiting_for_signature().is_empty());
    let url = api.get(&format!("/signature-requests/{id}")).await.json()["documents"][0]["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        reqwest::get(url).await.unwrap().status().as_u16(),
        200,
        "blobs persisted too"
    );
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn several_documents_with_per_request_metadata() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let r = api
        .post(
            "/signature-requests",
            &json!({"dossier_id": dossier, "signer_id": signer, "documents_metadata": [
                {"title": "Contratto", "signature_fields": [created_field(0, 72.0, 700.0, 180.0, 50.0)]},
                {"title": "Informativa privacy", "signature_fields": [existing_field("Firma")]},
            ]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.json();
    let id = v["id"].as_str().unwrap().to_string();
    let docs: Vec<String> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        docs.len(),
        2,
        "one document per metadata entry, replacing the dossier's"
    );
    assert_eq!(v["documents"][1]["metadata"]["title"], "Informativa privacy");

    api.upload(&id, &docs[0], pdf(&[A4], false)).await;
    api.validated(&id).await;
    let status = format!("/signature-requests/{id}/status");
    assert_eq!(
        api.put(&status, Some(&json!("READY"))).await.status,
        400,
        "the second document is missing"
    );
    api.upload(&id, &docs[1], pdf(&[A4], true)).await;
    eventually("both documents READY", || async {
        let v = api.get(&format!("/signature-requests/{id}")).await.json();
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "READY")
            .then_some(())
    })
    .await;
    assert_eq!(api.put(&status, Some(&json!("READY"))).await.status, 204);
    api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;

    let listing: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/sandbox/signature-requests", sb.origin()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listing[0]["status"], "WAIT_FOR_SIGNATURE", "{listing}");

    sb.sign(&id).await.unwrap();
    let signed = api.get(&format!("/signature-requests/{id}")).await.json();
    for d in signed["documents"].as_array().unwrap() {
        let bytes = reqwest::get(d["url"].as_str().unwrap())
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&bytes).contains("Firmato digitalmente da"));
        lopdf::Document::load_mem(&bytes).expect("parses");
        sb.verify_signature(&bytes)
            .expect("each document carries a valid signature");
        if let Some(dir) = std::env::var_os("SANDBOX_DUMP_DIR") {
            let name = format!("signed-{}.pdf", d["id"].as_str().unwrap());
            std::fs::write(std::path::Path::new(&dir).join(name), &bytes).unwrap();
        }
    }
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_requests_stay_waiting_and_cannot_be_signed_and_blocked_citizens_get_no_message() {
    let clock = ManualClock::new();
    let sb = start(iosign_sandbox::SandboxConfig {
        clock: std::sync::Arc::new(clock.clone()),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(BLOCKED_CF).await;
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let r = api
        .post(
            "/signature-requests",
            &json!({"dossier_id": dossier, "signer_id": signer,
                    "expires_at": iosign::types::timestamp::format(&expires)}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let doc = r.json()["documents"][0]["id"].as_str().unwrap().to_string();
    api.upload(&id, &doc, pdf(&[A4], false)).await;
    api.validated(&id).await;
    api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
        .await;
    api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;

    let n = api.put(&format!("/signature-requests/{id}/notification"), None).await;
    assert_eq!(n.status, 400, "{}", n.text);
    assert_eq!(n.json()["detail"], "It is not allowed to send a message to this user.");
    assert_eq!(sb.messages_sent(), 0);

    clock.advance(Duration::from_secs(2 * 3600));
    let err = sb.sign(&id).await.unwrap_err();
    assert_eq!(err.kind(), iosign_sandbox::ErrorKind::Conflict);
    assert!(err.to_string().contains("expired"), "{err}");
    assert_eq!(
        api.wait_status(&id, "WAIT_FOR_SIGNATURE").await["status"],
        "WAIT_FOR_SIGNATURE",
        "no EXPIRED status"
    );
    assert!(
        check_log(&Spec::load(), &sb.request_log()) > 0,
        "every body matches the spec"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn one_institution_keeps_its_requests_when_the_key_changes_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = |key: &str| iosign_sandbox::SandboxConfig {
        api_keys: vec![key.to_string()],
        test_keys: vec![format!("{key}-test")],
        single_issuer: Some("Comune di Prova".into()),
        state_dir: Some(dir.path().to_path_buf()),
        ..config()
    };
    let sb = start(cfg("demo-key-run-1")).await;
    let api = Raw::new(&sb, Some("demo-key-run-1"));
    let dossier = api.dossier(json!([])).await;
    let test_key = Raw::new(&sb, Some("demo-key-run-1-test"));
    assert_eq!(
        test_key.get(&format!("/dossiers/{dossier}")).await.status,
        200,
        "same institution"
    );
    sb.shutdown().await;

    let sb = start(cfg("demo-key-run-2")).await;
    let api = Raw::new(&sb, Some("demo-key-run-2"));
    assert_eq!(api.get(&format!("/dossiers/{dossier}")).await.status, 200);
    assert_eq!(Raw::new(&sb, Some("demo-key-run-1")).get("/info").await.status, 200);
    assert_eq!(
        Raw::new(&sb, Some("demo-key-run-1"))
            .get(&format!("/dossiers/{dossier}"))
            .await
            .status,
        401,
        "the old key is gone"
    );
    sb.shutdown().await;
}
