//! The poller against the sandbox: call counts, signed → archive, rejected, cancel, disk failures.

use crate::common::*;
use firmadesk_engine::{
    ArchiveWriter, Delivery, Engine, EngineErrorKind, EngineEvent, EngineStore, Expiry, LocalRequest,
};
use firmadesk_store::LocalId;
use iosign::{Client, CreateDossierBody, CreateSignatureRequestBody, FiscalCode, SignatureRequestStatus};
use sha2::{Digest, Sha256};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Sends one request to WAIT_FOR_SIGNATURE (QR only) and returns its id.
async fn waiting_request(engine: &Engine, h: &Harness, send_id: &str) -> IoRequestId {
    let mut rx = engine.subscribe();
    let pdf = h.pdf(&format!("{send_id}.pdf"));
    engine.submit(send_id, h.spec(&pdf, Delivery::QrOnly)).await.unwrap();
    completed(&mut rx, send_id, 20).await
}

#[tokio::test]
async fn signed_documents_are_archived_at_once_with_their_sha256_and_a_notification() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let mut config = engine_config(&h.archive());
    config.auto_sync = true; // the real poller, fast right after the publish
    let engine = h.engine(config);
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-s").await;

    sb.sign(&id).await.unwrap();
    let signed_at = Instant::now();
    let ev = wait_for(&mut rx, 20, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    let latency = signed_at.elapsed();
    let EngineEvent::Archived {
        path,
        sha256,
        request_id,
        ..
    } = ev
    else {
        unreachable!()
    };
    eprintln!("citizen signature → archived file: {latency:?} (fast poll 30 ms)");
    assert_eq!(request_id, id);

    let year = time::OffsetDateTime::now_utc().year();
    let expected = h
        .archive()
        .join(year.to_string())
        .join("Accordo")
        .join(format!("Mario Rossi - Contratto di locazione - {id}.pdf"));
    assert_eq!(path, expected);
    let on_disk = std::fs::read(&path).unwrap();
    assert_eq!(hex::encode(Sha256::digest(&on_disk)), sha256);
    // The same bytes the service hands out.
    let c = client(&sb);
    let detail = c.signature_requests().get(&id).await.unwrap();
    let from_io = c.download_signed(detail.documents[0].url().unwrap()).await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&from_io)), sha256);
    sb.verify_signature(&on_disk).expect("a signed PDF");
    let files = h
        .store
        .archived_files(&h.local(&id).await.unwrap().local_id)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sha256, sha256);

    // The notification may follow the event by a moment (saved first, then notified).
    let notified = loop {
        let n = h.notifier.notifications();
        if let Some(n) = n.into_iter().find(|n| n.local_id == "bozza-s") {
            break n;
        }
        wait_for(&mut rx, 5, "next sync", |e| {
            matches!(e, EngineEvent::SyncFinished { .. })
        })
        .await;
    };
    assert_eq!(notified.kind, firmadesk_engine::NotificationKind::Signed);
    assert_eq!(
        (notified.request_title.as_str(), notified.signer_name.as_str()),
        ("Contratto di locazione", "Mario Rossi")
    );
    let local = h.local(&id).await.unwrap();
    assert!(local.archived);
    assert_eq!(local.status, SignatureRequestStatus::Signed);
    // Later passes neither download nor notify again.
    wait_for(&mut rx, 5, "a later pass", |e| {
        matches!(e, EngineEvent::SyncFinished { .. })
    })
    .await;
    wait_for(&mut rx, 5, "a later pass", |e| {
        matches!(e, EngineEvent::SyncFinished { .. })
    })
    .await;
    assert_eq!(h.notifier.notifications().len(), 1);
}

