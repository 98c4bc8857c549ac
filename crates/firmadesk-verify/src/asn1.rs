//! The few ASN.1 types of PAdES the RustCrypto crates do not carry, declared with `der`'s derive, and the
//! object identifiers the verifier looks for.

use der::asn1::{Any, ObjectIdentifier as Oid, OctetString};
use der::Sequence;
use spki::AlgorithmIdentifierOwned;
use x509_cert::crl::CertificateList;

/// id-signedData.
pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// id-sha256.
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
/// ecdsa-with-SHA256.
pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
/// id-ecPublicKey.
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// secp256r1.
pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
/// rsaEncryption.
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// sha256WithRSAEncryption.
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
/// messageDigest attribute.
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// id-aa-signingCertificateV2.
pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-signatureTimeStampToken.
pub const SIGNATURE_TIME_STAMP_TOKEN: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// id-ct-TSTInfo.
pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// adbe-revocationInfoArchival.
pub const ADBE_REVOCATION_INFO_ARCHIVAL: Oid = Oid::new_unwrap("1.2.840.113583.1.1.8");
/// The subject's serialNumber attribute (`TINIT-<codice fiscale>` in Italian qualified certificates).
pub const SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
/// The subject's commonName.
pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
/// The subject's givenName.
pub const GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
/// The subject's surname.
pub const SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
/// id-kp-timeStamping.
pub const TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");

/// ESSCertIDv2 (RFC 5035); no hashAlgorithm means SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// The hash algorithm when it is not SHA-256.
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// Hash of the certificate.
    pub cert_hash: OctetString,
    /// IssuerSerial, not decoded.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<Any>,
}

/// SigningCertificateV2 (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// The signer's certificate first.
    pub certs: Vec<EssCertIdV2>,
    /// Policies, not decoded.
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// RevocationInfoArchival (ISO 32000-1, 12.8.3.3.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct RevocationInfoArchival {
    /// CRLs.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub crl: Option<Vec<CertificateList>>,
    /// OCSP responses, not decoded (the verifier reads CRLs only).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub ocsp: Option<Vec<Any>>,
    /// Other revocation info, not decoded.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub other: Option<Any>,
}
