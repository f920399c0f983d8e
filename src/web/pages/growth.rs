//! Growth pages: career frameworks (list, one framework, import with a preview), and a
//! person's growth (expectations now and next, assessments, strengths, plans, readiness).

use super::{Chrome, Form, ok, render};
use crate::app::growth::{GrowthView, ImportOutcome};
use crate::app::{App, AppError};
use crate::domain::day::FormDay;
use crate::domain::framework::Format;
use crate::domain::growth::{FrameworkInfo, FrameworkVersion, Rating};
use crate::domain::policy::Relation;
use crate::domain::{FieldError, Invalid, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::charts::ReadinessChart;
use crate::web::error::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

// ---- frameworks ----

#[derive(Template)]
#[template(path = "frameworks.html")]
struct FrameworksPage {
    c: Chrome,
    frameworks: Vec<FrameworkInfo>,
    /// Archived ones (shown to admins, who may restore or delete them).
    archived: Vec<FrameworkInfo>,
    is_admin: bool,
    /// A refused delete: which framework, and why.
    refused: Option<(Uuid, String)>,
}

impl FrameworksPage {
    fn in_use(&self, f: &FrameworkInfo) -> String {
        crate::app::frameworks::in_use(f)
    }
    fn refused_for(&self, f: &FrameworkInfo) -> Option<&str> {
        self.refused.as_ref().filter(|(id, _)| *id == f.id).map(|(_, m)| m.as_str())
    }
}

async fn frameworks_page(app: &App, user: &CurrentUser, refused: Option<(Uuid, String)>) -> PageResult {
    let (archived, frameworks) = app.frameworks(user.person()).await?.into_iter().partition(|f| f.archived_at.is_some());
    let is_admin = user.person().is_admin;
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = FrameworksPage {
        c: Chrome::for_user(&user.0, "Career frameworks", "frameworks"),
        frameworks,
        archived: if is_admin { archived } else { vec![] },
        is_admin,
        refused,
    };
    Ok(render(status, &page))
}

pub async fn list(State(app): State<App>, user: CurrentUser) -> PageResult {
    frameworks_page(&app, &user, None).await
}

pub async fn archive(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    app.archive_framework(user.person(), id).await?;
    Ok(Redirect::to("/frameworks").into_response())
}

pub async fn restore(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    app.restore_framework(user.person(), id).await?;
    Ok(Redirect::to("/frameworks").into_response())
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

pub async fn delete(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<DeleteForm>) -> PageResult {
    let result = if f.confirm == "yes" {
        app.delete_framework(user.person(), id).await
    } else {
        app.require_admin(user.person())?;
        Err(AppError::Invalid(Invalid::one("confirm", "Tick the box to confirm that it goes for good.")))
    };
    match result {
        Ok(()) => Ok(Redirect::to("/frameworks").into_response()),
        Err(AppError::Invalid(i)) => {
            let message = i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ");
            frameworks_page(&app, &user, Some((id, message))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<i64>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage {
    c: Chrome,
    v: FrameworkVersion,
    versions: Vec<(i64, chrono::DateTime<chrono::Utc>)>,
    latest: i64,
}

pub async fn show(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<VersionQuery>) -> PageResult {
    let (v, versions) = app.framework(user.person(), id, q.version).await?;
    let latest = versions.first().map(|x| x.0).unwrap_or(v.number);
    Ok(ok(&FrameworkPage { c: Chrome::for_user(&user.0, &v.framework.name.clone(), "frameworks"), v, versions, latest }))
}

pub async fn export(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<VersionQuery>) -> PageResult {
    let format = q.format.as_deref().and_then(Format::parse).unwrap_or(Format::Yaml);
    let (file, text) = app.export_framework(user.person(), id, q.version, format).await?;
    Ok(crate::web::download::attachment(format.content_type(), &file, text))
}

#[derive(Template)]
#[template(path = "framework_import.html")]
struct ImportPage {
    c: Chrome,
    outcome: Option<ImportOutcome>,
    errors: Vec<FieldError>,
    text: String,
    format: String,
    name: String,
}

pub async fn import_page(State(app): State<App>, user: CurrentUser) -> PageResult {
    app.require_admin(user.person())?;
    Ok(ok(&ImportPage {
        c: Chrome::for_user(&user.0, "Import a framework", "frameworks"),
        outcome: None,
        errors: vec![],
        text: String::new(),
        format: "yaml".into(),
        name: String::new(),
    }))
}

pub async fn import_submit(State(app): State<App>, user: CurrentUser, mut form: Multipart) -> PageResult {
    app.require_admin(user.person())?;
    let (mut file, mut file_name, mut text, mut format, mut name, mut apply) =
        (Vec::new(), String::new(), String::new(), String::new(), String::new(), false);
    let bad = |m: String| AppError::Invalid(Invalid::one("file", m));
    while let Some(field) = form.next_field().await.map_err(|e| bad(format!("The upload could not be read: {e}")))? {
        match field.name() {
            Some("file") => {
                file_name = field.file_name().unwrap_or_default().to_string();
                file = field.bytes().await.map_err(|e| bad(format!("The file could not be read: {e}")))?.to_vec()
            }
            Some("text") => text = field.text().await.unwrap_or_default(),
            Some("format") => format = field.text().await.unwrap_or_default(),
            Some("name") => name = field.text().await.unwrap_or_default(),
            Some("mode") => apply = field.text().await.unwrap_or_default() == "import",
            _ => {}
        }
    }
    // A chosen file wins over pasted text; its extension tells the format.
    let from_file = !file.is_empty();
    if from_file {
        if let Some(f) = Format::from_file_name(&file_name) {
            format = f.as_str().into();
        }
        if name.trim().is_empty() {
            name = file_name.rsplit_once('.').map(|(s, _)| s.to_string()).unwrap_or_default();
        }
    }
    let bytes = if from_file { file } else { text.clone().into_bytes() };
    let fmt = Format::parse(&format).unwrap_or(Format::Yaml);
    let c = Chrome::for_user(&user.0, "Import a framework", "frameworks");
    // What the form shows again: the text, when it is text.
    let shown = String::from_utf8(bytes.clone()).unwrap_or_default();
    let page = |outcome, errors| ImportPage { c, outcome, errors, text: shown.clone(), format: fmt.as_str().into(), name: name.clone() };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(None, vec![FieldError::new("file", "Choose a file or paste a framework first.")]),
        ));
    }
    match app.import_framework(user.person(), &bytes, fmt, &name, apply).await {
        // People placed on a level the new version does not have: say so rather than move on.
        Ok(o) if o.applied && o.vanished_levels.is_empty() => {
            Ok(Redirect::to(&format!("/frameworks/{}?imported=1", o.framework_id)).into_response())
        }
        Ok(o) => Ok(ok(&page(Some(o), vec![]))),
        Err(AppError::Invalid(i)) => Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(None, i.0))),
        Err(e) => Err(e.into()),
    }
}

// ---- a person's growth ----

#[derive(Template)]
#[template(path = "growth.html")]
struct GrowthPage {
    c: Chrome,
    g: GrowthView,
    errors: Vec<FieldError>,
    /// The form the errors belong to ("step:<plan id>", "assess:<competency>", …; see
    /// [`after`]): they are shown in it, next to its fields. Empty: at the top of the page.
    refused: String,
    chart: ReadinessChart,
    names: std::collections::HashMap<Uuid, String>,
    manager_name: String,
}

impl GrowthPage {
    /// The messages to show in the form `kind` (of the plan, step or competency `of`), when it
    /// is the one refused.
    fn refused_in(&self, kind: &str, of: impl std::fmt::Display) -> Vec<&str> {
        if self.refused == format!("{kind}:{of}") { self.errors.iter().map(|e| e.message.as_str()).collect() } else { vec![] }
    }
    /// Whether `field` of that form was refused (marked for assistive technology).
    fn invalid(&self, kind: &str, of: impl std::fmt::Display, field: &str) -> bool {
        self.refused == format!("{kind}:{of}") && self.errors.iter().any(|e| e.field == field)
    }
    fn name_of(&self, id: &Uuid) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| "Someone".into())
    }
    fn rating_label(&self, r: &Option<Rating>) -> &'static str {
        match r {
            Some(r) => r.label(),
            None => "not yet assessed",
        }
    }
    /// The rating the assessment form starts at for a competency: the viewer's own latest
    /// assessment of it, so saving new evidence never changes the rating unasked; "meets"
    /// when there is none yet.
    fn starts_at(&self, e: &crate::app::growth::ExpectationRow, r: &Rating) -> bool {
        let latest = match self.g.assess_as {
            Some(crate::domain::growth::AssessmentKind::SelfAssessment) => e.latest_self,
            _ => e.latest_manager,
        };
        latest.unwrap_or(Rating::Meets) == *r
    }
    /// A rating as an option of the form: "Meets expectations".
    fn option_label(&self, r: &Rating) -> String {
        let label = r.label();
        label[..1].to_uppercase() + &label[1..]
    }
    fn level_value(&self, f: &FrameworkVersion, level: &str) -> String {
        format!("{}|{}", f.framework_id, level)
    }
    fn is_current(&self, f: &FrameworkVersion, level: &str) -> bool {
        self.g.level.as_ref().is_some_and(|l| l.framework_id == f.framework_id && l.level == level)
    }
    /// Whether one of the select's levels is theirs (else it starts at "Choose a level").
    fn has_current(&self) -> bool {
        self.g.frameworks.iter().any(|f| f.framework.levels().iter().any(|l| self.is_current(f, l.name)))
    }
}

