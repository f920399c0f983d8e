//! Reading and writing a person's own questions as CSV, JSON or a Markdown list, with every
//! problem located.

use super::*;
use crate::domain::people_csv::decode;
use crate::domain::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const IMPORT_MAX_BYTES: usize = 1024 * 1024;
pub const IMPORT_MAX_QUESTIONS: usize = 2000;

/// A question read from a file, with where it started.
pub(super) struct Located {
    text: String,
    text_at: (u64, u64),
    purposes: Vec<(String, (u64, u64))>,
    /// Where to point when the purposes are missing.
    row_at: (u64, u64),
}

/// A question of a file that is already in our bank: skipped, and said so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InBank {
    pub line: u64,
    /// Our question's key, e.g. `relationship-21`.
    pub key: String,
    /// "Line 4 is already in the bank as relationship-21; it is skipped."
    pub message: String,
}

/// What importing a file would do: the questions to add, and the ones skipped because they are
/// already in our bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionsPlan {
    pub questions: Vec<QuestionInput>,
    pub in_bank: Vec<InBank>,
}

/// Reads a whole file of questions like [`parse_questions`], and sets aside the ones our bank
/// already has.
pub fn plan_questions(bytes: &[u8], format: QuestionFormat, existing: &HashSet<String>) -> Result<QuestionsPlan, Invalid> {
    let mut plan = QuestionsPlan { questions: vec![], in_bank: vec![] };
    for (q, (line, _)) in read_questions(bytes, format, existing)? {
        match in_bank(&q.text) {
            Some(ours) => plan.in_bank.push(InBank {
                line,
                key: ours.key.clone(),
                message: format!("Line {line} is already in the bank as {}; it is skipped.", ours.key),
            }),
            None => plan.questions.push(q),
        }
    }
    Ok(plan)
}

/// Reads a whole file of questions. Every problem is reported with its line and column;
/// `existing` are the texts (lower case) the person already has, which a file may not repeat.
pub fn parse_questions(bytes: &[u8], format: QuestionFormat, existing: &HashSet<String>) -> Result<Vec<QuestionInput>, Invalid> {
    Ok(read_questions(bytes, format, existing)?.into_iter().map(|(q, _)| q).collect())
}

/// A question of a file and the line and column of its text.
type Placed = (QuestionInput, (u64, u64));

/// Each question of a file with where its text is.
fn read_questions(bytes: &[u8], format: QuestionFormat, existing: &HashSet<String>) -> Result<Vec<Placed>, Invalid> {
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
        out.push((QuestionInput { text: t, purposes: ps }, row.text_at));
    }
    errors.0.sort_by_key(|e| (e.line, e.column));
    errors.into_result()?;
    Ok(out)
}

pub(super) fn slugs() -> String {
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

pub(super) fn read_csv(text: &str) -> (Vec<Located>, Invalid) {
    let text = &*crate::domain::csv_cells::normalised(text);
    let mut errors = Invalid::default();
    let mut rows = vec![];
    let mut r = crate::domain::csv_cells::reader(text);
    let delimiter = crate::domain::csv_cells::delimiter(text);
    let mut header: Option<(usize, usize)> = None;
    let mut lines = crate::domain::csv_cells::Lines::new(text);
    for rec in r.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = lines.of(e.position());
                errors.push(FieldError::new("file", format!("This line cannot be read as CSV: {e}")).at(line, 1));
                return (rows, errors);
            }
        };
        // Where each cell begins, also after a cell quoted across lines.
        let cells = lines.cells(rec.position(), delimiter);
        let line = cells.first().map_or(1, |c| c.line);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
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
        let cell = |i: usize| crate::domain::csv_cells::unescape(rec.get(i).unwrap_or("")).to_string();
        let at = |i: usize| cells.get(i).copied().unwrap_or(crate::domain::csv_cells::CellAt { line, column: 1, quoted: false });
        let (t, p) = (at(ti), at(pi));
        rows.push(Located {
            text: cell(ti),
            text_at: (t.line, t.column),
            purposes: split_purposes(&cell(pi), p.line, p.column + u64::from(p.quoted)),
            row_at: (p.line, p.column),
        });
    }
    if header.is_none() {
        errors.push(FieldError::new("file", "The first line must name the columns: text,purposes.").at(1, 1));
    }
    (rows, errors)
}

pub(crate) fn position(text: &str, byte: usize) -> (u64, u64) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let start = before.rfind('\n').map(|p| p + 1).unwrap_or(0);
    (line, before[start..].chars().count() as u64 + 1)
}

#[derive(Deserialize)]
pub(super) struct JsonQuestion {
    text: Option<serde_json::Value>,
    purposes: Option<serde_json::Value>,
}

pub(super) fn read_json(text: &str) -> (Vec<Located>, Invalid) {
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
pub(super) fn element_starts(text: &str) -> Vec<usize> {
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
pub(super) fn read_markdown(text: &str) -> (Vec<Located>, Invalid) {
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
                let cells = [q.text.as_str(), &purposes_to_string(&q.purposes)].map(crate::domain::csv_cells::escape);
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
