//! One secret-store abstraction over the OS keyring, and an in-memory store for unit tests.
//!
//! There is deliberately no file-based fallback: when no keyring is reachable every call fails with
//! [`AuthErrorKind::NoKeyring`] and its Italian message tells the clerk how to enable one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::{AuthError, AuthErrorKind};
use crate::secret::Secret;

/// Keyring "service" under which FirmaDesk keeps all its entries.
pub const SERVICE: &str = "FirmaDesk";

/// Keyring account of a profile's IO Sign API key: `profile:<id>:api-key`.
pub fn api_key_account(profile_id: &str) -> String {
    format!("profile:{profile_id}:api-key")
}

/// Keyring account of the team database's password (team mode: one database per installation).
pub const TEAM_DATABASE_PASSWORD: &str = "team-database:password";

/// Keyring account of a profile's OIDC refresh token: `profile:<id>:refresh-token`.
pub fn refresh_token_account(profile_id: &str) -> String {
    format!("profile:{profile_id}:refresh-token")
}

/// Get/set/delete secrets by `(service, account)`.
///
/// Implementations may block (the OS keyring talks D-Bus / XPC / Win32 synchronously, ~80 ms per call on
/// Secret Service): from async code go through [`AsyncSecretStore`], which moves each call to
/// `spawn_blocking`.
pub trait SecretStore: Send + Sync {
    /// The stored secret, or `None` when there is no entry.
    fn get(&self, service: &str, account: &str) -> Result<Option<Secret>, AuthError>;
    /// Creates or replaces the entry.
    fn set(&self, service: &str, account: &str, secret: &Secret) -> Result<(), AuthError>;
    /// Removes the entry. Idempotent: deleting a missing entry is `Ok`.
    fn delete(&self, service: &str, account: &str) -> Result<(), AuthError>;
}

/// The OS keyring: Secret Service (gnome-keyring, KWallet) on Linux, Keychain on macOS, Credential Manager
/// on Windows, via the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringStore {
    _private: (),
}

impl KeyringStore {
    /// A store over the platform keyring.
    pub fn new() -> Self {
        Self { _private: () }
    }

    /// Checks that a keyring is reachable and usable (reads a probe entry). Call it at start-up so the clerk
    /// gets the "how to enable a keyring" message before typing anything.
    pub fn probe(&self) -> Result<(), AuthError> {
        self.get(SERVICE, "probe").map(|_| ())
    }

    fn entry(service: &str, account: &str) -> Result<keyring::Entry, AuthError> {
        keyring::Entry::new(service, account).map_err(map_keyring_error)
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, service: &str, account: &str) -> Result<Option<Secret>, AuthError> {
        match Self::entry(service, account)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn set(&self, service: &str, account: &str, secret: &Secret) -> Result<(), AuthError> {
        Self::entry(service, account)?
            .set_password(secret.expose())
            .map_err(map_keyring_error)
    }

    fn delete(&self, service: &str, account: &str) -> Result<(), AuthError> {
        match Self::entry(service, account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// Maps keyring errors to our kinds. The detail never includes the payload of `BadEncoding` (it is the
/// secret's bytes) nor the credentials listed by `Ambiguous`.
fn map_keyring_error(e: keyring::Error) -> AuthError {
    use keyring::Error as K;
    match e {
        // gnome-keyring reports writes into a locked collection as a plain D-Bus error, which keyring
        // classifies as a platform failure; recognise it by its text so the clerk is told to unlock rather than
        // to install a keyring.
        K::PlatformFailure(inner) if mentions_locked(inner.as_ref()) => {
            AuthError::new(AuthErrorKind::KeyringLocked, format!("keyring locked: {inner}"))
        }
        // No D-Bus session bus / no Secret Service provider: nothing to talk to.
        K::PlatformFailure(inner) => {
            AuthError::new(AuthErrorKind::NoKeyring, format!("keyring platform failure: {inner}"))
        }
        // A bus and a keyring, but locked or access refused.
        K::NoStorageAccess(inner) => AuthError::new(
            AuthErrorKind::KeyringLocked,
            format!("keyring storage not accessible: {inner}"),
        ),
        K::NoEntry => AuthError::new(AuthErrorKind::KeyringFailure, "keyring entry not found"),
        K::BadEncoding(_) => AuthError::new(AuthErrorKind::KeyringFailure, "keyring entry is not valid UTF-8"),
        K::TooLong(attr, max) => AuthError::new(
            AuthErrorKind::KeyringFailure,
            format!("keyring attribute {attr} longer than {max}"),
        ),
        K::Invalid(attr, why) => AuthError::new(
            AuthErrorKind::KeyringFailure,
            format!("keyring attribute {attr}: {why}"),
        ),
        K::Ambiguous(found) => AuthError::new(
            AuthErrorKind::KeyringFailure,
            format!("{} keyring entries match", found.len()),
        ),
        _ => AuthError::new(AuthErrorKind::KeyringFailure, "unexpected keyring error"),
    }
}

fn mentions_locked(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(err) = current {
        if err.to_string().to_ascii_lowercase().contains("locked") {
            return true;
        }
        current = err.source();
    }
    false
}

/// In-memory store for unit tests and fault injection. Never use it for real secrets: it is lost at exit.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<(String, String), Secret>>,
    failure: Option<AuthErrorKind>,
}

impl MemoryStore {
    /// An empty, working store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store whose every call fails with `kind` (e.g. to test the "no keyring" path of a caller).
    pub fn failing(kind: AuthErrorKind) -> Self {
        Self {
            entries: Mutex::default(),
            failure: Some(kind),
        }
    }

    /// Number of stored entries.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Secret>> {
        // A poisoned lock only means another test thread panicked; the map is still consistent.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn check(&self) -> Result<(), AuthError> {
        match self.failure {
            Some(kind) => Err(AuthError::new(kind, "injected failure (MemoryStore::failing)")),
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, service: &str, account: &str) -> Result<Option<Secret>, AuthError> {
        self.check()?;
        Ok(self.lock().get(&(service.to_owned(), account.to_owned())).cloned())
    }

    fn set(&self, service: &str, account: &str, secret: &Secret) -> Result<(), AuthError> {
        self.check()?;
        self.lock()
            .insert((service.to_owned(), account.to_owned()), secret.clone());
        Ok(())
    }

    fn delete(&self, service: &str, account: &str) -> Result<(), AuthError> {
        self.check()?;
        self.lock().remove(&(service.to_owned(), account.to_owned()));
        Ok(())
    }
}

/// Async façade over a blocking [`SecretStore`]: each call runs on tokio's blocking pool so a slow keyring
/// (or an unlock prompt) never stalls the async runtime.
#[derive(Clone)]
pub struct AsyncSecretStore {
    inner: Arc<dyn SecretStore>,
}

impl std::fmt::Debug for AsyncSecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AsyncSecretStore")
    }
}

impl AsyncSecretStore {
    /// Wraps a store.
    pub fn new(inner: Arc<dyn SecretStore>) -> Self {
        Self { inner }
    }

