//! `cargo xtask fuzz [SECONDS]`: the coverage-guided fuzz targets of `fuzz/` (cargo-fuzz, libFuzzer).
//!
//! Each target runs for a bounded time (default [`DEFAULT_SECONDS`]) with a memory limit and a
//! per-input timeout. Every run first replays the committed seeds (`fuzz/corpus/<target>/`), the kept
//! crash inputs (`fuzz/regressions/<target>/`) and whatever a manual `cargo fuzz run` left in
//! `fuzz/artifacts/<target>/`, so a regression on a saved input fails at once; then it mutates. New
//! inputs go to a working corpus under `target/fuzz/corpus/` (not committed; it makes later runs start
//! further; the test step starts from an empty one), crashes to `target/fuzz/artifacts/<target>/`: copy one
//! to `fuzz/regressions/<target>/` to keep it.
//!
//! libFuzzer needs a nightly rustc (sanitizer-coverage flags). Without a nightly toolchain the stable
//! one is used with `RUSTC_BOOTSTRAP=1`, which unlocks the same flags. The targets are built without a
//! sanitizer: the code under test is safe Rust plus pdfium (a C library that is not instrumented anyway),
//! ASan would double the build and halve the speed, and panics, timeouts and memory blow-ups, what these
//! targets look for, are caught by libFuzzer itself.

use crate::{deps, root};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The targets, one per outside input FirmaDesk parses (see the header of each file in fuzz/fuzz_targets/).
pub const TARGETS: &[&str] = &["pdf_structure", "fiscal_code", "iosign_json", "sandbox_upload"];

/// Seconds per target for `cargo xtask fuzz` without an argument.
pub const DEFAULT_SECONDS: u64 = 60;

/// Seconds per target in `cargo xtask test` (its fuzz step): a regression check, not a campaign.
pub const TEST_SECONDS: u64 = 20;

/// libFuzzer's bounds: memory of the whole process (MB) and wall time of one input (s). Generous for
/// a loaded two-core machine; an input that breaks them is reported as a crash.
///
/// 4 GiB, not 2: pdfium's allocator keeps the pages of a large inflation for the rest of the run, so RSS
/// is a high-water mark across inputs, not one input's use (runs peaked between 0.6 and 2.1 GB). A run
/// once hit 2 GiB: an object-stream bomb lopdf could not parse, which pdfium inflated whole (754 MB for
/// one `firmadesk check`); `structure::scan` now bounds such files too (its input is kept in
/// `fuzz/regressions/pdf_structure/`). A jump past 4 GiB is a finding, not noise.
const RSS_LIMIT_MB: u32 = 4096;
const INPUT_TIMEOUT_SECS: u32 = 30;

/// Longest input libFuzzer makes up. Seeds may be longer (replayed whole); 64 KiB is room for any
/// structure a PDF parser meets, and keeps executions fast.
const MAX_LEN: u32 = 64 * 1024;

fn target_dir() -> PathBuf {
    root().join("target/fuzz")
}

/// `cargo [+nightly] fuzz`, or stable with RUSTC_BOOTSTRAP when no nightly toolchain is installed.
fn cargo_fuzz() -> Command {
    let nightly = Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    // The rustup proxy, not $CARGO (a toolchain's own cargo, which does not understand `+nightly`).
    let mut cmd = Command::new("cargo");
    if nightly {
        cmd.arg("+nightly");
    } else {
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    // The fuzz crate is its own workspace with its own lock file; `--fuzz-dir` names it explicitly.
    cmd.current_dir(root()).arg("fuzz");
    cmd
}

/// `cargo fuzz build` of every target (release, debug assertions, no sanitizer).
pub fn build() -> Command {
    let mut cmd = cargo_fuzz();
    cmd.args(["build", "--fuzz-dir", "fuzz", "--sanitizer", "none", "--target-dir"])
        .arg(target_dir());
    cmd
}

/// Where new inputs go: the corpus a campaign keeps building on, or a fresh one per run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    /// `target/fuzz/corpus/<target>`, kept between runs (`cargo xtask fuzz`).
    Kept,
    /// Emptied first (`cargo xtask test`): the step replays only what is committed, so its time does not
    /// grow with what earlier local campaigns found (a slow target replays hundreds of inputs).
    Fresh,
}

