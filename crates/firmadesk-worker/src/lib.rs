//! FirmaDesk's headless worker (`firmadesk worker`, or the `firmadesk-worker` binary): the process that a
//! body's IT runs on a server, as a service, so that an office of desks sharing one team database has
//! exactly one process talking to IO Sign per API key, whether or not any desk is open.
//!
//! It is the same engine as a desk's, without a window: it connects to the team database (PostgreSQL,
//! TLS on by default), reads the profiles, and for each profile whose API key it was given asks for the
//! key's lease; while it holds it, it runs every desk's queued sends and the sync poller under the key's
//! one rate budget, and archives the signed PDFs (in its archive folder and in the team database, where
//! every desk opens them). A second worker (or a desk holding the key) waits and takes over when the lease
//! runs out. SIGTERM or Ctrl-C stops it cleanly and gives the leases up at once.
//!
//! Secrets never come on the command line: the database password and the API keys are read from files
//! (systemd's `LoadCredential=` puts them in `$CREDENTIALS_DIRECTORY`, owner-only) or from the OS keyring.
//!
//! # Example
//! ```no_run
//! use clap::Parser;
//! let options = firmadesk_worker::Options::parse_from([
//!     "firmadesk-worker",
//!     "--database", "postgres://firmadesk@db.comune.example/firmadesk",
//!     "--keys-dir", "/run/credentials/firmadesk-worker.service",
//!     "--archive", "/var/lib/firmadesk-worker/Archivio firmati",
//! ]);
//! # async fn run(options: firmadesk_worker::Options) -> Result<(), firmadesk_worker::WorkerError> {
//! firmadesk_worker::run(options, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

mod secrets;

use clap::Parser;
use firmadesk_engine::{Engine, EngineConfig, RowStore};
use firmadesk_store::{PgConfig, PgStore, PgTls, Store};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use secrets::KeySource;

/// What the worker is told (command line, or the environment for what a service unit sets).
#[derive(Debug, Clone, Parser)]
#[command(
    name = "firmadesk worker",
    about = "Il worker di FirmaDesk per la modalità ufficio: invia e segue le richieste di tutte le postazioni per ogni chiave API.",
    long_about = None
)]
pub struct Options {
    /// The team database: `postgres://user@host:port/dbname`, without the password.
    #[arg(long, env = "FIRMADESK_DATABASE_URL")]
    pub database: String,
    /// File holding the database password (default: `database-password` in `$CREDENTIALS_DIRECTORY`,
    /// else the OS keyring entry of the team database).
    #[arg(long, env = "FIRMADESK_DATABASE_PASSWORD_FILE")]
    pub database_password_file: Option<PathBuf>,
    /// Verify the server's certificate against this PEM file as well as the public roots (the body's own
    /// authority).
    #[arg(long, env = "FIRMADESK_DATABASE_CA_FILE")]
    pub database_ca_file: Option<PathBuf>,
    /// No TLS: accepted only for a database on this machine (127.0.0.1, ::1, localhost).
    #[arg(long)]
    pub database_no_tls: bool,
    /// Folder of the API keys, one file per profile named `iosign-<profile id>` (default:
    /// `$CREDENTIALS_DIRECTORY`). Without it and without that variable, the keys come from the OS keyring.
    #[arg(long, env = "FIRMADESK_KEYS_DIR")]
    pub keys_dir: Option<PathBuf>,
    /// Where signed PDFs are archived (default: `Archivio firmati` in `$STATE_DIRECTORY`).
    #[arg(long, env = "FIRMADESK_ARCHIVE_DIR")]
    pub archive: Option<PathBuf>,
    /// Where the EU trusted lists are kept (default: `elenchi-di-fiducia` in `$STATE_DIRECTORY`, else beside
    /// the archive folder). The worker downloads them, checks them and verifies signed PDFs against them.
    #[arg(long, env = "FIRMADESK_TRUSTED_LISTS_DIR")]
    pub trusted_lists: Option<PathBuf>,
    /// Only these profiles (repeat the option); default: every profile this worker has a key for.
    #[arg(long = "profile")]
    pub profiles: Vec<String>,
    /// This worker's name in the team database (default: user@machine). Two workers must differ.
    #[arg(long)]
    pub name: Option<String>,
    /// How long a key's lease lasts unless renewed: a dead worker is replaced within about this.
    #[arg(long, default_value = "15s", value_parser = parse_duration)]
    pub lease_ttl: Duration,
    /// How often the lease is renewed and the shared outbox read.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub lease_renew: Duration,
    /// Interval of the sync with IO Sign when nothing was just sent.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub poll: Duration,
    /// Interval of the checks while a send waits for IO Sign (validation, publication).
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub step_poll: Duration,
}

/// Parses `1500ms`, `15s`, `2m` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("«{text}» non è una durata (esempi: 1500ms, 15s, 2m)"))?;
    match unit.trim() {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" | "min" => Ok(Duration::from_secs(n * 60)),
        _ => Err(format!("«{text}» non è una durata (esempi: 1500ms, 15s, 2m)")),
    }
}

