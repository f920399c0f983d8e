//! "Your 1:1s" (`/meetings`, the home): one row per person you meet, with the next 1:1 in both
//! people's time and what needs you before it; then the series that are paused or ended.

use super::shared::{PageResult, kind_label, schedule_label, series_status_label};
use crate::app::App;
use crate::app::meetings::{HomeRow, SeriesSummary};
use crate::domain::Person;
use crate::domain::meeting::{SeriesKind, SeriesStatus};
use crate::web::auth::CurrentUser;
use crate::web::pages::time::{their_time, tz_of, when_soon};
use crate::web::pages::{Chrome, ok};
use askama::Template;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// Something waiting on the viewer, with where to do it.
struct Need {
    text: String,
    href: String,
    /// Late already (an overdue action, a 1:1 waiting for its rating).
    urgent: bool,
    /// Why, in a few words (a suggestion's reason).
    reason: Option<String>,
}

/// One person the viewer meets.
struct PersonRow {
    series_id: Uuid,
    other: Person,
    kind: &'static str,
    i_lead: bool,
    /// The next 1:1: its id, when in the viewer's time, and in the other person's where it differs.
    next: Option<(Uuid, String, Option<String>)>,
    needs: Vec<Need>,
    /// For the teammate: the pulse of the next 1:1, not yet answered.
    pulse: Option<crate::web::pages::pulse::PulseForm>,
}

fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

fn person_row(r: HomeRow, me: &Person, now: DateTime<Utc>, questions: &crate::domain::pulse::Questions) -> PersonRow {
    let tz = tz_of(me);
    let first = r.other.name.split_whitespace().next().unwrap_or(&r.other.name).to_string();
    let i_lead = r.i_lead(me);
    let mut needs = vec![];
    if let Some(next) = &r.next {
        let agenda = format!("/meetings/{}#agenda", next.id);
        if !i_lead && r.my_topics == 0 {
            let weekday = next.starts_at.with_timezone(&tz).format("%A");
            needs.push(Need { text: format!("Add your topics for {weekday}"), href: agenda.clone(), urgent: false, reason: None });
        }
        // Prep's suggestion, on the day: the meeting is theirs and they have said nothing yet.
        if i_lead && r.their_topics == 0 && next.starts_at - now <= Duration::hours(24) {
            let text = format!("No topics from {first} yet: ask what is on their mind");
            needs.push(Need { text, href: format!("/meetings/{}/prep#sugg-h", next.id), urgent: false, reason: None });
        }
        if r.their_topics > 0 {
            let topics = format!("{} from {first}", plural(r.their_topics, "topic", "topics"));
            let text = match r.new_topics {
                0 => topics,
                n if n == r.their_topics => format!("{topics}, new since you last looked"),
                n => format!("{topics}, {n} new since you last looked"),
            };
            needs.push(Need { text, href: agenda, urgent: false, reason: None });
        }
    }
    if let Some(m) = &r.to_rate {
        let day = m.starts_at.with_timezone(&tz).format("%a %-d %b");
        needs.push(Need { text: format!("Rate the 1:1 of {day}"), href: format!("/meetings/{}#rating", m.id), urgent: true, reason: None });
    }
    if r.overdue_actions > 0 {
        let text = format!("{} of yours overdue", plural(r.overdue_actions as i64, "action", "actions"));
        needs.push(Need { text, href: "/actions".into(), urgent: true, reason: None });
    } else if r.open_actions > 0 {
        needs.push(Need {
            text: format!("{} of yours open", plural(r.open_actions as i64, "action", "actions")),
            href: "/actions".into(),
            urgent: false,
            reason: None,
        });
    }
    if let Some(p) = &r.program_next {
        let text = format!("First ten 1:1s: session {} of {}, “{}”, is next", p.number, p.total, p.title);
        needs.push(Need { text, href: format!("/series/{}/program", r.series.id), urgent: false, reason: None });
    }
    if r.help_owed > 0 {
        let text = format!("{} to keep", plural(r.help_owed as i64, "“how can I help?”", "“how can I help?”s"));
        needs.push(Need { text, href: "/actions?kind=help".into(), urgent: false, reason: None });
    }
    if let (Some(s), Some(next)) = (&r.suggestion, &r.next) {
        let text = format!("Suggested: {}", s.text);
        needs.push(Need { text, href: format!("/meetings/{}/prep#sugg-h", next.id), urgent: false, reason: Some(s.reason.clone()) });
    }
    let next = r.next.as_ref().map(|m| {
        let other_time = their_time(m.starts_at, tz, &r.other);
        (m.id, when_soon(m.starts_at, tz, now), other_time)
    });
    let pulse = r.pulse_due.as_ref().map(|m| {
        let weekday = m.starts_at.with_timezone(&tz).format("%A");
        crate::web::pages::pulse::PulseForm::new(questions, m.id, None, "home", format!("{weekday}’s 1:1 with {first}"))
    });
    PersonRow { series_id: r.series.id, kind: kind_label(r.series.kind), i_lead, next, needs, pulse, other: r.other }
}

