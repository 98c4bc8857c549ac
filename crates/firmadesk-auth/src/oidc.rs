//! OIDC Authorization Code + PKCE login with an RFC 8252 loopback redirect, silent refresh and logout.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType, CoreTokenResponse,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthorizationCode, ClaimsVerificationError, ClientId, CsrfToken, DiscoveryError,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, HttpClientError, IdTokenClaims, IdTokenVerifier, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, StandardErrorResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::error::{AuthError, AuthErrorKind};
use crate::loopback::{wait_for_callback, CALLBACK_PATH};
use crate::secret::Secret;
use crate::store::{refresh_token_account, AsyncSecretStore, SecretStore, SERVICE};

/// Login settings of one FirmaDesk profile (no secrets: a public client uses PKCE, not a client secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// Profile id: keys the refresh token in the keyring (`profile:<id>:refresh-token`).
    pub profile_id: String,
    /// Issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`. Must be `https://`
    /// (plain `http://` is accepted only for loopback test providers).
    pub issuer_url: String,
    /// Client id registered at the provider for FirmaDesk (a public / "mobile and desktop" client).
    pub client_id: String,
    /// Scopes to request; `openid` is always sent. `offline_access` is what makes most providers issue a
    /// refresh token.
    pub scopes: Vec<String>,
    /// How long to wait for the browser to come back to the loopback redirect.
    pub login_timeout: Duration,
    /// Timeout of each HTTP call to the provider.
    pub http_timeout: Duration,
    /// Refresh the access token this long before it expires.
    pub refresh_skew: Duration,
    /// Idle time after which the shell requires a new login (feed it to [`crate::idle_state`]).
    pub idle_timeout: Duration,
    /// If not empty, the login's ID token must carry one of these `acr` values: FirmaDesk's own check that
    /// the provider applied the second factor (e.g. `https://www.spid.gov.it/SpidL2` behind a SPID broker).
    /// Empty means the provider's policy alone enforces it (e.g. Entra Conditional Access).
    pub required_acr: Vec<String>,
}

impl OidcConfig {
    /// A configuration with FirmaDesk's defaults: scopes `openid profile email offline_access`, 5 minutes for
    /// the browser leg, 30 s per HTTP call, refresh 60 s before expiry, 15 minutes idle timeout.
    pub fn new(profile_id: impl Into<String>, issuer_url: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            profile_id: profile_id.into(),
            issuer_url: issuer_url.into(),
            client_id: client_id.into(),
            scopes: ["openid", "profile", "email", "offline_access"]
                .map(String::from)
                .to_vec(),
            login_timeout: Duration::from_secs(300),
            http_timeout: Duration::from_secs(30),
            refresh_skew: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(15 * 60),
            required_acr: Vec::new(),
        }
    }
}

/// The clerk who logged in, from the validated ID token. Goes into every timeline event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clerk {
    /// `name` claim (or `given_name family_name`), when the provider releases it.
    pub name: Option<String>,
    /// `email` claim, when released.
    pub email: Option<String>,
    /// `sub`: the stable identifier of the clerk at the provider.
    pub subject: String,
    /// The FirmaDesk role the body's provider gives the clerk, if it gives one: `amministratore` or
    /// `operatore` (see [`office_role`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_role: Option<String>,
}

/// Group or role names (in the ID token's `roles` or `groups` claim) that give a FirmaDesk role, and the
/// role they give. A clerk in both is an administrator.
pub const ROLE_GROUPS: [(&str, &str); 2] = [
    ("firmadesk-amministratore", "amministratore"),
    ("firmadesk-operatore", "operatore"),
];

