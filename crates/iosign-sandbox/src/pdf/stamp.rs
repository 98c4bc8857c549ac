//! The signed copy: the document as uploaded, plus an incremental update with a visible stamp per field
//! and the PAdES signature of the sandbox's test authority.

use super::*;
use lopdf::{dictionary, IncrementalDocument, Stream};

/// Escapes text for a PDF literal string, keeping to printable ASCII (Helvetica/WinAnsi).
fn pdf_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// The visible stamp appearance (a Form XObject of size `w`×`h`).
fn stamp_appearance(w: f64, h: f64, font: ObjectId, lines: &[String]) -> Stream {
    let w = w.max(1.0);
    let h = h.max(1.0);
    let longest = lines.iter().map(std::string::String::len).max().unwrap_or(1).max(1) as f64;
    // Helvetica averages ~0.5 em per character; fit width and height with some padding.
    let size = ((w - 4.0) / (longest * 0.5))
        .min((h - 4.0) / (lines.len() as f64 * 1.25))
        .clamp(2.0, 12.0);
    let lead = size * 1.2;
    let total = lead * lines.len() as f64;
    let top = ((h + total) / 2.0 - size).max(1.0);
    let mut content = format!(
        "q 0.93 0.96 1 rg 0 0 {w:.2} {h:.2} re f 0 0.4 0.8 RG 1 w 0.5 0.5 {:.2} {:.2} re S Q\nBT /SbxHelv {size:.2} Tf 0 0.2 0.5 rg {lead:.2} TL 2 {top:.2} Td\n",
        w - 1.0,
        h - 1.0
    );
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            content.push_str("T* ");
        }
        content.push_str(&format!("({}) Tj\n", pdf_literal(l)));
    }
    content.push_str("ET\n");
    Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), Object::Real(w as f32), Object::Real(h as f32)],
            "Resources" => dictionary! { "Font" => dictionary! { "SbxHelv" => font } },
        },
        content.into_bytes(),
    )
}

/// The text stamped on each field.
pub fn stamp_lines(signer: &str, date: &str) -> Vec<String> {
    vec!["Firmato digitalmente da".to_string(), format!("{signer} il {date}")]
}

/// Produces the "signed" copy: the original bytes untouched plus one incremental update that stamps
/// every signature field visibly (created fields: a stamp annotation at the coordinates; existing
/// `/Sig` fields: a new normal appearance on their widgets). With no fields, a small stamp goes in
/// the bottom-left corner of the last page, standing for the invisible signature the QTSP applies.
/// With `qtsp`, the update also carries an invisible signature field whose value is a real PAdES
/// signature (ETSI.CAdES.detached) over the whole file, by a one-shot certificate the sandbox's test
/// authority issues to `signer`, taken as the citizen's fiscal code (all IO Sign knows of a signer).
pub fn stamp_signed(
    original: &[u8],
    fields: &[FieldSpec],
    signer: &str,
    date: &str,
    qtsp: Option<&crate::pades::TestQtsp>,
) -> Result<Vec<u8>, String> {
    let sealer = qtsp.map(|qtsp| Sealer {
        qtsp,
        citizen: crate::pades::Citizen::from_fiscal_code(signer),
        options: crate::pades::Options::default(),
    });
    stamp_signed_with(original, fields, signer, date, sealer.as_ref())
}

/// Who signs a stamped copy, and how (see [`crate::pades::Variant`] for the broken ones tests need).
#[derive(Clone, Debug)]
pub struct Sealer<'a> {
    /// The test authority.
    pub qtsp: &'a crate::pades::TestQtsp,
    /// The citizen the one-shot certificate is issued to.
    pub citizen: crate::pades::Citizen,
    /// Variant and signing time.
    pub options: crate::pades::Options,
}

