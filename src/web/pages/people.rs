//! People: the directory, a profile, adding and editing, the CSV import, invitations and
//! the org chart.

use super::{Chrome, Form, ok, render};
use crate::app::people::{ImportSummary, OrgChart, PeoplePage, PersonInput, PersonPatch, Profile};
use crate::app::{App, AppError};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeopleList {
    c: Chrome,
    q: String,
    list: PeoplePage,
    is_admin: bool,
    summary: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// What is wrong with the search, shown next to it.
    q_error: Option<String>,
}

pub const PAGE_SIZE: u32 = 50;

pub async fn list(State(app): State<App>, user: CurrentUser, Query(q): Query<ListQuery>) -> PageResult {
    let list = match app.list_people(user.person(), &q.q, q.page.unwrap_or(1), PAGE_SIZE).await {
        Ok(list) => list,
        Err(AppError::Invalid(errors)) => {
            // The search box comes back with the message next to it (and no one listed).
            let page = PeopleList {
                c: Chrome::for_user(&user.0, "People", "people"),
                q: q.q.clone(),
                is_admin: user.person().is_admin,
                list: PeoplePage { people: vec![], total: 0, page: crate::domain::Page { number: 1, size: PAGE_SIZE } },
                summary: String::new(),
                prev_href: None,
                next_href: None,
                q_error: errors.message_for("q").map(str::to_string).or_else(|| Some(errors.to_string())),
            };
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
        Err(e) => return Err(e.into()),
    };
    let number = list.page.number;
    let shown_to = ((number - 1) * PAGE_SIZE) as i64 + list.people.len() as i64;
    let summary = match list.total {
        0 => String::new(),
        1 => "1 person".to_string(),
        t if t <= PAGE_SIZE as i64 => format!("{t} people"),
        t => format!("{}–{} of {t} people", (number - 1) * PAGE_SIZE + 1, shown_to),
    };
    let href = |n: u32| {
        let q_enc: String = form_urlencoded::byte_serialize(q.q.as_bytes()).collect();
        if q.q.is_empty() { format!("/people?page={n}") } else { format!("/people?q={q_enc}&page={n}") }
    };
    let prev_href = (number > 1).then(|| href(number - 1));
    let next_href = (shown_to < list.total).then(|| href(number + 1));
    Ok(ok(&PeopleList {
        c: Chrome::for_user(&user.0, "People", "people"),
        q: q.q.clone(),
        is_admin: user.person().is_admin,
        list,
        summary,
        prev_href,
        next_href,
        q_error: None,
    }))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    p: Profile,
    local_time: String,
    notice: Option<String>,
    /// Whether to link to their "how to work with me" (one's own, or one shared with the viewer).
    work_with_me: bool,
    /// The viewer's regular 1:1s with this person, if any (not for one's own profile).
    series_with: Option<Uuid>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    done: String,
}

pub async fn show(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<ShowQuery>) -> PageResult {
    let p = app.profile(user.person(), PersonId(id)).await?;
    let nav = if p.person.id == user.person().id { "me" } else { "people" };
    let local_time = app.clock.now().with_timezone(&p.person.timezone.tz()).format("%H:%M on %A").to_string();
    let work_with_me = super::program::work_with_me_link(&app, user.person(), &p.person).await?;
    let series_with = if p.person.id == user.person().id { None } else { app.series_with(user.person(), &p.person).await? };
    let c = Chrome::for_user(&user.0, &p.person.name.clone(), nav);
    // A confirmation after the form that led here.
    let notice = match q.done.as_str() {
        "added" if p.can_invite => Some(format!("{} is added. Create an invitation link below so they can sign in.", p.person.name)),
        "added" => Some(format!("{} is added.", p.person.name)),
        "saved" => Some("Saved.".to_string()),
        _ => None,
    };
    Ok(ok(&PersonPage { c, p, local_time, notice, work_with_me, series_with }))
}

/// The person form's values as typed, so a refused form shows them again.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    name: String,
    email: String,
    title: String,
    timezone: String,
    manager_id: String,
    #[serde(deserialize_with = "checkbox")]
    is_admin: bool,
    version: Option<i64>,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.is_some_and(|v| v == "on" || v == "true"))
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    c: Chrome,
    heading: String,
    action: String,
    submit: &'static str,
    cancel: String,
    f: PersonForm,
    errors: Invalid,
    all_fields: bool,
    managers: ManagerPicker,
}

/// Up to this many people, the manager is chosen from a list of everyone; above it, typed as an
/// e-mail address (a list of ten thousand names helps nobody and weighs a megabyte).
pub const MANAGER_LIST_MAX: i64 = 300;

/// How the form asks for the manager.
#[derive(Default)]
struct ManagerPicker {
    /// (id, "Name (title)") for everyone but the person edited; empty when `by_email`.
    list: Vec<(String, String)>,
    by_email: bool,
    /// For `by_email`: the current manager's e-mail address, or what was typed.
    email: String,
}

