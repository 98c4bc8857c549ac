//! Issue #16, "always on": with a tray, closing the window hides it and FirmaDesk keeps working — a deadline
//! comes near and the citizen signs, the signed PDF lands in the archive and the desktop is told of both, with
//! no window shown — the tray's menu counts what waits and brings the window back, and so does a second
//! launch.

use crate::flow::{compose, contract_pdf, eventually, send, WORK_TIMEOUT};
use crate::harness::{running_on, App, TestResult, UI_TIMEOUT};
use firmadesk_testkit::bus::BusMonitor;
use std::time::Duration;

/// A StatusNotifier host on the test bus, as a desktop with a tray has (KDE, XFCE, GNOME's AppIndicator
/// extension): its watcher's well-known name and interface, served on a thread of its own for as long as this
/// lives. FirmaDesk closes to the tray only where one is. Its icon registers here, as with a real host; the
/// test then reads the icon's menu and picks its items through the menu's D-Bus interface (`com.canonical.dbusmenu`),
/// which is what the host does when the clerk clicks them.
struct TrayHost {
    bus: gio::DBusConnection,
    main_loop: gio::glib::MainLoop,
    /// The icons registered: (bus name, object path).
    items: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

const WATCHER_XML: &str = r#"<node><interface name="org.kde.StatusNotifierWatcher">
  <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
  <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
  <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
  <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
  <property name="ProtocolVersion" type="i" access="read"/>
  <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
  <signal name="StatusNotifierHostRegistered"/>
</interface></node>"#;

/// One entry of a tray menu, as the host reads it.
#[derive(Debug, Clone)]
struct TrayEntry {
    id: i32,
    label: String,
    enabled: bool,
}

impl TrayHost {
    fn start() -> Self {
        use gio::prelude::*;
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("a session bus (cargo xtask test)");
        let items = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
        let (ready, started) = std::sync::mpsc::channel();
        let registered = items.clone();
        // Method calls reach the main context that was the thread's default when the object was registered:
        // a thread of its own runs it.
        let thread = std::thread::spawn(move || {
            let context = gio::glib::MainContext::new();
            let main_loop = gio::glib::MainLoop::new(Some(&context), false);
            let bus = context
                .with_thread_default(|| {
                    let bus = gio::DBusConnection::for_address_sync(
                        &address,
                        gio::DBusConnectionFlags::AUTHENTICATION_CLIENT
                            | gio::DBusConnectionFlags::MESSAGE_BUS_CONNECTION,
                        None,
                        gio::Cancellable::NONE,
                    )
                    .expect("connect to the session bus");
                    let info = gio::DBusNodeInfo::for_xml(WATCHER_XML)
                        .expect("watcher interface")
                        .lookup_interface("org.kde.StatusNotifierWatcher")
                        .expect("watcher interface");
                    let on_items = registered.clone();
                    let _id = bus
                        .register_object(
                            "/StatusNotifierWatcher",
                            &info,
                            move |conn, sender, _path, _iface, method, params, invocation| {
                                if method == "RegisterStatusNotifierItem" {
                                    let service = params.child_value(0).str().unwrap_or_default().to_owned();
                                    // The item names its object path (libappindicator) or its bus name.
                                    let (name, path) = if service.starts_with('/') {
                                        (sender.to_owned(), service.clone())
                                    } else {
                                        (service.clone(), "/StatusNotifierItem".to_owned())
                                    };
                                    on_items.lock().expect("items").push((name.clone(), path));
                                    let _ = conn.emit_signal(
                                        None,
                                        "/StatusNotifierWatcher",
                                        "org.kde.StatusNotifierWatcher",
                                        "StatusNotifierItemRegistered",
                                        Some(&(name,).to_variant()),
                                    );
                                }
                                invocation.return_value(None);
                            },
                            {
                                let on_items = registered.clone();
                                move |_conn, _sender, _path, _iface, property| match property {
                                    "RegisteredStatusNotifierItems" => on_items
                                        .lock()
                                        .expect("items")
                                        .iter()
                                        .map(|(name, _)| name.clone())
                                        .collect::<Vec<_>>()
                                        .to_variant(),
                                    "IsStatusNotifierHostRegistered" => true.to_variant(),
                                    _ => 0i32.to_variant(),
                                }
                            },
                            |_conn, _sender, _path, _iface, _property, _value| false,
                        )
                        .expect("serve the watcher");
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
                    bus
                })
                .expect("the host's main context");
            ready.send((bus, main_loop.clone())).expect("hand the host over");
            main_loop.run();
        });
        let (bus, main_loop) = started.recv().expect("the tray host started");
        Self {
            bus,
            main_loop,
            items,
            thread: Some(thread),
        }
    }

