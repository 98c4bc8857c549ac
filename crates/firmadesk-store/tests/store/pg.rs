//! What only the team database has: migrations under a lock shared by desks that start together, the
//! connection settings a desk refuses before connecting, and the errors a clerk reads when the server
//! cannot be reached or refuses the login.

use crate::*;
use firmadesk_store::migrate::Migration;
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
