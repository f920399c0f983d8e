//! Guidance: the question bank, one's own questions (import and export), favourites, bringing a
//! question into the next 1:1, and meeting templates.

use super::{ApiJson, ApiQuery, ApiResult};
use crate::app::guidance::{BankFilter, BankItem, QuestionImport};
use crate::app::{App, AppError};
use crate::domain::Invalid;
use crate::domain::guidance::{Purpose, QuestionFormat, Template};
use crate::domain::template_files::TemplateFormat;
use crate::web::auth::CurrentUser;
use crate::web::error::{ApiError, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BankParams {
    /// Words every question returned contains.
    #[serde(default)]
    pub q: String,
    /// One purpose: relationship, safety, competence, strengths, support, plans, feedback, career, wellbeing, strategy.
    pub purpose: Option<String>,
    /// Only favourites.
    #[serde(default)]
    pub favourites: bool,
    /// A series you are in: questions that pair used carry `used_at` and come last.
    pub series_id: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/questions", tag = "guidance", params(BankParams), responses(
    (status = 200, description = "Our questions and your own, filtered; not yet used first", body = [BankItem]),
    (status = 404, description = "A series you are not part of", body = ErrorBody)))]
pub(super) async fn list_questions(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<BankParams>,
) -> ApiResult<Json<Vec<BankItem>>> {
    let purpose = match p.purpose.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Purpose::parse(s).ok_or_else(|| AppError::Invalid(Invalid::one("purpose", format!("\"{s}\" is not a purpose."))))?),
    };
    let f = BankFilter { q: p.q, purpose, favourites_only: p.favourites, series_id: p.series_id };
    Ok(Json(app.question_bank(user.person(), &f).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuestion {
    pub text: String,
    /// Purpose slugs; at least one.
    #[schema(min_items = 1)]
    pub purposes: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OwnQuestionOut {
    /// Use it as the question's key: `own:<id>`.
    pub key: String,
    pub id: Uuid,
    pub text: String,
    pub purposes: Vec<Purpose>,
}

#[utoipa::path(post, path = "/api/v1/questions", tag = "guidance", request_body = NewQuestion, responses(
    (status = 201, description = "Your question, seen by nobody else", body = OwnQuestionOut),
    (status = 422, description = "What is wrong, field by field", body = ErrorBody)))]
pub(super) async fn add_question(State(app): State<App>, user: CurrentUser, ApiJson(b): ApiJson<NewQuestion>) -> ApiResult<Response> {
    let q = app.add_own_question(user.person(), &b.text, &b.purposes).await?;
    let out = OwnQuestionOut { key: format!("own:{}", q.id), id: q.id, text: q.text, purposes: q.purposes };
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/questions/own/{id}", tag = "guidance", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 404, description = "No such question of yours", body = ErrorBody)))]
pub(super) async fn delete_question(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<StatusCode> {
    app.delete_own_question(user.person(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/questions/favourites/{key}", tag = "guidance", params(("key" = String, Path)), responses(
    (status = 204, description = "A favourite"),
    (status = 404, description = "No such question", body = ErrorBody)))]
pub(super) async fn add_favourite(State(app): State<App>, user: CurrentUser, Path(key): Path<String>) -> ApiResult<StatusCode> {
    app.set_favourite(user.person(), &key, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/questions/favourites/{key}", tag = "guidance", params(("key" = String, Path)), responses(
    (status = 204, description = "No longer a favourite"),
    (status = 404, description = "No such question", body = ErrorBody)))]
pub(super) async fn remove_favourite(State(app): State<App>, user: CurrentUser, Path(key): Path<String>) -> ApiResult<StatusCode> {
    app.set_favourite(user.person(), &key, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UseQuestion {
    /// A question key: `relationship-01`, or `own:<id>`.
    pub key: String,
}

#[derive(Serialize, ToSchema)]
pub struct Used {
    pub meeting_id: Uuid,
    pub point_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/series/{id}/next-meeting/questions", tag = "guidance", params(("id" = Uuid, Path)), request_body = UseQuestion, responses(
    (status = 201, description = "Added to the agenda of the series' next 1:1 and remembered for the pair", body = Used),
    (status = 422, description = "No 1:1 coming up", body = ErrorBody),
    (status = 404, description = "No such series or question for you", body = ErrorBody)))]
pub(super) async fn use_question(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UseQuestion>,
) -> ApiResult<Response> {
    let (meeting_id, point) = app.use_question_next(user.person(), &b.key, id).await?;
    Ok((StatusCode::CREATED, Json(Used { meeting_id, point_id: point.id })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// csv, json or md (a Markdown list).
    pub format: String,
}

fn format_of(s: &str) -> Result<QuestionFormat, ApiError> {
    QuestionFormat::parse(s).ok_or_else(|| AppError::Invalid(Invalid::one("format", "Use csv, json or md.")).into())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionImportParams {
    /// csv, json or md (a Markdown list).
    pub format: String,
    /// Only check the file and count; add nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[utoipa::path(post, path = "/api/v1/questions/import", tag = "guidance", params(QuestionImportParams),
    request_body(content = String, description = "CSV with a header `text,purposes`; JSON `[{\"text\": …, \"purposes\": […]}]`; or a Markdown list `- [plans, career] The question?`"),
    responses(
    (status = 200, description = "Every question added (or, with dry_run, found valid)", body = QuestionImport),
    (status = 422, description = "Every problem with its line and column; nothing added", body = ErrorBody)))]
pub(super) async fn import_questions(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<QuestionImportParams>,
    body: Bytes,
) -> ApiResult<Json<QuestionImport>> {
    let format = format_of(&p.format)?;
    Ok(Json(app.import_questions(user.person(), &body, format, !p.dry_run).await?))
}

#[utoipa::path(get, path = "/api/v1/questions/export", tag = "guidance", params(FormatParams), responses(
    (status = 200, description = "Your own questions as a file that imports back", body = String)))]
