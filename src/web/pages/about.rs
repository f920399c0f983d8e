//! The manager's "about" page on a teammate, and blameless setback records.

use super::{Choice, Chrome, ok, render};
use crate::app::setbacks::SetbackItem;
use crate::app::{App, AppError};
use crate::domain::about::{self, AboutInput, AboutPage, DateInput, TimeOffInput};
use crate::domain::day::FormDay;
use crate::domain::meeting::Meeting;
use crate::domain::setback::{self, Context, FollowUpInput, SetbackInput};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

/// The pairs of a form body, keeping repeated names (checkboxes).
fn pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn field(p: &[(String, String)], name: &str) -> String {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn first_name(p: &Person) -> String {
    p.name.split_whitespace().next().unwrap_or(&p.name).to_string()
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

// ---- the about page ----

pub struct DateRow {
    pub id: Uuid,
    pub label: String,
    pub date: String,
    pub yearly: bool,
    /// "in 9 days", "today"; empty when far or passed.
    pub soon: String,
    pub passed: bool,
}

pub struct OffRow {
    pub id: Uuid,
    pub label: String,
    pub range: String,
    pub state: &'static str,
}

/// What was typed in one of the page's forms, kept after an error.
#[derive(Default)]
pub struct Typed {
    pub interests: String,
    pub family: String,
    pub date_label: String,
    pub date: String,
    pub yearly: bool,
    pub off_label: String,
    pub off_starts: String,
    pub off_ends: String,
}

#[derive(askama::Template)]
#[template(path = "about.html")]
struct AboutTemplate {
    c: Chrome,
    person: Person,
    first: String,
    version: i64,
    updated: String,
    dates: Vec<DateRow>,
    off: Vec<OffRow>,
    typed: Typed,
    errors: Invalid,
    notice: String,
    conflict: String,
}

/// How the last request went: problems by field, a note after success, or a conflict.
#[derive(Default)]
struct Outcome {
    errors: Invalid,
    notice: String,
    conflict: String,
}

fn about_view(user: &CurrentUser, app: &App, person: Person, page: &AboutPage, typed: Option<Typed>, outcome: Outcome) -> AboutTemplate {
    let Outcome { errors, notice, conflict } = outcome;
    let tz = user.person().timezone.tz();
    let today = app.clock.now().with_timezone(&tz).date_naive();
    let dates = page
        .dates
        .iter()
        .map(|d| {
            let next = d.next_on_or_after(today);
            let n = next.map(|n| (n - today).num_days());
            DateRow {
                id: d.id,
                label: d.label.clone(),
                date: if d.yearly { d.date.format("%-d %B").to_string() } else { d.date.format("%-d %B %Y").to_string() },
                yearly: d.yearly,
                soon: n.filter(|n| *n <= 60).map(about::in_days_words).unwrap_or_default(),
                passed: next.is_none(),
            }
        })
        .collect();
    let off = page
        .time_off
        .iter()
        .map(|t| OffRow {
            id: t.id,
            label: t.label.clone(),
            range: about::range_words(t.starts_on, t.ends_on, today),
            state: if t.ends_on < today {
                "over"
            } else if t.starts_on <= today {
                "under way"
            } else {
                ""
            },
        })
        .collect();
    let typed = typed.unwrap_or_else(|| Typed { interests: page.interests.clone(), family: page.family.clone(), ..Default::default() });
    AboutTemplate {
        c: Chrome::for_user(&user.0, &format!("About {}", person.name), "people"),
        first: first_name(&person),
        person,
        version: page.version,
        updated: page.updated_at.map(|t| t.with_timezone(&tz).format("%-d %B %Y").to_string()).unwrap_or_default(),
        dates,
        off,
        typed,
        errors,
        notice: match notice.as_str() {
            "saved" => "Saved.".into(),
            "date" => "Date added.".into(),
            "off" => "Time off added.".into(),
            "removed" => "Removed.".into(),
            _ => String::new(),
        },
        conflict,
    }
}

impl AboutTemplate {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors.message_for(name)
    }
}

pub async fn about_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<DoneQuery>) -> PageResult {
    let (person, page) = app.about_page(user.person(), PersonId(id)).await?;
    Ok(ok(&about_view(&user, &app, person, &page, None, Outcome { notice: q.done, ..Default::default() })))
}

