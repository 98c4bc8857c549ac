//! What FirmaDesk's tests share between crates (a dev-dependency only, never in the app): small PDF builders
//! ([`pdf`]), a watcher of desktop notifications on the session bus ([`bus`]) and scratch databases on the
//! PostgreSQL test cluster ([`pg`]), a real SMTP server on loopback ([`smtp`]), EU trusted lists signed by a test list signer ([`trusted_lists`]).

pub mod bus;
pub mod cut;
pub mod pdf;
pub mod pg;
pub mod smtp;
pub mod trusted_lists;

/// Writes a secret file as a service's credentials folder holds it: readable by its owner only (on Unix;
/// elsewhere just written).
pub fn private_file(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).expect("write the secret file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("owner-only");
    }
}
