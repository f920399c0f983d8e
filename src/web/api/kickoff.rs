//! The kickoff note of a series (read, edit, send, skip) and one's own focus hours.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::app::kickoff::KickoffView;
use crate::domain::kickoff::{FocusHours, Warning, check_focus, day_slug};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KickoffStateDto {
    Draft,
    Sent,
    Skipped,
}

#[derive(Serialize, ToSchema)]
pub struct FirstMeetingDto {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct KickoffDto {
    pub series_id: Uuid,
    pub state: KickoffStateDto,
    /// As the manager wrote it, with placeholders ({name}, {manager}, {cadence}, {when},
    /// {first}, {minutes}, {link}). Only for the manager.
    pub subject: Option<String>,
    pub body: Option<String>,
    /// What the teammate reads (or will read), placeholders filled in. Markdown.
    pub filled_subject: String,
    pub filled_body: String,
    /// Send it back with a change; 0 before anything was saved.
    pub version: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    /// When the teammate first opened it.
    pub read_at: Option<DateTime<Utc>>,
    pub first_meeting: Option<FirstMeetingDto>,
    /// For the manager, while the first 1:1 is still to come: why it may take the teammate by
    /// surprise (`too_soon`, `already_started`, `focus_hours`). They warn; they do not block.
    pub warnings: Vec<Warning>,
}

impl From<KickoffView> for KickoffDto {
    fn from(v: KickoffView) -> Self {
        let state = match (v.sent_at, v.skipped_at) {
            (Some(_), _) => KickoffStateDto::Sent,
            (None, Some(_)) => KickoffStateDto::Skipped,
            _ => KickoffStateDto::Draft,
        };
        let manager = v.viewer_is_manager;
        KickoffDto {
            series_id: v.series.id,
            state,
            subject: manager.then_some(v.subject),
            body: manager.then_some(v.body),
            filled_subject: v.filled_subject,
            filled_body: v.filled_body,
            version: v.version,
            sent_at: v.sent_at,
            skipped_at: v.skipped_at,
            read_at: v.read_at,
            first_meeting: v.first.map(|m| FirstMeetingDto { id: m.id, starts_at: m.starts_at }),
            warnings: v.warnings,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/series/{id}/kickoff", tag = "kickoff", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The note: for the manager, the draft and its warnings; for the teammate, the note once sent (reading it marks it read)", body = KickoffDto),
    (status = 404, description = "No such series, or not yours to see (a draft is the manager's alone)", body = ErrorBody)))]
pub(super) async fn get_kickoff(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<KickoffDto>> {
    Ok(Json(app.kickoff(user.person(), id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KickoffEdit {
    pub subject: String,
    pub body: String,
    /// The version you edited (`version` from GET).
    pub version: i64,
}

#[utoipa::path(put, path = "/api/v1/series/{id}/kickoff", tag = "kickoff", params(("id" = Uuid, Path)), request_body = KickoffEdit, responses(
    (status = 200, description = "The draft, saved (not sent)", body = KickoffDto),
    (status = 422, description = "What is wrong, per field; an unknown placeholder is named with its line and column", body = ErrorBody),
    (status = 409, description = "Changed or sent since that version", body = ErrorBody),
    (status = 404, description = "No such series, or not yours", body = ErrorBody)))]
pub(super) async fn put_kickoff(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<KickoffEdit>,
) -> ApiResult<Json<KickoffDto>> {
    Ok(Json(app.save_kickoff(user.person(), id, &b.subject, &b.body, b.version).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KickoffAct {
    /// The version to send (or skip); the saved subject and body are used unless given.
    pub version: i64,
    pub subject: Option<String>,
    pub body: Option<String>,
}

async fn act(app: &App, user: &CurrentUser, id: Uuid, b: KickoffAct, send: bool) -> ApiResult<Json<KickoffDto>> {
    let me = user.person();
    // Write access first: a refused send or skip must not count as reading the note.
    let current = app.kickoff_draft(me, id).await?;
    let subject = b.subject.unwrap_or(current.subject);
    let body = b.body.unwrap_or(current.body);
    let v = if send {
        app.send_kickoff(me, id, &subject, &body, b.version).await?
    } else {
        app.skip_kickoff(me, id, &subject, &body, b.version).await?
    };
    Ok(Json(v.into()))
}

#[utoipa::path(post, path = "/api/v1/series/{id}/kickoff/send", tag = "kickoff", params(("id" = Uuid, Path)), request_body = KickoffAct, responses(
    (status = 200, description = "Sent: the teammate finds it in rapport and in their messages (e-mail when a mail server is set up)", body = KickoffDto),
    (status = 422, description = "What is wrong, per field (or sent already)", body = ErrorBody),
    (status = 409, description = "Changed since that version", body = ErrorBody),
    (status = 404, description = "No such series, or not yours", body = ErrorBody)))]
pub(super) async fn send_kickoff(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<KickoffAct>,
) -> ApiResult<Json<KickoffDto>> {
    act(&app, &user, id, b, true).await
}

#[utoipa::path(post, path = "/api/v1/series/{id}/kickoff/skip", tag = "kickoff", params(("id" = Uuid, Path)), request_body = KickoffAct, responses(
    (status = 200, description = "Marked as told in person: nothing is sent; it can still be sent later", body = KickoffDto),
    (status = 409, description = "Changed since that version", body = ErrorBody),
    (status = 404, description = "No such series, or not yours", body = ErrorBody)))]