/// Saves `input` and goes back to the page, or shows the page again with what was typed and
/// each problem next to its field (renamed by `rename` from the API's names to the form's).
async fn save_and_back(
    app: &App,
    user: &CurrentUser,
    id: Uuid,
    input: AboutInput,
    typed: Typed,
    done: &str,
    rename: impl Fn(&str) -> String,
) -> PageResult {
    match app.save_about_page(user.person(), PersonId(id), &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}/about?done={done}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let (person, page) = app.about_page(user.person(), PersonId(id)).await?;
            let errors = Invalid(e.0.into_iter().map(|f| FieldError { field: rename(&f.field), ..f }).collect());
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &about_view(user, app, person, &page, Some(typed), Outcome { errors, ..Default::default() }),
            ))
        }
        Err(AppError::Conflict(m)) => {
            let (person, page) = app.about_page(user.person(), PersonId(id)).await?;
            Ok(render(
                StatusCode::CONFLICT,
                &about_view(user, app, person, &page, Some(typed), Outcome { conflict: m, ..Default::default() }),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn about_save(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let (_, page) = app.about_page(user.person(), PersonId(id)).await?;
    let mut input = AboutInput::from_page(&page);
    input.interests = field(&p, "interests");
    input.family = field(&p, "family");
    input.version = field(&p, "version").parse().ok().or(Some(-1));
    let typed = Typed { interests: input.interests.clone(), family: input.family.clone(), ..Default::default() };
    save_and_back(&app, &user, id, input, typed, "saved", |f| f.to_string()).await
}

pub async fn about_add_date(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let (_, page) = app.about_page(user.person(), PersonId(id)).await?;
    let mut input = AboutInput::from_page(&page);
    let n = input.dates.len();
    let yearly = !field(&p, "yearly").is_empty();
    input.dates.push(DateInput { id: None, label: field(&p, "label"), date: FormDay::read(&field(&p, "date")), yearly });
    let typed = Typed {
        interests: page.interests.clone(),
        family: page.family.clone(),
        date_label: field(&p, "label"),
        date: field(&p, "date"),
        yearly,
        ..Default::default()
    };
    let new = format!("dates[{n}].");
    save_and_back(&app, &user, id, input, typed, "date", move |f| match f.strip_prefix(&new) {
        Some("label") => "date_label".into(),
        Some("date") => "date".into(),
        _ => f.to_string(),
    })
    .await
}

pub async fn about_add_time_off(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let (_, page) = app.about_page(user.person(), PersonId(id)).await?;
    let mut input = AboutInput::from_page(&page);
    let n = input.time_off.len();
    input.time_off.push(TimeOffInput {
        id: None,
        label: field(&p, "label"),
        starts_on: FormDay::read(&field(&p, "starts_on")),
        ends_on: FormDay::read(&field(&p, "ends_on")),
    });
    let typed = Typed {
        interests: page.interests.clone(),
        family: page.family.clone(),
        off_label: field(&p, "label"),
        off_starts: field(&p, "starts_on"),
        off_ends: field(&p, "ends_on"),
        ..Default::default()
    };
    let new = format!("time_off[{n}].");
    save_and_back(&app, &user, id, input, typed, "off", move |f| match f.strip_prefix(&new) {
        Some("label") => "off_label".into(),
        Some("starts_on") => "off_starts".into(),
        Some("ends_on") => "off_ends".into(),
        _ => f.to_string(),
    })
    .await
}

pub async fn about_remove(State(app): State<App>, user: CurrentUser, Path((id, item)): Path<(Uuid, Uuid)>) -> PageResult {
    let (_, page) = app.about_page(user.person(), PersonId(id)).await?;
    let mut input = AboutInput::from_page(&page);
    input.dates.retain(|d| d.id != Some(item));
    input.time_off.retain(|t| t.id != Some(item));
    let typed = Typed { interests: page.interests.clone(), family: page.family.clone(), ..Default::default() };
    save_and_back(&app, &user, id, input, typed, "removed", |f| f.to_string()).await
}

// ---- setback records ----

pub struct MeetingOption {
    pub id: Uuid,
    pub label: String,
    pub selected: bool,
    /// The label is the meeting's date and time.
    pub dated: bool,
}

/// The record form's values (empty for a new record).
#[derive(Default, Clone)]
pub struct SetbackForm {
    pub occurred_on: String,
    pub facts: String,
    pub contexts: Vec<String>,
    pub context_other: String,
    pub remedy: String,
    pub manager_change: String,
    pub learned: String,
    pub meeting_id: String,
    /// Three follow-up rows: (body, owner id, due date).
    pub actions: Vec<(String, String, String)>,
}

impl SetbackForm {
    fn read(p: &[(String, String)]) -> SetbackForm {
        SetbackForm {
            occurred_on: field(p, "occurred_on"),
            facts: field(p, "facts"),
            contexts: p.iter().filter(|(k, _)| k == "contexts").map(|(_, v)| v.clone()).collect(),
            context_other: field(p, "context_other"),
            remedy: field(p, "remedy"),
            manager_change: field(p, "manager_change"),
            learned: field(p, "learned"),
            meeting_id: field(p, "meeting_id"),
            actions: (0..3)
                .map(|i| {
                    (field(p, &format!("action_body_{i}")), field(p, &format!("action_owner_{i}")), field(p, &format!("action_due_{i}")))
                })
                .collect(),
        }
    }

    /// The record's input, its dates read as days; `None` with the problems of the form's own
    /// fields (a date that is not a day, an unknown 1:1) in `errors`, by the form's field names.
    fn input(&self, errors: &mut Invalid) -> Option<SetbackInput> {
        let meeting = self.meeting_id.trim();
        let meeting_id = if meeting.is_empty() { None } else { meeting.parse::<Uuid>().ok() };
        if meeting_id.is_none() && !meeting.is_empty() {
            errors.push(FieldError::new("meeting_id", "Pick a 1:1 from the list."));
        }
        let occurred_on = FormDay::read(&self.occurred_on).required("occurred_on", errors)?;
        Some(SetbackInput {
            occurred_on,
            facts: self.facts.clone(),
            contexts: self.contexts.clone(),
            context_other: self.context_other.clone(),
            remedy: self.remedy.clone(),
            manager_change: self.manager_change.clone(),
            learned: self.learned.clone(),
            meeting_id,
        })
    }

    fn from_item(s: &SetbackItem) -> SetbackForm {
        let r = &s.record;
        SetbackForm {
            occurred_on: r.occurred_on.to_string(),
            facts: r.facts.clone(),
            contexts: r.contexts.iter().map(|c| c.slug().to_string()).collect(),
            context_other: r.context_other.clone(),
            remedy: r.remedy.clone(),
            manager_change: r.manager_change.clone(),
            learned: r.learned.clone(),
            meeting_id: r.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
            actions: vec![],
        }
    }
}

/// What the record form needs around its values.
pub struct FormChrome {
    pub form: SetbackForm,
    pub contexts: Vec<Choice>,
    pub meetings: Vec<MeetingOption>,
    /// (id, name) of the two people a follow-up can belong to.
    pub owners: Vec<(Uuid, String)>,
    pub errors: Invalid,
    pub hint: Option<String>,
}

impl FormChrome {
    pub fn err(&self, name: &str) -> Option<&str> {
        self.errors.message_for(name)
    }
    pub fn prompt(&self, name: &str) -> &'static str {
        setback::prompt(name)
    }
    pub fn blame_words(&self) -> String {
        setback::blame_words_json()
    }
    pub fn blame_hint(&self) -> &'static str {
        setback::blame_hint_template()
    }
    pub fn owner_selected(&self, row: &usize, id: &Uuid) -> bool {
        self.form.actions.get(*row).is_some_and(|a| a.1 == id.to_string())
    }
    pub fn action(&self, row: &usize) -> (String, String) {
        self.form.actions.get(*row).map(|a| (a.0.clone(), a.2.clone())).unwrap_or_default()
    }
}

async fn form_chrome(app: &App, me: &Person, person: &Person, form: SetbackForm, errors: Invalid) -> Result<FormChrome, PageError> {
    let tz = me.timezone.tz();
    let meetings: Vec<Meeting> = app.setback_meetings(me, person).await?;
    let contexts = Context::ALL
        .into_iter()
        .map(|c| Choice { slug: c.slug(), label: c.label(), selected: form.contexts.iter().any(|s| s == c.slug()) })
        .collect();
    let meetings = meetings
        .into_iter()
        .map(|m| MeetingOption {
            id: m.id,
            label: m.starts_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
            selected: form.meeting_id == m.id.to_string(),
            dated: true,
        })
        .collect();
    let mut meetings: Vec<MeetingOption> = meetings;
    // A record linked to an older 1:1 than the list shows keeps its link when edited.
    if let Ok(linked) = form.meeting_id.parse::<Uuid>()
        && !meetings.iter().any(|m| m.id == linked)
    {
        meetings.push(MeetingOption { id: linked, label: "The 1:1 linked now (older)".into(), selected: true, dated: false });
    }
    let mut owners = vec![(person.id.0, person.name.clone())];
    if let Some(m) = person.manager_id
        && let Ok(mgr) = app.person(me, m).await
    {
        owners.push((mgr.id.0, mgr.name));
    }
    let hint = setback::blame_hint(&form.facts);
    Ok(FormChrome { form, contexts, meetings, owners, errors, hint })
}

#[derive(askama::Template)]
#[template(path = "setbacks.html")]
struct SetbacksTemplate {
    c: Chrome,
    person: Person,
    themselves: bool,
    manager_name: String,
    items: Vec<SetbackItem>,
    can_record: bool,
    f: FormChrome,
    intro: &'static str,
    notice: String,
}

async fn setbacks_view(
    app: &App,
    user: &CurrentUser,
    id: Uuid,
    form: SetbackForm,
    errors: Invalid,
    notice: &str,
) -> Result<SetbacksTemplate, PageError> {
    let me = user.person();
    let (person, items) = app.setbacks(me, PersonId(id)).await?;
    let manager_name = match person.manager_id {
        Some(m) => app.person(me, m).await.map(|p| p.name).unwrap_or_default(),
        None => String::new(),
    };
    let can_record = app.may_record_setback(me, &person).await;
    let mut form = form;
    if form.occurred_on.is_empty() {
        let tz = me.timezone.tz();
        form.occurred_on = app.clock.now().with_timezone(&tz).date_naive().to_string();
    }
    let f = form_chrome(app, me, &person, form, errors).await?;
    Ok(SetbacksTemplate {
        c: Chrome::for_user(&user.0, &format!("Setbacks: {}", person.name), "people"),
        themselves: person.id == me.id,
        person,
        manager_name,
        items,
        can_record,
        f,
        intro: setback::intro(),
        notice: if notice == "saved" { "Recorded.".into() } else { String::new() },
    })
}

pub async fn setbacks_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<DoneQuery>) -> PageResult {
    Ok(ok(&setbacks_view(&app, &user, id, SetbackForm::default(), Invalid::default(), &q.done).await?))
}

