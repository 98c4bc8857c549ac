//! PAdES signatures the way Firma con IO makes them, by a sandbox test authority.
//!
//! The authority is a small PKI derived deterministically from the sandbox secret (so it survives a
//! restart with the same state dir): a root ("FirmaDesk Sandbox Test Root CA — not qualified"), an
//! issuing CA under it, and a time-stamping authority (TSA, extended key usage timeStamping) under the
//! root. For every signature the issuing CA issues a one-shot certificate to the citizen (CN, givenName and
//! surname when known, serialNumber `TINIT-<codice fiscale>`, C=IT; keyUsage nonRepudiation; the ETSI
//! qcStatements QcCompliance, QcSSCD and QcType esign; valid a few minutes around the signing time), and
//! the document is signed with a CMS SignedData (ETSI.CAdES.detached, SHA-256, ECDSA P-256) whose signed
//! attributes are contentType, messageDigest, signingCertificateV2 and the long-term revocation material,
//! and whose unsigned attribute is an RFC 3161 signature timestamp over the signature value.
//!
//! Revocation material: the CRLs of the chain (the issuing CA's, covering the citizen's certificate, and
//! the root's, covering the issuing CA and the TSA) travel in the signed attribute
//! `adbe-revocationInfoArchival` (1.2.840.113583.1.1.8), as Adobe's and many QTSPs' PAdES-LT signatures
//! carry them; no DSS dictionary is written.
//!
//! Every structure is a RustCrypto type (`der`, `x509-cert`, `cms`, `x509-tsp`) encoded by `der`: no
//! ASN.1 is written by hand. Nothing here is qualified and every name says so.
//!
//! [`Variant`] produces the broken signatures tests need (another fiscal code, an untrusted authority, an
//! expired or revoked certificate, a wrong message digest, a byte range with a gap).

use std::time::Duration;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{
    Any, BitString, GeneralizedTime, Int, ObjectIdentifier, OctetString, PrintableStringRef, SetOfVec, UtcTime,
    Utf8StringRef,
};
use der::{Decode, Encode, Reader, Sequence};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use time::OffsetDateTime;
use x509_cert::attr::{Attribute, AttributeTypeAndValue, Attributes};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};
use x509_tsp::{MessageImprint, TspVersion, TstInfo};

/// Bytes reserved in `/Contents` for the CMS (hex doubles it in the file): the chain, the CRLs and the
/// timestamp token take about 4 KiB with P-256 keys; real QTSPs' RSA chains take more.
pub const CONTENTS_LEN: usize = 16384;
/// Placeholder of every `/ByteRange` number before the real offsets are patched in.
pub const BYTE_RANGE_PLACEHOLDER: i64 = 9_999_999_999;
/// Bytes after `/Contents` the [`Variant::ByteRangeGap`] leaves out of the signed range.
pub const GAP_LEN: usize = 16;

/// Object identifiers used here (and by verifiers of these signatures).
pub mod oids {
    use der::asn1::ObjectIdentifier as Oid;

    /// id-data.
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// id-signedData.
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// id-sha256.
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// ecdsa-with-SHA256.
    pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    /// contentType attribute.
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// messageDigest attribute.
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// id-aa-signingCertificateV2 (RFC 5035).
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    /// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
    pub const SIGNATURE_TIME_STAMP_TOKEN: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
    /// id-ct-TSTInfo.
    pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
    /// adbe-revocationInfoArchival.
    pub const ADBE_REVOCATION_INFO_ARCHIVAL: Oid = Oid::new_unwrap("1.2.840.113583.1.1.8");
    /// id-pe-qcStatements (RFC 3739).
    pub const QC_STATEMENTS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.3");
    /// id-etsi-qcs-QcCompliance.
    pub const QC_COMPLIANCE: Oid = Oid::new_unwrap("0.4.0.1862.1.1");
    /// id-etsi-qcs-QcSSCD.
    pub const QC_SSCD: Oid = Oid::new_unwrap("0.4.0.1862.1.4");
    /// id-etsi-qcs-QcType.
    pub const QC_TYPE: Oid = Oid::new_unwrap("0.4.0.1862.1.6");
    /// id-etsi-qct-esign.
    pub const QC_TYPE_ESIGN: Oid = Oid::new_unwrap("0.4.0.1862.1.6.1");
    /// id-kp-timeStamping.
    pub const TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
    /// The sandbox TSA's policy, under IANA's reserved enterprise number 0 (nobody's real policy).
    pub const SANDBOX_TSA_POLICY: Oid = Oid::new_unwrap("1.3.6.1.4.1.0.14.1");
    /// id-ecPublicKey.
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// secp256r1 (P-256).
    pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// countryName, commonName, organizationName, serialNumber, surname, givenName.
    pub const COUNTRY: Oid = Oid::new_unwrap("2.5.4.6");
    /// commonName.
    pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
    /// organizationName.
    pub const ORGANIZATION: Oid = Oid::new_unwrap("2.5.4.10");
    /// serialNumber (the fiscal code as `TINIT-…` in Italian qualified certificates).
    pub const SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
    /// surname.
    pub const SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
    /// givenName.
    pub const GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
}

