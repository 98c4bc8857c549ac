//! Modalità prova options: simulate an outage of the service, to see sends queue and resume.

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_engine::Engine;
use tauri::State;

/// Turns the simulated outage on or off; returns the new state. Turning it off wakes the queued sends.
#[tauri::command]
pub fn set_sandbox_outage(state: State<'_, AppState>, engine: State<'_, Engine>, on: bool) -> Result<bool, UiError> {
    let sandbox = state.sandbox.running().ok_or_else(|| {
        UiError::new(
            "sandbox.not_running",
            "La modalità prova non è attiva: sceglierla in Impostazioni per simulare un disservizio.",
        )
    })?;
    sandbox.handle.set_unavailable(on);
    tracing::info!(outage = on, "sandbox outage simulation");
    if !on {
        engine.retry_now();
    }
    Ok(sandbox.handle.is_unavailable())
}

/// Whether the simulated outage is on (never, while the sandbox is not running).
#[tauri::command]
pub fn sandbox_outage(state: State<'_, AppState>) -> bool {
    state.sandbox.running().is_some_and(|s| s.handle.is_unavailable())
}
