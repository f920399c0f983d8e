//! Blameless setback records: what happened (facts), the context that made it likely, the
//! remedy, what the manager will do differently, what was learned, and follow-up actions.
//!
//! The words that guide the form (a prompt per field, the contexts, the words that sound like
//! blame and the hint about them) live in `content/setbacks.toml`.

use super::day::{Day, blank_is_none};
use super::{FieldError, Invalid};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use uuid::Uuid;

pub const TEXT_MAX: usize = 4000;
pub const OTHER_MAX: usize = 200;
/// Follow-up actions recorded at once.
pub const ACTIONS_MAX: usize = 10;

/// What made a setback more likely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    LackOfFocus,
    CompetingPriorities,
    MissingSupport,
    UnrealisticGoals,
    UnclearExpectations,
    Other,
}

impl Context {
    pub const ALL: [Context; 6] = [
        Context::LackOfFocus,
        Context::CompetingPriorities,
        Context::MissingSupport,
        Context::UnrealisticGoals,
        Context::UnclearExpectations,
        Context::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Context::LackOfFocus => "lack_of_focus",
            Context::CompetingPriorities => "competing_priorities",
            Context::MissingSupport => "missing_support",
            Context::UnrealisticGoals => "unrealistic_goals",
            Context::UnclearExpectations => "unclear_expectations",
            Context::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.slug() == s.trim())
    }

    /// The words people see (from `content/setbacks.toml`).
    pub fn label(self) -> &'static str {
        content().contexts.get(self.slug()).map(String::as_str).unwrap_or(self.slug())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Setback {
    pub id: Uuid,
    /// The person it is about.
    pub person_id: Uuid,
    /// Who recorded it: the person or their manager. Only they change it.
    pub author_id: Uuid,
    /// A 1:1 of the person with their manager, when it came up in one.
    pub meeting_id: Option<Uuid>,
    pub occurred_on: NaiveDate,
    pub facts: String,
    pub contexts: Vec<Context>,
    /// Said when the contexts include `other`.
    pub context_other: String,
    pub remedy: String,
    pub manager_change: String,
    pub learned: String,
    /// The follow-up action items made with it (they live on the pair's 1:1).
    pub action_ids: Vec<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Setback {
    /// The contexts in words, "Other" replaced by what was said.
    pub fn context_words(&self) -> Vec<String> {
        self.contexts
            .iter()
            .map(
                |c| if *c == Context::Other && !self.context_other.is_empty() { self.context_other.clone() } else { c.label().to_string() },
            )
            .collect()
    }
}

/// What a person fills in.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetbackInput {
    /// YYYY-MM-DD; not in the future.
    #[schema(value_type = String, format = Date)]
    pub occurred_on: Day,
    pub facts: String,
    /// One or more of: lack_of_focus, competing_priorities, missing_support, unrealistic_goals,
    /// unclear_expectations, other.
    #[serde(default)]
    pub contexts: Vec<String>,
    /// Required with `other`.
    #[serde(default)]
    pub context_other: String,
    #[serde(default)]
    pub remedy: String,
    #[serde(default)]
    pub manager_change: String,
    #[serde(default)]
    pub learned: String,
    /// A 1:1 of the person with their manager.
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
}

/// A follow-up action: it becomes an action item on the pair's next 1:1.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    pub body: String,
    /// The person or their manager; the person when left out.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    /// YYYY-MM-DD; left out, `null` or blank is no date.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Day>,
}

fn text(field: &str, s: &str, max: usize, errors: &mut Invalid) -> String {
    let s = s.trim().replace("\r\n", "\n");
    if s.chars().count() > max {
        errors.push(FieldError::new(field, format!("Keep it to {max} characters; this is {}.", s.chars().count())));
    }
    s
}

/// Checks a record and writes what was filled in over `record`'s own fields (its ids, actions,
/// version and times stay). `today` is the recorder's day: a setback has happened already.
pub fn validate(input: &SetbackInput, today: NaiveDate, record: Setback) -> Result<Setback, Invalid> {
    let mut errors = Invalid::default();
    let occurred_on = input.occurred_on.date();
    if occurred_on > today {
        errors.push(FieldError::new("occurred_on", format!("{occurred_on} is in the future; record a setback once it has happened.")));
    }
    let facts = text("facts", &input.facts, TEXT_MAX, &mut errors);
    if facts.is_empty() {
        errors.push(FieldError::new("facts", "Describe what happened, as facts."));
    }
    let mut contexts = vec![];
    for c in &input.contexts {
        match Context::parse(c) {
            Some(c) if !contexts.contains(&c) => contexts.push(c),
            Some(_) => {}
            None => {
                errors.push(FieldError::new("contexts", format!("“{c}” is not one of: {}.", Context::ALL.map(|c| c.slug()).join(", "))))
            }
        }
    }
    contexts.sort();
    if input.contexts.is_empty() {
        errors.push(FieldError::new("contexts", "Pick at least one thing that made it more likely."));
    }
    let context_other = text("context_other", &input.context_other, OTHER_MAX, &mut errors);
    if contexts.contains(&Context::Other) && context_other.is_empty() {
        errors.push(FieldError::new("context_other", "You picked “something else”: say what it was."));
    }
    let context_other = if contexts.contains(&Context::Other) { context_other } else { String::new() };
    let remedy = text("remedy", &input.remedy, TEXT_MAX, &mut errors);
    let manager_change = text("manager_change", &input.manager_change, TEXT_MAX, &mut errors);
    let learned = text("learned", &input.learned, TEXT_MAX, &mut errors);
    errors.into_result()?;
    let meeting_id = input.meeting_id;
    Ok(Setback { meeting_id, occurred_on, facts, contexts, context_other, remedy, manager_change, learned, ..record })
}

