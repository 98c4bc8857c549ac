//! The sandbox's decoding of an upload: the dossier's `signature_fields` JSON (as `field_specs` reads it)
//! and the uploaded PDF through its pdf-lib-like checks (`iosign_sandbox::pdf::validate`).
//!
//! Input: the JSON, a NUL byte, then the PDF (no NUL: the whole input is the PDF, with no fields). The
//! sandbox's JSON body validation of the other endpoints is private to the crate (`validate.rs`), so
//! this is the public entry point closest to its request decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (fields, pdf) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"[]"[..], data),
    };
    let fields = serde_json::from_slice::<serde_json::Value>(fields).unwrap_or_default();
    let specs = iosign_sandbox::pdf::field_specs(&fields);
    let _ = iosign_sandbox::pdf::validate(pdf, &specs);
});
