//! "Invio da elenco": a list read, checked row by row and its report kept (the use cases are in
//! `firmadesk_desk::bulk`). Nothing here sends.

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::bulk::check::DryRun;
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
