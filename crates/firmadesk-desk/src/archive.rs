//! The archive of signed PDFs (open, reveal, export as CSV or ZIP), the QR code for the counter and
//! the settings the UI reads. Paths coming from the UI are accepted only inside the archive folder.

use crate::profiles::client_for;
use crate::session::{require_all_profiles, require_login, require_request};
use crate::{save_settings, store_error, Code, Desk, Host, UiError};
use firmadesk_store::LocalId;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder where signed documents go now (the clerk's choice, or `<data dir>/Archivio`).
pub fn archive_dir(state: &Desk) -> PathBuf {
    state
        .settings
        .lock()
        .expect("settings lock")
        .archive_dir(&state.data_dir)
}

/// The path of an export if it is one FirmaDesk wrote in `<archive>/Esportazioni/`; otherwise an error
/// (the UI never makes FirmaDesk show arbitrary files).
fn export_in_archive(state: &Desk, path: &str) -> Result<PathBuf, UiError> {
    let refused = || {
        UiError::new(
            Code::ArchiveOutside,
            "Percorso non valido: il file non è tra le esportazioni dell'archivio.",
        )
    };
    let root = archive_dir(state)
        .join("Esportazioni")
        .canonicalize()
        .map_err(|_| refused())?;
    let path = Path::new(path).canonicalize().map_err(|_| {
        UiError::new(
            Code::ArchiveMissing,
            "Il file non esiste più nell'archivio: è stato spostato o eliminato.",
        )
    })?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let ours = (name.starts_with("firmati-") && (name.ends_with(".csv") || name.ends_with(".zip")))
        || ((name.starts_with("foglio-firma-") || name.starts_with("ricevuta-")) && name.ends_with(".pdf"))
        || (name.starts_with("pacchetto-") && name.ends_with(".zip"))
        || (name.starts_with("pacchetti-") && path.is_dir());
    if path.parent() == Some(root.as_path()) && ours {
        Ok(path)
    } else {
        Err(refused())
    }
}

/// An archived signed PDF, named by request and IO document id: only a file the store lists as
/// archived for that request, and only a PDF (extension and `%PDF-` header). The store keeps each
/// file's absolute path, so files archived before a "Cambia cartella" stay where they were and stay
/// openable (the archive folder setting only decides where NEW files go).
pub async fn archived_pdf(state: &Desk, request_id: &LocalId, document_id: &str) -> Result<PathBuf, UiError> {
    use std::io::Read;
    let request = state
        .store
        .request(request_id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| UiError::new(Code::RequestNotFound, "Richiesta non trovata."))?;
    require_request(state, &request).await?;
    let listed = state
        .store
        .archived_files(&request.id)
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|f| f.io_document_id == document_id)
        .ok_or_else(|| {
            UiError::new(
                Code::ArchiveNotArchived,
                "Il documento firmato non è nell'archivio: attendere il salvataggio o aggiornare la richiesta.",
            )
        })?;
    let missing = |e: std::io::Error| {
        UiError::new(
            Code::ArchiveMissing,
            "Il file non esiste più nell'archivio: è stato spostato o eliminato.",
        )
        .with_detail(e)
    };
    let mut path = PathBuf::from(&listed.path);
    // Team mode: the worker archived it on its own machine; this desk takes the bytes from the team
    // database (checked against their sha256 there) into its own archive folder, in the same layout.
    if !path.exists() && state.store.backend() == firmadesk_store::Backend::Postgres {
        if let Some(local) = fetch_from_office(state, &listed).await? {
            path = local;
        }
    }
    let not_pdf = || {
        UiError::new(
            Code::ArchiveNotPdf,
            "Il file nell'archivio non è un PDF: non viene aperto. Verificare la cartella dell'archivio.",
        )
    };
    if !path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        return Err(not_pdf());
    }
    let path = path.canonicalize().map_err(missing)?;
    let mut head = [0u8; 5];
    std::fs::File::open(&path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(|_| not_pdf())?;
    // The canonical target too: a listed name may have been replaced by a link to something else.
    let ext_ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if &head != b"%PDF-" || !ext_ok {
        return Err(not_pdf());
    }
    // The file is the one that was archived: the same bytes as when it was signed.
    let check = path.clone();
    let sha = tokio::task::spawn_blocking(move || firmadesk_engine::archive::sha256_file(&check))
        .await
        .map_err(|e| UiError::new(Code::ArchiveMissing, "Il file dell'archivio non è leggibile.").with_detail(e))?
        .map_err(missing)?;
    if !sha.eq_ignore_ascii_case(&listed.sha256) {
        return Err(UiError::new(
            Code::ArchiveAltered,
            "Il file nell'archivio non è più quello firmato (è stato modificato): non viene aperto. Avvisare l'assistenza.",
        )
        .with_detail(format!("{}: sha256 {sha}, archived {}", path.display(), listed.sha256)));
    }
    Ok(path)
}

