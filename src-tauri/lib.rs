//! FirmaDesk's Tauri shell: window, plugins, tray and the thin commands that forward to the desk layer.
//!
//! The use cases live in `crates/firmadesk-desk` (no tauri dependency); this crate wires them to the webview.

pub mod autostart;
pub mod commands;
pub mod logging;
pub mod state;
pub mod tray;

// The desk layer's modules, under the names the commands use.
pub use firmadesk_desk::sandbox as service;
use firmadesk_desk::store::upsert_sandbox_profile;
pub use firmadesk_desk::{error, notify, paths, private, retention, settings};

use firmadesk_engine::{DesktopNotifier, Engine, EngineConfig, RowStore};
use std::sync::Arc;
use tauri::{Emitter, Manager};

/// The single-instance name of a data folder (a D-Bus well-known name on Linux). The path is
/// canonicalised first: `./data`, `data/` and a symlink to it are one folder, hence one instance and
/// one engine on its database.
fn instance_id(data_dir: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    let canonical = data_dir.canonicalize().unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("it.firmadesk.desktop.i{}", hex::encode(&digest[..8]))
}

/// Builds the Tauri application with its plugins, state and commands (also used by the mock-runtime tests).
pub fn builder(app_state: state::AppState) -> tauri::Builder<tauri::Wry> {
    tauri::Builder::default()
        // A second launch on the same data folder focuses the running window instead of opening a
        // second engine on the same data. Instances on different data folders (a test run, a second
        // office profile) are independent: the instance name carries the folder.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(&app_state.data_dir))
                // The running window comes up, shown again if it was closed to the tray.
                .callback(|app, _args, _cwd| tray::show_window(app))
                .build(),
        )
        // Opens signed PDFs and the archive folder from Rust; the webview gets no opener permission.
        .plugin(tauri_plugin_opener::init())
        // The archive folder picker, used from Rust only.
        .plugin(tauri_plugin_dialog::init())
        // "Avvia all'accesso": the OS's login item, from Rust only (the webview gets no autostart permission).
        .plugin(autostart::plugin(autostart::data_dir_argument().as_deref()))
        .manage(app_state)
        // Closing the window hides it to the tray, where FirmaDesk keeps working (engine, poller, archive,
        // notifications, lists); with no tray it quits: what it saw of the office is kept for a start while
        // it is away.
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::CloseRequested { api, .. } if tray::close_to_tray(window.app_handle(), window) => {
                api.prevent_close();
            }
            tauri::WindowEvent::Destroyed => window.state::<state::AppState>().last_seen.keep_on_disk(),
            _ => {}
        })
        .setup(|app| {
            // Bind pdfium once, preferring the copy bundled with the app; a missing library is reported
            // by the commands that need it (in Italian), it does not stop the window.
            let resources = app.path().resource_dir().ok();
            if let Err(e) = firmadesk_pdf::library::init(resources.as_deref()) {
                tracing::error!(error = %e.message(), detail = e.detail().unwrap_or(""), "pdfium not available");
            }
            let engine = start_engine(app.handle())?;
            if let Err(e) = tray::install(app.handle(), &engine) {
                // No tray on this desktop (e.g. GNOME without the AppIndicator extension): the window
                // and the notifications still work.
                tracing::warn!(error = %e, "tray icon not available");
            }
            // Started by the login item: the window stays hidden when the tray can hold it.
            if autostart::started_hidden() && tray::keeps_running(app.handle()) {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.hide();
                }
                tracing::info!("started at login, hidden to the tray");
            }
            app.manage(engine);
            follow_wakes(app.handle());
            start_profiles(app.handle());
            follow_office(app.handle());
            hand_over_kept_sends(app.handle());
            send_lists(app.handle());
            send_protocol_mail(app.handle());
            verify_backlog(app.handle());
            // Imported PDFs and renders are bounded (retention.rs): once at start, then after imports.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { retention::spawn(&handle.state::<state::AppState>()) });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_locale,
            commands::requests::dashboard,
            commands::requests::todo_list,
            commands::requests::list_requests,
            commands::requests::request_detail,
            commands::requests::check_fiscal_code,
            commands::requests::reopen_request,
            commands::requests::keep_draft,
            commands::requests::kept_draft,
            commands::requests::set_aside_draft,
            commands::requests::set_aside_drafts,
            commands::requests::resume_draft,
            commands::requests::delete_draft,
            commands::requests::signer_book,
            commands::requests::save_template,
            commands::requests::export_templates,
            commands::requests::import_templates,
            commands::bulk::bulk_read,
            commands::bulk::bulk_check,
            commands::bulk::bulk_report,
            commands::bulk::bulk_pick_folder,
            commands::bulk::bulk_send,
            commands::bulk::bulk_batches,
            commands::bulk::bulk_batch,
            commands::bulk::bulk_control,
            commands::bulk::bulk_batch_report,
            commands::requests::edit_document_type,
            commands::requests::duplicate_document_type,
            commands::requests::remove_document_type,
            commands::requests::restore_document_type,
            commands::requests::document_types,
            commands::requests::save_document_type,
            commands::requests::import_pdf,
            commands::verify::verify_pdf,
            commands::requests::render_page,
            commands::requests::submit_request,
            commands::requests::simulate_sign,
            commands::requests::simulate_reject,
            commands::requests::cancel_request,
            commands::profiles::list_profiles,
            commands::profiles::save_profile,
            commands::profiles::set_active_profile,
            commands::profiles::verify_profile,
            commands::profiles::delete_profile,
            commands::sandbox::set_sandbox_outage,
            commands::sandbox::sandbox_outage,
            commands::archive::get_settings,
            commands::archive::open_archive,
            commands::archive::open_signed,
            commands::archive::reveal_signed,
            commands::archive::reveal_export,
            commands::archive::print_sheet,
            commands::archive::print_receipt,
            commands::autostart::get_autostart,
            commands::autostart::set_autostart,
            commands::archive::export_signed_csv,
            commands::archive::export_signed_zip,
            commands::archive::set_protocol,
            commands::archive::export_packages,
            commands::archive::send_to_protocol,
            commands::archive::mail_settings,
            commands::archive::save_mail_settings,
            commands::archive::remove_mail_settings,
            commands::archive::qr_code,
            commands::archive::choose_archive_dir,
            commands::archive::set_notifications,
            commands::auth::auth_status,
            commands::auth::auth_activity,
            commands::auth::login,
            commands::auth::logout,
            commands::team::team_view,
            commands::team::team_test,
            commands::team::team_enable,
            commands::team::team_disable,
            commands::team::restart_app,
            commands::team::team_move_desk,
            commands::roles::my_role,
            commands::roles::clerk_roles,
            commands::roles::set_clerk_role
        ])
}

