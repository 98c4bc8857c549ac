//! Wire types of the IO Sign issuer API (spec v1.2.1), shared by the client and the sandbox.
//!
//! Every type is named after the schema of the same name in `spec/openapi.yaml` and serializes
//! exactly as the spec says: snake_case field names, optional fields omitted when absent
//! (`Option::None` is never written as `null`).
//!
//! # Choices worth knowing
//!
//! - **Ids are plain `String`s** (aliased as [`Id`] for documentation). The service treats them as
//!   opaque non-empty strings (ULIDs for dossiers, requests and documents, UUID tokens for
//!   signers); newtypes would only add `.0` and `From` noise on both sides of the wire.
//! - **Timestamps** are [`time::OffsetDateTime`] ([`Timestamp`]). They are written in UTC with
//!   milliseconds and a `Z` (`2018-10-13T00:00:00.000Z`, like the service) and read from any
//!   RFC 3339 string, offsets included (the service accepts `+hh:mm` input).
//! - **Extensible enums** ([`SignatureRequestStatus`], [`DocumentStatus`]) carry an `Unknown(String)`
//!   variant: the spec marks them `x-extensible-enum` and the public docs already mention
//!   `WAIT_FOR_QTSP`, which a strict enum would turn into a decode failure of a whole poll.
//! - [`DocumentDetailView`] is a struct with the common fields plus a [`DocumentState`] that is
//!   tagged by `status` on the wire, so callers can read `doc.id` without matching first.
//! - [`GetSignerByFiscalCodeBody::fiscal_code`] is a `String` on the wire: the service checks only
//!   the format (see [`crate::fiscal_code::matches_service_format`]) and a server built on these
//!   types must be able to receive codes that a strict [`crate::FiscalCode`] would refuse.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An entity id (dossier, signature request, document, signer). Opaque, non-empty.
pub type Id = String;

/// A point in time on the wire (see [`timestamp`] for the format).
pub type Timestamp = time::OffsetDateTime;

/// The SAS URL returned by `GET .../upload_url` (a JSON string on the wire).
pub type UploadUrl = String;

/// Serde helpers for [`Timestamp`] fields: RFC 3339 in, UTC with `Z` and milliseconds out.
///
/// Use as `#[serde(with = "iosign::types::timestamp")]` (or `timestamp::option` for
/// `Option<Timestamp>`).
pub mod timestamp {
    use super::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    use time::UtcOffset;

    /// Formats a timestamp the way the service does: `2018-10-13T00:00:00.000Z`.
    pub fn format(ts: &Timestamp) -> String {
        let utc = ts.to_offset(UtcOffset::UTC);
        // The description is a compile-time constant and every field is in range for a UTC
        // date with a four-digit year, so formatting cannot fail; fall back to RFC 3339 for
        // the (year > 9999) cases rather than panic.
        utc.format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .or_else(|_| utc.format(&Rfc3339))
        .unwrap_or_default()
    }

    /// Parses an RFC 3339 timestamp (`Z` or `±hh:mm` offset).
    pub fn parse(s: &str) -> Result<Timestamp, time::error::Parse> {
        Timestamp::parse(s, &Rfc3339)
    }

