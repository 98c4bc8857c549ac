//! Modalità ufficio on a real PostgreSQL (the test cluster): the connection test changes nothing, a wrong
//! password or a missing address is said in Italian, turning the mode on keeps the password in the keyring
//! (never in the settings file) and applies from the next start, where the desk opens the team database.

use firmadesk_auth::{SERVICE, TEAM_DATABASE_PASSWORD};
use firmadesk_desk::team::{self, TeamForm};
use firmadesk_desk::testing::{clock, test_desk};
use firmadesk_desk::{Code, Desk};
use firmadesk_store::{Backend, Store};
use std::sync::Arc;

fn form(url: &str) -> TeamForm {
    TeamForm {
        url: url.into(),
        // The test cluster is on loopback without TLS (the only place TLS may be off).
        tls: false,
        ca_file: None,
    }
}

fn view(desk: &Desk) -> serde_json::Value {
    serde_json::to_value(team::view(desk).unwrap()).unwrap()
}

#[tokio::test]
async fn office_mode_is_tested_then_turned_on_for_the_next_start_with_the_password_in_the_keyring() {
    let db = firmadesk_testkit::pg::scratch_database("desk_team").await;
    let dir = tempfile::tempdir().unwrap();
    let desk = test_desk(dir.path(), clock());
    assert_eq!(view(&desk)["active"], false);
    assert_eq!(view(&desk)["url"], serde_json::Value::Null);

    let missing = team::test(&desk, form("  "), None).await.unwrap_err();
    assert_eq!(missing.code, Code::TeamMissingUrl);
    let denied = team::test(&desk, form(&db.url), Some("sbagliata".into()))
        .await
        .unwrap_err();
    assert_eq!(denied.code, Code::StoreDenied);
    assert!(denied.message.contains("Modalità ufficio"), "{}", denied.message);
    let cleartext = team::test(&desk, form("postgres://firmadesk@db.comune.example/firmadesk"), None)
        .await
        .unwrap_err();
    assert_eq!(cleartext.code, Code::StoreInvalid, "no TLS towards another machine");

    let probe = serde_json::to_value(
        team::test(&desk, form(&db.url), Some(db.password.clone()))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (probe["schema"].as_str(), probe["requests"].as_u64()),
        (Some("empty"), Some(0))
    );
    assert_eq!(
        desk.secrets.get(SERVICE, TEAM_DATABASE_PASSWORD).unwrap(),
        None,
        "a test saves nothing"
    );

    team::enable(&desk, form(&db.url), Some(db.password.clone()))
        .await
        .unwrap();
    let on = view(&desk);
    assert_eq!(
        (on["active"].as_bool(), on["restart_needed"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(on["password_saved"], true);
    let file = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(
        file.contains(&db.url) && !file.contains(&db.password),
        "the password never in the settings file"
    );

    // The next start: the desk opens the team database with the keyring's password.
    let settings = desk.settings.lock().unwrap().clone();
    let store = team::open(settings.team.as_ref().unwrap(), &*desk.secrets, desk.now_ms())
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    let types: Vec<String> = store
        .document_types()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert!(
        types.iter().any(|t| t == "Accordo"),
        "a new team database starts with document types: {types:?}"
    );
    let next = Desk::with_store(
        dir.path().to_path_buf(),
        settings,
        firmadesk_desk::sandbox::SandboxService::new(dir.path()),
        Arc::new(store),
        desk.secrets.clone(),
        desk.clock.clone(),
    );
    let next_view = view(&next);
    assert_eq!(
        (next_view["active"].as_bool(), next_view["restart_needed"].as_bool()),
        (Some(true), Some(false))
    );

    team::disable(&next).unwrap();
    assert_eq!(next.secrets.get(SERVICE, TEAM_DATABASE_PASSWORD).unwrap(), None);
    assert_eq!(
        view(&next)["restart_needed"],
        true,
        "back to the desk's own file from the next start"
    );
}
