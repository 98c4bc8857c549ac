//! Where FirmaDesk keeps its data.
//!
//! One data directory per OS user (`~/.local/share/FirmaDesk`, `~/Library/Application Support/FirmaDesk`,
//! `%APPDATA%\FirmaDesk`), overridable with `--data-dir DIR` or `FIRMADESK_DATA_DIR` so that every test runs
//! on a fresh directory and never touches a clerk's real profile.

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "FIRMADESK_DATA_DIR";

/// Picks the data directory: the `--data-dir` argument wins, then the environment, then the OS default.
pub fn resolve_data_dir(args: &[String], env_value: Option<String>, os_default: Option<PathBuf>) -> Option<PathBuf> {
    let from_args = args
        .windows(2)
        .find(|w| w[0] == "--data-dir")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--data-dir=").map(PathBuf::from))
        });
    from_args
        .or_else(|| env_value.filter(|v| !v.trim().is_empty()).map(PathBuf::from))
        .or_else(|| os_default.map(|d| d.join("FirmaDesk")))
}

/// The data directory of this process, created owner-only if missing, canonical.
pub fn data_dir_from_process() -> std::io::Result<PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    let dir = resolve_data_dir(&args, std::env::var(DATA_DIR_ENV).ok(), dirs::data_dir()).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no data directory: set FIRMADESK_DATA_DIR",
        )
    })?;
    crate::private::init_data_dir(&dir)
}

/// The log directory inside a data directory.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(std::string::ToString::to_string).collect()
    }

    #[test]
    fn argument_beats_environment_and_default() {
        let got = resolve_data_dir(
            &args(&["firmadesk", "--data-dir", "/tmp/a"]),
            Some("/tmp/b".into()),
            Some("/home/x/.local/share".into()),
        );
        assert_eq!(got, Some(PathBuf::from("/tmp/a")));
        let got = resolve_data_dir(&args(&["firmadesk", "--data-dir=/tmp/c"]), None, None);
        assert_eq!(got, Some(PathBuf::from("/tmp/c")));
    }

    #[test]
    fn environment_beats_default_and_blank_is_ignored() {
        let default = Some(PathBuf::from("/home/x/.local/share"));
        assert_eq!(
            resolve_data_dir(&args(&["firmadesk"]), Some("/tmp/b".into()), default.clone()),
            Some("/tmp/b".into())
        );
        assert_eq!(
            resolve_data_dir(&args(&["firmadesk"]), Some("  ".into()), default),
            Some(PathBuf::from("/home/x/.local/share/FirmaDesk"))
        );
        assert_eq!(resolve_data_dir(&args(&["firmadesk"]), None, None), None);
    }
}