struct SeriesRow {
    id: Uuid,
    other: Person,
    kind: &'static str,
    schedule: String,
    status: &'static str,
    status_class: &'static str,
    i_lead: bool,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    c: Chrome,
    people: Vec<PersonRow>,
    /// Series that are paused or ended.
    series: Vec<SeriesRow>,
    /// Direct reports with no recurring 1:1s yet.
    to_start: Vec<Person>,
    has_reports: bool,
    /// Kickoff notes received lately (or not opened yet): (series, from, subject, read).
    notes: Vec<(Uuid, String, String, bool)>,
    /// The pulse was just answered from here.
    pulse_sent: bool,
}

fn series_rows(list: Vec<SeriesSummary>, me: &Person) -> Vec<SeriesRow> {
    let mut rows: Vec<SeriesRow> = list
        .into_iter()
        .map(|s| SeriesRow {
            id: s.series.id,
            kind: kind_label(s.series.kind),
            schedule: schedule_label(&s.series),
            status: series_status_label(s.series.status),
            status_class: s.series.status.as_str(),
            i_lead: s.series.manager_id == me.id,
            other: s.other,
        })
        .collect();
    // Active first, then paused, then ended; by name within each.
    rows.sort_by_key(|r| (r.status_class == "ended", r.status_class == "paused", r.other.name.to_lowercase()));
    rows
}

/// `?pulse=sent` after the pulse was answered from the home.
#[derive(serde::Deserialize)]
pub struct HomeQuery {
    pulse: Option<String>,
}

pub async fn index(State(app): State<App>, user: CurrentUser, axum::extract::Query(q): axum::extract::Query<HomeQuery>) -> PageResult {
    let me = user.person();
    let now = app.clock.now();
    let summaries = app.my_series(me).await?;
    let people: Vec<PersonRow> =
        app.home(me, &summaries).await?.into_iter().map(|r| person_row(r, me, now, app.pulse_questions())).collect();
    let reports = app.profile(me, me.id).await?.reports;
    let to_start = reports
        .iter()
        .filter(|r| {
            !summaries.iter().any(|s| {
                s.series.manager_id == me.id
                    && s.series.teammate_id == r.person.id
                    && s.series.kind == SeriesKind::Regular
                    && s.series.status != SeriesStatus::Ended
            })
        })
        .map(|r| r.person.clone())
        .collect();
    let notes = app
        .received_kickoffs(me)
        .await?
        .into_iter()
        .filter(|k| !k.read || k.sent_at > now - Duration::days(14))
        .map(|k| (k.series_id, k.manager.name, k.subject, k.read))
        .collect();
    Ok(ok(&MeetingsPage {
        pulse_sent: q.pulse.as_deref() == Some("sent"),
        notes,
        c: Chrome::for_user(&user.0, "Your 1:1s", "meetings"),
        people,
        series: series_rows(summaries, me).into_iter().filter(|r| r.status_class != "active").collect(),
        to_start,
        has_reports: !reports.is_empty(),
    }))
}