    /// Serializes a timestamp (see [`format()`]).
    pub fn serialize<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(ts))
    }

    /// Deserializes an RFC 3339 timestamp.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        parse(&s).map_err(|e| serde::de::Error::custom(format!("invalid timestamp {s:?}: {e}")))
    }

    /// The same, for `Option<Timestamp>` fields (pair with `default` and
    /// `skip_serializing_if = "Option::is_none"`).
    pub mod option {
        use super::Timestamp;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some` as a timestamp string and `None` as `null`.
        pub fn serialize<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match ts {
                Some(ts) => super::serialize(ts, s),
                None => s.serialize_none(),
            }
        }

        /// Deserializes an optional RFC 3339 timestamp (`null` → `None`).
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            let s = Option::<std::borrow::Cow<str>>::deserialize(d)?;
            s.map(|s| super::parse(&s).map_err(|e| serde::de::Error::custom(format!("invalid timestamp {s:?}: {e}"))))
                .transpose()
        }
    }
}

/// Declares a string enum whose unknown values are kept instead of rejected.
macro_rules! extensible_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know (the spec marks the enum extensible).
            Unknown(String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(s) => s,
                }
            }

            /// Maps a wire value; unknown values become `Unknown`.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<str>::deserialize(d)?;
                Ok(Self::from_wire(&s))
            }
        }
    };
}

extensible_enum! {
    /// Status of a signature request as the issuer sees it.
    SignatureRequestStatus {
        /// Created; documents are being uploaded and validated.
        Draft => "DRAFT",
        /// Published; IO is preparing the citizen's copy.
        Ready => "READY",
        /// The citizen can sign (QR code available, IO message may be sent).
        WaitForSignature => "WAIT_FOR_SIGNATURE",
        /// Signed; documents carry a short-lived download URL (terminal).
        Signed => "SIGNED",
        /// Signing failed technically (not a refusal by the citizen; terminal).
        Rejected => "REJECTED",
        /// Cancelled by the issuer (terminal).
        Cancelled => "CANCELLED",
    }
}

impl SignatureRequestStatus {
    /// Whether no further transition can happen.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Signed | Self::Rejected | Self::Cancelled)
    }
}

extensible_enum! {
    /// Status of one document of a signature request.
    DocumentStatus {
        /// Waiting for the PDF to be uploaded to the blob URL.
        WaitForUpload => "WAIT_FOR_UPLOAD",
        /// Uploaded; the service is checking it.
        WaitForValidation => "WAIT_FOR_VALIDATION",
        /// Valid (or, once the request is signed, signed).
        Ready => "READY",
        /// Refused by validation (see `reject_reason`).
        Rejected => "REJECTED",
    }
}

/// The body of `PUT /signature-requests/{id}/status`: a bare JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SetSignatureRequestStatusBody {
    /// Publish a `DRAFT` request whose documents are all `READY`.
    Ready,
    /// Cancel a request in `WAIT_FOR_SIGNATURE`.
    Cancelled,
}

/// An RFC 7807 problem, as the service returns it for errors (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProblemDetail {
    /// Problem type URI, e.g. `/problem/validation-error`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Short summary, e.g. `Validation Error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// HTTP status repeated in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Human-readable explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// URI of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Validation violations (422). Not in the spec; the service sends strings or objects,
    /// so they are kept as raw JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violations: Option<Vec<serde_json::Value>>,
}

/// Clause attached to a signature field: its title in the IO app and how binding it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    /// Shown to the citizen (5..80 characters).
    pub title: String,
    /// Obligation of the clause.
    #[serde(rename = "type")]
    pub type_: ClauseType,
}

/// How binding a clause is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClauseType {
    /// Obbligatoria.
    Required,
    /// Vessatoria (specifically approved, artt. 1341-1342 c.c.).
    Unfair,
    /// Facoltativa: the citizen may skip it.
    Optional,
}

/// A signature field that already exists in the PDF as an AcroForm signature field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingSignatureFieldAttrs {
    /// The field's fully qualified name in the PDF.
    pub unique_name: String,
}

/// Top-left corner of a field to be created, in PDF points from the top-left of the page,
/// y growing downward.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// Distance from the left edge, in points.
    pub x: f64,
    /// Distance from the top edge, in points.
    pub y: f64,
}

/// Size of a field to be created, in PDF points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Size {
    /// Width in points.
    pub w: f64,
    /// Height in points.
    pub h: f64,
}

/// A signature field the QTSP creates at signing time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SignatureFieldToBeCreatedAttrs {
    /// Top-left corner (see [`Coordinates`]).
    pub coordinates: Coordinates,
    /// 0-based page index.
    pub page: u32,
    /// Box size.
    pub size: Size,
}

/// Where a signature goes: an existing AcroForm field or a box to create.
///
/// Untagged on the wire (`oneOf` in the spec): the shape decides the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SignatureFieldAttrs {
    /// `{"unique_name": ...}`
    Existing(ExistingSignatureFieldAttrs),
    /// `{"coordinates": ..., "page": ..., "size": ...}`
    ToBeCreated(SignatureFieldToBeCreatedAttrs),
}

