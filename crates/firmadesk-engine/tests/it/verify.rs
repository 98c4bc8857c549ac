//! Every signed document the engine archives is verified (issue #14): against the profile's trust anchors,
//! the request's fiscal code and the uploaded document; the result is kept per document, in the timeline,
//! and a "Firma non valida" notifies the clerk.

use crate::common::*;
use firmadesk_engine::{Delivery, Engine, EngineEvent, EngineStore, NotificationKind, ProfileOptions};
use firmadesk_store::{LocalId, Verification};

/// Sends `send_id`, lets the citizen sign, syncs until it is archived; returns its local id.
async fn signed_and_archived(
    engine: &Engine,
    h: &Harness,
    sb: &iosign_sandbox::SandboxHandle,
    send_id: &str,
    change_cf: Option<&str>,
) -> LocalId {
    let mut rx = engine.subscribe();
    let pdf = h.pdf(&format!("{send_id}.pdf"));
    engine.submit(send_id, h.spec(&pdf, Delivery::QrOnly)).await.unwrap();
    let id = completed(&mut rx, send_id, 20).await;
    if let Some(cf) = change_cf {
        // As if the request had been sent to another citizen than the one who signs.
        let mut record = h.store.send(&send_id.into()).await.unwrap().unwrap();
        record.spec.signer.fiscal_code = iosign::FiscalCode::parse(cf).unwrap();
        h.store.save_send(&record).await.unwrap();
    }
    sb.sign(&id).await.unwrap();
    engine.sync_now(PROFILE).await.unwrap();
    wait_for(&mut rx, 20, "archived", |e| matches!(e, EngineEvent::Archived { .. })).await;
    h.local(&id).await.unwrap().local_id
}

async fn verification_of(h: &Harness, id: &LocalId) -> Verification {
    let mut all = firmadesk_store::Store::verifications(&*h.sqlite, std::slice::from_ref(id))
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

async fn verified_events(h: &Harness, id: &LocalId) -> Vec<firmadesk_store::Event> {
    firmadesk_store::Store::events(&*h.sqlite, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "verified")
        .collect()
}

#[tokio::test]
async fn a_sandbox_signature_is_verified_valid_against_the_sandbox_root_with_the_citizen_s_code() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let options = ProfileOptions {
        trust_anchors: vec![sb.test_root_certificate_der()],
        ..ProfileOptions::default()
    };
    engine.add_profile_with(PROFILE, client(&sb), options).await.unwrap();
    let id = signed_and_archived(&engine, &h, &sb, "bozza-v", None).await;

    let v = verification_of(&h, &id).await;
    assert_eq!(
        (v.verdict.as_str(), v.codes.as_slice()),
        ("valid", &[] as &[String]),
        "{}",
        v.report_json
    );
    assert_eq!(v.fiscal_code.as_deref(), Some(CF));
    assert!(v.signing_time.is_some());
    let files = h.store.archived_files(&id).await.unwrap();
    assert_eq!(v.io_document_id, files[0].io_document_id, "kept per archived document");
    let report: serde_json::Value = serde_json::from_str(&v.report_json).unwrap();
    assert_eq!(report["signatures"][0]["chain"]["trusted"], true);

    let events = verified_events(&h, &id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].args().get("verdict").map(String::as_str), Some("valid"));
    let kinds: Vec<NotificationKind> = h.notifier.notifications().iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NotificationKind::Signed], "no alarm for a valid signature");
}

#[tokio::test]
async fn another_citizen_s_signature_is_invalid_alerts_and_trust_is_not_checked_without_anchors() {
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    // A body's own profile: no trusted list yet, so no anchors.
    engine.add_profile(PROFILE, client(&sb)).await.unwrap();
    let first15 = "VRDLGU75B02F205";
    let other = format!("{first15}{}", iosign::fiscal_code::check_character(first15).unwrap());
    let id = signed_and_archived(&engine, &h, &sb, "bozza-w", Some(&other)).await;

    let v = verification_of(&h, &id).await;
    assert_eq!(v.verdict, "invalid", "{}", v.report_json);
    assert_eq!(
        v.codes,
        ["trust_not_checked", "fiscal_code_mismatch"],
        "{}",
        v.report_json
    );
    assert_eq!(v.fiscal_code.as_deref(), Some(CF), "the certificate names who signed");
    assert_eq!(
        verified_events(&h, &id).await[0]
            .args()
            .get("verdict")
            .map(String::as_str),
        Some("invalid")
    );
    // Saved before notifying: the alarm follows the "signed" notice.
    let notes = h.notifier.notifications();
    let kinds: Vec<NotificationKind> = notes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NotificationKind::Signed, NotificationKind::SignatureInvalid]);
    assert_eq!(notes[1].local_id, id);
    assert_eq!(notes[1].request_title, "Contratto di locazione");
}

/// Issue #14: a body's profile follows the EU trusted lists the desk keeps current. The anchors read after the
/// profile was added are the ones its next signed document is verified against, with the periods their
/// services were granted: granted when it was signed, trusted; withdrawn before, not.
#[tokio::test]
async fn a_body_s_profile_trusts_what_the_trusted_lists_granted_when_the_document_was_signed() {
    use firmadesk_verify::trusted_list::{ListedAnchor, Period, SharedAnchors};
    let sb = sandbox(sandbox_config()).await;
    let h = Harness::new();
    let engine = h.engine(engine_config(&h.archive()));
    let lists = SharedAnchors::default();
    let options = ProfileOptions {
        trusted_lists: Some(lists.clone()),
        ..ProfileOptions::default()
    };
    engine.add_profile_with(PROFILE, client(&sb), options).await.unwrap();
    let since = |year: i32| {
        time::Date::from_calendar_date(year, time::Month::January, 1)
            .unwrap()
            .midnight()
            .assume_utc()
    };
    let listed = |until: Option<i32>| {
        vec![ListedAnchor {
            certificate: sb.test_root_certificate_der(),
            granted: vec![Period {
                from: since(2016),
                until: until.map(since),
            }],
        }]
    };

    // The desk read the lists after the profile started: granted since 2016.
    lists.set(listed(None));
    let id = signed_and_archived(&engine, &h, &sb, "bozza-tl", None).await;
    let v = verification_of(&h, &id).await;
    assert_eq!(
        (v.verdict.as_str(), v.codes.as_slice()),
        ("valid", &[] as &[String]),
        "{}",
        v.report_json
    );

    // A newer list: the authority was withdrawn in 2017, before this signature.
    lists.set(listed(Some(2017)));
    let id = signed_and_archived(&engine, &h, &sb, "bozza-tl2", None).await;
    let v = verification_of(&h, &id).await;
    assert_eq!(v.verdict, "invalid", "{}", v.report_json);
    assert!(v.codes.iter().any(|c| c == "untrusted_issuer"), "{:?}", v.codes);
}
