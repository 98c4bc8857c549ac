//! Modalità ufficio (the use cases are in `firmadesk_desk::team`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::team::{self, ProbeView, TeamForm, TeamView};
use tauri::{AppHandle, Manager, State};

/// The office database setting and whether this run uses it (async: it reads the keyring, which may
/// block, off the window's thread).
#[tauri::command]
pub async fn team_view(state: State<'_, AppState>) -> Result<TeamView, UiError> {
    team::view(&state)
}

/// "Prova connessione": reaches the database, changes nothing.
#[tauri::command]
pub async fn team_test(
    state: State<'_, AppState>,
    form: TeamForm,
    password: Option<String>,
) -> Result<ProbeView, UiError> {
    team::test(&state, form, password).await
}

/// Turns office mode on from the next start (password to the keyring).
#[tauri::command]
pub async fn team_enable(
    state: State<'_, AppState>,
    form: TeamForm,
    password: Option<String>,
) -> Result<ProbeView, UiError> {
    team::enable(&state, form, password).await
}

/// Back to the desk's own file from the next start.
#[tauri::command]
pub fn team_disable(state: State<'_, AppState>) -> Result<(), UiError> {
    team::disable(&state)
}

/// Starts FirmaDesk again (after a change of office mode), the last state seen of the office kept on disk
/// first. The engine's tasks end with the process (sends resume from their saved step, a held lease runs
/// out).
#[tauri::command]
pub fn restart_app(app: AppHandle) {
    app.state::<AppState>().last_seen.keep_on_disk();
    app.restart();
}

/// Moves this desk's own archive into the (empty) team database, once; returns the report.
#[tauri::command]
pub async fn team_move_desk(state: State<'_, AppState>) -> Result<team::MoveReport, UiError> {
    team::move_desk(&state).await
}
