//! The pulse on the pages: the teammate's form (on the home and the meeting page), the answer
//! as the pair reads it, and a pair's trend as a chart with its table (series page and prep).

use super::time::{day, today_in, tz_of};
use crate::app::App;
use crate::domain::Invalid;
use crate::domain::Person;
use crate::domain::pulse::{Pulse, Questions};
use crate::web::auth::CurrentUser;
use crate::web::charts::PulseLine;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// One question of the form, with what was chosen and what went wrong.
pub struct QuestionField {
    pub key: String,
    pub label: String,
    pub text: String,
    pub low: String,
    pub high: String,
    pub chosen: Option<i64>,
    pub error: Option<String>,
}

impl QuestionField {
    /// Whether the answer `v` is the one chosen.
    pub fn checked(&self, v: &i64) -> bool {
        self.chosen == Some(*v)
    }
}

/// The teammate's pulse form for one coming 1:1.
pub struct PulseForm {
    pub meeting_id: Uuid,
    pub questions: Vec<QuestionField>,
    pub comment: String,
    pub comment_error: Option<String>,
    /// A problem with the pulse as a whole (the 1:1 is over).
    pub problem: Option<String>,
    /// Answered already: the form changes the answer.
    pub answered: bool,
    /// Where a sent form leads: "home" or "meeting".
    pub back: &'static str,
    /// A few words on when the 1:1 is, for the home ("Tuesday's 1:1").
    pub for_when: String,
}

impl PulseForm {
    /// The form for `meeting_id`, filled with the answer given (if any).
    pub fn new(questions: &Questions, meeting_id: Uuid, answer: Option<&Pulse>, back: &'static str, for_when: String) -> PulseForm {
        PulseForm {
            meeting_id,
            questions: questions
                .all()
                .iter()
                .map(|q| QuestionField {
                    key: q.key.clone(),
                    label: q.label.clone(),
                    text: q.text.clone(),
                    low: q.low.clone(),
                    high: q.high.clone(),
                    chosen: answer.and_then(|a| a.answers.get(&q.key).copied()),
                    error: None,
                })
                .collect(),
            comment: answer.map(|a| a.comment.clone()).unwrap_or_default(),
            comment_error: None,
            problem: None,
            answered: answer.is_some(),
            back,
            for_when,
        }
    }

    /// The form again as it was sent, with each problem next to its question.
    pub fn refused(mut self, typed: &PulseTyped, errors: &Invalid) -> PulseForm {
        for q in &mut self.questions {
            q.chosen = typed.answers.get(&q.key).copied();
            q.error = errors.message_for(&format!("answers.{}", q.key)).map(str::to_string);
        }
        self.comment = typed.comment.clone();
        self.comment_error = errors.message_for("comment").map(str::to_string);
        self.problem = errors.message_for("meeting").map(str::to_string);
        self
    }

    pub fn has_errors(&self) -> bool {
        self.problem.is_some() || self.comment_error.is_some() || self.questions.iter().any(|q| q.error.is_some())
    }
}

/// A pulse as the pair reads it: each answer with its question's words.
pub struct PulseShown {
    pub rows: Vec<(String, i64, String)>,
    pub comment: String,
}

impl PulseShown {
    pub fn new(questions: &Questions, p: &Pulse) -> PulseShown {
        let rows = p
            .answers
            .iter()
            .map(|(key, v)| {
                let q = questions.get(key);
                let word = match (q, *v) {
                    (Some(q), 1) => q.low.clone(),
                    (Some(q), 5) => q.high.clone(),
                    _ => String::new(),
                };
                (questions.label(key).to_string(), *v, word)
            })
            .collect::<Vec<_>>();
        // In the order of the questions, then any the file no longer asks.
        let order = |label: &str| questions.all().iter().position(|q| q.label == label).unwrap_or(usize::MAX);
        let mut rows = rows;
        rows.sort_by_key(|(label, _, _)| order(label));
        PulseShown { rows, comment: p.comment.clone() }
    }
}

/// A pair's pulse over time: one line a question (the chart) and the same as a table.
pub struct PulseTrend {
    pub lines: Vec<TrendLine>,
    /// The table's columns: the day of each 1:1.
    pub days: Vec<String>,
    /// Comments, newest first, with the day of their 1:1.
    pub comments: Vec<(String, String)>,
    /// One sentence on the latest pulse against the one before.
    pub summary: String,
}

