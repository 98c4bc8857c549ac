//! FirmaDesk's data behind one interface, [`Store`], with two backends:
//!
//! - [`SqliteStore`]: one desk's SQLite file (bundled SQLite, WAL) — the default, and the offline cache.
//!   Opening checks integrity, refuses a schema newer than this build, and backs the file up (`VACUUM INTO`)
//!   before applying pending migrations, each in its own IMMEDIATE transaction.
//! - [`PgStore`]: the body's shared PostgreSQL database (team mode), through a pool of tokio-postgres
//!   connections, TLS on unless the server is on loopback and TLS is turned off. Connecting migrates it
//!   under an advisory lock, so desks that start together never race an upgrade; a change feed
//!   ([`Store::changes`], LISTEN/NOTIFY) tells each desk what the others changed as they commit.
//!
//! Both hold profiles (no secrets), document types and their IO dossiers, signers, signature requests with
//! their documents and fields, the timeline of every request, the send sagas' outbox, the archive
//! index and content-addressed files (in team mode the PDFs queued for the worker and the signed ones it
//! archived, so every desk reaches them); both apply embedded, forward-only, timestamped migrations (`migrations/<backend>/`), and both pass
//! the one conformance suite in `tests/store/`.
//!
//! # Example
//! ```
//! use firmadesk_store::{ListQuery, SqliteStore, Status, Store};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let now = 1_764_000_000_000; // unix ms, passed in: a store has no clock
//! let store: Box<dyn Store> = Box::new(SqliteStore::open_in_memory(now)?);
//! let counts = store.counts(None, now, 7 * 24 * 3600 * 1000).await?;
//! assert_eq!(counts.waiting, 0);
//! let page = store.list(&ListQuery { statuses: vec![Status::Waiting], ..Default::default() }, now).await?;
//! assert!(page.rows.is_empty());
//! # Ok::<(), firmadesk_store::StoreError>(())
//! # }).unwrap();
//! ```
#![deny(missing_docs)]

mod error;
mod files;
mod filter;
mod ids;
pub mod migrate;
mod model;
pub mod pg;
mod roles;
mod sqlite;
mod store;

pub use error::{ErrorKind, Result, StoreError};
pub use files::sha256_hex;
pub use ids::{IoRequestId, LocalId};
pub use model::*;
pub use pg::{PgConfig, PgStore, PgTls};
pub use sqlite::SqliteStore;
pub use store::{Backend, Change, Store};
