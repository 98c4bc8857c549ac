//! Signed → archived → a desktop notification on a real notification daemon (dunst on the
//! test's D-Bus session, as `cargo xtask test` provides), observed with dbus-monitor.

use crate::common::*;
use firmadesk_engine::{DesktopNotifier, Engine, EngineEvent};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Watches `Notify` calls on the session bus.
struct BusMonitor {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
}

impl BusMonitor {
    fn start() -> Self {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no D-Bus session: run this test through `cargo xtask test` (it starts dunst on a private bus)"
        );
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-monitor (package dbus)");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // dbus-monitor prints its NameAcquired signal once the match rule is active.
        lines
            .recv_timeout(Duration::from_secs(10))
            .expect("dbus-monitor did not start");
        Self { child, lines }
    }

    /// Waits for a Notify call whose text contains `needle`; returns every line seen.
    fn wait_for(&self, needle: &str, within: Duration) -> Result<Vec<String>, Vec<String>> {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains(needle);
                    seen.push(line);
                    if hit {
                        // The rest of the same message (body, hints) follows at once.
                        while let Ok(l) = self.lines.recv_timeout(Duration::from_millis(200)) {
                            seen.push(l);
                        }
                        return Ok(seen);
                    }
                }
                Err(_) => return Err(seen),
            }
        }
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_signature_is_archived_and_announced_on_the_desktop() {
    let monitor = BusMonitor::start();
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let mut config = engine_config(&h.archive());
    config.auto_sync = true;
    let engine = Engine::builder(config, h.store.clone())
        .notifier(Arc::new(DesktopNotifier::new(Arc::new(|_| {}))))
        .build();
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).unwrap();
    let pdf = h.pdf("contratto.pdf");
    engine
        .submit("bozza-d", h.spec(&pdf, firmadesk_engine::Delivery::IoMessage))
        .unwrap();
    let id = completed(&mut rx, "bozza-d", 20).await;

    sb.sign(&id).await.unwrap();
    let ev = wait_for(&mut rx, 20, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    let EngineEvent::Archived { path, .. } = ev else {
        unreachable!()
    };
    assert!(path.is_file());
    let seen = tokio::task::spawn_blocking(move || monitor.wait_for("Documento firmato", Duration::from_secs(10)))
        .await
        .unwrap()
        .unwrap_or_else(|seen| panic!("no notification on the bus; saw:\n{}", seen.join("\n")));
    let text = seen.join("\n");
    assert!(text.contains("FirmaDesk"), "app name missing:\n{text}");
    assert!(
        text.contains("Contratto di locazione – Mario Rossi: firmato su IO e salvato nell'archivio."),
        "body missing:\n{text}"
    );
    // The dashboard shows it signed and archived.
    let row = h.store.db().request("bozza-d").unwrap().unwrap();
    assert_eq!(row.status, firmadesk_store::Status::Signed);
    assert!(row.archived);
    assert_eq!(h.store.db().archived_files("bozza-d").unwrap().len(), 1);
}
