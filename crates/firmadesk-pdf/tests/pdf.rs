//! The PDF core on real pdfium: document facts, field detection, preflight, the bad-input corpus, and
//! agreement with the sandbox's emulation of the service's checks.

mod common;

use common::*;
use firmadesk_pdf::preflight::{self, Input, Report, Severity, Source};
use firmadesk_pdf::{inspect, ErrorKind, Limits};
use iosign::{Clause, ClauseType, SignatureField, SignatureFieldAttrs};

fn created(page: u32, x: f64, y: f64, w: f64, h: f64, kind: ClauseType) -> SignatureField {
    SignatureField {
        attrs: SignatureFieldAttrs::ToBeCreated(iosign::SignatureFieldToBeCreatedAttrs {
            coordinates: iosign::Coordinates { x, y },
            page,
            size: iosign::Size { w, h },
        }),
        clause: Clause {
            title: "Firma per accettazione".into(),
            type_: kind,
        },
    }
}

fn existing(name: &str) -> SignatureField {
    SignatureField {
        attrs: SignatureFieldAttrs::Existing(iosign::ExistingSignatureFieldAttrs {
            unique_name: name.into(),
        }),
        clause: Clause {
            title: "Firma del richiedente".into(),
            type_: ClauseType::Required,
        },
    }
}

fn check(bytes: &[u8], fields: &[SignatureField]) -> Report {
    preflight::run(
        pdfium(),
        Input {
            bytes,
            fields,
            title: Some("Accordo di collaborazione"),
            limits: Limits::default(),
        },
    )
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code).collect()
}

#[test]
fn pages_and_signature_fields_in_the_services_convention_text_fields_ignored() {
    let info = inspect(pdfium(), &with_fields(), &Limits::default()).unwrap();
    assert_eq!(info.page_count, 2);
    assert!((info.pages[1].width - A4.0).abs() < 0.01 && (info.pages[1].height - A4.1).abs() < 0.01);
    assert_eq!(
        info.signature_fields.len(),
        1,
        "the text field must be ignored: {:?}",
        info.signature_fields
    );
    let f = &info.signature_fields[0];
    assert_eq!((f.name.as_str(), f.page, f.signed), ("Firma cittadino", 1, false));
    // PDF rect [350, 100, 550, 160] (bottom-left origin) is x=350, y=H-160 from the top, 200×60.
    assert!(
        (f.x - 350.0).abs() < 0.01 && (f.y - (A4.1 - 160.0)).abs() < 0.01,
        "{f:?}"
    );
    assert!((f.w - 200.0).abs() < 0.01 && (f.h - 60.0).abs() < 0.01, "{f:?}");
    // Converting the field to coordinates gives a box the service accepts on that page.
    let as_coords = SignatureField {
        attrs: SignatureFieldAttrs::ToBeCreated(f.to_coordinates()),
        clause: Clause {
            title: "Firma per accettazione".into(),
            type_: ClauseType::Required,
        },
    };
    assert!(check(&with_fields(), &[as_coords]).service_accepts);
    assert_eq!(info.sha256.len(), 64);
}

#[test]
fn strict_bounds_like_the_service() {
    let pdf = simple();
    let (w, h) = A4;
    assert!(check(&pdf, &[created(0, 100.0, 100.0, 200.0, 60.0, ClauseType::Required)]).service_accepts);
    // Touching the right edge exactly is rejected (x + w < width is strict).
    let report = check(&pdf, &[created(0, w - 200.0, 100.0, 200.0, 60.0, ClauseType::Required)]);
    assert!(!report.service_accepts);
    assert_eq!(codes(&report), ["field_outside_page"]);
    assert_eq!(report.findings[0].field, Some(0));
    assert!(
        report.findings[0].message.contains("esce dalla pagina 1"),
        "{}",
        report.findings[0].message
    );
    let report = check(&pdf, &[created(0, 10.0, h - 50.0, 100.0, 60.0, ClauseType::Required)]);
    assert_eq!(codes(&report), ["field_outside_page"]);
    let report = check(&pdf, &[created(3, 10.0, 10.0, 100.0, 60.0, ClauseType::Required)]);
    assert_eq!(codes(&report), ["page_not_found"]);
    assert!(report.findings[0].message.contains("pagina 4") && report.findings[0].message.contains("1 pagine"));
}

#[test]
fn existing_fields_must_be_signature_fields() {
    let pdf = with_fields();
    assert!(check(&pdf, &[existing("Firma cittadino")]).service_accepts);
    let report = check(&pdf, &[existing("Firma sindaco")]);
    assert_eq!(codes(&report), ["field_not_found"]);
    // A text field is not a signature field (pagopa/io-sign#165).
    assert_eq!(codes(&check(&pdf, &[existing("Nome")])), ["field_not_found"]);
}

