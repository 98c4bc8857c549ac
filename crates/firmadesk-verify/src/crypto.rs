//! The CMS side of a signature: signer, signature value, certificates, timestamp and revocation, with the
//! RustCrypto types (`cms`, `x509-cert`, `x509-tsp`) and keys (`p256`, `rsa`).

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString, PrintableStringRef, Utf8StringRef};
use der::{Decode, Encode, SliceReader};
use sha2::{Digest, Sha256};
use spki::SubjectPublicKeyInfoOwned;
use time::OffsetDateTime;
use x509_cert::crl::CertificateList;
use x509_cert::time::Time;
use x509_cert::Certificate;
use x509_tsp::TstInfo;

use crate::asn1::{self, RevocationInfoArchival, SigningCertificateV2};
use crate::{Chain, Code, Findings, Revocation};

/// Why a signature did not verify.
pub(crate) struct Failure {
    pub code: Code,
    pub detail: String,
}

fn failure(code: Code, detail: impl Into<String>) -> Failure {
    Failure {
        code,
        detail: detail.into(),
    }
}

/// Verifies `signature` over `message` with the key of `spki` (SHA-256 with ECDSA P-256 or RSA PKCS#1 v1.5).
pub(crate) fn verify_with(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Failure> {
    let key_bytes = spki.subject_public_key.raw_bytes();
    match spki.algorithm.oid {
        asn1::EC_PUBLIC_KEY => {
            use p256::ecdsa::signature::Verifier;
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            if curve != Some(asn1::SECP256R1) {
                return Err(failure(Code::UnsupportedAlgorithm, format!("EC curve {curve:?}")));
            }
            if algorithm != asn1::ECDSA_SHA256 && algorithm != asn1::EC_PUBLIC_KEY {
                return Err(failure(
                    Code::UnsupportedAlgorithm,
                    format!("signature algorithm {algorithm}"),
                ));
            }
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                .map_err(|e| failure(Code::SignatureInvalid, format!("bad EC key: {e}")))?;
            let sig = p256::ecdsa::Signature::from_der(signature)
                .map_err(|e| failure(Code::SignatureInvalid, format!("bad ECDSA signature: {e}")))?;
            key.verify(message, &sig)
                .map_err(|_| failure(Code::SignatureInvalid, "the ECDSA signature does not verify"))
        }
        asn1::RSA_ENCRYPTION => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::signature::Verifier;
            if algorithm != asn1::SHA256_WITH_RSA && algorithm != asn1::RSA_ENCRYPTION {
                return Err(failure(
                    Code::UnsupportedAlgorithm,
                    format!("signature algorithm {algorithm}"),
                ));
            }
            let key = rsa::RsaPublicKey::from_pkcs1_der(key_bytes)
                .map_err(|e| failure(Code::SignatureInvalid, format!("bad RSA key: {e}")))?;
            let sig = rsa::pkcs1v15::Signature::try_from(signature)
                .map_err(|e| failure(Code::SignatureInvalid, format!("bad RSA signature: {e}")))?;
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                .verify(message, &sig)
                .map_err(|_| failure(Code::SignatureInvalid, "the RSA signature does not verify"))
        }
        other => Err(failure(Code::UnsupportedAlgorithm, format!("key algorithm {other}"))),
    }
}

/// Whether `cert`'s signature verifies with `issuer`'s key.
fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    verify_with(
        &issuer.tbs_certificate.subject_public_key_info,
        cert.signature_algorithm.oid,
        &tbs,
        cert.signature.raw_bytes(),
    )
    .is_ok()
}

fn crl_signed_by(crl: &CertificateList, issuer: &Certificate) -> bool {
    let Ok(tbs) = crl.tbs_cert_list.to_der() else {
        return false;
    };
    verify_with(
        &issuer.tbs_certificate.subject_public_key_info,
        crl.signature_algorithm.oid,
        &tbs,
        crl.signature.raw_bytes(),
    )
    .is_ok()
}

