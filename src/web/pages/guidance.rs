//! Guidance pages: the question bank (search, filter by purpose, favourites, one's own
//! questions, "add to my next 1:1 with …", import and export) and meeting templates.

use super::{Choice, Chrome, Form, ok, render};
use crate::app::guidance::{BankFilter, BankItem, PairChoice};
use crate::app::{App, AppError};
use crate::domain::guidance::{self as g, Purpose, QuestionFormat, Template};
use crate::domain::template_files::{PLACEHOLDERS, TemplateFormat};
use crate::domain::{FieldError, Invalid};
use crate::web::auth::CurrentUser;
use crate::web::download::attachment;
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

/// Back to the bank with the filters the person had (a query string we rebuild, never a URL).
fn back_to_bank(p: &[(String, String)], anchor: &str) -> Response {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for name in ["q", "purpose", "fav", "with", "done"] {
        let v = field(p, name);
        if !v.is_empty() {
            s.append_pair(name, &v);
        }
    }
    let q = s.finish();
    let anchor = if anchor.is_empty() { String::new() } else { format!("#{anchor}") };
    Redirect::to(&format!("/questions{}{anchor}", if q.is_empty() { String::new() } else { format!("?{q}") })).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BankQuery {
    q: String,
    purpose: String,
    fav: String,
    with: String,
    /// A note shown once after an action ("added", "imported:N").
    done: String,
}

pub struct ItemRow {
    pub key: String,
    pub anchor: String,
    pub text: String,
    pub purposes: Vec<&'static str>,
    pub own: bool,
    pub own_id: String,
    pub favourite: bool,
    pub used: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "questions.html")]
struct QuestionsPage {
    c: Chrome,
    q: String,
    fav: bool,
    purposes: Vec<Choice>,
    pairs: Vec<PairChoice>,
    with: Option<Uuid>,
    with_name: String,
    items: Vec<ItemRow>,
    total: usize,
    /// Opened with nothing asked for: on the first purpose, with a way to every other.
    opened_plain: bool,
    /// Every purpose is shown.
    every: bool,
    notice: String,
    own_text: String,
    own_errors: Invalid,
    import_text: String,
    import_format: String,
    import_problems: Vec<FieldError>,
}

fn anchor(key: &str) -> String {
    format!("q-{}", key.replace(':', "-"))
}

fn row(i: BankItem) -> ItemRow {
    ItemRow {
        anchor: anchor(&i.key),
        own_id: i.key.strip_prefix("own:").unwrap_or_default().to_string(),
        key: i.key,
        text: i.text,
        purposes: i.purposes.iter().map(|p| p.label()).collect(),
        own: i.own,
        favourite: i.favourite,
        used: i.used_at.map(|t| t.format("%-d %b %Y").to_string()),
    }
}

struct Extra {
    notice: String,
    own_text: String,
    own_errors: Invalid,
    import_text: String,
    import_format: String,
    import_problems: Vec<FieldError>,
}

async fn bank_page(app: &App, user: &CurrentUser, q: BankQuery, status: StatusCode, extra: Extra) -> PageResult {
    let me = user.person();
    let pairs = app.guidance_pairs(me).await?;
    let with = Uuid::parse_str(q.with.trim()).ok().filter(|w| pairs.iter().any(|p| p.series_id == *w));
    // With nothing asked for, the bank opens on one purpose (not all of its hundreds of
    // questions on one page); "all" asks for every purpose.
    let opened_plain = q.q.trim().is_empty() && q.purpose.is_empty() && q.fav.is_empty();
    let purpose = if opened_plain { Some(Purpose::ALL[0]) } else { Purpose::parse(&q.purpose) };
    let filter = BankFilter { q: q.q.clone(), purpose, favourites_only: !q.fav.is_empty(), series_id: with };
    let items = app.question_bank(me, &filter).await?;
    let total = items.len();
    let with_name = with.and_then(|w| pairs.iter().find(|p| p.series_id == w)).map(|p| p.other.name.clone()).unwrap_or_default();
    let notice = if !extra.notice.is_empty() {
        extra.notice
    } else if q.done == "added" {
        format!("Added to the agenda of your next 1:1 with {with_name}.")
    } else if q.done == "own" {
        "Your question is added. Only you see it.".to_string()
    } else if q.done == "deleted" {
        "Your question is deleted.".to_string()
    } else if let Some(n) = q.done.strip_prefix("imported:") {
        format!("Imported {n} questions of your own.")
    } else {
        String::new()
    };
    let page = QuestionsPage {
        c: Chrome::for_user(&user.0, "Question bank", "questions"),
        q: q.q,
        fav: !q.fav.is_empty(),
        purposes: Purpose::ALL.iter().map(|p| Choice { slug: p.slug(), label: p.label(), selected: Some(*p) == purpose }).collect(),
        pairs,
        with,
        with_name,
        items: items.into_iter().map(row).collect(),
        total,
        opened_plain,
        every: purpose.is_none(),
        notice,
        own_text: extra.own_text,
        own_errors: extra.own_errors,
        import_text: extra.import_text,
        import_format: extra.import_format,
        import_problems: extra.import_problems,
    };
    Ok(render(status, &page))
}

