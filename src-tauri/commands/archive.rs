//! The archive of signed PDFs (open, reveal, export as CSV or ZIP), the QR code for the counter and
//! the settings the UI reads. Paths coming from the UI are accepted only inside the archive folder.

use crate::commands::auth::require_login;
use crate::commands::profiles::client_for;
use crate::commands::{save_settings, store_error};
use crate::error::UiError;
use crate::state::AppState;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

fn archive_dir(state: &AppState) -> PathBuf {
    state
        .settings
        .lock()
        .expect("settings lock")
        .archive_dir(&state.data_dir)
}

/// The path if it is an existing file or folder inside the archive; otherwise an error (the UI never
/// makes FirmaDesk open arbitrary files).
fn inside_archive(state: &AppState, path: &str) -> Result<PathBuf, UiError> {
    let refused = || {
        UiError::new(
            "archive.outside",
            "Percorso non valido: il file non è nell'archivio dei firmati.",
        )
    };
    let root = archive_dir(state).canonicalize().map_err(|_| refused())?;
    let path = Path::new(path).canonicalize().map_err(|_| {
        UiError::new(
            "archive.missing",
            "Il file non esiste più nell'archivio: è stato spostato o eliminato.",
        )
    })?;
    if path.starts_with(&root) {
        Ok(path)
    } else {
        Err(refused())
    }
}

/// Settings the UI shows.
#[derive(Debug, Serialize)]
pub struct SettingsView {
    archive_dir: String,
    active_profile: String,
    notifications: bool,
}

fn settings_view(state: &AppState) -> SettingsView {
    SettingsView {
        archive_dir: archive_dir(state).display().to_string(),
        active_profile: crate::commands::profiles::active_profile(state),
        notifications: state.notifications.load(std::sync::atomic::Ordering::Relaxed),
    }
}

/// Archive folder, active profile, notifications.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    settings_view(&state)
}

/// Lets the clerk pick another archive folder (system dialog); `None` when cancelled. Documents
/// signed from now on are archived there; those already archived stay where they are.
#[tauri::command]
pub async fn choose_archive_dir(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    engine: State<'_, firmadesk_engine::Engine>,
) -> Result<Option<SettingsView>, UiError> {
    use tauri_plugin_dialog::DialogExt;
    let current = archive_dir(&state);
    let picked = app
        .dialog()
        .file()
        .set_title("Cartella dell'archivio dei documenti firmati")
        .set_directory(&current)
        .blocking_pick_folder();
    let Some(picked) = picked else {
        return Ok(None);
    };
    let dir = picked
        .into_path()
        .map_err(|e| UiError::new("archive.invalid", "Cartella non valida: sceglierne un'altra.").with_detail(e))?;
    // Writable? Better to know now than when the first signed document arrives.
    let probe = dir.join(".firmadesk-write-test");
    std::fs::write(&probe, b"ok").map_err(|e| {
        UiError::new(
            "archive.not_writable",
            "FirmaDesk non può scrivere nella cartella scelta: sceglierne un'altra o verificarne i permessi.",
        )
        .with_detail(e)
    })?;
    let _ = std::fs::remove_file(&probe);
    save_settings(&state, |s| s.archive_dir = Some(dir.clone()))?;
    engine.set_archive_dir(&dir);
    tracing::info!(archive = %dir.display(), "archive folder changed");
    Ok(Some(settings_view(&state)))
}

/// Turns desktop notifications on or off.
#[tauri::command]
pub fn set_notifications(state: State<'_, AppState>, on: bool) -> Result<SettingsView, UiError> {
    save_settings(&state, |s| s.notifications_off = !on)?;
    state.notifications.store(on, std::sync::atomic::Ordering::Relaxed);
    Ok(settings_view(&state))
}

/// Opens the archive folder in the file manager (creating it if no file was archived yet).
#[tauri::command]
pub fn open_archive(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<(), UiError> {
    let dir = archive_dir(&state);
    std::fs::create_dir_all(&dir).map_err(|e| {
        UiError::new(
            "archive.unavailable",
            "La cartella dell'archivio non è accessibile: verificare i permessi.",
        )
        .with_detail(e)
    })?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(open_failed)
}

fn open_failed(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        "archive.open_failed",
        "Impossibile aprire il file: verificare che sia installato un lettore PDF.",
    )
    .with_detail(e)
}