// ---- content ----

#[derive(Deserialize)]
struct Blame {
    words: Vec<String>,
    hint: String,
}

#[derive(Deserialize)]
struct Content {
    intro: String,
    prompts: HashMap<String, String>,
    contexts: HashMap<String, String>,
    blame: Blame,
}

const SETBACKS_TOML: &str = include_str!("../../content/setbacks.toml");

fn content() -> &'static Content {
    static C: OnceLock<Content> = OnceLock::new();
    C.get_or_init(|| toml::from_str(SETBACKS_TOML).expect("content/setbacks.toml"))
}

/// The short guiding prompt shown under a field.
pub fn prompt(field: &str) -> &'static str {
    content().prompts.get(field).map(String::as_str).unwrap_or("")
}

pub fn intro() -> &'static str {
    &content().intro
}

/// The blaming words and phrases in a text, in the order of the list, each once.
pub fn blaming_words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’';
    content()
        .blame
        .words
        .iter()
        .filter(|w| {
            let w = w.to_lowercase();
            lower.match_indices(&w).any(|(i, _)| {
                let before = lower[..i].chars().next_back();
                let after = lower[i + w.len()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
        })
        .cloned()
        .collect()
}

/// The blaming words as a JSON list, and the hint with its `{words}` placeholder: the form's
/// script shows the hint while typing.
pub fn blame_words_json() -> String {
    serde_json::to_string(&content().blame.words).unwrap_or_else(|_| "[]".into())
}

pub fn blame_hint_template() -> &'static str {
    &content().blame.hint
}

/// The gentle hint for a text with blaming words, or `None`.
pub fn blame_hint(text: &str) -> Option<String> {
    let words = blaming_words(text);
    if words.is_empty() {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("“{w}”")).collect();
    Some(content().blame.hint.replace("{words}", &quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_content_names_every_context_and_prompts_every_field() {
        for c in Context::ALL {
            assert!(content().contexts.contains_key(c.slug()), "{c:?}");
        }
        for f in ["occurred_on", "facts", "contexts", "context_other", "remedy", "manager_change", "learned", "actions"] {
            assert!(!prompt(f).is_empty(), "{f}");
        }
        assert!(content().blame.words.len() >= 10);
        assert!(content().blame.hint.contains("{words}"));
    }

    #[test]
    fn blaming_words_are_found_as_whole_words_only() {
        assert_eq!(blaming_words("It was my FAULT, I was careless."), vec!["fault", "careless"]);
        assert_eq!(blaming_words("They should have known the date."), vec!["should have known"]);
        // "default" contains "fault", "blameless" contains "blame": neither is blame.
        assert!(blaming_words("The default config was blameless.").is_empty());
        assert!(blame_hint("The deploy ran at 17:00 and the cache was cold.").is_none());
        assert!(blame_hint("Lazy review.").unwrap().contains("“lazy”"));
    }

    /// A record that happened `on`, with nothing else filled in.
    fn on(day: &str) -> SetbackInput {
        SetbackInput {
            occurred_on: day.parse().unwrap(),
            facts: String::new(),
            contexts: vec![],
            context_other: String::new(),
            remedy: String::new(),
            manager_change: String::new(),
            learned: String::new(),
            meeting_id: None,
        }
    }

    #[test]
    fn a_record_needs_facts_a_context_and_words_for_other() {
        let today = d(2026, 11, 24);
        let e = validate(&SetbackInput { contexts: vec!["other".into(), "luck".into()], ..on("2026-11-25") }, today, Setback::default())
            .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["occurred_on", "facts", "contexts", "context_other"]);
        // A date that is not a day never becomes an input: it is refused where it is read.
        assert!("24/11/2026".parse::<Day>().unwrap_err().contains("YYYY-MM-DD"));
        let e = validate(&SetbackInput { facts: "x".into(), ..on("2026-11-24") }, today, Setback::default()).unwrap_err();
        assert_eq!(e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), vec!["contexts"]);
        let ok = validate(
            &SetbackInput {
                facts: " The release slipped a week. ".into(),
                contexts: vec!["unclear_expectations".into(), "competing_priorities".into()],
                context_other: "ignored without other".into(),
                ..on("2026-11-24")
            },
            today,
            Setback::default(),
        )
        .unwrap();
        assert_eq!(ok.facts, "The release slipped a week.");
        assert_eq!(ok.contexts, vec![Context::CompetingPriorities, Context::UnclearExpectations]);
        assert_eq!(ok.context_other, "");
    }
}
