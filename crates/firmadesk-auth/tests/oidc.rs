//! Login, refresh and logout against the in-test mock provider on 127.0.0.1.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::{Behaviour, FakeBrowser, IdleBrowser, MockProvider, CLIENT_ID, EMAIL, NAME, SUBJECT};
use firmadesk_auth::{
    refresh_token_account, AuthError, AuthErrorKind, Authenticator, Clock, ManualClock, MemoryStore, OidcConfig,
    Revocation, SecretStore, SystemClock, SERVICE,
};

const PROFILE: &str = "test-profile";

fn config(issuer: &str) -> OidcConfig {
    let mut c = OidcConfig::new(PROFILE, issuer, CLIENT_ID);
    c.http_timeout = Duration::from_secs(10);
    c.login_timeout = Duration::from_secs(30);
    c
}

async fn authenticator(provider: &MockProvider, store: Arc<MemoryStore>, clock: Arc<dyn Clock>) -> Authenticator {
    Authenticator::discover(config(&provider.issuer), store, clock)
        .await
        .expect("discovery")
}

fn stored_refresh_token(store: &MemoryStore) -> Option<String> {
    store
        .get(SERVICE, &refresh_token_account(PROFILE))
        .unwrap()
        .map(|s| s.expose().to_owned())
}

/// Runs a login that is expected to fail and checks its kind, its Italian message, and that no secret
/// was left in the store.
async fn login_fails_with(behaviour: Behaviour, kind: AuthErrorKind, italian: &str) -> AuthError {
    let provider = MockProvider::start(behaviour).await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let browser = FakeBrowser::default();
    let err = auth.login(&browser).await.expect_err("login must fail");
    assert_eq!(err.kind(), kind, "detail: {}", err.detail());
    assert!(err.to_string().contains(italian), "message: {err}");
    assert!(store.is_empty(), "a failed login must leave no secret stored");
    err
}

#[tokio::test]
async fn successful_login_validates_and_stores_refresh_token() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock::new(SystemTime::now()));
    let auth = authenticator(&provider, store.clone(), clock.clone()).await;
    let browser = FakeBrowser::default();

    let session = auth.login(&browser).await.expect("login");

    assert_eq!(session.clerk.subject, SUBJECT);
    assert_eq!(session.clerk.name.as_deref(), Some(NAME));
    assert_eq!(session.clerk.email.as_deref(), Some(EMAIL));
    assert!(session.refreshable);
    assert_eq!(
        session.expires_at,
        Some(clock.now() + Duration::from_secs(common::ACCESS_TTL_SECS))
    );
    let issued = provider.issued_tokens();
    assert_eq!(issued.len(), 2);
    // Compared without assert_eq!: a failure must not print token values.
    assert!(
        session.access_token.expose() == issued[0],
        "session holds the issued access token"
    );
    assert!(
        stored_refresh_token(&store).as_deref() == Some(issued[1].as_str()),
        "keyring holds the refresh token"
    );
    assert_eq!(store.len(), 1);
    assert!(browser
        .final_page()
        .await
        .contains("Accesso completato, può tornare a FirmaDesk"));

    let opened = browser.opened.lock().unwrap().clone();
    let url = url::Url::parse(&opened[0]).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["redirect_uri"].starts_with("http://127.0.0.1:") && q["redirect_uri"].ends_with("/callback"));
    assert!(q["scope"].split(' ').any(|s| s == "offline_access"));
}

