//! The shared and the private note on a meeting page, saved with a version; a conflict is
//! shown in plain words.

use super::meeting::{Forms, meeting_href, meeting_response};
use super::shared::{PageResult, see_other};
use crate::app::meetings::NoteSaved;
use crate::app::{App, AppError};
use crate::domain::meeting::Note;
use crate::web::auth::CurrentUser;
use crate::web::pages::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    base_version: i64,
}

async fn save_note(app: &App, user: &CurrentUser, id: Uuid, private: bool, f: NoteForm) -> PageResult {
    let fragment = if private { "private" } else { "notes" };
    match app.save_note(user.person(), id, private, &f.body, f.base_version).await {
        Ok(NoteSaved::Saved(_)) => Ok(see_other(&meeting_href(id, fragment))),
        Ok(NoteSaved::Merged(_)) => Ok(see_other(&format!("/meetings/{id}?saved=merged#{fragment}"))),
        Ok(NoteSaved::Conflict { current, merged }) => {
            let mut forms = Forms::default();
            let other = if private { None } else { conflict_author(app, user, &current).await };
            let who = match &other {
                Some(name) => format!("{name} saved the notes"),
                None => "You saved this note in another window".to_string(),
            };
            let merged = plain_conflict(&merged, other.as_deref());
            let message = format!(
                "{who} while you were writing, and you both changed the same lines. Nothing was lost: both versions are in the box below, \
                 between the <<<<<<< and >>>>>>> marks. Keep what you want, remove the marks, and save again."
            );
            forms.problem = Some(message);
            if private {
                forms.private_text = Some(merged);
                forms.private_base = Some(current.version);
                forms.private_conflict = true;
            } else {
                forms.note_text = Some(merged);
                forms.note_base = Some(current.version);
                forms.note_conflict = true;
            }
            meeting_response(app, user, id, StatusCode::CONFLICT, forms).await
        }
        Err(AppError::Invalid(errors)) => {
            let mut forms = Forms::default();
            if private {
                forms.private_text = Some(f.body);
                forms.private_base = Some(f.base_version);
                forms.private_errors = errors;
            } else {
                forms.note_text = Some(f.body);
                forms.note_base = Some(f.base_version);
                forms.note_errors = errors;
            }
            meeting_response(app, user, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Who saved the note that conflicts with yours: their name, or `None` when it was you (in
/// another window).
async fn conflict_author(app: &App, user: &CurrentUser, current: &Note) -> Option<String> {
    if current.updated_by == user.person().id {
        return None;
    }
    Some(app.person(user.person(), current.updated_by).await.map(|p| p.name).unwrap_or_else(|_| "Someone".into()))
}

/// The merge's conflict marks in plain words: "your version", then the other person's; the
/// common original in between is left out (it is neither person's words).
fn plain_conflict(marked: &str, other: Option<&str>) -> String {
    let theirs = match other {
        Some(name) => format!(">>>>>>> {name}’s version"),
        None => ">>>>>>> the version saved first".to_string(),
    };
    let mut out = String::with_capacity(marked.len());
    let mut skipping = false;
    for line in marked.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let eol = &line[text.len()..];
        if text.starts_with("<<<<<<< ") {
            out.push_str("<<<<<<< your version");
        } else if text.starts_with("||||||| ") {
            skipping = true;
            continue;
        } else if text == "=======" {
            skipping = false;
            out.push_str(text);
        } else if text.starts_with(">>>>>>> ") {
            out.push_str(&theirs);
        } else if skipping {
            continue;
        } else {
            out.push_str(text);
        }
        out.push_str(eol);
    }
    out
}

pub async fn save_shared_note(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<NoteForm>) -> PageResult {
    save_note(&app, &user, id, false, f).await
}

pub async fn save_private_note(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<NoteForm>) -> PageResult {
    save_note(&app, &user, id, true, f).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn conflict_marks_are_put_in_plain_words() {
        let marked = "Agenda\n<<<<<<< ours\nHiring: A\n||||||| original\nHiring\n=======\nHiring: B\n>>>>>>> theirs\nBudget\n";
        assert_eq!(
            super::plain_conflict(marked, Some("Tom")),
            "Agenda\n<<<<<<< your version\nHiring: A\n=======\nHiring: B\n>>>>>>> Tom’s version\nBudget\n"
        );
    }
}
