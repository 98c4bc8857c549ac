//! What the core crates record in no language, worded in the clerk's: timeline entries (by their code and
//! arguments) and desktop notifications (by their kind). The texts are the catalogues' (`timeline-*`,
//! `notification-*` in `ui/locales/<lang>.ftl`).

use crate::i18n::{self, Arg};
use crate::notices::Topic;
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
        "archive_renamed" => {
            arg("path").map(|path| i18n::text(locale, "timeline-archive_renamed", &[("path", path.into())]))
        }
        "protocol" => Some(crate::handoff::protocol_summary(locale, &args)),
        "mail_queued" => arg("to").map(|to| i18n::text(locale, "timeline-mail_queued", &[("to", to.into())])),
        "mail_sent" => arg("to").map(|to| i18n::text(locale, "timeline-mail_sent", &[("to", to.into())])),
        "mail_failed" => arg("reason").map(|r| i18n::text(locale, "timeline-mail_failed", &[("reason", r.into())])),
        "verified" => arg("verdict").map(|verdict| {
            let verdict = crate::verify::verdict_text(locale, crate::verify::verdict_of(&verdict));
            i18n::text(locale, "timeline-verified", &[("verdict", verdict.into())])
        }),
        _ => None,
    };
    worded.unwrap_or_else(|| event.text.clone())
}

