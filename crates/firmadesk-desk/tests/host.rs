//! The desk test host: the whole clerk flow through the desk's use cases, on a temp folder, with the real
//! engine, the embedded sandbox on 127.0.0.1, real SQLite and pdfium, and no webview — what the shell's
//! commands call, one after the other: Modalità prova, import a PDF, send, the citizen signs, the signed PDF
//! is archived and announced, the detail and the dashboard show it, the export lists it. The clerk works in
//! English here, so the texts Rust writes (timeline, notification) are checked in the language chosen.

use firmadesk_desk::{app, archive, notify, requests, sandbox, testing, Desk};
use firmadesk_engine::{Engine, EngineConfig, EngineEvent, RowStore};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Waits for the engine's event that `pred` matches; fails with what came instead.
async fn next(
    rx: &mut broadcast::Receiver<EngineEvent>,
    what: &str,
    pred: impl Fn(&EngineEvent) -> bool,
) -> EngineEvent {
    let mut seen = Vec::new();
    let found = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            match rx.recv().await {
                Ok(e) if pred(&e) => return e,
                Ok(e) => seen.push(format!("{e:?}")),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("the engine stopped"),
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("no {what}; saw:\n{}", seen.join("\n")))
}

/// The engine as the shell builds it on the desk's store, with notifications recorded instead of shown.
fn engine_for(desk: &Arc<Desk>, shown: &notify::RecordingShow) -> Engine {
    let store = Arc::new(RowStore::new(desk.store.clone()));
    let locale_of = desk.clone();
    Engine::builder(EngineConfig::new(archive::archive_dir(desk)), store)
        .notifier(Arc::new(notify::Switchable {
            inner: shown.clone(),
            on: desk.notifications.clone(),
            names_allowed: Box::new(|_| Box::pin(std::future::ready(true))),
            locale: Box::new(move || locale_of.locale()),
        }))
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_goes_from_the_draft_to_the_signed_archive_and_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    app::set_locale(&desk, "en").unwrap();
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let mut events = engine.subscribe();
    sandbox::start_profile(&desk, &engine).await.unwrap();

    // The clerk drops a PDF: checked as the service will, kept in the data folder.
    let pdf = firmadesk_testkit::pdf::contract();
    let imported = requests::import_pdf(&desk, Some("contratto.pdf".into()), None, &pdf)
        .await
        .unwrap();
    let imported = serde_json::to_value(&imported).unwrap();
    assert_eq!(imported["service_accepts"], true, "{imported}");
    let doc_id = imported["doc_id"].as_str().unwrap().to_owned();

    // "Richiedi firma": the draft as the form sends it.
    let draft = firmadesk_desk::testing::contract_draft(&doc_id);
    let submitted = requests::submit_request(&desk, &engine, draft).await.unwrap();
    let id: firmadesk_store::LocalId =
        serde_json::from_value(serde_json::to_value(&submitted).unwrap()["id"].clone()).unwrap();
    next(&mut events, "send completed", |e| {
        matches!(e, EngineEvent::SendCompleted { .. })
    })
    .await;
    let waiting = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    assert_eq!(waiting["request"]["status"], "waiting", "{waiting}");

    // The citizen signs (the sandbox's simulation): the poller sees it, archives, notifies.
    requests::simulate_sign(&desk, &engine, id.clone()).await.unwrap();
    let archived = next(&mut events, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    let EngineEvent::Archived { path, .. } = archived else {
        unreachable!()
    };
    // Notified once the pass saved the request, before the pass ends.
    next(&mut events, "sync finished", |e| {
        matches!(e, EngineEvent::SyncFinished { .. })
    })
    .await;

    let detail = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    assert_eq!(detail["request"]["status"], "signed", "{detail}");
    let texts: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"Request created and sent to Firma con IO"), "{texts:?}");
    assert!(texts.contains(&"Status on IO: Signed"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.starts_with("Signed document saved in ")),
        "{texts:?}"
    );
    let files = detail["archived"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{detail}");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert_eq!(files[0]["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert!(path.starts_with(archive::archive_dir(&desk)), "{}", path.display());

    let notes = shown.shown();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let (worded, opens) = &notes[0];
    assert_eq!(worded.title, "Document signed");
    assert_eq!(
        worded.body,
        "Accordo di collaborazione – Mario Rossi: signed on IO and saved in the archive."
    );
    // A click opens the request by the one name the desk gives it.
    assert_eq!(opens, &id);
    assert_eq!(Some(opens.as_str()), detail["request"]["id"].as_str());

    let dashboard = serde_json::to_value(requests::dashboard(&desk).await.unwrap()).unwrap();
    assert_eq!(dashboard["counts"]["signed"], 1, "{dashboard}");
    assert_eq!(dashboard["counts"]["waiting"], 0, "{dashboard}");

    // The records office's list: the signed request, one line.
    let exported = serde_json::to_value(
        archive::export_signed_csv(&desk, std::slice::from_ref(&id))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(exported["count"], 1);
    let csv = std::fs::read_to_string(exported["path"].as_str().unwrap()).unwrap();
    assert!(
        csv.contains("Accordo di collaborazione;Accordo;Mario Rossi;RSSMRA80A01H501U"),
        "{csv}"
    );
    engine.shutdown();
}
