//! The sandbox's stored state and the service's state machines. Everything here is synchronous and
//! takes `now` as a parameter; the async parts (delays, HTTP) live in `server`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::clock::ts_serde;

/// Issuer-side status of a signature request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RequestStatus {
    Draft,
    Ready,
    WaitForSignature,
    Signed,
    Rejected,
    Cancelled,
}

impl RequestStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Ready => "READY",
            Self::WaitForSignature => "WAIT_FOR_SIGNATURE",
            Self::Signed => "SIGNED",
            Self::Rejected => "REJECTED",
            Self::Cancelled => "CANCELLED",
        }
    }
}

/// Status of a document inside a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentStatus {
    WaitForUpload,
    WaitForValidation,
    Ready,
    Rejected,
}

/// A dossier (issuer-scoped template of documents and signature fields).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dossier {
    pub id: String,
    pub issuer: String,
    pub title: String,
    pub support_email: String,
    /// Normalised `DocumentMetadata` JSON (`signature_fields` always present).
    pub documents_metadata: Vec<Value>,
    #[serde(with = "ts_serde")]
    pub created_at: OffsetDateTime,
    #[serde(with = "ts_serde")]
    pub updated_at: OffsetDateTime,
}

/// The SAS upload slot of a document: the last one handed out is the only valid one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadSlot {
    pub upload_id: String,
    pub sig: String,
    #[serde(with = "ts_serde")]
    pub expires_at: OffsetDateTime,
    pub used: bool,
}

/// A document of a signature request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub metadata: Value,
    pub status: DocumentStatus,
    #[serde(with = "ts_serde")]
    pub created_at: OffsetDateTime,
    #[serde(with = "ts_serde")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "ts_serde::option", default)]
    pub uploaded_at: Option<OffsetDateTime>,
    #[serde(with = "ts_serde::option", default)]
    pub rejected_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub reject_reason: Option<String>,
    #[serde(default)]
    pub upload: Option<UploadSlot>,
    /// Upload id whose validation is pending (a later upload supersedes it).
    #[serde(default)]
    pub validating: Option<String>,
}

/// A signature request, issuer view.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignatureRequest {
    pub id: String,
    pub issuer: String,
    pub dossier_id: String,
    pub signer_id: String,
    pub status: RequestStatus,
    #[serde(with = "ts_serde")]
    pub expires_at: OffsetDateTime,
    pub documents: Vec<Document>,
    #[serde(with = "ts_serde")]
    pub created_at: OffsetDateTime,
    #[serde(with = "ts_serde")]
    pub updated_at: OffsetDateTime,
    #[serde(default)]
    pub notification: Option<String>,
    #[serde(default)]
    pub qr_code_url: Option<String>,
    #[serde(with = "ts_serde::option", default)]
    pub signed_at: Option<OffsetDateTime>,
    #[serde(with = "ts_serde::option", default)]
    pub rejected_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub reject_reason: Option<String>,
    #[serde(with = "ts_serde::option", default)]
    pub cancelled_at: Option<OffsetDateTime>,
}

/// Everything the sandbox persists (blobs are stored beside it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    /// Per-run (or per state dir) secret for signer ids and SAS signatures, hex.
    pub secret: String,
    #[serde(default)]
    pub dossiers: BTreeMap<String, Dossier>,
    #[serde(default)]
    pub requests: BTreeMap<String, SignatureRequest>,
    /// signer_id → fiscal code (the PDV tokenizer's vault).
    #[serde(default)]
    pub signers: BTreeMap<String, String>,
    /// upload id → (signature request id, document id).
    #[serde(default)]
    pub uploads: BTreeMap<String, (String, String)>,
    /// Counter for IO message ids.
    #[serde(default)]
    pub messages_sent: u64,
}

/// A state-machine or lookup failure, mapped to HTTP by `server`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 400 with this detail (`ActionNotAllowedError`, `InvalidExpireDateError`, ...).
    BadRequest(String),
    /// 404 with this detail.
    NotFound(String),
    /// 422 validation error with these violations.
    Validation(Vec<String>),
    /// 409 (citizen simulation only).
    Conflict(String),
}

fn prohibited(action: &str, status: RequestStatus) -> Refusal {
    Refusal::BadRequest(format!(
        "{action} is prohibited if the signature request is in {} status",
        status.as_str()
    ))
}

impl State {
    /// A fresh state with a new secret.
    pub fn new(secret: String) -> Self {
        Self {
            secret,
            dossiers: BTreeMap::new(),
            requests: BTreeMap::new(),
            signers: BTreeMap::new(),
            uploads: BTreeMap::new(),
            messages_sent: 0,
        }
    }

    /// A dossier of `issuer` (other issuers' ids are not found).
    pub fn dossier(&self, issuer: &str, id: &str) -> Result<&Dossier, Refusal> {
        self.dossiers
            .get(id)
            .filter(|d| d.issuer == issuer)
            .ok_or_else(|| Refusal::NotFound("The specified Dossier does not exists.".into()))
    }