#[test]
fn clause_and_title_rules() {
    let pdf = simple();
    let optional_only = check(&pdf, &[created(0, 10.0, 10.0, 100.0, 50.0, ClauseType::Optional)]);
    assert!(!optional_only.service_accepts);
    assert_eq!(codes(&optional_only), ["only_optional_clauses"]);
    let mixed = [
        created(0, 10.0, 10.0, 100.0, 50.0, ClauseType::Optional),
        created(0, 10.0, 100.0, 100.0, 50.0, ClauseType::Unfair),
    ];
    assert!(check(&pdf, &mixed).service_accepts);
    let mut short = created(0, 10.0, 10.0, 100.0, 50.0, ClauseType::Required);
    short.clause.title = "Ok".into();
    assert_eq!(codes(&check(&pdf, &[short])), ["clause_title_length"]);
    for (title, ok) in [
        ("Ac", false),
        ("Acc", true),
        (&"x".repeat(60)[..], true),
        (&"x".repeat(61)[..], false),
    ] {
        let report = preflight::run(
            pdfium(),
            Input {
                bytes: &pdf,
                fields: &[],
                title: Some(title),
                limits: Limits::default(),
            },
        );
        assert_eq!(report.service_accepts, ok, "title of {} characters", title.len());
    }
    // No fields: accepted, with the invisible-signature warning.
    let report = check(&pdf, &[]);
    assert!(report.service_accepts && report.ready);
    assert_eq!(codes(&report), ["no_fields"]);
    assert_eq!(report.findings[0].severity, Severity::Warning);
}

#[test]
fn rotated_and_cropped_pages_are_flagged_where_fields_go() {
    let pdf = build(
        &[
            Page {
                rotate: 90,
                ..Page::a4()
            },
            Page {
                crop: Some([20.0, 20.0, 500.0, 800.0]),
                ..Page::a4()
            },
            Page::a4(),
        ],
        &[],
    );
    let info = inspect(pdfium(), &pdf, &Limits::default()).unwrap();
    let flags: Vec<(u16, bool)> = info.pages.iter().map(|p| (p.rotation, p.cropped)).collect();
    assert_eq!(flags, [(90, false), (0, true), (0, false)]);
    let fields: Vec<_> = (0..3)
        .map(|p| created(p, 50.0, 50.0, 100.0, 40.0, ClauseType::Required))
        .collect();
    let report = check(&pdf, &fields);
    assert!(report.service_accepts, "rotation is a warning, not a rejection");
    let flagged: Vec<Option<u32>> = report
        .findings
        .iter()
        .filter(|f| f.code == "page_rotated_or_cropped")
        .map(|f| f.page)
        .collect();
    assert_eq!(flagged, [Some(0), Some(1)]);
}

/// Each bad input gives its own clear error (or warning), never a crash or a hang.
#[test]
fn bad_input_corpus() {
    let run = |name: &'static str, bytes: Vec<u8>| no_hang(name, move || check(&bytes, &[]));

    let empty = run("empty", Vec::new());
    assert_eq!(codes(&empty)[0], "not_pdf");
    assert!(empty.findings[0].message.contains("vuoto"));

    let mut zip = b"PK\x03\x04\x14\x00\x00\x00".to_vec();
    zip.extend_from_slice(&[0u8; 200]);
    let zip = run("zip renamed .pdf", zip);
    assert_eq!(codes(&zip)[0], "not_pdf");
    assert!(zip.findings[0].message.contains("ZIP"));

    for fixture_name in ["password-protected.pdf", "encrypted-no-user-password.pdf"] {
        let report = run(fixture_name, fixture(fixture_name));
        assert_eq!(codes(&report)[0], "encrypted", "{fixture_name}");
        assert!(!report.service_accepts);
        assert!(report.findings[0].message.contains("password") || report.findings[0].message.contains("cifrat"));
    }

    let full = with_fields();
    let truncated = run("truncated", full[..full.len() * 2 / 3].to_vec());
    assert!(
        truncated
            .findings
            .iter()
            .any(|f| f.code == "unreadable" || f.code == "repaired_structure"),
        "truncated file: {:?}",
        codes(&truncated)
    );

    // Damaged xref: `startxref` points at the wrong offset, so the cross-reference data cannot be found
    // where the file says. pdfium rebuilds it by scanning; the pages must still be right.
    let startxref = full.windows(9).rposition(|w| w == b"startxref").unwrap() + 9;
    let mut damaged = full.clone();
    for b in damaged[startxref..]
        .iter_mut()
        .skip_while(|b| !b.is_ascii_digit())
        .take_while(|b| b.is_ascii_digit())
    {
        *b = b'1';
    }
    assert_ne!(damaged, full);
    let damaged_report = run("damaged xref", damaged);
    match &damaged_report.document {
        Some(info) => assert_eq!(info.page_count, 2),
        None => assert_eq!(codes(&damaged_report)[0], "unreadable"),
    }

    // Only text fields: no signature field is offered, and naming one is the service's "not found".
    let text_only = build(
        &[Page::a4()],
        &[Field {
            name: "Cognome",
            page: 0,
            rect: [72.0, 500.0, 300.0, 520.0],
            signature: false,
        }],
    );
    let info = inspect(pdfium(), &text_only, &Limits::default()).unwrap();
    assert!(info.signature_fields.is_empty());
    let report = no_hang("text fields only", move || check(&text_only, &[existing("Cognome")]));
    assert_eq!(codes(&report), ["field_not_found"]);

    let many = run("2000 pages", build(&vec![Page::a4(); 2000], &[]));
    assert_eq!(codes(&many)[0], "too_many_pages");
    assert_eq!(many.findings[0].source, Source::Firmadesk);
    assert!(
        many.service_accepts && !many.ready,
        "the service has no page limit; FirmaDesk does"
    );
    assert!(many.findings[0].message.contains("2000 pagine"));

    let big = run(
        "50 MB",
        build(
            &[Page {
                image_side: 4100,
                ..Page::a4()
            }],
            &[],
        ),
    );
    assert_eq!(codes(&big)[0], "too_large");
    assert!(big.service_accepts && !big.ready);
    assert!(big.findings[0].message.contains("MB"));
}

