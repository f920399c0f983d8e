//! Guidance: the purposes of a 1:1, the question bank (ours, from `content/questions.csv`, and
//! each person's own), meeting templates (`content/templates.toml`), and reading and writing a
//! person's own questions as CSV, JSON or a Markdown list with every problem located.
//!
//! Every word of content lives in `content/`, not here: this module only reads it.

use super::people_csv::decode;
use super::{FieldError, Invalid};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The ten purposes of a 1:1 (DESIGN.md). One enumeration used by questions, template prompts
/// and the prep view's suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Relationship,
    Safety,
    Competence,
    Strengths,
    Support,
    Plans,
    Feedback,
    Career,
    Wellbeing,
    Strategy,
}

impl Purpose {
    pub const ALL: [Purpose; 10] = [
        Purpose::Relationship,
        Purpose::Safety,
        Purpose::Competence,
        Purpose::Strengths,
        Purpose::Support,
        Purpose::Plans,
        Purpose::Feedback,
        Purpose::Career,
        Purpose::Wellbeing,
        Purpose::Strategy,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Purpose::Relationship => "relationship",
            Purpose::Safety => "safety",
            Purpose::Competence => "competence",
            Purpose::Strengths => "strengths",
            Purpose::Support => "support",
            Purpose::Plans => "plans",
            Purpose::Feedback => "feedback",
            Purpose::Career => "career",
            Purpose::Wellbeing => "wellbeing",
            Purpose::Strategy => "strategy",
        }
    }

    /// The words people see.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Relationship => "Relationship",
            Purpose::Safety => "Psychological safety",
            Purpose::Competence => "Competence",
            Purpose::Strengths => "Strengths",
            Purpose::Support => "Support",
            Purpose::Plans => "Plans",
            Purpose::Feedback => "Reviews without surprises",
            Purpose::Career => "Promotion and career",
            Purpose::Wellbeing => "Wellbeing",
            Purpose::Strategy => "Team and strategy",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        let s = s.trim().to_lowercase();
        Purpose::ALL.into_iter().find(|p| p.slug() == s || p.label().to_lowercase() == s)
    }
}

/// A space-separated list of purpose slugs (how they are stored).
pub fn purposes_to_string(ps: &[Purpose]) -> String {
    ps.iter().map(|p| p.slug()).collect::<Vec<_>>().join(" ")
}

pub fn purposes_from_string(s: &str) -> Vec<Purpose> {
    s.split_whitespace().filter_map(Purpose::parse).collect()
}

/// A question of our bank. `key` is stable (`relationship-01`): favourites and the memory of
/// which questions a pair used point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub key: String,
    pub purposes: Vec<Purpose>,
    pub text: String,
}

const QUESTIONS_CSV: &str = include_str!("../../content/questions.csv");

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

pub const IMPORT_MAX_BYTES: usize = 1024 * 1024;
pub const IMPORT_MAX_QUESTIONS: usize = 2000;

/// A question read from a file, with where it started.
struct Located {
    text: String,
    text_at: (u64, u64),
    purposes: Vec<(String, (u64, u64))>,
    /// Where to point when the purposes are missing.
    row_at: (u64, u64),
}

