//! Page pixels for the webview: previews, thumbnails, and a disk cache.
//!
//! Measured on this project's benchmark: pdfium renders an A4 text page at 1000 px in a few ms, while a
//! default-level PNG encode costs several times that. Previews therefore use the fastest PNG setting (a
//! lossless image the webview decodes natively), and raw RGBA is offered for callers that paint a canvas.

use crate::document::{load, Limits};
use crate::error::{ErrorKind, PdfError};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};
use pdfium_render::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Widest bitmap rendered, in pixels: a 400 % zoom of A4 on a 4K screen, and a bound on memory.
pub const MAX_RENDER_WIDTH: u32 = 4096;

/// Most pixels in one bitmap (40 MP, 160 MB of RGBA): an A4 page at 4096 px wide is 23.7 MP. A page with
/// extreme proportions (10 × 500 pt) is rendered narrower rather than asking for gigabytes.
pub const MAX_RENDER_PIXELS: u64 = 40_000_000;

/// Longest side of one bitmap, in pixels: the largest canvas every webview draws.
pub const MAX_RENDER_SIDE: u32 = 16_384;

/// Pixels of one rendered page, RGBA, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA bytes (`width * height * 4`).
    pub rgba: Vec<u8>,
}

/// The pixel width to render for a CSS width on a screen with this device-pixel ratio.
pub fn device_width(css_width: u32, device_pixel_ratio: f64) -> u32 {
    let dpr = if device_pixel_ratio.is_finite() && device_pixel_ratio > 0.0 {
        device_pixel_ratio
    } else {
        1.0
    };
    ((f64::from(css_width) * dpr).round() as u32).clamp(1, MAX_RENDER_WIDTH)
}

/// Renders one page of an open document `width` pixels wide (height follows the page's proportions).
pub fn render_page(document: &PdfDocument, page: u32, width: u32) -> Result<Bitmap, PdfError> {
    let count = document.pages().len().max(0) as u32;
    if page >= count {
        return Err(PdfError::new(
            ErrorKind::PageNotFound,
            format!("La pagina {} non esiste: il documento ha {count} pagine.", page + 1),
        ));
    }
    let pdf_page = document.pages().get(page as PdfPageIndex).map_err(|e| {
        PdfError::new(ErrorKind::Render, "Impossibile leggere la pagina.").with_detail(format!("{e:?}"))
    })?;
    let (target_width, max_height) = bounded_size(pdf_page.width().value, pdf_page.height().value, width)?;
    let config = PdfRenderConfig::new()
        .set_target_width(target_width as Pixels)
        .set_maximum_height(max_height as Pixels);
    let bitmap = pdf_page.render_with_config(&config).map_err(|e| {
        PdfError::new(ErrorKind::Render, "Impossibile mostrare l'anteprima della pagina.").with_detail(format!("{e:?}"))
    })?;
    Ok(Bitmap {
        width: bitmap.width() as u32,
        height: bitmap.height() as u32,
        rgba: bitmap.as_rgba_bytes(),
    })
}

/// The pixel width to render a `page_w` × `page_h` pt page at, for a requested width, and the height
/// that width gives: the page's proportions kept, within [`MAX_RENDER_WIDTH`], [`MAX_RENDER_SIDE`] and
/// [`MAX_RENDER_PIXELS`]. A page so thin that it does not fit in one pixel column is refused.
pub fn bounded_size(page_w: f32, page_h: f32, width: u32) -> Result<(u32, u32), PdfError> {
    let (pw, ph) = (f64::from(page_w), f64::from(page_h));
    if !(pw.is_finite() && ph.is_finite() && pw > 0.0 && ph > 0.0) {
        return Err(crate::error::too_complex(format!("page size {pw} x {ph} pt")));
    }
    let aspect = ph / pw;
    let mut w = f64::from(width.clamp(1, MAX_RENDER_WIDTH));
    // Narrow the bitmap until its height and its pixel count fit; the UI scales it back to the page.
    w = w
        .min(f64::from(MAX_RENDER_SIDE) / aspect)
        .min((MAX_RENDER_PIXELS as f64 / aspect).sqrt())
        .floor();
    let h = (w * aspect).ceil();
    if w < 1.0 || h < 1.0 || h > f64::from(MAX_RENDER_SIDE) {
        return Err(crate::error::too_complex(format!(
            "page proportions {pw} x {ph} pt do not fit a bitmap"
        )));
    }
    Ok((w as u32, h as u32))
}

