//! The first ten 1:1s (an overview of one's pairs, a pair's program, the panel on the meeting
//! page and the prep view) and the "how to work with me" page.

use super::time::{tz_of, when};
use super::{Chrome, Form, ok, render};
use crate::app::meetings::MeetingView;
use crate::app::program::{MeetingProgram, PairProgram, ProgramView, SessionView};
use crate::app::work_with_me::WorkWithMeView;
use crate::app::{App, AppError};
use crate::domain::program::{SessionStatus, work_with_me};
use crate::domain::{Invalid, Person, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::error::PageError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ---- shared pieces ----

/// What a capture form had when it was refused: shown again with each message by its field.
#[derive(Debug, Clone, Default)]
pub struct CaptureState {
    pub key: String,
    pub title: String,
    pub body: String,
    pub section: String,
    pub errors: Invalid,
}

impl CaptureState {
    fn for_key(&self, key: &str) -> CaptureState {
        if self.key == key { self.clone() } else { CaptureState::default() }
    }
}

pub struct CaptureLine {
    pub who: String,
    pub summary: String,
    pub when: String,
}

/// One session, as the pages show it.
pub struct SessionRow {
    pub key: String,
    pub number: usize,
    pub title: String,
    pub purpose: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub questions: Vec<String>,
    pub target: &'static str,
    pub capture_label: String,
    pub capture_hint: String,
    /// Where the session was run: (meeting id, when).
    pub meeting: Option<(Uuid, String)>,
    pub captures: Vec<CaptureLine>,
    pub can_run: bool,
    pub can_skip: bool,
    pub can_unskip: bool,
    pub can_mark_done: bool,
    pub can_capture: bool,
    pub first: bool,
    pub last: bool,
    /// The session to run next.
    pub is_next: bool,
    pub form: CaptureState,
}

fn name_of(v: &ProgramView, id: PersonId, me: PersonId) -> String {
    if id == me {
        "You".into()
    } else if id == v.manager.id {
        v.manager.name.clone()
    } else {
        v.teammate.name.clone()
    }
}

fn session_row(v: &ProgramView, s: &SessionView, tz: Tz, now: DateTime<Utc>, form: &CaptureState) -> SessionRow {
    let st = s.status;
    let started = v.started.is_some();
    SessionRow {
        key: s.session.key.clone(),
        number: s.number,
        title: s.session.title.clone(),
        purpose: s.session.purpose.clone(),
        status: st.as_str(),
        status_label: st.label(),
        questions: s.session.questions.iter().map(|q| q.text.clone()).collect(),
        target: s.session.capture.target.as_str(),
        capture_label: s.session.capture.label.clone(),
        capture_hint: s.session.capture.hint.clone(),
        meeting: s.meeting.as_ref().map(|m| (m.id, when(m.starts_at, tz, now))),
        captures: s
            .captures
            .iter()
            .map(|c| CaptureLine { who: name_of(v, c.author_id, v.viewer), summary: c.summary.clone(), when: when(c.created_at, tz, now) })
            .collect(),
        can_run: started && v.can_manage && matches!(st, SessionStatus::ToDo | SessionStatus::Planned),
        can_skip: started && v.can_manage && matches!(st, SessionStatus::ToDo | SessionStatus::Planned),
        can_unskip: started && v.can_manage && st == SessionStatus::Skipped,
        can_mark_done: started && v.can_manage && matches!(st, SessionStatus::ToDo | SessionStatus::Planned),
        can_capture: started && st != SessionStatus::Skipped,
        first: s.number == 1,
        last: s.number == v.sessions.len(),
        is_next: started && v.progress.next_key.as_deref() == Some(s.session.key.as_str()),
        form: form.for_key(&s.session.key),
    }
}

/// "Session 3 of 10: Working styles", or that all are done.
fn progress_label(v: &ProgramView) -> String {
    match v.next() {
        Some(n) => format!("Session {} of {}: {}", n.number, v.progress.total, n.session.title),
        None => format!("All {} sessions done or skipped", v.progress.total),
    }
}

fn sections() -> Vec<(String, String)> {
    work_with_me().section.iter().map(|s| (s.key.clone(), s.title.clone())).collect()
}

// ---- the meeting page and the prep view ----

/// The program's panel on a meeting page or its prep view.
pub struct ProgramPanel {
    pub series_id: Uuid,
    pub meeting_id: Uuid,
    pub label: String,
    pub percent: u32,
    pub done: usize,
    pub skipped: usize,
    pub total: usize,
    /// The sessions run in this meeting, with their capture forms.
    pub here: Vec<SessionRow>,
    /// For the manager, on a meeting still to come with no session in it: the next one to run.
    pub offer: Option<(String, usize, String)>,
    pub viewer_is_teammate: bool,
    pub other_first_name: String,
    pub sections: Vec<(String, String)>,
}

pub(super) async fn panel(
    app: &App,
    me: &Person,
    view: &MeetingView,
    upcoming: bool,
    form: &CaptureState,
) -> Result<Option<ProgramPanel>, AppError> {
    let meeting_id = view.meeting.id;
    let Some(MeetingProgram { program: v, here }) = app.meeting_program(view).await? else { return Ok(None) };
    let now = app.clock.now();
    let tz = tz_of(me);
    let offer = if here.is_empty() && upcoming && v.can_manage {
        v.next().filter(|n| n.status == SessionStatus::ToDo).map(|n| (n.session.key.clone(), n.number, n.session.title.clone()))
    } else {
        None
    };
    let viewer_is_teammate = me.id == v.teammate.id;
    let other = if viewer_is_teammate { &v.manager } else { &v.teammate };
    Ok(Some(ProgramPanel {
        series_id: v.series.id,
        meeting_id,
        label: progress_label(&v),
        percent: v.progress.percent,
        done: v.progress.done,
        skipped: v.progress.skipped,
        total: v.progress.total,
        here: here.iter().map(|s| session_row(&v, s, tz, now, form)).collect(),
        offer,
        viewer_is_teammate,
        other_first_name: other.name.split_whitespace().next().unwrap_or(&other.name).to_string(),
        sections: sections(),
    }))
}

/// The series page's line: progress, or an invitation to start.
pub struct SeriesProgram {
    pub started: bool,
    pub label: String,
    pub percent: u32,
    pub done: usize,
    pub skipped: usize,
    pub total: usize,
    pub can_start: bool,
}

pub(super) async fn series_summary(app: &App, me: &Person, series_id: Uuid) -> Result<Option<SeriesProgram>, AppError> {
    let v = match app.program(me, series_id).await {
        Ok(v) => v,
        Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(SeriesProgram {
        started: v.started.is_some(),
        label: progress_label(&v),
        percent: v.progress.percent,
        done: v.progress.done,
        skipped: v.progress.skipped,
        total: v.progress.total,
        can_start: v.can_manage && v.started.is_none(),
    }))
}

// ---- /program: every pair ----

#[derive(askama::Template)]
#[template(path = "programs.html")]
struct ProgramsPage {
    c: Chrome,
    pairs: Vec<PairLine>,
    can_start_several: bool,
    errors: Invalid,
    notice: Option<String>,
}

struct PairLine {
    series_id: Uuid,
    other: Person,
    i_lead: bool,
    started: bool,
    label: String,
    percent: u32,
}

fn pair_lines(list: Vec<PairProgram>) -> Vec<PairLine> {
    list.into_iter()
        .map(|p| PairLine {
            series_id: p.series.id,
            i_lead: p.i_lead,
            started: p.progress.is_some(),
            label: match (&p.progress, &p.next_title) {
                (None, _) => "Not started".into(),
                (Some(pr), Some(t)) => format!("Session {} of {}: {t}", pr.next_number.unwrap_or(0), pr.total),
                (Some(pr), None) => format!("All {} sessions done or skipped", pr.total),
            },
            percent: p.progress.as_ref().map(|pr| pr.percent).unwrap_or(0),
            other: p.other,
        })
        .collect()
}

async fn programs_response(app: &App, user: &CurrentUser, status: StatusCode, errors: Invalid, notice: Option<String>) -> PageResult {
    let pairs = pair_lines(app.my_programs(user.person()).await?);
    let can_start_several = pairs.iter().any(|p| p.i_lead && !p.started);
    Ok(render(
        status,
        &ProgramsPage { c: Chrome::for_user(&user.0, "The first ten 1:1s", "meetings"), pairs, can_start_several, errors, notice },
    ))
}

#[derive(Deserialize, Default)]
pub struct ProgramsQuery {
    #[serde(default)]
    started: Option<usize>,
}

pub async fn programs(State(app): State<App>, user: CurrentUser, Query(q): Query<ProgramsQuery>) -> PageResult {
    let notice = q.started.map(|n| match n {
        0 => "Those pairs had started already; nothing changed.".to_string(),
        1 => "The program has started for one pair.".to_string(),
        n => format!("The program has started for {n} pairs."),
    });
    programs_response(&app, &user, StatusCode::OK, Invalid::default(), notice).await
}

/// "Start for the people I chose" (several checkboxes named `series_ids`).
pub async fn start_several(State(app): State<App>, user: CurrentUser, body: Bytes) -> PageResult {
    let ids: Vec<Uuid> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "series_ids")
        .map(|(_, v)| Uuid::parse_str(v.trim()).map_err(|_| AppError::NotFound))
        .collect::<Result<_, _>>()?;
    match app.start_programs(user.person(), &ids).await {
        Ok(n) => Ok(see_other(&format!("/program?started={n}"))),
        Err(AppError::Invalid(errors)) => programs_response(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

// ---- /series/{id}/program: one pair ----

#[derive(askama::Template)]
#[template(path = "program.html")]
struct ProgramPage {
    c: Chrome,
    series_id: Uuid,
    other: Person,
    i_lead: bool,
    started: bool,
    can_manage: bool,
    label: String,
    percent: u32,
    done: usize,
    skipped: usize,
    total: usize,
    sessions: Vec<SessionRow>,
    /// Meetings still to come, to run a session in: (id, when); the first is the next one.
    upcoming: Vec<(Uuid, String)>,
    sections: Vec<(String, String)>,
    notice: Option<String>,
    problem: Option<String>,
}

pub(super) async fn program_response(
    app: &App,
    user: &CurrentUser,
    series_id: Uuid,
    status: StatusCode,
    form: CaptureState,
    notice: Option<String>,
    problem: Option<String>,
) -> PageResult {
    let me = user.person();
    let v = app.program(me, series_id).await?;
    let now = app.clock.now();
    let tz = tz_of(me);
    let i_lead = me.id == v.manager.id;
    let other = if i_lead { v.teammate.clone() } else { v.manager.clone() };
    let upcoming = if v.can_manage {
        app.series_view(me, series_id, None)
            .await?
            .upcoming
            .into_iter()
            .filter(|m| !m.is_over(now))
            .map(|m| (m.id, when(m.starts_at, tz, now)))
            .collect()
    } else {
        vec![]
    };
    let page = ProgramPage {
        c: Chrome::for_user(&user.0, &format!("The first ten 1:1s with {}", other.name), "meetings"),
        series_id,
        i_lead,
        started: v.started.is_some(),
        can_manage: v.can_manage,
        label: progress_label(&v),
        percent: v.progress.percent,
        done: v.progress.done,
        skipped: v.progress.skipped,
        total: v.progress.total,
        sessions: v.sessions.iter().map(|s| session_row(&v, s, tz, now, &form)).collect(),
        upcoming,
        sections: sections(),
        other,
        notice,
        problem,
    };
    Ok(render(status, &page))
}

#[derive(Deserialize, Default)]
pub struct ProgramQuery {
    #[serde(default)]
    done: String,
}

pub async fn program_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<ProgramQuery>) -> PageResult {
    let notice = match q.done.as_str() {
        "started" => Some("The program has started. Run session 1 in your next 1:1: its questions go onto the agenda.".to_string()),
        "captured" => Some("Captured. It is where it belongs now; the session counts as done.".to_string()),
        _ => None,
    };
    program_response(&app, &user, id, StatusCode::OK, CaptureState::default(), notice, None).await
}

pub async fn start_one(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    app.start_program(user.person(), id).await?;
    Ok(see_other(&format!("/series/{id}/program?done=started")))
}

/// A refused change to a session: the program page again, with the reason at the top.
async fn refused(app: &App, user: &CurrentUser, id: Uuid, e: AppError) -> PageResult {
    match e {
        AppError::Invalid(i) => {
            let msg = i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ");
            program_response(app, user, id, StatusCode::UNPROCESSABLE_ENTITY, CaptureState::default(), None, Some(msg)).await
        }
        e => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RunForm {
    #[serde(default)]
    meeting_id: String,
}

pub async fn run(State(app): State<App>, user: CurrentUser, Path((id, key)): Path<(Uuid, String)>, Form(f): Form<RunForm>) -> PageResult {
    let meeting = match f.meeting_id.trim() {
        "" => None,
        m => Some(Uuid::parse_str(m).map_err(|_| AppError::NotFound)?),
    };
    match app.run_session(user.person(), id, &key, meeting).await {
        // To the meeting, where its questions now are and what to capture is asked.
        Ok((m, _)) => Ok(see_other(&format!("/meetings/{m}#program"))),
        Err(e) => refused(&app, &user, id, e).await,
    }
}

#[derive(Deserialize)]
pub struct SkipForm {
    #[serde(default)]
    skip: String,
}

pub async fn skip(State(app): State<App>, user: CurrentUser, Path((id, key)): Path<(Uuid, String)>, Form(f): Form<SkipForm>) -> PageResult {
    match app.skip_session(user.person(), id, &key, f.skip != "0").await {
        Ok(()) => Ok(see_other(&format!("/series/{id}/program#s-{key}"))),
        Err(e) => refused(&app, &user, id, e).await,
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    dir: String,
}

pub async fn move_session(
    State(app): State<App>,
    user: CurrentUser,
    Path((id, key)): Path<(Uuid, String)>,
    Form(f): Form<MoveForm>,
) -> PageResult {
    match app.move_session(user.person(), id, &key, f.dir == "up").await {
        Ok(()) => Ok(see_other(&format!("/series/{id}/program#s-{key}"))),
        Err(e) => refused(&app, &user, id, e).await,
    }
}

pub async fn mark_done(State(app): State<App>, user: CurrentUser, Path((id, key)): Path<(Uuid, String)>) -> PageResult {
    match app.mark_session_done(user.person(), id, &key).await {
        Ok(()) => Ok(see_other(&format!("/series/{id}/program#s-{key}"))),
        Err(e) => refused(&app, &user, id, e).await,
    }
}

// ---- /people/{id}/work-with-me ----

#[derive(askama::Template)]
#[template(path = "work_with_me.html")]
struct WorkWithMePage {
    c: Chrome,
    person: Person,
    is_mine: bool,
    intro: String,
    sections: Vec<SectionRow>,
    shared: bool,
    shared_when: String,
    updated_when: String,
    version: i64,
    empty: bool,
    manager_notes: Vec<NoteLine>,
    errors: Invalid,
    notice: Option<String>,
    problem: Option<String>,
    /// Who reads it once shared, in words.
    readers: String,
}

struct SectionRow {
    key: String,
    title: String,
    prompt: String,
    text: String,
    html: String,
}

struct NoteLine {
    who: String,
    section: String,
    body: String,
    when: String,
}

fn work_page(user: &CurrentUser, app: &App, v: WorkWithMeView, typed: Option<Vec<(String, String)>>, errors: Invalid) -> WorkWithMePage {
    let me = user.person();
    let now = app.clock.now();
    let tz = tz_of(me);
    let content = work_with_me();
    let sections = v
        .sections
        .iter()
        .map(|(s, text)| {
            let text =
                typed.as_ref().and_then(|t| t.iter().find(|(k, _)| *k == s.key).map(|(_, x)| x.clone())).unwrap_or_else(|| text.clone());
            SectionRow {
                key: s.key.clone(),
                title: s.title.clone(),
                prompt: s.prompt.clone(),
                html: crate::domain::text::render_markdown(&text),
                text,
            }
        })
        .collect();
    let manager_notes = v
        .manager_notes
        .iter()
        .map(|(c, who)| NoteLine {
            who: who.clone(),
            section: c
                .section
                .as_ref()
                .and_then(|k| content.section.iter().find(|s| &s.key == k))
                .map(|s| s.title.clone())
                .unwrap_or_default(),
            body: c.summary.clone(),
            when: when(c.created_at, tz, now),
        })
        .collect();
    let first = v.person.name.split_whitespace().next().unwrap_or(&v.person.name).to_string();
    let title = if v.is_mine { "How to work with me".to_string() } else { format!("How to work with {first}") };
    WorkWithMePage {
        c: Chrome::for_user(&user.0, &title, if v.is_mine { "me" } else { "people" }),
        is_mine: v.is_mine,
        intro: content.intro.clone(),
        sections,
        shared: v.shared_at.is_some(),
        shared_when: v.shared_at.map(|t| when(t, tz, now)).unwrap_or_default(),
        updated_when: v.updated_at.map(|t| when(t, tz, now)).unwrap_or_default(),
        version: v.version,
        empty: v.is_empty(),
        manager_notes,
        errors,
        notice: None,
        problem: None,
        readers: "your manager and the people who report to you".into(),
        person: v.person,
    }
}

#[derive(Deserialize, Default)]
pub struct WorkQuery {
    #[serde(default)]
    done: String,
}

pub async fn work_with_me_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<WorkQuery>) -> PageResult {
    let v = app.work_with_me(user.person(), PersonId(id)).await?;
    let mut page = work_page(&user, &app, v, None, Invalid::default());
    page.notice = match q.done.as_str() {
        "saved" if page.shared => Some("Saved. Your manager sees the new version.".into()),
        "saved" => Some("Saved. Only you see it until you share it.".into()),
        "shared" => Some("Shared. Your manager can read it now, from your profile and when preparing your 1:1s.".into()),
        "draft" => Some("Back to a draft: only you see it now.".into()),
        _ => None,
    };
    Ok(ok(&page))
}

pub async fn save_work_with_me(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, body: Bytes) -> PageResult {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let version: i64 = pairs.iter().find(|(k, _)| k == "version").and_then(|(_, v)| v.trim().parse().ok()).unwrap_or(0);
    let sections: Vec<(String, String)> =
        pairs.iter().filter_map(|(k, v)| k.strip_prefix("s-").map(|key| (key.to_string(), v.clone()))).collect();
    match app.save_work_with_me(user.person(), PersonId(id), &sections, version).await {
        Ok(_) => Ok(see_other(&format!("/people/{id}/work-with-me?done=saved"))),
        Err(AppError::Invalid(errors)) => {
            let v = app.work_with_me(user.person(), PersonId(id)).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &work_page(&user, &app, v, Some(sections), errors)))
        }
        Err(AppError::Conflict(msg)) => {
            let v = app.work_with_me(user.person(), PersonId(id)).await?;
            let mut page = work_page(&user, &app, v, None, Invalid::default());
            page.problem = Some(msg);
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    shared: String,
}

pub async fn share_work_with_me(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Form(f): Form<ShareForm>) -> PageResult {
    let shared = f.shared == "1";
    match app.share_work_with_me(user.person(), PersonId(id), shared).await {
        Ok(_) => Ok(see_other(&format!("/people/{id}/work-with-me?done={}", if shared { "shared" } else { "draft" }))),
        Err(AppError::Invalid(i)) => {
            let v = app.work_with_me(user.person(), PersonId(id)).await?;
            let mut page = work_page(&user, &app, v, None, Invalid::default());
            page.problem = Some(i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether a page links to someone's "how to work with me" (the prep view, the profile).
pub(super) async fn work_with_me_link(app: &App, me: &Person, subject: &Person) -> Result<bool, AppError> {
    if me.id == subject.id {
        return Ok(true);
    }
    app.can_read_work_with_me(me, subject).await
}
