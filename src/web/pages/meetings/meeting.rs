//! The meeting page (`/meetings/{id}`): the agenda, actions, notes, status and rating, and the
//! page again after a refused form, with what was typed and why.

use super::series::{MeetingRow, meeting_rows};
use super::shared::{PageResult, kind_label, meeting_state};
use crate::app::meetings::MeetingView;
use crate::app::{App, AppError};
use crate::domain::meeting::{ActionItem, ActionKind, MeetingStatus, Note, SeriesStatus, TalkingPoint};
use crate::domain::{Invalid, Person, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::pages::time::{day, day_in_words, today_in, tz_of, when};
use crate::web::pages::{Chrome, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

/// What was typed into the meeting page's forms, and what went wrong, so a refused form is
/// shown again as it was.
#[derive(Default)]
pub(super) struct Forms {
    pub(super) notice: Option<String>,
    pub(super) problem: Option<String>,
    pub(super) point_body: String,
    pub(super) point_recurring: bool,
    pub(super) point_errors: Invalid,
    /// A problem with one topic on the agenda (its id and the message).
    pub(super) point_problem: Option<(Uuid, String)>,
    pub(super) action_body: String,
    pub(super) action_owner: String,
    pub(super) action_due: String,
    pub(super) action_help: bool,
    pub(super) action_errors: Invalid,
    pub(super) action_problem: Option<(Uuid, String)>,
    pub(super) note_text: Option<String>,
    pub(super) note_base: Option<i64>,
    pub(super) note_errors: Invalid,
    /// Both people changed the same lines of the shared note: the places to settle.
    pub(super) note_settle: Option<Settle>,
    pub(super) private_text: Option<String>,
    pub(super) private_base: Option<i64>,
    pub(super) private_errors: Invalid,
    pub(super) private_settle: Option<Settle>,
    pub(super) status_value: String,
    pub(super) status_reason: String,
    pub(super) status_errors: Invalid,
    pub(super) move_date: Option<String>,
    pub(super) move_time: Option<String>,
    pub(super) move_reason: String,
    pub(super) move_errors: Invalid,
    pub(super) rating: Option<i64>,
    pub(super) rating_comment: Option<String>,
    pub(super) rating_errors: Invalid,
    /// A refused capture of the first ten 1:1s, shown again in its panel.
    pub(super) capture: crate::web::pages::program::CaptureState,
    /// A refused pulse, as typed, with its problems.
    pub(super) pulse: Option<(crate::web::pages::pulse::PulseTyped, Invalid)>,
}

/// A note two saves changed at the same lines, to settle place by place: keep mine, keep
/// theirs or keep both. Nothing is saved until the person chooses.
pub(super) struct Settle {
    /// The version to save on top of.
    pub(super) base: i64,
    /// "Tom Teammate's version", or "The version saved first" (your own other window).
    pub(super) theirs_label: String,
    pub(super) parts: Vec<crate::domain::merge::Part>,
    /// The same parts, for the form to send back.
    pub(super) parts_json: String,
}

/// One run of a note to settle, as the page shows it: shared lines, or a numbered place
/// (from 1) with both versions.
pub(super) struct SettleRow<'a> {
    pub(super) place: Option<usize>,
    pub(super) same: &'a str,
    pub(super) mine: &'a str,
    pub(super) theirs: &'a str,
}

impl SettleRow<'_> {
    /// The shared lines as shown: without the blank lines around them.
    pub(super) fn same_shown(&self) -> &str {
        self.same.trim_matches(['\n', '\r'])
    }
}

impl Settle {
    /// How many places differ.
    pub(super) fn places(&self) -> usize {
        self.parts.iter().filter(|p| matches!(p, crate::domain::merge::Part::Differ { .. })).count()
    }

    pub(super) fn rows(&self) -> Vec<SettleRow<'_>> {
        use crate::domain::merge::Part;
        let mut place = 0;
        self.parts
            .iter()
            .map(|part| match part {
                Part::Same { text } => SettleRow { place: None, same: text, mine: "", theirs: "" },
                Part::Differ { mine, theirs } => {
                    place += 1;
                    SettleRow { place: Some(place), same: "", mine, theirs }
                }
            })
            .collect()
    }
}