/// The last three parts of a worker's archive path (`<year>/<type>/<file>.pdf`), each a plain name.
fn layout_of(worker_path: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = worker_path.rsplit(['/', '\\']).take(3).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains(':'))
    {
        return None;
    }
    Some(PathBuf::from(parts[2]).join(parts[1]).join(parts[0]))
}

/// Writes an archived PDF kept in the team database into this desk's archive folder, once: a copy fetched
/// before is the one opened.
async fn fetch_from_office(state: &Desk, listed: &firmadesk_store::ArchivedFile) -> Result<Option<PathBuf>, UiError> {
    let Some(layout) = layout_of(&listed.path) else {
        return Ok(None);
    };
    let target = archive_dir(state).join(layout);
    // Fetched before: that copy is opened (and checked like any other: a changed one is refused), without
    // reading the bytes from the office again.
    if target.exists() {
        return Ok(Some(target));
    }
    let Some(bytes) = state.store.file(&listed.sha256).await.map_err(store_error)? else {
        return Ok(None);
    };
    use firmadesk_engine::ArchiveWriter;
    let written = tokio::task::spawn_blocking(move || firmadesk_engine::FsArchiveWriter.write_new(&target, &bytes))
        .await
        .map_err(|e| UiError::new(Code::ArchiveMissing, "Il file dell'archivio non è leggibile.").with_detail(e))?
        .map_err(|e| {
            UiError::new(
                Code::ArchiveMissing,
                "Impossibile copiare il documento firmato nella cartella dell'archivio: verificare spazio e permessi.",
            )
            .with_detail(e)
        })?;
    Ok(Some(written))
}

/// Settings the UI shows.
#[derive(Debug, Serialize)]
pub struct SettingsView {
    archive_dir: String,
    active_profile: String,
    notifications: bool,
    /// "Nascondi i nomi nelle notifiche" as chosen; `None` = default (hidden for protected profiles).
    hide_names: Option<bool>,
    /// Kinds of notification turned off, and the quiet hours.
    notices: crate::notices::NoticePrefs,
}

fn settings_view(state: &Desk) -> SettingsView {
    // Taken in its own statement: the helpers below lock the settings too (not re-entrant).
    let (hide_names, notices) = {
        let s = state.settings.lock().expect("settings lock");
        (s.hide_names, s.notices.clone())
    };
    SettingsView {
        archive_dir: archive_dir(state).display().to_string(),
        active_profile: crate::session::active_profile(state),
        notifications: state.notifications.load(std::sync::atomic::Ordering::Relaxed),
        hide_names,
        notices,
    }
}

/// Archive folder, active profile, notifications.
pub fn get_settings(state: &Desk) -> SettingsView {
    settings_view(state)
}

/// Makes `dir` (picked by the clerk) the folder where signed documents go from now on, after checking it
/// is writable; those already archived stay where they are. Every protected profile must be open: the
/// folder receives every profile's signed files.
pub async fn set_archive_dir(
    state: &Desk,
    engine: &firmadesk_engine::Engine,
    dir: PathBuf,
) -> Result<SettingsView, UiError> {
    require_all_profiles(state).await?;
    // Writable? Better to know now than when the first signed document arrives.
    let probe = dir.join(".firmadesk-write-test");
    std::fs::write(&probe, b"ok").map_err(|e| {
        UiError::new(
            Code::ArchiveNotWritable,
            "FirmaDesk non può scrivere nella cartella scelta: sceglierne un'altra o verificarne i permessi.",
        )
        .with_detail(e)
    })?;
    let _ = std::fs::remove_file(&probe);
    save_settings(state, |s| s.archive_dir = Some(dir.clone()))?;
    engine.set_archive_dir(&dir);
    tracing::info!(archive = %dir.display(), "archive folder changed");
    Ok(settings_view(state))
}

