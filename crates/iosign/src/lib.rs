//! Typed async client for the Firma con IO (IO Sign) issuer API, v1.2.1.
//!
//! # Overview
//!
//! - [`types`]: serde wire types named after the spec's schemas, shared with the sandbox
//!   (`iosign-sandbox`), so both sides serialize the same JSON.
//! - [`Client`]: cheap to clone; one handler per resource, octocrab style:
//!   [`Client::dossiers`], [`Client::signers`], [`Client::signature_requests`], plus the
//!   document calls [`Client::validate_document`], [`Client::upload_document`] and
//!   [`Client::download_signed`].
//! - Every API call takes a token from a shared [`RateLimiter`] (150 calls / 5 s per key, as
//!   APIM enforces) and, when it is safe to repeat, is retried per a [`RetryPolicy`] (429 with
//!   the service's retry-after, 5xx, network). Calls that create something or send a message are
//!   never retried: their failures carry [`ApiError::outcome_unknown`] for the caller to
//!   reconcile.
//! - Errors are data: an [`ApiError`] has an [`ApiErrorKind`], the HTTP status, the service's
//!   [`ProblemDetail`] (with its `violations`) or the raw body when there was none.
//! - [`FiscalCode`]: parsing with check character, omocodia, birth date, sex and birthplace,
//!   and Italian error messages for the clerk.
//! - The [`ApiKey`] never shows in `Debug`, logs or errors and cannot be serialized.
//!
//! Where the live service bends its spec (201 vs 200, 400 vs 422, extensible statuses,
//! multipart parts matched by content type) the client accepts both.
//!
//! # Example
//!
//! ```no_run
//! use iosign::{ApiKey, Client, CreateSignatureRequestBody, FiscalCode, SetSignatureRequestStatusBody};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("https://api.io.pagopa.it/api/v1/sign", ApiKey::new("…"))?;
//!
//! let cf = FiscalCode::parse("RSSMRA80A01H501U")?;
//! let signer = client.signers().get_by_fiscal_code(&cf).await?;
//! let request = client
//!     .signature_requests()
//!     .create(&CreateSignatureRequestBody {
//!         dossier_id: "01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
//!         signer_id: signer.id,
//!         expires_at: None,
//!         documents_metadata: None,
//!     })
//!     .await?;
//! for doc in &request.documents {
//!     let url = client.signature_requests().upload_url(&request.id, &doc.id).await?;
//!     let pdf = std::fs::read("contratto.pdf")?;
//!     let len = pdf.len() as u64;
//!     client
//!         .upload_document(&url, pdf, len, |sent, total| println!("{sent}/{total}"))
//!         .await?;
//! }
//! // ... poll until every document is READY, then publish:
//! client
//!     .signature_requests()
//!     .set_status(&request.id, SetSignatureRequestStatusBody::Ready)
//!     .await?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod birthplace;
pub mod client;
pub mod clock;
pub mod documents;
pub mod error;
pub mod fetch;
pub mod fiscal_code;
pub mod handlers;
pub mod link;
pub mod rate_limit;
pub mod retry;
pub mod secret;
pub mod types;

pub use client::{BuildError, Client, ClientBuilder, API_KEY_HEADER, PRODUCTION_BASE_URL};
pub use clock::{Clock, TokioClock};
pub use documents::UploadSource;
pub use error::{ApiError, ApiErrorKind};
pub use fiscal_code::{FiscalCode, FiscalCodeError};
pub use handlers::{
    DossiersHandler, ListSignatureRequests, Page, SignatureRequestsHandler, SignersHandler, PAGE_LIMITS,
};
pub use rate_limit::RateLimiter;
pub use retry::RetryPolicy;
pub use secret::ApiKey;
pub use types::{
    Clause, ClauseType, Coordinates, CreateDossierBody, CreateSignatureRequestBody, DocumentDetailView,
    DocumentMetadata, DocumentState, DocumentStatus, DocumentValidationResult, DossierDetailView,
    ExistingSignatureFieldAttrs, GetSignerByFiscalCodeBody, Id, NotificationDetailView, ProblemDetail,
    SetSignatureRequestStatusBody, SignatureField, SignatureFieldAttrs, SignatureFieldToBeCreatedAttrs,
    SignatureRequestDetailView, SignatureRequestList, SignatureRequestListView, SignatureRequestStatus,
    SignerDetailView, Size, Timestamp, UploadUrl,
};