#[derive(Clone)]
pub(super) struct PointRow {
    pub(super) id: Uuid,
    pub(super) version: i64,
    pub(super) body: String,
    pub(super) discussed: bool,
    pub(super) recurring: bool,
    pub(super) mine: bool,
    pub(super) author: String,
    pub(super) by_teammate: bool,
    pub(super) carried: Option<String>,
    pub(super) first: bool,
    pub(super) last: bool,
    pub(super) problem: Option<String>,
    /// The note under the topic; empty for none.
    pub(super) note: String,
}

pub(super) struct ActionRow {
    pub(super) id: Uuid,
    pub(super) version: i64,
    pub(super) body: String,
    pub(super) owner: String,
    pub(super) due: Option<String>,
    pub(super) overdue: bool,
    pub(super) help: bool,
    pub(super) done: bool,
    pub(super) problem: Option<String>,
}

pub(super) struct Selectable {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

struct Rate {
    value: i64,
    word: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    c: Chrome,
    id: Uuid,
    me: PersonId,
    series_id: Uuid,
    version: i64,
    other: Person,
    viewer_is_teammate: bool,
    kind: &'static str,
    series_note: Option<String>,
    when: String,
    duration: u32,
    other_when: Option<String>,
    state: &'static str,
    state_label: &'static str,
    status: &'static str,
    reason: String,
    /// Who of the two set the status and who moved the meeting: "you", or the other's first name.
    status_by: Option<String>,
    moved_from: Option<String>,
    moved_by: Option<String>,
    is_scheduled: bool,
    started: bool,
    previous: Option<MeetingRow>,
    previous_note: Option<String>,
    /// The notes of up to three meetings before the last one, newest first.
    earlier: Vec<Earlier>,
    points: Vec<PointRow>,
    actions: Vec<ActionRow>,
    open_actions: usize,
    owners: Vec<Selectable>,
    shared_html: Option<String>,
    shared_meta: Option<String>,
    notes_text: String,
    notes_base: i64,
    notes_open: bool,
    private_html: Option<String>,
    private_text: String,
    private_base: i64,
    private_open: bool,
    /// The viewer gives the rating (the policy's answer); `can_rate`: and this meeting can be rated now.
    may_rate: bool,
    can_rate: bool,
    rating: Option<i64>,
    rating_comment: String,
    rates: Vec<Rate>,
    comment_text: String,
    /// The pulse card, for the pair in a regular series.
    pulse: Option<PulseCard>,
    next: Vec<MeetingRow>,
    move_date: String,
    move_time: String,
    series_tz: String,
    min_date: String,
    /// "Feedback for each other": what was shared in this 1:1 (and the viewer's own drafts).
    feedback: Vec<crate::app::reviews::FeedbackItem>,
    can_give_feedback: bool,
    /// The first ten 1:1s, when the pair runs them: progress and the session run here.
    program: Option<crate::web::pages::program::ProgramPanel>,
    f: Forms,
}

/// The agenda's groups, as `domain::meeting::agenda_order` sorts them: a topic moves up or
/// down within its group (the teammate's own, carried over, the manager's).
fn agenda_group(p: &TalkingPoint, teammate: PersonId) -> u8 {
    match (p.carried_from.is_some() && !p.recurring, p.author_id == teammate) {
        (false, true) => 0,
        (true, _) => 1,
        (false, false) => 2,
    }
}

pub(super) fn point_rows(v: &MeetingView, tz: Tz, now: DateTime<Utc>, problem: &Option<(Uuid, String)>) -> Vec<PointRow> {
    let group = |i: usize| v.points.get(i).map(|p| agenda_group(p, v.teammate.id));
    v.points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let carried = p.carried_from.map(|from| {
                let known = v.previous.iter().chain(v.next.iter()).find(|m| m.id == from);
                match known {
                    Some(m) => format!("carried over from {}", day(m.starts_at.with_timezone(&tz).date_naive(), today_in(tz, now))),
                    None => "carried over from an earlier meeting".to_string(),
                }
            });
            PointRow {
                id: p.id,
                version: p.version,
                body: p.body.clone(),
                discussed: p.discussed,
                recurring: p.recurring,
                mine: p.author_id == v.viewer,
                author: if p.author_id == v.viewer { "you".into() } else { v.person(p.author_id).name.clone() },
                by_teammate: p.author_id == v.teammate.id,
                carried,
                first: i == 0 || group(i - 1) != group(i),
                last: group(i + 1) != group(i),
                problem: problem.as_ref().filter(|(id, _)| *id == p.id).map(|(_, m)| m.clone()),
                note: p.note.clone(),
            }
        })
        .collect()
}

