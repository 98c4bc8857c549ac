//! FirmaDesk developer tasks.
//!
//! ```text
//! cargo xtask run      install what is missing, build, launch FirmaDesk on the embedded IO Sign sandbox
//! cargo xtask test     every test: fmt, clippy, crate tests, UI unit tests, D-Bus integration, E2E on the window,
//!                      each fuzz target for 20 s over its saved inputs (`cargo xtask test <step>`: one step only)
//! cargo xtask fuzz [S] each fuzz target of fuzz/ for S seconds (default 60), saved inputs first
//! cargo xtask bundle   release bundles (.deb offline; see README for AppImage/.msi/.dmg)
//! cargo xtask setup    only the installs (system packages, pdfium, UI assets, tauri-driver)
//! cargo xtask pg       a throw-away PostgreSQL for running the team-mode tests by hand (until Enter)
//! cargo xtask places   refresh the birthplace table of the fiscal-code check (ANPR and ISTAT data, from PyPI)
//! ```
//!
//! Everything a fresh Debian/Ubuntu machine lacks is installed here, so CI and a newcomer run the same
//! steps. A prerequisite that cannot be installed stops the run with the exact command to run by hand:
//! nothing is skipped silently.

mod appbuild;
mod deps;
mod fuzz;
mod pdfium;
mod pg;
mod places;
mod publiccode;
mod team;
mod testrun;
mod ui;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => testrun::test(&args[1..]),
        Some("test-inner") => testrun::test_inner(&args[1..]),
        Some("bundle") => bundle(),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("setup") => setup(Purpose::Test).map(|_| ()),
        Some("pdfium") => pdfium::provision(&root()).map(|p| println!("{}", p.display())),
        Some("ui") => ui::install(&root()),
        Some("pg") => pg::serve(),
        Some("places") => places::refresh(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <run|test|fuzz [SECONDS]|bundle|setup|pdfium|ui|pg|places [VERSION]>");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

/// The workspace root (the parent of xtask/).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// What the machine is being prepared for: running needs fewer system packages than testing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Installs what is missing and returns the path of libpdfium.
fn setup(purpose: Purpose) -> Result<PathBuf> {
    let root = root();
    deps::ensure_system_packages(purpose)?;
    if purpose == Purpose::Test {
        deps::ensure_tauri_driver()?;
    }
    let lib = pdfium::provision(&root)?;
    ui::install(&root)?;
    Ok(lib)
}

/// Runs a command, failing with its command line when it fails.
pub fn run_cmd(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("cannot start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed with {status}");
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(extra: &[String]) -> Result<()> {
    let lib = setup(Purpose::Run)?;
    let root = root();
    run_cmd(&mut appbuild::build_app())?;
    let exe = root
        .join("target/debug")
        .join(format!("firmadesk{}", std::env::consts::EXE_SUFFIX));
    if extra.iter().any(|a| a == "--team") {
        return team::run(&exe, &lib);
    }
    println!(
        "xtask: launching {} (embedded IO Sign sandbox unless a real profile is configured)",
        exe.display()
    );
    let mut cmd = app_window(&exe, &lib);
    cmd.current_dir(&root).args(extra);
    run_cmd(&mut cmd)
}

/// The command that opens the app's window: under Xvfb when there is no display (a server, CI), so the
/// command still proves the app starts, and says so.
fn app_window(exe: &Path, lib: &Path) -> Command {
    let headless = cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none();
    let mut cmd = if headless {
        println!("xtask: no display found, starting FirmaDesk under Xvfb");
        let mut c = Command::new("xvfb-run");
        c.args(["-a", "-s", "-screen 0 1280x800x24"]).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    cmd.env("FIRMADESK_PDFIUM", lib);
    cmd
}

fn bundle() -> Result<()> {
    let root = root();
    let lib = setup(Purpose::Run)?;
    deps::ensure_tauri_cli()?;
    // The bundler reads tauri.<os>.conf.json, which lists target/pdfium/* as a resource.
    let bundles = if cfg!(target_os = "linux") {
        "deb"
    } else if cfg!(target_os = "windows") {
        "msi"
    } else {
        "dmg"
    };
    println!("xtask: bundling {bundles} with pdfium from {}", lib.display());
    run_cmd(
        cargo()
            .current_dir(&root)
            .args(["tauri", "build", "--bundles", bundles]),
    )?;
    println!("xtask: bundles are under target/release/bundle/");
    Ok(())
}
