//! The shared agenda: talking points.

use super::bodies::*;
use super::check::Check;
use super::choices::*;
use super::shapes::*;
use crate::app::App;
use crate::app::meetings::PointPatch;
use crate::web::api::{ApiJson, ApiQuery, ApiResult};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use uuid::Uuid;

// ---- talking points ----

#[utoipa::path(post, path = "/api/v1/meetings/{id}/points", tag = "meetings", params(("id" = Uuid, Path)), request_body = CreatePoint, responses(
    (status = 201, description = "Created", body = PointDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn add_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<CreatePoint>,
) -> ApiResult<(StatusCode, Json<PointDto>)> {
    let p = app.add_point(user.person(), id, &b.body, b.recurring).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(patch, path = "/api/v1/points/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdatePoint, responses(
    (status = 200, description = "Changed", body = PointDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn update_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdatePoint>,
) -> ApiResult<Json<PointDto>> {
    let patch = PointPatch { body: b.body, discussed: b.discussed, recurring: b.recurring, note: b.note, note_base: b.note_base };
    Ok(Json(app.update_point(user.person(), id, b.version, patch).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/points/{id}/move", tag = "meetings", params(("id" = Uuid, Path)), request_body = MovePoint, responses(
    (status = 204, description = "Moved one place (or already first or last)"),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn move_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<MovePoint>,
) -> ApiResult<StatusCode> {
    let mut check = Check::default();
    let direction = check.choice(
        "direction",
        &b.direction,
        |d| match d {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        },
        "up, down",
    );
    check.done()?;
    app.reorder_point(user.person(), id, matches!(direction, Some(Direction::Up))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/points/{id}", tag = "meetings", params(("id" = Uuid, Path), DeletePointParams), responses(
    (status = 204, description = "Removed"),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "Not your topic, or no `version`", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn delete_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiQuery(q): ApiQuery<DeletePointParams>,
) -> ApiResult<StatusCode> {
    let mut check = Check::default();
    let version = check.number("version", q.version.as_deref().unwrap_or(""), 1i64, i64::MAX);
    let version = check.value(version)?;
    app.delete_point(user.person(), id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
