//! Issuer profiles (the use cases are in `firmadesk_desk::profiles`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::profiles::{self, ProfileForm, ProfileView, Verification};
use firmadesk_engine::Engine;
use tauri::State;

pub use firmadesk_desk::profiles::{client_for, register};
pub use firmadesk_desk::session::active_profile;

/// Every profile, the sandbox first.
#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<Vec<ProfileView>, UiError> {
    profiles::views(&state).await
}

/// Creates or updates a profile; a new key (if given) goes to the keyring. Returns every profile.
#[tauri::command]
pub async fn save_profile(
    state: State<'_, AppState>,
    engine: State<'_, Engine>,
    profile: ProfileForm,
    api_key: Option<String>,
) -> Result<Vec<ProfileView>, UiError> {
    let record = profiles::save(&state, profile, api_key).await?;
    profiles::register(&state, &engine, &record).await?;
    profiles::views(&state).await
}

/// Chooses the profile new requests go to (starts the embedded sandbox for Modalità prova).
#[tauri::command]
pub async fn set_active_profile(
    state: State<'_, AppState>,
    engine: State<'_, Engine>,
    id: String,
) -> Result<Vec<ProfileView>, UiError> {
    profiles::set_active(&state, &engine, id).await
}

/// Tries the profile's key against its service.
#[tauri::command]
pub async fn verify_profile(state: State<'_, AppState>, id: String) -> Result<Verification, UiError> {
    profiles::verify(&state, &id).await
}

/// Removes a profile that never sent anything, and its key.
#[tauri::command]
pub async fn delete_profile(
    state: State<'_, AppState>,
    engine: State<'_, Engine>,
    id: String,
) -> Result<Vec<ProfileView>, UiError> {
    profiles::delete(&state, &engine, &id).await
}
