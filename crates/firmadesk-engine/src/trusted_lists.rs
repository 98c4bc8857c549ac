//! The EU trusted lists where the engine runs (issue #14): fetched when online, kept in a folder, refreshed
//! on a schedule, and turned into the anchors the body's profiles verify their signed documents against
//! ([`crate::ProfileOptions::trusted_lists`]).
//!
//! - **Fetched**: the LOTL from the European Commission ([`Source::lotl_url`]), checked against the
//!   certificates the Official Journal names (pinned in the app, [`Source::pins`]). When the Commission has
//!   moved to new signers since, the LOTL lists "pivot" LOTLs before the Official Journal's notice: each is
//!   downloaded, oldest first, checked with the signers known so far, and its pointer to the LOTL names the
//!   next ones. A LOTL that follows another notice than the pins' is refused (FirmaDesk needs an update).
//!   Then each wanted member state's list, from where the LOTL points, checked against the certificates the
//!   LOTL names for it. All through `iosign::fetch` (https, timeouts, a size cap).
//! - **Kept**: only a set whose every signature verified is written, each file whole (a temporary file, then
//!   a rename), in [`DIR`]; an older list (a lower sequence number than the one kept) is refused. At start
//!   the kept files are read and their signatures checked again: a changed file is not trusted.
//! - **Refreshed**: at start, then once a day, or sooner when a list's next update is due; an hour after a
//!   failure. The kept lists serve meanwhile.
//! - **Out of date**: past a list's `NextUpdate` the anchors are withdrawn (the chain's trust is then
//!   reported as not checked, a warning), until a fresh list comes.

pub use firmadesk_verify::trusted_list::SharedAnchors;
use firmadesk_verify::trusted_list::{self, ListedAnchor, TrustedList};
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// The folder, in the data folder, that keeps the lists.
pub const DIR: &str = "elenchi-di-fiducia";
const LOTL_FILE: &str = "eu-lotl.xml";
/// The pivot LOTLs followed, oldest first: `pivot-1.xml`, `pivot-2.xml`...
const PIVOT_PREFIX: &str = "pivot-";
/// How often the lists are downloaded again.
pub const REFRESH: Duration = Duration::from_secs(24 * 3600);
/// How soon after a failed download it is tried again.
pub const RETRY: Duration = Duration::from_secs(3600);

/// Where the lists come from and what vouches for them.
#[derive(Clone, Debug)]
pub struct Source {
    /// The LOTL's address.
    pub lotl_url: String,
    /// The certificates allowed to sign the LOTL (DER), as the Official Journal named them.
    pub pins: Vec<Vec<u8>>,
    /// How the LOTL names the Official Journal's notice that published `pins` (part of its address).
    pub notice: String,
    /// The member states whose lists are read (`IT`: Firma con IO's qualified providers are Italian).
    pub territories: Vec<String>,
}

impl Default for Source {
    /// The European Commission's LOTL, its Official Journal signers, Italy's list.
    fn default() -> Self {
        Self {
            lotl_url: trusted_list::EU_LOTL_URL.to_owned(),
            pins: trusted_list::eu_lotl_signers(),
            notice: trusted_list::EU_LOTL_NOTICE.to_owned(),
            territories: vec!["IT".to_owned()],
        }
    }
}

/// The LOTL and the member states' lists, each checked.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The list of the lists.
    pub lotl: TrustedList,
    /// The member states' lists, as [`Source::territories`] orders them.
    pub lists: Vec<TrustedList>,
}

impl Loaded {
    /// The earliest next update of the lists read.
    pub fn next_update(&self) -> Option<OffsetDateTime> {
        std::iter::once(&self.lotl)
            .chain(&self.lists)
            .filter_map(|l| l.next_update)
            .min()
    }

    /// Whether a list is past its next update at `now` (or closed).
    pub fn out_of_date(&self, now: OffsetDateTime) -> bool {
        std::iter::once(&self.lotl)
            .chain(&self.lists)
            .any(|l| l.next_update.is_none_or(|n| now > n))
    }

    /// The anchors at `now`: none once a list is out of date.
    pub fn anchors_at(&self, now: OffsetDateTime) -> Vec<ListedAnchor> {
        if self.out_of_date(now) {
            Vec::new()
        } else {
            trusted_list::anchors(&self.lists)
        }
    }
}

fn list_file(territory: &str) -> String {
    // Territories are two capital letters; anything else never names a file.
    let safe: String = territory.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{safe}.xml")
}

