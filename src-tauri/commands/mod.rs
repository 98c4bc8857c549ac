//! Tauri commands, one module per area. Each command is a few lines: read state, call the core, map the
//! error to [`crate::error::UiError`].

pub mod app;
pub mod archive;
pub mod auth;
pub mod profiles;
pub mod requests;
pub mod sandbox;

/// Now as unix milliseconds (the store's time unit).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
