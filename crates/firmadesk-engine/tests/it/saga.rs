//! The send saga against the sandbox: happy path, crash at every step, rejected documents,
//! offline queue.

use crate::common::*;
use firmadesk_engine::{CrashPoint, Delivery, EngineErrorKind, EngineEvent, SendStep};
use firmadesk_store::LocalId;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn a_send_goes_from_draft_to_waiting_with_every_step_announced() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let pdf = h.pdf("contratto.pdf");
    engine
        .submit("bozza-1", h.spec(&pdf, Delivery::IoMessage))
        .await
        .unwrap();

    let mut finished = Vec::new();
    let mut progress_total = None;
    let request_id = loop {
        let ev = wait_for(&mut rx, 20, "the send to finish", |_| true).await;
        match ev {
            EngineEvent::StepFinished { step, .. } => finished.push(step),
            EngineEvent::UploadProgress { sent, total, .. } if sent == total => progress_total = Some(total),
            EngineEvent::SendCompleted { request_id, .. } => break request_id,
            EngineEvent::Failed { message, .. } => panic!("failed: {message}"),
            _ => {}
        }
    };
    assert_eq!(
        finished,
        vec![
            SendStep::EnsureDossier,
            SendStep::ResolveSigner,
            SendStep::CreateRequest,
            SendStep::Upload,
            SendStep::WaitValidation,
            SendStep::Publish,
            SendStep::WaitPublished,
            SendStep::Notify,
        ]
    );
    assert_eq!(progress_total, Some(std::fs::metadata(&pdf).unwrap().len()));
    assert_eq!(sb.signature_request_status(&request_id), Some("WAIT_FOR_SIGNATURE"));
    assert_eq!(sb.messages_sent(), 1);
    let record = engine.send(&"bozza-1".into()).await.unwrap().unwrap();
    assert_eq!(record.step, SendStep::Waiting);
    assert_eq!(record.request_id.as_ref(), Some(&request_id));
    let local = h.local(&request_id).await.expect("local copy");
    assert_eq!(local.status, iosign::SignatureRequestStatus::WaitForSignature);
    assert_eq!(local.signer_name, "Mario Rossi");
    // The dashboard reads the same SQLite rows: the draft became a waiting request, with one
    // timeline line per step.
    let db = h.store.db();
    let row = db.request(&"bozza-1".into()).await.unwrap().expect("request row");
    assert_eq!(row.status, firmadesk_store::Status::Waiting);
    assert_eq!(row.io_request_id.as_ref(), Some(&request_id));
    assert_eq!(row.io_status.as_deref(), Some("WAIT_FOR_SIGNATURE"));
    assert_eq!(row.fiscal_code, CF);
    assert_eq!(db.counts(None, 0, 0).await.unwrap().waiting, 1);
    let lines = db
        .events(&"bozza-1".into())
        .await
        .unwrap()
        .iter()
        .filter(|e| e.code.starts_with("step_finished:"))
        .count();
    assert_eq!(lines, 8);
    assert_eq!(db.send(&"bozza-1".into()).await.unwrap().unwrap().step, "waiting");
}

/// Runs a send until `point`, "crashes" (drops the engine there), restarts on the same store and
/// checks that exactly one request exists and it reached WAIT_FOR_SIGNATURE with one message.
async fn crash_and_resume(point: CrashPoint) {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let pdf = h.pdf("contratto.pdf");

    let (tx, mut crashed) = tokio::sync::mpsc::unbounded_channel();
    let fired = Arc::new(AtomicBool::new(false));
    let mut config = engine_config(&h.archive());
    config.crash_hook = Some(Arc::new(move |p, _record: &firmadesk_engine::SendRecord| {
        if p == point && !fired.swap(true, Ordering::SeqCst) {
            let _ = tx.send(p);
            true
        } else {
            false
        }
    }));
    let first = h.engine(config);
    first.add_profile(PROFILE, client(&sb)).await.unwrap();
    first
        .submit("bozza-crash", h.spec(&pdf, Delivery::IoMessage))
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(20), crashed.recv())
        .await
        .unwrap_or_else(|_| panic!("never reached {point:?}"));
    drop(first);
    let before = h.store.send(&"bozza-crash".into()).await.unwrap().unwrap();
    assert!(before.step.is_unfinished(), "{point:?}: {:?}", before.step);

    let second = h.engine(engine_config(&h.archive()));
    let mut rx = second.subscribe();
    second.add_profile(PROFILE, client(&sb)).await.unwrap();
    let request_id = completed(&mut rx, "bozza-crash", 20).await;

    assert_eq!(sb.signature_request_count(), 1, "{point:?}: duplicate request");
    assert_eq!(
        sb.signature_request_status(&request_id),
        Some("WAIT_FOR_SIGNATURE"),
        "{point:?}"
    );
    assert_eq!(sb.messages_sent(), 1, "{point:?}");
    assert_eq!(
        count_ops(&sb, "sendNotification"),
        1,
        "{point:?}: the message was sent twice"
    );
    assert_eq!(sb.dossier_count(), 1, "{point:?}");
    // Across both runs: one create call, one dossier call (done steps are not repeated).
    assert_eq!(count_ops(&sb, "createSignatureRequest"), 1, "{point:?}");
    assert_eq!(count_ops(&sb, "createDossier"), 1, "{point:?}");
    assert_eq!(count_ops(&sb, "getSignerByFiscalCode"), 1, "{point:?}");
}

