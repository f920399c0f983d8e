//! Feedback, review periods, review packets (JSON, Markdown, print-ready HTML) and reviews.

use super::{ApiJson, ApiQuery, ApiResult};
use crate::app::App;
use crate::app::reviews::{FeedbackInput, FeedbackItem, ReviewView};
use crate::domain::PersonId;
use crate::domain::day::Day;
use crate::domain::review::{Packet, ReviewPeriod, Statement, packet_markdown};
use crate::web::auth::CurrentUser;
use crate::web::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/feedback", tag = "reviews", responses(
    (status = 200, description = "Feedback you gave (drafts included) and feedback shared with you, newest first", body = [FeedbackItem])))]
pub(super) async fn my_feedback(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<FeedbackItem>>> {
    Ok(Json(app.my_feedback(user.person()).await?))
}

#[utoipa::path(post, path = "/api/v1/feedback", tag = "reviews", request_body = FeedbackInput, responses(
    (status = 201, description = "Recorded: shared, or a draft only you see", body = FeedbackItem),
    (status = 422, description = "What to fix, field by field; nothing recorded", body = ErrorBody),
    (status = 404, description = "Not your manager or one of your direct reports", body = ErrorBody)))]
pub(super) async fn give_feedback(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<(StatusCode, Json<FeedbackItem>)> {
    Ok((StatusCode::CREATED, Json(app.give_feedback(user.person(), input).await?)))
}

#[utoipa::path(get, path = "/api/v1/feedback/{id}", tag = "reviews", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "One piece of feedback", body = FeedbackItem),
    (status = 404, description = "No such feedback, or not yours to see", body = ErrorBody)))]