/// The FirmaDesk role an ID token's claims name: a `firmadesk_role` claim (`amministratore` or
/// `operatore`), else membership of a [`ROLE_GROUPS`] name in `roles` or `groups` (an array, or one
/// string). Names compare without case. `None` when the provider says nothing about FirmaDesk.
pub fn office_role(claims: &serde_json::Value) -> Option<String> {
    let names = |claim: &str| -> Vec<String> {
        match claims.get(claim) {
            Some(serde_json::Value::String(s)) => vec![s.to_lowercase()],
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(str::to_lowercase)).collect()
            }
            _ => Vec::new(),
        }
    };
    if let Some(role) = names("firmadesk_role")
        .into_iter()
        .find(|r| r == "amministratore" || r == "operatore")
    {
        return Some(role);
    }
    let member: Vec<String> = names("roles").into_iter().chain(names("groups")).collect();
    ROLE_GROUPS
        .iter()
        .find(|(group, _)| member.iter().any(|m| m == group))
        .map(|(_, role)| (*role).to_owned())
}

/// The claims of an ID token the library has just verified (signature, issuer, audience, expiry), as
/// JSON: the few the library does not model (the role) are read from the same, checked payload.
fn verified_payload(id_token: &openidconnect::core::CoreIdToken) -> serde_json::Value {
    use base64::Engine as _;
    id_token
        .to_string()
        .split('.')
        .nth(1)
        .and_then(|payload| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(serde_json::Value::Null)
}

impl Clerk {
    /// Best human label: name, else email, else subject.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().or(self.email.as_deref()).unwrap_or(&self.subject)
    }
}

/// A logged-in session. The refresh token is not here: it lives only in the keyring.
///
/// Not `Serialize` (it holds a [`Secret`]); send `clerk` and `expires_at` to the UI, never the session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who is logged in.
    pub clerk: Clerk,
    /// Bearer token for APIs protected by the body's provider.
    pub access_token: Secret,
    /// When the access token expires, if the provider said.
    pub expires_at: Option<SystemTime>,
    /// Whether a refresh token is stored in the keyring for silent refresh.
    pub refreshable: bool,
}

impl Session {
    /// True when the access token is expired or will be within `skew`.
    pub fn needs_refresh(&self, now: SystemTime, skew: Duration) -> bool {
        self.expires_at.is_some_and(|at| now + skew >= at)
    }
}

/// What happened to the tokens at the provider on logout (local entries are always cleared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// The provider accepted the revocation.
    Revoked,
    /// The provider advertises no `revocation_endpoint`; tokens expire on their own.
    NotAdvertised,
    /// Nothing to revoke (no refresh token stored and no session given).
    NothingToRevoke,
    /// Revocation failed; tokens were cleared locally anyway.
    Failed(AuthErrorKind),
}

/// Opens a URL in the system browser. The Tauri shell implements it with tauri-plugin-opener; tests use a
/// fake that performs the browser's HTTP requests itself.
pub trait BrowserOpener: Send + Sync {
    /// Opens `url`. Returns a short technical reason on failure.
    fn open(&self, url: &str) -> Result<(), String>;
}

/// A login in progress: the URL for the browser plus what is needed to check and finish it.
pub struct PendingLogin {
    authorize_url: String,
    redirect_url: RedirectUrl,
    listener: TcpListener,
    pkce_verifier: PkceCodeVerifier,
    state: CsrfToken,
    nonce: Nonce,
}

impl PendingLogin {
    /// The authorization URL to open in the system browser.
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    /// The loopback redirect URI (`http://127.0.0.1:<port>/callback`).
    pub fn redirect_uri(&self) -> &str {
        self.redirect_url.as_str()
    }
}

impl std::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // state, nonce and PKCE verifier stay out of logs.
        f.debug_struct("PendingLogin")
            .field("redirect_uri", &self.redirect_url.as_str())
            .finish_non_exhaustive()
    }
}

/// Discovery metadata plus the optional RFC 7009 `revocation_endpoint` that core OIDC metadata lacks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct RevocationMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revocation_endpoint: Option<String>,
}
impl AdditionalProviderMetadata for RevocationMetadata {}

