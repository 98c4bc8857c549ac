//! What only the team database has: migrations under a lock shared by desks that start together, the
//! connection settings a desk refuses before connecting, and the errors a clerk reads when the server
//! cannot be reached or refuses the login.

use crate::*;
use firmadesk_store::migrate::Migration;
use firmadesk_store::pg::Schema;
use firmadesk_store::*;

/// A plain connection to the database of `config`, for looking at what the store wrote.
async fn raw(config: &PgConfig) -> tokio_postgres::Client {
    let mut c: tokio_postgres::Config = config.url.parse().unwrap();
    c.password(config.password.clone().unwrap());
    let (client, connection) = c.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

async fn applied(config: &PgConfig) -> Vec<String> {
    raw(config)
        .await
        .query("SELECT id FROM schema_migrations ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn desks_that_connect_together_migrate_a_new_database_once() {
    let config = pg_config("together").await;
    let desks = (0..6).map(|i| {
        let config = config.clone();
        tokio::spawn(async move { PgStore::connect(&config, NOW + i).await })
    });
    for desk in desks {
        desk.await.unwrap().expect("every desk connects");
    }
    let ids: Vec<&str> = firmadesk_store::pg::MIGRATIONS.iter().map(|m| m.id).collect();
    assert_eq!(applied(&config).await, ids, "each migration recorded exactly once");
}

#[tokio::test]
async fn a_database_upgraded_by_a_newer_firmadesk_is_refused() {
    let config = pg_config("newer").await;
    let mut newer = firmadesk_store::pg::MIGRATIONS.to_vec();
    newer.push(Migration {
        id: "29991231T2359_future",
        sql: "CREATE TABLE future_things (id TEXT)",
    });
    drop(PgStore::connect_with(&config, NOW, &newer).await.unwrap());
    let err = PgStore::connect(&config, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::NewerSchema, "{err:?}");
    assert!(err.message.contains("aggiornare FirmaDesk"), "{}", err.message);
}

#[tokio::test]
async fn a_failed_migration_changes_nothing_and_a_later_fix_applies() {
    let config = pg_config("failed").await;
    let store = PgStore::connect(&config, NOW).await.unwrap();
    Store::upsert_profile(&store, &profile("p1"), NOW).await.unwrap();
    drop(store);
    let mut broken = firmadesk_store::pg::MIGRATIONS.to_vec();
    broken.push(Migration {
        id: "29990101T0000_next",
        sql: "ALTER TABLE requests ADD COLUMN half_done TEXT; THIS IS NOT SQL;",
    });
    let err = PgStore::connect_with(&config, NOW, &broken).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Migration, "{err:?}");
    let columns = raw(&config)
        .await
        .query(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'requests' AND column_name = 'half_done'",
            &[],
        )
        .await
        .unwrap();
    assert!(
        columns.is_empty(),
        "the failed migration's first statement was rolled back"
    );
    assert_eq!(applied(&config).await.len(), firmadesk_store::pg::MIGRATIONS.len());

    let mut fixed = firmadesk_store::pg::MIGRATIONS.to_vec();
    fixed.push(Migration {
        id: "29990101T0000_next",
        sql: "ALTER TABLE requests ADD COLUMN half_done TEXT",
    });
    let store = PgStore::connect_with(&config, NOW, &fixed).await.unwrap();
    assert_eq!(Store::profiles(&store).await.unwrap().len(), 1, "the data survived");
}

#[tokio::test]
async fn settings_that_would_leak_the_password_or_send_it_in_clear_are_refused_before_connecting() {
    let with_password = PgConfig::new("postgres://firmadesk:segreta@db.comune.example/firmadesk", None);
    let err = PgStore::connect(&with_password, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Invalid);
    assert!(err.message.contains("contiene una password"), "{}", err.message);
    assert!(
        !format!("{err:?}").contains("segreta"),
        "the error does not repeat the password"
    );

    let clear = PgConfig {
        tls: PgTls::Off,
        ..PgConfig::new("postgres://firmadesk@10.1.2.3/firmadesk", Some("segreta".into()))
    };
    let err = PgStore::connect(&clear, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Invalid);
    assert!(err.message.contains("senza TLS"), "{}", err.message);
    assert!(
        !format!("{clear:?}").contains("segreta"),
        "the settings' Debug hides the password"
    );

    let no_user = PgConfig::new("postgres://db.comune.example/firmadesk", None);
    let err = PgStore::connect(&no_user, NOW).await.unwrap_err();
    assert!(err.message.contains("manca l'utente"), "{}", err.message);

    let garbage = PgConfig::new("http://non un indirizzo", None);
    let err = PgStore::connect(&garbage, NOW).await.unwrap_err();
    assert!(
        err.message.contains("Indirizzo del database non valido"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn a_wrong_password_a_closed_port_and_a_server_without_tls_each_say_what_to_check() {
    let config = pg_config("errors").await;

    let wrong = PgConfig {
        password: Some("not-the-password".into()),
        ..config.clone()
    };
    let err = PgStore::connect(&wrong, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Denied, "{err:?}");
    assert!(err.message.contains("utente o password"), "{}", err.message);
    let none = PgConfig {
        password: None,
        ..config.clone()
    };
    let err = PgStore::connect(&none, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Denied, "no password where one is asked: {err:?}");
    assert!(err.message.contains("chiede una password"), "{}", err.message);

    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = PgConfig {
        url: format!("postgres://firmadesk@127.0.0.1:{free_port}/firmadesk"),
        ..config.clone()
    };
    let err = PgStore::connect(&closed, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    assert!(err.message.contains("non è raggiungibile"), "{}", err.message);

    let no_database = PgConfig {
        url: config
            .url
            .rsplit_once('/')
            .map(|(base, _)| format!("{base}/missing_db"))
            .unwrap(),
        ..config.clone()
    };
    let err = PgStore::connect(&no_database, NOW).await.unwrap_err();
    assert!(err.message.contains("non esiste"), "{}", err.message);

    // TLS is the default; the test cluster speaks none, so the desk refuses to go on in clear.
    let tls = PgConfig {
        tls: PgTls::Verify,
        ..config.clone()
    };
    let err = PgStore::connect(&tls, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    assert!(err.message.contains("TLS"), "{}", err.message);

    let bad_ca = PgConfig {
        tls: PgTls::VerifyWith {
            extra_roots_pem: "not a certificate".into(),
        },
        ..config
    };
    let err = PgStore::connect(&bad_ca, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Invalid, "{err:?}");
}

#[tokio::test]
async fn no_column_of_the_team_database_could_hold_a_secret() {
    let config = pg_config("secrets").await;
    drop(PgStore::connect(&config, NOW).await.unwrap());
    let columns: Vec<(String, String)> = raw(&config)
        .await
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(columns.len() > 40, "{columns:?}");
    for (table, column) in columns {
        let c = column.to_lowercase();
        assert!(
            !["key", "token", "secret", "password"].iter().any(|w| c.contains(w)),
            "{table}.{column} looks like it could hold a secret"
        );
    }
}

/// The next change a desk's feed announces about `id` (skipping others), within `limit`.
async fn next_about(
    feed: &mut tokio::sync::broadcast::Receiver<Change>,
    id: &str,
    limit: std::time::Duration,
) -> Option<Change> {
    tokio::time::timeout(limit, async {
        loop {
            match feed.recv().await {
                Ok(change @ Change::Row { .. }) if matches!(&change, Change::Row { id: i, .. } if i == id) => {
                    return change
                }
                Ok(Change::Resync) => return Change::Resync,
                Ok(_) => {}
                Err(e) => panic!("feed ended: {e}"),
            }
        }
    })
    .await
    .ok()
}

#[tokio::test]
async fn what_one_desk_commits_reaches_the_other_desks_feed_and_a_lost_feed_comes_back_with_a_resync() {
    let config = pg_config("feed").await;
    let desk_a = PgStore::connect(&config, NOW).await.unwrap();
    let desk_b = PgStore::connect(&config, NOW).await.unwrap();
    Store::upsert_profile(&desk_a, &profile("p1"), NOW).await.unwrap();
    let mut feed = desk_b.changes().expect("the team store has a feed");

    let sent = std::time::Instant::now();
    save_plain(&desk_a, "r1", Status::Sending).await;
    let change = next_about(&mut feed, "r1", std::time::Duration::from_secs(2)).await;
    assert_eq!(
        change,
        Some(Change::Row {
            table: "requests".into(),
            id: "r1".into()
        }),
        "desk B hears of desk A's request within 2 s"
    );
    eprintln!("change seen by the other desk after {:?}", sent.elapsed());

    // The feed's connection dies (server restart, network cut): it comes back and says so.
    let killed = raw(&config)
        .await
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(killed, 2, "one listening connection per desk");
    let resync = next_about(&mut feed, "-", std::time::Duration::from_secs(10)).await;
    assert_eq!(resync, Some(Change::Resync));
    Store::add_event(
        &desk_a,
        &Event {
            request_id: "r1".into(),
            at: NOW,
            actor: "Anna Bianchi".into(),
            code: "send.started".into(),
            text: "Invio avviato".into(),
            detail_json: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        next_about(&mut feed, "r1", std::time::Duration::from_secs(2)).await,
        Some(Change::Row {
            table: "events".into(),
            id: "r1".into()
        }),
        "after the resync the feed carries changes again"
    );
    // A table whose trigger names its subject column (the roles) and one that the function maps by name.
    Store::set_clerk_role(&desk_a, "anna@pc-1", Role::Operatore, "bruno@pc-2", NOW)
        .await
        .unwrap();
    assert_eq!(
        next_about(&mut feed, "anna@pc-1", std::time::Duration::from_secs(2)).await,
        Some(Change::Row {
            table: "clerk_roles".into(),
            id: "anna@pc-1".into()
        })
    );
    Store::upsert_document_type(&desk_a, "Delibera", "Delibere", None, "[]")
        .await
        .unwrap();
    assert_eq!(
        next_about(&mut feed, "Delibera", std::time::Duration::from_secs(2)).await,
        Some(Change::Row {
            table: "document_types".into(),
            id: "Delibera".into()
        })
    );
    assert!(
        SqliteStore::open_in_memory(NOW).unwrap().changes().is_none(),
        "one desk's file has no feed"
    );
}

#[tokio::test]
async fn contenders_that_ask_together_get_one_lease_and_a_deposed_worker_cannot_write() {
    let config = pg_config("fencing").await;
    let store = PgStore::connect(&config, NOW).await.unwrap();
    Store::upsert_profile(&store, &profile("p1"), NOW).await.unwrap();
    let contenders = (0..8).map(|i| {
        let config = config.clone();
        tokio::spawn(async move {
            let desk = PgStore::connect(&config, NOW).await.unwrap();
            desk.try_lease("p1", &format!("desk-{i}"), NOW, 15_000).await.unwrap()
        })
    });
    let mut winners = Vec::new();
    for c in contenders {
        winners.extend(c.await.unwrap());
    }
    assert_eq!(
        winners.len(),
        1,
        "exactly one of eight contenders holds the key: {winners:?}"
    );
    let first = winners.pop().unwrap();

    // The first worker writes through its fence; then it stalls, its lease expires, another takes over.
    let old_worker = store.fenced(first.clone());
    save_plain(&old_worker, "r1", Status::Sending).await;
    let second = store
        .try_lease("p1", "desk-new", NOW + 15_000, 15_000)
        .await
        .unwrap()
        .expect("taken over after expiry");
    assert_eq!(second.epoch, first.epoch + 1);
    let new_worker = store.fenced(second);
    let mut late = Store::request(&store, &"r1".into()).await.unwrap().unwrap();
    late.status = Status::Failed;
    let err = old_worker.update_request(&late).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Fenced, "{err:?}");
    let err = old_worker
        .save_send(&SendState {
            request_id: "r1".into(),
            step: "create_request".into(),
            state_json: "{}".into(),
            attempts: 0,
            next_attempt_at: None,
            create_attempted_at: Some(NOW),
            last_error: None,
            updated_at: NOW,
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Fenced);
    let row = Store::request(&store, &"r1".into()).await.unwrap().unwrap();
    assert_eq!(row.status, Status::Sending, "the deposed worker wrote nothing");
    assert!(Store::send(&store, &"r1".into()).await.unwrap().is_none());
    // The new holder writes; a desk (unfenced) still writes what the clerk does.
    late.status = Status::Waiting;
    new_worker.update_request(&late).await.unwrap();
    Store::upsert_document_type(&store, "Accordo", "Accordo di prova", None, "[]")
        .await
        .unwrap();
    assert_eq!(
        Store::request(&store, &"r1".into()).await.unwrap().unwrap().status,
        Status::Waiting
    );
}

/// A desk's file with a real history: one body profile and the sandbox's, each with requests.
fn desk_with_history(dir: &std::path::Path) -> SqliteStore {
    let desk = SqliteStore::open(&dir.join("firmadesk.db"), NOW).unwrap();
    desk.upsert_profile(&profile("p1"), NOW).unwrap();
    desk.upsert_profile(&profile("prova"), NOW).unwrap();
    desk.upsert_document_type("Accordo", "Accordo con il Comune", Some("urp@comune.example"), "[]")
        .unwrap();
    desk.set_dossier_id("p1", "Accordo", "01DOSSIER").unwrap();
    desk.upsert_signer("p1", "RSSMRA80A01H501U", "Mario Rossi", Some("01SIGNER"))
        .unwrap();
    let documents = vec![Document {
        position: 0,
        title: "Accordo".into(),
        path: "/dati/documenti/a.pdf".into(),
        sha256: Some("a".repeat(64)),
        size: Some(1234),
        io_document_id: Some("01DOC".into()),
        io_status: Some("READY".into()),
        reject_reason: None,
    }];
    let fields = vec![Field {
        document: 0,
        position: 0,
        placement: Placement::Coordinates {
            page: 0,
            x: 72.0,
            y: 700.0,
            w: 200.0,
            h: 60.0,
        },
        clause_type: "REQUIRED".into(),
        clause_title: "Firma".into(),
    }];
    for (i, status) in [Status::Signed, Status::Waiting, Status::Sending]
        .into_iter()
        .enumerate()
    {
        let id = format!("r{i}");
        let mut r = request(
            &id,
            status,
            "Mario Rossi",
            "RSSMRA80A01H501U",
            "Accordo",
            NOW + i as i64,
            None,
        );
        r.io_request_id = Some(format!("01IO{i}").into());
        desk.save_request(&r, &documents, &fields).unwrap();
        for code in ["created", "send.started"] {
            desk.add_event(&Event {
                request_id: id.as_str().into(),
                at: NOW + 10,
                actor: "Anna Bianchi".into(),
                code: code.into(),
                text: code.into(),
                detail_json: None,
            })
            .unwrap();
        }
        desk.save_send(&SendState {
            request_id: id.as_str().into(),
            step: if status == Status::Sending { "upload" } else { "waiting" }.into(),
            state_json: "{}".into(),
            attempts: 0,
            next_attempt_at: None,
            create_attempted_at: Some(NOW),
            last_error: None,
            updated_at: NOW,
        })
        .unwrap();
    }
    desk.record_archive(&ArchivedFile {
        request_id: "r0".into(),
        io_document_id: "01DOC".into(),
        path: "/archivio/r0.pdf".into(),
        sha256: "b".repeat(64),
        size: 99,
        archived_at: NOW,
    })
    .unwrap();
    let mut demo = request("demo", Status::Waiting, "Prova", "RSSMRA80A01H501U", "Prova", NOW, None);
    demo.profile_id = "prova".into();
    desk.save_request(&demo, &[], &[]).unwrap();
    desk
}

#[tokio::test]
async fn a_desks_history_moves_into_an_empty_team_database_once_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_with_history(dir.path());
    let team = PgStore::connect(&pg_config("transfer").await, NOW).await.unwrap();

    let report = team.import_desk(&desk, NOW).await.unwrap();
    assert_eq!(
        report,
        firmadesk_store::pg::TransferReport {
            profiles: 1,
            document_types: 1,
            dossiers: 1,
            signers: 1,
            requests: 3,
            documents: 3,
            events: 6,
            sends: 3,
            archived_files: 1,
            sandbox_requests_left: 1,
        }
    );
    // Everything reads back alike through the one interface.
    let ids: Vec<String> = Store::profiles(&team)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, ["p1"], "the sandbox profile stays on the desk");
    assert_eq!(
        Store::document_types(&team).await.unwrap(),
        desk.document_types().unwrap()
    );
    assert_eq!(
        Store::dossiers(&team, "p1").await.unwrap(),
        desk.dossiers("p1").unwrap()
    );
    assert_eq!(
        Store::signer_id(&team, "p1", "RSSMRA80A01H501U")
            .await
            .unwrap()
            .as_deref(),
        Some("01SIGNER")
    );
    for id in ["r0", "r1", "r2"] {
        let id = LocalId::from(id);
        assert_eq!(Store::request(&team, &id).await.unwrap(), desk.request(&id).unwrap());
        assert_eq!(
            Store::documents(&team, &id).await.unwrap(),
            desk.documents(&id).unwrap()
        );
        assert_eq!(Store::fields(&team, &id).await.unwrap(), desk.fields(&id).unwrap());
        assert_eq!(Store::events(&team, &id).await.unwrap(), desk.events(&id).unwrap());
        assert_eq!(Store::send(&team, &id).await.unwrap(), desk.send(&id).unwrap());
        assert_eq!(
            Store::archived_files(&team, &id).await.unwrap(),
            desk.archived_files(&id).unwrap()
        );
    }
    assert_eq!(Store::request(&team, &"demo".into()).await.unwrap(), None);
    let unfinished: Vec<String> = Store::unfinished_sends(&team)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.request_id.into())
        .collect();
    assert_eq!(unfinished, ["r2"], "the half-done send waits in the team's outbox");

    let again = team.import_desk(&desk, NOW).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::Invalid);
    assert!(again.message.contains("una volta sola"), "{}", again.message);
}

#[tokio::test]
async fn a_transfer_that_fails_half_way_leaves_the_team_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_with_history(dir.path());
    let config = pg_config("transfer_fails").await;
    let team = PgStore::connect(&config, NOW).await.unwrap();
    Store::upsert_document_type(&team, "Accordo", "Accordo già presente", None, "[]")
        .await
        .unwrap();
    // The timeline refuses its rows: the copy fails after the profiles, types and requests went in.
    raw(&config)
        .await
        .batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '23514'; END; $$;
             CREATE TRIGGER refuse_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse();",
        )
        .await
        .unwrap();
    let err = team.import_desk(&desk, NOW).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Invalid, "{err:?}");
    assert!(
        Store::profiles(&team).await.unwrap().is_empty(),
        "nothing of the desk went in"
    );
    assert_eq!(
        Store::document_types(&team).await.unwrap()[0].dossier_title,
        "Accordo già presente",
        "the team's own rows as they were"
    );
}

