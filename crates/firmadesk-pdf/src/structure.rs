//! Structural facts pdfium does not expose: whether the trailer declares encryption (pdfium silently opens
//! documents with an empty user password, while the service's parser refuses any encrypted document) and
//! which signature fields already hold a value. Read with lopdf, a pure-Rust parser; when it cannot parse
//! a file that pdfium repaired, these answers fall back to "not encrypted" / "no signed fields" and pdfium's
//! own errors decide.

use lopdf::{Document, Object};
use std::collections::BTreeSet;

/// True when the document declares an `/Encrypt` dictionary.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    match Document::load_mem(bytes) {
        Ok(doc) => doc.is_encrypted() || doc.was_encrypted(),
        // lopdf refuses some encrypted files outright; look for the trailer key itself in the file's tail,
        // where trailers and xref-stream dictionaries live.
        Err(_) => {
            let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
            tail.windows(8).any(|w| w == b"/Encrypt")
        }
    }
}

/// Parses the document, if lopdf can.
pub fn parses(bytes: &[u8]) -> bool {
    Document::load_mem(bytes).is_ok()
}

/// Fully qualified names of `/Sig` fields that carry a value (`/V`), i.e. already signed.
pub fn signed_field_names(bytes: &[u8]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(doc) = Document::load_mem(bytes) else { return out };
    let Ok(catalog) = doc.catalog() else { return out };
    let fields = catalog
        .get(b"AcroForm")
        .and_then(|o| resolve(&doc, o).as_dict())
        .and_then(|form| form.get(b"Fields"))
        .map(|o| resolve(&doc, o).clone());
    if let Ok(Object::Array(fields)) = fields {
        for field in &fields {
            walk(&doc, field, "", None, &mut out, 0);
        }
    }
    out
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        other => other,
    }
}

fn walk(
    doc: &Document,
    node: &Object,
    parent: &str,
    inherited_ft: Option<&[u8]>,
    out: &mut BTreeSet<String>,
    depth: u8,
) {
    // Malicious files can nest fields without end: the depth bound keeps this linear.
    if depth > 32 {
        return;
    }
    let Ok(dict) = resolve(doc, node).as_dict() else { return };
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
        out.insert(name.clone());
    }
    if let Ok(Object::Array(kids)) = dict.get(b"Kids").map(|k| resolve(doc, k)) {
        for kid in kids {
            walk(doc, kid, &name, ft, out, depth + 1);
        }
    }
}
