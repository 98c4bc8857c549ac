//! The body's login (OIDC Authorization Code + PKCE through the system browser and a loopback
//! redirect, firmadesk-auth) for profiles that configure an identity provider.
//!
//! The gate follows the DATA, not the active profile: every command that reads or changes a
//! protected profile's data or settings asks [`require_profile`] (or [`require_request`]) for that
//! profile; a session opens only the profile it logged in for, and ends after the idle timeout or the
//! maximum age on the wall clock (firmadesk-auth's [`firmadesk_auth::SessionGate`]).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_auth::{Authenticator, BrowserOpener, OidcConfig, SystemClock};
use firmadesk_store::Profile;
use serde::Serialize;
use std::sync::Arc;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

pub use firmadesk_desk::session::{
    clerk_name, end_unless_for, find_profile, is_protected, policy as session_policy, profile_open,
    require_all_profiles, require_login, require_profile, require_request, IDLE_TIMEOUT, MAX_SESSION_AGE,
};

fn auth_error(e: firmadesk_auth::AuthError) -> UiError {
    UiError::new(e.code(), e.message()).with_detail(e.detail())
}

/// The OIDC settings of a profile, when it has them.
fn oidc_config_of(profile: Profile) -> Option<OidcConfig> {
    match (profile.oidc_issuer, profile.oidc_client_id) {
        (Some(issuer), Some(client_id)) => {
            let mut config = OidcConfig::new(profile.id, issuer, client_id);
            if let Some(scopes) = profile.oidc_scopes {
                config.scopes = scopes.split_whitespace().map(str::to_owned).collect();
            }
            config.idle_timeout = IDLE_TIMEOUT;
            Some(config)
        }
        _ => None,
    }
}

/// The OIDC settings of the active profile, when it has them.
fn oidc_config(state: &AppState) -> Result<Option<OidcConfig>, UiError> {
    let active = crate::commands::profiles::active_profile(state);
    Ok(find_profile(state, &active)?.and_then(oidc_config_of))
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
    let active = crate::commands::profiles::active_profile(state);
    // Only a session for the ACTIVE profile counts as logged in here.
    let clerk = state.auth.clerk(&active).map(|c| ClerkView {
        name: c.display_name().to_owned(),
        email: c.email.clone(),
    });
    Ok(AuthStatus {
        required: config.is_some(),
        logged_in: config.is_some() && clerk.is_some(),
        clerk: clerk.filter(|_| config.is_some()),
        provider: config.map(|c| c.issuer_url),
        idle_timeout_secs: IDLE_TIMEOUT.as_secs(),
    })
}

/// Login state; also ends a session that has been idle too long or is too old.
#[tauri::command]
pub fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    status(&state)
}

/// The clerk is active (the UI calls this at most every 30 s while the clerk uses it). Within the
/// maximum age, tokens near expiry are renewed silently with the stored refresh token: the provider
/// thereby still vouches for the clerk (a disabled account ends the session at the next renewal).
#[tauri::command]
pub async fn auth_activity(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    let active = crate::commands::profiles::active_profile(&state);
    state.auth.touch(&active);
    if let Some(config) = oidc_config(&state)? {
        let skew = config.refresh_skew;
        if let Some(current) = state.auth.due_for_renewal(&active, skew) {
            let renewed = match Authenticator::discover(config, state.secrets.clone(), Arc::new(SystemClock)).await {
                Ok(authenticator) => authenticator.refresh(&current).await,
                Err(e) => Err(e),
            };
            match renewed {
                Ok(session) => state.auth.renewed(&active, session),
                Err(e) if e.kind() == firmadesk_auth::AuthErrorKind::SessionExpired => {
                    tracing::info!(code = e.code(), "silent renewal refused: clerk session ended");
                    state.auth.end();
                }
                // Provider unreachable: the session stands until the idle timeout or the maximum age.
                Err(e) => tracing::warn!(code = e.code(), "silent renewal failed; will retry"),
            }
        }
    }
    status(&state)
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
    // The active profile may have changed while the browser was open: the session is bound to the
    // profile whose provider issued it, whatever is active now.
    tracing::info!(profile = %profile_id, "clerk logged in");
    state.auth.begin(profile_id, session);
    status(&state)
}

