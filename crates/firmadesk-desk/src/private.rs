//! Owner-only files: the data folder holds citizens' names, fiscal codes and contracts.
//!
//! On unix every folder FirmaDesk creates is `0700` and every file it writes itself is `0600`, whatever the
//! umask; files other code creates inside (SQLite's `-wal`/`-shm`, which copy the database file's mode,
//! the log appender's files, the engine's archive) are unreachable for other users because their folder is
//! `0700`. On Windows the data folder lives in the user's `%APPDATA%`, whose inherited ACL already grants
//! access only to the user, SYSTEM and Administrators, so nothing is changed there (a folder the clerk
//! picks elsewhere keeps the ACL the clerk gave it).

use std::io;
use std::path::{Path, PathBuf};

/// Creates `dir` (and missing parents) and makes `dir` itself owner-only.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Makes an existing file owner-only (no-op when it does not exist).
pub fn restrict_file(file: &Path) -> io::Result<()> {
    match restrict(file, 0o600) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Writes a whole owner-only file so that a crash or a power cut leaves either the old content or the new
/// one: a temporary file beside it, flushed, renamed over it, and (on unix) the folder flushed too.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let mut file = create_file(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    #[cfg(unix)]
    if let Some(folder) = path.parent() {
        std::fs::File::open(folder)?.sync_all()?;
    }
    Ok(())
}

/// Creates (truncating) a file that only the owner can read, from the first byte on.
pub fn create_file(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    // `mode` applies only when the file is created; an older file keeps its mode otherwise.
    restrict(path, 0o600)?;
    Ok(file)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(windows)]
fn restrict(path: &Path, _mode: u32) -> io::Result<()> {
    // Per-user AppData ACLs are owner-only already (see the module docs).
    std::fs::metadata(path).map(|_| ())
}

#[cfg(not(any(unix, windows)))]
fn restrict(path: &Path, _mode: u32) -> io::Result<()> {
    std::fs::metadata(path).map(|_| ())
}

/// The folders of a data directory that hold citizens' data.
pub fn data_subdirs(data_dir: &Path) -> [PathBuf; 5] {
    [
        crate::paths::log_dir(data_dir),
        data_dir.join("documents"),
        data_dir.join("cache"),
        data_dir.join("cache").join("render"),
        data_dir.join("sandbox"),
    ]
}

/// Prepares a data directory: owner-only, its folders created owner-only, and the path canonical (the
/// single-instance key and every path derived from it then name one folder one way).
pub fn init_data_dir(dir: &Path) -> io::Result<PathBuf> {
    create_dir(dir)?;
    let dir = dir.canonicalize()?;
    for sub in data_subdirs(&dir) {
        create_dir(&sub)?;
    }
    // Files an older version left readable.
    for file in ["settings.json", "firmadesk.db", "firmadesk.db-wal", "firmadesk.db-shm"] {
        restrict_file(&dir.join(file))?;
    }
    Ok(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// Issue #10 item 9: the data folder, its folders, the settings, the database and SQLite's own files
    /// are owner-only, created through the app's own start-up path.
    #[test]
    fn data_folder_database_settings_and_logs_are_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        // A permissive parent and a pre-existing world-readable file, as a umask of 022 leaves them.
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let raw = tmp.path().join("FirmaDesk");
        std::fs::create_dir(&raw).unwrap();
        std::fs::set_permissions(&raw, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(raw.join("settings.json"), b"{}").unwrap();
        std::fs::set_permissions(raw.join("settings.json"), std::fs::Permissions::from_mode(0o644)).unwrap();

        let dir = init_data_dir(&raw).unwrap();
        let store = crate::store::open_store(&dir, "http://127.0.0.1:1/api/v1/sign", 0).unwrap();
        // A write, so SQLite creates its WAL and shared-memory files.
        store
            .upsert_document_type("Prova permessi", "Prova permessi", None, "[]")
            .unwrap();
        crate::settings::save(&dir, &crate::settings::Settings::default()).unwrap();

        assert_eq!(mode(&dir), 0o700);
        for sub in data_subdirs(&dir) {
            assert_eq!(mode(&sub), 0o700, "{}", sub.display());
        }
        for file in ["settings.json", "firmadesk.db", "firmadesk.db-wal", "firmadesk.db-shm"] {
            let p = dir.join(file);
            assert!(p.exists(), "{file} missing");
            assert_eq!(mode(&p), 0o600, "{file}");
        }
    }

    #[test]
    fn create_file_is_owner_only_even_over_an_older_readable_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("x.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(create_file(&p).unwrap());
        assert_eq!(mode(&p), 0o600);
        let fresh = tmp.path().join("y.json");
        drop(create_file(&fresh).unwrap());
        assert_eq!(mode(&fresh), 0o600);
    }
}
