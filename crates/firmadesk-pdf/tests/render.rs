//! Previews and thumbnails on real pdfium, the disk cache, and the async wrapper.

mod common;

use common::*;
use firmadesk_pdf::render::{self, RenderCache};
use firmadesk_pdf::{ErrorKind, Limits};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn decode(png: &[u8]) -> image::RgbaImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a valid PNG")
        .to_rgba8()
}

#[test]
fn page_preview_honours_css_width_and_device_pixel_ratio() {
    let png = render::render_png(pdfium(), &simple(), 0, 500, 2.0, &Limits::default()).unwrap();
    let img = decode(&png);
    assert_eq!(img.width(), 1000);
    let expected_height = (1000.0 * A4.1 / A4.0).round() as u32;
    assert!(
        img.height().abs_diff(expected_height) <= 1,
        "height {} vs {expected_height}",
        img.height()
    );
    // The page text is drawn: some pixels are dark, most are white paper.
    let dark = img.pixels().filter(|p| p.0[0] < 100 && p.0[3] == 255).count();
    assert!(
        dark > 100 && dark < (img.width() * img.height()) as usize / 4,
        "{dark} dark pixels"
    );
    assert_eq!(render::device_width(500, f64::NAN), 500);
    assert_eq!(render::device_width(10_000, 3.0), render::MAX_RENDER_WIDTH);
}

#[test]
fn thumbnails_stop_at_the_last_page_and_bad_pages_are_clear_errors() {
    let pdf = build(&vec![Page::a4(); 3], &[]);
    let thumbs = render::thumbnails(pdfium(), &pdf, 200, 50, &Limits::default()).unwrap();
    assert_eq!(thumbs.len(), 3);
    assert!(thumbs.iter().all(|t| decode(t).width() == 200));
    let err = render::render_png(pdfium(), &pdf, 3, 500, 1.0, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PageNotFound);
    assert!(
        err.message().contains("pagina 4") && err.message().contains("3 pagine"),
        "{}",
        err.message()
    );
}

#[test]
fn the_cache_serves_a_second_request_without_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let cache = RenderCache::new(dir.path());
    let pdf = simple();
    let sha = firmadesk_pdf::document::sha256_hex(&pdf);
    let renders = AtomicUsize::new(0);
    let render_once = || {
        renders.fetch_add(1, Ordering::SeqCst);
        render::render_png(pdfium(), &pdf, 0, 300, 1.0, &Limits::default())
    };
    let first = cache.get_or_render(&sha, 0, 300, render_once).unwrap();
    let second = cache.get_or_render(&sha, 0, 300, render_once).unwrap();
    assert_eq!(first, second);
    assert_eq!(renders.load(Ordering::SeqCst), 1);
    assert!(cache.path(&sha, 0, 300).exists());
    // Another width is another entry; a damaged entry is rendered again.
    cache.get_or_render(&sha, 0, 200, render_once).unwrap();
    assert_eq!(renders.load(Ordering::SeqCst), 2);
    std::fs::write(cache.path(&sha, 0, 300), b"garbage").unwrap();
    assert_eq!(cache.get_or_render(&sha, 0, 300, render_once).unwrap(), first);
    assert_eq!(renders.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn async_render_gives_the_same_pixels_off_the_runtime() {
    let pdf = Arc::new(simple());
    let sync = render::render_png(pdfium(), &pdf, 0, 400, 1.5, &Limits::default()).unwrap();
    let renders: Vec<_> = (0..4)
        .map(|_| render::render_png_async(pdf.clone(), 0, 400, 1.5, Limits::default()))
        .collect();
    for result in futures_join(renders).await {
        assert_eq!(result.unwrap(), sync);
    }
}

async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut out = Vec::new();
    for f in futures {
        out.push(f.await);
    }
    out
}

/// Issue #10 item 10: every writer used the same temp file name, so two pages stored at once could leave
/// one page's cache entry holding the other page's image. Many pages of one document are stored at the
/// same moment (a barrier lines the writers up), round after round; every entry must hold its own page.
#[test]
fn concurrent_renders_of_different_pages_each_cache_their_own_page() {
    const PAGES: u32 = 8;
    const ROUNDS: usize = 12;
    let pdf = build(&vec![Page::a4(); PAGES as usize], &[]);
    let sha = firmadesk_pdf::document::sha256_hex(&pdf);
    let direct: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..PAGES)
            .map(|p| render::render_png(pdfium(), &pdf, p, 120, 1.0, &Limits::default()).unwrap())
            .collect(),
    );
    assert!(direct.windows(2).all(|w| w[0] != w[1]), "each page looks different");
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let barrier = Arc::new(std::sync::Barrier::new(PAGES as usize));
        let handles: Vec<_> = (0..PAGES)
            .map(|page| {
                let (cache, sha, direct, barrier) = (
                    RenderCache::new(dir.path()),
                    sha.clone(),
                    direct.clone(),
                    barrier.clone(),
                );
                std::thread::spawn(move || {
                    cache
                        .get_or_render(&sha, page, 120, || {
                            barrier.wait();
                            Ok(direct[page as usize].clone())
                        })
                        .unwrap()
                })
            })
            .collect();
        for (page, handle) in handles.into_iter().enumerate() {
            assert_eq!(
                handle.join().unwrap(),
                direct[page],
                "round {round}: page {page} returned"
            );
        }
        let cache = RenderCache::new(dir.path());
        for page in 0..PAGES {
            let stored = std::fs::read(cache.path(&sha, page, 120)).expect("every entry is written");
            assert!(
                stored == direct[page as usize],
                "round {round}: the entry of page {page} holds another image"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(cache.path(&sha, 0, 120).parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| !n.to_string_lossy().ends_with(".png"))
            .collect();
        assert!(leftovers.is_empty(), "temp files left behind: {leftovers:?}");
    }
}
