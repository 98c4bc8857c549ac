//! Issue #16, "always on": with a tray, closing the window hides it and FirmaDesk keeps working — the
//! citizen signs, the signed PDF lands in the archive and the desktop is told, with no window shown — and a
//! second launch brings the window back.

use crate::flow::{compose, contract_pdf, eventually, send, WORK_TIMEOUT};
use crate::harness::{running_on, App, TestResult, UI_TIMEOUT};
use firmadesk_testkit::bus::BusMonitor;
use std::time::Duration;

/// A StatusNotifier host on the test bus, as a desktop with a tray has (KDE, XFCE, GNOME's AppIndicator
/// extension): its watcher's well-known name, held by a private connection for as long as this lives.
/// FirmaDesk closes to the tray only where one is.
struct TrayHost(gio::DBusConnection);

impl TrayHost {
    fn start() -> Self {
        use gio::prelude::*;
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("a session bus (cargo xtask test)");
        let bus = gio::DBusConnection::for_address_sync(
            &address,
            gio::DBusConnectionFlags::AUTHENTICATION_CLIENT | gio::DBusConnectionFlags::MESSAGE_BUS_CONNECTION,
            None,
            gio::Cancellable::NONE,
        )
        .expect("connect to the session bus");
        // RequestName with DO_NOT_QUEUE (4): 1 = now its primary owner.
        let reply = bus
            .call_sync(
                Some("org.freedesktop.DBus"),
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "RequestName",
                Some(&("org.kde.StatusNotifierWatcher", 4u32).to_variant()),
                Some(gio::glib::VariantTy::new("(u)").expect("type")),
                gio::DBusCallFlags::NONE,
                5000,
                gio::Cancellable::NONE,
            )
            .expect("own the StatusNotifierWatcher name");
        assert_eq!(
            reply.get::<(u32,)>(),
            Some((1,)),
            "another StatusNotifier host on the test bus"
        );
        Self(bus)
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        let _ = self.0.close_sync(gio::Cancellable::NONE);
    }
}

/// Whether the main window is shown, as Tauri knows it.
async fn window_visible(app: &App) -> Result<bool, String> {
    let shown = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.window.getCurrentWindow().isVisible().then(done, e => done('error: ' + e));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    shown.as_bool().ok_or_else(|| format!("isVisible answered {shown}"))
}

