//! The desk test host: the whole clerk flow through the desk's use cases, on a temp folder, with the real
//! engine, the embedded sandbox on 127.0.0.1, real SQLite and pdfium, and no webview — what the shell's
//! commands call, one after the other: Modalità prova, import a PDF, send, the citizen signs, the signed PDF
//! is archived and announced, the detail and the dashboard show it, the export lists it. The clerk works in
//! English here, so the texts Rust writes (timeline, notification) are checked in the language chosen.

use firmadesk_desk::{app, archive, notify, printables, profiles, requests, sandbox, testing, Desk};
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

/// "Richiedi firma" with `draft`: its local id, once the engine has sent it.
async fn sent(
    desk: &Desk,
    engine: &Engine,
    events: &mut broadcast::Receiver<EngineEvent>,
    draft: requests::Draft,
) -> firmadesk_store::LocalId {
    let submitted = requests::submit_request(desk, engine, draft).await.unwrap();
    let id: firmadesk_store::LocalId =
        serde_json::from_value(serde_json::to_value(&submitted).unwrap()["id"].clone()).unwrap();
    next(
        events,
        "send completed",
        |e| matches!(e, EngineEvent::SendCompleted { send_id, .. } if *send_id == id),
    )
    .await;
    id
}

/// The engine as the shell builds it on the desk's store, with notifications recorded instead of shown.
fn engine_for(desk: &Arc<Desk>, shown: &notify::RecordingShow) -> Engine {
    let store = Arc::new(RowStore::new(desk.store.clone()));
    let (locale_of, prefs_of, now_of) = (desk.clone(), desk.clone(), desk.clone());
    Engine::builder(EngineConfig::new(archive::archive_dir(desk)), store)
        .notifier(Arc::new(notify::Switchable {
            inner: shown.clone(),
            on: desk.notifications.clone(),
            names_allowed: Box::new(|_| Box::pin(std::future::ready(true))),
            locale: Box::new(move || locale_of.locale()),
            prefs: Box::new(move || notify::prefs_of(&prefs_of)),
            now: Box::new(move || notify::now_of(&now_of)),
            waiting: notify::Waiting::default(),
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
    let id = sent(&desk, &engine, &mut events, draft).await;
    let waiting = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    assert_eq!(waiting["request"]["status"], "waiting", "{waiting}");

    // At the counter (issue #16): the citizen's sheet, in Italian whatever the clerk's language, with IO's
    // link and the deadline as IO's message words it, written into the exports and opened in the PDF reader.
    let host = testing::RecordingHost::default();
    let printed = printables::print_sheet(&desk, &host, &id).await.unwrap();
    let sheet = std::fs::read(printed.path()).unwrap();
    let pages = firmadesk_pdf::compose::page_texts(firmadesk_pdf::library::pdfium().unwrap(), &sheet).unwrap();
    let text = pages.join("\n");
    let link = waiting["signing_link"].as_str().unwrap();
    assert!(text.split_whitespace().collect::<String>().contains(link), "{text}");
    let expires = waiting["request"]["expires_at"].as_i64().unwrap();
    let rome = jiff::Timestamp::from_millisecond(expires)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Rome").unwrap());
    let deadline = format!("fino alle {} del {}", rome.strftime("%H:%M"), rome.strftime("%d/%m/%Y"));
    assert!(text.contains(&deadline), "{deadline:?} not in {text}");
    assert!(text.contains("Firma il documento con l'app IO"), "{text}");
    assert!(
        text.contains("Modalità prova ti chiede di firmare"),
        "Italian, the body too: {text}"
    );
    assert!(
        printed.path().contains(&format!("foglio-firma-{}-", id.as_str())),
        "{}",
        printed.path()
    );
    assert!(text.contains("Mario Rossi"), "{text}");
    assert_eq!(
        host.0.lock().unwrap().as_slice(),
        [("open", std::path::PathBuf::from(printed.path()))]
    );

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
    // Verified as it was archived, against the sandbox's test authority and the citizen's fiscal code.
    assert!(texts.contains(&"Signature check: Valid signature"), "{texts:?}");
    let verified = &detail["verifications"];
    assert_eq!(verified.as_array().unwrap().len(), 1, "{detail}");
    assert_eq!(verified[0]["verdict"], "valid", "{verified}");
    assert_eq!(verified[0]["verdict_text"], "Valid signature");
    assert_eq!(verified[0]["fiscal_code"], "RSSMRA80A01H501U");
    assert_eq!(verified[0]["expected_fiscal_code"], "RSSMRA80A01H501U");
    assert_eq!(verified[0]["trust"], "sandbox");
    assert_eq!(verified[0]["reasons"], serde_json::json!([]));
    assert_eq!(verified[0]["io_document_id"], files[0]["io_document_id"]);
    // The signed list shows it; in Italian it reads "Firma valida".
    let signed = serde_json::to_value(
        requests::list_requests(
            &desk,
            firmadesk_store::ListQuery {
                statuses: vec![firmadesk_store::Status::Signed],
                ..firmadesk_store::ListQuery::default()
            },
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(signed["verdicts"][id.as_str()]["verdict"], "valid", "{signed}");
    app::set_locale(&desk, "it").unwrap();
    let italian = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    assert_eq!(italian["verifications"][0]["verdict_text"], "Firma valida");
    app::set_locale(&desk, "en").unwrap();

    let notes = shown.shown();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let (worded, opens) = &notes[0];
    assert_eq!(worded.title, "Document signed");
    assert_eq!(
        worded.body,
        "Accordo di collaborazione – Mario Rossi: signed on IO and saved in the archive."
    );
    // A click opens the request by the one name the desk gives it.
    assert_eq!(opens.as_ref(), Some(&id));
    assert_eq!(
        opens.as_ref().map(firmadesk_store::LocalId::as_str),
        detail["request"]["id"].as_str()
    );

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
    assert!(
        csv.lines().next().unwrap().ends_with(";SHA-256;Verifica firma"),
        "{csv}"
    );
    assert!(csv.lines().nth(1).unwrap().ends_with(";Firma valida"), "{csv}");

    // The receipt with its audit page, in the clerk's language (English here): who did what and when.
    let printed = printables::print_receipt(&desk, &host, &id).await.unwrap();
    let receipt = std::fs::read(printed.path()).unwrap();
    let text = firmadesk_pdf::compose::page_texts(firmadesk_pdf::library::pdfium().unwrap(), &receipt)
        .unwrap()
        .join("\n");
    for needle in [
        "Signature request receipt",
        "RSSMRA80A01H501U",
        "Signed",
        "Audit trail",
        "Request created and sent to Firma con IO",
        "Status on IO: Signed",
        "Signature check: Valid signature",
        "SHA-256",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    // Actors as the timeline words them, never the stored codes.
    assert!(!text.lines().any(|l| matches!(l.trim(), "io" | "firmadesk")), "{text}");
    assert_eq!(host.0.lock().unwrap().len(), 2);
    engine.shutdown();
}

/// A test key reaches only its testers: with the testers listed on the profile, another code is refused
/// before any call to the service, and a tester's request is sent; with none listed, the service's 403
/// comes back naming both of its causes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_profile_sends_only_to_its_testers_and_refuses_others_before_any_call() {
    const KEY: &str = "test-key-0123456789abcdef";
    const TESTER: &str = "NRENNA85M41F205S";
    let service = iosign_sandbox::Sandbox::start(iosign_sandbox::SandboxConfig {
        test_keys: vec![KEY.into()],
        testers: vec![TESTER.into()],
        validation_delay: Duration::from_millis(50),
        publish_delay: Duration::from_millis(50),
        ..iosign_sandbox::SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let mut events = engine.subscribe();
    let save = |testers: &str| {
        let form = serde_json::from_value(serde_json::json!({
            "id": "collaudo",
            "name": "Comune – collaudo",
            "environment": "test",
            "base_url": service.base_url(),
            "testers": testers,
        }))
        .unwrap();
        profiles::save(&desk, form, Some(KEY.into()))
    };
    // The typed list: checked, in capitals, each code once.
    let bad = save("nrenna85m41f205s, RSSMRA80A01H501X").await.unwrap_err();
    assert_eq!(bad.code, firmadesk_desk::Code::ProfileInvalidTester, "{}", bad.message);
    let profile = save("nrenna85m41f205s\nNRENNA85M41F205S").await.unwrap();
    assert_eq!(profile.testers, [TESTER]);
    profiles::register(&desk, &engine, &profile).await.unwrap();
    profiles::set_active(&desk, &engine, "collaudo".into()).await.unwrap();

    let doc_id = testing::import_contract(&desk, &firmadesk_testkit::pdf::contract()).await;
    let draft_for = |name: &str, code: &str| testing::contract_draft_for(&doc_id, name, code);

    // Mario Rossi is no tester: refused here, the service never called.
    let refused = requests::submit_request(&desk, &engine, draft_for("Mario Rossi", "RSSMRA80A01H501U"))
        .await
        .unwrap_err();
    assert_eq!(refused.code, firmadesk_desk::Code::RequestNotTester);
    assert!(
        refused.message.contains("RSSMRA80A01H501U") && refused.message.contains("tester"),
        "{}",
        refused.message
    );
    assert!(service.request_log().is_empty(), "{:?}", service.request_log());

    // Anna Neri is: her request leaves.
    requests::submit_request(&desk, &engine, draft_for("Anna Neri", TESTER))
        .await
        .unwrap();
    next(&mut events, "send completed", |e| {
        matches!(e, EngineEvent::SendCompleted { .. })
    })
    .await;
    // The service was asked for its second opinion before the request was made.
    let log = service.request_log();
    let asked = log.iter().position(|e| e.operation == Some("validateDocument"));
    let created = log.iter().position(|e| e.operation == Some("createSignatureRequest"));
    assert!(asked.is_some() && asked < created, "{log:?}");

    // No testers listed: FirmaDesk cannot tell, the service refuses, and the clerk reads both causes.
    let profile = save("").await.unwrap();
    assert!(profile.testers.is_empty());
    requests::submit_request(&desk, &engine, draft_for("Mario Rossi", "RSSMRA80A01H501U"))
        .await
        .unwrap();
    let failed = next(&mut events, "send failed", |e| matches!(e, EngineEvent::Failed { .. })).await;
    let EngineEvent::Failed { message, .. } = failed else {
        unreachable!()
    };
    assert!(
        message.contains("indirizzo IP") && message.contains("non abilitato ai test"),
        "{message}"
    );
    engine.shutdown();
}

/// "Correggi e reinvia": a request the citizen refused comes back in the form with everything typed
/// (documents, fields, signer, title) and the reason; sent again, it is a new IO request, and the two
/// timelines name each other. A request still waiting cannot be "fixed"; any request can be duplicated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_request_is_fixed_and_sent_again_as_a_new_linked_request() {
    use firmadesk_desk::reopen::{reopen_request, ReopenMode};
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let mut events = engine.subscribe();
    sandbox::start_profile(&desk, &engine).await.unwrap();
    let doc_id = testing::import_contract(&desk, &firmadesk_testkit::pdf::contract()).await;
    let first = sent(&desk, &engine, &mut events, testing::contract_draft(&doc_id)).await;

    // Waiting: nothing to fix yet, but it can be duplicated.
    let waiting = serde_json::to_value(requests::request_detail(&desk, first.clone()).await.unwrap()).unwrap();
    assert_eq!(waiting["fixable"], false, "{waiting}");
    let refused = reopen_request(&desk, first.clone(), ReopenMode::Fix).await.unwrap_err();
    assert_eq!(refused.code, firmadesk_desk::Code::RequestStillActive);
    let copy = serde_json::to_value(
        reopen_request(&desk, first.clone(), ReopenMode::Duplicate)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(copy["documents"].as_array().unwrap().len(), 1, "{copy}");

    requests::simulate_reject(&desk, &engine, first.clone()).await.unwrap();
    next(&mut events, "the rejection seen", |e| {
        matches!(e, EngineEvent::StatusChanged { .. })
    })
    .await;
    next(&mut events, "sync finished", |e| {
        matches!(e, EngineEvent::SyncFinished { .. })
    })
    .await;
    let rejected = serde_json::to_value(requests::request_detail(&desk, first.clone()).await.unwrap()).unwrap();
    assert_eq!(rejected["request"]["status"], "rejected", "{rejected}");
    assert_eq!(rejected["fixable"], true, "the detail offers \"Correggi e reinvia\"");

    let reopened = serde_json::to_value(reopen_request(&desk, first.clone(), ReopenMode::Fix).await.unwrap()).unwrap();
    assert_eq!(reopened["signer_name"], "Mario Rossi");
    assert_eq!(reopened["fiscal_code"], "RSSMRA80A01H501U");
    assert_eq!(reopened["title"], "Accordo di collaborazione");
    assert_eq!(reopened["document_type"], "Accordo");
    let document = &reopened["documents"][0];
    assert_eq!(
        document["imported"]["doc_id"],
        doc_id.as_str(),
        "the same PDF, imported again"
    );
    assert_eq!(document["fields"][0]["clause_title"], "Firma per accettazione");
    assert_eq!(document["fields"][0]["x"], 72.0);
    assert!(reopened["missing"].as_array().unwrap().is_empty());

    // Sent again as the form sends it, naming the request it replaces.
    let mut draft = testing::contract_draft_json(&doc_id, "Mario Rossi", "RSSMRA80A01H501U");
    draft["replaces"] = serde_json::Value::String(first.as_str().to_owned());
    let second = sent(&desk, &engine, &mut events, serde_json::from_value(draft).unwrap()).await;

    let old = serde_json::to_value(requests::request_detail(&desk, first.clone()).await.unwrap()).unwrap();
    let new = serde_json::to_value(requests::request_detail(&desk, second.clone()).await.unwrap()).unwrap();
    assert_ne!(
        old["request"]["io_request_id"], new["request"]["io_request_id"],
        "a new IO request"
    );
    let linked = |detail: &serde_json::Value, code: &str, key: &str, other: &firmadesk_store::LocalId| {
        detail["events"].as_array().unwrap().iter().any(|e| {
            e["code"] == code
                && e["detail_json"]
                    .as_str()
                    .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
                    .is_some_and(|d| d["args"][key] == other.as_str())
        })
    };
    assert!(linked(&old, "replaced", "request", &second), "{old}");
    assert!(linked(&new, "created", "replaces", &first), "{new}");
    engine.shutdown();
}

/// The service's second opinion: a document it would refuse (though the local checks passed) stops the
/// send before anything is stored, with the service's reasons; a service that cannot be reached does not
/// stop it (it checks again after the upload). The service here is a mock: only it can disagree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_the_service_would_refuse_is_stopped_before_anything_is_stored() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    const KEY: &str = "test-key-0123456789abcdef";
    let service = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/sign/validate-document"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "is_valid": false,
            "violations": ["The signature field does not fit the page"]
        })))
        .mount(&service)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let save = |base_url: String| {
        let form = serde_json::from_value(serde_json::json!({
            "id": "ufficio", "name": "Ufficio", "environment": "produzione", "base_url": base_url,
        }))
        .unwrap();
        profiles::save(&desk, form, Some(KEY.into()))
    };
    let profile = save(format!("{}/api/v1/sign", service.uri())).await.unwrap();
    profiles::register(&desk, &engine, &profile).await.unwrap();
    profiles::set_active(&desk, &engine, "ufficio".into()).await.unwrap();
    let doc_id = testing::import_contract(&desk, &firmadesk_testkit::pdf::contract()).await;

    let refused = requests::submit_request(&desk, &engine, testing::contract_draft(&doc_id))
        .await
        .unwrap_err();
    assert_eq!(refused.code, firmadesk_desk::Code::RequestServiceRefuses);
    assert!(refused.message.contains("does not fit the page"), "{}", refused.message);
    let dashboard = serde_json::to_value(requests::dashboard(&desk).await.unwrap()).unwrap();
    let stored: i64 = dashboard["counts"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(serde_json::Value::as_i64)
        .sum();
    assert_eq!(stored, 0, "nothing stored: {dashboard}");

    // Nobody answers at that address: the send goes on without the second opinion.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let profile = save(format!("http://{closed}/api/v1/sign")).await.unwrap();
    profiles::register(&desk, &engine, &profile).await.unwrap();
    requests::submit_request(&desk, &engine, testing::contract_draft(&doc_id))
        .await
        .unwrap();
    engine.shutdown();
}

/// Issue #14, the hand-off: protocol data typed while the request waits names the archived file; changed
/// after signing, the file is renamed; the package holds the signed PDF as archived, metadata that the
/// schema in the repository accepts (checked by libxml2's `xmllint`, an independent validator), the
/// verification, the audit trail, IO's evidence without links, and a manifest that matches every file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_records_office_gets_a_package_named_by_the_protocol_number() {
    use firmadesk_desk::handoff;
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let mut events = engine.subscribe();
    sandbox::start_profile(&desk, &engine).await.unwrap();
    let pdf = firmadesk_testkit::pdf::contract();
    let imported = requests::import_pdf(&desk, Some("contratto.pdf".into()), None, &pdf)
        .await
        .unwrap();
    let imported = serde_json::to_value(&imported).unwrap();
    let doc_id = imported["doc_id"].as_str().unwrap().to_owned();
    // The test contract declares no PDF/A level: the form advises it before sending.
    assert_eq!(imported.get("pdfa"), Some(&serde_json::Value::Null), "{imported}");
    let id = sent(&desk, &engine, &mut events, testing::contract_draft(&doc_id)).await;

    // Not signed yet: no package, and the clerk is told why.
    let refused = handoff::export_packages(&desk, std::slice::from_ref(&id))
        .await
        .unwrap_err();
    assert_eq!(refused.code, firmadesk_desk::Code::ArchiveNotArchived);
    // A bad date is refused and nothing is kept.
    let bad = handoff::set_protocol(
        &desk,
        &id,
        handoff::ProtocolInput {
            number: "1".into(),
            date: Some("2026-02-30".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code, firmadesk_desk::Code::ProtocolInvalidDate);
    assert_eq!(handoff::protocol_of(&desk, &id).await.unwrap(), None);

    // Typed while it waits.
    let typed = handoff::ProtocolInput {
        number: "2026/0001234".into(),
        date: Some("2026-12-04".into()),
        register: "Protocollo generale".into(),
        classification: "6.3".into(),
        fascicolo: "2026-6.3/12".into(),
        reserved: false,
    };
    handoff::set_protocol(&desk, &id, typed.clone()).await.unwrap();
    // Saving the same again changes nothing (one timeline entry).
    handoff::set_protocol(&desk, &id, typed.clone()).await.unwrap();

    requests::simulate_sign(&desk, &engine, id.clone()).await.unwrap();
    let EngineEvent::Archived { path, .. } =
        next(&mut events, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await
    else {
        unreachable!()
    };
    let name = path.file_name().unwrap().to_str().unwrap().to_owned();
    assert!(name.starts_with("Prot. 2026_0001234 - Mario Rossi - "), "{name}");
    next(&mut events, "sync finished", |e| {
        matches!(e, EngineEvent::SyncFinished { .. })
    })
    .await;

    // Registered again after signing: the file follows the new number.
    handoff::set_protocol(
        &desk,
        &id,
        handoff::ProtocolInput {
            number: "2026/0001299".into(),
            ..typed
        },
    )
    .await
    .unwrap();
    let detail = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    let archived_path = std::path::PathBuf::from(detail["archived"][0]["path"].as_str().unwrap());
    let renamed = archived_path.file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(
        renamed,
        name.replace("Prot. 2026_0001234 - ", "Prot. 2026_0001299 - "),
        "{detail}"
    );
    assert!(archived_path.exists() && !path.exists());
    assert_eq!(detail["protocol"]["number"], "2026/0001299", "{detail}");
    let texts: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    let protocol_entries: Vec<&&str> = texts.iter().filter(|t| t.starts_with("Dati di protocollo:")).collect();
    assert_eq!(protocol_entries.len(), 2, "{texts:?}");
    assert!(
        protocol_entries[0].contains("Numero 2026/0001234") && protocol_entries[0].contains("Data 04/12/2026"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Documento firmato rinominato con il numero di protocollo")),
        "{texts:?}"
    );

    // The package. Its document type says how long the records office keeps it (Impostazioni).
    desk.store
        .set_document_type_retention("Accordo", Some(10))
        .await
        .unwrap();
    let exported = serde_json::to_value(
        handoff::export_packages(&desk, std::slice::from_ref(&id))
            .await
            .unwrap(),
    )
    .unwrap();
    let zip_path = std::path::PathBuf::from(exported["path"].as_str().unwrap());
    assert!(
        zip_path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("pacchetto-prot-2026_0001299-"),
        "{}",
        zip_path.display()
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().to_owned(), bytes);
    }
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let signed_entry = format!("documenti/{renamed}");
    assert_eq!(
        names,
        [
            signed_entry.as_str(),
            "evidenze-firma-con-io.json",
            "manifest-sha256.txt",
            "metadati.json",
            "metadati.xml",
            "registro-attivita.pdf",
            "schema/firmadesk-pacchetto-1.xsd",
            "verifica-firma.json",
        ]
    );
    // The signed PDF exactly as archived.
    assert_eq!(files[&signed_entry], std::fs::read(&archived_path).unwrap());
    // The manifest names every other file with its SHA-256.
    let manifest = String::from_utf8(files["manifest-sha256.txt"].clone()).unwrap();
    let listed: Vec<(&str, &str)> = manifest.lines().map(|l| l.split_once("  ").unwrap()).collect();
    assert_eq!(listed.len(), files.len() - 1, "{manifest}");
    for (sha, name) in &listed {
        assert_eq!(*sha, hex::encode(Sha256::digest(&files[*name])), "{name}");
    }
    // The metadata.
    let meta: handoff::Metadata = serde_json::from_slice(&files["metadati.json"]).unwrap();
    let doc = &meta.documenti[0];
    assert_eq!(doc.impronta, hex::encode(Sha256::digest(&files[&signed_entry])));
    assert_eq!(doc.nome_del_documento, signed_entry);
    assert_eq!(
        doc.dati_di_registrazione.tipo_registro,
        "Protocollo Ordinario/Protocollo Emergenza"
    );
    assert_eq!(
        doc.dati_di_registrazione.numero_registrazione.as_deref(),
        Some("2026/0001299")
    );
    assert_eq!(
        doc.dati_di_registrazione.data_registrazione.as_deref(),
        Some("2026-12-04")
    );
    assert_eq!(doc.classificazione.as_deref(), Some("6.3"));
    assert_eq!(doc.fascicolo.as_deref(), Some("2026-6.3/12"));
    assert_eq!(doc.soggetti[0].codice_fiscale.as_deref(), Some("RSSMRA80A01H501U"));
    assert_eq!(doc.verifica.esito, "valid");
    assert!(doc.verifica.firmato_digitalmente && doc.verifica.marcatura_temporale);
    assert_eq!(
        doc.verifica.codice_fiscale_firmatario.as_deref(),
        Some("RSSMRA80A01H501U")
    );
    // The XML says the same and the schema accepts it; the schema is not empty words: a document without
    // its digest is refused.
    let xml = String::from_utf8(files["metadati.xml"].clone()).unwrap();
    assert!(
        xml.contains("<NumeroRegistrazione>2026/0001299</NumeroRegistrazione>"),
        "{xml}"
    );
    assert!(xml.contains("<TempoDiConservazione>10</TempoDiConservazione>"), "{xml}");
    let work = tempfile::tempdir().unwrap();
    let schema = work.path().join("schema.xsd");
    std::fs::write(&schema, &files["schema/firmadesk-pacchetto-1.xsd"]).unwrap();
    let xmllint = |xml: &str| {
        let file = work.path().join("metadati.xml");
        std::fs::write(&file, xml).unwrap();
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .arg(&file)
            .output()
            .expect("xmllint (libxml2-utils) is installed by cargo xtask test");
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (valid, said) = xmllint(&xml);
    assert!(valid, "{said}\n{xml}");
    let start = xml.find("<Impronta>").unwrap();
    let end = xml.find("</Impronta>").unwrap() + "</Impronta>".len();
    let (valid, said) = xmllint(&format!("{}{}", &xml[..start], &xml[end..]));
    assert!(!valid && said.contains("Algoritmo"), "{said}");
    // The verification, IO's evidence without links, the audit trail in Italian.
    let verification: serde_json::Value = serde_json::from_slice(&files["verifica-firma.json"]).unwrap();
    assert_eq!(verification[0]["verdict_text"], "Firma valida", "{verification}");
    let evidence = String::from_utf8(files["evidenze-firma-con-io.json"].clone()).unwrap();
    let evidence_json: serde_json::Value = serde_json::from_str(&evidence).unwrap();
    assert_eq!(evidence_json["status"], "SIGNED");
    assert!(!evidence.contains("url") && !evidence.contains("http"), "{evidence}");
    let audit = firmadesk_pdf::compose::page_texts(
        firmadesk_pdf::library::pdfium().unwrap(),
        &files["registro-attivita.pdf"],
    )
    .unwrap()
    .join("\n");
    assert!(audit.contains("Dati di protocollo: Numero 2026/0001299"), "{audit}");

    // A document archived by a FirmaDesk from before verification (issue #14) is verified afterwards, once:
    // its verification taken out of the store as an older store never had it.
    rusqlite::Connection::open(dir.path().join("firmadesk.db"))
        .unwrap()
        .execute("DELETE FROM verifications", [])
        .unwrap();
    let before = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    assert_eq!(before["verifications"], serde_json::json!([]), "{before}");
    assert_eq!(firmadesk_desk::verify::backfill(&desk).await.unwrap(), 1);
    assert_eq!(firmadesk_desk::verify::backfill(&desk).await.unwrap(), 0, "only once");
    let after = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    assert_eq!(after["verifications"][0]["verdict"], "valid", "{after}");
    assert_eq!(after["verifications"][0]["fiscal_code"], "RSSMRA80A01H501U");
    let verified = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "verified")
        .count();
    assert_eq!(verified, 2, "the first on archive, the second now");
    engine.shutdown();
}

/// Issue #14, "Invia al protocollo": the package e-mailed to the protocol mailbox through a real SMTP server
/// on loopback (aiosmtpd, STARTTLS and a login required). Queued while the server is down, the message waits
/// with the reason in the timeline and is delivered by the next attempt once the server is up; the server
/// receives the package as an attachment whose manifest matches its files. Without the body's authority the
/// server's certificate is refused (TLS is never skipped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_package_reaches_the_protocol_mailbox_once_the_server_is_up() {
    use firmadesk_desk::mail;
    use firmadesk_testkit::smtp::{free_port, SmtpServer, SmtpTls};
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let clock = testing::clock();
    let desk = Arc::new(testing::test_desk(dir.path(), clock.clone()));
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let mut events = engine.subscribe();
    sandbox::start_profile(&desk, &engine).await.unwrap();
    let doc_id = testing::import_contract(&desk, &firmadesk_testkit::pdf::contract()).await;
    let id = sent(&desk, &engine, &mut events, testing::contract_draft(&doc_id)).await;
    requests::simulate_sign(&desk, &engine, id.clone()).await.unwrap();
    next(&mut events, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    next(&mut events, "sync finished", |e| {
        matches!(e, EngineEvent::SyncFinished { .. })
    })
    .await;

    // Not set: refused, saying who sets it.
    let refused = mail::send_to_protocol(&desk, &id).await.unwrap_err();
    assert_eq!(refused.code, firmadesk_desk::Code::MailNotConfigured);

    let tls = SmtpTls::generate();
    let port = free_port();
    let ca = dir.path().join("autorita.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    let form = mail::MailForm {
        host: "127.0.0.1".into(),
        port: Some(port),
        security: mail::Security::Starttls,
        username: "protocollo".into(),
        from: "firmadesk@comune.example.it".into(),
        to: "protocollo@pec.comune.example.it".into(),
        ca_file: Some(ca.display().to_string()),
        automatic: false,
    };
    // A password is needed the first time.
    let missing = mail::save(&desk, firmadesk_desk::SANDBOX_PROFILE, form.clone(), None)
        .await
        .unwrap_err();
    assert_eq!(missing.code, firmadesk_desk::Code::MailInvalidSettings);
    let saved = mail::save(
        &desk,
        firmadesk_desk::SANDBOX_PROFILE,
        form.clone(),
        Some("segreta-di-prova".into()),
    )
    .await
    .unwrap();
    assert!(saved.password_saved);
    // The password is in the keyring only, never in the settings file.
    let settings = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(settings.contains("protocollo@pec.comune.example.it") && !settings.contains("segreta-di-prova"));

    // The server is down: queued, tried, kept with the reason, once in the timeline.
    let queued = mail::send_to_protocol(&desk, &id).await.unwrap();
    assert_eq!(mail::send_to_protocol(&desk, &id).await.unwrap(), queued, "queued once");
    assert_eq!(mail::run_due(&desk).await, 0);
    let waiting = mail::queued_for(&desk, &id).unwrap();
    assert_eq!(waiting.attempts, 1);
    let reason = waiting.last_error.clone().unwrap();
    assert!(reason.contains("non raggiungibile"), "{reason}");
    // Not due again before its pause.
    assert_eq!(mail::run_due(&desk).await, 0);
    assert_eq!(mail::queued_for(&desk, &id).unwrap().attempts, 1);

    // Up, with STARTTLS and the login: the next attempt delivers it.
    let server = SmtpServer::start(&tls, port, "protocollo", "segreta-di-prova", false);
    clock.advance(mail::backoff(1));
    assert_eq!(mail::run_due(&desk).await, 1);
    assert_eq!(mail::queued_for(&desk, &id), None);
    let received = server.messages();
    assert_eq!(received.len(), 1);
    let eml = String::from_utf8_lossy(&received[0].eml).into_owned();
    assert!(eml.contains("To: protocollo@pec.comune.example.it"), "{eml}");
    assert!(eml.contains("Subject: Documento firmato con Firma con IO"), "{eml}");
    let (name, zip) = &received[0].attachments[0];
    assert_eq!(name, &queued.file_name);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
    let mut manifest = String::new();
    archive
        .by_name("manifest-sha256.txt")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    for line in manifest.lines() {
        let (sha, file) = line.split_once("  ").unwrap();
        let mut bytes = Vec::new();
        archive.by_name(file).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(sha, hex::encode(Sha256::digest(&bytes)), "{file}");
    }
    let detail = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    let texts: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    for needle in [
        "Pacchetto in coda per la casella del protocollo protocollo@pec.comune.example.it",
        "Invio al protocollo non riuscito, nuovo tentativo automatico",
        "Pacchetto consegnato al server di posta",
    ] {
        assert_eq!(
            texts.iter().filter(|t| t.starts_with(needle)).count(),
            1,
            "{needle:?} in {texts:?}"
        );
    }

    // Without the body's authority the server's certificate is refused: the message waits.
    mail::save(
        &desk,
        firmadesk_desk::SANDBOX_PROFILE,
        mail::MailForm {
            ca_file: None,
            ..form.clone()
        },
        None,
    )
    .await
    .unwrap();
    mail::send_to_protocol(&desk, &id).await.unwrap();
    assert_eq!(mail::run_due(&desk).await, 0);
    let refused = mail::queued_for(&desk, &id).unwrap();
    let reason = refused.last_error.unwrap();
    assert!(reason.contains("TLS"), "{reason}");
    assert_eq!(server.messages().len(), 1);

    // "Automatico": the desk's sender queues the next request as soon as it is signed and archived, and
    // delivers it.
    mail::save(
        &desk,
        firmadesk_desk::SANDBOX_PROFILE,
        mail::MailForm {
            automatic: true,
            ..form
        },
        None,
    )
    .await
    .unwrap();
    // The desk's sender runs beside the clerk's work (as the app runs it on its own task).
    let work = async {
        let second = sent(&desk, &engine, &mut events, testing::contract_draft(&doc_id)).await;
        requests::simulate_sign(&desk, &engine, second.clone()).await.unwrap();
        // Until the server holds the second message (each engine event is a moment to look again).
        let delivered = tokio::time::timeout(Duration::from_secs(60), async {
            while server.messages().len() < 2 {
                let _ = events.recv().await;
            }
        })
        .await;
        assert!(
            delivered.is_ok(),
            "the automatic package never arrived: {:?}",
            mail::queued(&desk)
        );
        second
    };
    let second = tokio::select! {
        () = mail::run(&desk, &engine) => unreachable!("the sender runs while the engine does"),
        second = work => second,
    };
    let subject = String::from_utf8_lossy(&server.messages()[1].eml).into_owned();
    assert!(
        subject.contains("Subject: Documento firmato con Firma con IO"),
        "{subject}"
    );
    assert_eq!(mail::queued_for(&desk, &second), None);
    engine.shutdown();
}

/// Issue #14: protocol data typed in the new-request form is kept with the request (in its timeline) and
/// names the signed file when it is archived; a bad date stops the send before anything is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_data_typed_before_sending_names_the_archived_file() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(testing::test_desk(dir.path(), testing::clock()));
    let shown = notify::RecordingShow::default();
    let engine = engine_for(&desk, &shown);
    let mut events = engine.subscribe();
    sandbox::start_profile(&desk, &engine).await.unwrap();
    let doc_id = testing::import_contract(&desk, &firmadesk_testkit::pdf::contract()).await;
    let with = |protocol: serde_json::Value| -> requests::Draft {
        let mut draft = testing::contract_draft_json(&doc_id, "Mario Rossi", "RSSMRA80A01H501U");
        draft["protocol"] = protocol;
        serde_json::from_value(draft).unwrap()
    };

    let bad = requests::submit_request(
        &desk,
        &engine,
        with(serde_json::json!({ "number": "7", "date": "2026-13-01" })),
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code, firmadesk_desk::Code::ProtocolInvalidDate);
    let none = firmadesk_store::ListQuery::default();
    assert_eq!(
        desk.store.list(&none, desk.now_ms()).await.unwrap().total,
        0,
        "nothing stored"
    );

    let protocol =
        serde_json::json!({ "number": "2026/0000777", "date": "2026-12-01", "register": "Repertorio contratti" });
    let id = sent(&desk, &engine, &mut events, with(protocol)).await;
    let kept = firmadesk_desk::handoff::protocol_of(&desk, &id).await.unwrap().unwrap();
    assert_eq!(
        (kept.number.as_str(), kept.register.as_str()),
        ("2026/0000777", "Repertorio contratti")
    );
    requests::simulate_sign(&desk, &engine, id.clone()).await.unwrap();
    let EngineEvent::Archived { path, .. } =
        next(&mut events, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await
    else {
        unreachable!()
    };
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("Prot. 2026_0000777 - Mario Rossi - "), "{name}");
    let detail = serde_json::to_value(requests::request_detail(&desk, id.clone()).await.unwrap()).unwrap();
    let codes: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    // Recorded with the request, right after its creation.
    let created = codes.iter().position(|c| *c == "created").unwrap();
    assert_eq!(codes.get(created + 1), Some(&"protocol"), "{codes:?}");
    engine.shutdown();
}
