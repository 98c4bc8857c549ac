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

/// `desk` started again, as the shell does in Modalità ufficio: on the team database its settings name, with
/// the same folder, keyring and clock.
async fn restarted(desk: &Desk, dir: &std::path::Path) -> Desk {
    let settings = desk.settings.lock().unwrap().clone();
    let store = team::open(settings.team.as_ref().unwrap(), &*desk.secrets, desk.now_ms())
        .await
        .unwrap();
    Desk::with_store(
        dir.to_path_buf(),
        settings,
        firmadesk_desk::sandbox::SandboxService::new(dir),
        Arc::new(store),
        desk.secrets.clone(),
        desk.clock.clone(),
    )
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

/// A desk on the team database, as the shell opens it in Modalità ufficio, working on `profile`.
async fn office_desk(db: &firmadesk_testkit::pg::ScratchDb, profile: &str) -> (tempfile::TempDir, Arc<Desk>) {
    let dir = tempfile::tempdir().unwrap();
    let first = test_desk(dir.path(), clock());
    team::enable(&first, form(&db.url), Some(db.password.clone()))
        .await
        .unwrap();
    firmadesk_desk::save_settings(&first, |s| s.active_profile = Some(profile.into())).unwrap();
    let desk = restarted(&first, dir.path()).await;
    (dir, Arc::new(desk))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_desk_sends_the_worker_sends_and_every_desk_sees_with_who_did_it() {
    use firmadesk_desk::requests;
    // Desk B is the worker's desk (it holds the key); desk A has none: its engine only queues.
    let office = Office::open("desk_office").await;
    let (sb, b) = (&office.sb, office.w.clone());
    let (_a_dir, a) = office_desk(&office.db, "comune").await;
    let mut b_feed = b.store.changes().expect("a team desk follows the office's changes");
    let a_engine = keyless_engine(&a);
    let doc_id = firmadesk_desk::testing::import_contract(&a, &firmadesk_testkit::pdf::contract()).await;
    let (_, id) = submit_contract(&a, &a_engine, &doc_id).await;

    // Desk B hears of it from the feed, not by polling.
    let heard = tokio::time::timeout(std::time::Duration::from_secs(2), async {
        loop {
            if let Ok(firmadesk_store::Change::Row { table, id: subject }) = b_feed.recv().await {
                if table == "requests" && subject == id.as_str() {
                    return;
                }
            }
        }
    })
    .await;
    assert!(heard.is_ok(), "desk B heard of A's request within 2 s");

    // The worker sends it; B sees it waiting, with A's clerk on the timeline.
    let started = std::time::Instant::now();
    loop {
        let detail = serde_json::to_value(requests::request_detail(&b, id.clone()).await.unwrap()).unwrap();
        if detail["request"]["status"] == "waiting" {
            let created = detail["events"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["code"] == "created")
                .cloned()
                .expect("the creation is on the timeline");
            assert_eq!(created["actor"], firmadesk_engine::this_user_at_machine(), "{created}");
            eprintln!(
                "queued on desk A → waiting for the citizen, seen on desk B: {:?}",
                started.elapsed()
            );
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "not sent: {detail}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(sb.signature_request_count(), 1);
    assert!(!a_engine.is_worker("comune"), "desk A never talked to IO Sign");

    // The citizen signs; the worker archives on its machine; desk B opens the signed PDF from the team
    // database, checked, in its own archive folder.
    let io_id = b.store.request(&id).await.unwrap().unwrap().io_request_id.unwrap();
    sb.sign(io_id.as_str()).await.unwrap();
    let started = std::time::Instant::now();
    let archived = loop {
        let files = b.store.archived_files(&id).await.unwrap();
        if let Some(file) = files.into_iter().next() {
            break file;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "never archived");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    std::fs::remove_file(&archived.path).unwrap();
    let opened = firmadesk_desk::archive::archived_pdf(&b, &id, &archived.io_document_id)
        .await
        .unwrap();
    assert!(
        opened.starts_with(firmadesk_desk::archive::archive_dir(&b)),
        "{}",
        opened.display()
    );
    let bytes = std::fs::read(&opened).unwrap();
    assert_eq!(firmadesk_store::sha256_hex(&bytes), archived.sha256);
    // A file changed on disk is not the signed one: refused.
    std::fs::write(&opened, b"%PDF-1.7 altered").unwrap();
    let altered = firmadesk_desk::archive::archived_pdf(&b, &id, &archived.io_document_id)
        .await
        .unwrap_err();
    assert_eq!(altered.code, Code::ArchiveAltered);
}

/// A keyring that cannot be reached (no Secret Service on this session).
struct NoKeyring;

impl firmadesk_auth::SecretStore for NoKeyring {
    fn get(&self, _: &str, _: &str) -> Result<Option<firmadesk_auth::Secret>, firmadesk_auth::AuthError> {
        Err(firmadesk_auth::AuthError::new(
            firmadesk_auth::AuthErrorKind::NoKeyring,
            "test: no keyring",
        ))
    }
    fn set(&self, _: &str, _: &str, _: &firmadesk_auth::Secret) -> Result<(), firmadesk_auth::AuthError> {
        Err(firmadesk_auth::AuthError::new(
            firmadesk_auth::AuthErrorKind::NoKeyring,
            "test: no keyring",
        ))
    }
    fn delete(&self, _: &str, _: &str) -> Result<(), firmadesk_auth::AuthError> {
        Err(firmadesk_auth::AuthError::new(
            firmadesk_auth::AuthErrorKind::NoKeyring,
            "test: no keyring",
        ))
    }
}

#[tokio::test]
async fn an_unreadable_keyring_is_the_cause_given_when_the_server_wants_a_password() {
    let db = firmadesk_testkit::pg::scratch_database("desk_no_keyring").await;
    let settings = firmadesk_desk::settings::TeamSettings {
        url: db.url.clone(),
        tls: false,
        ca_file: None,
    };
    // The test cluster asks for a password: without the keyring there is none to give.
    let err = team::open(&settings, &NoKeyring, 0).await.unwrap_err();
    assert_eq!(
        err.code,
        Code::from(firmadesk_auth::AuthErrorKind::NoKeyring),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_cannot_read_or_change_profiles_keys_templates_or_roles_until_an_administrator_says_so() {
    use firmadesk_desk::{profiles, requests, roles};
    use firmadesk_store::Role;
    let db = firmadesk_testkit::pg::scratch_database("desk_roles").await;
    // Desk A is the first on the new office: its clerk (user@machine, no login) administers it.
    let (_a_dir, a) = office_desk(&db, "ufficio").await;
    firmadesk_desk::testing::protected(&a, "ufficio").await;
    let me = serde_json::to_value(roles::me(&a).await.unwrap()).unwrap();
    assert_eq!(me["role"], "amministratore", "{me}");
    // Desk B: Anna logged in to the office's profile; nobody gave her a role.
    let (_b_dir, b) = office_desk(&db, "ufficio").await;
    b.auth.begin("ufficio", firmadesk_desk::testing::session());
    let me = serde_json::to_value(roles::me(&b).await.unwrap()).unwrap();
    assert_eq!(
        (me["identity"].as_str(), me["role"].as_str()),
        (Some("sub-anna"), Some("operatore"))
    );

    let engine = firmadesk_engine::Engine::builder(
        firmadesk_engine::EngineConfig::new(b.data_dir.join("archivio")),
        Arc::new(firmadesk_engine::RowStore::new(b.store.clone())),
    )
    .build();
    let profile_form = || {
        serde_json::from_value::<profiles::ProfileForm>(serde_json::json!({
            "id": "ufficio", "name": "Ufficio cambiato", "environment": "produzione",
            "base_url": "https://evil.example/api/v1/sign",
        }))
        .unwrap()
    };
    let doc_type = || {
        serde_json::from_value::<requests::DocTypeView>(
            serde_json::json!({"name": "Delibera", "dossier_title": "Delibere"}),
        )
        .unwrap()
    };
    // Every use case an administrator keeps, refused to the operator before it touches the data.
    let refused = [
        (
            "save_profile",
            profiles::save(&b, profile_form(), Some("chiave".into())).await.err(),
        ),
        ("verify_profile", profiles::verify(&b, "ufficio").await.err()),
        ("delete_profile", profiles::delete(&b, &engine, "ufficio").await.err()),
        (
            "save_document_type",
            requests::save_document_type(&b, doc_type()).await.err(),
        ),
        ("clerk_roles", roles::list(&b).await.err()),
        (
            "set_clerk_role",
            roles::set(&b, "sub-anna", Role::Amministratore).await.err(),
        ),
    ];
    for (command, err) in refused {
        let err = err.unwrap_or_else(|| panic!("{command}: an operator was let through"));
        assert_eq!(err.code, Code::RoleAdminOnly, "{command}: {err:?}");
    }
    let profile = b
        .store
        .profiles()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == "ufficio")
        .unwrap();
    assert_eq!(profile.name, "Ufficio ufficio", "nothing changed");
    assert!(b
        .store
        .document_types()
        .await
        .unwrap()
        .iter()
        .all(|t| t.name != "Delibera"));
    // The operator sees which profiles exist, not their settings.
    let seen = serde_json::to_value(profiles::views(&b).await.unwrap()).unwrap();
    let office = seen
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "ufficio")
        .unwrap()
        .clone();
    assert_eq!(
        (office["base_url"].as_str(), office["editable"].as_bool()),
        (Some(""), Some(false)),
        "{office}"
    );
    assert_eq!(office["oidc_issuer"], serde_json::Value::Null);

    // The administrator finds Anna, as an operator, in the office's list of roles.
    let listed = serde_json::to_value(roles::list(&a).await.unwrap()).unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["identity"] == "sub-anna" && r["role"] == "operatore"),
        "{listed}"
    );
    // The administrator makes Anna an administrator: from then on she may.
    roles::set(&a, "sub-anna", Role::Amministratore).await.unwrap();
    requests::save_document_type(&b, doc_type()).await.unwrap();
    let recorded = serde_json::to_value(roles::list(&b).await.unwrap()).unwrap();
    assert_eq!(recorded.as_array().unwrap().len(), 2, "{recorded}");

    // The body's login puts Anna in the FirmaDesk operators' group: the login decides, whatever was
    // recorded, and the office's list says where her role came from.
    b.auth.end();
    let mut session = firmadesk_desk::testing::session();
    session.clerk.office_role = Some("operatore".into());
    b.auth.begin("ufficio", session);
    let err = requests::save_document_type(&b, doc_type()).await.unwrap_err();
    assert_eq!(err.code, Code::RoleAdminOnly);
    let listed = serde_json::to_value(roles::list(&a).await.unwrap()).unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["identity"] == "sub-anna" && r["role"] == "operatore" && r["set_by"] == roles::LOGIN),
        "{listed}"
    );
}

#[tokio::test]
async fn a_desks_own_archive_moves_into_the_empty_team_database_once_with_its_signed_pdfs() {
    let db = firmadesk_testkit::pg::scratch_database("desk_move").await;
    let dir = tempfile::tempdir().unwrap();
    // Before office mode: one request of the body's profile, signed and archived on this desk.
    let alone = test_desk(dir.path(), clock());
    firmadesk_desk::testing::protected(&alone, "comune").await;
    firmadesk_desk::testing::request(&alone, "r1", "comune", "Mario Rossi").await;
    let signed = dir.path().join("Mario Rossi - Accordo - r1.pdf");
    std::fs::write(&signed, b"%PDF-1.7 firmato").unwrap();
    alone
        .store
        .record_archive(&firmadesk_store::ArchivedFile {
            request_id: "r1".into(),
            io_document_id: "d1".into(),
            path: signed.display().to_string(),
            sha256: firmadesk_store::sha256_hex(b"%PDF-1.7 firmato"),
            size: 16,
            archived_at: 3,
        })
        .await
        .unwrap();
    let not_yet = team::move_desk(&alone).await.unwrap_err();
    assert_eq!(not_yet.code, Code::TeamNotActive);

    // Office mode on, FirmaDesk started again on the team database: the administrator moves the data.
    team::enable(&alone, form(&db.url), Some(db.password.clone()))
        .await
        .unwrap();
    let desk = restarted(&alone, dir.path()).await;
    let report = serde_json::to_value(team::move_desk(&desk).await.unwrap()).unwrap();
    assert_eq!(
        (
            report["requests"].as_u64(),
            report["files_kept"].as_u64(),
            report["files_missing"].as_u64()
        ),
        (Some(1), Some(1), Some(0)),
        "{report}"
    );
    let moved = desk
        .store
        .request(&"r1".into())
        .await
        .unwrap()
        .expect("the request is in the office");
    assert_eq!(moved.signer_name, "Mario Rossi");
    assert_eq!(
        desk.store
            .file(&firmadesk_store::sha256_hex(b"%PDF-1.7 firmato"))
            .await
            .unwrap()
            .as_deref(),
        Some(&b"%PDF-1.7 firmato"[..]),
        "the signed PDF reaches every desk"
    );
    let again = team::move_desk(&desk).await.unwrap_err();
    assert_eq!(again.code, Code::StoreInvalid, "once: {again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_that_loses_the_office_keeps_showing_the_last_state_it_saw() {
    use firmadesk_desk::requests;
    // Its own server: stopping it disturbs no other test.
    let server = firmadesk_testkit::pg::PrivateCluster::start("desk_offline");
    let dir = tempfile::tempdir().unwrap();
    let first = test_desk(dir.path(), clock());
    firmadesk_desk::save_settings(&first, |s| {
        s.team = Some(firmadesk_desk::settings::TeamSettings {
            url: server.url.clone(),
            tls: false,
            ca_file: None,
        });
        s.active_profile = Some("comune".into());
    })
    .unwrap();
    let desk = restarted(&first, dir.path()).await;
    desk.store
        .upsert_profile(
            &firmadesk_store::Profile::new(
                "comune",
                "Comune",
                firmadesk_store::Environment::Test,
                "https://api.io.pagopa.it/api/v1/sign",
            ),
            0,
        )
        .await
        .unwrap();
    firmadesk_desk::testing::request(&desk, "r1", "comune", "Mario Rossi").await;
    let query = firmadesk_store::ListQuery::default;
    let seen = serde_json::to_value(requests::dashboard(&desk).await.unwrap()).unwrap();
    assert_eq!(seen.get("offline_since"), None);
    requests::list_requests(&desk, query()).await.unwrap();
    requests::request_detail(&desk, "r1".into()).await.unwrap();

    server.stop();
    let dashboard = serde_json::to_value(requests::dashboard(&desk).await.unwrap()).unwrap();
    assert!(
        dashboard["offline_since"].as_i64().is_some(),
        "marked as the last state seen: {dashboard}"
    );
    assert_eq!(dashboard["counts"], seen["counts"]);
    let page = serde_json::to_value(requests::list_requests(&desk, query()).await.unwrap()).unwrap();
    assert_eq!(
        (page["total"].as_u64(), page["offline_since"].is_i64()),
        (Some(1), true),
        "{page}"
    );
    let detail = serde_json::to_value(requests::request_detail(&desk, "r1".into()).await.unwrap()).unwrap();
    assert_eq!(detail["request"]["signer_name"], "Mario Rossi");
    assert!(detail["offline_since"].is_i64());
    // What was never seen cannot be shown: the clerk is told the office is unreachable.
    let unseen = requests::request_detail(&desk, "r2".into()).await.unwrap_err();
    assert_eq!(unseen.code, Code::StoreUnreachable);

    server.start_again();
    let started = std::time::Instant::now();
    loop {
        let fresh = serde_json::to_value(requests::dashboard(&desk).await.unwrap()).unwrap();
        if fresh.get("offline_since").is_none() {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the office never came back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Polls `check` until it holds (each try awaited), failing after `limit`.
async fn until<F, Fut>(limit: std::time::Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = std::time::Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The office of the send tests: the sandbox with the body's key, a team database, and a worker desk
/// ("comune" at the sandbox) whose engine holds the key: it sends and polls for every desk.
struct Office {
    sb: iosign_sandbox::SandboxHandle,
    db: firmadesk_testkit::pg::ScratchDb,
    w: Arc<Desk>,
    _w_dir: tempfile::TempDir,
    _worker: firmadesk_engine::Engine,
}

impl Office {
    async fn open(label: &str) -> Self {
        const KEY: &str = "desk-office-key";
        let sb = iosign_sandbox::Sandbox::start(iosign_sandbox::SandboxConfig {
            api_keys: vec![KEY.into()],
            validation_delay: std::time::Duration::from_millis(10),
            publish_delay: std::time::Duration::from_millis(20),
            ..iosign_sandbox::SandboxConfig::default()
        })
        .await
        .unwrap();
        let db = firmadesk_testkit::pg::scratch_database(label).await;
        let (w_dir, w) = office_desk(&db, "comune").await;
        w.store
            .upsert_profile(
                &firmadesk_store::Profile::new("comune", "Comune", firmadesk_store::Environment::Test, sb.base_url()),
                w.now_ms(),
            )
            .await
            .unwrap();
        let worker = firmadesk_engine::Engine::builder(
            firmadesk_engine::EngineConfig::new(w.data_dir.join("archivio-worker")),
            Arc::new(firmadesk_engine::RowStore::new(w.store.clone())),
        )
        .build();
        worker
            .add_profile(
                "comune",
                iosign::Client::new(sb.base_url(), iosign::ApiKey::new(KEY)).unwrap(),
            )
            .await
            .unwrap();
        Self {
            sb,
            db,
            w,
            _w_dir: w_dir,
            _worker: worker,
        }
    }

    /// A cable the test pulls in front of the database, and the database's address through it.
    async fn cable(&self) -> (firmadesk_testkit::cut::Cable, firmadesk_testkit::pg::ScratchDb) {
        let cable = firmadesk_testkit::cut::Cable::in_front_of(&self.db.url).await;
        let through = firmadesk_testkit::pg::ScratchDb {
            url: cable.route(&self.db.url),
            password: self.db.password.clone(),
            name: self.db.name.clone(),
        };
        (cable, through)
    }
}

/// The engine of a desk without the key: it only queues sends in the office's outbox.
fn keyless_engine(desk: &Desk) -> Arc<firmadesk_engine::Engine> {
    Arc::new(
        firmadesk_engine::Engine::builder(
            firmadesk_engine::EngineConfig::new(desk.data_dir.join("archivio")),
            Arc::new(firmadesk_engine::RowStore::new(desk.store.clone())),
        )
        .build(),
    )
}

/// What the shell starts in team mode: the desk hands its kept sends over by itself (`held::follow`).
fn hand_over_by_itself(desk: &Arc<Desk>, engine: &Arc<firmadesk_engine::Engine>) -> tokio::task::JoinHandle<()> {
    let (desk, engine) = (desk.clone(), engine.clone());
    tokio::spawn(async move { firmadesk_desk::held::follow(&desk, &engine).await })
}

/// "Richiedi firma" of the contract draft on `desk`: the answer, and the request's id.
async fn submit_contract(
    desk: &Desk,
    engine: &firmadesk_engine::Engine,
    doc_id: &str,
) -> (serde_json::Value, firmadesk_store::LocalId) {
    let submitted = serde_json::to_value(
        firmadesk_desk::requests::submit_request(desk, engine, firmadesk_desk::testing::contract_draft(doc_id))
            .await
            .expect("the send is accepted (queued, or kept while the office is away)"),
    )
    .unwrap();
    let id = serde_json::from_value(submitted["id"].clone()).unwrap();
    (submitted, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_cut_keeps_sends_on_the_desk_and_hands_each_to_the_office_once_when_it_returns() {
    use firmadesk_desk::{held, requests};
    // Desk A reaches the office through a cable the test pulls; the worker (a server) stays connected.
    let office = Office::open("desk_cut").await;
    let (sb, w) = (&office.sb, &office.w);
    let (cable, through_cable) = office.cable().await;
    let (_a_dir, a) = office_desk(&through_cable, "comune").await;
    let a_engine = keyless_engine(&a);
    let following = hand_over_by_itself(&a, &a_engine);

    // Online: the clerk opened the dashboard and the form (their answers are what A shows once cut).
    requests::dashboard(&a).await.unwrap();
    requests::document_types(&a).await.unwrap();
    let pdf = firmadesk_testkit::pdf::contract();
    let doc_id = firmadesk_desk::testing::import_contract(&a, &firmadesk_testkit::pdf::contract()).await;

    cable.cut();
    let (submitted, id) = submit_contract(&a, &a_engine, &doc_id).await;
    assert_eq!(
        submitted["held"], true,
        "a send while the office is away is kept: {submitted}"
    );
    // The imported PDF may go (retention): the kept send has its own copy.
    for entry in std::fs::read_dir(a.data_dir.join("documents")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let offline = requests::dashboard(&a).await.unwrap();
    let offline_json = serde_json::to_value(&offline).unwrap();
    assert!(offline_json["offline_since"].is_i64(), "{offline_json}");
    assert_eq!(offline.held().len(), 1, "the dashboard lists the kept send");
    assert_eq!(offline_json["held"][0]["id"], id.as_str());
    assert_eq!(w.store.request(&id).await.unwrap(), None, "nothing reached the office");
    assert_eq!(sb.signature_request_count(), 0);
    let leaving = team::disable(&a).unwrap_err();
    assert_eq!(
        leaving.code,
        Code::TeamHeldSends,
        "office mode is not left with a send waiting for it"
    );
    let kept_before = held::all(&a).pop().expect("kept on the desk");
    let kept_pdf = std::fs::read(&kept_before.spec.documents[0].path).unwrap();
    assert_eq!(kept_pdf, pdf, "the kept copy is the clerk's PDF");

    // The cable is back: the feed reconnects and the desk hands the send over by itself.
    let back = std::time::Instant::now();
    cable.restore();
    until(
        std::time::Duration::from_secs(40),
        "the kept send reached the office",
        || async { w.store.send(&id).await.unwrap().is_some() },
    )
    .await;
    eprintln!(
        "cable restored → kept send in the office's outbox: {:?}",
        back.elapsed()
    );
    until(std::time::Duration::from_secs(30), "the worker sent it", || async {
        w.store
            .request(&id)
            .await
            .unwrap()
            .is_some_and(|r| r.status == firmadesk_store::Status::Waiting)
    })
    .await;
    until(
        std::time::Duration::from_secs(5),
        "the kept copy was released",
        || async { held::all(&a).is_empty() },
    )
    .await;
    assert!(requests::dashboard(&a).await.unwrap().held().is_empty());
    let created = w
        .store
        .events(&id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "created")
        .collect::<Vec<_>>();
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0].actor, firmadesk_engine::this_user_at_machine());

    // Handed over again (a desk that stopped after delivering and before forgetting it): still one.
    let mut again = kept_before.clone();
    let aside = a.data_dir.join("aside.pdf");
    std::fs::write(&aside, &kept_pdf).unwrap();
    again.spec.documents[0].path = aside;
    held::keep(&a, &mut again).unwrap();
    let report = held::hand_over(&a, &a_engine).await;
    assert_eq!((report.delivered, report.kept), (1, 0));
    assert_eq!(sb.signature_request_count(), 1, "one request on IO Sign for one send");
    assert_eq!(
        w.store
            .events(&id)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.code == "created")
            .count(),
        1
    );
    following.abort();
    // Nothing waits any more: leaving office mode also takes what the desk kept of the office off the disk.
    assert!(a.data_dir.join("office-last-seen.json").exists());
    team::disable(&a).unwrap();
    assert!(!a.data_dir.join("office-last-seen.json").exists());
    assert!(!a.data_dir.join("office-rules.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_without_the_key_cancels_through_the_worker_and_every_desk_sees_it_cancelled() {
    use firmadesk_desk::requests;
    let office = Office::open("desk_cancel").await;
    let (sb, w) = (&office.sb, &office.w);
    let (_a_dir, a) = office_desk(&office.db, "comune").await;
    let a_engine = keyless_engine(&a);
    let doc_id = firmadesk_desk::testing::import_contract(&a, &firmadesk_testkit::pdf::contract()).await;
    let (_, id) = submit_contract(&a, &a_engine, &doc_id).await;
    let status = |desk: Arc<Desk>, id: firmadesk_store::LocalId| async move {
        desk.store.request(&id).await.unwrap().map(|r| r.status)
    };
    until(std::time::Duration::from_secs(30), "sent and waiting", || {
        let (w, id) = (w.clone(), id.clone());
        async move { status(w, id).await == Some(firmadesk_store::Status::Waiting) }
    })
    .await;
    // The send itself finished too (its IO message out): the worker's saga no longer owns the row.
    until(std::time::Duration::from_secs(30), "the send finished", || {
        let (w, id) = (w.clone(), id.clone());
        async move { w.store.send(&id).await.unwrap().is_some_and(|s| s.step == "waiting") }
    })
    .await;
    let io_id = w.store.request(&id).await.unwrap().unwrap().io_request_id.unwrap();
    let calls_before = sb.request_log().len();

    // Desk A holds no key: it asks, the worker cancels on IO Sign, both desks see it cancelled.
    assert!(!a_engine.is_worker("comune"));
    requests::cancel_request(&a, &a_engine, id.clone()).await.unwrap();
    until(std::time::Duration::from_secs(30), "cancelled on every desk", || {
        let (a, id) = (a.clone(), id.clone());
        async move { status(a, id).await == Some(firmadesk_store::Status::Cancelled) }
    })
    .await;
    assert_eq!(sb.signature_request_status(io_id.as_str()), Some("CANCELLED"));
    assert!(
        sb.request_log()[calls_before..]
            .iter()
            .any(|call| call.operation == Some("setSignatureRequestStatus")),
        "the worker asked IO Sign to cancel"
    );
    let events = a.store.events(&id).await.unwrap();
    let asked = events
        .iter()
        .find(|e| e.code == "cancel_requested")
        .expect("the request is on the timeline");
    assert_eq!(asked.actor, firmadesk_engine::this_user_at_machine());
    assert!(events.iter().any(|e| e.code == "cancelled"), "{events:?}");
    // Cancelled already: refused at once, nothing asked of the worker.
    let again = requests::cancel_request(&a, &a_engine, id.clone()).await.unwrap_err();
    assert_eq!(
        again.code,
        firmadesk_desk::Code::from(firmadesk_engine::EngineErrorKind::NotAllowed)
    );
}

#[tokio::test]
async fn a_clerk_with_an_operators_database_login_is_an_operator_whatever_the_login_claims() {
    use firmadesk_desk::{requests, roles};
    let db = firmadesk_testkit::pg::scratch_database("desk_db_roles").await;
    // The owner's desk creates the tables; IT adds the office groups and Anna's own login.
    let (_owner_dir, owner) = office_desk(&db, "ufficio").await;
    firmadesk_desk::testing::protected(&owner, "ufficio").await;
    db.execute(include_str!("../../../packaging/postgres/office-roles.sql"))
        .await;
    let anna = format!("anna_{}", db.name);
    db.execute(&format!(
        "CREATE ROLE {anna} LOGIN PASSWORD 'anna-pw' IN ROLE firmadesk_operatori"
    ))
    .await;
    let annas_login = db.as_login(&anna, "anna-pw");
    let (_dir, desk) = office_desk(&annas_login, "ufficio").await;
    // Her body's login says administrator: the database's group decides.
    let mut session = firmadesk_desk::testing::session();
    session.clerk.office_role = Some("amministratore".into());
    desk.auth.begin("ufficio", session);
    let me = serde_json::to_value(roles::me(&desk).await.unwrap()).unwrap();
    assert_eq!(me["role"], "operatore", "{me}");
    let doc_type = serde_json::from_value::<requests::DocTypeView>(
        serde_json::json!({"name": "Delibera", "dossier_title": "Delibere"}),
    )
    .unwrap();
    let err = requests::save_document_type(&desk, doc_type).await.unwrap_err();
    assert_eq!(err.code, Code::RoleAdminOnly, "{err:?}");
    // She still sends and follows: the dashboard reads.
    requests::dashboard(&desk).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_started_while_the_office_is_away_shows_what_it_last_saw_keeps_its_sends_and_hands_them_over() {
    use firmadesk_desk::requests;
    let office = Office::open("desk_away").await;
    let (sb, w) = (&office.sb, &office.w);
    let (cable, through_cable) = office.cable().await;

    // Desk A saw the office once (the form: its document types; the profile needs no login)...
    let (a_dir, first_run) = office_desk(&through_cable, "comune").await;
    requests::dashboard(&first_run).await.unwrap();
    requests::document_types(&first_run).await.unwrap();
    // ...then the network went down (the dashboard, read again, is the last one seen) and it starts again.
    cable.cut();
    let seen_at =
        serde_json::to_value(requests::dashboard(&first_run).await.unwrap()).unwrap()["offline_since"].clone();
    assert!(seen_at.is_i64(), "{seen_at}");
    let a = Arc::new(restarted(&first_run, a_dir.path()).await);
    drop(first_run);
    let shown = serde_json::to_value(
        requests::dashboard(&a)
            .await
            .expect("the last dashboard seen, from disk"),
    )
    .unwrap();
    assert_eq!(shown["offline_since"], seen_at, "{shown}");
    assert_eq!(shown["counts"]["waiting"], 0);
    let other = requests::request_detail(&a, "01NEVERSEEN".into()).await.unwrap_err();
    assert_eq!(
        other.code,
        Code::StoreUnreachable,
        "what was never seen is not invented"
    );
    let a_engine = keyless_engine(&a);
    let following = hand_over_by_itself(&a, &a_engine);
    let doc_id = firmadesk_desk::testing::import_contract(&a, &firmadesk_testkit::pdf::contract()).await;
    let (submitted, id) = submit_contract(&a, &a_engine, &doc_id).await;
    assert_eq!(
        submitted["held"], true,
        "checked against what the desk last saw, and kept: {submitted}"
    );

    // The network returns: the desk reaches the office by itself and the send leaves, once.
    cable.restore();
    until(
        std::time::Duration::from_secs(40),
        "the kept send reached the office",
        || async { w.store.send(&id).await.unwrap().is_some() },
    )
    .await;
    until(std::time::Duration::from_secs(30), "the worker sent it", || async {
        w.store
            .request(&id)
            .await
            .unwrap()
            .is_some_and(|r| r.status == firmadesk_store::Status::Waiting)
    })
    .await;
    assert_eq!(sb.signature_request_count(), 1);
    let fresh = requests::dashboard(&a).await.unwrap();
    assert!(fresh.held().is_empty());
    assert_eq!(fresh.counts().waiting, 1);
    following.abort();
}
