//! The stores on real parts: SQLite files and databases on the PostgreSQL test cluster.
//!
//! `batches`, `dashboard`, `files`, `leases`, `requests`, `roles`, `sends` and `verifications` are the **conformance suite**: each case takes a `&dyn Store` with
//! profile `p1` and runs once per backend (the `on_sqlite` and `on_postgres` modules below), so both answer
//! every query alike. `open` covers what only the SQLite file has (WAL, backups, integrity); `pg` what
//! only the team database has (its migrations under a lock, connection settings and errors).

mod batches;
mod dashboard;
mod files;
mod leases;
mod open;
mod pg;
mod requests;
mod roles;
mod sends;
mod verifications;

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
        testers: Vec::new(),
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
pub(crate) async fn save_plain(store: &dyn Store, id: &str, status: Status) {
    store
        .save_request(
            &request(id, status, "Mario Rossi", "RSSMRA80A01H501U", "Accordo", NOW, None),
            &[],
            &[],
        )
        .await
        .unwrap();
}

/// A SQLite file store with profile `p1` (and the directory that holds it).
pub(crate) fn store_with_profile() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("firmadesk.db"), NOW).unwrap();
    store.upsert_profile(&profile("p1"), NOW).unwrap();
    (dir, store)
}

/// A new database on the test cluster, as the app reaches it: no TLS (loopback), password apart.
pub(crate) async fn pg_config(label: &str) -> PgConfig {
    let db = firmadesk_testkit::pg::scratch_database(label).await;
    PgConfig {
        tls: PgTls::Off,
        ..PgConfig::new(db.url, Some(db.password))
    }
}

/// A team store on a new database with profile `p1`.
pub(crate) async fn pg_with_profile(label: &str) -> PgStore {
    let store = PgStore::connect(&pg_config(label).await, NOW).await.unwrap();
    Store::upsert_profile(&store, &profile("p1"), NOW).await.unwrap();
    store
}

/// Runs each named case of the conformance suite on both backends.
macro_rules! conformance {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_dir, store) = crate::store_with_profile();
                    crate::$module::$case(&store).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let store = crate::pg_with_profile(stringify!($case)).await;
                    crate::$module::$case(&store).await;
                }
            )*
        }
    };
}

conformance!(
    requests::drafts_keep_documents_fields_and_their_timeline,
    requests::a_row_absorbs_the_one_the_poller_made_for_the_same_io_request,
    requests::a_profile_with_requests_is_kept,
    requests::a_document_type_in_use_is_archived_not_deleted,
    requests::constraints_refuse_bad_data,
    requests::a_test_profile_keeps_its_testers,
    requests::the_signer_book_finds_names_and_codes,
    sends::sagas_dossiers_signers_and_archive_round_trip,
    batches::a_batch_keeps_its_rows_and_follows_their_requests,
    batches::batches_are_listed_newest_first_per_profile,
    dashboard::dashboard_counts_compute_expiry_from_now,
    dashboard::lists_search_filter_sort_and_page,
    dashboard::the_search_ignores_accents_and_case,
    dashboard::a_common_text_is_paged_in_order_and_counted,
    dashboard::counters_are_per_profile_when_asked,
    dashboard::counters_follow_every_change_to_the_requests,
    leases::a_lease_has_one_holder_until_it_expires_or_is_released,
    files::files_are_kept_once_under_their_hash,
    roles::the_first_clerk_administers_and_the_office_keeps_one_administrator,
    verifications::verifications_are_kept_per_document_replaced_and_read_for_many_requests,
    verifications::protocol_data_and_evidence_are_kept_per_request_and_replaced,
);

pub(crate) fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
