//! The last state a desk saw of the office. In team mode the dashboard, the lists and a request's detail
//! are read from the team database; when it cannot be reached, the desk keeps showing what it last read,
//! marked with when (`offline_since`), read-only — the window says the data may be out of date — until the
//! connection returns and the feed's resync reloads the view. Only answers the clerk was allowed to see are
//! kept, and a protected profile's are shown again only with a valid login for it.
//!
//! What was last seen is also written into the data folder (owner-only) when the office goes away and when
//! FirmaDesk quits, so a desk that starts while the office is away shows it too (for the same office only).

use crate::{Code, UiError};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// One kept answer as the data folder holds it.
#[derive(Serialize, Deserialize)]
struct Entry<T> {
    key: String,
    at: i64,
    /// The profile whose data it shows (not in every answer's own JSON).
    profile: String,
    value: T,
}

impl<T: MaybeStale> Kept<T> {
    fn entries(&self) -> Vec<Entry<T>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(key, (at, value))| Entry {
                key: key.clone(),
                at: *at,
                profile: value.profile().to_owned(),
                value: value.clone(),
            })
            .collect()
    }

    fn restore(&self, entries: Vec<Entry<T>>) {
        for mut entry in entries {
            entry.value.set_profile(entry.profile);
            self.put(entry.key, entry.at, &entry.value);
        }
    }
}

/// The last answers, for the office they came from.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    office: Option<String>,
    dashboards: Vec<Entry<crate::requests::Dashboard>>,
    lists: Vec<Entry<crate::requests::RequestPage>>,
    details: Vec<Entry<crate::requests::RequestDetail>>,
}

/// Where the last answers are kept between runs.
const ANSWERS_FILE: &str = "office-last-seen.json";

/// Forgets what was seen of the office, on disk too (leaving office mode).
pub fn forget(data_dir: &std::path::Path) {
    for file in [ANSWERS_FILE, RULES_FILE] {
        if let Err(e) = std::fs::remove_file(data_dir.join(file)) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(file, error = %e, "office data not removed");
            }
        }
    }
}

/// A JSON file of the data folder, if it is there and reads as `T`.
fn read_json<T: DeserializeOwned>(file: &std::path::Path) -> Option<T> {
    let bytes = std::fs::read(file).ok()?;
    serde_json::from_slice(&bytes)
        .map_err(|e| tracing::warn!(file = %file.display(), error = %e, "unreadable: ignored"))
        .ok()
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
    /// The data folder (`None`: memory only).
    folder: Option<std::path::PathBuf>,
    /// The office these answers come from (the team database's address).
    office: Option<String>,
    /// The office is away now (its answers were written when it went).
    away: AtomicBool,
}

/// What "Richiedi firma" needs to check a draft while the office cannot be reached, kept on disk so a desk
/// started while it is away still can (and keeps the send, `held.rs`): which profiles require the body's
/// login, and the office's document types.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Rules {
    #[serde(default)]
    office: Option<String>,
    protected: HashMap<String, bool>,
    document_types: Option<Vec<firmadesk_store::DocumentType>>,
    /// What a send takes from each profile, by profile (only profiles that have something).
    #[serde(default)]
    profiles: HashMap<String, ProfileRules>,
}

/// What a send takes from its profile besides the key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProfileRules {
    /// A test profile's tester codes (empty: none listed, or not a test profile: nothing to check).
    #[serde(default)]
    pub testers: Vec<String>,
    /// The support email citizens see, if the profile sets one.
    #[serde(default)]
    pub support_email: Option<String>,
}

/// The file of the rules in a data folder.
const RULES_FILE: &str = "office-rules.json";

