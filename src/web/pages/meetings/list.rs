//! "Your 1:1s" (`/meetings`): the meetings coming up and every series you are in.

use super::shared::{PageResult, kind_label, schedule_label, series_status_label};
use crate::app::App;
use crate::app::meetings::{SeriesSummary, Upcoming};
use crate::domain::Person;
use crate::domain::meeting::{SeriesKind, SeriesStatus};
use crate::web::auth::CurrentUser;
use crate::web::pages::time::{tz_of, when_soon};
use crate::web::pages::{Chrome, ok};
use askama::Template;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// How many upcoming meetings "Your 1:1s" lists at most, and how far ahead.
const UPCOMING_LIMIT: i64 = 20;
const UPCOMING_DAYS: i64 = 14;

struct UpcomingRow {
    id: Uuid,
    when: String,
    other: Person,
    kind: &'static str,
    i_lead: bool,
}

struct SeriesRow {
    id: Uuid,
    other: Person,
    kind: &'static str,
    schedule: String,
    status: &'static str,
    status_class: &'static str,
    i_lead: bool,
    next: Option<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    c: Chrome,
    upcoming: Vec<UpcomingRow>,
    series: Vec<SeriesRow>,
    /// Direct reports with no recurring 1:1s yet.
    to_start: Vec<Person>,
    has_reports: bool,
    /// Kickoff notes received lately (or not opened yet): (series, from, subject, read).
    notes: Vec<(Uuid, String, String, bool)>,
}

fn series_rows(list: Vec<SeriesSummary>, me: &Person, now: DateTime<Utc>) -> Vec<SeriesRow> {
    let tz = tz_of(me);
    let mut rows: Vec<SeriesRow> = list
        .into_iter()
        .map(|s| SeriesRow {
            id: s.series.id,
            kind: kind_label(s.series.kind),
            schedule: schedule_label(&s.series),
            status: series_status_label(s.series.status),
            status_class: s.series.status.as_str(),
            i_lead: s.series.manager_id == me.id,
            next: s.next.map(|m| (m.id, when_soon(m.starts_at, tz, now))),
            other: s.other,
        })
        .collect();
    // Active first, then paused, then ended; by name within each.
    rows.sort_by_key(|r| (r.status_class == "ended", r.status_class == "paused", r.other.name.to_lowercase()));
    rows
}

pub async fn index(State(app): State<App>, user: CurrentUser) -> PageResult {
    let me = user.person();
    let now = app.clock.now();
    let tz = tz_of(me);
    let upcoming: Vec<UpcomingRow> = app
        .upcoming_meetings(me, UPCOMING_LIMIT)
        .await?
        .into_iter()
        .enumerate()
        // The next two weeks (and always the very next meeting, however far).
        .filter(|(i, u)| *i == 0 || u.meeting.starts_at < now + Duration::days(UPCOMING_DAYS))
        .map(|(_, Upcoming { meeting, series, other })| UpcomingRow {
            id: meeting.id,
            when: when_soon(meeting.starts_at, tz, now),
            kind: kind_label(series.kind),
            i_lead: series.manager_id == me.id,
            other,
        })
        .collect();
    let summaries = app.my_series(me).await?;
    let reports = app.profile(me, me.id).await?.reports;
    let to_start = reports
        .iter()
        .filter(|r| {
            !summaries.iter().any(|s| {
                s.series.manager_id == me.id
                    && s.series.teammate_id == r.person.id
                    && s.series.kind == SeriesKind::Regular
                    && s.series.status != SeriesStatus::Ended
            })
        })
        .map(|r| r.person.clone())
        .collect();
    let notes = app
        .received_kickoffs(me)
        .await?
        .into_iter()
        .filter(|k| !k.read || k.sent_at > now - Duration::days(14))
        .map(|k| (k.series_id, k.manager.name, k.subject, k.read))
        .collect();
    Ok(ok(&MeetingsPage {
        notes,
        c: Chrome::for_user(&user.0, "Your 1:1s", "meetings"),
        upcoming,
        series: series_rows(summaries, me, now),
        to_start,
        has_reports: !reports.is_empty(),
    }))
}
