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
    /// True when the active profile is "Modalità prova" (embedded sandbox).
    pub sandbox: bool,
    /// Issuer API base URL of the active profile.
    pub base_url: String,
}

/// The service of the ACTIVE profile: its base URL (the sandbox's only in Modalità prova).
pub fn service_info(state: &AppState) -> ServiceInfo {
    let active = crate::commands::profiles::active_profile(state);
    let sandbox = active == crate::state::SANDBOX_PROFILE;
    let base_url = if sandbox {
        state.sandbox.running().map(|s| s.handle.base_url())
    } else {
        None
    };
    let base_url = base_url.or_else(|| {
        state
            .store
            .profiles()
            .ok()?
            .into_iter()
            .find(|p| p.id == active)
            .map(|p| p.base_url)
    });
    ServiceInfo {
        sandbox,
        base_url: base_url.unwrap_or_default(),
    }
}

/// Returns version, data directory and language.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    info_of(&state)
}

fn info_of(state: &AppState) -> AppInfo {
    // Its own statement: a guard taken inside the struct literal below would live until the literal ends,
    // and `service_info` takes the same (not re-entrant) settings lock.
    let locale = state.settings.lock().expect("settings lock").locale;
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        locale,
        service: service_info(state),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::auth::tests::clock;
    use crate::state::test_state;

    /// The first call the window makes: it once held the settings lock while `service_info` took it
    /// again, and every window hung at start. Run on a thread so a deadlock fails the test instead of
    /// hanging it.
    #[test]
    fn app_info_answers_without_taking_the_settings_lock_twice() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let state = test_state(&data_dir, clock());
            let _ = tx.send(info_of(&state).service.sandbox);
        });
        let sandbox = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("app_info deadlocked");
        assert!(sandbox, "with no profile chosen the sandbox is the active one");
    }
}
