//! "Always on" (issue #16): FirmaDesk keeps working with its window closed to the tray. What the shell asks
//! the desk about it: whether to tell the clerk (once) that it keeps working, whether a quit would leave
//! sends to the next start, and when the computer woke from sleep, so the poller catches up at once.

use crate::wording;
use crate::Desk;
use firmadesk_engine::Engine;
use firmadesk_store::BatchState;
use std::time::{Duration, Instant, SystemTime};

/// The notice shown the first time the window closes to the tray: (title, body, open label), in the clerk's
/// language.
/// `None` once it was shown (remembered in the settings, so it is shown once per data folder).
pub fn first_hide_notice(desk: &Desk) -> Option<(String, String, String)> {
    if desk.settings.lock().expect("settings lock").told_keeps_working {
        return None;
    }
    if let Err(e) = crate::save_settings(desk, |s| s.told_keeps_working = true) {
        // Not remembered: it may be shown again next time, which is harmless.
        tracing::warn!(code = %e.code, "cannot remember that the clerk was told FirmaDesk keeps working");
    }
    Some(wording::keeps_working(desk.locale()))
}

/// What a quit now would interrupt on this desk: the sends its engine works on (the profiles it is the
/// worker for) plus the lists it is sending. Both resume at the next start. An unreadable store counts
/// as nothing under way (logged): the quit is not held for it.
pub async fn sends_under_way(desk: &Desk, engine: &Engine) -> u64 {
    let sends = engine.unfinished_here().await.unwrap_or_else(|e| {
        tracing::warn!(error = %e.detail, "unfinished sends unreadable");
        0
    });
    let me = crate::bulk::send::runner_name(desk);
    let lists = match desk.store.batches(None, 100).await {
        Ok(batches) => batches
            .iter()
            .filter(|b| b.state == BatchState::Sending && b.runner == me)
            .count(),
        Err(e) => {
            tracing::warn!(error = %e, "lists unreadable");
            0
        }
    };
    u64::try_from(sends + lists).unwrap_or(u64::MAX)
}

/// What the tray shows: the requests waiting for signature on every profile this desk follows, and what
/// the clerk must act on ("Da fare" of the active profile; none while its login is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrayCounts {
    /// Waiting for signature.
    pub waiting: u64,
    /// Items of "Da fare".
    pub attention: usize,
}

/// The tray's counts now (a store that cannot be read counts nothing: the tray is not where that is said).
pub async fn tray_counts(desk: &Desk) -> TrayCounts {
    let waiting = desk
        .store
        .counts(None, desk.now_ms(), 0)
        .await
        .map(|c| c.waiting)
        .unwrap_or(0);
    let attention = crate::todo::todo_list(desk).await.map(|t| t.items().len()).unwrap_or(0);
    TrayCounts { waiting, attention }
}

/// The tray icon with the attention mark, for trays that show no text (Windows' notification area; also
/// drawn on Linux and macOS): `rgba` (`width` × `height`, straight RGBA) with a red dot ringed in white in
/// its top-right corner, a third of the icon wide.
pub fn with_attention_mark(rgba: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = rgba.to_vec();
    let side = f64::from(width.min(height));
    let radius = side / 3.0 / 2.0 + 1.0;
    let (cx, cy) = (f64::from(width) - radius, radius);
    for y in 0..height {
        for x in 0..width {
            let d = ((f64::from(x) + 0.5 - cx).powi(2) + (f64::from(y) + 0.5 - cy).powi(2)).sqrt();
            let colour = if d <= radius - 1.5 {
                [0xd9, 0x36, 0x4f, 0xff]
            } else if d <= radius {
                [0xff, 0xff, 0xff, 0xff]
            } else {
                continue;
            };
            let i = ((y * width + x) * 4) as usize;
            if let Some(px) = out.get_mut(i..i + 4) {
                px.copy_from_slice(&colour);
            }
        }
    }
    out
}

