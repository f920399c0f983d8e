//! Strategy into day-to-day: who a leader's talking point would reach, placing it, the
//! placements made, and withdrawing one.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::app::strategy::PlacementView;
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
pub struct ReachedPair {
    pub series_id: Option<Uuid>,
    pub manager: String,
    pub teammate: String,
    /// When the 1:1 it goes into starts.
    pub starts_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementDto {
    pub id: Uuid,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub pairs: Vec<ReachedPair>,
}

impl From<PlacementView> for PlacementDto {
    fn from(v: PlacementView) -> Self {
        PlacementDto {
            id: v.placement.id,
            text: v.placement.text,
            created_at: v.placement.created_at,
            withdrawn_at: v.placement.withdrawn_at,
            pairs: v
                .pairs
                .into_iter()
                .map(|(manager, teammate, starts_at)| ReachedPair { series_id: None, manager, teammate, starts_at })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/strategy/reach", tag = "guidance", responses(
    (status = 200, description = "The 1:1s a talking point from you would go into now: the next one of every active pair led by you or anyone below you", body = [ReachedPair])))]
pub(super) async fn reach(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<ReachedPair>>> {
    let r = app.strategy_reach(user.person()).await?;
    Ok(Json(
        r.into_iter()
            .map(|r| ReachedPair {
                series_id: Some(r.series.id),
                manager: r.manager.name,
                teammate: r.teammate.name,
                starts_at: r.meeting.starts_at,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/strategy", tag = "guidance", responses(
    (status = 200, description = "Your placements, newest first, with the 1:1s each reached", body = [PlacementDto])))]
pub(super) async fn list(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<PlacementDto>>> {
    Ok(Json(app.my_placements(user.person()).await?.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlacement {
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/strategy", tag = "guidance", request_body = NewPlacement, responses(
    (status = 201, description = "Placed in every reached 1:1 at once", body = PlacementDto),
    (status = 422, description = "No text, or no one to reach (with the reason)", body = ErrorBody)))]
pub(super) async fn place(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<NewPlacement>,
) -> ApiResult<(StatusCode, Json<PlacementDto>)> {
    Ok((StatusCode::CREATED, Json(app.place_strategy(user.person(), &b.text).await?.into())))
}

#[derive(Serialize, ToSchema)]
pub struct Withdrawn {
    /// Copies removed from 1:1s still to come.
    pub removed: u64,
    /// Copies that stay: already discussed, or in a 1:1 that has begun.
    pub kept: i64,
}

#[utoipa::path(post, path = "/api/v1/strategy/{id}/withdraw", tag = "guidance", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Withdrawn", body = Withdrawn),
    (status = 422, description = "Withdrawn already", body = ErrorBody),
    (status = 404, description = "No such placement of yours", body = ErrorBody)))]
pub(super) async fn withdraw(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<Withdrawn>> {
    let (removed, kept) = app.withdraw_strategy(user.person(), id).await?;
    Ok(Json(Withdrawn { removed, kept }))
}
