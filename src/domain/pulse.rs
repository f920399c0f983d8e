//! The pulse: a few quick questions the teammate may answer before each 1:1 (1 to 5, 5 the good
//! end, and an optional comment). The questions come from `content/pulse.toml`, or from a file
//! of the organisation's own named in rapport.toml; the pair reads the answers, nobody above.

use super::{FieldError, Invalid};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The lowest and highest answer.
pub const MIN: i64 = 1;
pub const MAX: i64 = 5;
/// An answer at or below this is low.
pub const LOW_AT: i64 = 2;
/// At most this many questions.
pub const MAX_QUESTIONS: usize = 5;
/// The longest comment.
pub const COMMENT_MAX: usize = 1000;
/// How many days before a 1:1 its pulse is asked for.
pub const ASK_DAYS_BEFORE: i64 = 7;

/// Our questions as written in `content/pulse.toml` (`rapport config pulse` prints them).
pub const OURS_TOML: &str = include_str!("../../content/pulse.toml");

/// One question of the pulse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Kept with each answer: the same key is the same trend.
    pub key: String,
    /// A word or two, for charts and suggestions.
    pub label: String,
    /// What the teammate reads.
    pub text: String,
    /// What 1 means.
    pub low: String,
    /// What 5 means.
    pub high: String,
}

/// The questions of the pulse, in the order they are asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Questions(Vec<Question>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    question: Vec<Question>,
}

impl Questions {
    /// Ours, from `content/pulse.toml`.
    pub fn ours() -> &'static Questions {
        static Q: OnceLock<Questions> = OnceLock::new();
        Q.get_or_init(|| Questions::parse(OURS_TOML).expect("content/pulse.toml"))
    }

    /// Reads a pulse file, or says every problem with its line and column.
    pub fn parse(text: &str) -> Result<Questions, Vec<String>> {
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| line_column(text, s.start));
            vec![match at {
                Some((l, c)) => format!("line {l}, column {c}: {}", e.message()),
                None => e.message().to_string(),
            }]
        })?;
        let mut problems = vec![];
        if file.question.is_empty() {
            problems.push("there are no questions: add at least one [[question]]".to_string());
        }
        if file.question.len() > MAX_QUESTIONS {
            problems.push(format!("there are {} questions; a pulse has at most {MAX_QUESTIONS}", file.question.len()));
        }
        // Where each [[question]] begins, to name the line of a problem with it.
        let starts: Vec<usize> =
            text.lines().enumerate().filter(|(_, l)| l.trim_start().starts_with("[[question]]")).map(|(i, _)| i + 1).collect();
        for (i, q) in file.question.iter().enumerate() {
            let at = starts.get(i).map(|l| format!("line {l}, question {}", i + 1)).unwrap_or_else(|| format!("question {}", i + 1));
            if q.key.is_empty() || q.key.len() > 40 || !q.key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                problems.push(format!("{at}: the key “{}” must be 1 to 40 lower-case letters or _", q.key));
            }
            if file.question[..i].iter().any(|o| o.key == q.key) {
                problems.push(format!("{at}: the key “{}” is used twice", q.key));
            }
            for (name, value, max) in [("label", &q.label, 40), ("text", &q.text, 200), ("low", &q.low, 40), ("high", &q.high, 40)] {
                if value.trim().is_empty() {
                    problems.push(format!("{at}: {name} is empty"));
                } else if value.chars().count() > max {
                    problems.push(format!("{at}: keep {name} to {max} characters"));
                }
            }
        }
        if problems.is_empty() { Ok(Questions(file.question)) } else { Err(problems) }
    }

    pub fn all(&self) -> &[Question] {
        &self.0
    }

    pub fn get(&self, key: &str) -> Option<&Question> {
        self.0.iter().find(|q| q.key == key)
    }

    /// The label of a key: the question's, or the key itself for an answer to a question the
    /// file no longer has.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map(|q| q.label.as_str()).unwrap_or(key)
    }

    /// Checks an answer: every question answered with a whole number from 1 to 5, no other
    /// keys, a comment within its limit. Each problem names its field (`answers.energy`).
    pub fn check(&self, answers: &BTreeMap<String, i64>, comment: &str) -> Result<Vec<(String, i64)>, Invalid> {
        let mut errors = Invalid::default();
        for q in &self.0 {
            match answers.get(&q.key) {
                None => errors.push(FieldError::new(format!("answers.{}", q.key), format!("Answer “{}” from 1 to 5.", q.text))),
                Some(v) if !(MIN..=MAX).contains(v) => {
                    errors.push(FieldError::new(format!("answers.{}", q.key), format!("“{}” takes an answer from 1 to 5.", q.label)))
                }
                Some(_) => {}
            }
        }
        for key in answers.keys().filter(|k| self.get(k).is_none()) {
            errors.push(FieldError::new(
                format!("answers.{key}"),
                format!("There is no pulse question “{key}”; the questions are {}.", self.keys()),
            ));
        }
        if comment.chars().count() > COMMENT_MAX {
            errors.push(FieldError::new("comment", format!("Keep the comment to {COMMENT_MAX} characters.")));
        }
        errors.into_result()?;
        Ok(self.0.iter().map(|q| (q.key.clone(), answers[&q.key])).collect())
    }

    fn keys(&self) -> String {
        self.0.iter().map(|q| q.key.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

/// One pulse as answered, for one 1:1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Pulse {
    pub meeting_id: uuid::Uuid,
    /// When that 1:1 begins (or began).
    pub meeting_starts_at: DateTime<Utc>,
    pub answered_at: DateTime<Utc>,
    /// Question key → answer from 1 to 5.
    pub answers: BTreeMap<String, i64>,
    pub comment: String,
}

/// What the pulse says that the pair should talk about: an answer that fell by two points or
/// more since the last pulse, or the same question low several times in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    Drop { key: String, from: i64, to: i64 },
    Low { key: String, answers: Vec<i64> },
}

