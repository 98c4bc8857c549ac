//! Tauri commands, one module per area. Each command is a few lines: read state, call the core, map the
//! error to [`crate::error::UiError`].

pub mod app;
