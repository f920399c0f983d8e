//! The leader's view (`/insights`): the practice across the teams of one's organisation, with
//! its CSV. Nothing drawn from fewer than five people (see `domain::insights`).

use crate::app::App;
use crate::domain::insights::{Figure, LeaderView, Row};
use crate::domain::practice::WINDOWS;
use crate::web::auth::CurrentUser;
use crate::web::charts::ShareBars;
use crate::web::error::PageError;
use crate::web::pages::{Chrome, ok};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct InsightsQuery {
    weeks: Option<u32>,
}

struct Line {
    label: String,
    people: String,
    cells: Vec<String>,
    kind: &'static str,
}

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    c: Chrome,
    weeks: u32,
    windows: [u32; 3],
    whole_organisation: bool,
    headers: Vec<&'static str>,
    lines: Vec<Line>,
    organisations: Vec<Line>,
    hidden: String,
    bars: String,
    org_bars: String,
    empty: bool,
    as_of: String,
}

/// The most bars a chart of the page draws.
const MAX_BARS: usize = 24;

fn cell(f: Figure, v: Option<f64>) -> String {
    match v {
        Some(x) if f.is_share() => format!("{:.0} %", x * 100.0),
        Some(x) => format!("{x:.1}"),
        None => "—".into(),
    }
}

fn line(v: &LeaderView, r: &Row, kind: &'static str) -> Line {
    Line {
        label: r.label.clone(),
        people: r.people.map(|n| n.to_string()).unwrap_or_else(|| "under 5".into()),
        cells: v.figures.iter().zip(&r.values).map(|(f, x)| cell(*f, *x)).collect(),
        kind,
    }
}

pub async fn insights_page(State(app): State<App>, user: CurrentUser, Query(q): Query<InsightsQuery>) -> Result<Response, PageError> {
    let v = app.leader_view(user.person(), q.weeks.filter(|w| WINDOWS.contains(w))).await?;
    let weeks = v.weeks;
    let mut lines: Vec<Line> = v.teams.iter().map(|r| line(&v, r, "team")).collect();
    lines.extend(v.others.iter().map(|r| line(&v, r, "others")));
    lines.push(line(&v, &v.overall, "overall"));
    // A bar a row shown: the organisations' where there are any, else the teams' (as many bars
    // as a page can hold: with more teams than that, the table has them).
    let cadence = |rows: &[Row]| -> Vec<(String, Option<f64>)> {
        rows.iter().filter(|r| r.values[0].is_some()).map(|r| (r.label.clone(), r.values[0])).collect()
    };
    let chart = |shares: Vec<(String, Option<f64>)>| {
        if shares.is_empty() || shares.len() > MAX_BARS {
            String::new()
        } else {
            ShareBars::new(&shares, 0.85).render().unwrap_or_default()
        }
    };
    let org_bars = chart(cadence(&v.organisations));
    let bars = if v.organisations.is_empty() { chart(cadence(&v.teams)) } else { String::new() };
    Ok(ok(&InsightsPage {
        c: Chrome::for_user(&user.0, "Your organisation’s 1:1s", "meetings"),
        weeks,
        windows: WINDOWS,
        whole_organisation: user.person().is_admin,
        headers: v.figures.iter().map(|f| f.label()).collect(),
        empty: v.teams.is_empty(),
        hidden: v.hidden_teams.join(", "),
        as_of: v.as_of.with_timezone(&super::time::tz_of(user.person())).format("%H:%M on %A %-d %B").to_string(),
        organisations: v.organisations.iter().map(|r| line(&v, r, "organisation")).collect(),
        lines,
        bars,
        org_bars,
    }))
}

/// `/insights.csv?weeks=12`: the table of the page.
pub async fn insights_csv(State(app): State<App>, user: CurrentUser, Query(q): Query<InsightsQuery>) -> Result<Response, PageError> {
    let v = app.leader_view(user.person(), q.weeks.filter(|w| WINDOWS.contains(w))).await?;
    let weeks = v.weeks;
    Ok(crate::web::download::attachment(
        "text/csv; charset=utf-8",
        &format!("organisation-{weeks}-weeks.csv"),
        crate::domain::insights::csv(&v),
    ))
}
