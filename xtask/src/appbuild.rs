//! The cargo commands that build the app, all with one package selection and one feature set.
//!
//! Cargo unifies dependency features over the selected packages, and over their dev-dependencies as
//! soon as any test target is built: `-p firmadesk` and `--workspace`, or `cargo build` and
//! `cargo test`, gave tokio, syn, rustls, hyper... different features, so each step compiled its own
//! copy of the whole tree up to webkit2gtk and tauri (issue #10: `xtask run` after `xtask test` took
//! another ~6 minutes, and the E2E step compiled webkit2gtk a second time). One selection, the E2E
//! feature always on and a test target always in the build make clippy, the crate tests, the app
//! build, the E2E tests and `xtask run` share their artifacts. The `e2e` feature only adds the E2E login
//! hook (inert unless `FIRMADESK_E2E_BROWSER=fetch`) to this debug build; release bundles never enable it.

use crate::{cargo, root};
use std::process::Command;

/// Package selection and features of every cargo command that builds the app.
/// `dbus-tests` builds the crates' tests that need a D-Bus session (this run provides one), which a plain
/// `cargo test -p <crate>` leaves out.
pub const APP_BUILD: &[&str] = &[
    "--workspace",
    "--features",
    "firmadesk/e2e,firmadesk-engine/dbus-tests,firmadesk-auth/dbus-tests",
];

fn with(sub: &str, rest: &[&str]) -> Command {
    let mut cmd = cargo();
    cmd.current_dir(root()).arg(sub).args(APP_BUILD).args(rest);
    cmd
}

/// The app binary (`target/debug/firmadesk`). `--test e2e` is what switches the dev-dependency
/// features on, as `cargo test` does; it is also the binary the E2E step runs.
pub fn build_app() -> Command {
    with("build", &["--bins", "--test", "e2e"])
}

/// Every crate's tests (the E2E target is `test = false`, so it is not among them).
pub fn crate_tests() -> Command {
    with("test", &["--no-fail-fast"])
}

/// The E2E tests on the real window, one at a time (one display, one tauri-driver port).
pub fn e2e_tests() -> Command {
    with("test", &["--test", "e2e", "--no-fail-fast", "--", "--test-threads=1"])
}

/// Clippy on every target; `--all-targets` skips `test = false` targets, hence [`clippy_e2e`].
pub fn clippy() -> Command {
    with("clippy", &["--all-targets", "--", "-D", "warnings"])
}

/// Clippy on the E2E tests.
pub fn clippy_e2e() -> Command {
    with("clippy", &["--test", "e2e", "--", "-D", "warnings"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// (package, target, kind, mode) -> the feature sets cargo would compile it with.
    type Units = BTreeMap<(String, String, String, String), BTreeSet<Vec<String>>>;

    /// What cargo would compile for `cmd`, without compiling anything (`--unit-graph`; unstable,
    /// hence RUSTC_BOOTSTRAP on the stable toolchain). Only the units that produce shared artifacts
    /// (libraries, build scripts, proc macros): clippy's own `check` units are never reused.
    fn units(cmd: &Command) -> Units {
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .take_while(|a| a != "--")
            .collect();
        let out = cargo()
            .current_dir(root())
            .args(&args)
            .args(["--unit-graph", "-Z", "unstable-options"])
            .env("RUSTC_BOOTSTRAP", "1")
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "cargo {args:?} --unit-graph: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let graph: serde_json::Value = serde_json::from_slice(&out.stdout).expect("unit graph JSON");
        let mut units = Units::new();
        for unit in graph["units"].as_array().expect("units") {
            let mode = unit["mode"].as_str().unwrap_or_default().to_owned();
            if mode != "build" && mode != "run-custom-build" {
                continue;
            }
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            let key = (
                text(&unit["pkg_id"]),
                text(&unit["target"]["name"]),
                unit["target"]["kind"].to_string(),
                mode,
            );
            let features = unit["features"]
                .as_array()
                .expect("features")
                .iter()
                .map(text)
                .collect();
            units.entry(key).or_default().insert(features);
        }
        units
    }

    /// Issue #10: after `cargo xtask test`, `cargo xtask run` and the E2E step must not compile the tree
    /// again. Every unit a step builds must already exist, with the same features, in the crate tests'
    /// build (the step that runs first and builds the most).
    #[test]
    fn every_step_reuses_the_crate_tests_build() {
        let reference = units(&crate_tests());
        assert!(
            reference.keys().any(|(_, target, _, _)| target == "firmadesk_app"),
            "the crate tests build the app's library"
        );
        for (name, cmd) in [
            ("build app / xtask run", build_app()),
            ("E2E tests", e2e_tests()),
            ("clippy", clippy()),
            ("clippy (E2E tests)", clippy_e2e()),
        ] {
            let mut differing = Vec::new();
            for (key, sets) in units(&cmd) {
                let Some(known) = reference.get(&key) else { continue };
                for features in sets.difference(known) {
                    differing.push(format!("{} {} {:?}", key.0, key.1, features));
                }
            }
            assert!(
                differing.is_empty(),
                "{name} compiles {} unit(s) with other features than the crate tests:\n{}",
                differing.len(),
                differing.join("\n")
            );
        }
        // The app binary itself comes out of the app build and the E2E build with the same features.
        let app = |units: &Units| {
            units
                .iter()
                .find(|((_, target, kind, mode), _)| target == "firmadesk" && kind.contains("bin") && mode == "build")
                .map(|(_, f)| f.clone())
        };
        let built = app(&units(&build_app()));
        assert!(built.is_some(), "the app build builds the app binary");
        assert_eq!(built, app(&units(&e2e_tests())));
    }
}