fn no_extra() -> Extra {
    Extra {
        notice: String::new(),
        own_text: String::new(),
        own_errors: Invalid::default(),
        import_text: String::new(),
        import_format: "csv".into(),
        import_problems: vec![],
    }
}

pub async fn questions(State(app): State<App>, user: CurrentUser, Query(q): Query<BankQuery>) -> PageResult {
    bank_page(&app, &user, q, StatusCode::OK, no_extra()).await
}

fn query_of(p: &[(String, String)]) -> BankQuery {
    BankQuery { q: field(p, "q"), purpose: field(p, "purpose"), fav: field(p, "fav"), with: field(p, "with"), done: String::new() }
}

pub async fn add_own(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let text = field(&p, "text");
    let purposes: Vec<String> = p.iter().filter(|(k, _)| k == "purposes").map(|(_, v)| v.clone()).collect();
    match app.add_own_question(user.person(), &text, &purposes).await {
        Ok(q) => {
            // Back where the new question shows: a bank opened on nothing in particular opens
            // on the question's own first purpose.
            let mut p = p.clone();
            if ["q", "purpose", "fav"].iter().all(|k| field(&p, k).is_empty())
                && let Some(first) = purposes.first()
            {
                p.push(("purpose".into(), first.clone()));
            }
            p.push(("done".into(), "own".into()));
            Ok(back_to_bank(&p, &anchor(&format!("own:{}", q.id))))
        }
        Err(AppError::Invalid(errors)) => {
            let extra = Extra { own_text: text, own_errors: errors, ..no_extra() };
            bank_page(&app, &user, query_of(&p), StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_own(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    app.delete_own_question(user.person(), id).await?;
    let mut p = pairs(&body);
    p.push(("done".into(), "deleted".into()));
    Ok(back_to_bank(&p, "questions"))
}

pub async fn favourite(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let key = field(&p, "key");
    app.set_favourite(user.person(), &key, field(&p, "on") == "1").await?;
    Ok(back_to_bank(&p, &anchor(&key)))
}

pub async fn use_question(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let key = field(&p, "key");
    let series = Uuid::parse_str(field(&p, "with").trim()).map_err(|_| AppError::NotFound)?;
    match app.use_question_next(user.person(), &key, series).await {
        Ok(_) => {
            let mut q = query_of(&p);
            q.done = "added".into();
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in [("q", &q.q), ("purpose", &q.purpose), ("fav", &q.fav), ("with", &q.with), ("done", &q.done)] {
                if !v.is_empty() {
                    s.append_pair(k, v);
                }
            }
            Ok(Redirect::to(&format!("/questions?{}#{}", s.finish(), anchor(&key))).into_response())
        }
        Err(AppError::Invalid(i)) => {
            let extra = Extra { notice: i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "), ..no_extra() };
            bank_page(&app, &user, query_of(&p), StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    format: String,
}

pub async fn export(State(app): State<App>, user: CurrentUser, Query(q): Query<ExportQuery>) -> PageResult {
    let format = QuestionFormat::parse(&q.format).unwrap_or(QuestionFormat::Csv);
    let body = app.export_own_questions(user.person(), format).await?;
    Ok(attachment(format.content_type(), &format!("my-questions.{}", format.extension()), body))
}

pub async fn import(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let text = field(&p, "file_text");
    let fmt = field(&p, "format");
    let format = QuestionFormat::parse(&fmt).unwrap_or(QuestionFormat::Csv);
    match app.import_questions(user.person(), text.as_bytes(), format, true).await {
        Ok(done) if done.skipped.is_empty() => {
            Ok(Redirect::to(&format!("/questions?done=imported:{}#own-h", done.imported)).into_response())
        }
        // Added, with the lines our bank already has said by line: shown on the page itself.
        Ok(done) => {
            let mut notice = format!("Imported {} questions of your own.", done.imported);
            for s in &done.skipped {
                notice.push(' ');
                notice.push_str(&s.message);
            }
            bank_page(&app, &user, BankQuery::default(), StatusCode::OK, Extra { notice, ..no_extra() }).await
        }
        Err(AppError::Invalid(Invalid(problems))) => {
            let extra = Extra { import_text: text, import_format: format.extension().into(), import_problems: problems, ..no_extra() };
            bank_page(&app, &user, BankQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- templates ----

#[derive(askama::Template)]
#[template(path = "meeting_templates.html")]
struct TemplatesPage {
    c: Chrome,
    templates: Vec<TemplateRow>,
    name: String,
    summary: String,
    prompts: String,
    errors: Invalid,
    placeholders: Vec<(&'static str, &'static str)>,
    import_text: String,
    import_format: String,
    import_problems: Vec<FieldError>,
    /// "Imported 2 templates." after an import.
    done: String,
    /// A confirmation at the top after a template was saved or deleted.
    saved: String,
}

impl TemplatesPage {
    fn new(c: Chrome, templates: Vec<TemplateRow>) -> TemplatesPage {
        TemplatesPage {
            c,
            templates,
            name: String::new(),
            summary: String::new(),
            prompts: String::new(),
            errors: Invalid::default(),
            placeholders: PLACEHOLDERS.to_vec(),
            import_text: String::new(),
            import_format: "md".into(),
            import_problems: vec![],
            done: String::new(),
            saved: String::new(),
        }
    }
}

pub struct TemplateRow {
    pub key: String,
    pub anchor: String,
    pub own: bool,
    pub name: String,
    pub summary: String,
    pub prompts: Vec<(String, String)>,
}

fn template_rows(ts: Vec<Template>) -> Vec<TemplateRow> {
    ts.into_iter()
        .map(|t| TemplateRow {
            anchor: format!("t-{}", t.key.replace(':', "-")),
            own: t.key.starts_with("own:"),
            prompts: t
                .prompts
                .iter()
                .map(|p| (p.text.clone(), p.purposes.iter().map(|x| x.label()).collect::<Vec<_>>().join(", ")))
                .collect(),
            key: t.key,
            name: t.name,
            summary: t.summary,
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct TemplatesQuery {
    #[serde(default)]
    imported: Option<usize>,
    /// `saved` or `deleted`, after the form that did it.
    #[serde(default)]
    done: String,
}

pub async fn templates_page(State(app): State<App>, user: CurrentUser, Query(q): Query<TemplatesQuery>) -> PageResult {
    let templates = template_rows(app.templates(user.person()).await?);
    let mut page = TemplatesPage::new(Chrome::for_user(&user.0, "Meeting templates", "questions"), templates);
    if let Some(n) = q.imported {
        page.done = if n == 1 { "Imported 1 template.".into() } else { format!("Imported {n} templates.") };
    }
    page.saved = match q.done.as_str() {
        "saved" => "Your template is saved. It is offered when you prepare a 1:1.".into(),
        "deleted" => "The template is deleted.".into(),
        _ => String::new(),
    };
    Ok(ok(&page))
}

pub async fn export_templates(State(app): State<App>, user: CurrentUser, Query(q): Query<ExportQuery>) -> PageResult {
    let format = TemplateFormat::parse(&q.format).unwrap_or(TemplateFormat::Markdown);
    let body = app.export_own_templates(user.person(), format).await?;
    Ok(attachment(format.content_type(), &format!("my-templates.{}", format.extension()), body))
}

pub async fn import_templates(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let p = pairs(&body);
    let text = field(&p, "file_text");
    let format = TemplateFormat::parse(&field(&p, "format")).unwrap_or(TemplateFormat::Markdown);
    match app.import_own_templates(user.person(), text.as_bytes(), format, true).await {
        Ok(names) => Ok(Redirect::to(&format!("/templates?imported={}#io-h", names.len())).into_response()),
        Err(AppError::Invalid(Invalid(problems))) => {
            let templates = template_rows(app.templates(user.person()).await?);
            let mut page = TemplatesPage::new(Chrome::for_user(&user.0, "Meeting templates", "questions"), templates);
            page.import_text = text;
            page.import_format = format.extension().into();
            page.import_problems = problems;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    prompts: String,
}

pub async fn create_template(State(app): State<App>, user: CurrentUser, Form(f): Form<TemplateForm>) -> PageResult {
    match app.create_template(user.person(), &f.name, &f.summary, &f.prompts).await {
        Ok(_) => Ok(Redirect::to("/templates?done=saved#mine").into_response()),
        Err(AppError::Invalid(errors)) => {
            let templates = template_rows(app.templates(user.person()).await?);
            let mut page = TemplatesPage::new(Chrome::for_user(&user.0, "Meeting templates", "questions"), templates);
            page.name = f.name;
            page.summary = f.summary;
            page.prompts = f.prompts;
            page.errors = errors;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct KeyForm {
    key: String,
    /// `meeting` when sent from the meeting page's ideas (drawn from the prep page): lead back
    /// there. Any other value leads to the prep page.
    #[serde(default)]
    back: String,
}

pub async fn delete_template(State(app): State<App>, user: CurrentUser, Form(f): Form<KeyForm>) -> PageResult {
    app.delete_template(user.person(), &f.key).await?;
    Ok(Redirect::to("/templates?done=deleted").into_response())
}

/// From the prep view or the meeting: fill the agenda with a template's prompts.
pub async fn apply_template(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<KeyForm>) -> PageResult {
    app.apply_template(user.person(), &f.key, id).await?;
    Ok(Redirect::to(&format!("/meetings/{id}?saved=template#agenda")).into_response())
}

/// From the prep view (or the meeting page's ideas): one suggested question into this meeting's agenda.
pub async fn add_question_to_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<KeyForm>,
) -> PageResult {
    app.use_question(user.person(), &f.key, id).await?;
    Ok(match f.back.as_str() {
        "meeting" => Redirect::to(&format!("/meetings/{id}?saved=question#agenda")),
        _ => Redirect::to(&format!("/meetings/{id}/prep?saved=question#questions-h")),
    }
    .into_response())
}

/// Every purpose, for forms.
pub fn purpose_slugs() -> Vec<(&'static str, &'static str)> {
    g::Purpose::ALL.iter().map(|p| (p.slug(), p.label())).collect()
}
