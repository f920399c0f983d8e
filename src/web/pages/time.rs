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

pub(super) fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}
