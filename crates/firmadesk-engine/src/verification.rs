//! The verification of every signed document the engine archives (issue #14), where the engine runs (the
//! desk, or team mode's worker): the bounded structural scan first (`firmadesk_pdf::structure::scan`, the
//! rule for every PDF), then `firmadesk_verify` against the request's fiscal code, the uploaded document's
//! SHA-256 and the profile's trust anchors. The result is a store [`Verification`], in no language.

use crate::store::{LocalId, Verification};
use firmadesk_verify::{Code, Expect, Finding, Report, Severity, Verdict};

/// What an archived document is verified against.
#[derive(Clone, Debug, Default)]
pub struct Against {
    /// The request's fiscal code, when the engine knows it (its own sends).
    pub fiscal_code: Option<String>,
    /// SHA-256 (hex) of the documents the send uploaded: the signed file's first revision must be one.
    pub uploaded_sha256: Vec<String>,
    /// The profile's trust anchors (empty: trust not checked).
    pub trust_anchors: Vec<Vec<u8>>,
}

/// Scans and verifies `pdf` (blocking: run it off the async threads).
pub fn check(pdf: &[u8], against: &Against) -> Report {
    if let Err(e) = firmadesk_pdf::structure::scan(pdf) {
        return Report {
            verdict: Verdict::Invalid,
            signatures: Vec::new(),
            findings: vec![Finding {
                code: Code::NotAPdf,
                severity: Severity::Error,
                signature: None,
                detail: format!("the structural scan refused the file: {}", e.message()),
            }],
        };
    }
    let candidates: Vec<[u8; 32]> = against
        .uploaded_sha256
        .iter()
        .filter_map(|h| hex::decode(h).ok()?.try_into().ok())
        .collect();
    // The uploaded document this file starts with; else the first, so the report says the original changed.
    let original = firmadesk_verify::original_among(pdf, &candidates).or_else(|| candidates.first().copied());
    firmadesk_verify::verify(
        pdf,
        &Expect {
            fiscal_code: against.fiscal_code.clone(),
            original_sha256: original,
            fields: Vec::new(),
            trust_anchors: against.trust_anchors.clone(),
            at: None,
        },
    )
}

/// The verdict's stable name (`valid`, `valid_with_warnings`, `invalid`).
pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "valid",
        Verdict::ValidWithWarnings => "valid_with_warnings",
        Verdict::Invalid => "invalid",
    }
}

/// The store record of `report` for one archived document.
pub fn record(request_id: &LocalId, io_document_id: &str, report: &Report, now_ms: i64) -> Verification {
    let first = report.signatures.iter().find(|s| s.subject.is_some());
    Verification {
        request_id: request_id.clone(),
        io_document_id: io_document_id.to_owned(),
        verdict: verdict_name(report.verdict).to_owned(),
        codes: report.codes().into_iter().map(str::to_owned).collect(),
        signer: first.and_then(|s| s.name.clone()),
        fiscal_code: first.and_then(|s| s.fiscal_code.clone()),
        signing_time: first.and_then(|s| s.signing_time.clone()),
        report_json: serde_json::to_string(report).unwrap_or_default(),
        verified_at: now_ms,
    }
}
