//! The error shape every command returns to the UI.
//!
//! The UI never receives bare strings: it reads `code` to choose its own translated text and falls back to
//! `message` (Italian) for codes it does not know yet. `detail` carries technical context for the log panel
//! and must never contain secrets.

use serde::Serialize;

/// An error as the UI sees it.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct UiError {
    /// Stable machine-readable code, e.g. `settings.write_failed`.
    pub code: &'static str,
    /// Italian message for the clerk, saying what to do.
    pub message: String,
    /// Technical detail for logs and support (no secrets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl UiError {
    /// An error with a code and an Italian message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds technical detail (shown on demand, logged).
    pub fn with_detail(mut self, detail: impl std::fmt::Display) -> Self {
        self.detail = Some(detail.to_string());
        self
    }
}
