//! Test PDFs generated on the fly with lopdf: pages of chosen sizes, rotation and crop, AcroForm signature
//! and text fields, large pages and images. Only the two encrypted files are fixtures (see fixtures/README).
#![allow(dead_code)]

pub mod hostile;

use lopdf::{dictionary, Document, Object, ObjectId, Stream};

pub const A4: (f64, f64) = (595.28, 841.89);

#[derive(Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub rotate: i64,
    pub crop: Option<[f64; 4]>,
    /// Side of an uncompressed RGB image drawn full-page (0 = none): makes files as large as needed.
    pub image_side: u32,
}

impl Page {
    pub fn a4() -> Self {
        Page {
            width: A4.0,
            height: A4.1,
            rotate: 0,
            crop: None,
            image_side: 0,
        }
    }
}

/// A form field: (name, page, [left, bottom, right, top] in PDF space, is_signature).
pub struct Field {
    pub name: &'static str,
    pub page: usize,
    pub rect: [f64; 4],
    pub signature: bool,
}

pub fn build(pages: &[Page], fields: &[Field]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let mut page_ids: Vec<ObjectId> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let mut ops = format!(
            "BT /F1 24 Tf 72 {} Td (Accordo - pagina {}) Tj ET\n",
            p.height - 100.0,
            i + 1
        );
        let mut resources = dictionary! {"Font" => dictionary! {"F1" => font}};
        if p.image_side > 0 {
            let side = p.image_side;
            let data: Vec<u8> = (0..side * side * 3).map(|k| (k % 251) as u8).collect();
            let image = doc.add_object(Stream::new(
                dictionary! {"Type" => "XObject", "Subtype" => "Image", "Width" => i64::from(side), "Height" => i64::from(side),
                "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8},
                data,
            ));
            resources.set("XObject", dictionary! {"Im1" => image});
            ops.push_str(&format!("q {} 0 0 {} 0 0 cm /Im1 Do Q\n", p.width, p.height));
        }
        let content = doc.add_object(Stream::new(dictionary! {}, ops.into_bytes()));
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(p.width as f32), Object::Real(p.height as f32)],
        };
        if p.rotate != 0 {
            page.set("Rotate", p.rotate);
        }
        if let Some(c) = p.crop {
            page.set("CropBox", c.iter().map(|v| Object::Real(*v as f32)).collect::<Vec<_>>());
        }
        page_ids.push(doc.add_object(page));
    }
    let mut field_ids = Vec::new();
    for f in fields {
        let rect: Vec<Object> = f.rect.iter().map(|v| Object::Real(*v as f32)).collect();
        let widget = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => if f.signature { "Sig" } else { "Tx" },
            "T" => Object::string_literal(f.name), "Rect" => rect, "P" => page_ids[f.page], "F" => 4,
        });
        field_ids.push(widget);
        let page = doc.get_object_mut(page_ids[f.page]).unwrap().as_dict_mut().unwrap();
        let mut annots = page
            .get(b"Annots")
            .ok()
            .and_then(|a| a.as_array().ok().cloned())
            .unwrap_or_default();
        annots.push(widget.into());
        page.set("Annots", annots);
    }
    doc.objects.insert(
        pages_id,
        dictionary! {"Type" => "Pages", "Count" => page_ids.len() as i64,
        "Kids" => page_ids.iter().map(|id| Object::Reference(*id)).collect::<Vec<_>>()}
        .into(),
    );
    let mut catalog = dictionary! {"Type" => "Catalog", "Pages" => pages_id};
    if !field_ids.is_empty() {
        let form = dictionary! {"Fields" => field_ids.iter().map(|id| Object::Reference(*id)).collect::<Vec<_>>(), "SigFlags" => 3};
        catalog.set("AcroForm", form);
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// One A4 page, no fields.
pub fn simple() -> Vec<u8> {
    build(&[Page::a4()], &[])
}

/// A4 page with an empty signature field "Firma cittadino" at [350, 100, 550, 160] and a text field.
pub fn with_fields() -> Vec<u8> {
    build(
        &[Page::a4(), Page::a4()],
        &[
            Field {
                name: "Firma cittadino",
                page: 1,
                rect: [350.0, 100.0, 550.0, 160.0],
                signature: true,
            },
            Field {
                name: "Nome",
                page: 0,
                rect: [72.0, 600.0, 300.0, 620.0],
                signature: false,
            },
        ],
    )
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

pub fn pdfium() -> &'static pdfium_render::prelude::Pdfium {
    firmadesk_pdf::library::pdfium()
        .expect("pdfium must be provisioned: run `cargo xtask test` (or `cargo xtask pdfium`)")
}

/// Runs `f` on another thread and fails the test if it does not finish: bad input must never hang.
pub fn no_hang<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    no_hang_within(what, std::time::Duration::from_secs(60), f)
}

/// [`no_hang`] with a chosen watchdog (generous: it catches hangs, it does not time anything).
pub fn no_hang_within<T: Send + 'static>(
    what: &str,
    watchdog: std::time::Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(watchdog)
        .unwrap_or_else(|_| panic!("{what}: no answer within {watchdog:?}"))
}
