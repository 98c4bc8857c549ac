//! Where the worker's secrets come from: files in a folder only the service can read (systemd's
//! `LoadCredential=` puts them in `$CREDENTIALS_DIRECTORY`), or the OS keyring of the user running it
//! (a clerk's machine doubling as the worker). Never the command line, never the environment's values.

use crate::WorkerError;
use firmadesk_auth::{api_key_account, KeyringStore, Secret, SecretStore, SERVICE, TEAM_DATABASE_PASSWORD};
use std::path::{Path, PathBuf};

/// Where the API keys (and, by default, the database password) are read.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// One file per secret in this folder: `iosign-<profile id>`, `database-password`.
    Dir(PathBuf),
    /// The OS keyring, under the same entries a desk uses.
    Keyring,
}

/// File name of a profile's API key in a [`KeySource::Dir`].
pub fn key_file_name(profile_id: &str) -> String {
    format!("iosign-{profile_id}")
}

/// File name of the database password in a [`KeySource::Dir`].
pub const DATABASE_PASSWORD_FILE: &str = "database-password";

impl KeySource {
    /// `--keys-dir`, else `$CREDENTIALS_DIRECTORY`, else the OS keyring.
    pub fn from_options(keys_dir: Option<&Path>) -> Self {
        keys_dir
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("CREDENTIALS_DIRECTORY").map(PathBuf::from))
            .map_or(KeySource::Keyring, KeySource::Dir)
    }

    /// For the log: where the keys come from (a folder's path, never a secret).
    pub fn describe(&self) -> String {
        match self {
            KeySource::Dir(dir) => dir.display().to_string(),
            KeySource::Keyring => "OS keyring".into(),
        }
    }

    /// A profile's API key, if this worker was given one.
    pub fn api_key(&self, profile_id: &str) -> Result<Option<Secret>, WorkerError> {
        // A profile id names a file: only the characters FirmaDesk's ids use.
        if profile_id.is_empty()
            || !profile_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(WorkerError::Config(format!(
                "Il profilo «{profile_id}» ha un identificativo che non può indicare un file di chiave."
            )));
        }
        match self {
            KeySource::Dir(dir) => read_secret(&dir.join(key_file_name(profile_id))),
            KeySource::Keyring => KeyringStore::new()
                .get(SERVICE, &api_key_account(profile_id))
                .map_err(|e| WorkerError::Config(e.to_string())),
        }
    }

    /// The database password: `explicit` file, else the folder's `database-password`, else (keyring) the
    /// team database's entry. `None`: the server asks for none (e.g. a certificate or peer login).
    pub fn database_password(&self, explicit: Option<&Path>) -> Result<Option<String>, WorkerError> {
        let secret = match (explicit, self) {
            (Some(file), _) => Some(read_secret(file)?.ok_or_else(|| {
                WorkerError::Config(format!("Il file della password {} non esiste.", file.display()))
            })?),
            (None, KeySource::Dir(dir)) => read_secret(&dir.join(DATABASE_PASSWORD_FILE))?,
            (None, KeySource::Keyring) => KeyringStore::new()
                .get(SERVICE, TEAM_DATABASE_PASSWORD)
                .map_err(|e| WorkerError::Config(e.to_string()))?,
        };
        Ok(secret.map(|s| s.expose().to_owned()))
    }
}

/// Reads a secret file (one line; the trailing newline an editor adds is not part of it). Missing: `None`.
/// On Unix a file others can read is refused: a key readable by every user of the server is leaked.
fn read_secret(path: &Path) -> Result<Option<Secret>, WorkerError> {
    let unreadable =
        |e: std::io::Error| WorkerError::Config(format!("Impossibile leggere il file segreto {}: {e}", path.display()));
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(WorkerError::Config(format!(
                "Il file segreto {} è leggibile da altri utenti: renderlo leggibile solo dal servizio (chmod 600).",
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    let value = text.trim_end_matches(['\r', '\n']);
    if value.is_empty() {
        return Err(WorkerError::Config(format!(
            "Il file segreto {} è vuoto.",
            path.display()
        )));
    }
    Ok(Some(Secret::new(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    use firmadesk_testkit::private_file as write_private;

    #[test]
    fn keys_come_from_owner_only_files_named_by_profile() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeySource::Dir(dir.path().to_path_buf());
        write_private(&dir.path().join("iosign-p-01abc"), "chiave-segreta\n");
        assert_eq!(keys.api_key("p-01abc").unwrap().unwrap().expose(), "chiave-segreta");
        assert!(keys.api_key("p-other").unwrap().is_none(), "no file: no key");
        assert!(matches!(keys.api_key("../etc/passwd"), Err(WorkerError::Config(_))));
        write_private(&dir.path().join("iosign-empty"), "\n");
        assert!(matches!(keys.api_key("empty"), Err(WorkerError::Config(_))));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("iosign-p1");
        std::fs::write(&file, "chiave").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = KeySource::Dir(dir.path().to_path_buf()).api_key("p1").unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }

    #[test]
    fn the_database_password_file_is_explicit_or_in_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeySource::Dir(dir.path().to_path_buf());
        assert_eq!(keys.database_password(None).unwrap(), None);
        write_private(&dir.path().join(DATABASE_PASSWORD_FILE), "pw-cartella\n");
        assert_eq!(keys.database_password(None).unwrap().as_deref(), Some("pw-cartella"));
        let explicit = dir.path().join("altro");
        write_private(&explicit, "pw-esplicita");
        assert_eq!(
            keys.database_password(Some(&explicit)).unwrap().as_deref(),
            Some("pw-esplicita")
        );
        assert!(keys.database_password(Some(&dir.path().join("manca"))).is_err());
    }
}

/// The shipped systemd unit stays true to the worker: every variable it sets is one the worker reads,
/// and the credentials it loads have the names the worker looks for.
#[cfg(test)]
mod unit_file {
    use clap::CommandFactory;

    const UNIT: &str = include_str!("../../../packaging/systemd/firmadesk-worker.service");

    #[test]
    fn the_systemd_unit_sets_only_what_the_worker_reads() {
        let command = crate::Options::command();
        let read: Vec<String> = command
            .get_arguments()
            .filter_map(|a| a.get_env().map(|e| e.to_string_lossy().into_owned()))
            .collect();
        let mut set = 0;
        for line in UNIT.lines().map(|l| l.trim_start_matches('#').trim()) {
            if let Some(assignment) = line.strip_prefix("Environment=") {
                let name = assignment.split('=').next().unwrap();
                assert!(
                    read.iter().any(|r| r == name),
                    "the unit sets {name}, which the worker ignores"
                );
                set += 1;
            }
            if let Some(credential) = line.strip_prefix("LoadCredential=") {
                let name = credential.split(':').next().unwrap();
                assert!(
                    name == super::DATABASE_PASSWORD_FILE || name == super::key_file_name("PROFILE_ID"),
                    "the unit loads {name}, a credential the worker never reads"
                );
            }
        }
        assert!(set >= 1, "the unit names the database");
        assert!(
            UNIT.contains("RestartPreventExitStatus=2"),
            "settings errors exit 2 (see WorkerError::exit_code)"
        );
    }
}
