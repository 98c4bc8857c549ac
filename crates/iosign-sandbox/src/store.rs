//! Persistence: the JSON state file (durable atomic write, corrupt files set aside) and the blob
//! containers, in memory and, with a state dir, on disk.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;
use time::OffsetDateTime;

use crate::model::State;

/// Name of the state file inside the state dir.
pub const STATE_FILE: &str = "state.json";

/// Writes `bytes` to `path` durably and atomically: a fresh temporary file in the same directory,
/// fsync, rename over `path`, fsync of the directory. A crash or a failed write at any point leaves
/// either the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// [`write_atomic`] with the writing of the content left to `fill` (a seam to inject failures).
fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut File) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    // A unique temporary name: two writers of the same file (e.g. a blob and its retry) must not
    // share one temporary file and rename each other's half-written bytes into place.
    let tmp = dir.join(format!(".{name}.{:016x}.tmp", rand::random::<u64>()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        fill(&mut file)?;
        // The bytes must be on disk before the rename makes them the file: otherwise a power cut
        // can leave a renamed but empty file.
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes a rename in `dir` durable (on Unix a rename lives in the directory, which has its own fsync).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// What was found in the state dir.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The saved state, when there was a readable one.
    pub state: Option<State>,
    /// Where an unreadable state file was moved (`state.json.corrupt-<timestamp>`).
    pub set_aside: Option<PathBuf>,
}

/// Loads the state file, if any. A file that is not a valid state (bad JSON, truncated, empty, wrong
/// schema) is renamed to `state.json.corrupt-<timestamp>` (bytes kept for a post-mortem) and the
/// sandbox starts fresh: a demo state is not worth refusing to start the app over.
pub fn load_state(dir: &Path, now: OffsetDateTime) -> std::io::Result<Loaded> {
    let path = dir.join(STATE_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(e) => return Err(e),
    };
    let parse_error = match serde_json::from_slice::<State>(&bytes) {
        Ok(state) => {
            return Ok(Loaded {
                state: Some(state),
                set_aside: None,
            })
        }
        Err(e) => e,
    };
    let aside = set_aside(dir, now)?;
    std::fs::rename(&path, &aside)?;
    sync_dir(dir)?;
    // Only the error's class and position: serde's message can quote the content (fiscal codes).
    tracing::warn!(
        corrupt = %aside.display(),
        "the sandbox state file is unreadable ({:?} error at line {}, column {}): kept aside, starting with an empty sandbox",
        parse_error.classify(),
        parse_error.line(),
        parse_error.column()
    );
    Ok(Loaded {
        state: None,
        set_aside: Some(aside),
    })
}

/// A free `state.json.corrupt-<UTC timestamp>[-n]` name in `dir`.
fn set_aside(dir: &Path, now: OffsetDateTime) -> std::io::Result<PathBuf> {
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .map_err(std::io::Error::other)?;
    let base = format!("{STATE_FILE}.corrupt-{stamp}");
    for n in 0..1000u32 {
        let name = if n == 0 { base.clone() } else { format!("{base}-{n}") };
        let candidate = dir.join(name);
        if !candidate.exists() {
            return Ok(candidate);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("too many corrupt state files kept in {}", dir.display()),
    ))
}

/// Saves the state file.
pub fn save_state(dir: &Path, state: &State) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    write_atomic(&dir.join(STATE_FILE), &bytes)
}

/// The emulated blob containers (`uploaded-documents`, `validated-documents`, `signed-documents`).
#[derive(Debug)]
pub struct BlobStore {
    dir: Option<PathBuf>,
    mem: Mutex<HashMap<(String, String), Bytes>>,
}

fn safe(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl BlobStore {
    /// Blobs in memory, and under `dir/blobs/` when given.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir: dir.map(|d| d.join("blobs")),
            mem: Mutex::new(HashMap::new()),
        }
    }

    fn path(&self, container: &str, name: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        (safe(container) && safe(name)).then(|| dir.join(container).join(name))
    }

    /// Stores a blob.
    pub fn put(&self, container: &str, name: &str, data: Bytes) -> std::io::Result<()> {
        if let Some(path) = self.path(container, name) {
            write_atomic(&path, &data)?;
        }
        self.mem
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert((container.to_string(), name.to_string()), data);
        Ok(())
    }

    /// Reads a blob.
    pub fn get(&self, container: &str, name: &str) -> Option<Bytes> {
        let key = (container.to_string(), name.to_string());
        if let Some(b) = self
            .mem
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
        {
            return Some(b.clone());
        }
        let bytes = Bytes::from(std::fs::read(self.path(container, name)?).ok()?);
        self.mem
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, bytes.clone());
        Some(bytes)
    }

    /// Deletes a blob (missing is fine).
    pub fn delete(&self, container: &str, name: &str) {
        self.mem
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&(container.to_string(), name.to_string()));
        if let Some(path) = self.path(container, name) {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_midway_leaves_the_old_file_whole_and_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE);
        write_atomic(&path, b"{\"old\": true}").unwrap();
        let err = write_atomic_with(&path, |f| {
            f.write_all(b"{\"new\": tr")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"old\": true}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec![STATE_FILE.to_string()], "only the state file is left");
    }

    #[test]
    fn copies_set_aside_in_the_same_second_get_distinct_names() {
        let dir = tempfile::tempdir().unwrap();
        let now = time::macros::datetime!(2026-08-21 10:15:30 UTC);
        let first = set_aside(dir.path(), now).unwrap();
        assert_eq!(first.file_name().unwrap(), "state.json.corrupt-20260821T101530Z");
        std::fs::write(&first, b"x").unwrap();
        let second = set_aside(dir.path(), now).unwrap();
        assert_eq!(second.file_name().unwrap(), "state.json.corrupt-20260821T101530Z-1");
    }

    #[test]
    fn a_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE);
        write_atomic(&path, b"a much longer first version").unwrap();
        write_atomic(&path, b"short").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short");
    }

    #[test]
    fn blobs_survive_a_new_store_on_the_same_dir() {
        let dir = tempfile::tempdir().unwrap();
        let a = BlobStore::new(Some(dir.path().to_path_buf()));
        a.put("signed-documents", "01ABC", Bytes::from_static(b"%PDF-1.7"))
            .unwrap();
        let b = BlobStore::new(Some(dir.path().to_path_buf()));
        assert_eq!(
            b.get("signed-documents", "01ABC").unwrap(),
            Bytes::from_static(b"%PDF-1.7")
        );
        assert!(b.get("signed-documents", "../x").is_none());
        b.delete("signed-documents", "01ABC");
        assert!(BlobStore::new(Some(dir.path().to_path_buf()))
            .get("signed-documents", "01ABC")
            .is_none());
    }
}
