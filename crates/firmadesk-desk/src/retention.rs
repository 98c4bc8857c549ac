//! Retention of the copies FirmaDesk keeps: imported PDFs (`documents/<sha256>.pdf`) and page renders
//! (`cache/render/`). Without it both grow forever, abandoned drafts included.
//!
//! The rule, as pure functions of what is on disk and what the store says:
//! * an imported PDF that a request still needs (not in a final state, or `failed`, which the clerk may
//!   send again) is kept;
//! * one whose every request is final (signed, rejected, cancelled) goes [`Policy::final_keep`] after the
//!   request's last change (the signed copy lives in the archive; IO keeps its own for 90 days);
//! * one no request mentions (imported, then the draft was abandoned) goes [`Policy::draft_keep`] after
//!   the import, unless a draft still kept names it (the form's, or one set aside: [`keep_drafts`]);
//! * renders are a cache: least recently written first until the total is under
//!   [`Policy::render_cache_bytes`], plus every render of a deleted PDF.
//!
//! [`run`] applies it to a data folder; the shell calls it at start and after each import.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Bounds of the retention rule.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// How long an imported PDF no request uses is kept.
    pub draft_keep: Duration,
    /// How long the PDF of a finished request is kept after its last change.
    pub final_keep: Duration,
    /// Upper bound of the render cache.
    pub render_cache_bytes: u64,
}

impl Default for Policy {
    /// 7 days for abandoned imports, 30 days after a request finished, 256 MiB of renders.
    fn default() -> Self {
        Self {
            draft_keep: Duration::from_secs(7 * 24 * 3600),
            final_keep: Duration::from_secs(30 * 24 * 3600),
            render_cache_bytes: 256 * 1024 * 1024,
        }
    }
}

/// How long the requests that mention a PDF need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A request still in progress (or failed, to be sent again).
    Always,
    /// Only finished requests, the last one changed at this time.
    Until(SystemTime),
}

impl Need {
    fn merge(self, other: Need) -> Need {
        match (self, other) {
            (Need::Always, _) | (_, Need::Always) => Need::Always,
            (Need::Until(a), Need::Until(b)) => Need::Until(a.max(b)),
        }
    }
}

/// A file on disk: its key (sha256 for PDFs, path for renders), size and last write.
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// Where it is.
    pub path: PathBuf,
    /// Bytes.
    pub size: u64,
    /// Last modification.
    pub modified: SystemTime,
}

fn older_than(t: SystemTime, keep: Duration, now: SystemTime) -> bool {
    now.duration_since(t).is_ok_and(|age| age >= keep)
}

/// The imported PDFs to delete, by sha256 (the file stem).
pub fn documents_to_delete(
    files: &[FileInfo],
    needs: &HashMap<String, Need>,
    now: SystemTime,
    policy: &Policy,
) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| {
            let sha = f.path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            match needs.get(sha) {
                Some(Need::Always) => false,
                Some(Need::Until(last)) => older_than(*last, policy.final_keep, now),
                None => older_than(f.modified, policy.draft_keep, now),
            }
        })
        .map(|f| f.path.clone())
        .collect()
}

/// The renders to delete so the cache stays under `cap` bytes, oldest writes first.
pub fn renders_to_evict(mut files: Vec<FileInfo>, cap: u64) -> Vec<PathBuf> {
    files.sort_by_key(|f| std::cmp::Reverse(f.modified));
    let mut total = 0u64;
    let mut evict = Vec::new();
    for f in files {
        total = total.saturating_add(f.size);
        if total > cap {
            evict.push(f.path);
        }
    }
    evict
}

fn ms(t: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(t.max(0) as u64)
}