pub(super) async fn get_feedback(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<FeedbackItem>> {
    Ok(Json(app.feedback(user.person(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/feedback/{id}/share", tag = "reviews", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Shared with its recipient (sharing twice changes nothing)", body = FeedbackItem),
    (status = 404, description = "No such feedback, or you did not give it", body = ErrorBody)))]
pub(super) async fn share_feedback(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<FeedbackItem>> {
    Ok(Json(app.share_feedback(user.person(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/review-periods", tag = "reviews", responses(
    (status = 200, description = "Every review period, latest first", body = [ReviewPeriod])))]
pub(super) async fn list_periods(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<ReviewPeriod>>> {
    Ok(Json(app.review_periods(user.person()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodInput {
    pub name: String,
    /// YYYY-MM-DD, the first day.
    #[schema(value_type = String, format = Date)]
    pub starts_on: Day,
    /// YYYY-MM-DD, the last day (on or after the first).
    #[schema(value_type = String, format = Date)]
    pub ends_on: Day,
}

#[utoipa::path(post, path = "/api/v1/review-periods", tag = "reviews", request_body = PeriodInput, responses(
    (status = 201, description = "Defined", body = ReviewPeriod),
    (status = 422, description = "Overlapping, inverted or unnamed; nothing changed", body = ErrorBody),
    (status = 404, description = "Not an admin", body = ErrorBody)))]
pub(super) async fn create_period(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(p): ApiJson<PeriodInput>,
) -> ApiResult<(StatusCode, Json<ReviewPeriod>)> {
    Ok((StatusCode::CREATED, Json(app.create_review_period(user.person(), &p.name, p.starts_on, p.ends_on).await?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PacketParams {
    /// The period's id or name.
    pub period: String,
    /// json (default), markdown or html (print-ready).
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/people/{id}/packet", tag = "reviews", params(("id" = Uuid, Path), PacketParams), responses(
    (status = 200, description = "The review packet compiled from the period's record (never private notes)", body = Packet),
    (status = 404, description = "No such person or period, or not yours to see", body = ErrorBody)))]
pub(super) async fn get_packet(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiQuery(q): ApiQuery<PacketParams>,
) -> ApiResult<Response> {
    let period = app.review_period(user.person(), &q.period).await?;
    let packet = app.review_packet(user.person(), PersonId(id), period.id).await?;
    Ok(match q.format.as_deref().unwrap_or("json") {
        "json" => Json(packet).into_response(),
        "markdown" | "md" => ([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], packet_markdown(&packet)).into_response(),
        "html" => {
            let html =
                crate::app::print::packet_html_standalone(&packet, None).map_err(|e| ApiError::App(crate::app::AppError::Internal(e)))?;
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        _ => {
            return Err(ApiError::App(crate::app::AppError::Invalid(crate::domain::Invalid::one("format", "Use json, markdown or html."))));
        }
    })
}

#[utoipa::path(get, path = "/api/v1/people/{id}/reviews/{period}", tag = "reviews", params(("id" = Uuid, Path), ("period" = Uuid, Path)), responses(
    (status = 200, description = "The review with the no-surprises verdict on each statement", body = ReviewView),
    (status = 404, description = "No such review, or not yours to see (the person sees it once shared)", body = ErrorBody)))]
pub(super) async fn get_review(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, period)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<ReviewView>> {
    Ok(Json(app.review(user.person(), PersonId(id), period).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementInput {
    /// praise, concern or neutral.
    pub kind: String,
    pub body: String,
    /// Evidence as "feedback:ID", "note:MEETING-ID" or "assessment:ID".
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/reviews/{period}/statements", tag = "reviews", params(("id" = Uuid, Path), ("period" = Uuid, Path)),
    request_body = StatementInput, responses(
    (status = 201, description = "Added to the review (started if needed)", body = Statement),
    (status = 422, description = "What to fix; nothing added", body = ErrorBody),
    (status = 409, description = "The review is shared already", body = ErrorBody),
    (status = 404, description = "Not your direct report, or evidence you may not see", body = ErrorBody)))]
pub(super) async fn add_statement(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, period)): Path<(Uuid, Uuid)>,
    ApiJson(s): ApiJson<StatementInput>,
) -> ApiResult<(StatusCode, Json<Statement>)> {
    Ok((StatusCode::CREATED, Json(app.add_statement(user.person(), PersonId(id), period, &s.kind, &s.body, &s.evidence).await?)))
}

#[utoipa::path(put, path = "/api/v1/people/{id}/reviews/{period}/statements/{statement}", tag = "reviews",
    params(("id" = Uuid, Path), ("period" = Uuid, Path), ("statement" = Uuid, Path)),
    request_body = StatementInput, responses(
    (status = 200, description = "Rewritten: kind, text and evidence", body = Statement),
    (status = 422, description = "What to fix; nothing changed", body = ErrorBody),
    (status = 409, description = "The review is shared already", body = ErrorBody),
    (status = 404, description = "No such statement in a review you write", body = ErrorBody)))]
pub(super) async fn update_statement(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, period, statement)): Path<(Uuid, Uuid, Uuid)>,
    ApiJson(s): ApiJson<StatementInput>,
) -> ApiResult<Json<Statement>> {
    Ok(Json(app.update_statement(user.person(), PersonId(id), period, statement, &s.kind, &s.body, &s.evidence).await?))
}

#[utoipa::path(delete, path = "/api/v1/people/{id}/reviews/{period}/statements/{statement}", tag = "reviews",
    params(("id" = Uuid, Path), ("period" = Uuid, Path), ("statement" = Uuid, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 409, description = "The review is shared already", body = ErrorBody),
    (status = 404, description = "No such statement in a review you write", body = ErrorBody)))]
pub(super) async fn delete_statement(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, period, statement)): Path<(Uuid, Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    app.delete_statement(user.person(), PersonId(id), period, statement).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/people/{id}/reviews/{period}/share", tag = "reviews", params(("id" = Uuid, Path), ("period" = Uuid, Path)), responses(
    (status = 200, description = "Shared; `flagged` says how many points are new to the person", body = ReviewView),
    (status = 404, description = "Not your direct report", body = ErrorBody)))]
pub(super) async fn share_review(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, period)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<ReviewView>> {
    Ok(Json(app.share_review(user.person(), PersonId(id), period).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// Your answer; leave out to only acknowledge.
    #[serde(default)]
    pub answer: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/reviews/{period}/answer", tag = "reviews", params(("id" = Uuid, Path), ("period" = Uuid, Path)),
    request_body = AnswerInput, responses(
    (status = 200, description = "Acknowledged (and answered)", body = ReviewView),
    (status = 404, description = "Not your review, or not shared yet", body = ErrorBody)))]
pub(super) async fn answer_review(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, period)): Path<(Uuid, Uuid)>,
    ApiJson(a): ApiJson<AnswerInput>,
) -> ApiResult<Json<ReviewView>> {
    Ok(Json(app.answer_review(user.person(), PersonId(id), period, a.answer.as_deref()).await?))
}
