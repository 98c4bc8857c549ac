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
