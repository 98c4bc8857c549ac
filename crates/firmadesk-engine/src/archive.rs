//! The archive of signed PDFs: `<archive>/<year>/<document type>/<signer> - <title> - <id>.pdf`,
//! names made safe for Windows, macOS and Linux, written atomically (temp file, fsync, rename).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Longest file-name component we produce, in bytes: well under the 255 of NTFS/ext4/APFS,
/// leaving room for the temp suffix.
const MAX_COMPONENT: usize = 150;

/// Makes `name` a valid file or folder name on every desktop OS: no path separators, no
/// characters Windows forbids (`<>:"/\|?*`, controls), no trailing dot or space, no reserved
/// device name (`CON`, `COM1`...), bounded length; empty becomes `_`.
pub fn sanitize_component(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = out.trim().trim_end_matches(['.', ' ']).to_owned();
    out = trimmed;
    if out.len() > MAX_COMPONENT {
        let mut cut = MAX_COMPONENT;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out = out.trim_end_matches(['.', ' ']).to_owned();
    }
    if out.is_empty() || out.chars().all(|c| c == '.') {
        return "_".to_owned();
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    out
}

/// Where a signed document goes. `id` distinguishes requests with the same signer and title.
pub fn archive_path(root: &Path, year: i32, document_type: &str, signer: &str, title: &str, id: &str) -> PathBuf {
    let file = format!(
        "{} - {} - {}",
        sanitize_component(signer),
        sanitize_component(title),
        sanitize_component(id)
    );
    root.join(year.to_string())
        .join(sanitize_component(document_type))
        .join(format!("{}.pdf", sanitize_component(&file)))
}

/// Writes files into the archive. Injected so tests can make the disk "full".
pub trait ArchiveWriter: Send + Sync + 'static {
    /// Writes `bytes` to `path` so that `path` either holds all of them or does not change.
    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
}

/// The real writer: create the folders, write a temp file beside the target, fsync it, rename
/// it over the target, fsync the folder (where the OS allows), so a crash or power cut never
/// leaves a half-written PDF under the final name.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsArchiveWriter;

impl ArchiveWriter for FsArchiveWriter {
    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "archive path without a folder"))?;
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("documento.pdf");
        let tmp = dir.join(format!(".{name}.{:08x}.tmp", rand::random::<u32>()));
        let result = (|| {
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        // The rename is durable only once the folder entry is: fsync the folder. Windows cannot
        // open a folder this way (and NTFS journals the rename), so it is skipped there.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Italian explanation of an archive write failure.
pub fn io_error_it(dir: &Path, err: &io::Error) -> String {
    let why = match err.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "la cartella è di sola lettura o mancano i permessi"
        }
        io::ErrorKind::StorageFull => "il disco è pieno",
        io::ErrorKind::NotADirectory | io::ErrorKind::NotFound => "la cartella dell'archivio non è utilizzabile",
        _ => "errore di scrittura su disco",
    };
    format!(
        "Impossibile salvare il documento firmato nell'archivio ({}): {why}. Il documento resta disponibile su IO e il salvataggio verrà ritentato automaticamente.",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_on_every_os() {
        assert_eq!(
            sanitize_component("Rossi/Mario: \"contratto\"?"),
            "Rossi_Mario_ _contratto__"
        );
        assert_eq!(sanitize_component("  fine. . "), "fine");
        assert_eq!(sanitize_component("CON"), "_CON");
        assert_eq!(sanitize_component("com1.txt"), "_com1.txt");
        assert_eq!(sanitize_component("COMMA"), "COMMA");
        assert_eq!(sanitize_component(".."), "_");
        assert_eq!(sanitize_component("a\u{7}b\nc"), "a_b_c");
        let long = "è".repeat(200);
        let s = sanitize_component(&long);
        assert!(s.len() <= MAX_COMPONENT && s.chars().all(|c| c == 'è'));
        let p = archive_path(
            Path::new("/a"),
            2026,
            "Accordo/Quadro",
            "Mario Rossi",
            "Contratto",
            "01ABC",
        );
        assert_eq!(
            p,
            Path::new("/a/2026/Accordo_Quadro/Mario Rossi - Contratto - 01ABC.pdf")
        );
    }

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2026").join("x.pdf");
        FsArchiveWriter.write_atomic(&p, b"%PDF-1.7 a").unwrap();
        FsArchiveWriter.write_atomic(&p, b"%PDF-1.7 b").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"%PDF-1.7 b");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }
}