#[tokio::test]
async fn the_connection_test_says_what_is_there_and_changes_nothing() {
    let config = pg_config("probe").await;
    let empty = PgStore::probe(&config).await.unwrap();
    assert_eq!((empty.schema.clone(), empty.requests), (Schema::Empty, 0));
    assert!(!empty.server_version.is_empty());
    let tables: i64 = raw(&config)
        .await
        .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "a test creates no table");

    let store = PgStore::connect(&config, NOW).await.unwrap();
    Store::upsert_profile(&store, &profile("p1"), NOW).await.unwrap();
    save_plain(&store, "r1", Status::Waiting).await;
    let current = PgStore::probe(&config).await.unwrap();
    assert_eq!((current.schema, current.requests), (Schema::Current, 1));

    raw(&config)
        .await
        .execute("DELETE FROM schema_migrations WHERE id = '20261203T1600_files'", &[])
        .await
        .unwrap();
    assert_eq!(
        PgStore::probe(&config).await.unwrap().schema,
        Schema::Older { pending: 1 }
    );
    raw(&config)
        .await
        .execute("INSERT INTO schema_migrations VALUES ('20991231T0000_future', 0)", &[])
        .await
        .unwrap();
    assert_eq!(PgStore::probe(&config).await.unwrap().schema, Schema::Newer);

    let wrong = PgConfig {
        password: Some("sbagliata".into()),
        ..config.clone()
    };
    assert_eq!(PgStore::probe(&wrong).await.unwrap_err().kind, ErrorKind::Denied);
}