/// Issue #14: a protocol number typed before the citizen signs names the archived file, and IO Sign's
/// evidence of the request is kept without its links.
#[tokio::test]
async fn the_protocol_number_names_the_archived_file_and_the_evidence_is_kept_without_links() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let mut config = engine_config(&h.archive());
    config.auto_sync = true;
    let engine = h.engine(config);
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-p").await;
    let local_id = LocalId::from("bozza-p");
    let protocol = firmadesk_store::Protocol {
        request_id: local_id.clone(),
        number: "2026/0012345".into(),
        updated_by: "Anna Bianchi".into(),
        ..Default::default()
    };
    h.sqlite.set_protocol(&protocol).unwrap();
    assert_eq!(h.sqlite.evidence(&local_id).unwrap(), None);

    sb.sign(&id).await.unwrap();
    let ev = wait_for(&mut rx, 20, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    let EngineEvent::Archived { path, .. } = ev else {
        unreachable!()
    };
    assert_eq!(
        path.file_name().unwrap().to_str().unwrap(),
        format!("Prot. 2026_0012345 - Mario Rossi - Contratto di locazione - {id}.pdf")
    );
    // The service's own detail has a download link; the evidence has the request without it.
    let detail = client(&sb).signature_requests().get(&id).await.unwrap();
    assert!(detail.documents[0].url().is_some());
    let evidence: serde_json::Value = serde_json::from_str(&h.sqlite.evidence(&local_id).unwrap().unwrap()).unwrap();
    assert_eq!(evidence["id"], id.as_str());
    assert_eq!(evidence["status"], "SIGNED");
    assert_eq!(evidence["documents"][0]["id"], detail.documents[0].id.as_str());
    assert!(!evidence.to_string().contains("url"), "{evidence}");
}

/// A writer that fails with a given error until told otherwise.
struct FlakyDisk {
    /// 0 = works, 1 = disk full, 2 = read-only.
    mode: AtomicU8,
}

impl ArchiveWriter for FlakyDisk {
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<std::path::PathBuf> {
        match self.mode.load(Ordering::SeqCst) {
            1 => Err(io::Error::from(io::ErrorKind::StorageFull)),
            2 => Err(io::Error::from(io::ErrorKind::PermissionDenied)),
            _ => firmadesk_engine::FsArchiveWriter.write_new(path, bytes),
        }
    }
}

#[tokio::test]
async fn a_full_or_read_only_disk_is_explained_retried_and_loses_nothing() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let disk = Arc::new(FlakyDisk { mode: AtomicU8::new(1) });
    let engine = Engine::builder(engine_config(&h.archive()), h.store.clone())
        .notifier(Arc::new(h.notifier.clone()))
        .archive_writer(disk.clone())
        .build();
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-d").await;
    sb.sign(&id).await.unwrap();

    let report = engine.sync_now(PROFILE).await.unwrap();
    assert_eq!(report.archived, 0);
    let ev = wait_for(&mut rx, 5, "archive failed", |e| {
        matches!(e, EngineEvent::ArchiveFailed { .. })
    })
    .await;
    let EngineEvent::ArchiveFailed { message, .. } = ev else {
        unreachable!()
    };
    assert!(
        message.contains("il disco è pieno") && message.contains("ritentato"),
        "{message}"
    );
    assert!(!h.local(&id).await.unwrap().archived);
    let n = h.notifier.notifications();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].kind, firmadesk_engine::NotificationKind::SignedNotArchived);

    disk.mode.store(2, Ordering::SeqCst);
    engine.sync_now(PROFILE).await.unwrap();
    let ev = wait_for(&mut rx, 5, "archive failed", |e| {
        matches!(e, EngineEvent::ArchiveFailed { .. })
    })
    .await;
    let EngineEvent::ArchiveFailed { message, .. } = ev else {
        unreachable!()
    };
    assert!(message.contains("sola lettura"), "{message}");

    // Disk back: the next pass fetches fresh links (the old ones may have expired) and archives.
    disk.mode.store(0, Ordering::SeqCst);
    let report = engine.sync_now(PROFILE).await.unwrap();
    assert_eq!(report.archived, 1);
    assert!(h.local(&id).await.unwrap().archived);
    let files = h
        .store
        .archived_files(&h.local(&id).await.unwrap().local_id)
        .await
        .unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(std::fs::read(&files[0].path).unwrap())),
        files[0].sha256
    );
    assert_eq!(h.notifier.notifications().len(), 1, "signed is notified once");
}

#[tokio::test]
async fn an_unusable_archive_folder_on_the_real_file_system_is_retried() {
    // Tests run as root in CI, where a chmod'ed folder stays writable: a *file* where the
    // archive folder should be fails for every user.
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    std::fs::write(h.archive(), b"not a folder").unwrap();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-f").await;
    sb.sign(&id).await.unwrap();
    engine.sync_now(PROFILE).await.unwrap();
    let ev = wait_for(&mut rx, 5, "archive failed", |e| {
        matches!(e, EngineEvent::ArchiveFailed { .. })
    })
    .await;
    let EngineEvent::ArchiveFailed { message, .. } = ev else {
        unreachable!()
    };
    assert!(
        message.starts_with("Impossibile salvare il documento firmato"),
        "{message}"
    );
    std::fs::remove_file(h.archive()).unwrap();
    let report = engine.sync_now(PROFILE).await.unwrap();
    assert_eq!(report.archived, 1);
}

