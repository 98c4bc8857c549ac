//! Which notifications go out, and when: the clerk's per-kind switches, quiet hours and grouping
//! (issue #16). A pure function, [`plan`], over the notices waiting to be shown, with the time injected;
//! [`crate::notify`] keeps the queue and words what [`plan`] lets out.
//!
//! - Grouping: what arrives together is shown together. The engine tells the notifier when a sync pass
//!   ends (everything the pass found is then shown at once); otherwise (sends that stop, which come from
//!   their own tasks) a batch goes out once no new notice came for [`SETTLE_MS`]. In a batch, the notices
//!   of one [`Topic`] become one notification when there are several ("3 documenti firmati", naming nobody,
//!   opening FirmaDesk), or the notice itself when it is alone (naming the request and opening it).
//! - Quiet hours (local time, e.g. 19:00–08:00): notices are held, not dropped, and shown grouped at the
//!   first delivery after the quiet hours end. What they report waits for the clerk's action (a refused
//!   signature, a failed send, a deadline), so a morning summary is worth more than silence; and at night
//!   nobody is disturbed. Held notices live in memory: quitting FirmaDesk during quiet hours loses them
//!   (what they report stays on the dashboard).
//! - A notice superseded within its batch is left out: "in scadenza" when the same request was signed,
//!   refused or expired since.

use firmadesk_engine::{Notification, NotificationKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How long a batch waits for more notices (with no end of a sync pass to close it), in ms.
pub const SETTLE_MS: i64 = 3_000;

/// The kinds of notification the clerk can turn on and off, each grouped on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Signed and archived.
    Signed,
    /// The signature was not completed.
    Rejected,
    /// Less than 48 hours to the deadline.
    Expiring,
    /// The deadline passed unsigned.
    Expired,
    /// A send stopped: failed, or a document to fix.
    SendFailed,
    /// Signed, but the archive failed.
    ArchiveFailed,
    /// Signed and archived, but the verification says "Firma non valida" (issue #14).
    SignatureInvalid,
}

impl Topic {
    /// Every topic, in the order Impostazioni lists them.
    pub const ALL: [Topic; 7] = [
        Topic::Signed,
        Topic::Rejected,
        Topic::Expiring,
        Topic::Expired,
        Topic::SendFailed,
        Topic::ArchiveFailed,
        Topic::SignatureInvalid,
    ];

    /// The topic of an engine notification.
    pub fn of(kind: NotificationKind) -> Self {
        match kind {
            NotificationKind::Signed => Self::Signed,
            NotificationKind::SignedNotArchived => Self::ArchiveFailed,
            NotificationKind::Rejected => Self::Rejected,
            NotificationKind::Expiring => Self::Expiring,
            NotificationKind::Expired => Self::Expired,
            NotificationKind::SendFailed | NotificationKind::NeedsEdit => Self::SendFailed,
            NotificationKind::SignatureInvalid => Self::SignatureInvalid,
        }
    }

    /// Its name in the catalogues and in the settings file (`signed`, `send_failed`...).
    pub fn code(self) -> &'static str {
        match self {
            Self::Signed => "signed",
            Self::Rejected => "rejected",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::SendFailed => "send_failed",
            Self::ArchiveFailed => "archive_failed",
            Self::SignatureInvalid => "signature_invalid",
        }
    }
}

/// A time of day, in minutes after midnight; written `"HH:MM"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// `hour:minute`, if it is one.
    pub fn new(hour: u16, minute: u16) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(Self(hour * 60 + minute))
    }

    /// Reads `"HH:MM"` (what a time field gives).
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        Self::new(h.parse().ok()?, m.parse().ok()?)
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a time of day: {text:?}")))
    }
}

/// Quiet hours: from `from` (included) to `to` (excluded), across midnight when `to` comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// Whether they apply (the times are kept while they are off, to turn them on again).
    pub on: bool,
    /// Start.
    pub from: TimeOfDay,
    /// End.
    pub to: TimeOfDay,
}

impl Default for QuietHours {
    /// Off, 19:00–08:00 when turned on.
    fn default() -> Self {
        Self {
            on: false,
            from: TimeOfDay(19 * 60),
            to: TimeOfDay(8 * 60),
        }
    }
}

impl QuietHours {
    /// Whether `minute` (of the local day) falls in them. Equal ends mean none.
    pub fn contains(&self, minute: u16) -> bool {
        let (from, to) = (self.from.0, self.to.0);
        self.on
            && if from <= to {
                (from..to).contains(&minute)
            } else {
                minute >= from || minute < to
            }
    }
}

/// What the clerk chose in Impostazioni › Notifiche besides on/off and names (kept in the settings file).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticePrefs {
    /// Kinds turned off (all on by default).
    pub off: BTreeSet<Topic>,
    /// Quiet hours.
    pub quiet: QuietHours,
}

