//! The pulse: the teammate's quick answers before a 1:1, and a pair's trend.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::domain::pulse::{Pulse, Question};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/pulse/questions", tag = "pulse", responses(
    (status = 200, description = "The pulse's questions, in the order they are asked; each answer is 1 to 5, 5 the good end", body = Vec<Question>)))]
pub(super) async fn questions(State(app): State<App>, _user: CurrentUser) -> Json<Vec<Question>> {
    Json(app.pulse_questions().all().to_vec())
}

/// A meeting's pulse, for the pair.
#[derive(Serialize, ToSchema)]
pub struct MeetingPulseDto {
    /// The teammate's answer, when given.
    pub answer: Option<Pulse>,
    /// Whether you may answer it now: the teammate, while the 1:1 is at most a week away and
    /// not over.
    pub can_answer: bool,
    pub questions: Vec<Question>,
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/pulse", tag = "pulse", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The pulse of a 1:1 (the pair only; never in a skip-level series)", body = MeetingPulseDto),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn get_pulse(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<MeetingPulseDto>> {
    let p = app.meeting_pulse(user.person(), id).await?;
    Ok(Json(MeetingPulseDto { answer: p.answer, can_answer: p.can_answer, questions: app.pulse_questions().all().to_vec() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerPulse {
    /// Question key → 1 to 5, one for every question.
    pub answers: BTreeMap<String, i64>,
    #[serde(default)]
    pub comment: String,
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/pulse", tag = "pulse", params(("id" = Uuid, Path)), request_body = AnswerPulse, responses(
    (status = 200, description = "Answered (the teammate, from a week before the 1:1 until it ends; again to change it)", body = Pulse),
    (status = 422, description = "What is wrong, per field (`answers.energy`, `comment`, `meeting`)", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may answer (the same answer for both)", body = ErrorBody)))]
pub(super) async fn answer_pulse(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<AnswerPulse>,
) -> ApiResult<Json<Pulse>> {
    Ok(Json(app.answer_pulse(user.person(), id, &b.answers, &b.comment).await?))
}

#[utoipa::path(get, path = "/api/v1/series/{id}/pulses", tag = "pulse", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The pair's latest pulses (up to 12), oldest first", body = Vec<Pulse>),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn series_pulses(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<Vec<Pulse>>> {
    Ok(Json(app.series_pulses(user.person(), id).await?))
}
