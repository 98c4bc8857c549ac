//! Shared state managed by Tauri.

use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::Mutex;

/// Everything the commands share.
pub struct AppState {
    /// The data directory of this instance.
    pub data_dir: PathBuf,
    /// Clerk preferences, persisted on change.
    pub settings: Mutex<Settings>,
}