use firmadesk_engine::EngineStore;

#[tokio::test]
async fn a_crash_at_any_step_resumes_without_duplicates() {
    let points = [
        CrashPoint::AfterStep(SendStep::EnsureDossier),
        CrashPoint::AfterStep(SendStep::ResolveSigner),
        CrashPoint::BeforeCreateCall,
        CrashPoint::CreateResponseLost,
        CrashPoint::AfterStep(SendStep::CreateRequest),
        CrashPoint::UploadUrlFetched,
        CrashPoint::AfterStep(SendStep::Upload),
        CrashPoint::AfterStep(SendStep::WaitValidation),
        CrashPoint::AfterStep(SendStep::Publish),
        CrashPoint::AfterStep(SendStep::WaitPublished),
        CrashPoint::NotifyResponseLost,
    ];
    for point in points {
        crash_and_resume(point).await;
    }
}

#[tokio::test]
async fn a_lost_create_response_is_adopted_not_repeated() {
    // The same as one case above, spelled out: the request exists on IO, the store only knows
    // that a create was attempted; the restart lists the dossier and adopts it.
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let pdf = h.pdf("c.pdf");
    let mut config = engine_config(&h.archive());
    let (tx, mut crashed) = tokio::sync::mpsc::unbounded_channel();
    config.crash_hook = Some(Arc::new(move |p, _r: &firmadesk_engine::SendRecord| {
        let hit = p == CrashPoint::CreateResponseLost;
        if hit {
            let _ = tx.send(());
        }
        hit
    }));
    let first = h.engine(config);
    first.add_profile(PROFILE, client(&sb)).await.unwrap();
    first.submit("b", h.spec(&pdf, Delivery::QrOnly)).await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), crashed.recv())
        .await
        .unwrap();
    drop(first);
    let saved = h.store.send(&"b".into()).await.unwrap().unwrap();
    assert_eq!(saved.step, SendStep::CreateRequest);
    assert!(saved.create_attempted_at.is_some() && saved.request_id.is_none());
    assert_eq!(sb.signature_request_count(), 1, "the create did reach IO");
    // The poller may list the dossier before the send resumes and cache the request with no
    // send attached: it must still be adopted.
    let c = client(&sb);
    let dossier = saved.dossier_id.clone().unwrap();
    let page = c
        .dossiers()
        .signature_requests(dossier)
        .limit(100)
        .send()
        .await
        .unwrap();
    let item = &page.items[0];
    h.store
        .upsert_request(&firmadesk_engine::LocalRequest {
            profile_id: PROFILE.into(),
            request_id: item.id.clone().into(),
            dossier_id: item.dossier_id.clone(),
            signer_id: item.signer_id.clone(),
            local_id: LocalId::foreign(&item.id.clone().into()),
            document_type: "Accordo".into(),
            signer_name: item.signer_id.clone(),
            title: String::new(),
            status: item.status.clone(),
            created_at: item.created_at,
            updated_at: item.updated_at,
            expires_at: item.expires_at,
            reject_reason: None,
            expiry: firmadesk_engine::Expiry::Valid,
            archived: false,
            published_at: None,
        })
        .await
        .unwrap();

    sb.clear_request_log();
    let second = h.engine(engine_config(&h.archive()));
    let mut rx = second.subscribe();
    second.add_profile(PROFILE, client(&sb)).await.unwrap();
    let id = completed(&mut rx, "b", 20).await;
    assert_eq!(count_ops(&sb, "createSignatureRequest"), 0, "must adopt, not create");
    assert!(count_ops(&sb, "getRequestsByDossier") >= 1);
    assert_eq!(sb.signature_request_count(), 1);
    assert_eq!(sb.signature_request_status(&id), Some("WAIT_FOR_SIGNATURE"));
    assert_eq!(sb.messages_sent(), 0, "QR only: no IO message");
    assert!(h.event_codes().await.iter().any(|c| c == "create_adopted"));
    let local = h.local(&id).await.unwrap();
    assert_eq!(local.local_id, "b", "claimed by the send");
    // The row the poller made is merged into the draft's row: one line on the dashboard.
    let db = h.store.db();
    assert!(db.request(&format!("io-{id}").into()).await.unwrap().is_none());
    assert_eq!(
        db.request(&"b".into()).await.unwrap().unwrap().io_request_id.as_deref(),
        Some(id.as_str())
    );
    assert_eq!(db.counts(None, 0, 0).await.unwrap().waiting, 1);
    assert_eq!(local.signer_name, "Mario Rossi");
}

