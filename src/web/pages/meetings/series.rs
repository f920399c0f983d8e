//! A series' page (`/series/{id}`): its timeline, its "worth your time?" trend, pausing and ending it.

use super::shared::{PageResult, kind_label, meeting_state, schedule_label, see_other, series_status_label};
use crate::app::meetings::SeriesView;
use crate::app::{App, AppError};
use crate::domain::Person;
use crate::domain::meeting::{Meeting, SeriesStatus};
use crate::web::auth::CurrentUser;
use crate::web::charts::TrendBars;
use crate::web::pages::time::{their_time, tz_of, when};
use crate::web::pages::{Chrome, Form, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct SeriesQuery {
    before: Option<String>,
    started: Option<String>,
}

pub(super) struct MeetingRow {
    pub(super) id: Uuid,
    pub(super) when: String,
    pub(super) state: &'static str,
    pub(super) state_label: &'static str,
    pub(super) reason: String,
    pub(super) rating: Option<i64>,
}

#[derive(Template)]
#[template(path = "series.html")]
struct SeriesPage {
    c: Chrome,
    id: Uuid,
    version: i64,
    other: Person,
    manager: Person,
    i_lead: bool,
    /// The viewer may pause, resume or end the series (the policy's answer).
    can_pause: bool,
    kind: &'static str,
    schedule: String,
    duration: u32,
    status: &'static str,
    status_class: &'static str,
    upcoming: Vec<MeetingRow>,
    history: Vec<MeetingRow>,
    paged: bool,
    older_href: Option<String>,
    notice: Option<String>,
    problem: Option<String>,
    trend: Option<TrendView>,
    /// The teammate's pulse over time, for the pair.
    pulse: Option<crate::web::pages::pulse::PulseTrend>,
    /// The first ten 1:1s: progress, or an offer to start (regular 1:1s only).
    program: Option<crate::web::pages::program::SeriesProgram>,
    /// Where the kickoff note stands, in words, and whether it still waits to be sent.
    kickoff: Option<(String, bool)>,
}

/// The "worth your time?" answers on a series page: a sentence and one bar per rating.
struct TrendView {
    summary: String,
    direction: &'static str,
    bars: TrendBars,
}

fn trend_view(ratings: &[(DateTime<Utc>, i64)], i_lead: bool, tz: Tz) -> Option<TrendView> {
    use crate::domain::meeting::{TREND_WINDOW, TrendDirection, rating_trend};
    let values: Vec<i64> = ratings.iter().map(|(_, r)| *r).collect();
    let t = rating_trend(&values)?;
    let who = if i_lead { "Their" } else { "Your" };
    let last = t.rated.min(TREND_WINDOW);
    let mut summary = format!("{who} last {last} rated 1:1{} averaged {:.1} out of 5", if last == 1 { "" } else { "s" }, t.recent);
    let direction = match (t.direction, t.before) {
        (TrendDirection::Rising, Some(b)) => {
            summary.push_str(&format!(", up from {b:.1} before."));
            "rising"
        }
        (TrendDirection::Falling, Some(b)) => {
            summary.push_str(&format!(
                ", down from {b:.1} before.{}",
                if i_lead { " Worth asking what would make them more useful." } else { "" }
            ));
            "falling"
        }
        (_, Some(b)) => {
            summary.push_str(&format!(", about the same as before ({b:.1})."));
            "steady"
        }
        (_, None) => {
            summary.push('.');
            "steady"
        }
    };
    let bars = TrendBars::new(ratings.iter().map(|(at, r)| (format!("{}: {r} of 5", at.with_timezone(&tz).format("%-d %b %Y")), *r)));
    Some(TrendView { summary, direction, bars })
}

pub(super) fn meeting_rows(list: &[Meeting], tz: Tz, now: DateTime<Utc>) -> Vec<MeetingRow> {
    list.iter()
        .map(|m| {
            let (state, state_label) = meeting_state(m, now);
            MeetingRow { id: m.id, when: when(m.starts_at, tz, now), state, state_label, reason: m.status_reason.clone(), rating: m.rating }
        })
        .collect()
}

async fn series_response(
    app: &App,
    user: &CurrentUser,
    id: Uuid,
    before: Option<DateTime<Utc>>,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
) -> PageResult {
    let me = user.person();
    let now = app.clock.now();
    let tz = tz_of(me);
    let SeriesView { series, manager, teammate, viewer, upcoming, history, older, ratings, can_pause } =
        app.series_view(me, id, before).await?;
    let pulses = if before.is_none() { app.pulses_if_allowed(me, &series, None).await? } else { vec![] };
    let pulse = crate::web::pages::pulse::PulseTrend::new(app.pulse_questions(), &pulses, me, now);
    let i_lead = viewer == series.manager_id;
    let trend = if before.is_none() { trend_view(&ratings, i_lead, tz) } else { None };
    let program = if before.is_none() { crate::web::pages::program::series_summary(app, me, series.id).await? } else { None };
    let other = if i_lead { teammate } else { manager.clone() };
    let older_href = older.map(|o| format!("/series/{}?before={}", series.id, o.to_rfc3339_opts(SecondsFormat::Micros, true)));
    let kickoff = app.kickoff_summary(me, &series).await?.map(|k| {
        use crate::app::kickoff::KickoffState;
        let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%-d %b %Y").to_string();
        match (k.state, i_lead) {
            (KickoffState::Draft, _) => ("Not sent yet. Tell them what these 1:1s are for before the first one.".to_string(), true),
            (KickoffState::Skipped(t), _) => (format!("You told them in person ({}).", at(t)), false),
            (KickoffState::Sent(t), true) => {
                (format!("Sent {}{}.", at(t), if k.read_at.is_some() { ", read" } else { ", not opened yet" }), false)
            }
            (KickoffState::Sent(t), false) => (format!("{} wrote to you about these 1:1s on {}.", manager.name, at(t)), false),
        }
    });
    Ok(render(
        status,
        &SeriesPage {
            c: Chrome::for_user(&user.0, &format!("1:1s with {}", other.name), "meetings"),
            id: series.id,
            version: series.version,
            i_lead,
            can_pause: can_pause.yes(),
            kind: kind_label(series.kind),
            schedule: schedule_label(&series),
            duration: series.duration_minutes,
            status: series_status_label(series.status),
            status_class: series.status.as_str(),
            upcoming: meeting_rows(&upcoming, tz, now)
                .into_iter()
                .zip(&upcoming)
                .map(|(mut r, m)| {
                    // Whose time it is, and the other person's where it reads differently.
                    if let Some(theirs) = their_time(m.starts_at, tz, &other) {
                        r.when = format!("{} your time · {theirs}", r.when);
                    }
                    r
                })
                .collect(),
            history: meeting_rows(&history, tz, now),
            paged: before.is_some(),
            older_href,
            other,
            manager,
            notice,
            problem,
            trend,
            pulse,
            program,
            kickoff,
        },
    ))
}

pub async fn series_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<SeriesQuery>) -> PageResult {
    let before = q.before.as_deref().and_then(|b| DateTime::parse_from_rfc3339(b.trim()).ok()).map(|b| b.with_timezone(&Utc));
    let notice = q.started.is_some().then(|| {
        "Your 1:1s are set up. Add a topic or two to the first one, and tell them what it is for: the time is theirs, to talk about what matters to them.".to_string()
    });
    series_response(&app, &user, id, before, StatusCode::OK, notice, None).await
}

#[derive(Deserialize)]
pub struct SeriesStatusForm {
    version: i64,
    #[serde(default)]
    status: String,
}

pub async fn series_status(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<SeriesStatusForm>) -> PageResult {
    let Some(status) = SeriesStatus::parse(f.status.trim()) else {
        return series_response(&app, &user, id, None, StatusCode::UNPROCESSABLE_ENTITY, None, Some("Choose pause, resume or end.".into()))
            .await;
    };
    match app.set_series_status(user.person(), id, f.version, status).await {
        Ok(_) => Ok(see_other(&format!("/series/{id}"))),
        Err(AppError::Invalid(i)) => {
            let message = i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ");
            series_response(&app, &user, id, None, StatusCode::UNPROCESSABLE_ENTITY, None, Some(message)).await
        }
        Err(AppError::Conflict(m)) => series_response(&app, &user, id, None, StatusCode::CONFLICT, None, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}
