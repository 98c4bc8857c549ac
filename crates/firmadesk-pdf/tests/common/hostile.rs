//! The hostile-PDF corpus: small files built to hang, exhaust or crash a PDF reader. Written as raw bytes
//! (lopdf cannot write a `/Prev` loop or a filter chain it did not compress itself), committed under
//! `tests/fixtures/hostile/` so the fuzz targets can seed from them, and regenerated with
//! `cargo run -p firmadesk-pdf --example hostile_corpus` (slow: two 1 GiB inflate bombs are deflated twice).
#![allow(dead_code)]

use std::io::Write;

/// Every hostile file: (file name, what it attacks).
pub const CORPUS: &[(&str, &str)] = &[
    ("kids-self.pdf", "a signature field that lists itself twice in /Kids"),
    (
        "kids-dag.pdf",
        "a /Kids DAG 30 levels deep, 2 parents per level (2^30 paths)",
    ),
    (
        "kids-deep.pdf",
        "a chain of 2000 fields, each the only kid of the previous one",
    ),
    ("nesting-deep.pdf", "an array nested 10000 levels deep"),
    (
        "inflate-bomb-content.pdf",
        "a ~2 KB page content stream that inflates to 1 GiB (Flate twice)",
    ),
    (
        "inflate-bomb-objstm.pdf",
        "an object stream that inflates to 1 GiB, listed in an xref stream",
    ),
    ("mediabox-huge.pdf", "a 1e9 x 1e9 pt MediaBox"),
    (
        "page-tall.pdf",
        "a 10 x 500 pt page (a 4000 px wide render asks for 3.2 GB)",
    ),
    ("count-huge.pdf", "a page tree whose /Count says 1e9 pages"),
    ("pages-cycle.pdf", "a page tree that lists itself among its kids"),
    (
        "xref-prev-loop.pdf",
        "two xref sections whose /Prev point at each other",
    ),
    ("xref-prev-self.pdf", "an xref section whose /Prev points at itself"),
];

const PAGE_MEDIA: &str = "[0 0 595 842]";

/// A classic PDF from object bodies numbered from 1; `trailer` gets the xref offset and returns the
/// trailer dictionary's extra entries.
fn raw(objects: &[Vec<u8>], trailer: impl Fn(usize) -> String) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    writeln!(out, "xref\n0 {}\n0000000000 65535 f ", objects.len() + 1).unwrap();
    for o in &offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R {} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        trailer(xref)
    )
    .unwrap();
    out
}