/// One signature the citizen applies to a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureField {
    /// Where the signature goes.
    pub attrs: SignatureFieldAttrs,
    /// What the citizen is told they are signing.
    pub clause: Clause,
}

/// Title and signature fields of one document of a dossier or request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentMetadata {
    /// Document title (3..60 characters).
    pub title: String,
    /// Signature fields; optional on the wire, read as empty when absent.
    #[serde(default)]
    pub signature_fields: Vec<SignatureField>,
}

/// Body of `POST /dossiers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateDossierBody {
    /// Shown in the citizen's IO message (at least 3 characters).
    pub title: String,
    /// Overrides the institution's support email for this dossier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// One entry per document (non-empty).
    pub documents_metadata: Vec<DocumentMetadata>,
}

/// A dossier: a reusable template of documents and signature fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierDetailView {
    /// Dossier id.
    pub id: Id,
    /// Title.
    pub title: String,
    /// Support email shown to citizens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// Documents.
    pub documents_metadata: Vec<DocumentMetadata>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: Timestamp,
    /// Last update time.
    #[serde(with = "timestamp")]
    pub updated_at: Timestamp,
}

/// Body of `POST /signers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetSignerByFiscalCodeBody {
    /// The citizen's fiscal code, uppercase (see the module doc for why it is a `String`).
    pub fiscal_code: String,
}

impl From<&crate::FiscalCode> for GetSignerByFiscalCodeBody {
    fn from(cf: &crate::FiscalCode) -> Self {
        Self {
            fiscal_code: cf.as_str().to_owned(),
        }
    }
}

/// Response of `POST /signers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerDetailView {
    /// Opaque signer id (stable per fiscal code).
    pub id: Id,
}

/// Body of `POST /signature-requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateSignatureRequestBody {
    /// The dossier the request is made from.
    pub dossier_id: Id,
    /// From `POST /signers`.
    pub signer_id: Id,
    /// Deadline shown to the citizen (default: now + 90 days).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    pub expires_at: Option<Timestamp>,
    /// Replaces the dossier's documents for this request only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents_metadata: Option<Vec<DocumentMetadata>>,
}

/// Response of `PUT .../notification`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationDetailView {
    /// Id of the IO message sent to the citizen.
    pub io_message_id: String,
}

/// Status-dependent part of a [`DocumentDetailView`], tagged by `status` on the wire.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DocumentState {
    /// `WAIT_FOR_UPLOAD`
    WaitForUpload,
    /// `WAIT_FOR_VALIDATION`
    WaitForValidation {
        /// When the blob arrived.
        uploaded_at: Timestamp,
    },
    /// `READY`
    Ready {
        /// When the blob arrived.
        uploaded_at: Timestamp,
        /// Validated blob URL; once the request is `SIGNED`, a 5-minute read SAS URL of the
        /// signed PDF.
        url: String,
    },
    /// `REJECTED`
    Rejected {
        /// When the blob arrived.
        uploaded_at: Timestamp,
        /// When validation failed.
        rejected_at: Timestamp,
        /// Newline-joined violations.
        reject_reason: String,
    },
    /// A status this version does not know; its extra fields are dropped.
    Unknown(String),
}

impl DocumentState {
    /// The `status` value on the wire.
    pub fn status(&self) -> DocumentStatus {
        match self {
            Self::WaitForUpload => DocumentStatus::WaitForUpload,
            Self::WaitForValidation { .. } => DocumentStatus::WaitForValidation,
            Self::Ready { .. } => DocumentStatus::Ready,
            Self::Rejected { .. } => DocumentStatus::Rejected,
            Self::Unknown(s) => DocumentStatus::Unknown(s.clone()),
        }
    }
}

