//! Strategy into day-to-day: the rules for a leader's talking point placed into the next 1:1 of
//! every pair in their part of the organisation. The words come from `content/strategy.toml`.

use super::{FieldError, Invalid};
use serde::Deserialize;
use std::sync::OnceLock;

/// The longest talking point a leader may place (the agenda's own limit applies to the result).
pub const TEXT_MAX: usize = 1_000;

#[derive(Debug, Deserialize)]
struct Content {
    point: String,
    reach: String,
    no_reports: String,
    no_meetings: String,
}

const STRATEGY_TOML: &str = include_str!("../../content/strategy.toml");

fn content() -> &'static Content {
    static C: OnceLock<Content> = OnceLock::new();
    C.get_or_init(|| toml::from_str(STRATEGY_TOML).expect("content/strategy.toml"))
}

/// The text as a leader typed it, trimmed; empty or too long is refused by field.
pub fn check_text(text: &str) -> Result<String, Invalid> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Invalid::one("text", "Write the talking point: a priority, a change, and what it means for people's work."));
    }
    if t.chars().count() > TEXT_MAX {
        return Err(Invalid::one("text", format!("Keep it under {TEXT_MAX} characters; link to the longer version.")));
    }
    Ok(t.to_string())
}

/// How the point reads on each agenda.
pub fn point_body(leader: &str, text: &str) -> String {
    content().point.replace("{leader}", leader).replace("{text}", text)
}

pub fn reach_message(n: usize) -> String {
    let pairs = if n == 1 { "1 pair".to_string() } else { format!("{n} pairs") };
    content().reach.replace("{pairs}", &pairs)
}

/// "one 1:1", "3 1:1s".
pub fn one_on_ones(n: usize) -> String {
    if n == 1 { "one 1:1".into() } else { format!("{n} 1:1s") }
}

pub fn no_reports_message() -> &'static str {
    content().no_reports.trim()
}

pub fn no_meetings_message() -> &'static str {
    content().no_meetings.trim()
}

/// Why nothing can be placed: no part of the organisation, or no 1:1 coming up in it.
pub fn nothing_to_reach(has_reports: bool) -> FieldError {
    FieldError::new("text", if has_reports { no_meetings_message() } else { no_reports_message() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_checked_and_framed_with_the_leaders_name() {
        assert_eq!(check_text("  Q1: fewer, better launches  ").unwrap(), "Q1: fewer, better launches");
        assert!(check_text(" ").unwrap_err().message_for("text").is_some());
        assert!(check_text(&"x".repeat(TEXT_MAX + 1)).is_err());
        assert_eq!(point_body("Vera Vp", "Q1 priorities"), "From Vera Vp: Q1 priorities");
        assert!(reach_message(3).contains("next 1:1 of 3 pairs"));
        assert!(reach_message(1).contains("next 1:1 of 1 pair in"));
        assert_eq!((one_on_ones(1).as_str(), one_on_ones(0).as_str()), ("one 1:1", "0 1:1s"));
        assert!(!no_reports_message().is_empty() && !no_meetings_message().is_empty());
        assert_ne!(nothing_to_reach(true).message, nothing_to_reach(false).message);
    }
}
