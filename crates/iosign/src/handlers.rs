//! One handler per resource (`client.dossiers()`, `client.signers()`,
//! `client.signature_requests()`), each holding a clone of the client so that no borrow
//! outlives a Tauri command.

use crate::client::{Client, Idempotency};
use crate::error::{ApiError, ApiErrorKind};
use crate::fiscal_code::FiscalCode;
use crate::types::{
    CreateDossierBody, CreateSignatureRequestBody, DossierDetailView, GetSignerByFiscalCodeBody,
    NotificationDetailView, SetSignatureRequestStatusBody, SignatureRequestDetailView, SignatureRequestList,
    SignatureRequestListView, SignerDetailView,
};
use futures::{Stream, StreamExt, TryStreamExt};
use reqwest::header::{HeaderValue, CONTENT_LENGTH};
use reqwest::Method;
use std::ops::RangeInclusive;

/// Page sizes the service accepts for `GET /dossiers/{id}/signature-requests`.
pub const PAGE_LIMITS: RangeInclusive<u32> = 25..=100;

/// `/dossiers`.
#[derive(Debug, Clone)]
pub struct DossiersHandler {
    client: Client,
}

impl DossiersHandler {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /dossiers`. Not idempotent: never retried; on a 5xx or a connection lost after
    /// sending, the error has `outcome_unknown` set.
    pub async fn create(&self, body: &CreateDossierBody) -> Result<DossierDetailView, ApiError> {
        let url = self.client.url(&["dossiers"]);
        self.client
            .api_json("createDossier", Method::POST, Idempotency::Unsafe, url, &|r| {
                r.json(body)
            })
            .await
    }

    /// `GET /dossiers/{id}`.
    pub async fn get(&self, id: &str) -> Result<DossierDetailView, ApiError> {
        let url = self.client.url(&["dossiers", id]);
        self.client
            .api_json("getDossier", Method::GET, Idempotency::Safe, url, &|r| r)
            .await
    }

    /// `GET /dossiers/{id}/signature-requests`: a builder for one page or a stream of all.
    pub fn signature_requests(&self, dossier_id: impl Into<String>) -> ListSignatureRequests {
        ListSignatureRequests {
            client: self.client.clone(),
            dossier_id: dossier_id.into(),
            limit: None,
            continuation_token: None,
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Token of the next page, `None` on the last.
    pub continuation_token: Option<String>,
}

impl From<SignatureRequestList> for Page<SignatureRequestListView> {
    fn from(list: SignatureRequestList) -> Self {
        Self {
            items: list.items,
            // An empty token would fetch the first page again: treat it as the end.
            continuation_token: list.continuation_token.filter(|t| !t.is_empty()),
        }
    }
}

/// Listing of a dossier's signature requests (25..=100 per page, in the service's order).
#[derive(Debug, Clone)]
#[must_use]
pub struct ListSignatureRequests {
    client: Client,
    dossier_id: String,
    limit: Option<u32>,
    continuation_token: Option<String>,
}

impl ListSignatureRequests {
    /// Page size, 25..=100 ([`PAGE_LIMITS`]); checked when sending. Default: the service's (25).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts from the page this token points at.
    pub fn continuation_token(mut self, token: impl Into<String>) -> Self {
        self.continuation_token = Some(token.into());
        self
    }

    /// Fetches one page.
    pub async fn send(&self) -> Result<Page<SignatureRequestListView>, ApiError> {
        if let Some(limit) = self.limit {
            if !PAGE_LIMITS.contains(&limit) {
                let mut err = ApiError::new("getRequestsByDossier", ApiErrorKind::InvalidRequest);
                err.body = Some(format!(
                    "limit must be between {} and {}, not {limit}",
                    PAGE_LIMITS.start(),
                    PAGE_LIMITS.end()
                ));
                return Err(err);
            }
        }
        let mut url = self.client.url(&["dossiers", &self.dossier_id, "signature-requests"]);
        {
            let mut query = url.query_pairs_mut();
            if let Some(token) = &self.continuation_token {
                query.append_pair("continuationToken", token);
            }
            if let Some(limit) = self.limit {
                query.append_pair("limit", &limit.to_string());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let list: SignatureRequestList = self
            .client
            .api_json("getRequestsByDossier", Method::GET, Idempotency::Safe, url, &|r| r)
            .await?;
        Ok(list.into())
    }

    /// All pages from this one on, following `continuation_token`. Ends after the first error.
    pub fn pages(self) -> impl Stream<Item = Result<Page<SignatureRequestListView>, ApiError>> + Send + 'static {
        futures::stream::try_unfold(Some(self), |state| async move {
            let Some(request) = state else {
                return Ok(None);
            };
            let page = request.send().await?;
            let next = page
                .continuation_token
                .clone()
                .map(|token| request.continuation_token(token));
            Ok(Some((page, next)))
        })
    }

    /// Every signature request of the dossier, page after page.
    pub fn into_stream(self) -> impl Stream<Item = Result<SignatureRequestListView, ApiError>> + Send + 'static {
        self.pages()
            .map_ok(|page| futures::stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// `/signers`.
#[derive(Debug, Clone)]
pub struct SignersHandler {
    client: Client,
}

impl SignersHandler {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /signers`: the signer id for a fiscal code (stable per code, so safe to retry).
    /// Errors: 404 when the citizen is not on IO; 403 for a test key and a code not among its
    /// testers; 400 when IO refuses the issuer for this citizen.
    pub async fn get_by_fiscal_code(&self, fiscal_code: &FiscalCode) -> Result<SignerDetailView, ApiError> {
        let url = self.client.url(&["signers"]);
        let body = GetSignerByFiscalCodeBody::from(fiscal_code);
        self.client
            .api_json("getSignerByFiscalCode", Method::POST, Idempotency::Safe, url, &|r| {
                r.json(&body)
            })
            .await
    }
}

