//! When a series' meetings happen: cadence, local time and time zone. Meetings keep their
//! local wall-clock time across daylight-saving changes (a 10:00 meeting stays at 10:00 in its
//! zone; its UTC instant moves).

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Weekly, Cadence::Biweekly, Cadence::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Biweekly => "biweekly",
            Cadence::Monthly => "monthly",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Weekly => "every week",
            Cadence::Biweekly => "every two weeks",
            Cadence::Monthly => "every month",
        }
    }
}

/// A series' rule. The first meeting is on `first_date`; later ones follow the cadence on the
/// same weekday (for monthly: the same week of the month, or the last one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub cadence: Cadence,
    pub first_date: NaiveDate,
    pub local_time: NaiveTime,
    pub tz: Tz,
}

/// One meeting of a series: its number (0 for the first), its local date and its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub index: u32,
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
}

/// The instant of a local date and time in `tz`. A time skipped by a daylight-saving change
/// moves forward by the gap (02:30 on a spring-forward night becomes 03:30); a time that
/// happens twice takes the first.
pub fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // Walk forward a minute at a time to the first time that exists (gaps are < 2 h).
            let mut probe = naive;
            for _ in 0..180 {
                probe += chrono::Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&naive)
        }
    }
}

/// The first date on or after `from` that falls on `weekday`.
pub fn next_weekday(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() as i64 - from.weekday().num_days_from_monday() as i64) % 7;
    from + chrono::Duration::days(ahead)
}

impl Schedule {
    pub fn weekday(&self) -> Weekday {
        self.first_date.weekday()
    }

