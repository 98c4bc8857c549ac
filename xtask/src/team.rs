//! `cargo xtask run --team`: team mode on one machine. A throw-away PostgreSQL (loopback, no password), the
//! IO Sign sandbox as its own process (the citizen signs by himself after a while), a headless worker
//! holding the demo key, and two FirmaDesk windows ("Postazione A" and "B", each with its own data folder)
//! on the same database: what one window sends, the worker sends, and both windows show, live.

use anyhow::{bail, Context, Result};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "demo-ufficio-key";
const PROFILE: &str = "ufficio";

/// Kills the child when the run ends, however it ends.
struct Guard(Child, &'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        println!("xtask: {} stopped", self.1);
    }
}

/// Starts the sandbox and returns it with its API base URL (read from its "listening on" line).
fn sandbox(bin: &Path, state: &Path) -> Result<(Guard, String)> {
    let mut child = Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            KEY,
            "--auto-sign-after-ms",
            "30000",
        ])
        .arg("--state-dir")
        .arg(state)
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let stdout = child.stdout.take().context("sandbox stdout")?;
    let guard = Guard(child, "IO Sign sandbox");
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let origin = line
        .trim()
        .strip_prefix("listening on ")
        .with_context(|| format!("unexpected sandbox output: {line:?}"))?
        .to_owned();
    Ok((guard, format!("{origin}/api/v1/sign")))
}

/// Records the demo profile once the worker has created the tables (it migrates when it connects).
fn record_profile(psql: &Path, url: &str, base_url: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO profiles (id, name, environment, base_url, created_at) \
         VALUES ('{PROFILE}', 'Ufficio (sandbox)', 'test', '{base_url}', 0) ON CONFLICT (id) DO NOTHING"
    );
    let started = Instant::now();
    loop {
        let out = Command::new(psql)
            .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", &sql])
            .output()
            .context("cannot run psql")?;
        if out.status.success() {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!(
                "the demo profile could not be recorded: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // The worker has not created the tables yet.
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A desk's data folder set for office mode on `url`, working on the demo profile.
fn desk_folder(dir: &Path, url: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let settings = serde_json::json!({
        "team": { "url": url, "tls": false },
        "active_profile": PROFILE,
    });
    std::fs::write(dir.join("settings.json"), serde_json::to_vec_pretty(&settings)?)?;
    Ok(dir.to_path_buf())
}

/// Runs team mode on this machine until both windows are closed.
pub fn run(exe: &Path, lib: &Path) -> Result<()> {
    let target = exe.parent().context("target dir")?;
    let demo = std::env::temp_dir().join(format!("firmadesk-team-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&demo);
    std::fs::create_dir_all(&demo)?;
    let cluster = crate::pg::start_with(crate::pg::Auth::Trust)?;
    let (_sandbox, base_url) = sandbox(
        &target.join(format!("iosign-sandbox{}", std::env::consts::EXE_SUFFIX)),
        &demo.join("sandbox"),
    )?;
    let keys = demo.join("chiavi");
    std::fs::create_dir_all(&keys)?;
    let key_file = keys.join(format!("iosign-{PROFILE}"));
    std::fs::write(&key_file, KEY)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600))?;
    }
    let worker = Command::new(exe)
        .args([
            "worker",
            "--database",
            &cluster.url,
            "--database-no-tls",
            "--name",
            "worker-demo",
        ])
        .arg("--keys-dir")
        .arg(&keys)
        .arg("--archive")
        .arg(demo.join("Archivio worker"))
        .args(["--poll", "5s"])
        .spawn()
        .context("cannot start the worker")?;
    let _worker = Guard(worker, "worker");
    record_profile(&cluster.psql, &cluster.url, &base_url)?;
    println!(
        "xtask: team database {}; sandbox {base_url}; the citizen signs 30 s after each request",
        cluster.url
    );
    let mut windows = Vec::new();
    for name in ["A", "B"] {
        let folder = desk_folder(&demo.join(format!("Postazione {name}")), &cluster.url)?;
        println!("xtask: window {name} on {}", folder.display());
        let mut cmd = crate::app_window(exe, lib);
        cmd.arg("--data-dir").arg(&folder);
        windows.push(cmd.spawn().with_context(|| format!("cannot start window {name}"))?);
    }
    for mut window in windows {
        let _ = window.wait();
    }
    let _ = std::fs::remove_dir_all(&demo);
    Ok(())
}
