//! The team database's embedded, forward-only, timestamped migrations (`migrations/postgres/`), with the
//! same rules as the single-desk file's: each applied once in its own transaction and recorded in
//! `schema_migrations`; a database that records a migration this build does not know was upgraded by a
//! newer FirmaDesk and is refused. A session advisory lock makes desks that start together take turns:
//! the first migrates, the others find nothing pending.

use crate::error::{ErrorKind, Result, StoreError};
use crate::migrate::Migration;

/// The team database's migrations, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        id: "20261203T1100_init",
        sql: include_str!("../../migrations/postgres/20261203T1100_init.sql"),
    },
    Migration {
        id: "20261203T1200_change_feed",
        sql: include_str!("../../migrations/postgres/20261203T1200_change_feed.sql"),
    },
    Migration {
        id: "20261203T1300_worker_lease",
        sql: include_str!("../../migrations/postgres/20261203T1300_worker_lease.sql"),
    },
    Migration {
        id: "20261203T1400_search_index",
        sql: include_str!("../../migrations/postgres/20261203T1400_search_index.sql"),
    },
    Migration {
        id: "20261203T1500_profile_counts",
        sql: include_str!("../../migrations/postgres/20261203T1500_profile_counts.sql"),
    },
    Migration {
        id: "20261203T1600_files",
        sql: include_str!("../../migrations/postgres/20261203T1600_files.sql"),
    },
    Migration {
        id: "20261203T1700_clerk_roles",
        sql: include_str!("../../migrations/postgres/20261203T1700_clerk_roles.sql"),
    },
    Migration {
        id: "20261204T0900_request_counts",
        sql: include_str!("../../migrations/postgres/20261204T0900_request_counts.sql"),
    },
    Migration {
        id: "20261204T1000_office_grants",
        sql: include_str!("../../migrations/postgres/20261204T1000_office_grants.sql"),
    },
    Migration {
        id: "20261205T0900_profile_testers",
        sql: include_str!("../../migrations/postgres/20261205T0900_profile_testers.sql"),
    },
    Migration {
        id: "20261206T0900_document_type_archive",
        sql: include_str!("../../migrations/postgres/20261206T0900_document_type_archive.sql"),
    },
    Migration {
        id: "20261206T1000_search_without_accents",
        sql: include_str!("../../migrations/postgres/20261206T1000_search_without_accents.sql"),
    },
    Migration {
        id: "20261207T0900_batches",
        sql: include_str!("../../migrations/postgres/20261207T0900_batches.sql"),
    },
    Migration {
        id: "20261207T1000_verifications",
        sql: include_str!("../../migrations/postgres/20261207T1000_verifications.sql"),
    },
    Migration {
        id: "20261209T0900_handoff",
        sql: include_str!("../../migrations/postgres/20261209T0900_handoff.sql"),
    },
    Migration {
        id: "20261210T0900_retention",
        sql: include_str!("../../migrations/postgres/20261210T0900_retention.sql"),
    },
];

/// The advisory lock key that serialises migrations ("FDMIGRAT" as a number: any fixed value that no other
/// lock of FirmaDesk uses).
const MIGRATION_LOCK: i64 = 0x4644_4d49_4752_4154;

pub(crate) async fn migrate(
    client: &mut deadpool_postgres::Client,
    migrations: &[Migration],
    now_ms: i64,
) -> Result<()> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let outcome = migrate_locked(client, migrations, now_ms).await;
    // A failed unlock leaves the lock with this session, which ends when the pool drops the connection.
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    outcome
}

async fn migrate_locked(client: &mut deadpool_postgres::Client, migrations: &[Migration], now_ms: i64) -> Result<()> {
    // Created only when missing: a clerk's own login (office groups) may not create tables at all.
    let known = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .await?
        .try_get::<_, bool>(0)?;
    if !known {
        client
            .batch_execute("CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            .await?;
    }
    let done: Vec<String> = client
        .query("SELECT id FROM schema_migrations ORDER BY id", &[])
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    let pending = crate::migrate::pending(
        &done,
        migrations,
        "Il database dell'ufficio è stato aggiornato da una versione più recente di FirmaDesk: aggiornare FirmaDesk su questo computer.",
    )?;
    let applied = !pending.is_empty();
    for m in pending {
        let tx = client.transaction().await?;
        tx.batch_execute(m.sql).await.map_err(|e| {
            let forbidden = e.as_db_error().is_some_and(|db| db.code().code() == "42501");
            let (kind, message) = if forbidden {
                (
                    ErrorKind::Forbidden,
                    "Il database dell'ufficio va aggiornato per questa versione di FirmaDesk, ma questo utente non può farlo: avviare prima il servizio FirmaDesk aggiornato dell'ufficio (o una postazione con l'utente proprietario del database).",
                )
            } else {
                (
                    ErrorKind::Migration,
                    "Aggiornamento del database dell'ufficio non riuscito: nessun dato è stato modificato.",
                )
            };
            StoreError::new(kind, message).detail(format!("{}: {e}", m.id))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)",
            &[&m.id, &now_ms],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(migration = m.id, "team database migrated");
    }
    if applied {
        // New tables get the office groups' grants too (nothing happens while the groups do not exist).
        client.execute("SELECT firmadesk_grant_roles()", &[]).await?;
    }
    Ok(())
}