    /// The wrapped blocking store.
    pub fn blocking(&self) -> &Arc<dyn SecretStore> {
        &self.inner
    }

    /// [`SecretStore::get`] on the blocking pool.
    pub async fn get(&self, service: &str, account: &str) -> Result<Option<Secret>, AuthError> {
        let (store, s, a) = (self.inner.clone(), service.to_owned(), account.to_owned());
        run_blocking(move || store.get(&s, &a)).await
    }

    /// [`SecretStore::set`] on the blocking pool.
    pub async fn set(&self, service: &str, account: &str, secret: Secret) -> Result<(), AuthError> {
        let (store, s, a) = (self.inner.clone(), service.to_owned(), account.to_owned());
        run_blocking(move || store.set(&s, &a, &secret)).await
    }

    /// [`SecretStore::delete`] on the blocking pool.
    pub async fn delete(&self, service: &str, account: &str) -> Result<(), AuthError> {
        let (store, s, a) = (self.inner.clone(), service.to_owned(), account.to_owned());
        run_blocking(move || store.delete(&s, &a)).await
    }
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
) -> Result<T, AuthError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AuthError::new(AuthErrorKind::KeyringFailure, format!("keyring task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_roundtrip_and_idempotent_delete() {
        let store = MemoryStore::new();
        let acct = api_key_account("42");
        assert_eq!(acct, "profile:42:api-key");
        assert!(store.get(SERVICE, &acct).unwrap().is_none());
        store.set(SERVICE, &acct, &Secret::new("k1")).unwrap();
        store.set(SERVICE, &acct, &Secret::new("k2")).unwrap();
        assert_eq!(store.get(SERVICE, &acct).unwrap().unwrap().expose(), "k2");
        assert_eq!(store.len(), 1);
        store.delete(SERVICE, &acct).unwrap();
        store.delete(SERVICE, &acct).unwrap();
        assert!(store.is_empty());
    }

    #[test]
    fn failing_store_reports_its_kind_with_italian_message() {
        let store = MemoryStore::failing(AuthErrorKind::NoKeyring);
        let err = store.get(SERVICE, "x").unwrap_err();
        assert_eq!(err.kind(), AuthErrorKind::NoKeyring);
        assert!(err.to_string().contains("Nessun portachiavi di sistema disponibile"));
    }

    #[test]
    fn keyring_errors_map_to_kinds_without_leaking_payload() {
        let no_bus = map_keyring_error(keyring::Error::PlatformFailure("no bus".into()));
        assert_eq!(no_bus.kind(), AuthErrorKind::NoKeyring);
        let locked = map_keyring_error(keyring::Error::NoStorageAccess("locked".into()));
        assert_eq!(locked.kind(), AuthErrorKind::KeyringLocked);
        let gnome_locked = map_keyring_error(keyring::Error::PlatformFailure(
            "Cannot create an item in a locked collection".into(),
        ));
        assert_eq!(gnome_locked.kind(), AuthErrorKind::KeyringLocked);
        let bad = map_keyring_error(keyring::Error::BadEncoding(b"s3cr3t-bytes".to_vec()));
        assert_eq!(bad.kind(), AuthErrorKind::KeyringFailure);
        assert!(!format!("{bad:?}").contains("s3cr3t"));
    }

    #[tokio::test]
    async fn async_store_goes_through_blocking_pool() {
        let store = AsyncSecretStore::new(Arc::new(MemoryStore::new()));
        store.set(SERVICE, "a", Secret::new("v")).await.unwrap();
        assert_eq!(store.get(SERVICE, "a").await.unwrap().unwrap().expose(), "v");
        store.delete(SERVICE, "a").await.unwrap();
        assert!(store.get(SERVICE, "a").await.unwrap().is_none());
    }
}
