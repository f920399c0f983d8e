//! Feedback, review periods, review packets and reviews: the rules, with no I/O.
//!
//! The no-surprises check lives here ([`check_statement`]): a statement that praises or raises
//! a concern must trace to feedback or a shared note the teammate saw at least `days` before
//! the review is shared. Packet assembly and its Markdown export are here too.

use super::day::Day;
use super::growth::{Assessment, Plan, Strength};
use super::{FieldError, Invalid};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const BODY_MAX: usize = 4000;
pub const NAME_MAX: usize = 120;
/// The default time a point must have been heard before a review repeats it.
pub const DEFAULT_NOTICE_DAYS: i64 = 21;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    Praise,
    /// Something to change.
    Change,
}

impl FeedbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Praise => "praise",
            FeedbackKind::Change => "change",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "praise" => Some(FeedbackKind::Praise),
            "change" => Some(FeedbackKind::Change),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FeedbackKind::Praise => "Praise",
            FeedbackKind::Change => "Something to change",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Feedback {
    pub id: Uuid,
    pub giver_id: Uuid,
    pub receiver_id: Uuid,
    pub kind: FeedbackKind,
    pub body: String,
    pub meeting_id: Option<Uuid>,
    pub competency: Option<String>,
    pub plan_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// `None` while a draft: only the giver sees it.
    pub shared_at: Option<DateTime<Utc>>,
}

impl Feedback {
    /// The day it was shared, "" for a draft.
    pub fn shared_on(&self) -> String {
        self.shared_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()
    }
}

pub fn validate_feedback_body(body: &str) -> Result<String, Invalid> {
    let b = body.trim();
    if b.is_empty() {
        return Err(Invalid::one("body", "Write what you want to say."));
    }
    if b.chars().count() > BODY_MAX {
        return Err(Invalid::one("body", format!("Keep it to {BODY_MAX} characters.")));
    }
    Ok(b.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewPeriod {
    pub id: Uuid,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl ReviewPeriod {
    /// The period as instants: from the start of its first day to the end of its last (UTC).
    pub fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let from = self.starts_on.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let to = (self.ends_on + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        (from, to)
    }
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        let (a, b) = self.bounds();
        t >= a && t < b
    }
}

/// Checks a new period against the ones that exist: a name, a start before its end, no overlap.
pub fn validate_period(name: &str, s: Day, e: Day, existing: &[ReviewPeriod]) -> Result<(String, NaiveDate, NaiveDate), Invalid> {
    let mut errors = Invalid::default();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Give the period a name, like “2026 first half”."));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new("name", format!("Keep the name to {NAME_MAX} characters.")));
    }
    let (s, e) = (s.date(), e.date());
    if e < s {
        errors.push(FieldError::new("ends_on", "The period ends before it starts: the end date must be on or after the start."));
    } else if let Some(o) = existing.iter().find(|p| p.starts_on <= e && s <= p.ends_on) {
        errors.push(FieldError::new(
            "starts_on",
            format!("This overlaps “{}” ({} to {}); periods must not overlap.", o.name, o.starts_on, o.ends_on),
        ));
    }
    if existing.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
        errors.push(FieldError::new("name", "A period with this name exists."));
    }
    errors.into_result()?;
    Ok((name.to_string(), s, e))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Praise,
    Concern,
    Neutral,
}