    /// The menu of the icon FirmaDesk registered: (bus name, menu object path), once it has.
    async fn menu(&self) -> Result<(String, String), String> {
        use gio::prelude::*;
        let (name, path) = eventually("FirmaDesk's icon registered with the tray", UI_TIMEOUT, || async {
            self.items.lock().expect("items").first().cloned()
        })
        .await?;
        let reply = self
            .bus
            .call_sync(
                Some(&name),
                &path,
                "org.freedesktop.DBus.Properties",
                "Get",
                Some(&("org.kde.StatusNotifierItem", "Menu").to_variant()),
                Some(gio::glib::VariantTy::new("(v)").expect("type")),
                gio::DBusCallFlags::NONE,
                5000,
                gio::Cancellable::NONE,
            )
            .map_err(|e| format!("the icon's menu: {e}"))?;
        let menu = reply
            .child_value(0)
            .as_variant()
            .and_then(|v| v.str().map(str::to_owned))
            .ok_or_else(|| format!("the icon's Menu property: {reply}"))?;
        Ok((name, menu))
    }

    /// The entries of FirmaDesk's tray menu, as the host shows them (labels without Fluent's isolation marks).
    fn entries(&self, (name, menu): &(String, String)) -> Result<Vec<TrayEntry>, String> {
        use gio::prelude::*;
        let reply = self
            .bus
            .call_sync(
                Some(name),
                menu,
                "com.canonical.dbusmenu",
                "GetLayout",
                Some(&(0i32, -1i32, Vec::<String>::new()).to_variant()),
                Some(gio::glib::VariantTy::new("(u(ia{sv}av))").expect("type")),
                gio::DBusCallFlags::NONE,
                5000,
                gio::Cancellable::NONE,
            )
            .map_err(|e| format!("the menu's layout: {e}"))?;
        let children = reply.child_value(1).child_value(2);
        let mut entries = Vec::new();
        for i in 0..children.n_children() {
            let Some(child) = children.child_value(i).as_variant() else {
                continue;
            };
            let id = child.child_value(0).get::<i32>().unwrap_or(-1);
            let props = gio::glib::VariantDict::new(Some(&child.child_value(1)));
            let label = props
                .lookup_value("label", None)
                .and_then(|v| v.str().map(str::to_owned))
                .unwrap_or_default()
                .replace(['\u{2068}', '\u{2069}'], "");
            let enabled = props
                .lookup_value("enabled", None)
                .and_then(|v| v.get::<bool>())
                .unwrap_or(true);
            entries.push(TrayEntry { id, label, enabled });
        }
        Ok(entries)
    }

    /// Picks the entry labelled `label`, as the host does on the clerk's click.
    fn click(&self, menu: &(String, String), label: &str) -> TestResult {
        use gio::prelude::*;
        let entries = self.entries(menu)?;
        let entry = entries
            .iter()
            .find(|e| e.label == label)
            .ok_or_else(|| format!("no '{label}' in the tray menu: {entries:?}"))?;
        self.bus
            .call_sync(
                Some(&menu.0),
                &menu.1,
                "com.canonical.dbusmenu",
                "Event",
                Some(&(entry.id, "clicked", 0i32.to_variant(), 0u32).to_variant()),
                None,
                gio::DBusCallFlags::NONE,
                5000,
                gio::Cancellable::NONE,
            )
            .map_err(|e| format!("click '{label}': {e}"))?;
        Ok(())
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        let _ = self.bus.close_sync(gio::Cancellable::NONE);
        self.main_loop.quit();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
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

/// Waits off the async threads (at most `seconds`) for a notification line holding `needle` on the bus; gives
/// the monitor back with what it saw (the notice's lines, or every line if it did not come).
async fn told_on_bus(
    monitor: BusMonitor,
    needle: &'static str,
    seconds: u64,
) -> Result<(BusMonitor, Result<Vec<String>, Vec<String>>), tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let told = monitor.wait_for(needle, Duration::from_secs(seconds));
        (monitor, told)
    })
    .await
}

