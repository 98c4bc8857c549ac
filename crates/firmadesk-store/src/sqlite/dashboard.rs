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
        let args = values_of(values);
        let dir = if q.ascending { "ASC" } else { "DESC" };
        let searching = q.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        // The id breaks ties so pages never repeat or skip a row.
        let order = |col: &str| format!("{col} {dir}, id {dir}");
        // Each sort: its key, the same key wrapped (no index can give it, so the planner sorts the rows it
        // found instead of walking the order's index), and the index that gives the order.
        let sort = match q.sort {
            Sort::Updated => Sorting::new("updated_at", "(updated_at + 0)", Some("requests_updated")),
            Sort::Created => Sorting::new("created_at", "(created_at + 0)", Some("requests_created")),
            Sort::ExpiresAt => Sorting::new("expires_at", "(expires_at + 0)", None),
            Sort::SignerName => Sorting::new(
                "signer_name COLLATE NOCASE",
                "(signer_name || '') COLLATE NOCASE",
                Some("requests_signer"),
            ),
        };
        let limit = if q.limit == 0 { 50 } else { q.limit.min(500) };
        let conn = self.conn();
        if searching {
            return search(&conn, q, now_ms, (&filter, &args), &sort, (&order, limit));
        }
        let order = order(sort.key);
        let params = rusqlite::params_from_iter(args.iter());
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
            total_at_least: false,
        })
    }
}

/// How a list is sorted (see [`SqliteStore::list`]).
struct Sorting {
    key: &'static str,
    wrapped: &'static str,
    index: Option<&'static str>,
}

impl Sorting {
    const fn new(key: &'static str, wrapped: &'static str, index: Option<&'static str>) -> Self {
        Self { key, wrapped, index }
    }
}

fn values_of(values: Vec<crate::filter::Value>) -> Vec<rusqlite::types::Value> {
    values
        .into_iter()
        .map(|v| match v {
            crate::filter::Value::Text(t) => t.into(),
            crate::filter::Value::Int(i) => i.into(),
        })
        .collect()
}

/// A text one request in [`COMMON`] or more carries is common: its page is looked for by walking the list's
/// order.
const COMMON: i64 = 50;
/// The fewest matches that make a text common, however small the store.
const COMMON_AT_LEAST: i64 = 200;
/// How many requests, in the list's order, the walk reads for each row it must show (offset and page); at
/// least [`WALK_AT_LEAST`].
const WALK_PER_ROW: u32 = 60;
/// The fewest requests the walk reads.
const WALK_AT_LEAST: u32 = 3000;

/// A page of the requests whose search key holds the clerk's text (with the query's other filters). Issue #16:
/// a search stays fast at 100,000 requests, by one of two plans chosen by how many requests carry the text
/// (counted on the search index, up to one more than "common"):
/// - a text few carry (under one request in [`COMMON`]): its matches are found from the search index (the
///   FTS5 trigram index from three letters, LIKE below), filtered, sorted and counted exactly;
/// - a common one: the list's order index is walked over a bounded window of requests and each one's key
///   and the other filters tested. When that fills the page, its total is the index's exact count if the text
///   is the only filter, else "more than" the rows up to the page's end (counting them exactly would test
///   every match). When it does not (the other filters leave few), the first plan answers.
///
/// Each statement names the index it must use: the planner otherwise walks the profile's rows (a third of
/// them) testing each against the matches, ten times slower.
fn search(
    conn: &rusqlite::Connection,
    q: &ListQuery,
    now_ms: i64,
    (filter, args): (&str, &[rusqlite::types::Value]),
    sort: &Sorting,
    (order, limit): (&dyn Fn(&str) -> String, u32),
) -> Result<ListPage> {
    let key = crate::model::search_key(q.text.as_deref().unwrap_or_default());
    let indexed = key.chars().count() >= crate::filter::TRIGRAM;
    let phrase = format!("\"{}\"", key.replace('"', "\"\""));
    // The store's size, as the newest search key numbers it (deleting requests is rare).
    let size: i64 = conn
        .prepare_cached("SELECT coalesce(max(search_id), 0) FROM requests")?
        .query_row([], |r| r.get(0))?;
    let common = (size / COMMON).max(COMMON_AT_LEAST);
    let mut by_id = conn.prepare_cached(&format!("SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1"))?;
    let rows_of = |ids: &[String], by_id: &mut rusqlite::CachedStatement<'_>| {
        ids.iter()
            .map(|id| by_id.query_row([id], request_from_row))
            .collect::<rusqlite::Result<Vec<_>>>()
    };
    if let Some(index) = sort.index.filter(|_| indexed) {
        let carried: i64 = conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM (SELECT rowid FROM requests_search WHERE requests_search MATCH ?1 LIMIT {})",
                common + 1
            ))?
            .query_row([&phrase], |r| r.get(0))?;
        if carried > common {
            let crate::filter::Filter {
                sql: walk_filter,
                values,
            } = crate::filter::filter(q, now_ms, |n| format!("?{n}"), crate::filter::TextSearch::Like);
            let walk_args = values_of(values);
            let window = (q.offset + limit).saturating_mul(WALK_PER_ROW).max(WALK_AT_LEAST);
            let sql = format!(
                "SELECT id FROM (SELECT id, search_text, status, expires_at, profile_id, document_type, created_at,
                                        updated_at, signer_name
                                 FROM requests INDEXED BY {index} ORDER BY {} LIMIT {window})
                 {walk_filter} ORDER BY {} LIMIT {limit} OFFSET {}",
                order(sort.key),
                order(sort.key),
                q.offset
            );
            let ids = conn
                .prepare_cached(&sql)?
                .query_map(rusqlite::params_from_iter(walk_args.iter()), |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if ids.len() == limit as usize {
                let rows = rows_of(&ids, &mut by_id)?;
                let (total, total_at_least) = if crate::filter::only_text(q) {
                    let all: i64 = conn
                        .prepare_cached("SELECT COUNT(*) FROM requests_search WHERE requests_search MATCH ?1")?
                        .query_row([&phrase], |r| r.get(0))?;
                    (u64::try_from(all).unwrap_or(0), false)
                } else {
                    (u64::from(q.offset) + u64::from(limit), true)
                };
                return Ok(ListPage {
                    rows,
                    total,
                    total_at_least,
                });
            }
        }
    }
    let from = if indexed {
        "requests INDEXED BY requests_search_id"
    } else {
        "requests"
    };
    // One pass over the matches that carries only the sort key and the id (and the total with them), then
    // the page's full rows by id: sorting thousands of narrow rows, not wide ones.
    let sql = format!(
        "SELECT id, COUNT(*) OVER () FROM {from} {filter} ORDER BY {} LIMIT {limit} OFFSET {}",
        order(sort.wrapped),
        q.offset
    );
    let hits = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = match hits.first() {
        Some((_, t)) => *t,
        None => conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM {from} {filter}"))?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?,
    };
    let ids: Vec<String> = hits.into_iter().map(|(id, _)| id).collect();
    Ok(ListPage {
        rows: rows_of(&ids, &mut by_id)?,
        total,
        total_at_least: false,
    })
}