/// The manager field for a form whose current value is `current` (an id, or a typed e-mail
/// address after a mistake). `except` leaves out the person edited.
async fn manager_picker(app: &App, actor: &Person, except: Option<PersonId>, current: &str) -> Result<ManagerPicker, PageError> {
    match app.manager_choices_up_to(actor, MANAGER_LIST_MAX).await? {
        Some(all) => Ok(ManagerPicker {
            list: all
                .into_iter()
                .filter(|(id, _, _)| Some(*id) != except)
                .map(|(id, name, title)| (id.to_string(), if title.is_empty() { name } else { format!("{name} ({title})") }))
                .collect(),
            ..Default::default()
        }),
        None => {
            let email = match Uuid::parse_str(current.trim()) {
                Ok(id) => app.person(actor, PersonId(id)).await.map(|p| p.email).unwrap_or_default(),
                Err(_) => current.trim().to_string(),
            };
            Ok(ManagerPicker { list: vec![], by_email: true, email })
        }
    }
}

/// The manager as the form sent it: an id from the list, or an e-mail address typed in a large
/// organisation.
async fn resolve_manager(app: &App, actor: &Person, raw: &str, errors: &mut Invalid) -> Result<Option<PersonId>, PageError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = Uuid::parse_str(raw) {
        return Ok(Some(PersonId(id)));
    }
    if raw.contains('@') {
        match app.person_by_email(actor, raw).await {
            Ok(p) => return Ok(Some(p.id)),
            Err(AppError::NotFound) => {
                errors.push(FieldError::new("manager_id", format!("No one in rapport has the e-mail address {raw}.")));
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        }
    }
    errors.push(FieldError::new("manager_id", "Choose a manager from the list, or type their e-mail address."));
    Ok(None)
}

pub async fn new_page(State(app): State<App>, user: CurrentUser) -> PageResult {
    app.require_admin(user.person())?;
    let managers = manager_picker(&app, user.person(), None, "").await?;
    let f = PersonForm { timezone: user.person().timezone.to_string(), ..Default::default() };
    Ok(ok(&PersonFormPage {
        c: Chrome::for_user(&user.0, "Add person", "people"),
        heading: "Add a person".into(),
        action: "/people/new".into(),
        submit: "Add person",
        cancel: "/people".into(),
        f,
        errors: Invalid::default(),
        all_fields: true,
        managers,
    }))
}

