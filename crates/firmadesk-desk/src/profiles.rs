//! Issuer profiles: the body's IO Sign keys (test and production) side by side with the built-in
//! sandbox. A profile's settings live in SQLite; its API key only in the OS keyring. The key travels
//! once, from the form to the keyring, and is never sent back to the UI nor logged.

use crate::session::{active_profile, require_profile};
use crate::{save_settings, settings, store_error, Code, Desk, UiError, SANDBOX_PROFILE};
use firmadesk_auth::{api_key_account, Secret, SERVICE};
use firmadesk_engine::Engine;
use firmadesk_store::{Environment, Profile};
use serde::{Deserialize, Serialize};

pub(crate) fn keyring_error(e: firmadesk_auth::AuthError) -> UiError {
    UiError::new(Code::from(e.kind()), e.message()).with_detail(e.detail())
}

/// A profile as the UI sees it: settings, whether a key is stored, never the key.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    id: String,
    name: String,
    environment: Environment,
    base_url: String,
    support_email: Option<String>,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_scopes: Option<String>,
    /// The tester codes of a test profile (administrators only).
    testers: Vec<String>,
    has_key: bool,
    active: bool,
    builtin: bool,
    /// The clerk may change it (an administrator).
    editable: bool,
}

/// Every profile as the UI lists it (the sandbox first), with which one is active; never a key.
///
/// An operator sees which profiles exist (to choose the one new requests go to), not their settings: the
/// service addresses and the login's configuration are the administrators'.
pub async fn views(state: &Desk) -> Result<Vec<ProfileView>, UiError> {
    let admin = crate::roles::role(state).await? == firmadesk_store::Role::Amministratore;
    let active = active_profile(state);
    let locale = state.locale();
    let mut out = Vec::new();
    for p in state.store.profiles().await.map_err(store_error)? {
        let builtin = p.id == SANDBOX_PROFILE;
        // The built-in profile is named in the clerk's language; the body's profiles as they were typed.
        let name = if builtin {
            crate::i18n::text(locale, "sandbox-banner_title", &[])
        } else {
            p.name
        };
        let has_key = builtin
            || state
                .secrets
                .get(SERVICE, &api_key_account(&p.id))
                .map(|k| k.is_some())
                .unwrap_or(false);
        out.push(ProfileView {
            active: p.id == active,
            builtin,
            has_key,
            id: p.id,
            name,
            environment: p.environment,
            base_url: if admin { p.base_url } else { String::new() },
            support_email: p.support_email.filter(|_| admin),
            oidc_issuer: p.oidc_issuer.filter(|_| admin),
            oidc_client_id: p.oidc_client_id.filter(|_| admin),
            oidc_scopes: p.oidc_scopes.filter(|_| admin),
            testers: if admin { p.testers } else { Vec::new() },
            editable: admin,
        });
    }
    Ok(out)
}

/// A profile as the form sends it.
#[derive(Debug, Deserialize)]
pub struct ProfileForm {
    /// Empty for a new profile.
    #[serde(default)]
    id: Option<String>,
    name: String,
    environment: Environment,
    /// Empty = the production issuer API.
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    support_email: Option<String>,
    #[serde(default)]
    oidc_issuer: Option<String>,
    #[serde(default)]
    oidc_client_id: Option<String>,
    #[serde(default)]
    oidc_scopes: Option<String>,
    /// The tester codes of a test key, one per line (spaces, commas and semicolons separate them too).
    #[serde(default)]
    testers: Option<String>,
}

/// Whether `email` is a support email IO accepts (an address whose domain has a top level): a dossier with
/// any other is refused, and with it every send that needs the dossier.
pub(crate) fn support_email_ok(email: &str) -> bool {
    email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.split('.').filter(|p| !p.is_empty()).count() >= 2
        })
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Checks a base URL: https, or plain http to this machine only (a local emulator). The host is
/// compared whole: `http://127.0.0.1.example.org/` or `http://localhost.evil/` are other machines.
fn check_base_url(url: &str) -> Result<(), UiError> {
    let bad = || {
        UiError::new(
            Code::ProfileInvalidUrl,
            "Indirizzo del servizio non valido: usare un indirizzo https (ad esempio quello predefinito di Firma con IO).",
        )
    };
    if url.contains(char::is_whitespace) {
        return Err(bad());
    }
    // The client's own transport rule (https, or http to a loopback host compared whole), so a profile
    // is never saved with an address the client would refuse.
    let parsed = iosign::fetch::check_url(url).map_err(|_| bad())?;
    if parsed.host().is_none() || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad());
    }
    Ok(())
}

