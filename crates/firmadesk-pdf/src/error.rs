//! Errors of the PDF core: a kind for code, an Italian message for the clerk, a detail for the log.

use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// pdfium could not be found or loaded.
    LibraryMissing,
    /// The file could not be read.
    Io,
    /// The file is empty.
    Empty,
    /// The file is larger than the limit.
    TooLarge,
    /// The bytes are not a PDF (no `%PDF` header).
    NotPdf,
    /// The PDF is protected by a password or encrypted.
    Encrypted,
    /// The PDF is damaged beyond repair.
    Malformed,
    /// The PDF has more pages than the limit.
    TooManyPages,
    /// A page index outside the document.
    PageNotFound,
    /// pdfium failed to render a page.
    Render,
    /// The PDF hit one of the bounds on parsing work, memory or nesting (a loop in its structure, an
    /// inflate bomb, an absurd page): refused rather than let it hang or exhaust the app.
    TooComplex,
    /// A document FirmaDesk writes (a printable sheet) could not be composed.
    Write,
}

impl ErrorKind {
    /// Stable code for the UI and scripts.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::LibraryMissing => "pdf.library_missing",
            ErrorKind::Io => "pdf.io",
            ErrorKind::Empty => "pdf.empty",
            ErrorKind::TooLarge => "pdf.too_large",
            ErrorKind::NotPdf => "pdf.not_pdf",
            ErrorKind::Encrypted => "pdf.encrypted",
            ErrorKind::Malformed => "pdf.malformed",
            ErrorKind::TooManyPages => "pdf.too_many_pages",
            ErrorKind::PageNotFound => "pdf.page_not_found",
            ErrorKind::Render => "pdf.render",
            ErrorKind::TooComplex => "pdf.too_complex",
            ErrorKind::Write => "pdf.write",
        }
    }
}

/// An error of the PDF core.
#[derive(Debug, Clone, thiserror::Error)]
pub struct PdfError {
    kind: ErrorKind,
    message: String,
    detail: Option<String>,
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl PdfError {
    /// An error with its Italian message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds technical detail (for the log, never shown as the main message).
    pub fn with_detail(mut self, detail: impl fmt::Display) -> Self {
        self.detail = Some(detail.to_string());
        self
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Stable code (`pdf.encrypted`, ...).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Italian message for the clerk, saying what to do.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Technical detail, if any.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

/// The clerk's message when a parsing bound is hit; `what` is the technical reason, for the log.
pub(crate) fn too_complex(what: impl fmt::Display) -> PdfError {
    PdfError::new(
        ErrorKind::TooComplex,
        "Il PDF è troppo complesso o malformato per essere letto in sicurezza: salvarlo di nuovo come PDF/A (ad esempio con «Stampa» → «Salva come PDF» o dal programma di origine) e riprovare.",
    )
    .with_detail(what)
}

/// Maps a pdfium load error to what the clerk needs to know.
pub(crate) fn from_load_error(err: pdfium_render::prelude::PdfiumError) -> PdfError {
    use pdfium_render::prelude::{PdfiumError, PdfiumInternalError};
    match err {
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => PdfError::new(
            ErrorKind::Encrypted,
            "Il PDF è protetto da password: Firma con IO non accetta documenti cifrati. Salvarne una copia senza protezione e riprovare.",
        ),
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::SecurityError) => PdfError::new(
            ErrorKind::Encrypted,
            "Il PDF usa una protezione non supportata: salvarne una copia senza protezione e riprovare.",
        ),
        other => PdfError::new(
            ErrorKind::Malformed,
            "Il PDF è danneggiato e non può essere letto: rigenerarlo dal programma di origine (o stamparlo di nuovo in PDF) e riprovare.",
        )
        .with_detail(format!("{other:?}")),
    }
}
