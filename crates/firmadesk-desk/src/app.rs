//! What the app is (version, data folder, language, the active profile's service) and the clerk's
//! language.

use crate::settings::Locale;
use crate::{Code, Desk, UiError};
use serde::Serialize;

/// What the UI needs to know about the running app.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// FirmaDesk version (the app package's, given by the shell).
    pub version: &'static str,
    /// Data directory in use (shown in Impostazioni; tests check it is their temp dir).
    pub data_dir: String,
    /// UI language.
    pub locale: Locale,
    /// The IO Sign service in use.
    pub service: ServiceInfo,
    /// Modalità ufficio is set but the office database could not be opened at start (the UI says so on
    /// every view).
    pub team_problem: Option<UiError>,
}

/// The service as the UI shows it (no credentials).
#[derive(Debug, Serialize)]
pub struct ServiceInfo {
    /// True when the active profile is "Modalità prova" (embedded sandbox).
    pub sandbox: bool,
    /// Issuer API base URL of the active profile.
    pub base_url: String,
    /// Where the sandbox set aside a damaged state file when it started (it then started empty): the UI
    /// tells the clerk, whose demo requests are gone from the sandbox but kept in that copy.
    pub sandbox_recovered_from: Option<String>,
}

/// The service of the ACTIVE profile: its base URL (the sandbox's only in Modalità prova).
pub async fn service_info(state: &Desk) -> ServiceInfo {
    let active = crate::session::active_profile(state);
    let sandbox = active == crate::SANDBOX_PROFILE;
    let base_url = if sandbox {
        state.sandbox.running().map(|s| s.handle.base_url())
    } else {
        None
    };
    let base_url = match base_url {
        Some(url) => Some(url),
        None => state
            .store
            .profiles()
            .await
            .ok()
            .and_then(|profiles| profiles.into_iter().find(|p| p.id == active))
            .map(|p| p.base_url),
    };
    let sandbox_recovered_from = state
        .sandbox
        .running()
        .and_then(|s| s.handle.recovered_from().map(|p| p.display().to_string()));
    ServiceInfo {
        sandbox,
        base_url: base_url.unwrap_or_default(),
        sandbox_recovered_from,
    }
}

/// Version, data directory, language and service of this desk.
pub async fn info(state: &Desk, version: &'static str) -> AppInfo {
    AppInfo {
        version,
        data_dir: state.data_dir.display().to_string(),
        // `Desk::locale` releases the settings lock before `service_info` takes it again.
        locale: state.locale(),
        service: service_info(state).await,
        team_problem: state.team_problem.lock().expect("team problem lock").clone(),
    }
}

/// Changes and persists the UI language.
pub fn set_locale(state: &Desk, locale: &str) -> Result<Locale, UiError> {
    let locale = Locale::parse(locale)
        .ok_or_else(|| UiError::new(Code::SettingsUnknownLocale, format!("Lingua non disponibile: {locale}")))?;
    crate::save_settings(state, |s| s.locale = locale)?;
    tracing::info!(?locale, "locale changed");
    Ok(locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, test_desk as test_state};

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
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let _ = tx.send(runtime.block_on(info(&state, "0.0.0-test")).service.sandbox);
        });
        let sandbox = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("app_info deadlocked");
        assert!(sandbox, "with no profile chosen the sandbox is the active one");
    }

    /// Issue #10 item 8: a damaged sandbox state is set aside, the sandbox starts empty and the clerk is
    /// told where the copy is (before, only the log said so).
    #[tokio::test]
    async fn a_set_aside_sandbox_state_is_reported_to_the_ui() {
        let dir = tempfile::tempdir().unwrap();
        let state = test_state(dir.path(), clock());
        assert_eq!(info(&state, "0").await.service.sandbox_recovered_from, None);
        std::fs::create_dir_all(state.data_dir.join("sandbox")).unwrap();
        std::fs::write(state.data_dir.join("sandbox/state.json"), b"{ non e' JSON").unwrap();
        state.sandbox.ensure_started().await.unwrap();
        let reported = info(&state, "0")
            .await
            .service
            .sandbox_recovered_from
            .expect("reported");
        assert!(reported.contains("state.json.corrupt-"), "{reported}");
        assert!(std::path::Path::new(&reported).is_file(), "the copy exists: {reported}");
    }
}
