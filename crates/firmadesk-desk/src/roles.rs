//! Roles in the office: "amministratore" (profiles, keys, templates, roles) and "operatore" (send, follow,
//! export). On a desk's own file the clerk administers their own desk. In team mode the role is the one
//! recorded in the team database for the clerk — the login's email (or subject) when they logged in to
//! the active profile, otherwise the OS user and machine — and the first clerk on a new team database is
//! its administrator. When the body's login names a FirmaDesk role (a `firmadesk_role` claim, or the
//! groups `firmadesk-amministratore` / `firmadesk-operatore` in its signed ID token), that role decides and
//! is recorded for the office to see; an administrator sets the others. Every use case that changes what only an administrator may change asks
//! [`require_admin`] before it touches the data, whatever the window shows.

use crate::{store_error, Code, Desk, UiError};
use firmadesk_store::{Backend, ClerkRole, Role};
use serde::Serialize;

/// Who recorded a role that came from the body's login.
pub const LOGIN: &str = "accesso dell'ente";

/// Who the clerk at this desk is, for roles and the timeline.
pub fn identity(desk: &Desk) -> String {
    let active = crate::session::active_profile(desk);
    match desk.auth.clerk(&active) {
        Some(clerk) => clerk.email.clone().unwrap_or_else(|| clerk.subject.clone()),
        None => firmadesk_engine::this_user_at_machine(),
    }
}

/// The clerk's role now.
pub async fn role(desk: &Desk) -> Result<Role, UiError> {
    if desk.store.backend() == Backend::Sqlite {
        return Ok(Role::Amministratore);
    }
    // A login of the clerk's own in one of the office's database groups: the database decides (and
    // enforces it on every write).
    if let Some(role) = desk.store.database_role().await.map_err(store_error)? {
        return Ok(role);
    }
    let who = identity(desk);
    let recorded = desk.store.clerk_role(&who).await.map_err(store_error)?;
    // The body's login names the role (a FirmaDesk group or claim in its signed ID token): it decides,
    // and the office's list shows it.
    let active = crate::session::active_profile(desk);
    if let Some(role) = desk
        .auth
        .clerk(&active)
        .and_then(|clerk| clerk.office_role.as_deref().and_then(Role::parse))
    {
        if recorded != Some(role) {
            if let Err(e) = desk.store.set_clerk_role(&who, role, LOGIN, desk.now_ms()).await {
                // E.g. the office's last administrator demoted by the login: the login still decides.
                tracing::warn!(code = ?e.kind, "role from the login not recorded");
            }
        }
        return Ok(role);
    }
    if let Some(role) = recorded {
        return Ok(role);
    }
    // A new office: the first clerk to arrive administers it; later ones are operators until an
    // administrator says otherwise.
    if desk
        .store
        .claim_first_admin(&who, desk.now_ms())
        .await
        .map_err(store_error)?
    {
        tracing::info!("first clerk on this team database: administrator");
        return Ok(Role::Amministratore);
    }
    // Recorded as an operator, so the administrators find the clerk in their list of roles.
    desk.store
        .set_clerk_role(&who, Role::Operatore, "FirmaDesk", desk.now_ms())
        .await
        .map_err(store_error)?;
    Ok(Role::Operatore)
}

/// Refuses an operator.
pub async fn require_admin(desk: &Desk) -> Result<(), UiError> {
    match role(desk).await? {
        Role::Amministratore => Ok(()),
        Role::Operatore => Err(UiError::new(
            Code::RoleAdminOnly,
            "Solo un amministratore dell'ufficio può modificare profili, chiavi, modelli e ruoli.",
        )),
    }
}

/// The clerk and their role, for the window.
#[derive(Debug, Serialize)]
pub struct Me {
    identity: String,
    role: Role,
}

/// Who the clerk is and their role.
pub async fn me(desk: &Desk) -> Result<Me, UiError> {
    Ok(Me {
        role: role(desk).await?,
        identity: identity(desk),
    })
}

/// Every recorded role (administrators only).
pub async fn list(desk: &Desk) -> Result<Vec<ClerkRole>, UiError> {
    require_admin(desk).await?;
    desk.store.clerk_roles().await.map_err(store_error)
}

/// Sets a clerk's role (administrators only; the office keeps at least one administrator).
pub async fn set(desk: &Desk, identity: &str, role: Role) -> Result<Vec<ClerkRole>, UiError> {
    require_admin(desk).await?;
    let identity = identity.trim();
    if identity.is_empty() {
        return Err(UiError::new(
            Code::RoleMissingIdentity,
            "Indicare l'operatore: l'email con cui accede o utente@computer.",
        ));
    }
    desk.store
        .set_clerk_role(identity, role, &self::identity(desk), desk.now_ms())
        .await
        .map_err(store_error)?;
    desk.store.clerk_roles().await.map_err(store_error)
}
