//! Requests with their documents, fields and timeline (conformance: both backends).

use crate::*;
use firmadesk_store::*;

pub async fn drafts_keep_documents_fields_and_their_timeline(store: &dyn Store) {
    let r = request(
        "r1",
        Status::Draft,
        "Mario Rossi",
        "RSSMRA80A01H501U",
        "Accordo 2026",
        NOW,
        Some(NOW + 90 * DAY),
    );
    let docs = vec![Document {
        position: 0,
        title: "Accordo".into(),
        path: "/data/docs/a.pdf".into(),
        sha256: Some("a".repeat(64)),
        size: Some(1234),
        io_document_id: None,
        io_status: None,
        reject_reason: None,
    }];
    let fields = vec![
        Field {
            document: 0,
            position: 0,
            placement: Placement::Coordinates {
                page: 1,
                x: 72.0,
                y: 700.5,
                w: 200.0,
                h: 60.0,
            },
            clause_type: "REQUIRED".into(),
            clause_title: "Firma per accettazione".into(),
        },
        Field {
            document: 0,
            position: 1,
            placement: Placement::Existing {
                unique_name: "Firma1".into(),
            },
            clause_type: "OPTIONAL".into(),
            clause_title: "Presa visione".into(),
        },
    ];
    store.save_request(&r, &docs, &fields).await.unwrap();
    assert_eq!(store.request(&"r1".into()).await.unwrap().unwrap(), r);
    assert_eq!(store.documents(&"r1".into()).await.unwrap(), docs);
    assert_eq!(store.fields(&"r1".into()).await.unwrap(), fields);
    // Saving the draft again replaces documents and fields as a whole.
    store.save_request(&r, &docs, &fields[..1]).await.unwrap();
    assert_eq!(store.fields(&"r1".into()).await.unwrap().len(), 1);
    for (i, code) in ["created", "send.started", "send.uploaded"].iter().enumerate() {
        store
            .add_event(&Event {
                request_id: "r1".into(),
                at: NOW + 10,
                actor: "Anna Bianchi".into(),
                code: (*code).into(),
                text: format!("passo {i}"),
                detail_json: None,
            })
            .await
            .unwrap();
    }
    let codes: Vec<String> = store
        .events(&"r1".into())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(
        codes,
        ["created", "send.started", "send.uploaded"],
        "same-time events keep their order"
    );
    assert_eq!(store.recent_events(1).await.unwrap()[0].code, "send.uploaded");
}

pub(crate) fn event(request: &str, at: i64, code: &str) -> Event {
    Event {
        request_id: request.into(),
        at,
        actor: "FirmaDesk".into(),
        code: code.into(),
        text: code.into(),
        detail_json: None,
    }
}

pub(crate) fn archived(request: &str, doc: &str, sha: char) -> ArchivedFile {
    ArchivedFile {
        request_id: request.into(),
        io_document_id: doc.into(),
        path: format!("/archivio/{request}-{doc}.pdf"),
        sha256: sha.to_string().repeat(64),
        size: 10,
        archived_at: NOW,
    }
}

