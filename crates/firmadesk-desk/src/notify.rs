//! What a desktop notification may say. The engine words it ("Mario Rossi – Accordo: firmato su IO");
//! the shell decides whether the citizen's name may appear on a screen anyone passing by can read.

use crate::Desk as AppState;
use firmadesk_engine::{Notification, Notifier};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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

/// The notification without the request's label: the generic text says what happened and where to look.
pub fn without_names(n: Notification) -> Notification {
    let body = match n.title.as_str() {
        "Documento firmato" => "Una richiesta è stata firmata su IO: aprire FirmaDesk per i dettagli.",
        "Firma non riuscita" => "Una firma non è stata completata: aprire FirmaDesk per i dettagli.",
        _ => "Aggiornamento su una richiesta di firma: aprire FirmaDesk per i dettagli.",
    };
    Notification {
        title: n.title,
        body: body.to_owned(),
        request_id: n.request_id,
    }
}

/// The app's decision for a request the engine notifies about (by its IO id). An unknown request
/// shows no names: when in doubt, say less.
pub fn names_allowed_for(state: &AppState, io_request_id: &str) -> bool {
    let request = state
        .store
        .local_id_of(io_request_id)
        .ok()
        .flatten()
        .and_then(|local| state.store.request(&local).ok().flatten());
    let Some(request) = request else {
        return false;
    };
    let protected = state
        .store
        .profiles()
        .map(|ps| {
            ps.iter()
                .any(|p| p.id == request.profile_id && crate::session::is_protected(p))
        })
        .unwrap_or(true);
    let session_valid = crate::session::profile_open(state, &request.profile_id);
    let hide = state.settings.lock().expect("settings lock").hide_names;
    names_allowed(hide, protected, session_valid)
}

/// Desktop notifications the clerk can turn off, with names only where allowed.
pub struct Switchable<N> {
    /// The real notifier.
    pub inner: N,
    /// On/off switch of Impostazioni.
    pub on: Arc<AtomicBool>,
    /// Whether a request (by IO id) may be named.
    pub names_allowed: Box<dyn Fn(&str) -> bool + Send + Sync>,
}

impl<N: Notifier> Notifier for Switchable<N> {
    fn notify(&self, n: Notification) {
        if !self.on.load(Ordering::Relaxed) {
            return;
        }
        if (self.names_allowed)(&n.request_id) {
            self.inner.notify(n);
        } else {
            self.inner.notify(without_names(n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmadesk_engine::RecordingNotifier;

    fn note(t: &str, id: &str) -> Notification {
        Notification {
            title: t.into(),
            body: "Mario Rossi – Accordo: firmato su IO e salvato nell'archivio.".into(),
            request_id: id.into(),
        }
    }

    #[test]
    fn notifications_turned_off_are_not_shown() {
        let seen = RecordingNotifier::new();
        let on = Arc::new(AtomicBool::new(true));
        let n = Switchable {
            inner: seen.clone(),
            on: on.clone(),
            names_allowed: Box::new(|_| true),
        };
        n.notify(note("uno", "r"));
        on.store(false, Ordering::Relaxed);
        n.notify(note("due", "r"));
        on.store(true, Ordering::Relaxed);
        n.notify(note("tre", "r"));
        let titles: Vec<_> = seen.notifications().into_iter().map(|n| n.title).collect();
        assert_eq!(titles, ["uno", "tre"]);
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

    #[test]
    fn hidden_names_leave_a_generic_text_and_the_request_to_open() {
        let seen = RecordingNotifier::new();
        let n = Switchable {
            inner: seen.clone(),
            on: Arc::new(AtomicBool::new(true)),
            names_allowed: Box::new(|id| id == "aperta"),
        };
        n.notify(note("Documento firmato", "chiusa"));
        n.notify(note("Documento firmato", "aperta"));
        let got = seen.notifications();
        assert!(!got[0].body.contains("Mario Rossi"), "{}", got[0].body);
        assert_eq!(got[0].request_id, "chiusa");
        assert!(got[1].body.contains("Mario Rossi"));
    }
}
