//! The issuer API key, kept out of logs, errors and serialized state.

use std::fmt;
use std::sync::Arc;

/// An IO Sign API key (`Ocp-Apim-Subscription-Key`).
///
/// Its `Debug` prints `ApiKey(<redacted>)`, it has no `Display` and deliberately does not
/// implement `Serialize`, so it cannot end up in a log line, an error, the SQLite cache or a UI
/// payload by accident. Read the value only to hand it to the OS keyring ([`ApiKey::expose`]).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Arc<str>);

impl ApiKey {
    /// Wraps a key (surrounding whitespace from copy-paste is dropped).
    pub fn new(key: impl AsRef<str>) -> Self {
        Self(Arc::from(key.as_ref().trim()))
    }

    /// The secret value. Named so that every use stands out in review.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl From<String> for ApiKey {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl From<&str> for ApiKey {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_the_value_is_still_usable() {
        let key = ApiKey::new("  sk-test-0123456789abcdef \n");
        let debug = format!("{key:?} {key:#?}");
        assert!(!debug.contains("0123456789abcdef"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert_eq!(key.expose(), "sk-test-0123456789abcdef");
    }
}
