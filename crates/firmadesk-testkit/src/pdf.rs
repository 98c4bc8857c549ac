//! Small, valid PDFs built with lopdf, for tests that need a document the service accepts.

use lopdf::{dictionary, Document, Object, Stream};

/// A one-page A4 contract (595 × 842 points) with one line of Helvetica text: what the service accepts
/// and pdfium renders.
pub fn contract() -> Vec<u8> {
    with_text("Contratto - test FirmaDesk")
}

/// A one-page A4 PDF showing `text` (ASCII) in 14-point Helvetica near the top.
pub fn with_text(text: &str) -> Vec<u8> {
    with_lines(&[(14, 760, text)])
}

/// A one-page A4 PDF with lines of ASCII text in Helvetica: (font size, height from the bottom in points, text),
/// each starting 72 points from the left edge.
pub fn with_lines(lines: &[(u32, u32, &str)]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let text: Vec<String> = lines
        .iter()
        .map(|(size, y, text)| {
            let escaped = text.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
            format!("BT /F1 {size} Tf 72 {y} Td ({escaped}) Tj ET")
        })
        .collect();
    let content = doc.add_object(Stream::new(dictionary! {}, text.join(" ").into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
        "Resources" => dictionary! {"Font" => dictionary! {"F1" => font}},
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1}),
    );
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("an in-memory PDF is written");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_contract_is_one_a4_page_with_its_text() {
        let bytes = super::contract();
        assert!(bytes.starts_with(b"%PDF-1.7"));
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        assert!(String::from_utf8_lossy(&bytes).contains("(Contratto - test FirmaDesk)"));
        let odd = super::with_text("a (b) \\ c");
        assert!(String::from_utf8_lossy(&odd).contains("(a \\(b\\) \\\\ c)"));
    }
}
