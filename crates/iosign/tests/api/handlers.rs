//! Request shape and response decoding of every handler.

use crate::support::{api, client, dossier_json, list_item_json, request_json, KEY};
use futures::TryStreamExt;
use iosign::{
    ApiErrorKind, CreateDossierBody, CreateSignatureRequestBody, DocumentMetadata, FiscalCode,
    SetSignatureRequestStatusBody, SignatureRequestStatus,
};
use serde_json::json;
use time::macros::datetime;
use wiremock::matchers::{body_json, body_string, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn key() -> (&'static str, &'static str) {
    ("Ocp-Apim-Subscription-Key", KEY)
}

#[tokio::test]
async fn create_dossier_posts_the_body_with_the_key_and_decodes_201() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    let body = CreateDossierBody {
        title: "Accordo di collaborazione".into(),
        support_email: Some("protocollo@comune.example.it".into()),
        documents_metadata: vec![DocumentMetadata {
            title: "Accordo".into(),
            signature_fields: vec![],
        }],
    };
    Mock::given(method("POST"))
        .and(path(api("/dossiers")))
        .and(header(key().0, key().1))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "title": "Accordo di collaborazione",
            "support_email": "protocollo@comune.example.it",
            "documents_metadata": [{"title": "Accordo", "signature_fields": []}]
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(dossier_json("01DOSSIER")))
        .expect(1)
        .mount(&server)
        .await;

    let dossier = client.dossiers().create(&body).await.unwrap();
    assert_eq!(dossier.id, "01DOSSIER");
    assert_eq!(dossier.created_at, datetime!(2026-11-01 10:00 UTC));
    assert_eq!(dossier.documents_metadata, body.documents_metadata);
}

#[tokio::test]
async fn get_dossier_percent_encodes_the_id() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("GET"))
        .and(path(api("/dossiers/01DOSSIER")))
        .and(header(key().0, key().1))
        .respond_with(ResponseTemplate::new(200).set_body_json(dossier_json("01DOSSIER")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api("/dossiers/a%2Fb")))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(client.dossiers().get("01DOSSIER").await.unwrap().id, "01DOSSIER");
    // A slash in an id must not reach another route.
    let err = client.dossiers().get("a/b").await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotFound);
}

#[tokio::test]
async fn listing_streams_three_pages_following_the_continuation_token() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    let route = api("/dossiers/01DOSSIER/signature-requests");
    let pages = [
        (
            None,
            json!({"items": [list_item_json("R1"), list_item_json("R2")], "continuation_token": "t1"}),
        ),
        (
            Some("t1"),
            json!({"items": [list_item_json("R3")], "continuation_token": "t2"}),
        ),
        (Some("t2"), json!({"items": [list_item_json("R4")]})),
    ];
    for (token, body) in pages {
        let mock = Mock::given(method("GET"))
            .and(path(route.clone()))
            .and(query_param("limit", "50"))
            .and(header(key().0, key().1));
        let mock = match token {
            None => mock.and(query_param_is_missing("continuationToken")),
            Some(t) => mock.and(query_param("continuationToken", t)),
        };
        // The first page is fetched twice: by the stream and by `send` below.
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(if token.is_none() { 2 } else { 1 })
            .mount(&server)
            .await;
    }

    let items: Vec<_> = client
        .dossiers()
        .signature_requests("01DOSSIER")
        .limit(50)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["R1", "R2", "R3", "R4"]);
    assert_eq!(items[0].status, SignatureRequestStatus::WaitForSignature);

    let first = client
        .dossiers()
        .signature_requests("01DOSSIER")
        .limit(50)
        .send()
        .await
        .unwrap();
    assert_eq!(first.continuation_token.as_deref(), Some("t1"));
}

#[tokio::test]
async fn listing_stops_at_the_first_error() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    let route = api("/dossiers/01DOSSIER/signature-requests");
    Mock::given(method("GET"))
        .and(path(route.clone()))
        .and(query_param_is_missing("continuationToken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [list_item_json("R1")], "continuation_token": "t1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("continuationToken", "t1"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;

    let results: Vec<_> =
        futures::StreamExt::collect(client.dossiers().signature_requests("01DOSSIER").into_stream()).await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "R1");
    assert_eq!(results[1].as_ref().unwrap_err().kind, ApiErrorKind::NotFound);
}

#[tokio::test]
async fn listing_refuses_limits_outside_25_to_100_without_calling() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    for limit in [0, 24, 101] {
        let err = client
            .dossiers()
            .signature_requests("01DOSSIER")
            .limit(limit)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest, "{limit}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn signer_lookup_sends_the_normalised_code_and_accepts_200_and_201() {
    for status in [200, 201] {
        let server = MockServer::start().await;
        let (client, _) = client(&server);
        Mock::given(method("POST"))
            .and(path(api("/signers")))
            .and(header(key().0, key().1))
            .and(body_json(json!({"fiscal_code": "RSSMRA80A01H501U"})))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"id": "signer-1"})))
            .expect(1)
            .mount(&server)
            .await;
        let cf = FiscalCode::parse("rssmra80a01h501u").unwrap();
        let signer = client.signers().get_by_fiscal_code(&cf).await.unwrap();
        assert_eq!(signer.id, "signer-1", "status {status}");
    }
}