/// Closes the main window as its title bar's button does, and waits until it is hidden.
async fn close_window(app: &App) -> TestResult {
    app.client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.window.getCurrentWindow().close().then(() => done(true), e => done(String(e)));",
            vec![],
        )
        .await?;
    until_visible(app, false).await
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
async fn closed_to_the_tray_it_warns_of_a_deadline_archives_and_notifies_a_signature_and_reopens_from_the_tray() {
    let host = TrayHost::start();
    let files = tempfile::tempdir().unwrap();
    // How far ahead of the computer's the engine's clock runs (seconds): days pass for the deadline at once.
    let ahead = files.path().join("clock-ahead");
    std::fs::write(&ahead, "0").unwrap();
    let app = App::launch_env(
        "always_on",
        &[("FIRMADESK_E2E_CLOCK_FILE", &ahead.display().to_string())],
    )
    .await;
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
        close_window(&app).await?;
        assert!(
            running_on(app.data_dir()),
            "FirmaDesk quit instead of closing to the tray"
        );
        let (monitor, told) = told_on_bus(monitor, "FirmaDesk continua a funzionare", 20).await?;
        let told = told.map_err(|seen| format!("no notice that FirmaDesk keeps working; the bus saw {seen:?}"))?;
        assert!(
            told.iter().any(|l| l.contains("Esci")),
            "the notice says how to quit: {told:?}"
        );

        // The tray's menu counts the request waiting for signature.
        let menu = host.menu().await?;
        eventually("the tray menu counting one request waiting", WORK_TIMEOUT, || async {
            host.entries(&menu)
                .ok()?
                .into_iter()
                .find(|e| e.label == "1 in attesa di firma" && !e.enabled)
        })
        .await?;

        // Days pass: the request enters its last 48 hours, and the desktop is told with no window shown.
        let detail = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI__.core.invoke('request_detail', { id: arguments[0] })
                   .then(d => done(d.request.expires_at), e => done(JSON.stringify(e)));",
                vec![serde_json::Value::String(id.clone())],
            )
            .await?;
        let expires_ms = detail
            .as_i64()
            .ok_or_else(|| format!("the request's deadline: {detail}"))?;
        let now_ms = i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_millis(),
        )?;
        let day = 24 * 3600;
        assert!(
            expires_ms / 1000 - now_ms / 1000 > 2 * day,
            "sent with more than 48 hours to go"
        );
        std::fs::write(&ahead, (expires_ms / 1000 - now_ms / 1000 - day).to_string())?;
        let (monitor, told) = told_on_bus(monitor, "Richiesta in scadenza", 60).await?;
        let told = told.map_err(|seen| format!("no 'in scadenza' notice; the bus saw {seen:?}"))?;
        assert!(
            told.iter().any(|l| l.contains("scade entro 48 ore")),
            "the notice says when: {told:?}"
        );
        assert!(!window_visible(&app).await?, "the window stayed closed");

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

        // "Apri FirmaDesk" in the tray's menu shows the window.
        host.click(&menu, "Apri FirmaDesk")?;
        until_visible(&app, true).await?;
        eventually("the tray menu counting none waiting", WORK_TIMEOUT, || async {
            host.entries(&menu)
                .ok()?
                .into_iter()
                .find(|e| e.label == "Nessuna in attesa di firma")
        })
        .await?;

        // Closed again, launching FirmaDesk again hands over to the running one, which shows its window.
        close_window(&app).await?;
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
