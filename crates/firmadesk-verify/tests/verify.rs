//! Verification of the sandbox's signed output and of each way to get it wrong: every broken variant
//! gives its own finding code.

use firmadesk_verify::{verify, Code, Expect, Follows, Report, RequiredField, Revocation, Verdict};
use iosign_sandbox::pades::{Citizen, Options, TestQtsp, Variant};
use iosign_sandbox::pdf::{stamp_signed_with, FieldSpec, Sealer};
use lopdf::{dictionary, Document, IncrementalDocument, Object, Stream};
use sha2::{Digest, Sha256};

const CF: &str = "RSSMRA80A01H501U";

fn qtsp() -> TestQtsp {
    TestQtsp::from_secret(b"firmadesk-verify tests")
}

fn original() -> Vec<u8> {
    firmadesk_testkit::pdf::contract()
}

/// The field the request asks for: page 0, 100 points from the left, 700 from the top, 200×50.
fn created_field() -> FieldSpec {
    FieldSpec::ToBeCreated {
        clause_title: "Firma".into(),
        page: 0.0,
        x: 100.0,
        y: 700.0,
        w: 200.0,
        h: 50.0,
    }
}

/// The same field in PDF user space (A4: 842 points high).
fn placed() -> RequiredField {
    RequiredField::Placed {
        page: 1,
        rect: [100.0, 842.0 - 700.0 - 50.0, 300.0, 842.0 - 700.0],
    }
}

fn sign_pdf(pdf: &[u8], q: &TestQtsp, variant: Variant) -> Vec<u8> {
    let sealer = Sealer {
        qtsp: q,
        citizen: Citizen::from_fiscal_code(CF),
        options: Options { variant, at: None },
    };
    stamp_signed_with(pdf, &[created_field()], CF, "25/11/2026", Some(&sealer)).unwrap()
}

fn sign(variant: Variant) -> Vec<u8> {
    sign_pdf(&original(), &qtsp(), variant)
}

fn expect() -> Expect {
    Expect {
        fiscal_code: Some(CF.into()),
        original_sha256: Some(Sha256::digest(original()).into()),
        fields: vec![placed()],
        trust_anchors: vec![qtsp().root_certificate_der().to_vec()],
        ..Expect::default()
    }
}

fn assert_invalid_with(report: &Report, code: Code) {
    assert_eq!(report.verdict, Verdict::Invalid, "{:?}", report.findings);
    assert!(report.has(code), "expected {}: {:?}", code.as_str(), report.findings);
}

#[test]
fn the_sandbox_signature_is_valid_and_names_the_citizen() {
    let report = verify(&sign(Variant::Genuine), &expect());
    assert_eq!(report.verdict, Verdict::Valid, "{:?}", report.findings);
    assert!(report.findings.is_empty());
    let [s] = &report.signatures[..] else {
        panic!("one signature: {report:?}")
    };
    assert_eq!(s.fiscal_code.as_deref(), Some(CF));
    assert_eq!(
        s.name.as_deref(),
        Some(CF),
        "the sandbox names the citizen by fiscal code"
    );
    assert!(s.subject.as_deref().unwrap().contains("TINIT-RSSMRA80A01H501U"));
    assert!(s.timestamped, "the signing time is the TSA's");
    assert!(s.signing_time.is_some());
    assert!(s.contiguous && s.intact);
    assert_eq!(s.follows, Follows::Nothing);
    assert!(s.chain.trusted);
    assert_eq!(s.chain.path.len(), 3, "citizen, issuing CA, root: {:?}", s.chain.path);
    assert_eq!(s.revocation, Revocation::Good);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["verdict"], "valid");
}

#[test]
fn another_root_than_the_signer_s_makes_the_same_signature_untrusted() {
    let other = TestQtsp::from_secret(b"another authority");
    let report = verify(
        &sign(Variant::Genuine),
        &Expect {
            trust_anchors: vec![other.root_certificate_der().to_vec()],
            ..expect()
        },
    );
    assert_invalid_with(&report, Code::UntrustedIssuer);
    assert!(report.signatures[0].intact, "integrity still holds");
}

