//! What a desktop notification may say. The engine says what happened, in no language; here it is worded in
//! the clerk's language ([`crate::wording`]) and the desk decides whether the citizen's name may appear on a
//! screen anyone passing by can read.

use crate::settings::Locale;
use crate::wording::{self, Worded};
use crate::Desk as AppState;
use firmadesk_engine::{DesktopNotifier, Notification, Notifier};
use firmadesk_store::LocalId;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Whether a notification about a request may name the citizen.
///
/// Never for a login-protected profile without a valid session (a locked desk shows no names); otherwise
/// the clerk's "Nascondi i nomi nelle notifiche" decides, whose default (`None`) hides them for protected
/// profiles and shows them for the others.
pub fn names_allowed(hide_setting: Option<bool>, protected: bool, session_valid: bool) -> bool {
    if protected && !session_valid {
        return false;
    }
    !hide_setting.unwrap_or(protected)
}

/// Shows a worded notification: the platform's service in the app, a recorder in tests.
pub trait Show: Send + Sync + 'static {
    /// Shows one notification; a click on its open action opens `request`. Must not block for long.
    fn show(&self, worded: Worded, request: LocalId);
}

impl Show for DesktopNotifier {
    fn show(&self, w: Worded, request: LocalId) {
        self.notify_in_background(w.title, w.body, w.open_label, request.into());
    }
}

/// A [`Show`] that keeps what it was given (tests).
#[derive(Debug, Default, Clone)]
pub struct RecordingShow {
    seen: Arc<Mutex<Vec<(Worded, LocalId)>>>,
}

impl RecordingShow {
    /// Everything shown so far, with the request each one opens.
    pub fn shown(&self) -> Vec<(Worded, LocalId)> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Show for RecordingShow {
    fn show(&self, worded: Worded, request: LocalId) {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((worded, request));
    }
}

/// The app's decision for a request the engine notifies about. An unknown request shows no names: when
/// in doubt, say less.
pub async fn names_allowed_for(state: &AppState, request: &LocalId) -> bool {
    let Some(request) = state.store.request(request).await.ok().flatten() else {
        return false;
    };
    let protected = state
        .store
        .profiles()
        .await
        .map(|ps| {
            ps.iter()
                .any(|p| p.id == request.profile_id && crate::session::is_protected(p))
        })
        .unwrap_or(true);
    let session_valid = crate::session::profile_open(state, &request.profile_id).await;
    let hide = state.settings.lock().expect("settings lock").hide_names;
    names_allowed(hide, protected, session_valid)
}

/// Desktop notifications the clerk can turn off, in the clerk's language, with names only where allowed.
pub struct Switchable<S> {
    /// What shows them.
    pub inner: S,
    /// On/off switch of Impostazioni.
    pub on: Arc<AtomicBool>,
    /// Whether a request may be named (reads the store: its profile, and whether that one is protected).
    pub names_allowed: Box<dyn Fn(LocalId) -> futures::future::BoxFuture<'static, bool> + Send + Sync>,
    /// The clerk's language at the time of the notification.
    pub locale: Box<dyn Fn() -> Locale + Send + Sync>,
}

#[async_trait::async_trait]
impl<S: Show> Notifier for Switchable<S> {
    async fn notify(&self, n: Notification) {
        if !self.on.load(Ordering::Relaxed) {
            return;
        }
        let names = (self.names_allowed)(n.local_id.clone()).await;
        let worded = wording::notification((self.locale)(), &n, names);
        self.inner.show(worded, n.local_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmadesk_engine::NotificationKind;

    fn note(id: &str) -> Notification {
        Notification {
            kind: NotificationKind::Signed,
            local_id: id.into(),
            request_title: "Accordo".into(),
            signer_name: "Mario Rossi".into(),
            reason: None,
        }
    }

    fn switchable(seen: &RecordingShow, on: Arc<AtomicBool>, named: &'static str) -> Switchable<RecordingShow> {
        Switchable {
            inner: seen.clone(),
            on,
            names_allowed: Box::new(move |id| Box::pin(std::future::ready(id == named))),
            locale: Box::new(|| Locale::It),
        }
    }

    #[tokio::test]
    async fn notifications_turned_off_are_not_shown() {
        let seen = RecordingShow::default();
        let on = Arc::new(AtomicBool::new(true));
        let n = switchable(&seen, on.clone(), "");
        n.notify(note("uno")).await;
        on.store(false, Ordering::Relaxed);
        n.notify(note("due")).await;
        on.store(true, Ordering::Relaxed);
        n.notify(note("tre")).await;
        let ids: Vec<_> = seen.shown().into_iter().map(|(_, id)| id).collect();
        assert_eq!(ids, ["uno", "tre"]);
    }

    /// Issue #10 item 14: a locked desk must not show citizens' names.
    #[test]
    fn names_never_shown_for_a_protected_profile_without_a_session() {
        assert!(!names_allowed(None, true, false));
        assert!(
            !names_allowed(Some(false), true, false),
            "even when the clerk wants names"
        );
        assert!(!names_allowed(None, true, true), "protected: hidden by default");
        assert!(names_allowed(Some(false), true, true));
        assert!(names_allowed(None, false, false), "unprotected: shown by default");
        assert!(!names_allowed(Some(true), false, false));
    }

    #[tokio::test]
    async fn hidden_names_leave_a_generic_text_and_the_request_to_open() {
        let seen = RecordingShow::default();
        let n = switchable(&seen, Arc::new(AtomicBool::new(true)), "aperta");
        n.notify(note("chiusa")).await;
        n.notify(note("aperta")).await;
        let got = seen.shown();
        assert!(!got[0].0.body.contains("Mario Rossi"), "{}", got[0].0.body);
        assert_eq!(got[0].1, "chiusa");
        assert!(got[1].0.body.contains("Mario Rossi"));
    }

    #[tokio::test]
    async fn the_clerks_language_at_the_time_words_the_notification() {
        let seen = RecordingShow::default();
        let english = Arc::new(AtomicBool::new(false));
        let lang = english.clone();
        let n = Switchable {
            inner: seen.clone(),
            on: Arc::new(AtomicBool::new(true)),
            names_allowed: Box::new(|_| Box::pin(std::future::ready(true))),
            locale: Box::new(move || {
                if lang.load(Ordering::Relaxed) {
                    Locale::En
                } else {
                    Locale::It
                }
            }),
        };
        n.notify(note("a")).await;
        english.store(true, Ordering::Relaxed);
        n.notify(note("b")).await;
        let titles: Vec<_> = seen.shown().into_iter().map(|(w, _)| w.title).collect();
        assert_eq!(titles, ["Documento firmato", "Document signed"]);
    }
}
