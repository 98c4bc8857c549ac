//! Regression tests of issue #10 ("Nothing lost, nothing leaked, nothing hangs"), engine side:
//! item 4 (the create mark is durable before the POST), item 5 (a wrong desk clock neither hides
//! nor duplicates a request), item 6 (a bad download is never archived).

use crate::common::*;
use firmadesk_engine::{Clock, CrashPoint, Delivery, Engine, EngineEvent, EngineStore, SendRecord, SendStep};
use firmadesk_store::SqliteStore;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// ---- item 4: durable mark before the non-idempotent POST ----

/// Answers `POST /signature-requests` after reading the database through its own, independent
/// connection: what it sees is what a commit put in the file before the POST arrived.
struct ProbeCreate {
    db: std::path::PathBuf,
    log: Arc<Mutex<Vec<String>>>,
}

impl Respond for ProbeCreate {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let reader = SqliteStore::open(&self.db, 0).expect("second connection");
        let state = reader.send(&"bozza-durable".into()).expect("read").expect("send row");
        self.log.lock().unwrap().push(format!(
            "post arrived; another connection sees create_attempted_at={}",
            state.create_attempted_at.is_some()
        ));
        // An unclear outcome: the engine will reconcile, not matter here.
        ResponseTemplate::new(503)
    }
}

#[tokio::test]
async fn regression_10_4_the_create_mark_is_committed_with_fsync_before_the_post_is_sent() {
    let h = Harness::new();
    // The connection the engine writes through: WAL, and FULL so that a commit has been
    // fsynced (the WAL) when it returns; with NORMAL a power cut may undo it.
    assert_eq!(h.sqlite.pragma("journal_mode").unwrap(), "wal");
    assert_eq!(h.sqlite.pragma("synchronous").unwrap(), "2", "synchronous=FULL");
    // Dossier and signer already known: the create is the send's first call.
    h.store
        .set_dossier_id(PROFILE, &accordo_dossier_key(), "01DOSSIER")
        .await
        .unwrap();
    h.store.set_signer_id(PROFILE, CF, "01SIGNER").await.unwrap();
    let server = MockServer::start().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path("/api/v1/sign/signature-requests"))
        .respond_with(ProbeCreate {
            db: db_path(h.dir.path()),
            log: log.clone(),
        })
        .mount(&server)
        .await;
    // Any other call (the server-time read, the reconciliation) gets a dated 404.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;

    let mut config = engine_config(&h.archive());
    let hook_log = log.clone();
    config.crash_hook = Some(Arc::new(move |p, _r: &SendRecord| {
        if p == CrashPoint::BeforeCreateCall {
            // Called after save_send returned, i.e. after the commit (and its fsync).
            hook_log.lock().unwrap().push("mark committed".to_owned());
        }
        false
    }));
    let engine = h.engine(config);
    let mut rx = engine.subscribe();
    engine
        .add_profile(
            PROFILE,
            client_for(&format!("{}/api/v1/sign", server.uri())).build().unwrap(),
        )
        .await
        .unwrap();
    let pdf = h.pdf("c.pdf");
    engine
        .submit("bozza-durable", h.spec(&pdf, Delivery::QrOnly))
        .await
        .unwrap();
    wait_for(&mut rx, 20, "the send queued after the unclear create", |e| {
        matches!(e, EngineEvent::Queued { .. })
    })
    .await;
    engine.shutdown();
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log.first().map(String::as_str),
        Some("mark committed"),
        "the mark must be committed before the POST: {log:?}"
    );
    assert_eq!(
        log.get(1).map(String::as_str),
        Some("post arrived; another connection sees create_attempted_at=true"),
        "{log:?}"
    );
}

// ---- item 5: adoption independent of the desk's clock ----

/// The system clock moved by a fixed amount: a desk whose clock is wrong.
struct SkewedClock(time::Duration);

impl Clock for SkewedClock {
    fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc() + self.0
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn random(&self) -> f64 {
        0.5
    }
}

#[tokio::test]
async fn regression_10_5_a_desk_clock_an_hour_off_adopts_its_request_and_never_duplicates() {
    for skew in [time::Duration::hours(1), time::Duration::hours(-1)] {
        let sb = sandbox(sandbox_config()).await;
        let h = Harness::new();
        let pdf = h.pdf("c.pdf");
        let clock: Arc<dyn Clock> = Arc::new(SkewedClock(skew));
        let (tx, mut crashed) = tokio::sync::mpsc::unbounded_channel();
        let mut config = engine_config(&h.archive());
        config.crash_hook = Some(Arc::new(move |p, _r: &SendRecord| {
            let hit = p == CrashPoint::CreateResponseLost;
            if hit {
                let _ = tx.send(());
            }
            hit
        }));
        let first = Engine::builder(config, h.store.clone()).clock(clock.clone()).build();
        first.add_profile(PROFILE, client(&sb)).await.unwrap();
        first.submit("b", h.spec(&pdf, Delivery::QrOnly)).await.unwrap();
        tokio::time::timeout(Duration::from_secs(20), crashed.recv())
            .await
            .unwrap();
        drop(first);
        let saved = h.store.send(&"b".into()).await.unwrap().unwrap();
        assert_eq!(saved.step, SendStep::CreateRequest, "{skew}");
        assert_eq!(sb.signature_request_count(), 1, "{skew}: the create reached IO");

        sb.clear_request_log();
        // A fresh client: it has seen no `Date` yet when the send resumes.
        let second = Engine::builder(engine_config(&h.archive()), h.store.clone())
            .clock(clock.clone())
            .build();
        let mut rx = second.subscribe();
        second.add_profile(PROFILE, client(&sb)).await.unwrap();
        let id = completed(&mut rx, "b", 20).await;
        assert_eq!(
            count_ops(&sb, "createSignatureRequest"),
            0,
            "{skew}: must adopt, not create"
        );
        assert_eq!(sb.signature_request_count(), 1, "{skew}: duplicate request");
        assert_eq!(sb.signature_request_status(&id), Some("WAIT_FOR_SIGNATURE"), "{skew}");
        assert!(h.event_codes().await.iter().any(|c| c == "create_adopted"), "{skew}");
    }
}

