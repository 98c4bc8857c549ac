//! The tray icon (issue #16, "always on"): FirmaDesk keeps working there with its window closed. Its menu:
//! "Apri FirmaDesk", a disabled line with the number waiting for signature (kept current as the tooltip is),
//! "Sospendi/Riprendi sincronizzazione" and "Esci" (which asks first while sends are under way). Its texts
//! follow the clerk's language (`firmadesk_desk::wording`), relabelled when the language changes.
//!
//! Where it shows: the notification area on Windows, the menu bar on macOS, a StatusNotifier/AppIndicator
//! host on Linux (KDE, Cinnamon, XFCE, MATE; GNOME with the AppIndicator extension). With no host the window's
//! close quits FirmaDesk as before ([`keeps_running`]).

use crate::state::AppState;
use firmadesk_desk::{always_on, wording};
use firmadesk_engine::{Engine, EngineEvent};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// Brings the window up (shown if it was closed to the tray, unminimised, focused).
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// The tray menu's items, kept to relabel them.
struct TrayMenu {
    open: MenuItem<tauri::Wry>,
    waiting: MenuItem<tauri::Wry>,
    attention: MenuItem<tauri::Wry>,
    sync: MenuItem<tauri::Wry>,
    quit: MenuItem<tauri::Wry>,
}

/// Present once the tray icon is installed.
struct Installed;

/// Whether closing the window should hide it to the tray (FirmaDesk keeps working) rather than quit: the
/// icon was installed and, on Linux, a StatusNotifier host shows it now (else the clerk could not reach a
/// hidden FirmaDesk but by launching it again).
pub fn keeps_running(app: &AppHandle) -> bool {
    app.try_state::<Installed>().is_some() && host_available()
}

/// Linux: a StatusNotifier host runs (its watcher owns `org.kde.StatusNotifierWatcher` on the session bus);
/// libappindicator shows the icon only then (GNOME needs the AppIndicator extension).
#[cfg(target_os = "linux")]
fn host_available() -> bool {
    use gio::prelude::*;
    let Ok(bus) = gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE) else {
        return false;
    };
    bus.call_sync(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "NameHasOwner",
        Some(&("org.kde.StatusNotifierWatcher",).to_variant()),
        Some(gio::glib::VariantTy::new("(b)").expect("type")),
        gio::DBusCallFlags::NONE,
        1000,
        gio::Cancellable::NONE,
    )
    .ok()
    .and_then(|reply| reply.get::<(bool,)>())
    .is_some_and(|(owned,)| owned)
}

/// Windows (notification area) and macOS (menu bar) always show an installed icon.
#[cfg(not(target_os = "linux"))]
fn host_available() -> bool {
    true
}

fn sync_paused(app: &AppHandle) -> bool {
    app.try_state::<Engine>().is_some_and(|e| e.sync_paused())
}

/// Recounts in the background and sets the tooltip and the menu (the count reads the store, which may be
/// remote), in the clerk's current language.
pub fn retooltip(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move { refresh(&app).await });
}

/// The tray's count and mark, per OS: the tooltip says both everywhere; the number waiting is also the
/// icon's label where the tray shows text (beside the icon in macOS's menu bar and in Linux trays that
/// show AppIndicator labels, e.g. KDE; Windows' notification area has none); the attention mark — a red
/// dot on the icon while "Da fare" is not empty — shows on every tray.
async fn refresh(app: &AppHandle) {
    let state = app.state::<AppState>();
    let locale = state.locale();
    let counts = always_on::tray_counts(&state).await;
    let words = wording::tray_menu(locale, counts.waiting, counts.attention, sync_paused(app));
    if let Some(menu) = app.try_state::<TrayMenu>() {
        let _ = menu.open.set_text(words.open);
        let _ = menu.waiting.set_text(words.waiting);
        let _ = menu.attention.set_text(words.attention);
        let _ = menu.attention.set_enabled(counts.attention > 0);
        let _ = menu.sync.set_text(words.sync);
        let _ = menu.quit.set_text(words.quit);
    }
    if let Some(tray) = app.tray_by_id("main") {
        let _ = tray.set_tooltip(Some(wording::tray_tooltip(locale, counts.waiting, counts.attention)));
        let label = (counts.waiting > 0).then(|| counts.waiting.to_string());
        let _ = tray.set_title(label);
        let icon = app.default_window_icon().map(|base| {
            if counts.attention > 0 {
                let marked = always_on::with_attention_mark(base.rgba(), base.width(), base.height());
                tauri::image::Image::new_owned(marked, base.width(), base.height())
            } else {
                base.clone().to_owned()
            }
        });
        if let Some(icon) = icon {
            let _ = tray.set_icon(Some(icon));
        }
    }
}