/// Why the worker stopped or could not start; the message says what to check, in Italian (the body's IT
/// reads it in the journal).
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// A setting is missing or wrong.
    #[error("{0}")]
    Config(String),
    /// The team database refused or failed.
    #[error("{}", .0.message)]
    Database(#[from] firmadesk_store::StoreError),
    /// The engine refused a profile.
    #[error("{}", .0.message)]
    Engine(#[from] firmadesk_engine::EngineError),
}

impl WorkerError {
    /// The process's exit status: 2 for settings to fix (a restart will not help), 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            WorkerError::Config(_) => 2,
            // Wrong password, or a clerk's login that may not migrate the database.
            WorkerError::Database(e)
                if matches!(
                    e.kind,
                    firmadesk_store::ErrorKind::Denied | firmadesk_store::ErrorKind::Forbidden
                ) =>
            {
                2
            }
            _ => 1,
        }
    }
}

/// The team database settings from the options (password and CA read from their files).
pub fn database_config(options: &Options, keys: &KeySource) -> Result<PgConfig, WorkerError> {
    let password = keys.database_password(options.database_password_file.as_deref())?;
    let tls = if options.database_no_tls {
        PgTls::Off
    } else if let Some(ca) = &options.database_ca_file {
        let pem = std::fs::read_to_string(ca).map_err(|e| {
            WorkerError::Config(format!(
                "Impossibile leggere il certificato dell'autorità {}: {e}",
                ca.display()
            ))
        })?;
        PgTls::VerifyWith { extra_roots_pem: pem }
    } else {
        PgTls::Verify
    };
    Ok(PgConfig {
        tls,
        ..PgConfig::new(options.database.clone(), password)
    })
}

/// The archive folder from the options (or systemd's state directory).
fn archive_dir(options: &Options) -> Result<PathBuf, WorkerError> {
    options
        .archive
        .clone()
        .or_else(|| std::env::var_os("STATE_DIRECTORY").map(|d| PathBuf::from(d).join("Archivio firmati")))
        .ok_or_else(|| {
            WorkerError::Config(
                "Indicare la cartella dell'archivio dei documenti firmati (--archive o FIRMADESK_ARCHIVE_DIR).".into(),
            )
        })
}

/// Where the trusted lists are kept: the option, else systemd's state directory, else beside the archive.
fn trusted_lists_dir(options: &Options, archive: &Path) -> PathBuf {
    let dir = firmadesk_engine::trusted_lists::DIR;
    options
        .trusted_lists
        .clone()
        .or_else(|| std::env::var_os("STATE_DIRECTORY").map(|d| PathBuf::from(d).join(dir)))
        .unwrap_or_else(|| archive.parent().unwrap_or(archive).join(dir))
}

/// Connects to the team database, waiting while it cannot be reached (a server that starts before its
/// database), giving up at once on what waiting will not fix (wrong password, bad settings).
async fn connect(
    config: &PgConfig,
    shutdown: &mut (impl std::future::Future<Output = ()> + Unpin),
) -> Result<Option<PgStore>, WorkerError> {
    let mut wait = Duration::from_secs(1);
    loop {
        match PgStore::connect(
            config,
            firmadesk_engine::clock::unix_ms(time::OffsetDateTime::now_utc()),
        )
        .await
        {
            Ok(store) => return Ok(Some(store)),
            Err(e) if e.kind == firmadesk_store::ErrorKind::Unreachable => {
                tracing::warn!(error = %e, detail = e.detail.as_deref().unwrap_or(""), retry_in = ?wait, "team database unreachable");
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = &mut *shutdown => return Ok(None),
                }
                wait = (wait * 2).min(Duration::from_secs(30));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Logs each sync pass with the IO calls it spent (debug; info when it found changes): what IT reads to
/// see which process polls a key and what it costs.
fn log_sync_passes(engine: &Engine) {
    let mut events = engine.subscribe();
    tokio::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match events.recv().await {
                Ok(firmadesk_engine::EngineEvent::SyncFinished {
                    profile_id,
                    calls,
                    changed,
                    ..
                }) => {
                    if changed > 0 {
                        tracing::info!(profile = %profile_id, calls, changed, "sync pass");
                    } else {
                        tracing::debug!(profile = %profile_id, calls, changed, "sync pass");
                    }
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            }
        }
    });
}

/// Runs the worker until `shutdown` completes, then stops the engine and gives its leases up.
pub async fn run(options: Options, shutdown: impl std::future::Future<Output = ()>) -> Result<(), WorkerError> {
    let mut shutdown = Box::pin(shutdown);
    let keys = KeySource::from_options(options.keys_dir.as_deref());
    let archive = archive_dir(&options)?;
    let config = database_config(&options, &keys)?;
    let Some(db) = connect(&config, &mut shutdown).await? else {
        return Ok(());
    };
    let db: Arc<dyn Store> = Arc::new(db);
    let mut engine_config = EngineConfig::new(&archive);
    if let Some(name) = &options.name {
        engine_config.worker_name.clone_from(name);
    }
    engine_config.lease_ttl = options.lease_ttl;
    engine_config.lease_renew = options.lease_renew;
    engine_config.slow_poll = options.poll;
    engine_config.fast_poll = options.poll.min(engine_config.fast_poll);
    engine_config.step_poll = options.step_poll;
    tracing::info!(
        worker = %engine_config.worker_name,
        archive = %archive.display(),
        keys = %keys.describe(),
        "FirmaDesk worker starting"
    );
    let engine = Engine::builder(engine_config, Arc::new(RowStore::new(db.clone()))).build();
    log_sync_passes(&engine);
    // The EU trusted lists the body's signed documents are verified against, kept current (issue #14).
    let anchors = firmadesk_engine::trusted_lists::SharedAnchors::default();
    let lists = tokio::spawn(firmadesk_engine::trusted_lists::keep_current(
        trusted_lists_dir(&options, &archive),
        firmadesk_engine::trusted_lists::Source::default(),
        anchors.clone(),
        Arc::default(),
    ));
    let mut started = HashSet::new();
    let mut changes = db.changes();
    start_profiles(&*db, &engine, &keys, &options.profiles, &mut started, &anchors).await?;
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            change = next_change(&mut changes) => {
                // A profile added (or a lost feed resynchronised): start what has a key and is not yet
                // started. A started profile keeps its address: a key is never sent to an address changed
                // after it was given (restart the worker after checking the new one).
                if change.as_ref().is_some_and(is_profiles_change) {
                    if let Err(e) = start_profiles(&*db, &engine, &keys, &options.profiles, &mut started, &anchors).await {
                        tracing::warn!(error = %e, "profiles not re-read; next change");
                    }
                }
            }
        }
    }
    lists.abort();
    tracing::info!("stopping: unfinished sends resume on the next worker");
    engine.stop().await;
    Ok(())
}

