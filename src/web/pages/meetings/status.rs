//! What happened to a meeting: held, skipped or cancelled, moved to another time, rated.

use super::meeting::{Forms, meeting_href, meeting_response};
use super::shared::{PageResult, parse_date, see_other};
use crate::app::{App, AppError};
use crate::domain::meeting::MeetingStatus;
use crate::domain::{FieldError, Invalid};
use crate::web::auth::CurrentUser;
use crate::web::pages::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveTime;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct MeetingStatusForm {
    version: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub async fn meeting_status(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<MeetingStatusForm>,
) -> PageResult {
    let result = match MeetingStatus::parse(f.status.trim()) {
        Some(status) => app.set_meeting_status(user.person(), id, f.version, status, &f.reason).await.map(|_| ()),
        None => Err(AppError::Invalid(Invalid::one("status", "Choose what happened to the meeting."))),
    };
    match result {
        Ok(()) => Ok(see_other(&meeting_href(id, "top"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { status_value: f.status, status_reason: f.reason, status_errors: errors, ..Default::default() };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(AppError::Conflict(m)) => {
            meeting_response(&app, &user, id, StatusCode::CONFLICT, Forms { problem: Some(m), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    version: i64,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    reason: String,
}

pub async fn move_meeting(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<MoveForm>) -> PageResult {
    let mut errors = Invalid::default();
    let date = parse_date("date", &f.date, &mut errors);
    if date.is_none() && errors.is_empty() {
        errors.push(FieldError::new("date", "Choose the new date."));
    }
    let result = match date {
        Some(date) if errors.is_empty() => app.move_meeting(user.person(), id, f.version, date, &f.time, &f.reason).await.map(|_| ()),
        _ => {
            if NaiveTime::parse_from_str(f.time.trim(), "%H:%M").is_err() {
                errors.push(FieldError::new("time", "Give a time as hours and minutes, for example 09:30."));
            }
            if f.reason.trim().is_empty() {
                errors.push(FieldError::new("reason", "Say why the meeting moves; it stays in the record."));
            }
            Err(AppError::Invalid(errors))
        }
    };
    match result {
        // The page it leads to confirms it, with a word when the new time may not suit one of the two.
        Ok(()) => Ok(see_other(&format!("/meetings/{id}?saved=moved#top"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms {
                move_date: Some(f.date),
                move_time: Some(f.time),
                move_reason: f.reason,
                move_errors: errors,
                ..Default::default()
            };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(AppError::Conflict(m)) => {
            meeting_response(&app, &user, id, StatusCode::CONFLICT, Forms { problem: Some(m), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RatingForm {
    rating: Option<String>,
    #[serde(default)]
    comment: String,
}

pub async fn rate_meeting(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<RatingForm>) -> PageResult {
    // No choice (or a strange one) is 0, which the rule refuses with its own words.
    let rating = f.rating.as_deref().and_then(|r| r.trim().parse::<i64>().ok()).unwrap_or(0);
    match app.rate_meeting(user.person(), id, rating, &f.comment).await {
        Ok(_) => Ok(see_other(&format!("/meetings/{id}?saved=rating#rating"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { rating: Some(rating), rating_comment: Some(f.comment), rating_errors: errors, ..Default::default() };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}
