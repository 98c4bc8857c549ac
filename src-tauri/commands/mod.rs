//! Tauri commands, one module per area. Each command is a few lines: read state, call the core, map the
//! error to [`crate::error::UiError`].

pub mod app;
pub mod archive;
pub mod auth;
pub mod profiles;
pub mod requests;
pub mod sandbox;

pub use firmadesk_desk::{now_ms, save_settings, store_error};
