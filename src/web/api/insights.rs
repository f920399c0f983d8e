//! The leader's view: the practice across the teams of one's organisation.

use super::{ApiQuery, ApiResult};
use crate::app::App;
use crate::domain::insights::LeaderView;
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InsightsParams {
    /// Whole weeks: 4, 12 (the default) or 52.
    #[serde(default)]
    pub weeks: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/insights", tag = "practice", params(InsightsParams), responses(
    (status = 200, description = "The teams of your organisation (an admin's: every team) over the last whole weeks; a figure drawn from fewer than five people is null and counted in `others`", body = LeaderView),
    (status = 422, description = "`weeks` is not 4, 12 or 52", body = ErrorBody)))]
pub(super) async fn leader_view(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<InsightsParams>,
) -> ApiResult<Json<LeaderView>> {
    Ok(Json(app.leader_view(user.person(), q.weeks).await?))
}