type Metadata = ProviderMetadata<
    RevocationMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;
type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;
type TokenError = RequestTokenError<HttpClientError<reqwest::Error>, StandardErrorResponse<CoreErrorResponseType>>;

/// Login, refresh and logout against one profile's identity provider.
pub struct Authenticator {
    config: OidcConfig,
    metadata: Metadata,
    http: reqwest::Client,
    store: AsyncSecretStore,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// Fetches the provider's discovery document and JWKS. Fails with `InvalidConfig` for an unusable
    /// issuer URL or client id, `ProviderUnavailable` when the provider cannot be reached.
    pub async fn discover(
        config: OidcConfig,
        store: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, AuthError> {
        let issuer = IssuerUrl::new(config.issuer_url.clone())
            .map_err(|e| AuthError::new(AuthErrorKind::InvalidConfig, format!("issuer URL: {e}")))?;
        require_https_or_loopback(issuer.url(), "issuer")?;
        if config.client_id.trim().is_empty() {
            return Err(AuthError::new(AuthErrorKind::InvalidConfig, "empty client id"));
        }
        // Redirects off: a token endpoint that redirects could otherwise bounce the code and PKCE verifier
        // to another host (oauth2 crate's own recommendation).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.http_timeout)
            .build()
            .map_err(|e| AuthError::new(AuthErrorKind::ProviderUnavailable, format!("HTTP client: {e}")))?;
        let metadata = Metadata::discover_async(issuer, &http)
            .await
            .map_err(map_discovery_error)?;
        Ok(Self {
            config,
            metadata,
            http,
            store: AsyncSecretStore::new(store),
            clock,
        })
    }

    /// The profile configuration.
    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    /// Starts a login: binds the loopback listener on `127.0.0.1:0` and builds the authorization URL with
    /// fresh PKCE verifier, state and nonce.
    pub async fn begin_login(&self) -> Result<PendingLogin, AuthError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| AuthError::new(AuthErrorKind::LoopbackUnavailable, format!("bind 127.0.0.1:0: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| AuthError::new(AuthErrorKind::LoopbackUnavailable, format!("local_addr: {e}")))?
            .port();
        let redirect_url = RedirectUrl::new(format!("http://127.0.0.1:{port}{CALLBACK_PATH}"))
            .map_err(|e| AuthError::new(AuthErrorKind::LoopbackUnavailable, format!("redirect URL: {e}")))?;
        let client = self.client().set_redirect_uri(redirect_url.clone());
        let (challenge, pkce_verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self.config.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(PendingLogin {
            authorize_url: url.to_string(),
            redirect_url,
            listener,
            pkce_verifier,
            state,
            nonce,
        })
    }

    /// Waits (at most `login_timeout`) for the browser to hit the loopback redirect, checks `state`,
    /// exchanges the code with the PKCE verifier, validates the ID token (JWKS signature, `iss`, `aud`,
    /// `exp`, `nonce`) and stores the refresh token in the keyring. Nothing is stored on failure.
    pub async fn complete_login(&self, pending: PendingLogin) -> Result<Session, AuthError> {
        let PendingLogin {
            redirect_url,
            listener,
            pkce_verifier,
            state,
            nonce,
            ..
        } = pending;
        let wrong_state = std::sync::atomic::AtomicBool::new(false);
        let callback = tokio::time::timeout(
            self.config.login_timeout,
            wait_for_callback(&listener, state.secret(), &wrong_state),
        )
        .await
        .map_err(|_| {
            // Only redirects with another `state` came: say so (possible attack), not just "too slow".
            if wrong_state.load(std::sync::atomic::Ordering::Relaxed) {
                AuthError::new(
                    AuthErrorKind::StateMismatch,
                    "only redirects with another state arrived before the login timeout",
                )
            } else {
                AuthError::new(AuthErrorKind::LoginTimeout, "no redirect within the login timeout")
            }
        })??;
        // The port is released as soon as the one redirect has arrived.
        drop(listener);

        let client = self.client().set_redirect_uri(redirect_url);
        let response = client
            .exchange_code(AuthorizationCode::new(callback.code))
            .map_err(|e| AuthError::new(AuthErrorKind::InvalidConfig, format!("token endpoint: {e}")))?
            .set_pkce_verifier(pkce_verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| map_token_error(e, AuthErrorKind::ProviderRejected))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| AuthError::new(AuthErrorKind::InvalidIdToken, "token response without id_token"))?;
        let claims = id_token
            .claims(&self.id_token_verifier(&client, true), &nonce)
            .map_err(map_claims_error)?;
        let clerk = Clerk {
            office_role: office_role(&verified_payload(id_token)),
            ..clerk_from_claims(claims)
        };
        self.finish(&response, clerk, Grant::Login).await
    }

    /// Runs a whole login: [`begin_login`](Self::begin_login), open the system browser,
    /// [`complete_login`](Self::complete_login).
    pub async fn login(&self, browser: &dyn BrowserOpener) -> Result<Session, AuthError> {
        let pending = self.begin_login().await?;
        browser
            .open(pending.authorize_url())
            .map_err(|e| AuthError::new(AuthErrorKind::BrowserUnavailable, e))?;
        self.complete_login(pending).await
    }

    /// Silent refresh with the refresh token stored in the keyring. A rotated refresh token replaces the old
    /// one. If the provider rejects the refresh token (`invalid_grant`) it is deleted and the error is
    /// `SessionExpired`: the clerk must log in again.
    pub async fn refresh(&self, current: &Session) -> Result<Session, AuthError> {
        let account = refresh_token_account(&self.config.profile_id);
        let stored = self
            .store
            .get(SERVICE, &account)
            .await?
            .ok_or_else(|| AuthError::new(AuthErrorKind::SessionExpired, "no refresh token stored"))?;
        let refresh_token = RefreshToken::new(stored.expose().to_owned());
        let client = self.client();
        let result = client
            .exchange_refresh_token(&refresh_token)
            .map_err(|e| AuthError::new(AuthErrorKind::InvalidConfig, format!("token endpoint: {e}")))?
            .request_async(&self.http)
            .await;
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                let err = map_token_error(e, AuthErrorKind::SessionExpired);
                if err.kind() == AuthErrorKind::SessionExpired {
                    // The provider will never accept it again: do not keep a dead secret around.
                    self.store.delete(SERVICE, &account).await?;
                }
                return Err(err);
            }
        };
        let clerk = match response.id_token() {
            Some(id_token) => {
                // A refreshed ID token carries no fresh nonce (OIDC Core 12.2); signature, iss, aud and exp are
                // still checked, and it must be the same person.
                let claims = id_token
                    .claims(&self.id_token_verifier(&client, false), any_nonce)
                    .map_err(map_claims_error)?;
                let clerk = Clerk {
                    office_role: office_role(&verified_payload(id_token)),
                    ..clerk_from_claims(claims)
                };
                if clerk.subject != current.clerk.subject {
                    return Err(AuthError::new(
                        AuthErrorKind::InvalidIdToken,
                        "refreshed ID token has another subject",
                    ));
                }
                clerk
            }
            None => current.clerk.clone(),
        };
        self.finish(&response, clerk, Grant::Refresh).await
    }

