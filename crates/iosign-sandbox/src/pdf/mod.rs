//! PDF checks the service runs on every upload (and on `POST /validate-document`); the stamping of signed
//! copies is in [`stamp`].
//!
//! Everything here is pure Rust (lopdf): the sandbox must run where pdfium is not installed.

use std::collections::BTreeMap;

use std::collections::HashSet;

use lopdf::{Document, LoadOptions, Object, ObjectId};

mod stamp;
pub use stamp::{stamp_lines, stamp_signed, stamp_signed_with, Sealer};

/// Largest size one object or cross-reference stream may inflate to while loading: a small upload must
/// not inflate to gigabytes inside the sandbox (the app embeds it).
pub const MAX_INFLATED_STREAM: usize = 64 * 1024 * 1024;

/// Most AcroForm field nodes walked in one upload.
pub const MAX_FIELD_NODES: usize = 20_000;

/// Reject reason when an upload breaks the bounds above (the service's parser would time out or run
/// out of memory on it; the sandbox refuses it as a document it cannot parse).
pub const TOO_COMPLEX: &str =
    "Failed to parse PDF document: the document structure is too complex (loop, shared fields or inflate bomb)";

/// A signature field as the checks need it (converted from the wire `SignatureField`).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSpec {
    /// An AcroForm signature field that must already exist in the PDF.
    Existing {
        /// Title of the clause (prefix of every message).
        clause_title: String,
        /// Fully qualified field name.
        unique_name: String,
    },
    /// A field the QTSP creates at signing time: top-left origin, y downward, points, 0-based page.
    ToBeCreated {
        /// Title of the clause (prefix of every message).
        clause_title: String,
        /// 0-based page index.
        page: f64,
        /// Left edge, points from the left of the page.
        x: f64,
        /// Top edge, points from the top of the page.
        y: f64,
        /// Width in points.
        w: f64,
        /// Height in points.
        h: f64,
    },
}

/// What the checks need to know about a loaded PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfInfo {
    /// MediaBox size (width, height) in points of each page, in order.
    pub pages: Vec<(f64, f64)>,
    /// Fully qualified names of the AcroForm fields of type `/Sig`.
    pub signature_fields: Vec<String>,
}

/// Message pdf-lib gives for bytes without a PDF header (the service surfaces it as reject reason).
pub const NO_PDF_HEADER: &str = "Failed to parse PDF document (line:0 col:0 offset=0): No PDF header found";
/// Message pdf-lib gives for an encrypted document.
pub const ENCRYPTED: &str = "Input document to `PDFDocument.load` is encrypted. You can use `PDFDocument.load(..., { ignoreEncryption: true })` if you wish to load the document anyways.";
/// Reason the service gives when the bytes do not start with `%PDF`.
pub const BAD_MAGIC: &str = "the uploaded document has an invalid file signature (not a valid PDF)";

fn load(bytes: &[u8]) -> Result<Document, String> {
    if !bytes.starts_with(b"%PDF") {
        return Err(NO_PDF_HEADER.to_string());
    }
    if has_encrypt_entry(bytes) {
        return Err(ENCRYPTED.to_string());
    }
    let doc = Document::load_mem_with_options(bytes, LoadOptions::with_max_decompressed_size(MAX_INFLATED_STREAM))
        .map_err(|e| match e {
            lopdf::Error::Decompress(_) => TOO_COMPLEX.to_string(),
            e => format!("Failed to parse PDF document: {e}"),
        })?;
    if doc.is_encrypted() || doc.encryption_state.is_some() {
        return Err(ENCRYPTED.to_string());
    }
    if doc.get_pages().is_empty() {
        return Err("Failed to parse PDF document: no pages found".to_string());
    }
    Ok(doc)
}

/// Whether a trailer (classic or cross-reference stream) declares `/Encrypt`. lopdf silently decrypts
/// documents whose user password is empty; pdf-lib refuses every encrypted document.
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

