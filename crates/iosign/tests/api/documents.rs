//! validate-document multipart, blob upload and signed download.

use crate::support::{api, client, multipart_parts, KEY};
use iosign::{
    ApiErrorKind, Clause, ClauseType, Coordinates, SignatureField, SignatureFieldAttrs, SignatureFieldToBeCreatedAttrs,
    Size, UploadSource,
};
use serde_json::json;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PDF: &[u8] = b"%PDF-1.7\n% a tiny stand-in document\n%%EOF\n";

fn field() -> SignatureField {
    SignatureField {
        attrs: SignatureFieldAttrs::ToBeCreated(SignatureFieldToBeCreatedAttrs {
            coordinates: Coordinates { x: 72.0, y: 700.0 },
            page: 0,
            size: Size { w: 150.0, h: 40.0 },
        }),
        clause: Clause {
            title: "Firma del contraente".into(),
            type_: ClauseType::Required,
        },
    }
}

#[tokio::test]
async fn validate_document_sends_a_pdf_part_and_a_json_file_part() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("POST"))
        .and(path(api("/validate-document")))
        .and(header("Ocp-Apim-Subscription-Key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "is_valid": false,
            "violations": ["(Firma del contraente) incompatible coordinates: they can't fit in the uploaded document"]
        })))
        .expect(2)
        .mount(&server)
        .await;

    let result = client.validate_document(PDF.to_vec(), Some(&[field()])).await.unwrap();
    assert!(!result.is_valid);
    assert_eq!(result.violations.unwrap().len(), 1);
    let only_pdf = client.validate_document(PDF.to_vec(), None).await.unwrap();
    assert!(!only_pdf.is_valid);

    let requests = server.received_requests().await.unwrap();
    let content_type = |r: &wiremock::Request| r.headers["content-type"].to_str().unwrap().to_owned();
    assert!(content_type(&requests[0]).starts_with("multipart/form-data"));

    let parts = multipart_parts(&content_type(&requests[0]), &requests[0].body);
    assert_eq!(parts.len(), 2);
    let pdf = &parts[0];
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.header("content-disposition").unwrap().contains("name=\"document\""));
    assert_eq!(pdf.body, PDF);
    let fields = &parts[1];
    assert_eq!(fields.header("content-type"), Some("application/json"));
    let disposition = fields.header("content-disposition").unwrap();
    assert!(disposition.contains("name=\"signature_fields\""), "{disposition}");
    assert!(disposition.contains("filename="), "must be a file part: {disposition}");
    let sent: serde_json::Value = serde_json::from_slice(&fields.body).unwrap();
    assert_eq!(sent, serde_json::to_value([field()]).unwrap());

    let parts = multipart_parts(&content_type(&requests[1]), &requests[1].body);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].header("content-type"), Some("application/pdf"));
}

/// Every `(sent, total)` progress call, in order.
type Calls = Arc<Mutex<Vec<(u64, u64)>>>;

/// Records every progress call.
fn recorder() -> (Calls, impl Fn(u64, u64) + Send + Sync + 'static) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let sink = calls.clone();
    (calls, move |sent, total| sink.lock().unwrap().push((sent, total)))
}

fn assert_monotonic_to(calls: &[(u64, u64)], total: u64) {
    assert!(!calls.is_empty());
    assert!(
        calls.windows(2).all(|w| w[0].0 < w[1].0),
        "progress went backwards or repeated: {calls:?}"
    );
    assert!(calls.iter().all(|&(_, t)| t == total));
    assert_eq!(calls.last().unwrap().0, total);
}

#[tokio::test]
async fn upload_puts_the_blob_streamed_with_progress_and_without_the_api_key() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    // 200 KiB + 5 bytes: several chunks and a short last one.
    let pdf: Vec<u8> = (0..200 * 1024 + 5).map(|i| (i % 251) as u8).collect();
    let total = pdf.len() as u64;
    Mock::given(method("PUT"))
        .and(path("/uploaded-documents/01UPLOAD"))
        .and(query_param("sig", "s3cr3t+sig"))
        .and(header("x-ms-blob-type", "BlockBlob"))
        .and(header("content-type", "application/pdf"))
        .and(header("content-length", total.to_string().as_str()))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;

    let (calls, progress) = recorder();
    let url = format!("{}/uploaded-documents/01UPLOAD?sv=2024&sig=s3cr3t%2Bsig", server.uri());
    client
        .upload_document(&url, pdf.clone(), total, progress)
        .await
        .unwrap();

    let calls = calls.lock().unwrap().clone();
    assert_monotonic_to(&calls, total);
    assert!(calls.len() >= 4, "expected several progress steps: {calls:?}");
    let received = &server.received_requests().await.unwrap()[0];
    assert_eq!(received.body, pdf);
    assert!(received.headers.get("ocp-apim-subscription-key").is_none());
    assert!(
        received.headers.get("transfer-encoding").is_none(),
        "Azure refuses chunked"
    );
}

