//! FirmaDesk workflows: send saga, sync poller, archive, notifications
//!
//! Skeleton: filled by its own issue.
