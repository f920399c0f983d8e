//! Action items: adding and updating them on the meeting page, and your actions (`/actions`).

use super::meeting::{ActionRow, Forms, action_row, meeting_href, meeting_response, refused_on_meeting};
use super::shared::{PageResult, checkbox, flag, parse_date, parse_person, see_other};
use crate::app::meetings::{ActionPatch, MyAction};
use crate::app::{App, AppError};
use crate::domain::meeting::ActionKind;
use crate::domain::{FieldError, Invalid, Person};
use crate::web::auth::CurrentUser;
use crate::web::pages::time::{today_in, tz_of};
use crate::web::pages::{Chrome, Form, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    due_date: String,
    #[serde(default, deserialize_with = "checkbox")]
    help: bool,
}

pub async fn add_action(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ActionForm>) -> PageResult {
    let mut errors = Invalid::default();
    let owner = parse_person("owner_id", &f.owner_id, "Choose who will do it.", &mut errors);
    let due = parse_date("due_date", &f.due_date, &mut errors);
    let kind = if f.help { ActionKind::Help } else { ActionKind::Normal };
    let result = match owner {
        Some(owner) if errors.is_empty() => app.add_action(user.person(), id, &f.body, owner, due, kind).await.map(|_| ()),
        _ => {
            // Check the text too, so every problem shows at once.
            if f.body.trim().is_empty() {
                errors.push(FieldError::new("body", "Write the action first."));
            }
            Err(AppError::Invalid(errors))
        }
    };
    match result {
        Ok(()) => Ok(see_other(&meeting_href(id, "actions"))),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms {
                action_body: f.body,
                action_owner: f.owner_id,
                action_due: f.due_date,
                action_help: f.help,
                action_errors: errors,
                ..Default::default()
            };
            meeting_response(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActionUpdateForm {
    meeting_id: Option<Uuid>,
    version: i64,
    done: Option<String>,
    /// "actions" or "help" when sent from the actions list.
    from: Option<String>,
}

pub async fn update_action(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ActionUpdateForm>) -> PageResult {
    let patch = ActionPatch { done: flag(&f.done), ..Default::default() };
    let from_list = match f.from.as_deref() {
        Some("help") => Some(Some(ActionKind::Help)),
        Some("actions") => Some(None),
        _ => None,
    };
    match app.update_action(user.person(), id, f.version, patch).await {
        Ok(a) => Ok(match from_list {
            Some(Some(_)) => see_other("/actions?kind=help"),
            Some(None) => see_other("/actions"),
            None => see_other(&meeting_href(f.meeting_id.unwrap_or(a.meeting_id), "actions")),
        }),
        Err(e) => match from_list {
            Some(only) => {
                let (status, message) = match e {
                    AppError::Conflict(m) => (StatusCode::CONFLICT, m),
                    AppError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.to_string()),
                    e => return Err(e.into()),
                };
                actions_response(&app, &user, only, status, Some(message)).await
            }
            None => refused_on_meeting(&app, &user, f.meeting_id, e, id, false).await,
        },
    }
}

#[derive(Deserialize, Default)]
pub struct ActionsQuery {
    kind: Option<String>,
}

struct MyActionRow {
    row: ActionRow,
    other: Person,
    meeting_id: Uuid,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ActionsPage {
    c: Chrome,
    help_only: bool,
    rows: Vec<MyActionRow>,
    problem: Option<String>,
}

async fn actions_response(
    app: &App,
    user: &CurrentUser,
    only: Option<ActionKind>,
    status: StatusCode,
    problem: Option<String>,
) -> PageResult {
    let me = user.person();
    let today = today_in(tz_of(me), app.clock.now());
    let mut rows: Vec<MyActionRow> = app
        .my_actions(me, only)
        .await?
        .into_iter()
        .map(|MyAction { action, other, .. }| MyActionRow {
            row: action_row(&action, "You", today, &None),
            meeting_id: action.meeting_id,
            other,
        })
        .collect();
    // Overdue first; the rest keep their order (by due date).
    rows.sort_by_key(|r| !r.row.overdue);
    Ok(render(
        status,
        &ActionsPage {
            c: Chrome::for_user(&user.0, if only.is_some() { "How can I help?" } else { "Your actions" }, "actions"),
            help_only: only.is_some(),
            rows,
            problem,
        },
    ))
}

pub async fn actions_page(State(app): State<App>, user: CurrentUser, Query(q): Query<ActionsQuery>) -> PageResult {
    let only = q.kind.as_deref().and_then(ActionKind::parse).filter(|k| *k == ActionKind::Help);
    actions_response(&app, &user, only, StatusCode::OK, None).await
}
