//! The handoff page: a person whose manager changed chooses what of their own record the new
//! manager sees. Nothing the previous manager wrote for themselves is offered: it stays theirs.

use super::{Chrome, render};
use crate::app::App;
use crate::app::AppError;
use crate::domain::Invalid;
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

type PageResult = Result<Response, PageError>;

pub struct ItemChoice {
    slug: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(askama::Template)]
#[template(path = "handoff.html")]
struct HandoffPage {
    c: Chrome,
    manager: Option<String>,
    items: Vec<ItemChoice>,
    errors: Invalid,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct HandoffQuery {
    done: Option<String>,
}

async fn page(app: &App, user: &CurrentUser, errors: Invalid, notice: Option<String>) -> Result<HandoffPage, AppError> {
    let v = app.my_handoff(user.person()).await?;
    Ok(HandoffPage {
        c: Chrome::for_user(&user.0, "Handoff to a new manager", "settings"),
        manager: v.new_manager.map(|m| m.name),
        items: v.items.into_iter().map(|(i, on)| ItemChoice { slug: i.slug(), label: i.label(), checked: on }).collect(),
        errors,
        notice,
    })
}

pub async fn handoff_page(State(app): State<App>, user: CurrentUser, Query(q): Query<HandoffQuery>) -> PageResult {
    let notice = q.done.as_deref().map(|_| "Saved. Your manager sees what you ticked, and nothing else of your past record.".to_string());
    Ok(render(StatusCode::OK, &page(&app, &user, Invalid::default(), notice).await?))
}

pub async fn handoff_submit(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let items: Vec<String> = form_urlencoded::parse(&body).filter(|(k, _)| k == "items").map(|(_, v)| v.into_owned()).collect();
    match app.save_my_handoff(user.person(), &items).await {
        Ok(_) => Ok(Redirect::to("/handoff?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(&app, &user, errors, None).await?)),
        Err(e) => Err(e.into()),
    }
}