/// How often the wake watcher looks at the clocks.
pub const WAKE_TICK: Duration = Duration::from_secs(15);

/// How much more the wall clock may move than the monotonic one between two ticks before it counts as
/// a wake from sleep (the monotonic clock stands still while the computer sleeps on Linux and macOS).
pub const WAKE_SLACK: Duration = Duration::from_secs(30);

/// One reading of both clocks.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// The wall clock.
    pub wall: SystemTime,
    /// The monotonic clock.
    pub mono: Instant,
}

impl Reading {
    /// Now.
    pub fn now() -> Self {
        Self {
            wall: SystemTime::now(),
            mono: Instant::now(),
        }
    }
}

/// Whether the computer slept (or its clock was set) between two readings: the wall clock moved more
/// than `slack` away from the monotonic clock, either way.
pub fn woke_between(before: Reading, after: Reading, slack: Duration) -> bool {
    let mono = after.mono.saturating_duration_since(before.mono);
    match after.wall.duration_since(before.wall) {
        Ok(wall) => wall.saturating_sub(mono) > slack,
        // The wall clock went back: set by hand or by NTP; a pass now costs little.
        Err(back) => back.duration() + mono > slack,
    }
}

/// The network as the wake watcher sees it: this computer's addresses outside loopback, sorted (a cable
/// plugged in, another Wi-Fi, a VPN up or down changes it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Network(Vec<(String, std::net::IpAddr)>);

impl Network {
    /// Now, from the OS's interface list (`if-addrs`); empty when it cannot be read.
    pub fn now() -> Self {
        let mut addresses: Vec<(String, std::net::IpAddr)> = if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .filter(|i| !i.is_loopback())
            .map(|i| {
                let ip = i.ip();
                (i.name, ip)
            })
            .collect();
        addresses.sort();
        Self(addresses)
    }

    /// The network with these addresses (for tests).
    pub fn of(addresses: &[(&str, &str)]) -> Self {
        let mut list: Vec<_> = addresses
            .iter()
            .map(|(name, ip)| ((*name).to_owned(), ip.parse().expect("an IP address")))
            .collect();
        list.sort();
        Self(list)
    }
}

/// Whether the network changed in a way worth a pass: different addresses, and at least one to reach the
/// service with (a network going away leaves nothing to catch up with).
pub fn network_came_back(before: &Network, after: &Network) -> bool {
    before != after && !after.0.is_empty()
}

/// Watches for wakes from sleep and network changes for as long as the app runs and makes the engine
/// catch up at once ([`Engine::catch_up`]: every poller passes, queued sends retry). See
/// [`follow_wakes_with`].
pub async fn follow_wakes(engine: &Engine) {
    follow_wakes_with(WAKE_TICK, Reading::now, Network::now, || engine.catch_up()).await;
}