    /// Refreshes `session` in place if its access token is expired or about to be (per the injected clock).
    /// Returns whether a refresh happened.
    pub async fn ensure_fresh(&self, session: &mut Session) -> Result<bool, AuthError> {
        if !session.needs_refresh(self.clock.now(), self.config.refresh_skew) {
            return Ok(false);
        }
        *session = self.refresh(session).await?;
        Ok(true)
    }

    /// Logs out: revokes the refresh token (or, without one, the session's access token) at the provider's
    /// revocation endpoint if advertised, then deletes the keyring entry whatever the provider said.
    pub async fn logout(&self, session: Option<Session>) -> Result<Revocation, AuthError> {
        let account = refresh_token_account(&self.config.profile_id);
        let stored = self.store.get(SERVICE, &account).await?;
        let token = match (&stored, &session) {
            (Some(rt), _) => Some((rt.clone(), "refresh_token")),
            (None, Some(s)) => Some((s.access_token.clone(), "access_token")),
            (None, None) => None,
        };
        let revocation = match (
            token,
            self.metadata.additional_metadata().revocation_endpoint.as_deref(),
        ) {
            (None, _) => Revocation::NothingToRevoke,
            (Some(_), None) => Revocation::NotAdvertised,
            (Some((token, hint)), Some(endpoint)) => match self.revoke(endpoint, &token, hint).await {
                Ok(()) => Revocation::Revoked,
                Err(e) => {
                    tracing::warn!(code = e.code(), detail = e.detail(), "token revocation failed");
                    Revocation::Failed(e.kind())
                }
            },
        };
        self.store.delete(SERVICE, &account).await?;
        Ok(revocation)
    }

