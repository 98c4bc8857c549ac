//! "Invia al protocollo" (issue #14): the hand-off package of a signed request e-mailed to the body's protocol
//! mailbox (many protocol systems register what arrives on their PEC or e-mail address), through the body's
//! SMTP/PEC server with lettre, TLS always on (STARTTLS or TLS from the first byte), the login's password in
//! the OS keyring.
//!
//! The mailbox is set per profile (Impostazioni, administrators only) and kept in this desk's settings; a
//! message waits in `<data dir>/posta-protocollo/` (the package as `<id>.zip` beside its `<id>.json`) until the
//! server takes it, and is tried again with a growing pause (1, 5, 15 minutes, then every hour) across restarts.
//! The request's timeline says when it was queued, the first failure and when it was delivered. With
//! "automatico", each request of the profile is queued as soon as it is signed and archived.

use crate::session::{actor, require_request};
use crate::{store_error, Code, Desk, UiError};
use firmadesk_auth::Secret;
use firmadesk_store::LocalId;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// The queue's folder inside the data directory.
pub const QUEUE_DIR: &str = "posta-protocollo";

/// How the connection is secured (never in clear).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// STARTTLS, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465, the usual PEC setting).
    Tls,
}

/// A profile's protocol mailbox (no password: that is in the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// The SMTP/PEC server.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// STARTTLS or TLS.
    pub security: Security,
    /// The login.
    pub username: String,
    /// The sender (the body's mailbox).
    pub from: String,
    /// The protocol mailbox.
    pub to: String,
    /// The body's own certificate authority (PEM file), trusted besides the system's.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Each request is queued as soon as it is signed and archived.
    #[serde(default)]
    pub automatic: bool,
}

/// The form of Impostazioni › Casella del protocollo.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MailForm {
    /// Server.
    pub host: String,
    /// Port (`None`: 587 for STARTTLS, 465 for TLS).
    pub port: Option<u16>,
    /// STARTTLS or TLS.
    pub security: Security,
    /// Login.
    pub username: String,
    /// Sender.
    pub from: String,
    /// Protocol mailbox.
    pub to: String,
    /// CA file, if any.
    pub ca_file: Option<String>,
    /// Automatic.
    pub automatic: bool,
}

/// What Impostazioni shows of a profile's mailbox.
#[derive(Debug, Clone, Serialize)]
pub struct MailView {
    /// The settings, if the mailbox is set.
    pub settings: Option<MailSettings>,
    /// A password is in the keyring.
    pub password_saved: bool,
}

/// A message waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    /// Its id (the file names).
    pub id: String,
    /// The request.
    pub request_id: LocalId,
    /// The request's profile (whose mailbox sends it).
    pub profile_id: String,
    /// The protocol mailbox.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The attachment's name.
    pub file_name: String,
    /// Who queued it.
    pub queued_by: String,
    /// When (ms).
    pub queued_at: i64,
    /// Attempts so far.
    pub attempts: u32,
    /// The next attempt (ms).
    pub next_attempt_at: i64,
    /// Why the last attempt failed, in Italian.
    pub last_error: Option<String>,
}

fn account(profile_id: &str) -> String {
    format!("protocol-mail:{profile_id}")
}

/// A profile's mailbox, if set.
pub fn settings_of(desk: &Desk, profile_id: &str) -> Option<MailSettings> {
    desk.settings
        .lock()
        .expect("settings lock")
        .protocol_mail
        .get(profile_id)
        .cloned()
}

/// Impostazioni: a profile's mailbox.
pub fn view(desk: &Desk, profile_id: &str) -> Result<MailView, UiError> {
    Ok(MailView {
        settings: settings_of(desk, profile_id),
        password_saved: desk
            .secrets
            .get(firmadesk_auth::SERVICE, &account(profile_id))
            .map_err(crate::profiles::keyring_error)?
            .is_some(),
    })
}

fn invalid(field: &str, what: &str) -> UiError {
    UiError::new(
        Code::MailInvalidSettings,
        format!("Casella del protocollo: {what} («{field}»)."),
    )
}

