//! Modalità prova options: simulate an outage of the service, to see sends queue and resume.

use crate::error::UiError;
use crate::service::Service;
use crate::state::AppState;
use firmadesk_engine::Engine;
use tauri::State;

/// Turns the simulated outage on or off; returns the new state. Turning it off wakes the queued sends.
#[tauri::command]
pub fn set_sandbox_outage(state: State<'_, AppState>, engine: State<'_, Engine>, on: bool) -> Result<bool, UiError> {
    match &state.service {
        Service::Sandbox { handle, .. } => {
            handle.set_unavailable(on);
            tracing::info!(outage = on, "sandbox outage simulation");
            if !on {
                engine.retry_now();
            }
            Ok(handle.is_unavailable())
        }
    }
}

/// Whether the simulated outage is on.
#[tauri::command]
pub fn sandbox_outage(state: State<'_, AppState>) -> bool {
    match &state.service {
        Service::Sandbox { handle, .. } => handle.is_unavailable(),
    }
}
