//! "My practice": a manager's own follow-through, for them alone.

use super::{ApiQuery, ApiResult};
use crate::app::App;
use crate::domain::practice::Practice;
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PracticeParams {
    /// 4, 12 (the default) or 52.
    #[serde(default)]
    pub weeks: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/practice", tag = "practice", params(PracticeParams), responses(
    (status = 200, description = "Your own practice over the window, per person who reports to you and overall, each figure with what to try next; only you read it", body = Practice),
    (status = 422, description = "`weeks` is not 4, 12 or 52", body = ErrorBody)))]
pub(super) async fn my_practice(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<PracticeParams>,
) -> ApiResult<Json<Practice>> {
    Ok(Json(app.my_practice(user.person(), q.weeks).await?))
}