// ---- ASN.1 types the RustCrypto crates do not carry, declared with `der`'s derive ------------------

/// ESSCertIDv2 (RFC 5035); no hashAlgorithm means SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// The hash algorithm when it is not SHA-256.
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// Hash of the certificate's DER.
    pub cert_hash: OctetString,
    /// IssuerSerial, kept undecoded.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<Any>,
}

/// SigningCertificateV2 (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// The signer's certificate first.
    pub certs: Vec<EssCertIdV2>,
    /// Policies, kept undecoded.
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// QCStatement (RFC 3739).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct QcStatement {
    /// The statement.
    pub statement_id: ObjectIdentifier,
    /// Its information, if it has any.
    #[asn1(optional = "true")]
    pub statement_info: Option<Any>,
}

/// RevocationInfoArchival (Adobe, PDF 1.6 / ISO 32000-1 12.8.3.3.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct RevocationInfoArchival {
    /// CRLs.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub crl: Option<Vec<CertificateList>>,
    /// OCSP responses, kept undecoded.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub ocsp: Option<Vec<Any>>,
    /// Other revocation info, kept undecoded.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub other: Option<Any>,
}

// ---- the test authority ------------------------------------------------------------------------------

/// One certificate and its key.
#[derive(Clone)]
struct Issued {
    key: SigningKey,
    cert: Certificate,
    der: Vec<u8>,
}

/// The sandbox's test authority: root, issuing CA and TSA.
#[derive(Clone)]
pub struct TestQtsp {
    secret: Vec<u8>,
    root: Issued,
    ca: Issued,
    tsa: Issued,
}

impl std::fmt::Debug for TestQtsp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestQtsp { keys: <redacted> }")
    }
}

/// Who signs: the citizen the one-shot certificate is issued to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citizen {
    /// Common name (the display name; the fiscal code when no name is known, as in the sandbox).
    pub name: String,
    /// Given name, when known.
    pub given_name: Option<String>,
    /// Surname, when known.
    pub surname: Option<String>,
    /// Codice fiscale, carried as `TINIT-<fiscal code>` in the subject's serialNumber.
    pub fiscal_code: String,
}

impl Citizen {
    /// A citizen known only by fiscal code (what IO Sign's issuer API knows), named by it too.
    pub fn from_fiscal_code(fiscal_code: &str) -> Self {
        Self {
            name: fiscal_code.to_string(),
            given_name: None,
            surname: None,
            fiscal_code: fiscal_code.to_string(),
        }
    }
}

/// A way to get a signature wrong, for tests of verifiers. Byte-level tampering (bytes changed inside
/// the signed range, an appended update, a second signature) is left to the tests, on the output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Variant {
    /// What the real service does.
    #[default]
    Genuine,
    /// The certificate names another fiscal code than the citizen's.
    OtherFiscalCode(String),
    /// The certificate comes from another test authority (another root, never trusted).
    UntrustedAuthority,
    /// The certificate's validity ended a day before the signing time.
    ExpiredCertificate,
    /// The issuing CA's embedded CRL lists the certificate as revoked before the signing time.
    RevokedCertificate,
    /// The CMS's messageDigest is not the digest of the byte range (the signature over it is valid).
    WrongDigest,
    /// The ByteRange leaves [`GAP_LEN`] bytes after `/Contents` unsigned (the digest matches what it covers).
    ByteRangeGap,
}

/// How to sign.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The way to get it wrong, if any.
    pub variant: Variant,
    /// The signing time (and the timestamp's); now when `None`.
    pub at: Option<OffsetDateTime>,
}

fn derive_key(secret: &[u8], label: &[u8]) -> SigningKey {
    let mut counter = 0u32;
    loop {
        let seed = Sha256::digest([secret, b"\0pades-key\0", label, b"\0", &counter.to_be_bytes()].concat());
        if let Ok(k) = SigningKey::from_slice(&seed) {
            return k;
        }
        counter += 1;
    }
}

