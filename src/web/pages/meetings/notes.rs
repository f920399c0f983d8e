//! The shared and the private note on a meeting page, saved with a version. Where two saves
//! changed the same lines, both versions are shown side by side, to keep mine, theirs or both.

use super::meeting::{Forms, Settle, meeting_href, meeting_response};
use super::shared::{PageResult, see_other};
use crate::app::meetings::NoteSaved;
use crate::app::{App, AppError};
use crate::domain::Invalid;
use crate::domain::meeting::Note;
use crate::domain::merge::{Keep, Part, settle};
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
        Ok(NoteSaved::Conflict { current, parts }) => {
            let mut forms = Forms::default();
            let other = if private { None } else { conflict_author(app, user, &current).await };
            let who = match &other {
                Some(name) => format!("{name} saved the notes"),
                None => "You saved this note in another window".to_string(),
            };
            let settle = Settle {
                base: current.version,
                theirs_label: match &other {
                    Some(name) => format!("{name}’s version"),
                    None => "The version saved first".into(),
                },
                parts_json: serde_json::to_string(&parts).map_err(|e| AppError::Internal(e.into()))?,
                parts,
            };
            let places = match settle.places() {
                1 => "one place".to_string(),
                n => format!("{n} places"),
            };
            forms.problem = Some(format!(
                "{who} while you were writing, and you both changed the same lines, at {places}. Nothing is lost and nothing \
                 was saved yet: choose what to keep at each place, then save."
            ));
            if private {
                forms.private_settle = Some(settle);
            } else {
                forms.note_settle = Some(settle);
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

/// The note put together from the places a person settled: the parts the page showed (sent
/// back as they were) and a choice per place, `keep_0`, `keep_1`, … (`mine`, `theirs` or
/// `both`; a missing or unknown choice keeps both, so nothing is lost by a slip).
fn settled_text(fields: &[(String, String)]) -> Result<(String, i64, bool), String> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let parts: Vec<Part> = serde_json::from_str(field("parts").unwrap_or("")).map_err(|_| "parts".to_string())?;
    let base = field("base_version").and_then(|v| v.parse().ok()).ok_or_else(|| "base_version".to_string())?;
    let private = field("note") == Some("private");
    let places = parts.iter().filter(|p| matches!(p, Part::Differ { .. })).count();
    let choices: Vec<Keep> = (0..places).map(|i| field(&format!("keep_{i}")).and_then(Keep::parse).unwrap_or(Keep::Both)).collect();
    Ok((settle(&parts, &choices), base, private))
}

/// Saves a note settled place by place (the form shown after a clash).
pub async fn settle_note(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let (body, base_version, private) = match settled_text(&fields) {
        Ok(settled) => settled,
        Err(field) => {
            return Err(AppError::Invalid(Invalid::one(field, "This form could not be read; reload the page and try again.")).into());
        }
    };
    save_note(&app, &user, id, private, NoteForm { body, base_version }).await
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
    fn a_settled_note_keeps_what_was_chosen_at_each_place_and_both_where_nothing_was() {
        let parts = r#"[{"kind":"same","text":"Agenda\n"},{"kind":"differ","mine":"A\n","theirs":"B\n"},{"kind":"differ","mine":"C\n","theirs":"D\n"}]"#;
        let form = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let (text, base, private) =
            super::settled_text(&form(&[("parts", parts), ("base_version", "7"), ("keep_0", "theirs"), ("note", "shared")])).unwrap();
        assert_eq!((text.as_str(), base, private), ("Agenda\nB\nC\nD\n", 7, false));
        let (text, _, private) = super::settled_text(&form(&[
            ("parts", parts),
            ("base_version", "7"),
            ("keep_0", "mine"),
            ("keep_1", "odd"),
            ("note", "private"),
        ]))
        .unwrap();
        assert_eq!((text.as_str(), private), ("Agenda\nA\nC\nD\n", true));
        assert_eq!(super::settled_text(&form(&[("parts", "not json"), ("base_version", "7")])).unwrap_err(), "parts");
    }
}