#[tokio::test]
async fn a_rejected_document_comes_back_to_the_clerk_and_the_fixed_draft_keeps_the_request() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let bad = h.dir.path().join("non-un-pdf.pdf");
    std::fs::write(&bad, b"questo non e' un PDF").unwrap();
    engine
        .submit("bozza-r", h.spec(&bad, Delivery::IoMessage))
        .await
        .unwrap();
    let ev = wait_for(&mut rx, 20, "document rejected", |e| {
        matches!(e, EngineEvent::DocumentRejected { .. })
    })
    .await;
    let EngineEvent::DocumentRejected {
        reason, document_title, ..
    } = ev
    else {
        unreachable!()
    };
    assert_eq!(document_title, "Contratto di prova");
    assert!(!reason.is_empty());
    let record = engine.send(&"bozza-r".into()).await.unwrap().unwrap();
    assert_eq!(record.step, SendStep::NeedsEdit);
    assert_eq!(record.last_error_kind, Some(EngineErrorKind::DocumentRejected));
    assert!(record.last_error.clone().unwrap().contains("rifiutato"));
    // The clerk is told (issue #16), once the record says so: the event comes before the save.
    let n = tokio::time::timeout(Duration::from_secs(20), h.notifier.wait_for(1))
        .await
        .expect("no notification for the refused document");
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].kind, firmadesk_engine::NotificationKind::NeedsEdit);
    assert_eq!(n[0].local_id, "bozza-r");
    assert_eq!(n[0].error, Some(EngineErrorKind::DocumentRejected));
    assert_eq!(n[0].reason, record.last_error);

    // The clerk replaces the file; titles and fields are the same, so the DRAFT is reused.
    let good = h.pdf("corretto.pdf");
    engine
        .resubmit(&"bozza-r".into(), h.spec(&good, Delivery::IoMessage))
        .await
        .unwrap();
    let id = completed(&mut rx, "bozza-r", 20).await;
    assert_eq!(sb.signature_request_count(), 1);
    assert_eq!(sb.signature_request_status(&id), Some("WAIT_FOR_SIGNATURE"));
}

#[tokio::test]
async fn offline_sends_queue_and_go_when_the_service_returns() {
    // A port with nothing behind it, then the sandbox on that very port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}/api/v1/sign");
    let h = Harness::new();
    let mut config = engine_config(&h.archive());
    // Long enough that only the wake-up can explain a prompt completion.
    config.retry_initial = Duration::from_secs(600);
    config.retry_max = Duration::from_secs(600);
    let engine = h.engine(config);
    let mut rx = engine.subscribe();
    engine
        .add_profile(PROFILE, client_for(&base).build().unwrap())
        .await
        .unwrap();
    let pdf = h.pdf("c.pdf");
    engine
        .submit("bozza-o", h.spec(&pdf, Delivery::IoMessage))
        .await
        .unwrap();
    let ev = wait_for(&mut rx, 20, "queued", |e| matches!(e, EngineEvent::Queued { .. })).await;
    let EngineEvent::Queued {
        message,
        next_attempt_at,
        ..
    } = ev
    else {
        unreachable!()
    };
    assert!(message.contains("in coda"), "{message}");
    assert!(next_attempt_at > time::OffsetDateTime::now_utc() + time::Duration::seconds(200));
    let saved = engine.send(&"bozza-o".into()).await.unwrap().unwrap();
    assert_eq!(saved.step, SendStep::EnsureDossier);
    assert_eq!(saved.attempts, 1);

    let mut cfg = sandbox_config();
    cfg.listen = ([127, 0, 0, 1], port).into();
    let sb = sandbox(cfg).await;
    engine.retry_now();
    let id = completed(&mut rx, "bozza-o", 20).await;
    assert_eq!(sb.signature_request_status(&id), Some("WAIT_FOR_SIGNATURE"));
}

