//! Typed async client for the Firma con IO (IO Sign) issuer API
//!
//! Skeleton: filled by its own issue.