#[tokio::test]
async fn a_rejected_signature_notifies_the_clerk_with_the_reason() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-x").await;
    sb.reject(&id, "QTSP non disponibile").await.unwrap();
    engine.sync_now(PROFILE).await.unwrap();
    wait_for(&mut rx, 5, "status changed", |e| {
        matches!(
            e,
            EngineEvent::StatusChanged {
                to: SignatureRequestStatus::Rejected,
                ..
            }
        )
    })
    .await;
    let n = h.notifier.notifications();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].kind, firmadesk_engine::NotificationKind::Rejected);
    assert_eq!(n[0].reason.as_deref(), Some("QTSP non disponibile"));
    assert_eq!(n[0].local_id, "bozza-x");
    assert_eq!(
        h.local(&id).await.unwrap().reject_reason.as_deref(),
        Some("QTSP non disponibile")
    );
}

#[tokio::test]
async fn cancel_works_only_from_wait_for_signature() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-c").await;
    let local = engine.cancel(PROFILE, &id).await.unwrap();
    assert_eq!(local.status, SignatureRequestStatus::Cancelled);
    assert_eq!(sb.signature_request_status(&id), Some("CANCELLED"));
    let err = engine.cancel(PROFILE, &id).await.unwrap_err();
    assert_eq!(err.kind, EngineErrorKind::NotAllowed);
    assert!(err.message.contains("Annullata"), "{}", err.message);
}

/// Creates `n` DRAFT requests in a new dossier straight through the client, registers the
/// dossier in the store and copies the listing into the local cache (as earlier passes would).
pub async fn seed_dossier(c: &Client, h_store: &dyn EngineStore, doc_type: &str, n: usize) -> String {
    let dossier = c
        .dossiers()
        .create(&CreateDossierBody {
            title: format!("Dossier {doc_type}"),
            support_email: None,
            documents_metadata: vec![metadata("Contratto di prova")],
        })
        .await
        .unwrap();
    let signer = c
        .signers()
        .get_by_fiscal_code(&FiscalCode::parse(CF).unwrap())
        .await
        .unwrap();
    let body = CreateSignatureRequestBody {
        dossier_id: dossier.id.clone(),
        signer_id: signer.id,
        expires_at: None,
        documents_metadata: None,
    };
    let handler = c.signature_requests();
    let create = || async {
        loop {
            match handler.create(&body).await {
                // A 429 is refused before anything happens: safe to repeat (seeding only).
                Err(e) if matches!(e.kind, iosign::ApiErrorKind::RateLimited { .. }) => {
                    c.rate_limiter().acquire().await;
                }
                other => return other,
            }
        }
    };
    let mut pending = futures::stream::iter((0..n).map(|_| create())).buffer_unordered(16);
    while let Some(r) = futures::StreamExt::next(&mut pending).await {
        r.unwrap();
    }
    drop(pending);
    h_store.set_dossier_id(PROFILE, doc_type, &dossier.id).await.unwrap();
    let mut items = std::pin::pin!(c
        .dossiers()
        .signature_requests(dossier.id.clone())
        .limit(100)
        .into_stream());
    while let Some(item) = futures::StreamExt::next(&mut items).await {
        let item = item.unwrap();
        h_store
            .upsert_request(&LocalRequest {
                profile_id: PROFILE.into(),
                request_id: item.id.clone().into(),
                dossier_id: item.dossier_id.clone(),
                signer_id: item.signer_id.clone(),
                local_id: LocalId::foreign(&item.id.clone().into()),
                document_type: doc_type.into(),
                signer_name: "Mario Rossi".into(),
                title: "Contratto".into(),
                status: item.status.clone(),
                created_at: item.created_at,
                updated_at: item.updated_at,
                expires_at: item.expires_at,
                reject_reason: None,
                expiry: Expiry::Valid,
                archived: false,
                published_at: None,
            })
            .await
            .unwrap();
    }
    dossier.id
}

use futures::StreamExt;