fn is_profiles_change(change: &firmadesk_store::Change) -> bool {
    match change {
        firmadesk_store::Change::Row { table, .. } => table == "profiles",
        firmadesk_store::Change::Resync => true,
    }
}

async fn next_change(
    changes: &mut Option<tokio::sync::broadcast::Receiver<firmadesk_store::Change>>,
) -> Option<firmadesk_store::Change> {
    use tokio::sync::broadcast::error::RecvError;
    let Some(rx) = changes else {
        return std::future::pending().await;
    };
    match rx.recv().await {
        Ok(change) => Some(change),
        Err(RecvError::Lagged(_)) => Some(firmadesk_store::Change::Resync),
        Err(RecvError::Closed) => {
            *changes = None;
            None
        }
    }
}

/// Starts every wanted profile that has a key and is not started yet.
async fn start_profiles(
    db: &dyn Store,
    engine: &Engine,
    keys: &KeySource,
    wanted: &[String],
    started: &mut HashSet<String>,
    anchors: &firmadesk_engine::trusted_lists::SharedAnchors,
) -> Result<(), WorkerError> {
    let profiles = db.profiles().await?;
    for want in wanted {
        if !profiles.iter().any(|p| &p.id == want) {
            tracing::warn!(profile = %want, "no such profile in the team database");
        }
    }
    for profile in profiles {
        if started.contains(&profile.id) || (!wanted.is_empty() && !wanted.contains(&profile.id)) {
            continue;
        }
        let key = match keys.api_key(&profile.id) {
            Ok(Some(key)) => key,
            Ok(None) => {
                tracing::info!(profile = %profile.id, "no API key for this profile here: another process works for it");
                continue;
            }
            Err(e) => {
                tracing::warn!(profile = %profile.id, error = %e, "API key unreadable: profile skipped");
                continue;
            }
        };
        let client = match iosign::Client::new(profile.base_url.clone(), iosign::ApiKey::new(key.expose())) {
            Ok(client) => client,
            Err(e) => {
                tracing::warn!(profile = %profile.id, error = %e, "invalid service address: profile skipped");
                continue;
            }
        };
        let options = firmadesk_engine::ProfileOptions {
            trust_anchors: Vec::new(),
            trusted_lists: Some(anchors.clone()),
        };
        engine.add_profile_with(profile.id.clone(), client, options).await?;
        tracing::info!(
            profile = %profile.id,
            worker = engine.is_worker(&profile.id),
            "profile started (worker now: {})",
            engine.is_worker(&profile.id)
        );
        started.insert(profile.id);
    }
    Ok(())
}

/// The whole process: logging to stderr, a runtime, [`run`] until SIGTERM or Ctrl-C; returns the exit
/// status. Both `firmadesk-worker` and the app's `firmadesk worker` call it.
pub fn main_with(options: Options) -> i32 {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FIRMADESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("firmadesk worker: impossibile avviare: {e}");
            return 1;
        }
    };
    match runtime.block_on(run(options, stop_signal())) {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!(error = %e, "the worker stopped");
            eprintln!("firmadesk worker: {e}");
            e.exit_code()
        }
    }
}

/// Completes on SIGTERM (systemd's stop, `kill`) or SIGINT (Ctrl-C); on Windows on Ctrl-C or the
/// console's close (a service wrapper sends one of these).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
