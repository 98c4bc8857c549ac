//! The EU trusted lists on the desk (issue #14): kept current in the data folder (`elenchi-di-fiducia/`) by
//! `firmadesk_engine::trusted_lists` from the first of the body's profiles registered on, and shared with the
//! engine (what it archives) and with "Verifica un PDF firmato". Modalità prova never uses them: it trusts
//! the sandbox's test authority only.

use firmadesk_engine::trusted_lists::{self, Source, Status};
use firmadesk_verify::trusted_list::{ListedAnchor, SharedAnchors};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A list in use, as "Verifica un PDF firmato" names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListInUse {
    /// `EU` (the list of the lists) or the member state.
    pub territory: String,
    /// Its sequence number.
    pub sequence: u64,
}

/// What the clerk (and IT) is shown of the trusted lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListsView {
    /// The lists read, LOTL first (none yet: empty).
    pub lists: Vec<ListInUse>,
    /// When they were last checked (ms).
    pub checked_at: Option<i64>,
    /// Their anchors are in use now (read, and not out of date).
    pub in_use: bool,
    /// Why the last download failed, if it did (English, for the log and IT staff; the clerk is told in words
    /// of their own that it failed).
    pub problem: Option<String>,
}

/// The desk's trusted lists: their anchors as last read and how the last refresh went.
#[derive(Debug, Default)]
pub struct TrustedLists {
    /// The anchors (empty until lists are read, or when they are out of date).
    pub anchors: SharedAnchors,
    /// How the last refresh went.
    pub status: Arc<Mutex<Status>>,
    started: AtomicBool,
}

impl TrustedLists {
    /// Starts keeping the lists current in `data_dir` (once; later calls do nothing). Needs a tokio runtime.
    pub fn start(&self, data_dir: &Path) {
        if self.started.swap(true, Ordering::SeqCst) {
            return;
        }
        tokio::spawn(trusted_lists::keep_current(
            dir(data_dir),
            Source::default(),
            self.anchors.clone(),
            self.status.clone(),
        ));
    }
}

impl TrustedLists {
    /// What is shown of them now.
    pub fn view(&self) -> ListsView {
        let status = self
            .status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        ListsView {
            lists: status
                .lists
                .into_iter()
                .map(|(territory, sequence)| ListInUse { territory, sequence })
                .collect(),
            checked_at: status.checked_at,
            in_use: !self.anchors.get().is_empty(),
            problem: status.problem,
        }
    }
}

/// Where the lists are kept in `data_dir`.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join(trusted_lists::DIR)
}

/// The anchors of the lists kept in `data_dir`, read now (for `firmadesk verify`, which starts nothing):
/// none when there are none, they do not verify, or they are out of date.
pub fn kept_anchors(data_dir: &Path) -> Vec<ListedAnchor> {
    trusted_lists::load(&dir(data_dir), &Source::default())
        .map(|l| l.anchors_at(time::OffsetDateTime::now_utc()))
        .unwrap_or_default()
}
