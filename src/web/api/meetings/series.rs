//! Series: list, start, read, pause/resume/end.

use super::bodies::*;
use super::check::{Check, nonempty};
use super::shapes::*;
use crate::app::App;
use crate::app::meetings::SeriesInput;
use crate::domain::PersonId;
use crate::domain::meeting as rules;
use crate::domain::schedule::Cadence as DomainCadence;
use crate::web::api::{ApiJson, ApiQuery, ApiResult};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use uuid::Uuid;

// ---- series ----

#[utoipa::path(get, path = "/api/v1/series", tag = "meetings", responses(
    (status = 200, description = "Every series you are part of, with the other person and the next meeting", body = Vec<SeriesSummaryDto>),
    (status = 401, description = "Not signed in, or an unknown token", body = ErrorBody)))]
pub(crate) async fn list_series(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<SeriesSummaryDto>>> {
    let list = app.my_series(user.person()).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SeriesSummaryDto {
                next: s.next.as_ref().map(|m| MeetingDto::new(m, &s.series)),
                series: (&s.series).into(),
                other: s.other.into(),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/series", tag = "meetings", request_body = CreateSeries, responses(
    (status = 201, description = "Started; the first meetings exist, and a kickoff note waits to be sent", body = StartedSeriesDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "No such person, or not someone you lead", body = ErrorBody)))]
pub(crate) async fn create_series(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<CreateSeries>,
) -> ApiResult<(StatusCode, Json<StartedSeriesDto>)> {
    let mut check = Check::default();
    let kind = match nonempty(&b.kind) {
        Some(k) => check.choice("kind", k, rules::SeriesKind::parse, "regular, skip_level, one_off"),
        None => Some(rules::SeriesKind::Regular),
    };
    let cadence = match nonempty(&b.cadence) {
        Some(c) => check.choice("cadence", c, DomainCadence::parse, "weekly, biweekly, monthly"),
        None => Some(DomainCadence::Weekly),
    };
    let first_date = b.first_date.date();
    let (Some(kind), Some(cadence)) = (kind, cadence) else {
        return Err(check.refused());
    };
    let input = SeriesInput {
        teammate_id: PersonId(b.teammate_id),
        kind,
        cadence,
        first_date,
        time: b.time,
        timezone: b.timezone.unwrap_or_else(|| user.person().timezone.to_string()),
        duration_minutes: b.duration_minutes.unwrap_or(30),
    };
    let series = app.create_series(user.person(), input).await?;
    let kickoff_warnings = app.kickoff(user.person(), series.id).await.map(|k| k.warnings).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(StartedSeriesDto { series: (&series).into(), kickoff_warnings })))
}

#[utoipa::path(get, path = "/api/v1/series/{id}", tag = "meetings", params(("id" = Uuid, Path), SeriesParams), responses(
    (status = 200, description = "The pair's timeline: what is coming, and one page of the past", body = SeriesViewDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn get_series(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiQuery(q): ApiQuery<SeriesParams>,
) -> ApiResult<Json<SeriesViewDto>> {
    let mut check = Check::default();
    let before = nonempty(&q.before).and_then(|b| check.instant("before", b, false));
    check.done()?;
    let v = app.series_view(user.person(), id, before).await?;
    Ok(Json(SeriesViewDto {
        upcoming: v.upcoming.iter().map(|m| MeetingDto::new(m, &v.series)).collect(),
        history: v.history.iter().map(|m| MeetingDto::new(m, &v.series)).collect(),
        series: (&v.series).into(),
        manager: v.manager.into(),
        teammate: v.teammate.into(),
        older: v.older,
        ratings: v.ratings.iter().map(|(starts_at, rating)| RatingDto { starts_at: *starts_at, rating: *rating }).collect(),
    }))
}

#[utoipa::path(patch, path = "/api/v1/series/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdateSeries, responses(
    (status = 200, description = "The series as it is now", body = SeriesDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "Already ended, or an unknown status", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see or change (the same answer for all)", body = ErrorBody)))]
pub(crate) async fn update_series(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateSeries>,
) -> ApiResult<Json<SeriesDto>> {
    let mut check = Check::default();
    let status = check.choice("status", &b.status, rules::SeriesStatus::parse, "active, paused, ended");
    let status = check.value(status)?;
    let series = app.set_series_status(user.person(), id, b.version, status).await?;
    Ok(Json((&series).into()))
}
