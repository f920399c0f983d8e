//! Growth: career frameworks (list, read, import, export) and a person's growth record.

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::app::growth::{ExpectationRow, ImportOutcome};
use crate::domain::PersonId;
use crate::domain::framework::Format;
use crate::domain::growth::{
    Assessment, Difference, FrameworkInfo, FrameworkVersion, PersonLevel, Plan, Readiness, ReadinessPoint, Strength,
};
use crate::web::auth::CurrentUser;
use crate::web::error::{ApiError, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FrameworkImportParams {
    /// yaml, json or csv.
    pub format: String,
    /// The framework's name, for a csv matrix without a first line `name,…` of its own (rapport's
    /// CSV exports have one, so they import back to the same framework).
    #[serde(default)]
    pub name: String,
    /// Only check the file and show what would be created; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// A version number; the latest when absent.
    pub version: Option<i64>,
    /// For export: yaml (default), json or csv.
    pub format: Option<String>,
}

fn bad_format() -> ApiError {
    ApiError::App(crate::app::AppError::Invalid(crate::domain::Invalid::one("format", "Use yaml, json or csv.")))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Also list archived frameworks (those no longer offered for new choices).
    #[serde(default)]
    pub archived: bool,
}

#[utoipa::path(get, path = "/api/v1/frameworks", tag = "growth", params(ListParams), responses(
    (status = 200, description = "Every framework to choose from, with its latest version (and the archived ones when asked)", body = [FrameworkInfo])))]
pub(super) async fn list_frameworks(
    State(app): State<App>,
    user: CurrentUser,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<Vec<FrameworkInfo>>> {
    let mut list = app.frameworks(user.person()).await?;
    list.retain(|f| q.archived || f.archived_at.is_none());
    Ok(Json(list))
}

#[utoipa::path(post, path = "/api/v1/frameworks/{id}/archive", tag = "growth", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Archived (an admin): no longer offered for new choices; the people placed on it keep it", body = FrameworkInfo),
    (status = 404, description = "No such framework, or not an admin (the same answer)", body = ErrorBody)))]
pub(super) async fn archive_framework(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<FrameworkInfo>> {
    Ok(Json(app.archive_framework(user.person(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/frameworks/{id}/restore", tag = "growth", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Restored (an admin): offered for new choices again", body = FrameworkInfo),
    (status = 404, description = "No such framework, or not an admin (the same answer)", body = ErrorBody)))]
pub(super) async fn restore_framework(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<FrameworkInfo>> {
    Ok(Json(app.restore_framework(user.person(), id).await?))
}

#[utoipa::path(delete, path = "/api/v1/frameworks/{id}", tag = "growth", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted with every version (an admin); only a framework nobody is placed on and nothing was assessed against"),
    (status = 422, description = "In use: archive it instead", body = ErrorBody),
    (status = 404, description = "No such framework, or not an admin (the same answer)", body = ErrorBody)))]
pub(super) async fn delete_framework(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<StatusCode> {
    app.delete_framework(user.person(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/frameworks/import", tag = "growth", params(FrameworkImportParams),
    request_body(content = String, description = "The file: the rapport format in YAML or JSON (frameworks/framework.schema.json), or a CSV matrix"),
    responses(
    (status = 200, description = "Checked, and saved unless a dry run: a new framework, a new version, or unchanged", body = ImportOutcome),
    (status = 422, description = "Every problem with its line and column; nothing imported", body = ErrorBody),
    (status = 404, description = "Not an admin (the same answer as a missing record)", body = ErrorBody)))]
pub(super) async fn import_framework(
    State(app): State<App>,
    user: CurrentUser,
    Query(q): Query<FrameworkImportParams>,
    body: Bytes,
) -> ApiResult<Json<ImportOutcome>> {
    let format = Format::parse(&q.format).ok_or_else(bad_format)?;
    Ok(Json(app.import_framework(user.person(), &body, format, &q.name, !q.dry_run).await?))
}

#[utoipa::path(get, path = "/api/v1/frameworks/{id}", tag = "growth", params(("id" = Uuid, Path), VersionParams), responses(
    (status = 200, description = "The framework at one version", body = FrameworkVersion),
    (status = 404, description = "No such framework or version", body = ErrorBody)))]
