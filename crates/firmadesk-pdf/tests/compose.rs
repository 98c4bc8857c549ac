//! Printable sheets written by pdfium and read back by pdfium: the text is there, in reading order, wrapped
//! inside the page, the QR code drawn, a long trail continued on further pages with their numbers.

mod common;

use common::*;
use firmadesk_pdf::compose::{self, Block, Sheet};
use pdfium_render::prelude::*;

fn text_of_pages(bytes: &[u8]) -> Vec<String> {
    let doc = pdfium()
        .load_pdf_from_byte_slice(bytes, None)
        .expect("a PDF pdfium reads");
    doc.pages().iter().map(|p| p.text().expect("text").all()).collect()
}

#[test]
fn a_sheet_reads_back_with_its_words_its_link_and_its_qr_code() {
    let link = "https://continua.io.pagopa.it/open?feat=firma&srid=01ARZ3NDEKTSV4RRFFQ69G5FAV";
    let sheet = Sheet {
        blocks: vec![
            Block::Title("Firma il documento con l'app IO".into()),
            Block::Pairs(vec![
                ("Firmatario".into(), "Niccolò Ćosić".into()),
                ("Da firmare".into(), "fino alle 23:59 del 31/12/2026".into()),
            ]),
            Block::Qr {
                data: link.into(),
                side: 190.0,
            },
            Block::Text(link.into()),
            Block::Steps(vec!["Apri l'app IO.".into(), "Inquadra il codice QR.".into()]),
            Block::Rule,
            Block::Small("Stampato da FirmaDesk".into()),
        ],
        footer: "Comune di Prova".into(),
    };
    let bytes = compose::render(pdfium(), &sheet).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let pages = text_of_pages(&bytes);
    assert_eq!(pages.len(), 1, "{pages:?}");
    let text = &pages[0];
    for needle in [
        "Firma il documento con l'app IO",
        "Niccolò Cosic",
        "fino alle 23:59 del 31/12/2026",
        "1.",
        "Inquadra il codice QR.",
        "Comune di Prova",
        "Pagina 1 di 1",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text:?}");
    }
    // The link is broken across lines only where it had to be: joined again, it is whole.
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains(link), "{text:?}");

    // The QR code is drawn as filled squares: rendered, the area under it is dark in places.
    let doc = pdfium().load_pdf_from_byte_slice(&bytes, None).unwrap();
    let page = doc.pages().get(0).unwrap();
    let squares = page
        .objects()
        .iter()
        .filter(|o| o.object_type() == PdfPageObjectType::Path)
        .count();
    assert!(squares > 100, "{squares} path objects");
}

#[test]
fn a_long_trail_continues_on_numbered_pages_inside_the_margins() {
    let rows: Vec<(String, String)> = (1..=150)
        .map(|i| {
            (
                format!("0{i}/12/2026 alle 10:00"),
                format!("Operazione numero {i} eseguita\nMario Rossi"),
            )
        })
        .collect();
    let sheet = Sheet {
        blocks: vec![Block::Title("Registro delle operazioni".into()), Block::Pairs(rows)],
        footer: "Comune di Prova".into(),
    };
    let bytes = compose::render(pdfium(), &sheet).unwrap();
    let pages = text_of_pages(&bytes);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let n = pages.len();
    for (i, text) in pages.iter().enumerate() {
        assert!(text.contains(&format!("Pagina {} di {n}", i + 1)), "{text}");
    }
    let all = pages.join("\n");
    for i in [1, 75, 150] {
        assert_eq!(
            all.matches(&format!("Operazione numero {i} eseguita")).count(),
            1,
            "row {i}"
        );
    }
    // Every character inside the page, above the footer's line and below the top margin.
    let doc = pdfium().load_pdf_from_byte_slice(&bytes, None).unwrap();
    for page in doc.pages().iter() {
        let height = page.height().value;
        let width = page.width().value;
        for c in page.text().unwrap().chars().iter() {
            let Ok(b) = c.loose_bounds() else { continue };
            assert!(
                b.left().value >= 50.0 && b.right().value <= width - 50.0,
                "{:?} at {:?}",
                c.unicode_string(),
                b
            );
            assert!(
                b.bottom().value >= 25.0 && b.top().value <= height - 50.0,
                "{:?} at {:?}",
                c.unicode_string(),
                b
            );
        }
    }
}

#[test]
fn the_printed_qr_code_scans_back_to_the_link() {
    let link = "https://continua.io.pagopa.it/open?feat=firma&srid=01ARZ3NDEKTSV4RRFFQ69G5FAV";
    let sheet = Sheet {
        blocks: vec![
            Block::Title("Firma".into()),
            Block::Qr {
                data: link.into(),
                side: 190.0,
            },
        ],
        footer: String::new(),
    };
    let bytes = compose::render(pdfium(), &sheet).unwrap();
    // Rendered as a 150 dpi print would be, then read by a QR decoder as a phone's camera would.
    let document = firmadesk_pdf::document::load(pdfium(), &bytes, &firmadesk_pdf::Limits::default()).unwrap();
    let bitmap = firmadesk_pdf::render::render_page(&document, 0, 1240).unwrap();
    let (width, height) = (bitmap.width as usize, bitmap.height as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| bitmap.rgba[(y * width + x) * 4]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, link);
}