/// FirmaDesk launched again on `data_dir`, as a clerk does: it hands over to the running one (which shows
/// its window) and exits successfully.
async fn launch_again(data_dir: &std::path::Path, env: &[(&str, &str)]) -> TestResult {
    let mut second = tokio::process::Command::new(crate::harness::app_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .spawn()?;
    let status = tokio::time::timeout(UI_TIMEOUT, second.wait())
        .await
        .map_err(|_| "the second launch did not hand over")??;
    assert!(status.success(), "second launch exited with {status}");
    Ok(())
}

async fn until_visible(app: &App, visible: bool) -> TestResult {
    let what = if visible {
        "the window shown"
    } else {
        "the window hidden"
    };
    eventually(what, UI_TIMEOUT, || async {
        (window_visible(app).await.ok()? == visible).then_some(())
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn closed_to_the_tray_it_archives_and_notifies_a_signature_and_a_second_launch_shows_it() {
    let _host = TrayHost::start();
    let app = App::launch("always_on").await;
    let files = tempfile::tempdir().unwrap();
    let pdf = contract_pdf(files.path());
    let result: TestResult = async {
        // A request waiting for signature in Modalità prova.
        app.wait_for("[data-testid='nav-new']").await?.click().await?;
        compose(&app, &pdf).await?;
        send(&app).await?;
        app.wait_for("[data-testid='timeline']").await?;
        eventually("the request waiting for signature", WORK_TIMEOUT, || async {
            app.client
                .find(fantoccini::Locator::Css("[data-testid='simulate-sign']"))
                .await
                .ok()
        })
        .await?;
        let url = app.client.current_url().await?;
        let id = url
            .fragment()
            .and_then(|f| f.strip_prefix("/request/"))
            .ok_or_else(|| format!("not on a request's detail: {url}"))?
            .to_owned();

        // The clerk closes the window (the window's own close, as its title bar's button asks).
        let monitor = BusMonitor::start();
        app.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI__.window.getCurrentWindow().close().then(() => done(true), e => done(String(e)));",
                vec![],
            )
            .await?;
        until_visible(&app, false).await?;
        assert!(
            running_on(app.data_dir()),
            "FirmaDesk quit instead of closing to the tray"
        );
        let monitor = tokio::task::spawn_blocking(move || {
            let told = monitor.wait_for("FirmaDesk continua a funzionare", Duration::from_secs(20));
            (monitor, told)
        })
        .await?;
        let (monitor, told) = monitor;
        let told = told.map_err(|seen| format!("no notice that FirmaDesk keeps working; the bus saw {seen:?}"))?;
        assert!(
            told.iter().any(|l| l.contains("Esci")),
            "the notice says how to quit: {told:?}"
        );

        // The citizen signs while no window is shown: archived on disk and announced on the desktop.
        let signed = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI__.core.invoke('simulate_sign', { id: arguments[0] })
                   .then(() => done(true), e => done(JSON.stringify(e)));",
                vec![serde_json::Value::String(id.clone())],
            )
            .await?;
        assert_eq!(signed, serde_json::Value::Bool(true), "simulate_sign: {signed}");
        let notified =
            tokio::task::spawn_blocking(move || monitor.saw("Documento firmato", Duration::from_secs(30))).await?;
        assert!(
            notified,
            "no 'signed' notification on the session bus with the window closed"
        );
        let archive = app.data_dir().join("Archivio firmati");
        let archived = eventually("the signed PDF in the archive", WORK_TIMEOUT, || async {
            let year = std::fs::read_dir(&archive).ok()?.next()?.ok()?.path();
            let file = std::fs::read_dir(year.join("Accordo")).ok()?.next()?.ok()?.path();
            std::fs::read(&file).ok().filter(|b| b.starts_with(b"%PDF"))
        })
        .await?;
        assert!(archived.len() > 1000, "a real signed PDF");
        assert!(!window_visible(&app).await?, "the window stayed closed");
        assert!(running_on(app.data_dir()));

        // Launching FirmaDesk again hands over to the running one, which shows its window.
        launch_again(app.data_dir(), &[]).await?;
        until_visible(&app, true).await?;
        // The signed request, as the window left it, now shown signed.
        app.wait_for("[data-testid='nav-signed']").await?.click().await?;
        app.wait_for("[data-testid='request-row'][data-status='signed']")
            .await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

#[tokio::test]
async fn without_a_tray_closing_the_window_quits() {
    // No StatusNotifier host on this bus (GNOME without the AppIndicator extension): a hidden FirmaDesk
    // could not be reached, so the window's close quits it, as before issue #16.
    let app = App::launch("always_on_no_tray").await;
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-new']").await?;
        // The call may not answer: the app is going away under it.
        let _ = app
            .client
            .execute(
                "window.__TAURI__.window.getCurrentWindow().close(); return true;",
                vec![],
            )
            .await;
        eventually("FirmaDesk gone", UI_TIMEOUT, || async {
            (!running_on(app.data_dir())).then_some(())
        })
        .await?;
        Ok(())
    }
    .await;
    app.finish(result).await;
}

/// "Avvia all'accesso": off until the clerk turns it on in Impostazioni; then the system's login item (the
/// XDG autostart entry) starts FirmaDesk on the same desk with `--hidden`, and that start keeps the window
/// hidden in the tray; turned off, the entry is gone.
#[tokio::test]
async fn start_at_login_registers_a_hidden_start_that_stays_in_the_tray() {
    let home = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let home_env = home.path().display().to_string();
    let entry = home.path().join(".config/autostart/FirmaDesk.desktop");
    let app = App::launch_with("start_at_login", data.path(), &[("HOME", &home_env)]).await;
    let result: TestResult = async {
        app.wait_for("[data-testid='nav-settings']").await?.click().await?;
        let box_ = app.wait_for("[data-testid='autostart-enabled']").await?;
        eventually("the login item read", UI_TIMEOUT, || async {
            (box_.attr("disabled").await.ok()?.is_none()).then_some(())
        })
        .await?;
        assert!(!box_.is_selected().await?, "off by default");
        assert!(!entry.exists(), "nothing registered before the clerk asks");
        box_.click().await?;
        let written = eventually("the autostart entry", UI_TIMEOUT, || async {
            std::fs::read_to_string(&entry).ok()
        })
        .await?;
        let exec = written
            .lines()
            .find_map(|l| l.strip_prefix("Exec="))
            .ok_or_else(|| format!("no Exec line in {written}"))?
            .to_owned();
        let expected = format!("--hidden --data-dir {}", data.path().display());
        assert!(exec.ends_with(&expected), "{exec}");
        assert!(box_.is_selected().await?);
        Ok(())
    }
    .await;
    app.finish(result).await;

    // The login: FirmaDesk as the entry starts it, on a desktop with a tray — working, its window hidden.
    let tray = TrayHost::start();
    let login = App::launch_full(
        "start_at_login_hidden",
        data.path(),
        &[("HOME", &home_env)],
        &["--hidden"],
    )
    .await;
    let result: TestResult = async {
        until_visible(&login, false).await?;
        assert!(running_on(data.path()), "working with no window");
        // Opened as a clerk opens it (FirmaDesk launched again hands over and shows the window), then
        // turned off: the entry is removed.
        launch_again(data.path(), &[("HOME", &home_env)]).await?;
        until_visible(&login, true).await?;
        login.wait_for("[data-testid='nav-settings']").await?.click().await?;
        let box_ = login.wait_for("[data-testid='autostart-enabled']").await?;
        eventually("the login item read as on", UI_TIMEOUT, || async {
            box_.is_selected().await.ok()?.then_some(())
        })
        .await?;
        box_.click().await?;
        eventually("the autostart entry removed", UI_TIMEOUT, || async {
            (!entry.exists()).then_some(())
        })
        .await?;
        Ok(())
    }
    .await;
    login.finish(result).await;
    drop(tray);
}
