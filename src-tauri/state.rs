//! Shared state managed by Tauri.

use crate::service::Service;
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::Mutex;

/// Everything the commands share.
pub struct AppState {
    /// The data directory of this instance.
    pub data_dir: PathBuf,
    /// Clerk preferences, persisted on change.
    pub settings: Mutex<Settings>,
    /// The IO Sign service in use (the embedded sandbox until a real profile is configured).
    pub service: Service,
}