/// Opens an archived signed PDF with the system's PDF reader.
#[tauri::command]
pub fn open_signed(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> Result<(), UiError> {
    require_login(&state)?;
    let path = inside_archive(&state, &path)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(open_failed)
}

/// Shows an archived file (or an export) selected in the file manager.
#[tauri::command]
pub fn reveal_signed(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> Result<(), UiError> {
    let path = inside_archive(&state, &path)?;
    app.opener().reveal_item_in_dir(path).map_err(open_failed)
}

/// Where an export was written.
#[derive(Debug, Serialize)]
pub struct Exported {
    path: String,
    count: usize,
}

fn export_path(state: &AppState, extension: &str) -> Result<PathBuf, UiError> {
    let dir = archive_dir(state).join("Esportazioni");
    std::fs::create_dir_all(&dir).map_err(|e| {
        UiError::new(
            "archive.unavailable",
            "Impossibile creare la cartella delle esportazioni: verificare lo spazio su disco e i permessi.",
        )
        .with_detail(e)
    })?;
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    Ok(dir.join(format!("firmati-{stamp}.{extension}")))
}

fn signed_rows(state: &AppState, ids: &[String]) -> Result<Vec<firmadesk_store::Request>, UiError> {
    let mut rows = Vec::new();
    for id in ids {
        if let Some(r) = state.store.request(id).map_err(store_error)? {
            if r.status == firmadesk_store::Status::Signed {
                rows.push(r);
            }
        }
    }
    if rows.is_empty() {
        return Err(UiError::new(
            "export.empty",
            "Nessuna richiesta firmata selezionata: selezionarne almeno una.",
        ));
    }
    Ok(rows)
}

/// One CSV field, quoted when needed (RFC 4180), with formula-looking text neutralised so a
/// spreadsheet never runs it.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn format_ms(ms: Option<i64>) -> String {
    ms.and_then(|ms| time::OffsetDateTime::from_unix_timestamp(ms / 1000).ok())
        .map(|t| {
            format!(
                "{:02}/{:02}/{:04} {:02}:{:02}",
                t.day(),
                u8::from(t.month()),
                t.year(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// Writes the CSV of signed requests (semicolon-separated with a BOM, as Italian spreadsheets expect).
fn write_csv(
    out: &mut impl Write,
    rows: &[(firmadesk_store::Request, Vec<firmadesk_store::ArchivedFile>)],
) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    writeln!(
        out,
        "Titolo;Tipo di documento;Firmatario;Codice fiscale;Firmata il (UTC);ID Firma con IO;File;SHA-256"
    )?;
    for (r, files) in rows {
        let line = [
            csv_field(&r.title),
            csv_field(&r.document_type),
            csv_field(&r.signer_name),
            csv_field(&r.fiscal_code),
            format_ms(r.signed_at),
            csv_field(r.io_request_id.as_deref().unwrap_or("")),
            csv_field(&files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().join(" | ")),
            csv_field(&files.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>().join(" | ")),
        ]
        .join(";");
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn with_files(
    state: &AppState,
    rows: Vec<firmadesk_store::Request>,
) -> Result<Vec<(firmadesk_store::Request, Vec<firmadesk_store::ArchivedFile>)>, UiError> {
    rows.into_iter()
        .map(|r| {
            let files = state.store.archived_files(&r.id).map_err(store_error)?;
            Ok((r, files))
        })
        .collect()
}

fn write_failed(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        "export.write_failed",
        "Esportazione non riuscita: verificare lo spazio su disco e i permessi della cartella dell'archivio.",
    )
    .with_detail(e)
}

/// Exports the list of the given signed requests as CSV into `<archive>/Esportazioni/`.
#[tauri::command]
pub fn export_signed_csv(state: State<'_, AppState>, ids: Vec<String>) -> Result<Exported, UiError> {
    require_login(&state)?;
    let rows = with_files(&state, signed_rows(&state, &ids)?)?;
    let path = export_path(&state, "csv")?;
    let mut file = std::fs::File::create(&path).map_err(write_failed)?;
    write_csv(&mut file, &rows).map_err(write_failed)?;
    file.sync_all().map_err(write_failed)?;
    Ok(Exported {
        path: path.display().to_string(),
        count: rows.len(),
    })
}

/// Exports the signed PDFs of the given requests as one ZIP (with the CSV inside) into
/// `<archive>/Esportazioni/`.
#[tauri::command]
pub async fn export_signed_zip(state: State<'_, AppState>, ids: Vec<String>) -> Result<Exported, UiError> {
    require_login(&state)?;
    let rows = with_files(&state, signed_rows(&state, &ids)?)?;
    let path = export_path(&state, "zip")?;
    let target = path.clone();
    let count = rows.len();
    tokio::task::spawn_blocking(move || -> Result<(), UiError> {
        let file = std::fs::File::create(&target).map_err(write_failed)?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut csv = Vec::new();
        write_csv(&mut csv, &rows).map_err(write_failed)?;
        zip.start_file("elenco.csv", options).map_err(write_failed)?;
        zip.write_all(&csv).map_err(write_failed)?;
        let mut names = std::collections::HashSet::new();
        for (_, files) in &rows {
            for f in files {
                let bytes = std::fs::read(&f.path).map_err(|e| {
                    UiError::new(
                        "archive.missing",
                        format!("File firmato non trovato nell'archivio: {}", f.path),
                    )
                    .with_detail(e)
                })?;
                let name = Path::new(&f.path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| format!("{}.pdf", f.io_document_id));
                let name = if names.insert(name.clone()) {
                    name
                } else {
                    format!("{}-{name}", f.io_document_id)
                };
                zip.start_file(name, options).map_err(write_failed)?;
                zip.write_all(&bytes).map_err(write_failed)?;
            }
        }
        zip.finish().map_err(write_failed)?.sync_all().map_err(write_failed)?;
        Ok(())
    })
    .await
    .map_err(write_failed)??;
    Ok(Exported {
        path: path.display().to_string(),
        count,
    })
}

/// The QR code a citizen scans at the counter to sign in the IO app, as a PNG data URL (read from
/// the service's `qr_code_url`: the image is IO's, not redrawn here).
#[tauri::command]
pub async fn qr_code(state: State<'_, AppState>, id: String) -> Result<String, UiError> {
    require_login(&state)?;
    use base64::Engine as _;
    let request = match state.store.request(&id).map_err(store_error)? {
        Some(r) => r,
        None => return Err(UiError::new("request.not_found", "Richiesta non trovata.")),
    };
    let io_id = request.io_request_id.clone().ok_or_else(|| {
        UiError::new(
            "request.not_sent",
            "La richiesta non è ancora arrivata a Firma con IO: attendere la fine dell'invio.",
        )
    })?;
    let client = client_for(&state, &request.profile_id)?;
    let detail = client.signature_requests().get(&io_id).await.map_err(|e| {
        UiError::new(
            "qr.unavailable",
            "Codice QR non disponibile: il servizio Firma con IO non risponde. Riprovare tra poco.",
        )
        .with_detail(e.to_string())
    })?;
    let url = detail.qr_code_url.ok_or_else(|| {
        UiError::new(
            "qr.not_ready",
            "Il codice QR sarà disponibile quando la richiesta è in attesa di firma.",
        )
    })?;
    let unavailable = |e: reqwest::Error| {
        UiError::new(
            "qr.unavailable",
            "Codice QR non disponibile: il servizio Firma con IO non risponde. Riprovare tra poco.",
        )
        .with_detail(e.without_url())
    };
    let response = reqwest::get(&url)
        .await
        .and_then(|r| r.error_for_status())
        .map_err(unavailable)?;
    let png = response.bytes().await.map_err(unavailable)?;
    if !png.starts_with(b"\x89PNG") {
        return Err(UiError::new(
            "qr.unavailable",
            "Il servizio ha restituito un codice QR non valido: riprovare.",
        ));
    }
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("Mario Rossi"), "Mario Rossi");
        assert_eq!(csv_field("Rossi; Bianchi"), "\"Rossi; Bianchi\"");
        assert_eq!(csv_field("il \"nuovo\" accordo"), "\"il \"\"nuovo\"\" accordo\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-2"), "'-2");
    }
}
