//! The body's login (OIDC Authorization Code + PKCE through the system browser and a loopback
//! redirect) for profiles that configure an identity provider; the use cases and the gate are in
//! `firmadesk_desk::session`.

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_auth::BrowserOpener;
use firmadesk_desk::session::{self, AuthStatus};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

pub use firmadesk_desk::session::{
    clerk_name, end_unless_for, is_protected, policy as session_policy, profile_open, require_all_profiles,
    require_login, require_profile, require_request,
};

/// Login state; also ends a session that has been idle too long or is too old.
#[tauri::command]
pub async fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    session::status(&state).await
}

/// The clerk is active; tokens near expiry are renewed silently within the maximum age.
#[tauri::command]
pub async fn auth_activity(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    session::activity(&state).await
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
    session::login(&state, &SystemBrowser(app)).await
}

/// Logs out: revokes the tokens at the provider and clears them from the keyring.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<AuthStatus, UiError> {
    session::logout(&state).await
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::commands::profiles::active_profile;
    use crate::commands::requests::{dashboard_of, list_of};
    use crate::state::{test_state, SANDBOX_PROFILE};
    use firmadesk_store::ListQuery;
    use std::time::Duration;

    use firmadesk_desk::session::{status, IDLE_TIMEOUT, MAX_SESSION_AGE};
    pub(crate) use firmadesk_desk::testing::{clock, protected, request, session};

    fn activate(state: &AppState, id: &str) {
        state.settings.lock().unwrap().active_profile = Some(id.into());
        end_unless_for(state, id);
    }

    /// Issue #10 item 2: the dashboard and the lists are gated on the profile whose data they show.
    #[tokio::test]
    async fn protected_profile_data_needs_its_own_login() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let state = test_state(tmp.path(), clock.clone());
        protected(&state, "ufficio").await;
        request(&state, "r1", "ufficio", "Mario Rossi").await;
        activate(&state, "ufficio");
        assert_eq!(dashboard_of(&state).await.unwrap_err().code, "auth.login_required");
        assert_eq!(
            list_of(&state, ListQuery::default()).await.unwrap_err().code,
            "auth.login_required"
        );
        assert_eq!(
            require_request(&state, &state.store.request(&"r1".into()).await.unwrap().unwrap())
                .await
                .unwrap_err()
                .code,
            "auth.login_required"
        );
        state.auth.begin("ufficio", session());
        let d = dashboard_of(&state).await.unwrap();
        assert_eq!(d.counts().waiting, 1);
        assert_eq!(list_of(&state, ListQuery::default()).await.unwrap().total(), 1);
    }

    /// Issue #10 item 2: Modalità prova shows only its own requests, never a locked profile's citizens.
    #[tokio::test]
    async fn sandbox_dashboard_does_not_show_a_protected_profiles_citizens() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        protected(&state, "ufficio").await;
        request(&state, "r1", "ufficio", "Mario Rossi").await;
        request(&state, "r2", SANDBOX_PROFILE, "Cittadino Prova").await;
        activate(&state, SANDBOX_PROFILE);
        assert_eq!(active_profile(&state), SANDBOX_PROFILE);
        let d = dashboard_of(&state).await.unwrap();
        assert_eq!(d.counts().waiting, 1);
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("Mario Rossi"), "{json}");
        assert!(json.contains("Cittadino Prova"));
        let page = list_of(&state, ListQuery::default()).await.unwrap();
        assert_eq!(page.total(), 1);
        // Asking for the protected profile's list explicitly is gated too.
        let explicit = ListQuery {
            profile_id: Some("ufficio".into()),
            ..Default::default()
        };
        assert_eq!(list_of(&state, explicit).await.unwrap_err().code, "auth.login_required");
    }

    /// Issue #10 item 2: a session for profile A does not open profile B, and switching ends it.
    #[tokio::test]
    async fn a_session_for_one_profile_does_not_open_another() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        protected(&state, "ufficio-a").await;
        protected(&state, "ufficio-b").await;
        request(&state, "rb", "ufficio-b", "Mario Rossi").await;
        activate(&state, "ufficio-a");
        state.auth.begin("ufficio-a", session());
        assert!(require_profile(&state, "ufficio-a").await.is_ok());
        assert!(require_profile(&state, "ufficio-b").await.is_err());
        assert!(
            require_request(&state, &state.store.request(&"rb".into()).await.unwrap().unwrap())
                .await
                .is_err()
        );
        assert!(
            require_all_profiles(&state).await.is_err(),
            "the archive mixes A's and B's files"
        );
        activate(&state, "ufficio-b");
        assert!(dashboard_of(&state).await.is_err());
        activate(&state, "ufficio-a");
        assert!(dashboard_of(&state).await.is_err(), "the switch ended A's session");
    }

    /// Issue #10 item 2: idle timeout and maximum age on the wall clock (a laptop that slept is out).
    #[tokio::test]
    async fn idle_and_too_old_sessions_are_refused_on_the_wall_clock() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = clock();
        let state = test_state(tmp.path(), clock.clone());
        protected(&state, "ufficio").await;
        activate(&state, "ufficio");
        state.auth.begin("ufficio", session());
        clock.advance(IDLE_TIMEOUT);
        assert_eq!(dashboard_of(&state).await.unwrap_err().code, "auth.login_required");

        state.auth.begin("ufficio", session());
        let step = Duration::from_secs(600);
        let mut t = Duration::ZERO;
        while t + step < MAX_SESSION_AGE {
            clock.advance(step);
            t += step;
            assert!(state.auth.touch("ufficio"));
            assert!(dashboard_of(&state).await.is_ok());
        }
        clock.advance(MAX_SESSION_AGE - t);
        assert_eq!(dashboard_of(&state).await.unwrap_err().code, "auth.login_required");
        let status = status(&state).await.unwrap();
        assert!(status.required && !status.logged_in);
    }
}
