//! Growth: assessments, where the two views differ, plans, and promotion readiness.

use super::framework::Framework;
use super::validation::{FieldError, Invalid};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How someone does at a competency, against the level they were assessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Below,
    Meets,
    Exceeds,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Below, Rating::Meets, Rating::Exceeds];

    pub fn parse(s: &str) -> Option<Rating> {
        match s {
            "below" => Some(Rating::Below),
            "meets" => Some(Rating::Meets),
            "exceeds" => Some(Rating::Exceeds),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Below => "below",
            Rating::Meets => "meets",
            Rating::Exceeds => "exceeds",
        }
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Below => "below expectations",
            Rating::Meets => "meets expectations",
            Rating::Exceeds => "exceeds expectations",
        }
    }
}

/// Who assessed: the person themself, or their manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentKind {
    #[serde(rename = "self")]
    SelfAssessment,
    Manager,
}

impl AssessmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentKind::SelfAssessment => "self",
            AssessmentKind::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<AssessmentKind> {
        match s {
            "self" => Some(AssessmentKind::SelfAssessment),
            "manager" => Some(AssessmentKind::Manager),
            _ => None,
        }
    }
}

/// One assessment of one competency, as kept (history is never rewritten).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    pub id: uuid::Uuid,
    pub person_id: uuid::Uuid,
    pub assessor_id: uuid::Uuid,
    pub kind: AssessmentKind,
    pub framework_version_id: uuid::Uuid,
    pub competency: String,
    /// The level the person was assessed against.
    pub level: String,
    pub rating: Rating,
    pub evidence: String,
    /// The 1:1 the evidence is in, when linked.
    pub evidence_meeting_id: Option<uuid::Uuid>,
    pub created_at: DateTime<Utc>,
}

/// The first rapport 1:1 link in a text (`…/meetings/<id>`), as linked evidence.
pub fn meeting_link(text: &str) -> Option<uuid::Uuid> {
    text.match_indices("/meetings/").find_map(|(i, m)| text.get(i + m.len()..i + m.len() + 36).and_then(|s| uuid::Uuid::parse_str(s).ok()))
}

pub const MAX_EVIDENCE: usize = 4000;

pub fn validate_evidence(s: &str) -> Result<String, Invalid> {
    let s = s.trim();
    if s.chars().count() > MAX_EVIDENCE {
        return Err(Invalid(vec![FieldError::new("evidence", format!("Keep the evidence under {MAX_EVIDENCE} characters."))]));
    }
    Ok(s.to_string())
}

/// The latest assessment of each competency by each side.
pub fn latest(assessments: &[Assessment], kind: AssessmentKind, competency: &str) -> Option<Assessment> {
    assessments.iter().filter(|a| a.kind == kind && a.competency == competency).max_by_key(|a| (a.created_at, a.id)).cloned()
}

/// A competency where the person's own view and their manager's differ: a topic to discuss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Difference {
    pub competency: String,
    pub self_rating: Rating,
    pub manager_rating: Rating,
}

impl Difference {
    /// The talking point it suggests.
    pub fn topic(&self) -> String {
        format!(
            "Growth: we see \"{}\" differently (self: {}, manager: {}). What does each of us see?",
            self.competency,
            self.self_rating.label(),
            self.manager_rating.label()
        )
    }
}

/// Where the latest self-assessment and the latest manager assessment of a competency differ.
pub fn differences(framework: &Framework, assessments: &[Assessment]) -> Vec<Difference> {
    framework
        .competencies()
        .filter_map(|(_, c)| {
            let s = latest(assessments, AssessmentKind::SelfAssessment, &c.name)?;
            let m = latest(assessments, AssessmentKind::Manager, &c.name)?;
            // Against different levels the ratings do not compare; compare what they imply.
            let si = implied_rank(framework, &s)?;
            let mi = implied_rank(framework, &m)?;
            (si != mi).then(|| Difference { competency: c.name.clone(), self_rating: s.rating, manager_rating: m.rating })
        })
        .collect()
}