/// `/signature-requests`.
#[derive(Debug, Clone)]
pub struct SignatureRequestsHandler {
    client: Client,
}

impl SignatureRequestsHandler {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `POST /signature-requests` (status `DRAFT`, one document per metadata entry). Not
    /// idempotent: a retry would create a duplicate, so it is never retried; on a 5xx or a
    /// connection lost after sending, the error has `outcome_unknown` set and the caller should
    /// list the dossier's requests to find out.
    pub async fn create(&self, body: &CreateSignatureRequestBody) -> Result<SignatureRequestDetailView, ApiError> {
        let url = self.client.url(&["signature-requests"]);
        self.client
            .api_json("createSignatureRequest", Method::POST, Idempotency::Unsafe, url, &|r| {
                r.json(body)
            })
            .await
    }

    /// `GET /signature-requests/{id}`. In `SIGNED`, each document's `url` is a 5-minute
    /// download link: fetch it at once with [`Client::download_signed`].
    pub async fn get(&self, id: &str) -> Result<SignatureRequestDetailView, ApiError> {
        let url = self.client.url(&["signature-requests", id]);
        self.client
            .api_json("getSignatureRequest", Method::GET, Idempotency::Safe, url, &|r| r)
            .await
    }

    /// `PUT /signature-requests/{id}/status` with `"READY"` (publish) or `"CANCELLED"`.
    /// Setting the same target twice is harmless, so it is retried. A refusal by the state
    /// machine comes back as [`ApiErrorKind::NotAllowedInState`].
    pub async fn set_status(&self, id: &str, status: SetSignatureRequestStatusBody) -> Result<(), ApiError> {
        let url = self.client.url(&["signature-requests", id, "status"]);
        self.client
            .api_bytes("setSignatureRequestStatus", Method::PUT, Idempotency::Safe, url, &|r| {
                r.json(&status)
            })
            .await
            .map(drop)
    }

    /// `GET /signature-requests/{id}/documents/{document_id}/upload_url`: a blob SAS URL,
    /// valid 15 minutes, for [`Client::upload_document`]. Only while the request is `DRAFT`.
    pub async fn upload_url(&self, id: &str, document_id: &str) -> Result<String, ApiError> {
        let url = self
            .client
            .url(&["signature-requests", id, "documents", document_id, "upload_url"]);
        self.client
            .api_json("getDocumentUploadUrl", Method::GET, Idempotency::Safe, url, &|r| r)
            .await
    }

    /// `PUT /signature-requests/{id}/notification`: sends the IO message (only in
    /// `WAIT_FOR_SIGNATURE`, once). The service refuses a second call (422), so a retry after
    /// an unclear failure could turn a success into an error: never retried; a 5xx or lost
    /// connection sets `outcome_unknown` (re-read the request: `notification` tells).
    pub async fn send_notification(&self, id: &str) -> Result<NotificationDetailView, ApiError> {
        let url = self.client.url(&["signature-requests", id, "notification"]);
        self.client
            .api_json("sendNotification", Method::PUT, Idempotency::Unsafe, url, &|r| {
                // No body, but say so: some proxies answer 411 to a PUT without a length.
                r.header(CONTENT_LENGTH, HeaderValue::from_static("0"))
            })
            .await
    }
}