fn number(doc: &Document, o: &Object) -> Option<f64> {
    let o = match o {
        Object::Reference(id) => doc.get_object(*id).ok()?,
        o => o,
    };
    match o {
        Object::Integer(i) => Some(*i as f64),
        // lopdf stores reals as f32; the shortest decimal that round-trips is the text written in the file
        // ("595.28"), which is what pdf-lib parses into a double. Widening the f32 instead would give
        // 595.2800293 and accept a box ending exactly on the edge, which the service rejects.
        Object::Real(r) => r.to_string().parse().ok(),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        o => o,
    }
}

/// MediaBox of a page, inherited from the page tree if needed: (llx, lly, urx, ury).
fn media_box(doc: &Document, page: ObjectId) -> Option<[f64; 4]> {
    let mut current = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(mb) = current.get(b"MediaBox") {
            if let Object::Array(a) = deref(doc, mb) {
                if a.len() == 4 {
                    let v: Vec<f64> = a.iter().filter_map(|o| number(doc, o)).collect();
                    if v.len() == 4 {
                        return Some([v[0], v[1], v[2], v[3]]);
                    }
                }
            }
            return None;
        }
        let parent = current.get(b"Parent").ok()?.as_reference().ok()?;
        current = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn page_size(doc: &Document, page: ObjectId) -> (f64, f64) {
    // US Letter is what viewers assume when a page has no usable MediaBox.
    let [llx, lly, urx, ury] = media_box(doc, page).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    ((urx - llx).abs(), (ury - lly).abs())
}

fn text(o: &Object) -> Option<String> {
    match o {
        Object::String(b, _) => Some(decode_pdf_string(b)),
        _ => None,
    }
}

fn decode_pdf_string(b: &[u8]) -> String {
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

/// A terminal AcroForm field: its fully qualified name, field type and the object ids of its widgets.
#[derive(Debug)]
struct FormField {
    id: ObjectId,
    name: String,
    field_type: Option<Vec<u8>>,
    widgets: Vec<ObjectId>,
}

/// The terminal fields of the AcroForm, each node visited once: a field reached twice (a loop, or a child
/// shared by two parents, which makes a naive walk exponential) or more than [`MAX_FIELD_NODES`] nodes
/// is [`TOO_COMPLEX`].
fn form_fields(doc: &Document) -> Result<Vec<FormField>, String> {
    let mut walk = FieldWalk {
        doc,
        seen: HashSet::new(),
        out: Vec::new(),
    };
    let Ok(catalog) = doc.catalog() else {
        return Ok(walk.out);
    };
    let Ok(acroform) = catalog.get(b"AcroForm") else {
        return Ok(walk.out);
    };
    let Object::Dictionary(acroform) = deref(doc, acroform) else {
        return Ok(walk.out);
    };
    let Ok(fields) = acroform.get(b"Fields") else {
        return Ok(walk.out);
    };
    let Object::Array(fields) = deref(doc, fields) else {
        return Ok(walk.out);
    };
    for f in fields {
        // A field listed twice in /Fields is a harmless producer bug: walked once.
        if let Object::Reference(id) = f {
            if !walk.seen.contains(id) {
                walk.field(*id, None, None, 0)?;
            }
        }
    }
    Ok(walk.out)
}

struct FieldWalk<'a> {
    doc: &'a Document,
    seen: HashSet<ObjectId>,
    out: Vec<FormField>,
}

impl FieldWalk<'_> {
    fn field(
        &mut self,
        id: ObjectId,
        parent_name: Option<&str>,
        inherited_ft: Option<&[u8]>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 32 {
            return Ok(());
        }
        if !self.seen.insert(id) || self.seen.len() > MAX_FIELD_NODES {
            return Err(TOO_COMPLEX.to_string());
        }
        let doc = self.doc;
        self.walk(doc, id, parent_name, inherited_ft, depth)
    }

    fn walk(
        &mut self,
        doc: &Document,
        id: ObjectId,
        parent_name: Option<&str>,
        inherited_ft: Option<&[u8]>,
        depth: usize,
    ) -> Result<(), String> {
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(());
        };
        let partial = dict.get(b"T").ok().and_then(text);
        let name = match (parent_name, &partial) {
            (Some(p), Some(t)) => Some(format!("{p}.{t}")),
            (None, Some(t)) => Some(t.clone()),
            (Some(p), None) => Some(p.to_string()),
            (None, None) => None,
        };
        let ft = dict.get(b"FT").ok().and_then(|o| o.as_name().ok()).or(inherited_ft);
        // Kids that carry a /T are child fields; kids without one are widgets of this field.
        let mut child_fields = Vec::new();
        let mut widgets = Vec::new();
        if let Ok(kids) = dict.get(b"Kids") {
            if let Object::Array(kids) = deref(doc, kids) {
                for k in kids {
                    if let Object::Reference(kid) = k {
                        match doc.get_dictionary(*kid) {
                            Ok(kd) if kd.has(b"T") => child_fields.push(*kid),
                            Ok(_) => widgets.push(*kid),
                            Err(_) => {}
                        }
                    }
                }
            }
        }
        if child_fields.is_empty() {
            if dict.has(b"Rect") {
                widgets.push(id);
            }
            if let Some(name) = name {
                self.out.push(FormField {
                    id,
                    name,
                    field_type: ft.map(<[u8]>::to_vec),
                    widgets,
                });
            }
        } else {
            for kid in child_fields {
                self.field(kid, name.as_deref(), ft, depth + 1)?;
            }
        }
        Ok(())
    }
}

