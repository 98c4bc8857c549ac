//! Send sagas, dossiers and signers, and the archive of signed files (conformance: both backends).

use crate::*;
use firmadesk_store::*;

pub async fn sagas_dossiers_signers_and_archive_round_trip(store: &dyn Store) {
    save_plain(store, "r1", Status::Sending).await;
    save_plain(store, "r2", Status::Waiting).await;
    let mut s = SendState {
        request_id: "r1".into(),
        step: "create_request".into(),
        state_json: "{}".into(),
        attempts: 1,
        next_attempt_at: Some(NOW + 5000),
        create_attempted_at: Some(NOW),
        last_error: Some("Servizio non raggiungibile".into()),
        updated_at: NOW,
    };
    store.save_send(&s).await.unwrap();
    store
        .save_send(&SendState {
            request_id: "r2".into(),
            step: "waiting".into(),
            ..s.clone()
        })
        .await
        .unwrap();
    assert_eq!(store.send(&"r1".into()).await.unwrap().unwrap(), s);
    assert_eq!(
        store
            .unfinished_sends()
            .await
            .unwrap()
            .iter()
            .map(|s| s.request_id.as_str())
            .collect::<Vec<_>>(),
        ["r1"]
    );
    s.step = "waiting".into();
    store.save_send(&s).await.unwrap();
    assert!(store.unfinished_sends().await.unwrap().is_empty());

    store
        .upsert_document_type("Accordo", "Accordo di collaborazione", None, "[]")
        .await
        .unwrap();
    assert_eq!(
        store.document_types().await.unwrap()[0].dossier_title,
        "Accordo di collaborazione"
    );
    store.set_dossier_id("p1", "Accordo", "01DOSSIER").await.unwrap();
    assert_eq!(
        store.dossier_id("p1", "Accordo").await.unwrap().as_deref(),
        Some("01DOSSIER")
    );
    assert_eq!(
        store.dossiers("p1").await.unwrap(),
        [("Accordo".to_string(), "01DOSSIER".to_string())]
    );
    store
        .upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", None)
        .await
        .unwrap();
    assert_eq!(store.signer_id("p1", "RSSMRA80A01H501U").await.unwrap(), None);
    store
        .upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", Some("signer-1"))
        .await
        .unwrap();
    store
        .upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", None)
        .await
        .unwrap();
    assert_eq!(
        store.signer_id("p1", "RSSMRA80A01H501U").await.unwrap().as_deref(),
        Some("signer-1"),
        "a known id is kept"
    );

    let mut r2 = store.request(&"r2".into()).await.unwrap().unwrap();
    r2.io_request_id = Some("01IOREQ".into());
    r2.dossier_id = Some("01DOSSIER".into());
    store.update_request(&r2).await.unwrap();
    assert_eq!(
        store
            .request_by_io_id("p1", &"01IOREQ".into())
            .await
            .unwrap()
            .unwrap()
            .id,
        "r2"
    );
    assert_eq!(store.requests_in_dossier("p1", "01DOSSIER").await.unwrap().len(), 1);
    let file = ArchivedFile {
        request_id: "r2".into(),
        io_document_id: "01DOC".into(),
        path: "/archivio/2026/Accordo/x.pdf".into(),
        sha256: "b".repeat(64),
        size: 99,
        archived_at: NOW,
    };
    store.record_archive(&file).await.unwrap();
    assert_eq!(store.archived_files(&"r2".into()).await.unwrap(), [file]);
}
