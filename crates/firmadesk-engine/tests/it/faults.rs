//! A flaky, slow service: every send completes, none is duplicated.

use crate::common::*;
use firmadesk_engine::{Delivery, EngineEvent, SendStep};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn with_30_percent_faults_and_200_ms_latency_every_send_completes_once() {
    const SENDS: usize = 6;
    let mut cfg = sandbox_config();
    cfg.fault_rate = 0.3;
    cfg.latency = Duration::from_millis(200);
    cfg.seed = 5;
    let sb = sandbox(cfg).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    // Same citizen, same dossier, all at once: the hardest case for adopting after an
    // unclear create.
    for i in 0..SENDS {
        let pdf = h.pdf(&format!("c{i}.pdf"));
        engine
            .submit(format!("bozza-{i}"), h.spec(&pdf, Delivery::IoMessage))
            .await
            .unwrap();
    }
    let mut done = HashSet::new();
    let mut requests = HashSet::new();
    let mut queued = 0;
    while done.len() < SENDS {
        let ev = wait_for(&mut rx, 120, "all sends", |e| {
            matches!(
                e,
                EngineEvent::SendCompleted { .. } | EngineEvent::Queued { .. } | EngineEvent::Failed { .. }
            )
        })
        .await;
        match ev {
            EngineEvent::SendCompleted { send_id, request_id } => {
                done.insert(send_id);
                requests.insert(request_id);
            }
            EngineEvent::Queued { .. } => queued += 1,
            EngineEvent::Failed { message, .. } => panic!("a send failed: {message}"),
            _ => unreachable!(),
        }
    }
    let creates_failed = sb
        .request_log()
        .iter()
        .filter(|e| e.operation == Some("createSignatureRequest") && e.status >= 500)
        .count();
    let adopted = h.event_codes().await.iter().filter(|c| *c == "create_adopted").count();
    eprintln!(
        "faults: {queued} queue events, {creates_failed} failed creates, {adopted} adopted, {} calls",
        sb.request_log().len()
    );
    assert_eq!(requests.len(), SENDS, "two sends adopted the same request");
    assert_eq!(sb.signature_request_count(), SENDS, "a request was created twice");
    for id in &requests {
        assert_eq!(sb.signature_request_status(id), Some("WAIT_FOR_SIGNATURE"));
    }
    assert_eq!(sb.messages_sent(), SENDS as u64, "one IO message per request");
    for i in 0..SENDS {
        assert_eq!(
            engine.send(&format!("bozza-{i}").into()).await.unwrap().unwrap().step,
            SendStep::Waiting
        );
    }
}
