//! Messages: the inbox, the calendar feed and reminder settings, the feed itself, and the
//! admins' page of jobs that failed.

use super::time::Words;
use super::{Chrome, Form, ok, render};
use crate::app::{App, AppError};
use crate::domain::Invalid;
use crate::domain::messages::{InboxMessage, QueuedJob};
use crate::domain::messages::{ReminderSettings, parse_hhmm};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

#[derive(Template)]
#[template(path = "messages.html")]
struct InboxPage {
    c: Chrome,
    words: Words,
    messages: Vec<InboxMessage>,
    smtp: bool,
}

pub async fn inbox(State(app): State<App>, user: CurrentUser) -> PageResult {
    let messages = app.inbox(user.person()).await?;
    let words = Words::for_reader(user.person(), app.clock.now());
    Ok(ok(&InboxPage { c: Chrome::for_user(&user.0, "Messages", "messages"), words, messages, smtp: app.config.mail.is_some() }))
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    words: Words,
    m: InboxMessage,
}

pub async fn message(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    let m = app.inbox_message(user.person(), id).await?;
    let words = Words::for_reader(user.person(), app.clock.now());
    Ok(ok(&MessagePage { c: Chrome::for_user(&user.0, "Message", "messages"), words, m }))
}

/// The invitation attached to a message, as a file a calendar program opens.
pub async fn message_calendar(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    let m = app.inbox_message(user.person(), id).await?;
    let ics = m.calendar.ok_or(AppError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"invitation.ics\"")],
        ics,
    )
        .into_response())
}

// ---- settings: calendar feed and reminders ----

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    c: Chrome,
    notice: Option<String>,
    errors: Invalid,
    feed_since: Option<DateTime<Utc>>,
    new_feed_url: Option<String>,
    s: ReminderSettings,
}

async fn notifications(
    app: &App,
    user: &CurrentUser,
    status: StatusCode,
    notice: Option<String>,
    errors: Invalid,
    new_feed_url: Option<String>,
    shown: Option<ReminderSettings>,
) -> PageResult {
    let feed_since = app.calendar_feed_status(user.person()).await?;
    let s = match shown {
        Some(s) => s,
        None => app.reminder_settings(user.person()).await?,
    };
    Ok(render(
        status,
        &NotificationsPage {
            c: Chrome::for_user(&user.0, "Calendar and reminders", "settings"),
            notice,
            errors,
            feed_since,
            new_feed_url,
            s,
        },
    ))
}

pub async fn notifications_page(State(app): State<App>, user: CurrentUser) -> PageResult {
    notifications(&app, &user, StatusCode::OK, None, Invalid::default(), None, None).await
}

pub async fn create_feed(State(app): State<App>, user: CurrentUser, headers: HeaderMap) -> PageResult {
    let token = app.create_calendar_feed(user.person()).await?;
    let url = format!("{}/calendar/{token}.ics", super::super::base_url(&app, &headers));
    notifications(&app, &user, StatusCode::OK, None, Invalid::default(), Some(url), None).await
}

pub async fn revoke_feed(State(app): State<App>, user: CurrentUser) -> PageResult {
    app.revoke_calendar_feed(user.person()).await?;
    notifications(&app, &user, StatusCode::OK, Some("The calendar link no longer works.".into()), Invalid::default(), None, None).await
}

#[derive(Deserialize)]
pub struct RemindersForm {
    #[serde(default)]
    prep_reminder: Option<String>,
    #[serde(default)]
    prep_hours: String,
    #[serde(default)]
    topic_nudge: Option<String>,
    #[serde(default)]
    overdue_actions: Option<String>,
    #[serde(default)]
    gap_alert: Option<String>,
    #[serde(default)]
    weekly_digest: Option<String>,
    #[serde(default)]
    quiet_start: String,
    #[serde(default)]
    quiet_end: String,
    #[serde(default)]
    webhook_url: String,
    #[serde(default)]
    team_webhook_url: String,
}

pub async fn save_reminders(State(app): State<App>, user: CurrentUser, Form(f): Form<RemindersForm>) -> PageResult {
    let d = ReminderSettings::default();
    let mut errors = Invalid::default();
    let quiet_start = parse_hhmm(&f.quiet_start);
    let quiet_end = parse_hhmm(&f.quiet_end);
    if quiet_start.is_none() {
        errors.push(crate::domain::FieldError::new("quiet_start", "Give a time as hours and minutes, for example 20:00."));
    }
    if quiet_end.is_none() {
        errors.push(crate::domain::FieldError::new("quiet_end", "Give a time as hours and minutes, for example 08:00."));
    }
    let prep_hours = f.prep_hours.trim().parse::<u32>().unwrap_or(0);
    let s = ReminderSettings {
        prep_reminder: f.prep_reminder.is_some(),
        prep_hours,
        topic_nudge: f.topic_nudge.is_some(),
        overdue_actions: f.overdue_actions.is_some(),
        gap_alert: f.gap_alert.is_some(),
        weekly_digest: f.weekly_digest.is_some(),
        quiet_start: quiet_start.unwrap_or(d.quiet_start),
        quiet_end: quiet_end.unwrap_or(d.quiet_end),
        webhook_url: f.webhook_url.clone(),
        team_webhook_url: f.team_webhook_url.clone(),
    };
    if !errors.is_empty() {
        return notifications(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, None, errors, None, Some(s)).await;
    }
    match app.save_reminder_settings(user.person(), s.clone()).await {
        Ok(_) => {
            notifications(&app, &user, StatusCode::OK, Some("Your reminder settings are saved.".into()), Invalid::default(), None, None)
                .await
        }
        Err(AppError::Invalid(errors)) => notifications(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, None, errors, None, Some(s)).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /calendar/{token}.ics`: the private feed. No sign-in: the token is the key. A
/// revoked or unknown token is a plain 404.
pub async fn feed(State(app): State<App>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    match app.calendar_feed(token, &super::super::base_url(&app, &headers)).await {
        Ok(ics) => ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], ics).into_response(),
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => PageError(e).into_response(),
    }
}

// ---- admin: jobs ----

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    c: Chrome,
    words: Words,
    counts: Vec<(String, i64)>,
    jobs: Vec<QueuedJob>,
}

pub async fn jobs_page(State(app): State<App>, user: CurrentUser) -> PageResult {
    let report = app.job_report(user.person()).await?;
    let words = Words::for_reader(user.person(), app.clock.now());
    Ok(ok(&JobsPage { c: Chrome::for_user(&user.0, "Jobs", "jobs"), words, counts: report.counts, jobs: report.troubled }))
}

pub async fn retry_job(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    app.retry_job(user.person(), id).await?;
    Ok(Redirect::to("/admin/jobs").into_response())
}
