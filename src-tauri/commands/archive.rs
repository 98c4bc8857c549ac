//! The archive of signed PDFs, exports, the QR code and the settings the UI reads (the use cases are
//! in `firmadesk_desk::archive`).

use crate::error::UiError;
use crate::state::AppState;
use firmadesk_desk::archive::{self, Exported, SettingsView};
use firmadesk_store::LocalId;
use std::path::Path;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

/// The desktop, through Tauri's opener plugin.
pub struct TauriHost(pub tauri::AppHandle);

impl firmadesk_desk::Host for TauriHost {
    fn open_path(&self, path: &Path) -> Result<(), String> {
        self.0
            .opener()
            .open_path(path.display().to_string(), None::<&str>)
            .map_err(|e| e.to_string())
    }

    fn reveal(&self, path: &Path) -> Result<(), String> {
        self.0.opener().reveal_item_in_dir(path).map_err(|e| e.to_string())
    }
}

/// Archive folder, active profile, notifications.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    archive::get_settings(&state)
}

/// Lets the clerk pick another archive folder (system dialog); `None` when cancelled.
#[tauri::command]
pub async fn choose_archive_dir(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    engine: State<'_, firmadesk_engine::Engine>,
) -> Result<Option<SettingsView>, UiError> {
    // Asked before the dialog opens: the folder receives every profile's signed files.
    firmadesk_desk::session::require_all_profiles(&state).await?;
    let title = "Cartella dell'archivio dei documenti firmati";
    let Some(dir) = pick_folder(&app, &archive::archive_dir(&state), title)? else {
        return Ok(None);
    };
    archive::set_archive_dir(&state, &engine, dir).await.map(Some)
}

/// The system's folder dialog titled `title`, opened on `start`; `None` when the clerk cancels.
pub(crate) fn pick_folder(
    app: &tauri::AppHandle,
    start: &Path,
    title: &str,
) -> Result<Option<std::path::PathBuf>, UiError> {
    use tauri_plugin_dialog::DialogExt;
    let dialog = app.dialog().file().set_title(title);
    let Some(picked) = dialog.set_directory(start).blocking_pick_folder() else {
        return Ok(None);
    };
    let invalid = |e| {
        UiError::new(
            firmadesk_desk::Code::ArchiveInvalid,
            "Cartella non valida: sceglierne un'altra.",
        )
        .with_detail(e)
    };
    picked.into_path().map(Some).map_err(invalid)
}

/// Turns desktop notifications on or off, and (when given) whether they hide citizens' names and which
/// kinds notify when (quiet hours).
#[tauri::command]
pub fn set_notifications(
    state: State<'_, AppState>,
    on: bool,
    hide_names: Option<bool>,
    notices: Option<firmadesk_desk::notices::NoticeChoice>,
) -> Result<SettingsView, UiError> {
    archive::set_notifications(&state, on, hide_names, notices)
}

/// Opens the archive folder in the file manager.
#[tauri::command]
pub async fn open_archive(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<(), UiError> {
    archive::open_archive(&state, &TauriHost(app)).await
}

/// Opens an archived signed PDF (by request and IO document id) with the system's PDF reader.
#[tauri::command]
pub async fn open_signed(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    request_id: LocalId,
    document_id: String,
) -> Result<(), UiError> {
    archive::open_signed(&state, &TauriHost(app), &request_id, &document_id).await
}

/// Shows an archived signed PDF selected in the file manager.
#[tauri::command]
pub async fn reveal_signed(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    request_id: LocalId,
    document_id: String,
) -> Result<(), UiError> {
    archive::reveal_signed(&state, &TauriHost(app), &request_id, &document_id).await
}

/// Shows an export FirmaDesk wrote in the file manager.
#[tauri::command]
pub async fn reveal_export(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> Result<(), UiError> {
    archive::reveal_export(&state, &TauriHost(app), &path).await
}

/// "Stampa foglio per il cittadino": the sheet with the QR code and the link, written into the exports and
/// opened in the PDF reader.
#[tauri::command]
pub async fn print_sheet(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: LocalId,
) -> Result<firmadesk_desk::printables::Printed, UiError> {
    firmadesk_desk::printables::print_sheet(&state, &TauriHost(app), &id).await
}

/// "Ricevuta e registro": the request's receipt and audit page as PDF, opened in the PDF reader.
#[tauri::command]
pub async fn print_receipt(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: LocalId,
) -> Result<firmadesk_desk::printables::Printed, UiError> {
    firmadesk_desk::printables::print_receipt(&state, &TauriHost(app), &id).await
}

/// Exports the given signed requests as CSV into `<archive>/Esportazioni/`.
#[tauri::command]
pub async fn export_signed_csv(state: State<'_, AppState>, ids: Vec<LocalId>) -> Result<Exported, UiError> {
    archive::export_signed_csv(&state, &ids).await
}

/// Exports the signed PDFs of the given requests as one ZIP (with the CSV inside).
#[tauri::command]
pub async fn export_signed_zip(state: State<'_, AppState>, ids: Vec<LocalId>) -> Result<Exported, UiError> {
    archive::export_signed_zip(&state, &ids).await
}

/// Sets a request's protocol data (issue #14).
#[tauri::command]
pub async fn set_protocol(
    state: State<'_, AppState>,
    id: LocalId,
    protocol: firmadesk_desk::handoff::ProtocolInput,
) -> Result<firmadesk_store::Protocol, UiError> {
    firmadesk_desk::handoff::set_protocol(&state, &id, protocol).await
}

/// "Pacchetto per la conservazione": the hand-off package of each given signed request (issue #14).
#[tauri::command]
pub async fn export_packages(state: State<'_, AppState>, ids: Vec<LocalId>) -> Result<Exported, UiError> {
    firmadesk_desk::handoff::export_packages(&state, &ids).await
}

/// "Invia al protocollo": queues the request's package for its profile's protocol mailbox (issue #14).
#[tauri::command]
pub async fn send_to_protocol(
    state: State<'_, AppState>,
    id: LocalId,
) -> Result<firmadesk_desk::mail::Queued, UiError> {
    firmadesk_desk::mail::send_to_protocol(&state, &id).await
}

/// Impostazioni › Casella del protocollo of a profile (async: it reads the keyring).
#[tauri::command]
pub async fn mail_settings(
    state: State<'_, AppState>,
    profile_id: String,
) -> Result<firmadesk_desk::mail::MailView, UiError> {
    firmadesk_desk::mail::view(&state, &profile_id)
}

/// Sets a profile's protocol mailbox (the password to the keyring).
#[tauri::command]
pub async fn save_mail_settings(
    state: State<'_, AppState>,
    profile_id: String,
    form: firmadesk_desk::mail::MailForm,
    password: Option<String>,
) -> Result<firmadesk_desk::mail::MailView, UiError> {
    firmadesk_desk::mail::save(&state, &profile_id, form, password).await
}

/// Removes a profile's protocol mailbox and its password.
#[tauri::command]
pub async fn remove_mail_settings(state: State<'_, AppState>, profile_id: String) -> Result<(), UiError> {
    firmadesk_desk::mail::remove(&state, &profile_id).await
}

/// The QR code a citizen scans at the counter, as a PNG data URL.
#[tauri::command]
pub async fn qr_code(state: State<'_, AppState>, id: LocalId) -> Result<String, UiError> {
    archive::qr_code(&state, &id).await
}
