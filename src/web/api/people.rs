//! People, reporting lines, accounts and API tokens.

use super::{ApiJson, ApiQuery, ApiResult, double_option};
use crate::app::App;
use crate::app::people::{PersonInput, PersonPatch};
use crate::domain::{Person, PersonId, PersonWithReports};
use crate::web::auth::{ClientAddr, CurrentUser, session_cookie};
use crate::web::error::{ApiError, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

// ---- shapes ----

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub title: String,
    /// IANA time zone, e.g. Europe/Berlin.
    pub timezone: String,
    pub manager_id: Option<Uuid>,
    pub is_admin: bool,
    /// Whether they have a password (have accepted an invitation).
    pub can_sign_in: bool,
    /// Send it back with a change; a change based on an older version is refused (409).
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// How many people report to them (in lists and the org chart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_reports: Option<i64>,
}

impl From<Person> for PersonDto {
    fn from(p: Person) -> Self {
        PersonDto {
            id: p.id.0,
            name: p.name,
            email: p.email,
            title: p.title,
            timezone: p.timezone.to_string(),
            manager_id: p.manager_id.map(|m| m.0),
            is_admin: p.is_admin,
            can_sign_in: p.can_sign_in,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
            direct_reports: None,
        }
    }
}

impl From<PersonWithReports> for PersonDto {
    fn from(p: PersonWithReports) -> Self {
        PersonDto { direct_reports: Some(p.reports), ..p.person.into() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PeopleList {
    pub people: Vec<PersonDto>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileDto {
    pub person: PersonDto,
    /// Managers above, nearest first.
    pub managers: Vec<PersonDto>,
    pub direct_reports: Vec<PersonDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePerson {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub title: String,
    pub timezone: String,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    #[serde(default)]
    pub is_admin: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePerson {
    /// The `version` you last read.
    pub version: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub timezone: Option<String>,
    /// A person's id, or null for no manager. Leave it out to keep the current one.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub manager_id: Option<Option<Uuid>>,
    pub is_admin: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Part of a name, e-mail or title.
    #[serde(default)]
    pub q: String,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1000000)]
    #[serde(default, deserialize_with = "super::bounded::<_, 1, 1000000>")]
    pub page: Option<u32>,
    /// 1 to 200; default 50.
    #[param(minimum = 1, maximum = 200)]
    #[serde(default, deserialize_with = "super::bounded::<_, 1, 200>")]
    pub per_page: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Only check the file and count; change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    /// False for a dry run.
    pub applied: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgParams {
    /// The person to centre on; the top of the organisation when left out.
    pub focus: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct OrgChartDto {
    /// From the top of the organisation down to the focus's manager.
    pub above: Vec<PersonDto>,
    pub focus: Option<PersonDto>,
    /// The focus's direct reports, or the people at the top.
    pub below: Vec<PersonDto>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenDto {
    pub id: Uuid,
    pub name: String,
    /// The secret; shown only in this response.
    pub token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationDto {
    pub person: PersonDto,
    /// The link to send; it works once.
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// Whether rapport also e-mailed the link to them (only when an SMTP server is configured).
    pub emailed: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub password: String,
}

// ---- handlers ----

#[utoipa::path(get, path = "/api/v1/me", tag = "people", responses(
    (status = 200, description = "The person the token or session belongs to", body = PersonDto),
    (status = 401, description = "Not signed in, or an unknown token", body = ErrorBody)))]
pub(super) async fn me(user: CurrentUser) -> Json<PersonDto> {
    Json(user.person().clone().into())
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", request_body = ChangePassword, responses(
    (status = 204, description = "Changed; your other sessions are signed out (this one stays). API tokens keep working: `POST /api/v1/me/sign-out-everywhere` ends those too"),
    (status = 422, description = "Wrong current password, or a weak new one", body = ErrorBody),
    (status = 429, description = "Too many wrong passwords for this account or from this address; see Retry-After", body = ErrorBody)))]
pub(super) async fn change_password(
    State(app): State<App>,
    user: CurrentUser,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    app.change_password_from(user.person(), &b.current_password, &b.new_password, user.0.session_token(), client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/me/sign-out-everywhere", tag = "accounts", responses(
    (status = 204, description = "Every session of yours ended (this one too) and every API token of yours revoked (the one used for this call too)"),
    (status = 401, description = "Not signed in, or an unknown token", body = ErrorBody)))]
pub(super) async fn sign_out_everywhere(State(app): State<App>, user: CurrentUser) -> ApiResult<Response> {
    app.sign_out_everywhere(user.person()).await?;
    Ok((crate::web::auth::clear_session_cookie(), StatusCode::NO_CONTENT).into_response())
}

#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(ListParams), responses(
    (status = 200, description = "One page of the directory", body = PeopleList),
    (status = 401, description = "Not signed in, or an unknown token", body = ErrorBody)))]