#[tokio::test]
async fn the_body_s_group_in_the_signed_id_token_gives_the_role_at_login_and_at_each_refresh() {
    let provider = MockProvider::start(Behaviour {
        extra_claims: Some(serde_json::json!({"groups": ["ufficio-protocollo", "firmadesk-amministratore"]})),
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    assert_eq!(session.clerk.office_role.as_deref(), Some("amministratore"));

    // The body moves the clerk to another group: the next refresh says so.
    provider.set_behaviour(Behaviour {
        extra_claims: Some(serde_json::json!({"groups": ["firmadesk-operatore"]})),
        ..Behaviour::default()
    });
    let refreshed = auth.refresh(&session).await.unwrap();
    assert_eq!(refreshed.clerk.office_role.as_deref(), Some("operatore"));

    // A provider that says nothing about FirmaDesk gives no role (an administrator sets it).
    provider.set_behaviour(Behaviour::default());
    let plain = auth.refresh(&refreshed).await.unwrap();
    assert_eq!(plain.clerk.office_role, None);
}

#[tokio::test]
async fn refresh_rotates_refresh_token() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    let first_rt = stored_refresh_token(&store).unwrap();

    let refreshed = auth.refresh(&session).await.expect("refresh");

    assert!(
        refreshed.access_token.expose() != session.access_token.expose(),
        "new access token"
    );
    assert_eq!(refreshed.clerk, session.clerk);
    let second_rt = stored_refresh_token(&store).unwrap();
    assert!(second_rt != first_rt, "rotated refresh token must replace the old one");
    assert!(
        provider.live_refresh_tokens() == [second_rt].into_iter().collect(),
        "only the new one is live"
    );
}

#[tokio::test]
async fn expired_access_token_triggers_refresh() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock::new(SystemTime::now()));
    let auth = authenticator(&provider, store.clone(), clock.clone()).await;
    let mut session = auth.login(&FakeBrowser::default()).await.unwrap();
    let first_access = session.access_token.expose().to_owned();

    assert!(
        !auth.ensure_fresh(&mut session).await.unwrap(),
        "fresh token must not be refreshed"
    );
    assert!(session.access_token.expose() == first_access, "unchanged access token");

    clock.advance(Duration::from_secs(common::ACCESS_TTL_SECS + 1));
    assert!(
        auth.ensure_fresh(&mut session).await.unwrap(),
        "expired token must be refreshed"
    );
    assert!(session.access_token.expose() != first_access, "new access token");
    assert_eq!(
        session.expires_at,
        Some(clock.now() + Duration::from_secs(common::ACCESS_TTL_SECS))
    );
}

#[tokio::test]
async fn rejected_refresh_token_is_deleted_and_session_expires() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    // Replay of an already-rotated token: the provider rejects it.
    let old = stored_refresh_token(&store).unwrap();
    auth.refresh(&session).await.unwrap();
    store
        .set(
            SERVICE,
            &refresh_token_account(PROFILE),
            &firmadesk_auth::Secret::new(old),
        )
        .unwrap();

    let err = auth.refresh(&session).await.expect_err("stale refresh token");
    assert_eq!(err.kind(), AuthErrorKind::SessionExpired);
    assert!(err.to_string().contains("accedere di nuovo"));
    assert!(store.is_empty());
}

#[tokio::test]
async fn logout_revokes_and_clears() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    let rt = stored_refresh_token(&store).unwrap();

    assert_eq!(auth.logout(Some(session.clone())).await.unwrap(), Revocation::Revoked);

    assert!(provider.revoked() == vec![rt], "the stored refresh token was revoked");
    assert!(provider.live_refresh_tokens().is_empty());
    assert!(store.is_empty());
    assert_eq!(
        auth.refresh(&session).await.unwrap_err().kind(),
        AuthErrorKind::SessionExpired
    );
}

