//! The bounded structural scan every PDF passes before pdfium sees it, and the structural facts pdfium
//! does not expose: whether the trailer declares encryption (pdfium silently opens documents with an
//! empty user password, while the service's parser refuses any encrypted document) and which signature
//! fields already hold a value.
//!
//! Read with lopdf, a pure-Rust parser, with bounded work and memory (issue #10, item 3): object and
//! cross-reference streams inflate to at most [`MAX_INFLATED_STREAM`] while loading; every other stream
//! is test-inflated within the same cap and a whole-document budget ([`MAX_INFLATED_TOTAL`]), because
//! pdfium would inflate it whole when rendering; images are bounded by their declared pixels
//! ([`MAX_IMAGE_PIXELS`]); the AcroForm field walk visits each object once, refuses fields shared
//! between parents (a loop or a DAG costs exponential time in a naive walk, pdfium's included) and
//! stops after [`MAX_FIELD_NODES`] nodes. A bound that is hit is a [`ErrorKind::TooComplex`] error.
//!
//! When lopdf cannot parse a file that pdfium repairs, the facts fall back to "not encrypted" / "no
//! signed fields" and pdfium's own errors decide.
//!
//! # Example
//! ```
//! // A file lopdf cannot parse passes the scan: pdfium decides about it.
//! let facts = firmadesk_pdf::structure::scan(b"%PDF-1.7 damaged").unwrap();
//! assert!(!facts.parsed);
//! ```
//!
//! [`ErrorKind::TooComplex`]: crate::ErrorKind::TooComplex

use crate::error::{too_complex, PdfError};
use lopdf::{Document, LoadOptions, Object, ObjectId};
use std::collections::{BTreeSet, HashSet};

/// Largest size, in bytes, one stream may inflate to (object streams, content streams, fonts). Real
/// object streams and page contents stay in the low megabytes.
pub const MAX_INFLATED_STREAM: usize = 64 * 1024 * 1024;

/// Largest total, in bytes, the non-image streams of one document may inflate to.
pub const MAX_INFLATED_TOTAL: usize = 256 * 1024 * 1024;

/// Most pixels one image may declare: 100 MP is an A3 page scanned at 600 dpi.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;

/// Most AcroForm field nodes walked in one document.
pub const MAX_FIELD_NODES: usize = 20_000;

/// Deepest AcroForm field nesting followed (pdfium follows 32 levels too).
pub const MAX_FIELD_DEPTH: usize = 32;

/// What the bounded scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// lopdf parsed the file (when false, nothing else was checked: pdfium decides).
    pub parsed: bool,
    /// The document declares an `/Encrypt` dictionary.
    pub encrypted: bool,
    /// Fully qualified names of `/Sig` fields that carry a value (`/V`), i.e. already signed.
    pub signed_fields: BTreeSet<String>,
}

/// The bounded structural scan: parses the file with lopdf within the bounds above and reads what
/// pdfium does not tell. `Err` only when a bound is hit ([`crate::ErrorKind::TooComplex`]).
///
/// This is the entry point for untrusted bytes that must not reach pdfium unchecked;
/// [`crate::document::check_bytes`] calls it.
pub fn scan(bytes: &[u8]) -> Result<Facts, PdfError> {
    let doc = match load(bytes) {
        Ok(doc) => doc,
        Err(e) if over_limit(&e) => return Err(too_complex(format!("lopdf load: {e}"))),
        Err(_) => {
            // lopdf could not parse it, so its capped inflation never ran; pdfium repairs and reads such
            // files and inflates their streams without a cap. Bound the raw streams ourselves first.
            raw_streams_within_bounds(bytes)?;
            return Ok(Facts {
                parsed: false,
                encrypted: encrypt_in_tail(bytes),
                signed_fields: BTreeSet::new(),
            });
        }
    };
    let encrypted = doc.is_encrypted() || doc.was_encrypted();
    if !encrypted {
        // Encrypted streams cannot be inflated without the key; the document is refused anyway.
        check_streams(&doc)?;
    }
    let signed_fields = signed_fields(&doc)?;
    Ok(Facts {
        parsed: true,
        encrypted,
        signed_fields,
    })
}

fn load(bytes: &[u8]) -> lopdf::Result<Document> {
    Document::load_mem_with_options(bytes, LoadOptions::with_max_decompressed_size(MAX_INFLATED_STREAM))
}

fn over_limit(e: &lopdf::Error) -> bool {
    matches!(
        e,
        lopdf::Error::Decompress(
            lopdf::DecompressError::MemoryLimitExceeded { .. } | lopdf::DecompressError::TooManyFilters { .. }
        )
    )
}