/// [`NoticePrefs`] as the settings page sends them: the times as typed, checked by [`NoticeChoice::apply`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NoticeChoice {
    /// Kinds turned off.
    #[serde(default)]
    pub off: BTreeSet<Topic>,
    /// Quiet hours.
    pub quiet: QuietChoice,
}

/// Quiet hours as typed (`"HH:MM"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuietChoice {
    /// On or off.
    pub on: bool,
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
}

impl NoticeChoice {
    /// The preferences this choice makes of `current`. Times must be valid while quiet hours are on; while
    /// they are off an invalid (e.g. cleared) time keeps the one before. `Err` holds the time refused.
    pub fn apply(&self, current: &NoticePrefs) -> Result<NoticePrefs, String> {
        let time = |typed: &str, before: TimeOfDay| match TimeOfDay::parse(typed) {
            Some(t) => Ok(t),
            None if !self.quiet.on => Ok(before),
            None => Err(typed.to_owned()),
        };
        Ok(NoticePrefs {
            off: self.off.clone(),
            quiet: QuietHours {
                on: self.quiet.on,
                from: time(&self.quiet.from, current.quiet.from)?,
                to: time(&self.quiet.to, current.quiet.to)?,
            },
        })
    }
}

/// A notice waiting to be shown, with when it arrived (unix ms).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    /// What the engine said.
    pub notice: Notification,
    /// When it arrived.
    pub at_ms: i64,
}

/// Now, as [`plan`] needs it: the instant and the local time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// Unix milliseconds.
    pub ms: i64,
    /// Minutes after local midnight.
    pub minute: u16,
}

impl Now {
    /// `ms` read in time zone `tz` (the system's in the app, a fixed one in tests).
    pub fn in_zone(ms: i64, tz: &jiff::tz::TimeZone) -> Self {
        let minute = jiff::Timestamp::from_millisecond(ms)
            .map(|t| {
                let time = t.to_zoned(tz.clone()).time();
                u16::try_from(time.hour()).unwrap_or(0) * 60 + u16::try_from(time.minute()).unwrap_or(0)
            })
            .unwrap_or(0);
        Self { ms, minute }
    }
}

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// A notice alone in its topic: worded as itself, opens its request.
    One(Notification),
    /// Several notices of one topic: "3 documenti firmati", opens FirmaDesk.
    Many {
        /// Their topic.
        topic: Topic,
        /// How many.
        count: usize,
    },
}

