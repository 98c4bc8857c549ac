//! Saga timing on tokio's paused clock: no HTTP involved (dossier and signer are cached), so
//! the injected clock and jitter make the backoff schedule exact.

use crate::common::*;
use firmadesk_engine::{
    ArchivedFile, Delivery, Engine, EngineError, EngineEvent, EngineStore, LocalRequest, MemoryStore, SendRecord,
    SendStep, TokioWallClock,
};
use firmadesk_store::{Event, IoRequestId, LocalId};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The in-memory store, except that the next `fail_saves` saves of a send fail (the SQLite
/// file on a full disk).
struct FailingStore {
    inner: MemoryStore,
    fail_saves: AtomicU32,
}

type R<T> = Result<T, EngineError>;

#[async_trait::async_trait]
impl EngineStore for FailingStore {
    async fn dossier_id(&self, p: &str, t: &str) -> R<Option<String>> {
        self.inner.dossier_id(p, t).await
    }
    async fn set_dossier_id(&self, p: &str, t: &str, d: &str) -> R<()> {
        self.inner.set_dossier_id(p, t, d).await
    }
    async fn dossiers(&self, p: &str) -> R<Vec<(String, String)>> {
        self.inner.dossiers(p).await
    }
    async fn signer_id(&self, p: &str, cf: &str) -> R<Option<String>> {
        self.inner.signer_id(p, cf).await
    }
    async fn set_signer_id(&self, p: &str, cf: &str, s: &str) -> R<()> {
        self.inner.set_signer_id(p, cf, s).await
    }
    async fn save_send(&self, record: &SendRecord) -> R<()> {
        let failing = self
            .fail_saves
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if failing {
            return Err(EngineError::store("database or disk is full"));
        }
        self.inner.save_send(record).await
    }
    async fn send(&self, id: &LocalId) -> R<Option<SendRecord>> {
        self.inner.send(id).await
    }
    async fn unfinished_sends(&self) -> R<Vec<SendRecord>> {
        self.inner.unfinished_sends().await
    }
    async fn request(&self, p: &str, id: &IoRequestId) -> R<Option<LocalRequest>> {
        self.inner.request(p, id).await
    }
    async fn upsert_request(&self, r: &LocalRequest) -> R<()> {
        self.inner.upsert_request(r).await
    }
    async fn requests_in_dossier(&self, p: &str, d: &str) -> R<Vec<LocalRequest>> {
        self.inner.requests_in_dossier(p, d).await
    }
    async fn record_event(&self, e: &Event) -> R<()> {
        self.inner.record_event(e).await
    }
    async fn record_archive(&self, f: &ArchivedFile) -> R<()> {
        self.inner.record_archive(f).await
    }
    async fn archived_files(&self, id: &LocalId) -> R<Vec<ArchivedFile>> {
        self.inner.archived_files(id).await
    }
    async fn record_verification(&self, v: &firmadesk_engine::store::Verification) -> R<()> {
        self.inner.record_verification(v).await
    }
    async fn protocol_number(&self, id: &LocalId) -> R<Option<String>> {
        self.inner.protocol_number(id).await
    }
    async fn record_evidence(&self, id: &LocalId, json: &str, now: i64) -> R<()> {
        self.inner.record_evidence(id, json, now).await
    }
    async fn try_lease(&self, p: &str, h: &str, now: i64, ttl: i64) -> R<Option<firmadesk_store::Lease>> {
        self.inner.try_lease(p, h, now, ttl).await
    }
    async fn release_lease(&self, l: &firmadesk_store::Lease) -> R<()> {
        self.inner.release_lease(l).await
    }
    fn fence(&self, p: &str, l: Option<firmadesk_store::Lease>) {
        self.inner.fence(p, l);
    }
    async fn put_file(&self, sha: &str, bytes: &[u8], now: i64) -> R<()> {
        self.inner.put_file(sha, bytes, now).await
    }
    async fn file(&self, sha: &str) -> R<Option<Vec<u8>>> {
        self.inner.file(sha).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_store_queues_the_send_on_an_exact_backoff_and_loses_no_step() {
    let h = Harness::new();
    let store = Arc::new(FailingStore {
        inner: MemoryStore::new(),
        fail_saves: AtomicU32::new(0),
    });
    store
        .set_dossier_id(PROFILE, &accordo_dossier_key(), "01DOSSIERCACHED")
        .await
        .unwrap();
    store.set_signer_id(PROFILE, CF, "signer-cached").await.unwrap();
    let start = time::macros::datetime!(2026-11-25 09:00 UTC);
    let mut config = engine_config(&h.archive());
    config.retry_initial = Duration::from_secs(2);
    config.retry_max = Duration::from_secs(60);
    let engine = Engine::builder(config, store.clone())
        // Jitter pinned at the top of its range: delays are exactly 2 s, 4 s, ...
        .clock(Arc::new(TokioWallClock::new(start, 1.0)))
        .build();
    let mut rx = engine.subscribe();
    // Nothing listens there: this test ends before any call.
    engine
        .add_profile(PROFILE, client_for("http://127.0.0.1:9/api/v1/sign").build().unwrap())
        .await
        .unwrap();
    let pdf = h.pdf("c.pdf");
    store.fail_saves.store(0, Ordering::SeqCst);
    engine
        .submit("bozza-p", h.spec(&pdf, Delivery::IoMessage))
        .await
        .unwrap();
    // The saves after the first step fail three times (the step's own save, and the queue's).
    store.fail_saves.store(3, Ordering::SeqCst);

    let mut queued = Vec::new();
    loop {
        let ev = wait_for(&mut rx, 120, "the first step saved", |e| {
            matches!(e, EngineEvent::Queued { .. } | EngineEvent::StepFinished { .. })
        })
        .await;
        match ev {
            EngineEvent::Queued {
                next_attempt_at,
                message,
                ..
            } => {
                assert!(message.contains("archivio locale"), "{message}");
                queued.push(next_attempt_at);
            }
            EngineEvent::StepFinished { step, .. } => {
                assert_eq!(step, SendStep::EnsureDossier);
                break;
            }
            _ => unreachable!(),
        }
    }
    assert_eq!(
        queued,
        vec![
            start + time::Duration::seconds(2),
            start + time::Duration::seconds(2 + 4)
        ]
    );
    // The step was not repeated, and the saved record moved on only once it could be saved.
    wait_for(&mut rx, 120, "the signer step", |e| {
        matches!(
            e,
            EngineEvent::StepFinished {
                step: SendStep::ResolveSigner,
                ..
            }
        )
    })
    .await;
    let saved = store.send(&"bozza-p".into()).await.unwrap().unwrap();
    assert_eq!(saved.step, SendStep::CreateRequest);
    assert_eq!(saved.attempts, 0);
    assert_eq!(saved.dossier_id.as_deref(), Some("01DOSSIERCACHED"));
    assert_eq!(saved.signer_id.as_deref(), Some("signer-cached"));
    drop(engine);
}
