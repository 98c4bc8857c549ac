//! A request back in the new-request form: "Correggi e reinvia" (a request that stopped, with everything
//! the clerk typed and the reason on top; the new request and the old one name each other in their
//! timelines), "Duplica" (any request) and "Nuova richiesta per lo stesso firmatario".

use crate::requests::{import_pdf, DraftField, ImportedPdf};
use crate::{store_error, Code, Desk, UiError};
use firmadesk_store::{LocalId, Placement, Status};
use serde::{Deserialize, Serialize};

/// What the form is reopened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReopenMode {
    /// "Correggi e reinvia": a request that stopped, to fix and send as a new one linked to it.
    Fix,
    /// "Duplica": the same documents, fields and signer, as a new request.
    Duplicate,
    /// "Nuova richiesta per lo stesso firmatario": the signer only.
    SameSigner,
}

/// A document back in the form: imported again from the copy kept, with its title and fields.
#[derive(Debug, Serialize)]
pub struct ReopenedDocument {
    imported: ImportedPdf,
    title: String,
    fields: Vec<DraftField>,
}

/// The form's content for a request reopened.
#[derive(Debug, Serialize)]
pub struct Reopened {
    mode: ReopenMode,
    /// The request it comes from.
    from: LocalId,
    from_title: String,
    from_status: Status,
    /// Why it stopped ("Correggi e reinvia"), in the clerk's language where FirmaDesk words it.
    reason: Option<String>,
    document_type: String,
    title: String,
    signer_name: String,
    fiscal_code: String,
    delivery: String,
    /// The deadline, `YYYY-MM-DD`, when still ahead (else the form's default).
    expires_at: Option<String>,
    documents: Vec<ReopenedDocument>,
    /// Documents whose copy is no longer kept: named, for the clerk to add again.
    missing: Vec<String>,
}

/// Whether "Correggi e reinvia" applies: the request stopped (rejected, failed, cancelled) or expired.
pub fn stopped(status: Status, expires_at: Option<i64>, now_ms: i64) -> bool {
    matches!(status, Status::Rejected | Status::Failed | Status::Cancelled)
        || (status == Status::Waiting && expires_at.is_some_and(|e| e < now_ms))
}

/// The request `id` as the new-request form needs it for `mode`.
pub async fn reopen_request(state: &Desk, id: LocalId, mode: ReopenMode) -> Result<Reopened, UiError> {
    // The detail: read with the clerk's rights, its reasons worded in the clerk's language.
    let detail = crate::requests::request_detail_of(state, id).await?;
    let request = detail.request;
    let now = state.now_ms();
    if mode == ReopenMode::Fix && !stopped(request.status, request.expires_at, now) {
        return Err(UiError::new(
            Code::RequestStillActive,
            "Si può correggere e reinviare solo una richiesta ferma (rifiutata, non riuscita, scaduta o annullata).",
        ));
    }
    let reason = (mode == ReopenMode::Fix)
        .then(|| {
            request
                .reject_reason
                .clone()
                .or_else(|| detail.send.and_then(|s| s.last_error))
                .or_else(|| detail.documents.iter().find_map(|d| d.reject_reason.clone()))
        })
        .flatten();
    let mut documents = Vec::new();
    let mut missing = Vec::new();
    if mode != ReopenMode::SameSigner {
        for d in detail.documents {
            let Some(bytes) = document_bytes(state, &d).await? else {
                missing.push(d.title);
                continue;
            };
            let imported = import_pdf(state, Some(format!("{}.pdf", d.title)), None, &bytes).await?;
            let fields = detail
                .fields
                .iter()
                .filter(|f| f.document == d.position)
                .filter_map(|f| match &f.placement {
                    Placement::Coordinates { page, x, y, w, h } => Some(DraftField {
                        page: *page,
                        x: *x,
                        y: *y,
                        w: *w,
                        h: *h,
                        clause_type: f.clause_type.clone(),
                        clause_title: f.clause_title.clone(),
                    }),
                    // The form draws boxes; a field of the PDF itself is found again by its detection.
                    Placement::Existing { .. } => None,
                })
                .collect();
            documents.push(ReopenedDocument {
                imported,
                title: d.title,
                fields,
            });
        }
    }
    let carry = mode != ReopenMode::SameSigner;
    Ok(Reopened {
        mode,
        from: request.id.clone(),
        from_title: request.title.clone(),
        from_status: request.status,
        reason,
        document_type: if carry {
            request.document_type.clone()
        } else {
            String::new()
        },
        title: if carry { request.title.clone() } else { String::new() },
        signer_name: request.signer_name.clone(),
        fiscal_code: request.fiscal_code.clone(),
        delivery: request.delivery.clone(),
        expires_at: request
            .expires_at
            .filter(|e| carry && *e > now)
            .map(crate::requests::italian_day),
        documents,
        missing,
    })
}

/// The PDF of a stored document: the desk's own copy, else the office's (team mode), else none.
async fn document_bytes(state: &Desk, d: &firmadesk_store::Document) -> Result<Option<Vec<u8>>, UiError> {
    if let Ok(bytes) = std::fs::read(&d.path) {
        return Ok(Some(bytes));
    }
    let Some(sha) = &d.sha256 else {
        return Ok(None);
    };
    match state.store.file(sha).await {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind == firmadesk_store::ErrorKind::Unreachable => Ok(None),
        Err(e) => Err(store_error(e)),
    }
}
