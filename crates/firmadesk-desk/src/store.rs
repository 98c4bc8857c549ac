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
    // A fresh installation starts with the document types most bodies send, with their templates; the
    // clerk adds others.
    for t in first_types(&store.document_types().map_err(|e| e.to_string())?) {
        store
            .upsert_document_type(&t.name, &t.dossier_title, t.support_email.as_deref(), &t.template_json)
            .map_err(|e| e.to_string())?;
    }
    Ok(store)
}

/// The built-in types to write into a store holding `types`: all four, with their templates, into one with
/// none; into one that has them from before templates, the template each never had (title and support
/// email as they are).
fn first_types(types: &[firmadesk_store::DocumentType]) -> Vec<firmadesk_store::DocumentType> {
    FIRST_DOCUMENT_TYPES
        .into_iter()
        .filter_map(|(name, title)| {
            let kept = types.iter().find(|t| t.name == name);
            if kept.is_none() && !types.is_empty() {
                return None; // removed by the office
            }
            let template_json = crate::templates::fill_builtin(name, kept.map_or("[]", |t| &t.template_json))?;
            Some(firmadesk_store::DocumentType {
                name: name.to_owned(),
                dossier_title: kept.map_or(title.to_owned(), |t| t.dossier_title.clone()),
                support_email: kept.and_then(|t| t.support_email.clone()),
                template_json,
                archived: kept.is_some_and(|t| t.archived),
                retention_years: kept.and_then(|t| t.retention_years),
            })
        })
        .collect()
}

/// The document types a fresh installation (or a new team database) starts with: (name, dossier title).
const FIRST_DOCUMENT_TYPES: [(&str, &str); 4] = [
    ("Accordo", "Accordo"),
    ("Contratto", "Contratto"),
    ("Convenzione", "Convenzione"),
    ("Modulo di consenso", "Modulo di consenso"),
];

/// A team database without document types gets the first ones, and built-in types from before templates
/// their templates (the first desk to open it; an operator's own database login may not write them, and
/// leaves them to an administrator's desk).
pub async fn seed_document_types(store: &dyn firmadesk_store::Store) -> firmadesk_store::Result<()> {
    for t in first_types(&store.document_types().await?) {
        match store
            .upsert_document_type(&t.name, &t.dossier_title, t.support_email.as_deref(), &t.template_json)
            .await
        {
            Err(e) if e.kind == firmadesk_store::ErrorKind::Forbidden => return Ok(()),
            other => other?,
        }
    }
    Ok(())
}
