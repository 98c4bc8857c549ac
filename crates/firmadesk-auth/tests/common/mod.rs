//! In-test mock OIDC provider (axum on 127.0.0.1:0) and a fake system browser.
//!
//! The provider signs ID tokens with a fixed, test-only RSA key committed under `keys/` (never generated in
//! a test: that was slow enough in a debug build to trip the HTTP timeouts on a busy machine) and can be
//! told to misbehave.

#![allow(dead_code)] // each test binary uses a different subset

use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use firmadesk_auth::BrowserOpener;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "firmadesk-test-client";
pub const SUBJECT: &str = "clerk-0001";
pub const NAME: &str = "Maria Rossi";
pub const EMAIL: &str = "m.rossi@comune.example.it";
const KID: &str = "test-key-1";
pub const ACCESS_TTL_SECS: u64 = 300;
pub const ID_TOKEN_TTL_SECS: u64 = 3600;

struct Keys {
    provider: RsaPrivateKey,
    attacker: RsaPrivateKey,
}

// Test-only keys committed as fixtures (see keys/README.md): generating 2048-bit keys in a debug build took
// seconds, inside the first request's HTTP timeout, so the tests failed on a busy machine. Parsing a PEM
// costs milliseconds and does not depend on load.
const PROVIDER_KEY_PEM: &str = include_str!("keys/provider.pem");
const ATTACKER_KEY_PEM: &str = include_str!("keys/attacker.pem");

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        provider: RsaPrivateKey::from_pkcs8_pem(PROVIDER_KEY_PEM).expect("tests/common/keys/provider.pem"),
        attacker: RsaPrivateKey::from_pkcs8_pem(ATTACKER_KEY_PEM).expect("tests/common/keys/attacker.pem"),
    })
}

/// Ways the provider can misbehave.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Discovery answers 503.
    pub discovery_fails: bool,
    /// Discovery advertises a token endpoint where nothing listens.
    pub token_endpoint_down: bool,
    /// /authorize redirects back with a state we did not send.
    pub wrong_state: bool,
    /// /authorize redirects back with `error=access_denied`.
    pub deny: bool,
    /// ID token carries this nonce instead of the one sent.
    pub nonce_override: Option<String>,
    /// ID token signed with a key that is not in the JWKS (same kid).
    pub sign_with_other_key: bool,
    /// ID token `aud`.
    pub audience_override: Option<String>,
    /// ID token already expired.
    pub id_token_expired: bool,
    /// Do not advertise a revocation endpoint.
    pub no_revocation: bool,
    /// Token responses carry no refresh token (client without offline_access).
    pub no_refresh_token: bool,
    /// /revoke answers 503.
    pub revocation_fails: bool,
    /// `acr` claim of the ID token.
    pub acr: Option<String>,
    /// More claims of the ID token (e.g. the body's `groups`).
    pub extra_claims: Option<serde_json::Value>,
}

struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    nonce: String,
}

#[derive(Default)]
struct Records {
    codes: HashMap<String, Grant>,
    live_refresh_tokens: HashSet<String>,
    /// Every access/refresh token ever issued, so tests can look for them in formatted output.
    issued: Vec<String>,
    revoked: Vec<String>,
}

struct Shared {
    issuer: String,
    dead_port: u16,
    behaviour: Mutex<Behaviour>,
    records: Mutex<Records>,
    counter: AtomicU64,
}

/// A running mock provider. The server task ends with the test's runtime.
pub struct MockProvider {
    pub issuer: String,
    shared: Arc<Shared>,
}