    /// RFC 7009 revocation. Hand-written (a form POST) because the oauth2 crate refuses non-https revocation
    /// URLs outright, loopback included; the same https-or-loopback rule as the issuer is applied here.
    async fn revoke(&self, endpoint: &str, token: &Secret, hint: &str) -> Result<(), AuthError> {
        let url = url::Url::parse(endpoint)
            .map_err(|e| AuthError::new(AuthErrorKind::ProviderUnavailable, format!("revocation URL: {e}")))?;
        require_https_or_loopback(&url, "revocation endpoint")?;
        let form = [
            ("token", token.expose()),
            ("token_type_hint", hint),
            ("client_id", &self.config.client_id),
        ];
        let response = self.http.post(url).form(&form).send().await.map_err(|e| {
            AuthError::new(
                AuthErrorKind::ProviderUnavailable,
                format!("revocation request: {}", e.without_url()),
            )
        })?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(AuthError::new(
                AuthErrorKind::ProviderRejected,
                format!("revocation HTTP {}", response.status()),
            ))
        }
    }

    /// Builds the session and stores (or, without one, removes) the refresh token.
    async fn finish(&self, response: &CoreTokenResponse, clerk: Clerk, grant: Grant) -> Result<Session, AuthError> {
        let account = refresh_token_account(&self.config.profile_id);
        let refreshable = match (response.refresh_token(), grant) {
            (Some(rt), _) => {
                self.store
                    .set(SERVICE, &account, Secret::new(rt.secret().clone()))
                    .await?;
                true
            }
            // Refresh without rotation: the stored token stays valid.
            (None, Grant::Refresh) => self.store.get(SERVICE, &account).await?.is_some(),
            // Login without a refresh token (no offline_access): a token left by an earlier login, possibly of
            // another clerk, must not be used to refresh this session.
            (None, Grant::Login) => {
                self.store.delete(SERVICE, &account).await?;
                false
            }
        };
        Ok(Session {
            clerk,
            access_token: Secret::new(response.access_token().secret().clone()),
            expires_at: response.expires_in().map(|d| self.clock.now() + d),
            refreshable,
        })
    }

    fn client(&self) -> Client {
        CoreClient::from_provider_metadata(
            self.metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            None,
        )
    }

    /// ID-token checks: signature against the JWKS, `iss`, `aud`, `exp` on the injected clock, and on login
    /// the required `acr` (a refreshed token restates the original authentication, so it is not re-checked).
    fn id_token_verifier<'a>(&self, client: &'a Client, check_acr: bool) -> IdTokenVerifier<'a, CoreJsonWebKey> {
        let clock = self.clock.clone();
        let verifier = client
            .id_token_verifier()
            .set_time_fn(move || chrono::DateTime::<chrono::Utc>::from(clock.now()));
        if !check_acr || self.config.required_acr.is_empty() {
            return verifier;
        }
        let required = self.config.required_acr.clone();
        verifier.set_auth_context_verifier_fn(move |acr| match acr {
            Some(acr) if required.iter().any(|r| r.as_str() == acr.as_str()) => Ok(()),
            Some(acr) => Err(format!("acr {} is not one of the required values", acr.as_str())),
            None => Err("no acr claim".to_owned()),
        })
    }
}