fn new_id() -> String {
    format!("p-{}", ulid::Ulid::new().to_string().to_lowercase())
}

/// Registers a profile with the engine, with its key from the keyring and the EU trusted lists' anchors.
pub async fn register(state: &Desk, engine: &Engine, profile: &Profile) -> Result<(), UiError> {
    if profile.id == SANDBOX_PROFILE {
        return Ok(());
    }
    let client = client_with(state, profile)?;
    // Its signed documents are verified against the EU trusted lists, kept current from now on.
    state.trusted_lists.start(&state.data_dir);
    let options = firmadesk_engine::ProfileOptions {
        trust_anchors: Vec::new(),
        trusted_lists: Some(state.trusted_lists.anchors.clone()),
    };
    engine
        .add_profile_with(profile.id.clone(), client, options)
        .await
        .map_err(|e| UiError::new(Code::from(e.kind), e.message.clone()).with_detail(&e.detail))
}

/// What happens to the stored API key when a profile is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    /// Keep the stored key (same service address, no new key).
    Keep,
    /// Store the key from the form (replacing any other).
    Store,
}

/// The API key is bound to the service address it was entered for: a saved key is never sent to a new
/// base URL (a mistyped or malicious address would receive the body's key on the first call). Changing
/// the address therefore requires the key again in the same form; without it the change is refused and
/// nothing is saved.
pub fn key_action(existing: Option<&Profile>, base_url: &str, key_given: bool) -> Result<KeyAction, UiError> {
    match (existing, key_given) {
        (_, true) => Ok(KeyAction::Store),
        (None, false) => Err(UiError::new(
            Code::ProfileMissingKey,
            "Inserire la chiave API del profilo (dal portale di Firma con IO, area riservata dell'ente).",
        )),
        (Some(p), false) if p.base_url != base_url => Err(UiError::new(
            Code::ProfileKeyForNewUrl,
            "L'indirizzo del servizio è cambiato: inserire di nuovo la chiave API. Per sicurezza la chiave salvata non viene mai inviata a un indirizzo diverso da quello per cui è stata inserita.",
        )),
        (Some(_), false) => Ok(KeyAction::Keep),
    }
}

/// The tester codes typed in the profile form: each checked, in capitals, each once, in the order typed.
fn tester_codes(text: &str) -> Result<Vec<String>, UiError> {
    let mut codes: Vec<String> = Vec::new();
    for typed in text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
    {
        let cf = iosign::FiscalCode::parse(typed).map_err(|e| {
            UiError::new(
                Code::ProfileInvalidTester,
                format!("Il codice fiscale del tester «{typed}» non è valido: {e}"),
            )
        })?;
        if !codes.iter().any(|c| c == cf.as_str()) {
            codes.push(cf.as_str().to_owned());
        }
    }
    Ok(codes)
}