/// Loads the PDF the way the service does (pdf-lib): header, encryption, structure; then reads page
/// sizes and signature field names. `Err` holds the reject reason.
pub fn inspect(bytes: &[u8]) -> Result<PdfInfo, String> {
    let doc = load(bytes)?;
    let pages = doc.get_pages().values().map(|id| page_size(&doc, *id)).collect();
    let signature_fields = form_fields(&doc)?
        .into_iter()
        .filter(|f| f.field_type.as_deref() == Some(b"Sig"))
        .map(|f| f.name)
        .collect();
    Ok(PdfInfo {
        pages,
        signature_fields,
    })
}

/// The service's compatibility check of signature fields against a loaded PDF; one message per
/// incompatible field, in order.
pub fn check_fields(info: &PdfInfo, fields: &[FieldSpec]) -> Vec<String> {
    let mut problems = Vec::new();
    for f in fields {
        match f {
            FieldSpec::Existing {
                clause_title,
                unique_name,
            } => {
                if !info.signature_fields.iter().any(|n| n == unique_name) {
                    problems.push(format!(
                        "({clause_title}) the field \"{unique_name}\" was not found is the uploaded document"
                    ));
                }
            }
            FieldSpec::ToBeCreated {
                clause_title,
                page,
                x,
                y,
                w,
                h,
            } => {
                let found = if page.fract() == 0.0 && *page >= 0.0 {
                    info.pages.get(*page as usize)
                } else {
                    None
                };
                match found {
                    None => problems.push(format!(
                        "({clause_title}) incompatible coordinates: unable to find page {} in the uploaded document",
                        fmt_num(*page)
                    )),
                    Some((pw, ph)) => {
                        if !(x + w < *pw && y + h < *ph) {
                            problems.push(format!(
                                "({clause_title}) incompatible coordinates: they can't fit in the uploaded document"
                            ));
                        }
                    }
                }
            }
        }
    }
    problems
}

