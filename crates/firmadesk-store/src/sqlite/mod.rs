//! The single-desk backend: one SQLite file (bundled SQLite, WAL, `synchronous=FULL`). One module per group
//! of tables adds its queries to [`SqliteStore`]; the [`Store`](crate::Store) implementation at the end of
//! this file hands each trait call to them.

mod archive;
mod batches;
mod catalog;
mod dashboard;
mod files;
mod leases;
mod requests;
mod roles;
mod sends;
mod timeline;

use crate::error::{ErrorKind, Result, StoreError};
use crate::migrate;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The single-desk store: one SQLite file. Cheap to share behind an `Arc`; calls are short transactions
/// on one connection.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
    backup: Option<PathBuf>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
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

impl SqliteStore {
    /// Opens (or creates) the store at `path`, checking and migrating it. `now_ms` stamps migrations.
    pub fn open(path: &Path, now_ms: i64) -> Result<SqliteStore> {
        Self::open_with(path, now_ms, migrate::MIGRATIONS)
    }

    /// [`Store::open`] with an explicit migration list (tests of the migration machinery).
    pub fn open_with(path: &Path, now_ms: i64, migrations: &[migrate::Migration]) -> Result<SqliteStore> {
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
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: Some(path.to_path_buf()),
            backup,
        })
    }

    /// A store in memory, for unit tests.
    pub fn open_in_memory(now_ms: i64) -> Result<SqliteStore> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::migrate(&mut conn, None, migrate::MIGRATIONS, now_ms)?;
        Ok(SqliteStore {
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

/// Each call is one short SQLite transaction, run inline: it blocks the calling task for about a
/// millisecond (one fsync), as it did before the interface was async.
#[async_trait::async_trait]
impl crate::Store for SqliteStore {
    fn backend(&self) -> crate::Backend {
        crate::Backend::Sqlite
    }
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<crate::Change>> {
        None
    }
    async fn upsert_profile(&self, p: &crate::Profile, now_ms: i64) -> Result<()> {
        SqliteStore::upsert_profile(self, p, now_ms)
    }
    async fn delete_profile(&self, id: &str) -> Result<()> {
        SqliteStore::delete_profile(self, id)
    }
    async fn profiles(&self) -> Result<Vec<crate::Profile>> {
        SqliteStore::profiles(self)
    }
    async fn save_batch(&self, batch: &crate::Batch, rows: &[crate::BatchRow]) -> Result<()> {
        SqliteStore::save_batch(self, batch, rows)
    }
    async fn batch(&self, id: &str) -> Result<Option<crate::Batch>> {
        SqliteStore::batch(self, id)
    }
    async fn batches(&self, profile_id: Option<&str>, limit: u32) -> Result<Vec<crate::Batch>> {
        SqliteStore::batches(self, profile_id, limit)
    }
    async fn batch_rows(&self, batch_id: &str) -> Result<Vec<crate::BatchRowState>> {
        SqliteStore::batch_rows(self, batch_id)
    }
    async fn set_batch_state(&self, id: &str, state: crate::BatchState, now_ms: i64) -> Result<()> {
        SqliteStore::set_batch_state(self, id, state, now_ms)
    }
    async fn set_batch_row_error(&self, batch_id: &str, position: u32, error: Option<&str>) -> Result<()> {
        SqliteStore::set_batch_row_error(self, batch_id, position, error)
    }
    async fn upsert_document_type(
        &self,
        name: &str,
        dossier_title: &str,
        support_email: Option<&str>,
        template_json: &str,
    ) -> Result<()> {
        SqliteStore::upsert_document_type(self, name, dossier_title, support_email, template_json)
    }
    async fn document_types(&self) -> Result<Vec<crate::DocumentType>> {
        SqliteStore::document_types(self)
    }
    async fn set_document_type_archived(&self, name: &str, archived: bool) -> Result<()> {
        SqliteStore::set_document_type_archived(self, name, archived)
    }
    async fn set_document_type_retention(&self, name: &str, years: Option<u32>) -> Result<()> {
        SqliteStore::set_document_type_retention(self, name, years)
    }
    async fn delete_document_type(&self, name: &str) -> Result<()> {
        SqliteStore::delete_document_type(self, name)
    }
    async fn set_dossier_id(&self, profile_id: &str, document_type: &str, dossier_id: &str) -> Result<()> {
        SqliteStore::set_dossier_id(self, profile_id, document_type, dossier_id)
    }
    async fn dossier_id(&self, profile_id: &str, document_type: &str) -> Result<Option<String>> {
        SqliteStore::dossier_id(self, profile_id, document_type)
    }
    async fn dossiers(&self, profile_id: &str) -> Result<Vec<(String, String)>> {
        SqliteStore::dossiers(self, profile_id)
    }
    async fn upsert_signer(
        &self,
        profile_id: &str,
        fiscal_code: &str,
        display_name: &str,
        signer_id: Option<&str>,
    ) -> Result<()> {
        SqliteStore::upsert_signer(self, profile_id, fiscal_code, display_name, signer_id)
    }
    async fn set_signer_id(&self, profile_id: &str, fiscal_code: &str, signer_id: &str) -> Result<()> {
        SqliteStore::set_signer_id(self, profile_id, fiscal_code, signer_id)
    }
    async fn signer_by_id(&self, profile_id: &str, signer_id: &str) -> Result<Option<(String, String)>> {
        SqliteStore::signer_by_id(self, profile_id, signer_id)
    }
    async fn signer_book(&self, profile_id: &str, text: &str, limit: u32) -> Result<Vec<(String, String)>> {
        SqliteStore::signer_book(self, profile_id, text, limit)
    }
    async fn signer_id(&self, profile_id: &str, fiscal_code: &str) -> Result<Option<String>> {
        SqliteStore::signer_id(self, profile_id, fiscal_code)
    }
    async fn save_request(
        &self,
        request: &crate::Request,
        documents: &[crate::Document],
        fields: &[crate::Field],
    ) -> Result<()> {
        SqliteStore::save_request(self, request, documents, fields)
    }
    async fn update_request(&self, request: &crate::Request) -> Result<()> {
        SqliteStore::update_request(self, request)
    }
    async fn request(&self, id: &crate::LocalId) -> Result<Option<crate::Request>> {
        SqliteStore::request(self, id)
    }
    async fn request_by_io_id(
        &self,
        profile_id: &str,
        io_request_id: &crate::IoRequestId,
    ) -> Result<Option<crate::Request>> {
        SqliteStore::request_by_io_id(self, profile_id, io_request_id)
    }
    async fn save_request_row(
        &self,
        request: &crate::Request,
        send: Option<&crate::SendState>,
        absorb: Option<&crate::LocalId>,
    ) -> Result<()> {
        SqliteStore::save_request_row(self, request, send, absorb)
    }
    async fn requests_in_dossier(&self, profile_id: &str, dossier_id: &str) -> Result<Vec<crate::Request>> {
        SqliteStore::requests_in_dossier(self, profile_id, dossier_id)
    }
    async fn documents(&self, request_id: &crate::LocalId) -> Result<Vec<crate::Document>> {
        SqliteStore::documents(self, request_id)
    }
    async fn fields(&self, request_id: &crate::LocalId) -> Result<Vec<crate::Field>> {
        SqliteStore::fields(self, request_id)
    }
    async fn save_send(&self, s: &crate::SendState) -> Result<()> {
        SqliteStore::save_send(self, s)
    }
    async fn send(&self, request_id: &crate::LocalId) -> Result<Option<crate::SendState>> {
        SqliteStore::send(self, request_id)
    }
    async fn unfinished_sends(&self) -> Result<Vec<crate::SendState>> {
        SqliteStore::unfinished_sends(self)
    }
    async fn add_event(&self, e: &crate::Event) -> Result<()> {
        SqliteStore::add_event(self, e)
    }
    async fn events(&self, request_id: &crate::LocalId) -> Result<Vec<crate::Event>> {
        SqliteStore::events(self, request_id)
    }
    async fn recent_events(&self, limit: u32) -> Result<Vec<crate::Event>> {
        SqliteStore::recent_events(self, limit)
    }
    async fn record_archive(&self, f: &crate::ArchivedFile) -> Result<()> {
        SqliteStore::record_archive(self, f)
    }
    async fn archived_files(&self, request_id: &crate::LocalId) -> Result<Vec<crate::ArchivedFile>> {
        SqliteStore::archived_files(self, request_id)
    }
    async fn record_verification(&self, v: &crate::Verification) -> Result<()> {
        SqliteStore::record_verification(self, v)
    }
    async fn verifications(&self, request_ids: &[crate::LocalId]) -> Result<Vec<crate::Verification>> {
        SqliteStore::verifications(self, request_ids)
    }
    async fn unverified_archives(&self) -> Result<Vec<crate::ArchivedFile>> {
        SqliteStore::unverified_archives(self)
    }
    async fn set_protocol(&self, p: &crate::Protocol) -> Result<()> {
        SqliteStore::set_protocol(self, p)
    }
    async fn protocols(&self, request_ids: &[crate::LocalId]) -> Result<Vec<crate::Protocol>> {
        SqliteStore::protocols(self, request_ids)
    }
    async fn record_evidence(&self, request_id: &crate::LocalId, json: &str, now_ms: i64) -> Result<()> {
        SqliteStore::record_evidence(self, request_id, json, now_ms)
    }
    async fn evidence(&self, request_id: &crate::LocalId) -> Result<Option<String>> {
        SqliteStore::evidence(self, request_id)
    }
    async fn put_file(&self, sha256: &str, bytes: &[u8], now_ms: i64) -> Result<()> {
        SqliteStore::put_file(self, sha256, bytes, now_ms)
    }
    async fn clerk_role(&self, identity: &str) -> Result<Option<crate::Role>> {
        SqliteStore::clerk_role(self, identity)
    }
    async fn clerk_roles(&self) -> Result<Vec<crate::ClerkRole>> {
        SqliteStore::clerk_roles(self)
    }
    async fn set_clerk_role(&self, identity: &str, role: crate::Role, set_by: &str, now_ms: i64) -> Result<()> {
        SqliteStore::set_clerk_role(self, identity, role, set_by, now_ms)
    }
    async fn claim_first_admin(&self, identity: &str, now_ms: i64) -> Result<bool> {
        SqliteStore::claim_first_admin(self, identity, now_ms)
    }
    async fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        SqliteStore::file(self, sha256)
    }
    async fn counts(&self, profile_id: Option<&str>, now_ms: i64, expiring_within_ms: i64) -> Result<crate::Counts> {
        SqliteStore::counts(self, profile_id, now_ms, expiring_within_ms)
    }
    async fn list(&self, q: &crate::ListQuery, now_ms: i64) -> Result<crate::ListPage> {
        SqliteStore::list(self, q, now_ms)
    }
    async fn try_lease(
        &self,
        profile_id: &str,
        holder: &str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> Result<Option<crate::Lease>> {
        SqliteStore::try_lease(self, profile_id, holder, now_ms, ttl_ms)
    }
    async fn release_lease(&self, lease: &crate::Lease) -> Result<()> {
        SqliteStore::release_lease(self, lease)
    }
    async fn lease(&self, profile_id: &str) -> Result<Option<crate::Lease>> {
        SqliteStore::lease(self, profile_id)
    }
    fn as_worker(self: std::sync::Arc<Self>, _lease: crate::Lease) -> std::sync::Arc<dyn crate::Store> {
        self
    }
}