/// Validates and saves a profile (a new key goes to the keyring first); the caller registers it with
/// the engine. Changing a protected profile needs a valid login for it.
pub async fn save(state: &Desk, profile: ProfileForm, api_key: Option<String>) -> Result<Profile, UiError> {
    crate::roles::require_admin(state).await?;
    let name = profile.name.trim().to_owned();
    if name.is_empty() {
        return Err(UiError::new(
            Code::ProfileMissingName,
            "Indicare un nome per il profilo.",
        ));
    }
    if profile.environment == Environment::Prova {
        return Err(UiError::new(
            Code::ProfileInvalidEnvironment,
            "La modalità prova è già disponibile: scegliere Test o Produzione.",
        ));
    }
    let base_url = blank_to_none(profile.base_url).unwrap_or_else(|| iosign::PRODUCTION_BASE_URL.to_owned());
    check_base_url(&base_url)?;
    // Checked before anything is kept (the key goes to the keyring below).
    let support_email = blank_to_none(profile.support_email);
    if support_email.as_deref().is_some_and(|e| !support_email_ok(e)) {
        return Err(UiError::new(
            Code::ProfileInvalidEmail,
            "L'email di supporto non è un indirizzo valido (ad esempio protocollo@comune.example.it): i cittadini la vedono nell'app IO.",
        ));
    }
    let testers = match profile.environment {
        Environment::Test => tester_codes(profile.testers.as_deref().unwrap_or_default())?,
        // Only a test key is limited to its testers.
        _ => Vec::new(),
    };
    let id = blank_to_none(profile.id).unwrap_or_else(new_id);
    if id == SANDBOX_PROFILE {
        return Err(UiError::new(
            Code::ProfileBuiltin,
            "Il profilo di prova non si modifica.",
        ));
    }
    let existing = state
        .store
        .profiles()
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|p| p.id == id);
    // Its settings are the protected profile's too (removing the login would open its data).
    require_profile(state, &id).await?;
    let key = api_key.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
    if let Some(k) = &key {
        if k.len() < 16 || k.contains(char::is_whitespace) {
            return Err(UiError::new(
                Code::ProfileInvalidKey,
                "La chiave API non sembra valida: copiarla di nuovo dal portale di Firma con IO (area riservata dell'ente).",
            ));
        }
    }
    if key_action(existing.as_ref(), &base_url, key.is_some())? == KeyAction::Store {
        let k = key.expect("a key to store");
        state
            .secrets
            .set(SERVICE, &api_key_account(&id), &Secret::new(k))
            .map_err(keyring_error)?;
    }
    let record = Profile {
        id: id.clone(),
        name,
        environment: profile.environment,
        base_url,
        support_email,
        oidc_issuer: blank_to_none(profile.oidc_issuer),
        oidc_client_id: blank_to_none(profile.oidc_client_id),
        oidc_scopes: blank_to_none(profile.oidc_scopes),
        testers,
    };
    state
        .store
        .upsert_profile(&record, state.now_ms())
        .await
        .map_err(store_error)?;
    tracing::info!(profile = %id, environment = ?record.environment, "profile saved");
    Ok(record)
}

/// Chooses the profile new requests go to. Switching TO a protected profile is allowed (it shows
/// nothing until the login); a session never carries over to another profile. Switching to Modalità
/// prova starts the embedded sandbox if it is not running yet.
pub async fn set_active(state: &Desk, engine: &Engine, id: String) -> Result<Vec<ProfileView>, UiError> {
    if !state
        .store
        .profiles()
        .await
        .map_err(store_error)?
        .iter()
        .any(|p| p.id == id)
    {
        return Err(UiError::new(Code::ProfileNotFound, "Profilo non trovato."));
    }
    if id == SANDBOX_PROFILE {
        crate::sandbox::start_profile(state, engine).await?;
    }
    crate::session::end_unless_for(state, &id);
    save_settings(state, |s| s.active_profile = Some(id))?;
    views(state).await
}

fn client_with(state: &Desk, profile: &Profile) -> Result<iosign::Client, UiError> {
    if profile.id == SANDBOX_PROFILE {
        return state.sandbox.running().map(|s| s.client.clone()).ok_or_else(|| {
            UiError::new(
                Code::SandboxNotRunning,
                "La modalità prova non è attiva: sceglierla in Impostazioni per usare le richieste di prova.",
            )
        });
    }
    let key = state
        .secrets
        .get(SERVICE, &api_key_account(&profile.id))
        .map_err(keyring_error)?
        .ok_or_else(|| {
            UiError::new(
                Code::ProfileNoKey,
                format!(
                    "Il profilo «{}» non ha una chiave API nel portachiavi: inserirla di nuovo in Impostazioni.",
                    profile.name
                ),
            )
        })?;
    iosign::Client::new(profile.base_url.clone(), iosign::ApiKey::new(key.expose()))
        .map_err(|e| UiError::new(Code::ProfileInvalidUrl, "Indirizzo del servizio non valido.").with_detail(e))
}

/// A client for a profile (the sandbox's, or one with the profile's key from the keyring).
pub async fn client_for(state: &Desk, profile_id: &str) -> Result<iosign::Client, UiError> {
    let profile = state
        .store
        .profiles()
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|p| p.id == profile_id)
        .ok_or_else(|| UiError::new(Code::ProfileNotFound, "Profilo non trovato."))?;
    client_with(state, &profile)
}

/// What a check of a profile's key found, in Italian.
#[derive(Debug, Serialize)]
pub struct Verification {
    ok: bool,
    code: Code,
    message: String,
}