/// A document of a signature request (`oneOf` by `status` in the spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawDocument", into = "RawDocument")]
pub struct DocumentDetailView {
    /// Document id.
    pub id: Id,
    /// Title and signature fields.
    pub metadata: DocumentMetadata,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
    /// Status and the fields that come with it.
    pub state: DocumentState,
}

impl DocumentDetailView {
    /// The document's status.
    pub fn status(&self) -> DocumentStatus {
        self.state.status()
    }

    /// The document URL, present only in `READY`.
    pub fn url(&self) -> Option<&str> {
        match &self.state {
            DocumentState::Ready { url, .. } => Some(url),
            _ => None,
        }
    }
}

/// Flat wire shape of [`DocumentDetailView`]; per-status required fields are checked on
/// conversion, which gives clearer errors than serde's internally-tagged enums and keeps
/// unknown statuses.
#[derive(Serialize, Deserialize)]
struct RawDocument {
    id: Id,
    status: DocumentStatus,
    metadata: DocumentMetadata,
    #[serde(with = "timestamp")]
    created_at: Timestamp,
    #[serde(with = "timestamp")]
    updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    uploaded_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    rejected_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reject_reason: Option<String>,
}

impl TryFrom<RawDocument> for DocumentDetailView {
    type Error = String;

    fn try_from(raw: RawDocument) -> Result<Self, String> {
        let missing = |field: &str| format!("document in status {} without `{field}`", raw.status);
        let state = match &raw.status {
            DocumentStatus::WaitForUpload => DocumentState::WaitForUpload,
            DocumentStatus::WaitForValidation => DocumentState::WaitForValidation {
                uploaded_at: raw.uploaded_at.ok_or_else(|| missing("uploaded_at"))?,
            },
            DocumentStatus::Ready => DocumentState::Ready {
                uploaded_at: raw.uploaded_at.ok_or_else(|| missing("uploaded_at"))?,
                url: raw.url.clone().ok_or_else(|| missing("url"))?,
            },
            DocumentStatus::Rejected => DocumentState::Rejected {
                uploaded_at: raw.uploaded_at.ok_or_else(|| missing("uploaded_at"))?,
                rejected_at: raw.rejected_at.ok_or_else(|| missing("rejected_at"))?,
                reject_reason: raw.reject_reason.clone().ok_or_else(|| missing("reject_reason"))?,
            },
            DocumentStatus::Unknown(s) => DocumentState::Unknown(s.clone()),
        };
        Ok(Self {
            id: raw.id,
            metadata: raw.metadata,
            created_at: raw.created_at,
            updated_at: raw.updated_at,
            state,
        })
    }
}

impl From<DocumentDetailView> for RawDocument {
    fn from(doc: DocumentDetailView) -> Self {
        let status = doc.status();
        let mut raw = RawDocument {
            id: doc.id,
            status,
            metadata: doc.metadata,
            created_at: doc.created_at,
            updated_at: doc.updated_at,
            uploaded_at: None,
            url: None,
            rejected_at: None,
            reject_reason: None,
        };
        match doc.state {
            DocumentState::WaitForUpload | DocumentState::Unknown(_) => {}
            DocumentState::WaitForValidation { uploaded_at } => raw.uploaded_at = Some(uploaded_at),
            DocumentState::Ready { uploaded_at, url } => {
                raw.uploaded_at = Some(uploaded_at);
                raw.url = Some(url);
            }
            DocumentState::Rejected {
                uploaded_at,
                rejected_at,
                reject_reason,
            } => {
                raw.uploaded_at = Some(uploaded_at);
                raw.rejected_at = Some(rejected_at);
                raw.reject_reason = Some(reject_reason);
            }
        }
        raw
    }
}

