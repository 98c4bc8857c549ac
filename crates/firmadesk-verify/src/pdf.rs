//! The PDF side: signature fields and their dictionaries, byte ranges, revisions, what an incremental
//! update changes, the `/DSS`, the original revision and the required fields (lopdf).

use std::collections::{BTreeMap, BTreeSet};

use der::Decode;
use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use x509_cert::crl::CertificateList;
use x509_cert::Certificate;

use crate::crypto::{self, Embedded};
use crate::{Code, Expect, Findings, Follows, RequiredField, SignatureReport};

/// A signature field and its widgets.
struct SigField {
    name: String,
    value: Option<Dictionary>,
    /// (page number from 1 when known, rect).
    widgets: Vec<(Option<u32>, [f64; 4])>,
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn rect_of(doc: &Document, d: &Dictionary) -> Option<[f64; 4]> {
    let arr = deref(doc, d.get(b"Rect").ok()?)?.as_array().ok()?;
    let v: Vec<f64> = arr.iter().filter_map(|o| deref(doc, o).and_then(number)).collect();
    let [a, b, c, e] = v[..] else { return None };
    Some([a.min(c), b.min(e), a.max(c), b.max(e)])
}

/// PDF text string (PDFDocEncoding read as Latin-1, or UTF-16BE with its BOM).
fn text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|b| char::from(*b)).collect()
    }
}

fn annotation_pages(doc: &Document) -> BTreeMap<ObjectId, u32> {
    let mut map = BTreeMap::new();
    for (num, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let Some(Object::Array(annots)) = page.get(b"Annots").ok().and_then(|a| deref(doc, a)) else {
            continue;
        };
        for a in annots {
            if let Ok(id) = a.as_reference() {
                map.insert(id, num);
            }
        }
    }
    map
}

fn sig_fields(doc: &Document) -> Vec<SigField> {
    let mut out = Vec::new();
    let pages = annotation_pages(doc);
    let Some(form) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|f| deref(doc, f))
        .and_then(|f| f.as_dict().ok())
    else {
        return out;
    };
    let Some(Object::Array(fields)) = form.get(b"Fields").ok().and_then(|f| deref(doc, f)) else {
        return out;
    };
    for f in fields {
        walk(doc, &pages, f, "", None, 0, &mut out);
    }
    out
}

fn walk(
    doc: &Document,
    pages: &BTreeMap<ObjectId, u32>,
    field: &Object,
    parent: &str,
    inherited_ft: Option<&[u8]>,
    depth: usize,
    out: &mut Vec<SigField>,
) {
    if depth > 32 {
        return;
    }
    let id = field.as_reference().ok();
    let Some(dict) = deref(doc, field).and_then(|d| d.as_dict().ok()) else {
        return;
    };
    let partial = dict.get(b"T").ok().and_then(|t| t.as_str().ok()).map(text);
    let name = match (&partial, parent.is_empty()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{parent}.{p}"),
        (None, _) => parent.to_string(),
    };
    let ft = dict.get(b"FT").ok().and_then(|f| f.as_name().ok()).or(inherited_ft);
    let kids: Vec<&Object> = match dict.get(b"Kids").ok().and_then(|k| deref(doc, k)) {
        Some(Object::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    };
    let (child_fields, widgets): (Vec<&Object>, Vec<&Object>) = kids.into_iter().partition(|k| {
        deref(doc, k)
            .and_then(|d| d.as_dict().ok())
            .is_some_and(|d| d.has(b"T"))
    });
    for k in child_fields {
        walk(doc, pages, k, &name, ft, depth + 1, out);
    }
    if ft != Some(b"Sig".as_slice()) {
        return;
    }
    let mut places = Vec::new();
    let widget_of = |wid: Option<ObjectId>, d: &Dictionary| {
        let page = wid.and_then(|i| pages.get(&i).copied()).or_else(|| {
            let p = d.get(b"P").ok()?.as_reference().ok()?;
            doc.get_pages().into_iter().find(|(_, id)| *id == p).map(|(n, _)| n)
        });
        rect_of(doc, d).map(|r| (page, r))
    };
    if widgets.is_empty() {
        places.extend(widget_of(id, dict));
    }
    for w in widgets {
        if let Some(d) = deref(doc, w).and_then(|d| d.as_dict().ok()) {
            places.extend(widget_of(w.as_reference().ok(), d));
        }
    }
    let value = dict
        .get(b"V")
        .ok()
        .and_then(|v| deref(doc, v))
        .and_then(|v| v.as_dict().ok())
        .cloned();
    out.push(SigField {
        name,
        value,
        widgets: places,
    });
}

fn dss(doc: &Document) -> Embedded {
    let mut embedded = Embedded::default();
    let Some(dss) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"DSS").ok())
        .and_then(|d| deref(doc, d))
        .and_then(|d| d.as_dict().ok())
    else {
        return embedded;
    };
    let streams = |key: &[u8]| -> Vec<Vec<u8>> {
        match dss.get(key).ok().and_then(|a| deref(doc, a)) {
            Some(Object::Array(items)) => items
                .iter()
                .filter_map(|i| deref(doc, i))
                .filter_map(|o| o.as_stream().ok())
                .map(|s| s.decompressed_content().unwrap_or_else(|_| s.content.clone()))
                .collect(),
            _ => Vec::new(),
        }
    };
    embedded.certs = streams(b"Certs")
        .iter()
        .filter_map(|b| Certificate::from_der(b).ok())
        .collect();
    embedded.crls = streams(b"CRLs")
        .iter()
        .filter_map(|b| CertificateList::from_der(b).ok())
        .collect();
    embedded
}

