//! 1:1s: series, meetings, the shared agenda, notes, action items, ratings, carry-over,
//! history, the prep view and search. Every function checks that the actor is one of the
//! pair (the access policy's `SharedMeetingContent`, or `Series` for running a series);
//! anyone else gets `NotFound`, the same as for a meeting that does not exist.

mod access;
mod actions;
mod agenda;
mod home;
mod meeting;
mod notes;
mod search;
mod series;
pub mod view;

pub use home::{HomeRow, ProgramNext};
pub use search::snippet_html;
pub use view::{
    ActionPatch, EarlierNote, MeetingView, MyAction, NoteSaved, PointPatch, SearchResult, SeriesInput, SeriesSummary, SeriesView, Upcoming,
};

use super::AppError;
use crate::domain::meeting::{Meeting, Series, SeriesKind, SeriesStatus};
use crate::domain::{FieldError, Invalid};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use uuid::Uuid;

/// How many meetings ahead a series keeps ready.
const UPCOMING_READY: usize = 4;

/// The meetings a series is missing, given the highest occurrence it has (`last`): those up
/// to [`UPCOMING_READY`] still to come within 120 days, and any passed over before them
/// (unless `skip_past`, after a pause). None for a series that is not active, and a one-off
/// has only its one.
fn meetings_due(series: &Series, last: Option<i64>, now: DateTime<Utc>, skip_past: bool) -> Vec<Meeting> {
    let mut due = vec![];
    if series.status != SeriesStatus::Active {
        return due;
    }
    let mut index = last.map(|m| m as u32 + 1).unwrap_or(0);
    if series.kind == SeriesKind::OneOff && index > 0 {
        return due;
    }
    let mut ahead = 0;
    let horizon = now + Duration::days(120);
    while let Some(o) = series.schedule.occurrence(index) {
        if o.starts_at > horizon || ahead >= UPCOMING_READY {
            break;
        }
        let over = o.starts_at + Duration::minutes(series.duration_minutes as i64) <= now;
        if !(skip_past && over) {
            due.push(Meeting::planned(Uuid::now_v7(), series, index as i64, o.starts_at));
        }
        if !over {
            ahead += 1;
        }
        index += 1;
        if series.kind == SeriesKind::OneOff {
            break;
        }
    }
    due
}

pub const SEARCH_LIMIT: i64 = 50;

/// Searches are the heaviest reads: beyond a few at once they only queue behind each other
/// for the cores, and every page waits with them. So at most [`search_slots`] run at once; a
/// search that cannot start within this wait is answered at once with "busy, try again in a
/// second" (503 and `Retry-After`) instead of after seconds in a queue.
pub const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

/// Two searches per core.
pub fn search_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}
pub const HISTORY_PAGE: i64 = 20;
/// How many of the latest ratings a series page shows (and its trend reads).
pub const RATINGS_SHOWN: i64 = 12;

fn conflict(what: &str) -> AppError {
    AppError::Conflict(format!(
        "{what} was changed by someone else a moment ago. The page now shows the current version; make your change again."
    ))
}

fn parse_time(field: &str, input: &str, errors: &mut Invalid) -> Option<NaiveTime> {
    match NaiveTime::parse_from_str(input.trim(), "%H:%M") {
        Ok(t) => Some(t),
        Err(_) => {
            errors.push(FieldError::new(field, "Give a time as hours and minutes, for example 09:30."));
            None
        }
    }
}
