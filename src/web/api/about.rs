//! The manager's about page on a teammate, and blameless setback records.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::app::setbacks::SetbackItem;
use crate::domain::PersonId;
use crate::domain::about::{AboutInput, AboutPage};
use crate::domain::day::Day;
use crate::domain::setback::{FollowUpInput, SetbackInput};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/people/{id}/about", tag = "about", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Your page about a direct report (version 0: never written)", body = AboutPage),
    (status = 404, description = "No such person, or not your direct report", body = ErrorBody)))]
pub(super) async fn get_about(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<AboutPage>> {
    Ok(Json(app.about_page(user.person(), PersonId(id)).await?.1))
}

#[utoipa::path(put, path = "/api/v1/people/{id}/about", tag = "about", params(("id" = Uuid, Path)), request_body = AboutInput, responses(
    (status = 200, description = "The page as saved: the whole page is replaced", body = AboutPage),
    (status = 404, description = "No such person, or not your direct report", body = ErrorBody),
    (status = 409, description = "Changed since the version you sent", body = ErrorBody),
    (status = 422, description = "What is wrong, field by field (`dates[1].date`); nothing saved", body = ErrorBody)))]
pub(super) async fn put_about(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<AboutInput>,
) -> ApiResult<Json<AboutPage>> {
    Ok(Json(app.save_about_page(user.person(), PersonId(id), &b).await?))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/setbacks", tag = "about", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The person's setback records, most recent first", body = [SetbackItem]),
    (status = 404, description = "No such person, or not you or your direct report", body = ErrorBody)))]
pub(super) async fn list_setbacks(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<Vec<SetbackItem>>> {
    Ok(Json(app.setbacks(user.person(), PersonId(id)).await?.1))
}

/// A new record and its follow-up actions.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSetback {
    /// YYYY-MM-DD; not in the future.
    #[schema(value_type = String, format = Date)]
    pub occurred_on: Day,
    pub facts: String,
    /// One or more of: lack_of_focus, competing_priorities, missing_support, unrealistic_goals, unclear_expectations, other.
    #[serde(default)]
    pub contexts: Vec<String>,
    /// Required with `other`.
    #[serde(default)]
    pub context_other: String,
    #[serde(default)]
    pub remedy: String,
    #[serde(default)]
    pub manager_change: String,
    #[serde(default)]
    pub learned: String,
    /// A 1:1 of the person with their manager.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// Each becomes an action item on the pair's next 1:1; a problem with any saves nothing.
    #[serde(default)]
    pub actions: Vec<FollowUpInput>,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/setbacks", tag = "about", params(("id" = Uuid, Path)), request_body = NewSetback, responses(
    (status = 201, description = "Recorded, with its follow-up actions on the next 1:1", body = SetbackItem),
    (status = 404, description = "No such person, or not you or your direct report", body = ErrorBody),
    (status = 422, description = "What is wrong, field by field (`actions[0].due_date`); nothing saved", body = ErrorBody)))]
pub(super) async fn create_setback(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewSetback>,
) -> ApiResult<Response> {
    let input = SetbackInput {
        occurred_on: b.occurred_on,
        facts: b.facts,
        contexts: b.contexts,
        context_other: b.context_other,
        remedy: b.remedy,
        manager_change: b.manager_change,
        learned: b.learned,
        meeting_id: b.meeting_id,
    };
    let item = app.record_setback(user.person(), PersonId(id), &input, &b.actions).await?;
    Ok((StatusCode::CREATED, Json(item)).into_response())
}

#[utoipa::path(get, path = "/api/v1/setbacks/{id}", tag = "about", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "One record", body = SetbackItem),
    (status = 404, description = "No such record, or not one you may read", body = ErrorBody)))]
pub(super) async fn get_setback(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<SetbackItem>> {
    Ok(Json(app.setback(user.person(), id).await?.1))
}

/// The record's fields as they should be, with the version you read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetbackUpdate {
    pub version: i64,
    #[schema(value_type = String, format = Date)]
    pub occurred_on: Day,
    pub facts: String,
    #[serde(default)]
    pub contexts: Vec<String>,
    #[serde(default)]
    pub context_other: String,
    #[serde(default)]
    pub remedy: String,
    #[serde(default)]
    pub manager_change: String,
    #[serde(default)]
    pub learned: String,
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
}

#[utoipa::path(put, path = "/api/v1/setbacks/{id}", tag = "about", params(("id" = Uuid, Path)), request_body = SetbackUpdate, responses(
    (status = 200, description = "Saved", body = SetbackItem),
    (status = 404, description = "No such record, or not one you wrote", body = ErrorBody),
    (status = 409, description = "Changed since the version you sent", body = ErrorBody),
    (status = 422, description = "What is wrong, field by field; nothing saved", body = ErrorBody)))]
pub(super) async fn update_setback(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SetbackUpdate>,
) -> ApiResult<Json<SetbackItem>> {
    let input = SetbackInput {
        occurred_on: b.occurred_on,
        facts: b.facts,
        contexts: b.contexts,
        context_other: b.context_other,
        remedy: b.remedy,
        manager_change: b.manager_change,
        learned: b.learned,
        meeting_id: b.meeting_id,
    };
    Ok(Json(app.update_setback(user.person(), id, b.version, &input).await?))
}
