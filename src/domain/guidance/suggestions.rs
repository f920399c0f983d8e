//! Suggestions for the prep view, from a pair's history.

use super::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// When a suggestion is due. Set under `[guidance]` in rapport.toml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Weeks without touching a purpose before it is suggested (every purpose not named below).
    pub purpose_gap_weeks: u32,
    /// Weeks without feedback exchanged.
    pub feedback_gap_weeks: u32,
    /// Weeks without a career conversation.
    pub career_gap_weeks: u32,
    /// At most this many purposes suggested at once (the longest gaps first).
    pub max_purposes: u32,
    /// A topic carried over this many times is suggested for settling.
    pub carried_times: u32,
    /// This many ratings in a row, each lower than the one before, is a falling trend.
    pub falling_ratings: u32,
    /// An important date or time off from the manager's about page this many days ahead (or
    /// fewer) is suggested; exactly this many counts.
    pub important_date_days: u32,
    /// A pulse answer this many points lower than the one before is suggested.
    pub pulse_drop: u32,
    /// The same pulse question answered low (2 or under) this many times in a row is suggested.
    pub pulse_low_times: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            purpose_gap_weeks: 6,
            feedback_gap_weeks: 3,
            career_gap_weeks: 8,
            max_purposes: 3,
            carried_times: 2,
            falling_ratings: 3,
            important_date_days: 14,
            pulse_drop: 2,
            pulse_low_times: 3,
        }
    }
}

impl Thresholds {
    pub fn weeks_for(&self, p: Purpose) -> u32 {
        match p {
            Purpose::Feedback => self.feedback_gap_weeks,
            Purpose::Career => self.career_gap_weeks,
            _ => self.purpose_gap_weeks,
        }
    }
}

/// What the suggestions are computed from: one pair's history, as of `now`.
#[derive(Debug, Clone)]
pub struct PairHistory {
    pub now: DateTime<Utc>,
    /// When the pair's 1:1s began (a purpose never touched counts from here).
    pub started: DateTime<Utc>,
    /// When each question, prompt or template the pair used touched which purposes.
    pub touched: Vec<(DateTime<Utc>, Vec<Purpose>)>,
    /// Ratings of the pair's past meetings, oldest first.
    pub ratings: Vec<i64>,
    /// Topics on this meeting's agenda with how many times each was carried over.
    pub carried: Vec<(String, u32)>,
    /// Dates and time off from the manager's about page on the teammate. Empty unless the
    /// viewer is that manager: the teammate's prep never reads it.
    pub about: crate::domain::about::AboutFacts,
    /// What the teammate's pulse says (from [`crate::domain::pulse::signals`]), each with its
    /// question's label.
    pub pulse: Vec<(String, crate::domain::pulse::Signal)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub text: String,
    pub reason: String,
    /// The purpose the suggestion is about, when it is one.
    pub purpose: Option<Purpose>,
}

#[derive(Deserialize)]
pub(super) struct Phrase {
    pub(super) text: String,
    pub(super) reason: String,
}

#[derive(Deserialize)]
pub(super) struct Phrases {
    pub(super) purpose_gap: std::collections::HashMap<String, Phrase>,
    pub(super) carried: Phrase,
    pub(super) falling_ratings: Phrase,
    pub(super) important_date: Phrase,
    pub(super) time_off: Phrase,
    pub(super) away: Phrase,
    pub(super) pulse_drop: Phrase,
    pub(super) pulse_low: Phrase,
}

pub(super) const SUGGESTIONS_TOML: &str = include_str!("../../../content/suggestions.toml");

pub(super) fn phrases() -> &'static Phrases {
    static P: OnceLock<Phrases> = OnceLock::new();
    P.get_or_init(|| toml::from_str(SUGGESTIONS_TOML).expect("content/suggestions.toml"))
}

pub(super) fn fill(s: &str, vars: &[(&str, String)]) -> String {
    vars.iter().fold(s.to_string(), |acc, (k, v)| acc.replace(&format!("{{{k}}}"), v))
}

