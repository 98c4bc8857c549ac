//! Shared state managed by Tauri.

use crate::service::SandboxService;
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Everything the commands share.
pub struct AppState {
    /// The data directory of this instance.
    pub data_dir: PathBuf,
    /// Clerk preferences, persisted on change.
    pub settings: Mutex<Settings>,
    /// The embedded sandbox ("Modalità prova"), running only once the sandbox profile was used.
    pub sandbox: SandboxService,
    /// The local SQLite cache (dashboard, drafts, timeline, send outbox).
    pub store: Arc<firmadesk_store::Store>,
    /// The OS keyring (API keys, refresh tokens).
    pub secrets: Arc<dyn firmadesk_auth::SecretStore>,
    /// The clerk's login: one session, bound to the profile it was made for, on the wall clock.
    pub auth: firmadesk_auth::SessionGate,
    /// Desktop notifications on (the clerk can turn them off in Impostazioni).
    pub notifications: Arc<std::sync::atomic::AtomicBool>,
}

/// Id of the built-in sandbox profile ("Modalità prova").
pub const SANDBOX_PROFILE: &str = "prova";

/// An app state on a temp data folder, a manual clock and an in-memory keyring (unit tests of the
/// commands' logic; no window, no sandbox until asked).
#[cfg(test)]
pub fn test_state(data_dir: &std::path::Path, clock: Arc<dyn firmadesk_auth::Clock>) -> AppState {
    let data_dir = crate::private::init_data_dir(data_dir).expect("data dir");
    let store = crate::open_store(&data_dir, "http://127.0.0.1:1/api/v1/sign").expect("store");
    AppState {
        sandbox: SandboxService::new(&data_dir),
        settings: Mutex::new(Settings::default()),
        store: Arc::new(store),
        secrets: Arc::new(firmadesk_auth::MemoryStore::new()),
        auth: firmadesk_auth::SessionGate::new(clock, crate::commands::auth::session_policy()),
        notifications: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        data_dir,
    }
}
