//! "Da fare" (issue #16): what the clerk must act on, most urgent first — sends that did not go out, requests
//! the citizen (or IO) rejected, requests whose deadline is within 48 hours, requests past it — each with the
//! action it needs ("Correggi e reinvia", "Nuova richiesta" for the same signer, "Firma allo sportello" and
//! "Copia link di firma" while it can still be signed). Read from the store with the lists' own filters
//! (`ListQuery`), for the ACTIVE profile only (named, so Modalità prova never passes for the office's work).
//! A stopped request already fixed and sent again ("replaced" in its timeline) is done, and leaves the list.

use crate::session::{active_profile, find_profile, require_profile};
use crate::{store_error, Desk, UiError, SANDBOX_PROFILE};
use firmadesk_store::{ListQuery, Request, Sort, Status};
use serde::Serialize;
use std::cmp::Reverse;

/// "In scadenza" here: the deadline within 48 hours (what still leaves time to reach the citizen).
pub const EXPIRING_WITHIN_MS: i64 = 48 * 3600 * 1000;
/// At most this many requests of each kind are read; `more` says when there were more.
const PER_KIND: u32 = 200;

/// Why a request needs the clerk, in order of urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// The send stopped (`failed`: a document to fix, a refused signer...): nothing reached the citizen.
    Failed,
    /// Rejected: the signature failed on IO's side or a document was refused.
    Rejected,
    /// Waiting, with the deadline within [`EXPIRING_WITHIN_MS`].
    Expiring,
    /// Waiting past its deadline: the citizen can no longer sign it.
    Expired,
}

impl TodoKind {
    /// Every kind, most urgent first.
    pub const ALL: [TodoKind; 4] = [
        TodoKind::Failed,
        TodoKind::Rejected,
        TodoKind::Expiring,
        TodoKind::Expired,
    ];

    /// The store's filter of this kind for `profile_id` (one page of [`PER_KIND`] rows).
    fn query(self, profile_id: &str) -> ListQuery {
        let base = ListQuery {
            profile_id: Some(profile_id.to_owned()),
            limit: PER_KIND,
            ..ListQuery::default()
        };
        match self {
            TodoKind::Failed => ListQuery {
                statuses: vec![Status::Failed],
                ..base
            },
            TodoKind::Rejected => ListQuery {
                statuses: vec![Status::Rejected],
                ..base
            },
            TodoKind::Expiring => ListQuery {
                expiring_within_ms: Some(EXPIRING_WITHIN_MS),
                sort: Sort::ExpiresAt,
                ascending: true,
                ..base
            },
            TodoKind::Expired => ListQuery {
                expired_only: true,
                sort: Sort::ExpiresAt,
                ..base
            },
        }
    }
}

/// One request to act on.
#[derive(Debug, Clone, Serialize)]
pub struct TodoItem {
    kind: TodoKind,
    request: Request,
    /// Why it stopped (failed, rejected), in the clerk's language where FirmaDesk words it.
    reason: Option<String>,
    /// IO's link to sign it, while it still can be (expiring ones; see [`crate::requests::signing_link`]).
    signing_link: Option<String>,
}

impl TodoItem {
    /// Why it is on the list.
    pub fn kind(&self) -> TodoKind {
        self.kind
    }
    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }
}

/// "Da fare" of one profile.
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    /// The profile whose work it is (the active one).
    profile_id: String,
    /// Its name as the clerk knows it ("Modalità prova" in the clerk's language for the built-in one).
    profile_name: String,
    /// Modalità prova: nothing here reached a citizen.
    sandbox: bool,
    /// Most urgent first (see [`order`]).
    items: Vec<TodoItem>,
    /// Some kind had more requests than were read.
    more: bool,
}

impl Todo {
    /// The requests to act on, most urgent first.
    pub fn items(&self) -> &[TodoItem] {
        &self.items
    }
    /// The profile they belong to.
    pub fn profile_id(&self) -> &str {
        &self.profile_id
    }
    /// The profile's name on screen.
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }
}