/// A timeline entry the desk records, `code` with its named values `args`, its stored text the Italian wording
/// of the same (what [`event_text`] words again in the clerk's language).
pub(crate) fn entry(
    request_id: &firmadesk_store::LocalId,
    at: i64,
    actor: &str,
    code: &str,
    args: &[(&str, &str)],
) -> firmadesk_store::Event {
    let args: std::collections::BTreeMap<String, String> =
        args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let mut event = firmadesk_store::Event {
        request_id: request_id.clone(),
        at,
        actor: actor.to_owned(),
        code: code.to_owned(),
        text: String::new(),
        detail_json: firmadesk_store::Event::detail_of_args(&args),
    };
    event.text = event_text(Locale::It, &event);
    event
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
            "notification-signed_not_archived-title",
            "notification-signed_not_archived-body",
            "notification-signed_not_archived-anonymous",
        ),
        NotificationKind::Rejected => (
            "notification-rejected-title",
            "notification-rejected-body",
            "notification-rejected-anonymous",
        ),
        NotificationKind::Expiring => (
            "notification-expiring-title",
            "notification-expiring-body",
            "notification-expiring-anonymous",
        ),
        NotificationKind::Expired => (
            "notification-expired-title",
            "notification-expired-body",
            "notification-expired-anonymous",
        ),
        NotificationKind::SendFailed => (
            "notification-send_failed-title",
            "notification-send_failed-body",
            "notification-send_failed-anonymous",
        ),
        NotificationKind::NeedsEdit => (
            "notification-needs_edit-title",
            "notification-needs_edit-body",
            "notification-needs_edit-anonymous",
        ),
        NotificationKind::SignatureInvalid => (
            "notification-signature_invalid-title",
            "notification-signature_invalid-body",
            "notification-signature_invalid-anonymous",
        ),
    };
    let body = if names {
        let reason = match n.kind {
            // A stopped send: the engine's message, in another language its kind's text.
            NotificationKind::SendFailed | NotificationKind::NeedsEdit => {
                engine_error(locale, n.error, n.reason.as_deref().unwrap_or_default())
            }
            _ => n
                .reason
                .clone()
                .unwrap_or_else(|| i18n::text(locale, "notification-rejected-no_reason", &[])),
        };
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

/// Words `count` notices of one kind shown as one ("3 documenti firmati"). It names nobody, and its
/// action opens FirmaDesk rather than one of the requests.
pub fn notification_group(locale: Locale, topic: Topic, count: usize) -> Worded {
    let code = topic.code();
    Worded {
        title: i18n::text(
            locale,
            &format!("notification-group-{code}-title"),
            &[("count", count.into())],
        ),
        body: i18n::text(locale, &format!("notification-group-{code}-body"), &[]),
        open_label: i18n::text(locale, "notification-open_app", &[]),
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

/// The tray's tooltip: "FirmaDesk – 3 richieste in attesa di firma", and "· 2 da fare" when the clerk has
/// something to act on.
pub fn tray_tooltip(locale: Locale, waiting: u64, attention: usize) -> String {
    let base = i18n::text(locale, "tray-waiting", &[("count", waiting.into())]);
    if attention == 0 {
        return base;
    }
    let todo = i18n::text(locale, "tray-attention", &[("count", attention.into())]);
    format!("{base} · {todo}")
}

/// The tray menu's words in the clerk's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenu {
    /// "Apri FirmaDesk".
    pub open: String,
    /// The disabled line with the number waiting for signature.
    pub waiting: String,
    /// "Da fare: 2" (opens the window on "Da fare"), or "Niente da fare".
    pub attention: String,
    /// "Sospendi sincronizzazione" or, while paused, "Riprendi sincronizzazione".
    pub sync: String,
    /// "Esci".
    pub quit: String,
}

/// The tray menu, with `waiting` requests waiting, `attention` to act on and sync `paused` or not.
pub fn tray_menu(locale: Locale, waiting: u64, attention: usize, paused: bool) -> TrayMenu {
    TrayMenu {
        open: i18n::text(locale, "tray-open", &[]),
        waiting: i18n::text(locale, "tray-waiting-line", &[("count", waiting.into())]),
        attention: i18n::text(locale, "tray-attention-line", &[("count", attention.into())]),
        sync: i18n::text(locale, if paused { "tray-sync-resume" } else { "tray-sync-pause" }, &[]),
        quit: i18n::text(locale, "tray-quit", &[]),
    }
}

/// The notice of the first time the window closes to the tray: (title, body, label of its action that
/// opens the window).
pub fn keeps_working(locale: Locale) -> (String, String, String) {
    (
        i18n::text(locale, "tray-keeps-working-title", &[]),
        i18n::text(locale, "tray-keeps-working-body", &[]),
        i18n::text(locale, "notification-open_app", &[]),
    )
}

/// The question before quitting with `count` sends under way: (title, message, quit, cancel).
pub fn quit_with_sends(locale: Locale, count: u64) -> (String, String, String, String) {
    (
        i18n::text(locale, "tray-quit-title", &[]),
        i18n::text(locale, "tray-quit-sending", &[("count", count.into())]),
        i18n::text(locale, "tray-quit", &[]),
        i18n::text(locale, "tray-quit-cancel", &[]),
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
            (
                event(
                    "verified",
                    serde_json::json!({ "verdict": "invalid", "codes": "fiscal_code_mismatch" }),
                    "x",
                ),
                "Signature check: Signature not valid",
            ),
            (
                event(
                    "verified",
                    serde_json::json!({ "verdict": "valid_with_warnings", "codes": "" }),
                    "x",
                ),
                "Signature check: Valid signature, with warnings",
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
            tray_tooltip(Locale::It, 0, 0),
            "FirmaDesk – nessuna richiesta in attesa di firma"
        );
        assert_eq!(
            tray_tooltip(Locale::It, 1, 0),
            "FirmaDesk – 1 richiesta in attesa di firma"
        );
        assert_eq!(
            tray_tooltip(Locale::It, 3, 2),
            "FirmaDesk – 3 richieste in attesa di firma · 2 da fare"
        );
        assert_eq!(
            tray_tooltip(Locale::En, 1, 0),
            "FirmaDesk – 1 request awaiting signature"
        );
        assert_eq!(
            tray_tooltip(Locale::En, 0, 1),
            "FirmaDesk – no request awaiting signature · 1 to act on"
        );
        assert_eq!(
            tray_menu(Locale::En, 2, 1, false),
            TrayMenu {
                open: "Open FirmaDesk".to_owned(),
                waiting: "2 awaiting signature".to_owned(),
                attention: "To do: 1".to_owned(),
                sync: "Pause sync".to_owned(),
                quit: "Quit".to_owned(),
            }
        );
        let paused = tray_menu(Locale::It, 1, 0, true);
        assert_eq!(paused.waiting, "1 in attesa di firma");
        assert_eq!(paused.attention, "Niente da fare");
        assert_eq!(paused.sync, "Riprendi sincronizzazione");
        assert_eq!(tray_menu(Locale::It, 0, 3, false).attention, "Da fare: 3");
        assert_eq!(tray_menu(Locale::It, 0, 0, false).sync, "Sospendi sincronizzazione");
        let (_, message, ok, cancel) = quit_with_sends(Locale::It, 3);
        assert!(
            message.contains("3 invii") && message.contains("prossimo avvio"),
            "{message}"
        );
        assert_eq!((ok.as_str(), cancel.as_str()), ("Esci", "Annulla"));
    }

    fn signed(kind: NotificationKind, reason: Option<&str>) -> Notification {
        Notification {
            kind,
            local_id: "r1".into(),
            request_title: "Accordo".into(),
            signer_name: "Mario Rossi".into(),
            reason: reason.map(str::to_owned),
            error: None,
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
        // Signed but not archived says so even without names: the clerk has a disk to see to.
        assert_eq!(hidden.title, "Signed, but not archived");
        assert_eq!(
            hidden.body,
            "A request was signed on IO, but saving it in the archive failed: open FirmaDesk for the details."
        );
        let signed_hidden = notification(Locale::En, &signed(NotificationKind::Signed, None), false);
        assert_eq!(
            signed_hidden.body,
            "A request was signed on IO: open FirmaDesk for the details."
        );
    }

    /// Issue #16: deadlines and stopped sends in both languages, with and without names.
    #[test]
    fn deadlines_and_stopped_sends_are_worded_in_the_clerks_language() {
        use firmadesk_engine::EngineErrorKind;
        let expiring = notification(Locale::It, &signed(NotificationKind::Expiring, None), true);
        assert_eq!(expiring.title, "Richiesta in scadenza");
        assert!(
            expiring.body.starts_with("Accordo – Mario Rossi: "),
            "{}",
            expiring.body
        );
        assert!(expiring.body.contains("48 ore"), "{}", expiring.body);
        let expired = notification(Locale::En, &signed(NotificationKind::Expired, None), true);
        assert_eq!(expired.title, "Request expired");
        assert!(expired.body.starts_with("Accordo – Mario Rossi: "), "{}", expired.body);

        let italian = "Il firmatario non ha l'app IO: consegnare il QR code.";
        let failed = Notification {
            error: Some(EngineErrorKind::SignerNotOnIo),
            ..signed(NotificationKind::SendFailed, Some(italian))
        };
        let it = notification(Locale::It, &failed, true);
        assert_eq!(it.title, "Invio non riuscito");
        assert_eq!(it.body, format!("Accordo – Mario Rossi: {italian}"));
        let en = notification(Locale::En, &failed, true);
        assert_eq!(en.title, "Sending failed");
        assert_eq!(
            en.body,
            format!(
                "Accordo – Mario Rossi: {}",
                crate::i18n::text(Locale::En, "errors-engine-signer_not_on_io", &[])
            )
        );
        let edit = Notification {
            error: Some(EngineErrorKind::DocumentRejected),
            ..signed(
                NotificationKind::NeedsEdit,
                Some("Il documento «Accordo» è stato rifiutato"),
            )
        };
        let en = notification(Locale::En, &edit, true);
        assert_eq!(en.title, "Document to fix");
        assert!(
            en.body
                .ends_with("Firma con IO refused the document: fix it and send it again."),
            "{}",
            en.body
        );
        let invalid = notification(Locale::It, &signed(NotificationKind::SignatureInvalid, None), true);
        assert_eq!(invalid.title, "Firma non valida");
        assert!(invalid.body.starts_with("Accordo – Mario Rossi: "), "{}", invalid.body);
        assert_eq!(
            notification(Locale::En, &signed(NotificationKind::SignatureInvalid, None), true).title,
            "Signature not valid"
        );
        for kind in [
            NotificationKind::Expiring,
            NotificationKind::Expired,
            NotificationKind::SendFailed,
            NotificationKind::NeedsEdit,
            NotificationKind::SignatureInvalid,
        ] {
            for locale in [Locale::It, Locale::En] {
                let hidden = notification(
                    locale,
                    &Notification {
                        error: Some(EngineErrorKind::SignerNotOnIo),
                        ..signed(kind, Some(italian))
                    },
                    false,
                );
                assert!(
                    !hidden.body.contains("Mario") && !hidden.body.contains("Accordo") && !hidden.body.contains("IO:"),
                    "{kind:?} {locale:?}: {}",
                    hidden.body
                );
                assert!(!hidden.body.contains("notification-"), "{}", hidden.body);
            }
        }
    }

    #[test]
    fn a_group_counts_in_the_clerks_language_and_names_nobody() {
        let it = notification_group(Locale::It, Topic::Signed, 3);
        assert_eq!(it.title, "3 documenti firmati");
        assert_eq!(it.open_label, "Apri FirmaDesk");
        assert_eq!(
            notification_group(Locale::En, Topic::Signed, 3).title,
            "3 documents signed"
        );
        assert_eq!(
            notification_group(Locale::It, Topic::Rejected, 2).title,
            "2 firme non riuscite"
        );
        assert_eq!(
            notification_group(Locale::En, Topic::Expiring, 4).title,
            "4 requests expiring"
        );
        for topic in Topic::ALL {
            for locale in [Locale::It, Locale::En] {
                let w = notification_group(locale, topic, 5);
                assert!(w.title.contains('5'), "{topic:?} {locale:?}: {}", w.title);
                assert!(
                    !w.title.contains("notification-") && !w.body.contains("notification-"),
                    "{w:?}"
                );
            }
        }
    }
}
