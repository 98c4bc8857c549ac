//! The verification of archived signed documents (conformance: both backends).

use crate::*;
use firmadesk_store::*;

fn verification(request: &str, doc: &str, verdict: &str, codes: &[&str]) -> Verification {
    Verification {
        request_id: request.into(),
        io_document_id: doc.into(),
        verdict: verdict.into(),
        codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        signer: Some("Mario Rossi".into()),
        fiscal_code: Some("RSSMRA80A01H501U".into()),
        signing_time: Some("2026-11-25T10:00:00Z".into()),
        report_json: format!(r#"{{"verdict":"{verdict}"}}"#),
        verified_at: NOW,
    }
}

pub async fn verifications_are_kept_per_document_replaced_and_read_for_many_requests(store: &dyn Store) {
    for id in ["r1", "r2", "r3"] {
        save_plain(store, id, Status::Signed).await;
    }
    assert_eq!(store.verifications(&["r1".into()]).await.unwrap(), []);

    let second = verification("r1", "DOC-B", "invalid", &["fiscal_code_mismatch", "no_timestamp"]);
    let first = verification("r1", "DOC-A", "valid", &[]);
    store.record_verification(&second).await.unwrap();
    store.record_verification(&first).await.unwrap();
    let mut other = verification("r2", "DOC-A", "valid_with_warnings", &["trust_not_checked"]);
    other.signer = None;
    other.fiscal_code = None;
    other.signing_time = None;
    store.record_verification(&other).await.unwrap();

    // By request then document; an empty list of codes reads back empty; unknown ids have none.
    assert_eq!(
        store.verifications(&["r1".into()]).await.unwrap(),
        [first.clone(), second.clone()]
    );
    assert_eq!(
        store
            .verifications(&["r2".into(), "r1".into(), "r3".into(), "nope".into()])
            .await
            .unwrap(),
        [first.clone(), second, other.clone()]
    );
    assert_eq!(store.verifications(&[]).await.unwrap(), []);

    // Verifying the same document again replaces its result.
    let again = Verification {
        verified_at: NOW + DAY,
        ..verification("r1", "DOC-B", "valid", &[])
    };
    store.record_verification(&again).await.unwrap();
    assert_eq!(store.verifications(&["r1".into()]).await.unwrap(), [first, again]);

    // Only the three verdicts; a verification belongs to a request that exists.
    assert!(store
        .record_verification(&verification("r3", "DOC-A", "maybe", &[]))
        .await
        .is_err());
    assert!(store
        .record_verification(&verification("ghost", "DOC-A", "valid", &[]))
        .await
        .is_err());
    assert_eq!(store.verifications(&["r2".into()]).await.unwrap(), [other]);

    // The archived documents without a verification, and only those: r1's DOC-A and DOC-B are verified,
    // its DOC-C and r3's document are not.
    use crate::requests::archived;
    for (request, doc) in [("r1", "DOC-A"), ("r1", "DOC-B"), ("r1", "DOC-C"), ("r3", "DOC-A")] {
        store.record_archive(&archived(request, doc, 'a')).await.unwrap();
    }
    assert_eq!(
        store.unverified_archives().await.unwrap(),
        [archived("r1", "DOC-C", 'a'), archived("r3", "DOC-A", 'a')]
    );
    store
        .record_verification(&verification("r3", "DOC-A", "valid", &[]))
        .await
        .unwrap();
    assert_eq!(
        store.unverified_archives().await.unwrap(),
        [archived("r1", "DOC-C", 'a')]
    );
}

fn protocol(request: &str, number: &str) -> Protocol {
    Protocol {
        request_id: request.into(),
        number: number.into(),
        date: Some("2026-12-04".into()),
        register: "Protocollo generale".into(),
        classification: "6.3".into(),
        fascicolo: "2026/12".into(),
        reserved: false,
        updated_at: NOW,
        updated_by: "Anna Bianchi".into(),
    }
}

pub async fn protocol_data_and_evidence_are_kept_per_request_and_replaced(store: &dyn Store) {
    for id in ["p1", "p2"] {
        save_plain(store, id, Status::Signed).await;
    }
    assert_eq!(store.protocols(&["p1".into()]).await.unwrap(), []);
    assert_eq!(store.evidence(&"p1".into()).await.unwrap(), None);

    let first = protocol("p1", "0012345");
    let second = Protocol {
        date: None,
        reserved: true,
        register: String::new(),
        ..protocol("p2", "")
    };
    store.set_protocol(&second).await.unwrap();
    store.set_protocol(&first).await.unwrap();
    assert_eq!(
        store
            .protocols(&["p2".into(), "p1".into(), "nope".into()])
            .await
            .unwrap(),
        [first.clone(), second.clone()]
    );

    // Edited: the new data replaces the old.
    let edited = Protocol {
        number: "0012346".into(),
        updated_at: NOW + DAY,
        updated_by: "Carlo Verdi".into(),
        ..first
    };
    store.set_protocol(&edited).await.unwrap();
    assert_eq!(store.protocols(&["p1".into()]).await.unwrap(), [edited]);

    // A date that is not YYYY-MM-DD, or a request that does not exist, is refused.
    assert!(store
        .set_protocol(&Protocol {
            date: Some("4/12/2026".into()),
            ..protocol("p1", "1")
        })
        .await
        .is_err());
    assert!(store.set_protocol(&protocol("nope", "1")).await.is_err());

    store.record_evidence(&"p1".into(), r#"{"id":"A"}"#, NOW).await.unwrap();
    store
        .record_evidence(&"p1".into(), r#"{"id":"B"}"#, NOW + 1)
        .await
        .unwrap();
    assert_eq!(
        store.evidence(&"p1".into()).await.unwrap().as_deref(),
        Some(r#"{"id":"B"}"#)
    );
    assert_eq!(store.evidence(&"p2".into()).await.unwrap(), None);
    assert!(store.record_evidence(&"nope".into(), "{}", NOW).await.is_err());
}
