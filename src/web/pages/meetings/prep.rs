//! The prep view (`/meetings/{id}/prep`): what to bring to the next 1:1.

use super::meeting::{ActionRow, MeetingQuery, PointRow, action_row, owner_name, point_rows};
use super::series::{MeetingRow, meeting_rows};
use super::shared::PageResult;
use crate::app::App;
use crate::domain::Person;
use crate::domain::meeting::{ActionItem, ActionKind};
use crate::web::auth::CurrentUser;
use crate::web::pages::time::{day, today_in, tz_of, when};
use crate::web::pages::{Chrome, ok};
use askama::Template;
use axum::extract::{Path, Query, State};
use uuid::Uuid;

struct Suggestion {
    text: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "prep.html")]
struct PrepPage {
    c: Chrome,
    id: Uuid,
    other: Person,
    viewer_is_teammate: bool,
    when: String,
    previous: Option<MeetingRow>,
    previous_note: Option<String>,
    actions: Vec<ActionRow>,
    topics: Vec<PointRow>,
    suggestions: Vec<Suggestion>,
    /// Guidance (issue 4): questions not yet asked, templates, whether the meeting is to come.
    guidance: crate::app::guidance::PrepGuidance,
    upcoming: bool,
    /// The first ten 1:1s, when the pair runs them.
    program: Option<crate::web::pages::program::ProgramPanel>,
    /// The other person's "how to work with me", when they shared it with the viewer.
    work_with_other: bool,
    /// The teammate, when the viewer keeps an about page on them (their manager).
    about_of: Option<Uuid>,
    /// A question was just added to the agenda from here.
    added: bool,
    /// Drawn for the meeting page's ideas (`?for=meeting`): its forms lead back there.
    for_meeting: bool,
    /// The teammate's pulse over time, up to this 1:1's.
    pulse: Option<crate::web::pages::pulse::PulseTrend>,
}

/// The prep page (`?saved=question` after a question was added from it).
pub async fn prep_page(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<MeetingQuery>) -> PageResult {
    let me = user.person();
    let v = app.meeting_view(me, id).await?;
    app.looked_at_coming(me, &v).await?;
    let now = app.clock.now();
    let tz = tz_of(me);
    let today = today_in(tz, now);
    let other = v.other().clone();
    let first = |p: &Person| p.name.split_whitespace().next().unwrap_or(&p.name).to_string();
    let mut open: Vec<&ActionItem> = v.actions.iter().filter(|a| a.done_at.is_none()).collect();
    // Overdue first, then by due date, then the rest.
    open.sort_by_key(|a| (a.due_date.is_none_or(|d| d >= today), a.due_date.is_none(), a.due_date));
    let actions: Vec<ActionRow> = open.iter().map(|a| action_row(a, &owner_name(&v, a), today, &None)).collect();
    let points = point_rows(&v, tz, now, &None);
    let topics: Vec<PointRow> = points.iter().filter(|p| p.by_teammate && p.carried.is_none()).cloned().collect();

    let mut suggestions = vec![];
    for a in open.iter().filter(|a| a.due_date.is_some_and(|d| d < today)) {
        let due = a.due_date.map(|d| day(d, today)).unwrap_or_default();
        let (text, reason) = if a.owner_id == v.viewer {
            (format!("Say where “{}” stands.", a.body), format!("You took it on and it was due {due}."))
        } else if a.kind == ActionKind::Help {
            (format!("Check “{}”.", a.body), format!("A “how can I help?” item, due {due}."))
        } else {
            (
                format!("Ask {} what got in the way of “{}”, and what would help.", first(&other), a.body),
                format!("It was due {due} and is still open."),
            )
        };
        suggestions.push(Suggestion { text, reason });
    }
    // Overdue steps of the teammate's growth plans (only for those who may see the plans).
    for (plan, step) in app.overdue_steps(me, v.teammate.id).await.unwrap_or_default() {
        let due = step.due_on.map(|d| day(d, today)).unwrap_or_default();
        suggestions.push(Suggestion {
            text: format!("Look at the plan step “{}” together: what got in the way, and what is next?", step.body),
            reason: format!("A step of the plan “{plan}”, due {due} and not done."),
        });
    }
    let guidance = app.prep_guidance(me, id).await?;
    let program = crate::web::pages::program::panel(&app, me, &v, !v.meeting.is_over(now), &Default::default()).await?;
    let work_with_other = app.can_read_work_with_me(me, v.other()).await?;
    // Purposes not touched for a while, topics carried over again and again, falling ratings.
    for g in &guidance.suggestions {
        suggestions.push(Suggestion { text: g.text.clone(), reason: g.reason.clone() });
    }
    for p in points.iter().filter(|p| p.carried.is_some() && !p.recurring && !guidance.carried_again.contains(&p.body)) {
        suggestions.push(Suggestion {
            text: format!("Make time for “{}”, or agree together to let it go.", p.body),
            reason: format!("It was not discussed last time ({}).", p.carried.clone().unwrap_or_default()),
        });
    }
    if !v.viewer_is_teammate() && !v.points.iter().any(|p| p.author_id == v.teammate.id) {
        suggestions.push(Suggestion {
            text: format!("Ask {} what is on their mind, and invite them to add topics.", first(&other)),
            reason: "They have not added a topic yet, and the meeting is theirs.".into(),
        });
    }
    if let Some(prev) = v.previous.as_ref().filter(|p| p.rating.is_some_and(|r| r <= 2)) {
        suggestions.push(Suggestion {
            text: "Ask what would make this hour more useful.".into(),
            reason: format!("The last 1:1 was rated {} out of 5.", prev.rating.unwrap_or_default()),
        });
    }
    let pulse = crate::web::pages::pulse::PulseTrend::new(app.pulse_questions(), &guidance.pulses, me, now);
    Ok(ok(&PrepPage {
        pulse,
        added: q.saved.as_deref() == Some("question"),
        for_meeting: q.for_page.as_deref() == Some("meeting"),
        c: Chrome::for_user(&user.0, &format!("Prepare: 1:1 with {}", other.name), "meetings"),
        id: v.meeting.id,
        viewer_is_teammate: v.viewer_is_teammate(),
        when: when(v.meeting.starts_at, tz, now),
        previous: v.previous.as_ref().map(|m| meeting_rows(std::slice::from_ref(m), tz, now).remove(0)),
        previous_note: v.previous_note.as_ref().filter(|n| !n.body.trim().is_empty()).map(App::render_note),
        actions,
        topics,
        suggestions,
        other,
        guidance,
        upcoming: !v.meeting.is_over(now),
        program,
        work_with_other,
        about_of: if app.may_keep_about(me, &v.teammate).await { Some(v.teammate.id.0) } else { None },
    }))
}
