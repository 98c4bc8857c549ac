//! The `iosign-sandbox` binary.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;

use crate::common::KEY;

#[tokio::test]
async fn prints_the_listening_line_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iosign-sandbox"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            KEY,
            "--validation-delay-ms",
            "5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("listening line in time")
        .unwrap()
        .expect("a line");
    let port: u16 = line
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .parse()
        .expect("a port");
    assert_ne!(port, 0);
    let res = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/sign/signers"))
        .header("Ocp-Apim-Subscription-Key", KEY)
        .json(&serde_json::json!({"fiscal_code": crate::common::CF}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // SIGTERM (what a parent process sends) stops it gracefully.
    let pid = child.id().expect("running").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn refuses_a_non_loopback_listen_address() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iosign-sandbox"))
        .args(["--listen", "0.0.0.0:0", "--api-key", KEY])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits")
        .unwrap();
    assert!(!status.success());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).await.unwrap();
    assert!(err.contains("only binds loopback"), "{err}");
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).await.unwrap();
    assert!(!out.contains("listening on"), "{out}");
}