#[tokio::test]
async fn a_sync_pass_costs_one_list_call_per_100_requests_plus_one_detail_per_change() {
    let mut cfg = sandbox_config();
    cfg.rate_limit_calls = 100_000; // seeding is not what is measured
    let sb = sandbox(cfg).await;
    let h = Harness::new();
    let c = client(&sb);
    let d1 = seed_dossier(&c, h.store.as_ref(), "Accordo", 250).await;
    let _d2 = seed_dossier(&c, h.store.as_ref(), "Delibera", 30).await;
    // Made by "another desk": IO never tells a signer's fiscal code, so the rows have none.
    let rows = h.store.db().requests_in_dossier(PROFILE, &d1).await.unwrap();
    assert_eq!(rows.len(), 250);
    assert!(rows.iter().all(|r| r.id.starts_with("io-") && r.fiscal_code.is_empty()));

    // Three requests change on IO: a document is uploaded and validated.
    let mut changed = Vec::new();
    let mut items = std::pin::pin!(c.dossiers().signature_requests(d1).limit(100).into_stream());
    while let Some(item) = items.next().await {
        changed.push(item.unwrap().id);
        if changed.len() == 3 {
            break;
        }
    }
    for id in &changed {
        let detail = c.signature_requests().get(id).await.unwrap();
        let url = c
            .signature_requests()
            .upload_url(id, &detail.documents[0].id)
            .await
            .unwrap();
        let pdf = pdf_bytes();
        let len = pdf.len() as u64;
        c.upload_document(&url, pdf, len, |_, _| {}).await.unwrap();
    }
    // Validation is asynchronous: wait (bounded) until every change is visible.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    for id in &changed {
        loop {
            let d = c.signature_requests().get(id).await.unwrap();
            if d.documents[0].status() == iosign::DocumentStatus::Ready {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "validation never finished");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    let engine = h.engine(engine_config(&h.archive()));
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    sb.clear_request_log();
    let report = engine.sync_now(PROFILE).await.unwrap();
    let expected_lists = 250usize.div_ceil(100) + 30usize.div_ceil(100);
    assert_eq!(report.list_calls as usize, expected_lists);
    assert_eq!(report.detail_calls, 3);
    assert_eq!(report.changed, 3);
    // Counted on the service's side too.
    assert_eq!(count_ops(&sb, "getRequestsByDossier"), expected_lists);
    assert_eq!(count_ops(&sb, "getSignatureRequest"), 3);
    for entry in sb.request_log() {
        if entry.operation == Some("getRequestsByDossier") {
            assert!(entry.query.unwrap_or_default().contains("limit=100"));
        }
    }
    // Nothing changed since: lists only.
    sb.clear_request_log();
    let again = engine.sync_now(PROFILE).await.unwrap();
    assert_eq!((again.list_calls as usize, again.detail_calls), (expected_lists, 0));
    assert_eq!(sb.request_log().len(), expected_lists);
}

#[tokio::test]
async fn a_429_storm_never_pushes_more_than_the_budget_per_window() {
    // The service grants 20 calls per second to this key, while the client believes it has
    // 150 / 5 s (another desk is spending the rest): only honouring 429 keeps the engine in.
    const BUDGET: usize = 20;
    const PERIOD: Duration = Duration::from_secs(1);
    const SEED_KEY: &str = "seeding-desk-key";
    let mut cfg = sandbox_config();
    cfg.rate_limit_calls = BUDGET as u32;
    cfg.rate_limit_period = PERIOD;
    // Two keys of one body: seeding spends the other key's budget, not the measured one.
    cfg.single_issuer = Some("Comune di Prova".into());
    cfg.api_keys.push(SEED_KEY.into());
    let sb = Arc::new(sandbox(cfg).await);
    let h = Harness::new();
    let seeder = iosign::Client::builder(sb.base_url(), iosign::ApiKey::new(SEED_KEY))
        .rate_limiter(iosign::RateLimiter::new(BUDGET, PERIOD))
        .build()
        .unwrap();
    let dossier = seed_dossier(&seeder, h.store.as_ref(), "Accordo", 40).await;
    // Every local copy is stale: the pass reads 40 details + 1 list.
    for mut r in h.store.requests_in_dossier(PROFILE, &dossier).await.unwrap() {
        r.updated_at -= time::Duration::hours(1);
        h.store.upsert_request(&r).await.unwrap();
    }
    sb.clear_request_log();

    // Sample the sandbox's log: each new entry is stamped with the time it was first seen.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (sb, stop) = (sb.clone(), stop.clone());
        tokio::spawn(async move {
            let start = Instant::now();
            let mut stamps: Vec<(Duration, u16)> = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let log = sb.request_log();
                for e in &log[stamps.len().min(log.len())..] {
                    stamps.push((start.elapsed(), e.status));
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let log = sb.request_log();
            for e in &log[stamps.len().min(log.len())..] {
                stamps.push((start.elapsed(), e.status));
            }
            stamps
        })
    };
    let mut config = engine_config(&h.archive());
    config.detail_concurrency = 4;
    let engine = h.engine(config);
    let c = client_for(&sb.base_url())
        .retry_policy(
            iosign::RetryPolicy::default()
                .with_backoff(Duration::from_millis(20), Duration::from_millis(200))
                .with_max_attempts(10),
        )
        .build()
        .unwrap();
    engine.add_profile(PROFILE, c).await.unwrap();
    let report = engine.sync_now(PROFILE).await.unwrap();
    stop.store(true, Ordering::SeqCst);
    let stamps = sampler.await.unwrap();

    assert_eq!((report.list_calls, report.detail_calls), (1, 40));
    let throttled = stamps.iter().filter(|(_, s)| *s == 429).count();
    assert!(throttled > 0, "no 429 at all: the test did not create a storm");
    // Any window of PERIOD: at most the budget plus the calls already in flight when a 429
    // came back (one per concurrent task), for the two pauses a window can overlap.
    let slack = 2 * 4 + 1;
    let mut worst = 0;
    for (i, (t, _)) in stamps.iter().enumerate() {
        let in_window = stamps[i..].iter().take_while(|(u, _)| *u < *t + PERIOD).count();
        worst = worst.max(in_window);
    }
    eprintln!(
        "429 storm: {} calls, {throttled} answered 429, worst {PERIOD:?} window {worst} (budget {BUDGET})",
        stamps.len()
    );
    assert!(worst <= BUDGET + slack, "{worst} calls in one window");
}

#[tokio::test]
async fn expiry_is_computed_locally_on_the_injected_clock() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let clock = firmadesk_engine::ManualClock::new(time::OffsetDateTime::now_utc());
    let engine = Engine::builder(engine_config(&h.archive()), h.store.clone())
        .clock(Arc::new(clock.clone()))
        .build();
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-e").await; // expires in 90 days (default)
    assert_eq!(h.local(&id).await.unwrap().expiry, Expiry::Valid);

    clock.advance(time::Duration::days(88) + time::Duration::hours(1));
    engine.sync_now(PROFILE).await.unwrap();
    let ev = wait_for(&mut rx, 5, "in scadenza", |e| {
        matches!(e, EngineEvent::ExpiryChanged { .. })
    })
    .await;
    assert_eq!(
        ev,
        EngineEvent::ExpiryChanged {
            local_id: "bozza-e".into(),
            request_id: id.clone(),
            expiry: Expiry::Expiring
        }
    );
    assert_eq!(h.local(&id).await.unwrap().expiry, Expiry::Expiring);

    clock.advance(time::Duration::days(2));
    engine.sync_now(PROFILE).await.unwrap();
    let ev = wait_for(&mut rx, 5, "scaduta", |e| {
        matches!(e, EngineEvent::ExpiryChanged { .. })
    })
    .await;
    assert_eq!(
        ev,
        EngineEvent::ExpiryChanged {
            local_id: "bozza-e".into(),
            request_id: id.clone(),
            expiry: Expiry::Expired
        }
    );
    // The service still says WAIT_FOR_SIGNATURE: there is no EXPIRED status.
    assert_eq!(sb.signature_request_status(&id), Some("WAIT_FOR_SIGNATURE"));
}

