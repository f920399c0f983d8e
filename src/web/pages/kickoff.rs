//! The kickoff page of a series: for its manager, the note to edit, preview and send (or skip,
//! when they told the teammate in person), with the warnings about the first 1:1; for the
//! teammate, the note as they received it.

use super::{Chrome, Form, render};
use crate::app::kickoff::KickoffView;
use crate::app::{App, AppError};
use crate::domain::kickoff::{PLACEHOLDERS, Warning};
use crate::domain::{Invalid, Person};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

fn tz_of(p: &Person) -> Tz {
    p.timezone.tz()
}

fn day(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%A %-d %B, %H:%M").to_string()
}

#[derive(askama::Template)]
#[template(path = "kickoff.html")]
struct KickoffPage {
    c: Chrome,
    id: Uuid,
    other: Person,
    i_lead: bool,
    other_first: String,
    subject: String,
    body: String,
    filled_subject: String,
    body_html: String,
    version: i64,
    sent: Option<String>,
    skipped: Option<String>,
    read: Option<String>,
    first: Option<(Uuid, String)>,
    /// "first" or "next": which 1:1 the note comes before.
    which: &'static str,
    /// The note cannot reach the teammate yet (no account, no e-mail): say so, and how to fix it.
    waits: bool,
    warnings: Vec<Warning>,
    errors: Invalid,
    notice: Option<String>,
    problem: Option<String>,
    placeholders: Vec<String>,
}

fn page(user: &CurrentUser, v: KickoffView, errors: Invalid, notice: Option<String>, problem: Option<String>) -> KickoffPage {
    let me = user.person();
    let tz = tz_of(me);
    let i_lead = v.viewer_is_manager;
    let other = if i_lead { v.teammate.clone() } else { v.manager.clone() };
    let title = if i_lead { format!("Tell {} about your 1:1s", other.name) } else { format!("{} about your 1:1s", other.name) };
    KickoffPage {
        c: Chrome::for_user(&user.0, &title, "meetings"),
        id: v.series.id,
        other_first: crate::domain::kickoff::first_name(&other.name),
        other,
        i_lead,
        subject: v.subject,
        body: v.body,
        filled_subject: v.filled_subject,
        body_html: v.body_html,
        version: v.version,
        sent: v.sent_at.map(|t| day(t, tz)),
        skipped: v.skipped_at.filter(|_| v.sent_at.is_none()).map(|t| day(t, tz)),
        read: v.read_at.map(|t| day(t, tz)),
        first: v.first.as_ref().map(|m| (m.id, day(m.starts_at, tz))),
        which: if v.first_of_series { "first" } else { "next" },
        waits: !v.reaches_teammate,
        warnings: v.warnings,
        errors,
        notice,
        problem,
        placeholders: PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect(),
    }
}

#[derive(Deserialize, Default)]
pub struct KickoffQuery {
    started: Option<String>,
    done: Option<String>,
}