/// Reads a whole file of questions. Every problem is reported with its line and column;
/// `existing` are the texts (lower case) the person already has, which a file may not repeat.
pub fn parse_questions(bytes: &[u8], format: QuestionFormat, existing: &HashSet<String>) -> Result<Vec<QuestionInput>, Invalid> {
    if bytes.len() > IMPORT_MAX_BYTES {
        return Err(Invalid(vec![FieldError::new("file", "The file is larger than 1 MiB.").at(1, 1)]));
    }
    let text = decode(bytes)?;
    let (rows, mut errors) = match format {
        QuestionFormat::Csv => read_csv(text),
        QuestionFormat::Json => read_json(text),
        QuestionFormat::Markdown => read_markdown(text),
    };
    if rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "There are no questions in this file.").at(1, 1));
    }
    if rows.len() > IMPORT_MAX_QUESTIONS {
        errors.push(FieldError::new("file", format!("At most {IMPORT_MAX_QUESTIONS} questions at once.")).at(1, 1));
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = vec![];
    for row in rows {
        let (tl, tc) = row.text_at;
        let t = row.text.trim().to_string();
        if t.is_empty() {
            errors.push(FieldError::new("text", "The question is empty.").at(tl, tc));
        } else if t.chars().count() > QUESTION_MAX {
            errors.push(FieldError::new("text", format!("Keep the question under {QUESTION_MAX} characters.")).at(tl, tc));
        } else if existing.contains(&t.to_lowercase()) {
            errors.push(FieldError::new("text", "You already have this question.").at(tl, tc));
        } else if !seen.insert(t.to_lowercase()) {
            errors.push(FieldError::new("text", "This question appears twice in the file.").at(tl, tc));
        }
        let mut ps = vec![];
        for (name, (l, c)) in &row.purposes {
            match Purpose::parse(name) {
                Some(p) if !ps.contains(&p) => ps.push(p),
                Some(_) => {}
                None => errors.push(FieldError::new("purposes", format!("\"{name}\" is not a purpose; use: {}.", slugs())).at(*l, *c)),
            }
        }
        if row.purposes.is_empty() {
            let (l, c) = row.row_at;
            errors.push(FieldError::new("purposes", format!("Give at least one purpose: {}.", slugs())).at(l, c));
        }
        out.push(QuestionInput { text: t, purposes: ps });
    }
    errors.0.sort_by_key(|e| (e.line, e.column));
    errors.into_result()?;
    Ok(out)
}

fn slugs() -> String {
    Purpose::ALL.iter().map(|p| p.slug()).collect::<Vec<_>>().join(", ")
}

/// Splits a purposes cell ("plans; career" or "plans career") keeping each name's column.
pub(crate) fn split_purposes(cell: &str, line: u64, col: u64) -> Vec<(String, (u64, u64))> {
    let mut out = vec![];
    let mut start: Option<usize> = None;
    let chars: Vec<char> = cell.chars().collect();
    for i in 0..=chars.len() {
        let sep = i == chars.len() || chars[i].is_whitespace() || matches!(chars[i], ',' | ';');
        match (sep, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((chars[s..i].iter().collect(), (line, col + s as u64)));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn read_csv(text: &str) -> (Vec<Located>, Invalid) {
    let mut errors = Invalid::default();
    let mut rows = vec![];
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<(usize, usize)> = None;
    for rec in r.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(1);
                errors.push(FieldError::new("file", format!("This line cannot be read as CSV: {e}")).at(line, 1));
                return (rows, errors);
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(1);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // The column of each cell on its line (cells quoted across lines are rare here).
        let line_text = text.lines().nth(line as usize - 1).unwrap_or("");
        let cols = cell_columns(line_text, rec.len());
        let Some((ti, pi)) = header else {
            let names: Vec<String> = rec.iter().map(|c| c.trim().to_lowercase()).collect();
            let ti = names.iter().position(|n| n == "text" || n == "question");
            let pi = names.iter().position(|n| n == "purposes" || n == "purpose");
            match (ti, pi) {
                (Some(t), Some(p)) => header = Some((t, p)),
                _ => {
                    errors.push(FieldError::new("file", "The first line must name the columns: text,purposes.").at(line, 1));
                    return (rows, errors);
                }
            }
            continue;
        };
        // Cells rapport wrote with a quote before a formula character get it back off.
        let cell = |i: usize| super::csv_cells::unescape(rec.get(i).unwrap_or("")).to_string();
        let col = |i: usize| cols.get(i).copied().unwrap_or(1);
        rows.push(Located {
            text: cell(ti),
            text_at: (line, col(ti)),
            purposes: split_purposes(&cell(pi), line, col(pi) + u64::from(line_text_quoted(line_text, col(pi)))),
            row_at: (line, col(pi)),
        });
    }
    if header.is_none() {
        errors.push(FieldError::new("file", "The first line must name the columns: text,purposes.").at(1, 1));
    }
    (rows, errors)
}

fn line_text_quoted(line: &str, col: u64) -> bool {
    line.chars().nth(col as usize - 1) == Some('"')
}

/// 1-based columns where each of `n` cells starts on a CSV line.
fn cell_columns(line: &str, n: usize) -> Vec<u64> {
    let mut cols = vec![1];
    let mut quoted = false;
    for (i, ch) in line.chars().enumerate() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => cols.push(i as u64 + 2),
            _ => {}
        }
    }
    cols.truncate(n.max(1));
    cols
}

