//! Changes of reporting line and the handoff a person makes to a new manager.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::app::handoff::{HandoffView, ReportingChange};
use crate::domain::PersonId;
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One thing of the person's own record they may hand over.
#[derive(Serialize, ToSchema)]
pub struct HandoffItemBody {
    /// growth, shared_reviews, feedback_received or work_with_me.
    pub item: String,
    pub label: String,
    pub handed_over: bool,
}

/// What you hand over of your own record to your new manager.
#[derive(Serialize, ToSchema)]
pub struct HandoffBody {
    /// Your manager, when they became it by a change (otherwise there is nothing to hand over).
    pub new_manager_id: Option<Uuid>,
    pub new_manager_name: Option<String>,
    pub items: Vec<HandoffItemBody>,
    /// When you last chose.
    pub chosen_at: Option<DateTime<Utc>>,
}

impl From<HandoffView> for HandoffBody {
    fn from(v: HandoffView) -> Self {
        HandoffBody {
            new_manager_id: v.new_manager.as_ref().map(|m| m.id.0),
            new_manager_name: v.new_manager.map(|m| m.name),
            items: v
                .items
                .into_iter()
                .map(|(i, on)| HandoffItemBody { item: i.slug().to_string(), label: i.label().to_string(), handed_over: on })
                .collect(),
            chosen_at: v.chosen_at,
        }
    }
}

/// The whole choice: what is not listed is not handed over.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffInput {
    /// Any of: growth, shared_reviews, feedback_received, work_with_me.
    pub items: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/me/handoff", tag = "people", operation_id = "get_my_handoff", responses(
    (status = 200, description = "What you hand over to your new manager", body = HandoffBody)))]
pub(super) async fn get_handoff(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<HandoffBody>> {
    Ok(Json(app.my_handoff(user.person()).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/me/handoff", tag = "people", operation_id = "save_my_handoff", request_body = HandoffInput, responses(
    (status = 200, description = "The choice as saved", body = HandoffBody),
    (status = 422, description = "An unknown item, or no new manager to hand over to", body = ErrorBody)))]
pub(super) async fn save_handoff(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<HandoffInput>,
) -> ApiResult<Json<HandoffBody>> {
    Ok(Json(app.save_my_handoff(user.person(), &b.items).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/reporting-changes", tag = "people", operation_id = "list_reporting_changes",
    params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Every change of the person's reporting line, the oldest first", body = [ReportingChange]),
    (status = 404, description = "No such person, or not you, your report, a former report or (for admins) anyone", body = ErrorBody)))]
pub(super) async fn reporting_changes(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ReportingChange>>> {
    Ok(Json(app.reporting_changes(user.person(), PersonId(id)).await?))
}
