//! FirmaDesk's PDF core on pdfium: page previews and thumbnails, AcroForm signature-field detection,
//! coordinates between the preview and the service's convention, and a preflight that runs IO Sign's
//! upload checks locally (plus FirmaDesk's own) so a request is never rejected for something checkable here.
//!
//! The service's convention for fields: top-left origin, y down, PDF points, 0-based pages, measured on the
//! MediaBox; rotation and CropBox are ignored by the service, so pages using them are flagged.
//!
//! # Example
//! ```no_run
//! use firmadesk_pdf::{library, preflight, Limits};
//!
//! let pdfium = library::pdfium()?; // FIRMADESK_PDFIUM, the bundle, or target/pdfium
//! let bytes = std::fs::read("accordo.pdf").unwrap();
//! let report = preflight::run(pdfium, preflight::Input { bytes: &bytes, fields: &[], title: Some("Accordo"), limits: Limits::default() });
//! for finding in &report.findings {
//!     println!("{:?} {}: {}", finding.severity, finding.code, finding.message);
//! }
//! let png = firmadesk_pdf::render::render_png(pdfium, &bytes, 0, 800, 2.0, &Limits::default())?;
//! # Ok::<(), firmadesk_pdf::PdfError>(())
//! ```
#![deny(missing_docs)]

pub mod cli;
pub mod compose;
pub mod coords;
pub mod document;
pub mod error;
pub mod library;
pub mod preflight;
pub mod render;
pub mod structure;

pub use document::{inspect, DocumentInfo, Limits, PageInfo, SignatureFieldInfo};
pub use error::{ErrorKind, PdfError};
