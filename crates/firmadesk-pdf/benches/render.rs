//! Criterion benches of the inner functions: open, render page 1 at 1000 px, the two pixel transports
//! (fast PNG vs raw RGBA), 50 thumbnails, preflight. Run: `cargo bench -p firmadesk-pdf`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{build, pdfium, Page};
use criterion::{criterion_group, criterion_main, Criterion};
use firmadesk_pdf::preflight::{self, Input};
use firmadesk_pdf::render;
use firmadesk_pdf::Limits;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let pdfium = pdfium();
    let limits = Limits::default();
    let text = build(&vec![Page::a4(); 200], &[]);
    c.bench_function("open 200 pages", |b| {
        b.iter(|| firmadesk_pdf::document::load(pdfium, black_box(&text), &limits).unwrap());
    });
    let doc = firmadesk_pdf::document::load(pdfium, &text, &limits).unwrap();
    c.bench_function("render p1 @1000 px (RGBA)", |b| {
        b.iter(|| render::render_page(&doc, 0, 1000).unwrap());
    });
    let bitmap = render::render_page(&doc, 0, 1000).unwrap();
    c.bench_function("encode p1 @1000 px as fast PNG", |b| {
        b.iter(|| render::encode_png(black_box(&bitmap)).unwrap());
    });
    c.bench_function("open + p1 @1000 px + fast PNG", |b| {
        b.iter(|| render::render_png(pdfium, black_box(&text), 0, 1000, 1.0, &limits).unwrap());
    });
    c.bench_function("50 thumbnails @200 px (PNG)", |b| {
        b.iter(|| render::thumbnails(pdfium, black_box(&text), 200, 50, &limits).unwrap());
    });
    c.bench_function("preflight 200 pages, no fields", |b| {
        b.iter(|| {
            preflight::run(
                pdfium,
                Input {
                    bytes: black_box(&text),
                    fields: &[],
                    title: Some("Accordo"),
                    limits,
                },
            )
        });
    });
}

criterion_group! {
    name = render_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(render_benches);
