//! What the dashboard reads: the counters (with expiry computed from `now`) and the searchable, filtered,
//! sorted, paged lists.

use super::requests::{request_from_row, REQUEST_COLUMNS};
use crate::{Counts, ListPage, ListQuery, Result, Sort, SqliteStore};
use rusqlite::params;

impl SqliteStore {
    /// See [`Store::counts`](crate::Store::counts).
    pub fn counts(&self, profile_id: Option<&str>, now_ms: i64, expiring_within_ms: i64) -> Result<Counts> {
        let conn = self.conn();
        let mut counts = Counts::default();
        // Both queries run on an index alone: (status, expires_at), or (profile_id, status, expires_at).
        let (by_status, deadlines) = match profile_id {
            None => (
                "SELECT status, COUNT(*) FROM requests WHERE ?1 IS NULL GROUP BY status",
                "SELECT COUNT(*) FILTER (WHERE expires_at > ?1), COUNT(*) FILTER (WHERE expires_at <= ?1)
                 FROM requests WHERE ?3 IS NULL AND status = 'waiting' AND expires_at <= ?2",
            ),
            Some(_) => (
                "SELECT status, COUNT(*) FROM requests WHERE profile_id = ?1 GROUP BY status",
                "SELECT COUNT(*) FILTER (WHERE expires_at > ?1), COUNT(*) FILTER (WHERE expires_at <= ?1)
                 FROM requests WHERE profile_id = ?3 AND status = 'waiting' AND expires_at <= ?2",
            ),
        };
        let mut stmt = conn.prepare_cached(by_status)?;
        let mut rows = stmt.query([profile_id])?;
        while let Some(r) = rows.next()? {
            counts.add(&r.get::<_, String>(0)?, r.get(1)?);
        }
        let (expiring, expired): (u64, u64) = conn
            .prepare_cached(deadlines)?
            .query_row(params![now_ms, now_ms + expiring_within_ms, profile_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        counts.expiring = expiring;
        counts.expired = expired;
        Ok(counts)
    }

    /// A filtered, sorted page of requests, with the total that matches.
    pub fn list(&self, q: &ListQuery, now_ms: i64) -> Result<ListPage> {
        let crate::filter::Filter { sql: filter, values } =
            crate::filter::filter(q, now_ms, |n| format!("?{n}"), crate::filter::TextSearch::Fts5);
        let args: Vec<rusqlite::types::Value> = values
            .into_iter()
            .map(|v| match v {
                crate::filter::Value::Text(t) => t.into(),
                crate::filter::Value::Int(i) => i.into(),
            })
            .collect();
        let dir = if q.ascending { "ASC" } else { "DESC" };
        // A text search (the FTS5 trigram index from three letters, LIKE below) gives its matches unordered: the
        // sort keys are wrapped so the planner sorts the matches, instead of walking an ordering index with one
        // random lookup per row, which costs ten times more when matches are rare.
        let searching = q.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        let key = |col: &str| {
            if searching {
                format!("({col} + 0)")
            } else {
                col.to_string()
            }
        };
        // The id breaks ties so pages never repeat or skip a row.
        let order = match q.sort {
            Sort::Updated => format!("{} {dir}, id {dir}", key("updated_at")),
            Sort::Created => format!("{} {dir}, id {dir}", key("created_at")),
            Sort::ExpiresAt => format!("{} {dir}, id {dir}", key("expires_at")),
            Sort::SignerName if searching => format!("(signer_name || '') COLLATE NOCASE {dir}, id {dir}"),
            Sort::SignerName => format!("signer_name COLLATE NOCASE {dir}, id {dir}"),
        };
        let limit = if q.limit == 0 { 50 } else { q.limit.min(500) };
        let conn = self.conn();
        let params = rusqlite::params_from_iter(args.iter());
        if searching {
            // One pass over the matches that carries only the sort key and the id (and the total with
            // them), then the page's full rows by id: sorting thousands of narrow rows, not wide ones.
            let sql = format!(
                "SELECT id, COUNT(*) OVER () FROM requests {filter} ORDER BY {order} LIMIT {limit} OFFSET {}",
                q.offset
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let hits = stmt
                .query_map(params, |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total = match hits.first() {
                Some((_, t)) => *t,
                None => conn
                    .prepare_cached(&format!("SELECT COUNT(*) FROM requests {filter}"))?
                    .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?,
            };
            let mut by_id = conn.prepare_cached(&format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1"))?;
            let rows = hits
                .iter()
                .map(|(id, _)| by_id.query_row([id], request_from_row))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(ListPage { rows, total });
        }
        let total: u64 = conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM requests {filter}"))?
            .query_row(params, |r| r.get(0))?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests {filter} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), request_from_row)?;
        Ok(ListPage {
            rows: rows.collect::<rusqlite::Result<_>>()?,
            total,
        })
    }
}
