//! RFC 8252 loopback redirect receiver: a one-shot HTTP listener on `127.0.0.1:<random port>`.
//!
//! Hand-rolled on tokio rather than a web framework because it serves exactly one GET and must stay tiny:
//! it reads the request line, answers with a short Italian page and hands `code`/`state` back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{AuthError, AuthErrorKind};

pub(crate) const CALLBACK_PATH: &str = "/callback";
/// Upper bound on a request head: a redirect URL with code and state is far below this.
const MAX_REQUEST: usize = 16 * 1024;
/// A connection that sends nothing must not hold up the real redirect behind it.
const PER_CONNECTION: Duration = Duration::from_secs(10);

const PAGE_OK: &str = "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>FirmaDesk</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Accesso completato</h1>\
<p>Accesso completato, può tornare a FirmaDesk. Questa scheda può essere chiusa.</p></body></html>";
const PAGE_FAILED: &str =
    "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>FirmaDesk</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Accesso non riuscito</h1>\
<p>Accesso non riuscito: torni a FirmaDesk per i dettagli e per ripetere l'accesso.</p></body></html>";

/// What the browser brought back on the redirect.
/// Only the code: the state has already been checked against the pending login.
pub(crate) struct Callback {
    pub code: String,
}

/// Accepts connections until one hits `/callback` with the expected `state` (and either `code` or `error`).
///
/// A redirect with another `state` is answered `400` and ignored: it is not the provider answering our
/// login (a stale tab, or a page that found the port and wants to cancel or inject a login), so it must
/// neither complete nor abort the pending one. `wrong_state` records that one came, so a login that then
/// times out can say why.
pub(crate) async fn wait_for_callback(
    listener: &TcpListener,
    expected_state: &str,
    wrong_state: &AtomicBool,
) -> Result<Callback, AuthError> {
    loop {
        let (stream, _) = listener
            .accept()
            .await
            .map_err(|e| AuthError::new(AuthErrorKind::LoopbackUnavailable, format!("accept failed: {e}")))?;
        match tokio::time::timeout(PER_CONNECTION, handle(stream, expected_state, wrong_state)).await {
            Ok(Some(outcome)) => return outcome,
            // Not our request (favicon, probe, garbage, slow client): keep waiting for the real one.
            Ok(None) | Err(_) => continue,
        }
    }
}

async fn handle(
    mut stream: TcpStream,
    expected_state: &str,
    wrong_state: &AtomicBool,
) -> Option<Result<Callback, AuthError>> {
    let target = read_request_target(&mut stream).await?;
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    if url.path() != CALLBACK_PATH {
        respond(&mut stream, "404 Not Found", "").await;
        return None;
    }
    let (mut code, mut state, mut error) = (None, None, None);
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "code" => code = Some(v.into_owned()),
            "state" => state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        // Checked before `error` too: an unsolicited error redirect must not cancel the login in progress.
        wrong_state.store(true, Ordering::Relaxed);
        respond(&mut stream, "400 Bad Request", PAGE_FAILED).await;
        return None;
    }
    let outcome = if let Some(error) = error {
        // OAuth error codes are short ASCII tokens; keep only those characters for the log.
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        Err(AuthError::new(
            AuthErrorKind::LoginDenied,
            format!("provider returned error={error}"),
        ))
    } else {
        match code {
            Some(code) if !code.is_empty() => Ok(Callback { code }),
            _ => Err(AuthError::new(
                AuthErrorKind::ProviderRejected,
                "redirect without authorization code",
            )),
        }
    };
    let page = if outcome.is_ok() { PAGE_OK } else { PAGE_FAILED };
    respond(&mut stream, "200 OK", page).await;
    Some(outcome)
}

/// Reads the request head and returns the request target of a GET, or `None` for anything else.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() + n > MAX_REQUEST {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = std::str::from_utf8(&buf).ok()?;
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Some(target.to_owned()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser page is a courtesy: if the browser went away, the login outcome stands regardless.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    /// Issue #10 item 14: one GET with a wrong `state` used to end the pending login.
    #[tokio::test]
    async fn wrong_state_redirect_is_answered_400_and_the_login_keeps_waiting() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let wrong = AtomicBool::new(false);
        let client = async {
            let first = get(port, "/callback?code=evil&state=other").await;
            let second = get(port, "/callback?error=access_denied&state=other").await;
            let third = get(port, "/callback?code=good&state=expected").await;
            (first, second, third)
        };
        let (outcome, (first, second, third)) = tokio::join!(wait_for_callback(&listener, "expected", &wrong), client);
        assert!(first.starts_with("HTTP/1.1 400"), "{first}");
        assert!(second.starts_with("HTTP/1.1 400"), "{second}");
        assert!(third.starts_with("HTTP/1.1 200"), "{third}");
        assert_eq!(outcome.ok().map(|c| c.code).as_deref(), Some("good"));
        assert!(wrong.load(Ordering::Relaxed));
    }
}