/// "Da fare: n": the window, on "Da fare".
fn open_todo(app: &AppHandle) {
    show_window(app);
    let _ = app.emit("open-view", "#/todo");
}

/// Rewords the tray in the clerk's current language (after a language change).
pub fn relabel(app: &AppHandle) {
    retooltip(app);
}

/// "Sospendi/Riprendi sincronizzazione".
fn toggle_sync(app: &AppHandle) {
    if let Some(engine) = app.try_state::<Engine>() {
        if engine.sync_paused() {
            engine.resume_sync();
        } else {
            engine.pause_sync();
        }
        tracing::info!(paused = engine.sync_paused(), "sync toggled from the tray");
    }
    retooltip(app);
}

/// "Esci": at once, or after the clerk confirms when sends are under way (they resume at the next start).
pub fn quit(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let count = match app.try_state::<Engine>() {
            Some(engine) => always_on::sends_under_way(&app.state::<AppState>(), &engine).await,
            None => 0,
        };
        if count == 0 {
            exit(&app);
            return;
        }
        let (title, message, ok, cancel) = wording::quit_with_sends(app.state::<AppState>().locale(), count);
        let handle = app.clone();
        app.dialog()
            .message(message)
            .title(title)
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(ok, cancel))
            .show(move |quit| {
                if quit {
                    exit(&handle);
                }
            });
    });
}

fn exit(app: &AppHandle) {
    // What the office looked like, for a next start while it is away.
    app.state::<AppState>().last_seen.keep_on_disk();
    app.exit(0);
}

/// Adds the tray icon and keeps its count up to date from the engine's events.
pub fn install(app: &AppHandle, engine: &Engine) -> tauri::Result<()> {
    let words = wording::tray_menu(app.state::<AppState>().locale(), 0, 0, engine.sync_paused());
    let open = MenuItem::with_id(app, "open", words.open, true, None::<&str>)?;
    let waiting_line = MenuItem::with_id(app, "waiting", words.waiting, false, None::<&str>)?;
    let attention = MenuItem::with_id(app, "attention", words.attention, false, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", words.sync, true, None::<&str>)?;
    let quit_item = MenuItem::with_id(app, "quit", words.quit, true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &waiting_line, &attention, &separator, &sync, &quit_item])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "attention" => open_todo(app),
            "sync" => toggle_sync(app),
            "quit" => quit(app),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                show_window(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    app.manage(TrayMenu {
        open,
        waiting: waiting_line,
        attention,
        sync,
        quit: quit_item,
    });
    app.manage(Installed);
    let mut events = engine.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        refresh(&app).await;
        // Also once a minute: a deadline coming within 48 h or passing puts a request in "Da fare" with no
        // event.
        let mut minute = tokio::time::interval(std::time::Duration::from_secs(60));
        minute.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Ok(EngineEvent::SendCompleted { .. })
                    | Ok(EngineEvent::StatusChanged { .. })
                    | Err(RecvError::Lagged(_)) => refresh(&app).await,
                    Ok(_) => {}
                    Err(RecvError::Closed) => break,
                },
                _ = minute.tick() => refresh(&app).await,
            }
        }
    });
    Ok(())
}

/// The window's close: hidden to the tray when FirmaDesk keeps working there (told once, in the clerk's
/// language, with how to quit); otherwise it closes and FirmaDesk quits as before. Returns whether it hid.
pub fn close_to_tray(app: &AppHandle, window: &tauri::Window) -> bool {
    if !keeps_running(app) {
        return false;
    }
    let _ = window.hide();
    tracing::info!("window closed to the tray: FirmaDesk keeps working");
    if let Some((title, body, open_label)) = always_on::first_hide_notice(&app.state::<AppState>()) {
        let handle = app.clone();
        let notifier = firmadesk_engine::DesktopNotifier::new(std::sync::Arc::new(move |_| show_window(&handle)));
        notifier.notify_in_background(title, body, open_label, String::new());
    }
    true
}