/// Starts the engine on the local store: unfinished sends resume, the poller starts, its events go to
/// the webview as `engine-event`, and a click on a desktop notification opens the request.
fn start_engine(app: &tauri::AppHandle) -> Result<Engine, Box<dyn std::error::Error>> {
    let state = app.state::<state::AppState>();
    let archive_dir = state
        .settings
        .lock()
        .expect("settings lock")
        .archive_dir(&state.data_dir);
    let handle = app.clone();
    let on_open = Arc::new(move |request_id: String| {
        tray::show_window(&handle);
        let _ = handle.emit("open-request", request_id);
    });
    let store = Arc::new(RowStore::new(state.store.clone()));
    let sandbox = state.sandbox.running();
    let emitter = app.clone();
    let names_state = app.clone();
    let locale_state = app.clone();
    let (prefs_state, now_state) = (app.clone(), app.clone());
    let notifier = Arc::new(notify::Switchable {
        inner: DesktopNotifier::new(on_open),
        on: state.notifications.clone(),
        names_allowed: Box::new(move |request: firmadesk_store::LocalId| {
            let app = names_state.clone();
            Box::pin(async move { notify::names_allowed_for(&app.state::<state::AppState>(), &request).await })
        }),
        locale: Box::new(move || locale_state.state::<state::AppState>().locale()),
        prefs: Box::new(move || notify::prefs_of(&prefs_state.state::<state::AppState>())),
        now: Box::new(move || notify::now_of(&now_state.state::<state::AppState>())),
        // What quiet hours held survives a quit: shown when they end, at the next start.
        waiting: notify::Waiting::kept_in(state.data_dir.join(notify::WAITING_FILE)),
    });
    // What settled (stopped sends) or left quiet hours is shown within a tick.
    let ticking = notifier.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(notify::TICK).await;
            ticking.tick().await;
        }
    });
    // The engine spawns its tasks on the runtime it is built in: Tauri's.
    tauri::async_runtime::block_on(async move {
        let builder = Engine::builder(EngineConfig::new(archive_dir), store).notifier(notifier);
        #[cfg(feature = "e2e")]
        let builder = match std::env::var_os(e2e::CLOCK_FILE) {
            Some(file) => builder.clock(Arc::new(e2e::ShiftedClock(file.into()))),
            None => builder,
        };
        let engine = builder.build();
        let mut events = engine.subscribe();
        tauri::async_runtime::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match events.recv().await {
                    Ok(event) => {
                        let _ = emitter.emit("engine-event", &event);
                    }
                    Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "UI fell behind the engine's events"),
                    Err(RecvError::Closed) => break,
                }
            }
        });
        // Modalità prova only when it is in use (started in `run` if it is the active profile).
        if let Some(sandbox) = sandbox {
            let options = firmadesk_desk::sandbox::engine_options(&sandbox);
            engine
                .add_profile_with(state::SANDBOX_PROFILE, sandbox.client.clone(), options)
                .await?;
        }
        Ok(engine)
    })
}

