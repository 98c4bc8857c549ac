//! Secrets never reach formatted output: every public type that holds one is formatted with {:?} (and
//! {} where it has Display) and searched for the secret values.

mod common;

use std::sync::Arc;

use common::{Behaviour, FakeBrowser, MockProvider, CLIENT_ID};
use firmadesk_auth::{
    refresh_token_account, AsyncSecretStore, AuthErrorKind, Authenticator, MemoryStore, OidcConfig, Secret,
    SecretStore, SystemClock, SERVICE,
};

fn assert_hidden(output: &str, secrets: &[String]) {
    assert!(!secrets.is_empty());
    // On failure say which one, never print it: test output is output too.
    for (i, s) in secrets.iter().enumerate() {
        assert!(!output.contains(s.as_str()), "secret #{i} leaked into formatted output");
    }
}

#[tokio::test]
async fn no_public_type_prints_its_secrets() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let config = OidcConfig::new("p1", &provider.issuer, CLIENT_ID);
    let auth = Authenticator::discover(config, store.clone(), Arc::new(SystemClock))
        .await
        .unwrap();

    let pending = auth.begin_login().await.unwrap();
    let url = url::Url::parse(pending.authorize_url()).unwrap();
    let login_params: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| k == "state" || k == "nonce" || k == "code_challenge")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(login_params.len(), 3);
    let pending_debug = format!("{pending:?}");
    assert_hidden(&pending_debug, &login_params);
    assert!(
        pending_debug.contains("127.0.0.1"),
        "the non-secret part is still useful: {pending_debug}"
    );

    let browser = FakeBrowser::default();
    use firmadesk_auth::BrowserOpener;
    browser.open(pending.authorize_url()).unwrap();
    let session = auth.complete_login(pending).await.unwrap();
    let tokens = provider.issued_tokens();
    assert_eq!(tokens.len(), 2);

    let api_key = "io-sign-api-key-0123456789abcdef".to_owned();
    store
        .set(SERVICE, "profile:p1:api-key", &Secret::new(api_key.clone()))
        .unwrap();
    let mut secrets = tokens.clone();
    secrets.push(api_key.clone());

    let refreshed = auth.refresh(&session).await.unwrap();
    secrets.extend(provider.issued_tokens());
    let stored = store.get(SERVICE, &refresh_token_account("p1")).unwrap().unwrap();

    let outputs = [
        format!("{session:?}"),
        format!("{refreshed:?}"),
        format!("{:?}", session.access_token),
        format!("{}", session.access_token),
        format!("{stored:?} {stored}"),
        format!("{store:?}"),
        format!("{:?}", AsyncSecretStore::new(store.clone())),
        format!("{auth:?}"),
        format!("{:?}", session.clerk),
    ];
    for out in &outputs {
        assert_hidden(out, &secrets);
    }
    assert!(outputs[0].contains("<redacted>") && outputs[0].contains(common::NAME));

    // Errors from a failing flow carry no token either (detail included).
    provider.set_behaviour(Behaviour {
        sign_with_other_key: true,
        ..Behaviour::default()
    });
    let err = auth.refresh(&refreshed).await.unwrap_err();
    assert_eq!(err.kind(), AuthErrorKind::InvalidSignature);
    assert_hidden(&format!("{err:?} {err} {}", err.detail()), &provider.issued_tokens());
}
