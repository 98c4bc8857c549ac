//! Desktop notifications through the platform's notification service (notify-rust: D-Bus
//! `org.freedesktop.Notifications` on Linux, Notification Center on macOS, toasts on Windows).
//!
//! It shows worded notifications: the engine's [`crate::Notification`] says what happened in no language, and
//! the desk words it in the clerk's language before it comes here. Showing one must never block the engine, so
//! each is shown from its own thread; where the platform reports clicks (Linux), a click on the open action
//! calls `on_open` with the request id so the shell can bring the window forward on that request.

use std::sync::Arc;

/// Callback run when the clerk clicks a notification.
pub type OnOpen = Arc<dyn Fn(String) + Send + Sync>;

/// Shows FirmaDesk's notifications.
#[derive(Clone)]
pub struct DesktopNotifier {
    on_open: OnOpen,
}

/// Action key of the notification's main action.
const OPEN_ACTION: &str = "default";

impl DesktopNotifier {
    /// A notifier that calls `on_open(request_id)` when a notification is clicked.
    pub fn new(on_open: OnOpen) -> Self {
        Self { on_open }
    }

    /// Shows a notification and returns the id the notification service gave it. Blocks for the D-Bus
    /// round trip only (a few ms); use [`DesktopNotifier::notify_in_background`] from async code.
    /// `open_label` names the open action ("Apri") in the clerk's language.
    pub fn show(&self, title: &str, body: &str, open_label: &str, request_id: &str) -> Result<u32, String> {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("FirmaDesk")
            .summary(title)
            .body(body)
            .action(OPEN_ACTION, open_label);
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            notification.hint(notify_rust::Hint::Category("transfer.complete".into()));
            let handle = notification.show().map_err(|e| e.to_string())?;
            let id = handle.id();
            let on_open = self.on_open.clone();
            let request_id = request_id.to_string();
            // wait_for_action blocks until the notification is clicked or closed: keep it off the caller.
            std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    if action == OPEN_ACTION {
                        on_open(request_id);
                    }
                });
            });
            Ok(id)
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            let _ = (&self.on_open, request_id);
            notification.show().map(|_| 0).map_err(|e| e.to_string())
        }
    }

    /// Shows a notification from a background thread, logging failures (a missing notification service
    /// must never stop an archive or a send).
    pub fn notify_in_background(&self, title: String, body: String, open_label: String, request_id: String) {
        let this = self.clone();
        std::thread::spawn(move || {
            if let Err(e) = this.show(&title, &body, &open_label, &request_id) {
                tracing::warn!(error = %e, request_id, "desktop notification not shown");
            }
        });
    }
}

impl std::fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesktopNotifier").finish_non_exhaustive()
    }
}