/// The pivot LOTLs `lotl` lists before the Official Journal's notice, oldest first (asked for when the pins do
/// not sign it). A LOTL that names no notice, or another one than the pins', is refused.
fn pivots_of(source: &Source, lotl: &[u8]) -> Result<Vec<String>, String> {
    let uris = trusted_list::unchecked_scheme_uris(lotl);
    let Some(notice) = uris.iter().position(|u| u.contains("eur-lex.europa.eu")) else {
        return Err("LOTL: not signed by the Official Journal's signers, and it names no notice".into());
    };
    if !uris[notice].contains(&source.notice) {
        return Err(format!(
            "LOTL: it follows another Official Journal notice ({}) than FirmaDesk's signers ({}): update FirmaDesk",
            uris[notice], source.notice
        ));
    }
    Ok(uris[..notice].iter().rev().cloned().collect())
}

/// Who may sign the LOTL now: the pins, carried through each pivot (oldest first), each checked with the
/// signers before it.
fn lotl_signers(source: &Source, pivots: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, String> {
    let mut signers = source.pins.clone();
    for (i, xml) in pivots.iter().enumerate() {
        let pivot = trusted_list::read(xml, &signers).map_err(|e| format!("pivot LOTL {}: {e}", i + 1))?;
        signers = pivot
            .pointers
            .iter()
            .find(|p| p.territory == "EU")
            .map(|p| p.signers.clone())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("pivot LOTL {}: it names no signer of the LOTL", i + 1))?;
    }
    Ok(signers)
}

/// The LOTL checked with the pins, carried through `pivots` (oldest first).
fn read_lotl(source: &Source, lotl: &[u8], pivots: &[Vec<u8>]) -> Result<TrustedList, String> {
    trusted_list::read(lotl, &lotl_signers(source, pivots)?).map_err(|e| format!("LOTL: {e}"))
}

/// Where the LOTL says `territory`'s list is, and who may sign it.
fn pointer_to<'a>(lotl: &'a TrustedList, territory: &str) -> Result<&'a trusted_list::Pointer, String> {
    lotl.pointers
        .iter()
        .find(|p| p.territory == territory)
        .ok_or_else(|| format!("the LOTL does not point at {territory}'s list"))
}

/// Checks each wanted list with what the (checked) LOTL says of it.
fn with_lists(lotl: TrustedList, lists: &[(String, Vec<u8>)]) -> Result<Loaded, String> {
    let mut read = Vec::new();
    for (territory, xml) in lists {
        let pointer = pointer_to(&lotl, territory)?;
        let list = trusted_list::read(xml, &pointer.signers).map_err(|e| format!("{territory}: {e}"))?;
        if &list.territory != territory {
            return Err(format!("{territory}: the list is {}'s", list.territory));
        }
        read.push(list);
    }
    Ok(Loaded { lotl, lists: read })
}

/// Reads the lists kept in `dir`, checking every signature again.
pub fn load(dir: &Path, source: &Source) -> Result<Loaded, String> {
    let lotl = std::fs::read(dir.join(LOTL_FILE)).map_err(|e| format!("{LOTL_FILE}: {e}"))?;
    let mut pivots = Vec::new();
    for i in 1.. {
        match std::fs::read(dir.join(format!("{PIVOT_PREFIX}{i}.xml"))) {
            Ok(xml) => pivots.push(xml),
            Err(_) => break,
        }
    }
    let mut lists = Vec::new();
    for t in &source.territories {
        let file = list_file(t);
        let xml = std::fs::read(dir.join(&file)).map_err(|e| format!("{file}: {e}"))?;
        lists.push((t.clone(), xml));
    }
    with_lists(read_lotl(source, &lotl, &pivots)?, &lists)
}

fn limits() -> iosign::fetch::Limits {
    iosign::fetch::Limits {
        connect_timeout: Duration::from_secs(15),
        total_timeout: Duration::from_secs(180),
        max_bytes: trusted_list::MAX_LIST_BYTES as u64,
    }
}