/// A signature request in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureRequestDetailView {
    /// Request id.
    pub id: Id,
    /// Status.
    pub status: SignatureRequestStatus,
    /// Source dossier.
    pub dossier_id: Id,
    /// Signer.
    pub signer_id: Id,
    /// Deadline.
    #[serde(with = "timestamp")]
    pub expires_at: Timestamp,
    /// Documents, in the order of the metadata.
    pub documents: Vec<DocumentDetailView>,
    /// The IO message, once sent (not shown in `CANCELLED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<NotificationDetailView>,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: Timestamp,
    /// Last update time.
    #[serde(with = "timestamp")]
    pub updated_at: Timestamp,
    /// Set in `SIGNED`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    pub signed_at: Option<Timestamp>,
    /// Set in `REJECTED`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    pub rejected_at: Option<Timestamp>,
    /// Set in `REJECTED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
    /// Set in `WAIT_FOR_SIGNATURE`: PNG of the QR code to show at the counter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_code_url: Option<String>,
    /// Set in `CANCELLED`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    pub cancelled_at: Option<Timestamp>,
}

/// A signature request in a dossier listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureRequestListView {
    /// Request id.
    pub id: Id,
    /// Signer.
    pub signer_id: Id,
    /// Source dossier.
    pub dossier_id: Id,
    /// Status.
    pub status: SignatureRequestStatus,
    /// Creation time.
    #[serde(with = "timestamp")]
    pub created_at: Timestamp,
    /// Last update time.
    #[serde(with = "timestamp")]
    pub updated_at: Timestamp,
    /// Deadline.
    #[serde(with = "timestamp")]
    pub expires_at: Timestamp,
}

/// One page of `GET /dossiers/{id}/signature-requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureRequestList {
    /// The requests of this page.
    pub items: Vec<SignatureRequestListView>,
    /// Opaque token for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
}

