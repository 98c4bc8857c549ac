//! The archive of signed PDFs: `<archive>/<year>/<document type>/<signer> - <title> - <id>.pdf`,
//! names made safe for Windows, macOS and Linux, written atomically (temp file, fsync, then a
//! link that never replaces an existing file).
//!
//! Two rules keep one citizen's contract from ever standing in for another's (issue #10):
//! the IO id always survives in the file name (signer and title are shortened, never the id),
//! and the archive never replaces a file: a name that already holds other bytes gets a
//! `" (2)"`, `" (3)"`... suffix, a name that holds the same bytes is reused.

use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Longest file-name component we produce, in bytes: well under the 255 of NTFS/ext4/APFS,
/// leaving room for the temp prefix/suffix and a `" (NN)"` collision suffix.
const MAX_COMPONENT: usize = 150;

/// Longest id kept verbatim (IO ids are 26-36 characters); a longer one is shortened with a
/// hash of the whole, so it stays unique.
const MAX_ID: usize = 64;

/// Collision suffixes tried before giving up (a folder with 1000 same-named files is broken).
const MAX_SUFFIX: u32 = 1000;

/// Characters that change how text is displayed without being visible: bidi overrides and
/// isolates (U+202E makes `fdp.exe` read as `exe.pdf`), zero-width marks, the BOM. `char::is_control`
/// only covers Cc, so these are listed.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Cuts `s` to at most `max` bytes on a char boundary (a 4-byte character is never split).
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether `stem` (the part before the first dot, case-insensitive) is a Windows device name.
fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ')
        .to_uppercase();
    if matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$") {
        return true;
    }
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT") && rest.len() == 1 && matches!(rest[0], '0'..='9' | '¹' | '²' | '³')
}

/// Makes `name` a valid file or folder name on every desktop OS: no path separators, no
/// characters Windows forbids (`<>:"/\|?*`, controls), no invisible bidi/format characters, no
/// trailing dot or space, no reserved device name (`CON`, `COM1`...), at most `max` bytes (cut on
/// a char boundary); empty, `.` or `..` become `_`.
fn sanitize_to(name: &str, max: usize) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() || is_invisible_format(c) => '_',
            c => c,
        })
        .collect();
    let mut out = mapped.trim().trim_end_matches(['.', ' ']).to_owned();
    if out.len() > max {
        out = cut(&out, max).trim_end_matches(['.', ' ']).to_owned();
    }
    if out.is_empty() || out.chars().all(|c| c == '.') {
        return "_".to_owned();
    }
    if is_reserved_on_windows(&out) {
        out.insert(0, '_');
        if out.len() > max {
            out = cut(&out, max).trim_end_matches(['.', ' ']).to_owned();
        }
    }
    out
}

/// [`sanitize_to`] with the longest component we produce.
pub fn sanitize_component(name: &str) -> String {
    sanitize_to(name, MAX_COMPONENT)
}

/// The id as it appears in a file name: sanitized, whole when it fits in [`MAX_ID`] bytes,
/// otherwise its start plus 16 hex digits of its SHA-256 (still unique).
fn id_part(id: &str) -> String {
    let clean = sanitize_to(id, usize::MAX);
    if clean.len() <= MAX_ID && clean == id {
        return clean;
    }
    if clean.len() <= MAX_ID && !id.is_empty() {
        // Sanitizing changed it: two ids differing only in a replaced character must still
        // not share a name.
        let hash = &hex::encode(Sha256::digest(id.as_bytes()))[..8];
        let head = cut(&clean, MAX_ID - 9).trim_end_matches(['.', ' ']);
        return format!("{head}~{hash}");
    }
    let hash = &hex::encode(Sha256::digest(id.as_bytes()))[..16];
    let head = cut(&clean, MAX_ID - 17).trim_end_matches(['.', ' ']);
    format!("{head}~{hash}")
}

/// Longest protocol number kept in a file name, in bytes (numbers are a few digits with a year and a
/// register's code; a longer text is cut, the IO id still tells the files apart).
const MAX_PROTOCOL: usize = 40;

/// What a protocol number puts before an archived file's name: `Prot. <number> - `, the number made safe
/// and cut to [`MAX_PROTOCOL`] bytes; nothing for no number (or a blank one).
pub fn protocol_prefix(protocol: Option<&str>) -> String {
    protocol
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| format!("Prot. {} - ", sanitize_to(n, MAX_PROTOCOL)))
        .unwrap_or_default()
}

