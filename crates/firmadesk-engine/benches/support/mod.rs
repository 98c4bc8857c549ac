//! What both benches need: the app's store (`RowStore` on a SQLite file) with one profile.

use firmadesk_engine::RowStore;
use firmadesk_store::{Environment, Profile, SqliteStore};
use std::path::Path;
use std::sync::Arc;

/// A SQLite store in `dir` holding the profile `profile_id` (the engine's rows refer to it).
pub fn app_store(dir: &Path, profile_id: &str, base_url: String) -> Arc<RowStore> {
    let db = SqliteStore::open(&dir.join("firmadesk.db"), 0).expect("store");
    db.upsert_profile(
        &Profile {
            id: profile_id.into(),
            name: "Bench".into(),
            environment: Environment::Prova,
            base_url,
            support_email: None,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_scopes: None,
            testers: Vec::new(),
        },
        0,
    )
    .expect("profile");
    Arc::new(RowStore::new(Arc::new(db)))
}
