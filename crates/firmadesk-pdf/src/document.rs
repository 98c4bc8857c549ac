//! Opening a PDF and reading what placement and preflight need: pages, sizes, boxes, signature fields.

use crate::error::{from_load_error, ErrorKind, PdfError};
use crate::structure;
use pdfium_render::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Limits FirmaDesk applies before handing a file to pdfium.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Most pages accepted.
    pub max_pages: u32,
}

impl Default for Limits {
    /// 30 MB and 500 pages: far above a contract or a form, and still something a citizen can open and
    /// sign on a phone. IO Sign itself sets no limit.
    fn default() -> Self {
        Self {
            max_bytes: 30 * 1024 * 1024,
            max_pages: 500,
        }
    }
}

/// One page, in PDF points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageInfo {
    /// 0-based index (the service's `page`).
    pub index: u32,
    /// MediaBox width in points (what the service measures fields against).
    pub width: f64,
    /// MediaBox height in points.
    pub height: f64,
    /// Page rotation in degrees (0, 90, 180, 270). The service ignores it when placing fields.
    pub rotation: u16,
    /// True when the CropBox differs from the MediaBox (what viewers show differs from what the service
    /// measures).
    pub cropped: bool,
}

impl PageInfo {
    /// True when the page is shown differently from how the service places fields on it.
    pub fn placement_differs(&self) -> bool {
        self.rotation != 0 || self.cropped
    }
}

/// An AcroForm signature field, in the service's convention: top-left origin, y down, points, 0-based page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureFieldInfo {
    /// Fully qualified field name (the service's `unique_name`).
    pub name: String,
    /// 0-based page.
    pub page: u32,
    /// Left edge, points from the page's left.
    pub x: f64,
    /// Top edge, points from the page's top.
    pub y: f64,
    /// Width in points.
    pub w: f64,
    /// Height in points.
    pub h: f64,
    /// True when the field already holds a signature.
    pub signed: bool,
}

impl SignatureFieldInfo {
    /// The field as coordinates: PagoPA advises creating fields by coordinates rather than relying on
    /// pre-made AcroForm fields (some viewers draw the latter wrongly).
    pub fn to_coordinates(&self) -> iosign::SignatureFieldToBeCreatedAttrs {
        iosign::SignatureFieldToBeCreatedAttrs {
            coordinates: iosign::Coordinates { x: self.x, y: self.y },
            page: self.page,
            size: iosign::Size { w: self.w, h: self.h },
        }
    }
}

/// What FirmaDesk knows about a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentInfo {
    /// File size in bytes.
    pub size: u64,
    /// sha256 of the bytes, hex.
    pub sha256: String,
    /// Number of pages.
    pub page_count: u32,
    /// Every page.
    pub pages: Vec<PageInfo>,
    /// AcroForm signature fields (text and other fields are ignored, as the service does).
    pub signature_fields: Vec<SignatureFieldInfo>,
    /// True when the document already carries at least one signature.
    pub has_signatures: bool,
    /// The PDF/A level the document declares (`"2B"`, `"1A"`...; see [`declared_pdfa`]), `None` when it
    /// declares none. The AgID guidelines prefer PDF/A for what is kept: the form warns before sending.
    pub pdfa: Option<String>,
}

/// sha256 of some bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks that precede parsing: empty, too large, not a PDF, too complex (the bounded
/// [`structure::scan`]), encrypted.
pub fn check_bytes(bytes: &[u8], limits: &Limits) -> Result<(), PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::new(
            ErrorKind::Empty,
            "Il file è vuoto: scegliere il PDF corretto.",
        ));
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(PdfError::new(
            ErrorKind::TooLarge,
            format!(
                "Il file pesa {} MB: il limite è {} MB. Ridurre il PDF (ad esempio stampandolo di nuovo in PDF) e riprovare.",
                bytes.len().div_ceil(1024 * 1024),
                limits.max_bytes / (1024 * 1024)
            ),
        ));
    }
    if !bytes.starts_with(b"%PDF") {
        let what = if bytes.starts_with(b"PK\x03\x04") {
            " (sembra un archivio ZIP o un documento Office)"
        } else {
            ""
        };
        return Err(PdfError::new(
            ErrorKind::NotPdf,
            format!("Il file non è un PDF{what}: Firma con IO accetta solo documenti PDF."),
        ));
    }
    // Bounded parse before pdfium sees the bytes: loops, bombs and absurd structures stop here.
    if structure::scan(bytes)?.encrypted {
        return Err(PdfError::new(
            ErrorKind::Encrypted,
            "Il PDF è cifrato o protetto da password: Firma con IO non accetta documenti cifrati. Salvarne una copia senza protezione e riprovare.",
        ));
    }
    Ok(())
}