/// What to show now and what to keep waiting, given the notices waiting (in arrival order), now, the
/// clerk's choices, and whether a sync pass just ended (`pass_ended`: the batch is complete).
///
/// Notices of a kind turned off are dropped; during quiet hours everything is kept; otherwise the batch
/// goes out when a pass ended or when its newest notice is [`SETTLE_MS`] old, grouped by topic in the
/// order each topic first arrived.
pub fn plan(pending: Vec<Pending>, now: Now, prefs: &NoticePrefs, pass_ended: bool) -> (Vec<Outgoing>, Vec<Pending>) {
    let pending: Vec<Pending> = pending
        .into_iter()
        .filter(|p| !prefs.off.contains(&Topic::of(p.notice.kind)))
        .collect();
    let newest = pending.iter().map(|p| p.at_ms).max();
    let settled = newest.is_some_and(|at| now.ms - at >= SETTLE_MS);
    if pending.is_empty() || prefs.quiet.contains(now.minute) || !(pass_ended || settled) {
        return (Vec::new(), pending);
    }
    // An "in scadenza" the same request has moved on from says nothing any more.
    let superseded = |i: usize, p: &Pending| {
        p.notice.kind == NotificationKind::Expiring
            && pending[i + 1..]
                .iter()
                .any(|later| later.notice.local_id == p.notice.local_id)
    };
    let mut groups: Vec<(Topic, Vec<Notification>)> = Vec::new();
    for (i, p) in pending.iter().enumerate() {
        if superseded(i, p) {
            continue;
        }
        let topic = Topic::of(p.notice.kind);
        match groups.iter_mut().find(|(t, _)| *t == topic) {
            Some((_, notices)) => notices.push(p.notice.clone()),
            None => groups.push((topic, vec![p.notice.clone()])),
        }
    }
    let out = groups
        .into_iter()
        .map(|(topic, mut notices)| {
            if notices.len() == 1 {
                Outgoing::One(notices.remove(0))
            } else {
                Outgoing::Many {
                    topic,
                    count: notices.len(),
                }
            }
        })
        .collect();
    (out, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmadesk_engine::NotificationKind as K;

    fn notice(kind: K, id: &str, at_ms: i64) -> Pending {
        Pending {
            notice: Notification {
                kind,
                local_id: id.into(),
                request_title: format!("Accordo {id}"),
                signer_name: "Mario Rossi".into(),
                reason: None,
                error: None,
            },
            at_ms,
        }
    }

    fn at(ms: i64, hour: u16, minute: u16) -> Now {
        Now {
            ms,
            minute: hour * 60 + minute,
        }
    }

    fn quiet(from: &str, to: &str) -> NoticePrefs {
        NoticePrefs {
            quiet: QuietHours {
                on: true,
                from: TimeOfDay::parse(from).unwrap(),
                to: TimeOfDay::parse(to).unwrap(),
            },
            ..NoticePrefs::default()
        }
    }

    fn ids(out: &[Outgoing]) -> Vec<String> {
        out.iter()
            .map(|o| match o {
                Outgoing::One(n) => n.local_id.to_string(),
                Outgoing::Many { topic, count } => format!("{count} {}", topic.code()),
            })
            .collect()
    }

    #[test]
    fn a_pass_that_found_several_of_a_kind_says_so_once_and_a_single_one_by_name() {
        let batch = vec![
            notice(K::Signed, "a", 1_000),
            notice(K::Rejected, "b", 1_001),
            notice(K::Signed, "c", 1_002),
            notice(K::Signed, "d", 1_003),
        ];
        let (out, kept) = plan(batch, at(1_010, 10, 0), &NoticePrefs::default(), true);
        assert!(kept.is_empty());
        assert_eq!(ids(&out), ["3 signed", "b"]);
    }

    #[test]
    fn without_the_end_of_a_pass_a_batch_waits_until_nothing_new_came_for_the_settle_time() {
        let batch = vec![notice(K::SendFailed, "a", 1_000), notice(K::NeedsEdit, "b", 2_000)];
        let prefs = NoticePrefs::default();
        // 2.9 s after the last one: another may follow.
        let (out, kept) = plan(batch, at(2_000 + SETTLE_MS - 1, 10, 0), &prefs, false);
        assert!(out.is_empty());
        assert_eq!(kept.len(), 2);
        // Settled: both stopped sends in one notification.
        let (out, kept) = plan(kept, at(2_000 + SETTLE_MS, 10, 0), &prefs, false);
        assert!(kept.is_empty());
        assert_eq!(ids(&out), ["2 send_failed"]);
        // Nothing waiting, nothing shown.
        assert_eq!(
            plan(Vec::new(), at(99_999, 10, 0), &prefs, true),
            (Vec::new(), Vec::new())
        );
    }

    #[test]
    fn quiet_hours_hold_everything_and_it_goes_out_grouped_when_they_end() {
        let prefs = quiet("19:00", "08:00");
        let mut held = Vec::new();
        // A night of passes: signed at 21:00, two more signed and a refusal past midnight.
        for (ms, kind, id, hour) in [
            (1, K::Signed, "a", 21),
            (2, K::Signed, "b", 0),
            (3, K::Rejected, "c", 2),
            (4, K::Signed, "d", 7),
        ] {
            held.push(notice(kind, id, ms * 3_600_000));
            let (out, kept) = plan(held, at(ms * 3_600_000 + SETTLE_MS, hour, 59), &prefs, true);
            assert!(out.is_empty(), "shown at {hour}:59 during quiet hours: {out:?}");
            held = kept;
        }
        assert_eq!(held.len(), 4);
        // 07:59 still quiet, 08:00 not: the first delivery after that shows the night in two notifications.
        let (out, held) = plan(held, at(10 * 3_600_000, 7, 59), &prefs, false);
        assert!(out.is_empty());
        let (out, held) = plan(held, at(10 * 3_600_000, 8, 0), &prefs, false);
        assert!(held.is_empty());
        assert_eq!(ids(&out), ["3 signed", "c"]);
    }

    #[test]
    fn quiet_hours_within_one_day_and_turned_off() {
        let day = quiet("12:30", "14:00");
        assert!(!day.quiet.contains(12 * 60 + 29));
        assert!(day.quiet.contains(12 * 60 + 30));
        assert!(day.quiet.contains(13 * 60 + 59));
        assert!(!day.quiet.contains(14 * 60));
        let night = quiet("19:00", "08:00");
        assert!(night.quiet.contains(23 * 60) && night.quiet.contains(0) && night.quiet.contains(7 * 60 + 59));
        assert!(!night.quiet.contains(8 * 60) && !night.quiet.contains(18 * 60 + 59));
        let mut off = night.clone();
        off.quiet.on = false;
        let (out, _) = plan(vec![notice(K::Signed, "a", 0)], at(SETTLE_MS, 23, 0), &off, false);
        assert_eq!(ids(&out), ["a"]);
        assert!(
            !quiet("09:00", "09:00").quiet.contains(9 * 60),
            "equal ends: no quiet hours"
        );
    }

    #[test]
    fn a_kind_turned_off_is_dropped_even_while_held() {
        let mut prefs = quiet("19:00", "08:00");
        let held = vec![
            notice(K::Signed, "a", 0),
            notice(K::Expired, "b", 1),
            notice(K::Signed, "c", 2),
        ];
        let (_, held) = plan(held, at(SETTLE_MS, 22, 0), &prefs, true);
        assert_eq!(held.len(), 3);
        // The clerk turns "firmato" off during the night.
        prefs.off.insert(Topic::Signed);
        let (out, held) = plan(held, at(2 + SETTLE_MS, 8, 30), &prefs, false);
        assert!(held.is_empty());
        assert_eq!(ids(&out), ["b"]);
    }

    #[test]
    fn an_expiring_notice_the_request_moved_on_from_is_left_out() {
        let batch = vec![
            notice(K::Expiring, "a", 0),
            notice(K::Expiring, "b", 1),
            notice(K::Expired, "a", 2),
            notice(K::Signed, "b", 3),
            notice(K::Expiring, "c", 4),
        ];
        let (out, _) = plan(batch, at(10, 8, 0), &NoticePrefs::default(), true);
        // Grouped in the order each remaining topic first came: expired (a), signed (b), expiring (c).
        assert_eq!(ids(&out), ["a", "b", "c"]);
    }

    #[test]
    fn every_kind_has_its_topic_and_archive_failures_are_their_own() {
        assert_eq!(Topic::of(K::SignedNotArchived), Topic::ArchiveFailed);
        assert_eq!(Topic::of(K::NeedsEdit), Topic::SendFailed);
        let batch = vec![notice(K::Signed, "a", 0), notice(K::SignedNotArchived, "b", 1)];
        let (out, _) = plan(batch, at(10, 8, 0), &NoticePrefs::default(), true);
        assert_eq!(ids(&out), ["a", "b"], "not one group of two signed");
    }

    #[test]
    fn times_of_day_read_and_write_as_hh_mm() {
        assert_eq!(TimeOfDay::parse("19:00").map(TimeOfDay::minutes), Some(19 * 60));
        assert_eq!(
            TimeOfDay::parse("8:05").map(|t| t.to_string()).as_deref(),
            Some("08:05")
        );
        for bad in ["", "24:00", "12:60", "12", "12:5", "ab:cd", "-1:00", "123:00"] {
            assert_eq!(TimeOfDay::parse(bad), None, "{bad:?}");
        }
        let prefs: NoticePrefs =
            serde_json::from_str(r#"{"off":["expiring"],"quiet":{"on":true,"from":"19:30","to":"07:45"}}"#).unwrap();
        assert!(prefs.off.contains(&Topic::Expiring));
        assert_eq!(prefs.quiet.from.to_string(), "19:30");
        assert_eq!(serde_json::to_value(prefs.quiet).unwrap()["to"], "07:45");
        assert_eq!(NoticePrefs::default().quiet.from.to_string(), "19:00");
    }

    #[test]
    fn a_choice_needs_valid_times_only_while_quiet_hours_are_on() {
        let current = NoticePrefs::default();
        let choice = |on: bool, from: &str, to: &str| NoticeChoice {
            off: [Topic::Signed].into(),
            quiet: QuietChoice {
                on,
                from: from.into(),
                to: to.into(),
            },
        };
        let prefs = choice(true, "20:00", "7:30").apply(&current).unwrap();
        assert!(prefs.quiet.on && prefs.off.contains(&Topic::Signed));
        assert_eq!(
            (prefs.quiet.from.to_string(), prefs.quiet.to.to_string()),
            ("20:00".into(), "07:30".into())
        );
        assert_eq!(choice(true, "", "08:00").apply(&current), Err(String::new()));
        assert_eq!(choice(true, "25:00", "08:00").apply(&current), Err("25:00".into()));
        let off = choice(false, "", "08:00").apply(&prefs).unwrap();
        assert!(!off.quiet.on);
        assert_eq!(
            off.quiet.from.to_string(),
            "20:00",
            "kept for the next time they are turned on"
        );
    }

    #[test]
    fn local_time_is_read_in_the_zone_given() {
        let rome = jiff::tz::TimeZone::get("Europe/Rome").unwrap();
        // 2027-01-15T18:30:00Z is 19:30 in Rome (winter), 2027-07-15T18:30:00Z is 20:30 (summer).
        let winter = "2027-01-15T18:30:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond();
        let summer = "2027-07-15T18:30:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond();
        assert_eq!(Now::in_zone(winter, &rome).minute, 19 * 60 + 30);
        assert_eq!(Now::in_zone(summer, &rome).minute, 20 * 60 + 30);
    }
}
