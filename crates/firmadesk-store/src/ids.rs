//! The two names of a signature request. The desk names a request by its [`LocalId`] from the moment the
//! clerk sends it (before IO knows it) and for ever after; IO names it by its [`IoRequestId`] once created.
//! The two are different types so one is never passed where the other is meant, and the store is the only
//! place that translates between them (a row holds both).

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                Self(s.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        /// Reads as text where text is asked for (IO's client, paths, logs); a function that wants one kind
        /// of id still refuses the other.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                String::column_result(value).map(Self)
            }
        }
    };
}

id_type!(
    /// The desk's id of a request: made when the clerk sends it, the key of its row, its timeline, its
    /// send and its archived files. A request another desk of the same body sent gets
    /// [`LocalId::foreign`].
    LocalId
);

id_type!(
    /// IO Sign's id of a signature request (a ULID the service assigns at `POST /signature-requests`).
    IoRequestId
);

impl LocalId {
    /// The local id of a request this desk did not send (the poller found it in a dossier): derived from
    /// IO's id, so every desk names it alike.
    pub fn foreign(io: &IoRequestId) -> Self {
        Self(format!("io-{io}"))
    }

    /// Whether this is the id of a request another desk sent ([`LocalId::foreign`]).
    pub fn is_foreign(&self) -> bool {
        self.0.starts_with("io-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_plain_text_and_a_foreign_request_is_named_after_its_io_id() {
        let io = IoRequestId::from("01J0000000000000000000000A");
        assert_eq!(
            serde_json::to_value(&io).unwrap(),
            serde_json::json!("01J0000000000000000000000A")
        );
        let local: LocalId = serde_json::from_value(serde_json::json!("abc")).unwrap();
        assert_eq!(local, "abc");
        assert_eq!(LocalId::foreign(&io).as_str(), "io-01J0000000000000000000000A");
        assert!(LocalId::foreign(&io).is_foreign());
        assert!(!LocalId::from("01J0000000000000000000000B").is_foreign());
    }
}
