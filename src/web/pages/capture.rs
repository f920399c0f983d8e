//! Capturing what a session of the first ten 1:1s brought up, from the meeting page or the
//! program page; a refused capture is shown again on the page it came from.

use super::Form;
use super::meetings::meeting_with_capture;
use super::program::{CaptureState, program_response};
use crate::app::program::CaptureInput;
use crate::app::{App, AppError};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[derive(Deserialize)]
pub struct CaptureForm {
    #[serde(default)]
    meeting_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    back: String,
}

pub async fn capture(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, key)): Path<(Uuid, String)>,
    Form(f): Form<CaptureForm>,
) -> PageResult {
    let meeting = match f.meeting_id.trim() {
        "" => None,
        m => Some(Uuid::parse_str(m).map_err(|_| AppError::NotFound)?),
    };
    let input = CaptureInput { meeting_id: meeting, title: f.title.clone(), body: f.body.clone(), section: f.section.clone() };
    match app.capture(user.person(), id, &key, input).await {
        Ok(_) => match meeting {
            Some(m) if f.back == "meeting" => Ok(see_other(&format!("/meetings/{m}?captured=1#program"))),
            _ => Ok(see_other(&format!("/series/{id}/program?done=captured#s-{key}"))),
        },
        Err(AppError::Invalid(errors)) => {
            let state = CaptureState { key: key.clone(), title: f.title, body: f.body, section: f.section, errors };
            match meeting {
                Some(m) if f.back == "meeting" => meeting_with_capture(&app, &user, m, state).await,
                _ => program_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, state, None, None).await,
            }
        }
        Err(e) => Err(e.into()),
    }
}
