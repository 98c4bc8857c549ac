//! What the dashboard reads: the counters (with expiry computed from `now`) and the searchable, filtered,
//! sorted, paged lists.

use super::requests::{request_from_row, REQUEST_COLUMNS};
use crate::{Counts, ListPage, ListQuery, Result, Sort, SqliteStore, Status};
use rusqlite::params;

impl SqliteStore {
    /// Counters across all profiles and dossiers at `now_ms`; "expiring" = waiting with a deadline within
    /// `expiring_within_ms` from now (not yet past), "expired" = waiting past its deadline.
    pub fn counts(&self, now_ms: i64, expiring_within_ms: i64) -> Result<Counts> {
        let conn = self.conn();
        let mut counts = Counts::default();
        // Both queries run on the (status, expires_at) index alone.
        let mut stmt = conn.prepare_cached("SELECT status, COUNT(*) FROM requests GROUP BY status")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let n: u64 = r.get(1)?;
            match Status::parse(&r.get::<_, String>(0)?) {
                Some(Status::Draft) => counts.drafts += n,
                Some(Status::Sending | Status::Queued) => counts.sending += n,
                Some(Status::Waiting) => counts.waiting += n,
                Some(Status::Signed) => counts.signed += n,
                Some(Status::Rejected) => counts.rejected += n,
                Some(Status::Cancelled) => counts.cancelled += n,
                Some(Status::Failed) => counts.failed += n,
                None => {}
            }
        }
        let (expiring, expired): (u64, u64) = conn
            .prepare_cached(
                "SELECT COUNT(*) FILTER (WHERE expires_at > ?1), COUNT(*) FILTER (WHERE expires_at <= ?1)
             FROM requests WHERE status = 'waiting' AND expires_at <= ?2",
            )?
            .query_row(params![now_ms, now_ms + expiring_within_ms], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        counts.expiring = expiring;
        counts.expired = expired;
        Ok(counts)
    }

    /// A filtered, sorted page of requests, with the total that matches.
    pub fn list(&self, q: &ListQuery, now_ms: i64) -> Result<ListPage> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let arg = |v: rusqlite::types::Value, args: &mut Vec<rusqlite::types::Value>| {
            args.push(v);
            format!("?{}", args.len())
        };
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            // LIKE's wildcards in the clerk's text are taken literally.
            let escaped = text
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let p = arg(format!("%{escaped}%").into(), &mut args);
            clauses.push(format!("search_text LIKE {p} ESCAPE '\\'"));
        }
        if !q.statuses.is_empty() {
            let list: Vec<String> = q
                .statuses
                .iter()
                .map(|s| arg(s.as_str().to_string().into(), &mut args))
                .collect();
            clauses.push(format!("status IN ({})", list.join(", ")));
        }
        if let Some(window) = q.expiring_within_ms {
            let now = arg(now_ms.into(), &mut args);
            let until = arg((now_ms + window).into(), &mut args);
            clauses.push(format!(
                "status = 'waiting' AND expires_at > {now} AND expires_at <= {until}"
            ));
        }
        if q.expired_only {
            let now = arg(now_ms.into(), &mut args);
            clauses.push(format!("status = 'waiting' AND expires_at <= {now}"));
        }
        if let Some(p) = &q.profile_id {
            let p = arg(p.clone().into(), &mut args);
            clauses.push(format!("profile_id = {p}"));
        }
        if let Some(t) = &q.document_type {
            let t = arg(t.clone().into(), &mut args);
            clauses.push(format!("document_type = {t}"));
        }
        if let Some(from) = q.created_from {
            let from = arg(from.into(), &mut args);
            clauses.push(format!("created_at >= {from}"));
        }
        if let Some(to) = q.created_to {
            let to = arg(to.into(), &mut args);
            clauses.push(format!("created_at < {to}"));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let dir = if q.ascending { "ASC" } else { "DESC" };
        // A text search reads every row anyway (LIKE '%x%' has no index): the sort keys are wrapped so the
        // planner scans once and sorts the matches, instead of walking an ordering index with one random
        // lookup per row, which costs ten times more when matches are rare.
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
