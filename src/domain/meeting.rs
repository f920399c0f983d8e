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
        [MeetingStatus::Scheduled, MeetingStatus::Held, MeetingStatus::Skipped, MeetingStatus::Cancelled]
            .into_iter()
            .find(|m| m.as_str() == s)
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

/// The longest note under a topic.
pub const TOPIC_NOTE_MAX: usize = 4_000;

/// A note under a topic: may be empty (no note), not too long, no control characters.
pub fn topic_note(field: &str, input: &str, errors: &mut Invalid) -> String {
    let s = input.replace("\r\n", "\n").trim().to_string();
    let n = s.chars().count();
    if n > TOPIC_NOTE_MAX {
        errors.push(FieldError::new(field, format!("Keep a topic's note to {TOPIC_NOTE_MAX} characters; this is {n}.")));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        errors.push(FieldError::new(field, "This text contains control characters."));
    }
    s
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

/// How far ahead a 1:1 may be planned: the first meeting of a series, or a meeting moved.
pub const MAX_YEARS_AHEAD: u32 = 5;

/// A 1:1 on `date` is at most [`MAX_YEARS_AHEAD`] years after `today` (and a [`Day`] at all);
/// otherwise the message for `field`. Further out is a typing slip, not a plan.
///
/// [`Day`]: super::day::Day
pub fn within_reach(field: &str, date: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), FieldError> {
    let last = today.checked_add_months(chrono::Months::new(12 * MAX_YEARS_AHEAD)).unwrap_or(chrono::NaiveDate::MAX);
    super::day::Day::bounded(date).map_err(|m| FieldError::new(field, m))?;
    if date > last {
        return Err(FieldError::new(
            field,
            format!("{date} is too far ahead: plan 1:1s at most {MAX_YEARS_AHEAD} years ahead (until {last})."),
        ));
    }
    Ok(())
}

/// Should this point move on to the next meeting? Points not discussed do, once each; points
/// marked recurring come back every time.
pub fn carries_over(discussed: bool, recurring: bool) -> bool {
    recurring || !discussed
}

/// The kinds of 1:1 content that search finds: a talking point, a note (shared or private), an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Point,
    Note,
    Action,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Point => "point",
            DocKind::Note => "note",
            DocKind::Action => "action",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        match s {
            "point" => Some(DocKind::Point),
            "note" => Some(DocKind::Note),
            "action" => Some(DocKind::Action),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_on_ones_are_planned_at_most_five_years_ahead() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-11-23");
        assert!(within_reach("first_date", d("2031-11-23"), today).is_ok());
        assert!(within_reach("first_date", d("2020-01-01"), today).is_ok(), "the past is another rule's business");
        for far in ["2031-11-24", "2100-12-31"] {
            let e = within_reach("date", d(far), today).unwrap_err();
            assert_eq!(e.field, "date");
            assert!(e.message.contains("5 years ahead") && e.message.contains("2031-11-23"), "{}", e.message);
        }
        for out in ["0001-01-01", "9999-12-31"] {
            let e = within_reach("date", d(out), today).unwrap_err();
            assert!(e.message.contains("from 1900 to 2100"), "{}", e.message);
        }
    }

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

/// A pair's series of 1:1s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub id: uuid::Uuid,
    pub manager_id: super::PersonId,
    pub teammate_id: super::PersonId,
    pub kind: SeriesKind,
    pub schedule: super::schedule::Schedule,
    pub duration_minutes: u32,
    pub status: SeriesStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

impl Series {
    /// The other person of the pair, seen from `who`.
    pub fn other(&self, who: super::PersonId) -> super::PersonId {
        if who == self.manager_id { self.teammate_id } else { self.manager_id }
    }

    pub fn includes(&self, who: super::PersonId) -> bool {
        who == self.manager_id || who == self.teammate_id
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: uuid::Uuid,
    pub series_id: uuid::Uuid,
    pub occurrence: i64,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub duration_minutes: u32,
    pub status: MeetingStatus,
    pub status_reason: String,
    /// Who last set the status, and who last moved it (none: never, or before rapport kept it).
    pub status_by: Option<super::PersonId>,
    pub moved_from_at: Option<chrono::DateTime<chrono::Utc>>,
    pub moved_by: Option<super::PersonId>,
    pub rating: Option<i64>,
    pub rating_comment: String,
    pub version: i64,
}

impl Meeting {
    /// Occurrence `index` of `series`, as planned: scheduled, unrated, at version 1.
    pub fn planned(id: uuid::Uuid, series: &Series, index: i64, starts_at: chrono::DateTime<chrono::Utc>) -> Meeting {
        Meeting {
            id,
            series_id: series.id,
            occurrence: index,
            starts_at,
            duration_minutes: series.duration_minutes,
            status: MeetingStatus::Scheduled,
            status_reason: String::new(),
            status_by: None,
            moved_from_at: None,
            moved_by: None,
            rating: None,
            rating_comment: String::new(),
            version: 1,
        }
    }

    pub fn ends_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.starts_at + chrono::Duration::minutes(self.duration_minutes as i64)
    }

    /// Over: marked held, skipped or cancelled, or its time has passed.
    pub fn is_over(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.status != MeetingStatus::Scheduled || self.ends_at() <= now
    }

    /// Whether it can be rated: it has begun, and was neither skipped nor cancelled.
    pub fn can_be_rated(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.starts_at <= now && !matches!(self.status, MeetingStatus::Cancelled | MeetingStatus::Skipped)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkingPoint {
    pub id: uuid::Uuid,
    pub meeting_id: uuid::Uuid,
    pub origin_id: uuid::Uuid,
    /// The meeting it was carried from, when it was.
    pub carried_from: Option<uuid::Uuid>,
    pub author_id: super::PersonId,
    pub body: String,
    pub position: i64,
    pub discussed: bool,
    pub recurring: bool,
    pub version: i64,
    /// A note under the topic (either person writes it); empty for none. It travels with the
    /// topic when the topic is carried over.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: uuid::Uuid,
    pub meeting_id: uuid::Uuid,
    pub private: bool,
    pub author_id: super::PersonId,
    pub body: String,
    pub updated_by: super::PersonId,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: uuid::Uuid,
    pub series_id: uuid::Uuid,
    pub meeting_id: uuid::Uuid,
    pub owner_id: super::PersonId,
    pub created_by: super::PersonId,
    pub body: String,
    pub kind: ActionKind,
    pub due_date: Option<chrono::NaiveDate>,
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// The order of a meeting's agenda: the teammate's own new topics first (the meeting is
/// theirs), then what was carried over, then the manager's; by position within each group.
pub fn agenda_order(points: &mut [TalkingPoint], teammate: super::PersonId) {
    points.sort_by_key(|p| {
        let group = match (p.carried_from.is_some() && !p.recurring, p.author_id == teammate) {
            (false, true) => 0,
            (true, _) => 1,
            (false, false) => 2,
        };
        (group, p.position)
    });
}

#[cfg(test)]
mod agenda_tests {
    use super::*;

    fn point(author: u128, carried: bool, position: i64) -> TalkingPoint {
        TalkingPoint {
            id: uuid::Uuid::from_u128(position as u128),
            meeting_id: uuid::Uuid::nil(),
            origin_id: uuid::Uuid::nil(),
            carried_from: carried.then(uuid::Uuid::nil),
            author_id: super::super::PersonId(uuid::Uuid::from_u128(author)),
            body: String::new(),
            position,
            discussed: false,
            recurring: false,
            version: 1,
            note: String::new(),
        }
    }

    #[test]
    fn the_teammates_topics_come_first_then_carried_then_the_managers() {
        let teammate = super::super::PersonId(uuid::Uuid::from_u128(2));
        let mut points = vec![point(1, false, 1), point(2, true, 2), point(2, false, 5), point(1, true, 3), point(2, false, 4)];
        agenda_order(&mut points, teammate);
        let order: Vec<i64> = points.iter().map(|p| p.position).collect();
        assert_eq!(order, vec![4, 5, 2, 3, 1]);
    }
}

/// How the teammate's "was this worth your time?" answers are moving: the average of the
/// last [`TREND_WINDOW`] rated meetings against the average of the ones before them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingTrend {
    pub rated: usize,
    pub recent: f64,
    /// The average of the window before, when there were enough ratings for one.
    pub before: Option<f64>,
    pub direction: TrendDirection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendDirection {
    Rising,
    Steady,
    Falling,
}

pub const TREND_WINDOW: usize = 4;
/// A change in the average smaller than this is "steady".
pub const TREND_STEP: f64 = 0.5;

/// `ratings` newest first. None when nothing was rated.
pub fn rating_trend(ratings: &[i64]) -> Option<RatingTrend> {
    if ratings.is_empty() {
        return None;
    }
    let avg = |xs: &[i64]| xs.iter().sum::<i64>() as f64 / xs.len() as f64;
    let recent_n = ratings.len().min(TREND_WINDOW);
    let recent = avg(&ratings[..recent_n]);
    let rest = &ratings[recent_n..];
    let before = (rest.len() >= TREND_WINDOW.div_ceil(2)).then(|| avg(&rest[..rest.len().min(TREND_WINDOW)]));
    let direction = match before {
        Some(b) if recent - b >= TREND_STEP => TrendDirection::Rising,
        Some(b) if b - recent >= TREND_STEP => TrendDirection::Falling,
        _ => TrendDirection::Steady,
    };
    Some(RatingTrend { rated: ratings.len(), recent, before, direction })
}

#[cfg(test)]
mod trend_tests {
    use super::*;

    #[test]
    fn nothing_rated_has_no_trend() {
        assert_eq!(rating_trend(&[]), None);
    }

    #[test]
    fn a_few_ratings_are_steady_with_nothing_to_compare() {
        let t = rating_trend(&[4, 5, 3]).unwrap();
        assert_eq!((t.rated, t.before, t.direction), (3, None, TrendDirection::Steady));
        assert!((t.recent - 4.0).abs() < 1e-9);
    }

    #[test]
    fn the_last_four_are_compared_with_the_four_before() {
        // Newest first: recently 2s, before that 4s and 5s.
        let t = rating_trend(&[2, 2, 3, 2, 4, 5, 4, 5, 1, 1]).unwrap();
        assert_eq!(t.direction, TrendDirection::Falling);
        assert!((t.recent - 2.25).abs() < 1e-9);
        assert!((t.before.unwrap() - 4.5).abs() < 1e-9);
        assert_eq!(rating_trend(&[5, 5, 4, 5, 3, 3]).unwrap().direction, TrendDirection::Rising);
    }

    #[test]
    fn small_moves_are_steady() {
        assert_eq!(rating_trend(&[4, 4, 4, 3, 4, 4, 4, 4]).unwrap().direction, TrendDirection::Steady);
        // Exactly one step down counts.
        assert_eq!(rating_trend(&[4, 4, 4, 4, 5, 4, 5, 4]).unwrap().direction, TrendDirection::Falling);
    }
}
