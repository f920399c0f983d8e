//! Feedback and review pages: your feedback (give, share a draft), review periods (admins
//! define them), a person's review for a period on top of their packet (the manager writes
//! statements, sees which would be new to the person, shares; the person reads, acknowledges
//! and answers), and the packet as print-ready HTML, Markdown or JSON.

use super::evidence::{Group, Item, Month, Picker};
use super::time::Words;
use super::{Chrome, Form, render};
use crate::app::reviews::{FeedbackInput, FeedbackItem, ReviewView};
use crate::app::{App, AppError};
use crate::domain::day::FormDay;
use crate::domain::review::{EvidenceKind, EvidenceRef, Packet, ReviewPeriod, Statement, packet_markdown};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

// ---- feedback ----

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    c: Chrome,
    me: Uuid,
    items: Vec<FeedbackItem>,
    manager: Option<Person>,
    reports: Vec<Person>,
    errors: Vec<FieldError>,
    /// Who the form is for: chosen on the page that led here (`?to=`), or as typed before a
    /// refusal. Nobody by default: feedback goes to the person you choose.
    chosen: String,
    /// What was typed, shown again after a refusal.
    body: String,
}

async fn feedback_page(app: &App, user: &CurrentUser, errors: Vec<FieldError>, to: Option<Uuid>, body: String) -> PageResult {
    let items = app.my_feedback(user.person()).await?;
    let (manager, reports) = app.feedback_partners(user.person()).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let c = Chrome::for_user(&user.0, "Feedback", "feedback");
    let chosen = to.map(|id| id.to_string()).unwrap_or_default();
    Ok(render(status, &FeedbackPage { c, me: user.person().id.0, items, manager, reports, errors, chosen, body }))
}

#[derive(Deserialize)]
pub struct FeedbackQuery {
    #[serde(default)]
    to: Option<Uuid>,
}

pub async fn feedback(State(app): State<App>, user: CurrentUser, Query(q): Query<FeedbackQuery>) -> PageResult {
    feedback_page(&app, &user, vec![], q.to, String::new()).await
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    receiver_id: String,
    kind: String,
    body: String,
    #[serde(default)]
    meeting_id: Option<Uuid>,
    #[serde(default)]
    competency: String,
    /// "share" or "draft".
    #[serde(default)]
    share: String,
    /// Where to go back to (a meeting page), when given from there.
    #[serde(default)]
    back: String,
}

pub async fn give(State(app): State<App>, user: CurrentUser, Form(f): Form<FeedbackForm>) -> PageResult {
    let Ok(receiver_id) = Uuid::parse_str(f.receiver_id.trim()) else {
        let errors = vec![FieldError::new("receiver_id", "Choose who this feedback is for.")];
        return feedback_page(&app, &user, errors, None, f.body).await;
    };
    let typed = f.body.clone();
    let input = FeedbackInput {
        receiver_id,
        kind: f.kind,
        body: f.body,
        meeting_id: f.meeting_id,
        competency: Some(f.competency).filter(|c| !c.trim().is_empty()),
        plan_id: None,
        share: f.share == "share",
    };
    let back = if f.back.starts_with("/meetings/") { f.back.clone() } else { "/feedback".to_string() };
    match app.give_feedback(user.person(), input).await {
        Ok(_) => Ok(Redirect::to(&format!("{back}#feedback")).into_response()),
        Err(AppError::Invalid(i)) => feedback_page(&app, &user, i.0, Some(receiver_id), typed).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn share(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    app.share_feedback(user.person(), id).await?;
    Ok(Redirect::to("/feedback").into_response())
}

// ---- periods and the list of reviews ----

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    c: Chrome,
    me: Uuid,
    periods: Vec<ReviewPeriod>,
    reports: Vec<Person>,
    is_admin: bool,
    errors: Vec<FieldError>,
}

async fn reviews_page(app: &App, user: &CurrentUser, errors: Vec<FieldError>) -> PageResult {
    let periods = app.review_periods(user.person()).await?;
    let (_, reports) = app.feedback_partners(user.person()).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(
        status,
        &ReviewsPage {
            c: Chrome::for_user(&user.0, "Reviews", "reviews"),
            me: user.person().id.0,
            periods,
            reports,
            is_admin: user.person().is_admin,
            errors,
        },
    ))
}

