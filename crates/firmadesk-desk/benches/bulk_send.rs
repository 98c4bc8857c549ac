//! A list of 1,000 citizens sent to the sandbox with the real budget (150 calls / 5 s per key): the total
//! time, the calls per row, and the achieved call rate against the budget while the list is sent (target ≥
//! 90 %, never a 429). The desk as the app runs it: its SQLite file, the engine with its poller, the
//! embedded sandbox on 127.0.0.1, the list's runner.
//!
//! `cargo bench -p firmadesk-desk --bench bulk_send` (a plain binary that prints figures);
//! `FIRMADESK_BENCH_ROWS=200` for a shorter run.

use firmadesk_desk::bulk::send::{self, SendInput};
use firmadesk_desk::{requests, sandbox, testing, Desk};
use firmadesk_engine::{Engine, EngineConfig, RowStore};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The service's budget per key.
const BUDGET_PER_SECOND: f64 = 150.0 / 5.0;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rows: usize = std::env::var("FIRMADESK_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("tmp");
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    let store = Arc::new(RowStore::new(desk.store.clone()));
    let engine =
        Arc::new(Engine::builder(EngineConfig::new(firmadesk_desk::archive::archive_dir(&desk)), store).build());
    sandbox::start_profile(&desk, &engine).await.expect("sandbox");
    let imported = requests::import_pdf(
        &desk,
        Some("consenso.pdf".into()),
        None,
        &firmadesk_testkit::pdf::contract(),
    )
    .await
    .expect("import");
    let doc_id = serde_json::to_value(&imported).expect("json")["doc_id"]
        .as_str()
        .expect("doc id")
        .to_owned();
    let csv = testing::citizens_csv(rows);
    let read = serde_json::to_value(
        firmadesk_desk::bulk::window::read(&desk, Some("elenco.csv".into()), &csv)
            .await
            .expect("list"),
    )
    .expect("json");
    let input: SendInput = serde_json::from_value(serde_json::json!({
        "headers": read["headers"], "rows": read["rows"], "mapping": read["mapping"],
        "document_type": "Accordo", "name": "elenco.csv", "title": "Consenso informato",
        "documents": [{ "doc_id": doc_id, "title": "Consenso", "fields": [{ "page": 0, "x": 72.0, "y": 100.0,
            "w": 160.0, "h": 50.0, "clause_type": "REQUIRED", "clause_title": "Firma per accettazione" }] }]
    }))
    .expect("input");
    let sandbox = desk.sandbox.running().expect("sandbox running");
    sandbox.handle.clear_request_log();

    let started = Instant::now();
    let batch = send::start(&desk, input).await.expect("start");
    let check_done = started.elapsed();
    let runner = {
        let (desk, engine) = (desk.clone(), engine.clone());
        tokio::spawn(async move { send::run(&desk, &engine).await })
    };
    // The sandbox keeps the last 10,000 calls: their counts are taken as they come.
    let mut log = Vec::new();
    let mut drain = || {
        log.extend(sandbox.handle.request_log());
        sandbox.handle.clear_request_log();
    };
    let mut last_print = Instant::now();
    let finished = loop {
        drain();
        let d = send::detail(&desk, batch.id.clone()).await.expect("detail");
        if d.batch.left == 0 && d.batch.sending == 0 {
            break d;
        }
        if last_print.elapsed() > Duration::from_secs(30) {
            eprintln!(
                "  {:>4} s: {} sent, {} failed, {} left",
                started.elapsed().as_secs(),
                d.batch.sent,
                d.batch.failed,
                d.batch.left + d.batch.sending
            );
            last_print = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let total = started.elapsed();
    runner.abort();
    drain();
    let calls = log.iter().filter(|e| e.operation.is_some()).count();
    let uploads = log.iter().filter(|e| e.operation.is_none()).count();
    let limited = log.iter().filter(|e| e.status == 429).count();
    let sending_time = (total - check_done).as_secs_f64();
    let rate = calls as f64 / sending_time;
    println!("bulk send of {rows} rows to the sandbox (150 calls / 5 s):");
    println!("  list checked and saved: {:.2} s", check_done.as_secs_f64());
    println!(
        "  total time: {:.1} s ({} sent, {} failed)",
        total.as_secs_f64(),
        finished.batch.sent,
        finished.batch.failed
    );
    println!(
        "  API calls: {calls} ({:.2} per row) + {uploads} blob uploads; 429 answers: {limited}",
        calls as f64 / rows as f64
    );
    println!(
        "  achieved rate while sending: {rate:.1} calls/s = {:.0} % of the budget",
        100.0 * rate / BUDGET_PER_SECOND
    );
    let mut by_operation: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for e in &log {
        *by_operation.entry(e.operation.unwrap_or("blob")).or_default() += 1;
    }
    for (operation, n) in by_operation {
        println!("    {operation}: {n} ({:.2} per row)", n as f64 / rows as f64);
    }
    assert_eq!(finished.batch.sent, rows, "every row sent");
    assert_eq!(sandbox.handle.signature_request_count(), rows, "no row twice");
    engine.shutdown();
    drop::<Arc<Desk>>(desk);
}