fn serial(seed: &[&[u8]]) -> Result<SerialNumber, String> {
    let mut bytes = Sha256::digest(seed.concat())[..16].to_vec();
    // Positive, and no leading zero byte to trim.
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    SerialNumber::new(&bytes).map_err(err)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn utf8_atv(oid: ObjectIdentifier, value: &str) -> Result<AttributeTypeAndValue, String> {
    Ok(AttributeTypeAndValue {
        oid,
        value: Any::encode_from(&Utf8StringRef::new(value).map_err(err)?).map_err(err)?,
    })
}

fn printable_atv(oid: ObjectIdentifier, value: &str) -> Result<AttributeTypeAndValue, String> {
    Ok(AttributeTypeAndValue {
        oid,
        value: Any::encode_from(&PrintableStringRef::new(value).map_err(err)?).map_err(err)?,
    })
}

fn name(atvs: Vec<AttributeTypeAndValue>) -> Result<Name, String> {
    let rdns = atvs
        .into_iter()
        .map(|atv| SetOfVec::try_from(vec![atv]).map(RelativeDistinguishedName))
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    Ok(RdnSequence(rdns))
}

fn authority_name(cn: &str) -> Result<Name, String> {
    name(vec![
        printable_atv(oids::COUNTRY, "IT")?,
        utf8_atv(oids::ORGANIZATION, "FirmaDesk Sandbox Test CA — not qualified")?,
        utf8_atv(oids::COMMON_NAME, cn)?,
    ])
}

fn citizen_name(c: &Citizen) -> Result<Name, String> {
    let mut atvs = vec![printable_atv(oids::COUNTRY, "IT")?];
    if let Some(s) = &c.surname {
        atvs.push(utf8_atv(oids::SURNAME, s)?);
    }
    if let Some(g) = &c.given_name {
        atvs.push(utf8_atv(oids::GIVEN_NAME, g)?);
    }
    atvs.push(printable_atv(oids::SERIAL_NUMBER, &format!("TINIT-{}", c.fiscal_code))?);
    atvs.push(utf8_atv(oids::COMMON_NAME, &c.name)?);
    name(atvs)
}

fn x509_time(t: OffsetDateTime) -> Result<Time, String> {
    let secs = u64::try_from(t.unix_timestamp()).map_err(err)?;
    let d = Duration::from_secs(secs);
    if t.year() < 2050 {
        Ok(Time::UtcTime(UtcTime::from_unix_duration(d).map_err(err)?))
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_unix_duration(d).map_err(err)?))
    }
}

fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid, parameters: None }
}

fn extension<T: Encode>(oid: ObjectIdentifier, critical: bool, value: &T) -> Result<Extension, String> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(err)?).map_err(err)?,
    })
}

fn key_id(key: &VerifyingKey) -> Result<OctetString, String> {
    OctetString::new(&Sha256::digest(key.to_encoded_point(false).as_bytes())[..20]).map_err(err)
}

fn sign_der(key: &SigningKey, message: &[u8]) -> Vec<u8> {
    let sig: Signature = key.sign(message);
    sig.to_der().as_bytes().to_vec()
}

/// What a certificate to issue is for.
enum Profile {
    Ca,
    Tsa,
    Citizen,
}

struct ToIssue<'a> {
    subject: Name,
    key: &'a VerifyingKey,
    serial: SerialNumber,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    profile: Profile,
}

fn issue(req: ToIssue<'_>, issuer: Option<&Issued>, issuer_key: &SigningKey) -> Result<Certificate, String> {
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: oids::EC_PUBLIC_KEY,
            parameters: Some(Any::encode_from(&oids::SECP256R1).map_err(err)?),
        },
        subject_public_key: BitString::from_bytes(req.key.to_encoded_point(false).as_bytes()).map_err(err)?,
    };
    let issuer_name = issuer.map_or_else(|| req.subject.clone(), |i| i.cert.tbs_certificate.subject.clone());
    let mut exts = vec![
        extension(
            const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            false,
            &SubjectKeyIdentifier(key_id(req.key)?),
        )?,
        extension(
            const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(key_id(issuer_key.verifying_key())?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
    ];
    match req.profile {
        Profile::Ca => {
            exts.push(extension(
                const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
                true,
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: None,
                },
            )?);
            exts.push(extension(
                const_oid::db::rfc5280::ID_CE_KEY_USAGE,
                true,
                &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
            )?);
        }
        Profile::Tsa => {
            exts.push(extension(
                const_oid::db::rfc5280::ID_CE_KEY_USAGE,
                true,
                &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
            )?);
            exts.push(extension(
                const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE,
                true,
                &ExtendedKeyUsage(vec![oids::TIME_STAMPING]),
            )?);
        }
        Profile::Citizen => {
            exts.push(extension(
                const_oid::db::rfc5280::ID_CE_KEY_USAGE,
                true,
                &KeyUsage(KeyUsages::NonRepudiation.into()),
            )?);
            let qc_type = Any::encode_from(&vec![oids::QC_TYPE_ESIGN]).map_err(err)?;
            let statements = vec![
                QcStatement {
                    statement_id: oids::QC_COMPLIANCE,
                    statement_info: None,
                },
                QcStatement {
                    statement_id: oids::QC_SSCD,
                    statement_info: None,
                },
                QcStatement {
                    statement_id: oids::QC_TYPE,
                    statement_info: Some(qc_type),
                },
            ];
            exts.push(extension(oids::QC_STATEMENTS, false, &statements)?);
        }
    }
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: req.serial,
        signature: alg(oids::ECDSA_SHA256),
        issuer: issuer_name,
        validity: Validity {
            not_before: x509_time(req.not_before)?,
            not_after: x509_time(req.not_after)?,
        },
        subject: req.subject,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(exts),
    };
    let signature = sign_der(issuer_key, &tbs.to_der().map_err(err)?);
    Ok(Certificate {
        tbs_certificate: tbs,
        signature_algorithm: alg(oids::ECDSA_SHA256),
        signature: BitString::from_bytes(&signature).map_err(err)?,
    })
}

