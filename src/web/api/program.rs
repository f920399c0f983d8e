//! The first ten 1:1s (a pair's program: start, run, skip, reorder, done, capture) and
//! "how to work with me".

use super::{ApiJson, ApiResult};
use crate::app::App;
use crate::app::program::{CaptureInput, ProgramView};
use crate::app::work_with_me::WorkWithMeView;
use crate::domain::PersonId;
use crate::domain::program::SavedCapture;
use crate::domain::program::{Progress, Session, SessionStatus};
use crate::web::auth::CurrentUser;
use crate::web::error::ErrorBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct CaptureOut {
    pub id: Uuid,
    pub session_key: String,
    pub meeting_id: Option<Uuid>,
    pub author_id: Uuid,
    /// strengths, how_to_work_with_me, expectations or note.
    pub target: String,
    /// What both of the pair see. For a teammate's own words on their page: only where they went.
    pub summary: String,
    pub section: Option<String>,
    /// The strength or plan it created.
    pub ref_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn capture_out(c: SavedCapture) -> CaptureOut {
    CaptureOut {
        id: c.id,
        session_key: c.session_key,
        meeting_id: c.meeting_id,
        author_id: c.author_id.0,
        target: c.target,
        summary: c.summary,
        section: c.section,
        ref_id: c.ref_id,
        created_at: c.created_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Number in the pair's order (1-based).
    pub number: usize,
    pub status: SessionStatus,
    pub session: Session,
    /// The meeting it was last run in.
    pub meeting_id: Option<Uuid>,
    pub captures: Vec<CaptureOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgramOut {
    pub series_id: Uuid,
    pub manager_id: Uuid,
    pub teammate_id: Uuid,
    pub started_at: Option<DateTime<Utc>>,
    pub progress: Progress,
    /// Whether you may run, skip, reorder and mark sessions done (the manager).
    pub can_manage: bool,
    /// In the pair's order.
    pub sessions: Vec<SessionOut>,
}

fn program_out(v: ProgramView) -> ProgramOut {
    ProgramOut {
        series_id: v.series.id,
        manager_id: v.manager.id.0,
        teammate_id: v.teammate.id.0,
        started_at: v.started.map(|s| s.started_at),
        progress: v.progress,
        can_manage: v.can_manage,
        sessions: v
            .sessions
            .into_iter()
            .map(|s| SessionOut {
                number: s.number,
                status: s.status,
                session: s.session.clone(),
                meeting_id: s.meeting.map(|m| m.id),
                captures: s.captures.into_iter().map(capture_out).collect(),
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct PairProgramOut {
    pub series_id: Uuid,
    pub other_id: Uuid,
    pub other_name: String,
    pub i_lead: bool,
    /// Absent when not started.
    pub progress: Option<Progress>,
    pub next_title: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/program", tag = "program", responses(
    (status = 200, description = "Every regular 1:1 series you are in, with its program's progress", body = [PairProgramOut])))]
pub(super) async fn my_programs(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<PairProgramOut>>> {
    let list = app.my_programs(user.person()).await?;
    Ok(Json(
        list.into_iter()
            .map(|p| PairProgramOut {
                series_id: p.series.id,
                other_id: p.other.id.0,
                other_name: p.other.name,
                i_lead: p.i_lead,
                progress: p.progress,
                next_title: p.next_title,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartSeveral {
    pub series_ids: Vec<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct Started {
    /// How many started now (those that had started already are left as they are).
    pub started: usize,
}

#[utoipa::path(post, path = "/api/v1/program/start", tag = "program", request_body = StartSeveral, responses(
    (status = 200, description = "Started for every series given (all checked first: one you do not lead and none starts)", body = Started),
    (status = 404, description = "A series you do not lead", body = ErrorBody),
    (status = 422, description = "No series given, or one that ended", body = ErrorBody)))]
pub(super) async fn start_several(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<StartSeveral>,
) -> ApiResult<Json<Started>> {
    Ok(Json(Started { started: app.start_programs(user.person(), &b.series_ids).await? }))
}

#[utoipa::path(get, path = "/api/v1/series/{id}/program", tag = "program", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The pair's program (before it starts: the sessions in the suggested order)", body = ProgramOut),
    (status = 404, description = "Not a regular 1:1 series of yours", body = ErrorBody)))]
pub(super) async fn get_program(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<ProgramOut>> {
    Ok(Json(program_out(app.program(user.person(), id).await?)))
}

#[utoipa::path(post, path = "/api/v1/series/{id}/program", tag = "program", params(("id" = Uuid, Path)), responses(
    (status = 201, description = "Started", body = ProgramOut),
    (status = 200, description = "It had started already; nothing changed", body = ProgramOut),
    (status = 404, description = "Not a regular 1:1 series you lead", body = ErrorBody)))]
pub(super) async fn start_program(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Response> {
    let now = app.start_program(user.person(), id).await?;
    let out = program_out(app.program(user.person(), id).await?);
    Ok((if now { StatusCode::CREATED } else { StatusCode::OK }, Json(out)).into_response())
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RunSession {
    /// A meeting of the pair still to come; the next one when left out.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct Ran {
    pub meeting_id: Uuid,
    /// Questions added to the agenda (those already on it are not added twice).
    pub added: usize,
}

#[utoipa::path(post, path = "/api/v1/series/{id}/program/sessions/{key}/run", tag = "program",
    params(("id" = Uuid, Path), ("key" = String, Path)), request_body = RunSession, responses(
    (status = 200, description = "The session's questions are on the meeting's agenda and remembered for the pair", body = Ran),
    (status = 422, description = "The session is done or skipped, the program has not started, or no 1:1 is coming up", body = ErrorBody),
    (status = 404, description = "Not a series you lead, or no such session", body = ErrorBody)))]
pub(super) async fn run_session(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, key)): Path<(Uuid, String)>,
    ApiJson(b): ApiJson<RunSession>,
) -> ApiResult<Json<Ran>> {
    let (meeting_id, added) = app.run_session(user.person(), id, &key, b.meeting_id).await?;
    Ok(Json(Ran { meeting_id, added }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    pub skipped: bool,
}

#[utoipa::path(put, path = "/api/v1/series/{id}/program/sessions/{key}/skipped", tag = "program",
    params(("id" = Uuid, Path), ("key" = String, Path)), request_body = Skipped, responses(
    (status = 204, description = "Skipped, or brought back"),
    (status = 422, description = "A done session is not skipped; a session not skipped is not brought back", body = ErrorBody),
    (status = 404, description = "Not a series you lead, or no such session", body = ErrorBody)))]
pub(super) async fn set_skipped(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, key)): Path<(Uuid, String)>,
    ApiJson(b): ApiJson<Skipped>,
) -> ApiResult<StatusCode> {
    app.skip_session(user.person(), id, &key, b.skipped).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveSession {
    /// up or down
    pub direction: String,
}

#[utoipa::path(post, path = "/api/v1/series/{id}/program/sessions/{key}/move", tag = "program",
    params(("id" = Uuid, Path), ("key" = String, Path)), request_body = MoveSession, responses(
    (status = 204, description = "Moved one place"),
    (status = 422, description = "Already first or last, or a direction that is not up or down", body = ErrorBody),
    (status = 404, description = "Not a series you lead, or no such session", body = ErrorBody)))]