    /// The weekday in words, e.g. "Tuesday".
    pub fn weekday_name(&self) -> &'static str {
        match self.weekday() {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        }
    }

    /// The local date of meeting number `index`.
    pub fn date_of(&self, index: u32) -> Option<NaiveDate> {
        match self.cadence {
            Cadence::Weekly => self.first_date.checked_add_days(Days::new(7 * index as u64)),
            Cadence::Biweekly => self.first_date.checked_add_days(Days::new(14 * index as u64)),
            Cadence::Monthly => {
                let week = (self.first_date.day0() / 7) + 1; // 1..=5
                let month_start = self.first_date.with_day(1)?.checked_add_months(Months::new(index))?;
                let first_in_month = next_weekday(month_start, self.weekday());
                let nth = first_in_month + chrono::Duration::weeks(week as i64 - 1);
                // A fifth weekday that a month lacks, or any fifth: the last one of the month.
                if week >= 5 || nth.month() != month_start.month() {
                    let mut last = nth;
                    while last.month() != month_start.month() {
                        last -= chrono::Duration::weeks(1);
                    }
                    let mut probe = last;
                    while (probe + chrono::Duration::weeks(1)).month() == month_start.month() {
                        probe += chrono::Duration::weeks(1);
                    }
                    Some(probe)
                } else {
                    Some(nth)
                }
            }
        }
    }

    pub fn occurrence(&self, index: u32) -> Option<Occurrence> {
        let local_date = self.date_of(index)?;
        Some(Occurrence { index, local_date, starts_at: local_instant(self.tz, local_date, self.local_time) })
    }

    /// Every meeting starting at or after `from` and before `to`, in order.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Occurrence> {
        let period_days = match self.cadence {
            Cadence::Weekly => 7,
            Cadence::Biweekly => 14,
            Cadence::Monthly => 31, // never more months than this, so the estimate stays early
        };
        // Start a little before the first candidate, so no occurrence is skipped.
        let days_in = (from.date_naive() - self.first_date).num_days();
        let mut index = if days_in > 0 { ((days_in / period_days) as u32).saturating_sub(2) } else { 0 };
        let mut out = vec![];
        while let Some(o) = self.occurrence(index) {
            if o.starts_at >= to {
                break;
            }
            if o.starts_at >= from {
                out.push(o);
            }
            index += 1;
        }
        out
    }

    /// The next `n` meetings starting at or after `from`.
    pub fn next(&self, from: DateTime<Utc>, n: usize) -> Vec<Occurrence> {
        let horizon = from + chrono::Duration::days(32 * n as i64 + 32);
        self.between(from, horizon).into_iter().take(n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn weekly_meetings_keep_their_local_time_across_daylight_saving() {
        // Berlin leaves summer time on 25 October 2026. A Tuesday 10:00 meeting stays at 10:00.
        let s = Schedule { cadence: Cadence::Weekly, first_date: date(2026, 10, 20), local_time: at(10, 0), tz: chrono_tz::Europe::Berlin };
        let a = s.occurrence(0).unwrap();
        let b = s.occurrence(1).unwrap();
        assert_eq!(a.starts_at.to_rfc3339(), "2026-10-20T08:00:00+00:00");
        assert_eq!(b.starts_at.to_rfc3339(), "2026-10-27T09:00:00+00:00");
        assert_eq!(b.starts_at.with_timezone(&chrono_tz::Europe::Berlin).time(), at(10, 0));
    }

    #[test]
    fn a_time_skipped_by_spring_forward_moves_to_the_first_time_that_exists() {
        // New York skips 02:00–03:00 on 8 March 2026.
        let t = local_instant(chrono_tz::America::New_York, date(2026, 3, 8), at(2, 30));
        assert_eq!(t.to_rfc3339(), "2026-03-08T07:00:00+00:00"); // 03:00 EDT
        // 01:30 happens twice on 1 November 2026: the first one (EDT) is taken.
        let t = local_instant(chrono_tz::America::New_York, date(2026, 11, 1), at(1, 30));
        assert_eq!(t.to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }

    #[test]
    fn biweekly_and_monthly_follow_their_rule() {
        let s = Schedule { cadence: Cadence::Biweekly, first_date: date(2026, 1, 6), local_time: at(9, 0), tz: chrono_tz::UTC };
        assert_eq!(s.date_of(2), Some(date(2026, 2, 3)));
        // The second Thursday of each month.
        let m = Schedule { cadence: Cadence::Monthly, first_date: date(2026, 1, 8), local_time: at(9, 0), tz: chrono_tz::UTC };
        assert_eq!(m.date_of(1), Some(date(2026, 2, 12)));
        assert_eq!(m.date_of(2), Some(date(2026, 3, 12)));
        // A fifth Friday becomes the last Friday in months without one.
        let last = Schedule { cadence: Cadence::Monthly, first_date: date(2026, 1, 30), local_time: at(9, 0), tz: chrono_tz::UTC };
        assert_eq!(last.date_of(1), Some(date(2026, 2, 27)));
        assert_eq!(last.date_of(4), Some(date(2026, 5, 29)));
    }

    #[test]
    fn next_weekday_finds_the_same_day_or_later() {
        assert_eq!(next_weekday(date(2026, 11, 23), Weekday::Mon), date(2026, 11, 23));
        assert_eq!(next_weekday(date(2026, 11, 24), Weekday::Mon), date(2026, 11, 30));
    }

    proptest! {
        /// Occurrences come in strictly increasing order, inside the window asked for, at the
        /// series' local time whatever the zone.
        #[test]
        fn occurrences_are_ordered_inside_their_window_and_at_local_time(
            day in 0u32..700, hour in 0u32..24, cadence in 0usize..3, tz in 0usize..4, from_days in 0i64..900, span in 1i64..400)
        {
            let zones = [chrono_tz::Europe::Berlin, chrono_tz::America::New_York, chrono_tz::Australia::Sydney, chrono_tz::Asia::Kolkata];
            let s = Schedule {
                cadence: Cadence::ALL[cadence],
                first_date: date(2025, 1, 1) + chrono::Duration::days(day as i64),
                local_time: at(hour, 15),
                tz: zones[tz],
            };
            let from = Utc.from_utc_datetime(&date(2025, 1, 1).and_time(at(0, 0))) + chrono::Duration::days(from_days);
            let to = from + chrono::Duration::days(span);
            let list = s.between(from, to);
            for w in list.windows(2) {
                prop_assert!(w[0].starts_at < w[1].starts_at);
                prop_assert_eq!(w[0].index + 1, w[1].index);
            }
            for o in &list {
                prop_assert!(o.starts_at >= from && o.starts_at < to);
                let local = o.starts_at.with_timezone(&zones[tz]);
                prop_assert_eq!(local.date_naive(), o.local_date);
                prop_assert_eq!(local.weekday(), s.weekday());
            }
            // Nothing in the window was missed: the occurrence before the first is before `from`.
            if let Some(first) = list.first().filter(|f| f.index > 0) {
                prop_assert!(s.occurrence(first.index - 1).unwrap().starts_at < from);
            }
        }
    }
}