/// The form checked: a server name, the addresses as addresses, a login.
fn settings_from(form: &MailForm) -> Result<MailSettings, UiError> {
    let host = form.host.trim();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
        return Err(invalid(
            "Server",
            "indicare il nome del server di posta, ad esempio smtps.pec.example.it",
        ));
    }
    let address = |value: &str, field: &str| -> Result<String, UiError> {
        let value = value.trim();
        value
            .parse::<lettre::message::Mailbox>()
            .map(|_| value.to_owned())
            .map_err(|_| invalid(field, "indirizzo di posta non valido"))
    };
    let username = form.username.trim();
    if username.is_empty() {
        return Err(invalid("Utente", "indicare l'utente del server di posta"));
    }
    Ok(MailSettings {
        host: host.to_owned(),
        port: form.port.filter(|p| *p > 0).unwrap_or(match form.security {
            Security::Starttls => 587,
            Security::Tls => 465,
        }),
        security: form.security,
        username: username.to_owned(),
        from: address(&form.from, "Mittente")?,
        to: address(&form.to, "Casella del protocollo")?,
        ca_file: crate::settings::typed_path(form.ca_file.as_deref()),
        automatic: form.automatic,
    })
}

/// Impostazioni: sets a profile's mailbox (administrators only); the password, when typed, goes to the
/// keyring, and one must be there.
pub async fn save(
    desk: &Desk,
    profile_id: &str,
    form: MailForm,
    password: Option<String>,
) -> Result<MailView, UiError> {
    crate::roles::require_admin(desk).await?;
    let settings = settings_from(&form)?;
    if let Some(file) = &settings.ca_file {
        std::fs::read(file).map_err(|e| {
            UiError::new(
                Code::MailInvalidSettings,
                "Impossibile leggere il file del certificato dell'autorità: verificare il percorso.",
            )
            .with_detail(format!("{}: {e}", file.display()))
        })?;
    }
    match password.filter(|p| !p.is_empty()) {
        Some(p) => desk
            .secrets
            .set(firmadesk_auth::SERVICE, &account(profile_id), &Secret::new(p))
            .map_err(crate::profiles::keyring_error)?,
        None if !view(desk, profile_id)?.password_saved => {
            return Err(invalid("Password", "indicare la password del server di posta"));
        }
        None => {}
    }
    let key = profile_id.to_owned();
    crate::save_settings(desk, move |s| {
        s.protocol_mail.insert(key, settings);
    })?;
    view(desk, profile_id)
}

/// Impostazioni: removes a profile's mailbox and its password (administrators only). Messages still queued
/// stay queued and are sent if a mailbox is set again.
pub async fn remove(desk: &Desk, profile_id: &str) -> Result<(), UiError> {
    crate::roles::require_admin(desk).await?;
    let key = profile_id.to_owned();
    crate::save_settings(desk, move |s| {
        s.protocol_mail.remove(&key);
    })?;
    desk.secrets
        .delete(firmadesk_auth::SERVICE, &account(profile_id))
        .map_err(crate::profiles::keyring_error)
}

// ---- the queue ----

fn queue_dir(desk: &Desk) -> PathBuf {
    desk.data_dir.join(QUEUE_DIR)
}

/// Every queued message, oldest first (one whose JSON cannot be read is left where it is, and logged).
pub fn queued(desk: &Desk) -> Vec<Queued> {
    let Ok(entries) = std::fs::read_dir(queue_dir(desk)) else {
        return Vec::new();
    };
    let mut out: Vec<Queued> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| {
            let read = std::fs::read(&p)
                .ok()
                .and_then(|b| serde_json::from_slice::<Queued>(&b).ok());
            if read.is_none() {
                tracing::warn!(target: "firmadesk_desk", path = %p.display(), "unreadable protocol mail entry left aside");
            }
            read
        })
        .collect();
    out.sort_by(|a, b| (a.queued_at, &a.id).cmp(&(b.queued_at, &b.id)));
    out
}

/// Writes `q`'s JSON atomically (a crash leaves the old one or the new one).
fn write_entry(desk: &Desk, q: &Queued) -> Result<(), UiError> {
    let path = queue_dir(desk).join(format!("{}.json", q.id));
    let bytes = serde_json::to_vec_pretty(q).map_err(crate::archive::write_failed)?;
    crate::private::write_file(&path, &bytes).map_err(crate::archive::write_failed)
}

async fn timeline(desk: &Desk, q: &Queued, actor: &str, code: &str, args: &[(&str, &str)]) -> Result<(), UiError> {
    let event = crate::wording::entry(&q.request_id, desk.now_ms(), actor, code, args);
    desk.store.add_event(&event).await.map_err(store_error)
}