/// Everything that makes a page look as it does, resolved a few levels deep, minus its annotations.
fn page_fingerprint(doc: &Document, page: ObjectId) -> String {
    fn resolve(doc: &Document, o: &Object, depth: usize, out: &mut String) {
        let o = deref(doc, o).unwrap_or(o);
        match o {
            Object::Dictionary(d) => {
                out.push('<');
                for (k, v) in d {
                    if k == b"Parent" || k == b"Annots" || k == b"P" {
                        continue;
                    }
                    out.push_str(&String::from_utf8_lossy(k));
                    out.push('=');
                    if depth < 6 {
                        resolve(doc, v, depth + 1, out);
                    }
                    out.push(' ');
                }
                out.push('>');
            }
            Object::Stream(s) => {
                resolve(doc, &Object::Dictionary(s.dict.clone()), depth, out);
                out.push_str(&hex::encode(Sha256::digest(&s.content)));
            }
            Object::Array(a) => {
                out.push('[');
                for v in a {
                    if depth < 6 {
                        resolve(doc, v, depth + 1, out);
                    }
                    out.push(' ');
                }
                out.push(']');
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
    let mut out = hex::encode(Sha256::digest(doc.get_page_content(page)));
    if let Ok(d) = doc.get_object(page) {
        resolve(doc, d, 0, &mut out);
    }
    out
}

fn kind(o: &Object) -> String {
    let dict = match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    };
    dict.and_then(|d| {
        d.get(b"Type")
            .or_else(|_| d.get(b"Subtype"))
            .ok()
            .and_then(|t| t.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
    })
    .or_else(|| dict.filter(|d| d.has(b"FT")).map(|_| "Field".to_string()))
    .unwrap_or_else(|| {
        if matches!(o, Object::Stream(_)) {
            "Stream"
        } else {
            "Object"
        }
        .to_string()
    })
}

/// Kinds of object a PAdES-LT update adds after a signature without changing what was signed.
const LT_KINDS: &[&str] = &["Catalog", "DSS", "VRI", "XRef", "ObjStm", "Stream", "Metadata"];

/// What the bytes after `end` change against the revision that ends there.
fn what_follows(pdf: &[u8], end: usize, full: &Document, signatures_added: usize) -> Result<Follows, String> {
    let before = Document::load_mem(&pdf[..end]).map_err(|e| format!("the signed revision does not load: {e}"))?;
    let pages_before = before.get_pages();
    let pages_after = full.get_pages();
    let mut changed_pages = Vec::new();
    for (num, after) in &pages_after {
        match pages_before.get(num) {
            Some(b) if page_fingerprint(&before, *b) == page_fingerprint(full, *after) => {}
            _ => changed_pages.push(*num),
        }
    }
    for num in pages_before.keys() {
        if !pages_after.contains_key(num) {
            changed_pages.push(*num);
        }
    }
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    for (id, o) in &full.objects {
        if before.objects.get(id) != Some(o) {
            kinds.insert(kind(o));
        }
    }
    Ok(Follows::IncrementalUpdate {
        bytes: pdf.len() - end,
        changed_pages,
        signatures_added,
        changed_objects: kinds.into_iter().collect(),
    })
}

fn byte_range(sig: &Dictionary) -> Option<Vec<u64>> {
    let arr = sig.get(b"ByteRange").ok()?.as_array().ok()?;
    arr.iter()
        .map(|o| o.as_i64().ok().and_then(|i| u64::try_from(i).ok()))
        .collect()
}

/// The MediaBox of page `page` (from 1), inherited from the page tree when the page has none.
fn media_box(doc: &Document, page: u32) -> Option<[f64; 4]> {
    let mut id = *doc.get_pages().get(&page)?;
    // A bounded walk up the /Parent chain (a loop in a hostile file ends it).
    for _ in 0..64 {
        let node = doc.get_dictionary(id).ok()?;
        if let Some(arr) = node
            .get(b"MediaBox")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            let v: Vec<f64> = arr.iter().filter_map(|o| deref(doc, o).and_then(number)).collect();
            let [a, b, c, e] = v[..] else { return None };
            return Some([a.min(c), b.min(e), a.max(c), b.max(e)]);
        }
        id = node.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    let (bx0, by0, bx1, by1) = (b[0].min(b[2]), b[1].min(b[3]), b[0].max(b[2]), b[1].max(b[3]));
    a[0] < bx1 && bx0 < a[2] && a[1] < by1 && by0 < a[3]
}

/// Where the revisions of `pdf` could end: after each `%%EOF` and its end of line.
pub(crate) fn revision_ends(pdf: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut from = 0;
    while let Some(p) = pdf[from..].windows(5).position(|w| w == b"%%EOF") {
        let at = from + p + 5;
        ends.push(at);
        match pdf.get(at..at + 2) {
            Some(b"\r\n") => ends.push(at + 2),
            Some([b'\n' | b'\r', ..]) => ends.push(at + 1),
            _ => {
                if pdf.get(at).is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    ends.push(at + 1);
                }
            }
        }
        from = at;
    }
    ends
}

struct Signed {
    field: String,
    sig: Dictionary,
    range: Vec<u64>,
    end: usize,
}

pub(crate) fn verify_document(pdf: &[u8], expect: &Expect, findings: &mut Findings) -> Vec<SignatureReport> {
    let doc = match Document::load_mem(pdf) {
        Ok(d) => d,
        Err(e) => {
            findings.error(None, Code::NotAPdf, format!("cannot read the PDF: {e}"));
            return Vec::new();
        }
    };
    let (anchors, bad_anchors) = crypto::anchors(&expect.trust_anchors);
    for b in bad_anchors {
        findings.warning(None, Code::UntrustedIssuer, b);
    }
    let fields = sig_fields(&doc);
    let embedded = dss(&doc);
    let mut signed: Vec<Signed> = Vec::new();
    for f in &fields {
        let Some(sig) = &f.value else { continue };
        let range = byte_range(sig).unwrap_or_default();
        let end = match range[..] {
            [_, _, c, d] => usize::try_from(c + d).unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        signed.push(Signed {
            field: f.name.clone(),
            sig: sig.clone(),
            range,
            end,
        });
    }
    signed.sort_by_key(|s| s.end);
    if signed.is_empty() {
        findings.error(None, Code::NoSignature, "the file carries no signature");
    } else if signed.len() > 1 {
        findings.warning(
            None,
            Code::AnotherSignature,
            format!("the file carries {} signatures", signed.len()),
        );
    }

    let mut reports = Vec::new();
    for (index, s) in signed.iter().enumerate() {
        let mut report = SignatureReport {
            field: s.field.clone(),
            subject: None,
            name: None,
            fiscal_code: None,
            signing_time: None,
            timestamped: false,
            byte_range: s.range.clone(),
            contiguous: false,
            follows: Follows::Nothing,
            chain: crate::Chain::default(),
            revocation: crate::Revocation::Unknown,
            intact: false,
        };
        let ranges: Option<[usize; 4]> = match s.range[..] {
            [a, b, c, d] => {
                let n = |v: u64| usize::try_from(v).ok();
                match (n(a), n(b), n(c), n(d)) {
                    (Some(a), Some(b), Some(c), Some(d))
                        if a.checked_add(b).is_some_and(|e| e <= c)
                            && c.checked_add(d).is_some_and(|e| e <= pdf.len()) =>
                    {
                        Some([a, b, c, d])
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let Some([a, b, c, d]) = ranges else {
            findings.error(
                Some(index),
                Code::SignatureMalformed,
                format!("the /ByteRange {:?} does not fit the file", s.range),
            );
            reports.push(report);
            continue;
        };
        let hole = &pdf[a + b..c];
        report.contiguous = a == 0
            && hole.len() >= 2
            && hole[0] == b'<'
            && hole[hole.len() - 1] == b'>'
            && hole[1..hole.len() - 1].iter().all(u8::is_ascii_hexdigit);
        if !report.contiguous {
            findings.error(
                Some(index),
                Code::ByteRangeGap,
                format!(
                    "the /ByteRange [{a} {b} {c} {d}] leaves bytes {}..{c} that are not the signature value unsigned",
                    a + b
                ),
            );
        }
        let mut h = Sha256::new();
        h.update(&pdf[a..a + b]);
        h.update(&pdf[c..c + d]);
        let digest: [u8; 32] = h.finalize().into();
        let contents = match s.sig.get(b"Contents") {
            Ok(Object::String(bytes, _)) => bytes.clone(),
            _ => Vec::new(),
        };
        let outcome = crypto::check_cms(&contents, &digest, expect, &anchors, &embedded, index, findings);
        report.subject = outcome.subject;
        report.name = outcome.name;
        report.fiscal_code = outcome.fiscal_code;
        report.signing_time = outcome.signing_time.and_then(|t| t.format(&Rfc3339).ok());
        report.timestamped = outcome.timestamped;
        report.chain = outcome.chain;
        report.revocation = outcome.revocation;
        report.intact = outcome.intact;

        let end = c + d;
        if end < pdf.len() {
            let added = signed.iter().filter(|o| o.end > end && o.end != usize::MAX).count();
            match what_follows(pdf, end, &doc, added) {
                Ok(follows) => {
                    if let Follows::IncrementalUpdate {
                        changed_pages,
                        changed_objects,
                        ..
                    } = &follows
                    {
                        if !changed_pages.is_empty() {
                            findings.error(
                                Some(index),
                                Code::PageChangedAfterSigning,
                                format!("an update after the signature changes pages {changed_pages:?}"),
                            );
                        } else if added == 0 && changed_objects.iter().any(|k| !LT_KINDS.contains(&k.as_str())) {
                            findings.warning(
                                Some(index),
                                Code::UpdatedAfterSigning,
                                format!("an update after the signature changes {changed_objects:?}"),
                            );
                        }
                    }
                    report.follows = follows;
                }
                Err(e) => findings.error(Some(index), Code::SignatureMalformed, e),
            }
        }

        match (&expect.fiscal_code, &report.fiscal_code) {
            (Some(want), Some(got)) if !want.trim().eq_ignore_ascii_case(got.trim()) => findings.error(
                Some(index),
                Code::FiscalCodeMismatch,
                format!("the certificate names {got}, the request {want}"),
            ),
            (Some(want), None) if report.subject.is_some() => findings.error(
                Some(index),
                Code::FiscalCodeMissing,
                format!("the certificate carries no TINIT- fiscal code (expected {want})"),
            ),
            (None, None) if report.subject.is_some() => findings.warning(
                Some(index),
                Code::FiscalCodeMissing,
                "the certificate carries no TINIT- fiscal code",
            ),
            _ => {}
        }
        reports.push(report);
    }

    let original_end = expect.original_sha256.and_then(|want| {
        let end = revision_ends(pdf)
            .into_iter()
            .find(|e| <[u8; 32]>::from(Sha256::digest(&pdf[..*e])) == want);
        if end.is_none() {
            findings.error(
                None,
                Code::OriginalChanged,
                format!(
                    "no revision of the file has the uploaded document's SHA-256 {}",
                    hex::encode(want)
                ),
            );
        }
        end
    });

    check_fields(pdf, expect, &fields, &signed, original_end, findings);
    reports
}

fn check_fields(
    pdf: &[u8],
    expect: &Expect,
    fields: &[SigField],
    signed: &[Signed],
    original_end: Option<usize>,
    findings: &mut Findings,
) {
    if expect.fields.is_empty() {
        return;
    }
    // The last revision a signature covers, and the original one, for fields placed by coordinates.
    let covered = signed
        .iter()
        .map(|s| s.end)
        .filter(|e| *e <= pdf.len())
        .max()
        .and_then(|e| Document::load_mem(&pdf[..e]).ok());
    let original = original_end.and_then(|e| Document::load_mem(&pdf[..e]).ok());
    for want in &expect.fields {
        // IO's coordinates, on the page's MediaBox as the service measures them.
        let converted;
        let want = match want {
            RequiredField::FromTop { page, x, y, w, h } => {
                let media = covered
                    .as_ref()
                    .or(original.as_ref())
                    .and_then(|doc| media_box(doc, page + 1));
                let Some([llx, _, _, ury]) = media else {
                    findings.error(
                        None,
                        Code::FieldUnsigned,
                        format!("no page {} to hold a signature", page + 1),
                    );
                    continue;
                };
                converted = RequiredField::Placed {
                    page: page + 1,
                    rect: [llx + x, ury - y - h, llx + x + w, ury - y],
                };
                &converted
            }
            other => other,
        };
        match want {
            RequiredField::Named(name) => match fields.iter().find(|f| &f.name == name) {
                None => findings.error(None, Code::FieldMissing, format!("no signature field named {name:?}")),
                Some(f) if f.value.is_none() => {
                    findings.error(None, Code::FieldUnsigned, format!("the field {name:?} is not signed"));
                }
                Some(_) => {}
            },
            RequiredField::FromTop { .. } => {}
            RequiredField::Placed { page, rect } => {
                let by_widget = fields.iter().any(|f| {
                    f.value.is_some() && f.widgets.iter().any(|(p, r)| *p == Some(*page) && overlaps(r, rect))
                });
                let by_annotation = covered.as_ref().is_some_and(|doc| {
                    let Some(page_id) = doc.get_pages().get(page).copied() else {
                        return false;
                    };
                    let Ok(Object::Array(annots)) = doc
                        .get_dictionary(page_id)
                        .and_then(|p| p.get(b"Annots"))
                        .map(|a| deref(doc, a).cloned().unwrap_or(Object::Null))
                    else {
                        return false;
                    };
                    annots.iter().any(|a| {
                        let Ok(id) = a.as_reference() else { return false };
                        let is_new = original.as_ref().is_none_or(|o| !o.objects.contains_key(&id));
                        is_new
                            && doc
                                .get_dictionary(id)
                                .ok()
                                .and_then(|d| rect_of(doc, d))
                                .is_some_and(|r| overlaps(&r, rect))
                    })
                });
                if !(by_widget || by_annotation) {
                    findings.error(
                        None,
                        Code::FieldUnsigned,
                        format!("nothing signed on page {page} at {rect:?}"),
                    );
                }
            }
        }
    }
}
