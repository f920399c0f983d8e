//! What several of the 1:1 pages use: labels for series and meetings, form fields, the redirect.

use crate::domain::meeting::{Meeting, MeetingStatus, SeriesKind, SeriesStatus};
use crate::domain::{FieldError, Invalid, PersonId};
use crate::web::error::PageError;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::Deserialize;
use uuid::Uuid;

pub(super) type PageResult = Result<Response, PageError>;

pub(super) fn kind_label(kind: SeriesKind) -> &'static str {
    match kind {
        SeriesKind::Regular => "",
        SeriesKind::SkipLevel => "Skip-level",
        SeriesKind::OneOff => "One-off",
    }
}

pub(super) fn series_status_label(s: SeriesStatus) -> &'static str {
    match s {
        SeriesStatus::Active => "Active",
        SeriesStatus::Paused => "Paused",
        SeriesStatus::Ended => "Ended",
    }
}

/// A meeting's state as people say it, and a class for its colour.
pub(super) fn meeting_state(m: &Meeting, now: DateTime<Utc>) -> (&'static str, &'static str) {
    match m.status {
        MeetingStatus::Held => ("held", "Held"),
        MeetingStatus::Skipped => ("skipped", "Skipped"),
        MeetingStatus::Cancelled => ("cancelled", "Cancelled"),
        MeetingStatus::Scheduled if m.starts_at <= now && now < m.ends_at() => ("now", "Happening now"),
        MeetingStatus::Scheduled if m.ends_at() <= now => ("past", "Past"),
        MeetingStatus::Scheduled => ("scheduled", "Scheduled"),
    }
}

/// "every week on Tuesdays at 10:00 (Europe/Berlin)".
pub(super) fn schedule_label(s: &crate::domain::meeting::Series) -> String {
    let weekday = match s.schedule.weekday() {
        Weekday::Mon => "Mondays",
        Weekday::Tue => "Tuesdays",
        Weekday::Wed => "Wednesdays",
        Weekday::Thu => "Thursdays",
        Weekday::Fri => "Fridays",
        Weekday::Sat => "Saturdays",
        Weekday::Sun => "Sundays",
    };
    if s.kind == SeriesKind::OneOff {
        format!(
            "once, on {} at {} ({})",
            s.schedule.first_date.format("%a %-d %b %Y"),
            s.schedule.local_time.format("%H:%M"),
            s.schedule.tz.name()
        )
    } else {
        format!("{} on {weekday} at {} ({})", s.schedule.cadence.label(), s.schedule.local_time.format("%H:%M"), s.schedule.tz.name())
    }
}

pub(super) fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.is_some_and(|v| v == "on" || v == "true"))
}

/// A date typed in a form ("2026-11-24", a [`Day`](crate::domain::day::Day)); empty is `None`.
pub(super) fn parse_date(field: &str, raw: &str, errors: &mut Invalid) -> Option<NaiveDate> {
    crate::domain::day::optional(field, raw, errors)
}

pub(super) fn parse_person(field: &str, raw: &str, message: &str, errors: &mut Invalid) -> Option<PersonId> {
    match Uuid::parse_str(raw.trim()) {
        Ok(id) => Some(PersonId(id)),
        Err(_) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

pub(super) fn flag(raw: &Option<String>) -> Option<bool> {
    raw.as_deref().map(|v| v == "true" || v == "on")
}

pub(super) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}
