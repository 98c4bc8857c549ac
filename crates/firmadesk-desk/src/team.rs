//! Modalità ufficio: a desk works on the office's team database (PostgreSQL) instead of its own file.
//! Impostazioni tests the connection (changing nothing), then turns the mode on or off; the switch takes
//! effect when FirmaDesk starts again (the shell restarts it), since every part of the desk — engine,
//! dashboard, tray — works on one store for the whole run. The password lives in the OS keyring only.

use crate::settings::TeamSettings;
use crate::{store_error, Code, Desk, UiError};
use firmadesk_auth::{SecretStore, SERVICE, TEAM_DATABASE_PASSWORD};
use firmadesk_store::pg::{Probe, Schema};
use firmadesk_store::{Backend, PgConfig, PgStore, PgTls, Store};
use serde::{Deserialize, Serialize};

/// The form of Impostazioni › Modalità ufficio.
#[derive(Debug, Clone, Deserialize)]
pub struct TeamForm {
    /// `postgres://user@host:port/dbname`.
    pub url: String,
    /// TLS on.
    pub tls: bool,
    /// The body's certificate authority (PEM file), if any.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// What Impostazioni shows.
#[derive(Debug, Serialize)]
pub struct TeamView {
    /// The configured database (`None`: the desk's own file).
    url: Option<String>,
    tls: bool,
    ca_file: Option<String>,
    /// A password is saved in the keyring.
    password_saved: bool,
    /// This run works on the team database.
    active: bool,
    /// The setting differs from what this run uses: it applies at the next start.
    restart_needed: bool,
    /// Why the office database could not be opened at start, if it could not.
    problem: Option<UiError>,
}

/// The outcome of a connection test, for the UI.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ProbeView {
    server_version: String,
    /// `empty`, `current`, `older` or `newer`.
    schema: &'static str,
    /// Migrations the first connection will apply (`older`).
    pending: usize,
    /// Requests already in the database.
    requests: u64,
}

impl From<Probe> for ProbeView {
    fn from(p: Probe) -> Self {
        let (schema, pending) = match p.schema {
            Schema::Empty => ("empty", 0),
            Schema::Current => ("current", 0),
            Schema::Older { pending } => ("older", pending),
            Schema::Newer => ("newer", 0),
        };
        Self {
            server_version: p.server_version,
            schema,
            pending,
            requests: p.requests,
        }
    }
}

/// The current setting and what this run uses.
pub fn view(desk: &Desk) -> Result<TeamView, UiError> {
    let team = desk.settings.lock().expect("settings lock").team.clone();
    let active = desk.store.backend() == Backend::Postgres;
    let password_saved = desk
        .secrets
        .get(SERVICE, TEAM_DATABASE_PASSWORD)
        .map_err(crate::profiles::keyring_error)?
        .is_some();
    Ok(TeamView {
        restart_needed: team.is_some() != active,
        url: team.as_ref().map(|t| t.url.clone()),
        tls: team.as_ref().is_none_or(|t| t.tls),
        ca_file: team
            .as_ref()
            .and_then(|t| t.ca_file.as_ref())
            .map(|p| p.display().to_string()),
        password_saved,
        active,
        problem: desk.team_problem.lock().expect("team problem lock").clone(),
    })
}

fn settings_from(form: &TeamForm) -> Result<TeamSettings, UiError> {
    let url = form.url.trim();
    if url.is_empty() {
        return Err(UiError::new(
            Code::TeamMissingUrl,
            "Indicare l'indirizzo del database dell'ufficio, nella forma postgres://utente@server:5432/database.",
        ));
    }
    Ok(TeamSettings {
        url: url.to_owned(),
        tls: form.tls,
        ca_file: crate::settings::typed_path(form.ca_file.as_deref()),
    })
}