impl Issued {
    fn new(key: SigningKey, cert: Certificate) -> Result<Self, String> {
        let der = cert.to_der().map_err(err)?;
        Ok(Self { key, cert, der })
    }

    /// A CRL by this authority, listing `revoked` (serial, date).
    fn crl(&self, at: OffsetDateTime, revoked: &[(SerialNumber, OffsetDateTime)]) -> Result<CertificateList, String> {
        let revoked = revoked
            .iter()
            .map(|(serial, when)| {
                Ok(RevokedCert {
                    serial_number: serial.clone(),
                    revocation_date: x509_time(*when)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let tbs = TbsCertList {
            version: Version::V2,
            signature: alg(oids::ECDSA_SHA256),
            issuer: self.cert.tbs_certificate.subject.clone(),
            this_update: x509_time(at - time::Duration::hours(1))?,
            next_update: Some(x509_time(at + time::Duration::days(7))?),
            revoked_certificates: (!revoked.is_empty()).then_some(revoked),
            crl_extensions: None,
        };
        let signature = sign_der(&self.key, &tbs.to_der().map_err(err)?);
        Ok(CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: alg(oids::ECDSA_SHA256),
            signature: BitString::from_bytes(&signature).map_err(err)?,
        })
    }

    fn issuer_and_serial(&self) -> IssuerAndSerialNumber {
        IssuerAndSerialNumber {
            issuer: self.cert.tbs_certificate.issuer.clone(),
            serial_number: self.cert.tbs_certificate.serial_number.clone(),
        }
    }
}

fn attribute<T: Encode>(oid: ObjectIdentifier, value: &T) -> Result<Attribute, String> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![Any::from_der(&value.to_der().map_err(err)?).map_err(err)?]).map_err(err)?,
    })
}

fn signing_certificate_v2(cert_der: &[u8]) -> Result<SigningCertificateV2, String> {
    Ok(SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(cert_der).to_vec()).map_err(err)?,
            issuer_serial: None,
        }],
        policies: None,
    })
}

/// A SignedData with one ECDSA P-256 / SHA-256 signer over `signed_attrs`, wrapped in a ContentInfo.
fn signed_data(
    signer: &Issued,
    econtent_type: ObjectIdentifier,
    econtent: Option<&[u8]>,
    signed_attrs: Attributes,
    unsigned: impl FnOnce(&[u8]) -> Result<Option<Attributes>, String>,
    certs: &[&Certificate],
) -> Result<ContentInfo, String> {
    let signature = sign_der(&signer.key, &signed_attrs.to_der().map_err(err)?);
    let unsigned_attrs = unsigned(&signature)?;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(signer.issuer_and_serial()),
        digest_alg: alg(oids::SHA256),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: alg(oids::ECDSA_SHA256),
        signature: OctetString::new(signature).map_err(err)?,
        unsigned_attrs,
    };
    let certificates = CertificateSet::try_from(
        certs
            .iter()
            .map(|c| CertificateChoices::Certificate((*c).clone()))
            .collect::<Vec<_>>(),
    )
    .map_err(err)?;
    let econtent = match econtent {
        Some(bytes) => Some(Any::encode_from(&OctetString::new(bytes).map_err(err)?).map_err(err)?),
        None => None,
    };
    let sd = SignedData {
        version: if econtent_type == oids::DATA {
            CmsVersion::V1
        } else {
            CmsVersion::V3
        },
        digest_algorithms: SetOfVec::try_from(vec![alg(oids::SHA256)]).map_err(err)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type,
            econtent,
        },
        certificates: Some(certificates),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer_info]).map_err(err)?,
    };
    Ok(ContentInfo {
        content_type: oids::SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(err)?,
    })
}

fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

impl TestQtsp {
    /// Derives the authority (keys and certificates) from `secret`: the same secret, the same authority.
    pub fn from_secret(secret: &[u8]) -> Self {
        Self::build(secret).expect("the test authority's fixed certificates encode")
    }

