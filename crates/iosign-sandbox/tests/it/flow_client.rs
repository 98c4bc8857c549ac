//! The whole flow driven by the `iosign` client against the sandbox, with every JSON body the
//! client sent and received checked against the OpenAPI spec.

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use iosign::{
    ApiErrorKind, ApiKey, Clause, ClauseType, Client, Coordinates, CreateDossierBody, CreateSignatureRequestBody,
    DocumentMetadata, DocumentStatus, ExistingSignatureFieldAttrs, FiscalCode, RetryPolicy,
    SetSignatureRequestStatusBody, SignatureField, SignatureFieldAttrs, SignatureFieldToBeCreatedAttrs,
    SignatureRequestStatus, Size,
};
use iosign_sandbox::{ManualClock, SandboxHandle};

use crate::common::*;
use crate::contract::{check_log, Spec};

pub fn client(sb: &SandboxHandle, key: &str) -> Client {
    Client::builder(sb.base_url(), ApiKey::new(key))
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
                .with_jitter(false),
        )
        .build()
        .expect("client builds")
}

pub fn fields() -> Vec<SignatureField> {
    vec![
        SignatureField {
            attrs: SignatureFieldAttrs::ToBeCreated(SignatureFieldToBeCreatedAttrs {
                coordinates: Coordinates { x: 72.0, y: 650.0 },
                page: 0,
                size: Size { w: 200.0, h: 50.0 },
            }),
            clause: Clause {
                title: "Firma del cittadino".into(),
                type_: ClauseType::Required,
            },
        },
        SignatureField {
            attrs: SignatureFieldAttrs::Existing(ExistingSignatureFieldAttrs {
                unique_name: "Firma".into(),
            }),
            clause: Clause {
                title: "Accettazione clausole".into(),
                type_: ClauseType::Unfair,
            },
        },
    ]
}

pub fn dossier_body() -> CreateDossierBody {
    CreateDossierBody {
        title: "Accordo di collaborazione".into(),
        support_email: Some("protocollo@comune.example.it".into()),
        documents_metadata: vec![DocumentMetadata {
            title: "Contratto".into(),
            signature_fields: fields(),
        }],
    }
}

async fn wait_for(
    client: &Client,
    id: &str,
    what: &str,
    ok: impl Fn(&iosign::SignatureRequestDetailView) -> bool,
) -> iosign::SignatureRequestDetailView {
    eventually(what, || async {
        let r = client.signature_requests().get(id).await.expect("get request");
        ok(&r).then_some(r)
    })
    .await
}

