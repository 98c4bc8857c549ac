//! The login gate: which profile's data the clerk may see or change now.
//!
//! The gate follows the DATA, not the active profile: every use case that reads or changes a protected
//! profile's data or settings asks [`require_profile`] (or [`require_request`]) for that profile; a session
//! opens only the profile it logged in for, and ends after the idle timeout or the maximum age on the wall
//! clock ([`firmadesk_auth::SessionGate`]).

use crate::{Code, Desk, UiError, SANDBOX_PROFILE};
use firmadesk_auth::{Authenticator, BrowserOpener, OidcConfig, SessionCheck, SessionPolicy, SystemClock};
use firmadesk_store::Profile;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// Which profile new requests use.
pub fn active_profile(desk: &Desk) -> String {
    desk.settings
        .lock()
        .expect("settings lock")
        .active_profile
        .clone()
        .unwrap_or_else(|| SANDBOX_PROFILE.to_owned())
}

/// Idle time after which the clerk must log in again.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// A session ends this long after the login, however active the clerk (a working day).
pub const MAX_SESSION_AGE: Duration = Duration::from_secs(10 * 3600);

/// The session policy of the desk.
pub fn policy() -> SessionPolicy {
    SessionPolicy {
        idle_timeout: IDLE_TIMEOUT,
        max_age: MAX_SESSION_AGE,
    }
}

/// True when the profile requires the body's login.
pub fn is_protected(profile: &Profile) -> bool {
    profile.oidc_issuer.is_some() && profile.oidc_client_id.is_some()
}

/// The profile with this id, if any.
pub async fn find_profile(desk: &Desk, id: &str) -> Result<Option<Profile>, UiError> {
    Ok(desk
        .store
        .profiles()
        .await
        .map_err(crate::store_error)?
        .into_iter()
        .find(|p| p.id == id))
}

fn login_required() -> UiError {
    UiError::new(
        Code::AuthLoginRequired,
        "Accesso richiesto: accedere con l'account dell'ente per continuare.",
    )
}

/// Refuses when `profile_id` requires a login and there is no valid session for it. An unknown profile
/// has no data to protect (the caller reports "not found" itself).
pub async fn require_profile(desk: &Desk, profile_id: &str) -> Result<(), UiError> {
    let protected = match find_profile(desk, profile_id).await {
        Ok(profile) => {
            let protected = profile.is_some_and(|p| is_protected(&p));
            desk.last_seen.note_protected(profile_id, protected);
            protected
        }
        // The office's database cannot be reached: as the profile was when last read (unknown: protected).
        Err(e) if e.code == crate::Code::StoreUnreachable => desk.last_seen.protected(profile_id),
        Err(e) => return Err(e),
    };
    desk.auth.require(profile_id, protected).map_err(|_| login_required())
}

/// Refuses work on the active profile's data while its required login is missing or expired.
pub async fn require_login(desk: &Desk) -> Result<(), UiError> {
    require_profile(desk, &active_profile(desk)).await
}

/// Refuses work on a request whose profile requires a login without a valid session for it.
pub async fn require_request(desk: &Desk, request: &firmadesk_store::Request) -> Result<(), UiError> {
    require_profile(desk, &request.profile_id).await
}

/// Refuses unless EVERY protected profile is open: for what mixes all profiles' data (the archive
/// folder holds every profile's signed files).
pub async fn require_all_profiles(desk: &Desk) -> Result<(), UiError> {
    for p in desk.store.profiles().await.map_err(crate::store_error)? {
        if is_protected(&p) {
            desk.auth.require(&p.id, true).map_err(|_| login_required())?;
        }
    }
    Ok(())
}

/// The clerk's name for the timeline ("creato da ..."), or `None` without a valid login for `profile_id`.
pub fn clerk_name(desk: &Desk, profile_id: &str) -> Option<String> {
    desk.auth.clerk(profile_id).map(|c| c.display_name().to_owned())
}

/// Who a clerk's action is recorded as on the timeline: the clerk's name from the body's login; without a
/// login, in team mode (where colleagues read it) the OS user and machine, on a desk's own file "FirmaDesk".
pub fn actor(desk: &Desk, profile_id: &str) -> String {
    clerk_name(desk, profile_id).unwrap_or_else(|| {
        if desk.store.backend() == firmadesk_store::Backend::Postgres {
            firmadesk_engine::this_user_at_machine()
        } else {
            "FirmaDesk".into()
        }
    })
}

/// True when `profile_id`'s data may be shown now (not protected, or a valid session for it).
pub async fn profile_open(desk: &Desk, profile_id: &str) -> bool {
    require_profile(desk, profile_id).await.is_ok()
}

/// Ends the session unless it belongs to `profile_id` (switching profile never carries a session).
pub fn end_unless_for(desk: &Desk, profile_id: &str) {
    if desk.auth.check(profile_id) == SessionCheck::OtherProfile {
        desk.auth.end();
        tracing::info!("clerk session ended (profile change)");
    }
}

// ---- The body's login (OIDC Authorization Code + PKCE through the system browser) ----

fn auth_error(e: firmadesk_auth::AuthError) -> UiError {
    UiError::new(crate::Code::from(e.kind()), e.message()).with_detail(e.detail())
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
async fn oidc_config(state: &Desk) -> Result<Option<OidcConfig>, UiError> {
    let active = active_profile(state);
    Ok(find_profile(state, &active).await?.and_then(oidc_config_of))
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
    /// The active profile requires the body's login.
    pub required: bool,
    /// A valid session for the active profile exists.
    pub logged_in: bool,
    /// Who is logged in (for the active profile).
    pub clerk: Option<ClerkView>,
    /// The identity provider's issuer URL.
    pub provider: Option<String>,
    /// The idle timeout, for the UI's countdown.
    pub idle_timeout_secs: u64,
}

/// Whether the active profile needs the body's login and who is logged in for it.
pub async fn status(state: &Desk) -> Result<AuthStatus, UiError> {
    let config = oidc_config(state).await?;
    let active = active_profile(state);
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

/// The clerk is active (the UI calls this at most every 30 s while the clerk uses it). Within the
/// maximum age, tokens near expiry are renewed silently with the stored refresh token: the provider
/// thereby still vouches for the clerk (a disabled account ends the session at the next renewal).
pub async fn activity(state: &Desk) -> Result<AuthStatus, UiError> {
    let active = active_profile(state);
    state.auth.touch(&active);
    if let Some(config) = oidc_config(state).await? {
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
    status(state).await
}

/// Logs in with the active profile's identity provider through `browser` (the system browser).
pub async fn login(state: &Desk, browser: &dyn BrowserOpener) -> Result<AuthStatus, UiError> {
    let Some(config) = oidc_config(state).await? else {
        return status(state).await;
    };
    let profile_id = config.profile_id.clone();
    let authenticator = Authenticator::discover(config, state.secrets.clone(), Arc::new(SystemClock))
        .await
        .map_err(auth_error)?;
    let session = authenticator.login(browser).await.map_err(auth_error)?;
    // The active profile may have changed while the browser was open: the session is bound to the
    // profile whose provider issued it, whatever is active now.
    tracing::info!(profile = %profile_id, "clerk logged in");
    state.auth.begin(profile_id, session);
    status(state).await
}

/// Logs out: revokes the tokens at the provider and clears them from the keyring.
pub async fn logout(state: &Desk) -> Result<AuthStatus, UiError> {
    if let Some(ended) = state.auth.end() {
        let config = find_profile(state, ended.profile_id()).await?.and_then(oidc_config_of);
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
    status(state).await
}