/// Decodes the one DER value at the start of `bytes` (a `/Contents` value is zero-padded).
pub(crate) fn decode_prefix<'a, T: Decode<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    let mut reader = SliceReader::new(bytes).map_err(|e| e.to_string())?;
    T::decode(&mut reader).map_err(|e| e.to_string())
}

/// The text of the subject's first attribute `oid` (PrintableString or UTF8String).
fn subject_text(cert: &Certificate, oid: ObjectIdentifier) -> Option<String> {
    cert.tbs_certificate
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == oid)
        .find_map(|atv| {
            atv.value
                .decode_as::<PrintableStringRef<'_>>()
                .map(|s| s.as_str().to_string())
                .or_else(|_| {
                    atv.value
                        .decode_as::<Utf8StringRef<'_>>()
                        .map(|s| s.as_str().to_string())
                })
                .ok()
        })
}

/// The subject's fiscal code, from its `TINIT-` serialNumber.
pub(crate) fn fiscal_code(cert: &Certificate) -> Option<String> {
    subject_text(cert, asn1::SERIAL_NUMBER)?
        .strip_prefix("TINIT-")
        .map(str::to_string)
}

/// The signer's name: givenName and surname when both are there, else the commonName.
pub(crate) fn signer_name(cert: &Certificate) -> Option<String> {
    match (subject_text(cert, asn1::GIVEN_NAME), subject_text(cert, asn1::SURNAME)) {
        (Some(given), Some(surname)) => Some(format!("{given} {surname}")),
        _ => subject_text(cert, asn1::COMMON_NAME),
    }
}

fn unix(t: &Time) -> i64 {
    i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate.subject.to_string()
}

fn pool_certs(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect()
}

fn find_signer<'a>(si: &SignerInfo, pool: &'a [Certificate]) -> Option<&'a Certificate> {
    pool.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate.serial_number == ias.serial_number && c.tbs_certificate.issuer == ias.issuer
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
            .any(|e| OctetString::from_der(e.extn_value.as_bytes()).is_ok_and(|v| v.as_bytes() == ski.0.as_bytes())),
    })
}

fn attr_value(attrs: Option<&x509_cert::attr::Attributes>, oid: ObjectIdentifier) -> Option<&der::Any> {
    attrs?.iter().find(|a| a.oid == oid)?.values.iter().next()
}

/// The path from `leaf` up to a trust anchor, or as far as it goes.
struct Path {
    certs: Vec<Certificate>,
    trusted: bool,
    problem: Option<Failure>,
}

fn build_path(leaf: &Certificate, pool: &[Certificate], anchors: &[Certificate]) -> Path {
    let mut certs = vec![leaf.clone()];
    for _ in 0..10 {
        let cur = certs.last().expect("the leaf is there").clone();
        if anchors.contains(&cur) {
            return Path {
                certs,
                trusted: true,
                problem: None,
            };
        }
        let issuer_name = &cur.tbs_certificate.issuer;
        if let Some(anchor) = anchors
            .iter()
            .find(|a| &a.tbs_certificate.subject == issuer_name && signed_by(&cur, a))
        {
            certs.push(anchor.clone());
            return Path {
                certs,
                trusted: true,
                problem: None,
            };
        }
        if issuer_name == &cur.tbs_certificate.subject {
            return Path {
                certs,
                trusted: false,
                problem: Some(failure(
                    Code::UntrustedIssuer,
                    format!("the chain ends at {}, not a trust anchor", subject(&cur)),
                )),
            };
        }
        let candidates: Vec<&Certificate> = pool
            .iter()
            .filter(|c| &c.tbs_certificate.subject == issuer_name && **c != cur)
            .collect();
        let Some(issuer) = candidates.iter().find(|c| signed_by(&cur, c)) else {
            let problem = if candidates.is_empty() {
                failure(
                    Code::UntrustedIssuer,
                    format!(
                        "the issuer {issuer_name} of {} is neither embedded nor trusted",
                        subject(&cur)
                    ),
                )
            } else {
                failure(
                    Code::CertificateSignatureInvalid,
                    format!(
                        "the signature of {} does not verify with its issuer's key",
                        subject(&cur)
                    ),
                )
            };
            return Path {
                certs,
                trusted: false,
                problem: Some(problem),
            };
        };
        certs.push((*issuer).clone());
    }
    Path {
        certs,
        trusted: false,
        problem: Some(failure(Code::UntrustedIssuer, "the chain is too long")),
    }
}

