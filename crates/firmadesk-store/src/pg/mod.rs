//! The team backend: the body's shared PostgreSQL database, through a small pool of tokio-postgres
//! connections.
//!
//! The address comes from the settings without a password (a URL that carries one is refused, so it never
//! reaches a settings file); the password comes from the OS keyring. TLS is on by default and verifies the
//! server against the public roots and, where the body runs its own authority, the CA certificates it
//! names; it can be turned off only for a server on this machine (loopback), as tests and `cargo xtask run
//! --team` do.

mod batches;
mod changes;
mod migrate;
mod probe;
mod queries;
mod transfer;

pub use migrate::MIGRATIONS;
pub use probe::{Probe, Schema};
pub use transfer::TransferReport;

use crate::error::{ErrorKind, Result, StoreError};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use std::str::FromStr;
use std::time::Duration;

/// How the connection is protected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PgTls {
    /// TLS, verifying the server's certificate and name against the public roots and `extra_roots_pem`
    /// (the body's own authority, PEM), if any.
    #[default]
    Verify,
    /// Verify against these PEM certificates as well as the public roots.
    VerifyWith {
        /// One or more PEM certificates.
        extra_roots_pem: String,
    },
    /// No TLS: refused unless the host is loopback.
    Off,
}

/// Where the team database is and how to reach it.
#[derive(Clone)]
pub struct PgConfig {
    /// `postgres://user@host:port/dbname` (no password).
    pub url: String,
    /// The password, from the OS keyring.
    pub password: Option<String>,
    /// TLS.
    pub tls: PgTls,
    /// The most connections this process opens.
    pub max_connections: usize,
}

impl std::fmt::Debug for PgConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConfig")
            .field("url", &self.url)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("tls", &self.tls)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

impl PgConfig {
    /// A configuration with TLS on and a pool of four connections.
    pub fn new(url: impl Into<String>, password: Option<String>) -> Self {
        Self {
            url: url.into(),
            password,
            tls: PgTls::Verify,
            max_connections: 4,
        }
    }

    /// The driver's configuration, checked: no password in the URL, no TLS off towards another machine.
    fn driver_config(&self) -> Result<tokio_postgres::Config> {
        let mut config = tokio_postgres::Config::from_str(self.url.trim()).map_err(|e| {
            StoreError::new(
                ErrorKind::Invalid,
                "Indirizzo del database non valido: usare la forma postgres://utente@server:5432/database.",
            )
            .detail(e)
        })?;
        if config.get_password().is_some() {
            return Err(StoreError::new(
                ErrorKind::Invalid,
                "L'indirizzo del database contiene una password: toglierla dall'indirizzo e inserirla nel campo Password, che la conserva nel portachiavi del sistema.",
            ));
        }
        if config.get_user().is_none() {
            return Err(StoreError::new(
                ErrorKind::Invalid,
                "Nell'indirizzo del database manca l'utente: usare la forma postgres://utente@server:5432/database.",
            ));
        }
        if self.tls == PgTls::Off && !only_loopback(&config) {
            return Err(StoreError::new(
                ErrorKind::Invalid,
                "La connessione senza TLS è ammessa solo verso un database su questo computer: attivare TLS.",
            ));
        }
        if let Some(pw) = &self.password {
            config.password(pw);
        }
        config
            .application_name("FirmaDesk")
            .connect_timeout(Duration::from_secs(5))
            // A cut cable is noticed in about 20 s instead of the OS's two hours.
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(10))
            .keepalives_interval(Duration::from_secs(5))
            .keepalives_retries(2)
            .tcp_user_timeout(Duration::from_secs(20));
        Ok(config)
    }
}

