//! Application-level commands: what the app is and the clerk's language.

use crate::error::UiError;
use crate::settings::Locale;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;

/// What the UI needs to know about the running app.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// FirmaDesk version.
    pub version: &'static str,
    /// Data directory in use (shown in Impostazioni; tests check it is their temp dir).
    pub data_dir: String,
    /// UI language.
    pub locale: Locale,
    /// The IO Sign service in use.
    pub service: ServiceInfo,
}

/// The service as the UI shows it (no credentials).
#[derive(Debug, Serialize)]
pub struct ServiceInfo {
    /// True in "Modalità prova" (embedded sandbox).
    pub sandbox: bool,
    /// Issuer API base URL.
    pub base_url: String,
}

/// Returns version, data directory and language.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        locale: state.settings.lock().expect("settings lock").locale,
        service: ServiceInfo {
            sandbox: state.service.is_sandbox(),
            base_url: state.service.base_url(),
        },
    }
}

/// Changes and persists the UI language.
#[tauri::command]
pub fn set_locale(state: State<'_, AppState>, locale: String) -> Result<Locale, UiError> {
    let locale = Locale::parse(&locale)
        .ok_or_else(|| UiError::new("settings.unknown_locale", format!("Lingua non disponibile: {locale}")))?;
    crate::commands::save_settings(&state, |s| s.locale = locale)?;
    tracing::info!(?locale, "locale changed");
    Ok(locale)
}
