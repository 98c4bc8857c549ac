//! What a desktop notification may say, and when it is shown. The engine says what happened, in no language;
//! here it waits in a queue until [`crate::notices::plan`] lets it out (the clerk's switches, quiet hours,
//! grouping), is worded in the clerk's language ([`crate::wording`]), and the desk decides whether the
//! citizen's name may appear on a screen anyone passing by can read.

use crate::notices::{self, NoticePrefs, Now, Outgoing, Pending};
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
    /// Shows one notification; a click on its open action opens `request`, or only brings FirmaDesk
    /// forward when it is `None` (a group). Must not block for long.
    fn show(&self, worded: Worded, request: Option<LocalId>);
}

impl Show for DesktopNotifier {
    fn show(&self, w: Worded, request: Option<LocalId>) {
        // An empty id: the shell brings the window forward and the UI opens no request.
        let request = request.map(String::from).unwrap_or_default();
        self.notify_in_background(w.title, w.body, w.open_label, request);
    }
}

/// A notification shown, with the request a click opens (none: a group, which opens FirmaDesk).
pub type Shown = (Worded, Option<LocalId>);

/// A [`Show`] that keeps what it was given (tests).
#[derive(Debug, Default, Clone)]
pub struct RecordingShow {
    seen: Arc<Mutex<Vec<Shown>>>,
}

