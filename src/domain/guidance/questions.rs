//! The question bank (ours, from `content/questions.csv`) and checking a person's own question.

use super::*;
use crate::domain::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A question of our bank. `key` is stable (`relationship-01`): favourites and the memory of
/// which questions a pair used point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub key: String,
    pub purposes: Vec<Purpose>,
    pub text: String,
}

pub(super) const QUESTIONS_CSV: &str = include_str!("../../../content/questions.csv");

/// Our question bank, read once from `content/questions.csv`. The file is checked by a unit
/// test; a broken row would be a bug in the repository, so it panics with its line.
pub fn bank() -> &'static [Question] {
    static BANK: OnceLock<Vec<Question>> = OnceLock::new();
    BANK.get_or_init(|| {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(QUESTIONS_CSV.as_bytes());
        r.records()
            .enumerate()
            .map(|(i, rec)| {
                let rec = rec.unwrap_or_else(|e| panic!("content/questions.csv row {}: {e}", i + 2));
                let purposes = purposes_from_string(&rec[1]);
                assert_eq!(purposes.len(), rec[1].split_whitespace().count(), "content/questions.csv row {}: unknown purpose", i + 2);
                Question { key: rec[0].to_string(), purposes, text: rec[2].to_string() }
            })
            .collect()
    })
}

pub fn bank_question(key: &str) -> Option<&'static Question> {
    bank().iter().find(|q| q.key == key)
}

/// A question's text as two questions are compared: case, runs of whitespace, punctuation at
/// the end and curly or straight apostrophes and quotes make no difference.
pub fn normalised(text: &str) -> String {
    let straight: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            c => c,
        })
        .collect();
    let words = straight.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    words.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '?' | '.' | '!' | '\u{2026}' | ':' | ';' | ',')).to_string()
}

/// Our question with the same text as `text` (see [`normalised`]), if there is one: one's own
/// question that says the same is not added again.
pub fn in_bank(text: &str) -> Option<&'static Question> {
    static BY_TEXT: OnceLock<HashMap<String, usize>> = OnceLock::new();
    let by_text = BY_TEXT.get_or_init(|| bank().iter().enumerate().map(|(i, q)| (normalised(&q.text), i)).collect());
    by_text.get(&normalised(text)).map(|i| &bank()[*i])
}

pub const QUESTION_MAX: usize = 300;

/// One of a person's own questions, as read from a file or a form (not yet stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionInput {
    pub text: String,
    pub purposes: Vec<Purpose>,
}

/// Checks one question typed into a form.
pub fn check_question(text: &str, purposes: &[String]) -> Result<QuestionInput, Invalid> {
    let mut errors = Invalid::default();
    let text = text.trim().to_string();
    if text.is_empty() {
        errors.push(FieldError::new("text", "Write the question."));
    } else if text.chars().count() > QUESTION_MAX {
        errors.push(FieldError::new("text", format!("Keep the question under {QUESTION_MAX} characters.")));
    }
    let mut ps = vec![];
    for p in purposes {
        match Purpose::parse(p) {
            Some(p) if !ps.contains(&p) => ps.push(p),
            Some(_) => {}
            None => errors.push(FieldError::new("purposes", format!("\"{p}\" is not one of the purposes."))),
        }
    }
    if ps.is_empty() && errors.message_for("purposes").is_none() {
        errors.push(FieldError::new("purposes", "Pick at least one purpose."));
    }
    errors.into_result()?;
    Ok(QuestionInput { text, purposes: ps })
}

/// File formats for one's own questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionFormat {
    Csv,
    Json,
    Markdown,
}

impl QuestionFormat {
    pub fn parse(s: &str) -> Option<QuestionFormat> {
        match s.trim().to_lowercase().as_str() {
            "csv" => Some(QuestionFormat::Csv),
            "json" => Some(QuestionFormat::Json),
            "md" | "markdown" => Some(QuestionFormat::Markdown),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            QuestionFormat::Csv => "csv",
            QuestionFormat::Json => "json",
            QuestionFormat::Markdown => "md",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            QuestionFormat::Csv => "text/csv; charset=utf-8",
            QuestionFormat::Json => "application/json",
            QuestionFormat::Markdown => "text/markdown; charset=utf-8",
        }
    }
}
