//! Printable A4 documents written with pdfium: the citizen's sheet with the QR code, a request's receipt and
//! its audit page (issue #16). A [`Sheet`] is a list of [`Block`]s laid out from the top margin down: text is
//! wrapped by word at its measured width (pdfium measures each line in the font it is drawn with), a word
//! longer than the line (a link) is broken where it must, and what does not fit continues on a new page; every
//! page gets the sheet's footer and "Pagina n di m".
//!
//! The fonts are the PDF standard Helvetica faces (nothing embedded): they cover Western European letters
//! (Latin-1); a letter outside them is written as its base letter ("Ł" as "L"), never dropped.

use crate::error::{ErrorKind, PdfError};
use pdfium_render::prelude::*;

/// One piece of a sheet, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The sheet's title (large, bold).
    Title(String),
    /// A section heading (bold), with space above it.
    Heading(String),
    /// A paragraph.
    Text(String),
    /// A paragraph in small grey print (notes, identifiers).
    Small(String),
    /// A numbered list.
    Steps(Vec<String>),
    /// Label and value rows (the label bold in a column of its own); a long value wraps in its column.
    Pairs(Vec<(String, String)>),
    /// A QR code of `data`, `side` points wide, centred, drawn as vector squares (sharp on any printer).
    Qr {
        /// What the code encodes.
        data: String,
        /// Its side in points, quiet zone included.
        side: f32,
    },
    /// A thin horizontal line across the text column.
    Rule,
}

/// A document to print: its blocks and the line printed at the foot of every page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
    /// Printed at the left of every page's foot (the body, the request); the page count goes at the right.
    pub footer: String,
}

/// A4 portrait, in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
/// Margins: 2 cm at the sides and the top, room for the footer at the bottom.
const MARGIN: f32 = 56.7;
const BOTTOM: f32 = 70.0;
const FOOTER_Y: f32 = 36.0;
/// The label column of [`Block::Pairs`].
const LABEL_W: f32 = 150.0;

#[derive(Clone, Copy)]
enum Face {
    Regular,
    Bold,
}

#[derive(Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
    grey: bool,
    /// Line height as a multiple of the size.
    leading: f32,
}

const TITLE: Style = Style {
    face: Face::Bold,
    size: 18.0,
    grey: false,
    leading: 1.25,
};
const HEADING: Style = Style {
    face: Face::Bold,
    size: 12.5,
    grey: false,
    leading: 1.3,
};
const BODY: Style = Style {
    face: Face::Regular,
    size: 10.5,
    grey: false,
    leading: 1.4,
};
const LABEL: Style = Style {
    face: Face::Bold,
    size: 10.5,
    grey: false,
    leading: 1.4,
};
const SMALL: Style = Style {
    face: Face::Regular,
    size: 8.5,
    grey: true,
    leading: 1.35,
};

/// Something placed on a page (y is the baseline for text, the bottom edge for shapes; PDF's origin is the
/// bottom-left corner).
enum Placed {
    Text { x: f32, y: f32, text: String, style: Style },
    Square { x: f32, y: f32, w: f32, h: f32 },
    Line { y: f32 },
}

/// Writes `sheet` as an A4 PDF.
pub fn render(pdfium: &Pdfium, sheet: &Sheet) -> Result<Vec<u8>, PdfError> {
    let mut document = pdfium.create_new_pdf().map_err(write_error)?;
    let regular = document.fonts_mut().helvetica();
    let bold = document.fonts_mut().helvetica_bold();
    let pages = {
        let measure = |text: &str, style: Style| -> Result<f32, PdfError> {
            let font = match style.face {
                Face::Regular => regular,
                Face::Bold => bold,
            };
            let object =
                PdfPageTextObject::new(&document, text, font, PdfPoints::new(style.size)).map_err(write_error)?;
            Ok(object.width().map_err(write_error)?.value)
        };
        layout(sheet, &measure)?
    };
    let total = pages.len();
    for (n, placed) in pages.iter().enumerate() {
        let mut page = document
            .pages_mut()
            .create_page_at_end(PdfPagePaperSize::a4())
            .map_err(write_error)?;
        // One content stream written at the end, not after each object.
        page.set_content_regeneration_strategy(PdfPageContentRegenerationStrategy::Manual);
        let footer = [
            Placed::Text {
                x: MARGIN,
                y: FOOTER_Y,
                text: sheet.footer.clone(),
                style: SMALL,
            },
            Placed::Text {
                x: PAGE_W - MARGIN - 70.0,
                y: FOOTER_Y,
                text: format!("Pagina {} di {total}", n + 1),
                style: SMALL,
            },
        ];
        for item in placed.iter().chain(footer.iter()) {
            match item {
                Placed::Text { x, y, text, style } => {
                    let font = match style.face {
                        Face::Regular => regular,
                        Face::Bold => bold,
                    };
                    let mut object = page
                        .objects_mut()
                        .create_text_object(
                            PdfPoints::new(*x),
                            PdfPoints::new(*y),
                            text,
                            font,
                            PdfPoints::new(style.size),
                        )
                        .map_err(write_error)?;
                    let colour = if style.grey {
                        PdfColor::new(90, 90, 90, 255)
                    } else {
                        PdfColor::BLACK
                    };
                    object.set_fill_color(colour).map_err(write_error)?;
                }
                Placed::Square { x, y, w, h } => {
                    let rect = PdfRect::new_from_values(*y, *x, y + h, x + w);
                    page.objects_mut()
                        .create_path_object_rect(rect, None, None, Some(PdfColor::BLACK))
                        .map_err(write_error)?;
                }
                Placed::Line { y } => {
                    page.objects_mut()
                        .create_path_object_line(
                            PdfPoints::new(MARGIN),
                            PdfPoints::new(*y),
                            PdfPoints::new(PAGE_W - MARGIN),
                            PdfPoints::new(*y),
                            PdfColor::new(160, 160, 160, 255),
                            PdfPoints::new(0.6),
                        )
                        .map_err(write_error)?;
                }
            }
        }
        page.regenerate_content().map_err(write_error)?;
    }
    document.save_to_bytes().map_err(write_error)
}