pub async fn kickoff_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<KickoffQuery>) -> PageResult {
    let v = app.kickoff(user.person(), id).await?;
    let name = crate::domain::kickoff::first_name(&v.teammate.name);
    let notice = match (q.started.is_some(), q.done.as_deref()) {
        (true, _) => Some(format!(
            "Your 1:1s with {} are set up. Before the first one, tell {name} what they are for: rapport has drafted a note for you to make your own.",
            v.teammate.name
        )),
        (_, Some("saved")) => Some("Your draft is saved. It has not been sent.".into()),
        (_, Some("sent")) if !v.reaches_teammate => Some(format!(
            "Saved for {name}, but it has not reached them: {name} has not signed in to rapport yet and no e-mail goes out from here. Invite them so they can read it."
        )),
        (_, Some("sent")) => Some(format!("Sent. {name} finds it in rapport and in their messages.")),
        (_, Some("skipped")) => Some(format!("Noted: you told {name} in person. Nothing was sent.")),
        _ => None,
    };
    Ok(render(StatusCode::OK, &page(&user, v, Invalid::default(), notice, None)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KickoffForm {
    subject: String,
    body: String,
    version: i64,
    /// preview, save, send or skip.
    intent: String,
}

pub async fn kickoff_submit(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<KickoffForm>) -> PageResult {
    let me = user.person();
    let result = match f.intent.as_str() {
        "preview" => app.preview_kickoff(me, id, &f.subject, &f.body).await,
        "save" => app.save_kickoff(me, id, &f.subject, &f.body, f.version).await,
        "send" => app.send_kickoff(me, id, &f.subject, &f.body, f.version).await,
        "skip" => app.skip_kickoff(me, id, &f.subject, &f.body, f.version).await,
        _ => Err(AppError::Invalid(Invalid::one("intent", "Choose to preview, save, send or skip the note."))),
    };
    match result {
        Ok(v) if f.intent == "preview" => {
            let notice = Some("This is what they will read. Nothing is saved or sent yet.".to_string());
            let mut p = page(&user, v, Invalid::default(), notice, None);
            // Keep what was typed (and the version it was typed on).
            p.version = f.version;
            Ok(render(StatusCode::OK, &p))
        }
        Ok(_) => {
            let done = match f.intent.as_str() {
                "send" => "sent",
                "skip" => "skipped",
                _ => "saved",
            };
            Ok(Redirect::to(&format!("/series/{id}/kickoff?done={done}")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let v = app.kickoff_draft(me, id).await?;
            let mut p = page(&user, v, errors, None, None);
            p.subject = f.subject;
            p.body = f.body;
            p.version = f.version;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(AppError::Conflict(m)) => {
            let v = app.kickoff_draft(me, id).await?;
            Ok(render(StatusCode::CONFLICT, &page(&user, v, Invalid::default(), None, Some(m))))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- /kickoff/team: 1:1s with a whole team at once ----

pub struct Pick {
    id: Uuid,
    name: String,
    title: String,
    checked: bool,
}

pub struct Opt {
    value: String,
    label: String,
}

pub struct TeamRow {
    series: Uuid,
    name: String,
    first: String,
    sent: bool,
    warnings: Vec<Warning>,
}

#[derive(askama::Template)]
#[template(path = "kickoff_team.html")]
struct TeamPage {
    c: Chrome,
    people: Vec<Pick>,
    cadences: Vec<Opt>,
    durations: Vec<Opt>,
    cadence: String,
    first_date: String,
    time: String,
    timezone: String,
    duration: String,
    subject: String,
    body: String,
    placeholders: Vec<String>,
    errors: Invalid,
    results: Vec<TeamRow>,
}

/// The direct reports of the actor with no regular 1:1s going on with them.
async fn team_without_one_on_ones(app: &App, me: &Person) -> Result<Vec<Person>, PageError> {
    use crate::domain::meeting::{SeriesKind, SeriesStatus};
    let series = app.pairs(me).await?;
    Ok(app
        .profile(me, me.id)
        .await?
        .reports
        .into_iter()
        .map(|r| r.person)
        .filter(|p| {
            !series.iter().any(|(s, _)| {
                s.manager_id == me.id && s.teammate_id == p.id && s.kind == SeriesKind::Regular && s.status != SeriesStatus::Ended
            })
        })
        .collect())
}

fn team_page(
    user: &CurrentUser,
    now: DateTime<Utc>,
    people: Vec<Person>,
    f: &[(String, String)],
    chosen: Option<&[String]>,
    errors: Invalid,
) -> TeamPage {
    use crate::domain::schedule::Cadence;
    let field = |n: &str| f.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let (subject, body) = crate::domain::kickoff::default_draft();
    let now = now.with_timezone(&tz_of(user.person())).date_naive();
    let mut first = now + chrono::Duration::days(3);
    while chrono::Datelike::weekday(&first).number_from_monday() > 5 {
        first += chrono::Duration::days(1);
    }
    TeamPage {
        c: Chrome::for_user(&user.0, "Start 1:1s with your team", "meetings"),
        people: people
            .into_iter()
            .map(|p| Pick {
                checked: chosen.is_none_or(|c| c.iter().any(|x| *x == p.id.to_string())),
                id: p.id.0,
                name: p.name,
                title: p.title,
            })
            .collect(),
        cadences: Cadence::ALL.into_iter().map(|c| Opt { value: c.as_str().into(), label: c.label().into() }).collect(),
        durations: crate::domain::meeting::DURATION_CHOICES
            .into_iter()
            .map(|d| Opt { value: d.to_string(), label: format!("{d} minutes") })
            .collect(),
        cadence: field("cadence").unwrap_or_else(|| "weekly".into()),
        first_date: field("first_date").unwrap_or_else(|| first.to_string()),
        time: field("time").unwrap_or_else(|| "10:00".into()),
        timezone: field("timezone").unwrap_or_else(|| user.person().timezone.to_string()),
        duration: field("duration_minutes").unwrap_or_else(|| "30".into()),
        subject: field("subject").unwrap_or(subject),
        body: field("body").unwrap_or(body),
        placeholders: PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect(),
        errors,
        results: vec![],
    }
}

pub async fn team_page_get(State(app): State<App>, user: CurrentUser) -> PageResult {
    let people = team_without_one_on_ones(&app, user.person()).await?;
    Ok(render(StatusCode::OK, &team_page(&user, app.clock.now(), people, &[], None, Invalid::default())))
}

pub async fn team_submit(State(app): State<App>, user: CurrentUser, body: axum::body::Bytes) -> PageResult {
    use crate::app::kickoff::TeamStart;
    use crate::domain::schedule::Cadence;
    let me = user.person();
    let f: Vec<(String, String)> = form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let field = |n: &str| f.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    let chosen: Vec<String> = f.iter().filter(|(k, _)| k == "teammate_ids").map(|(_, v)| v.clone()).collect();
    let mut errors = Invalid::default();
    let ids: Vec<crate::domain::PersonId> = chosen.iter().filter_map(|c| Uuid::parse_str(c).ok()).map(crate::domain::PersonId).collect();
    let cadence = Cadence::parse(&field("cadence"));
    if cadence.is_none() {
        errors.push(crate::domain::FieldError::new("cadence", "Choose how often you meet."));
    }
    let first_date = if field("first_date").trim().is_empty() {
        errors.push(crate::domain::FieldError::new("first_date", "Choose the date of the first 1:1s."));
        None
    } else {
        crate::domain::day::optional("first_date", &field("first_date"), &mut errors)
    };
    let duration = field("duration_minutes").trim().parse::<u32>().ok();
    if duration.is_none() {
        errors.push(crate::domain::FieldError::new("duration_minutes", "Choose how long the 1:1s last."));
    }
    let result = match (errors.is_empty(), cadence, first_date, duration) {
        (true, Some(cadence), Some(first_date), Some(duration_minutes)) => {
            app.start_team(
                me,
                TeamStart {
                    teammate_ids: ids,
                    cadence,
                    first_date,
                    time: field("time"),
                    timezone: field("timezone"),
                    duration_minutes,
                    subject: field("subject"),
                    body: field("body"),
                    send: field("intent") == "send",
                },
            )
            .await
        }
        _ => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(views) => {
            let tz = tz_of(me);
            let people = team_without_one_on_ones(&app, me).await?;
            let mut p = team_page(&user, app.clock.now(), people, &[], None, Invalid::default());
            p.results = views
                .into_iter()
                .map(|v| TeamRow {
                    series: v.series.id,
                    name: v.teammate.name.clone(),
                    first: v.first.as_ref().map(|m| day(m.starts_at, tz)).unwrap_or_default(),
                    sent: v.sent_at.is_some(),
                    warnings: v.warnings,
                })
                .collect();
            Ok(render(StatusCode::OK, &p))
        }
        Err(AppError::Invalid(errors)) => {
            let people = team_without_one_on_ones(&app, me).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &team_page(&user, app.clock.now(), people, &f, Some(&chosen), errors)))
        }
        Err(e) => Err(e.into()),
    }
}
