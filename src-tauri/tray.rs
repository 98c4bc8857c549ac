//! The tray icon: how many requests wait for a signature, at a glance; click to bring FirmaDesk up. Its texts
//! follow the clerk's language (`firmadesk_desk::wording`), relabelled when the language changes.

use crate::state::AppState;
use firmadesk_desk::wording;
use firmadesk_engine::{Engine, EngineEvent};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};

fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The tray menu's items, kept to relabel them.
struct TrayMenu {
    open: MenuItem<tauri::Wry>,
    quit: MenuItem<tauri::Wry>,
}

async fn tooltip(app: &AppHandle) -> String {
    wording::tray_tooltip(app.state::<AppState>().locale(), waiting(app).await)
}

/// Recounts in the background and sets the tooltip (the count reads the store, which may be remote).
pub fn retooltip(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let text = tooltip(&app).await;
        if let Some(tray) = app.tray_by_id("main") {
            let _ = tray.set_tooltip(Some(text));
        }
    });
}

/// Rewords the tray in the clerk's current language (after a language change).
pub fn relabel(app: &AppHandle) {
    let (open, quit) = wording::tray_menu(app.state::<AppState>().locale());
    if let Some(menu) = app.try_state::<TrayMenu>() {
        let _ = menu.open.set_text(open);
        let _ = menu.quit.set_text(quit);
    }
    retooltip(app);
}

async fn waiting(app: &AppHandle) -> u64 {
    let state = app.state::<AppState>();
    state
        .store
        .counts(None, state.now_ms(), 0)
        .await
        .map(|c| c.waiting)
        .unwrap_or(0)
}

/// Adds the tray icon and keeps its count up to date from the engine's events.
pub fn install(app: &AppHandle, engine: &Engine) -> tauri::Result<()> {
    let (open, quit) = wording::tray_menu(app.state::<AppState>().locale());
    let open = MenuItem::with_id(app, "open", open, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", quit, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    app.manage(TrayMenu { open, quit });
    let mut builder = TrayIconBuilder::with_id("main")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "quit" => {
                // What the office looked like, for a next start while it is away.
                app.state::<AppState>().last_seen.keep_on_disk();
                app.exit(0);
            }
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
    let tray = builder.build(app)?;
    let mut events = engine.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        let _ = tray.set_tooltip(Some(tooltip(&app).await));
        loop {
            match events.recv().await {
                Ok(EngineEvent::SendCompleted { .. })
                | Ok(EngineEvent::StatusChanged { .. })
                | Err(RecvError::Lagged(_)) => {
                    let _ = tray.set_tooltip(Some(tooltip(&app).await));
                }
                Ok(_) => {}
                Err(RecvError::Closed) => break,
            }
        }
    });
    Ok(())
}