/// "Invia al protocollo": queues the package of signed request `id` for its profile's protocol mailbox (the
/// one already queued, if there is one) and wakes the sender.
pub async fn send_to_protocol(desk: &Desk, id: &LocalId) -> Result<Queued, UiError> {
    let request = crate::requests::find_request(desk, id).await?;
    require_request(desk, &request).await?;
    queue(desk, id, &actor(desk, &request.profile_id)).await
}

/// [`send_to_protocol`] without the login gate (the automatic queueing after archiving), as `who`.
async fn queue(desk: &Desk, id: &LocalId, who: &str) -> Result<Queued, UiError> {
    if let Some(waiting) = queued(desk).into_iter().find(|q| &q.request_id == id) {
        return Ok(waiting);
    }
    let parts = crate::handoff::parts_of(desk, id).await?;
    let Some(mail) = settings_of(desk, &parts.request.profile_id) else {
        return Err(UiError::new(
            Code::MailNotConfigured,
            "La casella del protocollo non è impostata per questo profilo: un amministratore la imposta in Impostazioni.",
        ));
    };
    let file_name = format!("{}.zip", crate::handoff::package_stem(&parts));
    let profile_id = parts.request.profile_id.clone();
    let number = parts
        .protocol
        .as_ref()
        .map(|p| p.number.trim().to_owned())
        .filter(|n| !n.is_empty());
    let subject = match &number {
        Some(n) => format!(
            "Documento firmato con Firma con IO – Prot. {n} – {}",
            parts.request.title
        ),
        None => format!("Documento firmato con Firma con IO – {}", parts.request.title),
    };
    let zip = tokio::task::spawn_blocking(move || {
        crate::handoff::package_files(&parts)
            .map_err(crate::archive::write_failed)
            .and_then(|files| crate::handoff::zip_bytes(&files))
    })
    .await
    .map_err(crate::archive::write_failed)??;
    let now = desk.now_ms();
    let q = Queued {
        id: ulid::Ulid::new().to_string(),
        request_id: id.clone(),
        profile_id,
        to: mail.to.clone(),
        subject,
        file_name,
        queued_by: who.to_owned(),
        queued_at: now,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
    };
    let dir = queue_dir(desk);
    crate::private::create_dir(&dir).map_err(crate::archive::write_failed)?;
    // The package first: an entry is never without its attachment.
    crate::private::write_file(&dir.join(format!("{}.zip", q.id)), &zip).map_err(crate::archive::write_failed)?;
    write_entry(desk, &q)?;
    timeline(desk, &q, who, "mail_queued", &[("to", &q.to)]).await?;
    desk.mail_wake.notify_one();
    Ok(q)
}

/// The pause after the `attempts`-th failure: 1, 5, 15 minutes, then an hour.
pub fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(match attempts {
        0 | 1 => 60,
        2 => 5 * 60,
        3 => 15 * 60,
        _ => 60 * 60,
    })
}

/// Why sending failed, in Italian, saying what to check.
/// The clerk's words for a failure (`what`, in Italian); the error itself, in English, goes to the log.
fn told(what: &str, error: impl std::fmt::Display) -> String {
    tracing::warn!(target: "firmadesk_desk", error = %error, "protocol mail: {what}");
    what.to_owned()
}

/// The clerk's words for an SMTP failure (the error itself is logged where it happens).
fn failure_text(e: &lettre::transport::smtp::Error) -> String {
    // A refused certificate comes back from the handshake as an I/O error carrying rustls' error.
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut certificate = false;
    while let Some(s) = source {
        certificate |= format!("{s:?}").contains("InvalidCertificate");
        source = s.source();
    }
    if e.is_tls() || certificate {
        "connessione sicura (TLS) non riuscita: verificare il nome del server e il suo certificato (o il file dell'autorità in Impostazioni)".into()
    } else if e.is_permanent() {
        "il server di posta ha rifiutato il messaggio o le credenziali: verificare utente e password in Impostazioni"
            .into()
    } else if e.is_timeout() {
        "il server di posta non ha risposto in tempo".into()
    } else if e.is_transient() {
        "il server di posta non accetta il messaggio per ora".into()
    } else {
        "server di posta non raggiungibile: verificare la connessione, il nome del server e la porta".into()
    }
}

