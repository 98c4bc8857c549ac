//! Application-level commands: what the app is and the clerk's language (`firmadesk_desk::app`).

use crate::error::UiError;
use crate::settings::Locale;
use crate::state::AppState;
use firmadesk_desk::app::{self, AppInfo};
use tauri::{AppHandle, State};

pub use firmadesk_desk::app::service_info;

/// Returns version, data directory, language and the active profile's service.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, UiError> {
    Ok(app::info(&state, env!("CARGO_PKG_VERSION")).await)
}

/// Changes and persists the UI language.
#[tauri::command]
pub fn set_locale(app: AppHandle, state: State<'_, AppState>, locale: String) -> Result<Locale, UiError> {
    let locale = app::set_locale(&state, &locale)?;
    crate::tray::relabel(&app);
    Ok(locale)
}
