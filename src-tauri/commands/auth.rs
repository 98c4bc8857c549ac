//! The body's login (OIDC Authorization Code + PKCE through the system browser and a loopback
//! redirect, firmadesk-auth) for profiles that configure an identity provider: required at start
//! and again after the idle timeout; the clerk's name goes into the timeline.

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_auth::{Authenticator, BrowserOpener, OidcConfig, Session, SystemClock};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

/// Idle time after which the clerk must log in again.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The login state of this desk.
#[derive(Default)]
pub struct AuthState {
    /// The logged-in session, with the profile it belongs to and the last sign of activity.
    session: Option<(String, Session, Instant)>,
}

fn auth_error(e: firmadesk_auth::AuthError) -> UiError {
    UiError::new(e.code(), e.message()).with_detail(e.detail())
}

/// The OIDC settings of the active profile, when it has them.
fn oidc_config(state: &AppState) -> Result<Option<OidcConfig>, UiError> {
    let active = crate::commands::profiles::active_profile(state);
    let profile = state
        .store
        .profiles()
        .map_err(|e| UiError::new("store.failed", e.message.clone()))?
        .into_iter()
        .find(|p| p.id == active);
    Ok(profile.and_then(|p| match (p.oidc_issuer, p.oidc_client_id) {
        (Some(issuer), Some(client_id)) => {
            let mut config = OidcConfig::new(p.id, issuer, client_id);
            if let Some(scopes) = p.oidc_scopes {
                config.scopes = scopes.split_whitespace().map(str::to_owned).collect();
            }
            config.idle_timeout = IDLE_TIMEOUT;
            Some(config)
        }
        _ => None,
    }))
}

/// The clerk, as the UI shows them (no tokens).
#[derive(Debug, Serialize)]
pub struct ClerkView {
    name: String,
    email: Option<String>,
}

/// Whether a login is needed and who is logged in.
#[derive(Debug, Serialize)]
pub struct AuthStatus {
    required: bool,
    logged_in: bool,
    clerk: Option<ClerkView>,
    provider: Option<String>,
    idle_timeout_secs: u64,
}

fn status(state: &AppState) -> Result<AuthStatus, UiError> {
    let config = oidc_config(state)?;
    let mut auth = state.auth.lock().expect("auth lock");
    // Idle too long, or the active profile changed: the session ends.
    if let Some((profile, _, last)) = &auth.session {
        let stale = config.as_ref().is_none_or(|c| &c.profile_id != profile) || last.elapsed() > IDLE_TIMEOUT;
        if stale {
            auth.session = None;
            tracing::info!("clerk session ended (idle timeout or profile change)");
        }
    }
    let clerk = auth.session.as_ref().map(|(_, s, _)| ClerkView {
        name: s.clerk.display_name().to_owned(),
        email: s.clerk.email.clone(),
    });
    Ok(AuthStatus {
        required: config.is_some(),
        logged_in: clerk.is_some(),
        clerk,
        provider: config.map(|c| c.issuer_url),
        idle_timeout_secs: IDLE_TIMEOUT.as_secs(),
    })
}

/// The clerk's name for the timeline ("creato da ..."), or `None` without a login.
pub fn clerk_name(state: &AppState) -> Option<String> {
    state
        .auth
        .lock()
        .expect("auth lock")
        .session
        .as_ref()
        .map(|(_, s, _)| s.clerk.display_name().to_owned())
}

/// Refuses work on citizens' documents while a required login is missing or expired.
pub fn require_login(state: &AppState) -> Result<(), UiError> {
    let s = status(state)?;
    if s.required && !s.logged_in {
        return Err(UiError::new(
            "auth.login_required",
            "Accesso richiesto: accedere con l'account dell'ente per continuare.",
        ));
    }
    Ok(())
}

/// Login state; also ends a session that has been idle too long.
#[tauri::command]
pub fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    status(&state)
}

/// The clerk is active (the UI calls this at most every 30 s while the clerk uses it).
#[tauri::command]
pub fn auth_activity(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    let s = status(&state)?;
    if let Some((_, _, last)) = state.auth.lock().expect("auth lock").session.as_mut() {
        *last = Instant::now();
    }
    Ok(s)
}

/// Opens the system browser (tests may make the app perform the browser's requests itself).
struct SystemBrowser(tauri::AppHandle);

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        #[cfg(feature = "e2e")]
        if std::env::var("FIRMADESK_E2E_BROWSER").as_deref() == Ok("fetch") {
            // E2E only: follow the provider's redirects like a browser whose user consents at once.
            let url = url.to_owned();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = reqwest::get(url).await {
                    tracing::warn!(error = %e.without_url(), "e2e browser request failed");
                }
            });
            return Ok(());
        }
        self.0.opener().open_url(url, None::<&str>).map_err(|e| e.to_string())
    }
}

/// Logs in with the active profile's identity provider through the system browser.
#[tauri::command]
pub async fn login(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    let Some(config) = oidc_config(&state)? else {
        return status(&state);
    };
    let profile_id = config.profile_id.clone();
    let authenticator = Authenticator::discover(config, state.secrets.clone(), Arc::new(SystemClock))
        .await
        .map_err(auth_error)?;
    let session = authenticator.login(&SystemBrowser(app)).await.map_err(auth_error)?;
    tracing::info!(profile = %profile_id, "clerk logged in");
    state.auth.lock().expect("auth lock").session = Some((profile_id, session, Instant::now()));
    status(&state)
}

/// Logs out: revokes the tokens at the provider and clears them from the keyring.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    let taken = state.auth.lock().expect("auth lock").session.take();
    if let (Some(config), Some((_, session, _))) = (oidc_config(&state)?, taken) {
        match Authenticator::discover(config, state.secrets.clone(), Arc::new(SystemClock)).await {
            Ok(authenticator) => {
                if let Err(e) = authenticator.logout(Some(session)).await {
                    tracing::warn!(code = e.code(), "logout: revocation failed; local session cleared");
                }
            }
            Err(e) => tracing::warn!(code = e.code(), "logout: provider unreachable; local session cleared"),
        }
    }
    tracing::info!("clerk logged out");
    status(&state)
}