/// `cargo fuzz run <target>` for `seconds`: replays the saved inputs, then mutates.
pub fn run(target: &str, seconds: u64, corpus: Corpus) -> Result<Command> {
    let root = root();
    let work = match corpus {
        Corpus::Kept => target_dir().join("corpus").join(target),
        Corpus::Fresh => {
            let dir = target_dir().join("check-corpus").join(target);
            let _ = std::fs::remove_dir_all(&dir);
            dir
        }
    };
    let artifacts = target_dir().join("artifacts").join(target);
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    std::fs::create_dir_all(&artifacts).with_context(|| format!("cannot create {}", artifacts.display()))?;
    let mut cmd = cargo_fuzz();
    cmd.args(["run", "--fuzz-dir", "fuzz", "--sanitizer", "none", "--target-dir"])
        .arg(target_dir())
        .arg(target)
        // The first folder receives new inputs: the working corpus, never the committed seeds.
        .arg(&work);
    for saved in saved_inputs(&root, target) {
        cmd.arg(saved);
    }
    cmd.arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECS}"))
        .arg(format!("-max_len={MAX_LEN}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        // libFuzzer's default is one process and one worker, which is what a shared two-core machine wants;
        // `-jobs=N` would fork workers that log to fuzz-N.log files in the current folder.
        .arg("-print_final_stats=1");
    Ok(cmd)
}

/// The committed seeds, the kept crash inputs and a manual run's crash inputs of one target.
fn saved_inputs(root: &Path, target: &str) -> Vec<PathBuf> {
    ["fuzz/corpus", "fuzz/regressions", "fuzz/artifacts"]
        .iter()
        .map(|dir| root.join(dir).join(target))
        .filter(|dir| dir.is_dir())
        .collect()
}

/// `cargo xtask fuzz [SECONDS]`: builds, then runs each target for SECONDS; fails on the first crash.
pub fn fuzz(args: &[String]) -> Result<()> {
    let seconds = match args.first() {
        Some(s) => s
            .parse()
            .with_context(|| format!("usage: cargo xtask fuzz [SECONDS] (got {s:?})"))?,
        None => DEFAULT_SECONDS,
    };
    deps::ensure_cargo_fuzz()?;
    // pdf_structure runs pdfium as the app does; the library comes from the same place.
    let lib = crate::pdfium::provision(&root())?;
    crate::run_cmd(&mut build())?;
    let mut failed = Vec::new();
    for target in TARGETS {
        println!("\nxtask: == fuzz {target} ({seconds} s) ==");
        let ok = run(target, seconds, Corpus::Kept)?
            .env("FIRMADESK_PDFIUM", &lib)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            failed.push(*target);
        }
    }
    if !failed.is_empty() {
        anyhow::bail!(
            "fuzz targets failed: {} (the input is under target/fuzz/artifacts/<target>/; keep it in fuzz/regressions/<target>/ once fixed)",
            failed.join(", ")
        );
    }
    println!("xtask: every fuzz target ran {seconds} s without a crash");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every target xtask runs exists in fuzz/ (a `[[bin]]` and its source) and has committed seeds, so
    /// a renamed or forgotten target fails here rather than as a confusing cargo-fuzz error in CI.
    #[test]
    fn every_target_has_a_binary_a_source_and_seeds() {
        let fuzz = root().join("fuzz");
        let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
        assert!(
            manifest.contains("[workspace]"),
            "fuzz/ is its own workspace, outside the main one"
        );
        for target in TARGETS {
            assert!(
                manifest.contains(&format!("name = \"{target}\"")),
                "no [[bin]] {target}"
            );
            assert!(
                fuzz.join("fuzz_targets").join(format!("{target}.rs")).is_file(),
                "no source for {target}"
            );
            let seeds = std::fs::read_dir(fuzz.join("corpus").join(target))
                .map(std::iter::Iterator::count)
                .unwrap_or(0);
            assert!(seeds > 0, "no seeds in fuzz/corpus/{target}");
        }
    }

    #[test]
    fn a_run_replays_the_saved_inputs_after_the_working_corpus() {
        let cmd = run("fiscal_code", 7, Corpus::Kept).expect("command");
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        // libFuzzer writes new inputs into the first folder: it must be the working corpus, not the seeds.
        let first_dir = args
            .iter()
            .find(|a| a.ends_with("corpus/fiscal_code"))
            .expect("a corpus folder");
        assert!(first_dir.contains("target/fuzz/corpus"), "{first_dir}");
        assert!(args.contains(&"-max_total_time=7".to_string()));
        assert!(args.iter().any(|a| a.starts_with("-rss_limit_mb=")));
        assert!(args.iter().any(|a| a.starts_with("-timeout=")));
        let fresh = run("fiscal_code", 7, Corpus::Fresh).expect("command");
        let first = fresh
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .find(|a| a.ends_with("corpus/fiscal_code"))
            .expect("a corpus folder");
        assert!(first.contains("target/fuzz/check-corpus"), "{first}");
    }
}
