//! Messages: the inbox, the calendar feed link, reminder settings, and (for admins) the jobs
//! that failed.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::domain::messages::{QueuedJob, ReminderSettings, parse_hhmm};
use crate::domain::{FieldError, Invalid};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    pub id: Uuid,
    pub subject: String,
    pub body_text: String,
    /// The iCalendar invitation sent with it, if any.
    pub calendar: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[utoipa::path(get, path = "/api/v1/me/messages", tag = "messages", responses(
    (status = 200, description = "Your messages, newest first (only yours)", body = Vec<MessageDto>)))]
pub(super) async fn my_messages(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<MessageDto>>> {
    let list = app.inbox(user.person()).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| MessageDto {
                id: m.id,
                subject: m.subject,
                body_text: m.body_text,
                calendar: m.calendar,
                created_at: m.created_at,
                read_at: m.read_at,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct FeedDto {
    /// Subscribe to this in a calendar program. Shown only now; a new one replaces it.
    pub url: String,
}

#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "messages", responses(
    (status = 201, description = "A new private feed link; an earlier one stops working", body = FeedDto)))]
pub(super) async fn create_feed(State(app): State<App>, user: CurrentUser, headers: HeaderMap) -> ApiResult<(StatusCode, Json<FeedDto>)> {
    let token = app.create_calendar_feed(user.person()).await?;
    Ok((StatusCode::CREATED, Json(FeedDto { url: format!("{}/calendar/{token}.ics", crate::web::base_url(&app, &headers)) })))
}

#[derive(Serialize, ToSchema)]
pub struct FeedStatusDto {
    /// When your current feed link was made (the link itself is shown only when made).
    pub created_at: DateTime<Utc>,
}

#[utoipa::path(get, path = "/api/v1/me/calendar-feed", tag = "messages", responses(
    (status = 200, description = "You have a feed link", body = FeedStatusDto),
    (status = 404, description = "You have no feed link", body = ErrorBody)))]
pub(super) async fn feed_status(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<FeedStatusDto>> {
    let created_at = app.calendar_feed_status(user.person()).await?.ok_or(crate::app::AppError::NotFound)?;
    Ok(Json(FeedStatusDto { created_at }))
}

#[utoipa::path(delete, path = "/api/v1/me/calendar-feed", tag = "messages", responses(
    (status = 204, description = "The feed link no longer works"),
    (status = 404, description = "You had no feed link", body = ErrorBody)))]
pub(super) async fn revoke_feed(State(app): State<App>, user: CurrentUser) -> ApiResult<StatusCode> {
    if app.revoke_calendar_feed(user.person()).await? { Ok(StatusCode::NO_CONTENT) } else { Err(crate::app::AppError::NotFound.into()) }
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindersDto {
    pub prep_reminder: bool,
    /// Hours before a 1:1 for its prep reminder (1–72).
    pub prep_hours: u32,
    pub topic_nudge: bool,
    pub overdue_actions: bool,
    pub gap_alert: bool,
    pub weekly_digest: bool,
    /// "HH:MM" in your time zone.
    pub quiet_start: String,
    pub quiet_end: String,
    /// A Slack-compatible incoming webhook, or "".
    pub webhook_url: String,
    /// For managers: a team channel's webhook for the nudges to their reports, or "".
    #[serde(default)]
    pub team_webhook_url: String,
}

impl From<ReminderSettings> for RemindersDto {
    fn from(s: ReminderSettings) -> Self {
        RemindersDto {
            prep_reminder: s.prep_reminder,
            prep_hours: s.prep_hours,
            topic_nudge: s.topic_nudge,
            overdue_actions: s.overdue_actions,
            gap_alert: s.gap_alert,
            weekly_digest: s.weekly_digest,
            quiet_start: s.quiet_start.format("%H:%M").to_string(),
            quiet_end: s.quiet_end.format("%H:%M").to_string(),
            webhook_url: s.webhook_url,
            team_webhook_url: s.team_webhook_url,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me/reminders", tag = "messages", responses(
    (status = 200, description = "Your reminder settings", body = RemindersDto)))]
pub(super) async fn get_reminders(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<RemindersDto>> {
    Ok(Json(app.reminder_settings(user.person()).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/me/reminders", tag = "messages", request_body = RemindersDto, responses(
    (status = 200, description = "Saved", body = RemindersDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(super) async fn put_reminders(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<RemindersDto>,
) -> ApiResult<Json<RemindersDto>> {
    let mut errors = Invalid::default();
    let qs = parse_hhmm(&b.quiet_start);
    let qe = parse_hhmm(&b.quiet_end);
    if qs.is_none() {
        errors.push(FieldError::new("quiet_start", "Give a time as hours and minutes, for example 20:00."));
    }
    if qe.is_none() {
        errors.push(FieldError::new("quiet_end", "Give a time as hours and minutes, for example 08:00."));
    }
    errors.into_result().map_err(crate::app::AppError::from)?;
    let s = ReminderSettings {
        prep_reminder: b.prep_reminder,
        prep_hours: b.prep_hours,
        topic_nudge: b.topic_nudge,
        overdue_actions: b.overdue_actions,
        gap_alert: b.gap_alert,
        weekly_digest: b.weekly_digest,
        quiet_start: qs.unwrap_or_default(),
        quiet_end: qe.unwrap_or_default(),
        webhook_url: b.webhook_url,
        team_webhook_url: b.team_webhook_url,
    };
    Ok(Json(app.save_reminder_settings(user.person(), s).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct JobsDto {
    /// How many jobs are in each state.
    pub counts: std::collections::BTreeMap<String, i64>,
    /// Jobs that failed for good or wait to retry, with the last error.
    pub troubled: Vec<QueuedJob>,
}

#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "messages", responses(
    (status = 200, description = "Jobs that failed or wait to retry (admins only)", body = JobsDto),
    (status = 404, description = "Not an admin (the same answer as for a missing page)", body = ErrorBody)))]
pub(super) async fn jobs(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<JobsDto>> {
    let r = app.job_report(user.person()).await?;
    Ok(Json(JobsDto { counts: r.counts.into_iter().collect(), troubled: r.troubled }))
}
