//! "Avvia all'accesso": read and change the OS's login item (see `crate::autostart`).

use firmadesk_desk::{Code, UiError};
use tauri_plugin_autostart::ManagerExt;

fn failed(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::AutostartFailed,
        "Impossibile cambiare l'avvio all'accesso: verificare i permessi della cartella di avvio automatico del sistema.",
    )
    .with_detail(e)
}

/// Whether FirmaDesk starts at login (read from the OS's login items).
#[tauri::command]
pub fn get_autostart(app: tauri::AppHandle) -> Result<bool, UiError> {
    app.autolaunch().is_enabled().map_err(failed)
}

/// Turns starting at login on or off; returns the state the OS now has.
#[tauri::command]
pub fn set_autostart(app: tauri::AppHandle, on: bool) -> Result<bool, UiError> {
    let manager = app.autolaunch();
    if on {
        manager.enable().map_err(failed)?;
    } else if manager.is_enabled().map_err(failed)? {
        manager.disable().map_err(failed)?;
    }
    let now = manager.is_enabled().map_err(failed)?;
    tracing::info!(on = now, "start at login changed");
    Ok(now)
}