    /// A signature request of `issuer`.
    pub fn request(&self, issuer: &str, id: &str) -> Result<&SignatureRequest, Refusal> {
        self.requests
            .get(id)
            .filter(|r| r.issuer == issuer)
            .ok_or_else(|| Refusal::NotFound("The specified Signature Request does not exists.".into()))
    }

    /// Mutable access to a signature request of `issuer`.
    pub fn request_mut(&mut self, issuer: &str, id: &str) -> Result<&mut SignatureRequest, Refusal> {
        self.requests
            .get_mut(id)
            .filter(|r| r.issuer == issuer)
            .ok_or_else(|| Refusal::NotFound("The specified Signature Request does not exists.".into()))
    }

    /// Requests of a dossier in creation order (ULIDs sort by time), one page after `after`.
    pub fn page(
        &self,
        issuer: &str,
        dossier_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<&SignatureRequest>, bool) {
        let mut all: Vec<&SignatureRequest> = self
            .requests
            .values()
            .filter(|r| r.issuer == issuer && r.dossier_id == dossier_id)
            .filter(|r| after.is_none_or(|a| r.id.as_str() > a))
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        let more = all.len() > limit;
        all.truncate(limit);
        (all, more)
    }
}

impl SignatureRequest {
    /// `PUT status "READY"`.
    pub fn mark_ready(&mut self, now: OffsetDateTime) -> Result<(), Refusal> {
        match self.status {
            RequestStatus::Draft => {
                if self.documents.iter().all(|d| d.status == DocumentStatus::Ready) {
                    self.status = RequestStatus::Ready;
                    self.updated_at = now;
                    Ok(())
                } else {
                    Err(Refusal::BadRequest(
                        "MARK_AS_READY is not possible unless all documents are READY".into(),
                    ))
                }
            }
            RequestStatus::Ready => Err(Refusal::BadRequest(
                "Signature Request is already in READY status".into(),
            )),
            s => Err(prohibited("MARK_AS_READY", s)),
        }
    }

    /// `PUT status "CANCELLED"`: only from WAIT_FOR_SIGNATURE.
    pub fn mark_cancelled(&mut self, now: OffsetDateTime) -> Result<(), Refusal> {
        match self.status {
            RequestStatus::WaitForSignature => {
                self.status = RequestStatus::Cancelled;
                self.cancelled_at = Some(now);
                self.updated_at = now;
                Ok(())
            }
            s => Err(prohibited("MARK_AS_CANCELLED", s)),
        }
    }

    /// The async READY → WAIT_FOR_SIGNATURE step (the citizen copy exists, the QR is issued).
    pub fn mark_wait_for_signature(&mut self, qr_code_url: String, now: OffsetDateTime) -> Result<(), Refusal> {
        match self.status {
            RequestStatus::Ready => {
                self.status = RequestStatus::WaitForSignature;
                self.qr_code_url = Some(qr_code_url);
                self.updated_at = now;
                Ok(())
            }
            s => Err(prohibited("MARK_AS_WAIT_FOR_SIGNATURE", s)),
        }
    }

    /// `PUT notification`: once, only while WAIT_FOR_SIGNATURE (the service answers 422).
    pub fn send_notification(&mut self, message_id: String, now: OffsetDateTime) -> Result<(), Refusal> {
        if self.status != RequestStatus::WaitForSignature || self.notification.is_some() {
            return Err(Refusal::Validation(vec![
                "Notification can only be sent if the signature request is WAIT_FOR_SIGNATURE and it has not already been sent!".into(),
            ]));
        }
        self.notification = Some(message_id);
        self.updated_at = now;
        Ok(())
    }

    /// The citizen signed (QTSP ok).
    pub fn mark_signed(&mut self, now: OffsetDateTime) -> Result<(), Refusal> {
        match self.status {
            RequestStatus::WaitForSignature => {
                self.status = RequestStatus::Signed;
                self.signed_at = Some(now);
                self.updated_at = now;
                Ok(())
            }
            s => Err(Refusal::Conflict(format!(
                "The signature request is in {} status: only WAIT_FOR_SIGNATURE can be signed",
                s.as_str()
            ))),
        }
    }

    /// The signing failed (QTSP / technical failure).
    pub fn mark_rejected(&mut self, reason: String, now: OffsetDateTime) -> Result<(), Refusal> {
        match self.status {
            RequestStatus::WaitForSignature => {
                self.status = RequestStatus::Rejected;
                self.rejected_at = Some(now);
                self.reject_reason = Some(reason);
                self.updated_at = now;
                Ok(())
            }
            s => Err(Refusal::Conflict(format!(
                "The signature request is in {} status: only WAIT_FOR_SIGNATURE can be rejected",
                s.as_str()
            ))),
        }
    }

