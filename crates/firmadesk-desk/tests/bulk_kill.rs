//! Issue #15: a list of 200 citizens sent by a desk process that is killed with SIGKILL in the middle of
//! the list, against a sandbox that fails one call in ten (some after doing what was asked); the desk
//! starts again on the same data folder and finishes the list. Every row reaches IO exactly once.
//!
//! The desk runs in a child process (this test binary again, running [`child_desk`] in the same test); the sandbox, like
//! IO, lives outside it (here, in the test process). The key's budget is raised in both so the test
//! takes seconds, not minutes: what is tested is exactly-once, not pacing (`benches/bulk_send.rs`).

use firmadesk_desk::bulk::send::{self, SendInput};
use firmadesk_desk::{requests, testing, Desk};
use firmadesk_engine::{Engine, EngineConfig, RowStore};
use firmadesk_store::{Environment, Profile};
use iosign_sandbox::{Sandbox, SandboxConfig};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

const ROWS: usize = 200;
const KEY: &str = "comune-key";
const PROFILE: &str = "comune";
const CHILD: &str = "FIRMADESK_BULK_CHILD";

/// A desk on `dir` sending with the profile of the sandbox at `url`, its engine tuned for a fast test.
async fn desk_on(dir: &std::path::Path, url: &str) -> (Arc<Desk>, Arc<Engine>) {
    let desk = Arc::new(testing::test_desk(dir, testing::clock()));
    desk.store
        .upsert_profile(
            &Profile {
                id: PROFILE.into(),
                name: "Comune di Prova".into(),
                environment: Environment::Test,
                base_url: url.into(),
                support_email: None,
                oidc_issuer: None,
                oidc_client_id: None,
                oidc_scopes: None,
                testers: Vec::new(),
            },
            0,
        )
        .await
        .unwrap();
    desk.settings.lock().unwrap().active_profile = Some(PROFILE.into());
    let mut config = EngineConfig::new(firmadesk_desk::archive::archive_dir(&desk));
    config.step_poll = Duration::from_millis(100);
    config.retry_initial = Duration::from_millis(50);
    config.retry_max = Duration::from_millis(500);
    config.auto_sync = false;
    let engine = Arc::new(Engine::builder(config, Arc::new(RowStore::new(desk.store.clone()))).build());
    let client = iosign::Client::builder(url, iosign::ApiKey::new(KEY))
        .rate_limiter(iosign::RateLimiter::new(5_000, Duration::from_secs(5)))
        .build()
        .unwrap();
    engine.add_profile(PROFILE, client).await.unwrap();
    (desk, engine)
}

/// The child: saves the list and sends it until it is killed.
async fn child_desk(dir: String) {
    let url = std::env::var("FIRMADESK_BULK_URL").unwrap();
    let (desk, engine) = desk_on(std::path::Path::new(&dir), &url).await;
    let imported = requests::import_pdf(
        &desk,
        Some("consenso.pdf".into()),
        None,
        &firmadesk_testkit::pdf::contract(),
    )
    .await
    .unwrap();
    let doc_id = serde_json::to_value(&imported).unwrap()["doc_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = serde_json::to_value(
        firmadesk_desk::bulk::window::read(&desk, Some("famiglie.csv".into()), &testing::citizens_csv(ROWS))
            .await
            .unwrap(),
    )
    .unwrap();
    let input: SendInput = serde_json::from_value(serde_json::json!({
        "headers": read["headers"], "rows": read["rows"], "mapping": read["mapping"],
        "document_type": "Accordo", "name": "famiglie.csv", "title": "Consenso informato",
        "documents": [{ "doc_id": doc_id, "title": "Consenso", "fields": [{ "page": 0, "x": 72.0, "y": 100.0,
            "w": 160.0, "h": 50.0, "clause_type": "REQUIRED", "clause_title": "Firma per accettazione" }] }]
    }))
    .unwrap();
    send::start(&desk, input).await.unwrap();
    send::run(&desk, &engine).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_is_sent_once_per_row_across_a_kill_9() {
    // Run again by itself as the desk process.
    if let Ok(dir) = std::env::var(CHILD) {
        return child_desk(dir).await;
    }
    let sandbox = Sandbox::start(SandboxConfig {
        api_keys: vec![KEY.into()],
        fault_rate: 0.1,
        seed: 15,
        validation_delay: Duration::from_millis(50),
        publish_delay: Duration::from_millis(50),
        rate_limit_calls: 5_000,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let url = sandbox.base_url();
    let dir = tempfile::tempdir().unwrap();

    // The desk sends in its own process, killed once about a third of the rows reached IO.
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "a_list_is_sent_once_per_row_across_a_kill_9", "--nocapture"])
        .env(CHILD, dir.path())
        .env("FIRMADESK_BULK_URL", &url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let reached = tokio::time::timeout(Duration::from_secs(120), async {
        while sandbox.signature_request_count() < ROWS / 3 {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the desk process ended by itself: {status}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    reached.expect("a third of the list sent within two minutes");
    let before = sandbox.signature_request_count();
    assert!(
        before < ROWS,
        "killed in the middle of the list ({before} of {ROWS} sent)"
    );

    // The desk starts again on the same folder: the list resumes where it stopped.
    let (desk, engine) = desk_on(dir.path(), &url).await;
    let batch = desk
        .store
        .batches(None, 10)
        .await
        .unwrap()
        .pop()
        .expect("the list saved");
    let runner = {
        let (desk, engine) = (desk.clone(), engine.clone());
        tokio::spawn(async move { send::run(&desk, &engine).await })
    };
    let mut events = engine.subscribe();
    let detail = tokio::time::timeout(Duration::from_secs(180), async {
        loop {
            let d = send::detail(&desk, batch.id.clone()).await.unwrap();
            if d.batch.left == 0 && d.batch.sending == 0 {
                return d;
            }
            let _ = tokio::time::timeout(Duration::from_millis(500), events.recv()).await;
        }
    })
    .await
    .expect("the list finished after the restart");
    runner.abort();

    assert_eq!(
        detail.batch.failed,
        0,
        "{:?}",
        detail.rows.iter().filter(|r| r.reason.is_some()).collect::<Vec<_>>()
    );
    assert_eq!(detail.batch.sent, ROWS);
    assert_eq!(
        sandbox.signature_request_count(),
        ROWS,
        "one IO request per row, none twice"
    );
    let ids: HashSet<&str> = detail.rows.iter().filter_map(|r| r.io_request_id.as_deref()).collect();
    assert_eq!(ids.len(), ROWS, "each row its own IO request");
    let codes: HashSet<&str> = detail.rows.iter().map(|r| r.fiscal_code.as_str()).collect();
    assert_eq!(codes.len(), ROWS);
    engine.shutdown();
}
