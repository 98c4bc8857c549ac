//! What a web page or another local program can do to a sandbox on 127.0.0.1 (issue #10, item 7):
//! nothing without the key, no body read before the key, bounded bodies, no other `Host`, no CORS.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

const MIB: u64 = 1024 * 1024;

/// Reads one response head (status line and headers) from a raw connection.
async fn read_head(stream: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // A guard against a hang on a server that never answers, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(120), async {
        while !head.ends_with(b"\r\n\r\n") {
            let n = stream.read(&mut byte).await.expect("response readable");
            assert!(
                n > 0,
                "connection closed before a response: {:?}",
                String::from_utf8_lossy(&head)
            );
            head.push(byte[0]);
        }
    })
    .await
    .expect("the server answers");
    String::from_utf8(head).unwrap()
}

#[tokio::test]
async fn an_unauthenticated_100_mib_post_is_refused_with_401_before_its_body_is_read() {
    let sb = start(config()).await;
    let declared = 100 * MIB;
    let stream = TcpStream::connect(sb.addr()).await.unwrap();
    let (mut rx, mut tx) = stream.into_split();
    tx.write_all(
        format!(
            "POST /api/v1/sign/dossiers HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {declared}\r\n\r\n",
            sb.addr()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    // The body goes out as fast as the server takes it; `sent` counts what the socket accepted.
    let sent = Arc::new(AtomicU64::new(0));
    let writer = {
        let sent = sent.clone();
        tokio::spawn(async move {
            let chunk = vec![b' '; 64 * 1024];
            while sent.load(Ordering::SeqCst) < declared {
                if tx.write_all(&chunk).await.is_err() {
                    return;
                }
                sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        })
    };
    let head = read_head(&mut rx).await;
    let sent_when_answered = sent.load(Ordering::SeqCst);
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    // A server that read the body first could only answer after all 100 MiB were sent; what was
    // sent before the answer is what the kernel's socket buffers took, a few MiB at most.
    assert!(
        sent_when_answered < declared / 4,
        "{} MiB of the body were sent before the 401: the server read it",
        sent_when_answered / MIB
    );
    // And it stops taking bytes: the sender is cut short instead of delivering 100 MiB.
    writer.await.unwrap();
    assert!(
        sent.load(Ordering::SeqCst) < declared,
        "the server drained the whole body"
    );
    assert_eq!(sb.dossier_count(), 0);
}

#[tokio::test]
async fn an_unauthenticated_post_that_expects_100_continue_gets_401_without_being_asked_for_its_body() {
    // `Expect: 100-continue` makes the server say when it wants the body: it must never want it.
    let sb = start(config()).await;
    let mut stream = TcpStream::connect(sb.addr()).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /api/v1/sign/signature-requests HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
                 Ocp-Apim-Subscription-Key: not-a-key\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
                sb.addr(),
                100 * MIB
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let head = read_head(&mut stream).await;
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
}

#[tokio::test]
async fn a_json_body_over_one_mib_is_refused_with_413() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let big = json!({"title": "x".repeat(2 * MIB as usize), "documents_metadata": []});
    let r = api.post("/dossiers", &big).await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(r.content_type(), "application/problem+json");
    // Without a Content-Length (chunked), the cap holds while the body streams in.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..40).map(|_| Ok(vec![b' '; 64 * 1024])).collect();
    let res = reqwest::Client::new()
        .post(format!("{}/dossiers", sb.base_url()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await;
    // The server may close before the client finished sending; if an answer came, it is 413.
    if let Ok(res) = res {
        assert_eq!(res.status().as_u16(), 413);
    }
    assert_eq!(sb.dossier_count(), 0);
    // A normal call still works on the same sandbox.
    api.dossier(json!([])).await;
}

#[tokio::test]
async fn a_document_over_the_cap_is_refused_with_413_on_upload_and_validation() {
    let sb = start(iosign_sandbox::SandboxConfig {
        max_document_bytes: MIB as usize,
        ..config()
    })
    .await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    let mut big = pdf(&[A4], false);
    big.resize(2 * MIB as usize, b' ');
    let r = api.upload(&id, &doc, big.clone()).await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert!(r.text.contains("RequestBodyTooLarge"), "{}", r.text);
    let v = api.get(&format!("/signature-requests/{id}")).await.json();
    assert_eq!(v["documents"][0]["status"], "WAIT_FOR_UPLOAD", "nothing was stored");
    // A document under the cap goes through.
    assert_eq!(api.upload(&id, &doc, pdf(&[A4], false)).await.status, 201);

    let form = reqwest::multipart::Form::new().part(
        "document",
        reqwest::multipart::Part::bytes(big)
            .mime_str("application/pdf")
            .unwrap(),
    );
    let r = api
        .send(
            api.http
                .post(format!("{}/validate-document", sb.base_url()))
                .multipart(form),
        )
        .await;
    assert_eq!(r.status, 413, "{}", r.text);
}

#[tokio::test]
async fn requests_for_another_host_are_refused_before_anything_happens() {
    let sb = start(config()).await;
    let port = sb.addr().port();
    let http = reqwest::Client::new();
    let dossier = json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto"}]});
    for host in [
        format!("attacker.example:{port}"),
        format!("localhost.:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for (method, url) in [
            ("POST", format!("{}/dossiers", sb.base_url())),
            ("GET", format!("{}/info", sb.base_url())),
            ("GET", format!("{}/sandbox/signature-requests", sb.origin())),
            (
                "PUT",
                format!("{}/blob/uploaded-documents/01ABC?sig=x&se=y", sb.origin()),
            ),
            ("GET", format!("{}/qrcode.png?srid=01ABC", sb.origin())),
        ] {
            let res = http
                .request(method.parse().unwrap(), &url)
                .header("host", &host)
                .header("Ocp-Apim-Subscription-Key", KEY)
                .json(&dossier)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 421, "Host {host}: {method} {url}");
            assert!(res.headers().get("access-control-allow-origin").is_none());
        }
    }
    assert_eq!(sb.dossier_count(), 0, "a refused request changed nothing");
    // The loopback names with the right port are this server.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        let res = http
            .get(format!("{}/info", sb.base_url()))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "Host {host}");
    }
}

#[tokio::test]
async fn no_answer_carries_cors_headers_not_even_to_a_preflight() {
    let sb = start(config()).await;
    let http = reqwest::Client::new();
    let origin = "https://attacker.example";
    let answers = [
        http.get(format!("{}/info", sb.base_url())).header("origin", origin),
        http.post(format!("{}/dossiers", sb.base_url()))
            .header("origin", origin)
            .header("Ocp-Apim-Subscription-Key", KEY)
            .json(&json!({"title": "Accordo", "documents_metadata": [{"title": "Contratto"}]})),
        http.get(format!("{}/sandbox/signature-requests", sb.origin()))
            .header("origin", origin)
            .header("Ocp-Apim-Subscription-Key", KEY),
        http.request(reqwest::Method::OPTIONS, format!("{}/dossiers", sb.base_url()))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "ocp-apim-subscription-key, content-type",
            ),
        http.request(
            reqwest::Method::OPTIONS,
            format!("{}/sandbox/signature-requests/01ABC/sign", sb.origin()),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST"),
    ];
    let mut statuses = Vec::new();
    for rb in answers {
        let res = rb.send().await.unwrap();
        statuses.push(res.status().as_u16());
        let cors: Vec<_> = res
            .headers()
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .map(std::string::ToString::to_string)
            .collect();
        assert!(cors.is_empty(), "{} answered with {cors:?}", res.url());
    }
    assert_eq!(
        &statuses[..3],
        &[200, 201, 200],
        "the plain requests themselves were served"
    );
    assert!(
        statuses[3..].iter().all(|s| *s >= 400),
        "no preflight succeeds: {statuses:?}"
    );
}

#[tokio::test]
async fn the_sandbox_controls_need_the_api_key() {
    let sb = start(config()).await;
    let api = Raw::new(&sb, Some(KEY));
    let dossier = api.dossier(json!([])).await;
    let signer = api.signer(CF).await;
    let (id, doc) = api.request(&dossier, &signer).await;
    assert_eq!(api.upload(&id, &doc, pdf(&[A4], false)).await.status, 201);
    api.validated(&id).await;
    assert_eq!(
        api.put(&format!("/signature-requests/{id}/status"), Some(&json!("READY")))
            .await
            .status,
        204
    );
    api.wait_status(&id, "WAIT_FOR_SIGNATURE").await;

    let http = reqwest::Client::new();
    let controls = |key: Option<&str>| {
        let with_key = |rb: reqwest::RequestBuilder| match key {
            Some(k) => rb.header("Ocp-Apim-Subscription-Key", k),
            None => rb,
        };
        [
            with_key(http.post(format!("{}/sandbox/signature-requests/{id}/sign", sb.origin()))),
            with_key(
                http.post(format!("{}/sandbox/signature-requests/{id}/reject", sb.origin()))
                    .json(&json!({"reason": "no"})),
            ),
            with_key(http.get(format!("{}/sandbox/signature-requests", sb.origin()))),
        ]
    };
    for key in [None, Some("not-a-key"), Some("")] {
        for rb in controls(key) {
            let res = rb.send().await.unwrap();
            assert_eq!(res.status().as_u16(), 401, "key {key:?}: {}", res.url());
            assert_eq!(res.headers()["content-type"], "application/problem+json");
        }
    }
    assert_eq!(
        sb.signature_request_status(&id),
        Some("WAIT_FOR_SIGNATURE"),
        "nothing happened"
    );

    // With the key (a test key works as well: it drives the same sandbox).
    let listing = http
        .get(format!("{}/sandbox/signature-requests", sb.origin()))
        .header("Ocp-Apim-Subscription-Key", TEST_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(listing.status().as_u16(), 200);
    let sign = http
        .post(format!("{}/sandbox/signature-requests/{id}/sign", sb.origin()))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(sign.status().as_u16(), 204);
    assert_eq!(sb.signature_request_status(&id), Some("SIGNED"));
}

#[tokio::test]
async fn the_request_log_keeps_bodies_only_when_asked_for() {
    let sb = start(iosign_sandbox::SandboxConfig {
        record_bodies: false,
        ..config()
    })
    .await;
    Raw::new(&sb, Some(KEY)).signer(CF).await;
    let log = sb.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].operation, Some("getSignerByFiscalCode"));
    assert_eq!(log[0].status, 200);
    assert!(log[0].request_json.is_none(), "no fiscal code kept by default");
    assert!(log[0].response_json.is_none());
}