/// The rank in its track that an assessment says the person works at: below a level is the one
/// under it, meeting it is that level, exceeding it is working at the next.
fn implied_rank(framework: &Framework, a: &Assessment) -> Option<i64> {
    let lv = framework.level(&a.level)?;
    let r = lv.rank as i64;
    Some(match a.rating {
        Rating::Below => r - 1,
        Rating::Meets => r,
        Rating::Exceeds => r + 1,
    })
}

/// One competency's readiness for the next level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CompetencyReadiness {
    pub area: String,
    pub competency: String,
    /// What the next level expects.
    pub expectation: String,
    /// False when the next level expects nothing of it (an empty cell of the framework): it is
    /// shown as "not expected" and counts neither as met nor in the total.
    pub expected: bool,
    pub met: bool,
    /// The manager assessment the answer rests on (none yet: not met).
    pub rating: Option<Rating>,
    pub assessed_level: Option<String>,
    pub evidence: String,
    pub evidence_meeting_id: Option<uuid::Uuid>,
    pub assessed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub current_level: String,
    pub next_level: String,
    pub competencies: Vec<CompetencyReadiness>,
    pub met: usize,
    pub total: usize,
}

/// A point of the readiness chart: the share of competencies met after the assessments of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReadinessPoint {
    pub date: NaiveDate,
    pub met: usize,
    pub total: usize,
}

/// Readiness against the level after `level`, competency by competency.
///
/// The rule: a competency is met for the next level when the latest **manager** assessment of it
/// says the person works at that level or above — "meets" or "exceeds" assessed against the next
/// level (or higher), or "exceeds" against the current one. Self-assessments inform the
/// conversation (see [`differences`]) but do not count. Only assessments up to `until` count, so
/// the same rule draws the history. `None` when the level is the last of its track.
pub fn readiness(framework: &Framework, level: &str, assessments: &[Assessment], until: Option<DateTime<Utc>>) -> Option<Readiness> {
    let current = framework.level(level)?;
    let next = framework.next_level(level)?;
    let counted: Vec<Assessment> = assessments
        .iter()
        .filter(|a| a.kind == AssessmentKind::Manager && until.is_none_or(|u| a.created_at <= u))
        .filter(|a| framework.level(&a.level).is_some_and(|l| l.track == current.track))
        .cloned()
        .collect();
    let competencies: Vec<CompetencyReadiness> = framework
        .competencies()
        .map(|(area, c)| {
            let last = latest(&counted, AssessmentKind::Manager, &c.name);
            let expectation = c.expectations.get(next.column).cloned().unwrap_or_default();
            let expected = !expectation.is_empty();
            let met = expected && last.as_ref().and_then(|a| implied_rank(framework, a)).is_some_and(|r| r >= next.rank as i64);
            CompetencyReadiness {
                area: area.name.clone(),
                competency: c.name.clone(),
                expectation,
                expected,
                met,
                rating: last.as_ref().map(|a| a.rating),
                assessed_level: last.as_ref().map(|a| a.level.clone()),
                evidence: last.as_ref().map(|a| a.evidence.clone()).unwrap_or_default(),
                evidence_meeting_id: last.as_ref().and_then(|a| a.evidence_meeting_id),
                assessed_at: last.as_ref().map(|a| a.created_at),
            }
        })
        .collect();
    let met = competencies.iter().filter(|c| c.met).count();
    Some(Readiness {
        current_level: current.name.to_string(),
        next_level: next.name.to_string(),
        total: competencies.iter().filter(|c| c.expected).count(),
        met,
        competencies,
    })
}

/// Readiness after each day on which a manager assessed, oldest first.
pub fn readiness_history(framework: &Framework, level: &str, assessments: &[Assessment]) -> Vec<ReadinessPoint> {
    let mut days: Vec<NaiveDate> =
        assessments.iter().filter(|a| a.kind == AssessmentKind::Manager).map(|a| a.created_at.date_naive()).collect();
    days.sort();
    days.dedup();
    days.into_iter()
        .filter_map(|d| {
            let end = d.and_hms_opt(23, 59, 59)?.and_utc();
            let r = readiness(framework, level, assessments, Some(end))?;
            Some(ReadinessPoint { date: d, met: r.met, total: r.total })
        })
        .collect()
}

