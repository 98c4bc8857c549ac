//! What the core crates record in no language, worded in the clerk's: timeline entries (by their code and
//! arguments) and desktop notifications (by their kind). The texts are the catalogues' (`timeline-*`,
//! `notification-*` in `ui/locales/<lang>.ftl`).

use crate::i18n::{self, Arg};
use crate::settings::Locale;
use firmadesk_engine::{Notification, NotificationKind};

/// A timeline entry in the clerk's language. Entries recorded before their arguments were (or with a code
/// this version does not know) keep the Italian text they were recorded with.
pub fn event_text(locale: Locale, event: &firmadesk_store::Event) -> String {
    let args = event.args();
    let arg = |name: &str| args.get(name).cloned();
    let (code, sub) = event.code.split_once(':').unwrap_or((event.code.as_str(), ""));
    let worded = match code {
        "created" if arg("replaces_title").is_some() => Some(i18n::text(
            locale,
            "timeline-created_fix",
            &[("title", arg("replaces_title").unwrap_or_default().into())],
        )),
        "replaced" => arg("title").map(|title| i18n::text(locale, "timeline-replaced", &[("title", title.into())])),
        "created" | "create_adopted" | "archive_failed" | "download_invalid" | "cancelled" | "cancel_requested" => {
            Some(i18n::text(locale, &format!("timeline-{code}"), &[]))
        }
        "step_finished" if i18n::has(Locale::It, &format!("steps-{sub}")) => {
            let step = i18n::text(locale, &format!("steps-{sub}"), &[]);
            Some(i18n::text(locale, "timeline-step_finished", &[("step", step.into())]))
        }
        "failed" if i18n::has(Locale::It, &format!("errors-engine-{sub}")) => {
            let reason = i18n::text(locale, &format!("errors-engine-{sub}"), &[]);
            Some(i18n::text(locale, "timeline-failed", &[("reason", reason.into())]))
        }
        "status" => {
            let id = format!("timeline-io_status-{sub}");
            let id = if i18n::has(Locale::It, &id) {
                id
            } else {
                "timeline-io_status-unknown".into()
            };
            let status = i18n::text(locale, &id, &[]);
            Some(i18n::text(locale, "timeline-status", &[("status", status.into())]))
        }
        "document_rejected" => match (arg("title"), arg("reason")) {
            (Some(title), Some(reason)) => Some(i18n::text(
                locale,
                "timeline-document_rejected",
                &[("title", title.into()), ("reason", reason.into())],
            )),
            _ => None,
        },
        "archived" => arg("path").map(|path| i18n::text(locale, "timeline-archived", &[("path", path.into())])),
        _ => None,
    };
    worded.unwrap_or_else(|| event.text.clone())
}

/// A desktop notification as the clerk reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// The label of the action that opens the request.
    pub open_label: String,
}

/// Words a notification in `locale`; without `names`, the body says what happened and where to look but
/// names neither the citizen nor the request.
pub fn notification(locale: Locale, n: &Notification, names: bool) -> Worded {
    let (title, body, anonymous) = match n.kind {
        NotificationKind::Signed => (
            "notification-signed-title",
            "notification-signed-body",
            "notification-signed-anonymous",
        ),
        NotificationKind::SignedNotArchived => (
            "notification-signed-title",
            "notification-signed_not_archived-body",
            "notification-signed-anonymous",
        ),
        NotificationKind::Rejected => (
            "notification-rejected-title",
            "notification-rejected-body",
            "notification-rejected-anonymous",
        ),
    };
    let body = if names {
        let reason = n
            .reason
            .clone()
            .unwrap_or_else(|| i18n::text(locale, "notification-rejected-no_reason", &[]));
        let args: [(&str, Arg); 3] = [
            ("title", n.request_title.as_str().into()),
            ("signer", n.signer_name.as_str().into()),
            ("reason", reason.into()),
        ];
        i18n::text(locale, body, &args)
    } else {
        i18n::text(locale, anonymous, &[])
    };
    Worded {
        title: i18n::text(locale, title, &[]),
        body,
        open_label: i18n::text(locale, "notification-open", &[]),
    }
}

/// An engine error as the clerk reads it: in Italian the engine's own message (it may name the document or
/// the step at fault), in another language the catalogue's text for its kind (`errors-engine-<kind>`).
pub fn engine_error(locale: Locale, kind: Option<firmadesk_engine::EngineErrorKind>, italian: &str) -> String {
    match kind {
        Some(kind) if locale != Locale::It => i18n::text(locale, &format!("errors-engine-{}", kind.code()), &[]),
        _ => italian.to_owned(),
    }
}

/// The tray's tooltip: "FirmaDesk – 3 richieste in attesa di firma".
pub fn tray_tooltip(locale: Locale, waiting: u64) -> String {
    i18n::text(locale, "tray-waiting", &[("count", waiting.into())])
}