pub async fn reviews(State(app): State<App>, user: CurrentUser) -> PageResult {
    reviews_page(&app, &user, vec![]).await
}

#[derive(Deserialize)]
pub struct PeriodForm {
    name: String,
    starts_on: FormDay,
    ends_on: FormDay,
}

pub async fn create_period(State(app): State<App>, user: CurrentUser, Form(f): Form<PeriodForm>) -> PageResult {
    let mut errors = Invalid::default();
    let (s, e) = (f.starts_on.required("starts_on", &mut errors), f.ends_on.required("ends_on", &mut errors));
    let created = match (s, e) {
        (Some(s), Some(e)) => app.create_review_period(user.person(), &f.name, s, e).await,
        _ => Err(AppError::Invalid(errors)),
    };
    match created {
        Ok(_) => Ok(Redirect::to("/reviews").into_response()),
        Err(AppError::Invalid(i)) => reviews_page(&app, &user, i.0).await,
        Err(e) => Err(e.into()),
    }
}

// ---- one review ----

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    c: Chrome,
    v: ReviewView,
    /// The packet, for the manager writing (evidence to choose from) and for the person.
    packet: Option<Packet>,
    /// The evidence to choose from, for the manager writing.
    picker: Option<Picker>,
    /// The statement whose edit form is open (`?edit=`, after a search from it).
    edit: String,
    is_self: bool,
    errors: Vec<FieldError>,
}

/// A statement's number as the template hands it over (a number, or a reference to one).
trait Num: Copy {
    fn num(self) -> usize;
}

impl Num for usize {
    fn num(self) -> usize {
        self
    }
}

impl<T: Num> Num for &T {
    fn num(self) -> usize {
        (*self).num()
    }
}

/// A piece of evidence as the reader sees it: what it is, and where to look (empty when the
/// record has no page of its own).
pub struct EvidenceLink {
    pub label: String,
    pub href: String,
}

impl ReviewPage {
    fn base(&self) -> String {
        format!("/people/{}/reviews/{}", self.v.person_id, self.v.period.id)
    }

    /// Whether a statement links this piece of evidence (to tick its box in the edit form).
    fn links(&self, s: &Statement, kind: &str, id: &Uuid) -> bool {
        s.evidence.iter().any(|e| e.kind.as_str() == kind && e.id == *id)
    }

    /// The statement of a picker: the `si`th (from 1), or none for the form adding one (0).
    fn statement(&self, si: impl Num) -> Option<&Statement> {
        si.num().checked_sub(1).and_then(|i| self.v.statements.get(i)).map(|c| &c.statement)
    }

    /// Whether the `si`th statement links an item (none does for the add form).
    fn chosen(&self, si: impl Num, it: &Item) -> bool {
        self.statement(si.num()).is_some_and(|s| self.links(s, it.kind, &it.id))
    }

    /// Whether an item is offered in the `si`th picker: it matches the search, or is chosen.
    fn shows(&self, si: impl Num, it: &Item) -> bool {
        self.picker.as_ref().is_some_and(|p| p.matches(it)) || self.chosen(si.num(), it)
    }

    fn group_shows(&self, si: impl Num, g: &Group) -> bool {
        g.items.iter().any(|it| self.shows(si.num(), it))
    }

    fn month_shows(&self, si: impl Num, m: &Month) -> bool {
        m.groups.iter().any(|g| self.group_shows(si.num(), g))
    }

    fn any_shows(&self, si: impl Num) -> bool {
        self.picker.as_ref().is_some_and(|p| p.months.iter().any(|m| self.month_shows(si.num(), m)))
    }