#[tokio::test]
async fn a_citizen_not_on_io_stops_the_send_with_an_italian_message() {
    let mut cfg = sandbox_config();
    cfg.not_on_io = vec![CF.into()];
    let sb = sandbox(cfg).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let pdf = h.pdf("c.pdf");
    engine
        .submit("bozza-n", h.spec(&pdf, Delivery::IoMessage))
        .await
        .unwrap();
    let ev = wait_for(&mut rx, 20, "failed", |e| matches!(e, EngineEvent::Failed { .. })).await;
    let EngineEvent::Failed { kind, message, .. } = ev else {
        unreachable!()
    };
    assert_eq!(kind, EngineErrorKind::SignerNotOnIo);
    assert!(message.contains("app IO"), "{message}");
    let record = engine.send(&"bozza-n".into()).await.unwrap().unwrap();
    assert_eq!(record.step, SendStep::Failed);
    assert_eq!(record.last_error_kind, Some(EngineErrorKind::SignerNotOnIo));
    assert_eq!(sb.signature_request_count(), 0);
    // The clerk is told (issue #16), with the kind the desk words it by.
    let n = tokio::time::timeout(Duration::from_secs(20), h.notifier.wait_for(1))
        .await
        .expect("no notification for the failed send");
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].kind, firmadesk_engine::NotificationKind::SendFailed);
    assert_eq!(n[0].local_id, "bozza-n");
    assert_eq!(n[0].error, Some(EngineErrorKind::SignerNotOnIo));
    assert_eq!(n[0].reason.as_deref(), Some(message.as_str()));
}

#[tokio::test]
async fn a_citizen_without_io_messages_gets_the_qr_code_instead_on_resubmission() {
    let mut cfg = sandbox_config();
    cfg.messages_blocked = vec![CF.into()];
    let sb = sandbox(cfg).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let pdf = h.pdf("c.pdf");
    engine
        .submit("bozza-q", h.spec(&pdf, Delivery::IoMessage))
        .await
        .unwrap();
    let ev = wait_for(&mut rx, 20, "failed", |e| matches!(e, EngineEvent::Failed { .. })).await;
    let EngineEvent::Failed { kind, message, .. } = ev else {
        unreachable!()
    };
    assert_eq!(kind, EngineErrorKind::NotAllowed);
    assert!(message.contains("QR code"), "{message}");
    assert_eq!(sb.messages_sent(), 0);

    // Another document set would need a new request while this one is signable: refused.
    let mut different = h.spec(&pdf, Delivery::QrOnly);
    different.documents[0].metadata.title = "Altro documento".into();
    let err = engine.resubmit(&"bozza-q".into(), different).await.unwrap_err();
    assert_eq!(err.kind, EngineErrorKind::NotAllowed);

    engine
        .resubmit(&"bozza-q".into(), h.spec(&pdf, Delivery::QrOnly))
        .await
        .unwrap();
    let id = completed(&mut rx, "bozza-q", 20).await;
    assert_eq!(sb.signature_request_count(), 1);
    assert_eq!(sb.signature_request_status(&id), Some("WAIT_FOR_SIGNATURE"));
    assert_eq!(count_ops(&sb, "getDocumentUploadUrl"), 1, "nothing uploaded twice");
}

/// IO dossiers cannot be changed: a document type sent again unchanged reuses its dossier; once its title
/// or support email changes, the next send makes a new dossier (with the support email), and the first
/// request keeps pointing at the dossier it was sent with.
#[tokio::test]
async fn a_changed_document_type_gets_a_new_dossier_with_its_support_email() {
    let sb = sandbox(iosign_sandbox::SandboxConfig {
        record_bodies: true,
        ..sandbox_config()
    })
    .await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let pdf = h.pdf("contratto.pdf");
    let mut sent = Vec::new();
    let base = h.spec(&pdf, Delivery::IoMessage);
    let mut renamed = h.spec(&pdf, Delivery::IoMessage);
    renamed.document_type.dossier_title = "Accordo con il Comune (2027)".into();
    renamed.document_type.support_email = Some("protocollo@comune.example.it".into());
    for (id, spec) in [("a", base.clone()), ("b", base), ("c", renamed)] {
        engine.submit(id, spec).await.unwrap();
        let done = wait_for(&mut rx, 20, "the send to finish", |e| {
            matches!(e, EngineEvent::SendCompleted { .. })
        })
        .await;
        let EngineEvent::SendCompleted { request_id, .. } = done else {
            unreachable!()
        };
        sent.push(request_id);
    }
    let created: Vec<serde_json::Value> = sb
        .request_log()
        .into_iter()
        .filter(|e| e.operation == Some("createDossier") && e.status == 201)
        .filter_map(|e| e.request_json)
        .collect();
    assert_eq!(created.len(), 2, "{created:?}");
    assert_eq!(created[0]["title"], "Accordo con il Comune");
    assert!(created[0].get("support_email").is_none(), "{}", created[0]);
    assert_eq!(created[1]["title"], "Accordo con il Comune (2027)");
    assert_eq!(created[1]["support_email"], "protocollo@comune.example.it");
    let mut dossiers = Vec::new();
    for id in &sent {
        dossiers.push(h.local(id).await.expect("local copy").dossier_id);
    }
    let (a, b, c) = (&dossiers[0], &dossiers[1], &dossiers[2]);
    assert_eq!(a, b, "unchanged: the same dossier");
    assert_ne!(a, c, "changed: a new dossier; the first requests keep theirs");
}