pub async fn a_row_absorbs_the_one_the_poller_made_for_the_same_io_request(store: &dyn Store) {
    // The poller saw IO's request first and named it "f1"; then the send that created it ("r1") claims it.
    let mut foreign = request("f1", Status::Waiting, "", "", "Accordo", NOW, None);
    foreign.io_request_id = Some("01IO".into());
    store.save_request(&foreign, &[], &[]).await.unwrap();
    store.add_event(&event("f1", NOW + 1, "io.seen")).await.unwrap();
    store.record_archive(&archived("f1", "D1", 'a')).await.unwrap();
    store.record_archive(&archived("f1", "D2", 'b')).await.unwrap();
    save_plain(store, "r1", Status::Sending).await;
    store.add_event(&event("r1", NOW, "send.started")).await.unwrap();
    store.record_archive(&archived("r1", "D1", 'c')).await.unwrap();

    let mut mine = store.request(&"r1".into()).await.unwrap().unwrap();
    mine.status = Status::Waiting;
    mine.io_request_id = Some("01IO".into());
    let step = SendState {
        request_id: "r1".into(),
        step: "waiting".into(),
        state_json: "{}".into(),
        attempts: 0,
        next_attempt_at: None,
        create_attempted_at: Some(NOW),
        last_error: None,
        updated_at: NOW + 2,
    };
    store
        .save_request_row(&mine, Some(&step), Some(&"f1".into()))
        .await
        .unwrap();

    assert_eq!(
        store.request(&"f1".into()).await.unwrap(),
        None,
        "the poller's row is gone"
    );
    assert_eq!(
        store.request_by_io_id("p1", &"01IO".into()).await.unwrap().unwrap().id,
        "r1",
        "IO's id now names the send's row"
    );
    let codes: Vec<String> = store
        .events(&"r1".into())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["send.started", "io.seen"], "one timeline, in time order");
    let files = store.archived_files(&"r1".into()).await.unwrap();
    let shas: Vec<char> = files.iter().map(|f| f.sha256.chars().next().unwrap()).collect();
    assert_eq!(
        shas,
        ['a', 'b'],
        "the moved records replace the row's own for the same document"
    );
    assert_eq!(
        store.send(&"r1".into()).await.unwrap().unwrap().step,
        "waiting",
        "the step went in with the row"
    );

    // Absorbing itself is no absorb.
    store.save_request_row(&mine, None, Some(&"r1".into())).await.unwrap();
    assert!(store.request(&"r1".into()).await.unwrap().is_some());
}

pub async fn a_profile_with_requests_is_kept(store: &dyn Store) {
    let mut p2 = profile("p2");
    p2.support_email = Some("urp@comune.example".into());
    store.upsert_profile(&p2, NOW).await.unwrap();
    store.set_dossier_id("p2", "Accordo", "01D").await.unwrap();
    save_plain(store, "r1", Status::Waiting).await;
    let err = store.delete_profile("p1").await.unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::Invalid,
        "p1 has a request: its history stays readable"
    );
    store.delete_profile("p2").await.unwrap();
    let names: Vec<String> = store.profiles().await.unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(names, ["p1"]);
    assert!(
        store.dossiers("p2").await.unwrap().is_empty(),
        "its dossiers went with it"
    );
}

pub async fn a_document_type_in_use_is_archived_not_deleted(store: &dyn Store) {
    for name in ["Accordo", "Delibera"] {
        store
            .upsert_document_type(name, &format!("{name} del Comune"), None, "[]")
            .await
            .unwrap();
    }
    save_plain(store, "r1", Status::Signed).await; // an "Accordo"
    let err = store.delete_document_type("Accordo").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Invalid, "a request was sent with it");
    assert!(err.message.contains("archiviato"), "{}", err.message);
    store.set_document_type_archived("Accordo", true).await.unwrap();
    store.delete_document_type("Delibera").await.unwrap();
    store.delete_document_type("Mai esistito").await.unwrap();
    let kept = store.document_types().await.unwrap();
    assert_eq!(
        kept.iter().map(|t| (t.name.as_str(), t.archived)).collect::<Vec<_>>(),
        [("Accordo", true)]
    );
    // Saving it again (a new title) keeps it archived; bringing it back is its own step.
    store
        .upsert_document_type("Accordo", "Accordo nuovo", None, "[]")
        .await
        .unwrap();
    assert!(store.document_types().await.unwrap()[0].archived);
    store.set_document_type_archived("Accordo", false).await.unwrap();
    assert!(!store.document_types().await.unwrap()[0].archived);
    // Issue #14: its retention period, kept through a new title, unset again, and only from 1 to 999 years.
    assert_eq!(store.document_types().await.unwrap()[0].retention_years, None);
    store.set_document_type_retention("Accordo", Some(10)).await.unwrap();
    store
        .upsert_document_type("Accordo", "Accordo 2027", None, "[]")
        .await
        .unwrap();
    assert_eq!(store.document_types().await.unwrap()[0].retention_years, Some(10));
    for wrong in [0, 1000] {
        store
            .set_document_type_retention("Accordo", Some(wrong))
            .await
            .unwrap_err();
    }
    store.set_document_type_retention("Accordo", None).await.unwrap();
    assert_eq!(store.document_types().await.unwrap()[0].retention_years, None);
}