pub(super) fn action_row(a: &ActionItem, owner: &str, today: NaiveDate, problem: &Option<(Uuid, String)>) -> ActionRow {
    ActionRow {
        id: a.id,
        version: a.version,
        body: a.body.clone(),
        owner: owner.to_string(),
        due: a.due_date.map(|d| day(d, today)),
        overdue: a.done_at.is_none() && a.due_date.is_some_and(|d| d < today),
        help: a.kind == ActionKind::Help,
        done: a.done_at.is_some(),
        problem: problem.as_ref().filter(|(id, _)| *id == a.id).map(|(_, m)| m.clone()),
    }
}

pub(super) fn owner_name(v: &MeetingView, a: &ActionItem) -> String {
    if a.owner_id == v.viewer { "You".into() } else { v.person(a.owner_id).name.clone() }
}

fn note_meta(note: &Note, v: &MeetingView, tz: Tz, now: DateTime<Utc>) -> String {
    let who = if note.updated_by == v.viewer { "you".to_string() } else { v.person(note.updated_by).name.clone() };
    format!("Last saved by {who}, {}", when(note.updated_at, tz, now))
}

pub(super) async fn meeting_response(app: &App, user: &CurrentUser, id: Uuid, status: StatusCode, f: Forms) -> PageResult {
    let me = user.person();
    let v = app.meeting_view(me, id).await?;
    app.looked_at_coming(me, &v).await?;
    let feedback = app.meeting_feedback(&v).await?;
    let can_give_feedback = v.series.kind == crate::domain::meeting::SeriesKind::Regular;
    let now = app.clock.now();
    let program = crate::web::pages::program::panel(app, me, &v, !v.meeting.is_over(now), &f.capture).await?;
    let tz = tz_of(me);
    let today = today_in(tz, now);
    let other = v.other().clone();
    let other_tz = tz_of(&other);
    let other_when = (other_tz != tz).then(|| {
        format!(
            "{} for {} ({})",
            v.meeting.starts_at.with_timezone(&other_tz).format("%H:%M"),
            other.name.split_whitespace().next().unwrap_or(&other.name),
            other_tz.name()
        )
    });
    let (state, state_label) = meeting_state(&v.meeting, now);
    let series_note = match v.series.status {
        SeriesStatus::Active => None,
        SeriesStatus::Paused => Some("These 1:1s are paused; no new meetings are planned until they resume.".to_string()),
        SeriesStatus::Ended => Some("These 1:1s have ended. What you wrote here stays with the two of you.".to_string()),
    };
    let points = point_rows(&v, tz, now, &f.point_problem);
    let actions: Vec<ActionRow> = v.actions.iter().map(|a| action_row(a, &owner_name(&v, a), today, &f.action_problem)).collect();
    // What is still open from earlier meetings: actions added in this one are not "from last time".
    let open_actions = v.actions.iter().filter(|a| a.done_at.is_none() && a.meeting_id != v.meeting.id).count();
    let owner_pick = if f.action_owner.is_empty() { v.viewer.to_string() } else { f.action_owner.clone() };
    let owners = [&v.teammate, &v.manager]
        .into_iter()
        .map(|p| Selectable {
            value: p.id.to_string(),
            label: if p.id == v.viewer { "You".to_string() } else { p.name.clone() },
            selected: p.id.to_string() == owner_pick,
        })
        .collect();
    let previous = v.previous.as_ref().map(|m| meeting_rows(std::slice::from_ref(m), tz, now).remove(0));
    let previous_note = v.previous_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note);
    let earlier = v
        .earlier_notes
        .iter()
        .map(|e| Earlier {
            id: e.note.meeting_id,
            when: when(e.starts_at, tz, now),
            html: App::render_note(&e.note),
            decisions: e
                .decisions
                .iter()
                .map(|a| ActionRow { due: a.due_date.map(|d| day_in_words(d, today)), ..action_row(a, &owner_name(&v, a), today, &None) })
                .collect(),
        })
        .collect();
    let shared_html = v.shared_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note);
    let shared_meta = v.shared_note.as_ref().map(|n| note_meta(n, &v, tz, now));
    let notes_text = f.note_text.clone().unwrap_or_else(|| v.shared_note.as_ref().map(|n| n.body.clone()).unwrap_or_default());
    let notes_base = f.note_base.unwrap_or_else(|| v.shared_note.as_ref().map(|n| n.version).unwrap_or(0));
    let notes_open = f.note_text.is_some();
    let private_html = v.private_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note);
    let private_text = f.private_text.clone().unwrap_or_else(|| v.private_note.as_ref().map(|n| n.body.clone()).unwrap_or_default());
    let private_base = f.private_base.unwrap_or_else(|| v.private_note.as_ref().map(|n| n.version).unwrap_or(0));
    let private_open = f.private_text.is_some();
    let may_rate = v.can_rate.yes();
    let can_rate = may_rate && v.meeting.can_be_rated(now);
    let chosen = f.rating.or(v.meeting.rating);
    let rates = [(1, "not worth it"), (2, ""), (3, ""), (4, ""), (5, "very worth it")]
        .into_iter()
        .map(|(value, word)| Rate { value, word, checked: chosen == Some(value) })
        .collect();
    let comment_text = f.rating_comment.clone().unwrap_or_else(|| v.meeting.rating_comment.clone());
    let pulse = pulse_card(app, me, &v, &f);
    let series_local = v.meeting.starts_at.with_timezone(&v.series.schedule.tz);
    let move_date = f.move_date.clone().unwrap_or_else(|| series_local.date_naive().to_string());
    let move_time = f.move_time.clone().unwrap_or_else(|| series_local.format("%H:%M").to_string());
    let who = |by: Option<crate::domain::PersonId>| match by {
        Some(p) if p == v.viewer => Some("you".to_string()),
        Some(p) if p == other.id => other.name.split_whitespace().next().map(str::to_string),
        _ => None,
    };
    let page = MeetingPage {
        c: Chrome::for_user(&user.0, &format!("1:1 with {}", other.name), "meetings"),
        id: v.meeting.id,
        me: v.viewer,
        series_id: v.series.id,
        version: v.meeting.version,
        viewer_is_teammate: v.viewer_is_teammate(),
        kind: kind_label(v.series.kind),
        series_note,
        when: when(v.meeting.starts_at, tz, now),
        duration: v.meeting.duration_minutes,
        other_when,
        state,
        state_label,
        status: v.meeting.status.as_str(),
        reason: v.meeting.status_reason.clone(),
        status_by: who(v.meeting.status_by),
        moved_from: v.meeting.moved_from_at.map(|m| when(m, tz, now)),
        moved_by: who(v.meeting.moved_by),
        is_scheduled: v.meeting.status == MeetingStatus::Scheduled,
        started: v.meeting.starts_at <= now,
        previous,
        previous_note,
        earlier,
        points,
        open_actions,
        actions,
        owners,
        shared_html,
        shared_meta,
        notes_text,
        notes_base,
        notes_open,
        private_html,
        private_text,
        private_base,
        private_open,
        may_rate,
        can_rate,
        rating: v.meeting.rating,
        rating_comment: v.meeting.rating_comment.clone(),
        rates,
        comment_text,
        pulse,
        next: meeting_rows(&v.next, tz, now),
        move_date,
        move_time,
        series_tz: v.series.schedule.tz.name().to_string(),
        min_date: today.to_string(),
        other,
        feedback,
        can_give_feedback,
        program,
        f,
    };
    Ok(render(status, &page))
}