/// Encodes a bitmap as PNG with the fastest compression.
pub fn encode_png(bitmap: &Bitmap) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::with_capacity(bitmap.rgba.len() / 4);
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub)
        .write_image(&bitmap.rgba, bitmap.width, bitmap.height, ExtendedColorType::Rgba8)
        .map_err(|e| PdfError::new(ErrorKind::Render, "Impossibile preparare l'anteprima.").with_detail(e))?;
    Ok(out)
}

/// Opens the bytes and renders one page as PNG for a CSS width and device-pixel ratio.
pub fn render_png(
    pdfium: &Pdfium,
    bytes: &[u8],
    page: u32,
    css_width: u32,
    device_pixel_ratio: f64,
    limits: &Limits,
) -> Result<Vec<u8>, PdfError> {
    let document = load(pdfium, bytes, limits)?;
    encode_png(&render_page(
        &document,
        page,
        device_width(css_width, device_pixel_ratio),
    )?)
}

/// Renders the first `count` pages (or fewer) as PNG thumbnails `width` pixels wide.
pub fn thumbnails(
    pdfium: &Pdfium,
    bytes: &[u8],
    width: u32,
    count: u32,
    limits: &Limits,
) -> Result<Vec<Vec<u8>>, PdfError> {
    let document = load(pdfium, bytes, limits)?;
    let pages = (document.pages().len().max(0) as u32).min(count);
    (0..pages)
        .map(|page| encode_png(&render_page(&document, page, width)?))
        .collect()
}

/// [`render_png`] off the async runtime: pdfium calls are blocking (and serialised by pdfium-render).
pub async fn render_png_async(
    bytes: Arc<Vec<u8>>,
    page: u32,
    css_width: u32,
    device_pixel_ratio: f64,
    limits: Limits,
) -> Result<Vec<u8>, PdfError> {
    tokio::task::spawn_blocking(move || {
        let pdfium = crate::library::pdfium()?;
        render_png(pdfium, &bytes, page, css_width, device_pixel_ratio, &limits)
    })
    .await
    .map_err(|e| PdfError::new(ErrorKind::Render, "Anteprima interrotta.").with_detail(e))?
}

/// Rendered PNGs on disk, keyed by the file's sha256, the page and the pixel width, so reopening a
/// request (or scrolling back) costs a file read instead of a render.
#[derive(Debug, Clone)]
pub struct RenderCache {
    dir: PathBuf,
}

impl RenderCache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Where an entry lives.
    pub fn path(&self, sha256: &str, page: u32, width: u32) -> PathBuf {
        self.dir
            .join(&sha256[..2.min(sha256.len())])
            .join(format!("{sha256}-p{page}-w{width}.png"))
    }

    /// The cached PNG, or `render()`'s result stored atomically (temp file + rename) and returned. A
    /// cache that cannot be written is not an error: the render is returned anyway.
    pub fn get_or_render(
        &self,
        sha256: &str,
        page: u32,
        width: u32,
        render: impl FnOnce() -> Result<Vec<u8>, PdfError>,
    ) -> Result<Vec<u8>, PdfError> {
        let path = self.path(sha256, page, width);
        if let Ok(png) = std::fs::read(&path) {
            if png.starts_with(b"\x89PNG") {
                return Ok(png);
            }
        }
        let png = render()?;
        if let Err(e) = store(&path, &png) {
            tracing::warn!(error = %e, path = %path.display(), "render cache not written");
        }
        Ok(png)
    }
}

/// Writes an entry atomically. Each writer gets its own temp file (a random name in the entry's folder,
/// so the rename never crosses file systems): with one name per process, two pages rendered at once
/// wrote into the same temp file and one entry could end up holding the other page's image (#10, item 10).
fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().expect("cache entries live in a folder");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".render-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
