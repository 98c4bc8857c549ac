//! UI assets: Bootstrap Italia (with its Titillium Web fonts) and Project Fluent's `@fluent/bundle` (the
//! message catalogues' runtime, Apache-2.0) from the npm registry, installed from the
//! lockfile and copied into `ui/vendor/` (git-ignored), which Tauri embeds. Only the files the UI uses are
//! copied, so the app does not carry node_modules.

use crate::run_cmd;
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

/// (path under node_modules, path under ui/vendor)
const FILES: &[(&str, &str)] = &[
    (
        "bootstrap-italia/dist/css/bootstrap-italia.min.css",
        "bootstrap-italia/css/bootstrap-italia.min.css",
    ),
    (
        "bootstrap-italia/dist/js/bootstrap-italia.bundle.min.js",
        "bootstrap-italia/js/bootstrap-italia.bundle.min.js",
    ),
    (
        "bootstrap-italia/dist/svg/sprites.svg",
        "bootstrap-italia/svg/sprites.svg",
    ),
    ("bootstrap-italia/LICENSE", "bootstrap-italia/LICENSE"),
    (
        "bootstrap-italia/dist/fonts/Titillium_Web/OFL.txt",
        "bootstrap-italia/fonts/Titillium_Web/OFL.txt",
    ),
];

pub fn install(root: &Path) -> Result<()> {
    let lock = root.join("package-lock.json");
    let lock_sha = hex::encode(Sha256::digest(
        std::fs::read(&lock).context("package-lock.json is missing")?,
    ));
    let stamp = root.join("node_modules/.firmadesk-lock.sha256");
    if std::fs::read_to_string(&stamp)
        .map(|s| s.trim() != lock_sha)
        .unwrap_or(true)
    {
        println!("xtask: installing UI packages from package-lock.json");
        run_cmd(
            Command::new("npm")
                .current_dir(root)
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]),
        )?;
        std::fs::write(&stamp, &lock_sha)?;
    }
    let modules = root.join("node_modules");
    let vendor = root.join("ui/vendor");
    for (from, to) in FILES {
        copy_if_changed(&modules.join(from), &vendor.join(to))?;
    }
    // @fluent/bundle's ES modules import each other by relative path: the whole `esm/` folder, plus its
    // package.json (name, version, licence).
    let fluent = modules.join("@fluent/bundle");
    copy_if_changed(&fluent.join("package.json"), &vendor.join("fluent-bundle/package.json"))?;
    // Its `{"type": "module"}`: node (the UI tests) then loads the files as the ES modules they are.
    copy_if_changed(
        &fluent.join("esm/package.json"),
        &vendor.join("fluent-bundle/esm/package.json"),
    )?;
    for entry in std::fs::read_dir(fluent.join("esm")).with_context(|| format!("{} is missing", fluent.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "js") {
            let name = path.file_name().expect("module file name");
            copy_if_changed(&path, &vendor.join("fluent-bundle/esm").join(name))?;
        }
    }
    let fonts = modules.join("bootstrap-italia/dist/fonts/Titillium_Web");
    for entry in std::fs::read_dir(&fonts).with_context(|| format!("{} is missing", fonts.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "woff2") {
            let name = path.file_name().expect("font file name");
            copy_if_changed(&path, &vendor.join("bootstrap-italia/fonts/Titillium_Web").join(name))?;
        }
    }
    Ok(())
}

/// Copies only when the content differs, so an unchanged tree does not retrigger the app's build script.
fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let new = std::fs::read(from).with_context(|| format!("{} is missing (npm ci incomplete?)", from.display()))?;
    if std::fs::read(to).map(|old| old == new).unwrap_or(false) {
        return Ok(());
    }
    std::fs::create_dir_all(to.parent().expect("vendor path has a parent"))?;
    std::fs::write(to, new).with_context(|| format!("cannot write {}", to.display()))
}