    fn group_chosen(&self, si: impl Num, g: &Group) -> usize {
        g.items.iter().filter(|it| self.chosen(si.num(), it)).count()
    }

    /// A month starts open when it is the newest, when searching, or when it holds a chosen item.
    fn month_open(&self, si: impl Num, m: &Month, place: impl Num) -> bool {
        place.num() == 0
            || self.picker.as_ref().is_some_and(|p| !p.q.is_empty())
            || m.groups.iter().any(|g| self.group_chosen(si.num(), g) > 0)
    }

    /// Names a statement's evidence from the period's record (the packet), so the reader sees
    /// "Shared notes of the 1:1 on 3 March", not an identifier.
    fn evidence_link(&self, e: &EvidenceRef) -> EvidenceLink {
        let day = |d: chrono::DateTime<chrono::Utc>| d.format("%-d %B %Y").to_string();
        let found = self.packet.as_ref().and_then(|p| match e.kind {
            EvidenceKind::Feedback => p.feedback.iter().find(|f| f.feedback.id == e.id).map(|f| EvidenceLink {
                label: format!("feedback from {} to {}, {}", f.giver_name, f.receiver_name, f.feedback.shared_on()),
                href: String::new(),
            }),
            EvidenceKind::Note => p.meetings.iter().find(|m| m.id == e.id).map(|m| EvidenceLink {
                label: format!("shared notes of the 1:1 on {}", day(m.starts_at)),
                href: format!("/meetings/{}", m.id),
            }),
            EvidenceKind::Assessment => p.assessments.iter().find(|a| a.id == e.id).map(|a| EvidenceLink {
                label: format!("assessment of {} on {}", a.competency, day(a.created_at)),
                href: format!("/people/{}/growth", self.v.person_id),
            }),
        });
        found.unwrap_or_else(|| match e.kind {
            // A 1:1 that is not in the period's list (not marked as held) still has its page.
            EvidenceKind::Note => EvidenceLink { label: "shared notes of a 1:1".into(), href: format!("/meetings/{}", e.id) },
            kind => EvidenceLink { label: format!("{} not in this period's record", kind.as_str()), href: String::new() },
        })
    }
}

async fn review_page(app: &App, user: &CurrentUser, person: Uuid, period: Uuid, errors: Vec<FieldError>, q: ReviewQuery) -> PageResult {
    let v = app.review(user.person(), PersonId(person), period).await?;
    // The picker's evidence, each piece as the writer may read it directly; the record alone otherwise.
    let (packet, picker) = if v.can_write {
        match app.review_evidence(user.person(), PersonId(person), period).await.ok() {
            Some((packet, notes)) => {
                let words = Words::for_reader(user.person(), app.clock.now());
                let picker = Picker::new(&packet, &notes, words, q.q.as_deref().unwrap_or(""));
                (Some(packet), Some(picker))
            }
            None => (None, None),
        }
    } else {
        (app.review_packet(user.person(), PersonId(person), period).await.ok(), None)
    };
    let is_self = user.person().id.0 == person;
    let title = format!("Review · {} · {}", v.person_name, v.period.name);
    let nav = if is_self { "me" } else { "reviews" };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let c = Chrome::for_user(&user.0, &title, nav);
    Ok(render(status, &ReviewPage { c, v, packet, picker, edit: q.edit.unwrap_or_default(), is_self, errors }))
}

/// A review page's query: what the evidence picker searches for, and from which statement.
#[derive(Deserialize, Default)]
pub struct ReviewQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    edit: Option<String>,
}

pub async fn review(
    State(app): State<App>,
    user: CurrentUser,
    Path((person, period)): Path<(Uuid, Uuid)>,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    review_page(&app, &user, person, period, vec![], q).await
}

#[derive(Deserialize)]
pub struct StatementForm {
    kind: String,
    body: String,
    /// Checked evidence, "feedback:ID" etc., one value per box; serde_html_form-like repeated
    /// fields arrive joined by the browser as several pairs, so they are read from the raw form.
    #[serde(default)]
    evidence: String,
}

