//! Local emulator of the Firma con IO issuer API, blob storage and citizen
//!
//! Skeleton: filled by its own issue.
