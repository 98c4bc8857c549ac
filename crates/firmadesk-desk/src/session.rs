//! The login gate: which profile's data the clerk may see or change now.
//!
//! The gate follows the DATA, not the active profile: every use case that reads or changes a protected
//! profile's data or settings asks [`require_profile`] (or [`require_request`]) for that profile; a session
//! opens only the profile it logged in for, and ends after the idle timeout or the maximum age on the wall
//! clock ([`firmadesk_auth::SessionGate`]).

use crate::{Desk, UiError, SANDBOX_PROFILE};
use firmadesk_auth::{SessionCheck, SessionPolicy};
use firmadesk_store::Profile;
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
pub fn find_profile(desk: &Desk, id: &str) -> Result<Option<Profile>, UiError> {
    Ok(desk
        .store
        .profiles()
        .map_err(crate::store_error)?
        .into_iter()
        .find(|p| p.id == id))
}

fn login_required() -> UiError {
    UiError::new(
        "auth.login_required",
        "Accesso richiesto: accedere con l'account dell'ente per continuare.",
    )
}

/// Refuses when `profile_id` requires a login and there is no valid session for it. An unknown profile
/// has no data to protect (the caller reports "not found" itself).
pub fn require_profile(desk: &Desk, profile_id: &str) -> Result<(), UiError> {
    let protected = find_profile(desk, profile_id)?.is_some_and(|p| is_protected(&p));
    desk.auth.require(profile_id, protected).map_err(|_| login_required())
}

/// Refuses work on the active profile's data while its required login is missing or expired.
pub fn require_login(desk: &Desk) -> Result<(), UiError> {
    require_profile(desk, &active_profile(desk))
}

/// Refuses work on a request whose profile requires a login without a valid session for it.
pub fn require_request(desk: &Desk, request: &firmadesk_store::Request) -> Result<(), UiError> {
    require_profile(desk, &request.profile_id)
}

/// Refuses unless EVERY protected profile is open: for what mixes all profiles' data (the archive
/// folder holds every profile's signed files).
pub fn require_all_profiles(desk: &Desk) -> Result<(), UiError> {
    for p in desk.store.profiles().map_err(crate::store_error)? {
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

/// True when `profile_id`'s data may be shown now (not protected, or a valid session for it).
pub fn profile_open(desk: &Desk, profile_id: &str) -> bool {
    require_profile(desk, profile_id).is_ok()
}

/// Ends the session unless it belongs to `profile_id` (switching profile never carries a session).
pub fn end_unless_for(desk: &Desk, profile_id: &str) {
    if desk.auth.check(profile_id) == SessionCheck::OtherProfile {
        desk.auth.end();
        tracing::info!("clerk session ended (profile change)");
    }
}
