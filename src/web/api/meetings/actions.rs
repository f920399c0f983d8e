//! Action items.

use super::bodies::*;
use super::check::{Check, nonempty};
use super::shapes::*;
use crate::app::App;
use crate::app::meetings::ActionPatch;
use crate::domain::PersonId;
use crate::domain::day::Day;
use crate::domain::meeting as rules;
use crate::web::api::{ApiJson, ApiQuery, ApiResult};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use uuid::Uuid;

// ---- action items ----

#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "meetings", params(("id" = Uuid, Path)), request_body = CreateAction, responses(
    (status = 201, description = "Created", body = ActionDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn add_action(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<CreateAction>,
) -> ApiResult<(StatusCode, Json<ActionDto>)> {
    let mut check = Check::default();
    let kind = match nonempty(&b.kind) {
        Some(k) => check.choice("kind", k, rules::ActionKind::parse, "normal, help"),
        None => Some(rules::ActionKind::Normal),
    };
    let kind = check.value(kind)?;
    let a = app.add_action(user.person(), id, &b.body, PersonId(b.owner_id), b.due_date.map(Day::date), kind).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

#[utoipa::path(patch, path = "/api/v1/actions/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdateAction, responses(
    (status = 200, description = "Changed", body = ActionDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn update_action(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateAction>,
) -> ApiResult<Json<ActionDto>> {
    let due_date = b.due_date.map(|d| d.map(Day::date));
    let patch = ActionPatch { body: b.body, done: b.done, due_date, owner_id: b.owner_id.map(PersonId) };
    Ok(Json(app.update_action(user.person(), id, b.version, patch).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/actions", tag = "meetings", params(ActionsParams), responses(
    (status = 200, description = "Your open action items across all your 1:1s, soonest due first", body = Vec<MyActionDto>),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(crate) async fn my_actions(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<ActionsParams>,
) -> ApiResult<Json<Vec<MyActionDto>>> {
    let mut check = Check::default();
    let kind = nonempty(&q.kind).and_then(|k| check.choice("kind", k, rules::ActionKind::parse, "normal, help"));
    check.done()?;
    let list = app.my_actions(user.person(), kind).await?;
    Ok(Json(list.into_iter().map(|a| MyActionDto { action: a.action.into(), other: a.other.into() }).collect()))
}
