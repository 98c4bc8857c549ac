//! Persistence: the JSON state file (atomic write) and the blob containers, in memory and, with a
//! state dir, on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bytes::Bytes;

use crate::model::State;

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("state")
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Loads the state file, if any.
pub fn load_state(dir: &Path) -> std::io::Result<Option<State>> {
    let path = dir.join("state.json");
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Saves the state file.
pub fn save_state(dir: &Path, state: &State) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    write_atomic(&dir.join("state.json"), &bytes)
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
            .unwrap_or_else(|e| e.into_inner())
            .insert((container.to_string(), name.to_string()), data);
        Ok(())
    }

    /// Reads a blob.
    pub fn get(&self, container: &str, name: &str) -> Option<Bytes> {
        let key = (container.to_string(), name.to_string());
        if let Some(b) = self.mem.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Some(b.clone());
        }
        let bytes = Bytes::from(std::fs::read(self.path(container, name)?).ok()?);
        self.mem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, bytes.clone());
        Some(bytes)
    }

    /// Deletes a blob (missing is fine).
    pub fn delete(&self, container: &str, name: &str) {
        self.mem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
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
