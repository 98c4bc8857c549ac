//! Roles in the office (the use cases are in `firmadesk_desk::roles`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::roles::{self, Me};
use firmadesk_store::{ClerkRole, Role};
use tauri::State;

/// Who the clerk is and their role.
#[tauri::command]
pub async fn my_role(state: State<'_, AppState>) -> Result<Me, UiError> {
    roles::me(&state).await
}

/// Every recorded role (administrators only).
#[tauri::command]
pub async fn clerk_roles(state: State<'_, AppState>) -> Result<Vec<ClerkRole>, UiError> {
    roles::list(&state).await
}

/// Sets a clerk's role (administrators only).
#[tauri::command]
pub async fn set_clerk_role(
    state: State<'_, AppState>,
    identity: String,
    role: Role,
) -> Result<Vec<ClerkRole>, UiError> {
    roles::set(&state, &identity, role).await
}