/// The text of each page of `bytes` as a reader extracts it (to read a printed sheet back).
pub fn page_texts(pdfium: &Pdfium, bytes: &[u8]) -> Result<Vec<String>, PdfError> {
    let document = crate::document::load(pdfium, bytes, &crate::Limits::default())?;
    document
        .pages()
        .iter()
        .map(|page| page.text().map(|t| t.all()).map_err(write_error))
        .collect()
}

fn write_error(e: PdfiumError) -> PdfError {
    PdfError::new(ErrorKind::Write, "Impossibile comporre il PDF da stampare.").with_detail(format!("{e:?}"))
}

/// The sheet laid out in pages, measuring text with `measure` (its width in points in the given style).
fn layout(sheet: &Sheet, measure: &dyn Fn(&str, Style) -> Result<f32, PdfError>) -> Result<Vec<Vec<Placed>>, PdfError> {
    let mut pages = vec![Vec::new()];
    let mut y = PAGE_H - MARGIN;
    let width = PAGE_W - 2.0 * MARGIN;
    // Moves down by `h`, starting a new page first when `h` does not fit above the bottom margin.
    let room = |pages: &mut Vec<Vec<Placed>>, y: &mut f32, h: f32| {
        if *y - h < BOTTOM && !pages.last().is_some_and(Vec::is_empty) {
            pages.push(Vec::new());
            *y = PAGE_H - MARGIN;
        }
    };
    for block in &sheet.blocks {
        match block {
            Block::Title(text) | Block::Heading(text) | Block::Text(text) | Block::Small(text) => {
                let style = match block {
                    Block::Title(_) => TITLE,
                    Block::Heading(_) => HEADING,
                    Block::Small(_) => SMALL,
                    _ => BODY,
                };
                if matches!(block, Block::Heading(_)) {
                    y -= 8.0;
                }
                for line in wrap(&printable(text), width, style, measure)? {
                    let h = style.size * style.leading;
                    room(&mut pages, &mut y, h);
                    y -= h;
                    pages.last_mut().expect("a page").push(Placed::Text {
                        x: MARGIN,
                        y: y + style.size * 0.3,
                        text: line,
                        style,
                    });
                }
                y -= 6.0;
            }
            Block::Steps(steps) => {
                let indent = 18.0;
                for (n, step) in steps.iter().enumerate() {
                    for (i, line) in wrap(&printable(step), width - indent, BODY, measure)?
                        .into_iter()
                        .enumerate()
                    {
                        let h = BODY.size * BODY.leading;
                        room(&mut pages, &mut y, h);
                        y -= h;
                        let page = pages.last_mut().expect("a page");
                        let baseline = y + BODY.size * 0.3;
                        if i == 0 {
                            page.push(Placed::Text {
                                x: MARGIN,
                                y: baseline,
                                text: format!("{}.", n + 1),
                                style: LABEL,
                            });
                        }
                        page.push(Placed::Text {
                            x: MARGIN + indent,
                            y: baseline,
                            text: line,
                            style: BODY,
                        });
                    }
                    y -= 3.0;
                }
                y -= 6.0;
            }
            Block::Pairs(pairs) => {
                for (label, value) in pairs {
                    let labels = wrap(&printable(label), LABEL_W - 8.0, LABEL, measure)?;
                    let values = wrap(&printable(value), width - LABEL_W, BODY, measure)?;
                    let lines = labels.len().max(values.len());
                    let h = BODY.size * BODY.leading;
                    // A row stays on one page.
                    room(&mut pages, &mut y, h * lines as f32);
                    let page = pages.last_mut().expect("a page");
                    for i in 0..lines {
                        let baseline = y - h * (i as f32 + 1.0) + BODY.size * 0.3;
                        if let Some(l) = labels.get(i) {
                            page.push(Placed::Text {
                                x: MARGIN,
                                y: baseline,
                                text: l.clone(),
                                style: LABEL,
                            });
                        }
                        if let Some(v) = values.get(i) {
                            page.push(Placed::Text {
                                x: MARGIN + LABEL_W,
                                y: baseline,
                                text: v.clone(),
                                style: BODY,
                            });
                        }
                    }
                    y -= h * lines as f32 + 2.0;
                }
                y -= 6.0;
            }
            Block::Qr { data, side } => {
                let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
                    .map_err(|e| PdfError::new(ErrorKind::Write, "Codice QR non componibile.").with_detail(e))?;
                let modules = code.width();
                let colours = code.to_colors();
                // A quiet zone of 4 modules on each side, inside `side`.
                let unit = side / (modules + 8) as f32;
                room(&mut pages, &mut y, *side);
                let left = (PAGE_W - side) / 2.0 + 4.0 * unit;
                let top = y - 4.0 * unit;
                let page = pages.last_mut().expect("a page");
                for row in 0..modules {
                    // One rectangle per run of dark modules in a row.
                    let mut col = 0;
                    while col < modules {
                        if colours[row * modules + col] == qrcode::Color::Dark {
                            let start = col;
                            while col < modules && colours[row * modules + col] == qrcode::Color::Dark {
                                col += 1;
                            }
                            page.push(Placed::Square {
                                x: left + start as f32 * unit,
                                y: top - (row + 1) as f32 * unit,
                                w: (col - start) as f32 * unit,
                                h: unit,
                            });
                        } else {
                            col += 1;
                        }
                    }
                }
                y -= side + 6.0;
            }
            Block::Rule => {
                room(&mut pages, &mut y, 12.0);
                y -= 6.0;
                pages.last_mut().expect("a page").push(Placed::Line { y });
                y -= 8.0;
            }
        }
    }
    Ok(pages)
}