/// Opens a document with pdfium after the byte checks; the caller keeps the bytes alive.
pub fn load<'a>(pdfium: &'a Pdfium, bytes: &'a [u8], limits: &Limits) -> Result<PdfDocument<'a>, PdfError> {
    check_bytes(bytes, limits)?;
    let document = pdfium.load_pdf_from_byte_slice(bytes, None).map_err(from_load_error)?;
    let pages = document.pages().len().max(0) as u32;
    if pages == 0 {
        return Err(PdfError::new(
            ErrorKind::Malformed,
            "Il PDF non contiene pagine: rigenerarlo e riprovare.",
        ));
    }
    if pages > limits.max_pages {
        return Err(PdfError::new(
            ErrorKind::TooManyPages,
            format!(
                "Il PDF ha {pages} pagine: il limite è {}. Dividere il documento e riprovare.",
                limits.max_pages
            ),
        ));
    }
    Ok(document)
}

/// A coordinate as the service reads it. pdfium parses the file's numbers into f32; the shortest decimal
/// that round-trips is the number as written ("595.28"), which the service's parser reads as a double.
/// Widening the f32 instead (595.2800293) would accept a box ending exactly on the page edge.
fn points(v: PdfPoints) -> f64 {
    v.value.to_string().parse().unwrap_or(f64::from(v.value))
}

fn rect_differs(a: &PdfRect, b: &PdfRect) -> bool {
    let d = |x: PdfPoints, y: PdfPoints| (x.value - y.value).abs() > 0.01;
    d(a.left(), b.left()) || d(a.right(), b.right()) || d(a.top(), b.top()) || d(a.bottom(), b.bottom())
}

fn rotation_degrees(page: &PdfPage) -> u16 {
    match page.rotation() {
        Ok(PdfPageRenderRotation::Degrees90) => 90,
        Ok(PdfPageRenderRotation::Degrees180) => 180,
        Ok(PdfPageRenderRotation::Degrees270) => 270,
        _ => 0,
    }
}

/// Reads pages and signature fields of a loaded document.
pub fn describe(document: &PdfDocument, bytes: &[u8]) -> Result<DocumentInfo, PdfError> {
    let signed_names = structure::signed_field_names(bytes)?;
    let mut pages = Vec::new();
    let mut fields = Vec::new();
    for (index, page) in document.pages().iter().enumerate() {
        let index = index as u32;
        let media = page
            .boundaries()
            .media()
            .map(|b| b.bounds)
            .unwrap_or_else(|_| page.page_size());
        let cropped = page
            .boundaries()
            .crop()
            .map(|c| rect_differs(&c.bounds, &media))
            .unwrap_or(false);
        let width = points(media.right()) - points(media.left());
        let height = points(media.top()) - points(media.bottom());
        pages.push(PageInfo {
            index,
            width,
            height,
            rotation: rotation_degrees(&page),
            cropped,
        });
        for annotation in page.annotations().iter() {
            let Some(field) = annotation.as_form_field() else {
                continue;
            };
            if field.as_signature_field().is_none() {
                continue;
            }
            let Ok(bounds) = annotation.bounds() else { continue };
            let name = field.name().unwrap_or_default();
            // pdfium gives the widget rectangle in page space (origin bottom-left of the MediaBox).
            let left = points(bounds.left()) - points(media.left());
            let top = points(media.top()) - points(bounds.top());
            fields.push(SignatureFieldInfo {
                signed: signed_names.contains(&name),
                name,
                page: index,
                x: left,
                y: top,
                w: points(bounds.right()) - points(bounds.left()),
                h: points(bounds.top()) - points(bounds.bottom()),
            });
        }
    }
    // pdfium lists every /Sig field as a "signature", empty ones included: only those with bytes count.
    let has_signatures = !signed_names.is_empty() || document.signatures().iter().any(|s| !s.bytes().is_empty());
    Ok(DocumentInfo {
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        page_count: pages.len() as u32,
        pages,
        signature_fields: fields,
        has_signatures,
        pdfa: declared_pdfa(bytes),
    })
}