/// `[Prot. <number> - ]<signer> - <title> - <id>.pdf` within [`MAX_COMPONENT`] bytes: the protocol number
/// first when the request has one (issue #14: the records office looks a document up by it), then signer
/// and title sharing what the id leaves (one gives the other what it does not use); the id is never cut.
pub fn archive_file_name(protocol: Option<&str>, signer: &str, title: &str, id: &str) -> String {
    const SEP: &str = " - ";
    const EXT: &str = ".pdf";
    let id = id_part(id);
    let prefix = protocol_prefix(protocol);
    let room = MAX_COMPONENT - EXT.len() - id.len() - 2 * SEP.len() - prefix.len();
    let signer_full = sanitize_to(signer, usize::MAX);
    let title_full = sanitize_to(title, usize::MAX);
    let half = room / 2;
    let (signer_max, title_max) = if signer_full.len() <= half {
        (signer_full.len(), room - signer_full.len())
    } else if title_full.len() <= room - half {
        (room - title_full.len(), title_full.len())
    } else {
        (half, room - half)
    };
    let signer = sanitize_to(&signer_full, signer_max.max(1));
    let title = sanitize_to(&title_full, title_max.max(1));
    format!("{prefix}{signer}{SEP}{title}{SEP}{id}{EXT}")
}

/// Where a signed document goes. `id` distinguishes requests with the same signer and title and
/// always survives whole in the name; `protocol` is the request's protocol number, if any.
pub fn archive_path(
    root: &Path,
    year: i32,
    document_type: &str,
    signer: &str,
    title: &str,
    id: &str,
    protocol: Option<&str>,
) -> PathBuf {
    root.join(year.to_string())
        .join(sanitize_component(document_type))
        .join(archive_file_name(protocol, signer, title, id))
}

/// IO Sign's evidence of a signed request: the request as the client read it from the service (every
/// field of the spec's `SignatureRequestDetailView`), pretty JSON, with its links removed — the documents'
/// download `url`s (valid minutes, and whoever holds one reads the document) and the `qr_code_url`.
pub fn evidence_json(detail: &iosign::SignatureRequestDetailView) -> String {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|k, _| k != "url" && k != "qr_code_url");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(detail).unwrap_or(serde_json::Value::Null);
    strip(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// `path` with `" (n)"` before its extension.
fn with_suffix(path: &Path, n: u32) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("documento");
    let ext = path.extension().and_then(|s| s.to_str());
    let name = match ext {
        Some(ext) => format!("{stem} ({n}).{ext}"),
        None => format!("{stem} ({n})"),
    };
    path.with_file_name(name)
}

/// Whether the file at `path` holds exactly `bytes` (compared without reading it all at once).
fn same_bytes(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let mut f = std::fs::File::open(path)?;
    if f.metadata()?.len() != bytes.len() as u64 {
        return Ok(false);
    }
    let mut buf = vec![0u8; 64 * 1024];
    let mut at = 0;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(at == bytes.len());
        }
        if at + n > bytes.len() || buf[..n] != bytes[at..at + n] {
            return Ok(false);
        }
        at += n;
    }
}

/// SHA-256 (hex) of a file, read in pieces.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

/// Why a download cannot be the signed document, in Italian (completing "Il documento scaricato
/// ..."), or `None` when it can. Cheap structural checks first (a `%PDF-` header, an `%%EOF` near
/// the end: an HTML error page or a cut-off transfer fail here), then the unsigned originals'
/// hashes, then a full parse with lopdf. Blocking: call it off the async runtime.
pub fn signed_download_problem(bytes: &[u8], unsigned_sha256: &[String]) -> Option<&'static str> {
    const WINDOW: usize = 1024;
    let head = &bytes[..bytes.len().min(WINDOW)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Some("non è un PDF (il servizio ha restituito un'altra risposta)");
    }
    let tail = &bytes[bytes.len().saturating_sub(WINDOW)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Some("è incompleto (trasferimento interrotto)");
    }
    let sha = hex::encode(Sha256::digest(bytes));
    if unsigned_sha256.iter().any(|u| u.eq_ignore_ascii_case(&sha)) {
        return Some("è il documento originale, senza firma");
    }
    if lopdf::Document::load_mem(bytes).is_err() {
        return Some("è un PDF danneggiato che non si apre");
    }
    None
}

/// Writes files into the archive. Injected so tests can make the disk "full".
pub trait ArchiveWriter: Send + Sync + 'static {
    /// Stores `bytes` at `path` without ever replacing an existing file: when `path` already
    /// holds the same bytes it is reused; when it holds other bytes, the first free
    /// `"<name> (n).pdf"` is used. The file is either complete under its final name or absent.
    /// Returns the path that holds the bytes.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<PathBuf>;
}

/// The real writer: create the folders, write a temp file beside the target and fsync it, then
/// hard-link it under the final name (the link fails if the name exists, so a concurrent writer
/// or an earlier file is never replaced), fsync the folder (where the OS allows).
///
/// File systems without hard links (FAT/exFAT USB sticks, some network shares) fall back to
/// reserving the name with `create_new` and renaming the temp file over that empty reservation.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsArchiveWriter;