pub(super) async fn list_people(State(app): State<App>, user: CurrentUser, Query(q): Query<ListParams>) -> ApiResult<Json<PeopleList>> {
    let list = app.list_people(user.person(), &q.q, q.page.unwrap_or(1), q.per_page.unwrap_or(50)).await?;
    Ok(Json(PeopleList {
        total: list.total,
        page: list.page.number,
        per_page: list.page.size,
        people: list.people.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = CreatePerson, responses(
    (status = 201, description = "Created", body = PersonDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Only admins add people", body = ErrorBody)))]
pub(super) async fn create_person(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<CreatePerson>,
) -> ApiResult<(StatusCode, Json<PersonDto>)> {
    let p = app
        .create_person(
            user.person(),
            PersonInput {
                name: b.name,
                email: b.email,
                title: b.title,
                timezone: b.timezone,
                manager_id: b.manager_id.map(PersonId),
                is_admin: b.is_admin,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The person, their managers and their direct reports", body = ProfileDto),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn get_person(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<ProfileDto>> {
    let p = app.profile(user.person(), PersonId(id)).await?;
    Ok(Json(ProfileDto {
        person: p.person.into(),
        managers: p.chain.into_iter().map(Into::into).collect(),
        direct_reports: p.reports.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", params(("id" = Uuid, Path)), request_body = UpdatePerson, responses(
    (status = 200, description = "Changed", body = PersonDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn update_person(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdatePerson>,
) -> ApiResult<Json<PersonDto>> {
    let patch = PersonPatch {
        name: b.name,
        email: b.email,
        title: b.title,
        timezone: b.timezone,
        manager_id: b.manager_id.map(|m| m.map(PersonId)),
        is_admin: b.is_admin,
    };
    Ok(Json(app.update_person(user.person(), PersonId(id), patch, b.version).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/people/import", tag = "people", params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "name,email,title,manager_email,timezone"),
    responses(
    (status = 200, description = "Checked, and imported unless a dry run", body = ImportResult),
    (status = 422, description = "Every problem with its line and column; nothing imported", body = ErrorBody)))]
pub(super) async fn import_people(
    State(app): State<App>,
    user: CurrentUser,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportResult>> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.starts_with("text/csv") && !ct.starts_with("text/plain") {
        return Err(ApiError::request(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the file as the body with \"Content-Type: text/csv\".",
        ));
    }
    let s = app.import_people(user.person(), &body, !q.dry_run).await?;
    Ok(Json(ImportResult { created: s.created, updated: s.updated, applied: s.applied }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InviteParams {
    /// Also e-mail the link to the person (when an SMTP server is configured; see `emailed`).
    #[serde(default)]
    pub email: bool,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/invitation", tag = "accounts", params(("id" = Uuid, Path), InviteParams), responses(
    (status = 201, description = "The invitation link to send", body = InvitationDto),
    (status = 422, description = "They can already sign in", body = ErrorBody),
    (status = 404, description = "No such person, or not yours to invite", body = ErrorBody)))]
pub(super) async fn invite_person(
    State(app): State<App>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    ApiQuery(q): ApiQuery<InviteParams>,
) -> ApiResult<(StatusCode, Json<InvitationDto>)> {
    let inv = app.invite_with(user.person(), PersonId(id), q.email).await?;
    let url = format!("{}/invite/{}", crate::web::base_url(&app, &headers), inv.token);
    Ok((StatusCode::CREATED, Json(InvitationDto { person: inv.person.into(), url, expires_at: inv.expires_at, emailed: inv.emailed })))
}

#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "accounts", params(("token" = String, Path)), request_body = AcceptInvitation,
    security(()),
    responses(
    (status = 200, description = "Password set; a session cookie is returned", body = PersonDto),
    (status = 422, description = "A weak password, or a link that no longer works: used, replaced by a newer invitation, expired, or for an account that is already active (an invitation never replaces a password)", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn accept_invitation(
    State(app): State<App>,
    Path(token): Path<String>,
    ApiJson(b): ApiJson<AcceptInvitation>,
) -> ApiResult<Response> {
    let session = app.accept_invitation(&token, &b.password).await?;
    Ok((session_cookie(&app, &session.token), Json(PersonDto::from(session.person.clone()))).into_response())
}

#[utoipa::path(get, path = "/api/v1/org", tag = "people", params(OrgParams), responses(
    (status = 200, description = "The org chart around the focus", body = OrgChartDto),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn org_chart(State(app): State<App>, user: CurrentUser, Query(q): Query<OrgParams>) -> ApiResult<Json<OrgChartDto>> {
    let c = app.org_chart(user.person(), q.focus.map(PersonId)).await?;
    Ok(Json(OrgChartDto {
        above: c.above.into_iter().map(Into::into).collect(),
        focus: c.focus.map(Into::into),
        below: c.below.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", responses(
    (status = 200, description = "Your API tokens (never their secrets)", body = Vec<TokenDto>)))]
pub(super) async fn list_tokens(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<TokenDto>>> {
    let list = app.list_tokens(user.person()).await?;
    Ok(Json(
        list.into_iter().map(|t| TokenDto { id: t.id, name: t.name, created_at: t.created_at, last_used_at: t.last_used_at }).collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = CreateToken, responses(
    (status = 201, description = "Created; the secret is shown only now", body = NewTokenDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(super) async fn create_token(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<CreateToken>,
) -> ApiResult<(StatusCode, Json<NewTokenDto>)> {
    let t = app.create_token(user.person(), &b.name).await?;
    Ok((StatusCode::CREATED, Json(NewTokenDto { id: t.id, name: t.name, token: t.token })))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = Uuid, Path)), responses(
    (status = 204, description = "Revoked"),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn revoke_token(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<StatusCode> {
    app.revoke_token(user.person(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