pub(super) async fn move_session(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, key)): Path<(Uuid, String)>,
    ApiJson(b): ApiJson<MoveSession>,
) -> ApiResult<StatusCode> {
    let up = match b.direction.trim() {
        "up" => true,
        "down" => false,
        _ => {
            return Err(crate::app::AppError::Invalid(crate::domain::Invalid::one("direction", "Use up or down.")).into());
        }
    };
    app.move_session(user.person(), id, &key, up).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/series/{id}/program/sessions/{key}/done", tag = "program",
    params(("id" = Uuid, Path), ("key" = String, Path)), responses(
    (status = 204, description = "Marked done"),
    (status = 422, description = "A skipped session: bring it back first", body = ErrorBody),
    (status = 404, description = "Not a series you lead, or no such session", body = ErrorBody)))]
pub(super) async fn mark_done(State(app): State<App>, user: CurrentUser, Path((id, key)): Path<(Uuid, String)>) -> ApiResult<StatusCode> {
    app.mark_session_done(user.person(), id, &key).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewCapture {
    /// The meeting (of the pair); the one the session was run in when left out.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// strengths: the strength; expectations: the plan's title.
    #[serde(default)]
    pub title: String,
    /// strengths: what shows it; expectations: the goals; how_to_work_with_me and note: the text.
    #[serde(default)]
    pub body: String,
    /// how_to_work_with_me: communication, hours, feedback, energy or misunderstood.
    #[serde(default)]
    pub section: String,
}

#[utoipa::path(post, path = "/api/v1/series/{id}/program/sessions/{key}/captures", tag = "program",
    params(("id" = Uuid, Path), ("key" = String, Path)), request_body = NewCapture, responses(
    (status = 201, description = "Captured, and landed where the session's target says", body = CaptureOut),
    (status = 422, description = "What is wrong, field by field; nothing changed", body = ErrorBody),
    (status = 404, description = "Not a series of yours, or no such session", body = ErrorBody)))]