/// Turns desktop notifications on or off, and (when given) whether they hide citizens' names and which
/// kinds notify when (quiet hours).
pub fn set_notifications(
    state: &Desk,
    on: bool,
    hide_names: Option<bool>,
    notices: Option<crate::notices::NoticeChoice>,
) -> Result<SettingsView, UiError> {
    let prefs = match notices {
        Some(choice) => {
            let current = state.settings.lock().expect("settings lock").notices.clone();
            Some(choice.apply(&current).map_err(|typed| {
                UiError::new(
                    Code::SettingsInvalidTime,
                    "Orario non valido: indicarlo come ore e minuti, per esempio 19:00.",
                )
                .with_detail(format!("time of day {typed:?}"))
            })?)
        }
        None => None,
    };
    save_settings(state, |s| {
        if let Some(prefs) = prefs {
            s.notices = prefs;
        }
        s.notifications_off = !on;
        // Ticked: always hidden. Unticked: back to the default the settings page describes (hidden for
        // profiles with the body's login, shown for the others), not "always shown".
        if let Some(hide) = hide_names {
            s.hide_names = hide.then_some(true);
        }
    })?;
    state.notifications.store(on, std::sync::atomic::Ordering::Relaxed);
    Ok(settings_view(state))
}

/// Opens the archive folder in the file manager (creating it if no file was archived yet).
pub async fn open_archive(state: &Desk, host: &dyn Host) -> Result<(), UiError> {
    // The folder holds every profile's signed files: every protected profile must be open.
    require_all_profiles(state).await?;
    let dir = archive_dir(state);
    crate::private::create_dir(&dir).map_err(|e| {
        UiError::new(
            Code::ArchiveUnavailable,
            "La cartella dell'archivio non è accessibile: verificare i permessi.",
        )
        .with_detail(e)
    })?;
    host.open_path(&dir).map_err(open_failed)
}

fn open_failed(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::ArchiveOpenFailed,
        "Impossibile aprire il file: verificare che sia installato un lettore PDF.",
    )
    .with_detail(e)
}

/// Opens an archived signed PDF (by request and IO document id) with the system's PDF reader.
pub async fn open_signed(
    state: &Desk,
    host: &dyn Host,
    request_id: &LocalId,
    document_id: &str,
) -> Result<(), UiError> {
    let path = archived_pdf(state, request_id, document_id).await?;
    host.open_path(&path).map_err(open_failed)
}

/// Shows an archived signed PDF (by request and IO document id) selected in the file manager.
pub async fn reveal_signed(
    state: &Desk,
    host: &dyn Host,
    request_id: &LocalId,
    document_id: &str,
) -> Result<(), UiError> {
    let path = archived_pdf(state, request_id, document_id).await?;
    host.reveal(&path).map_err(open_failed)
}

/// Shows an export FirmaDesk wrote (`<archive>/Esportazioni/firmati-*.csv|zip`) in the file manager.
pub async fn reveal_export(state: &Desk, host: &dyn Host, path: &str) -> Result<(), UiError> {
    require_login(state).await?;
    let path = export_in_archive(state, path)?;
    host.reveal(&path).map_err(open_failed)
}

/// Where an export was written.
#[derive(Debug, Serialize)]
pub struct Exported {
    pub(crate) path: String,
    pub(crate) count: usize,
}

impl Exported {
    /// One file written at `path`.
    pub(crate) fn one(path: &Path) -> Self {
        Self {
            path: path.display().to_string(),
            count: 1,
        }
    }

    /// Where it was written.
    pub fn path(&self) -> &str {
        &self.path
    }
}