/// Tries the profile's key against its service: a read of a dossier that cannot exist answers 404
/// to a valid key, 401 to a wrong or revoked one, 403 from an IP outside the key's allow-list.
pub async fn verify(state: &Desk, id: &str) -> Result<Verification, UiError> {
    crate::roles::require_admin(state).await?;
    require_profile(state, id).await?;
    let profile = state
        .store
        .profiles()
        .await
        .map_err(store_error)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| UiError::new(Code::ProfileNotFound, "Profilo non trovato."))?;
    let client = client_with(state, &profile)?;
    let outcome = client.dossiers().get("01FIRMADESKKEYCHECK0000000").await;
    Ok(match outcome {
        Ok(_) => ok_verification(),
        Err(e) => match e.kind {
            iosign::ApiErrorKind::NotFound | iosign::ApiErrorKind::Validation => ok_verification(),
            iosign::ApiErrorKind::Unauthorized => Verification {
                ok: false,
                code: Code::ProfileKeyRejected,
                message: "Chiave API non valida o revocata (errore 401): copiarla di nuovo dal portale di Firma con IO o chiederne una nuova.".into(),
            },
            iosign::ApiErrorKind::Forbidden => Verification {
                ok: false,
                code: Code::ProfileIpForbidden,
                message: "Accesso negato (errore 403): l'indirizzo IP di questa postazione non è tra quelli autorizzati per la chiave. Chiedere all'amministratore di aggiungerlo nel portale di Firma con IO.".into(),
            },
            iosign::ApiErrorKind::RateLimited { retry_after } => Verification {
                ok: false,
                code: Code::ProfileRateLimited,
                message: format!(
                    "Troppe richieste al servizio (errore 429): riprovare tra {} secondi.",
                    retry_after.map(|d| d.as_secs().max(1)).unwrap_or(5)
                ),
            },
            _ => Verification {
                ok: false,
                code: Code::ProfileUnreachable,
                message: "Servizio Firma con IO non raggiungibile: controllare la connessione e l'indirizzo del servizio.".into(),
            },
        },
    })
}

fn ok_verification() -> Verification {
    Verification {
        ok: true,
        code: Code::ProfileOk,
        message: "Chiave API valida: il servizio Firma con IO risponde.".into(),
    }
}

