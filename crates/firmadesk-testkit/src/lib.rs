//! What FirmaDesk's tests share between crates (a dev-dependency only, never in the app): small PDF builders
//! ([`pdf`]) and a watcher of desktop notifications on the session bus ([`bus`]).

pub mod bus;
pub mod pdf;