/// The labels of the tray menu: (open, quit).
pub fn tray_menu(locale: Locale) -> (String, String) {
    (
        i18n::text(locale, "tray-open", &[]),
        i18n::text(locale, "tray-quit", &[]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(code: &str, args: serde_json::Value, text: &str) -> firmadesk_store::Event {
        firmadesk_store::Event {
            request_id: "r".into(),
            at: 0,
            actor: "firmadesk".into(),
            code: code.into(),
            text: text.into(),
            detail_json: Some(serde_json::json!({ "io_request_id": "io", "args": args }).to_string()),
        }
    }

    #[test]
    fn timeline_entries_follow_the_clerks_language() {
        let none = serde_json::json!({});
        let cases = [
            (
                event("created", none.clone(), "x"),
                "Request created and sent to Firma con IO",
            ),
            (
                event("step_finished:upload", none.clone(), "x"),
                "Uploading the documents: done",
            ),
            (event("status:SIGNED", none.clone(), "x"), "Status on IO: Signed"),
            (
                event("status:SOMETHING_NEW", none.clone(), "x"),
                "Status on IO: Unknown status",
            ),
            (
                event(
                    "document_rejected",
                    serde_json::json!({ "title": "Contratto", "reason": "PDF/A" }),
                    "x",
                ),
                "The document “Contratto” was rejected by Firma con IO: PDF/A",
            ),
            (
                event("archived", serde_json::json!({ "path": "/a/b.pdf" }), "x"),
                "Signed document saved in /a/b.pdf",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(event_text(Locale::En, &e), want, "{}", e.code);
        }
        let e = event("status:WAIT_FOR_SIGNATURE", none, "x");
        assert_eq!(event_text(Locale::It, &e), "Stato su IO: In attesa di firma");
    }

    #[test]
    fn failures_are_worded_by_their_kind() {
        let e = event(
            "failed:offline",
            serde_json::json!({}),
            "Servizio non raggiungibile (dettaglio)",
        );
        assert!(event_text(Locale::En, &e).starts_with("Sending failed: The Firma con IO service cannot be reached"));
        assert!(event_text(Locale::It, &e).starts_with("Invio non riuscito: "));
    }

    /// Entries recorded by an older version (no arguments) or with a code this one does not know keep
    /// their recorded text rather than showing a half-filled sentence.
    #[test]
    fn entries_without_their_arguments_keep_the_recorded_text() {
        let mut old = event("archived", serde_json::json!({}), "Documento firmato salvato in /x.pdf");
        old.detail_json = Some(r#"{"io_request_id":"io"}"#.into());
        assert_eq!(event_text(Locale::En, &old), "Documento firmato salvato in /x.pdf");
        let unknown = event("something:new", serde_json::json!({}), "Testo registrato");
        assert_eq!(event_text(Locale::En, &unknown), "Testo registrato");
        let no_detail = firmadesk_store::Event {
            detail_json: None,
            ..event("created", serde_json::json!({}), "x")
        };
        assert_eq!(
            event_text(Locale::It, &no_detail),
            "Richiesta creata e inviata a Firma con IO"
        );
    }

    #[test]
    fn engine_errors_keep_their_italian_detail_and_are_worded_by_kind_in_english() {
        use firmadesk_engine::EngineErrorKind as K;
        let it = "Il documento «Contratto» è stato rifiutato da Firma con IO: PDF/A";
        assert_eq!(engine_error(Locale::It, Some(K::DocumentRejected), it), it);
        assert_eq!(
            engine_error(Locale::En, Some(K::DocumentRejected), it),
            "Firma con IO refused the document: fix it and send it again."
        );
        // Recorded before the kind was: the message as it was written.
        assert_eq!(engine_error(Locale::En, None, it), it);
    }

    #[test]
    fn the_tray_counts_in_the_clerks_language() {
        assert_eq!(
            tray_tooltip(Locale::It, 0),
            "FirmaDesk – nessuna richiesta in attesa di firma"
        );
        assert_eq!(
            tray_tooltip(Locale::It, 1),
            "FirmaDesk – 1 richiesta in attesa di firma"
        );
        assert_eq!(
            tray_tooltip(Locale::It, 3),
            "FirmaDesk – 3 richieste in attesa di firma"
        );
        assert_eq!(tray_tooltip(Locale::En, 1), "FirmaDesk – 1 request awaiting signature");
        assert_eq!(tray_menu(Locale::En), ("Open FirmaDesk".to_owned(), "Quit".to_owned()));
    }

    fn signed(kind: NotificationKind, reason: Option<&str>) -> Notification {
        Notification {
            kind,
            local_id: "r1".into(),
            request_title: "Accordo".into(),
            signer_name: "Mario Rossi".into(),
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn notifications_are_worded_in_the_clerks_language_with_or_without_names() {
        let it = notification(Locale::It, &signed(NotificationKind::Signed, None), true);
        assert_eq!(it.title, "Documento firmato");
        assert_eq!(it.body, "Accordo – Mario Rossi: firmato su IO e salvato nell'archivio.");
        assert_eq!(it.open_label, "Apri");
        let en = notification(Locale::En, &signed(NotificationKind::Rejected, Some("QTSP down")), true);
        assert_eq!(en.title, "Signature not completed");
        assert_eq!(
            en.body,
            "Accordo – Mario Rossi: the signature was not completed (QTSP down). Create a new request."
        );
        assert_eq!(en.open_label, "Open");
        let no_reason = notification(Locale::En, &signed(NotificationKind::Rejected, None), true);
        assert!(no_reason.body.contains("(no reason given)"), "{}", no_reason.body);
        let hidden = notification(Locale::En, &signed(NotificationKind::SignedNotArchived, None), false);
        assert!(
            !hidden.body.contains("Mario") && !hidden.body.contains("Accordo"),
            "{}",
            hidden.body
        );
        assert_eq!(
            hidden.body,
            "A request was signed on IO: open FirmaDesk for the details."
        );
    }
}