/// What the store says each imported PDF is needed for.
pub async fn needs_from_store(
    store: &dyn firmadesk_store::Store,
) -> Result<HashMap<String, Need>, firmadesk_store::StoreError> {
    use firmadesk_store::Status;
    let mut needs: HashMap<String, Need> = HashMap::new();
    // Oldest first: a request created meanwhile lands after the pages already read, never shifts
    // one out of sight (a missed request would make its PDF look abandoned).
    let mut query = firmadesk_store::ListQuery {
        limit: 500,
        sort: firmadesk_store::Sort::Created,
        ascending: true,
        ..Default::default()
    };
    loop {
        let page = store.list(&query, 0).await?;
        let n = page.rows.len();
        for r in page.rows {
            let need = match r.status {
                Status::Signed | Status::Rejected | Status::Cancelled => Need::Until(ms(r.updated_at)),
                _ => Need::Always,
            };
            for d in store.documents(&r.id).await? {
                let sha = d.sha256.clone().unwrap_or_else(|| {
                    Path::new(&d.path)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
                needs.entry(sha).and_modify(|n| *n = n.merge(need)).or_insert(need);
            }
        }
        if n < query.limit as usize {
            break;
        }
        query.offset += query.limit;
    }
    Ok(needs)
}

fn list_files(dir: &Path, depth: u32, out: &mut Vec<FileInfo>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() && depth > 0 {
            list_files(&entry.path(), depth - 1, out);
        } else if meta.is_file() {
            out.push(FileInfo {
                path: entry.path(),
                size: meta.len(),
                modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
    }
}

/// What a run deleted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Imported PDFs deleted.
    pub documents: usize,
    /// Renders deleted.
    pub renders: usize,
}

/// Applies the policy to a data folder. Files that vanish or resist deletion are skipped (next run).
pub fn run(data_dir: &Path, needs: &HashMap<String, Need>, now: SystemTime, policy: &Policy) -> Report {
    let mut report = Report::default();
    let mut docs = Vec::new();
    list_files(&data_dir.join("documents"), 0, &mut docs);
    docs.retain(|f| f.path.extension().is_some_and(|e| e == "pdf"));
    let deleted: Vec<String> = documents_to_delete(&docs, needs, now, policy)
        .into_iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    report.documents = deleted.len();
    let mut renders = Vec::new();
    list_files(&data_dir.join("cache").join("render"), 1, &mut renders);
    // Renders of a deleted PDF are useless; the rest is bounded by size.
    let (orphans, kept): (Vec<_>, Vec<_>) = renders.into_iter().partition(|f| {
        let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        deleted.iter().any(|sha| name.starts_with(&format!("{sha}-")))
    });
    let evict = orphans
        .into_iter()
        .map(|f| f.path)
        .chain(renders_to_evict(kept, policy.render_cache_bytes));
    report.renders = evict.filter(|p| std::fs::remove_file(p).is_ok()).count();
    report
}

/// Adds what the drafts kept in `data_dir` need: the PDFs named by the form's working draft and by every
/// draft set aside, for as long as the draft is kept.
pub fn keep_drafts(needs: &mut HashMap<String, Need>, data_dir: &Path) {
    for id in crate::drafts::pdfs_of_kept(data_dir) {
        needs.insert(id, Need::Always);
    }
}

/// Runs the policy on the app's data folder in the background (at start, after imports); one run at a
/// time, a request for a run while one is going is dropped (the running one sees the same files).
/// Called within the tokio runtime: the store is read on it, the files are walked on its blocking pool.
pub fn spawn(state: &crate::Desk) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static RUNNING: AtomicBool = AtomicBool::new(false);
    if RUNNING.swap(true, Ordering::AcqRel) {
        return;
    }
    let store = state.store.clone();
    let data_dir = state.data_dir.clone();
    tokio::spawn(async move {
        match needs_from_store(&*store).await {
            Ok(mut needs) => {
                keep_drafts(&mut needs, &data_dir);
                let walked =
                    tokio::task::spawn_blocking(move || run(&data_dir, &needs, SystemTime::now(), &Policy::default()))
                        .await;
                match walked {
                    Ok(report) if report != Report::default() => {
                        tracing::info!(documents = report.documents, renders = report.renders, "retention run");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "retention run stopped"),
                }
            }
            Err(e) => tracing::warn!(error = %e, "retention skipped: store unreadable"),
        }
        RUNNING.store(false, Ordering::Release);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(24 * 3600);

    fn t0() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn file(name: &str, size: u64, modified: SystemTime) -> FileInfo {
        FileInfo {
            path: PathBuf::from(name),
            size,
            modified,
        }
    }

    #[test]
    fn abandoned_imports_go_after_the_draft_window_needed_ones_stay() {
        let policy = Policy::default();
        let now = t0() + 40 * DAY;
        let files = [
            file("abbandonato.pdf", 1, now - 8 * DAY),
            file("recente.pdf", 1, now - DAY),
            file("in-corso.pdf", 1, now - 400 * DAY),
            file("firmato-vecchio.pdf", 1, now - 400 * DAY),
            file("firmato-recente.pdf", 1, now - 400 * DAY),
            file("condiviso.pdf", 1, now - 400 * DAY),
        ];
        let needs = HashMap::from([
            ("in-corso".to_owned(), Need::Always),
            ("firmato-vecchio".to_owned(), Need::Until(now - 31 * DAY)),
            ("firmato-recente".to_owned(), Need::Until(now - 2 * DAY)),
            // The same PDF sent twice: one request finished long ago, one still waiting.
            ("condiviso".to_owned(), Need::Until(now - 90 * DAY).merge(Need::Always)),
        ]);
        let gone = documents_to_delete(&files, &needs, now, &policy);
        assert_eq!(
            gone,
            [PathBuf::from("abbandonato.pdf"), PathBuf::from("firmato-vecchio.pdf")]
        );
    }

    #[test]
    fn render_cache_keeps_the_newest_under_the_cap() {
        let files = vec![
            file("a", 40, t0()),
            file("b", 40, t0() + DAY),
            file("c", 40, t0() + 2 * DAY),
            file("d", 40, t0() + 3 * DAY),
        ];
        let mut gone = renders_to_evict(files, 100);
        gone.sort();
        assert_eq!(gone, [PathBuf::from("a"), PathBuf::from("b")]);
        assert!(renders_to_evict(vec![file("x", 10, t0())], 100).is_empty());
    }

    /// Issue #10 item 13, on a real folder: an abandoned import and its renders go, the PDF of a request
    /// in progress stays, and the render cache ends under its cap.
    #[test]
    fn a_run_on_a_data_folder_deletes_what_the_policy_says() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let docs = dir.join("documents");
        let render = dir.join("cache").join("render");
        std::fs::create_dir_all(&docs).unwrap();
        let (old, kept) = ("aa".repeat(32), "bb".repeat(32));
        std::fs::write(docs.join(format!("{old}.pdf")), b"%PDF-1.7").unwrap();
        std::fs::write(docs.join(format!("{kept}.pdf")), b"%PDF-1.7").unwrap();
        for (sha, n) in [(&old, 2), (&kept, 3)] {
            let sub = render.join(&sha[..2]);
            std::fs::create_dir_all(&sub).unwrap();
            for p in 0..n {
                std::fs::write(sub.join(format!("{sha}-p{p}-w800.png")), vec![0u8; 1000]).unwrap();
            }
        }
        // "Now" is 8 days after the files were written: the abandoned import is past its window.
        let now = SystemTime::now() + 8 * DAY;
        let needs = HashMap::from([(kept.clone(), Need::Always)]);
        let policy = Policy {
            render_cache_bytes: 2000,
            ..Policy::default()
        };
        let report = run(dir, &needs, now, &policy);
        assert!(!docs.join(format!("{old}.pdf")).exists());
        assert!(docs.join(format!("{kept}.pdf")).exists());
        assert_eq!(std::fs::read_dir(render.join(&old[..2])).unwrap().count(), 0);
        assert_eq!(std::fs::read_dir(render.join(&kept[..2])).unwrap().count(), 2);
        assert_eq!(
            report,
            Report {
                documents: 1,
                renders: 3
            }
        );
    }
}
