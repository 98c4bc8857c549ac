//! Verification of signed PDFs (PAdES, as Firma con IO returns them), in no language: a [`Report`] with a
//! [`Verdict`], one [`SignatureReport`] per signature and [`Finding`]s, each with a stable [`Code`] the app
//! words in the clerk's language (catalogue ids `verify-<code>`).
//!
//! For every signature: the ByteRange covers the whole file but `/Contents`, or what follows is an
//! incremental update (reported, an error when it changes a page); the CMS's messageDigest is the digest of
//! the range and its signature over the signed attributes verifies with the signer's key (ECDSA P-256 or
//! RSA PKCS#1 v1.5, SHA-256); the signer's certificate is the one signingCertificateV2 names, chains to one
//! of the trust anchors, every certificate's signature verifying, and each is valid at the signing time;
//! the signing time is the RFC 3161 signature timestamp's genTime when there is one (its messageImprint and
//! its TSA's signature and chain checked) and [`Expect::at`] otherwise; revocation is read from the
//! embedded material (CRLs in `adbe-revocationInfoArchival`, in the SignedData, or in the PDF's `/DSS`).
//! Then the document: the fiscal code from the signer's `TINIT-` serial number, the original revision's
//! SHA-256, and the required signature fields.
//!
//! The caller walks the PDF with `firmadesk_pdf::structure::scan` first, as for every PDF given to lopdf.

mod asn1;
mod crypto;
mod pdf;
pub mod trusted_list;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What the caller knows the document should be.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// The signer's codice fiscale (the request's), if known.
    pub fiscal_code: Option<String>,
    /// SHA-256 of the document as uploaded: the signed file must start with it, byte for byte.
    pub original_sha256: Option<[u8; 32]>,
    /// Signature fields that must be present and signed.
    pub fields: Vec<RequiredField>,
    /// Trust anchors (DER certificates). Empty: trust is not checked — every other check of the chains
    /// (signatures, validity, revocation) still runs, and an unknown root is the warning
    /// [`Code::TrustNotChecked`] instead of the error [`Code::UntrustedIssuer`] (for profiles with no trust
    /// list yet: the verdict must not call a signature invalid for lack of anchors).
    pub trust_anchors: Vec<Vec<u8>>,
    /// When each anchor taken from a trusted list was qualified ([`trusted_list::anchors`]): a chain that
    /// ends at one of them is trusted only for a signing time inside one of its periods, else
    /// [`Code::UntrustedIssuer`]. Anchors not listed here (the sandbox's test root) are trusted whenever the
    /// chain is valid.
    pub anchor_periods: Vec<trusted_list::ListedAnchor>,
    /// The time to check certificates at when a signature has no valid timestamp (now when `None`).
    pub at: Option<OffsetDateTime>,
}

/// A signature field the request asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum RequiredField {
    /// An existing field, by its fully qualified name.
    Named(String),
    /// A field created at coordinates: the page (1-based) and the rectangle in PDF user space
    /// (`[llx, lly, urx, ury]`, origin bottom-left). A signed signature widget, or an annotation a signed
    /// revision added, that overlaps it satisfies it.
    Placed {
        /// Page number, from 1.
        page: u32,
        /// `[llx, lly, urx, ury]`.
        rect: [f64; 4],
    },
    /// A field created at coordinates as IO Sign takes them (its `SignatureFieldToBeCreatedAttrs`): the
    /// 0-based page and the box from the top-left corner of the page's MediaBox, y growing downward, in
    /// points. Read as [`RequiredField::Placed`] on that page's MediaBox.
    FromTop {
        /// Page index, from 0.
        page: u32,
        /// Distance from the MediaBox's left edge.
        x: f64,
        /// Distance from the MediaBox's top edge, downward.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
}

/// The overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// "Firma valida".
    Valid,
    /// "Firma valida, avvisi".
    ValidWithWarnings,
    /// "Firma non valida".
    Invalid,
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Makes the verdict Invalid.
    Error,
    /// Makes a valid verdict ValidWithWarnings.
    Warning,
}

