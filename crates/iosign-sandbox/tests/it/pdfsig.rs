//! Cross-check of the sandbox's PAdES signatures with an independent verifier: poppler's `pdfsig`
//! (Debian's poppler-utils, installed by xtask; the test fails without it), with the sandbox's test root
//! trusted in a throw-away NSS database (certutil, Debian's libnss3-tools).

use std::path::Path;
use std::process::Command;

use iosign_sandbox::pades::{Citizen, Options, TestQtsp, Variant};
use iosign_sandbox::pdf::{stamp_signed_with, FieldSpec, Sealer};

use crate::common::{pdf, A4};

fn sign(qtsp: &TestQtsp, variant: Variant) -> Vec<u8> {
    let sealer = Sealer {
        qtsp,
        citizen: Citizen::from_fiscal_code("RSSMRA80A01H501U"),
        options: Options { variant, at: None },
    };
    let fields: [FieldSpec; 0] = [];
    stamp_signed_with(
        &pdf(&[A4], false),
        &fields,
        "RSSMRA80A01H501U",
        "25/11/2026",
        Some(&sealer),
    )
    .unwrap()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?} (apt-get install poppler-utils libnss3-tools): {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() || cmd.get_program() == "pdfsig", "{cmd:?}: {text}");
    text
}

/// An NSS database in `dir` trusting `root` for signing.
fn nss_db(dir: &Path, root: &[u8]) -> String {
    let db = format!("sql:{}", dir.display());
    run(Command::new("certutil").args(["-N", "--empty-password", "-d", &db]));
    let cert = dir.join("root.der");
    std::fs::write(&cert, root).unwrap();
    run(Command::new("certutil")
        .args(["-A", "-d", &db, "-n", "sandbox-test-root", "-t", "CT,C,C", "-i"])
        .arg(&cert));
    db
}

fn pdfsig(db: &str, dir: &Path, name: &str, bytes: &[u8]) -> String {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    run(Command::new("pdfsig").args(["-nssdir", db]).arg(&file))
}

#[test]
fn pdfsig_validates_the_sandbox_signature_and_trusts_its_root() {
    let qtsp = TestQtsp::from_secret(b"pdfsig");
    let dir = tempfile::tempdir().unwrap();
    let db = nss_db(dir.path(), qtsp.root_certificate_der());

    let genuine = pdfsig(&db, dir.path(), "genuine.pdf", &sign(&qtsp, Variant::Genuine));
    assert!(
        genuine.contains("Signature Validation: Signature is Valid."),
        "{genuine}"
    );
    assert!(
        genuine.contains("Certificate Validation: Certificate is Trusted."),
        "{genuine}"
    );
    assert!(genuine.contains("serialNumber=TINIT-RSSMRA80A01H501U"), "{genuine}");
    assert!(genuine.contains("Signature Type: ETSI.CAdES.detached"), "{genuine}");
    assert!(genuine.contains("Total document signed"), "{genuine}");

    let untrusted = pdfsig(
        &db,
        dir.path(),
        "untrusted.pdf",
        &sign(&qtsp, Variant::UntrustedAuthority),
    );
    assert!(
        untrusted.contains("Signature Validation: Signature is Valid."),
        "{untrusted}"
    );
    assert!(untrusted.contains("Certificate issuer isn't Trusted."), "{untrusted}");

    let wrong = pdfsig(&db, dir.path(), "wrong.pdf", &sign(&qtsp, Variant::WrongDigest));
    assert!(wrong.contains("Signature Validation: Digest Mismatch."), "{wrong}");

    let mut tampered = sign(&qtsp, Variant::Genuine);
    tampered[100] ^= 1;
    let tampered = pdfsig(&db, dir.path(), "tampered.pdf", &tampered);
    assert!(
        tampered.contains("Signature Validation: Digest Mismatch."),
        "{tampered}"
    );

    let gap = pdfsig(&db, dir.path(), "gap.pdf", &sign(&qtsp, Variant::ByteRangeGap));
    assert!(!gap.contains("Total document signed"), "{gap}");
}