/// [`stamp_signed`] with the signer's identity and the signature's options spelled out; `signer` is the
/// name shown on the stamps.
pub fn stamp_signed_with(
    original: &[u8],
    fields: &[FieldSpec],
    signer: &str,
    date: &str,
    sealer: Option<&Sealer<'_>>,
) -> Result<Vec<u8>, String> {
    let prev = load(original)?;
    let pages: BTreeMap<u32, ObjectId> = prev.get_pages();
    let page_ids: Vec<ObjectId> = pages.values().copied().collect();
    let named: Vec<FormField> = form_fields(&prev)?;
    let mut inc = IncrementalDocument::create_from(original.to_vec(), prev);
    let lines = stamp_lines(signer, date);
    let message = format!("{} {}", lines[0], lines[1]);

    let font = inc.new_document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });

    let mut new_annots: BTreeMap<ObjectId, Vec<ObjectId>> = BTreeMap::new();
    let mut stamp_created = |inc: &mut IncrementalDocument, page_idx: usize, x: f64, y: f64, w: f64, h: f64| {
        let Some(&page_id) = page_ids.get(page_idx) else { return };
        let prev_doc = inc.get_prev_documents();
        let [llx, lly, _, _] = media_box(prev_doc, page_id).unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let (_, ph) = page_size(prev_doc, page_id);
        let ap = inc.new_document.add_object(stamp_appearance(w, h, font, &lines));
        let rect = vec![
            Object::Real((llx + x) as f32),
            Object::Real((lly + ph - y - h) as f32),
            Object::Real((llx + x + w) as f32),
            Object::Real((lly + ph - y) as f32),
        ];
        let annot = inc.new_document.add_object(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Stamp",
            "Name" => "Approved",
            "Rect" => rect,
            "F" => 4,
            "P" => page_id,
            "Contents" => Object::string_literal(message.clone()),
            "AP" => dictionary! { "N" => ap },
        });
        new_annots.entry(page_id).or_default().push(annot);
    };

    let mut stamped_any = false;
    // The first existing signature field receives the signature value, as the QTSP would do.
    let mut carrier: Option<ObjectId> = None;
    for f in fields {
        match f {
            FieldSpec::ToBeCreated { page, x, y, w, h, .. } => {
                if *page >= 0.0 && page.fract() == 0.0 {
                    stamp_created(&mut inc, *page as usize, *x, *y, *w, *h);
                    stamped_any = true;
                }
            }
            FieldSpec::Existing { unique_name, .. } => {
                let Some(field) = named
                    .iter()
                    .find(|n| &n.name == unique_name && n.field_type.as_deref() == Some(b"Sig"))
                else {
                    continue;
                };
                if carrier.is_none() {
                    carrier = Some(field.id);
                }
                for widget in &field.widgets {
                    let rect = inc
                        .get_prev_documents()
                        .get_dictionary(*widget)
                        .ok()
                        .and_then(|d| d.get(b"Rect").ok())
                        .and_then(|r| match r {
                            Object::Array(a) if a.len() == 4 => {
                                let d = inc.get_prev_documents();
                                let v: Vec<f64> = a.iter().filter_map(|o| number(d, o)).collect();
                                (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
                            }
                            _ => None,
                        });
                    let Some([x1, y1, x2, y2]) = rect else { continue };
                    let ap =
                        inc.new_document
                            .add_object(stamp_appearance((x2 - x1).abs(), (y2 - y1).abs(), font, &lines));
                    inc.opt_clone_object_to_new_document(*widget)
                        .map_err(|e| e.to_string())?;
                    if let Ok(Object::Dictionary(d)) = inc.new_document.get_object_mut(*widget) {
                        d.set("AP", dictionary! { "N" => ap });
                        d.set("TU", Object::string_literal(message.clone()));
                    }
                    stamped_any = true;
                }
            }
        }
    }
    if !stamped_any {
        let last = page_ids.len().saturating_sub(1);
        let (_, ph) = page_size(inc.get_prev_documents(), page_ids[last]);
        stamp_created(&mut inc, last, 10.0, ph - 50.0, 200.0, 40.0);
    }

    if sealer.is_some() {
        add_signature(&mut inc, carrier, page_ids[0], signer, &mut new_annots)?;
    }

    for (page_id, annots) in new_annots {
        inc.opt_clone_object_to_new_document(page_id)
            .map_err(|e| e.to_string())?;
        // /Annots may be inline or an indirect array: resolve it against the previous revision.
        let existing: Vec<Object> = {
            let page = inc.new_document.get_dictionary(page_id).map_err(|e| e.to_string())?;
            match page.get(b"Annots") {
                Ok(Object::Array(a)) => a.clone(),
                Ok(Object::Reference(id)) => match inc.get_prev_documents().get_object(*id) {
                    Ok(Object::Array(a)) => a.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            }
        };
        let mut all = existing;
        all.extend(annots.into_iter().map(Object::Reference));
        let page = inc
            .new_document
            .get_dictionary_mut(page_id)
            .map_err(|e| e.to_string())?;
        page.set("Annots", all);
    }

    let mut out = Vec::with_capacity(original.len() + 4096);
    inc.save_to(&mut out).map_err(|e| e.to_string())?;
    if let Some(s) = sealer {
        crate::pades::seal(&mut out, s.qtsp, &s.citizen, &s.options)?;
    }
    Ok(out)
}

/// Adds the signature dictionary (with placeholders) as the value of `carrier`, an existing
/// signature field, or of a new invisible signature field on `page`; sets the AcroForm's
/// `SigFlags 3` (creating the AcroForm if missing).
fn add_signature(
    inc: &mut IncrementalDocument,
    carrier: Option<ObjectId>,
    page: ObjectId,
    signer: &str,
    new_annots: &mut BTreeMap<ObjectId, Vec<ObjectId>>,
) -> Result<(), String> {
    use crate::pades::{BYTE_RANGE_PLACEHOLDER, CONTENTS_LEN};
    let now = time::OffsetDateTime::now_utc();
    let m = format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let sig = inc.new_document.add_object(dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => vec![0.into(), BYTE_RANGE_PLACEHOLDER.into(), BYTE_RANGE_PLACEHOLDER.into(), BYTE_RANGE_PLACEHOLDER.into()],
        "Contents" => Object::String(vec![0u8; CONTENTS_LEN], lopdf::StringFormat::Hexadecimal),
        "M" => Object::string_literal(m),
        "Name" => Object::string_literal(pdf_literal(signer)),
        "Reason" => Object::string_literal("Firma con IO - sandbox (test signature, not qualified)"),
        "Location" => Object::string_literal("iosign-sandbox"),
    });
    let new_field = match carrier {
        Some(id) => {
            inc.opt_clone_object_to_new_document(id).map_err(|e| e.to_string())?;
            let field = inc.new_document.get_dictionary_mut(id).map_err(|e| e.to_string())?;
            field.set("V", sig);
            None
        }
        None => {
            let field = inc.new_document.add_object(dictionary! {
                "Type" => "Annot",
                "Subtype" => "Widget",
                "FT" => "Sig",
                "T" => Object::string_literal(format!("IOSignSandbox-{}", ulid::Ulid::new())),
                "V" => sig,
                "F" => 132,
                "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
                "P" => page,
            });
            new_annots.entry(page).or_default().push(field);
            Some(field)
        }
    };

    let root = inc
        .get_prev_documents()
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    inc.opt_clone_object_to_new_document(root).map_err(|e| e.to_string())?;
    let acroform_ref = match inc
        .new_document
        .get_dictionary(root)
        .map_err(|e| e.to_string())?
        .get(b"AcroForm")
    {
        Ok(Object::Reference(id)) => Some(*id),
        _ => None,
    };
    let update = |form: &mut lopdf::Dictionary, prev: &Document| {
        let mut fields = match form.get(b"Fields") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(Object::Reference(id)) => match prev.get_object(*id) {
                Ok(Object::Array(a)) => a.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if let Some(field) = new_field {
            fields.push(Object::Reference(field));
        }
        form.set("Fields", fields);
        form.set("SigFlags", 3);
    };
    match acroform_ref {
        Some(id) => {
            inc.opt_clone_object_to_new_document(id).map_err(|e| e.to_string())?;
            let prev = inc.get_prev_documents().clone();
            let form = inc.new_document.get_dictionary_mut(id).map_err(|e| e.to_string())?;
            update(form, &prev);
        }
        None => {
            let prev = inc.get_prev_documents().clone();
            let catalog = inc.new_document.get_dictionary_mut(root).map_err(|e| e.to_string())?;
            let mut form = match catalog.get(b"AcroForm") {
                Ok(Object::Dictionary(d)) => d.clone(),
                _ => lopdf::Dictionary::new(),
            };
            update(&mut form, &prev);
            catalog.set("AcroForm", form);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::tests::{created, sample_pdf};

    #[test]
    fn signs_documents_with_object_streams_and_xref_streams() {
        let mut doc = Document::load_mem(&sample_pdf()).unwrap();
        let mut modern = Vec::new();
        doc.save_modern(&mut modern).unwrap();
        let info = inspect(&modern).unwrap();
        assert_eq!(info.signature_fields, vec!["Firma".to_string()]);
        let qtsp = crate::pades::TestQtsp::from_secret(b"modern");
        let fields = [created(1.0, 10.0, 10.0, 100.0, 40.0)];
        let signed = stamp_signed(&modern, &fields, "RSSMRA80A01H501U", "01/12/2026", Some(&qtsp)).unwrap();
        assert!(signed.starts_with(&modern));
        crate::pades::verify(&signed, &qtsp).unwrap();
        let reloaded = Document::load_mem(&signed).unwrap();
        assert_eq!(reloaded.get_pages().len(), 2);
        assert_eq!(
            inspect(&signed).unwrap().signature_fields.len(),
            2,
            "Firma and the sandbox's new field"
        );
    }

    #[test]
    fn stamped_copy_appends_an_update() {
        let original = sample_pdf();
        let fields = vec![
            created(0.0, 100.0, 100.0, 200.0, 60.0),
            FieldSpec::Existing {
                clause_title: "Accetto".into(),
                unique_name: "Firma".into(),
            },
        ];
        let qtsp = crate::pades::TestQtsp::from_secret(b"test");
        let signed = stamp_signed(&original, &fields, "RSSMRA80A01H501U", "25/11/2026", Some(&qtsp)).unwrap();
        assert!(signed.len() > original.len());
        assert_eq!(&signed[..original.len()], &original[..]);
        let doc = Document::load_mem(&signed).unwrap();
        let page = doc.get_dictionary(*doc.get_pages().get(&1).unwrap()).unwrap();
        let annots = page.get(b"Annots").unwrap().as_array().unwrap();
        assert_eq!(
            annots.len(),
            3,
            "two existing widgets and one stamp; the signature goes in \"Firma\""
        );
        let firma = doc.get_dictionary(annots[0].as_reference().unwrap()).unwrap();
        let sig = doc
            .get_dictionary(firma.get(b"V").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(
            sig.get(b"SubFilter").unwrap().as_name().unwrap(),
            b"ETSI.CAdES.detached"
        );
        crate::pades::verify(&signed, &qtsp).expect("a valid PAdES signature");
        let mut tampered = signed.clone();
        let at = original.len() / 2;
        tampered[at] ^= 0x01;
        assert!(crate::pades::verify(&tampered, &qtsp).is_err(), "any change breaks it");
        assert!(crate::pades::verify(&signed, &crate::pades::TestQtsp::from_secret(b"other")).is_err());
        let tail = String::from_utf8_lossy(&signed[original.len()..]);
        assert!(tail.contains("Firmato digitalmente da"), "{tail}");
        assert!(tail.contains("RSSMRA80A01H501U il 25/11/2026"));
    }
}
