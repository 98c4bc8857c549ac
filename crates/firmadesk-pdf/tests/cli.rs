//! `firmadesk check` as scripts use it: JSON on stdout, exit 0 / 1 / 2.

mod common;

use common::*;
use std::process::Command;

fn check(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_firmadesk-check"))
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn accepted_document_exits_0_with_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "accordo.pdf", &with_fields());
    let fields = write(
        &dir,
        "fields.json",
        br#"[{"attrs":{"unique_name":"Firma cittadino"},"clause":{"title":"Firma del richiedente","type":"REQUIRED"}},
             {"attrs":{"coordinates":{"x":72,"y":700},"page":0,"size":{"w":150,"h":50}},"clause":{"title":"Presa visione","type":"OPTIONAL"}}]"#,
    );
    let (code, report, _) = check(&[&pdf, "--fields", &fields]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["service_accepts"], true);
    assert_eq!(report["document"]["page_count"], 2);
    assert_eq!(report["document"]["signature_fields"][0]["name"], "Firma cittadino");
}

#[test]
fn rejected_document_exits_1_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "accordo.pdf", &simple());
    let fields = write(
        &dir,
        "fields.json",
        br#"[{"attrs":{"coordinates":{"x":500,"y":100},"page":0,"size":{"w":200,"h":50}},"clause":{"title":"Firma per accettazione","type":"REQUIRED"}}]"#,
    );
    let (code, report, _) = check(&[&pdf, "--fields", &fields]);
    assert_eq!(code, 1);
    assert_eq!(report["service_accepts"], false);
    assert_eq!(report["findings"][0]["code"], "field_outside_page");
    assert_eq!(report["findings"][0]["severity"], "error");

    let encrypted = write(&dir, "protetto.pdf", &fixture("password-protected.pdf"));
    let (code, report, _) = check(&[&encrypted]);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["code"], "encrypted");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "a.pdf", &simple());
    let bad_fields = write(&dir, "f.json", br#"{"not":"an array"}"#);
    for args in [
        vec![],
        vec!["--bogus"],
        vec![pdf.as_str(), "--fields", bad_fields.as_str()],
        vec!["/nonexistent/x.pdf"],
    ] {
        let (code, _, stderr) = check(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains("uso: firmadesk check"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_missing_pdfium_is_a_clear_italian_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "a.pdf", &simple());
    let out = Command::new(env!("CARGO_BIN_EXE_firmadesk-check"))
        .arg(&pdf)
        .env("FIRMADESK_PDFIUM", dir.path().join("libpdfium-missing.so"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Libreria PDF (pdfium) non trovata"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}