fn check_validity(path: &[Certificate], at: i64, index: usize, findings: &mut Findings) {
    for c in path {
        let v = &c.tbs_certificate.validity;
        if at > unix(&v.not_after) {
            findings.error(
                Some(index),
                Code::CertificateExpired,
                format!("{} expired at {} (signing time {at})", subject(c), v.not_after),
            );
        } else if at < unix(&v.not_before) {
            findings.error(
                Some(index),
                Code::CertificateNotYetValid,
                format!("{} is valid from {} (signing time {at})", subject(c), v.not_before),
            );
        }
    }
}

/// The signer's signature timestamp: its genTime when it verifies.
fn check_timestamp(
    token: &der::Any,
    signature_value: &[u8],
    pool: &[Certificate],
    anchors: &[Certificate],
    check_trust: bool,
) -> Result<OffsetDateTime, String> {
    let info: ContentInfo = token.decode_as().map_err(|e| e.to_string())?;
    let sd: SignedData = info.content.decode_as().map_err(|e| e.to_string())?;
    if sd.encap_content_info.econtent_type != asn1::TST_INFO {
        return Err("the token does not hold a TSTInfo".into());
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or("the token has no content")?;
    let tst_der = econtent.decode_as::<OctetString>().map_err(|e| e.to_string())?;
    let tst = TstInfo::from_der(tst_der.as_bytes()).map_err(|e| e.to_string())?;
    if tst.message_imprint.hash_algorithm.oid != asn1::SHA256 {
        return Err("the imprint is not SHA-256".into());
    }
    if tst.message_imprint.hashed_message.as_bytes() != Sha256::digest(signature_value).as_slice() {
        return Err("the imprint is not the digest of the signature value".into());
    }
    let mut certs = pool_certs(&sd);
    certs.extend(pool.iter().cloned());
    let si = sd.signer_infos.0.iter().next().ok_or("the token has no signer")?;
    let tsa = find_signer(si, &certs).ok_or("the TSA's certificate is missing")?;
    let attrs = si.signed_attrs.as_ref().ok_or("the token has no signed attributes")?;
    let md = attr_value(Some(attrs), asn1::MESSAGE_DIGEST)
        .ok_or("the token has no messageDigest")?
        .decode_as::<OctetString>()
        .map_err(|e| e.to_string())?;
    if md.as_bytes() != Sha256::digest(tst_der.as_bytes()).as_slice() {
        return Err("the token's messageDigest is not the digest of its TSTInfo".into());
    }
    verify_with(
        &tsa.tbs_certificate.subject_public_key_info,
        si.signature_algorithm.oid,
        &attrs.to_der().map_err(|e| e.to_string())?,
        si.signature.as_bytes(),
    )
    .map_err(|f| format!("the TSA's signature: {}", f.detail))?;
    let eku_ok = tsa
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE)
        .any(|e| {
            x509_cert::ext::pkix::ExtendedKeyUsage::from_der(e.extn_value.as_bytes())
                .is_ok_and(|eku| eku.0.contains(&asn1::TIME_STAMPING))
        });
    if !eku_ok {
        return Err(format!("{} is not a time-stamping certificate", subject(tsa)));
    }
    let path = build_path(tsa, &certs, anchors);
    // Without anchors only an unknown issuer is tolerated (trust is not checked); a bad signature is not.
    let untrusted_only = path.problem.as_ref().is_none_or(|p| p.code == Code::UntrustedIssuer);
    if !path.trusted && (check_trust || !untrusted_only) {
        return Err(format!(
            "the TSA is not trusted: {}",
            path.problem.map(|p| p.detail).unwrap_or_default()
        ));
    }
    let gen = i64::try_from(tst.gen_time.to_unix_duration().as_secs()).map_err(|e| e.to_string())?;
    for c in &path.certs {
        let v = &c.tbs_certificate.validity;
        if gen > unix(&v.not_after) || gen < unix(&v.not_before) {
            return Err(format!("{} is not valid at the timestamp's time", subject(c)));
        }
    }
    OffsetDateTime::from_unix_timestamp(gen).map_err(|e| e.to_string())
}

