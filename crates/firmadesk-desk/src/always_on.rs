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

/// Watches for wakes from sleep for as long as the app runs and makes the engine catch up at once
/// ([`Engine::catch_up`]: every poller passes, queued sends retry). A heuristic on the two clocks: a
/// ticking task sees the wall clock jump ahead of the monotonic one. It covers suspend and hibernate on
/// Linux and macOS, whose monotonic clocks stop while asleep; on Windows the monotonic clock may keep
/// counting through sleep, and then only the next poll (at most the slow pause) catches up.
pub async fn follow_wakes(engine: &Engine) {
    let mut before = Reading::now();
    loop {
        tokio::time::sleep(WAKE_TICK).await;
        let after = Reading::now();
        if woke_between(before, after, WAKE_SLACK) {
            tracing::info!("the computer woke from sleep (or its clock moved): catching up");
            engine.catch_up();
        }
        before = after;
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
