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

/// A store error as the UI sees it (the store's messages are Italian already).
pub fn store_error(e: firmadesk_store::StoreError) -> crate::error::UiError {
    crate::error::UiError::new("store.failed", e.message.clone()).with_detail(e.detail.as_deref().unwrap_or(""))
}

/// Changes the clerk's settings and writes them (atomically); memory follows only a successful write.
pub fn save_settings(
    state: &crate::state::AppState,
    change: impl FnOnce(&mut crate::settings::Settings),
) -> Result<(), crate::error::UiError> {
    let mut current = state.settings.lock().expect("settings lock");
    let mut next = current.clone();
    change(&mut next);
    crate::settings::save(&state.data_dir, &next).map_err(|e| {
        crate::error::UiError::new(
            "settings.write_failed",
            "Impossibile salvare le impostazioni: verificare lo spazio su disco e i permessi della cartella dati.",
        )
        .with_detail(e)
    })?;
    *current = next;
    Ok(())
}
