//! Embedded, forward-only, timestamped migrations.
//!
//! Each migration is an SQL file compiled into the binary, applied once in its own IMMEDIATE transaction
//! and recorded in `schema_migrations`. Before migrating a database that already holds data, a copy is
//! written with `VACUUM INTO`, so a failed or regretted upgrade never costs the clerk's work. A database
//! that records a migration this build does not know was written by a newer FirmaDesk: it is refused
//! rather than half-understood.

use crate::error::{ErrorKind, Result, StoreError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// One migration: a sortable id (`YYYYMMDDTHHMM_name`) and its SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Sortable identifier.
    pub id: &'static str,
    /// SQL applied in one transaction.
    pub sql: &'static str,
}

/// FirmaDesk's migrations, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        id: "20261125T0900_init",
        sql: include_str!("../migrations/sqlite/20261125T0900_init.sql"),
    },
    Migration {
        id: "20261203T1300_worker_lease",
        sql: include_str!("../migrations/sqlite/20261203T1300_worker_lease.sql"),
    },
    Migration {
        id: "20261203T1500_profile_counts",
        sql: include_str!("../migrations/sqlite/20261203T1500_profile_counts.sql"),
    },
    Migration {
        id: "20261203T1600_files",
        sql: include_str!("../migrations/sqlite/20261203T1600_files.sql"),
    },
    Migration {
        id: "20261203T1700_clerk_roles",
        sql: include_str!("../migrations/sqlite/20261203T1700_clerk_roles.sql"),
    },
    Migration {
        id: "20261205T0900_profile_testers",
        sql: include_str!("../migrations/sqlite/20261205T0900_profile_testers.sql"),
    },
    Migration {
        id: "20261206T0900_document_type_archive",
        sql: include_str!("../migrations/sqlite/20261206T0900_document_type_archive.sql"),
    },
    Migration {
        id: "20261206T1000_search_without_accents",
        sql: include_str!("../migrations/sqlite/20261206T1000_search_without_accents.sql"),
    },
    Migration {
        id: "20261207T0900_batches",
        sql: include_str!("../migrations/sqlite/20261207T0900_batches.sql"),
    },
    Migration {
        id: "20261207T1000_verifications",
        sql: include_str!("../migrations/sqlite/20261207T1000_verifications.sql"),
    },
    Migration {
        id: "20261208T0900_search_index",
        sql: include_str!("../migrations/sqlite/20261208T0900_search_index.sql"),
    },
    Migration {
        id: "20261209T0900_handoff",
        sql: include_str!("../migrations/sqlite/20261209T0900_handoff.sql"),
    },
    Migration {
        id: "20261210T0900_retention",
        sql: include_str!("../migrations/sqlite/20261210T0900_retention.sql"),
    },
];

fn applied(conn: &Connection) -> Result<Vec<String>> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )?;
    let mut stmt = conn.prepare("SELECT id FROM schema_migrations ORDER BY id")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// The migrations of `migrations` not in `done`, oldest first; a database that records one this build does
/// not know was written by a newer FirmaDesk and is refused with `newer` (the same rule for both backends).
pub(crate) fn pending<'a>(done: &[String], migrations: &'a [Migration], newer: &str) -> Result<Vec<&'a Migration>> {
    if let Some(unknown) = done.iter().find(|id| !migrations.iter().any(|m| m.id == id.as_str())) {
        return Err(StoreError::new(ErrorKind::NewerSchema, newer).detail(format!("unknown migration {unknown}")));
    }
    Ok(migrations.iter().filter(|m| !done.iter().any(|d| d == m.id)).collect())
}

/// Applies what is pending; returns the backup written first, if any.
pub fn migrate(
    conn: &mut Connection,
    db_path: Option<&Path>,
    migrations: &[Migration],
    now_ms: i64,
) -> Result<Option<PathBuf>> {
    let done = applied(conn)?;
    let pending = pending(
        &done,
        migrations,
        "L'archivio locale è stato creato da una versione più recente di FirmaDesk: aggiornare FirmaDesk.",
    )?;
    if pending.is_empty() {
        return Ok(None);
    }
    let backup = match db_path {
        Some(path) if !done.is_empty() => Some(backup(conn, path, pending[0].id)?),
        _ => None,
    };
    for m in pending {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(m.sql).map_err(|e| {
            StoreError::new(
                ErrorKind::Migration,
                "Aggiornamento dell'archivio locale non riuscito: nessun dato è stato modificato.",
            )
            .detail(format!("{}: {e}", m.id))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (id, applied_at) VALUES (?1, ?2)",
            (m.id, now_ms),
        )?;
        tx.commit()?;
        tracing::info!(migration = m.id, "store migrated");
    }
    Ok(backup)
}

/// Folder where backups are written, beside the database.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn backup(conn: &Connection, db_path: &Path, before: &str) -> Result<PathBuf> {
    let dir = backup_dir(db_path);
    std::fs::create_dir_all(&dir).map_err(|e| {
        StoreError::new(
            ErrorKind::Backup,
            "Impossibile salvare la copia di sicurezza dell'archivio locale: verificare lo spazio su disco.",
        )
        .detail(e)
    })?;
    let stem = db_path.file_stem().and_then(|s| s.to_str()).unwrap_or("firmadesk");
    let target = dir.join(format!("{stem}-before-{before}.db"));
    let _ = std::fs::remove_file(&target);
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])
        .map_err(|e| {
            StoreError::new(
                ErrorKind::Backup,
                "Impossibile salvare la copia di sicurezza dell'archivio locale: verificare lo spazio su disco.",
            )
            .detail(e)
        })?;
    Ok(target)
}

/// The newest backup beside a database, if any (named in the error when the database is damaged).
pub fn latest_backup(db_path: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(backup_dir(db_path)).ok()?;
    entries
        .filter_map(std::result::Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "db"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}