pub async fn constraints_refuse_bad_data(store: &dyn Store) {
    let bad_cf = request("r1", Status::Draft, "Anna", "rssmra80a01h501u", "Accordo", NOW, None);
    store
        .upsert_signer("p1", &bad_cf.fiscal_code, "Anna", None)
        .await
        .unwrap_err();
    let short = request("r2", Status::Draft, "Anna", "RSSMRA80A01", "Accordo", NOW, None);
    assert_eq!(
        store.save_request(&short, &[], &[]).await.unwrap_err().kind,
        ErrorKind::Invalid
    );
    let mut orphan = request("r3", Status::Draft, "Anna", "RSSMRA80A01H501U", "Accordo", NOW, None);
    orphan.profile_id = "nobody".into();
    assert_eq!(
        store.save_request(&orphan, &[], &[]).await.unwrap_err().kind,
        ErrorKind::Invalid
    );
}

/// A test profile's tester codes are kept in their order and given back; saving the profile again with
/// none removes them.
pub async fn a_test_profile_keeps_its_testers(store: &dyn Store) {
    let mut p = profile("collaudo");
    p.environment = Environment::Test;
    p.testers = vec!["NRENNA85M41F205S".into(), "RSSMRA80A01H501U".into()];
    store.upsert_profile(&p, NOW).await.unwrap();
    let read = |ps: Vec<Profile>| ps.into_iter().find(|x| x.id == "collaudo").unwrap();
    assert_eq!(read(store.profiles().await.unwrap()), p);
    p.testers.clear();
    store.upsert_profile(&p, NOW).await.unwrap();
    assert!(read(store.profiles().await.unwrap()).testers.is_empty());
    // The other profile was never touched.
    assert!(read_other(store).await.testers.is_empty());
}

async fn read_other(store: &dyn Store) -> Profile {
    store
        .profiles()
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == "p1")
        .unwrap()
}

/// The signer book: names found by any part (any case), codes by their start, by name, within the limit,
/// one profile's only; the LIKE wildcards typed are plain characters.
pub async fn the_signer_book_finds_names_and_codes(store: &dyn Store) {
    for (cf, name) in [
        ("RSSMRA80A01H501U", "Mario Rossi"),
        ("NRENNA85M41F205S", "Anna Neri"),
        ("BNCGVN70C10F839X", "Giovanni Bianchi"),
    ] {
        store.upsert_signer("p1", cf, name, None).await.unwrap();
    }
    let mut other = profile("p2");
    other.name = "Altro ufficio".into();
    store.upsert_profile(&other, NOW).await.unwrap();
    store
        .upsert_signer("p2", "RSSMRA80A01H501U", "Mario Rossi (altro ufficio)", None)
        .await
        .unwrap();

    let names = |found: Vec<(String, String)>| found.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    assert_eq!(
        names(store.signer_book("p1", "ross", 10).await.unwrap()),
        ["Mario Rossi"]
    );
    assert_eq!(
        names(store.signer_book("p1", " AN ", 10).await.unwrap()),
        ["Anna Neri", "Giovanni Bianchi"]
    );
    assert_eq!(
        names(store.signer_book("p1", "nrenna", 10).await.unwrap()),
        ["Anna Neri"],
        "a code by its start"
    );
    assert_eq!(
        names(store.signer_book("p1", "an", 1).await.unwrap()),
        ["Anna Neri"],
        "the limit"
    );
    assert!(
        store.signer_book("p1", "%", 10).await.unwrap().is_empty(),
        "a wildcard typed is a character"
    );
    assert!(store.signer_book("p1", "_", 10).await.unwrap().is_empty());
    assert_eq!(
        store.signer_book("p1", "rssmra", 10).await.unwrap(),
        [("RSSMRA80A01H501U".to_owned(), "Mario Rossi".to_owned())]
    );
}