// ---- item 6: only a signed PDF is archived ----

/// Serves the blob with whatever bytes the test puts in.
struct Blob(Arc<Mutex<Vec<u8>>>);

impl Respond for Blob {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let body = self.0.lock().unwrap().clone();
        let kind = if body.starts_with(b"<") {
            "text/html"
        } else {
            "application/pdf"
        };
        ResponseTemplate::new(200).set_body_raw(body, kind)
    }
}

#[tokio::test]
async fn regression_10_6_an_html_page_a_truncated_pdf_or_the_unsigned_original_is_not_archived() {
    // A real request, sent and signed on the sandbox; the engine that archives it talks to a mock
    // of IO serving the sandbox's own listing and detail, with the document URL pointing at a
    // blob whose bytes the test chooses.
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let sender = h.engine(engine_config(&h.archive()));
    let mut rx = sender.subscribe();
    sender.add_profile(PROFILE, client(&sb)).await.unwrap();
    let pdf = h.pdf("originale.pdf");
    sender.submit("bozza-6", h.spec(&pdf, Delivery::QrOnly)).await.unwrap();
    let id = completed(&mut rx, "bozza-6", 20).await;
    sender.shutdown();
    drop(sender);
    let record = h.store.send(&"bozza-6".into()).await.unwrap().unwrap();
    let original = std::fs::read(&pdf).unwrap();
    assert_eq!(
        record.uploaded_sha256,
        vec![hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&original))],
        "the upload's hash is recorded"
    );
    // The draft's file is gone (retention): only the recorded hash can tell the original.
    std::fs::remove_file(&pdf).unwrap();
    sb.sign(&id).await.unwrap();
    let c = client(&sb);
    let detail = c.signature_requests().get(&id).await.unwrap();
    let signed = c
        .download_signed(detail.documents[0].url().unwrap())
        .await
        .unwrap()
        .to_vec();

    let http = reqwest::Client::new();
    let get_json = |url: String| {
        let http = http.clone();
        async move {
            http.get(url)
                .header(iosign::API_KEY_HEADER, KEY)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let listing = get_json(format!(
        "{}/dossiers/{}/signature-requests?limit=100",
        sb.base_url(),
        record.dossier_id.clone().unwrap()
    ))
    .await;
    let mut raw_detail = get_json(format!("{}/signature-requests/{id}", sb.base_url())).await;

    let mock = MockServer::start().await;
    raw_detail["documents"][0]["url"] = format!("{}/blob/signed.pdf?sig=x", mock.uri()).into();
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v1/sign/dossiers/{}/signature-requests",
            record.dossier_id.clone().unwrap()
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing))
        .mount(&mock)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v1/sign/signature-requests/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(raw_detail))
        .mount(&mock)
        .await;
    let blob = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .and(path("/blob/signed.pdf"))
        .respond_with(Blob(blob.clone()))
        .mount(&mock)
        .await;

    let engine = h.engine(engine_config(&h.archive()));
    engine
        .add_profile(
            PROFILE,
            client_for(&format!("{}/api/v1/sign", mock.uri())).build().unwrap(),
        )
        .await
        .unwrap();
    let mut truncated = signed.clone();
    truncated.truncate(signed.len() * 2 / 3);
    let bad: [(&str, Vec<u8>); 3] = [
        (
            "an HTML error page",
            b"<html><body>Service Unavailable</body></html>".to_vec(),
        ),
        ("a truncated PDF", truncated),
        ("the unsigned original", original.clone()),
    ];
    for (what, bytes) in bad {
        *blob.lock().unwrap() = bytes;
        let before = h
            .event_codes()
            .await
            .iter()
            .filter(|c| *c == "download_invalid")
            .count();
        let _ = engine.sync_now(PROFILE).await;
        let local = h.local(&id).await.unwrap();
        assert!(!local.archived, "{what} was archived");
        assert!(
            h.store
                .archived_files(&h.local(&id).await.unwrap().local_id)
                .await
                .unwrap()
                .is_empty(),
            "{what}"
        );
        let after = h
            .event_codes()
            .await
            .iter()
            .filter(|c| *c == "download_invalid")
            .count();
        assert_eq!(after, before + 1, "{what}: one timeline event per refused download");
    }
    let texts: Vec<String> = h
        .store
        .db()
        .recent_events(1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "download_invalid")
        .map(|e| e.text)
        .collect();
    assert!(
        texts
            .iter()
            .all(|t| t.contains("non è stato archiviato") && t.contains("di nuovo")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("senza firma")), "{texts:?}");
    let files_on_disk = walk(&h.archive());
    assert!(
        files_on_disk.is_empty(),
        "nothing in the archive folder: {files_on_disk:?}"
    );

    // The service serves the real signed PDF again: the next pass archives it.
    *blob.lock().unwrap() = signed.clone();
    let report = engine.sync_now(PROFILE).await.unwrap();
    assert_eq!(report.archived, 1);
    let local = h.local(&id).await.unwrap();
    assert!(local.archived);
    let files = h
        .store
        .archived_files(&h.local(&id).await.unwrap().local_id)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(std::fs::read(&files[0].path).unwrap(), signed);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