/// The stable reason of a finding (`as_str` is its wire and catalogue name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The file is not a PDF lopdf can read.
    NotAPdf,
    /// No signature in the file.
    NoSignature,
    /// The signature dictionary or its CMS cannot be read.
    SignatureMalformed,
    /// An algorithm the verifier does not support (only SHA-256 with ECDSA P-256 or RSA PKCS#1 v1.5).
    UnsupportedAlgorithm,
    /// The CMS's messageDigest is not the digest of the bytes the ByteRange covers.
    DigestMismatch,
    /// The signature over the signed attributes does not verify with the signer's key, or the signer's
    /// certificate is not the one the signature names.
    SignatureInvalid,
    /// The ByteRange leaves bytes other than the signature value uncovered.
    ByteRangeGap,
    /// An incremental update after the signature changes a page.
    PageChangedAfterSigning,
    /// An incremental update after the signature that changes no page (a warning).
    UpdatedAfterSigning,
    /// The file carries more than one signature (a warning).
    AnotherSignature,
    /// The certificate's fiscal code is not the expected one.
    FiscalCodeMismatch,
    /// The certificate carries no `TINIT-` fiscal code.
    FiscalCodeMissing,
    /// The certificate does not chain to a trust anchor.
    UntrustedIssuer,
    /// No trust anchors were given: the chain's trust was not checked (a warning).
    TrustNotChecked,
    /// A certificate of the chain has a signature that does not verify.
    CertificateSignatureInvalid,
    /// A certificate of the chain had expired at the signing time.
    CertificateExpired,
    /// A certificate of the chain was not yet valid at the signing time.
    CertificateNotYetValid,
    /// A certificate of the chain was revoked before the signing time.
    Revoked,
    /// No embedded revocation information for a certificate of the chain (a warning).
    RevocationUnknown,
    /// No signature timestamp: the signing time is the verification time (a warning).
    NoTimestamp,
    /// The signature timestamp does not verify (imprint, TSA signature or chain).
    TimestampInvalid,
    /// The file does not start with the uploaded document.
    OriginalChanged,
    /// A required signature field is missing.
    FieldMissing,
    /// A required signature field is present but not signed.
    FieldUnsigned,
}

impl Code {
    /// Every code, for catalogues and tests.
    pub const ALL: [Code; 24] = [
        Code::NotAPdf,
        Code::NoSignature,
        Code::SignatureMalformed,
        Code::UnsupportedAlgorithm,
        Code::DigestMismatch,
        Code::SignatureInvalid,
        Code::ByteRangeGap,
        Code::PageChangedAfterSigning,
        Code::UpdatedAfterSigning,
        Code::AnotherSignature,
        Code::FiscalCodeMismatch,
        Code::FiscalCodeMissing,
        Code::UntrustedIssuer,
        Code::TrustNotChecked,
        Code::CertificateSignatureInvalid,
        Code::CertificateExpired,
        Code::CertificateNotYetValid,
        Code::Revoked,
        Code::RevocationUnknown,
        Code::NoTimestamp,
        Code::TimestampInvalid,
        Code::OriginalChanged,
        Code::FieldMissing,
        Code::FieldUnsigned,
    ];

