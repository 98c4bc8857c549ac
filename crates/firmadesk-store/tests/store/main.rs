//! The store on real SQLite files: migrations, backups, integrity, constraints and every query, one module per
//! module of the crate (`open` for lib.rs and migrate.rs).

mod dashboard;
mod open;
mod requests;
mod sends;

use firmadesk_store::*;

pub(crate) const DAY: i64 = 24 * 3600 * 1000;
pub(crate) const NOW: i64 = 1_764_000_000_000;

pub(crate) fn profile(id: &str) -> Profile {
    Profile {
        id: id.into(),
        name: format!("Comune {id}"),
        environment: Environment::Prova,
        base_url: "http://127.0.0.1:1/api/v1/sign".into(),
        support_email: None,
        oidc_issuer: None,
        oidc_client_id: None,
        oidc_scopes: None,
    }
}

pub(crate) fn request(
    id: &str,
    status: Status,
    name: &str,
    cf: &str,
    title: &str,
    created: i64,
    expires: Option<i64>,
) -> Request {
    Request {
        document_type: "Accordo".into(),
        title: title.into(),
        signer_name: name.into(),
        fiscal_code: cf.into(),
        expires_at: expires,
        ..Request::unsent(id.into(), "p1", status, created)
    }
}

/// Saves a bare request of Mario Rossi (no documents, no fields) created at `NOW`.
pub(crate) fn save_plain(store: &Store, id: &str, status: Status) {
    store
        .save_request(
            &request(id, status, "Mario Rossi", "RSSMRA80A01H501U", "Accordo", NOW, None),
            &[],
            &[],
        )
        .unwrap();
}

pub(crate) fn store_with_profile() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("firmadesk.db"), NOW).unwrap();
    store.upsert_profile(&profile("p1"), NOW).unwrap();
    (dir, store)
}

pub(crate) fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
