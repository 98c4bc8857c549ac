//! The verification of every signed document the engine archives (issue #14), where the engine runs (the
//! desk, or team mode's worker): the bounded structural scan first (`firmadesk_pdf::structure::scan`, the
//! rule for every PDF), then `firmadesk_verify` against the request's fiscal code, the uploaded document's
//! SHA-256 and the profile's trust anchors. The result is a store [`Verification`], in no language.

use crate::store::{Event, LocalId, Verification};
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
    /// When the anchors taken from trusted lists were granted ([`Expect::anchor_periods`]).
    pub anchor_periods: Vec<firmadesk_verify::trusted_list::ListedAnchor>,
    /// The signature fields the document must carry signed: its REQUIRED and UNFAIR clauses as IO Sign
    /// recorded them ([`required_fields`]); an OPTIONAL one the citizen may skip.
    pub fields: Vec<firmadesk_verify::RequiredField>,
}

/// The fields of a document IO Sign holds (`metadata.signature_fields`) that must be signed: every clause but
/// an OPTIONAL one, an existing field by its name, a created one at IO's coordinates.
pub fn required_fields(metadata: &iosign::DocumentMetadata) -> Vec<firmadesk_verify::RequiredField> {
    use firmadesk_verify::RequiredField;
    metadata
        .signature_fields
        .iter()
        .filter(|f| f.clause.type_ != iosign::ClauseType::Optional)
        .map(|f| match &f.attrs {
            iosign::SignatureFieldAttrs::Existing(e) => RequiredField::Named(e.unique_name.clone()),
            iosign::SignatureFieldAttrs::ToBeCreated(c) => RequiredField::FromTop {
                page: c.page,
                x: c.coordinates.x,
                y: c.coordinates.y,
                w: c.size.w,
                h: c.size.h,
            },
        })
        .collect()
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
            fields: against.fields.clone(),
            trust_anchors: against.trust_anchors.clone(),
            anchor_periods: against.anchor_periods.clone(),
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

/// The timeline entry of a verification kept in `record`, made by FirmaDesk at `at_ms`: its verdict and codes
/// as the entry's values (the app words it in the clerk's language), the Italian text for the rest.
pub fn event(record: &Verification, at_ms: i64) -> Event {
    let verdict_it = match record.verdict.as_str() {
        "valid" => "Firma valida",
        "valid_with_warnings" => "Firma valida, avvisi",
        _ => "Firma non valida",
    };
    let args = [("verdict", record.verdict.clone()), ("codes", record.codes.join(","))]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    Event {
        request_id: record.request_id.clone(),
        at: at_ms,
        actor: "firmadesk".into(),
        code: "verified".into(),
        text: format!("Verifica della firma: {verdict_it}"),
        detail_json: Event::detail_of_args(&args),
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

#[cfg(test)]
mod tests {
    use super::*;
    use firmadesk_verify::RequiredField;

    /// What IO Sign recorded of a document's fields becomes what its signed copy must carry: REQUIRED and
    /// UNFAIR clauses, an existing field by name and a created one at IO's coordinates; an OPTIONAL clause
    /// is the citizen's choice.
    #[test]
    fn the_required_and_unfair_clauses_must_be_signed_the_optional_may_not() {
        let metadata: iosign::DocumentMetadata = serde_json::from_value(serde_json::json!({
            "title": "Contratto",
            "signature_fields": [
                { "attrs": { "coordinates": { "x": 72.0, "y": 700.0 }, "page": 1, "size": { "w": 160.0, "h": 50.0 } },
                  "clause": { "title": "Firma del contraente", "type": "REQUIRED" } },
                { "attrs": { "unique_name": "Firma clausole" },
                  "clause": { "title": "Approvazione specifica delle clausole", "type": "UNFAIR" } },
                { "attrs": { "coordinates": { "x": 72.0, "y": 760.0 }, "page": 1, "size": { "w": 160.0, "h": 30.0 } },
                  "clause": { "title": "Consenso facoltativo", "type": "OPTIONAL" } }
            ]
        }))
        .unwrap();
        assert_eq!(
            required_fields(&metadata),
            [
                RequiredField::FromTop {
                    page: 1,
                    x: 72.0,
                    y: 700.0,
                    w: 160.0,
                    h: 50.0
                },
                RequiredField::Named("Firma clausole".into()),
            ]
        );
    }
}