impl FsArchiveWriter {
    /// Puts `tmp` under `target` unless `target` exists (`AlreadyExists` then).
    fn link_no_replace(tmp: &Path, target: &Path) -> io::Result<()> {
        match std::fs::hard_link(tmp, target) {
            Ok(()) => {
                let _ = std::fs::remove_file(tmp);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => {
                // No hard links here: reserve the name atomically, then replace our own empty
                // reservation (a crash in between leaves an empty file, which holds nothing).
                std::fs::OpenOptions::new().write(true).create_new(true).open(target)?;
                std::fs::rename(tmp, target)
            }
        }
    }
}

impl ArchiveWriter for FsArchiveWriter {
    fn write_new(&self, path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "archive path without a folder"))?;
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".firmadesk-{:016x}.tmp", rand::random::<u64>()));
        let result = (|| {
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            drop(f);
            for n in 1..=MAX_SUFFIX {
                let candidate = if n == 1 {
                    path.to_path_buf()
                } else {
                    with_suffix(path, n)
                };
                match Self::link_no_replace(&tmp, &candidate) {
                    Ok(()) => return Ok(candidate),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        if same_bytes(&candidate, bytes)? {
                            return Ok(candidate);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "too many archive files with the same name",
            ))
        })();
        let _ = std::fs::remove_file(&tmp);
        let written = result?;
        // The link is durable only once the folder entry is: fsync the folder. Windows cannot
        // open a folder this way (and NTFS journals the change), so it is skipped there.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(written)
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
    use proptest::prelude::*;
    use std::path::Component;

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
            None,
        );
        assert_eq!(
            p,
            Path::new("/a/2026/Accordo_Quadro/Mario Rossi - Contratto - 01ABC.pdf")
        );
    }

    #[test]
    fn a_protocol_number_comes_first_and_the_id_still_survives() {
        let root = Path::new("/a");
        let p = archive_path(
            root,
            2026,
            "Accordo",
            "Mario Rossi",
            "Contratto",
            "01ABC",
            Some(" 2026/0012345 "),
        );
        assert_eq!(
            p,
            Path::new("/a/2026/Accordo/Prot. 2026_0012345 - Mario Rossi - Contratto - 01ABC.pdf")
        );
        // An empty number is no number.
        let p = archive_path(root, 2026, "Accordo", "Mario Rossi", "Contratto", "01ABC", Some("  "));
        assert_eq!(p, Path::new("/a/2026/Accordo/Mario Rossi - Contratto - 01ABC.pdf"));
        // A very long number is cut; the name stays within bounds and keeps the id.
        let long = "9".repeat(500);
        let p = archive_path(
            root,
            2026,
            "Accordo",
            &"Rossi ".repeat(40),
            "Contratto",
            "01ABC",
            Some(&long),
        );
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= MAX_COMPONENT, "{}", name.len());
        assert!(
            name.starts_with(&format!("Prot. {} - ", "9".repeat(MAX_PROTOCOL))),
            "{name}"
        );
        assert!(name.ends_with(" - 01ABC.pdf"), "{name}");
    }

    /// Issue #10 item 1: the id was cut off with the rest of a long name, so two requests of two
    /// citizens with long names shared one file.
    #[test]
    fn regression_10_1_long_signer_names_keep_the_id_and_two_files() {
        let root = tempfile::tempdir().unwrap();
        let signer_a = format!("{} Anna", "Maria Giuseppina Della Valle ".repeat(6));
        let signer_b = format!("{} Bruna", "Maria Giuseppina Della Valle ".repeat(6));
        let title = "Contratto di locazione dell'immobile comunale di via Roma";
        let pa = archive_path(
            root.path(),
            2026,
            "Accordo",
            &signer_a,
            title,
            "01JA0000000000000000000001",
            None,
        );
        let pb = archive_path(
            root.path(),
            2026,
            "Accordo",
            &signer_b,
            title,
            "01JA0000000000000000000002",
            None,
        );
        assert_ne!(pa, pb);
        for (p, id) in [(&pa, "01JA0000000000000000000001"), (&pb, "01JA0000000000000000000002")] {
            let name = p.file_name().unwrap().to_str().unwrap();
            assert!(name.ends_with(&format!(" - {id}.pdf")), "{name}");
            assert!(name.len() <= MAX_COMPONENT, "{}", name.len());
        }
        let wa = FsArchiveWriter.write_new(&pa, b"%PDF-1.7 citizen A").unwrap();
        let wb = FsArchiveWriter.write_new(&pb, b"%PDF-1.7 citizen B").unwrap();
        assert_eq!(std::fs::read(&wa).unwrap(), b"%PDF-1.7 citizen A");
        assert_eq!(std::fs::read(&wb).unwrap(), b"%PDF-1.7 citizen B");
    }

    /// Issue #10 item 1: the atomic rename replaced whatever held the name.
    #[test]
    fn regression_10_1_an_existing_file_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2026").join("x - y - 1.pdf");
        assert_eq!(FsArchiveWriter.write_new(&p, b"%PDF-1.7 a").unwrap(), p);
        // Same bytes (a retry of the same request and document): the file is reused.
        assert_eq!(FsArchiveWriter.write_new(&p, b"%PDF-1.7 a").unwrap(), p);
        // Other bytes under the same name: a suffix, the first file untouched.
        let second = FsArchiveWriter.write_new(&p, b"%PDF-1.7 b").unwrap();
        assert_eq!(second, dir.path().join("2026").join("x - y - 1 (2).pdf"));
        let third = FsArchiveWriter.write_new(&p, b"%PDF-1.7 c").unwrap();
        assert_eq!(third, dir.path().join("2026").join("x - y - 1 (3).pdf"));
        assert_eq!(std::fs::read(&p).unwrap(), b"%PDF-1.7 a");
        assert_eq!(std::fs::read(&second).unwrap(), b"%PDF-1.7 b");
        assert_eq!(std::fs::read(&third).unwrap(), b"%PDF-1.7 c");
        // No temp file left behind.
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 3);
    }

    /// Every hostile name ends as one normal component under the root, valid on Windows.
    fn assert_safe(root: &Path, path: &Path, id: &str) {
        let rel = path.strip_prefix(root).expect("inside the root");
        let parts: Vec<_> = rel.components().collect();
        assert_eq!(parts.len(), 3, "{rel:?}");
        for c in &parts {
            let Component::Normal(name) = c else {
                panic!("not a normal component: {rel:?}")
            };
            let name = name.to_str().unwrap();
            assert!(!name.is_empty() && name.len() <= MAX_COMPONENT, "{name:?}");
            assert!(!name.ends_with('.') && !name.ends_with(' '), "{name:?}");
            assert!(
                !name
                    .chars()
                    .any(|c| "<>:\"/\\|?*".contains(c) || c.is_control() || is_invisible_format(c)),
                "{name:?}"
            );
            assert!(!is_reserved_on_windows(name), "{name:?}");
        }
        let file = parts[2].as_os_str().to_str().unwrap();
        assert!(file.ends_with(".pdf"));
        if !id.is_empty() && sanitize_to(id, usize::MAX) == id && id.len() <= MAX_ID {
            assert!(file.ends_with(&format!(" - {id}.pdf")), "{file:?} lost {id:?}");
        }
    }

    #[test]
    fn regression_10_1_hostile_names_stay_inside_the_root() {
        let root = Path::new("/archivio");
        let four_byte = "𝒜".repeat(60); // 4 bytes each: any cut lands mid-character somewhere
        let hostile: &[&str] = &[
            "../../etc/passwd",
            "..",
            ".",
            "a/../../b",
            "C:\\Windows\\System32",
            "nul\0byte",
            "fdp.\u{202E}exe",
            "\u{2066}isolate\u{2069}",
            "zero\u{200B}width",
            "tab\there\r\n",
            "CON",
            "con.pdf",
            "PRN",
            "AUX",
            "NUL",
            "COM1",
            "LPT9",
            "COM¹",
            "trailing dots...",
            "trailing spaces   ",
            " . . ",
            "",
            &four_byte,
        ];
        for name in hostile {
            let p = archive_path(root, 2026, name, name, name, "01JA0000000000000000000001", None);
            assert_safe(root, &p, "01JA0000000000000000000001");
            // A hostile id too: kept unique, still inside the root.
            let p = archive_path(root, 2026, "Accordo", "Mario Rossi", "Contratto", name, None);
            assert_safe(root, &p, name);
        }
        let a = archive_path(root, 2026, "x", "s", "t", "a/b", None);
        let b = archive_path(root, 2026, "x", "s", "t", "a_b", None);
        assert_ne!(a, b, "ids that sanitize alike keep distinct names");
    }

    proptest! {
        #[test]
        fn any_name_is_one_component_inside_the_root_with_the_id(
            doc_type in any::<String>(),
            signer in any::<String>(),
            title in any::<String>(),
            id in "[0-9A-Za-z-]{1,40}",
            protocol in proptest::option::of(any::<String>()),
        ) {
            let root = Path::new("/archivio");
            let p = archive_path(root, 2026, &doc_type, &signer, &title, &id, protocol.as_deref());
            assert_safe(root, &p, &id);
        }
    }
}
