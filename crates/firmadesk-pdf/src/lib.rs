//! FirmaDesk PDF core: pdfium rendering, signature fields, preflight
//!
//! Skeleton: filled by its own issue.