/// Most urgent first: by kind ([`TodoKind::ALL`]'s order), then failed and rejected by their latest change
/// (the newest first), expiring by deadline (the soonest first), expired by deadline (the latest first: the
/// citizen most likely still expects it); the local id breaks ties, so the order never flickers.
pub fn order(items: &mut [TodoItem]) {
    items.sort_by_key(|item| {
        let r = &item.request;
        let when = match item.kind {
            TodoKind::Failed | TodoKind::Rejected => Reverse(r.updated_at),
            TodoKind::Expiring => Reverse(-r.expires_at.unwrap_or(i64::MAX)),
            TodoKind::Expired => Reverse(r.expires_at.unwrap_or(i64::MIN)),
        };
        (item.kind, when, r.id.as_str().to_owned())
    });
}

/// A profile as the clerk reads its name: "Modalità prova" in the clerk's language, else the profile's own name.
pub(crate) async fn profile_name(state: &Desk, profile_id: &str) -> Result<String, UiError> {
    if profile_id == SANDBOX_PROFILE {
        return Ok(crate::i18n::text(state.locale(), "sandbox-banner_title", &[]));
    }
    Ok(find_profile(state, profile_id)
        .await?
        .map_or_else(|| profile_id.to_owned(), |p| p.name))
}

/// Why a stopped request stopped, worded as its detail words it.
async fn reason(state: &Desk, request: &Request) -> Result<Option<String>, UiError> {
    let send = state.store.send(&request.id).await.map_err(store_error)?;
    let worded = send
        .as_ref()
        .and_then(|s| crate::requests::worded_send_error(state.locale(), s));
    Ok(match (&request.reject_reason, send) {
        // The request's reason is the saga's own error: in the clerk's language.
        (Some(own), Some(s)) if s.last_error.as_ref() == Some(own) => worded,
        (Some(own), _) => Some(own.clone()),
        (None, _) => worded,
    })
}

/// "Da fare" of the ACTIVE profile (a protected one only with its login), most urgent first.
pub async fn todo_list(state: &Desk) -> Result<Todo, UiError> {
    let profile_id = active_profile(state);
    require_profile(state, &profile_id).await?;
    let now = state.now_ms();
    let mut items = Vec::new();
    let mut more = false;
    for kind in TodoKind::ALL {
        let page = state
            .store
            .list(&kind.query(&profile_id), now)
            .await
            .map_err(store_error)?;
        more |= page.total > u64::from(PER_KIND);
        for request in page.rows {
            // Defence in depth: the filter names the profile; nothing of another one is ever listed.
            if request.profile_id != profile_id {
                continue;
            }
            if kind != TodoKind::Expiring && replaced(state, &request).await? {
                continue;
            }
            let reason = match kind {
                TodoKind::Failed | TodoKind::Rejected => reason(state, &request).await?,
                TodoKind::Expiring | TodoKind::Expired => None,
            };
            items.push(TodoItem {
                kind,
                signing_link: crate::requests::signing_link(&request, now),
                reason,
                request,
            });
        }
    }
    order(&mut items);
    Ok(Todo {
        profile_name: profile_name(state, &profile_id).await?,
        sandbox: profile_id == SANDBOX_PROFILE,
        profile_id,
        items,
        more,
    })
}