#[derive(Debug, Clone, Copy)]
enum Grant {
    Login,
    Refresh,
}

fn any_nonce(_: Option<&Nonce>) -> Result<(), String> {
    Ok(())
}

fn clerk_from_claims<AC, GC>(claims: &IdTokenClaims<AC, GC>) -> Clerk
where
    AC: openidconnect::AdditionalClaims,
    GC: openidconnect::GenderClaim,
{
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned())
        .or_else(|| {
            let given = claims
                .given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
            let family = claims
                .family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned());
            match (given, family) {
                (Some(g), Some(f)) => Some(format!("{g} {f}")),
                (g, f) => g.or(f),
            }
        });
    Clerk {
        name,
        email: claims.email().map(|e| e.as_str().to_owned()),
        subject: claims.subject().as_str().to_owned(),
        office_role: None,
    }
}

fn require_https_or_loopback(url: &url::Url, what: &str) -> Result<(), AuthError> {
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if url.scheme() == "https" || (url.scheme() == "http" && loopback) {
        Ok(())
    } else {
        Err(AuthError::new(
            AuthErrorKind::InvalidConfig,
            format!("{what} must use https"),
        ))
    }
}

fn map_discovery_error(e: DiscoveryError<HttpClientError<reqwest::Error>>) -> AuthError {
    let detail = match &e {
        DiscoveryError::Request(inner) => format!("discovery request failed: {}", http_error_detail(inner)),
        DiscoveryError::Response(status, _, msg) => format!("discovery HTTP {status}: {msg}"),
        DiscoveryError::Parse(err) => format!("discovery document unparsable at {}", err.path()),
        DiscoveryError::Validation(msg) => format!("discovery document invalid: {msg}"),
        DiscoveryError::UrlParse(err) => format!("discovery URL: {err}"),
        other => format!("discovery failed: {other}"),
    };
    AuthError::new(AuthErrorKind::ProviderUnavailable, detail)
}

/// Maps token endpoint errors. Response bodies are never copied: they may contain tokens.
fn map_token_error(e: TokenError, rejected: AuthErrorKind) -> AuthError {
    match e {
        RequestTokenError::ServerResponse(resp) => {
            let kind = match resp.error() {
                CoreErrorResponseType::InvalidGrant => rejected,
                _ => AuthErrorKind::ProviderRejected,
            };
            AuthError::new(kind, format!("token endpoint error: {}", resp.error().as_ref()))
        }
        RequestTokenError::Request(inner) => AuthError::new(
            AuthErrorKind::ProviderUnavailable,
            format!("token request failed: {}", http_error_detail(&inner)),
        ),
        RequestTokenError::Parse(err, _body) => AuthError::new(
            AuthErrorKind::ProviderUnavailable,
            format!("token response unparsable at {}", err.path()),
        ),
        RequestTokenError::Other(msg) => AuthError::new(
            AuthErrorKind::ProviderUnavailable,
            format!("token request failed: {msg}"),
        ),
    }
}

fn http_error_detail(e: &HttpClientError<reqwest::Error>) -> String {
    match e {
        // Token requests are POSTs with the secrets in the body, so the URL carries none; strip it anyway
        // to keep details short and uniform.
        HttpClientError::Reqwest(inner) => {
            let inner: &reqwest::Error = inner;
            let kind = if inner.is_connect() {
                "connection refused or unreachable"
            } else if inner.is_timeout() {
                "timeout"
            } else {
                "HTTP error"
            };
            format!("{kind} ({})", inner.status().map(|s| s.to_string()).unwrap_or_default())
        }
        other => other.to_string(),
    }
}

