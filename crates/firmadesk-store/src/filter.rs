//! The dashboard's filters, written once for both backends: a [`ListQuery`]'s WHERE clause and its values,
//! with the backend's placeholders (`?1` for SQLite, `$1` for PostgreSQL).

use crate::ListQuery;

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Text.
    Text(String),
    /// A number (times are unix milliseconds).
    Int(i64),
}

/// `WHERE ...` (or nothing) and the values of its placeholders, in order.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    pub(crate) sql: String,
    pub(crate) values: Vec<Value>,
}

/// How a backend finds the clerk's text among the requests' search keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextSearch {
    /// `search_text LIKE '%…%'` (PostgreSQL answers it from its trigram index when `pg_trgm` is there).
    Like,
    /// SQLite: the FTS5 trigram index `requests_search` for three letters or more (a phrase matches as a
    /// substring there); fewer are looked for with LIKE.
    Fts5,
}

/// The shortest text the trigram index can find (a shorter one has no trigram).
pub(crate) const TRIGRAM: usize = 3;

/// The filter of `q` at `now_ms`; `placeholder(n)` names the n-th value (1-based).
pub(crate) fn filter(q: &ListQuery, now_ms: i64, placeholder: fn(usize) -> String, search: TextSearch) -> Filter {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |v: Value| {
        values.push(v);
        placeholder(values.len())
    };
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let key = crate::model::search_key(text);
        if search == TextSearch::Fts5 && key.chars().count() >= TRIGRAM {
            // One FTS5 phrase (its quotes doubled): the trigram tokenizer matches it as a substring.
            let p = bind(Value::Text(format!("\"{}\"", key.replace('"', "\"\""))));
            clauses.push(format!(
                "search_id IN (SELECT rowid FROM requests_search WHERE requests_search MATCH {p})"
            ));
        } else {
            // LIKE's wildcards in the clerk's text are taken literally.
            let escaped = key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let p = bind(Value::Text(format!("%{escaped}%")));
            clauses.push(format!("search_text LIKE {p} ESCAPE '\\'"));
        }
    }
    if !q.statuses.is_empty() {
        let list: Vec<String> = q
            .statuses
            .iter()
            .map(|s| bind(Value::Text(s.as_str().to_owned())))
            .collect();
        clauses.push(format!("status IN ({})", list.join(", ")));
    }
    if let Some(window) = q.expiring_within_ms {
        let now = bind(Value::Int(now_ms));
        let until = bind(Value::Int(now_ms + window));
        clauses.push(format!(
            "status = 'waiting' AND expires_at > {now} AND expires_at <= {until}"
        ));
    }
    if q.expired_only {
        let now = bind(Value::Int(now_ms));
        clauses.push(format!("status = 'waiting' AND expires_at <= {now}"));
    }
    if let Some(p) = &q.profile_id {
        let p = bind(Value::Text(p.clone()));
        clauses.push(format!("profile_id = {p}"));
    }
    if let Some(t) = &q.document_type {
        let t = bind(Value::Text(t.clone()));
        clauses.push(format!("document_type = {t}"));
    }
    if let Some(from) = q.created_from {
        let from = bind(Value::Int(from));
        clauses.push(format!("created_at >= {from}"));
    }
    if let Some(to) = q.created_to {
        let to = bind(Value::Int(to));
        clauses.push(format!("created_at < {to}"));
    }
    Filter {
        sql: if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        },
        values,
    }
}

/// Whether the clerk's text is all `q` filters by.
pub(crate) fn only_text(q: &ListQuery) -> bool {
    let rest = ListQuery {
        text: None,
        ..q.clone()
    };
    filter(&rest, 0, |n| format!("?{n}"), TextSearch::Like).sql.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str, how: TextSearch) -> Filter {
        let q = ListQuery {
            text: Some(text.into()),
            ..ListQuery::default()
        };
        filter(&q, 0, |n| format!("?{n}"), how)
    }

    #[test]
    fn sqlite_reads_the_trigram_index_from_three_letters_and_like_below() {
        let f = search("  Niccolò ", TextSearch::Fts5);
        assert_eq!(
            f.sql,
            "WHERE search_id IN (SELECT rowid FROM requests_search WHERE requests_search MATCH ?1)"
        );
        assert_eq!(
            f.values,
            [Value::Text("\"niccolo\"".into())],
            "one phrase, the folded key"
        );
        let quoted = search("a\"b", TextSearch::Fts5);
        assert_eq!(quoted.values, [Value::Text("\"a\"\"b\"".into())]);
        let short = search("ro", TextSearch::Fts5);
        assert_eq!(short.sql, "WHERE search_text LIKE ?1 ESCAPE '\\'");
        assert_eq!(short.values, [Value::Text("%ro%".into())]);
        // PostgreSQL keeps LIKE (its pg_trgm index answers it).
        let pg = search("50%_x", TextSearch::Like);
        assert_eq!(pg.values, [Value::Text("%50\\%\\_x%".into())]);
    }
}