pub async fn create(State(app): State<App>, user: CurrentUser, Form(f): Form<PersonForm>) -> PageResult {
    let mut errors = Invalid::default();
    let manager_id = resolve_manager(&app, user.person(), &f.manager_id, &mut errors).await?;
    let result = if errors.is_empty() {
        app.create_person(
            user.person(),
            PersonInput {
                name: f.name.clone(),
                email: f.email.clone(),
                title: f.title.clone(),
                timezone: f.timezone.clone(),
                manager_id,
                is_admin: f.is_admin,
            },
        )
        .await
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/people/{}?done=added", p.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let managers = manager_picker(&app, user.person(), None, &f.manager_id).await?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PersonFormPage {
                    c: Chrome::for_user(&user.0, "Add person", "people"),
                    heading: "Add a person".into(),
                    action: "/people/new".into(),
                    submit: "Add person",
                    cancel: "/people".into(),
                    f,
                    errors,
                    all_fields: true,
                    managers,
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(app: &App, user: &CurrentUser, person: &Person, f: PersonForm, errors: Invalid, status: StatusCode) -> PageResult {
    let profile = app.profile(user.person(), person.id).await?;
    if !profile.can_edit_all && !profile.can_edit_own {
        return Err(AppError::NotFound.into());
    }
    let managers = if profile.can_edit_all {
        manager_picker(app, user.person(), Some(person.id), &f.manager_id).await?
    } else {
        ManagerPicker::default()
    };
    Ok(render(
        status,
        &PersonFormPage {
            c: Chrome::for_user(&user.0, &format!("Edit {}", person.name), "people"),
            heading: format!("Edit {}", person.name),
            action: format!("/people/{}/edit", person.id),
            submit: "Save changes",
            cancel: format!("/people/{}", person.id),
            f,
            errors,
            all_fields: profile.can_edit_all,
            managers,
        },
    ))
}

pub async fn edit_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    let p = app.person(user.person(), PersonId(id)).await?;
    let f = PersonForm {
        name: p.name.clone(),
        email: p.email.clone(),
        title: p.title.clone(),
        timezone: p.timezone.to_string(),
        manager_id: p.manager_id.map(|m| m.to_string()).unwrap_or_default(),
        is_admin: p.is_admin,
        version: Some(p.version),
    };
    edit_form(&app, &user, &p, f, Invalid::default(), StatusCode::OK).await
}

pub async fn update(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PersonForm>) -> PageResult {
    let current = app.person(user.person(), PersonId(id)).await?;
    let profile = app.profile(user.person(), current.id).await?;
    let mut errors = Invalid::default();
    let mut patch = PersonPatch { name: Some(f.name.clone()), timezone: Some(f.timezone.clone()), ..Default::default() };
    if profile.can_edit_all {
        patch.email = Some(f.email.clone());
        patch.title = Some(f.title.clone());
        patch.manager_id = Some(resolve_manager(&app, user.person(), &f.manager_id, &mut errors).await?);
        patch.is_admin = Some(f.is_admin);
    }
    let result = match (errors.is_empty(), f.version) {
        (false, _) => Err(AppError::Invalid(errors)),
        (true, None) => Err(AppError::Invalid(Invalid::one("version", "This form is incomplete; reload the page."))),
        (true, Some(v)) => app.update_person(user.person(), current.id, patch, v).await,
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/people/{}?done=saved", p.id)).into_response()),
        Err(AppError::Invalid(errors)) => edit_form(&app, &user, &current, f, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(AppError::Conflict(message)) => {
            // Show the current values and say why: nothing the other person saved is lost.
            let fresh = app.person(user.person(), current.id).await?;
            let f = PersonForm {
                name: fresh.name.clone(),
                email: fresh.email.clone(),
                title: fresh.title.clone(),
                timezone: fresh.timezone.to_string(),
                manager_id: fresh.manager_id.map(|m| m.to_string()).unwrap_or_default(),
                is_admin: fresh.is_admin,
                version: Some(fresh.version),
            };
            edit_form(&app, &user, &fresh, f, Invalid::one("version", message), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "invite_link.html")]
struct InviteLinkPage {
    c: Chrome,
    person: Person,
    link: String,
    expires: String,
    emailed: bool,
}

pub async fn invite(State(app): State<App>, user: CurrentUser, headers: axum::http::HeaderMap, Path(id): Path<Uuid>) -> PageResult {
    // From the page the link is e-mailed as well whenever rapport can send e-mail.
    let inv = app.invite_with(user.person(), PersonId(id), true).await?;
    let link = format!("{}/invite/{}", crate::web::base_url(&app, &headers), inv.token);
    let expires = inv.expires_at.format("%A %-d %B %Y, %H:%M UTC").to_string();
    Ok(ok(&InviteLinkPage {
        c: Chrome::for_user(&user.0, "Invitation", "people"),
        person: inv.person,
        link,
        expires,
        emailed: inv.emailed,
    }))
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    summary: Option<ImportSummary>,
    errors: Vec<FieldError>,
    pasted: String,
}

pub async fn import_page(State(app): State<App>, user: CurrentUser) -> PageResult {
    app.require_admin(user.person())?;
    Ok(ok(&ImportPage { c: Chrome::for_user(&user.0, "Import people", "people"), summary: None, errors: vec![], pasted: String::new() }))
}

pub async fn import_submit(State(app): State<App>, user: CurrentUser, mut form: Multipart) -> PageResult {
    app.require_admin(user.person())?;
    let mut file: Vec<u8> = Vec::new();
    let mut pasted = String::new();
    let mut apply = false;
    let bad = |m: String| AppError::Invalid(Invalid::one("file", m));
    while let Some(field) = form.next_field().await.map_err(|e| bad(format!("The upload could not be read: {e}")))? {
        match field.name() {
            Some("file") => file = field.bytes().await.map_err(|e| bad(format!("The file could not be read: {e}")))?.to_vec(),
            Some("csv") => pasted = field.text().await.unwrap_or_default(),
            Some("mode") => apply = field.text().await.unwrap_or_default() == "import",
            _ => {}
        }
    }
    let bytes = if !file.is_empty() { file } else { pasted.clone().into_bytes() };
    let c = Chrome::for_user(&user.0, "Import people", "people");
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let errors = vec![FieldError::new("file", "Choose a CSV file or paste its rows first.")];
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &ImportPage { c, summary: None, errors, pasted }));
    }
    match app.import_people(user.person(), &bytes, apply).await {
        Ok(summary) => {
            Ok(ok(&ImportPage { c, summary: Some(summary), errors: vec![], pasted: if summary.applied { String::new() } else { pasted } }))
        }
        Err(AppError::Invalid(i)) => Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &ImportPage { c, summary: None, errors: i.0, pasted })),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct OrgQuery {
    focus: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    c: Chrome,
    chart: OrgChart,
    me: PersonId,
}

pub async fn org(State(app): State<App>, user: CurrentUser, Query(q): Query<OrgQuery>) -> PageResult {
    let mut chart = app.org_chart(user.person(), q.focus.map(PersonId)).await?;
    // An organisation with one person at the top opens on them.
    if q.focus.is_none() && chart.below.len() == 1 {
        chart = app.org_chart(user.person(), Some(chart.below[0].person.id)).await?;
    }
    Ok(ok(&OrgPage { c: Chrome::for_user(&user.0, "Org chart", "org"), chart, me: user.person().id }))
}