/// The PDF/A level a document declares in its XMP metadata: `pdfaid:part` (1 to 4) and
/// `pdfaid:conformance` (A, B, U, E, F), as `"2B"`; the last declaration in the file wins (an incremental
/// update adds a newer one after the older). PDF/A forbids filtering the metadata stream, so a
/// declaration is readable in the bytes as they are. This reads the claim, it does not validate the
/// file against ISO 19005 (veraPDF does that); a file that claims nothing is surely not PDF/A.
pub fn declared_pdfa(bytes: &[u8]) -> Option<String> {
    /// The value after the last `key`, as an attribute (`key="2"`, `key='2'`) or an element (`<key>2<`).
    fn last_value(bytes: &[u8], key: &[u8]) -> Option<u8> {
        let mut end = bytes.len();
        while let Some(at) = bytes[..end].windows(key.len()).rposition(|w| w == key) {
            let rest = &bytes[at + key.len()..];
            // A closing tag (`</pdfaid:part>`) is followed by the next tag, not by a value.
            let value = match rest {
                [b'=', b'"' | b'\'', v, ..] | [b'>', v, ..] if v.is_ascii_alphanumeric() => Some(*v),
                _ => None,
            };
            if value.is_some() {
                return value;
            }
            end = at;
        }
        None
    }
    let part = last_value(bytes, b"pdfaid:part").filter(|p| (b'1'..=b'4').contains(p))?;
    let conformance = last_value(bytes, b"pdfaid:conformance")
        .map(|c| c.to_ascii_uppercase())
        .filter(|c| b"ABUEF".contains(c));
    let mut level = String::from(part as char);
    if let Some(c) = conformance {
        level.push(c as char);
    }
    Some(level)
}

/// Opens and describes a document in one call.
pub fn inspect(pdfium: &Pdfium, bytes: &[u8], limits: &Limits) -> Result<DocumentInfo, PdfError> {
    let document = load(pdfium, bytes, limits)?;
    describe(&document, bytes)
}

/// Reads a file with the size limit applied before reading it whole.
pub fn read_file(path: &std::path::Path, limits: &Limits) -> Result<Vec<u8>, PdfError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        PdfError::new(
            ErrorKind::Io,
            format!("Impossibile leggere il file {}: verificare che esista.", path.display()),
        )
        .with_detail(e)
    })?;
    if meta.len() > limits.max_bytes {
        return Err(PdfError::new(
            ErrorKind::TooLarge,
            format!(
                "Il file pesa {} MB: il limite è {} MB. Ridurre il PDF e riprovare.",
                meta.len().div_ceil(1024 * 1024),
                limits.max_bytes / (1024 * 1024)
            ),
        ));
    }
    std::fs::read(path).map_err(|e| {
        PdfError::new(
            ErrorKind::Io,
            format!("Impossibile leggere il file {}.", path.display()),
        )
        .with_detail(e)
    })
}

#[cfg(test)]
mod pdfa_tests {
    use super::declared_pdfa;

    #[test]
    fn the_declared_pdfa_level_is_read_from_the_xmp_in_either_form_and_the_last_wins() {
        let attribute = br#"%PDF-1.7 ... <rdf:Description pdfaid:part="2" pdfaid:conformance="B"/> %%EOF"#;
        assert_eq!(declared_pdfa(attribute).as_deref(), Some("2B"));
        let element = b"<x:xmpmeta><pdfaid:part>1</pdfaid:part><pdfaid:conformance>a</pdfaid:conformance></x:xmpmeta>";
        assert_eq!(declared_pdfa(element).as_deref(), Some("1A"));
        // PDF/A-4 has no conformance letter.
        assert_eq!(declared_pdfa(b"<pdfaid:part>4</pdfaid:part>").as_deref(), Some("4"));
        // An incremental update's newer metadata after the older.
        let updated = b"pdfaid:part='1' pdfaid:conformance='B' ... pdfaid:part='3' pdfaid:conformance='U'";
        assert_eq!(declared_pdfa(updated).as_deref(), Some("3U"));
        // A namespace declaration alone, a part out of range, or nothing: not PDF/A.
        assert_eq!(declared_pdfa(b"xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""), None);
        assert_eq!(declared_pdfa(b"pdfaid:part=\"9\""), None);
        assert_eq!(declared_pdfa(b"%PDF-1.4 plain"), None);
        assert_eq!(declared_pdfa(b""), None);
        assert_eq!(declared_pdfa(b"pdfaid:part"), None);
    }
}