impl RecordingShow {
    /// Everything shown so far, with the request each one opens.
    pub fn shown(&self) -> Vec<Shown> {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Show for RecordingShow {
    fn show(&self, worded: Worded, request: Option<LocalId>) {
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

/// The clerk's per-kind switches and quiet hours now.
pub fn prefs_of(state: &AppState) -> NoticePrefs {
    state
        .settings
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .notices
        .clone()
}

/// Now on the desk's clock, with the time of day in this computer's time zone (quiet hours are the
/// clerk's local hours).
pub fn now_of(state: &AppState) -> Now {
    Now::in_zone(state.now_ms(), &jiff::tz::TimeZone::system())
}

/// How often the shell calls [`Switchable::tick`]: what settled or left quiet hours is shown within it.
pub const TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// Notices waiting to be shown: a pass not finished, a burst of stopped sends settling, quiet hours. In the
/// app they are also kept in a file of the data folder ([`Waiting::kept_in`]), so what quiet hours held is
/// still shown when they end after a quit or a restart.
#[derive(Debug, Default)]
pub struct Waiting {
    list: Mutex<Vec<Pending>>,
    file: Option<std::path::PathBuf>,
}

/// The file of the data folder that keeps the notices waiting.
pub const WAITING_FILE: &str = "notifiche-in-attesa.json";

impl Waiting {
    /// A queue kept in `file`, starting with what it holds (nothing when it is missing; an unreadable one is
    /// logged and set aside as `<file>.illeggibile`, never silently overwritten).
    pub fn kept_in(file: std::path::PathBuf) -> Self {
        let list = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(target: "firmadesk_desk", error = %e, "waiting notifications unreadable: set aside");
                let _ = std::fs::rename(&file, file.with_extension("json.illeggibile"));
                Vec::new()
            }),
            Err(_) => Vec::new(),
        };
        Self {
            list: Mutex::new(list),
            file: Some(file),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.list.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes `list` to the file, if the queue has one (a failure is logged: the notices still wait in
    /// memory).
    fn keep(&self, list: &[Pending]) {
        let Some(file) = &self.file else {
            return;
        };
        let written = if list.is_empty() {
            match std::fs::remove_file(file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            serde_json::to_vec(list)
                .map_err(std::io::Error::other)
                .and_then(|bytes| crate::private::write_file(file, &bytes))
        };
        if let Err(e) = written {
            tracing::warn!(target: "firmadesk_desk", error = %e, "waiting notifications not kept on disk");
        }
    }

    /// How many wait.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none waits.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

/// Desktop notifications the clerk can turn off (all, or by kind), held during quiet hours and grouped,
/// in the clerk's language, with names only where allowed.
pub struct Switchable<S> {
    /// What shows them.
    pub inner: S,
    /// On/off switch of Impostazioni.
    pub on: Arc<AtomicBool>,
    /// Whether a request may be named (reads the store: its profile, and whether that one is protected).
    pub names_allowed: Box<dyn Fn(LocalId) -> futures::future::BoxFuture<'static, bool> + Send + Sync>,
    /// The clerk's language at the time of the notification.
    pub locale: Box<dyn Fn() -> Locale + Send + Sync>,
    /// The kinds turned off and the quiet hours, at the time ([`prefs_of`] in the app).
    pub prefs: Box<dyn Fn() -> NoticePrefs + Send + Sync>,
    /// Now ([`now_of`] in the app; a fixed clock in tests).
    pub now: Box<dyn Fn() -> Now + Send + Sync>,
    /// What waits to be shown.
    pub waiting: Waiting,
}

impl<S: Show> Switchable<S> {
    /// Shows what is due: whatever settled for [`notices::SETTLE_MS`], or left quiet hours. The shell calls
    /// it every [`TICK`].
    pub async fn tick(&self) {
        self.deliver(false).await;
    }

    async fn deliver(&self, pass_ended: bool) {
        if !self.on.load(Ordering::Relaxed) {
            // Turned off while some waited: they are not shown later either.
            let mut waiting = self.waiting.lock();
            if !waiting.is_empty() {
                waiting.clear();
                self.waiting.keep(&waiting);
            }
            return;
        }
        let (prefs, now) = ((self.prefs)(), (self.now)());
        let out = {
            let mut waiting = self.waiting.lock();
            if waiting.is_empty() {
                return;
            }
            let before = waiting.len();
            let (out, kept) = notices::plan(std::mem::take(&mut *waiting), now, &prefs, pass_ended);
            *waiting = kept;
            if waiting.len() != before {
                self.waiting.keep(&waiting);
            }
            out
        };
        for outgoing in out {
            let locale = (self.locale)();
            match outgoing {
                Outgoing::One(n) => {
                    let names = (self.names_allowed)(n.local_id.clone()).await;
                    let worded = wording::notification(locale, &n, names);
                    self.inner.show(worded, Some(n.local_id));
                }
                Outgoing::Many { topic, count } => {
                    self.inner.show(wording::notification_group(locale, topic, count), None);
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl<S: Show> Notifier for Switchable<S> {
    async fn notify(&self, n: Notification) {
        if !self.on.load(Ordering::Relaxed) {
            return;
        }
        let at_ms = (self.now)().ms;
        let mut waiting = self.waiting.lock();
        waiting.push(Pending { notice: n, at_ms });
        self.waiting.keep(&waiting);
    }

    async fn settle(&self) {
        self.deliver(true).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notices::{QuietHours, TimeOfDay, SETTLE_MS};
    use firmadesk_engine::NotificationKind;
    use std::sync::atomic::AtomicI64;

    fn note_of(kind: NotificationKind, id: &str) -> Notification {
        Notification {
            kind,
            local_id: id.into(),
            request_title: "Accordo".into(),
            signer_name: "Mario Rossi".into(),
            reason: None,
            error: None,
        }
    }

    fn note(id: &str) -> Notification {
        note_of(NotificationKind::Signed, id)
    }

    /// A clock the test moves: unix ms, and the local minute of the day.
    #[derive(Clone, Default)]
    struct TestClock {
        ms: Arc<AtomicI64>,
        minute: Arc<AtomicI64>,
    }

    impl TestClock {
        fn set(&self, ms: i64, hour: i64, minute: i64) {
            self.ms.store(ms, Ordering::Relaxed);
            self.minute.store(hour * 60 + minute, Ordering::Relaxed);
        }
    }

    fn switchable_with(
        seen: &RecordingShow,
        on: Arc<AtomicBool>,
        named: &'static str,
        prefs: NoticePrefs,
        clock: &TestClock,
    ) -> Switchable<RecordingShow> {
        let clock = clock.clone();
        Switchable {
            inner: seen.clone(),
            on,
            names_allowed: Box::new(move |id| Box::pin(std::future::ready(id == named))),
            locale: Box::new(|| Locale::It),
            prefs: Box::new(move || prefs.clone()),
            now: Box::new(move || Now {
                ms: clock.ms.load(Ordering::Relaxed),
                minute: u16::try_from(clock.minute.load(Ordering::Relaxed)).unwrap(),
            }),
            waiting: Waiting::default(),
        }
    }

    fn switchable(seen: &RecordingShow, on: Arc<AtomicBool>, named: &'static str) -> Switchable<RecordingShow> {
        let clock = TestClock::default();
        clock.set(1_000, 10, 0);
        switchable_with(seen, on, named, NoticePrefs::default(), &clock)
    }

    /// One notice, then the end of the pass that found it.
    async fn pass(n: &Switchable<RecordingShow>, notice: Notification) {
        n.notify(notice).await;
        n.settle().await;
    }

    #[tokio::test]
    async fn notifications_turned_off_are_not_shown() {
        let seen = RecordingShow::default();
        let on = Arc::new(AtomicBool::new(true));
        let n = switchable(&seen, on.clone(), "");
        pass(&n, note("uno")).await;
        on.store(false, Ordering::Relaxed);
        pass(&n, note("due")).await;
        on.store(true, Ordering::Relaxed);
        pass(&n, note("tre")).await;
        let ids: Vec<_> = seen.shown().into_iter().map(|(_, id)| id.unwrap()).collect();
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
        pass(&n, note("chiusa")).await;
        pass(&n, note("aperta")).await;
        let got = seen.shown();
        assert!(!got[0].0.body.contains("Mario Rossi"), "{}", got[0].0.body);
        assert_eq!(got[0].1.as_ref().unwrap(), "chiusa");
        assert!(got[1].0.body.contains("Mario Rossi"));
    }

    #[tokio::test]
    async fn the_clerks_language_at_the_time_words_the_notification() {
        let seen = RecordingShow::default();
        let english = Arc::new(AtomicBool::new(false));
        let lang = english.clone();
        let mut n = switchable(&seen, Arc::new(AtomicBool::new(true)), "");
        n.locale = Box::new(move || {
            if lang.load(Ordering::Relaxed) {
                Locale::En
            } else {
                Locale::It
            }
        });
        pass(&n, note("a")).await;
        english.store(true, Ordering::Relaxed);
        pass(&n, note("b")).await;
        let titles: Vec<_> = seen.shown().into_iter().map(|(w, _)| w.title).collect();
        assert_eq!(titles, ["Documento firmato", "Document signed"]);
    }

    /// Issue #16: what one sync pass found is shown when the pass ends, several of a kind as one.
    #[tokio::test]
    async fn a_pass_that_signed_three_shows_one_notification_opening_firmadesk() {
        let seen = RecordingShow::default();
        let n = switchable(&seen, Arc::new(AtomicBool::new(true)), "x");
        for id in ["a", "b", "c"] {
            n.notify(note(id)).await;
        }
        n.notify(note_of(NotificationKind::Rejected, "x")).await;
        assert!(seen.shown().is_empty(), "nothing before the pass ends");
        n.settle().await;
        let shown = seen.shown();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert_eq!(shown[0].0.title, "3 documenti firmati");
        assert_eq!(shown[0].1, None, "a group opens FirmaDesk, not one of the three");
        assert_eq!(shown[1].0.title, "Firma non riuscita");
        assert!(shown[1].0.body.contains("Mario Rossi"));
        assert_eq!(shown[1].1.as_ref().unwrap(), "x");
        assert!(n.waiting.is_empty());
    }

    /// Stopped sends come from their own tasks, with no pass to end: shown once nothing new came for
    /// the settle time.
    #[tokio::test]
    async fn stopped_sends_are_shown_together_once_they_settle() {
        let seen = RecordingShow::default();
        let clock = TestClock::default();
        let n = switchable_with(
            &seen,
            Arc::new(AtomicBool::new(true)),
            "",
            NoticePrefs::default(),
            &clock,
        );
        clock.set(10_000, 10, 0);
        n.notify(note_of(NotificationKind::SendFailed, "a")).await;
        clock.set(11_000, 10, 0);
        n.notify(note_of(NotificationKind::NeedsEdit, "b")).await;
        clock.set(11_000 + SETTLE_MS - 1, 10, 0);
        n.tick().await;
        assert!(seen.shown().is_empty());
        clock.set(11_000 + SETTLE_MS, 10, 0);
        n.tick().await;
        let titles: Vec<_> = seen.shown().into_iter().map(|(w, _)| w.title).collect();
        assert_eq!(titles, ["2 invii non riusciti"]);
    }

    /// Quiet hours from 19:00 to 8:00.
    fn night() -> NoticePrefs {
        NoticePrefs {
            quiet: QuietHours {
                on: true,
                from: TimeOfDay::new(19, 0).unwrap(),
                to: TimeOfDay::new(8, 0).unwrap(),
            },
            ..NoticePrefs::default()
        }
    }

    /// Issue #16: during quiet hours nothing is shown; what came is shown, grouped, when they end.
    #[tokio::test]
    async fn quiet_hours_hold_the_night_and_show_it_in_the_morning() {
        let seen = RecordingShow::default();
        let clock = TestClock::default();
        let prefs = night();
        let n = switchable_with(&seen, Arc::new(AtomicBool::new(true)), "c", prefs, &clock);
        clock.set(1_000_000, 22, 15);
        pass(&n, note("a")).await;
        clock.set(2_000_000, 3, 40);
        pass(&n, note("b")).await;
        pass(&n, note_of(NotificationKind::Expired, "c")).await;
        clock.set(3_000_000, 7, 59);
        n.tick().await;
        assert!(seen.shown().is_empty(), "{:?}", seen.shown());
        assert_eq!(n.waiting.len(), 3);
        clock.set(3_060_000, 8, 0);
        n.tick().await;
        let shown = seen.shown();
        let titles: Vec<_> = shown.iter().map(|(w, _)| w.title.as_str()).collect();
        assert_eq!(titles, ["2 documenti firmati", "Richiesta scaduta"]);
        assert_eq!(shown[1].1.as_ref().unwrap(), "c");
        n.tick().await;
        assert_eq!(seen.shown().len(), 2, "shown once");
    }

    /// Issue #16: what quiet hours held is kept in the data folder: FirmaDesk quit during the night still
    /// shows it in the morning; shown, it leaves the file; an unreadable file is set aside, not lost.
    #[tokio::test]
    async fn what_quiet_hours_held_survives_a_quit_and_is_shown_once_in_the_morning() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(WAITING_FILE);
        let clock = TestClock::default();
        let prefs = night();
        let night = RecordingShow::default();
        {
            let n = Switchable {
                waiting: Waiting::kept_in(file.clone()),
                ..switchable_with(&night, Arc::new(AtomicBool::new(true)), "", prefs.clone(), &clock)
            };
            clock.set(1_000_000, 22, 15);
            pass(&n, note("a")).await;
            pass(&n, note_of(NotificationKind::Rejected, "b")).await;
            assert!(file.is_file());
            // FirmaDesk quits during the night.
        }
        assert!(night.shown().is_empty());
        let morning = RecordingShow::default();
        let n = Switchable {
            waiting: Waiting::kept_in(file.clone()),
            ..switchable_with(&morning, Arc::new(AtomicBool::new(true)), "", prefs, &clock)
        };
        assert_eq!(n.waiting.len(), 2);
        clock.set(3_060_000, 8, 0);
        n.tick().await;
        let titles: Vec<_> = morning.shown().into_iter().map(|(w, _)| w.title).collect();
        assert_eq!(titles, ["Documento firmato", "Firma non riuscita"]);
        assert!(!file.exists(), "shown, nothing is kept");
        std::fs::write(&file, b"{ not json").unwrap();
        assert_eq!(Waiting::kept_in(file.clone()).len(), 0);
        assert!(dir.path().join(format!("{WAITING_FILE}.illeggibile")).is_file());
    }

    #[tokio::test]
    async fn a_kind_turned_off_is_not_shown_and_the_others_are() {
        let seen = RecordingShow::default();
        let clock = TestClock::default();
        clock.set(1_000, 10, 0);
        let mut prefs = NoticePrefs::default();
        prefs.off.insert(notices::Topic::Expiring);
        let n = switchable_with(&seen, Arc::new(AtomicBool::new(true)), "", prefs, &clock);
        pass(&n, note_of(NotificationKind::Expiring, "a")).await;
        pass(&n, note_of(NotificationKind::Expired, "b")).await;
        let titles: Vec<_> = seen.shown().into_iter().map(|(w, _)| w.title).collect();
        assert_eq!(titles, ["Richiesta scaduta"]);
    }
}