pub(super) async fn get_framework(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<VersionParams>,
) -> ApiResult<Json<FrameworkVersion>> {
    Ok(Json(app.framework(user.person(), id, q.version).await?.0))
}

#[utoipa::path(get, path = "/api/v1/frameworks/{id}/export", tag = "growth", params(("id" = Uuid, Path), VersionParams), responses(
    (status = 200, description = "The framework as a file that imports back to the same framework", body = String),
    (status = 404, description = "No such framework or version", body = ErrorBody)))]
pub(super) async fn export_framework(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<VersionParams>,
) -> ApiResult<Response> {
    let format = match q.format.as_deref() {
        None => Format::Yaml,
        Some(f) => Format::parse(f).ok_or_else(bad_format)?,
    };
    let (file, text) = app.export_framework(user.person(), id, q.version, format).await?;
    Ok(crate::web::download::attachment(format.content_type(), &file, text))
}

#[derive(Serialize, ToSchema)]
pub struct GrowthDto {
    pub person_id: Uuid,
    /// Whether the manager shares this record, read-only, with the leaders above.
    pub shared_with_skip_level: bool,
    pub level: Option<PersonLevel>,
    pub framework_version_id: Option<Uuid>,
    pub framework_version: Option<i64>,
    /// When their level is not in their framework's latest version (a new version renamed or
    /// dropped it): that, in one sentence. Nothing is expected of them until it is chosen.
    pub level_needs_choosing: Option<String>,
    pub next_level: Option<String>,
    /// What is expected now and at the next level, competency by competency.
    pub expectations: Vec<ExpectationRow>,
    /// Every assessment, newest first.
    pub assessments: Vec<Assessment>,
    /// Where the latest self and manager views differ: topics to discuss.
    pub differences: Vec<Difference>,
    pub readiness: Option<Readiness>,
    pub readiness_history: Vec<ReadinessPoint>,
    pub strengths: Vec<Strength>,
    pub plans: Vec<Plan>,
}

