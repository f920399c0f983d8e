//! Shared and private notes.

use super::bodies::*;
use super::shapes::*;
use crate::app::App;
use crate::app::meetings::NoteSaved;
use crate::domain::merge::settle;
use crate::web::api::{ApiJson, ApiResult};
use crate::web::auth::CurrentUser;
use crate::web::error::{ErrorBody, ErrorDetail};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

// ---- notes ----

async fn save_note(app: &App, user: &CurrentUser, meeting: Uuid, private: bool, b: SaveNote) -> ApiResult<Response> {
    Ok(match app.save_note(user.person(), meeting, private, &b.body, b.base_version).await? {
        NoteSaved::Saved(n) => Json(NoteSavedDto { note: NoteDto::new(Some(&n)), merged: false }).into_response(),
        NoteSaved::Merged(n) => Json(NoteSavedDto { note: NoteDto::new(Some(&n)), merged: true }).into_response(),
        NoteSaved::Conflict { current, parts } => (
            StatusCode::CONFLICT,
            Json(NoteConflictDto {
                error: ErrorDetail {
                    code: "conflict",
                    message: "The note was changed by someone else a moment ago, on the same lines. Nothing was saved; choose \
                              what to keep at each place in `parts` (or take `merged_text`, which keeps both) and save it on \
                              top of `current.version`."
                        .into(),
                    fields: vec![],
                },
                current: NoteDto::new(Some(&current)),
                merged_text: settle(&parts, &[]),
                parts,
            }),
        )
            .into_response(),
    })
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/notes/shared", tag = "meetings", params(("id" = Uuid, Path)), request_body = SaveNote, responses(
    (status = 200, description = "Saved, or merged with a change saved in between (`merged`)", body = NoteSavedDto),
    (status = 409, description = "Someone else changed the same lines; nothing was saved", body = NoteConflictDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn save_shared_note(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SaveNote>,
) -> ApiResult<Response> {
    save_note(&app, &user, id, false, b).await
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/notes/private", tag = "meetings", params(("id" = Uuid, Path)), request_body = SaveNote, responses(
    (status = 200, description = "Your own private note, saved; nobody else can ever read it", body = NoteSavedDto),
    (status = 409, description = "Your note changed elsewhere on the same lines; nothing was saved", body = NoteConflictDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(crate) async fn save_private_note(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SaveNote>,
) -> ApiResult<Response> {
    save_note(&app, &user, id, true, b).await
}