#[test]
fn without_anchors_trust_is_not_checked_and_the_signature_is_valid_with_a_warning() {
    let without = Expect {
        trust_anchors: Vec::new(),
        ..expect()
    };
    let report = verify(&sign(Variant::Genuine), &without);
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{:?}", report.findings);
    assert_eq!(report.codes(), ["trust_not_checked"], "nothing else is wrong");
    let s = &report.signatures[0];
    assert!(!s.chain.trusted, "not checked is not trusted");
    assert!(s.timestamped, "the timestamp's own checks still hold");
    assert_eq!(
        s.chain.path.len(),
        3,
        "the embedded chain is still walked: {:?}",
        s.chain.path
    );
    assert_eq!(report.findings[0].severity, firmadesk_verify::Severity::Warning);
    assert_eq!(
        serde_json::to_value(&report).unwrap()["findings"][0]["code"],
        "trust_not_checked"
    );

    // Every other check still runs: another authority is not an error, an expired certificate is.
    let other = verify(&sign(Variant::UntrustedAuthority), &without);
    assert_eq!(other.codes(), ["trust_not_checked"], "{:?}", other.findings);
    assert_invalid_with(
        &verify(&sign(Variant::ExpiredCertificate), &without),
        Code::CertificateExpired,
    );
    assert_invalid_with(
        &verify(&sign(Variant::OtherFiscalCode("VRDLGU75B02F205X".into())), &without),
        Code::FiscalCodeMismatch,
    );
}

#[test]
fn bytes_changed_inside_the_signed_range_break_the_digest() {
    let mut pdf = sign(Variant::Genuine);
    let at = pdf
        .windows(9)
        .position(|w| w == b"Contratto")
        .expect("the text is in clear");
    pdf[at] = b'K';
    assert_invalid_with(&verify(&pdf, &expect()), Code::DigestMismatch);
}

#[test]
fn an_appended_update_that_changes_a_page_is_reported() {
    let signed = sign(Variant::Genuine);
    let prev = Document::load_mem(&signed).unwrap();
    let page = *prev.get_pages().get(&1).unwrap();
    let mut inc = IncrementalDocument::create_from(signed.clone(), prev);
    let content = inc.new_document.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 14 Tf 72 760 Td (Contratto modificato) Tj ET".to_vec(),
    ));
    inc.opt_clone_object_to_new_document(page).unwrap();
    inc.new_document
        .get_dictionary_mut(page)
        .unwrap()
        .set("Contents", Object::Reference(content));
    let mut pdf = Vec::new();
    inc.save_to(&mut pdf).unwrap();
    assert!(pdf.starts_with(&signed));

    let report = verify(&pdf, &expect());
    assert_invalid_with(&report, Code::PageChangedAfterSigning);
    assert!(report.signatures[0].intact, "the signed revision itself is intact");
    let Follows::IncrementalUpdate { changed_pages, .. } = &report.signatures[0].follows else {
        panic!("{:?}", report.signatures[0].follows)
    };
    assert_eq!(changed_pages, &[1]);
}

#[test]
fn a_certificate_with_another_fiscal_code_is_a_mismatch() {
    let report = verify(&sign(Variant::OtherFiscalCode("VRDLGU75B02F205X".into())), &expect());
    assert_invalid_with(&report, Code::FiscalCodeMismatch);
    assert_eq!(report.signatures[0].fiscal_code.as_deref(), Some("VRDLGU75B02F205X"));
    assert_eq!(report.codes(), ["fiscal_code_mismatch"], "nothing else is wrong");
}

#[test]
fn a_certificate_by_another_authority_is_untrusted() {
    let report = verify(&sign(Variant::UntrustedAuthority), &expect());
    assert_invalid_with(&report, Code::UntrustedIssuer);
    assert!(!report.signatures[0].chain.trusted);
    assert!(report.signatures[0].intact);
}

#[test]
fn an_expired_certificate_is_reported() {
    let report = verify(&sign(Variant::ExpiredCertificate), &expect());
    assert_invalid_with(&report, Code::CertificateExpired);
    assert_eq!(report.codes(), ["certificate_expired"], "nothing else is wrong");
}

#[test]
fn a_revoked_certificate_is_reported_from_the_embedded_crl() {
    let report = verify(&sign(Variant::RevokedCertificate), &expect());
    assert_invalid_with(&report, Code::Revoked);
    assert_eq!(report.signatures[0].revocation, Revocation::Revoked);
}

#[test]
fn a_byte_range_with_a_gap_is_reported() {
    let report = verify(&sign(Variant::ByteRangeGap), &expect());
    assert_invalid_with(&report, Code::ByteRangeGap);
    assert!(!report.has(Code::DigestMismatch), "what it covers is signed");
    assert!(!report.signatures[0].contiguous);
}

#[test]
fn a_wrong_message_digest_is_reported() {
    let report = verify(&sign(Variant::WrongDigest), &expect());
    assert_invalid_with(&report, Code::DigestMismatch);
    assert!(
        !report.has(Code::SignatureInvalid),
        "the signature over the attributes holds"
    );
}

