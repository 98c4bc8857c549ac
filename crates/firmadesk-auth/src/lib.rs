//! Clerk login and secret storage for FirmaDesk. No Tauri dependency: the shell calls into it.
//!
//! # Overview
//!
//! * [`Secret`]: the only type that carries API keys and tokens. `Debug`/`Display` print `<redacted>`, it
//!   does not implement `Serialize`, it is zeroized on drop, and [`Secret::expose`] is the one way to read it.
//! * [`SecretStore`]: get/set/delete by `(service, account)`, e.g. `("FirmaDesk", "profile:7:api-key")`.
//!   [`KeyringStore`] is the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//!   Windows); [`MemoryStore`] is for unit tests. There is **no plaintext fallback**: without a keyring every
//!   call fails with [`AuthErrorKind::NoKeyring`], whose Italian message tells the clerk how to enable one.
//!   Keyring calls block; from async code use [`AsyncSecretStore`] (tokio `spawn_blocking`).
//! * [`Authenticator`]: OIDC Authorization Code + PKCE with an RFC 8252 loopback redirect on a random
//!   `127.0.0.1` port, using `openidconnect` 4 (built on `oauth2` 5) for discovery, code exchange and ID-token
//!   validation (JWKS signature, `iss`, `aud`, `exp`, `nonce`). The refresh token goes to the keyring only
//!   after the ID token validated; [`Authenticator::refresh`] does silent refresh (rotation supported) and
//!   [`Authenticator::logout`] revokes (if the provider advertises `revocation_endpoint`) then clears.
//! * [`idle_state`]: the idle-timeout policy as a pure function of (last activity, now, timeout).
//! * [`SessionGate`]: the login gate. A session opens only the profile it logged in for, and ends after the
//!   idle timeout or the maximum age, both on the injected wall clock (a suspended laptop is logged out).
//! * [`AuthError`]: a [`AuthErrorKind`] (stable `code()` for the UI) + an Italian `message()` for the clerk +
//!   a technical `detail()` for logs that never contains secrets.
//!
//! Time is injected ([`Clock`]); opening the browser is the caller's job ([`BrowserOpener`]: the shell uses
//! tauri-plugin-opener).
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use firmadesk_auth::{Authenticator, BrowserOpener, KeyringStore, OidcConfig, SystemClock};
//!
//! struct Opener;
//! impl BrowserOpener for Opener {
//!     fn open(&self, url: &str) -> Result<(), String> {
//!         // In the shell: app.opener().open_url(url, None::<&str>).map_err(|e| e.to_string())
//!         println!("apri {url}");
//!         Ok(())
//!     }
//! }
//!
//! # async fn run() -> Result<(), firmadesk_auth::AuthError> {
//! let store = Arc::new(KeyringStore::new());
//! store.probe()?; // at start-up: "Nessun portachiavi di sistema disponibile: ..." if there is none
//! let config = OidcConfig::new(
//!     "7",
//!     "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
//!     "11111111-1111-1111-1111-111111111111",
//! );
//! let auth = Authenticator::discover(config, store, Arc::new(SystemClock)).await?;
//! let mut session = auth.login(&Opener).await?;
//! println!("connesso: {}", session.clerk.display_name()); // goes into timeline events
//! auth.ensure_fresh(&mut session).await?; // before each API call: silent refresh if expired
//! auth.logout(Some(session)).await?;
//! # Ok(()) }
//! ```
//!
//! # Configuring an identity provider
//!
//! FirmaDesk is a *public* client (no client secret: a desktop app cannot keep one) using PKCE (S256) and a
//! loopback redirect `http://127.0.0.1:<random port>/callback` (RFC 8252 section 7.3). The provider must
//! therefore accept a loopback redirect URI with any port. The second factor is enforced by the provider;
//! [`OidcConfig::required_acr`] additionally makes FirmaDesk refuse an ID token whose `acr` is not one of the
//! listed values ([`AuthErrorKind::SecondFactorMissing`]).
//!
//! * **Microsoft Entra ID** (Microsoft 365 tenants): register an application, platform "Mobile and desktop
//!   applications", redirect URI `http://127.0.0.1/callback` (for loopback URIs Entra ignores the port),
//!   "Allow public client flows" on. Issuer URL `https://login.microsoftonline.com/<tenant-id>/v2.0` — the
//!   tenant id, not `common` or `organizations`, whose discovery `issuer` is a template that cannot match the
//!   token's `iss`. Scopes `openid profile email offline_access` (`offline_access` is what yields a refresh
//!   token; `email` is only released for accounts that have a mail address). Require MFA with a Conditional
//!   Access policy targeting the application and leave `required_acr` empty (Entra does not express MFA in
//!   `acr`). Entra's discovery has no `revocation_endpoint`: logout returns [`Revocation::NotAdvertised`] and
//!   clears the keyring; sessions can be revoked centrally from the Entra admin centre.
//! * **Keycloak and other standard OIDC providers** (regional or in-house portals): issuer
//!   `https://<host>/realms/<realm>`, a public client with the standard (authorization code) flow, PKCE
//!   method S256 enforced, a valid redirect URI admitting `http://127.0.0.1:<any port>/callback` (check how
//!   the provider version matches loopback ports), scopes `openid profile email offline_access`, and an
//!   authentication flow with OTP/WebAuthn as second factor; put its `acr` value in `required_acr` if the
//!   realm maps levels of assurance to `acr`.
//! * **SPID / CIE**: SPID is SAML 2 or *OpenID Connect Federation* (trust chains, signed request objects,
//!   `private_key_jwt`), which a desktop public client cannot do (it cannot hold the relying party's private
//!   key). The body puts an OIDC broker in front that is itself the SPID/CIE relying party (e.g. Keycloak
//!   with a SPID identity provider, or the region's authentication hub) and registers FirmaDesk there as
//!   above. Ask for SPID level 2 or higher (two factors) and set `required_acr` to
//!   `["https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL3"]` if the broker passes the SPID
//!   level through as `acr`; map `name`/`familyName` and `email` to the standard claims (the `fiscalNumber`
//!   attribute is not read by this crate).
//!
//! Only `https://` issuers are accepted (plain `http://` only on loopback, for tests).
//!
//! # Tests
//!
//! `cargo test -p firmadesk-auth` runs the OIDC flows against an in-test mock provider on `127.0.0.1`. The
//! keyring tests (`tests/keyring.rs`, built with the `dbus-tests` feature) run against the **real** Secret
//! Service, which needs a D-Bus session with an unlocked gnome-keyring: `cargo xtask test` provides both.
//! By hand:
//!
//! ```text
//! dbus-run-session -- bash -c 'export XDG_DATA_HOME=$(mktemp -d);
//!   eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL;
//!   cargo test -p firmadesk-auth --features dbus-tests'
//! ```
//!
//! Without `DBUS_SESSION_BUS_ADDRESS` the keyring tests fail (they are never skipped).