/// What the CMS of one signature says.
pub(crate) struct Outcome {
    pub subject: Option<String>,
    pub name: Option<String>,
    pub fiscal_code: Option<String>,
    pub signing_time: Option<OffsetDateTime>,
    pub timestamped: bool,
    pub chain: Chain,
    pub revocation: Revocation,
    pub intact: bool,
}

/// Material from outside the CMS: the PDF's `/DSS`.
#[derive(Default)]
pub(crate) struct Embedded {
    pub certs: Vec<Certificate>,
    pub crls: Vec<CertificateList>,
}

/// Checks one signature's CMS (`contents`) against the digest of its byte range.
pub(crate) fn check_cms(
    contents: &[u8],
    digest: &[u8; 32],
    expect: &crate::Expect,
    anchors: &[Certificate],
    embedded: &Embedded,
    index: usize,
    findings: &mut Findings,
) -> Outcome {
    let mut out = Outcome {
        subject: None,
        name: None,
        fiscal_code: None,
        signing_time: None,
        timestamped: false,
        chain: Chain::default(),
        revocation: Revocation::Unknown,
        intact: false,
    };
    let parsed = decode_prefix::<ContentInfo>(contents).and_then(|ci| {
        if ci.content_type != asn1::SIGNED_DATA {
            return Err(format!("the CMS is a {}, not a SignedData", ci.content_type));
        }
        ci.content.decode_as::<SignedData>().map_err(|e| e.to_string())
    });
    let sd = match parsed {
        Ok(sd) => sd,
        Err(e) => {
            findings.error(
                Some(index),
                Code::SignatureMalformed,
                format!("cannot read the CMS: {e}"),
            );
            return out;
        }
    };
    let mut pool = pool_certs(&sd);
    pool.extend(embedded.certs.iter().cloned());
    let Some(si) = sd.signer_infos.0.iter().next() else {
        findings.error(Some(index), Code::SignatureMalformed, "the CMS has no signer");
        return out;
    };
    let Some(signer) = find_signer(si, &pool).cloned() else {
        findings.error(
            Some(index),
            Code::SignatureMalformed,
            "the signer's certificate is not embedded",
        );
        return out;
    };
    out.subject = Some(subject(&signer));
    out.name = signer_name(&signer);
    out.fiscal_code = fiscal_code(&signer);

    // Integrity: digest and signature value.
    let attrs = si.signed_attrs.as_ref();
    let mut intact = true;
    if si.digest_alg.oid != asn1::SHA256 {
        findings.error(
            Some(index),
            Code::UnsupportedAlgorithm,
            format!("digest algorithm {}", si.digest_alg.oid),
        );
        intact = false;
    } else {
        match attr_value(attrs, asn1::MESSAGE_DIGEST).map(der::Any::decode_as::<OctetString>) {
            Some(Ok(md)) if md.as_bytes() == digest => {}
            Some(Ok(md)) => {
                findings.error(
                    Some(index),
                    Code::DigestMismatch,
                    format!(
                        "the CMS's messageDigest {} is not the byte range's SHA-256 {}",
                        hex::encode(md.as_bytes()),
                        hex::encode(digest)
                    ),
                );
                intact = false;
            }
            _ => {
                findings.error(
                    Some(index),
                    Code::SignatureMalformed,
                    "no messageDigest signed attribute",
                );
                intact = false;
            }
        }
    }
    let signed_bytes = attrs.map(Encode::to_der);
    match signed_bytes {
        Some(Ok(bytes)) => {
            if let Err(f) = verify_with(
                &signer.tbs_certificate.subject_public_key_info,
                si.signature_algorithm.oid,
                &bytes,
                si.signature.as_bytes(),
            ) {
                findings.error(Some(index), f.code, f.detail);
                intact = false;
            }
        }
        _ => {
            findings.error(
                Some(index),
                Code::SignatureMalformed,
                "no signed attributes (not PAdES)",
            );
            intact = false;
        }
    }
    if let Some(v) = attr_value(attrs, asn1::SIGNING_CERTIFICATE_V2) {
        let ok = v.decode_as::<SigningCertificateV2>().is_ok_and(|sc| {
            sc.certs.first().is_some_and(|id| {
                id.hash_algorithm.as_ref().is_none_or(|a| a.oid == asn1::SHA256)
                    && signer
                        .to_der()
                        .is_ok_and(|der| id.cert_hash.as_bytes() == Sha256::digest(der).as_slice())
            })
        });
        if !ok {
            findings.error(
                Some(index),
                Code::SignatureInvalid,
                "signingCertificateV2 does not name the embedded signer's certificate",
            );
            intact = false;
        }
    }
    out.intact = intact;

    // Time: the signature timestamp, else the caller's.
    let fallback = expect.at.unwrap_or_else(OffsetDateTime::now_utc);
    let check_trust = !expect.trust_anchors.is_empty();
    let at = match attr_value(si.unsigned_attrs.as_ref(), asn1::SIGNATURE_TIME_STAMP_TOKEN) {
        Some(token) => match check_timestamp(token, si.signature.as_bytes(), &pool, anchors, check_trust) {
            Ok(t) => {
                out.timestamped = true;
                t
            }
            Err(e) => {
                findings.error(Some(index), Code::TimestampInvalid, e);
                fallback
            }
        },
        None => {
            findings.warning(
                Some(index),
                Code::NoTimestamp,
                "no signature timestamp: certificates checked at the verification time",
            );
            fallback
        }
    };
    out.signing_time = Some(at);
    let at_unix = at.unix_timestamp();

    // Chain and validity.
    let path = build_path(&signer, &pool, anchors);
    out.chain = Chain {
        path: path.certs.iter().map(subject).collect(),
        trusted: path.trusted,
    };
    match path.problem {
        Some(p) if !check_trust && p.code == Code::UntrustedIssuer => findings.warning(
            Some(index),
            Code::TrustNotChecked,
            format!("no trust anchors given, the chain's trust is not checked: {}", p.detail),
        ),
        Some(p) => findings.error(Some(index), p.code, p.detail),
        None => {}
    }
    // An anchor from a trusted list is trusted only while its service was granted (qualified).
    if path.trusted {
        if let Some(anchor) = path.certs.last() {
            if let Some(detail) = not_granted_at(anchor, at, &expect.anchor_periods) {
                out.chain.trusted = false;
                findings.error(Some(index), Code::UntrustedIssuer, detail);
            }
        }
    }
    check_validity(&path.certs, at_unix, index, findings);

    // Revocation, from the embedded CRLs.
    let mut crls: Vec<CertificateList> = embedded.crls.clone();
    if let Some(Ok(archival)) =
        attr_value(attrs, asn1::ADBE_REVOCATION_INFO_ARCHIVAL).map(der::Any::decode_as::<RevocationInfoArchival>)
    {
        crls.extend(archival.crl.into_iter().flatten());
    }
    for choice in sd.crls.iter().flat_map(|c| c.0.iter()) {
        if let cms::revocation::RevocationInfoChoice::Crl(crl) = choice {
            crls.push(crl.clone());
        }
    }
    let mut revocation = Revocation::Good;
    for pair in path.certs.windows(2) {
        let (cert, issuer) = (&pair[0], &pair[1]);
        let covering: Vec<&CertificateList> = crls
            .iter()
            .filter(|crl| crl.tbs_cert_list.issuer == issuer.tbs_certificate.subject && crl_signed_by(crl, issuer))
            .collect();
        if covering.is_empty() {
            if revocation == Revocation::Good {
                revocation = Revocation::Unknown;
            }
            findings.warning(
                Some(index),
                Code::RevocationUnknown,
                format!("no embedded CRL of {} covers {}", subject(issuer), subject(cert)),
            );
            continue;
        }
        let listed = covering
            .iter()
            .flat_map(|crl| crl.tbs_cert_list.revoked_certificates.iter().flatten())
            .find(|r| r.serial_number == cert.tbs_certificate.serial_number);
        if let Some(entry) = listed {
            if unix(&entry.revocation_date) <= at_unix {
                revocation = Revocation::Revoked;
                findings.error(
                    Some(index),
                    Code::Revoked,
                    format!("{} was revoked at {}", subject(cert), entry.revocation_date),
                );
            }
        }
    }
    out.revocation = revocation;
    out
}

