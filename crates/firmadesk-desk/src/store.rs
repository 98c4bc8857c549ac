//! Opening the local store: owner-only database files, the built-in sandbox profile, the document types
//! a fresh installation starts with.

/// The built-in sandbox profile at `base_url`, the running sandbox's address.
fn sandbox_profile(base_url: &str) -> firmadesk_store::Profile {
    firmadesk_store::Profile::new(
        crate::SANDBOX_PROFILE,
        "Modalità prova",
        firmadesk_store::Environment::Prova,
        base_url,
    )
}

/// Records (or moves) the built-in sandbox profile at `base_url`, the running sandbox's address.
pub async fn upsert_sandbox_profile(
    store: &dyn firmadesk_store::Store,
    base_url: &str,
    now_ms: i64,
) -> Result<(), String> {
    store
        .upsert_profile(&sandbox_profile(base_url), now_ms)
        .await
        .map_err(|e| e.to_string())
}

/// Opens the local cache and makes sure the built-in sandbox profile exists.
pub fn open_store(
    data_dir: &std::path::Path,
    base_url: &str,
    now_ms: i64,
) -> Result<firmadesk_store::SqliteStore, String> {
    let db = data_dir.join("firmadesk.db");
    // Created owner-only before SQLite opens it: SQLite gives its -wal and -shm files the database
    // file's mode, so they are owner-only from their first byte too.
    if !db.exists() {
        crate::private::create_file(&db).map_err(|e| e.to_string())?;
    }
    let store = firmadesk_store::SqliteStore::open(&db, now_ms).map_err(|e| e.to_string())?;
    for file in ["firmadesk.db", "firmadesk.db-wal", "firmadesk.db-shm"] {
        crate::private::restrict_file(&data_dir.join(file)).map_err(|e| e.to_string())?;
    }
    if let Some(backup) = store.backup_written() {
        tracing::info!(backup = %backup.display(), "local store migrated after a backup");
    }
    // The sandbox profile always exists (its requests stay listed); its address is the running
    // sandbox's, or the one it had last time until Modalità prova starts again.
    let known = store
        .profiles()
        .map_err(|e| e.to_string())?
        .into_iter()
        .any(|p| p.id == crate::SANDBOX_PROFILE);
    if !known {
        store
            .upsert_profile(&sandbox_profile(base_url), now_ms)
            .map_err(|e| e.to_string())?;
    }
    // A fresh installation starts with the document types most bodies send; the clerk adds others.
    if store.document_types().map_err(|e| e.to_string())?.is_empty() {
        for (name, title) in FIRST_DOCUMENT_TYPES {
            store
                .upsert_document_type(name, title, None, "[]")
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(store)
}

/// The document types a fresh installation (or a new team database) starts with: (name, dossier title).
const FIRST_DOCUMENT_TYPES: [(&str, &str); 4] = [
    ("Accordo", "Accordo"),
    ("Contratto", "Contratto"),
    ("Convenzione", "Convenzione"),
    ("Modulo di consenso", "Modulo di consenso"),
];

/// A team database without document types gets the first ones (the first desk to open it; an operator's
/// own database login may not add them, and leaves them to an administrator).
pub async fn seed_document_types(store: &dyn firmadesk_store::Store) -> firmadesk_store::Result<()> {
    if store.document_types().await?.is_empty() {
        for (name, title) in FIRST_DOCUMENT_TYPES {
            match store.upsert_document_type(name, title, None, "[]").await {
                Err(e) if e.kind == firmadesk_store::ErrorKind::Forbidden => return Ok(()),
                other => other?,
            }
        }
    }
    Ok(())
}
