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

/// `firmadesk bulk check` from the app binary, with no display, on a data folder of its own: the list's
/// rows checked against that desk's office, a PDF folder's files preflighted, the exit code by verdict.
#[test]
fn firmadesk_bulk_check_runs_without_a_display_and_exits_by_verdict() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let list = files.path().join("elenco.csv");
    std::fs::write(
        &list,
        "Nominativo,Codice fiscale,PDF\nMario Rossi,RSSMRA80A01H501U,mario.pdf\nAnna Bianchi,BNCNNA85M41F205Q,anna.pdf\n",
    )
    .unwrap();
    std::fs::write(files.path().join("mario.pdf"), firmadesk_testkit::pdf::contract()).unwrap();
    let run = |pdf_dir: &std::path::Path| {
        Command::new(app_binary())
            .arg("bulk")
            .arg("check")
            .arg(&list)
            .args(["--template", "Accordo", "--pdf-dir"])
            .arg(pdf_dir)
            .env("FIRMADESK_DATA_DIR", data.path())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap()
    };
    let out = run(files.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "anna.pdf is missing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"], "1 pronta, 0 con avvisi, 1 errata", "{report}");
    assert_eq!(report["rows"][1]["problems"][0]["kind"], "pdf");

    std::fs::write(files.path().join("anna.pdf"), firmadesk_testkit::pdf::contract()).unwrap();
    let out = run(files.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));

    let usage = Command::new(app_binary())
        .args(["bulk", "check"])
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
