//! Rules for messages: how long a failing job waits before its next try, and when a reminder
//! may arrive (never in the person's quiet hours, in their own time zone).

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Days without a 1:1 before a manager hears about it.
pub const GAP_DAYS: i64 = 21;

/// How many times a job is tried before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before try number `attempts + 1`, after `attempts` failed tries: one minute, then
/// doubling, at most six hours (1, 2, 4, 8 … minutes).
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = (attempts.max(1) - 1).min(20) as u32;
    let minutes = 1i64.checked_shl(exp).unwrap_or(i64::MAX).min(6 * 60);
    Duration::minutes(minutes)
}

/// Each person's choices about reminders. Everything is on by default, with quiet hours from
/// 20:00 to 08:00 in their time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Before each 1:1: open actions and the other person's topics.
    pub prep_reminder: bool,
    /// How many hours before the meeting the prep reminder comes.
    pub prep_hours: u32,
    /// For the teammate: "add your topics" a day or two ahead.
    pub topic_nudge: bool,
    pub overdue_actions: bool,
    /// For managers: "no 1:1 held with X in three weeks".
    pub gap_alert: bool,
    pub weekly_digest: bool,
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
    /// A Slack-compatible incoming webhook that gets the same reminders; empty for none.
    pub webhook_url: String,
    /// For managers: a team channel's webhook that gets the nudges to add topics sent to their
    /// direct reports (when and with whom only, never content); empty for none.
    pub team_webhook_url: String,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            prep_reminder: true,
            prep_hours: 24,
            topic_nudge: true,
            overdue_actions: true,
            gap_alert: true,
            weekly_digest: true,
            quiet_start: NaiveTime::from_hms_opt(20, 0, 0).expect("valid"),
            quiet_end: NaiveTime::from_hms_opt(8, 0, 0).expect("valid"),
            webhook_url: String::new(),
            team_webhook_url: String::new(),
        }
    }
}

impl ReminderSettings {
    /// Whether a local time of day falls in the quiet hours (which may span midnight).
    pub fn is_quiet(&self, t: NaiveTime) -> bool {
        let (s, e) = (self.quiet_start, self.quiet_end);
        if s == e {
            false
        } else if s < e {
            t >= s && t < e
        } else {
            t >= s || t < e
        }
    }

    /// When a reminder due at `due` may be delivered to someone in `tz`: at once, unless that
    /// falls in their quiet hours; then when the quiet hours end, or, if that would be after
    /// `deadline` (the meeting it is about), just before they began.
    pub fn delivery_time(&self, due: DateTime<Utc>, tz: Tz, deadline: Option<DateTime<Utc>>) -> DateTime<Utc> {
        let local = due.with_timezone(&tz);
        if !self.is_quiet(local.time()) {
            return due;
        }
        let mut end_date = local.date_naive();
        if local.time() >= self.quiet_end {
            end_date = end_date.succ_opt().unwrap_or(end_date);
        }
        let end = super::schedule::local_instant(tz, end_date, self.quiet_end);
        match deadline {
            Some(d) if end >= d => {
                let mut start_date = local.date_naive();
                if local.time() < self.quiet_start {
                    start_date = start_date.pred_opt().unwrap_or(start_date);
                }
                let start = super::schedule::local_instant(tz, start_date, self.quiet_start) - Duration::minutes(1);
                start.min(due)
            }
            _ => end,
        }
    }
}

/// The instant of the prep reminder for a meeting at `starts_at`.
pub fn prep_due(starts_at: DateTime<Utc>, hours: u32) -> DateTime<Utc> {
    starts_at - Duration::hours(hours as i64)
}

/// Parses "HH:MM".
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// Monday 08:00 in `tz` of the week that contains `t`, for the weekly digest's key and time.
pub fn week_start(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    use chrono::Datelike;
    let local = t.with_timezone(&tz).date_naive();
    let monday = local - Duration::days(local.weekday().num_days_from_monday() as i64);
    let eight = NaiveTime::from_hms_opt(8, 0, 0).expect("valid");
    tz.from_local_datetime(&monday.and_time(eight)).earliest().map(|x| x.with_timezone(&Utc)).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        let waits: Vec<i64> = (1..=12).map(|a| retry_delay(a).num_minutes()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
        assert_eq!(retry_delay(0).num_minutes(), 1);
        assert_eq!(retry_delay(1_000).num_minutes(), 360);
    }

    #[test]
    fn quiet_hours_may_span_midnight() {
        let s = ReminderSettings::default();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(s.is_quiet(t(23, 0)));
        assert!(s.is_quiet(t(7, 59)));
        assert!(!s.is_quiet(t(8, 0)));
        assert!(!s.is_quiet(t(19, 59)));
        let day = ReminderSettings { quiet_start: t(12, 0), quiet_end: t(13, 0), ..Default::default() };
        assert!(day.is_quiet(t(12, 30)));
        assert!(!day.is_quiet(t(13, 30)));
    }

    #[test]
    fn a_reminder_due_at_night_waits_for_the_morning_in_the_persons_zone() {
        let s = ReminderSettings::default();
        let tokyo = chrono_tz::Asia::Tokyo; // UTC+9
        // 14:00 UTC is 23:00 in Tokyo: delivered at 08:00 Tokyo, 23:00 UTC.
        assert_eq!(s.delivery_time(at(2026, 11, 23, 14, 0), tokyo, None), at(2026, 11, 23, 23, 0));
        // 02:00 UTC is 11:00 in Tokyo: at once.
        assert_eq!(s.delivery_time(at(2026, 11, 24, 2, 0), tokyo, None), at(2026, 11, 24, 2, 0));
        // The same instant is daytime in London, so it is sent at once there.
        assert_eq!(s.delivery_time(at(2026, 11, 23, 14, 0), chrono_tz::Europe::London, None), at(2026, 11, 23, 14, 0));
    }

    #[test]
    fn a_prep_reminder_never_arrives_after_its_meeting_starts() {
        let s = ReminderSettings::default();
        let berlin = chrono_tz::Europe::Berlin; // UTC+1 in November
        // A 07:30 meeting; the reminder is due at 22:00 the evening before (quiet): it comes
        // at 19:59, before the quiet hours, because 08:00 would be after the meeting.
        let meeting = at(2026, 11, 24, 6, 30);
        let due = at(2026, 11, 23, 21, 0);
        assert_eq!(s.delivery_time(due, berlin, Some(meeting)), at(2026, 11, 23, 18, 59));
        // Due at 03:00 local for the same meeting: also the evening before.
        assert_eq!(s.delivery_time(at(2026, 11, 24, 2, 0), berlin, Some(meeting)), at(2026, 11, 23, 18, 59));
    }

    #[test]
    fn quiet_hours_follow_daylight_saving() {
        let s = ReminderSettings::default();
        let berlin = chrono_tz::Europe::Berlin;
        // Summer: 08:00 CEST is 06:00 UTC.
        assert_eq!(s.delivery_time(at(2026, 7, 1, 3, 0), berlin, None), at(2026, 7, 1, 6, 0));
        // Winter: 08:00 CET is 07:00 UTC.
        assert_eq!(s.delivery_time(at(2026, 12, 1, 3, 0), berlin, None), at(2026, 12, 1, 7, 0));
    }

    #[test]
    fn the_prep_reminder_is_the_chosen_hours_before() {
        assert_eq!(prep_due(at(2026, 11, 24, 9, 0), 24), at(2026, 11, 23, 9, 0));
    }
}