pub struct TrendLine {
    pub label: String,
    pub svg: String,
    /// Each pulse's answer (blank where a pulse did not answer this question).
    pub values: Vec<String>,
    pub latest: Option<i64>,
}

impl PulseTrend {
    /// From pulses oldest first; `None` when there is none.
    pub fn new(questions: &Questions, pulses: &[Pulse], reader: &Person, now: DateTime<Utc>) -> Option<PulseTrend> {
        if pulses.is_empty() {
            return None;
        }
        let tz = tz_of(reader);
        let today = today_in(tz, now);
        let day_of = |p: &Pulse| day(p.meeting_starts_at.with_timezone(&tz).date_naive(), today);
        let days: Vec<String> = pulses.iter().map(day_of).collect();
        let mut lines = vec![];
        for q in questions.all() {
            let values: Vec<Option<i64>> = pulses.iter().map(|p| p.answers.get(&q.key).copied()).collect();
            if values.iter().all(Option::is_none) {
                continue;
            }
            let points: Vec<(String, Option<i64>)> = days
                .iter()
                .zip(&values)
                .map(|(d, v)| (format!("{}, {d}: {}", q.label, v.map(|v| format!("{v} of 5")).unwrap_or_default()), *v))
                .collect();
            let svg = PulseLine::new(&points).render().unwrap_or_default();
            lines.push(TrendLine {
                label: q.label.clone(),
                svg,
                values: values.iter().map(|v| v.map(|v| v.to_string()).unwrap_or_default()).collect(),
                latest: values.iter().rev().flatten().next().copied(),
            });
        }
        let comments =
            pulses.iter().rev().filter(|p| !p.comment.trim().is_empty()).take(3).map(|p| (day_of(p), p.comment.clone())).collect();
        let summary = summary(questions, pulses);
        Some(PulseTrend { lines, days, comments, summary })
    }
}

/// "Since the pulse before: Energy down 2, Workload the same, …" or the first pulse in words.
fn summary(questions: &Questions, pulses: &[Pulse]) -> String {
    let last = &pulses[pulses.len() - 1];
    let Some(before) = pulses.len().checked_sub(2).map(|i| &pulses[i]) else {
        return "The first pulse: the trend shows from the second.".to_string();
    };
    let parts: Vec<String> = questions
        .all()
        .iter()
        .filter_map(|q| {
            let (a, b) = (before.answers.get(&q.key)?, last.answers.get(&q.key)?);
            Some(match b - a {
                0 => format!("{} the same", q.label),
                d if d > 0 => format!("{} up {d}", q.label),
                d => format!("{} down {}", q.label, -d),
            })
        })
        .collect();
    if parts.is_empty() { format!("{} pulses.", pulses.len()) } else { format!("Since the pulse before: {}.", parts.join(", ")) }
}

/// The form as typed: each question's choice (when it is a number) and the comment.
pub struct PulseTyped {
    pub answers: BTreeMap<String, i64>,
    pub comment: String,
    back: &'static str,
}

impl PulseTyped {
    fn read(fields: HashMap<String, String>) -> PulseTyped {
        let mut answers = BTreeMap::new();
        for (name, value) in &fields {
            if let Some(key) = name.strip_prefix("answers.") {
                // A value that is not a whole number is 0, which the rule refuses in its words.
                answers.insert(key.to_string(), value.trim().parse::<i64>().unwrap_or(0));
            }
        }
        let back = if fields.get("back").map(String::as_str) == Some("home") { "home" } else { "meeting" };
        PulseTyped { answers, comment: fields.get("comment").cloned().unwrap_or_default(), back }
    }
}

/// `POST /meetings/{id}/pulse`: the teammate's answer from the home or the meeting page. A
/// refused one is shown again on the meeting page, as typed, each problem by its question.
pub async fn answer_pulse(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    crate::web::pages::Form(fields): crate::web::pages::Form<HashMap<String, String>>,
) -> Result<Response, crate::web::error::PageError> {
    let typed = PulseTyped::read(fields);
    match app.answer_pulse(user.person(), id, &typed.answers, &typed.comment).await {
        Ok(_) => Ok(axum::response::IntoResponse::into_response(axum::response::Redirect::to(&match typed.back {
            "home" => format!("/meetings?pulse=sent#pulse-{id}"),
            _ => format!("/meetings/{id}?saved=pulse#pulse"),
        }))),
        Err(crate::app::AppError::Invalid(errors)) => {
            crate::web::pages::meetings::meeting_with_pulse(&app, &user, id, StatusCode::UNPROCESSABLE_ENTITY, typed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
