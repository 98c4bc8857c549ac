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
    let config = PdfRenderConfig::new().set_target_width(width.clamp(1, MAX_RENDER_WIDTH) as Pixels);
    let bitmap = pdf_page.render_with_config(&config).map_err(|e| {
        PdfError::new(ErrorKind::Render, "Impossibile mostrare l'anteprima della pagina.").with_detail(format!("{e:?}"))
    })?;
    Ok(Bitmap {
        width: bitmap.width() as u32,
        height: bitmap.height() as u32,
        rgba: bitmap.as_rgba_bytes(),
    })
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

fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().expect("cache entries live in a folder");
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