/// Issue #16: "in scadenza" and "scaduta" each notify once per request — not at every pass, and not again
/// after a restart (the expiry state is kept with the request).
#[tokio::test]
async fn expiring_and_expired_are_announced_once_across_passes_and_restarts() {
    use firmadesk_engine::{NotificationKind, RecordingNotifier};
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let clock = firmadesk_engine::ManualClock::new(time::OffsetDateTime::now_utc());
    let engine = Engine::builder(engine_config(&h.archive()), h.store.clone())
        .clock(Arc::new(clock.clone()))
        .notifier(Arc::new(h.notifier.clone()))
        .build();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let _id = waiting_request(&engine, &h, "bozza-e").await; // expires in 90 days (default)
    engine.sync_now(PROFILE).await.unwrap();
    assert!(
        h.notifier.notifications().is_empty(),
        "a valid request is not announced"
    );

    clock.advance(time::Duration::days(88) + time::Duration::hours(1));
    for _ in 0..3 {
        engine.sync_now(PROFILE).await.unwrap();
    }
    let kinds = |n: &RecordingNotifier| n.notifications().iter().map(|n| n.kind).collect::<Vec<_>>();
    assert_eq!(kinds(&h.notifier), [NotificationKind::Expiring]);
    let n = &h.notifier.notifications()[0];
    assert_eq!(n.local_id, "bozza-e");
    assert_eq!(n.request_title, "Contratto di locazione");

    // A restart: a new engine on the same store, its own notifier, the same clock.
    engine.shutdown();
    drop(engine);
    let again = RecordingNotifier::new();
    let engine = Engine::builder(engine_config(&h.archive()), h.store.clone())
        .clock(Arc::new(clock.clone()))
        .notifier(Arc::new(again.clone()))
        .build();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    engine.sync_now(PROFILE).await.unwrap();
    assert_eq!(kinds(&again), [], "announced before the restart");

    clock.advance(time::Duration::days(2));
    engine.sync_now(PROFILE).await.unwrap();
    engine.sync_now(PROFILE).await.unwrap();
    assert_eq!(kinds(&again), [NotificationKind::Expired]);
}