#[test]
fn a_changed_signature_value_is_reported() {
    let mut pdf = sign(Variant::Genuine);
    let open = pdf
        .windows(10)
        .rposition(|w| w == b"/Contents<")
        .expect("the signature value")
        + 10;
    // Inside the CMS, near its end: the signer's unsigned attributes or signature value.
    let cms = hex::decode(
        pdf[open..]
            .iter()
            .take_while(|b| **b != b'>')
            .copied()
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let len = cms.iter().rposition(|b| *b != 0).unwrap() + 1;
    // Flip a bit in the signature value: find it as the OCTET STRING before the [1] unsigned attributes.
    let marker = cms.windows(2).rposition(|w| w[0] == 0xa1 && w[1] == 0x82).unwrap();
    assert!(marker < len);
    let at = open + 2 * (marker - 10);
    pdf[at] = if pdf[at] == b'0' { b'1' } else { b'0' };
    let report = verify(&pdf, &expect());
    assert_invalid_with(&report, Code::SignatureInvalid);
    assert!(!report.has(Code::DigestMismatch), "{:?}", report.findings);
    assert!(
        report.has(Code::TimestampInvalid),
        "the timestamp was over the old value"
    );
}

#[test]
fn two_signatures_are_both_checked_and_the_second_is_reported() {
    let q = qtsp();
    let once = sign_pdf(&original(), &q, Variant::Genuine);
    let sealer = Sealer {
        qtsp: &q,
        citizen: Citizen::from_fiscal_code(CF),
        options: Options::default(),
    };
    let twice = stamp_signed_with(&once, &[], CF, "26/11/2026", Some(&sealer)).unwrap();
    let report = verify(&twice, &expect());
    assert_eq!(report.signatures.len(), 2);
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{:?}", report.findings);
    assert!(report.has(Code::AnotherSignature));
    assert!(report.signatures.iter().all(|s| s.intact && s.chain.trusted));
    let Follows::IncrementalUpdate {
        signatures_added,
        changed_pages,
        ..
    } = &report.signatures[0].follows
    else {
        panic!("{:?}", report.signatures[0].follows)
    };
    assert_eq!(*signatures_added, 1);
    assert!(changed_pages.is_empty(), "the second signature adds annotations only");
    assert_eq!(report.signatures[1].follows, Follows::Nothing);
}

#[test]
fn an_original_other_than_the_uploaded_one_is_reported() {
    let report = verify(
        &sign(Variant::Genuine),
        &Expect {
            original_sha256: Some(Sha256::digest(b"another document").into()),
            ..expect()
        },
    );
    assert_invalid_with(&report, Code::OriginalChanged);
}

#[test]
fn the_original_is_found_among_the_uploaded_documents() {
    let signed = sign(Variant::Genuine);
    let mine: [u8; 32] = Sha256::digest(original()).into();
    let other: [u8; 32] = Sha256::digest(b"another document").into();
    assert_eq!(firmadesk_verify::original_among(&signed, &[other, mine]), Some(mine));
    assert_eq!(firmadesk_verify::original_among(&signed, &[other]), None);
    assert_eq!(firmadesk_verify::original_among(b"not a pdf", &[mine]), None);
}

#[test]
fn required_fields_must_be_signed() {
    let report = verify(
        &sign(Variant::Genuine),
        &Expect {
            fields: vec![
                placed(),
                RequiredField::Placed {
                    page: 1,
                    rect: [400.0, 10.0, 500.0, 40.0],
                },
                RequiredField::Named("Firma cittadino".into()),
            ],
            ..expect()
        },
    );
    assert_eq!(report.codes(), ["field_unsigned", "field_missing"]);
}

/// The fields as IO Sign records them (0-based page, top-left origin, y down), read on the page's MediaBox:
/// the one the request asked for is signed; a box elsewhere and a page the document does not have are not.
#[test]
fn fields_in_ios_coordinates_are_read_on_the_pages_media_box() {
    let asked = RequiredField::FromTop {
        page: 0,
        x: 100.0,
        y: 700.0,
        w: 200.0,
        h: 50.0,
    };
    let signed = sign(Variant::Genuine);
    let ok = verify(
        &signed,
        &Expect {
            fields: vec![asked.clone()],
            ..expect()
        },
    );
    assert!(ok.codes().is_empty(), "{:?}", ok.codes());
    let elsewhere = RequiredField::FromTop {
        page: 0,
        x: 100.0,
        y: 100.0,
        w: 200.0,
        h: 50.0,
    };
    let missing_page = RequiredField::FromTop {
        page: 4,
        x: 100.0,
        y: 700.0,
        w: 200.0,
        h: 50.0,
    };
    let report = verify(
        &signed,
        &Expect {
            fields: vec![asked, elsewhere, missing_page],
            ..expect()
        },
    );
    assert_eq!(report.codes(), ["field_unsigned", "field_unsigned"]);
    assert_eq!(report.verdict, firmadesk_verify::Verdict::Invalid);
}

#[test]
fn a_pdf_without_signatures_has_none() {
    assert_invalid_with(&verify(&original(), &expect()), Code::NoSignature);
    assert_invalid_with(&verify(b"not a pdf", &expect()), Code::NotAPdf);
}

/// EU trusted lists (issue #14): a LOTL and a member state's list signed like the real ones, read only when
/// their signature verifies with the pinned (or pointed-at) certificates and covers the whole list; the
/// services they grant become the trust anchors a signed PDF is verified against, for the time they were
/// granted.
mod trusted_lists {
    use super::{original, sign_pdf};
    use firmadesk_testkit::trusted_lists::{lotl, national, ListSigner, TestService};
    use firmadesk_verify::trusted_list::{self, ListError, ServiceKind, CA_QC, GRANTED, TSA_QTST};
    use firmadesk_verify::{verify, Code, Expect, Verdict};
    use iosign_sandbox::pades::{TestQtsp, Variant};

    use super::CF;
    const WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";
    const IT_URL: &str = "https://eidas.example.test/TL/TSL-IT.xml";

    fn qtsp() -> TestQtsp {
        TestQtsp::from_secret(b"firmadesk-verify trusted lists")
    }

    /// The test authority's issuing CA and TSA as a member state's list names them, with `status` since `since`.
    fn services(
        q: &TestQtsp,
        status: &'static str,
        since: &str,
        history: Vec<(&'static str, String)>,
    ) -> Vec<TestService> {
        vec![
            TestService {
                kind: CA_QC,
                certificate: q.issuing_ca_der().to_vec(),
                status: (status, since.into()),
                history,
            },
            TestService {
                kind: TSA_QTST,
                certificate: q.tsa_certificate_der().to_vec(),
                status: (GRANTED, "2016-07-01T00:00:00Z".into()),
                history: Vec::new(),
            },
        ]
    }

    fn expect_with(lists: &[trusted_list::TrustedList]) -> Expect {
        let anchors = trusted_list::anchors(lists);
        Expect {
            fiscal_code: Some(CF.into()),
            trust_anchors: anchors.iter().map(|a| a.certificate.clone()).collect(),
            anchor_periods: anchors,
            ..Expect::default()
        }
    }

    #[test]
    fn the_lotl_is_read_with_a_pinned_signer_and_points_at_the_member_states_list() {
        let (eu, it) = (ListSigner::generate("EU test"), ListSigner::generate("IT test"));
        let xml = lotl(&eu, "IT", IT_URL, &[&it], "2027-05-20T00:00:00Z");
        let list = trusted_list::read(
            xml.as_bytes(),
            &[ListSigner::generate("other").certificate, eu.certificate.clone()],
        )
        .expect("signed by a pinned certificate");
        assert_eq!((list.territory.as_str(), list.sequence), ("EU", 388));
        assert_eq!(list.signer, eu.certificate);
        assert_eq!(list.next_update.map(time::OffsetDateTime::year), Some(2027));
        let [pointer] = &list.pointers[..] else {
            panic!("the XML pointer only (the PDF one is skipped): {:?}", list.pointers)
        };
        assert_eq!((pointer.territory.as_str(), pointer.location.as_str()), ("IT", IT_URL));
        assert_eq!(pointer.signers, std::slice::from_ref(&it.certificate));

        // A LOTL signed by anyone else is refused, whatever certificate it carries.
        let stranger = ListSigner::generate("EU test");
        let forged = lotl(&stranger, "IT", IT_URL, &[&stranger], "2027-05-20T00:00:00Z");
        assert!(matches!(
            trusted_list::read(forged.as_bytes(), std::slice::from_ref(&eu.certificate)),
            Err(ListError::Signature(_))
        ));
        // Pointing the Italian list somewhere else after signing breaks the signature.
        let moved = xml.replace(IT_URL, "https://attacker.example/TSL-IT.xml");
        assert_ne!(moved, xml);
        assert!(matches!(
            trusted_list::read(moved.as_bytes(), std::slice::from_ref(&eu.certificate)),
            Err(ListError::Signature(_))
        ));
        assert!(trusted_list::read(b"<not a list/>", &[eu.certificate]).is_err());
    }

    #[test]
    fn a_member_states_list_grants_its_services_for_their_periods() {
        let q = qtsp();
        let it = ListSigner::generate("IT test");
        // Granted since 2020, withdrawn for 2018-2019, granted before.
        let history = vec![
            (WITHDRAWN, "2018-01-01T00:00:00Z".to_owned()),
            (GRANTED, "2016-07-01T00:00:00Z".to_owned()),
        ];
        let xml = national(
            &it,
            "IT",
            70,
            &services(&q, GRANTED, "2020-01-01T00:00:00Z", history),
            "2027-05-20T00:00:00Z",
        );
        let list = trusted_list::read(xml.as_bytes(), std::slice::from_ref(&it.certificate)).unwrap();
        assert_eq!((list.territory.as_str(), list.sequence), ("IT", 70));
        let ca = &list.services[0];
        assert_eq!(ca.kind, ServiceKind::QualifiedCertificates);
        assert_eq!(ca.certificates, [q.issuing_ca_der().to_vec()]);
        let years: Vec<(i32, Option<i32>)> = ca
            .granted
            .iter()
            .map(|p| (p.from.year(), p.until.map(time::OffsetDateTime::year)))
            .collect();
        assert_eq!(years, [(2020, None), (2016, Some(2018))]);
        assert_eq!(list.services[1].kind, ServiceKind::QualifiedTimestamps);

        // A status changed after signing (withdrawn turned granted) breaks the signature.
        let tampered = xml.replacen(WITHDRAWN, GRANTED, 1);
        assert!(matches!(
            trusted_list::read(tampered.as_bytes(), &[it.certificate]),
            Err(ListError::Signature(_))
        ));
    }

    #[test]
    fn a_signature_by_a_granted_authority_is_trusted_and_by_a_withdrawn_one_is_not() {
        let q = qtsp();
        let pdf = sign_pdf(&original(), &q, Variant::Genuine);
        let it = ListSigner::generate("IT test");
        let read = |status, since: &str| {
            let xml = national(
                &it,
                "IT",
                71,
                &services(&q, status, since, Vec::new()),
                "2027-05-20T00:00:00Z",
            );
            trusted_list::read(xml.as_bytes(), std::slice::from_ref(&it.certificate)).unwrap()
        };

        let granted = verify(&pdf, &expect_with(&[read(GRANTED, "2016-07-01T00:00:00Z")]));
        assert_eq!(granted.verdict, Verdict::Valid, "{:?}", granted.findings);
        assert!(!granted.has(Code::TrustNotChecked));
        assert!(granted.signatures[0].chain.trusted);

        // Withdrawn since before the signature: the authority was not qualified when it signed.
        let withdrawn = verify(&pdf, &expect_with(&[read(WITHDRAWN, "2016-07-01T00:00:00Z")]));
        assert_eq!(withdrawn.verdict, Verdict::Invalid, "{:?}", withdrawn.findings);
        assert!(withdrawn.has(Code::UntrustedIssuer));

        // Granted only from a time after the signature.
        let later = verify(&pdf, &expect_with(&[read(GRANTED, "2099-01-01T00:00:00Z")]));
        assert_eq!(later.verdict, Verdict::Invalid, "{:?}", later.findings);
        assert!(later.has(Code::UntrustedIssuer));

        // A list naming another authority: the sandbox's is not trusted.
        let other = TestQtsp::from_secret(b"another authority");
        let xml = national(
            &it,
            "IT",
            72,
            &services(&other, GRANTED, "2016-07-01T00:00:00Z", Vec::new()),
            "2027-05-20T00:00:00Z",
        );
        let foreign = verify(
            &pdf,
            &expect_with(&[trusted_list::read(xml.as_bytes(), std::slice::from_ref(&it.certificate)).unwrap()]),
        );
        assert_eq!(foreign.verdict, Verdict::Invalid);
        assert!(foreign.has(Code::UntrustedIssuer));
    }

    #[test]
    fn the_pinned_lotl_signers_are_the_official_journals_six() {
        let pins = trusted_list::eu_lotl_signers();
        assert_eq!(pins.len(), 6, "OJ C/2026/1944 names six certificates");
        for der in &pins {
            use x509_cert::der::Decode;
            let cert = x509_cert::Certificate::from_der(der).expect("each pin is a certificate");
            let until = cert.tbs_certificate.validity.not_after.to_unix_duration().as_secs();
            assert!(
                until > 1_800_000_000,
                "valid into 2027 or later: {}",
                cert.tbs_certificate.subject
            );
        }
    }
}