pub async fn setback_create(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let form = SetbackForm::read(&p);
    let mut problems = Invalid::default();
    let input = form.input(&mut problems);
    // Blank follow-up rows are left out; `rows[k]` is the form row of follow-up k.
    let mut rows = vec![];
    let mut follow_ups = vec![];
    for (i, (b, o, d)) in form.actions.iter().enumerate() {
        if b.trim().is_empty() && d.trim().is_empty() {
            continue;
        }
        rows.push(i);
        let due_date = FormDay::read(d).day(&format!("action_due_{i}"), &mut problems);
        follow_ups.push(FollowUpInput { body: b.clone(), owner_id: o.parse().ok(), due_date });
    }
    let result = match input {
        Some(input) if problems.is_empty() => app.record_setback(user.person(), PersonId(id), &input, &follow_ups).await,
        _ => Err(AppError::Invalid(problems)),
    };
    match result {
        Ok(item) => Ok(Redirect::to(&format!("/setbacks/{}?done=saved", item.record.id)).into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Invalid(
                e.0.into_iter()
                    .map(|f| {
                        let name = f.field.strip_prefix("actions[").and_then(|rest| {
                            let (k, what) = rest.split_once("].")?;
                            let row = rows.get(k.parse::<usize>().ok()?)?;
                            Some(match what {
                                "body" => format!("action_body_{row}"),
                                "due_date" => format!("action_due_{row}"),
                                _ => format!("action_owner_{row}"),
                            })
                        });
                        FieldError { field: name.unwrap_or(f.field.clone()), ..f }
                    })
                    .collect(),
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &setbacks_view(&app, &user, id, form, errors, "").await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "setback.html")]
struct SetbackTemplate {
    c: Chrome,
    person: Person,
    item: SetbackItem,
    f: FormChrome,
    version: i64,
    notice: String,
    conflict: String,
}

async fn setback_view(
    app: &App,
    user: &CurrentUser,
    id: Uuid,
    form: Option<SetbackForm>,
    errors: Invalid,
    notice: &str,
    conflict: String,
) -> Result<SetbackTemplate, PageError> {
    let me = user.person();
    let (person, item) = app.setback(me, id).await?;
    let form = form.unwrap_or_else(|| SetbackForm::from_item(&item));
    let f = form_chrome(app, me, &person, form, errors).await?;
    Ok(SetbackTemplate {
        c: Chrome::for_user(&user.0, &format!("Setback, {}", item.record.occurred_on), "people"),
        person,
        version: item.record.version,
        item,
        f,
        notice: if notice == "saved" { "Saved.".into() } else { String::new() },
        conflict,
    })
}

pub async fn setback_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<DoneQuery>) -> PageResult {
    Ok(ok(&setback_view(&app, &user, id, None, Invalid::default(), &q.done, String::new()).await?))
}

pub async fn setback_update(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let form = SetbackForm::read(&p);
    let mut problems = Invalid::default();
    let input = form.input(&mut problems);
    let version: i64 = field(&p, "version").parse().unwrap_or(-1);
    let result = match input {
        Some(input) if problems.is_empty() => app.update_setback(user.person(), id, version, &input).await,
        _ => Err(AppError::Invalid(problems)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/setbacks/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(e)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &setback_view(&app, &user, id, Some(form), e, "", String::new()).await?))
        }
        Err(AppError::Conflict(m)) => {
            Ok(render(StatusCode::CONFLICT, &setback_view(&app, &user, id, Some(form), Invalid::default(), "", m).await?))
        }
        Err(e) => Err(e.into()),
    }
}