/// Downloads the LOTL and the wanted lists, checks them and keeps them in `dir`. Nothing is written unless
/// every one verified, and no list older than the one kept replaces it.
pub async fn refresh(dir: &Path, source: &Source) -> Result<Loaded, String> {
    let lotl_xml = iosign::fetch::bounded_get(&source.lotl_url, &limits())
        .await
        .map_err(|e| format!("LOTL: {e}"))?;
    let mut pivots = Vec::new();
    let lotl = match trusted_list::read(&lotl_xml, &source.pins) {
        Ok(lotl) => lotl,
        // The Commission moved to new signers: follow the pivots.
        Err(_) => {
            for url in pivots_of(source, &lotl_xml)? {
                let xml = iosign::fetch::bounded_get(&url, &limits())
                    .await
                    .map_err(|e| format!("pivot LOTL: {e}"))?;
                pivots.push(xml);
            }
            read_lotl(source, &lotl_xml, &pivots)?
        }
    };
    let mut lists = Vec::new();
    for t in &source.territories {
        let xml = iosign::fetch::bounded_get(&pointer_to(&lotl, t)?.location, &limits())
            .await
            .map_err(|e| format!("{t}: {e}"))?;
        lists.push((t.clone(), xml));
    }
    let loaded = with_lists(lotl, &lists)?;
    if let Ok(kept) = load(dir, source) {
        for (new, old) in std::iter::once(&loaded.lotl)
            .chain(&loaded.lists)
            .zip(std::iter::once(&kept.lotl).chain(&kept.lists))
        {
            if new.sequence < old.sequence {
                return Err(format!(
                    "{}: list number {} is older than the one kept ({})",
                    new.territory, new.sequence, old.sequence
                ));
            }
        }
    }
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        // The pivots followed this time, and no older ones.
        for i in 1.. {
            let old = dir.join(format!("{PIVOT_PREFIX}{i}.xml"));
            if i > pivots.len() && std::fs::remove_file(&old).is_err() {
                break;
            }
        }
        for (i, xml) in pivots.iter().enumerate() {
            write_whole(&dir.join(format!("{PIVOT_PREFIX}{}.xml", i + 1)), xml)?;
        }
        write_whole(&dir.join(LOTL_FILE), &lotl_xml)?;
        for (t, xml) in &lists {
            write_whole(&dir.join(list_file(t)), xml)?;
        }
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("keeping the lists: {e}"))?;
    Ok(loaded)
}

/// Writes `bytes` to a temporary file beside `path`, flushes it, then renames it over `path`.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("xml.part");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// What [`keep_current`] last did, for the logs and the settings page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// The lists in use: (territory, sequence number), LOTL first.
    pub lists: Vec<(String, u64)>,
    /// When they were last checked (downloaded or read), unix ms.
    pub checked_at: Option<i64>,
    /// Why the last download failed, if it did (English).
    pub problem: Option<String>,
}

/// Keeps `anchors` current from `dir` and `source`, for as long as the task runs: what is kept is read at
/// once, then the lists are downloaded, and again every [`REFRESH`] (sooner when a list's next update is
/// due), [`RETRY`] after a failure. `status` says how it went.
pub async fn keep_current(
    dir: PathBuf,
    source: Source,
    anchors: SharedAnchors,
    status: std::sync::Arc<std::sync::Mutex<Status>>,
) {
    let set_status = |loaded: Option<&Loaded>, problem: Option<String>| {
        let mut s = status.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(l) = loaded {
            s.lists = std::iter::once(&l.lotl)
                .chain(&l.lists)
                .map(|l| (l.territory.clone(), l.sequence))
                .collect();
            s.checked_at = Some((OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64);
        }
        s.problem = problem;
    };
    let mut current = {
        let (dir, source) = (dir.clone(), source.clone());
        tokio::task::spawn_blocking(move || load(&dir, &source))
            .await
            .ok()
            .and_then(|r| match r {
                Ok(l) => Some(l),
                Err(e) => {
                    tracing::info!(error = %e, "no trusted lists kept yet (or not readable): downloading");
                    None
                }
            })
    };
    if let Some(l) = &current {
        anchors.set(l.anchors_at(OffsetDateTime::now_utc()));
        set_status(Some(l), None);
    }
    loop {
        let pause = match refresh(&dir, &source).await {
            Ok(l) => {
                tracing::info!(lists = ?l.lists.iter().map(|l| (&l.territory, l.sequence)).collect::<Vec<_>>(), "trusted lists checked and kept");
                anchors.set(l.anchors_at(OffsetDateTime::now_utc()));
                set_status(Some(&l), None);
                let now = OffsetDateTime::now_utc();
                // Out of date even as published (the next issue is late): look again within the hour.
                let pause = if l.out_of_date(now) {
                    RETRY
                } else {
                    let due = l.next_update().map_or(REFRESH, |n| (n - now).unsigned_abs());
                    REFRESH.min(due.max(RETRY))
                };
                current = Some(l);
                pause
            }
            Err(e) => {
                tracing::warn!(error = %e, "trusted lists not refreshed; the kept ones serve, trying again in an hour");
                // The kept lists may have gone out of date meanwhile.
                anchors.set(
                    current
                        .as_ref()
                        .map(|l| l.anchors_at(OffsetDateTime::now_utc()))
                        .unwrap_or_default(),
                );
                set_status(None, Some(e));
                RETRY
            }
        };
        tokio::time::sleep(pause).await;
    }
}
