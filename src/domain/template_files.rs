//! Meeting templates as files and as text with placeholders.
//!
//! A template's prompts may name the people and the day of the meeting they are applied to:
//! `{teammate}`, `{manager}` and `{date}`. Anything else in braces that looks like a
//! placeholder is refused with its name, so a typo is caught when the template is written, not
//! when it lands in someone's agenda. Templates travel as TOML (the shape of
//! `content/templates.toml`) or as a Markdown list; every problem in a file is reported with
//! its line and column, and a file with any problem adds nothing.

pub use super::guidance::{PLACEHOLDERS, unknown_placeholder, unknown_placeholder_message};
use super::guidance::{Prompt, Purpose, QUESTION_MAX, TEMPLATE_PROMPTS_MAX, Template, placeholder_list, position, split_purposes};
use super::people_csv::decode;
use super::{FieldError, Invalid};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use toml::Spanned;

pub const TEMPLATE_NAME_MAX: usize = 100;
pub const TEMPLATE_SUMMARY_MAX: usize = 300;
/// At most this many templates in one file.
pub const IMPORT_MAX_TEMPLATES: usize = 200;

/// What the placeholders become for one meeting.
#[derive(Debug, Clone)]
pub struct Fill {
    pub teammate: String,
    pub manager: String,
    pub date: String,
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

impl Fill {
    pub fn new(teammate_name: &str, manager_name: &str, date: chrono::NaiveDate) -> Fill {
        Fill {
            teammate: first_name(teammate_name).to_string(),
            manager: first_name(manager_name).to_string(),
            date: date.format("%A %-d %B").to_string(),
        }
    }

    /// The prompt with its placeholders filled in. Unknown ones (which checks refuse) stay as
    /// they are.
    /// Placeholders are found as the check finds them, so any case fills (`{Teammate}`).
    pub fn apply(&self, text: &str) -> String {
        super::guidance::fill_placeholders(text, |name| match name {
            "teammate" => Some(self.teammate.as_str()),
            "manager" => Some(self.manager.as_str()),
            "date" => Some(self.date.as_str()),
            _ => None,
        })
    }
}

/// File formats for templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    Toml,
    Markdown,
}

impl TemplateFormat {
    pub fn parse(s: &str) -> Option<TemplateFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "toml" => Some(TemplateFormat::Toml),
            "md" | "markdown" => Some(TemplateFormat::Markdown),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            TemplateFormat::Toml => "toml",
            TemplateFormat::Markdown => "md",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            TemplateFormat::Toml => "application/toml; charset=utf-8",
            TemplateFormat::Markdown => "text/markdown; charset=utf-8",
        }
    }
}

/// A template read from a file, ready to be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInput {
    pub name: String,
    pub summary: String,
    pub prompts: Vec<Prompt>,
}

/// One template as found in a file, with where each part was.
struct Found {
    name: String,
    name_at: (u64, u64),
    summary: String,
    summary_at: (u64, u64),
    prompts: Vec<FoundPrompt>,
}

struct FoundPrompt {
    text: String,
    text_at: (u64, u64),
    purposes: Vec<(String, (u64, u64))>,
}

