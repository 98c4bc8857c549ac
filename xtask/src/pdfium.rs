//! pdfium provisioning from the pinned `pypdfium2` wheel on PyPI.
//!
//! Debian has no pdfium package; the pypdfium2 wheels ship a self-contained libpdfium for each OS. We
//! download the wheel with pip (the ordinary client for that registry), check its sha256 against the pin
//! below, and extract the library and its licence files to `target/pdfium/`. A second run finds the
//! verified library and does nothing.

use crate::run_cmd;
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = "5.15.2";

/// (pip --platform tag, sha256 of the wheel, library inside the wheel)
fn pin() -> Result<(&'static str, &'static str, &'static str)> {
    Ok(match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => (
            "manylinux_2_17_x86_64",
            "dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37",
            "pypdfium2_raw/libpdfium.so",
        ),
        ("linux", "aarch64") => (
            "manylinux_2_17_aarch64",
            "dd46e93c0c3a73f6cea8489baff6d77a5d0759dd53fbbce0aeb49c91830176fc",
            "pypdfium2_raw/libpdfium.so",
        ),
        ("windows", "x86_64") => (
            "win_amd64",
            "74d1bace34fb01c660d0b64344d5a4b7d276942b7c6623c88ab59ea21c5acfbd",
            "pypdfium2_raw/pdfium.dll",
        ),
        ("macos", "aarch64") => (
            "macosx_13_0_arm64",
            "e71fe832e94421ac3c28d6a6ed4a9e61f22417089652d339f391c4ffc2a44c35",
            "pypdfium2_raw/libpdfium.dylib",
        ),
        ("macos", "x86_64") => (
            "macosx_13_0_x86_64",
            "7f296a298074d76fb7c3d1ecb80d7097a96778bf0ad9c5c48a0170e56e2c6821",
            "pypdfium2_raw/libpdfium.dylib",
        ),
        (os, arch) => bail!("no pinned pdfium build for {os}/{arch}: set FIRMADESK_PDFIUM to a libpdfium you trust"),
    })
}

fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// Makes sure `target/pdfium/<lib>` exists, downloading and verifying the wheel if needed; returns its path.
pub fn provision(root: &Path) -> Result<PathBuf> {
    let (platform, wheel_sha, member) = pin()?;
    let dir = root.join("target/pdfium");
    let lib = dir.join(Path::new(member).file_name().expect("member has a file name"));
    let stamp = dir.join(".wheel.sha256");
    if lib.exists()
        && std::fs::read_to_string(&stamp)
            .map(|s| s.trim() == wheel_sha)
            .unwrap_or(false)
    {
        return Ok(lib);
    }
    std::fs::create_dir_all(&dir)?;
    let download = dir.join("download");
    let _ = std::fs::remove_dir_all(&download);
    println!("xtask: downloading pypdfium2 {VERSION} ({platform}) for libpdfium");
    run_cmd(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--platform",
                platform,
                "--python-version",
                "3.11",
                &format!("pypdfium2=={VERSION}"),
                "-d",
            ])
            .arg(&download),
    )?;
    let wheel = std::fs::read_dir(&download)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .context("pip downloaded no wheel")?;
    let got = sha256_file(&wheel)?;
    if got != wheel_sha {
        bail!(
            "pypdfium2 wheel checksum mismatch: expected {wheel_sha}, got {got} ({}); refusing to use it",
            wheel.display()
        );
    }
    // Extract the library and every licence file (needed next to the library when bundling).
    let script = r#"
import sys, zipfile, os
wheel, member, out = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(wheel) as z:
    with open(os.path.join(out, os.path.basename(member)), 'wb') as f:
        f.write(z.read(member))
    for name in z.namelist():
        if '/licenses/' in name and not name.endswith('/'):
            target = os.path.join(out, 'licenses', name.split('/licenses/', 1)[1])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, 'wb') as f:
                f.write(z.read(name))
"#;
    run_cmd(
        Command::new("python3")
            .args(["-c", script])
            .arg(&wheel)
            .arg(member)
            .arg(&dir),
    )?;
    std::fs::write(&stamp, wheel_sha)?;
    let _ = std::fs::remove_dir_all(&download);
    println!("xtask: pdfium ready at {}", lib.display());
    Ok(lib)
}