    fn build(secret: &[u8]) -> Result<Self, String> {
        let from = time::macros::datetime!(2024-01-01 0:00 UTC);
        let until = time::macros::datetime!(2049-12-31 23:59:59 UTC);
        // An authority's key is derived from `key_label`, its serial from `serial_label`; the root signs itself.
        let authority =
            |key_label: &[u8], serial_label: &[u8], name: &str, profile: Profile, issuer: Option<&Issued>| {
                let key = derive_key(secret, key_label);
                let cert = issue(
                    ToIssue {
                        subject: authority_name(name)?,
                        key: key.verifying_key(),
                        serial: serial(&[secret, serial_label])?,
                        not_before: from,
                        not_after: until,
                        profile,
                    },
                    issuer,
                    issuer.map_or(&key, |i| &i.key),
                )?;
                Issued::new(key, cert)
            };
        let root = authority(
            b"root",
            b"\0root-serial",
            "FirmaDesk Sandbox Test Root CA — not qualified",
            Profile::Ca,
            None,
        )?;
        let ca = authority(
            b"issuing-ca",
            b"\0ca-serial",
            "FirmaDesk Sandbox Test Issuing CA — not qualified",
            Profile::Ca,
            Some(&root),
        )?;
        let tsa = authority(
            b"tsa",
            b"\0tsa-serial",
            "FirmaDesk Sandbox Test TSA — not qualified",
            Profile::Tsa,
            Some(&root),
        )?;
        Ok(Self {
            secret: secret.to_vec(),
            root,
            ca,
            tsa,
        })
    }

    /// The test root certificate (DER): the one trust anchor of the sandbox's signatures.
    pub fn root_certificate_der(&self) -> &[u8] {
        &self.root.der
    }

    /// The issuing CA's certificate (DER).
    pub fn issuing_ca_der(&self) -> &[u8] {
        &self.ca.der
    }

    /// The TSA's certificate (DER).
    pub fn tsa_certificate_der(&self) -> &[u8] {
        &self.tsa.der
    }

    /// The one-shot certificate for `citizen` at `at`, and its key.
    fn citizen_certificate(
        &self,
        citizen: &Citizen,
        at: OffsetDateTime,
        variant: &Variant,
        salt: &[u8],
    ) -> Result<Issued, String> {
        let mut citizen = citizen.clone();
        if let Variant::OtherFiscalCode(cf) = variant {
            citizen.fiscal_code.clone_from(cf);
        }
        let stamp = at.unix_timestamp().to_be_bytes();
        let label = [b"citizen\0".as_slice(), citizen.fiscal_code.as_bytes(), &stamp, salt].concat();
        let key = derive_key(&self.secret, &label);
        let (not_before, not_after) = if *variant == Variant::ExpiredCertificate {
            (at - time::Duration::days(2), at - time::Duration::days(1))
        } else {
            (at - time::Duration::minutes(5), at + time::Duration::hours(1))
        };
        let cert = issue(
            ToIssue {
                subject: citizen_name(&citizen)?,
                key: key.verifying_key(),
                serial: serial(&[&self.secret, b"\0citizen-serial\0", &label])?,
                not_before,
                not_after,
                profile: Profile::Citizen,
            },
            Some(&self.ca),
            &self.ca.key,
        )?;
        Issued::new(key, cert)
    }

    /// An RFC 3161 timestamp token over `data` (SHA-256), by the sandbox TSA at `at`.
    fn timestamp(&self, data: &[u8], at: OffsetDateTime) -> Result<ContentInfo, String> {
        let tst = TstInfo {
            version: TspVersion::V1,
            policy: oids::SANDBOX_TSA_POLICY,
            message_imprint: MessageImprint {
                hash_algorithm: spki::AlgorithmIdentifier {
                    oid: oids::SHA256,
                    parameters: None,
                },
                hashed_message: OctetString::new(Sha256::digest(data).to_vec()).map_err(err)?,
            },
            serial_number: Int::new(serial(&[&self.secret, b"\0tst\0", data])?.as_bytes()).map_err(err)?,
            gen_time: GeneralizedTime::from_unix_duration(Duration::from_secs(
                u64::try_from(at.unix_timestamp()).map_err(err)?,
            ))
            .map_err(err)?,
            accuracy: None,
            ordering: false,
            nonce: None,
            tsa: None,
            extensions: None,
        };
        let tst_der = tst.to_der().map_err(err)?;
        let attrs = SetOfVec::try_from(vec![
            attribute(oids::CONTENT_TYPE, &oids::TST_INFO)?,
            attribute(
                oids::MESSAGE_DIGEST,
                &OctetString::new(Sha256::digest(&tst_der).to_vec()).map_err(err)?,
            )?,
            attribute(oids::SIGNING_CERTIFICATE_V2, &signing_certificate_v2(&self.tsa.der)?)?,
        ])
        .map_err(err)?;
        signed_data(
            &self.tsa,
            oids::TST_INFO,
            Some(&tst_der),
            attrs,
            |_| Ok(None),
            &[&self.tsa.cert],
        )
    }

