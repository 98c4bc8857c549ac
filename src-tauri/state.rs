//! Shared state managed by Tauri.

use crate::service::Service;
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Everything the commands share.
pub struct AppState {
    /// The data directory of this instance.
    pub data_dir: PathBuf,
    /// Clerk preferences, persisted on change.
    pub settings: Mutex<Settings>,
    /// The IO Sign service in use (the embedded sandbox until a real profile is configured).
    pub service: Service,
    /// The local SQLite cache (dashboard, drafts, timeline, send outbox).
    pub store: Arc<firmadesk_store::Store>,
    /// The OS keyring (API keys, refresh tokens).
    pub secrets: Arc<dyn firmadesk_auth::SecretStore>,
    /// The clerk's login, when the active profile requires one.
    pub auth: Mutex<crate::commands::auth::AuthState>,
    /// Desktop notifications on (the clerk can turn them off in Impostazioni).
    pub notifications: Arc<std::sync::atomic::AtomicBool>,
}

/// Id of the built-in sandbox profile ("Modalità prova").
pub const SANDBOX_PROFILE: &str = "prova";
