//! FirmaDesk's desk layer: the app's use cases and the state they share, under a thin Tauri shell.
//!
//! The shell (`src-tauri/`) holds one [`Desk`] and each of its commands is one call into a module here:
//! [`requests`] (dashboard, lists, detail, import, preview, send, simulation, cancel), [`profiles`],
//! [`archive`] (open, reveal, exports, QR, settings view), [`session`] (the login gate by profile, login and
//! logout), [`team`] (Modalità ufficio), [`roles`], [`app`]. Beside them: settings, the data folder and its owner-only files, the local store's
//! opening, the embedded sandbox, the retention rule and the notification policy. Nothing here depends on
//! tauri, so these tests never compile webkit; what only the window can do goes through [`Host`].

pub mod always_on;
pub mod app;
pub mod archive;
pub mod bulk;
pub mod cf;
pub mod drafts;
pub mod error;
pub mod handoff;
pub mod held;
pub mod i18n;
pub mod mail;
pub mod notices;
pub mod notify;
pub mod offline;
pub mod paths;
pub mod printables;
pub mod private;
pub mod profiles;
pub mod reopen;
pub mod requests;
pub mod retention;
pub mod roles;
pub mod sandbox;
pub mod session;
pub mod settings;
pub mod store;
pub mod team;
pub mod templates;
pub mod testing;
pub mod todo;
pub mod trust;
pub mod verify;
pub mod wording;

use sandbox::SandboxService;
use settings::Settings;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use error::{Code, UiError};

/// What only the window can do for a use case: hand a file or folder to the desktop. The shell
/// implements it with Tauri's opener; tests record the calls.
pub trait Host: Send + Sync {
    /// Opens a file or folder with the system's default application.
    fn open_path(&self, path: &std::path::Path) -> Result<(), String>;
    /// Shows a file selected in the system's file manager.
    fn reveal(&self, path: &std::path::Path) -> Result<(), String>;
}

/// Id of the built-in sandbox profile ("Modalità prova").
pub const SANDBOX_PROFILE: &str = "prova";

/// Everything the use cases share: one per running app (or test host).
pub struct Desk {
    /// The data directory of this instance.
    pub data_dir: PathBuf,
    /// Clerk preferences, persisted on change.
    pub settings: Mutex<Settings>,
    /// The embedded sandbox ("Modalità prova"), running only once the sandbox profile was used.
    pub sandbox: SandboxService,
    /// The store: the desk's own SQLite file (dashboard, drafts, timeline, send outbox), or in team mode
    /// the office's database.
    pub store: Arc<dyn firmadesk_store::Store>,
    /// The OS keyring (API keys, refresh tokens).
    pub secrets: Arc<dyn firmadesk_auth::SecretStore>,
    /// The clerk's login: one session, bound to the profile it was made for, on the wall clock.
    pub auth: firmadesk_auth::SessionGate,
    /// The wall clock the desk reads (the session gate's too): row times, deadlines on the dashboard.
    pub clock: Arc<dyn firmadesk_auth::Clock>,
    /// Desktop notifications on (the clerk can turn them off in Impostazioni).
    pub notifications: Arc<std::sync::atomic::AtomicBool>,
    /// Modalità ufficio is set but the office database could not be opened at start: why (the desk then
    /// shows its own file and sends nothing until FirmaDesk starts again with the database reachable).
    pub team_problem: Mutex<Option<UiError>>,
    /// The last state seen of the office, shown while the team database cannot be reached.
    pub last_seen: offline::LastSeen,
    /// One writer of the sends kept on this desk at a time ("Richiedi firma" or a hand-over, `held.rs`).
    pub held_lock: tokio::sync::Mutex<()>,
    /// Wakes the runner of the lists this desk sends (`bulk/send.rs`): a list started, paused or resumed.
    pub batch_wake: tokio::sync::Notify,
    /// Wakes the sender of the protocol mailbox (`mail.rs`): a package was queued.
    pub mail_wake: tokio::sync::Notify,
    /// The EU trusted lists the body's profiles verify signatures against (issue #14).
    pub trusted_lists: trust::TrustedLists,
}

