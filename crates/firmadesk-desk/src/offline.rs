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
    rules: Mutex<Rules>,
    /// Where the rules are kept between runs (`None`: memory only).
    file: Option<std::path::PathBuf>,
}

/// What "Richiedi firma" needs to check a draft while the office cannot be reached, kept on disk so a desk
/// started while it is away still can (and keeps the send, `held.rs`): which profiles require the body's
/// login, and the office's document types.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Rules {
    protected: HashMap<String, bool>,
    document_types: Option<Vec<firmadesk_store::DocumentType>>,
}

/// The file of the rules in a data folder.
const RULES_FILE: &str = "office-rules.json";

impl LastSeen {
    /// The rules last seen, read from `data_dir` (none yet, or unreadable: unknown), kept there as they
    /// change.
    pub fn in_folder(data_dir: &std::path::Path) -> Self {
        let file = data_dir.join(RULES_FILE);
        let rules = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "office rules unreadable: unknown until the office answers");
                Rules::default()
            }),
            Err(_) => Rules::default(),
        };
        Self {
            rules: Mutex::new(rules),
            file: Some(file),
            ..Self::default()
        }
    }

    fn change_rules(&self, change: impl FnOnce(&mut Rules)) {
        let mut rules = self.rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let before = rules.clone();
        change(&mut rules);
        if *rules == before {
            return;
        }
        if let Some(file) = &self.file {
            let written = serde_json::to_vec(&*rules)
                .map_err(std::io::Error::other)
                .and_then(|json| crate::private::write_file(file, &json));
            if let Err(e) = written {
                tracing::warn!(error = %e, "office rules not kept on disk");
            }
        }
    }

    /// Records whether a profile requires the body's login (as read from the store).
    pub fn note_protected(&self, profile_id: &str, protected: bool) {
        self.change_rules(|r| {
            r.protected.insert(profile_id.to_owned(), protected);
        });
    }

    /// The office's document types, read now: "Richiedi firma" checks a draft against them while the
    /// office cannot be reached (the send is then kept on this desk, `held.rs`).
    pub fn note_document_types(&self, types: &[firmadesk_store::DocumentType]) {
        self.change_rules(|r| r.document_types = Some(types.to_vec()));
    }

    /// The document types last read, if any.
    pub fn document_types(&self) -> Option<Vec<firmadesk_store::DocumentType>> {
        self.rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .document_types
            .clone()
    }

    /// Whether a profile required a login when last read (unknown: treated as protected).
    pub(crate) fn protected(&self, profile_id: &str) -> bool {
        self.rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .protected
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
