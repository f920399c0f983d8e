//! Starting a series (`/series/new`): a regular, skip-level or one-off 1:1.

use super::shared::{PageResult, parse_date, parse_person, see_other};
use crate::app::meetings::SeriesInput;
use crate::app::{App, AppError};
use crate::domain::meeting::{DURATION_CHOICES, SeriesKind};
use crate::domain::schedule::Cadence;
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use crate::web::pages::time::{today_in, tz_of};
use crate::web::pages::{Chrome, Form, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;
use uuid::Uuid;

/// At most this many people are offered for skip-level and one-off 1:1s.
const BELOW_LIMIT: usize = 300;

#[derive(Deserialize, Default)]
pub struct NewSeriesQuery {
    teammate: Option<Uuid>,
    kind: Option<String>,
}

/// The series form's values as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SeriesForm {
    teammate_id: String,
    kind: String,
    cadence: String,
    first_date: String,
    time: String,
    timezone: String,
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
    let zone = teammate.as_ref().map_or(me.timezone, |t| t.timezone).to_string();
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