/// Reads a whole file of templates. `existing` are the (lower-case) names of the templates the
/// person already has; a file may not repeat them, nor a name twice.
pub fn parse_templates(bytes: &[u8], format: TemplateFormat, existing: &HashSet<String>) -> Result<Vec<TemplateInput>, Invalid> {
    if bytes.len() > super::guidance::IMPORT_MAX_BYTES {
        return Err(Invalid(vec![FieldError::new("file", "The file is larger than 1 MiB.").at(1, 1)]));
    }
    let text = decode(bytes)?;
    let (found, mut errors) = match format {
        TemplateFormat::Toml => read_toml(text),
        TemplateFormat::Markdown => read_markdown(text),
    };
    if found.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "There are no templates in this file.").at(1, 1));
    }
    if found.len() > IMPORT_MAX_TEMPLATES {
        errors.push(FieldError::new("file", format!("At most {IMPORT_MAX_TEMPLATES} templates at once.")).at(1, 1));
    }
    let mut seen = HashSet::new();
    let mut out = vec![];
    for t in found {
        let (nl, nc) = t.name_at;
        let name = t.name.trim().to_string();
        if name.is_empty() || name.chars().count() > TEMPLATE_NAME_MAX {
            errors.push(FieldError::new("name", format!("Give each template a name of up to {TEMPLATE_NAME_MAX} characters.")).at(nl, nc));
        } else if existing.contains(&name.to_lowercase()) {
            errors.push(FieldError::new("name", format!("You already have a template called “{name}”.")).at(nl, nc));
        } else if !seen.insert(name.to_lowercase()) {
            errors.push(FieldError::new("name", format!("“{name}” appears twice in the file.")).at(nl, nc));
        }
        let summary = t.summary.trim().to_string();
        if summary.chars().count() > TEMPLATE_SUMMARY_MAX {
            let (l, c) = t.summary_at;
            errors.push(FieldError::new("summary", format!("Keep the summary under {TEMPLATE_SUMMARY_MAX} characters.")).at(l, c));
        }
        if t.prompts.is_empty() {
            errors.push(FieldError::new("prompts", "This template has no prompts: add them under its name.").at(nl, nc));
        }
        if t.prompts.len() > TEMPLATE_PROMPTS_MAX {
            errors.push(FieldError::new("prompts", format!("At most {TEMPLATE_PROMPTS_MAX} prompts in a template.")).at(nl, nc));
        }
        let mut prompts = vec![];
        for p in t.prompts {
            let (l, c) = p.text_at;
            let text = p.text.trim().to_string();
            if text.is_empty() || text.chars().count() > QUESTION_MAX {
                errors.push(FieldError::new("prompt", format!("Write a prompt of up to {QUESTION_MAX} characters.")).at(l, c));
            }
            if let Some((ph, col)) = unknown_placeholder(&p.text) {
                errors.push(FieldError::new("prompt", unknown_placeholder_message(&ph)).at(l, c + col - 1));
            }
            let mut ps = vec![];
            for (pname, (pl, pc)) in &p.purposes {
                match Purpose::parse(pname) {
                    Some(x) if !ps.contains(&x) => ps.push(x),
                    Some(_) => {}
                    None => errors.push(FieldError::new("purposes", format!("\"{pname}\" is not a purpose.")).at(*pl, *pc)),
                }
            }
            prompts.push(Prompt { text, purposes: ps });
        }
        out.push(TemplateInput { name, summary, prompts });
    }
    errors.0.sort_by_key(|e| (e.line, e.column));
    errors.into_result()?;
    Ok(out)
}

/// The Markdown shape: a `# Name` heading per template, optional lines of summary under it,
/// then one `- ` list item per prompt, which may start with its purposes in brackets:
/// `- [wellbeing, support] How are you, really?`. A summary keeps its line breaks and blank
/// lines; a summary line that would read as a heading or a prompt is written with a `\` first.
fn read_markdown(text: &str) -> (Vec<Found>, Invalid) {
    let mut errors = Invalid::default();
    let mut out: Vec<Found> = vec![];
    // Blank lines seen since the last line of a summary: kept only if the summary goes on.
    let mut blanks = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count() as u64;
        let l = raw.trim();
        if l.is_empty() {
            blanks += 1;
            continue;
        }
        let blanks_before = std::mem::take(&mut blanks);
        if l.starts_with('#') {
            let hashes = l.chars().take_while(|c| *c == '#').count();
            out.push(Found {
                name: l[hashes..].trim().to_string(),
                name_at: (line, indent + hashes as u64 + 2),
                summary: String::new(),
                summary_at: (line + 1, 1),
                prompts: vec![],
            });
            continue;
        }
        let Some(current) = out.last_mut() else {
            errors.push(FieldError::new("file", "Start each template with a heading: “# Its name”.").at(line, indent + 1));
            continue;
        };
        let item = ["- ", "* "].iter().find_map(|m| l.strip_prefix(m));
        let Some(item) = item else {
            if current.prompts.is_empty() {
                if current.summary.is_empty() {
                    current.summary_at = (line, indent + 1);
                } else {
                    current.summary.push_str(&"\n".repeat(blanks_before + 1));
                }
                current.summary.push_str(summary_line_read(l));
            } else {
                errors.push(FieldError::new("prompt", "Write each prompt as a list item starting with “- ”.").at(line, indent + 1));
            }
            continue;
        };
        let item_col = indent + 3;
        let (purposes, text, text_col) = match item.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((inside, rest)) => {
                let lead = rest.chars().take_while(|c| c.is_whitespace()).count() as u64;
                let text_col = item_col + inside.chars().count() as u64 + 2 + lead;
                (split_purposes(inside, line, item_col + 1), rest.trim().to_string(), text_col)
            }
            None => (vec![], item.trim().to_string(), item_col),
        };
        current.prompts.push(FoundPrompt { text, text_at: (line, text_col), purposes });
    }
    (out, errors)
}