/// `text` in lines no wider than `width` in `style`: broken between words, a word wider than a line broken
/// between its letters; an explicit line break starts a new line.
fn wrap(
    text: &str,
    width: f32,
    style: Style,
    measure: &dyn Fn(&str, Style) -> Result<f32, PdfError>,
) -> Result<Vec<String>, PdfError> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if measure(&candidate, style)? <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if measure(word, style)? <= width {
                line = word.to_owned();
                continue;
            }
            // Too long for any line: as many letters as fit, then the rest.
            for c in word.chars() {
                let mut longer = line.clone();
                longer.push(c);
                if !line.is_empty() && measure(&longer, style)? > width {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = longer;
                }
            }
        }
        lines.push(line);
    }
    Ok(lines)
}

/// `text` in the letters the standard fonts have: Latin-1 and the typographic signs of WinAnsi kept, another
/// letter replaced by its base letter when it has one (decomposed), else by "?"; control characters but the
/// line break dropped.
pub fn printable(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    const WIN_ANSI: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\t' {
            out.push(if c == '\t' { ' ' } else { c });
        } else if c.is_control() {
        } else if (c as u32) < 0x100 || WIN_ANSI.contains(c) {
            out.push(c);
        } else {
            let base = c.to_string().nfd().find(|d| (*d as u32) < 0x100);
            match (base, c) {
                (Some(b), _) => out.push(b),
                (None, 'Ł') => out.push('L'),
                (None, 'ł') => out.push('l'),
                (None, 'Đ') => out.push('D'),
                (None, 'đ') => out.push('d'),
                (None, 'ı') => out.push('i'),
                _ => out.push('?'),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter the same width (6 pt): wrapping is then plain arithmetic.
    fn fixed(text: &str, _: Style) -> Result<f32, PdfError> {
        Ok(text.chars().count() as f32 * 6.0)
    }

    #[test]
    fn words_wrap_at_the_width_and_a_long_link_is_broken() {
        let lines = wrap("uno due tre quattro", 6.0 * 8.0, BODY, &fixed).unwrap();
        assert_eq!(lines, ["uno due", "tre", "quattro"]);
        let lines = wrap("https://continua.io.pagopa.it/open", 6.0 * 10.0, BODY, &fixed).unwrap();
        assert_eq!(lines, ["https://co", "ntinua.io.", "pagopa.it/", "open"]);
        assert_eq!(wrap("a\nb", 600.0, BODY, &fixed).unwrap(), ["a", "b"]);
    }

    #[test]
    fn what_does_not_fit_goes_on_the_next_page() {
        let sheet = Sheet {
            blocks: (0..120).map(|i| Block::Text(format!("riga {i}"))).collect(),
            footer: String::new(),
        };
        let pages = layout(&sheet, &fixed).unwrap();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for page in &pages {
            for item in page {
                if let Placed::Text { y, .. } = item {
                    assert!(*y >= BOTTOM - 5.0 && *y <= PAGE_H - MARGIN, "{y}");
                }
            }
        }
    }

    #[test]
    fn letters_outside_the_standard_fonts_keep_their_base_letter() {
        assert_eq!(printable("Niccolò Ćosić Łukasz\u{7}"), "Niccolò Cosic Lukasz");
        assert_eq!(printable("l’atto – “firma”"), "l’atto – “firma”");
        assert_eq!(printable("漢"), "?");
    }
}
