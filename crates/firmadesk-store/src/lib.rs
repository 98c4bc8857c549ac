//! FirmaDesk's local cache: one SQLite file (bundled SQLite, WAL) holding profiles (no secrets), document
//! types and their IO dossiers, signers, signature requests with their documents and fields, the timeline
//! of every request, the send sagas' state and the archive of signed files. The dashboard reads it and
//! works offline; the engine writes every saga step here before taking the next.
//!
//! Opening checks integrity, refuses a schema newer than this build, and backs the file up (`VACUUM INTO`)
//! before applying pending migrations, each in its own IMMEDIATE transaction.
//!
//! Layout: this file opens the store; one module per group of tables adds its queries to [`Store`] —
//! `catalog` (profiles, document types, dossiers, signers), `requests` (requests, documents, fields),
//! `timeline`, `sends` (the saga outbox), `archive` (signed files), `dashboard` (counters and lists) — and
//! `tests/store/` mirrors them.
//!
//! # Example
//! ```
//! use firmadesk_store::{Store, Status, ListQuery};
//!
//! let now = 1_764_000_000_000; // unix ms, passed in: the store has no clock
//! let store = Store::open_in_memory(now)?;
//! let counts = store.counts(now, 7 * 24 * 3600 * 1000)?;
//! assert_eq!(counts.waiting, 0);
//! let page = store.list(&ListQuery { statuses: vec![Status::Waiting], ..Default::default() }, now)?;
//! assert!(page.rows.is_empty());
//! # Ok::<(), firmadesk_store::StoreError>(())
//! ```
#![deny(missing_docs)]

mod archive;
mod catalog;
mod dashboard;
mod error;
mod ids;
pub mod migrate;
mod model;
mod requests;
mod sends;
mod timeline;

pub use error::{ErrorKind, Result, StoreError};
pub use ids::{IoRequestId, LocalId};
pub use model::*;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The local cache. Cheap to share behind an `Arc`; calls are short transactions on one connection.
pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    backup: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL: the dashboard reads while the engine writes; busy_timeout: a second connection (a backup
    // tool, a future reader) waits instead of failing; foreign keys: documents never outlive requests.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL, not NORMAL: in WAL mode NORMAL does not fsync at commit, so a power cut can undo a
    // committed transaction. The send saga commits "create attempted" (and "notify attempted")
    // right before a non-idempotent call; losing that mark after the call went out means a
    // duplicate request or message. One fsync per commit (measured ~1.7 ms against ~0.03 ms on
    // the build machine's disk, issue #10) is cheap next to a network call, and one rule for
    // every write is simpler and safer than choosing per call which ones must survive.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

impl Store {
    /// Opens (or creates) the store at `path`, checking and migrating it. `now_ms` stamps migrations.
    pub fn open(path: &Path, now_ms: i64) -> Result<Store> {
        Self::open_with(path, now_ms, migrate::MIGRATIONS)
    }

    /// [`Store::open`] with an explicit migration list (tests of the migration machinery).
    pub fn open_with(path: &Path, now_ms: i64, migrations: &[migrate::Migration]) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::new(
                    ErrorKind::Sqlite,
                    "Impossibile creare la cartella dell'archivio locale.",
                )
                .detail(e)
            })?;
        }
        let mut conn = Connection::open(path)?;
        check_integrity(&conn, path)?;
        configure(&conn)?;
        let backup = migrate::migrate(&mut conn, Some(path), migrations, now_ms)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
            backup,
        })
    }

    /// A store in memory, for unit tests.
    pub fn open_in_memory(now_ms: i64) -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::migrate(&mut conn, None, migrate::MIGRATIONS, now_ms)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: None,
            backup: None,
        })
    }

    /// The backup written before this open's migrations, if any.
    pub fn backup_written(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A pragma's current value (tests and diagnostics).
    pub fn pragma(&self, name: &str) -> Result<String> {
        Ok(self
            .conn()
            .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })?)
    }
}

/// Integrity check at open; a damaged file is reported with the newest backup to restore.
fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let verdict: rusqlite::Result<String> = conn.query_row("PRAGMA quick_check", [], |r| r.get(0));
    match verdict {
        Ok(v) if v == "ok" => Ok(()),
        other => {
            let detail = match other {
                Ok(v) => v,
                Err(e) => e.to_string(),
            };
            let message = match migrate::latest_backup(path) {
                Some(b) => format!(
                    "L'archivio locale è danneggiato. È disponibile una copia di sicurezza in {}: chiudere FirmaDesk e ripristinarla, o contattare l'assistenza.",
                    b.display()
                ),
                None => format!(
                    "L'archivio locale {} è danneggiato e non ci sono copie di sicurezza: contattare l'assistenza prima di continuare.",
                    path.display()
                ),
            };
            Err(StoreError::new(ErrorKind::Corrupt, message).detail(detail))
        }
    }
}
