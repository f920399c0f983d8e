//! "My practice" (`/practice`): a manager's own follow-through, for them alone, with its CSV.

use crate::app::App;
use crate::domain::practice::{ChangedBy, Practice, Share, WINDOWS, days_ago, rating_words};
use crate::web::auth::CurrentUser;
use crate::web::charts::ShareBars;
use crate::web::error::PageError;
use crate::web::pages::{Chrome, ok};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PracticeQuery {
    weeks: Option<u32>,
}

/// One figure of the page: what it is, its value in words, a detail and what to try next.
struct Figure {
    title: &'static str,
    value: String,
    detail: String,
    advice: String,
}

/// One person's row of the table.
struct Row {
    name: String,
    cadence: String,
    skipped: String,
    moved: String,
    topics: String,
    help: String,
    mine: String,
    theirs: String,
    rating: String,
    career: String,
    feedback: String,
    growth: String,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    c: Chrome,
    weeks: u32,
    windows: [u32; 3],
    figures: Vec<Figure>,
    rows: Vec<Row>,
    bars: String,
}

fn pct(s: Share) -> String {
    s.ratio().map(|r| format!("{:.0} %", r * 100.0)).unwrap_or_else(|| "—".into())
}

/// A table cell: "3 (2 by you, 1 by them)".
fn changes(n: u32, by: ChangedBy) -> String {
    format!("{n}{}", by.words())
}

fn figures(p: &Practice) -> Vec<Figure> {
    let o = &p.overall;
    let advice = |name: &str| p.advice.iter().find(|a| a.figure == name).map(|a| a.text.clone()).unwrap_or_default();
    let mut actions = o.my_actions;
    actions.part += o.their_actions.part;
    actions.whole += o.their_actions.whole;
    let longest = p.purposes.first().map(|(purpose, last)| {
        format!(
            "Waited longest: {} ({})",
            purpose.label(),
            last.map(|at| days_ago(Some((p.as_of - at).num_days()))).unwrap_or_else(|| "never".into())
        )
    });
    let waits = [("career", o.since_career), ("feedback", o.since_feedback), ("growth", o.since_growth)];
    vec![
        Figure {
            title: "1:1s held as planned",
            value: pct(o.cadence),
            detail: format!(
                "{} held of {} due · {} skipped{} · {} cancelled{} · {} moved{}",
                o.cadence.part,
                o.cadence.whole,
                o.skipped,
                o.skipped_by.words(),
                o.cancelled,
                o.cancelled_by.words(),
                o.moved,
                o.moved_by.words()
            ),
            advice: advice("cadence"),
        },
        Figure {
            title: "Topics they raised",
            value: pct(o.topics),
            detail: format!("{} of {} topics came from the people you meet", o.topics.part, o.topics.whole),
            advice: advice("topics"),
        },
        Figure { title: "“How can I help?” kept on time", value: pct(o.help), detail: o.help.words(), advice: advice("help") },
        Figure {
            title: "Actions done on time",
            value: pct(actions),
            detail: format!("Yours: {} · theirs: {}", o.my_actions.words(), o.their_actions.words()),
            advice: advice("actions"),
        },
        Figure {
            title: "Worth their time",
            value: rating_words(o.rating),
            detail: match o.rating_before {
                Some(b) => format!("Average of 5; {b:.1} in the {} weeks before", p.weeks),
                None => "Average “was this worth your time?”, of 5".into(),
            },
            advice: advice("rating"),
        },
        Figure {
            title: "What 1:1s are for, covered",
            value: format!("{} of 10", o.purposes.len()),
            detail: longest.unwrap_or_default(),
            advice: advice("purposes"),
        },
        Figure {
            title: "Longest wait for a conversation",
            // None overall: someone never had one (or nobody reports to them).
            value: if p.people.is_empty() {
                "—".into()
            } else if waits.iter().any(|(_, d)| d.is_none()) {
                "never".into()
            } else {
                days_ago(waits.iter().filter_map(|(_, d)| *d).max())
            },
            detail: waits.iter().map(|(what, d)| format!("{what}: {}", days_ago(*d))).collect::<Vec<_>>().join(" · "),
            advice: advice("since"),
        },
    ]
}

pub async fn practice_page(State(app): State<App>, user: CurrentUser, Query(q): Query<PracticeQuery>) -> Result<Response, PageError> {
    let p = app.my_practice(user.person(), q.weeks.filter(|w| WINDOWS.contains(w))).await?;
    let weeks = p.weeks;
    let rows = p
        .people
        .iter()
        .map(|r| {
            let g = &r.figures;
            Row {
                name: r.name.clone(),
                cadence: format!("{} ({}/{})", pct(g.cadence), g.cadence.part, g.cadence.whole),
                skipped: changes(g.skipped + g.cancelled, g.skipped_by.plus(g.cancelled_by)),
                moved: changes(g.moved, g.moved_by),
                topics: pct(g.topics),
                help: pct(g.help),
                mine: pct(g.my_actions),
                theirs: pct(g.their_actions),
                rating: rating_words(g.rating),
                career: days_ago(g.since_career),
                feedback: days_ago(g.since_feedback),
                growth: days_ago(g.since_growth),
            }
        })
        .collect();
    let shares: Vec<(String, Option<f64>)> = p.people.iter().map(|r| (r.name.clone(), r.figures.cadence.ratio())).collect();
    let bars = ShareBars::new(&shares, 0.85).render().unwrap_or_default();
    Ok(ok(&PracticePage {
        c: Chrome::for_user(&user.0, "Your practice", "meetings"),
        weeks,
        windows: WINDOWS,
        figures: figures(&p),
        rows,
        bars,
    }))
}

/// `/practice.csv?weeks=12`: the table of the page, one row a person and one for everyone.
pub async fn practice_csv(State(app): State<App>, user: CurrentUser, Query(q): Query<PracticeQuery>) -> Result<Response, PageError> {
    let p = app.my_practice(user.person(), q.weeks.filter(|w| WINDOWS.contains(w))).await?;
    let weeks = p.weeks;
    Ok(crate::web::download::attachment(
        "text/csv; charset=utf-8",
        &format!("practice-{weeks}-weeks.csv"),
        crate::domain::practice::csv(&p),
    ))
}