/// For a file lopdf cannot parse: every `stream` found in the raw bytes is test-inflated (zlib, then again
/// while the output is itself zlib, as chained `/FlateDecode` filters are), each layer within
/// [`MAX_INFLATED_STREAM`] and all of them within [`MAX_INFLATED_TOTAL`]. Bytes that do not inflate are
/// left to pdfium (other filters, garbage): only a bomb is refused.
fn raw_streams_within_bounds(bytes: &[u8]) -> Result<(), PdfError> {
    use std::io::Read;
    const MAX_LAYERS: usize = 8;
    let mut total = 0usize;
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"stream") {
        let mut start = from + at + b"stream".len();
        from = start;
        // `endstream` contains `stream`: only a keyword followed by an end of line opens a stream.
        match bytes.get(start..start + 2) {
            Some([b'\r', b'\n']) => start += 2,
            Some([b'\n', _]) | Some([b'\r', _]) => start += 1,
            _ => continue,
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e);
        let mut layer: Vec<u8> = bytes[start..end].to_vec();
        for _ in 0..MAX_LAYERS {
            let cap = MAX_INFLATED_STREAM.min(MAX_INFLATED_TOTAL - total);
            let mut out = Vec::new();
            let read = flate2::read::ZlibDecoder::new(layer.as_slice())
                .take(cap as u64 + 1)
                .read_to_end(&mut out);
            if out.len() > cap {
                return Err(too_complex(format!(
                    "a stream of an unparsable file inflates beyond {cap} bytes"
                )));
            }
            if read.is_err() && out.is_empty() {
                break; // not zlib: pdfium decides
            }
            total += out.len();
            layer = out;
        }
        from = end.max(from);
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// lopdf refuses some encrypted files outright; look for the trailer key itself in the file's tail, where
/// trailers and xref-stream dictionaries live.
fn encrypt_in_tail(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    tail.windows(8).any(|w| w == b"/Encrypt")
}

/// Parses the document, if lopdf can within the bounds.
pub(crate) fn parses(bytes: &[u8]) -> bool {
    load(bytes).is_ok()
}

/// Fully qualified names of the signed `/Sig` fields; empty when lopdf cannot parse the file.
pub(crate) fn signed_field_names(bytes: &[u8]) -> Result<BTreeSet<String>, PdfError> {
    match load(bytes) {
        Ok(doc) => signed_fields(&doc),
        Err(e) if over_limit(&e) => Err(too_complex(format!("lopdf load: {e}"))),
        Err(_) => Ok(BTreeSet::new()),
    }
}

/// Inflates every non-image stream within the caps (the bytes are dropped at once: only the sizes
/// matter) and checks every image's declared pixels.
fn check_streams(doc: &Document) -> Result<(), PdfError> {
    let mut total = 0usize;
    for (id, object) in &doc.objects {
        let Object::Stream(stream) = object else { continue };
        let dict = &stream.dict;
        if dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice()) {
            let dim = |key: &[u8]| match dict.get(key).map(|o| resolve(doc, o)) {
                Ok(Object::Integer(n)) => (*n).max(0) as u64,
                _ => 0,
            };
            let pixels = dim(b"Width").saturating_mul(dim(b"Height"));
            if pixels > MAX_IMAGE_PIXELS {
                return Err(too_complex(format!("image {id:?} declares {pixels} pixels")));
            }
            // pdfium decodes images row by row up to the declared size: the pixels bound them.
            continue;
        }
        if dict.get(b"Filter").is_err() {
            continue;
        }
        match stream.decompressed_content_with_limit(MAX_INFLATED_STREAM.min(MAX_INFLATED_TOTAL - total)) {
            Ok(content) => total += content.len(),
            Err(e) if over_limit(&e) => return Err(too_complex(format!("stream {id:?}: {e}"))),
            // Filters lopdf does not decode (DCT, JBIG2, ...) or damaged data: pdfium decides.
            Err(_) => {}
        }
    }
    Ok(())
}

fn signed_fields(doc: &Document) -> Result<BTreeSet<String>, PdfError> {
    let mut walk = FieldWalk {
        doc,
        seen: HashSet::new(),
        nodes: 0,
        out: BTreeSet::new(),
    };
    let Ok(catalog) = doc.catalog() else {
        return Ok(walk.out);
    };
    let fields = catalog
        .get(b"AcroForm")
        .and_then(|o| resolve(doc, o).as_dict())
        .and_then(|form| form.get(b"Fields"))
        .map(|o| resolve(doc, o).clone());
    if let Ok(Object::Array(fields)) = fields {
        for field in &fields {
            // The same field listed twice in /Fields is a common producer bug, harmless: walked once.
            if let Object::Reference(id) = field {
                if walk.seen.contains(id) {
                    continue;
                }
            }
            walk.field(field, "", None, 0)?;
        }
    }
    Ok(walk.out)
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        other => other,
    }
}

/// A walk of the AcroForm field tree that visits each node once and counts its work.
struct FieldWalk<'a> {
    doc: &'a Document,
    seen: HashSet<ObjectId>,
    nodes: usize,
    out: BTreeSet<String>,
}

impl FieldWalk<'_> {
    fn field(
        &mut self,
        node: &Object,
        parent: &str,
        inherited_ft: Option<&[u8]>,
        depth: usize,
    ) -> Result<(), PdfError> {
        if depth > MAX_FIELD_DEPTH {
            return Ok(());
        }
        self.nodes += 1;
        if self.nodes > MAX_FIELD_NODES {
            return Err(too_complex(format!("more than {MAX_FIELD_NODES} form field nodes")));
        }
        if let Object::Reference(id) = node {
            // A field tree is a tree: a node met twice is a loop or a shared child, and walking it again
            // is what makes a 60-object file cost 2^30 steps.
            if !self.seen.insert(*id) {
                return Err(too_complex(format!("form field {id:?} is reached twice")));
            }
        }
        let doc = self.doc;
        let Ok(dict) = resolve(doc, node).as_dict() else {
            return Ok(());
        };
        let partial = dict.get(b"T").ok().and_then(|t| match resolve(doc, t) {
            Object::String(s, _) => Some(String::from_utf8_lossy(s).into_owned()),
            _ => None,
        });
        let name = match (&partial, parent.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{parent}.{p}"),
            (None, _) => parent.to_string(),
        };
        let ft = dict.get(b"FT").ok().and_then(|o| o.as_name().ok()).or(inherited_ft);
        if ft == Some(b"Sig".as_slice()) && dict.has(b"V") && !matches!(dict.get(b"V"), Ok(Object::Null)) {
            self.out.insert(name.clone());
        }
        if let Ok(Object::Array(kids)) = dict.get(b"Kids").map(|k| resolve(doc, k)) {
            for kid in kids {
                self.field(kid, &name, ft, depth + 1)?;
            }
        }
        Ok(())
    }
}
