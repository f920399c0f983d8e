//! Meeting templates (`content/templates.toml`): checking one, its prompts as text, and the
//! placeholders a prompt may use.

use super::*;
use crate::domain::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One prompt of a template: it becomes a talking point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Prompt {
    pub text: String,
    pub purposes: Vec<Purpose>,
}

/// A meeting template: ours (from `content/templates.toml`, `key` is its name there) or one a
/// manager or admin wrote (`key` is `own:<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Template {
    pub key: String,
    pub name: String,
    pub summary: String,
    #[serde(alias = "prompt")]
    pub prompts: Vec<Prompt>,
}

#[derive(Deserialize)]
pub(super) struct TemplateFile {
    template: Vec<Template>,
}

pub(super) const TEMPLATES_TOML: &str = include_str!("../../../content/templates.toml");

/// Our templates, read once from `content/templates.toml` (checked by a unit test).
pub fn templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| toml::from_str::<TemplateFile>(TEMPLATES_TOML).expect("content/templates.toml").template)
}

pub const TEMPLATE_PROMPTS_MAX: usize = 30;

/// Checks a template typed into a form: a name and one prompt per line, each line
/// `[purpose, purpose] text` (purposes optional).
pub fn check_template(name: &str, summary: &str, prompts: &str) -> Result<(String, String, Vec<Prompt>), Invalid> {
    let mut errors = Invalid::default();
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("name", "Give the template a name (up to 100 characters)."));
    }
    let summary = summary.trim().to_string();
    if summary.chars().count() > 300 {
        errors.push(FieldError::new("summary", "Keep the summary under 300 characters."));
    }
    let mut out = vec![];
    for (i, line) in prompts.lines().enumerate() {
        let l = line.trim().trim_start_matches("- ").trim();
        if l.is_empty() {
            continue;
        }
        let (purposes, text) = match l.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((inside, text)) => (inside, text.trim()),
            None => ("", l),
        };
        let mut ps = vec![];
        for (name, _) in split_purposes(purposes, 0, 0) {
            match Purpose::parse(&name) {
                Some(p) => ps.push(p),
                None => {
                    errors.push(FieldError::new("prompts", format!("Line {}: \"{name}\" is not a purpose.", i + 1)).at(i as u64 + 1, 1))
                }
            }
        }
        if text.is_empty() || text.chars().count() > QUESTION_MAX {
            errors.push(FieldError::new("prompts", format!("Line {}: write a prompt of up to {QUESTION_MAX} characters.", i + 1)));
        }
        if let Some((name, col)) = unknown_placeholder(line) {
            let message = unknown_placeholder_message(&name);
            errors.push(FieldError::new("prompts", format!("Line {}: {message}", i + 1)).at(i as u64 + 1, col));
        }
        out.push(Prompt { text: text.to_string(), purposes: ps });
    }
    if out.is_empty() && errors.message_for("prompts").is_none() {
        errors.push(FieldError::new("prompts", "Write at least one prompt, one per line."));
    }
    if out.len() > TEMPLATE_PROMPTS_MAX {
        errors.push(FieldError::new("prompts", format!("At most {TEMPLATE_PROMPTS_MAX} prompts.")));
    }
    errors.into_result()?;
    Ok((name, summary, out))
}

/// The prompts of a template as the form shows them, one per line.
pub fn prompts_as_text(prompts: &[Prompt]) -> String {
    prompts
        .iter()
        .map(|p| {
            if p.purposes.is_empty() {
                p.text.clone()
            } else {
                format!("[{}] {}", p.purposes.iter().map(|x| x.slug()).collect::<Vec<_>>().join(", "), p.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The placeholders a prompt may use, with what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 3] = [
    ("teammate", "the teammate's first name"),
    ("manager", "the manager's first name"),
    ("date", "the day of the 1:1, as in “Tuesday 3 December”"),
];

/// Every `{name}` in a text, with the column (in characters, from 1) of its opening brace.
/// Braces around anything that is not a plain lower-case word are left alone as text.
/// Each `{word}` in `text`: the characters it spans (from its `{` to after its `}`) and its
/// name in lower case. The one rule both the check and the filling use.
fn placeholder_spans(chars: &[char]) -> Vec<(usize, usize, String)> {
    let mut out = vec![];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '}' {
                out.push((i, j + 1, chars[i + 1..j].iter().collect::<String>().to_lowercase()));
                i = j;
            }
        }
        i += 1;
    }
    out
}

fn placeholders_in(text: &str) -> Vec<(String, u64)> {
    let chars: Vec<char> = text.chars().collect();
    placeholder_spans(&chars).into_iter().map(|(start, _, name)| (name, start as u64 + 1)).collect()
}

/// `text` with each placeholder `value` knows replaced (by lower-case name); others stay.
pub(crate) fn fill_placeholders<'a>(text: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end, name) in placeholder_spans(&chars) {
        if let Some(v) = value(&name) {
            out.extend(&chars[from..start]);
            out.push_str(v);
            from = end;
        }
    }
    out.extend(&chars[from..]);
    out
}

/// The first placeholder in `text` that rapport does not know, with its column.
pub fn unknown_placeholder(text: &str) -> Option<(String, u64)> {
    placeholders_in(text).into_iter().find(|(name, _)| !PLACEHOLDERS.iter().any(|(k, _)| k == name))
}

/// "{teammate}, {manager} or {date}".
pub(crate) fn placeholder_list() -> String {
    let all: Vec<String> = PLACEHOLDERS.iter().map(|(k, _)| format!("{{{k}}}")).collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => all.join(""),
    }
}

/// The message for an unknown placeholder: it names it and the ones that exist.
pub fn unknown_placeholder_message(name: &str) -> String {
    format!("{{{name}}} is not a placeholder rapport can fill; use {}.", placeholder_list())
}