/// An earlier meeting's shared notes on the meeting page, and the actions agreed in it.
struct Earlier {
    id: Uuid,
    when: String,
    html: String,
    decisions: Vec<ActionRow>,
}

#[derive(Deserialize, Default)]
pub struct MeetingQuery {
    /// What was just done, for a confirmation: `merged`, `rating`, `template`, `question`, `moved`.
    pub(super) saved: Option<String>,
    captured: Option<String>,
    /// `meeting` when the prep page is asked for its ideas to show on the meeting page.
    #[serde(rename = "for")]
    pub(super) for_page: Option<String>,
}

pub async fn meeting_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<MeetingQuery>) -> PageResult {
    let notice = match q.saved.as_deref() {
        Some("merged") => Some(
            "Your changes were combined with changes saved while you were writing. Both are in the notes below; have a look.".to_string(),
        ),
        Some("rating") => Some("Thank you: your answer is saved. It helps you both see whether these 1:1s are worth the time.".to_string()),
        Some("pulse") => {
            Some("Thank you: your answers are saved. Your manager sees them before your 1:1, and nobody else does.".to_string())
        }
        Some("template") => Some("The template's prompts are on the agenda below; remove any you do not need.".to_string()),
        Some("question") => Some("The question is on the agenda below.".to_string()),
        Some("moved") => {
            let warnings = app.meeting_time_warnings(user.person(), id).await?;
            Some(std::iter::once("Moved.".to_string()).chain(warnings).collect::<Vec<_>>().join(" "))
        }
        _ if q.captured.is_some() => Some("Captured. It is where it belongs now, and the session counts as done.".to_string()),
        _ => None,
    };
    meeting_response(&app, &user, id, StatusCode::OK, Forms { notice, ..Default::default() }).await
}