#[tokio::test]
async fn create_signature_request_posts_the_body_and_decodes_the_draft() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("POST"))
        .and(path(api("/signature-requests")))
        .and(header(key().0, key().1))
        .and(body_json(json!({
            "dossier_id": "01DOSSIER",
            "signer_id": "signer-1",
            "expires_at": "2027-02-01T10:00:00.000Z"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(request_json("01REQ")))
        .expect(1)
        .mount(&server)
        .await;
    let request = client
        .signature_requests()
        .create(&CreateSignatureRequestBody {
            dossier_id: "01DOSSIER".into(),
            signer_id: "signer-1".into(),
            expires_at: Some(datetime!(2027-02-01 11:00 +01:00)),
            documents_metadata: None,
        })
        .await
        .unwrap();
    assert_eq!(request.status, SignatureRequestStatus::Draft);
    assert_eq!(request.documents[0].id, "01DOC");
    assert_eq!(request.documents[0].status(), iosign::DocumentStatus::WaitForUpload);
}

#[tokio::test]
async fn get_signature_request_decodes_it() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("GET"))
        .and(path(api("/signature-requests/01REQ")))
        .and(header(key().0, key().1))
        .respond_with(ResponseTemplate::new(200).set_body_json(request_json("01REQ")))
        .expect(1)
        .mount(&server)
        .await;
    let request = client.signature_requests().get("01REQ").await.unwrap();
    assert_eq!(request.id, "01REQ");
    assert_eq!(request.expires_at, datetime!(2027-02-01 10:00 UTC));
}

#[tokio::test]
async fn set_status_puts_a_json_string() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    for (target, wire) in [
        (SetSignatureRequestStatusBody::Ready, "\"READY\""),
        (SetSignatureRequestStatusBody::Cancelled, "\"CANCELLED\""),
    ] {
        Mock::given(method("PUT"))
            .and(path(api("/signature-requests/01REQ/status")))
            .and(header(key().0, key().1))
            .and(header("content-type", "application/json"))
            .and(body_string(wire))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        client.signature_requests().set_status("01REQ", target).await.unwrap();
    }
}

#[tokio::test]
async fn upload_url_decodes_a_json_string() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    let sas = "https://blob.example/uploaded-documents/01UP?sv=2024&sig=abc%2Bdef";
    Mock::given(method("GET"))
        .and(path(api("/signature-requests/01REQ/documents/01DOC/upload_url")))
        .and(header(key().0, key().1))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(sas)))
        .expect(1)
        .mount(&server)
        .await;
    let url = client.signature_requests().upload_url("01REQ", "01DOC").await.unwrap();
    assert_eq!(url, sas);
}

#[tokio::test]
async fn send_notification_puts_without_body_and_accepts_200_and_201() {
    for status in [200, 201] {
        let server = MockServer::start().await;
        let (client, _) = client(&server);
        Mock::given(method("PUT"))
            .and(path(api("/signature-requests/01REQ/notification")))
            .and(header(key().0, key().1))
            .and(body_string(""))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"io_message_id": "01MSG"})))
            .expect(1)
            .mount(&server)
            .await;
        let n = client.signature_requests().send_notification("01REQ").await.unwrap();
        assert_eq!(n.io_message_id, "01MSG", "status {status}");
    }
}

#[test]
fn handler_futures_are_send_and_static_for_tauri_commands() {
    fn assert_send<T: Send + 'static>(_: T) {}
    let client = iosign::Client::new("http://127.0.0.1:9/api/v1/sign", iosign::ApiKey::new("k")).unwrap();
    let c = client.clone();
    assert_send(async move { c.signature_requests().get("x").await });
    let c = client.clone();
    assert_send(async move { c.dossiers().signature_requests("d").into_stream() });
    let c = client.clone();
    assert_send(async move { c.upload_document("http://x/y", vec![1u8], 1, |_, _| {}).await });
    assert_send(async move { client.validate_document(vec![1u8], None).await });
}