    /// The code named `name` ([`Code::as_str`]), for reports read back from storage.
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The stable name (snake_case), e.g. `digest_mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotAPdf => "not_a_pdf",
            Code::NoSignature => "no_signature",
            Code::SignatureMalformed => "signature_malformed",
            Code::UnsupportedAlgorithm => "unsupported_algorithm",
            Code::DigestMismatch => "digest_mismatch",
            Code::SignatureInvalid => "signature_invalid",
            Code::ByteRangeGap => "byte_range_gap",
            Code::PageChangedAfterSigning => "page_changed_after_signing",
            Code::UpdatedAfterSigning => "updated_after_signing",
            Code::AnotherSignature => "another_signature",
            Code::FiscalCodeMismatch => "fiscal_code_mismatch",
            Code::FiscalCodeMissing => "fiscal_code_missing",
            Code::UntrustedIssuer => "untrusted_issuer",
            Code::TrustNotChecked => "trust_not_checked",
            Code::CertificateSignatureInvalid => "certificate_signature_invalid",
            Code::CertificateExpired => "certificate_expired",
            Code::CertificateNotYetValid => "certificate_not_yet_valid",
            Code::Revoked => "revoked",
            Code::RevocationUnknown => "revocation_unknown",
            Code::NoTimestamp => "no_timestamp",
            Code::TimestampInvalid => "timestamp_invalid",
            Code::OriginalChanged => "original_changed",
            Code::FieldMissing => "field_missing",
            Code::FieldUnsigned => "field_unsigned",
        }
    }
}

/// One reason, with the technical detail (English, for logs and IT staff; never shown as the reason).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The reason.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Index of the signature in [`Report::signatures`], when it is about one.
    pub signature: Option<usize>,
    /// Technical detail.
    pub detail: String,
}

/// What follows a signature's signed range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Follows {
    /// The signature covers the whole file.
    Nothing,
    /// An incremental update (or more) of `bytes` bytes.
    IncrementalUpdate {
        /// Length of what follows.
        bytes: usize,
        /// Pages whose content, resources or size changed (1-based), or `page count` changes.
        changed_pages: Vec<u32>,
        /// Signatures the update adds.
        signatures_added: usize,
        /// The objects it adds or changes, by `/Type` (or `/Subtype`) name, e.g. `Annot`, `Sig`, `Catalog`.
        changed_objects: Vec<String>,
    },
}

/// The chain of the signer's certificate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    /// Subjects from the signer's certificate up to the last one found.
    pub path: Vec<String>,
    /// The path ends at a trust anchor, every signature verifying (false too when trust was not checked).
    pub trusted: bool,
}

/// Revocation status from the embedded material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Revocation {
    /// Every certificate of the chain under the anchor is covered by a CRL that does not list it.
    Good,
    /// A certificate is listed as revoked before the signing time.
    Revoked,
    /// Some certificate has no embedded CRL.
    Unknown,
}

/// One signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignatureReport {
    /// The signature field's name.
    pub field: String,
    /// The signer certificate's subject (RFC 4514), when the CMS could be read.
    pub subject: Option<String>,
    /// The signer's name: the subject's givenName and surname, else its commonName.
    pub name: Option<String>,
    /// The fiscal code from the subject's `TINIT-` serial number.
    pub fiscal_code: Option<String>,
    /// The signing time (RFC 3339): the timestamp's genTime, else the verification time.
    pub signing_time: Option<String>,
    /// The signing time comes from a valid signature timestamp.
    pub timestamped: bool,
    /// The `/ByteRange`.
    pub byte_range: Vec<u64>,
    /// The ByteRange covers everything up to its end but the signature value.
    pub contiguous: bool,
    /// What follows the signed range.
    pub follows: Follows,
    /// Certificate chain.
    pub chain: Chain,
    /// Revocation status.
    pub revocation: Revocation,
    /// The integrity and signature checks passed (digest and signature value).
    pub intact: bool,
}

/// The whole verification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// Signatures in file order.
    pub signatures: Vec<SignatureReport>,
    /// Every finding, of the signatures and of the document.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether a finding with `code` was made.
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// The codes of the findings, in order.
    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn all_lists_every_code_once_and_names_parse_back() {
        // A new variant fails this match until it is listed in ALL too.
        let listed = |c: Code| match c {
            Code::NotAPdf
            | Code::NoSignature
            | Code::SignatureMalformed
            | Code::UnsupportedAlgorithm
            | Code::DigestMismatch
            | Code::SignatureInvalid
            | Code::ByteRangeGap
            | Code::PageChangedAfterSigning
            | Code::UpdatedAfterSigning
            | Code::AnotherSignature
            | Code::FiscalCodeMismatch
            | Code::FiscalCodeMissing
            | Code::UntrustedIssuer
            | Code::TrustNotChecked
            | Code::CertificateSignatureInvalid
            | Code::CertificateExpired
            | Code::CertificateNotYetValid
            | Code::Revoked
            | Code::RevocationUnknown
            | Code::NoTimestamp
            | Code::TimestampInvalid
            | Code::OriginalChanged
            | Code::FieldMissing
            | Code::FieldUnsigned => Code::ALL.contains(&c),
        };
        assert!(Code::ALL.into_iter().all(listed));
        let names: std::collections::BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len(), "names are unique");
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
        }
        assert_eq!(Code::parse("nonsense"), None);
    }
}

/// Collects findings.
#[derive(Default)]
pub(crate) struct Findings(pub Vec<Finding>);

impl Findings {
    pub(crate) fn error(&mut self, signature: Option<usize>, code: Code, detail: impl Into<String>) {
        self.0.push(Finding {
            code,
            severity: Severity::Error,
            signature,
            detail: detail.into(),
        });
    }

    pub(crate) fn warning(&mut self, signature: Option<usize>, code: Code, detail: impl Into<String>) {
        self.0.push(Finding {
            code,
            severity: Severity::Warning,
            signature,
            detail: detail.into(),
        });
    }
}

/// Of `candidates` (the SHA-256 of the documents a send uploaded), the one a revision of `pdf` is, byte for
/// byte: what to pass as [`Expect::original_sha256`] when a request had several documents.
pub fn original_among(pdf: &[u8], candidates: &[[u8; 32]]) -> Option<[u8; 32]> {
    use sha2::{Digest, Sha256};
    let ends = pdf::revision_ends(pdf);
    ends.into_iter()
        .map(|end| <[u8; 32]>::from(Sha256::digest(&pdf[..end])))
        .find(|h| candidates.contains(h))
}

/// Verifies every signature of `pdf` against `expect`.
pub fn verify(pdf: &[u8], expect: &Expect) -> Report {
    let mut findings = Findings::default();
    let signatures = pdf::verify_document(pdf, expect, &mut findings);
    let verdict = if findings.0.iter().any(|f| f.severity == Severity::Error) {
        Verdict::Invalid
    } else if findings.0.is_empty() {
        Verdict::Valid
    } else {
        Verdict::ValidWithWarnings
    };
    Report {
        verdict,
        signatures,
        findings: findings.0,
    }
}