fn only_loopback(config: &tokio_postgres::Config) -> bool {
    config.get_hosts().iter().all(|h| match h {
        tokio_postgres::config::Host::Tcp(name) => {
            name == "localhost" || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        tokio_postgres::config::Host::Unix(_) => true,
    })
}

fn tls_connector(tls: &PgTls) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let PgTls::VerifyWith { extra_roots_pem } = tls {
        use rustls::pki_types::pem::PemObject;
        let mut added = 0;
        for cert in rustls::pki_types::CertificateDer::pem_slice_iter(extra_roots_pem.as_bytes()) {
            let cert = cert.map_err(|e| {
                StoreError::new(
                    ErrorKind::Invalid,
                    "Il certificato dell'autorità indicato non è un PEM valido.",
                )
                .detail(e)
            })?;
            roots.add(cert).map_err(|e| {
                StoreError::new(
                    ErrorKind::Invalid,
                    "Il certificato dell'autorità indicato non è utilizzabile.",
                )
                .detail(e)
            })?;
            added += 1;
        }
        if added == 0 {
            return Err(StoreError::new(
                ErrorKind::Invalid,
                "Il file dell'autorità non contiene certificati PEM.",
            ));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::new(ErrorKind::Postgres, "TLS non disponibile.").detail(e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The team store. Cheap to share behind an `Arc`: calls take a pooled connection each.
///
/// A worker writes through a *fenced* handle ([`PgStore::fenced`]): each of its writes runs in a
/// transaction that first checks, under a share lock on the lease row, that the lease still carries its
/// holder and epoch. A take-over updates that row, so it waits for a write in flight, and every write
/// after it is refused ([`ErrorKind::Fenced`]): a worker that was paused, cut off or presumed dead can
/// never write over its successor's work.
pub struct PgStore {
    shared: std::sync::Arc<Shared>,
    fence: Option<crate::Lease>,
}

struct Shared {
    pool: Pool,
    url: String,
    feed: tokio::sync::broadcast::Sender<crate::Change>,
    listener: tokio::task::AbortHandle,
    /// Set once the database is known to be migrated (at once by [`PgStore::connect`]; by the first call
    /// that reaches the server for a store opened [`PgStore::unreached`]).
    migrated: std::sync::OnceLock<()>,
    migrating: tokio::sync::Mutex<()>,
    now_ms: i64,
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.shared.url)
            .field("fence", &self.fence)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects, checks the server, and migrates the database (under an advisory lock, so desks that
    /// start together never race an upgrade). `now_ms` stamps migrations.
    pub async fn connect(config: &PgConfig, now_ms: i64) -> Result<PgStore> {
        Self::connect_with(config, now_ms, MIGRATIONS).await
    }

    /// [`PgStore::connect`] with an explicit migration list (tests of the migration machinery).
    pub async fn connect_with(
        config: &PgConfig,
        now_ms: i64,
        migrations: &[crate::migrate::Migration],
    ) -> Result<PgStore> {
        let (pool, listener_driver) = build_pool(config)?;
        let mut client = pool.get().await.map_err(pool_error)?;
        migrate::migrate(&mut client, migrations, now_ms).await?;
        drop(client);
        let (store, listening) = Self::assemble(config, pool, listener_driver, now_ms, true);
        // Wait (briefly) until LISTEN is active, so nothing committed after `connect` returns is missed; a
        // feed that cannot start now keeps trying and announces a resync when it does.
        if tokio::time::timeout(Duration::from_secs(5), listening).await.is_err() {
            tracing::warn!("team database: change feed not ready yet; it keeps trying");
        }
        Ok(store)
    }

    /// A store on a team database that cannot be reached now (a desk started while the office is away):
    /// nothing is asked of the server yet. Every call fails as unreachable until it answers; the first
    /// call that reaches it applies the pending migrations (under the same lock as [`PgStore::connect`]),
    /// and the change feed, which keeps trying, announces a resync when it connects.
    pub async fn unreached(config: &PgConfig, now_ms: i64) -> Result<PgStore> {
        let (pool, listener_driver) = build_pool(config)?;
        Ok(Self::assemble(config, pool, listener_driver, now_ms, false).0)
    }

    /// The store around `pool`, its change feed started (the receiver hears when it listens).
    fn assemble(
        config: &PgConfig,
        pool: Pool,
        listener_driver: tokio_postgres::Config,
        now_ms: i64,
        migrated: bool,
    ) -> (PgStore, tokio::sync::oneshot::Receiver<()>) {
        let (feed, _) = tokio::sync::broadcast::channel(changes::BACKLOG);
        let (ready, listening) = tokio::sync::oneshot::channel();
        let listener = tokio::spawn(changes::listen(
            listener_driver,
            config.tls.clone(),
            feed.clone(),
            ready,
        ));
        let store = PgStore {
            shared: std::sync::Arc::new(Shared {
                pool,
                url: config.url.clone(),
                feed,
                listener: listener.abort_handle(),
                migrated: if migrated {
                    std::sync::OnceLock::from(())
                } else {
                    std::sync::OnceLock::new()
                },
                migrating: tokio::sync::Mutex::new(()),
                now_ms,
            }),
            fence: None,
        };
        (store, listening)
    }

    /// The same store, for the holder of `lease`: its writes go through only while the lease is still
    /// its own (same holder, same epoch).
    pub fn fenced(&self, lease: crate::Lease) -> PgStore {
        PgStore {
            shared: self.shared.clone(),
            fence: Some(lease),
        }
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object> {
        let mut client = self.shared.pool.get().await.map_err(pool_error)?;
        if self.shared.migrated.get().is_none() {
            let _one = self.shared.migrating.lock().await;
            if self.shared.migrated.get().is_none() {
                migrate::migrate(&mut client, MIGRATIONS, self.shared.now_ms).await?;
                let _ = self.shared.migrated.set(());
                tracing::info!("team database reached: schema checked");
            }
        }
        Ok(client)
    }

    pub(crate) fn feed(&self) -> &tokio::sync::broadcast::Sender<crate::Change> {
        &self.shared.feed
    }

    /// Begins a write: a transaction that, for a fenced handle, holds a share lock on a lease row that
    /// still names this holder and epoch (or fails with [`ErrorKind::Fenced`]).
    pub(crate) async fn begin<'a>(
        &self,
        client: &'a mut deadpool_postgres::Object,
    ) -> Result<deadpool_postgres::Transaction<'a>> {
        let tx = client.transaction().await?;
        if let Some(lease) = &self.fence {
            let held = tx
                .query_opt(
                    "SELECT 1 FROM worker_leases WHERE profile_id = $1 AND holder = $2 AND epoch = $3 FOR SHARE",
                    &[&lease.profile_id, &lease.holder, &lease.epoch],
                )
                .await?;
            if held.is_none() {
                return Err(StoreError::new(
                    ErrorKind::Fenced,
                    "Un altro computer ha preso il ruolo di worker per questa chiave: questo ha smesso di inviare.",
                )
                .detail(format!("lease {} epoch {} lost", lease.profile_id, lease.epoch)));
            }
        }
        Ok(tx)
    }
}

/// The connection pool for `config` (and the driver settings, for the change feed's own connection).
fn build_pool(config: &PgConfig) -> Result<(Pool, tokio_postgres::Config)> {
    let driver = config.driver_config()?;
    let listener_driver = driver.clone();
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = match &config.tls {
        PgTls::Off => Manager::from_config(driver, tokio_postgres::NoTls, manager_config),
        tls => {
            let mut driver = driver;
            driver.ssl_mode(tokio_postgres::config::SslMode::Require);
            Manager::from_config(driver, tls_connector(tls)?, manager_config)
        }
    };
    let pool = Pool::builder(manager)
        .max_size(config.max_connections.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(10)))
        .create_timeout(Some(Duration::from_secs(8)))
        .recycle_timeout(Some(Duration::from_secs(5)))
        .build()
        .map_err(|e| {
            StoreError::new(ErrorKind::Postgres, "Impossibile preparare la connessione al database.").detail(e)
        })?;
    Ok((pool, listener_driver))
}

/// A pool error: reaching the server failed (or it refused us), or every connection stayed busy.
fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => StoreError::from(e),
        deadpool_postgres::PoolError::Timeout(_) => StoreError::new(
            ErrorKind::Unreachable,
            "Il database dell'ufficio non risponde: verificare la rete; FirmaDesk riprova da solo.",
        )
        .detail(e),
        other => StoreError::new(ErrorKind::Postgres, "Errore del database dell'ufficio.").detail(other),
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        if let Some(db) = e.as_db_error() {
            let code = db.code().code();
            let (kind, message) = if code.starts_with("23") {
                (ErrorKind::Invalid, "Dati non validi: la modifica non è stata salvata.")
            } else if code == "28P01" || code == "28000" {
                (
                    ErrorKind::Denied,
                    "Il database dell'ufficio ha rifiutato utente o password: verificarli in Impostazioni › Modalità ufficio.",
                )
            } else if code == "42501" {
                (
                    ErrorKind::Forbidden,
                    "Solo un amministratore dell'ufficio può modificare profili, chiavi, modelli e ruoli: il database dell'ufficio lo ha rifiutato a questo utente.",
                )
            } else if code == "3D000" {
                (
                    ErrorKind::Unreachable,
                    "Il database indicato non esiste sul server: verificare il nome nell'indirizzo.",
                )
            } else if code.starts_with("57P") || code.starts_with("08") {
                (
                    ErrorKind::Unreachable,
                    "Il database dell'ufficio si è interrotto: FirmaDesk riprova da solo.",
                )
            } else {
                (
                    ErrorKind::Postgres,
                    "Errore del database dell'ufficio: riprovare; se si ripete, avvisare l'assistenza.",
                )
            };
            // The server's message names tables and constraints, never values: safe to keep as detail.
            return StoreError::new(kind, message).detail(format!("{code}: {}", db.message()));
        }
        // The whole chain: the driver's own message is often only "invalid configuration" or "error
        // connecting to server", with the cause below it.
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        // The server asked for a password and none was given: the driver says so only in its message
        // (its error kinds are private). Retrying would not help; the password must be entered.
        if text.contains("password missing") {
            return StoreError::new(
                ErrorKind::Denied,
                "Il database dell'ufficio chiede una password: inserirla in Impostazioni › Modalità ufficio.",
            )
            .detail(text);
        }
        let message = if text.contains("tls") || text.contains("TLS") || text.contains("certificate") {
            "Connessione sicura (TLS) al database non riuscita: verificare il certificato del server o l'autorità indicata."
        } else {
            "Il database dell'ufficio non è raggiungibile: verificare la rete e l'indirizzo; FirmaDesk riprova da solo."
        };
        StoreError::new(ErrorKind::Unreachable, message).detail(text)
    }
}
