//! EU trusted lists (issue #14): a LOTL and a member state's list signed like the real ones, read only when
//! their signature verifies with the pinned (or pointed-at) certificates and covers the whole list; the
//! services they grant become the trust anchors a signed PDF is verified against, for the time they were
//! granted.

use firmadesk_testkit::trusted_lists::{lotl, national, ListSigner, TestService};
use firmadesk_verify::trusted_list::{self, ListError, ServiceKind, CA_QC, GRANTED, TSA_QTST};
use firmadesk_verify::{verify, Code, Expect, Verdict};
use iosign_sandbox::pades::{Citizen, Options, TestQtsp, Variant};
use iosign_sandbox::pdf::{stamp_signed_with, FieldSpec, Sealer};

const CF: &str = "RSSMRA80A01H501U";
const WITHDRAWN: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";
const IT_URL: &str = "https://eidas.example.test/TL/TSL-IT.xml";

fn qtsp() -> TestQtsp {
    TestQtsp::from_secret(b"firmadesk-verify trusted lists")
}

/// The test authority's issuing CA and TSA as a member state's list names them, with `status` since `since`.
fn services(q: &TestQtsp, status: &'static str, since: &str, history: Vec<(&'static str, String)>) -> Vec<TestService> {
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

fn signed_pdf(q: &TestQtsp) -> Vec<u8> {
    let sealer = Sealer {
        qtsp: q,
        citizen: Citizen::from_fiscal_code(CF),
        options: Options {
            variant: Variant::Genuine,
            at: None,
        },
    };
    let field = FieldSpec::ToBeCreated {
        clause_title: "Firma".into(),
        page: 0.0,
        x: 100.0,
        y: 700.0,
        w: 200.0,
        h: 50.0,
    };
    stamp_signed_with(
        &firmadesk_testkit::pdf::contract(),
        &[field],
        CF,
        "25/11/2026",
        Some(&sealer),
    )
    .unwrap()
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
    let pdf = signed_pdf(&q);
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