mod clock;
mod error;
mod gate;
mod loopback;
mod oidc;
mod secret;
mod store;

pub use clock::{idle_state, Clock, IdleState, ManualClock, SystemClock};
pub use error::{AuthError, AuthErrorKind};
pub use gate::{ClerkSession, SessionCheck, SessionGate, SessionPolicy};
pub use oidc::{
    office_role, Authenticator, BrowserOpener, Clerk, OidcConfig, PendingLogin, Revocation, Session, ROLE_GROUPS,
};
pub use secret::Secret;
pub use store::{
    api_key_account, refresh_token_account, AsyncSecretStore, KeyringStore, MemoryStore, SecretStore, SERVICE,
    TEAM_DATABASE_PASSWORD,
};

/// Compile-time check: the Tauri shell keeps these in managed state and awaits them in async commands,
/// which requires `Send + Sync` types and `Send` futures.
#[cfg(test)]
#[allow(dead_code)]
fn shell_requirements(auth: &Authenticator, session: &mut Session, browser: &dyn BrowserOpener) {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Authenticator>();
    send_sync::<KeyringStore>();
    send_sync::<MemoryStore>();
    send_sync::<AsyncSecretStore>();
    send_sync::<Session>();
    send_sync::<AuthError>();
    send(&auth.login(browser));
    send(&auth.begin_login());
    send(&auth.ensure_fresh(session));
    send(&auth.logout(None));
    send(&Authenticator::discover(
        OidcConfig::new("p", "https://x", "c"),
        std::sync::Arc::new(MemoryStore::new()),
        std::sync::Arc::new(SystemClock),
    ));
}