pub(super) async fn capture(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, key)): Path<(Uuid, String)>,
    ApiJson(b): ApiJson<NewCapture>,
) -> ApiResult<Response> {
    let input = CaptureInput { meeting_id: b.meeting_id, title: b.title, body: b.body, section: b.section };
    let c = app.capture(user.person(), id, &key, input).await?;
    Ok((StatusCode::CREATED, Json(capture_out(c))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct WorkWithMeOut {
    pub person_id: Uuid,
    /// Section key → what the person wrote (sections left empty are absent).
    pub sections: BTreeMap<String, String>,
    pub shared_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Send it back when saving; 0 when nothing was saved yet.
    pub version: i64,
    /// For the person only: what their managers noted in the first ten 1:1s.
    pub manager_notes: Vec<CaptureOut>,
}

fn work_out(v: WorkWithMeView) -> WorkWithMeOut {
    WorkWithMeOut {
        person_id: v.person.id.0,
        sections: v.sections.into_iter().filter(|(_, t)| !t.trim().is_empty()).map(|(s, t)| (s.key.clone(), t)).collect(),
        shared_at: v.shared_at,
        updated_at: v.updated_at,
        version: v.version,
        manager_notes: v.manager_notes.into_iter().map(|(c, _)| capture_out(c)).collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/people/{id}/work-with-me", tag = "program", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "Their page: yours always; someone else's once they shared it with you (their manager, or one of their reports)", body = WorkWithMeOut),
    (status = 404, description = "Nothing you may see (a draft looks exactly like nothing)", body = ErrorBody)))]
pub(super) async fn get_work_with_me(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<WorkWithMeOut>> {
    Ok(Json(work_out(app.work_with_me(user.person(), PersonId(id)).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveWorkWithMe {
    /// The version you read (0 for the first save).
    pub version: i64,
    /// Section key → text; sections left out keep what they had, an empty text clears one.
    pub sections: BTreeMap<String, String>,
}

#[utoipa::path(put, path = "/api/v1/people/{id}/work-with-me", tag = "program", params(("id" = Uuid, Path)), request_body = SaveWorkWithMe, responses(
    (status = 200, description = "Saved; sharing stays as it was", body = WorkWithMeOut),
    (status = 409, description = "Saved elsewhere since you read it", body = ErrorBody),
    (status = 422, description = "An unknown section or a text too long, named", body = ErrorBody),
    (status = 404, description = "Not your page", body = ErrorBody)))]
pub(super) async fn save_work_with_me(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SaveWorkWithMe>,
) -> ApiResult<Json<WorkWithMeOut>> {
    let sections: Vec<(String, String)> = b.sections.into_iter().collect();
    Ok(Json(work_out(app.save_work_with_me(user.person(), PersonId(id), &sections, b.version).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    pub shared: bool,
}

#[utoipa::path(put, path = "/api/v1/people/{id}/work-with-me/sharing", operation_id = "set_work_with_me_sharing", tag = "program", params(("id" = Uuid, Path)), request_body = Sharing, responses(
    (status = 200, description = "Shared with your manager and your reports, or back to a draft", body = WorkWithMeOut),
    (status = 422, description = "Nothing written yet", body = ErrorBody),
    (status = 404, description = "Not your page", body = ErrorBody)))]
pub(super) async fn set_sharing(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<Sharing>,
) -> ApiResult<Json<WorkWithMeOut>> {
    Ok(Json(work_out(app.share_work_with_me(user.person(), PersonId(id), b.shared).await?)))
}
