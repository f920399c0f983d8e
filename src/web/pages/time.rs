//! Dates and times as the pages show them, in the reader's time zone.

use crate::domain::Person;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

pub(super) fn tz_of(p: &Person) -> Tz {
    p.timezone.tz()
}

/// "Tue 24 Nov, 10:00" in `tz`; the year is added when it is not this year.
pub(super) fn when(at: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tz);
    if local.year() == now.with_timezone(&tz).year() {
        local.format("%a %-d %b, %H:%M").to_string()
    } else {
        local.format("%a %-d %b %Y, %H:%M").to_string()
    }
}

/// Like [`when`], with "Today" and "Tomorrow" for the next two days.
pub(super) fn when_soon(at: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> String {
    let local = at.with_timezone(&tz);
    let today = today_in(tz, now);
    if local.date_naive() == today {
        format!("Today, {}", local.format("%H:%M"))
    } else if local.date_naive() == today + Duration::days(1) {
        format!("Tomorrow, {}", local.format("%H:%M"))
    } else {
        when(at, tz, now)
    }
}

/// "Fri 27 Nov" (with the year when it is not this year).
pub(super) fn day(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() { d.format("%a %-d %b").to_string() } else { d.format("%a %-d %b %Y").to_string() }
}

/// A day in words: "Friday 27 November" (with the year when it is not this year).
pub(super) fn day_in_words(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() { d.format("%A %-d %B").to_string() } else { d.format("%A %-d %B %Y").to_string() }
}

pub(super) fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// Moments in words for one reader: their zone and the time of the request.
#[derive(Clone, Copy)]
pub struct Words {
    tz: Tz,
    now: DateTime<Utc>,
}

impl Words {
    pub(super) fn for_reader(reader: &Person, now: DateTime<Utc>) -> Words {
        Words { tz: tz_of(reader), now }
    }

    /// A past (or coming) moment as people say it: "just now", "12 minutes ago", "today at
    /// 15:27", "yesterday at 09:10", "3 days ago", then "Thursday 3 December" (with the year
    /// when it is not this one); "tomorrow at 08:00" and the like for what is still to come.
    pub fn ago(&self, at: &DateTime<Utc>) -> String {
        let at = *at;
        let local = at.with_timezone(&self.tz);
        let today = today_in(self.tz, self.now);
        let day = local.date_naive();
        let clock = local.format("%H:%M");
        let gap = self.now - at;
        if gap >= Duration::zero() && gap < Duration::minutes(1) {
            return "just now".into();
        }
        if gap >= Duration::zero() && gap < Duration::hours(1) {
            let m = gap.num_minutes();
            return if m == 1 { "a minute ago".into() } else { format!("{m} minutes ago") };
        }
        match (day - today).num_days() {
            0 => format!("today at {clock}"),
            -1 => format!("yesterday at {clock}"),
            1 => format!("tomorrow at {clock}"),
            d @ -6..=-2 => format!("{} days ago", -d),
            _ if day.year() == today.year() => local.format("%A %-d %B").to_string(),
            _ => local.format("%A %-d %B %Y").to_string(),
        }
    }

    /// The day of a moment, in words: "Thursday 27 August" (with the year when it is not this one).
    pub fn day(&self, at: &DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.tz);
        let fmt = if local.year() == today_in(self.tz, self.now).year() { "%A %-d %B" } else { "%A %-d %B %Y" };
        local.format(fmt).to_string()
    }

    /// The month of a moment: "August 2026".
    pub fn month(&self, at: &DateTime<Utc>) -> String {
        at.with_timezone(&self.tz).format("%B %Y").to_string()
    }

    /// The exact moment, named: "Thursday 3 December 2026, 15:27 (Europe/Berlin)".
    pub fn exact(&self, at: &DateTime<Utc>) -> String {
        format!("{} ({})", at.with_timezone(&self.tz).format("%A %-d %B %Y, %H:%M"), self.tz.name())
    }
}

/// The other person's local time of `at` ("18:00 for Tom", with the weekday when their day is
/// not the reader's), or `None` where it reads the same as the reader's.
pub(super) fn their_time(at: DateTime<Utc>, reader: Tz, other: &Person) -> Option<String> {
    let first = other.name.split_whitespace().next().unwrap_or(&other.name);
    let (mine, theirs) = (at.with_timezone(&reader), at.with_timezone(&tz_of(other)));
    if mine.format("%a %H:%M").to_string() == theirs.format("%a %H:%M").to_string() {
        return None;
    }
    let day = if mine.date_naive() == theirs.date_naive() { String::new() } else { theirs.format("%a ").to_string() };
    Some(format!("{day}{} for {first}", theirs.format("%H:%M")))
}

#[cfg(test)]
mod tests {
    use super::Words;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn moments_read_as_people_say_them_in_the_readers_zone() {
        let w = Words { tz: chrono_tz::Asia::Singapore, now: at("2026-12-04T15:27:00Z") };
        for (moment, said) in [
            ("2026-12-04T15:26:30Z", "just now"),
            ("2026-12-04T15:15:00Z", "12 minutes ago"),
            ("2026-12-04T12:00:00Z", "today at 20:00"),
            ("2026-12-03T12:00:00Z", "yesterday at 20:00"),
            ("2026-12-04T15:59:00Z", "today at 23:59"),
            ("2026-12-01T09:00:00Z", "3 days ago"),
            ("2026-11-20T09:00:00Z", "Friday 20 November"),
            ("2025-11-20T09:00:00Z", "Thursday 20 November 2025"),
            ("2026-12-05T01:00:00Z", "tomorrow at 09:00"),
        ] {
            assert_eq!(w.ago(&at(moment)), said, "{moment}");
        }
        assert_eq!(w.exact(&at("2026-12-04T15:27:00Z")), "Friday 4 December 2026, 23:27 (Asia/Singapore)");
        assert_eq!(w.day(&at("2026-08-27T17:00:00Z")), "Friday 28 August", "the reader's day");
        assert_eq!(w.day(&at("2025-08-27T09:00:00Z")), "Wednesday 27 August 2025");
        assert_eq!(w.month(&at("2026-08-31T17:00:00Z")), "September 2026");
    }
}