pub(super) async fn export_questions(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<FormatParams>,
) -> ApiResult<Response> {
    let format = format_of(&p.format)?;
    let text = app.export_own_questions(user.person(), format).await?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], text).into_response())
}

#[utoipa::path(get, path = "/api/v1/templates", tag = "guidance", responses(
    (status = 200, description = "Our templates, yours and the ones admins shared", body = [Template])))]
pub(super) async fn list_templates(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<Template>>> {
    Ok(Json(app.templates(user.person()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    pub name: String,
    #[serde(default)]
    pub summary: String,
    /// One prompt per line, each optionally starting with its purposes: `[wellbeing] How are you?`
    pub prompts: String,
}

#[utoipa::path(post, path = "/api/v1/templates", tag = "guidance", request_body = NewTemplate, responses(
    (status = 201, description = "Yours alone; an admin's is offered to everyone", body = Template),
    (status = 422, description = "What is wrong, field by field", body = ErrorBody)))]
pub(super) async fn create_template(State(app): State<App>, user: CurrentUser, ApiJson(b): ApiJson<NewTemplate>) -> ApiResult<Response> {
    let t = app.create_template(user.person(), &b.name, &b.summary, &b.prompts).await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateFileParams {
    /// toml (the shape of rapport's own `content/templates.toml`) or md (a Markdown list).
    pub format: String,
    /// Only check the file; add nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateExportParams {
    /// toml or md.
    pub format: String,
}

fn template_format_of(s: &str) -> Result<TemplateFormat, ApiError> {
    TemplateFormat::parse(s).ok_or_else(|| AppError::Invalid(Invalid::one("format", "Use toml or md.")).into())
}

#[derive(Serialize, ToSchema)]
pub struct TemplatesImported {
    /// The names of the templates in the file, added unless it was a dry run.
    pub templates: Vec<String>,
    pub dry_run: bool,
}

#[utoipa::path(post, path = "/api/v1/templates/import", tag = "guidance", params(TemplateFileParams),
    request_body(content = String, description = "TOML: `[[template]]` with `name`, `summary` and `[[template.prompt]]` entries (`text`, `purposes`); or Markdown: `# Name`, a line of summary, then `- [purposes] prompt` items. Prompts may use {teammate}, {manager} and {date}."),
    responses(
    (status = 200, description = "Every template added (or, with dry_run, found valid)", body = TemplatesImported),
    (status = 422, description = "Every problem with its line and column, unknown placeholders named; nothing added", body = ErrorBody)))]
pub(super) async fn import_templates(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<TemplateFileParams>,
    body: Bytes,
) -> ApiResult<Json<TemplatesImported>> {
    let format = template_format_of(&p.format)?;
    let templates = app.import_own_templates(user.person(), &body, format, !p.dry_run).await?;
    Ok(Json(TemplatesImported { templates, dry_run: p.dry_run }))
}

#[utoipa::path(get, path = "/api/v1/templates/export", tag = "guidance", params(TemplateExportParams), responses(
    (status = 200, description = "The templates you wrote, as a file that imports back", body = String)))]
pub(super) async fn export_templates(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(p): ApiQuery<TemplateExportParams>,
) -> ApiResult<Response> {
    let format = template_format_of(&p.format)?;
    let text = app.export_own_templates(user.person(), format).await?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], text).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyTemplate {
    /// A template key: `weekly`, or `own:<id>`.
    pub key: String,
}

#[derive(Serialize, ToSchema)]
pub struct Applied {
    /// The talking points added (prompts already on the agenda are not added twice).
    pub point_ids: Vec<Uuid>,
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/template", tag = "guidance", params(("id" = Uuid, Path)), request_body = ApplyTemplate, responses(
    (status = 200, description = "The agenda now has the template's prompts", body = Applied),
    (status = 422, description = "The meeting is over", body = ErrorBody),
    (status = 404, description = "No such meeting or template for you", body = ErrorBody)))]
pub(super) async fn apply_template(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ApplyTemplate>,
) -> ApiResult<Json<Applied>> {
    let points = app.apply_template(user.person(), &b.key, id).await?;
    Ok(Json(Applied { point_ids: points.into_iter().map(|p| p.id).collect() }))
}