/// The meeting page again, with a refused capture of the first ten 1:1s kept in its form.
/// The pulse on the meeting page: the teammate's form while the 1:1 asks for it, the answer.
pub(super) struct PulseCard {
    form: Option<crate::web::pages::pulse::PulseForm>,
    shown: Option<crate::web::pages::pulse::PulseShown>,
    /// The 1:1 still asks for its pulse (the manager is told it has not come yet).
    asked: bool,
    /// A refused pulse's problem when the form is gone (the 1:1 ended meanwhile).
    problem: Option<String>,
}

fn pulse_card(app: &App, me: &Person, v: &MeetingView, f: &Forms) -> Option<PulseCard> {
    use crate::web::pages::pulse::{PulseForm, PulseShown};
    let state = app.pulse_for(me, &v.series, &v.meeting, v.pulse.clone());
    if !state.can_read.yes() {
        return None;
    }
    let asked = crate::app::pulse::asks_for_pulse(&v.meeting, app.clock.now());
    let form = state.can_answer.then(|| {
        let form = PulseForm::new(app.pulse_questions(), v.meeting.id, v.pulse.as_ref(), "meeting", String::new());
        match &f.pulse {
            Some((typed, errors)) => form.refused(typed, errors),
            None => form,
        }
    });
    let problem = if form.is_none() { f.pulse.as_ref().and_then(|(_, e)| e.0.first().map(|e| e.message.clone())) } else { None };
    let shown = v.pulse.as_ref().map(|p| PulseShown::new(app.pulse_questions(), p));
    (form.is_some() || shown.is_some() || asked || problem.is_some()).then_some(PulseCard { form, shown, asked, problem })
}

/// The meeting page after a refused pulse, as it was typed.
pub(crate) async fn meeting_with_pulse(
    app: &App,
    user: &CurrentUser,
    id: Uuid,
    status: StatusCode,
    typed: crate::web::pages::pulse::PulseTyped,
    errors: Invalid,
) -> PageResult {
    meeting_response(app, user, id, status, Forms { pulse: Some((typed, errors)), ..Default::default() }).await
}

pub(in crate::web::pages) async fn meeting_with_capture(
    app: &App,
    user: &CurrentUser,
    id: Uuid,
    capture: crate::web::pages::program::CaptureState,
) -> PageResult {
    meeting_response(app, user, id, StatusCode::UNPROCESSABLE_ENTITY, Forms { capture, ..Default::default() }).await
}

pub(super) fn meeting_href(id: Uuid, fragment: &str) -> String {
    format!("/meetings/{id}#{fragment}")
}

/// After a refused change to a topic or action: the meeting page again, saying why.
pub(super) async fn refused_on_meeting(
    app: &App,
    user: &CurrentUser,
    meeting: Option<Uuid>,
    e: AppError,
    item: Uuid,
    agenda: bool,
) -> PageResult {
    let Some(meeting) = meeting else { return Err(e.into()) };
    let (status, message) = match e {
        AppError::Conflict(m) => (StatusCode::CONFLICT, m),
        AppError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, i.0.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ")),
        e => return Err(e.into()),
    };
    let mut forms = Forms::default();
    if status == StatusCode::CONFLICT {
        forms.problem = Some(message);
    } else if agenda {
        forms.point_problem = Some((item, message));
    } else {
        forms.action_problem = Some((item, message));
    }
    meeting_response(app, user, meeting, status, forms).await
}
