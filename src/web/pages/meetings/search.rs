//! Search (`/search`): your meetings' topics, notes and actions.

use super::meeting::Selectable;
use super::shared::{PageResult, parse_date, parse_person};
use crate::app::meetings::{SearchResult, snippet_html};
use crate::app::{App, AppError};
use crate::domain::meeting::DocKind;
use crate::domain::{FieldError, Invalid, Person};
use crate::web::auth::CurrentUser;
use crate::web::pages::time::{tz_of, when};
use crate::web::pages::{Chrome, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    with: String,
    from: String,
    to: String,
}

struct HitRow {
    meeting_id: Uuid,
    kind: &'static str,
    private: bool,
    when: String,
    other: Person,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    f: SearchQuery,
    people: Vec<Selectable>,
    errors: Invalid,
    searched: bool,
    hits: Vec<HitRow>,
}

pub async fn search_page(State(app): State<App>, user: CurrentUser, Query(f): Query<SearchQuery>) -> PageResult {
    let me = user.person();
    let now = app.clock.now();
    let tz = tz_of(me);
    // The people you have 1:1s with, once each, by name.
    let mut others: Vec<Person> = vec![];
    for (_, other) in app.pairs(me).await? {
        if !others.iter().any(|o| o.id == other.id) {
            others.push(other);
        }
    }
    others.sort_by_key(|o| o.name.to_lowercase());
    let people = others
        .iter()
        .map(|o| Selectable { value: o.id.to_string(), label: o.name.clone(), selected: o.id.to_string() == f.with })
        .collect();

    let mut errors = Invalid::default();
    let with = if f.with.trim().is_empty() { None } else { parse_person("with", &f.with, "Choose a person from the list.", &mut errors) };
    let start_of = |d: NaiveDate| crate::domain::schedule::local_instant(tz, d, NaiveTime::MIN);
    let from = parse_date("from", &f.from, &mut errors).map(start_of);
    let to = parse_date("to", &f.to, &mut errors).map(|d| start_of(d + Duration::days(1)));
    if let (Some(a), Some(b)) = (from, to)
        && b <= a
    {
        errors.push(FieldError::new("to", "The end date comes before the start date."));
    }
    let searched = !f.q.trim().is_empty();
    let mut hits = vec![];
    if searched && errors.is_empty() {
        match app.search(me, f.q.trim(), with, from, to).await {
            Ok(results) => {
                hits = results
                    .into_iter()
                    .map(|SearchResult { hit, other, .. }| HitRow {
                        meeting_id: hit.meeting_id,
                        kind: match (hit.kind, hit.private) {
                            (DocKind::Note, true) => "Your private note",
                            (DocKind::Note, false) => "Shared notes",
                            (DocKind::Point, _) => "Topic",
                            (DocKind::Action, _) => "Action",
                        },
                        private: hit.private,
                        when: when(hit.occurred_at, tz, now),
                        snippet: snippet_html(&hit.snippet),
                        other,
                    })
                    .collect();
            }
            Err(AppError::Invalid(i)) => errors = i,
            Err(e) => return Err(e.into()),
        }
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &SearchPage { c: Chrome::for_user(&user.0, "Search", "search"), f, people, errors, searched, hits }))
}
