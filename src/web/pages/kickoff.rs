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
    p.timezone.parse().unwrap_or(chrono_tz::UTC)
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
        (_, Some("sent")) => Some(format!("Sent. {name} finds it in rapport and in their messages.")),
        (_, Some("skipped")) => Some(format!("Noted: you told {name} in person. Nothing was sent.")),
        _ => None,
    };
    Ok(render(StatusCode::OK, &page(&user, v, Invalid::default(), notice, None)))
}

#[derive(Deserialize, Default)]
pub struct KickoffForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    version: i64,
    /// preview, save, send or skip.
    #[serde(default)]
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
            let v = app.kickoff(me, id).await?;
            let mut p = page(&user, v, errors, None, None);
            p.subject = f.subject;
            p.body = f.body;
            p.version = f.version;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(AppError::Conflict(m)) => {
            let v = app.kickoff(me, id).await?;
            Ok(render(StatusCode::CONFLICT, &page(&user, v, Invalid::default(), None, Some(m))))
        }
        Err(e) => Err(e.into()),
    }
}