    /// The CMS (DER) of a PAdES signature by `citizen` over a document whose byte range has `digest`.
    pub fn cms(&self, digest: &[u8; 32], citizen: &Citizen, options: &Options) -> Result<Vec<u8>, String> {
        if options.variant == Variant::UntrustedAuthority {
            let rogue = Self::build(&[self.secret.as_slice(), b"\0another authority"].concat())?;
            let options = Options {
                variant: Variant::Genuine,
                at: options.at,
            };
            return rogue.cms(digest, citizen, &options);
        }
        let at = whole_seconds(options.at.unwrap_or_else(OffsetDateTime::now_utc));
        let signer = self.citizen_certificate(citizen, at, &options.variant, digest)?;
        let mut revoked = Vec::new();
        if options.variant == Variant::RevokedCertificate {
            revoked.push((
                signer.cert.tbs_certificate.serial_number.clone(),
                at - time::Duration::minutes(1),
            ));
        }
        let archival = RevocationInfoArchival {
            crl: Some(vec![self.ca.crl(at, &revoked)?, self.root.crl(at, &[])?]),
            ocsp: None,
            other: None,
        };
        let mut message_digest = *digest;
        if options.variant == Variant::WrongDigest {
            message_digest[0] ^= 0xff;
        }
        let attrs = SetOfVec::try_from(vec![
            attribute(oids::CONTENT_TYPE, &oids::DATA)?,
            attribute(oids::MESSAGE_DIGEST, &OctetString::new(message_digest).map_err(err)?)?,
            attribute(oids::SIGNING_CERTIFICATE_V2, &signing_certificate_v2(&signer.der)?)?,
            attribute(oids::ADBE_REVOCATION_INFO_ARCHIVAL, &archival)?,
        ])
        .map_err(err)?;
        let timestamp = |signature: &[u8]| -> Result<Option<Attributes>, String> {
            let token = self.timestamp(signature, at)?;
            Ok(Some(
                SetOfVec::try_from(vec![attribute(oids::SIGNATURE_TIME_STAMP_TOKEN, &token)?]).map_err(err)?,
            ))
        };
        let info = signed_data(
            &signer,
            oids::DATA,
            None,
            attrs,
            timestamp,
            &[&signer.cert, &self.ca.cert, &self.root.cert],
        )?;
        info.to_der().map_err(err)
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Fills the `/ByteRange` and `/Contents` placeholders of the last signature dictionary in `pdf` with the
/// real offsets and the CMS over everything but `/Contents` (see [`Variant::ByteRangeGap`]).
pub fn seal(pdf: &mut [u8], qtsp: &TestQtsp, citizen: &Citizen, options: &Options) -> Result<(), String> {
    let br = find_last(pdf, b"/ByteRange").ok_or("no /ByteRange placeholder")?;
    let open = br
        + pdf[br..]
            .iter()
            .position(|b| *b == b'[')
            .ok_or("malformed /ByteRange")?;
    let close = open
        + pdf[open..]
            .iter()
            .position(|b| *b == b']')
            .ok_or("malformed /ByteRange")?;
    let hole = {
        let mut placeholder = vec![b'<'];
        placeholder.extend(std::iter::repeat_n(b'0', CONTENTS_LEN * 2));
        placeholder.push(b'>');
        find_last(pdf, &placeholder).ok_or("no /Contents placeholder")?
    };
    let hole_end = hole + CONTENTS_LEN * 2 + 2;
    let second = if options.variant == Variant::ByteRangeGap {
        hole_end + GAP_LEN
    } else {
        hole_end
    };
    if second > pdf.len() {
        return Err("no room after /Contents for the gap".into());
    }
    let ranges = format!("0 {hole} {second} {}", pdf.len() - second);
    let room = close - open - 1;
    if ranges.len() > room {
        return Err("the /ByteRange placeholder is too small".into());
    }
    pdf[open + 1..close].copy_from_slice(format!("{ranges:<room$}").as_bytes());
    let mut h = Sha256::new();
    h.update(&pdf[..hole]);
    h.update(&pdf[second..]);
    let digest: [u8; 32] = h.finalize().into();
    let cms = qtsp.cms(&digest, citizen, options)?;
    if cms.len() > CONTENTS_LEN {
        return Err("the CMS does not fit in /Contents".into());
    }
    let hex = hex::encode_upper(&cms);
    pdf[hole + 1..hole + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// Checks the last signature of a PDF signed by [`seal`] with `qtsp`: the byte range covers the whole file
/// but `/Contents`, the CMS's messageDigest is that range's SHA-256, its ECDSA signature over the signed
/// attributes verifies with the signer certificate's key, and that certificate was issued by `qtsp`'s
/// issuing CA. (The full verification, chain, timestamp and revocation included, is `firmadesk-verify`'s.)
pub fn verify(pdf: &[u8], qtsp: &TestQtsp) -> Result<(), String> {
    let br = find_last(pdf, b"/ByteRange").ok_or("no signature")?;
    let open = br
        + pdf[br..]
            .iter()
            .position(|b| *b == b'[')
            .ok_or("malformed /ByteRange")?;
    let close = open
        + pdf[open..]
            .iter()
            .position(|b| *b == b']')
            .ok_or("malformed /ByteRange")?;
    let nums: Vec<usize> = std::str::from_utf8(&pdf[open + 1..close])
        .map_err(err)?
        .split_whitespace()
        .map(|n| n.parse::<usize>().map_err(err))
        .collect::<Result<_, _>>()?;
    let [a, b, c, d] = nums[..] else {
        return Err("a /ByteRange has four numbers".into());
    };
    if a != 0 || c + d != pdf.len() || b >= c || pdf[b] != b'<' || pdf[c - 1] != b'>' {
        return Err(format!(
            "the byte range [{a} {b} {c} {d}] does not cover the whole file but /Contents"
        ));
    }
    let cms = hex::decode(&pdf[b + 1..c - 1]).map_err(err)?;
    // The hex string is zero-padded: decode the one DER value at its start.
    let info = ContentInfo::from_der(der::SliceReader::new(&cms).map_err(err).and_then(|mut r| {
        let header = der::Header::decode(&mut r).map_err(err)?;
        let len = usize::try_from(header.length).map_err(err)? + usize::try_from(r.position()).map_err(err)?;
        cms.get(..len).ok_or_else(|| "truncated CMS".to_string())
    })?)
    .map_err(err)?;
    let sd: SignedData = info.content.decode_as().map_err(err)?;
    let si = sd.signer_infos.0.iter().next().ok_or("no signer")?;
    let attrs = si.signed_attrs.as_ref().ok_or("no signed attributes")?;
    let mut h = Sha256::new();
    h.update(&pdf[a..a + b]);
    h.update(&pdf[c..c + d]);
    let digest: [u8; 32] = h.finalize().into();
    let md = attrs
        .iter()
        .find(|a| a.oid == oids::MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .ok_or("no messageDigest")?
        .decode_as::<OctetString>()
        .map_err(err)?;
    if md.as_bytes() != digest {
        return Err("the CMS does not carry the digest of the signed ranges".into());
    }
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &si.sid else {
        return Err("the signer is not named by issuer and serial".into());
    };
    let cert = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .find_map(|c| match c {
            CertificateChoices::Certificate(c)
                if c.tbs_certificate.serial_number == sid.serial_number && c.tbs_certificate.issuer == sid.issuer =>
            {
                Some(c)
            }
            _ => None,
        })
        .ok_or("the signer's certificate is missing")?;
    let key = VerifyingKey::from_sec1_bytes(
        cert.tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
    .map_err(err)?;
    let sig = Signature::from_der(si.signature.as_bytes()).map_err(err)?;
    key.verify(&attrs.to_der().map_err(err)?, &sig)
        .map_err(|e| format!("bad signature: {e}"))?;
    let ca_sig = Signature::from_der(cert.signature.raw_bytes()).map_err(err)?;
    qtsp.ca
        .key
        .verifying_key()
        .verify(&cert.tbs_certificate.to_der().map_err(err)?, &ca_sig)
        .map_err(|_| "the signer's certificate is not by the sandbox's issuing CA".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fiscal_code_of(cert: &Certificate) -> Option<String> {
        cert.tbs_certificate
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find_map(|atv| {
                (atv.oid == oids::SERIAL_NUMBER)
                    .then(|| atv.value.decode_as::<PrintableStringRef<'_>>().ok())
                    .flatten()
                    .and_then(|s| s.as_str().strip_prefix("TINIT-").map(str::to_string))
            })
    }

    #[test]
    fn the_authority_is_deterministic_and_chains_to_its_root() {
        let q = TestQtsp::from_secret(b"secret");
        assert_eq!(
            q.root_certificate_der(),
            TestQtsp::from_secret(b"secret").root_certificate_der()
        );
        assert_ne!(
            q.root_certificate_der(),
            TestQtsp::from_secret(b"other").root_certificate_der()
        );
        let root = Certificate::from_der(q.root_certificate_der()).unwrap();
        let ca = Certificate::from_der(q.issuing_ca_der()).unwrap();
        let tsa = Certificate::from_der(q.tsa_certificate_der()).unwrap();
        assert_eq!(ca.tbs_certificate.issuer, root.tbs_certificate.subject);
        assert_eq!(tsa.tbs_certificate.issuer, root.tbs_certificate.subject);
        let root_key = VerifyingKey::from_sec1_bytes(
            root.tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes(),
        )
        .unwrap();
        for c in [&root, &ca, &tsa] {
            let sig = Signature::from_der(c.signature.raw_bytes()).unwrap();
            root_key.verify(&c.tbs_certificate.to_der().unwrap(), &sig).unwrap();
        }
        assert!(root.tbs_certificate.subject.to_string().contains("not qualified"));
    }

    #[test]
    fn the_citizen_certificate_carries_the_fiscal_code_and_qc_statements() {
        let q = TestQtsp::from_secret(b"secret");
        let citizen = Citizen {
            name: "Mario Rossi".into(),
            given_name: Some("Mario".into()),
            surname: Some("Rossi".into()),
            fiscal_code: "RSSMRA80A01H501U".into(),
        };
        let at = time::macros::datetime!(2026-11-25 10:00 UTC);
        let cert = q
            .citizen_certificate(&citizen, at, &Variant::Genuine, b"x")
            .unwrap()
            .cert;
        assert_eq!(fiscal_code_of(&cert).as_deref(), Some("RSSMRA80A01H501U"));
        let subject = cert.tbs_certificate.subject.to_string();
        assert!(subject.contains("CN=Mario Rossi"), "{subject}");
        let exts = cert.tbs_certificate.extensions.unwrap();
        let qc = exts.iter().find(|e| e.extn_id == oids::QC_STATEMENTS).unwrap();
        let statements = Vec::<QcStatement>::from_der(qc.extn_value.as_bytes()).unwrap();
        let ids: Vec<_> = statements.iter().map(|s| s.statement_id).collect();
        assert_eq!(ids, [oids::QC_COMPLIANCE, oids::QC_SSCD, oids::QC_TYPE]);
        let types: Vec<ObjectIdentifier> = statements[2].statement_info.as_ref().unwrap().decode_as().unwrap();
        assert_eq!(types, [oids::QC_TYPE_ESIGN]);
        let ku = exts
            .iter()
            .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_KEY_USAGE)
            .unwrap();
        assert_eq!(
            KeyUsage::from_der(ku.extn_value.as_bytes()).unwrap().0,
            der::flagset::FlagSet::from(KeyUsages::NonRepudiation)
        );
        let validity = cert.tbs_certificate.validity;
        assert!(validity.not_before.to_unix_duration().as_secs() < 1_795_600_800);
        assert!(validity.not_after.to_unix_duration().as_secs() > 1_795_600_800);

        let other = q
            .citizen_certificate(&citizen, at, &Variant::OtherFiscalCode("VRDLGU75B02F205X".into()), b"x")
            .unwrap()
            .cert;
        assert_eq!(fiscal_code_of(&other).as_deref(), Some("VRDLGU75B02F205X"));
        let expired = q
            .citizen_certificate(&citizen, at, &Variant::ExpiredCertificate, b"x")
            .unwrap()
            .cert;
        assert!(expired.tbs_certificate.validity.not_after.to_unix_duration().as_secs() < 1_795_600_800);
    }

    #[test]
    fn the_cms_holds_the_chain_the_crls_and_a_timestamp_over_the_signature() {
        let q = TestQtsp::from_secret(b"secret");
        let digest = [7u8; 32];
        let cms = q
            .cms(
                &digest,
                &Citizen::from_fiscal_code("RSSMRA80A01H501U"),
                &Options::default(),
            )
            .unwrap();
        let sd: SignedData = ContentInfo::from_der(&cms).unwrap().content.decode_as().unwrap();
        assert_eq!(sd.certificates.as_ref().unwrap().0.len(), 3, "signer, issuing CA, root");
        let si = sd.signer_infos.0.iter().next().unwrap();
        let attrs = si.signed_attrs.as_ref().unwrap();
        let ids: Vec<_> = attrs.iter().map(|a| a.oid).collect();
        for oid in [
            oids::CONTENT_TYPE,
            oids::MESSAGE_DIGEST,
            oids::SIGNING_CERTIFICATE_V2,
            oids::ADBE_REVOCATION_INFO_ARCHIVAL,
        ] {
            assert!(ids.contains(&oid), "{oid} missing");
        }
        let archival: RevocationInfoArchival = attrs
            .iter()
            .find(|a| a.oid == oids::ADBE_REVOCATION_INFO_ARCHIVAL)
            .unwrap()
            .values
            .iter()
            .next()
            .unwrap()
            .decode_as()
            .unwrap();
        assert_eq!(archival.crl.unwrap().len(), 2, "the issuing CA's and the root's");
        let token: ContentInfo = si
            .unsigned_attrs
            .as_ref()
            .unwrap()
            .iter()
            .find(|a| a.oid == oids::SIGNATURE_TIME_STAMP_TOKEN)
            .unwrap()
            .values
            .iter()
            .next()
            .unwrap()
            .decode_as()
            .unwrap();
        let tsd: SignedData = token.content.decode_as().unwrap();
        let tst_der = tsd
            .encap_content_info
            .econtent
            .unwrap()
            .decode_as::<OctetString>()
            .unwrap();
        let tst = TstInfo::from_der(tst_der.as_bytes()).unwrap();
        assert_eq!(
            tst.message_imprint.hashed_message.as_bytes(),
            Sha256::digest(si.signature.as_bytes()).as_slice()
        );
    }
}
