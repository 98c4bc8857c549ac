//! The tray icon: how many requests wait for a signature, at a glance; click to bring FirmaDesk up.

use crate::state::AppState;
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

/// "FirmaDesk – 3 richieste in attesa di firma".
pub fn tooltip(waiting: u64) -> String {
    match waiting {
        0 => "FirmaDesk – nessuna richiesta in attesa di firma".to_owned(),
        1 => "FirmaDesk – 1 richiesta in attesa di firma".to_owned(),
        n => format!("FirmaDesk – {n} richieste in attesa di firma"),
    }
}

fn waiting(app: &AppHandle) -> u64 {
    let state = app.state::<AppState>();
    state
        .store
        .counts(crate::commands::now_ms(), 0)
        .map(|c| c.waiting)
        .unwrap_or(0)
}

/// Adds the tray icon and keeps its count up to date from the engine's events.
pub fn install(app: &AppHandle, engine: &Engine) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Apri FirmaDesk", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Esci", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip(tooltip(waiting(app)))
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "quit" => app.exit(0),
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
        loop {
            match events.recv().await {
                Ok(EngineEvent::SendCompleted { .. })
                | Ok(EngineEvent::StatusChanged { .. })
                | Err(RecvError::Lagged(_)) => {
                    let _ = tray.set_tooltip(Some(tooltip(waiting(&app))));
                }
                Ok(_) => {}
                Err(RecvError::Closed) => break,
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tooltip_counts_in_italian() {
        assert_eq!(super::tooltip(0), "FirmaDesk – nessuna richiesta in attesa di firma");
        assert_eq!(super::tooltip(1), "FirmaDesk – 1 richiesta in attesa di firma");
        assert_eq!(super::tooltip(12), "FirmaDesk – 12 richieste in attesa di firma");
    }
}