/// Starts the body's own profiles, each with its key from the keyring, off the main thread: a locked
/// keyring shows its unlock prompt while the window is already up. One that cannot start (keyring
/// locked, key missing) is reported and skipped: the others and the sandbox still work.
fn start_profiles(app: &tauri::AppHandle) {
    let app = app.clone();
    // The keyring calls block (D-Bus, maybe a prompt): the blocking pool, which still runs in the
    // runtime the engine spawns its pollers on.
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<state::AppState>();
        let engine = app.state::<Engine>();
        // Office mode set but its database unreachable: the keys work for nobody from this file (the
        // office's worker may be running on them), so nothing is sent until the next start.
        if state.team_problem.lock().expect("team problem lock").is_some() {
            tracing::warn!("office database unreachable: the body's profiles are not started");
            return;
        }
        tauri::async_runtime::block_on(async {
            let profiles = match state.store.profiles().await {
                Ok(p) => p,
                Err(e) => {
                    // The office's database away at start: tried again when its feed connects.
                    tracing::warn!(error = %e, "profiles unreadable");
                    return;
                }
            };
            PROFILES_STARTED.store(true, std::sync::atomic::Ordering::SeqCst);
            for profile in profiles {
                if let Err(e) = commands::profiles::register(&state, &engine, &profile).await {
                    tracing::warn!(profile = %profile.id, code = %e.code, "profile not started");
                }
            }
        });
    });
}

/// The body's profiles were read and started (once per run; a team database away at start delays it).
static PROFILES_STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Team mode: what other desks and the worker commit reaches this window as `data-changed` (the view on
/// screen reloads, coalesced) and the tray's count, as it commits (LISTEN/NOTIFY, not a poll). A desk on
/// its own file has no feed: its engine's events say what changed.
fn follow_office(app: &tauri::AppHandle) {
    let Some(mut changes) = app.state::<state::AppState>().store.changes() else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            let table = match changes.recv().await {
                Ok(firmadesk_store::Change::Row { table, .. }) => table,
                Ok(firmadesk_store::Change::Resync) | Err(RecvError::Lagged(_)) => {
                    // The database answers again; if it was away at start, the profiles start now.
                    if !PROFILES_STARTED.load(std::sync::atomic::Ordering::SeqCst) {
                        start_profiles(&app);
                    }
                    "*".to_owned()
                }
                Err(RecvError::Closed) => break,
            };
            let _ = app.emit("data-changed", &table);
            if table == "requests" || table == "*" {
                tray::retooltip(&app);
            }
        }
    });
}

/// Team mode: sends kept on this desk while the office was unreachable leave as soon as it answers again
/// (now, when the feed reconnects, at the latest every 30 s); the dashboard then reloads.
fn hand_over_kept_sends(app: &tauri::AppHandle) {
    if app.state::<state::AppState>().store.changes().is_none() {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let desk = app.state::<state::AppState>();
        let engine = app.state::<Engine>();
        firmadesk_desk::held::follow(&desk, &engine).await;
    });
}

/// After a wake from sleep the poller catches up at once, not after its slow pause (`always_on.rs`).
fn follow_wakes(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let engine = app.state::<Engine>();
        firmadesk_desk::always_on::follow_wakes(&engine).await;
    });
}

/// Lists this desk sends (`bulk/send.rs`): what a crash or a quit interrupted resumes now, new ones as
/// the clerk starts them.
fn send_lists(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let desk = app.state::<state::AppState>();
        let engine = app.state::<Engine>();
        firmadesk_desk::bulk::send::run(&desk, &engine).await;
    });
}

