//! A throw-away PostgreSQL cluster for the tests (and `cargo xtask run --team`): Debian's server binaries,
//! a fresh data directory in the temp dir, a random password and a free port on 127.0.0.1. It lives as
//! long as the returned [`Cluster`] and is removed with it.
//!
//! Tests find it through `FIRMADESK_TEST_PG` (a URL to the `postgres` database of a superuser named
//! `firmadesk`); each test creates its own database there. `FIRMADESK_TEST_PG_CTL` and
//! `FIRMADESK_TEST_PG_DATA` let a test stop and restart the server (PostgreSQL restarted mid-send).

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running cluster; stopped (immediately: it holds nothing worth a checkpoint) and removed on drop.
pub struct Cluster {
    pub url: String,
    /// The client of the same server version (`cargo xtask run --team` records the demo profile with it).
    pub psql: PathBuf,
    pub pg_ctl: PathBuf,
    pub data: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.ctl(&["stop", "-m", "immediate", "-w"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Cluster {
    fn ctl(&self, args: &[&str]) -> Command {
        let mut cmd = sh_as(self.as_postgres, &self.pg_ctl);
        cmd.args(["-D"]).arg(&self.data).args(args);
        cmd
    }
}

/// `program` as the `postgres` user when we are root (initdb and the server refuse to run as root).
fn sh_as(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

/// The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin).
fn bin_dir() -> Result<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    let mut majors: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .with_context(|| {
            format!(
                "PostgreSQL is not installed ({} missing): install `postgresql`",
                root.display()
            )
        })?
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    majors.sort();
    majors
        .pop()
        .map(|(_, bin)| bin)
        .context("no PostgreSQL server under /usr/lib/postgresql: install `postgresql`")
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("no free port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

fn random_password() -> String {
    // Good enough for a cluster that lives minutes on loopback: it keeps other local users out.
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
        ^ u128::from(std::process::id()) << 64;
    (0..24)
        .map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let alphabet = b"abcdefghijkmnpqrstuvwxyz23456789";
            alphabet[((seed >> 64) as usize) % alphabet.len()] as char
        })
        .collect()
}

/// Creates and starts a cluster. Takes about a second.
pub fn start() -> Result<Cluster> {
    start_with(Auth::Password)
}

/// How clients log in to a throw-away cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// scram-sha-256 with the random password (the tests: they exercise the real login).
    Password,
    /// No password on loopback (`cargo xtask run --team`: the windows find no password to ask for in a
    /// demo; the cluster listens on 127.0.0.1 only and lives as long as the command).
    Trust,
}

/// Stops and removes the clusters of runs that are gone (a run killed, or stopped with Ctrl-C, drops
/// nothing): `firmadesk-pg-<pid>[-<label>]` in the temp dir whose process no longer exists.
fn sweep_stale(bin: &Path, as_postgres: bool) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("firmadesk-pg-"))
            // `<pid>` (a run's cluster) or `<pid>-<label>` (a test's private server).
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let data = entry.path().join("data");
        if data.exists() {
            let _ = sh_as(as_postgres, &bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["stop", "-m", "immediate", "-w"])
                .output();
        }
        if std::fs::remove_dir_all(entry.path()).is_ok() {
            println!(
                "xtask: removed the cluster a stopped run left behind ({})",
                entry.path().display()
            );
        }
    }
}

/// [`start`] with the given login rule.
pub fn start_with(auth: Auth) -> Result<Cluster> {
    let bin = bin_dir()?;
    let as_postgres = crate::deps::is_root();
    if cfg!(target_os = "linux") {
        sweep_stale(&bin, as_postgres);
    }
    let dir = std::env::temp_dir().join(format!("firmadesk-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let password = random_password();
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, &password)?;
    if as_postgres {
        let ok = Command::new("chown").args(["-R", "postgres"]).arg(&dir).status()?;
        if !ok.success() {
            bail!("cannot give {} to the postgres user", dir.display());
        }
    }
    let data = dir.join("data");
    let out = sh_as(as_postgres, &bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            if auth == Auth::Trust { "trust" } else { "scram-sha-256" },
            "-U",
            "firmadesk",
            "-E",
            "UTF8",
            "--no-sync",
        ])
        .arg(format!("--pwfile={}", pwfile.display()))
        .output()
        .context("cannot run initdb")?;
    let _ = std::fs::remove_file(&pwfile);
    if !out.status.success() {
        bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let port = free_port()?;
    let cluster = Cluster {
        url: match auth {
            Auth::Password => format!("postgres://firmadesk:{password}@127.0.0.1:{port}/postgres"),
            Auth::Trust => format!("postgres://firmadesk@127.0.0.1:{port}/postgres"),
        },
        psql: bin.join("psql"),
        pg_ctl: bin.join("pg_ctl"),
        data,
        dir: dir.clone(),
        as_postgres,
    };
    // fsync off: the cluster is thrown away with the run; a killed server still keeps what the OS
    // holds, which is what the restart tests exercise. Many connections: every test has its own pool.
    let options = format!(
        "-k {} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300",
        dir.display()
    );
    let out = cluster
        .ctl(&["-o", &options, "-l"])
        .arg(dir.join("server.log"))
        .args(["-w", "-t", "30", "start"])
        .output()
        .context("cannot run pg_ctl")?;
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
        bail!(
            "PostgreSQL did not start: {}\n{log}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!("xtask: PostgreSQL test cluster is up on 127.0.0.1:{port}");
    Ok(cluster)
}

/// The environment a test process needs to reach (and restart) the cluster.
pub fn export(cluster: &Cluster) {
    std::env::set_var("FIRMADESK_TEST_PG", &cluster.url);
    std::env::set_var("FIRMADESK_TEST_PG_CTL", &cluster.pg_ctl);
    std::env::set_var("FIRMADESK_TEST_PG_DATA", &cluster.data);
    std::env::set_var(
        "FIRMADESK_TEST_PG_AS_POSTGRES",
        if cluster.as_postgres { "1" } else { "0" },
    );
}

/// `cargo xtask pg`: a cluster for running the PostgreSQL tests by hand (`cargo test -p ...`), until Enter.
pub fn serve() -> Result<()> {
    let cluster = start()?;
    println!("# paste into the shell that runs the tests:");
    println!("export FIRMADESK_TEST_PG='{}'", cluster.url);
    println!("export FIRMADESK_TEST_PG_CTL='{}'", cluster.pg_ctl.display());
    println!("export FIRMADESK_TEST_PG_DATA='{}'", cluster.data.display());
    println!(
        "export FIRMADESK_TEST_PG_AS_POSTGRES={}",
        if cluster.as_postgres { 1 } else { 0 }
    );
    println!("# press Enter to stop the cluster and remove it");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    Ok(())
}