#[utoipa::path(get, path = "/api/v1/people/{id}/growth", tag = "growth", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The person's growth record", body = GrowthDto),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn get_growth(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<GrowthDto>> {
    let g = app.growth(user.person(), PersonId(id)).await?;
    Ok(Json(GrowthDto {
        person_id: g.person.id.0,
        shared_with_skip_level: g.shared_with_skip_level,
        framework_version_id: g.framework.as_ref().map(|v| v.id),
        framework_version: g.framework.as_ref().map(|v| v.number),
        level: g.level,
        level_needs_choosing: g.level_needs_choosing,
        next_level: g.next_level,
        expectations: g.expectations,
        assessments: g.assessments,
        differences: g.differences,
        readiness: g.readiness,
        readiness_history: g.history,
        strengths: g.strengths,
        plans: g.plans,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLevel {
    pub framework_id: Uuid,
    pub level: String,
}

#[utoipa::path(put, path = "/api/v1/people/{id}/level", tag = "growth", params(("id" = Uuid, Path)), request_body = SetLevel, responses(
    (status = 200, description = "Their track and level (their manager or an admin sets it)", body = PersonLevel),
    (status = 422, description = "No such framework or level", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may change (the same answer for both)", body = ErrorBody)))]
pub(super) async fn set_level(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SetLevel>,
) -> ApiResult<Json<PersonLevel>> {
    Ok(Json(app.set_level(user.person(), PersonId(id), b.framework_id, &b.level).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    pub shared: bool,
}

#[utoipa::path(put, path = "/api/v1/people/{id}/growth/sharing", tag = "growth", params(("id" = Uuid, Path)), request_body = Sharing, responses(
    (status = 204, description = "Shared (or no longer shared) with the leaders above the manager"),
    (status = 404, description = "Not their manager (the same answer as a missing record)", body = ErrorBody)))]
pub(super) async fn set_sharing(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<Sharing>,
) -> ApiResult<StatusCode> {
    app.set_growth_shared(user.person(), PersonId(id), b.shared).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessment {
    pub competency: String,
    /// below, meets or exceeds (against the person's current level).
    pub rating: String,
    /// What showed it. A link to one of the pair's 1:1s in it (`…/meetings/<id>`) is kept as
    /// `evidence_meeting_id`, pointing at that meeting's notes and actions.
    #[serde(default)]
    pub evidence: String,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/assessments", tag = "growth", params(("id" = Uuid, Path)), request_body = NewAssessment, responses(
    (status = 201, description = "Recorded: a self-assessment when it is you, the manager's when you manage them", body = Assessment),
    (status = 422, description = "No level set, or an unknown competency or rating", body = ErrorBody),
    (status = 404, description = "Nothing here, or not someone you may assess (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_assessment(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewAssessment>,
) -> ApiResult<(StatusCode, Json<Assessment>)> {
    Ok((StatusCode::CREATED, Json(app.assess(user.person(), PersonId(id), &b.competency, &b.rating, &b.evidence).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStrength {
    pub name: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub how_used: String,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/strengths", tag = "growth", params(("id" = Uuid, Path)), request_body = NewStrength, responses(
    (status = 201, description = "Recorded", body = Strength),
    (status = 422, description = "Something is missing", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may change (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_strength(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewStrength>,
) -> ApiResult<(StatusCode, Json<Strength>)> {
    Ok((StatusCode::CREATED, Json(app.add_strength(user.person(), PersonId(id), &b.name, &b.evidence, &b.how_used).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    /// growth, work or promotion.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub goals: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/plans", tag = "growth", params(("id" = Uuid, Path)), request_body = NewPlan, responses(
    (status = 201, description = "Created", body = Created),
    (status = 422, description = "Something is missing", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may change (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_plan(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewPlan>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = app.create_plan(user.person(), PersonId(id), &b.kind, &b.title, &b.goals).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStep {
    pub body: String,
    /// The person or their manager; you when absent.
    pub owner_id: Option<Uuid>,
    /// YYYY-MM-DD.
    #[serde(default, deserialize_with = "crate::domain::day::blank_is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<crate::domain::day::Day>,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/steps", tag = "growth", params(("id" = Uuid, Path)), request_body = NewStep, responses(
    (status = 201, description = "Created", body = Created),
    (status = 422, description = "Something is missing or wrong", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may change (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_step(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewStep>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = app.add_step(user.person(), id, &b.body, b.owner_id.map(PersonId), b.due_date).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlanUpdate {
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub obstacles: String,
    #[serde(default)]
    pub next_steps: String,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/updates", tag = "growth", params(("id" = Uuid, Path)), request_body = NewPlanUpdate, responses(
    (status = 201, description = "Recorded against the plan", body = Created),
    (status = 422, description = "Nothing written", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may change (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_plan_update(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewPlanUpdate>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = app.add_plan_update(user.person(), id, &b.progress, &b.obstacles, &b.next_steps).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDone {
    pub done: bool,
}

#[utoipa::path(put, path = "/api/v1/steps/{id}/done", tag = "growth", params(("id" = Uuid, Path)), request_body = StepDone, responses(
    (status = 204, description = "Marked done or not done"),
    (status = 404, description = "Nothing here, or nothing you may change (the same answer for both)", body = ErrorBody)))]
pub(super) async fn set_step_done(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<StepDone>,
) -> ApiResult<StatusCode> {
    app.set_step_done(user.person(), id, b.done).await?;
    Ok(StatusCode::NO_CONTENT)
}
