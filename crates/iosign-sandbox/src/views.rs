//! Model → wire views (the `iosign::types` shared with the client), with the per-status optional
//! fields the live service shows.

use iosign::types::{
    DocumentDetailView, DocumentMetadata, DocumentState, DossierDetailView, NotificationDetailView,
    SignatureRequestDetailView, SignatureRequestListView, SignatureRequestStatus,
};
use serde_json::Value;

use crate::model::{Document, DocumentStatus, Dossier, RequestStatus, SignatureRequest};

/// What views need besides the model: URLs to hand out.
pub trait UrlMinter {
    /// Internal, non-downloadable URL of a validated document.
    fn validated_url(&self, document_id: &str) -> String;
    /// A fresh 5-minute read SAS URL of a signed document.
    fn signed_url(&self, document_id: &str) -> String;
}

fn metadata(v: &Value) -> DocumentMetadata {
    // Stored metadata was produced by `validate`, whose shapes are those of the wire type.
    serde_json::from_value(v.clone()).unwrap_or_else(|_| DocumentMetadata {
        title: v["title"].as_str().unwrap_or_default().to_string(),
        signature_fields: Vec::new(),
    })
}

fn status(s: RequestStatus) -> SignatureRequestStatus {
    SignatureRequestStatus::from_wire(s.as_str())
}

/// `DossierDetailView`.
pub fn dossier(d: &Dossier) -> DossierDetailView {
    DossierDetailView {
        id: d.id.clone(),
        title: d.title.clone(),
        support_email: Some(d.support_email.clone()),
        documents_metadata: d.documents_metadata.iter().map(metadata).collect(),
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

fn document(doc: &Document, request: RequestStatus, urls: &dyn UrlMinter) -> DocumentDetailView {
    let uploaded_at = doc.uploaded_at.unwrap_or(doc.updated_at);
    let state = match doc.status {
        DocumentStatus::WaitForUpload => DocumentState::WaitForUpload,
        DocumentStatus::WaitForValidation => DocumentState::WaitForValidation { uploaded_at },
        DocumentStatus::Ready => DocumentState::Ready {
            uploaded_at,
            url: if request == RequestStatus::Signed {
                urls.signed_url(&doc.id)
            } else {
                urls.validated_url(&doc.id)
            },
        },
        DocumentStatus::Rejected => DocumentState::Rejected {
            uploaded_at,
            rejected_at: doc.rejected_at.unwrap_or(doc.updated_at),
            reject_reason: doc.reject_reason.clone().unwrap_or_default(),
        },
    };
    DocumentDetailView {
        id: doc.id.clone(),
        metadata: metadata(&doc.metadata),
        created_at: doc.created_at,
        updated_at: doc.updated_at,
        state,
    }
}

/// `SignatureRequestDetailView` with the optional fields of its status only.
pub fn request(r: &SignatureRequest, urls: &dyn UrlMinter) -> SignatureRequestDetailView {
    let notification = r.notification.as_ref().map(|id| NotificationDetailView {
        io_message_id: id.clone(),
    });
    let mut view = SignatureRequestDetailView {
        id: r.id.clone(),
        status: status(r.status),
        dossier_id: r.dossier_id.clone(),
        signer_id: r.signer_id.clone(),
        expires_at: r.expires_at,
        documents: r.documents.iter().map(|d| document(d, r.status, urls)).collect(),
        notification: None,
        created_at: r.created_at,
        updated_at: r.updated_at,
        signed_at: None,
        rejected_at: None,
        reject_reason: None,
        qr_code_url: None,
        cancelled_at: None,
    };
    match r.status {
        RequestStatus::Draft | RequestStatus::Ready => {}
        RequestStatus::WaitForSignature => {
            view.qr_code_url = r.qr_code_url.clone();
            view.notification = notification;
        }
        RequestStatus::Signed => {
            view.signed_at = r.signed_at;
            view.notification = notification;
        }
        RequestStatus::Rejected => {
            view.rejected_at = r.rejected_at;
            view.reject_reason = r.reject_reason.clone();
            view.notification = notification;
        }
        // The service stores the notification but does not show it once cancelled.
        RequestStatus::Cancelled => view.cancelled_at = r.cancelled_at,
    }
    view
}

/// `SignatureRequestListView`.
pub fn list_item(r: &SignatureRequest) -> SignatureRequestListView {
    SignatureRequestListView {
        id: r.id.clone(),
        signer_id: r.signer_id.clone(),
        dossier_id: r.dossier_id.clone(),
        status: status(r.status),
        created_at: r.created_at,
        updated_at: r.updated_at,
        expires_at: r.expires_at,
    }
}
