//! "Share a talking point with your organisation": a leader writes it, sees which 1:1s it would
//! reach, places it, and can withdraw it later.

use super::{Chrome, render};
use crate::app::strategy::PlacementView;
use crate::app::{App, AppError};
use crate::domain::Invalid;
use crate::domain::strategy::{one_on_ones, reach_message};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

pub struct PairRow {
    manager: String,
    teammate: String,
    when: String,
}

pub struct PlacementRow {
    id: Uuid,
    text: String,
    when: String,
    withdrawn: bool,
    /// "one 1:1", "3 1:1s"
    count: String,
    pairs: Vec<PairRow>,
}

#[derive(askama::Template)]
#[template(path = "strategy.html")]
struct StrategyPage {
    c: Chrome,
    text: String,
    errors: Invalid,
    notice: Option<String>,
    /// Shown after "Preview": who it would reach, and the sentence that says so.
    preview: Option<(String, String, Vec<PairRow>)>,
    placements: Vec<PlacementRow>,
}

fn when(at: chrono::DateTime<chrono::Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b, %H:%M").to_string()
}

fn rows(v: Vec<PlacementView>, tz: Tz) -> Vec<PlacementRow> {
    v.into_iter()
        .map(|p| PlacementRow {
            id: p.placement.id,
            text: p.placement.text,
            when: when(p.placement.created_at, tz),
            withdrawn: p.placement.withdrawn_at.is_some(),
            count: one_on_ones(p.pairs.len()),
            pairs: p.pairs.into_iter().map(|(m, t, at)| PairRow { manager: m, teammate: t, when: when(at, tz) }).collect(),
        })
        .collect()
}

async fn page(app: &App, user: &CurrentUser, text: String, errors: Invalid, notice: Option<String>) -> Result<StrategyPage, PageError> {
    let me = user.person();
    let tz = me.timezone.tz();
    Ok(StrategyPage {
        c: Chrome::for_user(&user.0, "Share a talking point with your organisation", "questions"),
        text,
        errors,
        notice,
        preview: None,
        placements: rows(app.my_placements(me).await?, tz),
    })
}

#[derive(Deserialize, Default)]
pub struct StrategyQuery {
    done: Option<String>,
}

pub async fn strategy_page(State(app): State<App>, user: CurrentUser, Query(q): Query<StrategyQuery>) -> PageResult {
    let notice = match q.done.as_deref() {
        Some(n) if n.starts_with("placed:") => Some(format!("Placed in {}.", one_on_ones(n[7..].parse().unwrap_or(0)))),
        Some(n) if n.starts_with("withdrawn:") => {
            let (removed, kept) = n[10..].split_once('-').unwrap_or(("0", "0"));
            Some(format!(
                "Withdrawn from {removed} 1:1s still to come. {kept} stay where it was already talked about or the meeting has begun."
            ))
        }
        _ => None,
    };
    Ok(render(StatusCode::OK, &page(&app, &user, String::new(), Invalid::default(), notice).await?))
}

pub async fn strategy_submit(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let me = user.person();
    let f: Vec<(String, String)> = form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let field = |n: &str| f.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_default();
    let text = field("text");
    if field("intent") == "preview" {
        if let Err(e) = crate::domain::strategy::check_text(&text) {
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(&app, &user, text, e, None).await?));
        }
        let reach = app.strategy_reach(me).await?;
        let tz = me.timezone.tz();
        if reach.is_empty() {
            let has_reports = !app.profile(me, me.id).await?.reports.is_empty();
            let e = Invalid(vec![crate::domain::strategy::nothing_to_reach(has_reports)]);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(&app, &user, text, e, None).await?));
        }
        let mut p = page(&app, &user, text, Invalid::default(), None).await?;
        p.preview = Some((
            reach_message(reach.len()),
            if reach.len() == 1 { "Place it in this 1:1".to_string() } else { format!("Place it in all {} 1:1s", reach.len()) },
            reach
                .into_iter()
                .map(|r| PairRow { manager: r.manager.name, teammate: r.teammate.name, when: when(r.meeting.starts_at, tz) })
                .collect(),
        ));
        return Ok(render(StatusCode::OK, &p));
    }
    match app.place_strategy(me, &text).await {
        Ok(v) => Ok(Redirect::to(&format!("/strategy?done=placed:{}", v.pairs.len())).into_response()),
        Err(AppError::Invalid(e)) => Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(&app, &user, text, e, None).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn strategy_withdraw(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    match app.withdraw_strategy(user.person(), id).await {
        Ok((removed, kept)) => Ok(Redirect::to(&format!("/strategy?done=withdrawn:{removed}-{kept}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let notice = e.0.first().map(|f| f.message.clone());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(&app, &user, String::new(), Invalid::default(), notice).await?))
        }
        Err(e) => Err(e.into()),
    }
}