/// The protocol mailbox's sender (`mail.rs`): packages queued before a quit go now, new ones as they are
/// queued, the next attempt after a failure at its time.
fn send_protocol_mail(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let desk = app.state::<state::AppState>();
        let engine = app.state::<Engine>();
        firmadesk_desk::mail::run(&desk, &engine).await;
    });
}

/// Signed documents archived before they were verified on archive (a FirmaDesk from before issue #14) are
/// verified once, in the background (`verify::backfill`).
fn verify_backlog(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let desk = app.state::<state::AppState>();
        match firmadesk_desk::verify::backfill(&desk).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(verified = n, "archived documents verified afterwards"),
            Err(e) => tracing::warn!(code = %e.code, "archived documents not verified afterwards"),
        }
    });
}

pub use firmadesk_desk::sandbox::start_profile as start_sandbox_profile;

/// Starts FirmaDesk.
pub fn run() {
    let data_dir = match paths::data_dir_from_process() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("FirmaDesk: impossibile usare la cartella dati: {e}");
            std::process::exit(1);
        }
    };
    let _log_guard = match logging::init(&paths::log_dir(&data_dir)) {
        Ok(guard) => Some(guard),
        Err(e) => {
            eprintln!("FirmaDesk: log file unavailable ({e}); logging to stderr only");
            None
        }
    };
    tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %data_dir.display(), "FirmaDesk starting");
    let settings = settings::load(&data_dir).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "settings unreadable, using defaults");
        settings::Settings::default()
    });
    // The embedded sandbox runs only while Modalità prova is in use: now if it is the active profile,
    // otherwise when the clerk switches to it (`set_active_profile`).
    let sandbox = service::SandboxService::new(&data_dir);
    let sandbox_active = settings
        .active_profile
        .as_deref()
        .is_none_or(|p| p == state::SANDBOX_PROFILE);
    if sandbox_active {
        if let Err(e) = tauri::async_runtime::block_on(sandbox.ensure_started()) {
            tracing::error!(error = %e, "cannot start the embedded IO Sign sandbox");
            eprintln!("FirmaDesk: impossibile avviare il servizio di prova locale: {e}");
            std::process::exit(1);
        }
    }
    let sandbox_url = sandbox
        .running()
        .map(|s| s.handle.base_url())
        .unwrap_or_else(|| "http://127.0.0.1/api/v1/sign".to_owned());
    let secrets: Arc<dyn firmadesk_auth::SecretStore> = Arc::new(firmadesk_auth::KeyringStore::new());
    let clock: Arc<dyn firmadesk_auth::Clock> = Arc::new(firmadesk_auth::SystemClock);
    // Modalità ufficio: the office's database, else (not set, or unreachable now) this computer's file.
    let team_store = settings.team.clone().map(|team| {
        let now = firmadesk_desk::unix_ms(clock.now());
        tauri::async_runtime::block_on(firmadesk_desk::team::open(&team, &*secrets, now))
    });
    let mut team_problem = None;
    let opened = match team_store {
        Some(Ok(store)) => Ok(state::AppState::with_store(
            data_dir,
            settings,
            sandbox,
            Arc::new(store),
            secrets,
            clock,
        )),
        other => {
            if let Some(Err(e)) = other {
                tracing::error!(code = %e.code, detail = e.detail.as_deref().unwrap_or(""), "office database not opened: this computer's own file, no sends");
                team_problem = Some(e);
            }
            state::AppState::with_settings(data_dir, settings, sandbox, &sandbox_url, secrets, clock)
        }
    };
    let app_state = match opened {
        Ok(desk) => desk,
        Err(e) => {
            tracing::error!(error = %e, "cannot open the local store");
            eprintln!("FirmaDesk: {e}");
            std::process::exit(1);
        }
    };
    *app_state.team_problem.lock().expect("team problem lock") = team_problem;
    if app_state.sandbox.running().is_some() {
        let recorded = tauri::async_runtime::block_on(upsert_sandbox_profile(
            &*app_state.store,
            &sandbox_url,
            app_state.now_ms(),
        ));
        if let Err(e) = recorded {
            tracing::error!(error = %e, "cannot record the sandbox address");
        }
    }
    if let Err(e) = builder(app_state).run(tauri::generate_context!()) {
        let retried = std::env::var_os(HANDOFF_RETRY).is_some();
        if after_failed_start(&e, retried) == AfterFailedStart::StartAgain {
            tracing::warn!(error = %e, "the running FirmaDesk closed during the hand-over: starting again");
            start_again();
        }
        tracing::error!(error = %e, "FirmaDesk failed to start the window");
        eprintln!("FirmaDesk: impossibile aprire la finestra: {e}");
        std::process::exit(1);
    }
}

