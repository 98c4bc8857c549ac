//! Preflight: the checks IO Sign runs on an upload (and at request creation), run locally before sending,
//! plus FirmaDesk's own. A request rejected by the service for something checkable here is our failure.
//!
//! Service checks (REFERENCE.md §5–7): `%PDF` header, parseable, not encrypted, each created field's page
//! exists, `x + w < width` and `y + h < height` on the MediaBox, each `unique_name` names an AcroForm
//! signature field, at least one non-optional clause when there are fields, document title 3–60 and clause
//! titles 5–80 characters. FirmaDesk's: size and page limits, fields that are already signed, no fields
//! (the citizen then signs invisibly), pages shown rotated or cropped where fields are placed.

use crate::document::{check_bytes, describe, load, DocumentInfo, Limits};
use crate::error::{ErrorKind, PdfError};
use iosign::{ClauseType, SignatureField, SignatureFieldAttrs};
use pdfium_render::prelude::Pdfium;
use serde::Serialize;
use std::collections::BTreeMap;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks sending.
    Error,
    /// Worth the clerk's attention; does not block.
    Warning,
}

/// Who would object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// IO Sign would reject the document or the request.
    Service,
    /// FirmaDesk's own rule.
    Firmadesk,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable code (`field_outside_page`, ...).
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Who objects.
    pub source: Source,
    /// Italian message for the clerk (the command line prints it; the app words the finding from `code` and
    /// `args` in the clerk's language: `preflight-<code>` in `ui/locales/<lang>.ftl`).
    pub message: String,
    /// The values the wording needs (`title`, `page`, `len`...), by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<&'static str, String>,
    /// 0-based page concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Index of the signature field concerned (in the given list), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<usize>,
}

/// The outcome of a preflight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// True when IO Sign would accept the document and its fields.
    pub service_accepts: bool,
    /// True when nothing blocks sending (no error from the service's checks or ours).
    pub ready: bool,
    /// The document, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentInfo>,
    /// Everything found, errors first.
    pub findings: Vec<Finding>,
}

/// What to check.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The PDF bytes.
    pub bytes: &'a [u8],
    /// Signature fields as they will be sent (`documents_metadata[].signature_fields`).
    pub fields: &'a [SignatureField],
    /// Document title as it will be sent, when known.
    pub title: Option<&'a str>,
    /// FirmaDesk's limits.
    pub limits: Limits,
}

fn finding(code: &'static str, severity: Severity, source: Source, message: String) -> Finding {
    Finding {
        code,
        severity,
        source,
        message,
        args: BTreeMap::new(),
        page: None,
        field: None,
    }
}

impl Finding {
    /// Adds a value the wording needs.
    fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.insert(name, value.to_string());
        self
    }
}

/// Length as the service counts it (JavaScript string length: UTF-16 code units).
fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn code_for(kind: ErrorKind) -> (&'static str, Source) {
    match kind {
        ErrorKind::Empty | ErrorKind::NotPdf => ("not_pdf", Source::Service),
        ErrorKind::Encrypted => ("encrypted", Source::Service),
        ErrorKind::Malformed | ErrorKind::PageNotFound | ErrorKind::Render => ("unreadable", Source::Service),
        // What the service's parser would make of a file that breaks our bounds is unknowable, and it is
        // never sent: it counts as refused (and is not parsed a second time without bounds below).
        ErrorKind::TooComplex => ("too_complex", Source::Service),
        ErrorKind::TooLarge => ("too_large", Source::Firmadesk),
        ErrorKind::TooManyPages => ("too_many_pages", Source::Firmadesk),
        ErrorKind::LibraryMissing | ErrorKind::Io | ErrorKind::Write => ("internal", Source::Firmadesk),
    }
}

/// Runs every check. Only a missing pdfium library is an `Err`: everything about the document is a finding.
pub fn run(pdfium: &Pdfium, input: Input<'_>) -> Report {
    let mut findings = request_findings(&input);
    let document = match load(pdfium, input.bytes, &input.limits).and_then(|doc| describe(&doc, input.bytes)) {
        Ok(info) => Some(info),
        Err(e) => {
            let (code, source) = code_for(e.kind());
            // Our limits do not tell whether the service would take the file: check what it checks.
            let service_view = if source == Source::Firmadesk {
                service_only_verdict(pdfium, input.bytes)
            } else {
                None
            };
            findings.push(finding(code, Severity::Error, source, e.message().to_string()));
            if let Some(service_error) = service_view {
                findings.push(service_error);
            }
            None
        }
    };
    if let Some(info) = &document {
        findings.extend(field_findings(&input, info));
        if !crate::structure::parses(input.bytes) {
            findings.push(finding(
                "repaired_structure",
                Severity::Warning,
                Source::Firmadesk,
                "Il PDF ha una struttura interna danneggiata che FirmaDesk ha potuto riparare, ma il servizio potrebbe rifiutarlo: se possibile rigenerarlo dal programma di origine.".into(),
            ));
        }
    }
    findings.sort_by_key(|f| f.severity != Severity::Error);
    let service_accepts = !findings
        .iter()
        .any(|f| f.severity == Severity::Error && f.source == Source::Service);
    let ready = !findings.iter().any(|f| f.severity == Severity::Error);
    Report {
        service_accepts,
        ready,
        document,
        findings,
    }
}