#[test]
fn already_signed_fields_are_refused_and_the_document_flagged() {
    let original = with_fields();
    let spec = [iosign_sandbox::pdf::FieldSpec::Existing {
        clause_title: "Firma del richiedente".into(),
        unique_name: "Firma cittadino".into(),
    }];
    let qtsp = iosign_sandbox::pades::TestQtsp::from_secret(b"firmadesk-pdf tests");
    let signed =
        iosign_sandbox::pdf::stamp_signed(&original, &spec, "RSSMRA80A01H501U", "25/11/2026", Some(&qtsp)).unwrap();
    let info = inspect(pdfium(), &signed, &Limits::default()).unwrap();
    assert!(info.has_signatures);
    assert!(
        info.signature_fields
            .iter()
            .any(|f| f.name == "Firma cittadino" && f.signed),
        "{:?}",
        info.signature_fields
    );
    let report = check(&signed, &[existing("Firma cittadino")]);
    assert!(codes(&report).contains(&"field_already_signed"));
    assert!(codes(&report).contains(&"document_already_signed"));
    assert!(!report.ready);
}

#[test]
fn loading_errors_have_kinds() {
    let err = firmadesk_pdf::document::load(pdfium(), b"", &Limits::default())
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::Empty);
    let err = firmadesk_pdf::document::load(pdfium(), &fixture("password-protected.pdf"), &Limits::default())
        .err()
        .unwrap();
    assert_eq!((err.kind(), err.code()), (ErrorKind::Encrypted, "pdf.encrypted"));
    let tight = Limits {
        max_bytes: 100,
        max_pages: 500,
    };
    let err = firmadesk_pdf::document::load(pdfium(), &simple(), &tight)
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::TooLarge);
}

/// Our preflight and the sandbox's emulation of the service (a different parser) agree on every case.
#[test]
fn preflight_agrees_with_the_sandboxs_emulation_of_the_service() {
    use iosign_sandbox::pdf::{validate, FieldSpec};
    fn spec(f: &SignatureField) -> FieldSpec {
        match &f.attrs {
            SignatureFieldAttrs::Existing(e) => FieldSpec::Existing {
                clause_title: f.clause.title.clone(),
                unique_name: e.unique_name.clone(),
            },
            SignatureFieldAttrs::ToBeCreated(c) => FieldSpec::ToBeCreated {
                clause_title: f.clause.title.clone(),
                page: f64::from(c.page),
                x: c.coordinates.x,
                y: c.coordinates.y,
                w: c.size.w,
                h: c.size.h,
            },
        }
    }
    let (w, h) = A4;
    let cases: Vec<(&str, Vec<u8>, Vec<SignatureField>)> = vec![
        ("no fields", simple(), vec![]),
        (
            "inside",
            simple(),
            vec![created(0, 100.0, 100.0, 200.0, 60.0, ClauseType::Required)],
        ),
        (
            "right edge",
            simple(),
            vec![created(0, w - 200.0, 100.0, 200.0, 60.0, ClauseType::Required)],
        ),
        (
            "just inside",
            simple(),
            vec![created(0, w - 200.5, h - 60.5, 200.0, 60.0, ClauseType::Required)],
        ),
        (
            "bottom edge",
            simple(),
            vec![created(0, 0.0, h - 60.0, 200.0, 60.0, ClauseType::Required)],
        ),
        (
            "no such page",
            simple(),
            vec![created(1, 10.0, 10.0, 20.0, 20.0, ClauseType::Required)],
        ),
        ("existing", with_fields(), vec![existing("Firma cittadino")]),
        ("missing", with_fields(), vec![existing("Altro")]),
        ("text field", with_fields(), vec![existing("Nome")]),
        ("not a pdf", b"Gentile utente".to_vec(), vec![]),
        ("password", fixture("password-protected.pdf"), vec![]),
        (
            "encrypted, no user password",
            fixture("encrypted-no-user-password.pdf"),
            vec![],
        ),
    ];
    for (name, bytes, fields) in cases {
        let ours = check(&bytes, &fields).service_accepts;
        let specs: Vec<FieldSpec> = fields.iter().map(spec).collect();
        let theirs = validate(&bytes, &specs);
        assert_eq!(ours, theirs.is_ok(), "{name}: ours={ours}, sandbox={theirs:?}");
    }
}