/// The driver settings for `team` with `password` (the CA file read now).
pub fn pg_config(team: &TeamSettings, password: Option<String>) -> Result<PgConfig, UiError> {
    let tls = match (&team.ca_file, team.tls) {
        (_, false) => PgTls::Off,
        (None, true) => PgTls::Verify,
        (Some(file), true) => PgTls::VerifyWith {
            extra_roots_pem: std::fs::read_to_string(file).map_err(|e| {
                UiError::new(
                    Code::TeamCaUnreadable,
                    "Impossibile leggere il file del certificato dell'autorità: verificare il percorso.",
                )
                .with_detail(format!("{}: {e}", file.display()))
            })?,
        },
    };
    Ok(PgConfig {
        tls,
        ..PgConfig::new(team.url.clone(), password)
    })
}

fn saved_password(secrets: &dyn SecretStore) -> Result<Option<String>, UiError> {
    Ok(secrets
        .get(SERVICE, TEAM_DATABASE_PASSWORD)
        .map_err(crate::profiles::keyring_error)?
        .map(|s| s.expose().to_owned()))
}

/// The typed password, else the saved one.
fn password_for(desk: &Desk, typed: Option<String>) -> Result<Option<String>, UiError> {
    match typed.filter(|p| !p.is_empty()) {
        Some(p) => Ok(Some(p)),
        None => saved_password(&*desk.secrets),
    }
}

/// "Prova connessione": reaches the database with the form's settings and says what is there; changes
/// nothing, saves nothing.
pub async fn test(desk: &Desk, form: TeamForm, password: Option<String>) -> Result<ProbeView, UiError> {
    let team = settings_from(&form)?;
    let config = pg_config(&team, password_for(desk, password)?)?;
    PgStore::probe(&config).await.map(ProbeView::from).map_err(store_error)
}

/// "Attiva la modalità ufficio": tests the connection, refuses a database a newer FirmaDesk upgraded,
/// keeps the password in the keyring and the settings on disk. Applies at the next start.
pub async fn enable(desk: &Desk, form: TeamForm, password: Option<String>) -> Result<ProbeView, UiError> {
    let team = settings_from(&form)?;
    let typed = password.filter(|p| !p.is_empty());
    let config = pg_config(&team, password_for(desk, typed.clone())?)?;
    let probe = PgStore::probe(&config).await.map_err(store_error)?;
    if probe.schema == Schema::Newer {
        return Err(UiError::new(
            Code::StoreNewerSchema,
            "Il database dell'ufficio è stato aggiornato da una versione più recente di FirmaDesk: aggiornare FirmaDesk su questo computer.",
        ));
    }
    if let Some(p) = typed {
        desk.secrets
            .set(SERVICE, TEAM_DATABASE_PASSWORD, &firmadesk_auth::Secret::new(p))
            .map_err(crate::profiles::keyring_error)?;
    }
    crate::save_settings(desk, |s| s.team = Some(team))?;
    tracing::info!("office mode on from the next start");
    Ok(probe.into())
}

/// "Torna alla postazione singola": from the next start the desk works on its own file again (what it
/// held before office mode); the password leaves the keyring, what the desk kept of the office leaves the
/// data folder. Refused while sends made offline still wait for the office (they would be lost to it).
pub fn disable(desk: &Desk) -> Result<(), UiError> {
    let waiting = crate::held::all(desk).len();
    if waiting > 0 {
        return Err(UiError::new(
            Code::TeamHeldSends,
            format!("{waiting} richieste sono conservate su questo computer in attesa del database dell'ufficio: lasciare la modalità ufficio dopo che sono partite."),
        ));
    }
    crate::save_settings(desk, |s| s.team = None)?;
    crate::offline::forget(&desk.data_dir);
    desk.secrets
        .delete(SERVICE, TEAM_DATABASE_PASSWORD)
        .map_err(crate::profiles::keyring_error)?;
    tracing::info!("office mode off from the next start");
    Ok(())
}