/// The message of `q` with its attachment.
fn message(q: &Queued, mail: &MailSettings, zip: Vec<u8>) -> Result<lettre::Message, String> {
    use lettre::message::{header::ContentType, Attachment, MultiPart, SinglePart};
    let body = format!(
        "In allegato il pacchetto per la conservazione del documento firmato con Firma con IO:\n\n\
         {subject}\n\nIl file ZIP contiene il PDF firmato così come scaricato, i metadati (metadati.xml, \
         metadati.json), la verifica della firma, il registro delle attività e manifest-sha256.txt con \
         l'impronta SHA-256 di ogni file.\n\nInviato da FirmaDesk.\n",
        subject = q.subject
    );
    lettre::Message::builder()
        .from(
            mail.from
                .parse()
                .map_err(|e| told("mittente non valido: correggerlo in Impostazioni", e))?,
        )
        .to(q
            .to
            .parse()
            .map_err(|e| told("destinatario non valido: correggerlo in Impostazioni", e))?)
        .subject(q.subject.clone())
        .multipart(MultiPart::mixed().singlepart(SinglePart::plain(body)).singlepart(
            Attachment::new(q.file_name.clone()).body(
                zip,
                ContentType::parse("application/zip").map_err(|e| told("messaggio non valido", e))?,
            ),
        ))
        .map_err(|e| told("messaggio non valido", e))
}

/// Sends `q` with `mail`'s server and `password`.
async fn deliver(q: &Queued, mail: &MailSettings, password: &str, zip: Vec<u8>) -> Result<(), String> {
    use lettre::transport::smtp::{
        authentication::Credentials,
        client::{Certificate, Tls, TlsParameters},
    };
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
    let mut tls = TlsParameters::builder(mail.host.clone());
    if let Some(file) = &mail.ca_file {
        let pem = std::fs::read(file)
            .map_err(|e| told(&format!("file dell'autorità illeggibile ({})", file.display()), e))?;
        tls = tls
            .add_root_certificate(Certificate::from_pem(&pem).map_err(|e| told("file dell'autorità non valido", e))?);
    }
    let tls = tls.build_rustls().map_err(|e| {
        told(
            "connessione sicura (TLS) non preparata: verificare il file dell'autorità in Impostazioni",
            e,
        )
    })?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(mail.host.clone())
        .port(mail.port)
        .tls(match mail.security {
            Security::Starttls => Tls::Required(tls),
            Security::Tls => Tls::Wrapper(tls),
        })
        .credentials(Credentials::new(mail.username.clone(), password.to_owned()))
        .timeout(Some(Duration::from_secs(60)))
        .build();
    let message = message(q, mail, zip)?;
    transport.send(message).await.map(drop).map_err(|e| {
        tracing::warn!(target: "firmadesk_desk", error = ?e, "SMTP error");
        failure_text(&e)
    })
}

/// One pass: tries every message that is due; returns how many were delivered.
pub async fn run_due(desk: &Desk) -> usize {
    let mut delivered = 0;
    for mut q in queued(desk) {
        let now = desk.now_ms();
        if q.next_attempt_at > now {
            continue;
        }
        let zip_path = queue_dir(desk).join(format!("{}.zip", q.id));
        let outcome = match (settings_of(desk, &q.profile_id), std::fs::read(&zip_path)) {
            (_, Err(e)) => Err(told("pacchetto non trovato nella coda", e)),
            (None, _) => Err("la casella del protocollo non è più impostata per questo profilo".to_owned()),
            (Some(mail), Ok(zip)) => {
                let password = desk
                    .secrets
                    .get(firmadesk_auth::SERVICE, &account(&q.profile_id))
                    .map_err(|e| told("portachiavi non disponibile: sbloccarlo, poi FirmaDesk riprova", e))
                    .and_then(|p| p.ok_or_else(|| "password del server di posta assente".to_owned()));
                match password {
                    Ok(p) => deliver(&q, &mail, p.expose(), zip).await,
                    Err(e) => Err(e),
                }
            }
        };
        match outcome {
            Ok(()) => {
                tracing::info!(target: "firmadesk_desk", request_id = %q.request_id, attempts = q.attempts + 1, "package sent to the protocol mailbox");
                if let Err(e) = timeline(
                    desk,
                    &q,
                    "firmadesk",
                    "mail_sent",
                    &[("to", &q.to), ("file", &q.file_name)],
                )
                .await
                {
                    tracing::warn!(target: "firmadesk_desk", code = %e.code, "timeline entry of a sent package not written");
                }
                let _ = std::fs::remove_file(queue_dir(desk).join(format!("{}.json", q.id)));
                let _ = std::fs::remove_file(&zip_path);
                delivered += 1;
            }
            Err(reason) => {
                q.attempts += 1;
                q.next_attempt_at = now + i64::try_from(backoff(q.attempts).as_millis()).unwrap_or(i64::MAX);
                tracing::warn!(target: "firmadesk_desk", request_id = %q.request_id, attempts = q.attempts, reason = %reason, "protocol mail not sent");
                let first = q.attempts == 1;
                q.last_error = Some(reason.clone());
                if let Err(e) = write_entry(desk, &q) {
                    tracing::warn!(target: "firmadesk_desk", code = %e.code, "protocol mail entry not updated");
                }
                if first {
                    let _ = timeline(desk, &q, "firmadesk", "mail_failed", &[("reason", &reason)]).await;
                }
            }
        }
    }
    delivered
}