pub(crate) fn position(text: &str, byte: usize) -> (u64, u64) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let start = before.rfind('\n').map(|p| p + 1).unwrap_or(0);
    (line, before[start..].chars().count() as u64 + 1)
}

#[derive(Deserialize)]
struct JsonQuestion {
    text: Option<serde_json::Value>,
    purposes: Option<serde_json::Value>,
}

fn read_json(text: &str) -> (Vec<Located>, Invalid) {
    let mut errors = Invalid::default();
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(FieldError::new("file", format!("This is not valid JSON: {e}")).at(e.line() as u64, e.column().max(1) as u64));
            return (vec![], errors);
        }
    };
    let serde_json::Value::Array(items) = value else {
        errors.push(FieldError::new("file", "Expected a list of questions: [{\"text\": …, \"purposes\": […]}].").at(1, 1));
        return (vec![], errors);
    };
    let starts = element_starts(text);
    let mut rows = vec![];
    for (i, item) in items.into_iter().enumerate() {
        let at = starts.get(i).map(|b| position(text, *b)).unwrap_or((1, 1));
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let span = starts.get(i).map(|s| (*s, end)).unwrap_or((0, text.len()));
        // The place of a string inside this element, for pointing at a value.
        let find = |needle: &str| -> (u64, u64) {
            let quoted = serde_json::to_string(needle).unwrap_or_default();
            text[span.0..span.1].find(&quoted).map(|o| position(text, span.0 + o + 1)).unwrap_or(at)
        };
        let q: JsonQuestion = match serde_json::from_value(item) {
            Ok(q) => q,
            Err(_) => {
                errors.push(FieldError::new("question", "Each question is written as {\"text\": …, \"purposes\": […]}.").at(at.0, at.1));
                continue;
            }
        };
        let text_value = match q.text {
            Some(serde_json::Value::String(s)) => s,
            _ => {
                errors.push(FieldError::new("text", "Each question needs \"text\", written as a string.").at(at.0, at.1));
                continue;
            }
        };
        let text_at = find(&text_value);
        let purposes = match q.purposes {
            Some(serde_json::Value::Array(ps)) => ps
                .iter()
                .map(|p| match p {
                    serde_json::Value::String(s) => (s.clone(), find(s)),
                    other => (other.to_string(), at),
                })
                .collect(),
            Some(serde_json::Value::String(s)) => split_purposes(&s, find(&s).0, find(&s).1),
            _ => vec![],
        };
        rows.push(Located { text: text_value, text_at, purposes, row_at: at });
    }
    (rows, errors)
}

/// Byte offsets where each element of the top-level JSON array starts.
fn element_starts(text: &str) -> Vec<usize> {
    let mut out = vec![];
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    let mut want = false;
    for (i, ch) in text.char_indices() {
        if in_str {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_str = false;
            }
            continue;
        }
        if want && !ch.is_whitespace() && ch != ']' {
            out.push(i);
            want = false;
        }
        match ch {
            '"' => in_str = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 && ch == '[' {
                    want = true;
                }
            }
            ']' | '}' => depth -= 1,
            ',' if depth == 1 => want = true,
            _ => {}
        }
    }
    out
}

/// `- [plans, career] What would you like to have learned by the end of the year?`
/// Headings and blank lines are skipped; any other line is a problem.
fn read_markdown(text: &str) -> (Vec<Located>, Invalid) {
    let mut errors = Invalid::default();
    let mut rows = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let trimmed = raw.trim_start();
        let indent = (raw.chars().count() - trimmed.chars().count()) as u64;
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) else {
            errors.push(
                FieldError::new("line", "Write each question as a list item: - [purpose, purpose] The question?").at(line, indent + 1),
            );
            continue;
        };
        let col0 = indent + 3;
        let rest_trim = rest.trim_start();
        let col = col0 + (rest.chars().count() - rest_trim.chars().count()) as u64;
        if let Some(after) = rest_trim.strip_prefix('[') {
            let Some(close) = after.find(']') else {
                errors.push(FieldError::new("purposes", "The list of purposes has no closing \"]\".").at(line, col));
                continue;
            };
            let inside = &after[..close];
            let q = &after[close + 1..];
            let q_trim = q.trim_start();
            let qcol = col + 1 + inside.chars().count() as u64 + 1 + (q.chars().count() - q_trim.chars().count()) as u64;
            rows.push(Located {
                text: q_trim.trim_end().to_string(),
                text_at: (line, qcol),
                purposes: split_purposes(inside, line, col + 1),
                row_at: (line, col),
            });
        } else {
            rows.push(Located { text: rest_trim.trim_end().to_string(), text_at: (line, col), purposes: vec![], row_at: (line, col) });
        }
    }
    (rows, errors)
}