impl Desk {
    /// A desk on `data_dir` (created owner-only if missing) with its settings file, its store (the
    /// sandbox profile recorded with `sandbox_url`), the given keyring and clock. The sandbox is not
    /// started: [`SandboxService::ensure_started`] does that when Modalità prova is used.
    pub fn open(
        data_dir: &std::path::Path,
        sandbox_url: &str,
        secrets: Arc<dyn firmadesk_auth::SecretStore>,
        clock: Arc<dyn firmadesk_auth::Clock>,
    ) -> Result<Self, String> {
        let data_dir = private::init_data_dir(data_dir).map_err(|e| e.to_string())?;
        let settings = settings::load(&data_dir).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "settings unreadable, using defaults");
            Settings::default()
        });
        let sandbox = SandboxService::new(&data_dir);
        Self::with_settings(data_dir, settings, sandbox, sandbox_url, secrets, clock)
    }

    /// A desk on an already initialised data folder with settings already read and a sandbox service
    /// already made (the shell starts the sandbox before the store when Modalità prova is active).
    pub fn with_settings(
        data_dir: PathBuf,
        settings: Settings,
        sandbox: SandboxService,
        sandbox_url: &str,
        secrets: Arc<dyn firmadesk_auth::SecretStore>,
        clock: Arc<dyn firmadesk_auth::Clock>,
    ) -> Result<Self, String> {
        let store: Arc<dyn firmadesk_store::Store> =
            Arc::new(store::open_store(&data_dir, sandbox_url, unix_ms(clock.now()))?);
        Ok(Self::with_store(data_dir, settings, sandbox, store, secrets, clock))
    }

    /// A desk on a store already open (the team database, in Modalità ufficio).
    pub fn with_store(
        data_dir: PathBuf,
        settings: Settings,
        sandbox: SandboxService,
        store: Arc<dyn firmadesk_store::Store>,
        secrets: Arc<dyn firmadesk_auth::SecretStore>,
        clock: Arc<dyn firmadesk_auth::Clock>,
    ) -> Self {
        let notifications_off = settings.notifications_off;
        let last_seen = offline::LastSeen::in_folder(&data_dir, settings.team.as_ref().map(|t| t.url.as_str()));
        Self {
            sandbox,
            settings: Mutex::new(settings),
            store,
            secrets,
            auth: firmadesk_auth::SessionGate::new(clock.clone(), session::policy()),
            clock,
            notifications: Arc::new(std::sync::atomic::AtomicBool::new(!notifications_off)),
            team_problem: Mutex::new(None),
            last_seen,
            batch_wake: tokio::sync::Notify::new(),
            mail_wake: tokio::sync::Notify::new(),
            trusted_lists: trust::TrustedLists::default(),
            held_lock: tokio::sync::Mutex::new(()),
            data_dir,
        }
    }

    /// Now, as unix milliseconds (the store's time unit), on the desk's clock.
    pub fn now_ms(&self) -> i64 {
        unix_ms(self.clock.now())
    }

    /// The clerk's language now.
    pub fn locale(&self) -> settings::Locale {
        self.settings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .locale
    }

    /// A desk on a temp data folder with an in-memory keyring: for tests of the use cases (no window,
    /// no sandbox until asked).
    pub fn for_tests(data_dir: &std::path::Path, clock: Arc<dyn firmadesk_auth::Clock>) -> Self {
        Self::open(
            data_dir,
            "http://127.0.0.1:1/api/v1/sign",
            Arc::new(firmadesk_auth::MemoryStore::new()),
            clock,
        )
        .expect("test desk")
    }
}

/// A wall-clock time as unix milliseconds (the store's time unit).
pub fn unix_ms(t: std::time::SystemTime) -> i64 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A store error as the UI sees it (the store's messages are Italian already).
pub fn store_error(e: firmadesk_store::StoreError) -> UiError {
    UiError::new(Code::from(e.kind), e.message.clone()).with_detail(e.detail.as_deref().unwrap_or(""))
}

/// Changes the clerk's settings and writes them (atomically); memory follows only a successful write.
pub fn save_settings(desk: &Desk, change: impl FnOnce(&mut Settings)) -> Result<(), UiError> {
    let mut current = desk.settings.lock().expect("settings lock");
    let mut next = current.clone();
    change(&mut next);
    settings::save(&desk.data_dir, &next).map_err(|e| {
        UiError::new(
            Code::SettingsWriteFailed,
            "Impossibile salvare le impostazioni: verificare lo spazio su disco e i permessi della cartella dati.",
        )
        .with_detail(e)
    })?;
    *current = next;
    Ok(())
}