#[tokio::test]
async fn a_publish_wakes_a_poller_in_its_slow_pause() {
    // The poller's first pass runs at start, then it pauses for the slow interval (an hour here).
    // A publish must switch it to the fast cadence at once, or a citizen signing at the counter
    // would wait for the slow pause to end.
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let mut config = engine_config(&h.archive());
    config.auto_sync = true;
    config.slow_poll = Duration::from_secs(3600);
    config.fast_poll = Duration::from_millis(50);
    let engine = h.engine(config);
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-w").await;
    sb.sign(&id).await.unwrap();
    wait_for(
        &mut rx,
        10,
        "archived at the fast cadence",
        |e| matches!(e, EngineEvent::Archived { request_id, .. } if *request_id == id),
    )
    .await;
}

#[tokio::test]
async fn a_moved_archive_receives_the_next_signed_documents() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-m").await;
    let moved = h.dir.path().join("Nuovo archivio");
    engine.set_archive_dir(&moved);
    assert_eq!(engine.archive_dir(), moved);
    sb.sign(&id).await.unwrap();
    engine.sync_now(PROFILE).await.unwrap();
    let ev = wait_for(&mut rx, 10, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    let EngineEvent::Archived { path, .. } = ev else {
        unreachable!()
    };
    assert!(path.starts_with(&moved), "{}", path.display());
    assert!(path.is_file());
    assert!(!h.archive().exists(), "nothing written to the old folder");
}

#[tokio::test]
async fn a_paused_sync_runs_no_pass_and_catches_up_at_once_on_resume() {
    // The tray's "Sospendi sincronizzazione": the poller stops before its next pass, whatever wakes it
    // (a wake from sleep included), and "Riprendi" catches up at once, not after the slow pause (an hour).
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let mut config = engine_config(&h.archive());
    config.auto_sync = true;
    config.slow_poll = Duration::from_secs(3600);
    config.fast_poll = Duration::from_secs(3600);
    let engine = h.engine(config);
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = waiting_request(&engine, &h, "bozza-p").await;
    assert!(!engine.sync_paused());

    engine.pause_sync();
    assert!(engine.sync_paused());
    wait_for(
        &mut rx,
        10,
        "the poller holding its pass",
        |e| matches!(e, EngineEvent::SyncPaused { profile_id } if profile_id == PROFILE),
    )
    .await;
    let lists = count_ops(&sb, "getRequestsByDossier");
    sb.sign(&id).await.unwrap();
    // A wake (sleep ended, network back) while paused: no pass.
    engine.catch_up();
    engine.poke_poller(PROFILE).unwrap();
    tokio::task::yield_now().await;
    assert_eq!(count_ops(&sb, "getRequestsByDossier"), lists, "no pass while paused");
    let local = h.local(&id).await.expect("the request is known");
    assert_eq!(
        local.status,
        SignatureRequestStatus::WaitForSignature,
        "not seen signed while paused"
    );

    engine.resume_sync();
    assert!(!engine.sync_paused());
    wait_for(
        &mut rx,
        10,
        "archived right after resume",
        |e| matches!(e, EngineEvent::Archived { request_id, .. } if *request_id == id),
    )
    .await;
    assert!(count_ops(&sb, "getRequestsByDossier") > lists);
}