/// Removes a profile that never sent anything, and its key.
pub async fn delete(state: &Desk, engine: &Engine, id: &str) -> Result<Vec<ProfileView>, UiError> {
    crate::roles::require_admin(state).await?;
    if id == SANDBOX_PROFILE {
        return Err(UiError::new(
            Code::ProfileBuiltin,
            "Il profilo di prova non si elimina.",
        ));
    }
    require_profile(state, id).await?;
    state.store.delete_profile(id).await.map_err(|e| match e.kind {
        firmadesk_store::ErrorKind::Invalid => UiError::new(
            Code::ProfileInUse,
            "Il profilo ha richieste di firma nell'archivio locale: non può essere eliminato.",
        ),
        _ => store_error(e),
    })?;
    state
        .secrets
        .delete(SERVICE, &api_key_account(id))
        .map_err(keyring_error)?;
    if active_profile(state) == id {
        {
            let mut current = state.settings.lock().expect("settings lock");
            current.active_profile = None;
            let _ = settings::save(&state.data_dir, &current);
        }
        // Back to Modalità prova, which now needs its sandbox.
        crate::sandbox::start_profile(state, engine).await?;
    }
    views(state).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, protected, session, test_desk as test_state};

    fn form(id: &str, base_url: &str) -> ProfileForm {
        ProfileForm {
            id: Some(id.into()),
            name: "Ufficio contratti".into(),
            environment: Environment::Test,
            base_url: Some(base_url.into()),
            support_email: None,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_scopes: None,
            testers: None,
        }
    }

    const KEY: &str = "chiave-api-di-prova-0001";

    /// The support email reaches IO with every new dossier: one IO would refuse is refused here, before the key
    /// or anything else is kept; so is a tester code that is not valid.
    #[tokio::test]
    async fn a_bad_support_email_or_tester_is_refused_before_anything_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        for bad in ["ufficio@comune", "ufficio comune@example.it", "@comune.example.it"] {
            let err = save(
                &state,
                ProfileForm {
                    support_email: Some(bad.into()),
                    ..form("p-1", "https://api.io.pagopa.it/api/v1/sign")
                },
                Some(KEY.into()),
            )
            .await
            .unwrap_err();
            assert_eq!(err.code, Code::ProfileInvalidEmail, "{bad}");
        }
        let err = save(
            &state,
            ProfileForm {
                testers: Some("RSSMRA80A01H501X".into()),
                ..form("p-1", "https://api.io.pagopa.it/api/v1/sign")
            },
            Some(KEY.into()),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, Code::ProfileInvalidTester);
        assert_eq!(
            state.secrets.get(SERVICE, &api_key_account("p-1")).unwrap(),
            None,
            "no key kept"
        );
        assert!(!state.store.profiles().await.unwrap().iter().any(|p| p.id == "p-1"));
        let saved = save(
            &state,
            ProfileForm {
                support_email: Some(" protocollo@comune.example.it ".into()),
                ..form("p-1", "https://api.io.pagopa.it/api/v1/sign")
            },
            Some(KEY.into()),
        )
        .await
        .unwrap();
        assert_eq!(saved.support_email.as_deref(), Some("protocollo@comune.example.it"));
    }

    /// Issue #10 item 2: the stored key is bound to the address it was entered for.
    #[tokio::test]
    async fn stored_key_is_not_sent_to_a_new_address() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        let old = "https://api.io.pagopa.it/api/v1/sign";
        save(&state, form("p-1", old), Some(KEY.into())).await.unwrap();
        let err = save(&state, form("p-1", "https://attaccante.example.org/api"), None)
            .await
            .unwrap_err();
        assert_eq!(err.code, "profile.key_for_new_url");
        // Nothing changed: the client still goes to the old address with the old key.
        let profile = state
            .store
            .profiles()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.id == "p-1")
            .unwrap();
        assert_eq!(profile.base_url, old);
        assert_eq!(
            client_for(&state, "p-1")
                .await
                .unwrap()
                .base_url()
                .as_str()
                .trim_end_matches('/'),
            old
        );
        // With the key entered again for the new address, it is saved.
        let new = "https://collaudo.example.org/api/v1/sign";
        save(&state, form("p-1", new), Some("altra-chiave-api-0002".into()))
            .await
            .unwrap();
        let key = state.secrets.get(SERVICE, &api_key_account("p-1")).unwrap().unwrap();
        assert_eq!(key.expose(), "altra-chiave-api-0002");
        // Same address, no key: the stored one stays.
        save(&state, form("p-1", new), None).await.unwrap();
        assert_eq!(key_action(None, new, true).unwrap(), KeyAction::Store);
    }

    /// Issue #10 item 2: a protected profile's settings change only with its login.
    #[tokio::test]
    async fn protected_profile_settings_need_its_login() {
        let tmp = tempfile::tempdir().unwrap();
        let state = test_state(tmp.path(), clock());
        protected(&state, "ufficio").await;
        let url = "https://api.io.pagopa.it/api/v1/sign";
        assert_eq!(
            save(&state, form("ufficio", url), Some(KEY.into()))
                .await
                .unwrap_err()
                .code,
            "auth.login_required"
        );
        state.auth.begin("ufficio", session());
        save(&state, form("ufficio", url), Some(KEY.into())).await.unwrap();
    }

    #[test]
    fn base_urls_must_be_https_or_loopback() {
        assert!(check_base_url("https://api.io.pagopa.it/api/v1/sign").is_ok());
        assert!(check_base_url("http://127.0.0.1:7071/api/v1/sign").is_ok());
        assert!(check_base_url("http://example.org/api").is_err());
        assert!(check_base_url("ftp://example.org").is_err());
        assert!(check_base_url("https://").is_err());
        assert!(check_base_url("https:// spazio").is_err());
        assert!(check_base_url("http://localhost:7071/api/v1/sign").is_ok());
        assert!(check_base_url("http://[::1]:7071/api/v1/sign").is_ok());
    }

    /// A host that merely starts like the loopback is another machine: the key must not go there in
    /// clear (the old prefix check accepted these).
    #[test]
    fn plain_http_to_a_host_that_only_looks_local_is_refused() {
        for url in [
            "http://127.0.0.1.example.org/api/v1/sign",
            "http://localhost.example.org/api/v1/sign",
            "http://127.0.0.1@example.org/api/v1/sign",
            "http://localhost:80@example.org/api",
        ] {
            assert!(check_base_url(url).is_err(), "{url}");
        }
    }
}
