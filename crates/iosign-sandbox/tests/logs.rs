//! The sandbox's logs: one line per request (method, path, status, latency) and never a key, a
//! fiscal code, a SAS signature or a body (issue #10, item 7).
//!
//! A binary of its own with a global subscriber: tracing caches per-callsite interest, and a
//! thread-scoped subscriber racing other tests' threads would make this test flaky.

#[allow(dead_code)]
#[path = "it/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;

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

#[tokio::test]
async fn logs_name_each_request_and_never_show_keys_fiscal_codes_signatures_or_bodies() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let dir = tempfile::tempdir().unwrap();
    // A corrupt state file whose content must not reach the log either.
    std::fs::write(
        dir.path().join("state.json"),
        format!("{{\"secret\": \"{CF}\", \"dossiers\": 7}}"),
    )
    .unwrap();
    let sb = start(iosign_sandbox::SandboxConfig {
        state_dir: Some(dir.path().to_path_buf()),
        ..config()
    })
    .await;
    assert!(sb.recovered_from().is_some());
    let api = Raw::new(&sb, Some(KEY));
    let title = "Accordo riservato per il cittadino";
    let r = api
        .post(
            "/dossiers",
            &json!({"title": title, "documents_metadata": [{"title": "Contratto", "signature_fields": []}]}),
        )
        .await;
    assert_eq!(r.status, 201);
    let dossier = r.json()["id"].as_str().unwrap().to_string();
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    let url: String = api
        .get(&format!("/signature-requests/{id}/documents/{doc}/upload_url"))
        .await
        .json()
        .as_str()
        .unwrap()
        .to_string();
    let sig = url.split("sig=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let up = reqwest::Client::new()
        .put(&url)
        .header("x-ms-blob-type", "BlockBlob")
        .body(pdf(&[A4], false))
        .send()
        .await
        .unwrap();
    assert_eq!(up.status().as_u16(), 201);
    api.validated(&id).await;
    api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
        .await;
    api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;
    let reason = "Motivo confidenziale del rifiuto";
    let rejected = reqwest::Client::new()
        .post(format!("{}/sandbox/signature-requests/{id}/reject", sb.origin()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .json(&json!({ "reason": reason }))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status().as_u16(), 204);
    let wrong_key = "wrong-key-8c1f0e2d7b";
    let refused = Raw::new(&sb, Some(wrong_key))
        .post("/signers", &json!({ "fiscal_code": CF }))
        .await;
    assert_eq!(refused.status, 401);
    sb.shutdown().await;

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("sandbox request"), "one line per request: {text}");
    assert!(
        text.contains("/api/v1/sign/dossiers") && text.contains("status=201"),
        "{text}"
    );
    assert!(text.contains("state.json.corrupt-"), "the recovery is logged: {text}");
    for (secret, what) in [
        (KEY, "the API key"),
        (wrong_key, "a wrong key"),
        (CF, "the fiscal code"),
        (sig.as_str(), "the SAS signature"),
        (title, "a request body"),
        (reason, "a control body"),
        ("sig=", "a SAS query"),
    ] {
        assert!(!text.contains(secret), "{what} is in the log:\n{text}");
    }
}
