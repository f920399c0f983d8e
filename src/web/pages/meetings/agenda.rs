//! Topics on a meeting's agenda: add, tick off, make recurring, move up or down, delete.

use super::meeting::{Forms, meeting_href, meeting_response, refused_on_meeting};
use super::shared::{PageResult, checkbox, flag, see_other};
use crate::app::meetings::PointPatch;
use crate::app::{App, AppError};
use crate::web::auth::CurrentUser;
use crate::web::pages::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct PointForm {
    #[serde(default)]
    body: String,
    #[serde(default, deserialize_with = "checkbox")]
    recurring: bool,
}

pub async fn add_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PointForm>) -> PageResult {
    match app.add_point(user.person(), id, &f.body, f.recurring).await {
        Ok(_) => Ok(see_other(&meeting_href(id, "agenda"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { point_body: f.body, point_recurring: f.recurring, point_errors: errors, ..Default::default() };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PointUpdateForm {
    meeting_id: Option<Uuid>,
    version: i64,
    discussed: Option<String>,
    recurring: Option<String>,
    /// The note under the topic, when the form sends it.
    note: Option<String>,
    /// The note as the page showed it, so that a change made meanwhile is merged in.
    note_base: Option<String>,
}

pub async fn update_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PointUpdateForm>) -> PageResult {
    let patch =
        PointPatch { discussed: flag(&f.discussed), recurring: flag(&f.recurring), body: None, note: f.note, note_base: f.note_base };
    match app.update_point(user.person(), id, f.version, patch).await {
        Ok(p) => Ok(see_other(&meeting_href(f.meeting_id.unwrap_or(p.meeting_id), &format!("point-{}", p.id)))),
        Err(e) => refused_on_meeting(&app, &user, f.meeting_id, e, id, true).await,
    }
}

#[derive(Deserialize)]
pub struct PointMoveForm {
    meeting_id: Option<Uuid>,
    #[serde(default)]
    dir: String,
}

pub async fn move_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PointMoveForm>) -> PageResult {
    match app.reorder_point(user.person(), id, f.dir != "down").await {
        Ok(()) => Ok(match f.meeting_id {
            Some(m) => see_other(&meeting_href(m, &format!("point-{id}"))),
            None => see_other("/meetings"),
        }),
        Err(e) => refused_on_meeting(&app, &user, f.meeting_id, e, id, true).await,
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    meeting_id: Option<Uuid>,
    version: i64,
}

pub async fn delete_point(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<VersionForm>) -> PageResult {
    match app.delete_point(user.person(), id, f.version).await {
        Ok(()) => Ok(match f.meeting_id {
            Some(m) => see_other(&meeting_href(m, "agenda")),
            None => see_other("/meetings"),
        }),
        Err(e) => refused_on_meeting(&app, &user, f.meeting_id, e, id, true).await,
    }
}