/// Logs out: revokes the tokens at the provider and clears them from the keyring.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    if let Some(ended) = state.auth.end() {
        let config = find_profile(&state, ended.profile_id())?.and_then(oidc_config_of);
        if let Some(config) = config {
            match Authenticator::discover(config, state.secrets.clone(), Arc::new(SystemClock)).await {
                Ok(authenticator) => {
                    if let Err(e) = authenticator.logout(Some(ended.session().clone())).await {
                        tracing::warn!(code = e.code(), "logout: revocation failed; local session cleared");
                    }
                }
                Err(e) => tracing::warn!(code = e.code(), "logout: provider unreachable; local session cleared"),
            }
        }
    }
    tracing::info!("clerk logged out");
    status(&state)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::commands::profiles::active_profile;
    use crate::commands::requests::{dashboard_of, list_of};
    use crate::state::{test_state, SANDBOX_PROFILE};
    use firmadesk_store::ListQuery;
    use std::time::Duration;

    pub(crate) use firmadesk_desk::testing::{clock, protected, request, session};

    fn activate(state: &AppState, id: &str) {
        state.settings.lock().unwrap().active_profile = Some(id.into());
        end_unless_for(state, id);
    }

    /// Issue #10 item 2: the dashboard and the lists are gated on the profile whose data they show.
    #[test]
    fn protected_profile_data_needs_its_own_login() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let state = test_state(tmp.path(), clock.clone());
        protected(&state, "ufficio");
        request(&state, "r1", "ufficio", "Mario Rossi");
        activate(&state, "ufficio");
        assert_eq!(dashboard_of(&state).unwrap_err().code, "auth.login_required");
        assert_eq!(
            list_of(&state, ListQuery::default()).unwrap_err().code,
            "auth.login_required"
        );
        assert_eq!(
            require_request(&state, &state.store.request("r1").unwrap().unwrap())
                .unwrap_err()
                .code,
            "auth.login_required"
        );
        state.auth.begin("ufficio", session());
        let d = dashboard_of(&state).unwrap();
        assert_eq!(d.counts().waiting, 1);
        assert_eq!(list_of(&state, ListQuery::default()).unwrap().total(), 1);
    }

    /// Issue #10 item 2: Modalità prova shows only its own requests, never a locked profile's citizens.
    #[test]
    fn sandbox_dashboard_does_not_show_a_protected_profiles_citizens() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        protected(&state, "ufficio");
        request(&state, "r1", "ufficio", "Mario Rossi");
        request(&state, "r2", SANDBOX_PROFILE, "Cittadino Prova");
        activate(&state, SANDBOX_PROFILE);
        assert_eq!(active_profile(&state), SANDBOX_PROFILE);
        let d = dashboard_of(&state).unwrap();
        assert_eq!(d.counts().waiting, 1);
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("Mario Rossi"), "{json}");
        assert!(json.contains("Cittadino Prova"));
        let page = list_of(&state, ListQuery::default()).unwrap();
        assert_eq!(page.total(), 1);
        // Asking for the protected profile's list explicitly is gated too.
        let explicit = ListQuery {
            profile_id: Some("ufficio".into()),
            ..Default::default()
        };
        assert_eq!(list_of(&state, explicit).unwrap_err().code, "auth.login_required");
    }

    /// Issue #10 item 2: a session for profile A does not open profile B, and switching ends it.
    #[test]
    fn a_session_for_one_profile_does_not_open_another() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        protected(&state, "ufficio-a");
        protected(&state, "ufficio-b");
        request(&state, "rb", "ufficio-b", "Mario Rossi");
        activate(&state, "ufficio-a");
        state.auth.begin("ufficio-a", session());
        assert!(require_profile(&state, "ufficio-a").is_ok());
        assert!(require_profile(&state, "ufficio-b").is_err());
        assert!(require_request(&state, &state.store.request("rb").unwrap().unwrap()).is_err());
        assert!(
            require_all_profiles(&state).is_err(),
            "the archive mixes A's and B's files"
        );
        activate(&state, "ufficio-b");
        assert!(dashboard_of(&state).is_err());
        activate(&state, "ufficio-a");
        assert!(dashboard_of(&state).is_err(), "the switch ended A's session");
    }

    /// Issue #10 item 2: idle timeout and maximum age on the wall clock (a laptop that slept is out).
    #[test]
    fn idle_and_too_old_sessions_are_refused_on_the_wall_clock() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let state = test_state(tmp.path(), clock.clone());
        protected(&state, "ufficio");
        activate(&state, "ufficio");
        state.auth.begin("ufficio", session());
        clock.advance(IDLE_TIMEOUT);
        assert_eq!(dashboard_of(&state).unwrap_err().code, "auth.login_required");

        state.auth.begin("ufficio", session());
        let step = Duration::from_secs(600);
        let mut t = Duration::ZERO;
        while t + step < MAX_SESSION_AGE {
            clock.advance(step);
            t += step;
            assert!(state.auth.touch("ufficio"));
            assert!(dashboard_of(&state).is_ok());
        }
        clock.advance(MAX_SESSION_AGE - t);
        assert_eq!(dashboard_of(&state).unwrap_err().code, "auth.login_required");
        let status = status(&state).unwrap();
        assert!(status.required && !status.logged_in);
    }
}