/// The sender: tries what is due, wakes when a message is queued, when a request of a profile with an
/// automatic mailbox is archived (queued once it is signed), and at the next due attempt (a minute at most).
/// Returns when the engine stops.
pub async fn run(desk: &Desk, engine: &firmadesk_engine::Engine) {
    let mut events = engine.subscribe();
    let mut archived: Vec<LocalId> = Vec::new();
    loop {
        // Requests archived on automatic profiles: queued once the pass that archived them saved them signed.
        let mut still = Vec::new();
        for id in archived.drain(..) {
            let Ok(Some(request)) = desk.store.request(&id).await else {
                continue;
            };
            if !settings_of(desk, &request.profile_id).is_some_and(|m| m.automatic) {
                continue;
            }
            match queue(desk, &id, "firmadesk").await {
                Ok(_) => {}
                Err(e) if e.code == Code::ArchiveNotArchived => still.push(id),
                Err(e) => {
                    tracing::warn!(target: "firmadesk_desk", request_id = %id, code = %e.code, "automatic protocol mail not queued");
                }
            }
        }
        archived = still;
        run_due(desk).await;
        let next = queued(desk).iter().map(|q| q.next_attempt_at).min();
        let pause = next.map_or(Duration::from_secs(60), |at| {
            Duration::from_millis(u64::try_from(at - desk.now_ms()).unwrap_or(0)).min(Duration::from_secs(60))
        });
        tokio::select! {
            () = desk.mail_wake.notified() => {}
            event = events.recv() => match event {
                Ok(firmadesk_engine::EngineEvent::Archived { local_id, .. }) if !archived.contains(&local_id) => {
                    archived.push(local_id);
                }
                // The engine stopped (the app quits): nothing more will come.
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                _ => {}
            },
            () = tokio::time::sleep(pause.max(Duration::from_millis(500))) => {}
        }
    }
}

/// The queued message of a request, if any (the detail shows it).
pub fn queued_for(desk: &Desk, id: &LocalId) -> Option<Queued> {
    queued(desk).into_iter().find(|q| &q.request_id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_needs_a_server_real_addresses_and_a_login_and_ports_follow_the_security() {
        let form = MailForm {
            host: " smtps.pec.example.it ".into(),
            security: Security::Tls,
            username: "protocollo".into(),
            from: "firmadesk@comune.example.it".into(),
            to: "Protocollo <protocollo@pec.comune.example.it>".into(),
            ..Default::default()
        };
        let ok = settings_from(&form).unwrap();
        assert_eq!((ok.host.as_str(), ok.port), ("smtps.pec.example.it", 465));
        let starttls = settings_from(&MailForm {
            security: Security::Starttls,
            ..form.clone()
        })
        .unwrap();
        assert_eq!(starttls.port, 587);
        let chosen = settings_from(&MailForm {
            port: Some(2525),
            ..form.clone()
        })
        .unwrap();
        assert_eq!(chosen.port, 2525);
        for bad in [
            MailForm {
                host: "smtp example".into(),
                ..form.clone()
            },
            MailForm {
                to: "protocollo at comune".into(),
                ..form.clone()
            },
            MailForm {
                from: String::new(),
                ..form.clone()
            },
            MailForm {
                username: " ".into(),
                ..form.clone()
            },
        ] {
            assert_eq!(
                settings_from(&bad).unwrap_err().code,
                Code::MailInvalidSettings,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn failures_wait_longer_and_longer_up_to_an_hour() {
        let pauses: Vec<u64> = (1..=6).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(pauses, [60, 300, 900, 3600, 3600, 3600]);
    }
}