/// The kinds of plan built together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanKind {
    Growth,
    Work,
    Promotion,
}

impl PlanKind {
    pub const ALL: [PlanKind; 3] = [PlanKind::Growth, PlanKind::Work, PlanKind::Promotion];
    pub fn parse(s: &str) -> Option<PlanKind> {
        match s {
            "growth" => Some(PlanKind::Growth),
            "work" => Some(PlanKind::Work),
            "promotion" => Some(PlanKind::Promotion),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Growth => "growth",
            PlanKind::Work => "work",
            PlanKind::Promotion => "promotion",
        }
    }
}

/// A required one-line text of at most `max` characters.
pub fn required_line(field: &str, value: &str, max: usize, errors: &mut Invalid) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(FieldError::new(field, "Write something here."));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(field, format!("Keep it under {max} characters.")));
    }
    v.to_string()
}

/// An optional text of at most `max` characters.
pub fn optional_text(field: &str, value: &str, max: usize, errors: &mut Invalid) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        errors.push(FieldError::new(field, format!("Keep it under {max} characters.")));
    }
    v.to_string()
}

/// A step is overdue when it is not done and its due date has passed.
pub fn is_overdue(due: Option<NaiveDate>, done: bool, today: NaiveDate) -> bool {
    !done && due.is_some_and(|d| d < today)
}

/// A framework as listed: its latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FrameworkInfo {
    pub id: uuid::Uuid,
    pub name: String,
    pub version: i64,
    pub version_id: uuid::Uuid,
    pub updated_at: DateTime<Utc>,
    /// When an admin archived it: it is no longer offered for new choices; the people placed
    /// on it keep it.
    pub archived_at: Option<DateTime<Utc>>,
    /// How many people are placed on it now.
    pub placed: i64,
    /// Whether anyone was assessed against one of its versions.
    pub assessed: bool,
}

impl FrameworkInfo {
    /// A framework nobody is placed on and nothing was assessed against can be deleted
    /// outright; any other can only be archived.
    pub fn can_delete(&self) -> bool {
        self.placed == 0 && !self.assessed
    }
}

/// One version of a framework and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FrameworkVersion {
    pub id: uuid::Uuid,
    pub framework_id: uuid::Uuid,
    pub number: i64,
    pub created_at: DateTime<Utc>,
    pub framework: Framework,
}

