//! `firmadesk check` from the app binary itself, with no display: IT staff run it on servers.

use crate::harness::app_binary;
use std::process::Command;

#[test]
fn firmadesk_check_runs_without_a_display_and_exits_by_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let not_pdf = dir.path().join("lettera.pdf");
    std::fs::write(&not_pdf, "Gentile utente, ...").unwrap();
    let out = Command::new(app_binary())
        .arg("check")
        .arg(&not_pdf)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["service_accepts"], false);
    assert_eq!(report["findings"][0]["code"], "not_pdf");

    let usage = Command::new(app_binary())
        .arg("check")
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
