//! 1:1s through the pages: the list of your 1:1s, starting a series, a series' timeline, the
//! meeting page (agenda, actions, shared and private notes, status, rating), the prep view,
//! your actions and search. Plain forms that post and redirect back (303); a refused form is
//! shown again with each message next to its field (422), a stale version with the current
//! content (409). Live updates are a layer on top, in `static/app.js`.

use super::{Chrome, Form, ok, render};
use crate::app::meetings::{
    ActionPatch, MeetingView, MyAction, NoteSaved, PointPatch, SearchResult, SeriesInput, SeriesSummary, SeriesView, Upcoming, snippet_html,
};
use crate::app::{App, AppError};
use crate::domain::meeting::{
    ActionItem, ActionKind, DURATION_CHOICES, Meeting, MeetingStatus, Note, SeriesKind, SeriesStatus, TalkingPoint,
};
use crate::domain::schedule::Cadence;
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::search::DocKind;
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

/// How many upcoming meetings "Your 1:1s" lists at most, and how far ahead.
const UPCOMING_LIMIT: i64 = 20;
const UPCOMING_DAYS: i64 = 14;
/// At most this many people are offered for skip-level and one-off 1:1s.
const BELOW_LIMIT: usize = 300;

// ---- shared helpers ----

pub(super) fn tz_of(p: &Person) -> Tz {
    p.timezone.parse().unwrap_or(chrono_tz::UTC)
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
fn when_soon(at: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> String {
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
fn day(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() { d.format("%a %-d %b").to_string() } else { d.format("%a %-d %b %Y").to_string() }
}

fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

fn kind_label(kind: SeriesKind) -> &'static str {
    match kind {
        SeriesKind::Regular => "",
        SeriesKind::SkipLevel => "Skip-level",
        SeriesKind::OneOff => "One-off",
    }
}

fn series_status_label(s: SeriesStatus) -> &'static str {
    match s {
        SeriesStatus::Active => "Active",
        SeriesStatus::Paused => "Paused",
        SeriesStatus::Ended => "Ended",
    }
}

/// A meeting's state as people say it, and a class for its colour.
fn meeting_state(m: &Meeting, now: DateTime<Utc>) -> (&'static str, &'static str) {
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
fn schedule_label(s: &crate::domain::meeting::Series) -> String {
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

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.is_some_and(|v| v == "on" || v == "true"))
}

/// A date typed in a form ("2026-11-24", a [`Day`](crate::domain::day::Day)); empty is `None`.
fn parse_date(field: &str, raw: &str, errors: &mut Invalid) -> Option<NaiveDate> {
    crate::domain::day::optional(field, raw, errors)
}

fn parse_person(field: &str, raw: &str, message: &str, errors: &mut Invalid) -> Option<PersonId> {
    match Uuid::parse_str(raw.trim()) {
        Ok(id) => Some(PersonId(id)),
        Err(_) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ---- /meetings: your 1:1s ----

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

// ---- /series/new ----

#[derive(Deserialize, Default)]
pub struct NewSeriesQuery {
    teammate: Option<Uuid>,
    kind: Option<String>,
}

/// The series form's values as typed.
#[derive(Deserialize, Default)]
pub struct SeriesForm {
    #[serde(default)]
    teammate_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    cadence: String,
    #[serde(default)]
    first_date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    duration_minutes: String,
}

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "series_new.html")]
struct SeriesNewPage {
    c: Chrome,
    f: SeriesForm,
    errors: Invalid,
    reports: Vec<Choice>,
    below: Vec<Choice>,
    kinds: Vec<Choice>,
    cadences: Vec<Choice>,
    durations: Vec<Choice>,
    min_date: String,
}

/// The actor's direct reports, and the people further down their organisation (breadth
/// first, up to a limit), as choices.
async fn people_below(app: &App, me: &Person) -> Result<(Vec<Person>, Vec<Person>), PageError> {
    let direct: Vec<Person> = app.profile(me, me.id).await?.reports.into_iter().map(|r| r.person).collect();
    let mut below = vec![];
    let mut queue: std::collections::VecDeque<PersonId> = direct.iter().map(|p| p.id).collect();
    while let Some(id) = queue.pop_front() {
        if below.len() >= BELOW_LIMIT {
            break;
        }
        for r in app.profile(me, id).await?.reports {
            if below.len() >= BELOW_LIMIT {
                break;
            }
            queue.push_back(r.person.id);
            below.push(r.person);
        }
    }
    Ok((direct, below))
}

fn person_choice(p: &Person) -> Choice {
    Choice { value: p.id.to_string(), label: if p.title.is_empty() { p.name.clone() } else { format!("{} ({})", p.name, p.title) } }
}

/// The next weekday (Monday to Friday) at least three days after `today`.
fn default_first_date(today: NaiveDate) -> NaiveDate {
    let mut d = today + Duration::days(3);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

async fn series_form(app: &App, user: &CurrentUser, f: SeriesForm, errors: Invalid, status: StatusCode) -> PageResult {
    let me = user.person();
    let (direct, below) = people_below(app, me).await?;
    let kinds = [
        (SeriesKind::Regular, "Regular 1:1s with someone who reports to you"),
        (SeriesKind::SkipLevel, "Skip-level 1:1s with someone further down your organisation"),
        (SeriesKind::OneOff, "A single 1:1"),
    ]
    .into_iter()
    .map(|(k, l)| Choice { value: k.as_str().into(), label: l.into() })
    .collect();
    let cadences = Cadence::ALL.into_iter().map(|c| Choice { value: c.as_str().into(), label: capitalise(c.label()) }).collect();
    let durations = DURATION_CHOICES.into_iter().map(|d| Choice { value: d.to_string(), label: format!("{d} minutes") }).collect();
    let min_date = today_in(tz_of(me), app.clock.now()).to_string();
    Ok(render(
        status,
        &SeriesNewPage {
            c: Chrome::for_user(&user.0, "Start 1:1s", "meetings"),
            f,
            errors,
            reports: direct.iter().map(person_choice).collect(),
            below: below.iter().map(person_choice).collect(),
            kinds,
            cadences,
            durations,
            min_date,
        },
    ))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub async fn new_series_page(State(app): State<App>, user: CurrentUser, Query(q): Query<NewSeriesQuery>) -> PageResult {
    let me = user.person();
    let teammate = match q.teammate {
        Some(id) => app.person(me, PersonId(id)).await.ok(),
        None => None,
    };
    let zone = teammate.as_ref().map(|t| t.timezone.clone()).unwrap_or_else(|| me.timezone.clone());
    let kind = q.kind.as_deref().and_then(SeriesKind::parse).unwrap_or(SeriesKind::Regular);
    let f = SeriesForm {
        teammate_id: teammate.map(|t| t.id.to_string()).unwrap_or_default(),
        kind: kind.as_str().into(),
        cadence: Cadence::Weekly.as_str().into(),
        first_date: default_first_date(today_in(tz_of(me), app.clock.now())).to_string(),
        time: "10:00".into(),
        timezone: zone,
        duration_minutes: "30".into(),
    };
    series_form(&app, &user, f, Invalid::default(), StatusCode::OK).await
}

pub async fn create_series(State(app): State<App>, user: CurrentUser, Form(f): Form<SeriesForm>) -> PageResult {
    let me = user.person();
    let mut errors = Invalid::default();
    let teammate = if f.teammate_id.trim().is_empty() {
        errors.push(FieldError::new("teammate_id", "Choose who the 1:1s are with."));
        None
    } else {
        parse_person("teammate_id", &f.teammate_id, "Choose who the 1:1s are with from the list.", &mut errors)
    };
    let kind = SeriesKind::parse(f.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Choose the kind of 1:1s."));
    }
    let cadence = Cadence::parse(&f.cadence);
    if cadence.is_none() {
        errors.push(FieldError::new("cadence", "Choose how often you meet."));
    }
    let first_date = parse_date("first_date", &f.first_date, &mut errors);
    if first_date.is_none() && errors.message_for("first_date").is_none() {
        errors.push(FieldError::new("first_date", "Choose the date of the first 1:1."));
    }
    let duration = f.duration_minutes.trim().parse::<u32>().ok();
    if duration.is_none() {
        errors.push(FieldError::new("duration_minutes", "Choose how long the 1:1s last."));
    }
    let result = match (errors.is_empty(), teammate, kind, cadence, first_date, duration) {
        (true, Some(teammate_id), Some(kind), Some(cadence), Some(first_date), Some(duration_minutes)) => app
            .create_series(
                me,
                SeriesInput {
                    teammate_id,
                    kind,
                    cadence,
                    first_date,
                    time: f.time.clone(),
                    timezone: f.timezone.clone(),
                    duration_minutes,
                },
            )
            .await
            .map_err(|e| match e {
                // Not someone the actor may start 1:1s with (or no one at all): the same answer.
                AppError::NotFound => AppError::Invalid(Invalid::one(
                    "teammate_id",
                    "You can start 1:1s with the people in your part of the organisation. Choose someone from the list.",
                )),
                e => e,
            }),
        _ => Err(AppError::Invalid(errors)),
    };
    match result {
        // Next: the note that tells the teammate what the 1:1s are for.
        Ok(series) => Ok(see_other(&format!("/series/{}/kickoff?started=1", series.id))),
        Err(AppError::Invalid(errors)) => series_form(&app, &user, f, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => Err(e.into()),
    }
}

// ---- /series/{id} ----

#[derive(Deserialize, Default)]
pub struct SeriesQuery {
    before: Option<String>,
    started: Option<String>,
}

struct MeetingRow {
    id: Uuid,
    when: String,
    state: &'static str,
    state_label: &'static str,
    reason: String,
    rating: Option<i64>,
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
    /// The first ten 1:1s: progress, or an offer to start (regular 1:1s only).
    program: Option<super::program::SeriesProgram>,
    /// Where the kickoff note stands, in words, and whether it still waits to be sent.
    kickoff: Option<(String, bool)>,
}

/// The "worth your time?" answers on a series page: a sentence and one bar per rating.
struct TrendView {
    summary: String,
    direction: &'static str,
    bars: Vec<TrendBar>,
    width: usize,
}

struct TrendBar {
    x: usize,
    y: i64,
    height: i64,
    label: String,
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
    // Oldest on the left; each bar 14 px wide with 6 px between, 8 px per point of rating.
    let bars = ratings
        .iter()
        .rev()
        .enumerate()
        .map(|(i, (at, r))| TrendBar {
            x: i * 20,
            y: 40 - r * 8,
            height: r * 8,
            label: format!("{}: {r} of 5", at.with_timezone(&tz).format("%-d %b %Y")),
        })
        .collect::<Vec<_>>();
    let width = bars.len() * 20;
    Some(TrendView { summary, direction, bars, width })
}

fn meeting_rows(list: &[Meeting], tz: Tz, now: DateTime<Utc>) -> Vec<MeetingRow> {
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
    let SeriesView { series, manager, teammate, viewer, upcoming, history, older, ratings } = app.series_view(me, id, before).await?;
    let i_lead = viewer == series.manager_id;
    let trend = if before.is_none() { trend_view(&ratings, i_lead, tz) } else { None };
    let program = if before.is_none() { super::program::series_summary(app, me, series.id).await? } else { None };
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
            kind: kind_label(series.kind),
            schedule: schedule_label(&series),
            duration: series.duration_minutes,
            status: series_status_label(series.status),
            status_class: series.status.as_str(),
            upcoming: meeting_rows(&upcoming, tz, now),
            history: meeting_rows(&history, tz, now),
            paged: before.is_some(),
            older_href,
            other,
            manager,
            notice,
            problem,
            trend,
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

// ---- /meetings/{id} ----

/// What was typed into the meeting page's forms, and what went wrong, so a refused form is
/// shown again as it was.
#[derive(Default)]
struct Forms {
    notice: Option<String>,
    problem: Option<String>,
    point_body: String,
    point_recurring: bool,
    point_errors: Invalid,
    /// A problem with one topic on the agenda (its id and the message).
    point_problem: Option<(Uuid, String)>,
    action_body: String,
    action_owner: String,
    action_due: String,
    action_help: bool,
    action_errors: Invalid,
    action_problem: Option<(Uuid, String)>,
    note_text: Option<String>,
    note_base: Option<i64>,
    note_errors: Invalid,
    note_conflict: bool,
    private_text: Option<String>,
    private_base: Option<i64>,
    private_errors: Invalid,
    private_conflict: bool,
    status_value: String,
    status_reason: String,
    status_errors: Invalid,
    move_date: Option<String>,
    move_time: Option<String>,
    move_reason: String,
    move_errors: Invalid,
    rating: Option<i64>,
    rating_comment: Option<String>,
    rating_errors: Invalid,
    /// A refused capture of the first ten 1:1s, shown again in its panel.
    capture: super::program::CaptureState,
}

#[derive(Clone)]
struct PointRow {
    id: Uuid,
    version: i64,
    body: String,
    discussed: bool,
    recurring: bool,
    mine: bool,
    author: String,
    by_teammate: bool,
    carried: Option<String>,
    first: bool,
    last: bool,
    problem: Option<String>,
}

struct ActionRow {
    id: Uuid,
    version: i64,
    body: String,
    owner: String,
    due: Option<String>,
    overdue: bool,
    help: bool,
    done: bool,
    problem: Option<String>,
}

struct Selectable {
    value: String,
    label: String,
    selected: bool,
}

struct Rate {
    value: i64,
    word: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    c: Chrome,
    id: Uuid,
    me: PersonId,
    series_id: Uuid,
    version: i64,
    other: Person,
    viewer_is_teammate: bool,
    kind: &'static str,
    series_note: Option<String>,
    when: String,
    duration: u32,
    other_when: Option<String>,
    state: &'static str,
    state_label: &'static str,
    status: &'static str,
    reason: String,
    moved_from: Option<String>,
    is_scheduled: bool,
    started: bool,
    previous: Option<MeetingRow>,
    previous_note: Option<String>,
    points: Vec<PointRow>,
    actions: Vec<ActionRow>,
    open_actions: usize,
    owners: Vec<Selectable>,
    shared_html: Option<String>,
    shared_meta: Option<String>,
    notes_text: String,
    notes_base: i64,
    notes_open: bool,
    private_html: Option<String>,
    private_text: String,
    private_base: i64,
    private_open: bool,
    can_rate: bool,
    rating: Option<i64>,
    rating_comment: String,
    rates: Vec<Rate>,
    comment_text: String,
    next: Vec<MeetingRow>,
    move_date: String,
    move_time: String,
    series_tz: String,
    min_date: String,
    /// "Feedback for each other": what was shared in this 1:1 (and the viewer's own drafts).
    feedback: Vec<crate::app::reviews::FeedbackItem>,
    can_give_feedback: bool,
    /// The first ten 1:1s, when the pair runs them: progress and the session run here.
    program: Option<super::program::ProgramPanel>,
    f: Forms,
}

/// The agenda's groups, as `domain::meeting::agenda_order` sorts them: a topic moves up or
/// down within its group (the teammate's own, carried over, the manager's).
fn agenda_group(p: &TalkingPoint, teammate: PersonId) -> u8 {
    match (p.carried_from.is_some() && !p.recurring, p.author_id == teammate) {
        (false, true) => 0,
        (true, _) => 1,
        (false, false) => 2,
    }
}

fn point_rows(v: &MeetingView, tz: Tz, now: DateTime<Utc>, problem: &Option<(Uuid, String)>) -> Vec<PointRow> {
    let group = |i: usize| v.points.get(i).map(|p| agenda_group(p, v.teammate.id));
    v.points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let carried = p.carried_from.map(|from| {
                let known = v.previous.iter().chain(v.next.iter()).find(|m| m.id == from);
                match known {
                    Some(m) => format!("carried over from {}", day(m.starts_at.with_timezone(&tz).date_naive(), today_in(tz, now))),
                    None => "carried over from an earlier meeting".to_string(),
                }
            });
            PointRow {
                id: p.id,
                version: p.version,
                body: p.body.clone(),
                discussed: p.discussed,
                recurring: p.recurring,
                mine: p.author_id == v.viewer,
                author: if p.author_id == v.viewer { "you".into() } else { v.person(p.author_id).name.clone() },
                by_teammate: p.author_id == v.teammate.id,
                carried,
                first: i == 0 || group(i - 1) != group(i),
                last: group(i + 1) != group(i),
                problem: problem.as_ref().filter(|(id, _)| *id == p.id).map(|(_, m)| m.clone()),
            }
        })
        .collect()
}

fn action_row(a: &ActionItem, owner: &str, today: NaiveDate, problem: &Option<(Uuid, String)>) -> ActionRow {
    ActionRow {
        id: a.id,
        version: a.version,
        body: a.body.clone(),
        owner: owner.to_string(),
        due: a.due_date.map(|d| day(d, today)),
        overdue: a.done_at.is_none() && a.due_date.is_some_and(|d| d < today),
        help: a.kind == ActionKind::Help,
        done: a.done_at.is_some(),
        problem: problem.as_ref().filter(|(id, _)| *id == a.id).map(|(_, m)| m.clone()),
    }
}

fn owner_name(v: &MeetingView, a: &ActionItem) -> String {
    if a.owner_id == v.viewer { "You".into() } else { v.person(a.owner_id).name.clone() }
}

fn note_meta(note: &Note, v: &MeetingView, tz: Tz, now: DateTime<Utc>) -> String {
    let who = if note.updated_by == v.viewer { "you".to_string() } else { v.person(note.updated_by).name.clone() };
    format!("Last saved by {who}, {}", when(note.updated_at, tz, now))
}

async fn meeting_response(app: &App, user: &CurrentUser, id: Uuid, status: StatusCode, f: Forms) -> PageResult {
    let me = user.person();
    let v = app.meeting_view(me, id).await?;
    let feedback = app.meeting_feedback(me, id).await?;
    let can_give_feedback = v.series.kind == crate::domain::meeting::SeriesKind::Regular;
    let now = app.clock.now();
    let program = super::program::panel(app, me, id, !v.meeting.is_over(now), &f.capture).await?;
    let tz = tz_of(me);
    let today = today_in(tz, now);
    let other = v.other().clone();
    let other_tz = tz_of(&other);
    let other_when = (other_tz != tz).then(|| {
        format!(
            "{} for {} ({})",
            v.meeting.starts_at.with_timezone(&other_tz).format("%H:%M"),
            other.name.split_whitespace().next().unwrap_or(&other.name),
            other_tz.name()
        )
    });
    let (state, state_label) = meeting_state(&v.meeting, now);
    let series_note = match v.series.status {
        SeriesStatus::Active => None,
        SeriesStatus::Paused => Some("These 1:1s are paused; no new meetings are planned until they resume.".to_string()),
        SeriesStatus::Ended => Some("These 1:1s have ended. What you wrote here stays with the two of you.".to_string()),
    };
    let points = point_rows(&v, tz, now, &f.point_problem);
    let actions: Vec<ActionRow> = v.actions.iter().map(|a| action_row(a, &owner_name(&v, a), today, &f.action_problem)).collect();
    let open_actions = actions.iter().filter(|a| !a.done).count();
    let owner_pick = if f.action_owner.is_empty() { v.viewer.to_string() } else { f.action_owner.clone() };
    let owners = [&v.teammate, &v.manager]
        .into_iter()
        .map(|p| Selectable {
            value: p.id.to_string(),
            label: if p.id == v.viewer { "You".to_string() } else { p.name.clone() },
            selected: p.id.to_string() == owner_pick,
        })
        .collect();
    let previous = v.previous.as_ref().map(|m| meeting_rows(std::slice::from_ref(m), tz, now).remove(0));
    let previous_note = v.previous_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note);
    let shared_html = v.shared_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note);
    let shared_meta = v.shared_note.as_ref().map(|n| note_meta(n, &v, tz, now));
    let notes_text = f.note_text.clone().unwrap_or_else(|| v.shared_note.as_ref().map(|n| n.body.clone()).unwrap_or_default());
    let notes_base = f.note_base.unwrap_or_else(|| v.shared_note.as_ref().map(|n| n.version).unwrap_or(0));
    let notes_open = f.note_text.is_some() || shared_html.is_none();
    let private_html = v.private_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note);
    let private_text = f.private_text.clone().unwrap_or_else(|| v.private_note.as_ref().map(|n| n.body.clone()).unwrap_or_default());
    let private_base = f.private_base.unwrap_or_else(|| v.private_note.as_ref().map(|n| n.version).unwrap_or(0));
    let private_open = f.private_text.is_some();
    let can_rate = v.viewer_is_teammate()
        && v.meeting.starts_at <= now
        && !matches!(v.meeting.status, MeetingStatus::Skipped | MeetingStatus::Cancelled);
    let chosen = f.rating.or(v.meeting.rating);
    let rates = [(1, "not worth it"), (2, ""), (3, ""), (4, ""), (5, "very worth it")]
        .into_iter()
        .map(|(value, word)| Rate { value, word, checked: chosen == Some(value) })
        .collect();
    let comment_text = f.rating_comment.clone().unwrap_or_else(|| v.meeting.rating_comment.clone());
    let series_local = v.meeting.starts_at.with_timezone(&v.series.schedule.tz);
    let move_date = f.move_date.clone().unwrap_or_else(|| series_local.date_naive().to_string());
    let move_time = f.move_time.clone().unwrap_or_else(|| series_local.format("%H:%M").to_string());
    let page = MeetingPage {
        c: Chrome::for_user(&user.0, &format!("1:1 with {}", other.name), "meetings"),
        id: v.meeting.id,
        me: v.viewer,
        series_id: v.series.id,
        version: v.meeting.version,
        viewer_is_teammate: v.viewer_is_teammate(),
        kind: kind_label(v.series.kind),
        series_note,
        when: when(v.meeting.starts_at, tz, now),
        duration: v.meeting.duration_minutes,
        other_when,
        state,
        state_label,
        status: v.meeting.status.as_str(),
        reason: v.meeting.status_reason.clone(),
        moved_from: v.meeting.moved_from_at.map(|m| when(m, tz, now)),
        is_scheduled: v.meeting.status == MeetingStatus::Scheduled,
        started: v.meeting.starts_at <= now,
        previous,
        previous_note,
        points,
        open_actions,
        actions,
        owners,
        shared_html,
        shared_meta,
        notes_text,
        notes_base,
        notes_open,
        private_html,
        private_text,
        private_base,
        private_open,
        can_rate,
        rating: v.meeting.rating,
        rating_comment: v.meeting.rating_comment.clone(),
        rates,
        comment_text,
        next: meeting_rows(&v.next, tz, now),
        move_date,
        move_time,
        series_tz: v.series.schedule.tz.name().to_string(),
        min_date: today.to_string(),
        other,
        feedback,
        can_give_feedback,
        program,
        f,
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
pub struct MeetingQuery {
    saved: Option<String>,
    captured: Option<String>,
}

pub async fn meeting_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<MeetingQuery>) -> PageResult {
    let notice = match q.saved.as_deref() {
        Some("merged") => Some(
            "Your changes were combined with changes saved while you were writing. Both are in the notes below; have a look.".to_string(),
        ),
        _ if q.captured.is_some() => Some("Captured. It is where it belongs now, and the session counts as done.".to_string()),
        _ => None,
    };
    meeting_response(&app, &user, id, StatusCode::OK, Forms { notice, ..Default::default() }).await
}

/// The meeting page again, with a refused capture of the first ten 1:1s kept in its form.
pub(super) async fn meeting_with_capture(app: &App, user: &CurrentUser, id: Uuid, capture: super::program::CaptureState) -> PageResult {
    meeting_response(app, user, id, StatusCode::UNPROCESSABLE_ENTITY, Forms { capture, ..Default::default() }).await
}

fn meeting_href(id: Uuid, fragment: &str) -> String {
    format!("/meetings/{id}#{fragment}")
}

#[derive(Deserialize)]
pub struct PointForm {
    #[serde(default)]
    body: String,
    #[serde(default, deserialize_with = "checkbox")]
    recurring: bool,
}

pub async fn add_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PointForm>) -> PageResult {
    match app.add_point(user.person(), id, &f.body, f.recurring).await {
        Ok(_) => Ok(see_other(&meeting_href(id, "agenda"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { point_body: f.body, point_recurring: f.recurring, point_errors: errors, ..Default::default() };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PointUpdateForm {
    meeting_id: Option<Uuid>,
    version: i64,
    discussed: Option<String>,
    recurring: Option<String>,
}

/// After a refused change to a topic or action: the meeting page again, saying why.
async fn refused_on_meeting(app: &App, user: &CurrentUser, meeting: Option<Uuid>, e: AppError, item: Uuid, agenda: bool) -> PageResult {
    let Some(meeting) = meeting else { return Err(e.into()) };
    let (status, message) = match e {
        AppError::Conflict(m) => (StatusCode::CONFLICT, m),
        AppError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ")),
        e => return Err(e.into()),
    };
    let mut forms = Forms::default();
    if status == StatusCode::CONFLICT {
        forms.problem = Some(message);
    } else if agenda {
        forms.point_problem = Some((item, message));
    } else {
        forms.action_problem = Some((item, message));
    }
    meeting_response(app, user, meeting, status, forms).await
}

fn flag(raw: &Option<String>) -> Option<bool> {
    raw.as_deref().map(|v| v == "true" || v == "on")
}

pub async fn update_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PointUpdateForm>) -> PageResult {
    let patch = PointPatch { discussed: flag(&f.discussed), recurring: flag(&f.recurring), body: None };
    match app.update_point(user.person(), id, f.version, patch).await {
        Ok(p) => Ok(see_other(&meeting_href(f.meeting_id.unwrap_or(p.meeting_id), &format!("point-{}", p.id)))),
        Err(e) => refused_on_meeting(&app, &user, f.meeting_id, e, id, true).await,
    }
}

#[derive(Deserialize)]
pub struct PointMoveForm {
    meeting_id: Option<Uuid>,
    #[serde(default)]
    dir: String,
}

pub async fn move_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PointMoveForm>) -> PageResult {
    match app.reorder_point(user.person(), id, f.dir != "down").await {
        Ok(()) => Ok(match f.meeting_id {
            Some(m) => see_other(&meeting_href(m, &format!("point-{id}"))),
            None => see_other("/meetings"),
        }),
        Err(e) => refused_on_meeting(&app, &user, f.meeting_id, e, id, true).await,
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    meeting_id: Option<Uuid>,
    version: i64,
}

pub async fn delete_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<VersionForm>) -> PageResult {
    match app.delete_point(user.person(), id, f.version).await {
        Ok(()) => Ok(match f.meeting_id {
            Some(m) => see_other(&meeting_href(m, "agenda")),
            None => see_other("/meetings"),
        }),
        Err(e) => refused_on_meeting(&app, &user, f.meeting_id, e, id, true).await,
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    due_date: String,
    #[serde(default, deserialize_with = "checkbox")]
    help: bool,
}

pub async fn add_action(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ActionForm>) -> PageResult {
    let mut errors = Invalid::default();
    let owner = parse_person("owner_id", &f.owner_id, "Choose who will do it.", &mut errors);
    let due = parse_date("due_date", &f.due_date, &mut errors);
    let kind = if f.help { ActionKind::Help } else { ActionKind::Normal };
    let result = match owner {
        Some(owner) if errors.is_empty() => app.add_action(user.person(), id, &f.body, owner, due, kind).await.map(|_| ()),
        _ => {
            // Check the text too, so every problem shows at once.
            if f.body.trim().is_empty() {
                errors.push(FieldError::new("body", "Write the action first."));
            }
            Err(AppError::Invalid(errors))
        }
    };
    match result {
        Ok(()) => Ok(see_other(&meeting_href(id, "actions"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms {
                action_body: f.body,
                action_owner: f.owner_id,
                action_due: f.due_date,
                action_help: f.help,
                action_errors: errors,
                ..Default::default()
            };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActionUpdateForm {
    meeting_id: Option<Uuid>,
    version: i64,
    done: Option<String>,
    /// "actions" or "help" when sent from the actions list.
    from: Option<String>,
}

pub async fn update_action(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ActionUpdateForm>) -> PageResult {
    let patch = ActionPatch { done: flag(&f.done), ..Default::default() };
    let from_list = match f.from.as_deref() {
        Some("help") => Some(Some(ActionKind::Help)),
        Some("actions") => Some(None),
        _ => None,
    };
    match app.update_action(user.person(), id, f.version, patch).await {
        Ok(a) => Ok(match from_list {
            Some(Some(_)) => see_other("/actions?kind=help"),
            Some(None) => see_other("/actions"),
            None => see_other(&meeting_href(f.meeting_id.unwrap_or(a.meeting_id), "actions")),
        }),
        Err(e) => match from_list {
            Some(only) => {
                let (status, message) = match e {
                    AppError::Conflict(m) => (StatusCode::CONFLICT, m),
                    AppError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.to_string()),
                    e => return Err(e.into()),
                };
                actions_response(&app, &user, only, status, Some(message)).await
            }
            None => refused_on_meeting(&app, &user, f.meeting_id, e, id, false).await,
        },
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    base_version: i64,
}

async fn save_note(app: &App, user: &CurrentUser, id: Uuid, private: bool, f: NoteForm) -> PageResult {
    let fragment = if private { "private" } else { "notes" };
    match app.save_note(user.person(), id, private, &f.body, f.base_version).await {
        Ok(NoteSaved::Saved(_)) => Ok(see_other(&meeting_href(id, fragment))),
        Ok(NoteSaved::Merged(_)) => Ok(see_other(&format!("/meetings/{id}?saved=merged#{fragment}"))),
        Ok(NoteSaved::Conflict { current, merged }) => {
            let mut forms = Forms::default();
            let other = if private { None } else { conflict_author(app, user, &current).await };
            let who = match &other {
                Some(name) => format!("{name} saved the notes"),
                None => "You saved this note in another window".to_string(),
            };
            let merged = plain_conflict(&merged, other.as_deref());
            let message = format!(
                "{who} while you were writing, and you both changed the same lines. Nothing was lost: both versions are in the box below, \
                 between the <<<<<<< and >>>>>>> marks. Keep what you want, remove the marks, and save again."
            );
            forms.problem = Some(message);
            if private {
                forms.private_text = Some(merged);
                forms.private_base = Some(current.version);
                forms.private_conflict = true;
            } else {
                forms.note_text = Some(merged);
                forms.note_base = Some(current.version);
                forms.note_conflict = true;
            }
            meeting_response(app, user, id, StatusCode::CONFLICT, forms).await
        }
        Err(AppError::Invalid(errors)) => {
            let mut forms = Forms::default();
            if private {
                forms.private_text = Some(f.body);
                forms.private_base = Some(f.base_version);
                forms.private_errors = errors;
            } else {
                forms.note_text = Some(f.body);
                forms.note_base = Some(f.base_version);
                forms.note_errors = errors;
            }
            meeting_response(app, user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Who saved the note that conflicts with yours: their name, or `None` when it was you (in
/// another window).
async fn conflict_author(app: &App, user: &CurrentUser, current: &Note) -> Option<String> {
    if current.updated_by == user.person().id {
        return None;
    }
    Some(app.person(user.person(), current.updated_by).await.map(|p| p.name).unwrap_or_else(|_| "Someone".into()))
}

/// The merge's conflict marks in plain words: "your version", then the other person's; the
/// common original in between is left out (it is neither person's words).
fn plain_conflict(marked: &str, other: Option<&str>) -> String {
    let theirs = match other {
        Some(name) => format!(">>>>>>> {name}’s version"),
        None => ">>>>>>> the version saved first".to_string(),
    };
    let mut out = String::with_capacity(marked.len());
    let mut skipping = false;
    for line in marked.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let eol = &line[text.len()..];
        if text.starts_with("<<<<<<< ") {
            out.push_str("<<<<<<< your version");
        } else if text.starts_with("||||||| ") {
            skipping = true;
            continue;
        } else if text == "=======" {
            skipping = false;
            out.push_str(text);
        } else if text.starts_with(">>>>>>> ") {
            out.push_str(&theirs);
        } else if skipping {
            continue;
        } else {
            out.push_str(text);
        }
        out.push_str(eol);
    }
    out
}

pub async fn save_shared_note(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<NoteForm>) -> PageResult {
    save_note(&app, &user, id, false, f).await
}

pub async fn save_private_note(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<NoteForm>) -> PageResult {
    save_note(&app, &user, id, true, f).await
}

#[derive(Deserialize)]
pub struct MeetingStatusForm {
    version: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub async fn meeting_status(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<MeetingStatusForm>,
) -> PageResult {
    let result = match MeetingStatus::parse(f.status.trim()) {
        Some(status) => app.set_meeting_status(user.person(), id, f.version, status, &f.reason).await.map(|_| ()),
        None => Err(AppError::Invalid(Invalid::one("status", "Choose what happened to the meeting."))),
    };
    match result {
        Ok(()) => Ok(see_other(&meeting_href(id, "top"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { status_value: f.status, status_reason: f.reason, status_errors: errors, ..Default::default() };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(AppError::Conflict(m)) => {
            meeting_response(&app, &user, id, StatusCode::CONFLICT, Forms { problem: Some(m), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    version: i64,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    reason: String,
}

pub async fn move_meeting(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<MoveForm>) -> PageResult {
    let mut errors = Invalid::default();
    let date = parse_date("date", &f.date, &mut errors);
    if date.is_none() && errors.is_empty() {
        errors.push(FieldError::new("date", "Choose the new date."));
    }
    let result = match date {
        Some(date) if errors.is_empty() => app.move_meeting(user.person(), id, f.version, date, &f.time, &f.reason).await.map(|_| ()),
        _ => {
            if NaiveTime::parse_from_str(f.time.trim(), "%H:%M").is_err() {
                errors.push(FieldError::new("time", "Give a time as hours and minutes, for example 09:30."));
            }
            if f.reason.trim().is_empty() {
                errors.push(FieldError::new("reason", "Say why the meeting moves; it stays in the record."));
            }
            Err(AppError::Invalid(errors))
        }
    };
    match result {
        Ok(()) => Ok(see_other(&meeting_href(id, "top"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms {
                move_date: Some(f.date),
                move_time: Some(f.time),
                move_reason: f.reason,
                move_errors: errors,
                ..Default::default()
            };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(AppError::Conflict(m)) => {
            meeting_response(&app, &user, id, StatusCode::CONFLICT, Forms { problem: Some(m), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RatingForm {
    rating: Option<String>,
    #[serde(default)]
    comment: String,
}

pub async fn rate_meeting(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<RatingForm>) -> PageResult {
    // No choice (or a strange one) is 0, which the rule refuses with its own words.
    let rating = f.rating.as_deref().and_then(|r| r.trim().parse::<i64>().ok()).unwrap_or(0);
    match app.rate_meeting(user.person(), id, rating, &f.comment).await {
        Ok(_) => Ok(see_other(&meeting_href(id, "rating"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { rating: Some(rating), rating_comment: Some(f.comment), rating_errors: errors, ..Default::default() };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- /meetings/{id}/prep ----

struct Suggestion {
    text: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "prep.html")]
struct PrepPage {
    c: Chrome,
    id: Uuid,
    other: Person,
    viewer_is_teammate: bool,
    when: String,
    previous: Option<MeetingRow>,
    previous_note: Option<String>,
    actions: Vec<ActionRow>,
    topics: Vec<PointRow>,
    suggestions: Vec<Suggestion>,
    /// Guidance (issue 4): questions not yet asked, templates, whether the meeting is to come.
    guidance: crate::app::guidance::PrepGuidance,
    upcoming: bool,
    /// The first ten 1:1s, when the pair runs them.
    program: Option<super::program::ProgramPanel>,
    /// The other person's "how to work with me", when they shared it with the viewer.
    work_with_other: bool,
    /// The teammate, when the viewer keeps an about page on them (their manager).
    about_of: Option<Uuid>,
}

pub async fn prep_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    let me = user.person();
    let v = app.meeting_view(me, id).await?;
    let now = app.clock.now();
    let tz = tz_of(me);
    let today = today_in(tz, now);
    let other = v.other().clone();
    let first = |p: &Person| p.name.split_whitespace().next().unwrap_or(&p.name).to_string();
    let mut open: Vec<&ActionItem> = v.actions.iter().filter(|a| a.done_at.is_none()).collect();
    // Overdue first, then by due date, then the rest.
    open.sort_by_key(|a| (a.due_date.is_none_or(|d| d >= today), a.due_date.is_none(), a.due_date));
    let actions: Vec<ActionRow> = open.iter().map(|a| action_row(a, &owner_name(&v, a), today, &None)).collect();
    let points = point_rows(&v, tz, now, &None);
    let topics: Vec<PointRow> = points.iter().filter(|p| p.by_teammate && p.carried.is_none()).cloned().collect();

    let mut suggestions = vec![];
    for a in open.iter().filter(|a| a.due_date.is_some_and(|d| d < today)) {
        let due = a.due_date.map(|d| day(d, today)).unwrap_or_default();
        let (text, reason) = if a.owner_id == v.viewer {
            (format!("Say where “{}” stands.", a.body), format!("You took it on and it was due {due}."))
        } else if a.kind == ActionKind::Help {
            (format!("Check “{}”.", a.body), format!("A “how can I help?” item, due {due}."))
        } else {
            (
                format!("Ask {} what got in the way of “{}”, and what would help.", first(&other), a.body),
                format!("It was due {due} and is still open."),
            )
        };
        suggestions.push(Suggestion { text, reason });
    }
    // Overdue steps of the teammate's growth plans (only for those who may see the plans).
    for (plan, step) in app.overdue_steps(me, v.teammate.id).await.unwrap_or_default() {
        let due = step.due_on.map(|d| day(d, today)).unwrap_or_default();
        suggestions.push(Suggestion {
            text: format!("Look at the plan step “{}” together: what got in the way, and what is next?", step.body),
            reason: format!("A step of the plan “{plan}”, due {due} and not done."),
        });
    }
    let guidance = app.prep_guidance(me, id).await?;
    let program = super::program::panel(&app, me, id, !v.meeting.is_over(now), &Default::default()).await?;
    let work_with_other = app.can_read_work_with_me(me, v.other()).await?;
    // Purposes not touched for a while, topics carried over again and again, falling ratings.
    for g in &guidance.suggestions {
        suggestions.push(Suggestion { text: g.text.clone(), reason: g.reason.clone() });
    }
    for p in points.iter().filter(|p| p.carried.is_some() && !p.recurring && !guidance.carried_again.contains(&p.body)) {
        suggestions.push(Suggestion {
            text: format!("Make time for “{}”, or agree together to let it go.", p.body),
            reason: format!("It was not discussed last time ({}).", p.carried.clone().unwrap_or_default()),
        });
    }
    if !v.viewer_is_teammate() && !v.points.iter().any(|p| p.author_id == v.teammate.id) {
        suggestions.push(Suggestion {
            text: format!("Ask {} what is on their mind, and invite them to add topics.", first(&other)),
            reason: "They have not added a topic yet, and the meeting is theirs.".into(),
        });
    }
    if let Some(prev) = v.previous.as_ref().filter(|p| p.rating.is_some_and(|r| r <= 2)) {
        suggestions.push(Suggestion {
            text: "Ask what would make this hour more useful.".into(),
            reason: format!("The last 1:1 was rated {} out of 5.", prev.rating.unwrap_or_default()),
        });
    }
    Ok(ok(&PrepPage {
        c: Chrome::for_user(&user.0, &format!("Prepare: 1:1 with {}", other.name), "meetings"),
        id: v.meeting.id,
        viewer_is_teammate: v.viewer_is_teammate(),
        when: when(v.meeting.starts_at, tz, now),
        previous: v.previous.as_ref().map(|m| meeting_rows(std::slice::from_ref(m), tz, now).remove(0)),
        previous_note: v.previous_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note),
        actions,
        topics,
        suggestions,
        other,
        guidance,
        upcoming: !v.meeting.is_over(now),
        program,
        work_with_other,
        about_of: if app.may_keep_about(me, &v.teammate).await { Some(v.teammate.id.0) } else { None },
    }))
}

// ---- /actions ----

#[derive(Deserialize, Default)]
pub struct ActionsQuery {
    kind: Option<String>,
}

struct MyActionRow {
    row: ActionRow,
    other: Person,
    meeting_id: Uuid,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ActionsPage {
    c: Chrome,
    help_only: bool,
    rows: Vec<MyActionRow>,
    problem: Option<String>,
}

async fn actions_response(
    app: &App,
    user: &CurrentUser,
    only: Option<ActionKind>,
    status: StatusCode,
    problem: Option<String>,
) -> PageResult {
    let me = user.person();
    let today = today_in(tz_of(me), app.clock.now());
    let mut rows: Vec<MyActionRow> = app
        .my_actions(me, only)
        .await?
        .into_iter()
        .map(|MyAction { action, other, .. }| MyActionRow {
            row: action_row(&action, "You", today, &None),
            meeting_id: action.meeting_id,
            other,
        })
        .collect();
    // Overdue first; the rest keep their order (by due date).
    rows.sort_by_key(|r| !r.row.overdue);
    Ok(render(
        status,
        &ActionsPage {
            c: Chrome::for_user(&user.0, if only.is_some() { "How can I help?" } else { "Your actions" }, "actions"),
            help_only: only.is_some(),
            rows,
            problem,
        },
    ))
}

pub async fn actions_page(State(app): State<App>, user: CurrentUser, Query(q): Query<ActionsQuery>) -> PageResult {
    let only = q.kind.as_deref().and_then(ActionKind::parse).filter(|k| *k == ActionKind::Help);
    actions_response(&app, &user, only, StatusCode::OK, None).await
}

// ---- /search ----

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    with: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct HitRow {
    meeting_id: Uuid,
    kind: &'static str,
    private: bool,
    when: String,
    other: Person,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    f: SearchQuery,
    people: Vec<Selectable>,
    errors: Invalid,
    searched: bool,
    hits: Vec<HitRow>,
}

pub async fn search_page(State(app): State<App>, user: CurrentUser, Query(f): Query<SearchQuery>) -> PageResult {
    let me = user.person();
    let now = app.clock.now();
    let tz = tz_of(me);
    // The people you have 1:1s with, once each, by name.
    let mut others: Vec<Person> = vec![];
    for s in app.my_series(me).await? {
        if !others.iter().any(|o| o.id == s.other.id) {
            others.push(s.other);
        }
    }
    others.sort_by_key(|o| o.name.to_lowercase());
    let people = others
        .iter()
        .map(|o| Selectable { value: o.id.to_string(), label: o.name.clone(), selected: o.id.to_string() == f.with })
        .collect();

    let mut errors = Invalid::default();
    let with = if f.with.trim().is_empty() { None } else { parse_person("with", &f.with, "Choose a person from the list.", &mut errors) };
    let start_of = |d: NaiveDate| crate::domain::schedule::local_instant(tz, d, NaiveTime::MIN);
    let from = parse_date("from", &f.from, &mut errors).map(start_of);
    let to = parse_date("to", &f.to, &mut errors).map(|d| start_of(d + Duration::days(1)));
    if let (Some(a), Some(b)) = (from, to)
        && b <= a
    {
        errors.push(FieldError::new("to", "The end date comes before the start date."));
    }
    let searched = !f.q.trim().is_empty();
    let mut hits = vec![];
    if searched && errors.is_empty() {
        match app.search(me, f.q.trim(), with, from, to).await {
            Ok(results) => {
                hits = results
                    .into_iter()
                    .map(|SearchResult { hit, other, .. }| HitRow {
                        meeting_id: hit.meeting_id,
                        kind: match (hit.kind, hit.private) {
                            (DocKind::Note, true) => "Your private note",
                            (DocKind::Note, false) => "Shared notes",
                            (DocKind::Point, _) => "Topic",
                            (DocKind::Action, _) => "Action",
                        },
                        private: hit.private,
                        when: when(hit.occurred_at, tz, now),
                        snippet: snippet_html(&hit.snippet),
                        other,
                    })
                    .collect();
            }
            Err(AppError::Invalid(i)) => errors = i,
            Err(e) => return Err(e.into()),
        }
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &SearchPage { c: Chrome::for_user(&user.0, "Search", "search"), f, people, errors, searched, hits }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn conflict_marks_are_put_in_plain_words() {
        let marked = "Agenda\n<<<<<<< ours\nHiring: A\n||||||| original\nHiring\n=======\nHiring: B\n>>>>>>> theirs\nBudget\n";
        assert_eq!(
            super::plain_conflict(marked, Some("Tom")),
            "Agenda\n<<<<<<< your version\nHiring: A\n=======\nHiring: B\n>>>>>>> Tom’s version\nBudget\n"
        );
    }
}
