//! Issue #10 item 3: hostile PDFs (the corpus committed in firmadesk-pdf's fixtures) are refused as
//! documents that cannot be parsed, with bounded work and memory: no hang, no out-of-memory, and the
//! sandbox keeps serving afterwards.

use std::path::PathBuf;
use std::time::Duration;

use iosign_sandbox::pdf as checks;
use serde_json::json;

use crate::common::*;

fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../firmadesk-pdf/tests/fixtures/hostile")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Refused for their structure (a loop, a DAG of shared fields, an object stream that inflates to 1 GiB).
const REFUSED: [&str; 3] = ["kids-self.pdf", "kids-dag.pdf", "inflate-bomb-objstm.pdf"];

/// Odd but parseable: each gets an answer (accepted or refused), whatever it is.
const ANSWERED: [&str; 9] = [
    "kids-deep.pdf",
    "nesting-deep.pdf",
    "inflate-bomb-content.pdf",
    "mediabox-huge.pdf",
    "page-tall.pdf",
    "count-huge.pdf",
    "pages-cycle.pdf",
    "xref-prev-loop.pdf",
    "xref-prev-self.pdf",
];

/// Runs the service's checks on another thread; a generous watchdog catches hangs (not a speed test).
fn validate_within_watchdog(name: &'static str) -> Result<(), String> {
    let bytes = corpus(name);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(checks::validate(&bytes, &[]));
    });
    rx.recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("{name}: no answer within 120 s"))
}

#[test]
fn hostile_structures_are_refused_as_unparseable_documents() {
    for name in REFUSED {
        assert_eq!(
            validate_within_watchdog(name).unwrap_err(),
            checks::TOO_COMPLEX,
            "{name}"
        );
    }
    for name in ANSWERED {
        let _ = validate_within_watchdog(name);
    }
}

#[tokio::test]
async fn a_hostile_upload_is_rejected_and_the_sandbox_keeps_serving() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    for (bytes, expect_ready) in [(corpus("kids-dag.pdf"), false), (pdf(&[A4], false), true)] {
        let dossier = api.dossier(json!([created_field(0, 10.0, 10.0, 50.0, 20.0)])).await;
        let signer = api.signer(CF).await;
        let (id, doc) = api.request(&dossier, &signer).await;
        let put = api.upload(&id, &doc, bytes).await;
        assert_eq!(put.status, 201, "{}", put.text);
        let doc = api.validated(&id).await["documents"][0].clone();
        if expect_ready {
            assert_eq!(doc["status"], "READY", "{doc}");
        } else {
            assert_eq!(doc["status"], "REJECTED", "{doc}");
            assert_eq!(doc["reject_reason"], checks::TOO_COMPLEX);
        }
    }
}