/// Response of `POST /validate-document`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentValidationResult {
    /// Whether the PDF and fields would pass the service's checks.
    pub is_valid: bool,
    /// Why not, one message per problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violations: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use time::macros::datetime;

    fn to_value<T: Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap()
    }

    fn field(x: f64, y: f64) -> SignatureField {
        SignatureField {
            attrs: SignatureFieldAttrs::ToBeCreated(SignatureFieldToBeCreatedAttrs {
                coordinates: Coordinates { x, y },
                page: 0,
                size: Size { w: 150.0, h: 40.5 },
            }),
            clause: Clause {
                title: "Firma del contraente".into(),
                type_: ClauseType::Required,
            },
        }
    }

    #[test]
    fn create_dossier_body_serializes_as_the_spec_and_omits_absent_fields() {
        let body = CreateDossierBody {
            title: "Accordo di collaborazione".into(),
            support_email: None,
            documents_metadata: vec![DocumentMetadata {
                title: "Accordo".into(),
                signature_fields: vec![
                    field(72.0, 700.0),
                    SignatureField {
                        attrs: SignatureFieldAttrs::Existing(ExistingSignatureFieldAttrs {
                            unique_name: "Signature1".into(),
                        }),
                        clause: Clause {
                            title: "Clausole vessatorie".into(),
                            type_: ClauseType::Unfair,
                        },
                    },
                ],
            }],
        };
        assert_eq!(
            to_value(&body),
            json!({
                "title": "Accordo di collaborazione",
                "documents_metadata": [{
                    "title": "Accordo",
                    "signature_fields": [
                        {
                            "attrs": {"coordinates": {"x": 72.0, "y": 700.0}, "page": 0, "size": {"w": 150.0, "h": 40.5}},
                            "clause": {"title": "Firma del contraente", "type": "REQUIRED"}
                        },
                        {
                            "attrs": {"unique_name": "Signature1"},
                            "clause": {"title": "Clausole vessatorie", "type": "UNFAIR"}
                        }
                    ]
                }]
            })
        );
        let back: CreateDossierBody = serde_json::from_value(to_value(&body)).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn signature_field_attrs_variant_is_chosen_by_shape() {
        let existing: SignatureFieldAttrs = serde_json::from_value(json!({"unique_name": "Firma1"})).unwrap();
        assert!(matches!(existing, SignatureFieldAttrs::Existing(e) if e.unique_name == "Firma1"));
        let created: SignatureFieldAttrs = serde_json::from_value(
            json!({"coordinates": {"x": 10, "y": 20.5}, "page": 2, "size": {"w": 100, "h": 30}}),
        )
        .unwrap();
        assert_eq!(
            created,
            SignatureFieldAttrs::ToBeCreated(SignatureFieldToBeCreatedAttrs {
                coordinates: Coordinates { x: 10.0, y: 20.5 },
                page: 2,
                size: Size { w: 100.0, h: 30.0 },
            })
        );
        assert!(serde_json::from_value::<SignatureFieldAttrs>(json!({"page": 1})).is_err());
        // Metadata without fields reads as an empty list.
        let meta: DocumentMetadata = serde_json::from_value(json!({"title": "Doc"})).unwrap();
        assert!(meta.signature_fields.is_empty());
        assert!(serde_json::from_value::<Clause>(json!({"title": "Firma", "type": "MAYBE"})).is_err());
        assert_eq!(to_value(&ClauseType::Optional), json!("OPTIONAL"));
    }

    #[test]
    fn timestamps_go_out_in_utc_with_millis_and_come_in_with_any_offset() {
        let body = CreateSignatureRequestBody {
            dossier_id: "01D".into(),
            signer_id: "s-1".into(),
            expires_at: Some(datetime!(2026-12-31 23:59:59.5 +01:00)),
            documents_metadata: None,
        };
        assert_eq!(
            to_value(&body),
            json!({"dossier_id": "01D", "signer_id": "s-1", "expires_at": "2026-12-31T22:59:59.500Z"})
        );
        let back: CreateSignatureRequestBody = serde_json::from_value(json!({
            "dossier_id": "01D", "signer_id": "s-1", "expires_at": "2027-01-01T00:59:59.5+02:00"
        }))
        .unwrap();
        assert_eq!(back.expires_at, Some(datetime!(2026-12-31 22:59:59.5 UTC)));
        assert!(serde_json::from_value::<CreateSignatureRequestBody>(
            json!({"dossier_id": "a", "signer_id": "b", "expires_at": "31/12/2026"})
        )
        .is_err());
        let bare: CreateSignatureRequestBody =
            serde_json::from_value(json!({"dossier_id": "a", "signer_id": "b"})).unwrap();
        assert_eq!(bare.expires_at, None);
        assert_eq!(to_value(&bare), json!({"dossier_id": "a", "signer_id": "b"}));
    }

    #[test]
    fn statuses_round_trip_and_keep_unknown_values() {
        for s in [
            "DRAFT",
            "READY",
            "WAIT_FOR_SIGNATURE",
            "SIGNED",
            "REJECTED",
            "CANCELLED",
        ] {
            let status: SignatureRequestStatus = serde_json::from_value(json!(s)).unwrap();
            assert!(!matches!(status, SignatureRequestStatus::Unknown(_)), "{s}");
            assert_eq!(to_value(&status), json!(s));
        }
        let qtsp: SignatureRequestStatus = serde_json::from_value(json!("WAIT_FOR_QTSP")).unwrap();
        assert_eq!(qtsp, SignatureRequestStatus::Unknown("WAIT_FOR_QTSP".into()));
        assert_eq!(to_value(&qtsp), json!("WAIT_FOR_QTSP"));
        assert!(SignatureRequestStatus::Signed.is_terminal());
        assert!(!SignatureRequestStatus::WaitForSignature.is_terminal());
        assert_eq!(to_value(&SetSignatureRequestStatusBody::Ready), json!("READY"));
        assert_eq!(to_value(&SetSignatureRequestStatusBody::Cancelled), json!("CANCELLED"));
    }

    fn doc_json(extra: Value) -> Value {
        let mut v = json!({
            "id": "01DOC",
            "metadata": {"title": "Accordo", "signature_fields": []},
            "created_at": "2026-11-01T10:00:00.000Z",
            "updated_at": "2026-11-01T10:05:00.000Z"
        });
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    }

    #[test]
    fn document_detail_view_is_tagged_by_status_both_ways() {
        let cases = [
            json!({"status": "WAIT_FOR_UPLOAD"}),
            json!({"status": "WAIT_FOR_VALIDATION", "uploaded_at": "2026-11-01T10:01:00.000Z"}),
            json!({"status": "READY", "uploaded_at": "2026-11-01T10:01:00.000Z", "url": "https://blob/x"}),
            json!({"status": "REJECTED", "uploaded_at": "2026-11-01T10:01:00.000Z",
                   "rejected_at": "2026-11-01T10:02:00.000Z", "reject_reason": "(Firma) incompatible coordinates"}),
        ];
        for extra in cases {
            let wire = doc_json(extra);
            let doc: DocumentDetailView = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(doc.status().as_str(), wire["status"]);
            assert_eq!(to_value(&doc), wire, "exact round trip");
        }
        let ready: DocumentDetailView = serde_json::from_value(doc_json(
            json!({"status": "READY", "uploaded_at": "2026-11-01T10:01:00Z", "url": "https://blob/x"}),
        ))
        .unwrap();
        assert_eq!(ready.url(), Some("https://blob/x"));
        assert!(matches!(ready.state, DocumentState::Ready { .. }));
    }

    #[test]
    fn document_detail_view_requires_the_fields_of_its_status_and_tolerates_new_statuses() {
        let err = serde_json::from_value::<DocumentDetailView>(doc_json(json!({"status": "READY",
            "uploaded_at": "2026-11-01T10:01:00.000Z"})))
        .unwrap_err();
        assert!(err.to_string().contains("without `url`"), "{err}");
        let unknown: DocumentDetailView = serde_json::from_value(doc_json(
            json!({"status": "ARCHIVED", "archived_at": "2026-11-01T10:01:00.000Z"}),
        ))
        .unwrap();
        assert_eq!(unknown.state, DocumentState::Unknown("ARCHIVED".into()));
        assert_eq!(unknown.status(), DocumentStatus::Unknown("ARCHIVED".into()));
    }

    #[test]
    fn signature_request_detail_view_omits_absent_optional_fields() {
        let wire = json!({
            "id": "01REQ",
            "status": "WAIT_FOR_SIGNATURE",
            "dossier_id": "01DOS",
            "signer_id": "b6e5a1f0-0000-4000-8000-000000000000",
            "expires_at": "2027-02-01T10:00:00.000Z",
            "documents": [doc_json(json!({"status": "WAIT_FOR_UPLOAD"}))],
            "notification": {"io_message_id": "01MSG"},
            "created_at": "2026-11-01T10:00:00.000Z",
            "updated_at": "2026-11-01T10:05:00.000Z",
            "qr_code_url": "https://continua.io.pagopa.it/qrcode.png?feat=firma&srid=01REQ"
        });
        let view: SignatureRequestDetailView = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(view.status, SignatureRequestStatus::WaitForSignature);
        assert_eq!(view.signed_at, None);
        assert_eq!(to_value(&view), wire);
    }

    #[test]
    fn list_and_validation_result_shapes() {
        let list: SignatureRequestList = serde_json::from_value(json!({"items": []})).unwrap();
        assert_eq!(list.continuation_token, None);
        assert_eq!(to_value(&list), json!({"items": []}));
        let ok = DocumentValidationResult {
            is_valid: true,
            violations: None,
        };
        assert_eq!(to_value(&ok), json!({"is_valid": true}));
        assert_eq!(to_value(&SignerDetailView { id: "x".into() }), json!({"id": "x"}));
    }

    #[test]
    fn problem_detail_keeps_violations_of_any_shape() {
        let wire = json!({
            "type": "/problem/validation-error",
            "title": "Validation Error",
            "detail": "Your request didn't validate",
            "status": 422,
            "violations": ["value \"x\" is not a valid FiscalCode", {"path": "title", "message": "too short"}]
        });
        let p: ProblemDetail = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(p.type_.as_deref(), Some("/problem/validation-error"));
        assert_eq!(p.violations.as_ref().map(Vec::len), Some(2));
        assert_eq!(to_value(&p), wire);
        let bare = ProblemDetail {
            title: Some("Not Found".into()),
            status: Some(404),
            ..Default::default()
        };
        assert_eq!(to_value(&bare), json!({"title": "Not Found", "status": 404}));
    }
}