async fn growth_page(app: &App, user: &CurrentUser, id: PersonId, errors: Vec<FieldError>, refused: String) -> PageResult {
    let g = app.growth(user.person(), id).await?;
    // Only the names the page shows: the manager, and who wrote or owns each strength, step and update.
    let named = g
        .person
        .manager_id
        .map(|m| m.0)
        .into_iter()
        .chain(g.strengths.iter().map(|s| s.author_id))
        .chain(g.plans.iter().flat_map(|p| p.steps.iter().map(|s| s.owner_id).chain(p.updates.iter().map(|u| u.author_id))));
    let names = app.names_of(user.person(), named.collect()).await?;
    let manager_name = g.person.manager_id.and_then(|m| names.get(&m.0).cloned()).unwrap_or_default();
    let chart = ReadinessChart::new(&g.history);
    let title = format!("Growth · {}", g.person.name);
    let nav = if g.relation == Relation::Themselves { "me" } else { "people" };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &GrowthPage { c: Chrome::for_user(&user.0, &title, nav), g, errors, refused, chart, names, manager_name }))
}

pub async fn growth(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    growth_page(&app, &user, PersonId(id), vec![], String::new()).await
}

/// After a change: back to the growth page, or the page again with what was wrong shown in
/// the form that was sent (`form`: its kind and what it is about, as "step:<plan id>").
async fn after(app: &App, user: &CurrentUser, id: PersonId, result: Result<(), AppError>, anchor: &str, form: String) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}/growth#{anchor}", id.0)).into_response()),
        Err(AppError::Invalid(i)) => growth_page(app, user, id, i.0, form).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LevelForm {
    level: String,
}