fn map_claims_error(e: ClaimsVerificationError) -> AuthError {
    let kind = match &e {
        ClaimsVerificationError::Expired(_) => AuthErrorKind::TokenExpired,
        ClaimsVerificationError::InvalidAudience(_) => AuthErrorKind::WrongAudience,
        ClaimsVerificationError::InvalidIssuer(_) => AuthErrorKind::WrongIssuer,
        ClaimsVerificationError::InvalidNonce(_) => AuthErrorKind::NonceMismatch,
        ClaimsVerificationError::SignatureVerification(_) => AuthErrorKind::InvalidSignature,
        ClaimsVerificationError::InvalidAuthContext(_) => AuthErrorKind::SecondFactorMissing,
        _ => AuthErrorKind::InvalidIdToken,
    };
    AuthError::new(kind, format!("ID token rejected: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_must_be_https_unless_loopback() {
        let ok = [
            "https://login.example.it/tenant/v2.0",
            "http://127.0.0.1:8080/",
            "http://localhost:1/",
            "http://[::1]:2/",
        ];
        for u in ok {
            assert!(
                require_https_or_loopback(&url::Url::parse(u).unwrap(), "issuer").is_ok(),
                "{u}"
            );
        }
        let err =
            require_https_or_loopback(&url::Url::parse("http://login.example.it/").unwrap(), "issuer").unwrap_err();
        assert_eq!(err.kind(), AuthErrorKind::InvalidConfig);
    }

    #[test]
    fn the_role_comes_from_a_firmadesk_claim_or_group_and_nothing_else() {
        use serde_json::json;
        let cases = [
            (json!({"firmadesk_role": "Amministratore"}), Some("amministratore")),
            (json!({"firmadesk_role": "capo"}), None),
            (json!({"roles": ["staff", "FirmaDesk-Operatore"]}), Some("operatore")),
            (json!({"groups": "firmadesk-amministratore"}), Some("amministratore")),
            (
                json!({"roles": ["firmadesk-operatore"], "groups": ["firmadesk-amministratore"]}),
                Some("amministratore"),
            ),
            (json!({"roles": ["amministratore"], "groups": [1, null]}), None),
            (json!({"sub": "s"}), None),
            (serde_json::Value::Null, None),
        ];
        for (claims, role) in cases {
            assert_eq!(office_role(&claims).as_deref(), role, "{claims}");
        }
    }

    #[test]
    fn clerk_display_name_falls_back() {
        let mut c = Clerk {
            name: Some("Maria Rossi".into()),
            email: Some("m.rossi@comune.example.it".into()),
            subject: "s1".into(),
            office_role: None,
        };
        assert_eq!(c.display_name(), "Maria Rossi");
        c.name = None;
        assert_eq!(c.display_name(), "m.rossi@comune.example.it");
        c.email = None;
        assert_eq!(c.display_name(), "s1");
    }

    #[test]
    fn session_needs_refresh_within_skew() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let s = Session {
            clerk: Clerk {
                name: None,
                email: None,
                subject: "s".into(),
                office_role: None,
            },
            access_token: Secret::new("at"),
            expires_at: Some(t0 + Duration::from_secs(300)),
            refreshable: true,
        };
        let skew = Duration::from_secs(60);
        assert!(!s.needs_refresh(t0, skew));
        assert!(!s.needs_refresh(t0 + Duration::from_secs(239), skew));
        assert!(s.needs_refresh(t0 + Duration::from_secs(240), skew));
        let no_expiry = Session { expires_at: None, ..s };
        assert!(!no_expiry.needs_refresh(t0 + Duration::from_secs(10_000), skew));
    }
}
