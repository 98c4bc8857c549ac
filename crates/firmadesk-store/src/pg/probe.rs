//! The connection test of Impostazioni › Modalità ufficio: reach the server with the clerk's settings and
//! say what is there, changing nothing (no migration, no table created).

use super::{build_pool, pool_error, PgConfig};
use crate::Result;

/// What the team database holds, as far as this FirmaDesk can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    /// No FirmaDesk table yet: the first desk to connect creates them.
    Empty,
    /// Up to date for this FirmaDesk.
    Current,
    /// Made by an older FirmaDesk: connecting applies this many migrations.
    Older {
        /// Migrations still to apply.
        pending: usize,
    },
    /// Upgraded by a newer FirmaDesk: this one must be updated first.
    Newer,
}

/// The outcome of a connection test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The server's version (`SHOW server_version`).
    pub server_version: String,
    /// The schema's state.
    pub schema: Schema,
    /// Requests already in the database (0 when it is empty).
    pub requests: u64,
}

impl super::PgStore {
    /// Connects once with `config` and reports what is there, changing nothing: the Italian error of a
    /// failure says what to check (address, password, TLS, certificate).
    pub async fn probe(config: &PgConfig) -> Result<Probe> {
        let single = PgConfig {
            max_connections: 1,
            ..config.clone()
        };
        let (pool, _) = build_pool(&single)?;
        let client = pool.get().await.map_err(pool_error)?;
        let server_version: String = client.query_one("SHOW server_version", &[]).await?.try_get(0)?;
        let has = |table: &'static str| {
            let client = &client;
            async move {
                let row = client
                    .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
                    .await?;
                Ok::<bool, crate::StoreError>(row.try_get(0)?)
            }
        };
        let done: Vec<String> = if has("schema_migrations").await? {
            client
                .query("SELECT id FROM schema_migrations ORDER BY id", &[])
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?
        } else {
            Vec::new()
        };
        let known = super::migrate::MIGRATIONS;
        let schema = if done.is_empty() {
            Schema::Empty
        } else if done.iter().any(|d| !known.iter().any(|m| m.id == d)) {
            Schema::Newer
        } else {
            match known.iter().filter(|m| !done.iter().any(|d| d == m.id)).count() {
                0 => Schema::Current,
                pending => Schema::Older { pending },
            }
        };
        let requests = if has("requests").await? {
            let n: i64 = client
                .query_one("SELECT count(*) FROM requests", &[])
                .await?
                .try_get(0)?;
            u64::try_from(n).unwrap_or(0)
        } else {
            0
        };
        Ok(Probe {
            server_version,
            schema,
            requests,
        })
    }
}