    /// Checks that an upload URL may be issued for `document_id`.
    pub fn can_upload(&self, document_id: &str) -> Result<(), Refusal> {
        if !self.documents.iter().any(|d| d.id == document_id) {
            return Err(Refusal::NotFound("Document not found".into()));
        }
        if self.status != RequestStatus::Draft {
            return Err(Refusal::BadRequest(format!(
                "Unable to get the Upload Url. The Signature Request is in {} status",
                self.status.as_str()
            )));
        }
        Ok(())
    }

    /// A document by id.
    pub fn document_mut(&mut self, id: &str) -> Option<&mut Document> {
        self.documents.iter_mut().find(|d| d.id == id)
    }
}

impl Document {
    /// The blob for this document's upload slot arrived: start validation. `false` when the upload
    /// is ignored (stale URL, already validating, request no longer DRAFT).
    pub fn start_validation(&mut self, upload_id: &str, request_status: RequestStatus, now: OffsetDateTime) -> bool {
        if request_status != RequestStatus::Draft || self.status == DocumentStatus::WaitForValidation {
            return false;
        }
        self.status = DocumentStatus::WaitForValidation;
        self.uploaded_at = Some(now);
        self.rejected_at = None;
        self.reject_reason = None;
        self.validating = Some(upload_id.to_string());
        self.updated_at = now;
        true
    }

    /// Validation finished.
    pub fn finish_validation(&mut self, outcome: Result<(), String>, now: OffsetDateTime) {
        self.validating = None;
        self.updated_at = now;
        match outcome {
            Ok(()) => self.status = DocumentStatus::Ready,
            Err(reason) => {
                self.status = DocumentStatus::Rejected;
                self.rejected_at = Some(now);
                self.reject_reason = Some(reason);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(status: DocumentStatus) -> Document {
        let now = OffsetDateTime::now_utc();
        Document {
            id: "D".into(),
            metadata: serde_json::json!({"title": "Contratto", "signature_fields": []}),
            status,
            created_at: now,
            updated_at: now,
            uploaded_at: None,
            rejected_at: None,
            reject_reason: None,
            upload: None,
            validating: None,
        }
    }

    fn request(status: RequestStatus, docs: Vec<Document>) -> SignatureRequest {
        let now = OffsetDateTime::now_utc();
        SignatureRequest {
            id: "R".into(),
            issuer: "I".into(),
            dossier_id: "X".into(),
            signer_id: "S".into(),
            status,
            expires_at: now,
            documents: docs,
            created_at: now,
            updated_at: now,
            notification: None,
            qr_code_url: None,
            signed_at: None,
            rejected_at: None,
            reject_reason: None,
            cancelled_at: None,
        }
    }

    #[test]
    fn ready_needs_all_documents_ready() {
        let now = OffsetDateTime::now_utc();
        let mut r = request(
            RequestStatus::Draft,
            vec![doc(DocumentStatus::Ready), doc(DocumentStatus::Rejected)],
        );
        assert_eq!(
            r.mark_ready(now),
            Err(Refusal::BadRequest(
                "MARK_AS_READY is not possible unless all documents are READY".into()
            ))
        );
        r.documents[1].status = DocumentStatus::Ready;
        r.mark_ready(now).unwrap();
        assert_eq!(r.status, RequestStatus::Ready);
        assert!(matches!(r.mark_ready(now), Err(Refusal::BadRequest(m)) if m.contains("already in READY")));
    }

    #[test]
    fn cancel_only_from_wait_for_signature() {
        let now = OffsetDateTime::now_utc();
        let mut r = request(RequestStatus::Draft, vec![]);
        assert_eq!(
            r.mark_cancelled(now),
            Err(Refusal::BadRequest(
                "MARK_AS_CANCELLED is prohibited if the signature request is in DRAFT status".into()
            ))
        );
        r.status = RequestStatus::WaitForSignature;
        r.mark_cancelled(now).unwrap();
        assert!(r.cancelled_at.is_some());
        assert!(r.mark_signed(now).is_err());
    }

    #[test]
    fn notification_once() {
        let now = OffsetDateTime::now_utc();
        let mut r = request(RequestStatus::Ready, vec![]);
        assert!(matches!(
            r.send_notification("m".into(), now),
            Err(Refusal::Validation(_))
        ));
        r.status = RequestStatus::WaitForSignature;
        r.send_notification("m".into(), now).unwrap();
        assert!(matches!(
            r.send_notification("m2".into(), now),
            Err(Refusal::Validation(_))
        ));
    }

    #[test]
    fn reupload_allowed_in_draft_only() {
        let now = OffsetDateTime::now_utc();
        let mut d = doc(DocumentStatus::Rejected);
        assert!(!d.start_validation("u1", RequestStatus::Ready, now));
        assert!(d.start_validation("u1", RequestStatus::Draft, now));
        assert!(
            !d.start_validation("u2", RequestStatus::Draft, now),
            "refused while validating"
        );
        d.finish_validation(Ok(()), now);
        assert_eq!(d.status, DocumentStatus::Ready);
        assert!(d.start_validation("u3", RequestStatus::Draft, now));
    }
}