impl MockProvider {
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let issuer = format!("http://127.0.0.1:{}", addr.port());
        let shared = Arc::new(Shared {
            issuer: issuer.clone(),
            dead_port: dead_port(),
            behaviour: Mutex::new(behaviour),
            records: Mutex::default(),
            counter: AtomicU64::new(1),
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/revoke", post(revoke))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { issuer, shared }
    }

    pub fn set_behaviour(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.records.lock().unwrap().issued.clone()
    }

    pub fn revoked(&self) -> Vec<String> {
        self.shared.records.lock().unwrap().revoked.clone()
    }

    pub fn live_refresh_tokens(&self) -> HashSet<String> {
        self.shared.records.lock().unwrap().live_refresh_tokens.clone()
    }
}

/// A port with nothing listening: bound once by the OS, then released.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    l.local_addr().unwrap().port()
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn sign_jwt(key: &RsaPrivateKey, claims: &Value) -> String {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": KID });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

async fn discovery(State(s): State<Arc<Shared>>) -> Response {
    let b = s.behaviour.lock().unwrap().clone();
    if b.discovery_fails {
        return (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response();
    }
    let token_endpoint = if b.token_endpoint_down {
        format!("http://127.0.0.1:{}/token", s.dead_port)
    } else {
        format!("{}/token", s.issuer)
    };
    let mut doc = json!({
        "issuer": s.issuer,
        "authorization_endpoint": format!("{}/authorize", s.issuer),
        "token_endpoint": token_endpoint,
        "jwks_uri": format!("{}/jwks", s.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
    });
    if !b.no_revocation {
        doc["revocation_endpoint"] = json!(format!("{}/revoke", s.issuer));
    }
    Json(doc).into_response()
}

async fn jwks() -> Json<Value> {
    let public = keys().provider.to_public_key();
    Json(json!({ "keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
        "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be()),
    }]}))
}

async fn authorize(State(s): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let b = s.behaviour.lock().unwrap().clone();
    let (Some(redirect_uri), Some(state), Some(nonce), Some(challenge)) = (
        q.get("redirect_uri"),
        q.get("state"),
        q.get("nonce"),
        q.get("code_challenge"),
    ) else {
        return (StatusCode::BAD_REQUEST, "missing parameter").into_response();
    };
    if q.get("code_challenge_method").map(String::as_str) != Some("S256")
        || q.get("response_type").map(String::as_str) != Some("code")
        || !q.get("scope").is_some_and(|sc| sc.split(' ').any(|x| x == "openid"))
    {
        return (StatusCode::BAD_REQUEST, "bad request").into_response();
    }
    let mut location = url::Url::parse(redirect_uri).unwrap();
    let returned_state = if b.wrong_state {
        "forged-state".to_owned()
    } else {
        state.clone()
    };
    if b.deny {
        location
            .query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("state", &returned_state);
    } else {
        let code = format!("code-{}", s.counter.fetch_add(1, Ordering::SeqCst));
        s.records.lock().unwrap().codes.insert(
            code.clone(),
            Grant {
                client_id: q.get("client_id").cloned().unwrap_or_default(),
                redirect_uri: redirect_uri.clone(),
                challenge: challenge.clone(),
                nonce: nonce.clone(),
            },
        );
        location
            .query_pairs_mut()
            .append_pair("code", &code)
            .append_pair("state", &returned_state);
    }
    Redirect::to(location.as_str()).into_response()
}

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

async fn token(State(s): State<Arc<Shared>>, Form(f): Form<HashMap<String, String>>) -> Response {
    let b = s.behaviour.lock().unwrap().clone();
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let nonce = match field("grant_type").as_str() {
        "authorization_code" => {
            let Some(grant) = s.records.lock().unwrap().codes.remove(&field("code")) else {
                return oauth_error("invalid_grant");
            };
            let pkce_ok = b64(&Sha256::digest(field("code_verifier").as_bytes())) == grant.challenge;
            if !pkce_ok || grant.client_id != field("client_id") || grant.redirect_uri != field("redirect_uri") {
                return oauth_error("invalid_grant");
            }
            Some(grant.nonce)
        }
        "refresh_token" => {
            // Rotation: a refresh token is good for one use.
            if !s
                .records
                .lock()
                .unwrap()
                .live_refresh_tokens
                .remove(&field("refresh_token"))
            {
                return oauth_error("invalid_grant");
            }
            None
        }
        _ => return oauth_error("unsupported_grant_type"),
    };
    let n = s.counter.fetch_add(1, Ordering::SeqCst);
    let (access, refresh) = (format!("AT-{n}-{}", now_secs()), format!("RT-{n}-{}", now_secs()));
    {
        let mut r = s.records.lock().unwrap();
        r.live_refresh_tokens.insert(refresh.clone());
        r.issued.extend([access.clone(), refresh.clone()]);
    }
    let now = now_secs();
    let (iat, exp) = if b.id_token_expired {
        (now - 2 * ID_TOKEN_TTL_SECS, now - ID_TOKEN_TTL_SECS)
    } else {
        (now, now + ID_TOKEN_TTL_SECS)
    };
    let mut claims = json!({
        "iss": s.issuer,
        "sub": SUBJECT,
        "aud": b.audience_override.clone().unwrap_or_else(|| CLIENT_ID.to_owned()),
        "iat": iat,
        "exp": exp,
        "name": NAME,
        "email": EMAIL,
    });
    if let Some(acr) = &b.acr {
        claims["acr"] = json!(acr);
    }
    if let Some(serde_json::Value::Object(extra)) = &b.extra_claims {
        for (name, value) in extra {
            claims[name] = value.clone();
        }
    }
    if let Some(nonce) = b.nonce_override.clone().or(nonce) {
        claims["nonce"] = json!(nonce);
    }
    let key = if b.sign_with_other_key {
        &keys().attacker
    } else {
        &keys().provider
    };
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_SECS,
        "refresh_token": refresh,
        "id_token": sign_jwt(key, &claims),
    });
    if b.no_refresh_token {
        body.as_object_mut().unwrap().remove("refresh_token");
    }
    Json(body).into_response()
}

async fn revoke(State(s): State<Arc<Shared>>, Form(f): Form<HashMap<String, String>>) -> StatusCode {
    if s.behaviour.lock().unwrap().revocation_fails {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let token = f.get("token").cloned().unwrap_or_default();
    let mut r = s.records.lock().unwrap();
    r.live_refresh_tokens.remove(&token);
    r.revoked.push(token);
    StatusCode::OK
}

/// Fake system browser: performs the browser's requests itself (GET the authorize URL, follow the
/// redirect to the loopback listener) and keeps the final page for assertions.
#[derive(Default)]
pub struct FakeBrowser {
    pub opened: Mutex<Vec<String>>,
    page: Mutex<Option<tokio::task::JoinHandle<Result<String, String>>>>,
}

impl BrowserOpener for FakeBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.to_owned());
        let url = url.to_owned();
        let handle = tokio::spawn(async move {
            let response = reqwest::get(url).await.map_err(|e| e.to_string())?;
            response.text().await.map_err(|e| e.to_string())
        });
        *self.page.lock().unwrap() = Some(handle);
        Ok(())
    }
}

impl FakeBrowser {
    /// The HTML page the loopback listener showed at the end of the redirect chain.
    pub async fn final_page(&self) -> String {
        let handle = self.page.lock().unwrap().take().expect("browser was never opened");
        handle.await.expect("browser task").expect("browser request")
    }
}

/// A browser that never comes back (clerk closed the tab).
pub struct IdleBrowser;

impl BrowserOpener for IdleBrowser {
    fn open(&self, _url: &str) -> Result<(), String> {
        Ok(())
    }
}