/// A line of a summary as the Markdown file has it: one that would read as a heading or a
/// prompt gets a `\` first.
fn summary_line_written(l: &str) -> String {
    let t = l.trim();
    if t.starts_with(['#', '\\']) || t.starts_with("- ") || t.starts_with("* ") { format!("\\{t}") } else { t.to_string() }
}

/// A summary line read back: the `\` written before a heading's or a prompt's mark is dropped.
fn summary_line_read(l: &str) -> &str {
    l.strip_prefix('\\').filter(|r| r.starts_with(['#', '\\']) || r.starts_with("- ") || r.starts_with("* ")).unwrap_or(l)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    template: Vec<TomlTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlTemplate {
    name: Spanned<String>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    /// Ignored on import: a file exported from elsewhere may carry its keys.
    #[serde(default)]
    #[allow(dead_code)]
    key: Option<String>,
    #[serde(default, alias = "prompts")]
    prompt: Vec<TomlPrompt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlPrompt {
    text: Spanned<String>,
    #[serde(default)]
    purposes: Vec<Spanned<String>>,
}

fn read_toml(text: &str) -> (Vec<Found>, Invalid) {
    let mut errors = Invalid::default();
    let file: TomlFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let (l, c) = e.span().map(|s| position(text, s.start)).unwrap_or((1, 1));
            let what = e.message().trim_end_matches('\n').to_string();
            errors.push(FieldError::new("file", format!("This is not a template file rapport can read: {what}")).at(l, c));
            return (vec![], errors);
        }
    };
    // A string's span includes its opening quote; point at the text itself.
    let at = |span: std::ops::Range<usize>| {
        let (l, c) = position(text, span.start);
        (l, c + 1)
    };
    let out = file
        .template
        .into_iter()
        .map(|t| {
            let name_at = at(t.name.span());
            let (summary, summary_at) = match t.summary {
                Some(s) => (s.get_ref().clone(), at(s.span())),
                None => (String::new(), name_at),
            };
            Found {
                name: t.name.into_inner(),
                name_at,
                summary,
                summary_at,
                prompts: t
                    .prompt
                    .into_iter()
                    .map(|p| FoundPrompt {
                        text_at: at(p.text.span()),
                        text: p.text.into_inner(),
                        purposes: p.purposes.into_iter().map(|s| (s.get_ref().clone(), at(s.span()))).collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    (out, errors)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Templates as a file that imports back.
pub fn export_templates(ts: &[Template], format: TemplateFormat) -> String {
    let mut o = String::new();
    match format {
        TemplateFormat::Toml => {
            let _ = writeln!(o, "# Meeting templates exported from rapport. Placeholders: {}.", placeholder_list());
            for t in ts {
                let _ = writeln!(o, "\n[[template]]\nname = {}", toml_string(&t.name));
                if !t.summary.is_empty() {
                    let _ = writeln!(o, "summary = {}", toml_string(&t.summary));
                }
                for p in &t.prompts {
                    let ps = p.purposes.iter().map(|x| toml_string(x.slug())).collect::<Vec<_>>().join(", ");
                    let _ = writeln!(o, "\n[[template.prompt]]\ntext = {}\npurposes = [{ps}]", toml_string(&p.text));
                }
            }
        }
        TemplateFormat::Markdown => {
            for (i, t) in ts.iter().enumerate() {
                if i > 0 {
                    o.push('\n');
                }
                let _ = writeln!(o, "# {}", t.name.trim());
                for l in t.summary.lines().filter(|_| !t.summary.is_empty()) {
                    let _ = writeln!(o, "{}", summary_line_written(l));
                }
                for p in &t.prompts {
                    if p.purposes.is_empty() {
                        let _ = writeln!(o, "- {}", p.text);
                    } else {
                        let ps = p.purposes.iter().map(|x| x.slug()).collect::<Vec<_>>().join(", ");
                        let _ = writeln!(o, "- [{ps}] {}", p.text);
                    }
                }
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HashSet<String> {
        HashSet::new()
    }

    fn at(e: &Invalid) -> Vec<(String, Option<u64>, Option<u64>)> {
        e.0.iter().map(|f| (f.field.clone(), f.line, f.column)).collect()
    }

    #[test]
    fn placeholders_are_found_with_their_column_and_unknown_ones_named() {
        assert_eq!(unknown_placeholder("How are you, {teammate}?"), None);
        assert_eq!(unknown_placeholder("Hi {teamate}, and {manager}"), Some(("teamate".into(), 4)));
        // Braces around something that is not a word are text, not placeholders.
        assert_eq!(unknown_placeholder("a set {1, 2} or { } or {"), None);
        assert!(unknown_placeholder_message("teamate").contains("{teamate}"));
        assert!(unknown_placeholder_message("teamate").contains("{teammate}"));
    }

    #[test]
    fn filling_uses_first_names_and_the_day() {
        let f = Fill::new("Grace Hopper", "Ada Lovelace", chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"));
        assert_eq!(
            f.apply("{teammate}, what should {manager} know before {date}?"),
            "Grace, what should Ada know before Tuesday 1 December?"
        );
    }

    #[test]
    fn placeholders_are_filled_by_the_same_rule_that_checks_them_whatever_their_case() {
        let f = Fill::new("Grace Hopper", "Ada Lovelace", chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"));
        let text = "Hello {Teammate}! {MANAGER} meets you on {Date}; {team mate} is not a placeholder.";
        assert_eq!(unknown_placeholder(text), None, "the check accepts every case");
        assert_eq!(f.apply(text), "Hello Grace! Ada meets you on Tuesday 1 December; {team mate} is not a placeholder.");
    }

    #[test]
    fn our_templates_use_only_known_placeholders() {
        for t in super::super::guidance::templates() {
            for p in &t.prompts {
                assert_eq!(unknown_placeholder(&p.text), None, "template {} prompt {:?}", t.key, p.text);
            }
        }
    }

    #[test]
    fn markdown_reads_names_summaries_and_prompts() {
        let md = "# Quarter start\nWhere we are going.\n- [strategy] What did you hear about {manager}'s priorities?\n- How is {teammate} doing?\n\n# Two\n* [wellbeing, support] Energy?\n";
        let ts = parse_templates(md.as_bytes(), TemplateFormat::Markdown, &none()).expect("valid");
        assert_eq!(ts.len(), 2);
        assert_eq!(ts[0].name, "Quarter start");
        assert_eq!(ts[0].summary, "Where we are going.");
        assert_eq!(ts[0].prompts[0].purposes, vec![Purpose::Strategy]);
        assert_eq!(ts[0].prompts[1].text, "How is {teammate} doing?");
        assert_eq!(ts[1].prompts[0].purposes, vec![Purpose::Wellbeing, Purpose::Support]);
    }

    #[test]
    fn a_summary_keeps_its_line_breaks_and_blank_lines_through_markdown() {
        let summary = "First line.\nSecond line.\n\nAfter a blank line.\n# not a heading\n- not a prompt\n\\ a backslash";
        let t = Template {
            key: "own:x".into(),
            name: "Quarter start".into(),
            summary: summary.into(),
            prompts: vec![Prompt { text: "How is it going?".into(), purposes: vec![Purpose::Plans] }],
        };
        let md = export_templates(std::slice::from_ref(&t), TemplateFormat::Markdown);
        let back = parse_templates(md.as_bytes(), TemplateFormat::Markdown, &none()).expect("valid");
        assert_eq!((back[0].summary.as_str(), &back[0].prompts), (summary, &t.prompts), "{md}");
        assert_eq!(export_templates(&[back_template(&back[0])], TemplateFormat::Markdown), md);
    }

    fn back_template(t: &TemplateInput) -> Template {
        Template { key: "own:x".into(), name: t.name.clone(), summary: t.summary.clone(), prompts: t.prompts.clone() }
    }

    #[test]
    fn markdown_problems_are_located() {
        let md = "- before any heading\n# T\n- [wellbeing, moods] How are you?\n- Hello {teamate}\n# \n";
        let e = parse_templates(md.as_bytes(), TemplateFormat::Markdown, &none()).expect_err("invalid");
        assert_eq!(
            at(&e),
            vec![
                ("file".into(), Some(1), Some(1)),
                ("purposes".into(), Some(3), Some(15)),
                ("prompt".into(), Some(4), Some(9)),
                ("name".into(), Some(5), Some(3)),
                ("prompts".into(), Some(5), Some(3)),
            ]
        );
        assert!(e.0[2].message.contains("{teamate}"), "{}", e.0[2].message);
    }

    #[test]
    fn toml_round_trips_and_locates_problems() {
        let ts: Vec<Template> = super::super::guidance::templates().to_vec();
        for format in [TemplateFormat::Toml, TemplateFormat::Markdown] {
            let text = export_templates(&ts, format);
            let back = parse_templates(text.as_bytes(), format, &none()).expect("exported templates import back");
            assert_eq!(back.len(), ts.len());
            for (a, b) in back.iter().zip(&ts) {
                assert_eq!((&a.name, &a.summary, &a.prompts), (&b.name, &b.summary, &b.prompts));
            }
        }
        let bad = "[[template]]\nname = \"Mine\"\n\n[[template.prompt]]\ntext = \"Hi {boss}\"\npurposes = [\"support\", \"nope\"]\n";
        let e = parse_templates(bad.as_bytes(), TemplateFormat::Toml, &none()).expect_err("invalid");
        assert_eq!(at(&e), vec![("prompt".into(), Some(5), Some(12)), ("purposes".into(), Some(6), Some(25))]);
        let broken = "[[template]]\nname = = \"Mine\"\n";
        let e = parse_templates(broken.as_bytes(), TemplateFormat::Toml, &none()).expect_err("invalid");
        assert_eq!(e.0[0].line, Some(2), "{:?}", e.0);
        let unknown = "[[template]]\nname = \"Mine\"\ncolour = \"red\"\n";
        let e = parse_templates(unknown.as_bytes(), TemplateFormat::Toml, &none()).expect_err("invalid");
        assert!(e.0[0].message.contains("colour"), "{:?}", e.0);
    }

    #[test]
    fn names_may_not_repeat_existing_or_each_other() {
        let md = "# Weekly\n- a\n# Weekly\n- b\n# Mine\n- c\n";
        let existing: HashSet<String> = ["mine".to_string()].into();
        let e = parse_templates(md.as_bytes(), TemplateFormat::Markdown, &existing).expect_err("invalid");
        assert_eq!(at(&e), vec![("name".into(), Some(3), Some(3)), ("name".into(), Some(5), Some(3))]);
    }
}
