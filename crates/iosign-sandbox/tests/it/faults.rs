//! Fault injection and latency: deterministic with a seed; non-idempotent calls sometimes fail
//! after the change was applied.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::*;

async fn outcomes(seed: u64) -> (Vec<u16>, usize) {
    let sb = start(iosign_sandbox::SandboxConfig {
        fault_rate: 0.5,
        seed,
        ..config()
    })
    .await;
    // Setup calls may fail too: retry them until they succeed (they are the test's own plumbing).
    let api = Raw::new(&sb, Some(KEY));
    let dossier = loop {
        let r = api
            .post(
                "/dossiers",
                &json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto"}]}),
            )
            .await;
        if r.status == 201 {
            break r.json()["id"].as_str().unwrap().to_string();
        }
        assert!(r.status == 500 || r.status == 503, "{}", r.status);
    };
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let r = api
            .post("/signature-requests", &json!({"dossier_id": dossier, "signer_id": "s"}))
            .await;
        if r.status >= 500 {
            assert_eq!(r.content_type(), "application/problem+json");
        }
        statuses.push(r.status);
    }
    let stored = sb.signature_request_count();
    sb.shutdown().await;
    (statuses, stored)
}

#[tokio::test]
async fn faults_are_deterministic_and_some_apply_the_change() {
    let (a, stored) = outcomes(7).await;
    let (b, stored_b) = outcomes(7).await;
    assert_eq!(a, b, "same seed, same faults");
    assert_eq!(stored, stored_b);
    let ok = a.iter().filter(|s| **s == 201).count();
    let failed = a.iter().filter(|s| **s == 500 || **s == 503).count();
    assert_eq!(ok + failed, a.len(), "{a:?}");
    assert!(failed > 0 && ok > 0, "{a:?}");
    assert!(a.contains(&500) && a.contains(&503), "{a:?}");
    assert!(
        stored > ok,
        "some failed calls were applied anyway (outcome unknown): {stored} stored, {ok} acknowledged"
    );
    assert!(stored < a.len(), "some failed calls were not applied");
    let (c, _) = outcomes(8).await;
    assert_ne!(a, c, "another seed, other faults");
}

#[tokio::test]
async fn latency_is_added_to_api_calls() {
    let sb = start(iosign_sandbox::SandboxConfig {
        latency: Duration::from_millis(150),
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let t = Instant::now();
    assert_eq!(api.get("/info").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150), "{:?}", t.elapsed());
    sb.shutdown().await;
}

#[tokio::test]
async fn the_client_waits_out_429s_using_the_apim_header() {
    let sb = start(iosign_sandbox::SandboxConfig {
        // Ten calls against four per window: the limit is hit unless four calls take longer than the
        // window, so the window is long enough for the slowest CI machine (the client waits it out).
        rate_limit_calls: 4,
        rate_limit_period: Duration::from_secs(2),
        ..config()
    })
    .await;
    let client = crate::flow_client::client(&sb, KEY);
    let dossier = client
        .dossiers()
        .create(&crate::flow_client::dossier_body())
        .await
        .unwrap();
    for _ in 0..9 {
        assert_eq!(client.dossiers().get(&dossier.id).await.unwrap().id, dossier.id);
    }
    let log = sb.request_log();
    assert!(log.iter().any(|e| e.status == 429), "the limit was hit");
    assert_eq!(
        log.iter().filter(|e| e.status == 200).count(),
        9,
        "every call eventually succeeded"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn concurrent_clients_do_not_lose_or_duplicate_writes() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let api = api.clone();
        let dossier = dossier.clone();
        tasks.push(tokio::spawn(async move {
            api.post("/signature-requests", &json!({"dossier_id": dossier, "signer_id": "s"}))
                .await
                .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    assert_eq!(sb.signature_request_count(), 40);
    let listed = api
        .get(&format!("/dossiers/{dossier}/signature-requests?limit=100"))
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 40);
    sb.shutdown().await;
}

#[tokio::test]
async fn unusable_configurations_are_refused() {
    for cfg in [
        iosign_sandbox::SandboxConfig {
            fault_rate: 1.5,
            ..config()
        },
        iosign_sandbox::SandboxConfig {
            rate_limit_calls: 0,
            ..config()
        },
    ] {
        let err = iosign_sandbox::Sandbox::start(cfg).await.unwrap_err();
        assert_eq!(err.kind(), iosign_sandbox::ErrorKind::Config, "{err}");
    }
}

#[tokio::test]
async fn an_outage_answers_503_until_it_ends() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    assert_eq!(api.get("/info").await.status, 200);
    sb.set_unavailable(true);
    let down = api.get("/info").await;
    assert_eq!(down.status, 503);
    assert_eq!(down.json()["title"], "Service Unavailable");
    assert_eq!(api.get("/dossiers/01ANYTHING").await.status, 503);
    sb.set_unavailable(false);
    assert_eq!(api.get("/info").await.status, 200);
    assert_eq!(api.get("/dossiers/01ANYTHING").await.status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_held_call_waits_after_its_change_until_released() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let body = json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto"}]});
    let mut after = sb.hold("createDossier", iosign_sandbox::HoldAt::After);
    let call = tokio::spawn({
        let api = api.clone();
        let body = body.clone();
        async move { api.post("/dossiers", &body).await.status }
    });
    after.reached().await;
    // Applied, not yet answered: what a caller killed now leaves behind.
    assert_eq!(sb.dossier_count(), 1);
    assert!(!call.is_finished());
    after.release();
    assert_eq!(call.await.unwrap(), 201);

    let mut before = sb.hold("createDossier", iosign_sandbox::HoldAt::Before);
    let call = tokio::spawn(async move { api.post("/dossiers", &body).await.status });
    before.reached().await;
    assert_eq!(sb.dossier_count(), 1, "held before the change: nothing applied yet");
    drop(before);
    assert_eq!(call.await.unwrap(), 201, "a dropped hold lets the call go on");
    assert_eq!(sb.dossier_count(), 2);
    // Used once: the next call is not held.
    assert_eq!(
        Raw::new(&sb, Some(KEY))
            .post(
                "/dossiers",
                &json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto"}]})
            )
            .await
            .status,
        201
    );
    sb.shutdown().await;
}