/// `config` for another login of the same database.
fn as_login(config: &PgConfig, user: &str, password: &str) -> PgConfig {
    let (scheme, rest) = config.url.split_once("://").unwrap();
    let (_, server) = rest.split_once('@').unwrap();
    PgConfig {
        tls: PgTls::Off,
        ..PgConfig::new(format!("{scheme}://{user}@{server}"), Some(password.into()))
    }
}

#[tokio::test]
async fn an_operators_own_login_cannot_change_profiles_document_types_or_roles_whatever_program_it_uses() {
    let config = pg_config("office_grants").await;
    let owner = PgStore::connect(&config, NOW).await.unwrap();
    Store::upsert_profile(&owner, &profile("p1"), NOW).await.unwrap();
    assert_eq!(
        owner.database_role().await.unwrap(),
        None,
        "the owner: recorded roles apply"
    );
    // What the body's IT runs (packaging/postgres/office-roles.sql), then one login per clerk.
    let it = raw(&config).await;
    it.batch_execute(include_str!("../../../../packaging/postgres/office-roles.sql"))
        .await
        .unwrap();
    let db = config.url.rsplit('/').next().unwrap();
    let (operator, administrator) = (format!("op_{db}"), format!("ad_{db}"));
    it.batch_execute(&format!(
        "CREATE ROLE {operator} LOGIN PASSWORD 'op-pw' IN ROLE firmadesk_operatori;
         CREATE ROLE {administrator} LOGIN PASSWORD 'ad-pw' IN ROLE firmadesk_amministratori;"
    ))
    .await
    .unwrap();

    // The operator's own login, through the store (any program would meet the same grants).
    let op = PgStore::connect(&as_login(&config, &operator, "op-pw"), NOW)
        .await
        .expect("an operator's login opens a database the owner has migrated");
    assert_eq!(op.database_role().await.unwrap(), Some(Role::Operatore));
    let mut renamed = profile("p1");
    renamed.base_url = "https://evil.example/api/v1/sign".into();
    let refused = [
        ("profile", Store::upsert_profile(&op, &renamed, NOW).await.err()),
        (
            "document type",
            op.upsert_document_type("Delibera", "Delibere", None, "[]").await.err(),
        ),
        (
            "role",
            op.set_clerk_role(&operator, Role::Amministratore, &operator, NOW)
                .await
                .err(),
        ),
    ];
    for (what, err) in refused {
        let err = err.unwrap_or_else(|| panic!("{what}: the database let an operator change it"));
        assert_eq!(err.kind, ErrorKind::Forbidden, "{what}: {err:?}");
        assert!(err.message.contains("amministratore"), "{what}: {}", err.message);
    }
    let kept = owner.profiles().await.unwrap();
    assert_eq!(kept[0].base_url, profile("p1").base_url, "nothing changed");
    assert!(owner
        .document_types()
        .await
        .unwrap()
        .iter()
        .all(|t| t.name != "Delibera"));
    // What an operator does goes through: a request, its timeline, the counters the trigger keeps.
    op.save_request(
        &request(
            "r1",
            Status::Waiting,
            "Mario Rossi",
            "RSSMRA80A01H501U",
            "Accordo",
            NOW,
            None,
        ),
        &[],
        &[],
    )
    .await
    .unwrap();
    op.add_event(&crate::requests::event("r1", NOW, "created"))
        .await
        .unwrap();
    assert_eq!(op.counts(Some("p1"), NOW, 7 * DAY).await.unwrap().waiting, 1);

    // The administrator's login may.
    let ad = PgStore::connect(&as_login(&config, &administrator, "ad-pw"), NOW)
        .await
        .unwrap();
    assert_eq!(ad.database_role().await.unwrap(), Some(Role::Amministratore));
    Store::upsert_profile(&ad, &renamed, NOW).await.unwrap();
    ad.upsert_document_type("Delibera", "Delibere", None, "[]")
        .await
        .unwrap();
}
