//! Search across your 1:1s.

use super::bodies::*;
use super::check::{Check, nonempty};
use super::shapes::*;
use crate::app::App;
use crate::app::meetings::{self as uc};
use crate::domain::PersonId;
use crate::web::api::{ApiQuery, ApiResult};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::State;

// ---- search ----

#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams), responses(
    (status = 200, description = "The best matches first: topics, shared notes, your own private notes and actions", body = Vec<SearchHitDto>),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(crate) async fn search(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<SearchHitDto>>> {
    let mut check = Check::default();
    let with = nonempty(&q.with).and_then(|w| check.uuid("with", w)).map(PersonId);
    let from = nonempty(&q.from).and_then(|f| check.instant("from", f, false));
    let to = nonempty(&q.to).and_then(|t| check.instant("to", t, true));
    check.done()?;
    let hits = app.search(user.person(), &q.q, with, from, to).await?;
    Ok(Json(
        hits.into_iter()
            .map(|r| SearchHitDto {
                kind: r.hit.kind.into(),
                meeting_id: r.hit.meeting_id,
                series_id: r.hit.series_id,
                other: r.other.into(),
                occurred_at: r.hit.occurred_at,
                snippet_html: uc::snippet_html(&r.hit.snippet),
                private: r.hit.private,
            })
            .collect(),
    ))
}
