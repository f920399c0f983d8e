//! Focus hours: the time a person keeps for deep work. A first 1:1 planned in it gets a warning
//! for the manager, on the kickoff note.

use super::{Chrome, render};
use crate::app::{App, AppError};
use crate::domain::Invalid;
use crate::domain::kickoff::{all_days, check_focus, day_slug};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

type PageResult = Result<Response, PageError>;

pub struct DayChoice {
    slug: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(askama::Template)]
#[template(path = "focus.html")]
struct FocusPage {
    c: Chrome,
    days: Vec<DayChoice>,
    start: String,
    end: String,
    timezone: String,
    set: bool,
    errors: Invalid,
    notice: Option<String>,
}

fn page(
    user: &CurrentUser,
    chosen: &[String],
    start: String,
    end: String,
    set: bool,
    errors: Invalid,
    notice: Option<String>,
) -> FocusPage {
    FocusPage {
        c: Chrome::for_user(&user.0, "Focus hours", "settings"),
        days: all_days().map(|(_, slug, label)| DayChoice { slug, label, checked: chosen.iter().any(|c| c == slug) }).collect(),
        start,
        end,
        timezone: user.person().timezone.to_string(),
        set,
        errors,
        notice,
    }
}

#[derive(Deserialize, Default)]
pub struct FocusQuery {
    done: Option<String>,
}

pub async fn focus_page(State(app): State<App>, user: CurrentUser, Query(q): Query<FocusQuery>) -> PageResult {
    let me = user.person();
    let current = app.focus_hours(me, me).await?;
    let notice = match q.done.as_deref() {
        Some("saved") => Some("Saved. A first 1:1 planned in these hours now comes with a warning for whoever plans it.".to_string()),
        Some("cleared") => Some("Cleared. You have no focus hours.".to_string()),
        _ => None,
    };
    let p = match &current {
        Some(f) => page(
            &user,
            &f.days.iter().map(|d| day_slug(*d).to_string()).collect::<Vec<_>>(),
            f.start.format("%H:%M").to_string(),
            f.end.format("%H:%M").to_string(),
            true,
            Invalid::default(),
            notice,
        ),
        // A common start: weekday mornings.
        None => page(
            &user,
            &["mon", "tue", "wed", "thu", "fri"].map(String::from),
            "09:00".into(),
            "12:00".into(),
            false,
            Invalid::default(),
            notice,
        ),
    };
    Ok(render(StatusCode::OK, &p))
}

/// Saves or clears (`intent=clear`) the person's own focus hours.
pub async fn focus_submit(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let me = user.person();
    let p: Vec<(String, String)> = form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let field = |n: &str| p.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    if field("intent") == "clear" {
        app.set_focus_hours(me, None).await?;
        return Ok(Redirect::to("/settings/focus?done=cleared").into_response());
    }
    let days: Vec<String> = p.iter().filter(|(k, _)| k == "days").map(|(_, v)| v.clone()).collect();
    let (start, end) = (field("start"), field("end"));
    let result = match check_focus(&days, &start, &end) {
        Ok(f) => app.set_focus_hours(me, Some(&f)).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/settings/focus?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let set = app.focus_hours(me, me).await?.is_some();
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(&user, &days, start, end, set, errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}