/// Set on the one new start after a failed hand-over, so a second failure is reported, not retried.
const HANDOFF_RETRY: &str = "FIRMADESK_HANDOFF_RETRY";

#[derive(Debug, PartialEq, Eq)]
enum AfterFailedStart {
    StartAgain,
    Fail,
}

/// A launch while another FirmaDesk is closing finds its single-instance name still on the bus, then fails
/// to hand the launch over because the other one is gone: that launch starts again once (it then is the only
/// instance). Any other failure, or a second one, is reported.
fn after_failed_start(e: &tauri::Error, retried: bool) -> AfterFailedStart {
    match e {
        tauri::Error::PluginInitialization(plugin, _) if plugin == "single-instance" && !retried => {
            AfterFailedStart::StartAgain
        }
        _ => AfterFailedStart::Fail,
    }
}

/// Starts this executable again with the same arguments (after a moment for the closing instance to go)
/// and exits.
fn start_again() -> ! {
    std::thread::sleep(std::time::Duration::from_millis(500));
    let spawned = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(HANDOFF_RETRY, "1")
            .spawn()
    });
    match spawned {
        Ok(_) => std::process::exit(0),
        Err(e) => {
            eprintln!("FirmaDesk: impossibile riavviare: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{after_failed_start, instance_id, AfterFailedStart};

    /// A launch that raced a closing FirmaDesk starts again once (it crashed before); other failures and a
    /// second one are reported.
    #[test]
    fn a_hand_over_to_a_closing_instance_starts_again_once() {
        let handoff = || {
            tauri::Error::PluginInitialization(
                "single-instance".into(),
                "failed to forward arguments to the running instance".into(),
            )
        };
        assert_eq!(after_failed_start(&handoff(), false), AfterFailedStart::StartAgain);
        assert_eq!(after_failed_start(&handoff(), true), AfterFailedStart::Fail);
        let other = tauri::Error::PluginInitialization("opener".into(), "x".into());
        assert_eq!(after_failed_start(&other, false), AfterFailedStart::Fail);
    }

    /// Issue #10 item 14: two spellings of one data folder must give one instance (one engine on
    /// its database), not two.
    #[test]
    fn one_folder_one_instance_however_it_is_spelled() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dati");
        std::fs::create_dir(&dir).unwrap();
        let id = instance_id(&dir);
        assert_eq!(instance_id(&dir.join(".")), id);
        assert_eq!(instance_id(&tmp.path().join("dati").join("..").join("dati")), id);
        #[cfg(unix)]
        {
            let link = tmp.path().join("collegamento");
            std::os::unix::fs::symlink(&dir, &link).unwrap();
            assert_eq!(instance_id(&link), id);
        }
        let other = tmp.path().join("altri");
        std::fs::create_dir(&other).unwrap();
        assert_ne!(instance_id(&other), id);
    }
}

/// What only the E2E build (feature `e2e`) does.
#[cfg(feature = "e2e")]
mod e2e {
    use firmadesk_engine::clock::{Clock, SystemClock};
    use std::path::PathBuf;

    /// Names a file holding a number of seconds the engine's wall clock runs ahead of the system's.
    pub const CLOCK_FILE: &str = "FIRMADESK_E2E_CLOCK_FILE";

    /// The engine's clock moved forward by the seconds in a file, read at each use: a test makes a deadline
    /// come near (as days passing would) without waiting. Waits and jitter are the real clock's.
    pub struct ShiftedClock(pub PathBuf);

    impl Clock for ShiftedClock {
        fn now(&self) -> time::OffsetDateTime {
            let ahead = std::fs::read_to_string(&self.0)
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .unwrap_or(0);
            SystemClock.now() + time::Duration::seconds(ahead)
        }

        fn sleep(
            &self,
            duration: std::time::Duration,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>> {
            SystemClock.sleep(duration)
        }

        fn random(&self) -> f64 {
            SystemClock.random()
        }
    }
}
