//! Clerk preferences that are not business data (language, archive folder, notifications...), kept as a small JSON file in the data
//! directory and written atomically so a crash never leaves half a file.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// UI languages FirmaDesk ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Italian, the default.
    #[default]
    It,
    /// English.
    En,
}

impl Locale {
    /// Parses a language tag from the UI (`"it"`, `"en"`).
    pub fn parse(tag: &str) -> Option<Self> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "it" => Some(Self::It),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

/// Persisted preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    /// UI language.
    pub locale: Locale,
    /// Folder of the archive of signed PDFs; `None` = `Archivio firmati` in the data directory.
    pub archive_dir: Option<PathBuf>,
    /// Profile new requests go to; `None` = the built-in sandbox.
    pub active_profile: Option<String>,
    /// The clerk turned desktop notifications off (they are on by default).
    pub notifications_off: bool,
    /// "Nascondi i nomi nelle notifiche": `None` = the default, hidden for login-protected profiles and
    /// shown for the others. Names of a protected profile are never shown without a valid login.
    pub hide_names: Option<bool>,
    /// Which kinds of notification are on, and the quiet hours (Impostazioni › Notifiche).
    pub notices: crate::notices::NoticePrefs,
    /// Modalità ufficio: the office's team database this desk works on (from its next start); `None` = the
    /// desk's own file. The password is in the OS keyring, never here.
    pub team: Option<TeamSettings>,
    /// "Invio da elenco": the columns last confirmed for each document type, by their titles (role →
    /// column title), offered again for the next list of that type whose titles are the same.
    pub bulk_columns: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// The clerk was told, the first time the window closed to the tray, that FirmaDesk keeps working there.
    pub told_keeps_working: bool,
    /// "Casella del protocollo" per profile id (issue #14): where signed requests' packages are e-mailed.
    /// The password is in the OS keyring, never here.
    pub protocol_mail: std::collections::BTreeMap<String, crate::mail::MailSettings>,
}

/// Where the office's team database is (see [`Settings::team`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSettings {
    /// `postgres://user@host:port/dbname`, without the password.
    pub url: String,
    /// TLS (on unless the database is on this computer and the clerk turned it off).
    #[serde(default = "yes")]
    pub tls: bool,
    /// The body's own certificate authority (PEM file), trusted besides the public roots.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

fn yes() -> bool {
    true
}

/// A file path typed in a form (a CA file), `None` when left blank.
pub(crate) fn typed_path(text: Option<&str>) -> Option<PathBuf> {
    text.map(str::trim).filter(|s| !s.is_empty()).map(PathBuf::from)
}

impl Settings {
    /// The archive folder in use.
    pub fn archive_dir(&self, data_dir: &Path) -> PathBuf {
        self.archive_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("Archivio firmati"))
    }
}

/// File name inside the data directory.
pub const FILE_NAME: &str = "settings.json";

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// Loads the settings; a missing file gives the defaults, an unreadable one is reported (and the defaults
/// are used by the caller) rather than silently overwritten.
pub fn load(data_dir: &Path) -> Result<Settings, String> {
    match std::fs::read(path(data_dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("{FILE_NAME} is not valid: {e}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
        Err(e) => Err(format!("cannot read {FILE_NAME}: {e}")),
    }
}

/// Saves the settings atomically (temp file, fsync, rename).
pub fn save(data_dir: &Path, settings: &Settings) -> std::io::Result<()> {
    crate::private::write_file(
        &path(data_dir),
        &serde_json::to_vec_pretty(settings).expect("settings serialize"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_italian_and_round_trip_keeps_english() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap().locale, Locale::It);
        save(
            dir.path(),
            &Settings {
                locale: Locale::En,
                ..Settings::default()
            },
        )
        .unwrap();
        assert_eq!(load(dir.path()).unwrap().locale, Locale::En);
        assert!(!dir.path().join("settings.json.tmp").exists());
    }

    #[test]
    fn corrupt_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        assert!(load(dir.path()).unwrap_err().contains("not valid"));
        assert_eq!(std::fs::read(dir.path().join(FILE_NAME)).unwrap(), b"{not json");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::parse(" EN "), Some(Locale::En));
        assert_eq!(Locale::parse("it"), Some(Locale::It));
        assert_eq!(Locale::parse("de"), None);
    }
}
