//! FirmaDesk local SQLite cache
//!
//! Skeleton: filled by its own issue.