pub(super) async fn skip_kickoff(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<KickoffAct>,
) -> ApiResult<Json<KickoffDto>> {
    act(&app, &user, id, b, false).await
}

// ---- focus hours ----

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusHoursDto {
    /// mon, tue, wed, thu, fri, sat, sun.
    pub days: Vec<String>,
    /// HH:MM in your time zone.
    pub start: String,
    pub end: String,
    /// In words ("Mon–Fri 09:00–12:00"); ignored when sent.
    #[serde(default, skip_deserializing)]
    pub label: String,
}

impl From<FocusHours> for FocusHoursDto {
    fn from(f: FocusHours) -> Self {
        FocusHoursDto {
            days: f.days.iter().map(|d| day_slug(*d).to_string()).collect(),
            start: f.start.format("%H:%M").to_string(),
            end: f.end.format("%H:%M").to_string(),
            label: f.label(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me/focus-hours", tag = "kickoff", responses(
    (status = 200, description = "Your focus hours, or null", body = Option<FocusHoursDto>)))]
pub(super) async fn get_focus(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Option<FocusHoursDto>>> {
    let me = user.person();
    Ok(Json(app.focus_hours(me, me).await?.map(Into::into)))
}

#[utoipa::path(put, path = "/api/v1/me/focus-hours", tag = "kickoff", request_body = FocusHoursDto, responses(
    (status = 200, description = "Saved. A first 1:1 planned in them gets a warning for the manager", body = FocusHoursDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(super) async fn put_focus(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<FocusHoursDto>,
) -> ApiResult<Json<FocusHoursDto>> {
    let f = check_focus(&b.days, &b.start, &b.end).map_err(crate::app::AppError::from)?;
    app.set_focus_hours(user.person(), Some(&f)).await?;
    Ok(Json(f.into()))
}

#[utoipa::path(delete, path = "/api/v1/me/focus-hours", tag = "kickoff", responses((status = 204, description = "Cleared")))]
pub(super) async fn delete_focus(State(app): State<App>, user: CurrentUser) -> ApiResult<StatusCode> {
    app.set_focus_hours(user.person(), None).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- a whole team at once ----

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamStartBody {
    /// Direct reports of yours with no regular 1:1s with you yet.
    pub teammate_ids: Vec<Uuid>,
    /// weekly (default), biweekly, monthly.
    pub cadence: Option<String>,
    /// YYYY-MM-DD.
    #[schema(value_type = String, format = Date)]
    pub first_date: crate::domain::day::Day,
    /// HH:MM of the first person's 1:1; each next one starts when the one before ends.
    pub time: String,
    /// IANA time zone; yours when absent.
    pub timezone: Option<String>,
    pub duration_minutes: Option<u32>,
    /// The note, with placeholders; ours when absent.
    pub subject: Option<String>,
    pub body: Option<String>,
    /// Send the notes at once (default), or keep them as drafts.
    #[serde(default = "yes")]
    pub send: bool,
}

fn yes() -> bool {
    true
}

#[utoipa::path(post, path = "/api/v1/series/team", tag = "kickoff", request_body = TeamStartBody, responses(
    (status = 201, description = "Every series started (all or none), each with its note and warnings, in order", body = [KickoffDto]),
    (status = 422, description = "What is wrong, per field; nothing started", body = ErrorBody)))]
pub(super) async fn start_team(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<TeamStartBody>,
) -> ApiResult<(StatusCode, Json<Vec<KickoffDto>>)> {
    use crate::domain::schedule::Cadence;
    use crate::domain::{FieldError, Invalid};
    let me = user.person();
    let mut errors = Invalid::default();
    let cadence = match b.cadence.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => Some(Cadence::Weekly),
        Some(c) => Cadence::parse(c).or_else(|| {
            errors.push(FieldError::new("cadence", format!("\"{c}\" is not a cadence: weekly, biweekly or monthly.")));
            None
        }),
    };
    let first_date = b.first_date.date();
    let (Some(cadence), true) = (cadence, errors.is_empty()) else {
        return Err(crate::app::AppError::Invalid(errors).into());
    };
    let (subject, body) = crate::domain::kickoff::default_draft();
    let views = app
        .start_team(
            me,
            crate::app::kickoff::TeamStart {
                teammate_ids: b.teammate_ids.into_iter().map(crate::domain::PersonId).collect(),
                cadence,
                first_date,
                time: b.time,
                timezone: b.timezone.unwrap_or_else(|| me.timezone.to_string()),
                duration_minutes: b.duration_minutes.unwrap_or(30),
                subject: b.subject.unwrap_or(subject),
                body: b.body.unwrap_or(body),
                send: b.send,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(views.into_iter().map(Into::into).collect())))
}