/// Connects to the team database at start (migrating it if this FirmaDesk is newer; a new one gets the
/// first document types, as a new desk does).
///
/// A keyring that cannot be read does not stop a server that asks for no password (certificate or local
/// login); when the server does ask, the keyring is the cause the clerk is told about.
pub async fn open(team: &TeamSettings, secrets: &dyn SecretStore, now_ms: i64) -> Result<PgStore, UiError> {
    let (password, keyring_problem) = match saved_password(secrets) {
        Ok(password) => (password, None),
        Err(e) => (None, Some(e)),
    };
    let config = pg_config(team, password)?;
    let store = match PgStore::connect(&config, now_ms).await {
        Ok(store) => store,
        Err(e) if e.kind == firmadesk_store::ErrorKind::Denied => {
            return Err(keyring_problem.unwrap_or_else(|| store_error(e)))
        }
        // Away now (network, server down): the desk works on the office all the same — the last state
        // it saw, its sends kept until the database answers (`held.rs`) — and follows it when it does.
        Err(e) if e.kind == firmadesk_store::ErrorKind::Unreachable => {
            tracing::warn!(
                detail = e.detail.as_deref().unwrap_or(""),
                "office database unreachable at start: waiting for it"
            );
            return PgStore::unreached(&config, now_ms).await.map_err(store_error);
        }
        Err(e) => return Err(store_error(e)),
    };
    crate::store::seed_document_types(&store).await.map_err(store_error)?;
    Ok(store)
}

/// What moving this desk's own archive into the team database did.
#[derive(Debug, Serialize)]
pub struct MoveReport {
    /// The rows moved (profiles without keys, document types, requests, timelines, sends, archive records).
    #[serde(flatten)]
    rows: firmadesk_store::pg::TransferReport,
    /// Signed PDFs of this desk now kept in the team database (every desk opens them).
    files_kept: u64,
    /// Archive records whose file is no longer on this computer (moved or deleted): their rows moved, their
    /// bytes could not.
    files_missing: u64,
}

/// "Trasferisci i dati di questa postazione": once, into an empty team database, what this desk kept on its
/// own file before office mode (administrators only; office mode must be in use).
pub async fn move_desk(desk: &Desk) -> Result<MoveReport, UiError> {
    crate::roles::require_admin(desk).await?;
    let team = desk.settings.lock().expect("settings lock").team.clone();
    let (Some(team), Backend::Postgres) = (team, desk.store.backend()) else {
        return Err(UiError::new(
            Code::TeamNotActive,
            "Attivare prima la modalità ufficio e riavviare FirmaDesk: i dati si trasferiscono nel database dell'ufficio in uso.",
        ));
    };
    let file = desk.data_dir.join("firmadesk.db");
    if !file.exists() {
        return Err(UiError::new(
            Code::TeamNothingToMove,
            "Questa postazione non ha un archivio locale da trasferire.",
        ));
    }
    let from = firmadesk_store::SqliteStore::open(&file, desk.now_ms()).map_err(store_error)?;
    let office = open(&team, &*desk.secrets, desk.now_ms()).await?;
    let rows = office.import_desk(&from, desk.now_ms()).await.map_err(store_error)?;
    let (mut files_kept, mut files_missing) = (0, 0);
    for archived in from.all_archived_files().map_err(store_error)? {
        let path = std::path::PathBuf::from(&archived.path);
        let Ok(bytes) = tokio::task::spawn_blocking(move || std::fs::read(path))
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
        else {
            files_missing += 1;
            continue;
        };
        // A file changed since it was archived is not the signed one: it is not carried over.
        match office.put_file(&archived.sha256, &bytes, desk.now_ms()).await {
            Ok(()) => files_kept += 1,
            Err(e) if e.kind == firmadesk_store::ErrorKind::Invalid => files_missing += 1,
            Err(e) => return Err(store_error(e)),
        }
    }
    tracing::info!(
        requests = rows.requests,
        files_kept,
        files_missing,
        "desk moved into the team database"
    );
    Ok(MoveReport {
        rows,
        files_kept,
        files_missing,
    })
}