/// Formats a number like JavaScript does (`3`, not `3.0`).
fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Full upload validation: `Ok(())` or the newline-joined reject reason.
pub fn validate(bytes: &[u8], fields: &[FieldSpec]) -> Result<(), String> {
    let info = inspect(bytes)?;
    let problems = check_fields(&info, fields);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Signature fields declared in a dossier as the checks need them, read from the JSON of a
/// `DocumentMetadata` (`signature_fields` array). Entries that do not decode are skipped (bodies are
/// validated before they are stored).
pub fn field_specs(signature_fields: &serde_json::Value) -> Vec<FieldSpec> {
    let mut out = Vec::new();
    let Some(arr) = signature_fields.as_array() else {
        return out;
    };
    for f in arr {
        let clause_title = f
            .pointer("/clause/title")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let attrs = &f["attrs"];
        if let Some(name) = attrs.get("unique_name").and_then(|v| v.as_str()) {
            out.push(FieldSpec::Existing {
                clause_title,
                unique_name: name.to_string(),
            });
        } else {
            let n = |p: &str| attrs.pointer(p).and_then(serde_json::Value::as_f64);
            if let (Some(page), Some(x), Some(y), Some(w), Some(h)) = (
                n("/page"),
                n("/coordinates/x"),
                n("/coordinates/y"),
                n("/size/w"),
                n("/size/h"),
            ) {
                out.push(FieldSpec::ToBeCreated {
                    clause_title,
                    page,
                    x,
                    y,
                    w,
                    h,
                });
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// One A4 page and one 200x100 page, with a /Sig field "Firma" and a text field "Nome".
    pub(crate) fn sample_pdf() -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
        let sig_widget = doc.new_object_id();
        let text_widget = doc.new_object_id();
        let p1 = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Annots" => vec![sig_widget.into(), text_widget.into()],
        });
        let p2 = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 200.into(), 100.into()],
        });
        doc.objects.insert(
            sig_widget,
            Object::Dictionary(dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig",
                "T" => Object::string_literal("Firma"), "Rect" => vec![50.into(), 50.into(), 250.into(), 100.into()], "P" => p1,
            }),
        );
        doc.objects.insert(
            text_widget,
            Object::Dictionary(dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
                "T" => Object::string_literal("Nome"), "Rect" => vec![50.into(), 150.into(), 250.into(), 170.into()], "P" => p1,
            }),
        );
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![p1.into(), p2.into()], "Count" => 2,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(595.28), Object::Real(841.89)],
            }),
        );
        let acro = doc.add_object(dictionary! { "Fields" => vec![sig_widget.into(), text_widget.into()] });
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id, "AcroForm" => acro });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    pub(crate) fn created(page: f64, x: f64, y: f64, w: f64, h: f64) -> FieldSpec {
        FieldSpec::ToBeCreated {
            clause_title: "Firma cliente".into(),
            page,
            x,
            y,
            w,
            h,
        }
    }

    #[test]
    fn reads_pages_and_signature_fields_only() {
        let info = inspect(&sample_pdf()).unwrap();
        assert_eq!(info.pages.len(), 2);
        assert!((info.pages[0].0 - 595.28).abs() < 0.01);
        assert_eq!(info.pages[1], (200.0, 100.0));
        assert_eq!(info.signature_fields, vec!["Firma".to_string()]);
    }

    #[test]
    fn coordinates_are_strict_and_page_bound() {
        let info = inspect(&sample_pdf()).unwrap();
        assert!(check_fields(&info, &[created(1.0, 0.0, 0.0, 199.0, 99.0)]).is_empty());
        assert_eq!(
            check_fields(&info, &[created(1.0, 0.0, 0.0, 200.0, 10.0)]),
            vec!["(Firma cliente) incompatible coordinates: they can't fit in the uploaded document"]
        );
        assert_eq!(
            check_fields(&info, &[created(2.0, 0.0, 0.0, 1.0, 1.0)]),
            vec!["(Firma cliente) incompatible coordinates: unable to find page 2 in the uploaded document"]
        );
        let missing = FieldSpec::Existing {
            clause_title: "Accetto".into(),
            unique_name: "Nome".into(),
        };
        assert_eq!(
            validate(&sample_pdf(), &[missing, created(1.0, 150.0, 0.0, 60.0, 10.0)]).unwrap_err(),
            "(Accetto) the field \"Nome\" was not found is the uploaded document\n(Firma cliente) incompatible coordinates: they can't fit in the uploaded document"
        );
    }

    #[test]
    fn rejects_non_pdf_and_garbage() {
        assert_eq!(inspect(b"hello").unwrap_err(), NO_PDF_HEADER);
        assert!(inspect(b"%PDF-1.7\n garbage").is_err());
    }
}