fn export_path(state: &Desk, extension: &str) -> Result<PathBuf, UiError> {
    export_path_named(state, "firmati", extension)
}

/// A new file `<prefix>-<date-time>.<extension>` in the archive's "Esportazioni" folder (a folder's name
/// when `extension` is empty).
pub(crate) fn export_path_named(state: &Desk, prefix: &str, extension: &str) -> Result<PathBuf, UiError> {
    let dir = archive_dir(state).join("Esportazioni");
    crate::private::create_dir(&dir).map_err(|e| {
        UiError::new(
            Code::ArchiveUnavailable,
            "Impossibile creare la cartella delle esportazioni: verificare lo spazio su disco e i permessi.",
        )
        .with_detail(e)
    })?;
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    Ok(if extension.is_empty() {
        dir.join(format!("{prefix}-{stamp}"))
    } else {
        dir.join(format!("{prefix}-{stamp}.{extension}"))
    })
}

async fn signed_rows(state: &Desk, ids: &[LocalId]) -> Result<Vec<firmadesk_store::Request>, UiError> {
    let mut rows = Vec::new();
    for id in ids {
        if let Some(r) = state.store.request(id).await.map_err(store_error)? {
            // Each request's own profile decides, not the active one.
            require_request(state, &r).await?;
            if r.status == firmadesk_store::Status::Signed {
                rows.push(r);
            }
        }
    }
    if rows.is_empty() {
        return Err(UiError::new(
            Code::ExportEmpty,
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

/// A time as an Italian clerk reads it in an export: Italian local time (Europe/Rome, summer time included),
/// `dd/mm/yyyy hh:mm`; empty when there is none.
fn format_ms(ms: Option<i64>) -> String {
    let rome = jiff::tz::TimeZone::get("Europe/Rome").ok();
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .zip(rome)
        .map(|(t, tz)| t.to_zoned(tz).strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// A signed request with its archived files and its verification at a glance (in Italian, as the headers).
type SignedRow = (
    firmadesk_store::Request,
    Vec<firmadesk_store::ArchivedFile>,
    Option<crate::verify::Summary>,
);

/// Writes the CSV of signed requests (semicolon-separated with a BOM, as Italian spreadsheets expect).
fn write_csv(out: &mut impl Write, rows: &[SignedRow]) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    writeln!(
        out,
        "Titolo;Tipo di documento;Firmatario;Codice fiscale;Firmata il (ora italiana);ID Firma con IO;File;SHA-256;Verifica firma"
    )?;
    for (r, files, verification) in rows {
        let line = [
            csv_field(&r.title),
            csv_field(&r.document_type),
            csv_field(&r.signer_name),
            csv_field(&r.fiscal_code),
            format_ms(r.signed_at),
            csv_field(r.io_request_id.as_deref().unwrap_or("")),
            csv_field(&files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().join(" | ")),
            csv_field(&files.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>().join(" | ")),
            csv_field(verification.as_ref().map_or("", |v| v.text.as_str())),
        ]
        .join(";");
        writeln!(out, "{line}")?;
    }
    Ok(())
}

async fn with_files(state: &Desk, rows: Vec<firmadesk_store::Request>) -> Result<Vec<SignedRow>, UiError> {
    let ids: Vec<LocalId> = rows.iter().map(|r| r.id.clone()).collect();
    let verifications = state.store.verifications(&ids).await.map_err(store_error)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let files = state.store.archived_files(&r.id).await.map_err(store_error)?;
        let verdicts = verifications
            .iter()
            .filter(|v| v.request_id == r.id)
            .map(|v| v.verdict.as_str());
        let summary = crate::verify::summary(crate::settings::Locale::It, verdicts);
        out.push((r, files, summary));
    }
    Ok(out)
}

pub(crate) fn write_failed(e: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::ExportWriteFailed,
        "Esportazione non riuscita: verificare lo spazio su disco e i permessi della cartella dell'archivio.",
    )
    .with_detail(e)
}

/// Exports the list of the given signed requests as CSV into `<archive>/Esportazioni/`.
pub async fn export_signed_csv(state: &Desk, ids: &[LocalId]) -> Result<Exported, UiError> {
    require_login(state).await?;
    let rows = with_files(state, signed_rows(state, ids).await?).await?;
    let path = export_path(state, "csv")?;
    let mut file = crate::private::create_file(&path).map_err(write_failed)?;
    write_csv(&mut file, &rows).map_err(write_failed)?;
    file.sync_all().map_err(write_failed)?;
    Ok(Exported {
        path: path.display().to_string(),
        count: rows.len(),
    })
}

/// Exports the signed PDFs of the given requests as one ZIP (with the CSV inside) into
/// `<archive>/Esportazioni/`.
pub async fn export_signed_zip(state: &Desk, ids: &[LocalId]) -> Result<Exported, UiError> {
    require_login(state).await?;
    let rows = with_files(state, signed_rows(state, ids).await?).await?;
    let path = export_path(state, "zip")?;
    let target = path.clone();
    let count = rows.len();
    tokio::task::spawn_blocking(move || -> Result<(), UiError> {
        let file = crate::private::create_file(&target).map_err(write_failed)?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut csv = Vec::new();
        write_csv(&mut csv, &rows).map_err(write_failed)?;
        zip.start_file("elenco.csv", options).map_err(write_failed)?;
        zip.write_all(&csv).map_err(write_failed)?;
        let mut names = std::collections::HashSet::new();
        for (_, files, _) in &rows {
            for f in files {
                let bytes = std::fs::read(&f.path).map_err(|e| {
                    UiError::new(
                        Code::ArchiveMissing,
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
pub async fn qr_code(state: &Desk, id: &LocalId) -> Result<String, UiError> {
    use base64::Engine as _;
    let Some(request) = state.store.request(id).await.map_err(store_error)? else {
        return Err(UiError::new(Code::RequestNotFound, "Richiesta non trovata."));
    };
    // The request's own profile decides (a QR code leads to the citizen's document).
    require_request(state, &request).await?;
    let io_id = request.io_request_id.clone().ok_or_else(|| {
        UiError::new(
            Code::RequestNotSent,
            "La richiesta non è ancora arrivata a Firma con IO: attendere la fine dell'invio.",
        )
    })?;
    let client = client_for(state, &request.profile_id).await?;
    let detail = client.signature_requests().get(&io_id).await.map_err(|e| {
        UiError::new(
            Code::QrUnavailable,
            "Codice QR non disponibile: il servizio Firma con IO non risponde. Riprovare tra poco.",
        )
        .with_detail(e.to_string())
    })?;
    let url = detail.qr_code_url.ok_or_else(|| {
        UiError::new(
            Code::QrNotReady,
            "Il codice QR sarà disponibile quando la richiesta è in attesa di firma.",
        )
    })?;
    // Bounded: timeouts, a size cap, https only off loopback, no redirect to another origin.
    let png = iosign::fetch::bounded_get(&url, &iosign::fetch::Limits::small_image())
        .await
        .map_err(|e| {
            UiError::new(
                Code::QrUnavailable,
                "Codice QR non disponibile: il servizio Firma con IO non risponde. Riprovare tra poco.",
            )
            .with_detail(e)
        })?;
    if !png.starts_with(b"\x89PNG") {
        return Err(UiError::new(
            Code::QrUnavailable,
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
    fn export_times_are_italian_local_time_summer_and_winter() {
        let at = |iso: &str| Some(iso.parse::<jiff::Timestamp>().unwrap().as_millisecond());
        assert_eq!(format_ms(at("2026-01-15T10:00:00Z")), "15/01/2026 11:00", "CET, UTC+1");
        assert_eq!(format_ms(at("2026-07-01T10:00:00Z")), "01/07/2026 12:00", "CEST, UTC+2");
        // The night summer time starts (29 March 2026, 02:00 → 03:00) and the one it ends (25 October).
        assert_eq!(format_ms(at("2026-03-29T00:59:00Z")), "29/03/2026 01:59");
        assert_eq!(format_ms(at("2026-03-29T01:00:00Z")), "29/03/2026 03:00");
        assert_eq!(format_ms(at("2026-10-25T00:30:00Z")), "25/10/2026 02:30");
        assert_eq!(
            format_ms(at("2026-10-25T01:30:00Z")),
            "25/10/2026 02:30",
            "the hour that repeats"
        );
        assert_eq!(
            format_ms(at("2026-12-31T23:30:00Z")),
            "01/01/2027 00:30",
            "already next year in Rome"
        );
        assert_eq!(format_ms(None), "");
    }
    use crate::testing::{clock, protected, request, test_desk as test_state};

    async fn archived(state: &Desk, request_id: &str, doc: &str, path: &Path) {
        state
            .store
            .record_archive(&firmadesk_store::ArchivedFile {
                request_id: request_id.into(),
                io_document_id: doc.into(),
                path: path.display().to_string(),
                // The file's own hash when it is there (what the engine records); a missing one never opens.
                sha256: std::fs::read(path).map_or_else(|_| "00".repeat(32), |b| firmadesk_store::sha256_hex(&b)),
                size: 10,
                archived_at: 1,
            })
            .await
            .unwrap();
    }

    /// A worker's archive path names the place in this desk's archive (year, type, file), never more.
    #[test]
    fn a_workers_path_gives_only_its_last_three_plain_names() {
        assert_eq!(
            layout_of("/srv/firmadesk/Archivio firmati/2026/Accordo/Mario Rossi - Accordo - 01X.pdf"),
            Some(
                PathBuf::from("2026")
                    .join("Accordo")
                    .join("Mario Rossi - Accordo - 01X.pdf")
            )
        );
        assert_eq!(
            layout_of(r"C:\Archivio\2026\Contratto\Anna - Contratto - 01Y.pdf"),
            Some(
                PathBuf::from("2026")
                    .join("Contratto")
                    .join("Anna - Contratto - 01Y.pdf")
            )
        );
        assert_eq!(layout_of("/srv/2026/../../etc/passwd"), None);
        assert_eq!(layout_of("x.pdf"), None);
        assert_eq!(layout_of("/a//b.pdf"), None);
    }

    /// Issue #10 item 12: only PDFs the store lists as archived, by ids; still openable after the
    /// archive folder changed.
    #[tokio::test]
    async fn only_listed_pdfs_open_and_they_survive_a_folder_change() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(&tmp.path().join("dati"), clock());
        let first = tmp.path().join("Archivio vecchio");
        std::fs::create_dir_all(&first).unwrap();
        request(&state, "r1", crate::SANDBOX_PROFILE, "Mario Rossi").await;
        let pdf = first.join("Mario Rossi - Accordo - r1.pdf");
        std::fs::write(&pdf, b"%PDF-1.7\n...").unwrap();
        archived(&state, "r1", "doc-1", &pdf).await;
        let script = first.join("lancia.desktop");
        std::fs::write(&script, b"[Desktop Entry]\nExec=rm -rf ~").unwrap();
        archived(&state, "r1", "doc-2", &script).await;
        let fake = first.join("finto.pdf");
        std::fs::write(&fake, b"#!/bin/sh\nrm -rf ~").unwrap();
        archived(&state, "r1", "doc-3", &fake).await;

        assert_eq!(
            archived_pdf(&state, &"r1".into(), "doc-1").await.unwrap(),
            pdf.canonicalize().unwrap()
        );
        assert_eq!(
            archived_pdf(&state, &"r1".into(), "doc-2").await.unwrap_err().code,
            "archive.not_pdf"
        );
        assert_eq!(
            archived_pdf(&state, &"r1".into(), "doc-3").await.unwrap_err().code,
            "archive.not_pdf"
        );
        assert_eq!(
            archived_pdf(&state, &"r1".into(), "nessuno").await.unwrap_err().code,
            "archive.not_archived"
        );
        assert_eq!(
            archived_pdf(&state, &"r9".into(), "doc-1").await.unwrap_err().code,
            "request.not_found"
        );

        // "Cambia cartella": new files go elsewhere, the old one still opens.
        state.settings.lock().unwrap().archive_dir = Some(tmp.path().join("Archivio nuovo"));
        assert_eq!(
            archived_pdf(&state, &"r1".into(), "doc-1").await.unwrap(),
            pdf.canonicalize().unwrap()
        );
    }

    /// Issue #10 item 2/12: a protected profile's signed files open only with its login.
    #[tokio::test]
    async fn a_locked_profiles_signed_file_does_not_open() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        protected(&state, "ufficio").await;
        request(&state, "r1", "ufficio", "Mario Rossi").await;
        let pdf = tmp.path().join("firmato.pdf");
        std::fs::write(&pdf, b"%PDF-1.7").unwrap();
        archived(&state, "r1", "doc-1", &pdf).await;
        assert_eq!(
            archived_pdf(&state, &"r1".into(), "doc-1").await.unwrap_err().code,
            "auth.login_required"
        );
    }

    use crate::testing::RecordingHost;

    /// The desktop receives exactly the checked file, and nothing when the check refuses.
    #[tokio::test]
    async fn the_host_gets_the_checked_path_only() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(&tmp.path().join("dati"), clock());
        request(&state, "r1", crate::SANDBOX_PROFILE, "Mario Rossi").await;
        let pdf = tmp.path().join("firmato.pdf");
        std::fs::write(&pdf, b"%PDF-1.7").unwrap();
        archived(&state, "r1", "doc-1", &pdf).await;
        let host = RecordingHost::default();
        open_signed(&state, &host, &"r1".into(), "doc-1").await.unwrap();
        reveal_signed(&state, &host, &"r1".into(), "doc-1").await.unwrap();
        assert_eq!(
            open_signed(&state, &host, &"r1".into(), "altro")
                .await
                .unwrap_err()
                .code,
            "archive.not_archived"
        );
        assert_eq!(
            reveal_export(&state, &host, pdf.to_str().unwrap())
                .await
                .unwrap_err()
                .code,
            "archive.outside"
        );
        let calls = host.0.lock().unwrap().clone();
        let canonical = pdf.canonicalize().unwrap();
        assert_eq!(calls, vec![("open", canonical.clone()), ("reveal", canonical)]);
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("Mario Rossi"), "Mario Rossi");
        assert_eq!(csv_field("Rossi; Bianchi"), "\"Rossi; Bianchi\"");
        assert_eq!(csv_field("il \"nuovo\" accordo"), "\"il \"\"nuovo\"\" accordo\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-2"), "'-2");
    }

    /// Issue #16: the kinds turned off and the quiet hours are kept in the settings file, survive a
    /// restart, and a bad time is refused with its own code, changing nothing.
    #[test]
    fn notification_kinds_and_quiet_hours_are_saved_and_checked() {
        use crate::notices::{NoticeChoice, QuietChoice, Topic};
        let dir = tempfile::tempdir().unwrap();
        let desk = crate::testing::test_desk(dir.path(), crate::testing::clock());
        let choice = |from: &str| NoticeChoice {
            off: [Topic::Signed, Topic::Expiring].into(),
            quiet: QuietChoice {
                on: true,
                from: from.into(),
                to: "08:00".into(),
            },
        };
        let view = serde_json::to_value(set_notifications(&desk, true, None, Some(choice("19:30"))).unwrap()).unwrap();
        assert_eq!(view["notices"]["off"], serde_json::json!(["signed", "expiring"]));
        assert_eq!(
            view["notices"]["quiet"],
            serde_json::json!({ "on": true, "from": "19:30", "to": "08:00" })
        );
        let err = set_notifications(&desk, true, None, Some(choice("7 di sera"))).unwrap_err();
        assert_eq!(err.code, Code::SettingsInvalidTime);
        // Turning all notifications off keeps the choices.
        set_notifications(&desk, false, None, None).unwrap();
        drop(desk);
        let again = crate::testing::test_desk(dir.path(), crate::testing::clock());
        let view = serde_json::to_value(get_settings(&again)).unwrap();
        assert_eq!(view["notifications"], false);
        assert_eq!(view["notices"]["quiet"]["from"], "19:30");
        assert_eq!(crate::notify::prefs_of(&again).off.len(), 2);
    }
}