#[tokio::test]
async fn client_drives_the_whole_flow_and_every_body_matches_the_spec() {
    let clock = ManualClock::new();
    let sb = start(iosign_sandbox::SandboxConfig {
        clock: Arc::new(clock.clone()),
        ..config()
    })
    .await;
    let client = client(&sb, KEY);
    let original = pdf(&[A4], true);

    let dry = client
        .validate_document(original.clone(), Some(&fields()))
        .await
        .unwrap();
    assert!(dry.is_valid, "{dry:?}");
    let dossier = client.dossiers().create(&dossier_body()).await.unwrap();
    assert_eq!(client.dossiers().get(&dossier.id).await.unwrap(), dossier);
    let cf = FiscalCode::parse(CF).unwrap();
    let signer = client.signers().get_by_fiscal_code(&cf).await.unwrap();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(30);
    let request = client
        .signature_requests()
        .create(&CreateSignatureRequestBody {
            dossier_id: dossier.id.clone(),
            signer_id: signer.id.clone(),
            expires_at: Some(expires),
            documents_metadata: None,
        })
        .await
        .unwrap();
    assert_eq!(request.status, SignatureRequestStatus::Draft);
    assert_eq!(request.documents.len(), 1);
    assert_eq!(request.documents[0].metadata.signature_fields, fields());

    for doc in &request.documents {
        let url = client
            .signature_requests()
            .upload_url(&request.id, &doc.id)
            .await
            .unwrap();
        let len = original.len() as u64;
        client
            .upload_document(&url, original.clone(), len, |_, _| {})
            .await
            .unwrap();
    }
    let ready = wait_for(&client, &request.id, "documents READY", |r| {
        r.documents.iter().all(|d| d.status() == DocumentStatus::Ready)
    })
    .await;
    assert!(ready.documents[0].url().is_some());

    client
        .signature_requests()
        .set_status(&request.id, SetSignatureRequestStatusBody::Ready)
        .await
        .unwrap();
    let waiting = wait_for(&client, &request.id, "WAIT_FOR_SIGNATURE", |r| {
        r.status == SignatureRequestStatus::WaitForSignature
    })
    .await;
    assert!(waiting.qr_code_url.as_deref().is_some_and(|u| u.contains(&request.id)));
    let sent = client
        .signature_requests()
        .send_notification(&request.id)
        .await
        .unwrap();
    let again = client
        .signature_requests()
        .send_notification(&request.id)
        .await
        .unwrap_err();
    assert_eq!(again.kind, ApiErrorKind::Validation, "a second notification is a 422");

    sb.sign(&request.id).await.unwrap();
    let signed = client.signature_requests().get(&request.id).await.unwrap();
    assert_eq!(signed.status, SignatureRequestStatus::Signed);
    assert_eq!(
        signed.notification.as_ref().map(|n| n.io_message_id.clone()),
        Some(sent.io_message_id)
    );
    let url = signed.documents[0].url().unwrap().to_string();
    let bytes = client.download_signed(&url).await.unwrap();
    assert_ne!(&bytes[..], &original[..]);
    assert!(bytes.starts_with(&original));
    lopdf::Document::load_mem(&bytes).expect("signed PDF parses");
    sb.verify_signature(&bytes)
        .expect("a valid PAdES signature by the sandbox test certificate");
    assert!(
        sb.verify_signature(&original).is_err(),
        "the upload carries no signature"
    );

    let page = client
        .dossiers()
        .signature_requests(&dossier.id)
        .limit(25)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.continuation_token, None);

    clock.advance(Duration::from_secs(5 * 60 + 1));
    let expired = client.download_signed(&url).await.unwrap_err();
    assert_eq!(expired.status, Some(403), "{expired:?}");

    let log = sb.request_log();
    let sent_bodies: Vec<&str> = log
        .iter()
        .filter(|e| e.request_json.is_some())
        .filter_map(|e| e.operation)
        .collect();
    for op in [
        "createDossier",
        "getSignerByFiscalCode",
        "createSignatureRequest",
        "setSignatureRequestStatus",
    ] {
        assert!(sent_bodies.contains(&op), "no {op} body in the log: {sent_bodies:?}");
    }
    let checked = check_log(&Spec::load(), &log);
    assert!(checked >= 15, "only {checked} bodies checked");
    sb.shutdown().await;
}