#[tokio::test]
async fn upload_is_replayed_from_the_source_after_a_5xx_and_progress_never_goes_back() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    Mock::given(method("PUT"))
        .and(path("/blob/01UPLOAD"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/blob/01UPLOAD"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let pdf: Vec<u8> = (0..150 * 1024).map(|i| (i % 7) as u8).collect();
    let total = pdf.len() as u64;
    let opened = Arc::new(Mutex::new(0));
    let counter = opened.clone();
    let data = bytes::Bytes::from(pdf.clone());
    let source = UploadSource::stream_factory(move || {
        *counter.lock().unwrap() += 1;
        let chunks: Vec<std::io::Result<bytes::Bytes>> = data
            .chunks(50 * 1024)
            .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
            .collect();
        futures::stream::iter(chunks)
    });
    let (calls, progress) = recorder();
    client
        .upload_document(
            &format!("{}/blob/01UPLOAD?sig=x", server.uri()),
            source,
            total,
            progress,
        )
        .await
        .unwrap();

    assert_eq!(*opened.lock().unwrap(), 2, "the source is opened again for the retry");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(
        received.iter().all(|r| r.body == pdf),
        "both attempts carry the whole file"
    );
    assert_monotonic_to(&calls.lock().unwrap(), total);
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn upload_maps_an_expired_sas_to_forbidden_and_does_not_retry_it() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code></Error>",
            "application/xml",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (_, progress) = recorder();
    let err = client
        .upload_document(
            &format!("{}/blob/x?sig=TOPSECRETSAS", server.uri()),
            PDF,
            PDF.len() as u64,
            progress,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Forbidden);
    assert!(err.body.as_deref().unwrap().contains("AuthenticationFailed"));
    assert!(!format!("{err:?} {err}").contains("TOPSECRETSAS"));
}

#[tokio::test]
async fn upload_refuses_a_source_longer_than_declared() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let (_, progress) = recorder();
    let err = client
        .upload_document(&format!("{}/blob/x", server.uri()), PDF, 10, progress)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network);
}

#[tokio::test]
async fn download_is_a_plain_get_without_the_api_key() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("GET"))
        .and(path("/signed-documents/01DOC"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PDF, "application/pdf"))
        .expect(2)
        .mount(&server)
        .await;
    let url = format!("{}/signed-documents/01DOC?se=2026&sig=x", server.uri());

    let bytes = client.download_signed(&url).await.unwrap();
    assert_eq!(&bytes[..], PDF);
    let mut file = Vec::new();
    let written = client.download_signed_to(&url, &mut file).await.unwrap();
    assert_eq!(written, PDF.len() as u64);
    assert_eq!(file, PDF);
    for r in server.received_requests().await.unwrap() {
        assert!(r.headers.get("ocp-apim-subscription-key").is_none());
    }
}

#[tokio::test]
async fn blob_calls_take_no_rate_limit_token() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PDF, "application/pdf"))
        .mount(&server)
        .await;
    let before = client.rate_limiter().available().await;
    client
        .download_signed(&format!("{}/signed/x", server.uri()))
        .await
        .unwrap();
    assert_eq!(client.rate_limiter().available().await, before);
}

#[tokio::test]
async fn upload_from_a_file_streams_it() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    Mock::given(method("PUT"))
        .and(path("/blob/from-file"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let content: Vec<u8> = (0..100_000u32).map(|i| (i % 13) as u8).collect();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &content).unwrap();
    let (calls, progress) = recorder();
    client
        .upload_document(
            &format!("{}/blob/from-file?sig=x", server.uri()),
            UploadSource::path(file.path()),
            content.len() as u64,
            progress,
        )
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].body, content);
    assert_monotonic_to(&calls.lock().unwrap(), content.len() as u64);
}

#[tokio::test]
async fn blob_urls_must_be_https_off_this_machine() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    for url in [
        "http://blob.example/x?sig=TOPSECRETSAS",
        "ftp://blob.example/x",
        "not a url",
    ] {
        let err = client
            .upload_document(url, PDF, PDF.len() as u64, |_, _| {})
            .await
            .unwrap_err();
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest, "{url}");
        assert!(!format!("{err:?}").contains("TOPSECRETSAS"));
        let err = client.download_signed(url).await.unwrap_err();
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest, "{url}");
    }
}
