//! FirmaDesk's Tauri shell: window, plugins, state and the thin commands that forward to the core crates.
//!
//! The business logic lives in `crates/` (no tauri dependency); this crate wires it to the webview.

pub mod commands;
pub mod error;
pub mod logging;
pub mod notifier;
pub mod paths;
pub mod service;
pub mod settings;
pub mod state;

use std::sync::Mutex;
use tauri::Manager;

/// Builds the Tauri application with its plugins, state and commands (also used by the mock-runtime tests).
pub fn builder(app_state: state::AppState) -> tauri::Builder<tauri::Wry> {
    tauri::Builder::default()
        // A second launch focuses the running window instead of opening a second engine on the same data.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .manage(app_state)
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_locale
        ])
}

/// Starts FirmaDesk.
pub fn run() {
    let data_dir = match paths::data_dir_from_process() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("FirmaDesk: impossibile usare la cartella dati: {e}");
            std::process::exit(1);
        }
    };
    let _log_guard = match logging::init(&paths::log_dir(&data_dir)) {
        Ok(guard) => Some(guard),
        Err(e) => {
            eprintln!("FirmaDesk: log file unavailable ({e}); logging to stderr only");
            None
        }
    };
    tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %data_dir.display(), "FirmaDesk starting");
    let settings = settings::load(&data_dir).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "settings unreadable, using defaults");
        settings::Settings::default()
    });
    // Issuer profiles arrive with the login/profiles work; until one is configured the embedded sandbox is
    // the service, which is also what `cargo xtask run` shows a newcomer.
    let service = match tauri::async_runtime::block_on(service::start_sandbox(&data_dir)) {
        Ok(service) => service,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the embedded IO Sign sandbox");
            eprintln!("FirmaDesk: impossibile avviare il servizio di prova locale: {e}");
            std::process::exit(1);
        }
    };
    let app_state = state::AppState {
        data_dir,
        settings: Mutex::new(settings),
        service,
    };
    builder(app_state)
        .run(tauri::generate_context!())
        .expect("FirmaDesk failed to start the window");
}
