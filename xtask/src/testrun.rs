//! `cargo xtask test`: every check and test, in the environment the integration and E2E tests need.
//!
//! `test` installs what is missing, then re-runs itself as `test-inner` under a virtual display (Xvfb) and a
//! private D-Bus session, where `test-inner` starts a real Secret Service (gnome-keyring, on a throw-away
//! keyring directory) and a real notification daemon (dunst) before running the steps. Each step's counts
//! are added up into one closing line: `N passed, M failed` (test runners report their tests; fmt,
//! clippy, the builds and each fuzz target count as one check).

use crate::{appbuild, fuzz};
use crate::{cargo, deps, root, setup, Purpose};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub fn test(extra: &[String]) -> Result<()> {
    let lib = setup(Purpose::Test)?;
    let exe = std::env::current_exe().context("cannot find the xtask executable")?;
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--"])
        .arg(exe)
        .arg("test-inner")
        .args(extra)
        .env("FIRMADESK_PDFIUM", &lib)
        .current_dir(root())
        .status()
        .context("cannot start xvfb-run (install xvfb)")?;
    if !status.success() {
        std::process::exit(status.code().unwrap_or(1));
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
    failed_steps: Vec<String>,
}

/// Kills the helper daemons and removes their scratch directory when the run ends, however it ends.
struct Daemons {
    children: Vec<Child>,
    scratch: std::path::PathBuf,
}

impl Drop for Daemons {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

pub fn test_inner(extra: &[String]) -> Result<()> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() || std::env::var_os("DISPLAY").is_none() {
        bail!("test-inner must run under xvfb-run and dbus-run-session: use `cargo xtask test`");
    }
    let root = root();
    let scratch = tempfile_dir("firmadesk-test-env")?;
    let daemons = start_daemons(&scratch)?;
    // Declared after the daemons so it is dropped (stopped) first.
    let cluster = crate::pg::start()?;
    crate::pg::export(&cluster);
    let only = extra.first().map(String::as_str);
    let want = |step: &str| only.is_none() || only == Some(step);
    let mut tally = Tally::default();

    if want("fmt") {
        check(
            &mut tally,
            "fmt",
            cargo().current_dir(&root).args(["fmt", "--all", "--check"]),
        );
    }
    if want("clippy") {
        check(&mut tally, "clippy", &mut appbuild::clippy());
        check(&mut tally, "clippy (E2E tests)", &mut appbuild::clippy_e2e());
    }
    if want("crates") {
        counted(&mut tally, "crate tests", &mut appbuild::crate_tests());
    }
    if want("ui") {
        counted(
            &mut tally,
            "UI unit tests",
            Command::new("node").current_dir(&root).args(["--test", "ui/tests/"]),
        );
    }
    if want("e2e") {
        let built = check(&mut tally, "build app", &mut appbuild::build_app());
        if built {
            let app = root
                .join("target/debug")
                .join(format!("firmadesk{}", std::env::consts::EXE_SUFFIX));
            counted(
                &mut tally,
                "E2E (real window)",
                appbuild::e2e_tests()
                    .env("FIRMADESK_E2E_APP", app)
                    .env("TAURI_DRIVER", deps::tauri_driver()),
            );
        }
    }

    if want("fuzz") {
        // One check for the build, one per target: a crash on a saved input or a new one fails its target.
        let built = match deps::ensure_cargo_fuzz() {
            Ok(()) => check(&mut tally, "fuzz build", &mut fuzz::build()),
            Err(e) => {
                println!("xtask: cannot install cargo-fuzz: {e:#}");
                tally.failed += 1;
                tally.failed_steps.push("fuzz build".into());
                false
            }
        };
        for target in fuzz::TARGETS.iter().filter(|_| built) {
            let name = format!("fuzz {target} ({} s)", fuzz::TEST_SECONDS);
            match fuzz::run(target, fuzz::TEST_SECONDS, fuzz::Corpus::Fresh) {
                Ok(mut cmd) => {
                    check(&mut tally, &name, &mut cmd);
                }
                Err(e) => {
                    println!("xtask: cannot start {name}: {e:#}");
                    tally.failed += 1;
                    tally.failed_steps.push(name);
                }
            }
        }
    }

    println!("\nxtask: {} at the end", disk_free());
    if tally.failed_steps.is_empty() {
        println!("xtask: all steps passed");
    } else {
        println!("xtask: failed steps: {}", tally.failed_steps.join(", "));
    }
    if tally.ignored > 0 {
        // Nothing may be skipped silently: an #[ignore]d test fails the run until it is fixed or deleted.
        println!(
            "xtask: {} test(s) ignored: the suite does not allow skipped tests",
            tally.ignored
        );
    }
    println!("{} passed, {} failed", tally.passed, tally.failed + tally.ignored);
    if tally.failed > 0 || tally.ignored > 0 || !tally.failed_steps.is_empty() {
        // `exit` runs no destructor: stop the cluster and the daemons first.
        drop(cluster);
        drop(daemons);
        std::process::exit(1);
    }
    Ok(())
}

fn tempfile_dir(prefix: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// gnome-keyring on a throw-away data directory (never the developer's own keyring) and dunst.
fn start_daemons(scratch: &std::path::Path) -> Result<Daemons> {
    let keyring_home = scratch.join("xdg-data");
    std::fs::create_dir_all(&keyring_home)?;
    let out = Command::new("sh")
        .args([
            "-c",
            "printf firmadesk-test | gnome-keyring-daemon --unlock --components=secrets",
        ])
        .env("XDG_DATA_HOME", &keyring_home)
        .output()
        .context("cannot start gnome-keyring-daemon (install gnome-keyring)")?;
    if !out.status.success() {
        bail!("gnome-keyring-daemon failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    // It prints the variables its clients need (GNOME_KEYRING_CONTROL=...); export them to every step.
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((k, v)) = line.split_once('=') {
            std::env::set_var(k.trim(), v.trim());
        }
    }
    let dunst = Command::new("dunst")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start dunst (install dunst)")?;
    wait_for_bus_name("org.freedesktop.Notifications")?;
    wait_for_bus_name("org.freedesktop.secrets")?;
    println!("xtask: Secret Service (gnome-keyring) and notification daemon (dunst) are up on the test bus");
    Ok(Daemons {
        children: vec![dunst],
        scratch: scratch.to_path_buf(),
    })
}

/// Polls the bus until a service owns its name (bounded: 10 s), so no test races a daemon's start.
fn wait_for_bus_name(name: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .output()
            .context("dbus-send missing (install dbus)")?;
        if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("{name} did not appear on the session bus within 10 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Free space where the builds go, printed with every step: a CI run once died of a full disk (stop 20)
/// and the log should say how close each step came.
fn disk_free() -> String {
    let target = root().join("target");
    let dir = if target.exists() { target } else { root() };
    let out = Command::new("df").args(["-Pk"]).arg(&dir).output();
    let avail_kib = out.ok().and_then(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        let line = text.lines().nth(1)?.to_string();
        line.split_whitespace().nth(3)?.parse::<u64>().ok()
    });
    match avail_kib {
        Some(kib) => format!("{:.1} GiB free", kib as f64 / 1024.0 / 1024.0),
        None => "free disk space unknown".into(),
    }
}

/// A step that is one check (fmt, clippy, build): counts as one pass or one failure.
fn check(tally: &mut Tally, name: &str, cmd: &mut Command) -> bool {
    println!("\nxtask: == {name} == ({})", disk_free());
    let ok = match spawn_in_group(cmd) {
        Ok(mut child) => {
            let watchdog = Watchdog::start(name, child.id());
            let ok = child.wait().map(|s| s.success()).unwrap_or(false);
            watchdog.finish() && ok
        }
        Err(e) => {
            println!("xtask: cannot start {name}: {e}");
            false
        }
    };
    if ok {
        tally.passed += 1;
    } else {
        tally.failed += 1;
        tally.failed_steps.push(name.to_string());
    }
    ok
}

/// A test step whose runner prints counts: streams its output and adds up what it reports.
fn counted(tally: &mut Tally, name: &str, cmd: &mut Command) {
    println!("\nxtask: == {name} == ({})", disk_free());
    let mut child = match spawn_in_group(cmd.stdout(Stdio::piped())) {
        Ok(c) => c,
        Err(e) => {
            println!("xtask: cannot start {name}: {e}");
            tally.failed += 1;
            tally.failed_steps.push(name.to_string());
            return;
        }
    };
    let watchdog = Watchdog::start(name, child.id());
    let (mut passed, mut failed) = (0, 0);
    for line in BufReader::new(child.stdout.take().expect("piped stdout"))
        .lines()
        .map_while(std::result::Result::ok)
    {
        println!("{line}");
        let (p, f, i) = parse_counts(&line);
        passed += p;
        failed += f;
        tally.ignored += i;
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    let ok = watchdog.finish() && ok;
    tally.passed += passed;
    tally.failed += failed;
    if !ok || (passed == 0 && failed == 0) {
        // A runner that failed to build, crashed, or ran nothing is a failure, never a silent skip.
        if failed == 0 {
            tally.failed += 1;
        }
        tally.failed_steps.push(name.to_string());
    }
}

/// How long one step may take before it is declared hung. Generous (a cold build of the whole
/// workspace on two cores is ~5 minutes); its purpose is that a hanging test fails the run with its
/// name instead of silently eating the CI budget.
const STEP_DEADLINE: std::time::Duration = std::time::Duration::from_secs(25 * 60);

/// Starts `cmd` as the leader of a new process group, so a hung step is killed with every process
/// it started (cargo, the test binaries, their children).
fn spawn_in_group(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd.spawn()
}

/// Kills a step's process group when it outlives [`STEP_DEADLINE`].
struct Watchdog {
    done: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<bool>,
}

impl Watchdog {
    fn start(name: &str, pid: u32) -> Self {
        let (done, rx) = std::sync::mpsc::channel::<()>();
        let name = name.to_string();
        let thread = std::thread::spawn(move || match rx.recv_timeout(STEP_DEADLINE) {
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                println!(
                    "xtask: {name} still running after {} minutes: killed as hung (see the last test started above)",
                    STEP_DEADLINE.as_secs() / 60
                );
                kill_group(pid);
                false
            }
            _ => true,
        });
        Self { done, thread }
    }

    /// Stops the watchdog; false when it had to kill the step.
    fn finish(self) -> bool {
        let _ = self.done.send(());
        self.thread.join().unwrap_or(false)
    }
}

fn kill_group(pid: u32) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill").args(["-KILL", &format!("-{pid}")]).status();
    }
    #[cfg(not(unix))]
    {
        let _ = Command::new("taskkill")
            .args(["/F", "/T", "/PID", &pid.to_string()])
            .status();
    }
}

/// Reads `test result: ok. 3 passed; 1 failed; 2 ignored; ...` (cargo) and `# pass 3` / `# fail 1` /
/// `# skipped 1` (node --test) as (passed, failed, ignored).
fn parse_counts(line: &str) -> (u64, u64, u64) {
    let number_before = |text: &str, word: &str| -> u64 {
        text.split(';')
            .find_map(|part| {
                part.trim()
                    .strip_suffix(word)
                    .and_then(|n| n.trim().rsplit(' ').next()?.parse().ok())
            })
            .unwrap_or(0)
    };
    if let Some(rest) = line.strip_prefix("test result: ") {
        let rest = rest.split_once(". ").map(|(_, r)| r).unwrap_or(rest);
        return (
            number_before(rest, "passed"),
            number_before(rest, "failed"),
            number_before(rest, "ignored"),
        );
    }
    let node = |prefix: &str| {
        line.strip_prefix(prefix)
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    (node("# pass "), node("# fail "), node("# skipped ") + node("# todo "))
}

#[cfg(test)]
mod tests {
    use super::parse_counts;

    #[test]
    fn reads_cargo_and_node_summaries() {
        assert_eq!(
            parse_counts(
                "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"
            ),
            (12, 0, 1)
        );
        assert_eq!(
            parse_counts("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured"),
            (3, 2, 0)
        );
        assert_eq!(parse_counts("# pass 4"), (4, 0, 0));
        assert_eq!(parse_counts("# fail 1"), (0, 1, 0));
        assert_eq!(parse_counts("# skipped 2"), (0, 0, 2));
        assert_eq!(parse_counts("running 3 tests"), (0, 0, 0));
    }
}
