//! Finding and binding pdfium, once per process.
//!
//! pdfium can be bound only once per process (a second bind fails), so the bound instance lives in a
//! static. Where it is looked for, in order:
//! 1. `FIRMADESK_PDFIUM` (a file path), for IT staff and tests — when set, it is the only place tried,
//!    so a wrong path is reported instead of silently using another copy;
//! 2. the app's bundled resource directory (`<resources>/pdfium/<lib>`), given by the shell;
//! 3. next to the executable (Windows installs resources there), the macOS bundle layout
//!    (`Contents/Resources/pdfium/<lib>`) and the Linux package layout (`/usr/lib/FirmaDesk/pdfium/<lib>`);
//! 4. the copy `cargo xtask` provisions in the workspace (`target/pdfium/<lib>`), for development.

use crate::error::{ErrorKind, PdfError};
use pdfium_render::prelude::Pdfium;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Environment variable naming the pdfium library file.
pub const PDFIUM_ENV: &str = "FIRMADESK_PDFIUM";

static PDFIUM: OnceLock<Pdfium> = OnceLock::new();
static BINDING: Mutex<()> = Mutex::new(());

/// The platform's file name of the library (`libpdfium.so`, `pdfium.dll`, `libpdfium.dylib`).
pub fn library_file_name() -> std::ffi::OsString {
    Pdfium::pdfium_platform_library_name()
}

/// Every place pdfium is looked for, in order.
pub fn candidates(resource_dir: Option<&Path>) -> Vec<PathBuf> {
    let name = library_file_name();
    let mut out = Vec::new();
    if let Some(path) = std::env::var_os(PDFIUM_ENV).filter(|p| !p.is_empty()) {
        return vec![PathBuf::from(path)];
    }
    if let Some(dir) = resource_dir {
        out.push(dir.join("pdfium").join(&name));
        out.push(dir.join(&name));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        out.push(exe_dir.join(&name));
        out.push(exe_dir.join("pdfium").join(&name));
        out.push(exe_dir.join("../Resources/pdfium").join(&name));
        out.push(exe_dir.join("../lib/FirmaDesk/pdfium").join(&name));
    }
    out.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/pdfium")
            .join(&name),
    );
    out
}

/// The process's pdfium, binding it on first use from the first candidate that loads.
pub fn init(resource_dir: Option<&Path>) -> Result<&'static Pdfium, PdfError> {
    if let Some(pdfium) = PDFIUM.get() {
        return Ok(pdfium);
    }
    let _guard = BINDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(pdfium) = PDFIUM.get() {
        return Ok(pdfium);
    }
    let mut tried = Vec::new();
    for path in candidates(resource_dir) {
        if !path.is_file() {
            tried.push(format!("{} (assente)", path.display()));
            continue;
        }
        match Pdfium::bind_to_library(&path) {
            Ok(bindings) => {
                tracing::info!(path = %path.display(), "pdfium bound");
                return Ok(PDFIUM.get_or_init(|| Pdfium::new(bindings)));
            }
            Err(e) => tried.push(format!("{} ({e:?})", path.display())),
        }
    }
    Err(PdfError::new(
        ErrorKind::LibraryMissing,
        "Libreria PDF (pdfium) non trovata: reinstallare FirmaDesk o impostare FIRMADESK_PDFIUM con il percorso della libreria.",
    )
    .with_detail(format!("tried: {}", tried.join("; "))))
}

/// The process's pdfium, looked for without a resource directory.
pub fn pdfium() -> Result<&'static Pdfium, PdfError> {
    init(None)
}
