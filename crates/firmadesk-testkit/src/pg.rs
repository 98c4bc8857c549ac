//! Scratch databases on the test cluster that `cargo xtask test` starts (a throw-away PostgreSQL on
//! 127.0.0.1, see xtask/src/pg.rs): each call creates a new, empty database, so tests never share rows.
//!
//! The cluster is found through `FIRMADESK_TEST_PG` (a superuser URL). Outside `cargo xtask test`, start
//! one with `cargo xtask pg` and export what it prints.

/// A new, empty database: where it is, and the password to reach it (kept apart from the URL, as the app
/// keeps it in the keyring).
#[derive(Clone)]
pub struct ScratchDb {
    /// `postgres://user@127.0.0.1:port/name`, no password.
    pub url: String,
    /// The password.
    pub password: String,
    /// The database's name.
    pub name: String,
}

impl std::fmt::Debug for ScratchDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchDb")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

fn admin_url() -> String {
    std::env::var("FIRMADESK_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "FIRMADESK_TEST_PG is not set: these tests need the PostgreSQL test cluster. Run them with \
             `cargo xtask test`, or start a cluster with `cargo xtask pg` and export what it prints"
        )
    })
}

impl ScratchDb {
    /// Runs `sql` on this database as its owner (what the body's IT does with psql).
    pub async fn execute(&self, sql: &str) {
        let mut config: tokio_postgres::Config = self.url.parse().expect("a postgres:// URL");
        config.password(&self.password);
        let (client, connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .expect("the test cluster accepts the owner");
        let driver = tokio::spawn(connection);
        client.batch_execute(sql).await.expect("the statements run");
        drop(client);
        let _ = driver.await;
    }

    /// The same database through another login.
    pub fn as_login(&self, user: &str, password: &str) -> ScratchDb {
        let (scheme, rest) = self.url.split_once("://").expect("a postgres:// URL");
        let server = rest.split_once('@').map_or(rest, |(_, s)| s);
        ScratchDb {
            url: format!("{scheme}://{user}@{server}"),
            password: password.into(),
            name: self.name.clone(),
        }
    }
}

/// Creates a new database named after `label` and a unique suffix.
pub async fn scratch_database(label: &str) -> ScratchDb {
    let admin = admin_url();
    let config: tokio_postgres::Config = admin.parse().expect("FIRMADESK_TEST_PG is a postgres:// URL");
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .expect("the PostgreSQL test cluster accepts a connection");
    let driver = tokio::spawn(connection);
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let clean: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    let name = format!("t_{clean}_{}_{n}", std::process::id());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("the test cluster creates a database");
    drop(client);
    let _ = driver.await;
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("firmadesk");
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .unwrap_or_default();
    ScratchDb {
        url: format!("postgres://{user}@{host}:{port}/{name}"),
        password,
        name,
    }
}

/// A PostgreSQL server of its own, for a test that stops or restarts the server (the shared test cluster
/// serves every other test at the same time). Same binaries as the test cluster (found through
/// `FIRMADESK_TEST_PG_CTL`), loopback only, no password (`trust`), fsync off; stopped and removed on drop.
pub struct PrivateCluster {
    /// `postgres://firmadesk@127.0.0.1:port/postgres`.
    pub url: String,
    pg_ctl: std::path::PathBuf,
    dir: std::path::PathBuf,
    as_postgres: bool,
    port: u16,
}

impl PrivateCluster {
    fn command(&self, program: &std::path::Path) -> std::process::Command {
        if self.as_postgres {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            std::process::Command::new(program)
        }
    }

    fn ctl(&self, args: &[&str]) {
        let options = format!(
            "-k {} -p {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.dir.display(),
            self.port
        );
        let out = self
            .command(&self.pg_ctl)
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-o", &options, "-l"])
            .arg(self.dir.join("server.log"))
            .args(args)
            .output()
            .expect("pg_ctl runs");
        assert!(
            out.status.success(),
            "pg_ctl {args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
        );
    }

    /// Creates and starts the server (about a second).
    pub fn start(label: &str) -> PrivateCluster {
        let pg_ctl = std::path::PathBuf::from(std::env::var_os("FIRMADESK_TEST_PG_CTL").unwrap_or_else(|| {
            panic!("FIRMADESK_TEST_PG_CTL is not set: run the tests with `cargo xtask test` (or export what `cargo xtask pg` prints)")
        }));
        let as_postgres = std::env::var("FIRMADESK_TEST_PG_AS_POSTGRES").is_ok_and(|v| v == "1");
        let dir = std::env::temp_dir().join(format!("firmadesk-pg-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cluster dir");
        if as_postgres {
            let ok = std::process::Command::new("chown")
                .args(["-R", "postgres"])
                .arg(&dir)
                .status()
                .expect("chown runs");
            assert!(ok.success(), "chown {}", dir.display());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let cluster = PrivateCluster {
            url: format!("postgres://firmadesk@127.0.0.1:{port}/postgres"),
            pg_ctl: pg_ctl.clone(),
            dir: dir.clone(),
            as_postgres,
            port,
        };
        let initdb = pg_ctl.with_file_name("initdb");
        let out = cluster
            .command(&initdb)
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-A", "trust", "-U", "firmadesk", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("initdb runs");
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        cluster.ctl(&["-w", "-t", "30", "start"]);
        cluster
    }

    /// Restarts the server: every open connection breaks; the data stay.
    pub fn restart(&self) {
        self.ctl(&["-w", "-t", "30", "-m", "fast", "restart"]);
    }

    /// Stops the server (a desk then cannot reach it) until [`PrivateCluster::start_again`].
    pub fn stop(&self) {
        self.ctl(&["-w", "-t", "30", "-m", "fast", "stop"]);
    }

    /// Starts a stopped server again, on the same port with the same data.
    pub fn start_again(&self) {
        self.ctl(&["-w", "-t", "30", "start"]);
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self
            .command(&self.pg_ctl)
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["stop", "-m", "immediate", "-w"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