pub async fn set_level(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<LevelForm>) -> PageResult {
    let (fw, level) = f.level.split_once('|').unwrap_or(("", ""));
    let fw = Uuid::parse_str(fw).unwrap_or_default();
    let r = app.set_level(user.person(), PersonId(id), fw, level).await.map(|_| ());
    after(&app, &user, PersonId(id), r, "level", "level:".into()).await
}

#[derive(Deserialize)]
pub struct ShareForm {
    shared: String,
}

pub async fn share(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ShareForm>) -> PageResult {
    let r = app.set_growth_shared(user.person(), PersonId(id), f.shared == "1").await;
    after(&app, &user, PersonId(id), r, "sharing", String::new()).await
}

#[derive(Deserialize)]
pub struct AssessForm {
    competency: String,
    rating: String,
    #[serde(default)]
    evidence: String,
}

pub async fn assess(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<AssessForm>) -> PageResult {
    let r = app.assess(user.person(), PersonId(id), &f.competency, &f.rating, &f.evidence).await.map(|_| ());
    after(&app, &user, PersonId(id), r, "expectations", format!("assess:{}", f.competency)).await
}

#[derive(Deserialize)]
pub struct DiscussForm {
    competency: String,
}

pub async fn discuss(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<DiscussForm>) -> PageResult {
    match app.discuss_difference(user.person(), PersonId(id), &f.competency).await {
        Ok(meeting) => Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response()),
        Err(e) => after(&app, &user, PersonId(id), Err(e), "discuss", format!("discuss:{}", f.competency)).await,
    }
}