impl LastSeen {
    /// What the desk last saw of `office` (the team database's address), read from `data_dir` (nothing
    /// yet, unreadable, or another office's: nothing), kept there as it changes. On a desk's own file
    /// (`office` none) nothing is read or written: the file is the state.
    pub fn in_folder(data_dir: &std::path::Path, office: Option<&str>) -> Self {
        let Some(office) = office.map(str::to_owned) else {
            return Self::default();
        };
        let office = Some(office);
        let rules = read_json::<Rules>(&data_dir.join(RULES_FILE))
            .filter(|r| r.office == office)
            .unwrap_or_else(|| Rules {
                office: office.clone(),
                ..Rules::default()
            });
        let seen = Self {
            rules: Mutex::new(rules),
            folder: Some(data_dir.to_path_buf()),
            office,
            ..Self::default()
        };
        if let Some(snapshot) = read_json::<Snapshot>(&data_dir.join(ANSWERS_FILE)).filter(|s| s.office == seen.office)
        {
            seen.dashboards.restore(snapshot.dashboards);
            seen.lists.restore(snapshot.lists);
            seen.details.restore(snapshot.details);
        }
        seen
    }

    /// Writes the last answers into the data folder (when the office goes away, when FirmaDesk quits).
    pub fn keep_on_disk(&self) {
        let Some(folder) = &self.folder else {
            return;
        };
        let snapshot = Snapshot {
            office: self.office.clone(),
            dashboards: self.dashboards.entries(),
            lists: self.lists.entries(),
            details: self.details.entries(),
        };
        let written = serde_json::to_vec(&snapshot)
            .map_err(std::io::Error::other)
            .and_then(|json| crate::private::write_file(&folder.join(ANSWERS_FILE), &json));
        if let Err(e) = written {
            tracing::warn!(error = %e, "last state of the office not kept on disk");
        }
    }

    /// Applies `change` (which says whether it changed anything) and keeps the result on disk if it did.
    fn change_rules(&self, change: impl FnOnce(&mut Rules) -> bool) {
        let mut rules = self.rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !change(&mut rules) {
            return;
        }
        if let Some(folder) = &self.folder {
            let written = serde_json::to_vec(&*rules)
                .map_err(std::io::Error::other)
                .and_then(|json| crate::private::write_file(&folder.join(RULES_FILE), &json));
            if let Err(e) = written {
                tracing::warn!(error = %e, "office rules not kept on disk");
            }
        }
    }

    /// Records whether a profile requires the body's login (as read from the store).
    pub fn note_protected(&self, profile_id: &str, protected: bool) {
        self.change_rules(|r| r.protected.insert(profile_id.to_owned(), protected) != Some(protected));
    }

    /// The office's document types, read now: "Richiedi firma" checks a draft against them while the
    /// office cannot be reached (the send is then kept on this desk, `held.rs`).
    pub fn note_document_types(&self, types: &[firmadesk_store::DocumentType]) {
        self.change_rules(|r| {
            if r.document_types.as_deref() == Some(types) {
                return false;
            }
            r.document_types = Some(types.to_vec());
            true
        });
    }

    /// The document types last read, if any.
    pub fn document_types(&self) -> Option<Vec<firmadesk_store::DocumentType>> {
        self.rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .document_types
            .clone()
    }

    /// Records what a send takes from a profile, as read from the store.
    pub(crate) fn note_profile(&self, profile_id: &str, rules: &ProfileRules) {
        self.change_rules(|r| {
            let before = r.profiles.get(profile_id).cloned().unwrap_or_default();
            if before == *rules {
                return false;
            }
            if *rules == ProfileRules::default() {
                r.profiles.remove(profile_id);
            } else {
                r.profiles.insert(profile_id.to_owned(), rules.clone());
            }
            true
        });
    }

    /// What a send took from a profile when it was last read (nothing known: nothing to check).
    pub(crate) fn profile(&self, profile_id: &str) -> ProfileRules {
        self.rules
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .profiles
            .get(profile_id)
            .cloned()
            .unwrap_or_default()
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
    /// Sets it back on an answer read from the data folder.
    fn set_profile(&mut self, profile: String);
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
            desk.last_seen.away.store(false, Ordering::SeqCst);
            Ok(value)
        }
        Err(e) if e.code == Code::StoreUnreachable => {
            if !desk.last_seen.away.swap(true, Ordering::SeqCst) {
                // Gone: what was seen until now is what a restart will show.
                desk.last_seen.keep_on_disk();
            }
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
