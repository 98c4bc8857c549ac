//! What the UI and the desktop see: [`EngineEvent`]s on a broadcast channel, and
//! [`Notification`]s through the [`Notifier`] trait (the shell implements it with notify-rust).

use crate::error::EngineErrorKind;
use crate::store::{Expiry, IoRequestId, LocalId, SendStep};
use iosign::SignatureRequestStatus;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// An event of the engine. Serialize it to hand it to the webview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EngineEvent {
    /// A saga step began.
    StepStarted {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// The step.
        step: SendStep,
    },
    /// A saga step completed (and was persisted).
    StepFinished {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// The step.
        step: SendStep,
    },
    /// Bytes of a document sent so far.
    UploadProgress {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// Index of the document in the send.
        document: usize,
        /// Bytes sent.
        sent: u64,
        /// Bytes in total.
        total: u64,
    },
    /// The send waits ("in coda"): the service or the network is down.
    Queued {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// When it will try again.
        #[serde(with = "iosign::types::timestamp")]
        next_attempt_at: OffsetDateTime,
        /// Why, as the engine error kind's code (`offline`...): the UI words it.
        code: &'static str,
        /// Why, in Italian.
        message: String,
    },
    /// The send stopped: the clerk must act (fix data, resubmit).
    Failed {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// Classification.
        kind: EngineErrorKind,
        /// Code for the UI.
        code: &'static str,
        /// Italian message.
        message: String,
    },
    /// A document was refused by the service's validation; the draft stays editable.
    DocumentRejected {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// Title of the document.
        document_title: String,
        /// The service's reason.
        reason: String,
    },
    /// The send is done: the request waits for the citizen's signature.
    SendCompleted {
        /// Local id of the request being sent.
        send_id: LocalId,
        /// IO signature request id.
        request_id: IoRequestId,
    },
    /// The status of a signature request changed.
    StatusChanged {
        /// Profile.
        profile_id: String,
        /// Local id of the request.
        local_id: LocalId,
        /// IO signature request id.
        request_id: IoRequestId,
        /// Previous status known locally.
        from: Option<SignatureRequestStatus>,
        /// New status.
        to: SignatureRequestStatus,
    },
    /// A signed document was archived.
    Archived {
        /// Local id of the request.
        local_id: LocalId,
        /// IO signature request id.
        request_id: IoRequestId,
        /// Document id.
        document_id: String,
        /// Where.
        path: PathBuf,
        /// SHA-256 of the file, hex.
        sha256: String,
    },
    /// Archiving failed; it will be retried on the next sync pass.
    ArchiveFailed {
        /// Local id of the request.
        local_id: LocalId,
        /// IO signature request id.
        request_id: IoRequestId,
        /// Italian message.
        message: String,
    },
    /// The computed expiry state of a waiting request changed.
    ExpiryChanged {
        /// Local id of the request.
        local_id: LocalId,
        /// IO signature request id.
        request_id: IoRequestId,
        /// New state.
        expiry: Expiry,
    },
    /// A sync pass could not complete (offline, service down): the dashboard shows the cached
    /// data and says so; the next pass retries.
    SyncFailed {
        /// Profile.
        profile_id: String,
        /// Italian message.
        message: String,
    },
    /// The poller of a profile stopped at the start of its next pass because sync is paused
    /// ([`crate::Engine::pause_sync`]); it passes again as soon as sync resumes.
    SyncPaused {
        /// Profile.
        profile_id: String,
    },
    /// A sync pass ended.
    SyncFinished {
        /// Profile.
        profile_id: String,
        /// API calls spent.
        calls: u32,
        /// Requests found changed.
        changed: u32,
    },
}

/// What a desktop notification is about. The engine says what happened; the desk words it in the clerk's
/// language and decides whether the citizen may be named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Signed on IO and saved in the archive.
    Signed,
    /// Signed on IO, but the archive failed (it is retried).
    SignedNotArchived,
    /// The signature was not completed (refused, or IO's signing failed).
    Rejected,
    /// A waiting request entered its last 48 hours (announced once: the expiry state is kept with the
    /// request, so later passes and restarts do not repeat it).
    Expiring,
    /// A waiting request passed its deadline unsigned (announced once, like [`NotificationKind::Expiring`]).
    Expired,
    /// A send stopped for good ([`crate::SendStep::Failed`]): the clerk must act.
    SendFailed,
    /// Firma con IO refused a document ([`crate::SendStep::NeedsEdit`]): the clerk must fix it and resubmit.
    NeedsEdit,
    /// A signed document was archived but its verification says "Firma non valida" (another signer's
    /// fiscal code, a document changed after signing...): the clerk must look at it.
    SignatureInvalid,
}

/// A desktop notification, in no language: `request_id` lets the shell open the request on click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// What happened.
    pub kind: NotificationKind,
    /// The request to open on click (its local id).
    pub local_id: LocalId,
    /// The request's title, as the clerk typed it.
    pub request_title: String,
    /// The signer's name.
    pub signer_name: String,
    /// IO's reason for a rejection, verbatim, when it gave one; for a send that stopped, the engine's
    /// Italian message (worded by [`Notification::error`] in another language).
    pub reason: Option<String>,
    /// Why a send stopped ([`NotificationKind::SendFailed`], [`NotificationKind::NeedsEdit`]).
    pub error: Option<EngineErrorKind>,
}

/// Shows notifications (notify-rust in the shell). Must not block for long.
#[async_trait::async_trait]
pub trait Notifier: Send + Sync + 'static {
    /// Shows one notification (async: deciding what it may say can read the store).
    async fn notify(&self, notification: Notification);

    /// A sync pass ended: what it notified is complete, so a notifier that groups notifications may show
    /// them now (one "3 documenti firmati" rather than three). Called after every pass, failed or not.
    async fn settle(&self) {}
}

/// A [`Notifier`] that keeps what it was given, for tests and for a "recent notifications" list.
#[derive(Debug, Default, Clone)]
pub struct RecordingNotifier {
    seen: Arc<Mutex<Vec<Notification>>>,
    /// Woken at each notification (see [`RecordingNotifier::wait_for`]).
    added: Arc<tokio::sync::Notify>,
}

impl RecordingNotifier {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything notified so far.
    pub fn notifications(&self) -> Vec<Notification> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Waits until at least `count` notifications were given, and returns them all (a test bounds the
    /// wait with a timeout: the notification may follow the event that announced its cause).
    pub async fn wait_for(&self, count: usize) -> Vec<Notification> {
        loop {
            let added = self.added.notified();
            tokio::pin!(added);
            // Registered before the check, so a notification in between is not missed.
            added.as_mut().enable();
            let seen = self.notifications();
            if seen.len() >= count {
                return seen;
            }
            added.await;
        }
    }
}

#[async_trait::async_trait]
impl Notifier for RecordingNotifier {
    async fn notify(&self, notification: Notification) {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(notification);
        self.added.notify_waiters();
    }
}