/// The signals in a pair's pulses (oldest first), in the order of the questions: a drop of at
/// least `drop` points between the last two pulses, else the last `low_times` answers all at or
/// below [`LOW_AT`]. One signal a question at most.
pub fn signals(questions: &Questions, pulses: &[Pulse], drop: u32, low_times: u32) -> Vec<Signal> {
    let mut out = vec![];
    for q in questions.all() {
        let answers: Vec<i64> = pulses.iter().filter_map(|p| p.answers.get(&q.key).copied()).collect();
        if let [.., from, to] = answers[..]
            && from - to >= drop.max(1) as i64
        {
            out.push(Signal::Drop { key: q.key.clone(), from, to });
            continue;
        }
        let n = low_times.max(1) as usize;
        if answers.len() >= n && answers[answers.len() - n..].iter().all(|a| *a <= LOW_AT) {
            out.push(Signal::Low { key: q.key.clone(), answers: answers[answers.len() - n..].to_vec() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulse(values: &[(&str, i64)]) -> Pulse {
        Pulse {
            meeting_id: uuid::Uuid::nil(),
            meeting_starts_at: Utc::now(),
            answered_at: Utc::now(),
            answers: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            comment: String::new(),
        }
    }

    #[test]
    fn our_questions_are_three_and_read_well() {
        let q = Questions::ours();
        assert_eq!(q.all().iter().map(|q| q.key.as_str()).collect::<Vec<_>>(), ["energy", "workload", "going"]);
        assert!(q.all().iter().all(|q| q.text.ends_with('?')));
    }

    #[test]
    fn a_bad_file_is_refused_with_where_and_what() {
        let e = Questions::parse("[[question]]\nkey = \"energy\"\nlabel = 3\n").unwrap_err();
        assert!(e[0].starts_with("line 3, column 9:"), "{e:?}");
        let e = Questions::parse("").unwrap_err();
        assert!(e[0].contains("no questions"), "{e:?}");
        let twice = "[[question]]\nkey = \"a\"\nlabel = \"A\"\ntext = \"A?\"\nlow = \"l\"\nhigh = \"h\"\n\n\
                     [[question]]\nkey = \"a\"\nlabel = \"\"\ntext = \"B?\"\nlow = \"l\"\nhigh = \"h\"\n";
        let e = Questions::parse(twice).unwrap_err();
        assert_eq!(e, ["line 8, question 2: the key “a” is used twice", "line 8, question 2: label is empty"]);
        let bad_key = twice.replacen("key = \"a\"", "key = \"Energy level\"", 1);
        assert!(Questions::parse(&bad_key).unwrap_err()[0].starts_with("line 1, question 1: the key “Energy level”"));
    }

    #[test]
    fn an_answer_names_each_field_it_gets_wrong() {
        let q = Questions::ours();
        let answers: BTreeMap<String, i64> = [("energy".into(), 6), ("mood".into(), 3), ("going".into(), 4)].into();
        let e = q.check(&answers, &"x".repeat(COMMENT_MAX + 1)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["answers.energy", "answers.workload", "answers.mood", "comment"]);
        let ok: BTreeMap<String, i64> = [("energy".into(), 1), ("workload".into(), 5), ("going".into(), 3)].into();
        assert_eq!(q.check(&ok, "").unwrap(), [("energy".to_string(), 1), ("workload".to_string(), 5), ("going".to_string(), 3)]);
    }

    #[test]
    fn a_drop_of_two_or_three_low_answers_in_a_row_is_a_signal() {
        let q = Questions::ours();
        let none = [pulse(&[("energy", 4)]), pulse(&[("energy", 3)])];
        assert_eq!(signals(q, &none, 2, 3), []);
        let drop = [pulse(&[("energy", 5)]), pulse(&[("energy", 3)])];
        assert_eq!(signals(q, &drop, 2, 3), [Signal::Drop { key: "energy".into(), from: 5, to: 3 }]);
        // A drop long ago is not one now.
        let recovered = [pulse(&[("energy", 5)]), pulse(&[("energy", 2)]), pulse(&[("energy", 3)])];
        assert_eq!(signals(q, &recovered, 2, 3), []);
        let low = [pulse(&[("workload", 2)]), pulse(&[("workload", 1)]), pulse(&[("workload", 2)])];
        assert_eq!(signals(q, &low, 2, 3), [Signal::Low { key: "workload".into(), answers: vec![2, 1, 2] }]);
        // Two low answers are not yet three; a 3 between breaks the run.
        assert_eq!(signals(q, &low[1..], 2, 3), []);
        let broken = [pulse(&[("going", 2)]), pulse(&[("going", 3)]), pulse(&[("going", 2)]), pulse(&[("going", 2)])];
        assert_eq!(signals(q, &broken, 2, 3), []);
    }
}