/// The suggestions for a pair, each with its reason: purposes not touched for a while (the
/// longest gaps, measured against their thresholds, first), topics carried over again and
/// again, a falling rating trend, and important dates or time off coming up. What the
/// teammate's pulse says comes first: how someone is doing matters before what to talk about.
pub fn suggest(h: &PairHistory, t: &Thresholds) -> Vec<Suggestion> {
    use crate::domain::pulse::Signal;
    let ph = phrases();
    let mut out = vec![];
    for (label, signal) in &h.pulse {
        let (phrase, vars) = match signal {
            Signal::Drop { from, to, .. } => {
                (&ph.pulse_drop, vec![("label", label.clone()), ("from", from.to_string()), ("to", to.to_string())])
            }
            Signal::Low { answers, .. } => {
                let list = answers.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ");
                let pulses = if answers.len() == 1 { "pulse".to_string() } else { format!("{} pulses", answers.len()) };
                (&ph.pulse_low, vec![("label", label.clone()), ("pulses", pulses), ("answers", list)])
            }
        };
        out.push(Suggestion { text: fill(&phrase.text, &vars), reason: fill(&phrase.reason, &vars), purpose: None });
    }
    let mut gaps: Vec<(f64, Purpose, i64)> = vec![];
    for p in Purpose::ALL {
        let last = h.touched.iter().filter(|(_, ps)| ps.contains(&p)).map(|(at, _)| *at).max().unwrap_or(h.started);
        let weeks = (h.now - last).num_weeks();
        let limit = t.weeks_for(p).max(1) as i64;
        if weeks >= limit {
            gaps.push((weeks as f64 / limit as f64, p, weeks));
        }
    }
    gaps.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, p, weeks) in gaps.into_iter().take(t.max_purposes as usize) {
        if let Some(phrase) = ph.purpose_gap.get(p.slug()) {
            let vars = [("weeks", if weeks == 1 { "1 week".to_string() } else { format!("{weeks} weeks") })];
            out.push(Suggestion { text: fill(&phrase.text, &vars), reason: fill(&phrase.reason, &vars), purpose: Some(p) });
        }
    }
    for (topic, times) in &h.carried {
        if *times >= t.carried_times.max(1) {
            let vars = [("topic", topic.clone()), ("times", times.to_string())];
            out.push(Suggestion { text: fill(&ph.carried.text, &vars), reason: fill(&ph.carried.reason, &vars), purpose: None });
        }
    }
    let n = t.falling_ratings.max(2) as usize;
    if h.ratings.len() >= n {
        let last = &h.ratings[h.ratings.len() - n..];
        if last.windows(2).all(|w| w[1] < w[0]) {
            let list = last.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
            let vars = [("times", n.to_string()), ("ratings", list)];
            out.push(Suggestion {
                text: fill(&ph.falling_ratings.text, &vars),
                reason: fill(&ph.falling_ratings.reason, &vars),
                purpose: None,
            });
        }
    }
    use crate::domain::about::{Coming, day_words, in_days_words, range_words, upcoming};
    let today = h.about.today;
    for c in upcoming(&h.about, t.important_date_days) {
        let (phrase, vars) = match c {
            Coming::Date { label, on, in_days } => {
                (&ph.important_date, vec![("label", label), ("date", day_words(on, today)), ("when", in_days_words(in_days))])
            }
            Coming::TimeOff { label, starts_on, ends_on, in_days } => {
                (&ph.time_off, vec![("label", label), ("range", range_words(starts_on, ends_on, today)), ("when", in_days_words(in_days))])
            }
            Coming::Away { label, starts_on, ends_on } => {
                (&ph.away, vec![("label", label), ("range", range_words(starts_on, ends_on, today)), ("end", day_words(ends_on, today))])
            }
        };
        out.push(Suggestion { text: fill(&phrase.text, &vars), reason: fill(&phrase.reason, &vars), purpose: None });
    }
    out
}
