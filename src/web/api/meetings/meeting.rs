//! Meetings: upcoming, one meeting, its status, moving and rating.

use super::bodies::*;
use super::check::{Check, nonempty};
use super::shapes::*;
use crate::app::App;
use crate::domain::meeting as rules;
use crate::web::api::{ApiJson, ApiQuery, ApiResult};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use uuid::Uuid;

// ---- meetings ----

#[utoipa::path(get, path = "/api/v1/meetings/upcoming", tag = "meetings", params(UpcomingParams), responses(
    (status = 200, description = "Your next meetings across all your 1:1s, soonest first", body = Vec<UpcomingDto>),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(crate) async fn upcoming(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<UpcomingParams>,
) -> ApiResult<Json<Vec<UpcomingDto>>> {
    let mut check = Check::default();
    let limit = nonempty(&q.limit).map(|l| check.number("limit", l, 1i64, 100)).unwrap_or(Some(10));
    let limit = check.value(limit)?;
    let list = app.upcoming_meetings(user.person(), limit).await?;
    let new_topics = app.new_topics(user.person(), &list).await?;
    Ok(Json(
        list.into_iter()
            .map(|u| UpcomingDto {
                meeting: MeetingDto::new(&u.meeting, &u.series),
                new_topics: new_topics.get(&u.meeting.id).copied().unwrap_or(0),
                series: (&u.series).into(),
                other: u.other.into(),
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The meeting as you see it: agenda, shared note, your private note, actions", body = MeetingViewDto),
    (status = 404, description = "No such meeting, or not one you are part of", body = ErrorBody)))]
pub(crate) async fn get_meeting(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<MeetingViewDto>> {
    Ok(Json(app.meeting_view(user.person(), id).await?.into()))
}

/// A changed meeting, shown with its series' local time.
async fn meeting_answer(app: &App, user: &CurrentUser, meeting: rules::Meeting) -> ApiResult<Json<MeetingDto>> {
    let series = app.meeting_view(user.person(), meeting.id).await?.series;
    Ok(Json(MeetingDto::new(&meeting, &series)))
}

#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdateMeeting, responses(
    (status = 200, description = "Marked; topics not discussed move on to the next meeting", body = MeetingDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn update_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateMeeting>,
) -> ApiResult<Json<MeetingDto>> {
    let mut check = Check::default();
    let status = check.choice("status", &b.status, rules::MeetingStatus::parse, "scheduled, held, skipped, cancelled");
    let status = check.value(status)?;
    let m = app.set_meeting_status(user.person(), id, b.version, status, &b.reason).await?;
    meeting_answer(&app, &user, m).await
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/move", tag = "meetings", params(("id" = Uuid, Path)), request_body = MoveMeeting, responses(
    (status = 200, description = "Moved; `moved_from_at` keeps where it was, `warnings` says when the new time may not suit one of the two", body = MovedMeeting),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn move_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<MoveMeeting>,
) -> ApiResult<Json<MovedMeeting>> {
    let m = app.move_meeting(user.person(), id, b.version, b.date.date(), &b.time, &b.reason).await?;
    let warnings = app.meeting_time_warnings(user.person(), id).await?;
    let Json(meeting) = meeting_answer(&app, &user, m).await?;
    Ok(Json(MovedMeeting { meeting, warnings }))
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/rating", tag = "meetings", params(("id" = Uuid, Path)), request_body = RateMeeting, responses(
    (status = 200, description = "Rated (the teammate, once the meeting has taken place; anyone else: 404)", body = MeetingDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn rate_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<RateMeeting>,
) -> ApiResult<Json<MeetingDto>> {
    let m = app.rate_meeting(user.person(), id, b.rating, &b.comment).await?;
    meeting_answer(&app, &user, m).await
}