#[tokio::test]
async fn logout_without_revocation_endpoint_still_clears() {
    let provider = MockProvider::start(Behaviour {
        no_revocation: true,
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    assert_eq!(auth.logout(Some(session)).await.unwrap(), Revocation::NotAdvertised);
    assert!(provider.revoked().is_empty());
    assert!(store.is_empty());
}

#[tokio::test]
async fn wrong_state_is_rejected_as_possible_attack() {
    // A redirect with another state no longer ends the login (it may be a hostile page): the login waits
    // for the real one and, when only wrong ones came, says so at its timeout. The browser's redirect
    // completes long before these 5 s; the default 30 s would only make the test slow.
    let provider = MockProvider::start(Behaviour {
        wrong_state: true,
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(MemoryStore::new());
    let mut cfg = config(&provider.issuer);
    cfg.login_timeout = Duration::from_secs(5);
    let auth = Authenticator::discover(cfg, store.clone(), Arc::new(SystemClock))
        .await
        .expect("discovery");
    let browser = FakeBrowser::default();
    let err = auth.login(&browser).await.expect_err("login must fail");
    assert_eq!(err.kind(), AuthErrorKind::StateMismatch, "detail: {}", err.detail());
    assert!(
        err.to_string().contains("possibile tentativo di attacco"),
        "message: {err}"
    );
    assert!(store.is_empty(), "a failed login must leave no secret stored");
    assert!(
        browser.final_page().await.contains("Accesso non riuscito"),
        "the browser tab was told the redirect was refused"
    );
}

#[tokio::test]
async fn wrong_nonce_is_rejected() {
    let b = Behaviour {
        nonce_override: Some("replayed-nonce".into()),
        ..Behaviour::default()
    };
    login_fails_with(b, AuthErrorKind::NonceMismatch, "possibile tentativo di attacco").await;
}

#[tokio::test]
async fn bad_signature_is_rejected() {
    let b = Behaviour {
        sign_with_other_key: true,
        ..Behaviour::default()
    };
    login_fails_with(
        b,
        AuthErrorKind::InvalidSignature,
        "firma del token di identità non è valida",
    )
    .await;
}

#[tokio::test]
async fn wrong_audience_is_rejected() {
    let b = Behaviour {
        audience_override: Some("another-app".into()),
        ..Behaviour::default()
    };
    login_fails_with(b, AuthErrorKind::WrongAudience, "un'altra applicazione").await;
}

#[tokio::test]
async fn expired_id_token_is_rejected() {
    let b = Behaviour {
        id_token_expired: true,
        ..Behaviour::default()
    };
    login_fails_with(b, AuthErrorKind::TokenExpired, "scaduto").await;
}

#[tokio::test]
async fn denied_in_browser() {
    login_fails_with(
        Behaviour {
            deny: true,
            ..Behaviour::default()
        },
        AuthErrorKind::LoginDenied,
        "annullato",
    )
    .await;
}

#[tokio::test]
async fn token_endpoint_unreachable_is_provider_down() {
    let b = Behaviour {
        token_endpoint_down: true,
        ..Behaviour::default()
    };
    login_fails_with(
        b,
        AuthErrorKind::ProviderUnavailable,
        "Il servizio di accesso dell'ente non risponde",
    )
    .await;
}

#[tokio::test]
async fn discovery_failure_is_provider_down() {
    let provider = MockProvider::start(Behaviour {
        discovery_fails: true,
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(MemoryStore::new());
    let err = Authenticator::discover(config(&provider.issuer), store.clone(), Arc::new(SystemClock))
        .await
        .expect_err("discovery must fail");
    assert_eq!(err.kind(), AuthErrorKind::ProviderUnavailable);
    assert!(err
        .to_string()
        .starts_with("Il servizio di accesso dell'ente non risponde"));
    assert!(store.is_empty());
}

#[tokio::test]
async fn unreachable_issuer_is_provider_down() {
    let issuer = format!("http://127.0.0.1:{}", common::dead_port());
    let err = Authenticator::discover(config(&issuer), Arc::new(MemoryStore::new()), Arc::new(SystemClock))
        .await
        .expect_err("nothing listens there");
    assert_eq!(err.kind(), AuthErrorKind::ProviderUnavailable);
}

#[tokio::test]
async fn plain_http_remote_issuer_is_refused_before_any_request() {
    let err = Authenticator::discover(
        config("http://login.comune.example.it/realms/ente"),
        Arc::new(MemoryStore::new()),
        Arc::new(SystemClock),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), AuthErrorKind::InvalidConfig);
}

#[tokio::test]
async fn browser_that_never_returns_times_out() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let mut cfg = config(&provider.issuer);
    cfg.login_timeout = Duration::from_millis(200);
    let auth = Authenticator::discover(cfg, store.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    let err = auth.login(&IdleBrowser).await.unwrap_err();
    assert_eq!(err.kind(), AuthErrorKind::LoginTimeout);
    assert!(store.is_empty());
}

#[tokio::test]
async fn stray_requests_to_the_loopback_do_not_end_the_login() {
    use firmadesk_auth::BrowserOpener;
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let pending = auth.begin_login().await.unwrap();
    let authorize_url = pending.authorize_url().to_owned();
    let favicon = pending.redirect_uri().replace("/callback", "/favicon.ico");
    let browser = FakeBrowser::default();
    let (session, favicon_status) = tokio::join!(auth.complete_login(pending), async {
        let status = reqwest::get(&favicon).await.unwrap().status();
        // The real redirect comes only after the stray request was answered.
        browser.open(&authorize_url).unwrap();
        status
    });
    assert_eq!(favicon_status, reqwest::StatusCode::NOT_FOUND);
    assert_eq!(session.expect("login after a stray request").clerk.subject, SUBJECT);
    assert!(browser.final_page().await.contains("Accesso completato"));
}

#[tokio::test]
async fn login_without_refresh_token_drops_a_stale_one() {
    let provider = MockProvider::start(Behaviour {
        no_refresh_token: true,
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(MemoryStore::new());
    // Left behind by an earlier login (possibly another clerk on the same profile).
    store
        .set(
            SERVICE,
            &refresh_token_account(PROFILE),
            &firmadesk_auth::Secret::new("stale"),
        )
        .unwrap();
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    assert!(!session.refreshable);
    assert!(store.is_empty());
    assert_eq!(
        auth.refresh(&session).await.unwrap_err().kind(),
        AuthErrorKind::SessionExpired
    );
}

#[tokio::test]
async fn login_fails_cleanly_when_no_keyring_is_available() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::failing(AuthErrorKind::NoKeyring));
    let auth = authenticator(&provider, store, Arc::new(SystemClock)).await;
    let err = auth.login(&FakeBrowser::default()).await.unwrap_err();
    assert_eq!(err.kind(), AuthErrorKind::NoKeyring);
    assert!(err.to_string().contains("gnome-keyring o KWallet"));
}

const SPID_L2: &str = "https://www.spid.gov.it/SpidL2";

async fn login_with_required_acr(acr: Option<&str>) -> (Result<firmadesk_auth::Session, AuthError>, Arc<MemoryStore>) {
    let provider = MockProvider::start(Behaviour {
        acr: acr.map(str::to_owned),
        ..Behaviour::default()
    })
    .await;
    let store = Arc::new(MemoryStore::new());
    let mut cfg = config(&provider.issuer);
    cfg.required_acr = vec![SPID_L2.to_owned(), "https://www.spid.gov.it/SpidL3".to_owned()];
    let auth = Authenticator::discover(cfg, store.clone(), Arc::new(SystemClock))
        .await
        .unwrap();
    (auth.login(&FakeBrowser::default()).await, store)
}

#[tokio::test]
async fn required_second_factor_is_enforced() {
    let (ok, store) = login_with_required_acr(Some(SPID_L2)).await;
    assert_eq!(ok.expect("SpidL2 satisfies the requirement").clerk.subject, SUBJECT);
    assert_eq!(store.len(), 1);

    for acr in [Some("https://www.spid.gov.it/SpidL1"), None] {
        let (err, store) = login_with_required_acr(acr).await;
        let err = err.expect_err("single-factor login must be refused");
        assert_eq!(
            err.kind(),
            AuthErrorKind::SecondFactorMissing,
            "acr {acr:?}: {}",
            err.detail()
        );
        assert!(err.to_string().contains("secondo fattore"));
        assert!(store.is_empty());
    }
}

#[tokio::test]
async fn logout_clears_locally_even_when_revocation_fails() {
    let provider = MockProvider::start(Behaviour::default()).await;
    let store = Arc::new(MemoryStore::new());
    let auth = authenticator(&provider, store.clone(), Arc::new(SystemClock)).await;
    let session = auth.login(&FakeBrowser::default()).await.unwrap();
    provider.set_behaviour(Behaviour {
        revocation_fails: true,
        ..Behaviour::default()
    });
    assert_eq!(
        auth.logout(Some(session)).await.unwrap(),
        Revocation::Failed(AuthErrorKind::ProviderRejected)
    );
    assert!(provider.revoked().is_empty());
    assert!(store.is_empty());
}
