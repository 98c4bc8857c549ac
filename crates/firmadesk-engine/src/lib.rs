//! FirmaDesk workflows: the send saga, the sync poller, the archive of signed PDFs, events and
//! notifications. Runs on tokio; no Tauri dependency (the shell holds an [`Engine`]).
//!
//! # Overview
//!
//! - **Send saga** ([`Engine::submit`]): ensure the IO dossier of the document type → resolve
//!   the signer → create the request → per document a fresh upload URL and the upload (with
//!   progress events) → wait for validation (a rejected document stops the send in
//!   [`SendStep::NeedsEdit`] with the reason; [`Engine::resubmit`] continues) → publish → wait
//!   for WAIT_FOR_SIGNATURE → IO message (or QR only) → waiting. Each step is saved through the
//!   [`EngineStore`] before the next begins, and unfinished sends resume when their profile is
//!   added. `POST /signature-requests` is not idempotent: a create with an unknown outcome is
//!   resolved by listing the dossier and adopting the request of that signer created after the
//!   attempt, never by creating another; `PUT /notification` likewise re-reads `notification`.
//! - **Offline**: transient failures (network, 5xx, 429) queue the send ("in coda") with
//!   exponential backoff and jitter; [`Engine::retry_now`] wakes the queue.
//! - **Poller** (per profile): each pass lists every dossier 100 at a time, compares status and
//!   `updated_at` with the local copy and reads details only for what changed, on the client's
//!   rate limiter (150 calls / 5 s, 429 honoured). Signed requests are downloaded at once into
//!   `<archive>/<year>/<type>/<signer> - <title> - <id>.pdf` (atomic write, SHA-256 recorded);
//!   rejected ones notify the clerk; expiry ("in scadenza", "scaduta") is computed locally, kept with
//!   the request and notified once when it moves on.
//! - **Events**: a broadcast of [`EngineEvent`]s ([`Engine::subscribe`]); desktop notifications
//!   (signed, archive failed, rejected, expiring, expired, send failed or to fix) through a
//!   [`Notifier`], told when a sync pass ends so it may group them (the desk's words, groups and
//!   holds them; the shell shows them with notify-rust; [`RecordingNotifier`] for tests).
//! - Time and randomness come from a [`Clock`]; archive writes from an [`ArchiveWriter`].
//!
//! # Example
//!
//! ```no_run
//! use firmadesk_engine::{Delivery, DocumentType, Engine, EngineConfig, MemoryStore, SendDocument, SendSpec, SignerInfo};
//! use iosign::{ApiKey, Client, DocumentMetadata};
//! use std::sync::Arc;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Engine::builder(EngineConfig::new("/home/ufficio/Firmati"), Arc::new(MemoryStore::new())).build();
//! let client = Client::new("http://127.0.0.1:7071/api/v1/sign", ApiKey::new("demo"))?;
//! engine.add_profile("comune", client).await?; // resumes unfinished sends, starts the poller
//! let mut events = engine.subscribe();
//! let metadata = DocumentMetadata { title: "Contratto".into(), signature_fields: vec![] };
//! engine.submit("bozza-1", SendSpec {
//!     profile_id: "comune".into(),
//!     document_type: DocumentType {
//!         name: "Accordo".into(),
//!         dossier_title: "Accordo con il Comune".into(),
//!         documents_metadata: vec![metadata.clone()],
//!         support_email: None,
//!     },
//!     signer: SignerInfo { fiscal_code: "RSSMRA80A01H501U".parse()?, display_name: "Mario Rossi".into() },
//!     title: "Contratto di locazione".into(),
//!     documents: vec![SendDocument { metadata, path: "contratto.pdf".into(), sha256: None }],
//!     expires_at: None,
//!     delivery: Delivery::IoMessage,
//! }).await?;
//! while let Ok(event) = events.recv().await {
//!     println!("{event:?}");
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod archive;
pub mod clock;
mod config;
pub mod desktop;
mod engine;
pub mod error;
pub mod events;
pub mod rows;
mod runtime;
mod saga;
pub mod store;
pub mod sync;
pub mod trusted_lists;
pub mod verification;

pub use archive::{ArchiveWriter, FsArchiveWriter};
pub use clock::{Clock, ManualClock, SystemClock, TokioWallClock};
pub use config::{this_user_at_machine, CrashHook, CrashPoint, EngineConfig};
pub use desktop::DesktopNotifier;
pub use engine::{Engine, EngineBuilder, ProfileOptions};
pub use error::{EngineError, EngineErrorKind};
pub use events::{EngineEvent, Notification, NotificationKind, Notifier, RecordingNotifier};
pub use rows::RowStore;
pub use store::{
    ArchivedFile, Delivery, DocumentType, EngineStore, Expiry, LocalRequest, MemoryStore, SendDocument, SendRecord,
    SendSpec, SendStep, SignerInfo,
};
pub use sync::SyncReport;

#[cfg(test)]
mod layering {
    use std::collections::{BTreeMap, BTreeSet};

    /// The modules of this crate and the ones each names through `crate::`.
    fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut graph = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if name == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Only the code: a module's own tests may reach anywhere.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let uses: BTreeSet<String> = code
                .match_indices("crate::")
                .filter(|(i, _)| {
                    !code[..*i].ends_with('[') && !code[..*i].ends_with('`') && !code[..*i].ends_with("](")
                })
                .map(|(i, m)| {
                    code[i + m.len()..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .filter(|m| *m != name && !m.is_empty() && m.chars().next().is_some_and(char::is_lowercase))
                .collect();
            graph.insert(name, uses);
        }
        graph
    }

    /// The engine's modules form layers: the saga and the poller work on the shared runtime and never
    /// reach back into the engine, and the store's records do not depend on the events made from them.
    #[test]
    fn the_modules_have_no_circles() {
        let graph = module_graph();
        assert!(graph.contains_key("saga") && graph.contains_key("runtime"), "{graph:?}");
        fn visit(
            m: &str,
            graph: &BTreeMap<String, BTreeSet<String>>,
            path: &mut Vec<String>,
            done: &mut BTreeSet<String>,
        ) {
            if let Some(at) = path.iter().position(|p| p == m) {
                panic!("module circle: {} -> {m}", path[at..].join(" -> "));
            }
            if done.contains(m) {
                return;
            }
            path.push(m.to_owned());
            for next in graph.get(m).into_iter().flatten() {
                visit(next, graph, path, done);
            }
            path.pop();
            done.insert(m.to_owned());
        }
        let mut done = BTreeSet::new();
        for m in graph.keys() {
            visit(m, &graph, &mut Vec::new(), &mut done);
        }
    }
}
