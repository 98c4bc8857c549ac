//! Time from the citizen's signature to the archived file and the notification, with the engine's
//! default polling (fast right after a publish) on the app's SQLite store and the sandbox over HTTP.
//!
//! `cargo bench -p firmadesk-engine --bench sign_to_archive` (a plain binary that prints figures).

#[path = "support/mod.rs"]
mod support;

use firmadesk_engine::{
    Delivery, DocumentType, Engine, EngineConfig, EngineEvent, RecordingNotifier, SendDocument, SendSpec, SignerInfo,
};
use iosign::{ApiKey, Client, DocumentMetadata};
use iosign_sandbox::{Sandbox, SandboxConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KEY: &str = "bench-key";
const PROFILE: &str = "bench";
const SAMPLES: usize = 5;

fn pdf() -> Vec<u8> {
    firmadesk_testkit::pdf::contract()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sb = Sandbox::start(SandboxConfig {
        api_keys: vec![KEY.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("tmp");
    let notifier = RecordingNotifier::new();
    // Default tuning: the poller runs every 5 s for two minutes after a publish.
    let engine = Engine::builder(
        EngineConfig::new(dir.path().join("archivio")),
        support::app_store(dir.path(), PROFILE, sb.base_url()),
    )
    .notifier(Arc::new(notifier.clone()))
    .build();
    let mut rx = engine.subscribe();
    engine
        .add_profile(PROFILE, Client::new(sb.base_url(), ApiKey::new(KEY)).expect("client"))
        .await
        .expect("profile");
    let path = dir.path().join("contratto.pdf");
    std::fs::write(&path, pdf()).expect("pdf");
    let metadata = DocumentMetadata {
        title: "Contratto".into(),
        signature_fields: vec![],
    };
    let mut samples = Vec::new();
    for n in 0..SAMPLES {
        let send_id = format!("bozza-{n}");
        let submitted = Instant::now();
        engine
            .submit(
                &send_id,
                SendSpec {
                    profile_id: PROFILE.into(),
                    document_type: DocumentType {
                        name: "Accordo".into(),
                        dossier_title: "Accordo con il Comune".into(),
                        documents_metadata: vec![metadata.clone()],
                        support_email: None,
                    },
                    signer: SignerInfo {
                        fiscal_code: "RSSMRA80A01H501U".parse().expect("a valid fiscal code"),
                        display_name: "Mario Rossi".into(),
                    },
                    title: format!("Contratto {n}"),
                    documents: vec![SendDocument {
                        metadata: metadata.clone(),
                        path: path.clone(),
                        sha256: None,
                    }],
                    expires_at: None,
                    delivery: Delivery::QrOnly,
                },
            )
            .await
            .expect("submit");
        let request_id = loop {
            match tokio::time::timeout(Duration::from_secs(60), rx.recv()).await {
                Ok(Ok(EngineEvent::SendCompleted {
                    send_id: s, request_id, ..
                })) if s == send_id => break request_id,
                Ok(Ok(EngineEvent::Failed { message, .. })) => panic!("send failed: {message}"),
                Ok(_) => {}
                Err(_) => panic!("send did not complete"),
            }
        };
        let sent = submitted.elapsed();
        let before = notifier.notifications().len();
        sb.sign(&request_id).await.expect("sign");
        let signed = Instant::now();
        loop {
            match tokio::time::timeout(Duration::from_secs(120), rx.recv()).await {
                Ok(Ok(EngineEvent::Archived { request_id: r, .. })) if r == request_id => break,
                Ok(_) => {}
                Err(_) => panic!("never archived"),
            }
        }
        let archived = signed.elapsed();
        // The notification is raised right after the archive is recorded.
        let notified = loop {
            if notifier.notifications().len() > before {
                break signed.elapsed();
            }
            tokio::task::yield_now().await;
        };
        println!(
            "sample {n}: draft → waiting {sent:.2?}; signature → archived {archived:.2?}, notified {notified:.2?}"
        );
        samples.push(notified);
    }
    samples.sort();
    println!(
        "signature → archived + notified over {SAMPLES} samples: median {:.2?}, max {:.2?} (default fast poll 5 s)",
        samples[SAMPLES / 2],
        samples[SAMPLES - 1]
    );
    sb.shutdown().await;
}
