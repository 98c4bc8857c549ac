//! Requests with their documents, fields and timeline (src/requests.rs, src/timeline.rs).

use crate::*;
use firmadesk_store::*;

#[test]
fn drafts_keep_documents_fields_and_their_timeline() {
    let (_dir, store) = store_with_profile();
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
    store.save_request(&r, &docs, &fields).unwrap();
    assert_eq!(store.request(&"r1".into()).unwrap().unwrap(), r);
    assert_eq!(store.documents(&"r1".into()).unwrap(), docs);
    assert_eq!(store.fields(&"r1".into()).unwrap(), fields);
    // Saving the draft again replaces documents and fields as a whole.
    store.save_request(&r, &docs, &fields[..1]).unwrap();
    assert_eq!(store.fields(&"r1".into()).unwrap().len(), 1);
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
            .unwrap();
    }
    let codes: Vec<String> = store
        .events(&"r1".into())
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(
        codes,
        ["created", "send.started", "send.uploaded"],
        "same-time events keep their order"
    );
    assert_eq!(store.recent_events(1).unwrap()[0].code, "send.uploaded");
}