/// A person's place in a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonLevel {
    pub framework_id: uuid::Uuid,
    pub level: String,
    pub set_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Strength {
    pub id: uuid::Uuid,
    pub person_id: uuid::Uuid,
    pub author_id: uuid::Uuid,
    pub name: String,
    pub evidence: String,
    pub how_used: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: uuid::Uuid,
    pub person_id: uuid::Uuid,
    pub kind: PlanKind,
    pub title: String,
    pub goals: String,
    pub created_by: uuid::Uuid,
    pub created_at: DateTime<Utc>,
    pub steps: Vec<PlanStep>,
    pub updates: Vec<PlanUpdate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanStep {
    pub id: uuid::Uuid,
    pub plan_id: uuid::Uuid,
    pub body: String,
    pub owner_id: uuid::Uuid,
    pub due_on: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanUpdate {
    pub id: uuid::Uuid,
    pub author_id: uuid::Uuid,
    pub progress: String,
    pub obstacles: String,
    pub next_steps: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::framework::{Area, Competency, Track};
    use chrono::TimeZone;

    fn fw() -> Framework {
        Framework {
            name: "F".into(),
            tracks: vec![Track { name: "IC".into(), levels: vec!["L1".into(), "L2".into(), "L3".into()] }],
            areas: vec![Area {
                name: "A".into(),
                competencies: ["Code", "Talk"]
                    .iter()
                    .map(|n| Competency {
                        name: n.to_string(),
                        description: String::new(),
                        expectations: vec!["e1".into(), "e2".into(), "e3".into()],
                    })
                    .collect(),
            }],
        }
    }

    fn a(kind: AssessmentKind, comp: &str, level: &str, rating: Rating, day: u32) -> Assessment {
        Assessment {
            id: uuid::Uuid::now_v7(),
            person_id: uuid::Uuid::nil(),
            assessor_id: uuid::Uuid::nil(),
            kind,
            framework_version_id: uuid::Uuid::nil(),
            competency: comp.into(),
            level: level.into(),
            rating,
            evidence: format!("day {day}"),
            evidence_meeting_id: None,
            created_at: Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap(),
        }
    }
    use AssessmentKind::*;
    use Rating::*;

    #[test]
    fn readiness_counts_the_latest_manager_view_against_the_next_level() {
        let f = fw();
        let history = vec![
            a(Manager, "Code", "L1", Meets, 1),
            a(Manager, "Code", "L1", Exceeds, 2), // exceeding L1 = working at L2: met
            a(Manager, "Talk", "L2", Meets, 2),   // meets L2 directly: met
            a(Manager, "Talk", "L2", Below, 3),   // the latest view counts: not met
            a(SelfAssessment, "Talk", "L1", Exceeds, 4),
        ];
        let r = readiness(&f, "L1", &history, None).unwrap();
        assert_eq!((r.next_level.as_str(), r.met, r.total), ("L2", 1, 2));
        assert!(r.competencies[0].met && r.competencies[0].evidence == "day 2");
        assert!(!r.competencies[1].met);
        let h = readiness_history(&f, "L1", &history);
        assert_eq!(h.iter().map(|p| p.met).collect::<Vec<_>>(), vec![0, 2, 1]);
        assert!(readiness(&f, "L3", &history, None).is_none(), "no level after the last");
        assert_eq!(readiness(&f, "L1", &[], None).unwrap().met, 0);
    }

    #[test]
    fn a_competency_not_expected_at_the_next_level_is_shown_as_such_and_never_counted_unmet() {
        let mut f = fw();
        // "Talk" is only expected from L3 on (an empty cell at L1 and L2).
        f.areas[0].competencies[1].expectations = vec![String::new(), String::new(), "e3".into()];
        let r = readiness(&f, "L1", &[a(Manager, "Code", "L1", Exceeds, 1)], None).unwrap();
        assert_eq!((r.met, r.total), (1, 1), "only what L2 expects counts");
        let talk = &r.competencies[1];
        assert_eq!((talk.competency.as_str(), talk.expected, talk.met), ("Talk", false, false));
        assert!(r.competencies[0].expected);
        assert_eq!(readiness_history(&f, "L1", &[a(Manager, "Code", "L1", Exceeds, 1)])[0].total, 1);
        // At L2 the next level expects it: it counts again.
        assert_eq!(readiness(&f, "L2", &[], None).unwrap().total, 2);
    }

    #[test]
    fn differing_views_become_topics_and_equal_ones_do_not() {
        let f = fw();
        let history = vec![
            a(SelfAssessment, "Code", "L1", Exceeds, 1),
            a(Manager, "Code", "L1", Meets, 2),
            a(SelfAssessment, "Talk", "L2", Meets, 1),
            a(Manager, "Talk", "L1", Exceeds, 2), // the same view, said against another level
        ];
        let d = differences(&f, &history);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].competency, "Code");
        assert!(d[0].topic().contains("exceeds expectations"));
    }

    #[test]
    fn a_pasted_one_on_one_link_is_found_in_evidence() {
        let id = uuid::Uuid::now_v7();
        assert_eq!(meeting_link(&format!("See https://rapport.example/meetings/{id}#notes, the part on reviews")), Some(id));
        assert_eq!(meeting_link("/meetings/not-a-uuid"), None);
        assert_eq!(meeting_link("Shipped the importer"), None);
    }

    #[test]
    fn overdue_means_past_due_and_not_done() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        assert!(is_overdue(NaiveDate::from_ymd_opt(2026, 3, 9), false, today));
        assert!(!is_overdue(NaiveDate::from_ymd_opt(2026, 3, 9), true, today));
        assert!(!is_overdue(Some(today), false, today));
        assert!(!is_overdue(None, false, today));
    }
}