/// Writes questions in a format [`parse_questions`] reads back to the same list.
pub fn export_questions(qs: &[QuestionInput], format: QuestionFormat) -> String {
    match format {
        QuestionFormat::Csv => {
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
            let _ = w.write_record(["text", "purposes"]);
            for q in qs {
                // Neutralised for spreadsheets (CSV injection); read_csv undoes it.
                let cells = [q.text.as_str(), &purposes_to_string(&q.purposes)].map(super::csv_cells::escape);
                let _ = w.write_record(&cells);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        QuestionFormat::Json => {
            let mut s = serde_json::to_string_pretty(qs).unwrap_or_else(|_| "[]".into());
            s.push('\n');
            s
        }
        QuestionFormat::Markdown => {
            let mut s = String::from("# My questions\n\n");
            for q in qs {
                let ps: Vec<&str> = q.purposes.iter().map(|p| p.slug()).collect();
                s.push_str(&format!("- [{}] {}\n", ps.join(", "), q.text.replace('\n', " ")));
            }
            s
        }
    }
}

// Templates -----------------------------------------------------------------------------------

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
struct TemplateFile {
    template: Vec<Template>,
}

const TEMPLATES_TOML: &str = include_str!("../../content/templates.toml");

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
        if let Some((name, col)) = super::template_files::unknown_placeholder(line) {
            let message = super::template_files::unknown_placeholder_message(&name);
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

// Suggestions for the prep view ----------------------------------------------------------------

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
    pub about: super::about::AboutFacts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub text: String,
    pub reason: String,
    /// The purpose the suggestion is about, when it is one.
    pub purpose: Option<Purpose>,
}

#[derive(Deserialize)]
struct Phrase {
    text: String,
    reason: String,
}

#[derive(Deserialize)]
struct Phrases {
    purpose_gap: std::collections::HashMap<String, Phrase>,
    carried: Phrase,
    falling_ratings: Phrase,
    important_date: Phrase,
    time_off: Phrase,
    away: Phrase,
}

const SUGGESTIONS_TOML: &str = include_str!("../../content/suggestions.toml");

fn phrases() -> &'static Phrases {
    static P: OnceLock<Phrases> = OnceLock::new();
    P.get_or_init(|| toml::from_str(SUGGESTIONS_TOML).expect("content/suggestions.toml"))
}

fn fill(s: &str, vars: &[(&str, String)]) -> String {
    vars.iter().fold(s.to_string(), |acc, (k, v)| acc.replace(&format!("{{{k}}}"), v))
}

/// The suggestions for a pair, each with its reason: purposes not touched for a while (the
/// longest gaps, measured against their thresholds, first), topics carried over again and
/// again, a falling rating trend, and important dates or time off coming up.
pub fn suggest(h: &PairHistory, t: &Thresholds) -> Vec<Suggestion> {
    let ph = phrases();
    let mut out = vec![];
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
    use super::about::{Coming, day_words, in_days_words, range_words, upcoming};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_has_at_least_350_unique_questions_and_20_per_purpose() {
        let b = bank();
        assert!(b.len() >= 350, "{} questions", b.len());
        let mut keys = HashSet::new();
        let mut texts = HashSet::new();
        for q in b {
            assert!(keys.insert(q.key.clone()), "duplicate key {}", q.key);
            assert!(texts.insert(q.text.to_lowercase()), "duplicate question {}", q.text);
            assert!(!q.purposes.is_empty(), "{} has no purpose", q.key);
            assert!(q.text.len() <= QUESTION_MAX && q.text.ends_with('?'), "{}: {}", q.key, q.text);
            let mut distinct = q.purposes.clone();
            distinct.dedup();
            assert_eq!(distinct.len(), q.purposes.len(), "{} repeats a purpose", q.key);
        }
        for p in Purpose::ALL {
            let n = b.iter().filter(|q| q.purposes.contains(&p)).count();
            assert!(n >= 20, "{p:?} has {n} questions");
        }
    }

    #[test]
    fn our_templates_cover_the_seven_kinds_and_tag_every_prompt() {
        let t = templates();
        for key in ["weekly", "career", "setback", "feedback", "review", "promotion", "skip-level"] {
            let tpl = t.iter().find(|t| t.key == key).unwrap_or_else(|| panic!("no {key}"));
            assert!(tpl.prompts.len() >= 3, "{key}");
            assert!(tpl.prompts.iter().all(|p| !p.purposes.is_empty() && !p.text.is_empty()), "{key}");
        }
        let keys: HashSet<_> = t.iter().map(|t| &t.key).collect();
        assert_eq!(keys.len(), t.len());
    }

    #[test]
    fn purposes_parse_by_slug_or_label() {
        assert_eq!(Purpose::parse("Safety"), Some(Purpose::Safety));
        assert_eq!(Purpose::parse("psychological safety"), Some(Purpose::Safety));
        assert_eq!(Purpose::parse("fun"), None);
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.slug()), Some(p));
        }
    }

    fn sample() -> Vec<QuestionInput> {
        vec![
            QuestionInput {
                text: "What's one thing, \"big\" or small, you'd change?".into(),
                purposes: vec![Purpose::Strategy, Purpose::Plans],
            },
            QuestionInput { text: "How are you, really?".into(), purposes: vec![Purpose::Wellbeing] },
        ]
    }

    #[test]
    fn every_format_reads_back_what_it_wrote() {
        for f in [QuestionFormat::Csv, QuestionFormat::Json, QuestionFormat::Markdown] {
            let out = export_questions(&sample(), f);
            assert_eq!(parse_questions(out.as_bytes(), f, &HashSet::new()).unwrap(), sample(), "{f:?}\n{out}");
        }
    }

    fn places(e: Invalid) -> Vec<(u64, u64, String)> {
        e.0.into_iter().map(|e| (e.line.unwrap(), e.column.unwrap(), e.field)).collect()
    }

    #[test]
    fn problems_are_located_in_each_format() {
        let none = HashSet::new();
        let csv = "text,purposes\nHow are you?,wellbeing\nWhat next?,plans fun\n,career\n";
        assert_eq!(
            places(parse_questions(csv.as_bytes(), QuestionFormat::Csv, &none).unwrap_err()),
            vec![(3, 18, "purposes".into()), (4, 1, "text".into())]
        );
        let md = "# Mine\n\n- [plans] Fine?\nnot a list item\n- [wellbeing, nope] Also fine?\n- No purposes?\n";
        assert_eq!(
            places(parse_questions(md.as_bytes(), QuestionFormat::Markdown, &none).unwrap_err()),
            vec![(4, 1, "line".into()), (5, 15, "purposes".into()), (6, 3, "purposes".into())]
        );
        let json = "[\n  {\"text\": \"Fine?\", \"purposes\": [\"plans\"]},\n  {\"text\": \"Odd?\", \"purposes\": [\"odd\"]}\n]";
        assert_eq!(places(parse_questions(json.as_bytes(), QuestionFormat::Json, &none).unwrap_err()), vec![(3, 34, "purposes".into())]);
        let broken = "[\n  {\"text\": \"Fine?\",}\n]";
        assert_eq!(places(parse_questions(broken.as_bytes(), QuestionFormat::Json, &none).unwrap_err())[0].0, 2);
        let existing: HashSet<String> = ["how are you?".to_string()].into();
        let dup = "text,purposes\nHow are you?,wellbeing\n";
        assert_eq!(places(parse_questions(dup.as_bytes(), QuestionFormat::Csv, &existing).unwrap_err()), vec![(2, 1, "text".into())]);
    }

    #[test]
    fn a_template_form_reads_purposes_per_line() {
        let (n, _, ps) = check_template("Mine", "", "[wellbeing] How are you?\nWhat's next?").unwrap();
        assert_eq!(n, "Mine");
        assert_eq!(ps[0].purposes, vec![Purpose::Wellbeing]);
        assert!(ps[1].purposes.is_empty());
        assert_eq!(prompts_as_text(&ps), "[wellbeing] How are you?\nWhat's next?");
        assert!(check_template("Mine", "", "[fun] Hi?").is_err());
        assert!(check_template("", "", "").is_err());
    }

    fn day(d: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 1, 10, 0, 0).unwrap() + chrono::Duration::days(d as i64)
    }

    #[test]
    fn every_purpose_has_suggestion_words() {
        for p in Purpose::ALL {
            assert!(phrases().purpose_gap.contains_key(p.slug()), "{p:?}");
        }
    }

    #[test]
    fn suggestions_name_the_longest_gaps_carried_topics_and_falling_ratings() {
        let t = Thresholds::default();
        let all_but = |skip: &[Purpose]| Purpose::ALL.into_iter().filter(|p| !skip.contains(p)).collect::<Vec<_>>();
        let h = PairHistory {
            now: day(70),
            started: day(0),
            // Everything touched on day 63 except feedback (day 42: 4 weeks) and career (never: 10 weeks).
            touched: vec![(day(42), vec![Purpose::Feedback]), (day(63), all_but(&[Purpose::Feedback, Purpose::Career]))],
            ratings: vec![5, 4, 4, 3, 2],
            carried: vec![("Hiring plan".into(), 2), ("Laptop".into(), 1)],
            about: Default::default(),
        };
        let s = suggest(&h, &t);
        let reasons: Vec<&str> = s.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec![
                "No feedback exchanged in 4 weeks.",
                "No career conversation in 10 weeks.",
                "It has been carried over 2 times.",
                "The last 3 ratings went down: 4, 3, 2.",
            ]
        );
        assert!(s[2].text.contains("Hiring plan"));
        // Thresholds move the answer: with a 5-week feedback threshold, feedback is not due.
        let t2 = Thresholds { feedback_gap_weeks: 5, carried_times: 3, falling_ratings: 4, ..Thresholds::default() };
        let reasons: Vec<String> = suggest(&h, &t2).into_iter().map(|s| s.reason).collect();
        assert_eq!(reasons, vec!["No career conversation in 10 weeks.".to_string()]);
        // A young pair gets no "not touched" suggestion, and steady ratings are no trend.
        let young = PairHistory {
            now: day(7),
            started: day(0),
            touched: vec![],
            ratings: vec![4, 4, 3],
            carried: vec![],
            about: Default::default(),
        };
        assert!(suggest(&young, &t).is_empty());
    }

    #[test]
    fn important_dates_and_time_off_are_suggested_with_their_reason() {
        use crate::domain::about::{AboutFacts, ImportantDate, TimeOff};
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let h = |today, about_dates: Vec<ImportantDate>, off: Vec<TimeOff>| PairHistory {
            now: day(7),
            started: day(0),
            touched: vec![],
            ratings: vec![],
            carried: vec![],
            about: AboutFacts { today, dates: about_dates, time_off: off },
        };
        let birthday = ImportantDate {
            id: uuid::Uuid::nil(),
            label: "Birthday".into(),
            date: chrono::NaiveDate::from_ymd_opt(1991, 12, 3).unwrap(),
            yearly: true,
        };
        let holiday = TimeOff { id: uuid::Uuid::nil(), label: "Winter holiday".into(), starts_on: d(12, 20), ends_on: d(12, 31) };
        let t = Thresholds::default();
        let reasons = |h: &PairHistory, t: &Thresholds| suggest(h, t).into_iter().map(|s| (s.text, s.reason)).collect::<Vec<_>>();
        // 24 November: the birthday is 9 days ahead, the holiday 26 (beyond 14).
        let r = reasons(&h(d(11, 24), vec![birthday.clone()], vec![holiday.clone()]), &t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].1, "Birthday is on 3 December, in 9 days.");
        // 6 December: the holiday starts in exactly 14 days (included); with 13 it is not.
        let r = reasons(&h(d(12, 6), vec![], vec![holiday.clone()]), &t);
        assert_eq!(r.len(), 1);
        assert!(r[0].0.contains("from 20 to 31 December"), "{}", r[0].0);
        let t13 = Thresholds { important_date_days: 13, ..Thresholds::default() };
        assert!(reasons(&h(d(12, 6), vec![], vec![holiday.clone()]), &t13).is_empty());
        // 22 December: under way, until the 31st.
        let r = reasons(&h(d(12, 22), vec![], vec![holiday]), &t);
        assert!(r[0].0.contains("31 December") && r[0].1.contains("Winter holiday"), "{r:?}");
    }
}
