//! A 1:1 meeting and what is in it: statuses, talking points, action items, ratings, and the
//! limits on what people type.

use super::validation::{FieldError, Invalid};

pub const POINT_MAX: usize = 500;
pub const ACTION_MAX: usize = 300;
pub const NOTE_MAX: usize = 20_000;
pub const REASON_MAX: usize = 300;
pub const COMMENT_MAX: usize = 1_000;
pub const DURATION_CHOICES: [u32; 5] = [15, 25, 30, 45, 60];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingStatus {
    Scheduled,
    Held,
    Skipped,
    Cancelled,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Held => "held",
            MeetingStatus::Skipped => "skipped",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingStatus> {
        [MeetingStatus::Scheduled, MeetingStatus::Held, MeetingStatus::Skipped, MeetingStatus::Cancelled].into_iter().find(|m| m.as_str() == s)
    }

    /// Skipping and cancelling need a reason, so the record says why.
    pub fn needs_reason(self) -> bool {
        matches!(self, MeetingStatus::Skipped | MeetingStatus::Cancelled)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeriesStatus {
    Active,
    Paused,
    Ended,
}

impl SeriesStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesStatus::Active => "active",
            SeriesStatus::Paused => "paused",
            SeriesStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<SeriesStatus> {
        [SeriesStatus::Active, SeriesStatus::Paused, SeriesStatus::Ended].into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeriesKind {
    /// A manager and a direct report, recurring.
    Regular,
    /// A leader and someone further down their organisation, recurring.
    SkipLevel,
    /// A single meeting.
    OneOff,
}

impl SeriesKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesKind::Regular => "regular",
            SeriesKind::SkipLevel => "skip_level",
            SeriesKind::OneOff => "one_off",
        }
    }

    pub fn parse(s: &str) -> Option<SeriesKind> {
        [SeriesKind::Regular, SeriesKind::SkipLevel, SeriesKind::OneOff].into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Normal,
    /// "How can I help?": a commitment the manager makes to the teammate.
    Help,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Normal => "normal",
            ActionKind::Help => "help",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        match s {
            "normal" => Some(ActionKind::Normal),
            "help" => Some(ActionKind::Help),
            _ => None,
        }
    }
}

/// Checks a piece of short text: not empty, not too long, no control characters except line
/// breaks. Returns it trimmed.
pub fn short_text(field: &str, input: &str, max: usize, what: &str, errors: &mut Invalid) -> String {
    let s = input.trim();
    if s.is_empty() {
        errors.push(FieldError::new(field, format!("Write {what} first.")));
    } else if s.chars().count() > max {
        errors.push(FieldError::new(field, format!("Keep it to {max} characters; this is {}.", s.chars().count())));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.push(FieldError::new(field, "This text contains control characters."));
    }
    s.to_string()
}

pub fn note_text(field: &str, input: &str, errors: &mut Invalid) -> String {
    if input.chars().count() > NOTE_MAX {
        errors.push(FieldError::new(field, format!("Notes can hold {NOTE_MAX} characters; this is {}.", input.chars().count())));
    }
    input.replace("\r\n", "\n")
}

pub fn rating(field: &str, value: i64, errors: &mut Invalid) {
    if !(1..=5).contains(&value) {
        errors.push(FieldError::new(field, "Choose from 1 (not worth it) to 5 (very worth it)."));
    }
}

/// Should this point move on to the next meeting? Points not discussed do, once each; points
/// marked recurring come back every time.
pub fn carries_over(discussed: bool, recurring: bool) -> bool {
    recurring || !discussed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_refuses_empty_and_overlong_input() {
        let mut e = Invalid::default();
        assert_eq!(short_text("text", "  hello  ", 10, "a point", &mut e), "hello");
        assert!(e.is_empty());
        short_text("text", "   ", 10, "a point", &mut e);
        short_text("text", &"x".repeat(11), 10, "a point", &mut e);
        assert_eq!(e.0.len(), 2);
        assert!(e.0[0].message.contains("Write a point"));
        assert!(e.0[1].message.contains("10 characters; this is 11"));
    }

    #[test]
    fn only_undiscussed_or_recurring_points_carry_over() {
        assert!(carries_over(false, false));
        assert!(!carries_over(true, false));
        assert!(carries_over(true, true));
    }

    #[test]
    fn ratings_run_from_one_to_five() {
        for (v, ok) in [(0, false), (1, true), (5, true), (6, false)] {
            let mut e = Invalid::default();
            rating("rating", v, &mut e);
            assert_eq!(e.is_empty(), ok);
        }
    }
}