/// Fixed and sent again ("Correggi e reinvia"): its timeline names the request that replaced it.
async fn replaced(state: &Desk, request: &Request) -> Result<bool, UiError> {
    Ok(state
        .store
        .events(&request.id)
        .await
        .map_err(store_error)?
        .iter()
        .any(|e| e.code == "replaced"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, protected, session, test_desk};
    use firmadesk_store::LocalId;

    const HOUR: i64 = 3600 * 1000;

    /// A request of `profile` in `status`, changed at `updated_at`, due at `expires_at`.
    async fn stored(desk: &Desk, id: &str, profile: &str, status: Status, updated_at: i64, expires_at: Option<i64>) {
        let mut r = crate::testing::request(desk, id, profile, "Mario Rossi").await;
        r.status = status;
        r.updated_at = updated_at;
        r.expires_at = expires_at;
        desk.store.update_request(&r).await.unwrap();
    }

    fn ids(todo: &Todo) -> Vec<(TodoKind, &str)> {
        todo.items()
            .iter()
            .map(|i| (i.kind(), i.request().id.as_str()))
            .collect()
    }

    /// Failed before rejected before expiring before expired; within each, the order the clerk works in.
    /// What needs nothing (waiting with time left, signed, cancelled, being sent) is not listed.
    #[tokio::test]
    async fn the_list_is_ordered_by_urgency_and_lists_only_what_needs_the_clerk() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let now = desk.now_ms();
        let rows: [(&str, Status, i64, Option<i64>); 12] = [
            ("expired-old", Status::Waiting, now - 90 * HOUR, Some(now - 72 * HOUR)),
            ("expired-new", Status::Waiting, now - 80 * HOUR, Some(now - HOUR)),
            ("expiring-late", Status::Waiting, now - 3 * HOUR, Some(now + 40 * HOUR)),
            ("expiring-soon", Status::Waiting, now - 2 * HOUR, Some(now + 2 * HOUR)),
            ("rejected", Status::Rejected, now - 5 * HOUR, None),
            ("failed-old", Status::Failed, now - 9 * HOUR, None),
            ("failed-new", Status::Failed, now - HOUR, None),
            // Nothing to do: time left (3 days), no deadline, signed, cancelled, on its way.
            ("later", Status::Waiting, now, Some(now + 72 * HOUR)),
            ("no-deadline", Status::Waiting, now, None),
            ("signed", Status::Signed, now, Some(now + HOUR)),
            ("cancelled", Status::Cancelled, now, Some(now - HOUR)),
            ("sending", Status::Sending, now, None),
        ];
        for (id, status, updated_at, expires_at) in rows {
            stored(&desk, id, SANDBOX_PROFILE, status, updated_at, expires_at).await;
        }

        let todo = todo_list(&desk).await.unwrap();
        assert_eq!(
            ids(&todo),
            vec![
                (TodoKind::Failed, "failed-new"),
                (TodoKind::Failed, "failed-old"),
                (TodoKind::Rejected, "rejected"),
                (TodoKind::Expiring, "expiring-soon"),
                (TodoKind::Expiring, "expiring-late"),
                (TodoKind::Expired, "expired-new"),
                (TodoKind::Expired, "expired-old"),
            ]
        );
        assert_eq!(todo.profile_name(), "Modalità prova");
        // Only what can still be signed carries IO's link.
        let links: Vec<bool> = todo.items().iter().map(|i| i.signing_link.is_some()).collect();
        assert_eq!(links, [false, false, false, true, true, false, false]);
    }

    /// A stopped request fixed and sent again is done: it leaves the list (the new one is followed as usual).
    #[tokio::test]
    async fn a_request_fixed_and_sent_again_leaves_the_list() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let now = desk.now_ms();
        stored(&desk, "r1", SANDBOX_PROFILE, Status::Rejected, now, None).await;
        stored(&desk, "r2", SANDBOX_PROFILE, Status::Rejected, now - HOUR, None).await;
        desk.store
            .add_event(&firmadesk_store::Event {
                request_id: LocalId::from("r1"),
                at: now,
                actor: "Anna Impiegata".into(),
                code: "replaced".into(),
                text: "Corretta e reinviata".into(),
                detail_json: Some(r#"{"args":{"request":"r3","title":"Accordo"}}"#.into()),
            })
            .await
            .unwrap();
        let todo = todo_list(&desk).await.unwrap();
        assert_eq!(ids(&todo), vec![(TodoKind::Rejected, "r2")]);
    }

    /// Modalità prova and the office's profile never mix: each lists only its own requests, under its own
    /// name, and the office's (protected) list needs its login.
    #[tokio::test]
    async fn each_profile_lists_only_its_own_work() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let now = desk.now_ms();
        protected(&desk, "ufficio").await;
        stored(&desk, "demo-failed", SANDBOX_PROFILE, Status::Failed, now, None).await;
        stored(
            &desk,
            "demo-expiring",
            SANDBOX_PROFILE,
            Status::Waiting,
            now,
            Some(now + HOUR),
        )
        .await;
        stored(&desk, "office-rejected", "ufficio", Status::Rejected, now, None).await;
        stored(
            &desk,
            "office-expired",
            "ufficio",
            Status::Waiting,
            now,
            Some(now - HOUR),
        )
        .await;

        let demo = todo_list(&desk).await.unwrap();
        assert_eq!(
            ids(&demo),
            vec![(TodoKind::Failed, "demo-failed"), (TodoKind::Expiring, "demo-expiring")]
        );
        assert_eq!(
            (demo.profile_id(), demo.profile_name()),
            (SANDBOX_PROFILE, "Modalità prova")
        );

        desk.settings.lock().unwrap().active_profile = Some("ufficio".into());
        let refused = todo_list(&desk).await.unwrap_err();
        assert_eq!(
            refused.code,
            crate::Code::AuthLoginRequired,
            "the office's work needs its login"
        );
        desk.auth.begin("ufficio", session());
        let office = todo_list(&desk).await.unwrap();
        assert_eq!(
            ids(&office),
            vec![
                (TodoKind::Rejected, "office-rejected"),
                (TodoKind::Expired, "office-expired")
            ]
        );
        assert_eq!(
            (office.profile_id(), office.profile_name()),
            ("ufficio", "Ufficio ufficio")
        );
    }

    /// A failed send's reason is the saga's error worded in the clerk's language, as in the detail; a
    /// rejection keeps IO's own words.
    #[tokio::test]
    async fn a_failed_send_says_why_in_the_clerks_language() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        let now = desk.now_ms();
        let italian = "Il cittadino non ha l'app IO: consegnare il QR allo sportello.";
        stored(&desk, "failed", SANDBOX_PROFILE, Status::Failed, now, None).await;
        stored(&desk, "rejected", SANDBOX_PROFILE, Status::Rejected, now - HOUR, None).await;
        for (id, reason) in [("failed", italian), ("rejected", "Firma non riuscita sul telefono")] {
            let mut r = desk.store.request(&id.into()).await.unwrap().unwrap();
            r.reject_reason = Some(reason.into());
            desk.store.update_request(&r).await.unwrap();
        }
        desk.store
            .save_send(&firmadesk_store::SendState {
                request_id: "failed".into(),
                step: "failed".into(),
                state_json: r#"{"last_error_kind":"signer_not_on_io"}"#.into(),
                attempts: 1,
                next_attempt_at: None,
                create_attempted_at: None,
                last_error: Some(italian.into()),
                updated_at: now,
            })
            .await
            .unwrap();
        let reasons = |todo: &Todo| -> Vec<Option<String>> { todo.items().iter().map(|i| i.reason.clone()).collect() };
        let todo = todo_list(&desk).await.unwrap();
        assert_eq!(
            reasons(&todo),
            [Some(italian.into()), Some("Firma non riuscita sul telefono".into())]
        );
        desk.settings.lock().unwrap().locale = crate::settings::Locale::En;
        let todo = todo_list(&desk).await.unwrap();
        assert_eq!(
            reasons(&todo),
            [
                Some(crate::i18n::text(
                    crate::settings::Locale::En,
                    "errors-engine-signer_not_on_io",
                    &[]
                )),
                Some("Firma non riuscita sul telefono".into())
            ]
        );
        assert_eq!(
            todo.profile_name(),
            "Trial mode",
            "the built-in profile in the clerk's language"
        );
    }
}