/// The watcher, with its clocks and network injected: every `tick` it reads both clocks and the network,
/// and calls `catch_up` when [`woke_between`] (a heuristic on the two clocks: the wall clock jumped ahead of
/// the monotonic one — suspend and hibernate on Linux and macOS, whose monotonic clocks stop while asleep;
/// on Windows the monotonic clock may keep counting through sleep, and a wake is then seen only through
/// the network coming back) or [`network_came_back`].
pub async fn follow_wakes_with(
    tick: Duration,
    mut clocks: impl FnMut() -> Reading,
    mut network: impl FnMut() -> Network,
    catch_up: impl Fn(),
) {
    let mut before = clocks();
    let mut seen = network();
    loop {
        tokio::time::sleep(tick).await;
        let after = clocks();
        let now = network();
        if woke_between(before, after, WAKE_SLACK) {
            tracing::info!("the computer woke from sleep (or its clock moved): catching up");
            catch_up();
        } else if network_came_back(&seen, &now) {
            tracing::info!("the network changed: catching up");
            catch_up();
        }
        before = after;
        seen = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clock, test_desk};
    use firmadesk_engine::{EngineConfig, RowStore};
    use firmadesk_store::Batch;
    use std::sync::Arc;

    fn at(wall_s: u64, mono: Instant, mono_s: u64) -> Reading {
        Reading {
            wall: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + wall_s),
            mono: mono + Duration::from_secs(mono_s),
        }
    }

    #[test]
    fn a_wall_clock_jump_past_the_monotonic_one_is_a_wake() {
        let m = Instant::now();
        let slack = Duration::from_secs(30);
        // A tick of 15 s, both clocks agreeing: awake all along.
        assert!(!woke_between(at(0, m, 0), at(15, m, 15), slack));
        // A late tick on a busy machine moves both clocks alike.
        assert!(!woke_between(at(0, m, 0), at(50, m, 50), slack));
        // Two hours asleep: the monotonic clock stood still.
        assert!(woke_between(at(0, m, 0), at(7215, m, 15), slack));
        // Small drift (NTP slewing) is not a wake.
        assert!(!woke_between(at(0, m, 0), at(20, m, 15), slack));
        // The clock set back by an hour: caught up too.
        assert!(woke_between(at(3600, m, 0), at(15, m, 15), slack));
    }

    #[test]
    fn the_attention_mark_is_a_red_dot_in_the_top_right_corner_only() {
        let (w, h) = (32u32, 32u32);
        let icon: Vec<u8> = (0..w * h).flat_map(|_| [0x06, 0x66, 0xcc, 0xff]).collect();
        let marked = with_attention_mark(&icon, w, h);
        assert_eq!(marked.len(), icon.len());
        let px = |x: u32, y: u32| &marked[((y * w + x) * 4) as usize..((y * w + x) * 4 + 4) as usize];
        assert_eq!(px(w - 6, 6), [0xd9, 0x36, 0x4f, 0xff], "red in the corner");
        assert_eq!(px(4, h - 4), [0x06, 0x66, 0xcc, 0xff], "the icon elsewhere");
        assert_eq!(px(w / 2, h / 2), [0x06, 0x66, 0xcc, 0xff]);
        let changed = marked.chunks(4).zip(icon.chunks(4)).filter(|(a, b)| a != b).count();
        assert!(
            changed > 60 && changed < (w * h / 4) as usize,
            "{changed} pixels marked"
        );
    }

    #[tokio::test]
    async fn the_tray_counts_the_waiting_and_da_fare_of_the_active_profile() {
        let tmp = tempfile::tempdir().unwrap();
        let desk = test_desk(tmp.path(), clock());
        assert_eq!(tray_counts(&desk).await, TrayCounts::default());
        let mut waiting = crate::testing::request(&desk, "r1", crate::SANDBOX_PROFILE, "Mario Rossi").await;
        waiting.status = firmadesk_store::Status::Waiting;
        desk.store.update_request(&waiting).await.unwrap();
        let mut failed = crate::testing::request(&desk, "r2", crate::SANDBOX_PROFILE, "Anna Bianchi").await;
        failed.status = firmadesk_store::Status::Failed;
        desk.store.update_request(&failed).await.unwrap();
        assert_eq!(
            tray_counts(&desk).await,
            TrayCounts {
                waiting: 1,
                attention: 1
            }
        );
    }

    #[test]
    fn a_new_or_changed_network_is_worth_a_pass_and_one_going_away_is_not() {
        let wifi = Network::of(&[("wlan0", "192.168.1.20")]);
        let office = Network::of(&[("eth0", "10.0.4.7")]);
        let vpn = Network::of(&[("wlan0", "192.168.1.20"), ("tun0", "10.8.0.2")]);
        let none = Network::default();
        assert!(network_came_back(&none, &wifi), "connected");
        assert!(network_came_back(&wifi, &office), "another network");
        assert!(network_came_back(&wifi, &vpn), "a VPN came up");
        assert!(!network_came_back(&wifi, &none), "disconnected: nothing to reach");
        assert!(!network_came_back(&wifi, &wifi), "unchanged");
        // The order the OS lists interfaces in does not matter.
        let a = Network::of(&[("eth0", "10.0.4.7"), ("wlan0", "192.168.1.20")]);
        let b = Network::of(&[("wlan0", "192.168.1.20"), ("eth0", "10.0.4.7")]);
        assert!(!network_came_back(&a, &b));
    }

    /// The watcher on virtual time: a steady computer never catches up; a network change, then a sleep (the
    /// wall clock jumping an hour past the monotonic one), each catch up once.
    #[tokio::test(start_paused = true)]
    async fn the_watcher_catches_up_once_per_wake_or_network_change() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let start_wall = SystemTime::now();
        let start_mono = tokio::time::Instant::now();
        let real = Instant::now();
        let ticks = Arc::new(AtomicUsize::new(0));
        let caught = Arc::new(AtomicUsize::new(0));
        let (t, c) = (ticks.clone(), caught.clone());
        let clocks = move || {
            // Tick 6 onwards: an hour of sleep the monotonic clock did not see.
            let elapsed = start_mono.elapsed();
            let slept = if t.load(Ordering::SeqCst) >= 6 {
                Duration::from_secs(3600)
            } else {
                Duration::ZERO
            };
            Reading {
                wall: start_wall + elapsed + slept,
                mono: real + elapsed,
            }
        };
        let t = ticks.clone();
        let network = move || {
            let n = t.fetch_add(1, Ordering::SeqCst);
            // Ticks 3.. on another network.
            if n >= 3 {
                Network::of(&[("eth0", "10.0.4.7")])
            } else {
                Network::of(&[("wlan0", "192.168.1.20")])
            }
        };
        let watcher = tokio::spawn(follow_wakes_with(WAKE_TICK, clocks, network, move || {
            c.fetch_add(1, Ordering::SeqCst);
        }));
        let mut seen = Vec::new();
        for _ in 0..9 {
            tokio::time::sleep(WAKE_TICK).await;
            tokio::task::yield_now().await;
            seen.push(caught.load(Ordering::SeqCst));
        }
        watcher.abort();
        assert_eq!(caught.load(Ordering::SeqCst), 2, "{seen:?}");
    }

    #[tokio::test]
    async fn the_notice_is_given_once_in_the_clerks_language() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        crate::app::set_locale(&desk, "en").unwrap();
        let (title, body, _) = first_hide_notice(&desk).expect("told the first time");
        assert_eq!(title, "FirmaDesk keeps working");
        assert!(body.contains("Quit"), "{body}");
        assert_eq!(first_hide_notice(&desk), None, "only once");
        // Remembered across a restart (the settings file).
        assert!(crate::settings::load(dir.path()).unwrap().told_keeps_working);
    }

    #[tokio::test]
    async fn a_list_this_desk_is_sending_holds_the_quit_and_others_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let desk = test_desk(dir.path(), clock());
        let store = Arc::new(RowStore::new(desk.store.clone()));
        let engine = firmadesk_engine::Engine::builder(EngineConfig::new(dir.path().join("archive")), store).build();
        assert_eq!(sends_under_way(&desk, &engine).await, 0);
        let batch = |id: &str, runner: String, state: BatchState| Batch {
            id: id.into(),
            profile_id: crate::SANDBOX_PROFILE.into(),
            document_type: "Accordo".into(),
            name: "elenco.csv".into(),
            created_by: "anna".into(),
            runner,
            state,
            draft_json: "{}".into(),
            created_at: 1,
            updated_at: 1,
        };
        let me = crate::bulk::send::runner_name(&desk);
        for b in [
            batch("MINE", me.clone(), BatchState::Sending),
            batch("PAUSED", me.clone(), BatchState::Paused),
            batch("DONE", me, BatchState::Done),
            batch("OTHER", "someone@else#00000000".into(), BatchState::Sending),
        ] {
            desk.store.save_batch(&b, &[]).await.unwrap();
        }
        assert_eq!(sends_under_way(&desk, &engine).await, 1);
    }
}
