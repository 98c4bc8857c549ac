//! Desktop notifications through the platform's notification service (notify-rust: D-Bus
//! `org.freedesktop.Notifications` on Linux, Notification Center on macOS, toasts on Windows).
//!
//! Showing a notification must never block the engine, so each one is shown from its own thread; where the
//! platform reports clicks (Linux), a click on "Apri" calls `on_open` with the request id so the shell can
//! bring the window forward on that request.

use crate::events::{Notification, Notifier};
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
    pub fn show(&self, title: &str, body: &str, request_id: &str) -> Result<u32, String> {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("FirmaDesk")
            .summary(title)
            .body(body)
            .action(OPEN_ACTION, "Apri");
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
                })
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
    pub fn notify_in_background(&self, title: String, body: String, request_id: String) {
        let this = self.clone();
        std::thread::spawn(move || {
            if let Err(e) = this.show(&title, &body, &request_id) {
                tracing::warn!(error = %e, request_id, "desktop notification not shown");
            }
        });
    }
}

impl Notifier for DesktopNotifier {
    fn notify(&self, n: Notification) {
        self.notify_in_background(n.title, n.body, n.request_id);
    }
}

impl std::fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesktopNotifier").finish_non_exhaustive()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    /// Delivery on a real notification daemon, observed on the bus (needs the session `cargo xtask test`
    /// provides: dbus-run-session with dunst).
    #[test]
    fn notification_reaches_the_daemon_on_dbus() {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no D-Bus session: run this test through `cargo xtask test`"
        );
        let mut monitor = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-monitor (package dbus)");
        let (lines_tx, lines) = mpsc::channel();
        let stdout = monitor.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        // dbus-monitor announces itself (NameAcquired) once its match rule is active.
        let ready = lines
            .recv_timeout(Duration::from_secs(10))
            .expect("dbus-monitor did not start");
        assert!(!ready.is_empty());

        let notifier = DesktopNotifier::new(Arc::new(|_| {}));
        let id = notifier
            .show(
                "Documento firmato",
                "Mario Rossi ha firmato «Accordo di collaborazione»",
                "01TESTREQUEST",
            )
            .expect("the notification daemon refused the notification");
        assert!(id > 0, "the daemon returns a positive id, got {id}");

        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        let found = loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains("Documento firmato");
                    seen.push(line);
                    if hit {
                        break true;
                    }
                }
                Err(_) => break false,
            }
        };
        let _ = monitor.kill();
        let _ = monitor.wait();
        assert!(
            found,
            "no Notify call with our title on the bus; saw:\n{}",
            seen.join("\n")
        );
        assert!(
            seen.iter().any(|l| l.contains("FirmaDesk")),
            "app name missing from the Notify call"
        );
    }
}
