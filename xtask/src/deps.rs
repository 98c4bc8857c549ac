//! System packages and cargo-installed tools.

use crate::{run_cmd, Purpose};
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::process::Command;

/// Debian/Ubuntu packages needed to build and run the app (webkit, gtk, tray, TLS...).
const RUN_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libxdo-dev",
    "libdbus-1-dev",
    "file",
    "xvfb",
    "xauth",
    "nodejs",
    "npm",
    "python3-pip",
];

/// Extra packages for the test suite: WebDriver, a virtual display, a session bus with a real Secret
/// Service and a real notification daemon, the screenshot tool used for the README images, and the
/// PostgreSQL server the team-mode tests run against (a throw-away cluster, see pg.rs).
const TEST_PACKAGES: &[&str] = &[
    "webkit2gtk-driver",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "libsecret-tools",
    "keyutils",
    "dunst",
    "imagemagick",
    "patchelf",
    "postgresql",
    // pdfsig and certutil: the independent cross-check of the sandbox's PAdES signatures (issue #14)
    "poppler-utils",
    "libnss3-tools",
    // xmllint: the independent check that the hand-off package's metadata match its schema (issue #14)
    "libxml2-utils",
    // aiosmtpd: the real SMTP server on loopback the protocol mailbox is tested against (issue #14)
    "python3-aiosmtpd",
];

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs the missing packages with apt (as root, or through passwordless sudo); otherwise prints the
/// exact command and fails.
pub fn ensure_system_packages(purpose: Purpose) -> Result<()> {
    if !cfg!(target_os = "linux") {
        println!("xtask: not Linux: install the Tauri prerequisites for your OS (see README) if the build fails");
        return Ok(());
    }
    if Command::new("dpkg-query").arg("--version").output().is_err() {
        bail!("this is not a Debian/Ubuntu system: install the packages listed in xtask/src/deps.rs with your package manager");
    }
    let mut wanted: Vec<&str> = RUN_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    // node and npm may come from elsewhere (nvm, nodesource); only ask apt for them when missing.
    let have_node = Command::new("npm")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let have_pip = Command::new("python3")
        .args(["-m", "pip", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let missing: Vec<&str> = wanted
        .into_iter()
        .filter(|p| !(have_node && (*p == "nodejs" || *p == "npm")))
        .filter(|p| !(have_pip && *p == "python3-pip"))
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get update && apt-get install -y {}", missing.join(" "));
    println!("xtask: installing system packages: {}", missing.join(" "));
    let sudo_ok = Command::new("sudo")
        .args(["-n", "true"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let prefix: Vec<&str> = if is_root() {
        vec![]
    } else if sudo_ok {
        vec!["sudo", "-n"]
    } else {
        bail!("missing system packages and no root or passwordless sudo; run:\n  sudo sh -c '{install}'");
    };
    let apt = |args: &[&str]| {
        let mut cmd = Command::new(prefix.first().copied().unwrap_or("apt-get"));
        if !prefix.is_empty() {
            cmd.args(&prefix[1..]).arg("apt-get");
        }
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    run_cmd(&mut apt(&["update", "-qq"]))?;
    let mut cmd = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    cmd.args(&missing);
    run_cmd(&mut cmd)
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Path of tauri-driver, installed with cargo (pinned) when `~/.cargo/bin` lacks it.
pub fn tauri_driver() -> PathBuf {
    cargo_bin("tauri-driver")
}

pub fn ensure_tauri_driver() -> Result<()> {
    if tauri_driver().exists() {
        return Ok(());
    }
    println!("xtask: installing tauri-driver 2.1.0 (about a minute)");
    run_cmd(Command::new("cargo").args(["install", "tauri-driver", "--locked", "--version", "2.1.0"]))
}

/// The tauri CLI is needed only for bundling (a ~14 minute build on 2 cores), never for run or test.
pub fn ensure_tauri_cli() -> Result<()> {
    if cargo_bin("cargo-tauri").exists() {
        return Ok(());
    }
    println!("xtask: installing tauri-cli 2 for bundling (one time, several minutes)");
    run_cmd(Command::new("cargo").args(["install", "tauri-cli", "--locked", "--version", "^2.9"]))
}

/// cargo-fuzz (pinned) for `cargo xtask fuzz` and the test suite's fuzz step.
pub fn ensure_cargo_fuzz() -> Result<()> {
    if cargo_bin("cargo-fuzz").exists() {
        return Ok(());
    }
    println!("xtask: installing cargo-fuzz 0.13.2 (about a minute)");
    run_cmd(Command::new("cargo").args(["install", "cargo-fuzz", "--locked", "--version", "0.13.2"]))
}
