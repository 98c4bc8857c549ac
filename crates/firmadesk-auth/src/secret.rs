//! The one type that carries secret material (API keys, access and refresh tokens).

use std::fmt;

use zeroize::Zeroizing;

/// A secret string: an IO Sign API key, an OAuth access token or refresh token.
///
/// * `Debug` and `Display` print `<redacted>`, so a secret that ends up in a `tracing` field, an
///   error message or a test assertion does not leak.
/// * It deliberately does **not** implement `serde::Serialize`: a struct holding a `Secret` cannot be
///   sent to the UI over IPC or written to SQLite by accident (it would not compile).
/// * The buffer is zeroized on drop (best effort: copies made by the HTTP stack or the keyring are out
///   of our hands, but our own long-lived copies are wiped).
/// * [`Secret::expose`] is the single, greppable way to read the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a value. Takes ownership so the caller's copy is moved, not duplicated.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// Reads the secret. Call it only at the point where the value leaves for its one legitimate use
    /// (an HTTP header, the keyring).
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter2-api-key");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(s.expose(), "hunter2-api-key");
    }
}
