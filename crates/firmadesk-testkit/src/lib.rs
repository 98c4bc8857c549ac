//! What FirmaDesk's tests share between crates (a dev-dependency only, never in the app): small PDF builders
//! ([`pdf`]), a watcher of desktop notifications on the session bus ([`bus`]) and scratch databases on the
//! PostgreSQL test cluster ([`pg`]).

pub mod bus;
pub mod pdf;
pub mod pg;
