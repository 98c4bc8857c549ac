//! The engine's tests that need a D-Bus session with a notification daemon (`cargo xtask test` runs them
//! under `dbus-run-session` with dunst, and enables the `dbus-tests` feature that builds this binary; a plain
//! `cargo test -p firmadesk-engine` leaves it out). They fail, never skip, without the bus.
//!
//! Signed → archived → a desktop notification on the real daemon, observed with dbus-monitor; and the
//! notifier's own delivery (each with its own title: the two run in parallel on one bus).
#![cfg(target_os = "linux")]

#[allow(dead_code)]
#[path = "it/common.rs"]
mod common;

use common::*;
use firmadesk_engine::{DesktopNotifier, Engine, EngineEvent, Notification, Notifier};
use firmadesk_testkit::bus::BusMonitor;
use std::sync::Arc;
use std::time::Duration;

/// The desk words notifications in the clerk's language (firmadesk-desk's `notify`); here a fixed wording
/// shows what the engine handed over reaches the daemon.
struct Worded(DesktopNotifier);

#[async_trait::async_trait]
impl Notifier for Worded {
    async fn notify(&self, n: Notification) {
        let body = format!("{} – {}: {:?}", n.request_title, n.signer_name, n.kind);
        self.0
            .notify_in_background("Documento firmato".into(), body, "Apri".into(), n.local_id.to_string());
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
        .notifier(Arc::new(Worded(DesktopNotifier::new(Arc::new(|_| {})))))
        .build();
    let mut rx = engine.subscribe();
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let pdf = h.pdf("contratto.pdf");
    engine
        .submit("bozza-d", h.spec(&pdf, firmadesk_engine::Delivery::IoMessage))
        .await
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
        text.contains("Contratto di locazione – Mario Rossi: Signed"),
        "body missing:\n{text}"
    );
    // The dashboard shows it signed and archived.
    let row = h.store.db().request(&"bozza-d".into()).await.unwrap().unwrap();
    assert_eq!(row.status, firmadesk_store::Status::Signed);
    assert!(row.archived);
    assert_eq!(h.store.db().archived_files(&"bozza-d".into()).await.unwrap().len(), 1);
}

/// Delivery on a real notification daemon, observed on the bus (needs the session `cargo xtask test`
/// provides: dbus-run-session with dunst).
#[test]
fn notification_reaches_the_daemon_on_dbus() {
    let monitor = BusMonitor::start();
    let notifier = DesktopNotifier::new(Arc::new(|_| {}));
    let id = notifier
        .show(
            "Notifica di prova",
            "Mario Rossi ha firmato «Accordo di collaborazione»",
            "Apri",
            "01TESTREQUEST",
        )
        .expect("the notification daemon refused the notification");
    assert!(id > 0, "the daemon returns a positive id, got {id}");
    let seen = monitor
        .wait_for("Notifica di prova", Duration::from_secs(10))
        .unwrap_or_else(|seen| panic!("no Notify call with our title on the bus; saw:\n{}", seen.join("\n")));
    assert!(
        seen.iter().any(|l| l.contains("FirmaDesk")),
        "app name missing from the Notify call"
    );
    assert!(
        seen.iter().any(|l| l.contains("Apri")),
        "open action missing:\n{}",
        seen.join("\n")
    );
}
