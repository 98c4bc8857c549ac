//! The last state a desk saw of the office. In team mode the dashboard, the lists and a request's detail
//! are read from the team database; when it cannot be reached, the desk keeps showing what it last read,
//! marked with when (`offline_since`), read-only — the window says the data may be out of date — until the
//! connection returns and the feed's resync reloads the view. Only answers the clerk was allowed to see are
//! kept, and a protected profile's are shown again only with a valid login for it.

use crate::{Code, UiError};
use std::collections::HashMap;
use std::sync::Mutex;

/// How many answers of each kind are kept (the views and queries a clerk moved through).
const KEEP: usize = 64;

/// One kind of answer, by key.
pub struct Kept<T> {
    entries: Mutex<HashMap<String, (i64, T)>>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Kept<T> {
    fn put(&self, key: String, at: i64, value: &T) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= KEEP && !entries.contains_key(&key) {
            // The oldest answer makes room.
            if let Some(oldest) = entries.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| k.clone()) {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, (at, value.clone()));
    }

    fn get(&self, key: &str) -> Option<(i64, T)> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned()
    }
}

/// The last answers, and which profiles were protected when they were read.
#[derive(Default)]
pub struct LastSeen {
    /// Dashboards, by profile.
    pub dashboards: Kept<crate::requests::Dashboard>,
    /// List pages, by query.
    pub lists: Kept<crate::requests::RequestPage>,
    /// Request details, by local id.
    pub details: Kept<crate::requests::RequestDetail>,
    protected: Mutex<HashMap<String, bool>>,
    document_types: Mutex<Option<Vec<firmadesk_store::DocumentType>>>,
}

impl LastSeen {
    /// Records whether a profile requires the body's login (as read from the store).
    pub fn note_protected(&self, profile_id: &str, protected: bool) {
        self.protected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(profile_id.to_owned(), protected);
    }

    /// The office's document types, read now: "Richiedi firma" checks a draft against them while the
    /// office cannot be reached (the send is then kept on this desk, `held.rs`).
    pub fn note_document_types(&self, types: &[firmadesk_store::DocumentType]) {
        *self
            .document_types
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(types.to_vec());
    }

    /// The document types last read, if any.
    pub fn document_types(&self) -> Option<Vec<firmadesk_store::DocumentType>> {
        self.document_types
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether a profile required a login when last read (unknown: treated as protected).
    pub(crate) fn protected(&self, profile_id: &str) -> bool {
        self.protected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(profile_id)
            .copied()
            .unwrap_or(true)
    }
}

/// An answer that can say it is the last one seen.
pub trait MaybeStale: Clone {
    /// Marks it as read at `at`, while the office cannot be reached.
    fn stale_since(self, at: i64) -> Self;
    /// The profile whose data it shows.
    fn profile(&self) -> &str;
}

/// Keeps a fresh answer; when the team database cannot be reached, gives the last one kept for `key`
/// instead (marked), if the clerk may still see that profile's data.
pub fn remember<T: MaybeStale>(
    desk: &crate::Desk,
    kept: &Kept<T>,
    key: String,
    fresh: Result<T, UiError>,
) -> Result<T, UiError> {
    match fresh {
        Ok(value) => {
            kept.put(key, desk.now_ms(), &value);
            Ok(value)
        }
        Err(e) if e.code == Code::StoreUnreachable => {
            let Some((at, value)) = kept.get(&key) else {
                return Err(e);
            };
            let protected = desk.last_seen.protected(value.profile());
            if desk.auth.require(value.profile(), protected).is_err() {
                return Err(e);
            }
            tracing::info!(key, "office unreachable: showing the last state seen");
            Ok(value.stale_since(at))
        }
        Err(e) => Err(e),
    }
}
