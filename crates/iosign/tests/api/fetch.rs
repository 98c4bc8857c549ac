//! Issue #10 item 11: every outbound fetch is bounded (size, time, transport, redirects), and
//! downloads stream to a temporary file that is renamed only when complete.

use crate::support::{api, base_url, policy, KEY};
use iosign::fetch::{bounded_get, FetchErrorKind, Limits};
use iosign::{ApiErrorKind, ApiKey, Client};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Short limits for tests: the cap is small, the total timeout short but not tight (nothing in
/// these tests is expected to finish within it except failures).
fn limits() -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(10),
        total_timeout: Duration::from_secs(2),
        max_bytes: 1024,
    }
}

/// A server on 127.0.0.1 that answers every request with headers announcing 1 MiB, sends a few
/// bytes of it and then never finishes (the connection stays open until the test ends).
async fn never_finishing_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1048576\r\n\r\n\x89PNG")
                .await;
            let _ = socket.flush().await;
            open.push(socket);
        }
    });
    format!("http://{addr}/qr.png")
}

async fn serving(body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/qr.png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "image/png"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_body_within_the_cap_is_fetched() {
    let server = serving(b"\x89PNG small".to_vec()).await;
    let got = bounded_get(&format!("{}/qr.png", server.uri()), &limits())
        .await
        .unwrap();
    assert_eq!(got, b"\x89PNG small");
}

#[tokio::test]
async fn regression_10_11_a_body_over_the_cap_is_refused() {
    let server = serving(vec![7u8; 4096]).await;
    let err = bounded_get(&format!("{}/qr.png", server.uri()), &limits())
        .await
        .unwrap_err();
    assert_eq!(err.kind, FetchErrorKind::TooLarge, "{err}");
}

#[tokio::test]
async fn regression_10_11_a_server_that_never_finishes_hits_the_total_timeout() {
    let url = never_finishing_server().await;
    let err = bounded_get(&url, &limits()).await.unwrap_err();
    // The declared length is over the cap: allow the cap to be big enough to reach the timeout.
    assert_eq!(err.kind, FetchErrorKind::TooLarge, "{err}");
    let roomy = Limits {
        max_bytes: 2 * 1024 * 1024,
        ..limits()
    };
    let err = bounded_get(&url, &roomy).await.unwrap_err();
    assert_eq!(err.kind, FetchErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn regression_10_11_a_redirect_to_another_origin_is_refused() {
    let elsewhere = serving(b"\x89PNG elsewhere".to_vec()).await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/qr.png"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/qr.png", elsewhere.uri())))
        .mount(&server)
        .await;
    let err = bounded_get(&format!("{}/qr.png", server.uri()), &limits())
        .await
        .unwrap_err();
    assert_eq!(err.kind, FetchErrorKind::Redirect, "{err}");
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other origin was never contacted"
    );
}

#[tokio::test]
async fn regression_10_11_plain_http_off_this_machine_is_refused_before_connecting() {
    // 192.0.2.0/24 is TEST-NET-1: nothing answers there, so a connection attempt would hang
    // until the timeout rather than fail with NotAllowed.
    for url in [
        "http://192.0.2.1/qr.png",
        "http://example.invalid/qr.png",
        "ftp://127.0.0.1/qr.png",
        "file:///etc/passwd",
        "not a url",
    ] {
        let err = bounded_get(url, &limits()).await.unwrap_err();
        assert_eq!(err.kind, FetchErrorKind::NotAllowed, "{url}");
    }
    // Loopback in every spelling is allowed (the sandbox).
    let server = serving(b"\x89PNG".to_vec()).await;
    let port = server.address().port();
    for host in ["127.0.0.1", "localhost"] {
        bounded_get(&format!("http://{host}:{port}/qr.png"), &limits())
            .await
            .unwrap_or_else(|e| panic!("{host}: {e}"));
    }
}

fn capped_client(server_base: &str) -> Client {
    Client::builder(server_base, ApiKey::new(KEY))
        .retry_policy(policy())
        .download_limits(limits())
        .build()
        .unwrap()
}

#[tokio::test]
async fn regression_10_11_signed_downloads_are_capped_and_time_out() {
    let server = serving(vec![1u8; 4096]).await;
    let client = capped_client(&base_url(&server));
    let url = format!("{}/qr.png?sig=x", server.uri());
    let err = client.download_signed(&url).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::TooLarge);
    // Streamed: the cap holds while the bytes arrive, not after.
    let mut sink = Vec::new();
    let err = client.download_signed_to(&url, &mut sink).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::TooLarge);
    assert!(sink.len() as u64 <= limits().max_bytes, "{} bytes written", sink.len());

    let stalled = never_finishing_server().await;
    let client = Client::builder(base_url(&server), ApiKey::new(KEY))
        .retry_policy(policy())
        .download_limits(Limits {
            max_bytes: 2 * 1024 * 1024,
            ..limits()
        })
        .build()
        .unwrap();
    let err = client.download_signed(&stalled).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network, "a timeout: {err:?}");
    let err = client.download_signed_to(&stalled, &mut Vec::new()).await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Network, "a timeout: {err:?}");
}

#[tokio::test]
async fn the_services_date_header_gives_its_time_independent_of_this_clock() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api("/dossiers/01D")))
        .respond_with(ResponseTemplate::new(404).insert_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT"))
        .mount(&server)
        .await;
    let client = capped_client(&base_url(&server));
    assert_eq!(client.server_now(), None);
    let _ = client.dossiers().get("01D").await;
    let t = client.server_now().expect("a Date was seen");
    let date = time::macros::datetime!(1994-11-06 08:49:37 UTC);
    assert!(t >= date && t < date + time::Duration::minutes(10), "{t}");
}