/// For files over our limits: the service's own verdict on header, encryption and parseability.
fn service_only_verdict(pdfium: &Pdfium, bytes: &[u8]) -> Option<Finding> {
    let unlimited = Limits {
        max_bytes: u64::MAX,
        max_pages: u32::MAX,
    };
    let err: PdfError = match check_bytes(bytes, &unlimited) {
        Err(e) => e,
        Ok(()) => pdfium
            .load_pdf_from_byte_slice(bytes, None)
            .err()
            .map(crate::error::from_load_error)?,
    };
    let (code, source) = code_for(err.kind());
    Some(finding(code, Severity::Error, source, err.message().to_string()))
}

/// Checks on the request itself (titles, clauses) that the service runs when the request is created.
fn request_findings(input: &Input<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(title) = input.title {
        let len = js_len(title.trim());
        if !(3..=60).contains(&len) {
            out.push(
                finding(
                    "title_length",
                    Severity::Error,
                    Source::Service,
                    format!("Il titolo del documento deve avere da 3 a 60 caratteri (ne ha {len})."),
                )
                .with("len", len),
            );
        }
    }
    for (i, field) in input.fields.iter().enumerate() {
        let len = js_len(&field.clause.title);
        if !(5..=80).contains(&len) {
            out.push(Finding {
                field: Some(i),
                ..finding(
                    "clause_title_length",
                    Severity::Error,
                    Source::Service,
                    format!(
                        "Il titolo della firma n. {} deve avere da 5 a 80 caratteri (ne ha {len}).",
                        i + 1
                    ),
                )
                .with("n", i + 1)
                .with("len", len)
            });
        }
    }
    if !input.fields.is_empty() && input.fields.iter().all(|f| f.clause.type_ == ClauseType::Optional) {
        out.push(finding(
            "only_optional_clauses",
            Severity::Error,
            Source::Service,
            "Almeno una firma deve essere obbligatoria o vessatoria: con solo firme facoltative il servizio rifiuta la richiesta.".into(),
        ));
    }
    if input.fields.is_empty() {
        out.push(finding(
            "no_fields",
            Severity::Warning,
            Source::Firmadesk,
            "Nessun campo firma: il cittadino apporrà una firma invisibile sull'intero documento.".into(),
        ));
    }
    out
}

/// Checks of each field against the document.
fn field_findings(input: &Input<'_>, info: &DocumentInfo) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, field) in input.fields.iter().enumerate() {
        let label = format!("«{}»", field.clause.title);
        match &field.attrs {
            SignatureFieldAttrs::ToBeCreated(attrs) => {
                let Some(page) = info.pages.get(attrs.page as usize) else {
                    out.push(Finding {
                        field: Some(i),
                        page: Some(attrs.page),
                        ..finding(
                            "page_not_found",
                            Severity::Error,
                            Source::Service,
                            format!(
                                "La firma {label} è sulla pagina {}, ma il documento ha {} pagine.",
                                attrs.page + 1,
                                info.page_count
                            ),
                        )
                        .with("title", &field.clause.title)
                        .with("page", attrs.page + 1)
                        .with("pages", info.page_count)
                    });
                    continue;
                };
                let (x, y, w, h) = (attrs.coordinates.x, attrs.coordinates.y, attrs.size.w, attrs.size.h);
                if !(x + w < page.width && y + h < page.height) {
                    out.push(Finding {
                        field: Some(i),
                        page: Some(attrs.page),
                        ..finding(
                            "field_outside_page",
                            Severity::Error,
                            Source::Service,
                            format!(
                                "La firma {label} esce dalla pagina {} ({:.0}×{:.0} punti): spostarla o ridurla.",
                                attrs.page + 1,
                                page.width,
                                page.height
                            ),
                        )
                        .with("title", &field.clause.title)
                        .with("page", attrs.page + 1)
                        .with("width", format!("{:.0}", page.width))
                        .with("height", format!("{:.0}", page.height))
                    });
                }
                if page.placement_differs() {
                    out.push(Finding {
                        field: Some(i),
                        page: Some(attrs.page),
                        ..finding(
                            "page_rotated_or_cropped",
                            Severity::Warning,
                            Source::Firmadesk,
                            format!(
                                "La pagina {} è ruotata o ritagliata: il servizio posiziona la firma {label} ignorando rotazione e ritaglio. Verificare la posizione o usare un PDF senza rotazione.",
                                attrs.page + 1
                            ),
                        )
                        .with("title", &field.clause.title)
                        .with("page", attrs.page + 1)
                    });
                }
            }
            SignatureFieldAttrs::Existing(attrs) => {
                match info.signature_fields.iter().find(|f| f.name == attrs.unique_name) {
                    None => out.push(Finding {
                        field: Some(i),
                        ..finding(
                            "field_not_found",
                            Severity::Error,
                            Source::Service,
                            format!(
                                "Il campo firma \"{}\" indicato per {label} non esiste nel documento.",
                                attrs.unique_name
                            ),
                        )
                        .with("name", &attrs.unique_name)
                        .with("title", &field.clause.title)
                    }),
                    Some(existing) if existing.signed => out.push(Finding {
                        field: Some(i),
                        page: Some(existing.page),
                        ..finding(
                            "field_already_signed",
                            Severity::Error,
                            Source::Firmadesk,
                            format!(
                                "Il campo firma \"{}\" è già firmato: sceglierne un altro.",
                                attrs.unique_name
                            ),
                        )
                        .with("name", &attrs.unique_name)
                    }),
                    Some(_) => {}
                }
            }
        }
    }
    if info.has_signatures {
        out.push(finding(
            "document_already_signed",
            Severity::Warning,
            Source::Firmadesk,
            "Il documento contiene già delle firme: la nuova firma si aggiungerà a quelle esistenti.".into(),
        ));
    }
    out
}
