//! Modalità prova options: simulate an outage of the service, to see sends queue and resume.

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_engine::Engine;
use tauri::State;

/// Turns the simulated outage on or off; returns the new state. Turning it off wakes the queued sends.
#[tauri::command]
pub fn set_sandbox_outage(state: State<'_, AppState>, engine: State<'_, Engine>, on: bool) -> Result<bool, UiError> {
    firmadesk_desk::sandbox::set_outage(&state, &engine, on)
}

/// Whether the simulated outage is on (never, while the sandbox is not running).
#[tauri::command]
pub fn sandbox_outage(state: State<'_, AppState>) -> bool {
    firmadesk_desk::sandbox::outage(&state)
}
