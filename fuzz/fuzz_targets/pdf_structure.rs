//! A PDF as a clerk drops it: firmadesk-pdf's bounded structure walk (lopdf), then pdfium's load,
//! field detection and preflight. Never panics; every answer is a report or a typed error.
//!
//! pdfium is a C library without coverage instrumentation: libFuzzer steers by the Rust side (the walk
//! and the reading of pdfium's answers) and pdfium runs as it does in the app. It is found like the app
//! finds it (FIRMADESK_PDFIUM, else target/pdfium); without it only the walk is fuzzed, and says so once.
#![no_main]

use firmadesk_pdf::{library, preflight, structure, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = structure::scan(data);
    // library::pdfium() binds once and caches; a missing library is said once.
    static MISSING: std::sync::Once = std::sync::Once::new();
    let pdfium = library::pdfium().inspect_err(|e| {
        MISSING.call_once(|| {
            eprintln!(
                "pdf_structure: no pdfium, fuzzing the structure walk only: {}",
                e.message()
            )
        });
    });
    if let Ok(pdfium) = pdfium {
        let _ = preflight::run(
            pdfium,
            preflight::Input {
                bytes: data,
                fields: &[],
                title: Some("Accordo"),
                limits: Limits::default(),
            },
        );
    }
});
