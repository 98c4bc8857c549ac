//! "Invio da elenco": a list read, checked row by row and its report kept, then sent (saved first, its rows
//! sent by the desk's runner), followed, paused, resumed or stopped (the use cases are in
//! `firmadesk_desk::bulk`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::bulk::check::DryRun;
use firmadesk_desk::bulk::send::{self, BatchDetail, BatchView, Control, SendInput};
use firmadesk_desk::bulk::window::{self, CheckInput, ReadList, Report};
use tauri::State;

/// Reads the list the clerk picked (raw bytes in the body, the name in `x-file-name`).
#[tauri::command]
pub async fn bulk_read(state: State<'_, AppState>, request: tauri::ipc::Request<'_>) -> Result<ReadList, UiError> {
    let (bytes, name) = super::raw_file(&request, firmadesk_desk::Code::BulkUnreadable)?;
    window::read(&state, name, bytes).await
}

/// The dry run of the list as corrected: nothing is sent.
#[tauri::command]
pub async fn bulk_check(state: State<'_, AppState>, input: CheckInput) -> Result<DryRun, UiError> {
    window::check(&state, input).await
}

/// Checks the list again and keeps the report as CSV in the archive's exports folder.
#[tauri::command]
pub async fn bulk_report(state: State<'_, AppState>, input: CheckInput) -> Result<Report, UiError> {
    window::report(&state, input).await
}

/// The folder of the rows' PDFs (system dialog); `None` when cancelled.
#[tauri::command]
pub async fn bulk_pick_folder(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<Option<String>, UiError> {
    firmadesk_desk::session::require_login(&state).await?;
    let start = firmadesk_desk::archive::archive_dir(&state);
    let picked = super::archive::pick_folder(&app, &start, "Cartella dei PDF dell'elenco")?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// "Invia": the list checked again and saved with the rows to send; the runner sends them.
#[tauri::command]
pub async fn bulk_send(state: State<'_, AppState>, input: SendInput) -> Result<BatchView, UiError> {
    send::start(&state, input).await
}

/// The active profile's lists sent, newest first, with their progress.
#[tauri::command]
pub async fn bulk_batches(state: State<'_, AppState>) -> Result<Vec<BatchView>, UiError> {
    send::list(&state).await
}

/// A list sent, with every row's outcome.
#[tauri::command]
pub async fn bulk_batch(state: State<'_, AppState>, id: String) -> Result<BatchDetail, UiError> {
    send::detail(&state, id).await
}

/// Pause, resume or stop a list this desk sends.
#[tauri::command]
pub async fn bulk_control(state: State<'_, AppState>, id: String, action: Control) -> Result<BatchView, UiError> {
    send::control(&state, id, action).await
}

/// Keeps a list's final report (each row's outcome and IO id) as CSV in the exports folder.
#[tauri::command]
pub async fn bulk_batch_report(state: State<'_, AppState>, id: String) -> Result<Report, UiError> {
    send::report(&state, id).await
}
