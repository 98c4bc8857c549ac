//! KeyringStore against the REAL Secret Service (gnome-keyring on a private D-Bus session).
//!
//! `cargo xtask test` provides that session. These tests fail (never skip) without it.

use std::process::Command;
use std::sync::Arc;

use firmadesk_auth::{api_key_account, AsyncSecretStore, AuthErrorKind, KeyringStore, Secret, SecretStore, SERVICE};

/// The real keyring tests need a session bus with an unlocked Secret Service.
fn require_bus() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "DBUS_SESSION_BUS_ADDRESS is not set: the real-keyring tests need a D-Bus session with an unlocked \
         gnome-keyring. Run them with `cargo xtask test` (by hand: see the Tests section of the \
         firmadesk-auth crate docs)."
    );
}

/// Unique account per test and process, so parallel tests and reruns never share an entry.
fn account(test: &str) -> String {
    format!("test:{}:{test}", std::process::id())
}

#[test]
fn keyring_set_get_overwrite_delete() {
    require_bus();
    let store = KeyringStore::new();
    store.probe().expect("Secret Service reachable");
    let acct = account("roundtrip");
    assert!(store.get(SERVICE, &acct).unwrap().is_none());

    store.set(SERVICE, &acct, &Secret::new("api-key-1")).unwrap();
    assert_eq!(store.get(SERVICE, &acct).unwrap().unwrap().expose(), "api-key-1");
    store.set(SERVICE, &acct, &Secret::new("api-key-2 àèìòù €")).unwrap();
    assert_eq!(
        store.get(SERVICE, &acct).unwrap().unwrap().expose(),
        "api-key-2 àèìòù €"
    );

    store.delete(SERVICE, &acct).unwrap();
    assert!(store.get(SERVICE, &acct).unwrap().is_none());
    // Idempotent delete.
    store.delete(SERVICE, &acct).unwrap();
}

#[test]
fn keyring_entries_are_keyed_by_service_and_account() {
    require_bus();
    let store = KeyringStore::new();
    let (a, b) = (account(&api_key_account("1")), account(&api_key_account("2")));
    store.set(SERVICE, &a, &Secret::new("one")).unwrap();
    store.set(SERVICE, &b, &Secret::new("two")).unwrap();
    store.set("FirmaDesk-other", &a, &Secret::new("other-service")).unwrap();
    assert_eq!(store.get(SERVICE, &a).unwrap().unwrap().expose(), "one");
    assert_eq!(store.get(SERVICE, &b).unwrap().unwrap().expose(), "two");
    assert_eq!(
        store.get("FirmaDesk-other", &a).unwrap().unwrap().expose(),
        "other-service"
    );
    store.delete(SERVICE, &a).unwrap();
    assert!(store.get(SERVICE, &a).unwrap().is_none());
    assert_eq!(store.get(SERVICE, &b).unwrap().unwrap().expose(), "two");
    store.delete(SERVICE, &b).unwrap();
    store.delete("FirmaDesk-other", &a).unwrap();
}

#[tokio::test]
async fn keyring_through_async_wrapper() {
    require_bus();
    let store = AsyncSecretStore::new(Arc::new(KeyringStore::new()));
    let acct = account("async");
    store
        .set(SERVICE, &acct, Secret::new("refresh-token-xyz"))
        .await
        .unwrap();
    assert_eq!(
        store.get(SERVICE, &acct).await.unwrap().unwrap().expose(),
        "refresh-token-xyz"
    );
    store.delete(SERVICE, &acct).await.unwrap();
    assert!(store.get(SERVICE, &acct).await.unwrap().is_none());
}

/// Without a bus the store fails with the typed NoKeyring error and its Italian message, and does not hang.
/// The bus address is changed only in a child process (this same test binary re-run on this one test), so
/// the shared test process's environment is never mutated.
#[test]
fn no_bus_gives_no_keyring_error() {
    const CHILD: &str = "FIRMADESK_AUTH_NO_BUS_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let err = KeyringStore::new()
            .set(SERVICE, "test:no-bus", &Secret::new("never-stored"))
            .unwrap_err();
        println!("KIND={}", err.code());
        println!("MESSAGE={err}");
        assert_eq!(err.kind(), AuthErrorKind::NoKeyring, "detail: {}", err.detail());
        return;
    }
    let missing = std::env::temp_dir().join(format!("firmadesk-no-bus-{}", std::process::id()));
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "no_bus_gives_no_keyring_error",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", missing.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("KIND=auth.no_keyring"), "{stdout}");
    assert!(
        stdout.contains("MESSAGE=Nessun portachiavi di sistema disponibile"),
        "{stdout}"
    );
    assert!(stdout.contains("gnome-keyring"), "{stdout}");
    assert!(!stdout.contains("never-stored"), "{stdout}");
}

/// A Secret Service that is running but locked (no password given to gnome-keyring): typed KeyringLocked.
/// Runs in a child process on its own private bus, so the shared, unlocked test keyring is never touched.
#[test]
fn locked_keyring_gives_keyring_locked_error() {
    const CHILD: &str = "FIRMADESK_AUTH_LOCKED_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let err = KeyringStore::new()
            .set(SERVICE, "test:locked", &Secret::new("never-stored"))
            .unwrap_err();
        println!("KIND={}", err.code());
        println!("MESSAGE={err}");
        println!("DETAIL={}", err.detail());
        return;
    }
    require_bus();
    let exe = std::env::current_exe().unwrap();
    let data = std::env::temp_dir().join(format!("firmadesk-locked-keyring-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    // The daemon's output goes to /dev/null so it never holds our pipes open, and the child has a
    // deadline of its own: this test can fail, never hang the run.
    let script = format!(
        "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 && \
         dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
         org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null && \
         exec timeout -k 5 60 '{}' --exact locked_keyring_gives_keyring_locked_error --nocapture --test-threads=1",
        exe.display()
    );
    // Unlocking a locked collection asks gcr-prompter for the password. With a display (the test
    // run has Xvfb) it would open a dialog nobody answers; without one the prompt is dismissed at
    // once, which is what a clerk who cancels the dialog sees: the typed "locked" error.
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &script])
        .env(CHILD, "1")
        .env("XDG_DATA_HOME", &data)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("dbus-run-session (package dbus) is needed, as for `cargo xtask test`");
    let _ = std::fs::remove_dir_all(&data);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("KIND=auth.keyring_locked"), "{stdout}");
    assert!(
        stdout.contains("MESSAGE=Il portachiavi di sistema è bloccato"),
        "{stdout}"
    );
}