impl StatementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Praise => "praise",
            StatementKind::Concern => "concern",
            StatementKind::Neutral => "neutral",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "praise" => Some(StatementKind::Praise),
            "concern" => Some(StatementKind::Concern),
            "neutral" => Some(StatementKind::Neutral),
            _ => None,
        }
    }
    /// Whether the no-surprises rule applies.
    pub fn needs_trail(self) -> bool {
        self != StatementKind::Neutral
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A piece of feedback (its id).
    Feedback,
    /// The shared notes of a 1:1 (the meeting's id).
    Note,
    /// An assessment (its id).
    Assessment,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Feedback => "feedback",
            EvidenceKind::Note => "note",
            EvidenceKind::Assessment => "assessment",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "feedback" => Some(EvidenceKind::Feedback),
            "note" => Some(EvidenceKind::Note),
            "assessment" => Some(EvidenceKind::Assessment),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EvidenceRef {
    pub kind: EvidenceKind,
    pub id: Uuid,
}

/// Parses "feedback:UUID", "note:UUID" or "assessment:UUID".
pub fn parse_evidence(s: &str) -> Option<EvidenceRef> {
    let (k, id) = s.trim().split_once(':')?;
    Some(EvidenceRef { kind: EvidenceKind::parse(k)?, id: Uuid::parse_str(id.trim()).ok()? })
}

/// What the teammate could see of one piece of evidence, and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Seen by the teammate since this instant (feedback shared with them, a shared note of their 1:1).
    Since(DateTime<Utc>),
    /// Feedback still a draft.
    NotShared,
    /// Feedback shared, but with someone else.
    SomeoneElse,
    /// An assessment: a record, not something said to the person.
    NotFeedback,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Flag {
    pub statement_id: Uuid,
    pub reason: String,
}

/// The no-surprises rule for one statement at `at` (when the review would be shared).
/// `None` when the statement is fine; otherwise the reason it would be new to the person.
pub fn check_statement(kind: StatementKind, evidence: &[(EvidenceRef, Seen)], at: DateTime<Utc>, days: i64) -> Option<String> {
    if !kind.needs_trail() {
        return None;
    }
    if evidence.is_empty() {
        return Some("No evidence is linked: this point will be new to them.".into());
    }
    let cutoff = at - Duration::days(days);
    let mut reasons = Vec::new();
    for (r, seen) in evidence {
        match seen {
            Seen::Since(t) if *t <= cutoff => return None,
            Seen::Since(t) => {
                let ago = (at - *t).num_days();
                reasons.push(format!(
                    "{} {} was seen only {} day{} ago; it needs {days}.",
                    r.kind.as_str(),
                    short(r.id),
                    ago,
                    if ago == 1 { "" } else { "s" }
                ))
            }
            Seen::NotShared => reasons.push(format!("feedback {} is still a draft: they have not seen it.", short(r.id))),
            Seen::SomeoneElse => reasons.push(format!("feedback {} was given to someone else, not to them.", short(r.id))),
            Seen::NotFeedback => {
                reasons.push(format!("assessment {} is a record, not feedback they heard.", short(r.id)));
            }
        }
    }
    Some(format!("Not traced to feedback or notes they saw at least {days} days ago: {}", reasons.join(" ")))
}

fn short(id: Uuid) -> String {
    id.simple().to_string()[..8].to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Review {
    pub id: Uuid,
    pub period_id: Uuid,
    pub person_id: Uuid,
    pub manager_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub shared_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub answer: String,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub id: Uuid,
    pub review_id: Uuid,
    pub position: i64,
    pub kind: StatementKind,
    pub body: String,
    pub evidence: Vec<EvidenceRef>,
    pub created_at: DateTime<Utc>,
}

// ---- the review packet ----

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PacketMeeting {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub status: String,
    pub status_reason: String,
    pub rating: Option<i64>,
    pub has_shared_note: bool,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MeetingCounts {
    pub held: usize,
    pub skipped: usize,
    pub cancelled: usize,
    pub rated: usize,
    /// Average rating of the rated meetings, one decimal.
    pub average_rating: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PacketFeedback {
    pub feedback: Feedback,
    pub giver_name: String,
    pub receiver_name: String,
    /// "given" (by the person) or "received".
    pub direction: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Packet {
    pub person_id: Uuid,
    pub person_name: String,
    pub manager_name: Option<String>,
    pub period: ReviewPeriod,
    pub counts: MeetingCounts,
    pub meetings: Vec<PacketMeeting>,
    pub feedback: Vec<PacketFeedback>,
    pub plans: Vec<Plan>,
    pub assessments: Vec<Assessment>,
    pub strengths: Vec<Strength>,
    /// Blameless setback records that happened in the period, oldest first.
    pub setbacks: Vec<super::setback::Setback>,
}

pub fn counts(meetings: &[PacketMeeting]) -> MeetingCounts {
    let mut c = MeetingCounts::default();
    let mut sum = 0i64;
    for m in meetings {
        match m.status.as_str() {
            "held" => c.held += 1,
            "skipped" => c.skipped += 1,
            "cancelled" => c.cancelled += 1,
            _ => {}
        }
        if let Some(r) = m.rating {
            c.rated += 1;
            sum += r;
        }
    }
    if c.rated > 0 {
        c.average_rating = Some(((sum as f64 / c.rated as f64) * 10.0).round() / 10.0);
    }
    c
}

/// Keeps the parts of a plan that belong to the period: plans that existed by its end, with
/// the updates written inside it.
pub fn plans_in(plans: Vec<Plan>, period: &ReviewPeriod) -> Vec<Plan> {
    let (_, to) = period.bounds();
    plans
        .into_iter()
        .filter(|p| p.created_at < to)
        .map(|mut p| {
            p.updates.retain(|u| period.contains(u.created_at));
            p
        })
        .collect()
}

fn line(s: &str) -> String {
    s.replace('\n', " ").trim().to_string()
}

/// The packet as Markdown (also what the CLI prints).
pub fn packet_markdown(p: &Packet) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "# Review packet: {}\n", p.person_name);
    let _ = writeln!(o, "Period: {} ({} to {})", p.period.name, p.period.starts_on, p.period.ends_on);
    if let Some(m) = &p.manager_name {
        let _ = writeln!(o, "Manager: {m}");
    }
    let _ = writeln!(o, "\n## 1:1s\n");
    let c = &p.counts;
    let avg = c.average_rating.map(|a| format!("{a:.1}")).unwrap_or_else(|| "none".into());
    let _ = writeln!(o, "Held {}, skipped {}, cancelled {}. Rated {} (average {avg}).\n", c.held, c.skipped, c.cancelled, c.rated);
    for m in &p.meetings {
        let rating = m.rating.map(|r| format!(", rated {r}")).unwrap_or_default();
        let reason = if m.status_reason.is_empty() { String::new() } else { format!(" ({})", line(&m.status_reason)) };
        let _ = writeln!(o, "- {}: {}{reason}{rating}", m.starts_at.format("%Y-%m-%d"), m.status);
    }
    let _ = writeln!(o, "\n## Feedback\n");
    if p.feedback.is_empty() {
        let _ = writeln!(o, "No feedback shared in this period.");
    }
    for f in &p.feedback {
        let _ = writeln!(
            o,
            "- {} · {} · {} → {}: {}",
            f.feedback.shared_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            f.feedback.kind.label(),
            f.giver_name,
            f.receiver_name,
            line(&f.feedback.body)
        );
    }
    let _ = writeln!(o, "\n## Plans\n");
    if p.plans.is_empty() {
        let _ = writeln!(o, "No plans.");
    }
    for pl in &p.plans {
        let _ = writeln!(o, "### {}\n", line(&pl.title));
        if !pl.goals.trim().is_empty() {
            let _ = writeln!(o, "Goals: {}\n", line(&pl.goals));
        }
        for s in &pl.steps {
            let _ = writeln!(o, "- [{}] {}", if s.done_at.is_some() { "x" } else { " " }, line(&s.body));
        }
        for u in &pl.updates {
            let _ = writeln!(o, "- Update {}: {}", u.created_at.format("%Y-%m-%d"), line(&u.progress));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Assessments\n");
    if p.assessments.is_empty() {
        let _ = writeln!(o, "No assessments in this period.");
    }
    for a in &p.assessments {
        let ev = if a.evidence.trim().is_empty() { String::new() } else { format!(" Evidence: {}", line(&a.evidence)) };
        let _ = writeln!(
            o,
            "- {} · {} · {} at {}: {}.{ev}",
            a.created_at.format("%Y-%m-%d"),
            a.kind.as_str(),
            a.competency,
            a.level,
            a.rating.as_str()
        );
    }
    let _ = writeln!(o, "\n## Strengths\n");
    if p.strengths.is_empty() {
        let _ = writeln!(o, "No strengths recorded.");
    }
    for s in &p.strengths {
        let ev = if s.evidence.trim().is_empty() { String::new() } else { format!(" Evidence: {}", line(&s.evidence)) };
        let _ = writeln!(o, "- {}.{ev}", line(&s.name));
    }
    let _ = writeln!(o, "\n## Setbacks and what was learned\n");
    if p.setbacks.is_empty() {
        let _ = writeln!(o, "No setbacks recorded in this period.");
    }
    for s in &p.setbacks {
        let _ = writeln!(o, "### {}\n", s.occurred_on);
        let _ = writeln!(o, "- What happened: {}", line(&s.facts));
        let _ = writeln!(o, "- Context: {}", s.context_words().join("; "));
        for (label, text) in [("Remedy", &s.remedy), ("The manager will", &s.manager_change), ("Learned", &s.learned)] {
            if !text.is_empty() {
                let _ = writeln!(o, "- {label}: {}", line(text));
            }
        }
        let _ = writeln!(o);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap()
    }
    fn ev(kind: EvidenceKind) -> EvidenceRef {
        EvidenceRef { kind, id: Uuid::nil() }
    }

    #[test]
    fn a_point_heard_exactly_n_days_before_is_traced_and_one_day_less_is_flagged() {
        let at = t(29);
        let fb = ev(EvidenceKind::Feedback);
        assert_eq!(check_statement(StatementKind::Praise, &[(fb, Seen::Since(t(8)))], at, 21), None);
        let r = check_statement(StatementKind::Concern, &[(fb, Seen::Since(t(9)))], at, 21).unwrap();
        assert!(r.contains("only 20 days ago"), "{r}");
        assert!(check_statement(StatementKind::Praise, &[], at, 21).unwrap().contains("No evidence"));
        assert!(check_statement(StatementKind::Praise, &[(fb, Seen::NotShared)], at, 21).unwrap().contains("draft"));
        assert!(check_statement(StatementKind::Praise, &[(fb, Seen::SomeoneElse)], at, 21).unwrap().contains("someone else"));
        assert!(check_statement(StatementKind::Praise, &[(ev(EvidenceKind::Assessment), Seen::NotFeedback)], at, 21).is_some());
        // Neutral statements need no trail; one traced piece of evidence is enough.
        assert_eq!(check_statement(StatementKind::Neutral, &[], at, 21), None);
        assert_eq!(check_statement(StatementKind::Praise, &[(fb, Seen::NotShared), (fb, Seen::Since(t(1)))], at, 21), None);
    }

    #[test]
    fn periods_must_start_before_they_end_and_not_overlap() {
        let d = |s: &str| Day::parse(s).unwrap();
        let h1 = ReviewPeriod {
            id: Uuid::nil(),
            name: "H1".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        };
        assert!(validate_period("H2", d("2026-07-01"), d("2026-12-31"), std::slice::from_ref(&h1)).is_ok());
        let e = validate_period("X", d("2026-06-30"), d("2026-09-30"), std::slice::from_ref(&h1)).unwrap_err();
        assert!(e.message_for("starts_on").unwrap().contains("overlaps"));
        let e = validate_period("Y", d("2027-03-01"), d("2027-02-01"), &[]).unwrap_err();
        assert!(e.message_for("ends_on").unwrap().contains("ends before it starts"));
        // What is wrong is said together: no name, and an end before the start.
        assert!(validate_period("", d("2027-03-01"), d("2027-02-01"), &[]).unwrap_err().0.len() == 2);
        // A one-day period is fine.
        assert!(validate_period("D", d("2027-01-01"), d("2027-01-01"), &[]).is_ok());
    }

    #[test]
    fn counts_and_evidence_references() {
        let m = |status: &str, rating| PacketMeeting {
            id: Uuid::nil(),
            starts_at: t(1),
            status: status.into(),
            status_reason: String::new(),
            rating,
            has_shared_note: false,
        };
        let c = counts(&[m("held", Some(4)), m("held", Some(5)), m("skipped", None), m("cancelled", None)]);
        assert_eq!((c.held, c.skipped, c.cancelled, c.rated, c.average_rating), (2, 1, 1, 2, Some(4.5)));
        let id = Uuid::now_v7();
        assert_eq!(parse_evidence(&format!("note:{id}")), Some(EvidenceRef { kind: EvidenceKind::Note, id }));
        assert_eq!(parse_evidence("x:1"), None);
    }
}