/// Decodes trust anchors, skipping (and reporting in the detail) what is not a certificate.
/// Why `anchor` is not trusted at `at` by the trusted lists' periods, if it is listed there and none covers
/// `at`; `None` when it was granted then, or is not a listed anchor.
fn not_granted_at(
    anchor: &Certificate,
    at: OffsetDateTime,
    listed: &[crate::trusted_list::ListedAnchor],
) -> Option<String> {
    let der = anchor.to_der().ok()?;
    let mine: Vec<_> = listed.iter().filter(|l| l.certificate == der).collect();
    if mine.is_empty() {
        return None;
    }
    let granted = mine
        .iter()
        .flat_map(|l| &l.granted)
        .any(|p| p.from <= at && p.until.is_none_or(|u| at < u));
    (!granted).then(|| {
        format!(
            "the trusted list does not show {} as qualified (granted) at {at}",
            subject(anchor)
        )
    })
}

pub(crate) fn anchors(ders: &[Vec<u8>]) -> (Vec<Certificate>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, der) in ders.iter().enumerate() {
        match Certificate::from_der(der) {
            Ok(c) => good.push(c),
            Err(e) => bad.push(format!("trust anchor {i}: {e}")),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_pkcs1_v15_signatures_verify_and_a_changed_message_does_not() {
        use rsa::pkcs8::EncodePublicKey;
        use rsa::signature::{SignatureEncoding, Signer};
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let spki =
            SubjectPublicKeyInfoOwned::from_der(key.to_public_key().to_public_key_der().unwrap().as_bytes()).unwrap();
        let signature = rsa::pkcs1v15::SigningKey::<Sha256>::new(key)
            .sign(b"signed attributes")
            .to_vec();
        assert!(verify_with(&spki, asn1::SHA256_WITH_RSA, b"signed attributes", &signature).is_ok());
        assert!(verify_with(&spki, asn1::RSA_ENCRYPTION, b"signed attributes", &signature).is_ok());
        let changed = verify_with(&spki, asn1::SHA256_WITH_RSA, b"signed attributeS", &signature).unwrap_err();
        assert_eq!(changed.code, Code::SignatureInvalid);
        let sha1_rsa = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
        let unsupported = verify_with(&spki, sha1_rsa, b"signed attributes", &signature).unwrap_err();
        assert_eq!(unsupported.code, Code::UnsupportedAlgorithm);
    }
}