/// A statement form: several checkboxes share the name `evidence`, so every pair is read, not
/// just the last.
fn statement_form(body: &[u8]) -> (StatementForm, Vec<String>) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = StatementForm { kind: get("kind"), body: get("body"), evidence: get("evidence_other") };
    let mut evidence: Vec<String> = pairs.iter().filter(|(n, _)| n == "evidence").map(|(_, v)| v.clone()).collect();
    evidence.extend(f.evidence.split_whitespace().map(str::to_string));
    (f, evidence)
}

pub async fn update_statement(
    State(app): State<App>,
    user: CurrentUser,
    Path((person, period, statement)): Path<(Uuid, Uuid, Uuid)>,
    body: axum::body::Bytes,
) -> PageResult {
    let (f, evidence) = statement_form(&body);
    match app.update_statement(user.person(), PersonId(person), period, statement, &f.kind, &f.body, &evidence).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{person}/reviews/{period}#st-{statement}")).into_response()),
        Err(AppError::Invalid(i)) => review_page(&app, &user, person, period, i.0, ReviewQuery::default()).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_statement(
    State(app): State<App>,
    user: CurrentUser,
    Path((person, period, statement)): Path<(Uuid, Uuid, Uuid)>,
) -> PageResult {
    app.delete_statement(user.person(), PersonId(person), period, statement).await?;
    Ok(Redirect::to(&format!("/people/{person}/reviews/{period}#statements")).into_response())
}

pub async fn add_statement(
    State(app): State<App>,
    user: CurrentUser,
    Path((person, period)): Path<(Uuid, Uuid)>,
    body: axum::body::Bytes,
) -> PageResult {
    let (f, evidence) = statement_form(&body);
    match app.add_statement(user.person(), PersonId(person), period, &f.kind, &f.body, &evidence).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{person}/reviews/{period}#statements")).into_response()),
        Err(AppError::Invalid(i)) => review_page(&app, &user, person, period, i.0, ReviewQuery::default()).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn share_review(State(app): State<App>, user: CurrentUser, Path((person, period)): Path<(Uuid, Uuid)>) -> PageResult {
    match app.share_review(user.person(), PersonId(person), period).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{person}/reviews/{period}?shared=1")).into_response()),
        Err(AppError::Invalid(i)) => review_page(&app, &user, person, period, i.0, ReviewQuery::default()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

pub async fn answer_review(
    State(app): State<App>,
    user: CurrentUser,
    Path((person, period)): Path<(Uuid, Uuid)>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    match app.answer_review(user.person(), PersonId(person), period, Some(&f.answer)).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{person}/reviews/{period}#answer")).into_response()),
        Err(AppError::Invalid(i)) => review_page(&app, &user, person, period, i.0, ReviewQuery::default()).await,
        Err(e) => Err(e.into()),
    }
}

// ---- the packet, exported ----

pub async fn packet_export(
    State(app): State<App>,
    user: CurrentUser,
    Path((person, period, file)): Path<(Uuid, Uuid, String)>,
) -> PageResult {
    let p = app.review_packet(user.person(), PersonId(person), period).await?;
    let stem = format!("packet-{}-{}", p.person_name.to_lowercase().replace(' ', "-"), p.period.starts_on);
    let (ct, body, name) = match file.as_str() {
        "packet.md" => ("text/markdown; charset=utf-8", packet_markdown(&p), format!("{stem}.md")),
        "packet.json" => {
            ("application/json", serde_json::to_string_pretty(&p).map_err(|e| AppError::Internal(e.into()))?, format!("{stem}.json"))
        }
        "packet.html" => {
            let review = app.review(user.person(), PersonId(person), period).await.ok();
            let html = crate::app::print::packet_html(&p, review.as_ref(), crate::web::assets::VERSION).map_err(AppError::Internal)?;
            return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
        }
        _ => return Err(AppError::NotFound.into()),
    };
    Ok(crate::web::download::attachment(ct, &name, body))
}
