//! Lists sent with one document type (conformance: both backends).

use crate::*;
use firmadesk_store::*;

fn batch(id: &str, profile: &str, at: i64) -> Batch {
    Batch {
        id: id.into(),
        profile_id: profile.into(),
        document_type: "Accordo".into(),
        name: "famiglie.csv".into(),
        created_by: "anna.rossi".into(),
        runner: "anna@desk-1".into(),
        state: BatchState::Sending,
        draft_json: r#"{"document_type":"Accordo"}"#.into(),
        created_at: at,
        updated_at: at,
    }
}

fn row(batch_id: &str, position: u32, request_id: &str) -> BatchRow {
    BatchRow {
        batch_id: batch_id.into(),
        position,
        line: position + 2,
        request_id: request_id.into(),
        signer_name: format!("Cittadino {position}"),
        fiscal_code: "RSSMRA80A01H501U".into(),
        data_json: "{}".into(),
        error: None,
    }
}

pub async fn a_batch_keeps_its_rows_and_follows_their_requests(store: &dyn Store) {
    let b = batch("B1", "p1", NOW);
    let rows = [row("B1", 0, "B1-r0"), row("B1", 1, "B1-r1"), row("B1", 2, "B1-r2")];
    store.save_batch(&b, &rows).await.unwrap();
    assert_eq!(store.batch("B1").await.unwrap().unwrap(), b);
    assert!(store.batch("B9").await.unwrap().is_none());

    // Saved once: a second save of the same batch changes nothing.
    let again = store.save_batch(&b, &[row("B1", 3, "B1-r3")]).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::Invalid);
    let states = store.batch_rows("B1").await.unwrap();
    assert_eq!(states.iter().map(|s| s.row.clone()).collect::<Vec<_>>(), rows);
    assert!(states.iter().all(|s| s.status.is_none() && s.step.is_none()));

    // Row 0 became a request being sent; row 1 could not become one.
    save_plain(store, "B1-r0", Status::Sending).await;
    store
        .save_send(&SendState {
            request_id: "B1-r0".into(),
            step: "create_request".into(),
            state_json: "{}".into(),
            attempts: 0,
            next_attempt_at: None,
            create_attempted_at: None,
            last_error: Some("Servizio non raggiungibile".into()),
            updated_at: NOW,
        })
        .await
        .unwrap();
    store
        .set_batch_row_error("B1", 1, Some("PDF non trovato"))
        .await
        .unwrap();
    let states = store.batch_rows("B1").await.unwrap();
    assert_eq!(states[0].status, Some(Status::Sending));
    assert_eq!(states[0].step.as_deref(), Some("create_request"));
    assert_eq!(states[0].last_error.as_deref(), Some("Servizio non raggiungibile"));
    assert_eq!(states[1].row.error.as_deref(), Some("PDF non trovato"));
    assert_eq!(states[2].status, None);
    store.set_batch_row_error("B1", 1, None).await.unwrap();
    assert_eq!(store.batch_rows("B1").await.unwrap()[1].row.error, None);

    store.set_batch_state("B1", BatchState::Paused, NOW + 10).await.unwrap();
    let paused = store.batch("B1").await.unwrap().unwrap();
    assert_eq!((paused.state, paused.updated_at), (BatchState::Paused, NOW + 10));
}

pub async fn batches_are_listed_newest_first_per_profile(store: &dyn Store) {
    store.upsert_profile(&profile("p2"), NOW).await.unwrap();
    store.save_batch(&batch("B1", "p1", NOW), &[]).await.unwrap();
    store.save_batch(&batch("B2", "p2", NOW + 1), &[]).await.unwrap();
    store.save_batch(&batch("B3", "p1", NOW + 2), &[]).await.unwrap();
    let ids = |v: Vec<Batch>| v.into_iter().map(|b| b.id).collect::<Vec<_>>();
    assert_eq!(ids(store.batches(Some("p1"), 10).await.unwrap()), ["B3", "B1"]);
    assert_eq!(ids(store.batches(None, 10).await.unwrap()), ["B3", "B2", "B1"]);
    assert_eq!(ids(store.batches(None, 1).await.unwrap()), ["B3"]);
    // A row's request is one row's only.
    store
        .save_batch(&batch("B4", "p1", NOW + 3), &[row("B4", 0, "shared")])
        .await
        .unwrap();
    assert!(store
        .save_batch(&batch("B5", "p1", NOW + 4), &[row("B5", 0, "shared")])
        .await
        .is_err());
    assert!(store.batch("B5").await.unwrap().is_none(), "all or nothing");
}