#[tokio::test]
async fn client_pages_through_31_requests_and_sees_the_service_errors() {
    let sb = start(config()).await;
    let client = client(&sb, KEY);
    let dossier = client.dossiers().create(&dossier_body()).await.unwrap();
    let signer = client
        .signers()
        .get_by_fiscal_code(&FiscalCode::parse(CF).unwrap())
        .await
        .unwrap();
    let body = CreateSignatureRequestBody {
        dossier_id: dossier.id.clone(),
        signer_id: signer.id.clone(),
        expires_at: None,
        documents_metadata: None,
    };
    let mut ids = Vec::new();
    for _ in 0..31 {
        ids.push(client.signature_requests().create(&body).await.unwrap().id);
    }
    let mut listed: Vec<String> = client
        .dossiers()
        .signature_requests(&dossier.id)
        .limit(25)
        .into_stream()
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    listed.sort();
    ids.sort();
    assert_eq!(listed, ids);
    let pages = sb
        .request_log()
        .iter()
        .filter(|e| e.operation == Some("getRequestsByDossier"))
        .count();
    assert_eq!(pages, 2, "25 + 6 with a continuation token");

    let cancel = client
        .signature_requests()
        .set_status(&ids[0], SetSignatureRequestStatusBody::Cancelled)
        .await
        .unwrap_err();
    assert_eq!(cancel.kind, ApiErrorKind::NotAllowedInState);
    assert_eq!(
        cancel.detail(),
        Some("MARK_AS_CANCELLED is prohibited if the signature request is in DRAFT status")
    );
    let ready = client
        .signature_requests()
        .set_status(&ids[0], SetSignatureRequestStatusBody::Ready)
        .await
        .unwrap_err();
    assert_eq!(
        ready.detail(),
        Some("MARK_AS_READY is not possible unless all documents are READY")
    );

    let other = self::client(&sb, OTHER_KEY);
    assert_eq!(
        other.signature_requests().get(&ids[0]).await.unwrap_err().kind,
        ApiErrorKind::NotFound
    );
    let unknown = self::client(&sb, "no-such-key");
    assert_eq!(
        unknown.dossiers().get(&dossier.id).await.unwrap_err().kind,
        ApiErrorKind::Unauthorized
    );
    let test = self::client(&sb, TEST_KEY);
    let forbidden = test
        .signers()
        .get_by_fiscal_code(&FiscalCode::parse(CF).unwrap())
        .await
        .unwrap_err();
    assert_eq!(forbidden.kind, ApiErrorKind::Forbidden);
    let missing = client
        .signers()
        .get_by_fiscal_code(&FiscalCode::parse(NOT_ON_IO_CF).unwrap())
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    assert_eq!(missing.detail(), Some("User profile not found!"));
    sb.shutdown().await;
}

#[tokio::test]
async fn client_retries_never_duplicate_a_signature_request() {
    let sb = start(iosign_sandbox::SandboxConfig {
        fault_rate: 0.3,
        seed: 42,
        latency: Duration::from_millis(2),
        ..config()
    })
    .await;
    let client = client(&sb, KEY);
    // Setup through faults: idempotent calls are retried by the client; creating the dossier is
    // not, so the test repeats it itself.
    let dossier = loop {
        match client.dossiers().create(&dossier_body()).await {
            Ok(d) => break d,
            Err(e) => assert!(e.outcome_unknown && e.kind == ApiErrorKind::Server, "{e:?}"),
        }
    };
    let body = CreateSignatureRequestBody {
        dossier_id: dossier.id.clone(),
        signer_id: "signer".into(),
        expires_at: None,
        documents_metadata: None,
    };
    let (mut ok, mut unknown_applied, mut unknown_not_applied) = (0, 0, 0);
    for _ in 0..40 {
        let before = sb.signature_request_count();
        let result = client.signature_requests().create(&body).await;
        let created = sb.signature_request_count() - before;
        assert!(
            created <= 1,
            "one call created {created} requests: the client retried a non-idempotent call"
        );
        match result {
            Ok(r) => {
                assert_eq!(created, 1);
                assert_eq!(client.signature_requests().get(&r.id).await.unwrap().id, r.id);
                ok += 1;
            }
            Err(e) => {
                assert!(
                    e.outcome_unknown,
                    "a failed create must say its outcome is unknown: {e:?}"
                );
                if created == 1 {
                    unknown_applied += 1;
                } else {
                    unknown_not_applied += 1;
                }
            }
        }
    }
    assert!(
        ok > 0 && unknown_applied > 0 && unknown_not_applied > 0,
        "{ok} {unknown_applied} {unknown_not_applied}"
    );
    // Reconciling through the listing (retried GETs) finds exactly what was stored.
    let listed: Vec<_> = client
        .dossiers()
        .signature_requests(&dossier.id)
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), ok + unknown_applied);
    assert_eq!(sb.signature_request_count(), ok + unknown_applied);
    sb.shutdown().await;
}
