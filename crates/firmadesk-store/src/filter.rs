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

/// The filter of `q` at `now_ms`; `placeholder(n)` names the n-th value (1-based).
pub(crate) fn filter(q: &ListQuery, now_ms: i64, placeholder: fn(usize) -> String) -> Filter {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |v: Value| {
        values.push(v);
        placeholder(values.len())
    };
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // LIKE's wildcards in the clerk's text are taken literally.
        let escaped = crate::model::search_key(text)
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let p = bind(Value::Text(format!("%{escaped}%")));
        clauses.push(format!("search_text LIKE {p} ESCAPE '\\'"));
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