fn b(s: impl Into<String>) -> Vec<u8> {
    s.into().into_bytes()
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b(format!("<< {dict} /Length {} >>\nstream\n", data.len()));
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// Objects 1–4: catalog (with `catalog_extra`), page tree, one page, its content.
fn base(catalog_extra: &str, media: &str) -> Vec<Vec<u8>> {
    vec![
        b(format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>")),
        b("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        b(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox {media} /Contents 4 0 R /Resources << >> >>"
        )),
        stream("", b"0 0 1 rg 10 10 50 50 re f"),
    ]
}

/// `size` zero bytes deflated twice: each pass shrinks runs ~1000:1, so 1 GiB becomes a few KB.
fn double_deflate(size: usize) -> Vec<u8> {
    use flate2::{write::ZlibEncoder, Compression};
    let mut once = ZlibEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() {
        once.write_all(&chunk).unwrap();
    }
    let once = once.finish().unwrap();
    let mut twice = ZlibEncoder::new(Vec::new(), Compression::best());
    twice.write_all(&once).unwrap();
    twice.finish().unwrap()
}

const GIB: usize = 1 << 30;

/// Builds one corpus file by name.
pub fn generate(name: &str) -> Vec<u8> {
    match name {
        "kids-self.pdf" => {
            let mut objs = base("/AcroForm << /Fields [5 0 R] >>", PAGE_MEDIA);
            objs.push(b("<< /FT /Sig /T (Firma) /Kids [5 0 R 5 0 R] >>"));
            raw(&objs, |_| String::new())
        }
        "kids-dag.pdf" => {
            // Level l has nodes 5+2l and 6+2l; each lists both nodes of level l+1. The last level are
            // signature widgets on the page.
            const LEVELS: usize = 30;
            let id = |level: usize, i: usize| 5 + 2 * level + i;
            let mut objs = base(
                &format!("/AcroForm << /Fields [{} 0 R {} 0 R] >>", id(0, 0), id(0, 1)),
                PAGE_MEDIA,
            );
            for level in 0..LEVELS {
                for i in 0..2 {
                    objs.push(if level + 1 < LEVELS {
                        b(format!(
                            "<< /FT /Sig /T (f{level}x{i}) /Kids [{} 0 R {} 0 R] >>",
                            id(level + 1, 0),
                            id(level + 1, 1)
                        ))
                    } else {
                        b(format!(
                            "<< /Type /Annot /Subtype /Widget /FT /Sig /T (w{i}) /Rect [10 10 110 60] /P 3 0 R >>"
                        ))
                    });
                }
            }
            raw(&objs, |_| String::new())
        }
        "kids-deep.pdf" => {
            const DEPTH: usize = 2000;
            let mut objs = base("/AcroForm << /Fields [5 0 R] >>", PAGE_MEDIA);
            for i in 0..DEPTH {
                let me = 5 + i;
                objs.push(if i + 1 < DEPTH {
                    b(format!("<< /FT /Sig /T (d{i}) /Kids [{} 0 R] >>", me + 1))
                } else {
                    b("<< /Type /Annot /Subtype /Widget /T (fondo) /Rect [10 10 110 60] /P 3 0 R >>")
                });
            }
            raw(&objs, |_| String::new())
        }
        "nesting-deep.pdf" => {
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            let mut objs = base("/Deep 5 0 R", PAGE_MEDIA);
            objs.push(b(deep));
            raw(&objs, |_| String::new())
        }
        "inflate-bomb-content.pdf" => {
            let mut objs = base("", PAGE_MEDIA);
            objs[3] = stream("/Filter [/FlateDecode /FlateDecode]", &double_deflate(GIB));
            raw(&objs, |_| String::new())
        }
        "inflate-bomb-objstm.pdf" => objstm_bomb(),
        "mediabox-huge.pdf" => raw(&base("", "[0 0 1000000000 1000000000]"), |_| String::new()),
        "page-tall.pdf" => raw(&base("", "[0 0 10 500]"), |_| String::new()),
        "count-huge.pdf" => {
            let mut objs = base("", PAGE_MEDIA);
            objs[1] = b("<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>");
            raw(&objs, |_| String::new())
        }
        "pages-cycle.pdf" => {
            let mut objs = base("", PAGE_MEDIA);
            objs[1] = b("<< /Type /Pages /Kids [3 0 R 2 0 R 2 0 R] /Count 3 >>");
            raw(&objs, |_| String::new())
        }
        "xref-prev-self.pdf" => raw(&base("", PAGE_MEDIA), |xref| format!("/Prev {xref}")),
        "xref-prev-loop.pdf" => {
            // A first section whose /Prev names an appended second section, whose /Prev names the first;
            // startxref names the second. Offsets are zero-padded so the first trailer's length does not
            // depend on the number it holds.
            let first = |prev: usize| raw(&base("", PAGE_MEDIA), move |_| format!("/Prev {prev:010}"));
            let second_at = first(0).len();
            let mut out = first(second_at);
            assert_eq!(out.len(), second_at);
            let first_at = {
                let at = out.windows(9).rposition(|w| w == b"startxref").unwrap() + 10;
                let digits: String = out[at..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .map(|&c| c as char)
                    .collect();
                digits.parse::<usize>().unwrap()
            };
            write!(
                out,
                "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R /Prev {first_at} >>\nstartxref\n{second_at}\n%%EOF\n"
            )
            .unwrap();
            out
        }
        other => panic!("no hostile file {other}"),
    }
}

/// Objects 1–3 in an object stream (inflating to 1 GiB of padding after them) listed by an xref stream.
fn objstm_bomb() -> Vec<u8> {
    use flate2::{write::ZlibEncoder, Compression};
    let catalog = "<< /Type /Catalog /Pages 2 0 R >>";
    let pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
    let page = format!("<< /Type /Page /Parent 2 0 R /MediaBox {PAGE_MEDIA} >>");
    let header = format!("1 0 2 {} 3 {} ", catalog.len() + 1, catalog.len() + pages.len() + 2);
    let body = format!("{catalog}\n{pages}\n{page}\n");
    // First pass by hand so the 1 GiB of padding never sits in memory.
    let mut once = ZlibEncoder::new(Vec::new(), Compression::best());
    once.write_all(header.as_bytes()).unwrap();
    once.write_all(body.as_bytes()).unwrap();
    let pad = vec![b' '; 1 << 20];
    for _ in 0..GIB / pad.len() {
        once.write_all(&pad).unwrap();
    }
    let once = once.finish().unwrap();
    let mut twice = ZlibEncoder::new(Vec::new(), Compression::best());
    twice.write_all(&once).unwrap();
    let data = twice.finish().unwrap();

    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let objstm_at = out.len();
    out.extend_from_slice(b"4 0 obj\n");
    out.extend_from_slice(&stream(
        &format!(
            "/Type /ObjStm /N 3 /First {} /Filter [/FlateDecode /FlateDecode]",
            header.len()
        ),
        &data,
    ));
    out.extend_from_slice(b"\nendobj\n");
    let xref_at = out.len();
    // Xref stream rows: type (1 byte), field 2 (4 bytes), field 3 (2 bytes); uncompressed.
    let mut rows = Vec::new();
    let mut row = |t: u8, f2: u32, f3: u16| {
        rows.push(t);
        rows.extend_from_slice(&f2.to_be_bytes());
        rows.extend_from_slice(&f3.to_be_bytes());
    };
    row(0, 0, 65535);
    for index in 0..3u16 {
        row(2, 4, index);
    }
    row(1, objstm_at as u32, 0);
    row(1, xref_at as u32, 0);
    out.extend_from_slice(b"5 0 obj\n");
    out.extend_from_slice(&stream("/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", &rows));
    write!(out, "\nendobj\nstartxref\n{xref_at}\n%%EOF\n").unwrap();
    out
}

/// Reads a committed corpus file.
pub fn corpus_file(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e} (regenerate: see tests/common/hostile.rs)"))
}

/// Where the corpus lives.
pub fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}
