//! The state Tauri manages: the desk (crates/firmadesk-desk).

pub use firmadesk_desk::{Desk as AppState, SANDBOX_PROFILE};

/// An app state on a temp data folder, a manual clock and an in-memory keyring (unit tests of the
/// commands' logic; no window, no sandbox until asked).
#[cfg(test)]
pub fn test_state(data_dir: &std::path::Path, clock: std::sync::Arc<dyn firmadesk_auth::Clock>) -> AppState {
    AppState::for_tests(data_dir, clock)
}