#[derive(Deserialize)]
pub struct StrengthForm {
    name: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    how_used: String,
}

pub async fn add_strength(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<StrengthForm>) -> PageResult {
    let r = app.add_strength(user.person(), PersonId(id), &f.name, &f.evidence, &f.how_used).await.map(|_| ());
    after(&app, &user, PersonId(id), r, "strengths", "strength:".into()).await
}

#[derive(Deserialize)]
pub struct PlanForm {
    kind: String,
    title: String,
    #[serde(default)]
    goals: String,
}

pub async fn add_plan(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<PlanForm>) -> PageResult {
    let r = app.create_plan(user.person(), PersonId(id), &f.kind, &f.title, &f.goals).await.map(|_| ());
    after(&app, &user, PersonId(id), r, "plans", "plan:".into()).await
}

#[derive(Deserialize)]
pub struct StepForm {
    person: Uuid,
    body: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_date: FormDay,
}

pub async fn add_step(State(app): State<App>, user: CurrentUser, Path(plan): Path<Uuid>, Form(f): Form<StepForm>) -> PageResult {
    let owner = Uuid::parse_str(&f.owner).ok().map(PersonId);
    let mut errors = Invalid::default();
    let due = f.due_date.day("due_on", &mut errors);
    let r = match errors.into_result() {
        Ok(()) => app.add_step(user.person(), plan, &f.body, owner, due).await.map(|_| ()),
        Err(e) => Err(AppError::Invalid(e)),
    };
    after(&app, &user, PersonId(f.person), r, &format!("plan-{plan}"), format!("step:{plan}")).await
}

#[derive(Deserialize)]
pub struct UpdateForm {
    person: Uuid,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    obstacles: String,
    #[serde(default)]
    next_steps: String,
}

pub async fn add_update(State(app): State<App>, user: CurrentUser, Path(plan): Path<Uuid>, Form(f): Form<UpdateForm>) -> PageResult {
    let r = app.add_plan_update(user.person(), plan, &f.progress, &f.obstacles, &f.next_steps).await.map(|_| ());
    after(&app, &user, PersonId(f.person), r, &format!("plan-{plan}"), format!("update:{plan}")).await
}

#[derive(Deserialize)]
pub struct DoneForm {
    person: Uuid,
    done: String,
}

pub async fn step_done(State(app): State<App>, user: CurrentUser, Path(step): Path<Uuid>, Form(f): Form<DoneForm>) -> PageResult {
    let r = app.set_step_done(user.person(), step, f.done == "1").await;
    after(&app, &user, PersonId(f.person), r, "plans", String::new()).await
}
