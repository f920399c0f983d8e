//! Growth: career frameworks (import, export, versions), a person's level and what it expects,
//! assessments, strengths, plans and promotion readiness.
//!
//! Privacy (PRODUCT.md): a person's growth record is theirs and their manager's; a leader above
//! the manager reads it only when the manager shares it; admins manage frameworks but do not
//! read anyone's record. Refusals are `NotFound`.

use super::{App, AppError, AppResult};
use crate::domain::day::Day;
use crate::domain::framework::{self, Format, Framework, Summary};
use crate::domain::growth::{
    self, Assessment, AssessmentKind, Difference, FrameworkInfo, FrameworkVersion, PersonLevel, Plan, PlanKind, PlanStep, Rating,
    Readiness, ReadinessPoint, Strength,
};
use crate::domain::policy::{Action, Relation, Resource};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::growth::{self as store, Saved};
use crate::store::people;
use uuid::Uuid;

/// What an import found, and whether it was saved.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    pub framework: Framework,
    pub summary: Summary,
    /// The framework's id; none for a dry run of a new framework (it does not exist yet).
    #[serde(rename = "framework_id")]
    pub saved_id: Option<Uuid>,
    /// The id it has, or would have: only saved when `saved_id` is given.
    #[serde(skip)]
    pub framework_id: Uuid,
    pub version: i64,
    /// "created" (a new framework), "new_version", or "unchanged" (the same as the latest version).
    pub change: String,
    pub applied: bool,
    /// For a new version: each level of the version before that it no longer has, with the
    /// people placed on it (they keep it until their level is chosen again).
    pub vanished_levels: Vec<super::frameworks::LevelChange>,
}

/// One row of the expectations table: now and at the next level, side by side.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ExpectationRow {
    pub area: String,
    pub competency: String,
    pub now: String,
    pub next: Option<String>,
    pub latest_self: Option<Rating>,
    pub latest_manager: Option<Rating>,
}

/// A person's growth page, as the viewer may see it.
#[derive(Debug, Clone)]
pub struct GrowthView {
    pub person: Person,
    pub relation: Relation,
    pub shared_with_skip_level: bool,
    pub level: Option<PersonLevel>,
    pub framework: Option<FrameworkVersion>,
    /// When their level is not in their framework's latest version: that, in one sentence.
    pub level_needs_choosing: Option<String>,
    pub next_level: Option<String>,
    pub expectations: Vec<ExpectationRow>,
    /// Every assessment, newest first.
    pub assessments: Vec<Assessment>,
    pub differences: Vec<Difference>,
    pub readiness: Option<Readiness>,
    pub history: Vec<ReadinessPoint>,
    pub strengths: Vec<Strength>,
    pub plans: Vec<Plan>,
    /// Which assessment the viewer records here, if any.
    pub assess_as: Option<AssessmentKind>,
    pub can_set_level: bool,
    pub can_share: bool,
    /// Frameworks to choose a level from (for those who may set it).
    pub frameworks: Vec<FrameworkVersion>,
}

impl GrowthView {
    pub fn is_manager(&self) -> bool {
        self.relation == Relation::Manager
    }
    pub fn can_write(&self) -> bool {
        matches!(self.relation, Relation::Themselves | Relation::Manager)
    }
}

const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 4000;

/// A framework version's number and when it was made.
pub type VersionDate = (i64, chrono::DateTime<chrono::Utc>);

impl App {
    // ---- frameworks ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn frameworks(&self, actor: &Person) -> AppResult<Vec<FrameworkInfo>> {
        self.require(actor, actor, Action::Read, Resource::Framework).await?;
        Ok(store::list_frameworks(&self.db).await?)
    }

    /// A framework at one version (the latest when `number` is `None`), with every version's number and date.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn framework(&self, actor: &Person, id: Uuid, number: Option<i64>) -> AppResult<(FrameworkVersion, Vec<VersionDate>)> {
        self.require(actor, actor, Action::Read, Resource::Framework).await?;
        let v = store::framework_version(&self.db, id, number).await?.ok_or(AppError::NotFound)?;
        let versions = store::version_list(&self.db, id).await?;
        Ok((v, versions))
    }

    /// Reads a file and, when `apply`, saves it: a new framework, or a new version of the one
    /// with the same name. All or nothing; nothing is written when anything is wrong.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import_framework(
        &self,
        actor: &Person,
        bytes: &[u8],
        format: Format,
        csv_name: &str,
        apply: bool,
    ) -> AppResult<ImportOutcome> {
        self.require(actor, actor, Action::Write, Resource::Framework).await?;
        let f = framework::parse(bytes, format, csv_name)?;
        let mut tx = self.db.begin().await?;
        let saved = store::save_framework(&mut tx, &f, actor.id, self.clock.now(), apply).await?;
        if apply {
            tx.commit().await?;
        }
        let (framework_id, version, change) = match saved {
            Saved::Created { framework_id, version } => (framework_id, version, "created"),
            Saved::NewVersion { framework_id, version } => (framework_id, version, "new_version"),
            Saved::Unchanged { framework_id, version } => (framework_id, version, "unchanged"),
        };
        let vanished_levels = if change == "new_version" { self.level_changes(actor, framework_id, version, &f).await? } else { vec![] };
        Ok(ImportOutcome {
            summary: f.summary(),
            framework: f,
            saved_id: (change != "created" || apply).then_some(framework_id),
            framework_id,
            version,
            change: change.into(),
            applied: apply && change != "unchanged",
            vanished_levels,
        })
    }

    /// A framework version as a file; returns a file name and the text.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn export_framework(&self, actor: &Person, id: Uuid, number: Option<i64>, format: Format) -> AppResult<(String, String)> {
        self.require(actor, actor, Action::Read, Resource::Framework).await?;
        let v = store::framework_version(&self.db, id, number).await?.ok_or(AppError::NotFound)?;
        let stem: String = v.framework.name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        Ok((format!("{stem}-v{}.{}", v.number, format.as_str()), framework::export(&v.framework, format)))
    }

    // ---- a person's growth ----

    async fn subject(&self, id: PersonId) -> AppResult<Person> {
        people::get(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    async fn growth_resource(&self, subject: &Person) -> AppResult<Resource> {
        self.growth_record_resource(subject.id).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn growth(&self, actor: &Person, person_id: PersonId) -> AppResult<GrowthView> {
        let person = self.subject(person_id).await?;
        let resource = self.growth_resource(&person).await?;
        self.require(actor, &person, Action::Read, resource).await?;
        // Past the check, a new manager the person handed their growth record to is its manager.
        let relation = match self.relation(actor, &person).await? {
            r if r.is_manager() => Relation::Manager,
            r => r,
        };
        let shared_with_skip_level = matches!(resource, Resource::GrowthRecord { shared_with_skip_level: true });
        let level = store::person_level(&self.db, person.id).await?;
        let framework = match &level {
            Some(l) => store::framework_version(&self.db, l.framework_id, None).await?,
            None => None,
        };
        let level_needs_choosing = match (&level, &framework) {
            (Some(l), Some(v)) if v.framework.level(&l.level).is_none() => {
                let whose = if relation == Relation::Themselves { "Your".to_string() } else { format!("{}’s", person.name) };
                Some(format!("{whose} level needs choosing: {} is not in {} version {}.", l.level, v.framework.name, v.number))
            }
            _ => None,
        };
        let mut assessments = store::assessments(&self.db, person.id).await?;
        let (mut expectations, mut differences, mut readiness, mut history, mut next_level) = (vec![], vec![], None, vec![], None);
        if let (Some(l), Some(v), None) = (&level, &framework, &level_needs_choosing) {
            let f = &v.framework;
            next_level = f.next_level(&l.level).map(|n| n.name.to_string());
            for (area, c) in f.competencies() {
                expectations.push(ExpectationRow {
                    area: area.name.clone(),
                    competency: c.name.clone(),
                    now: f.expectation(&c.name, &l.level).unwrap_or_default().to_string(),
                    next: next_level.as_deref().and_then(|n| f.expectation(&c.name, n)).map(str::to_string),
                    latest_self: growth::latest(&assessments, AssessmentKind::SelfAssessment, &c.name).map(|a| a.rating),
                    latest_manager: growth::latest(&assessments, AssessmentKind::Manager, &c.name).map(|a| a.rating),
                });
            }
            differences = growth::differences(f, &assessments);
            readiness = growth::readiness(f, &l.level, &assessments, None);
            history = growth::readiness_history(f, &l.level, &assessments);
        }
        assessments.reverse();
        let today = self.clock.now().date_naive();
        let assess_as = match relation {
            Relation::Themselves => Some(AssessmentKind::SelfAssessment),
            Relation::Manager => Some(AssessmentKind::Manager),
            _ => None,
        };
        let can_set_level = relation == Relation::Manager || actor.is_admin;
        let frameworks = if can_set_level {
            let mut out = vec![];
            // Archived frameworks are not offered, except the one they are on.
            let own = level.as_ref().map(|l| l.framework_id);
            for info in store::list_frameworks(&self.db).await?.into_iter().filter(|i| i.archived_at.is_none() || Some(i.id) == own) {
                if let Some(v) = store::framework_version(&self.db, info.id, None).await? {
                    out.push(v);
                }
            }
            out
        } else {
            vec![]
        };
        Ok(GrowthView {
            strengths: store::strengths(&self.db, person.id).await?,
            plans: store::plans(&self.db, person.id, today).await?,
            person,
            relation,
            shared_with_skip_level,
            level,
            framework,
            level_needs_choosing,
            next_level,
            expectations,
            assessments,
            differences,
            readiness,
            history,
            assess_as,
            can_set_level,
            can_share: relation == Relation::Manager,
            frameworks,
        })
    }

    /// Places a person on a framework's level (their manager, or an admin).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_level(&self, actor: &Person, person_id: PersonId, framework_id: Uuid, level: &str) -> AppResult<PersonLevel> {
        let person = self.subject(person_id).await?;
        self.require(actor, &person, Action::Write, Resource::PersonLevel).await?;
        let v = store::framework_version(&self.db, framework_id, None)
            .await?
            .ok_or_else(|| AppError::Invalid(Invalid(vec![FieldError::new("framework_id", "Choose one of the frameworks.")])))?;
        let archived = store::framework_info(&self.db, framework_id).await?.is_some_and(|i| i.archived_at.is_some());
        let own = store::person_level(&self.db, person.id).await?.is_some_and(|l| l.framework_id == framework_id);
        if archived && !own {
            return Err(Invalid(vec![FieldError::new(
                "framework_id",
                format!("{} is archived: choose another framework.", v.framework.name),
            )])
            .into());
        }
        if v.framework.level(level).is_none() {
            return Err(Invalid(vec![FieldError::new("level", format!("\"{level}\" is not a level of {}.", v.framework.name))]).into());
        }
        let mut tx = self.db.begin().await?;
        store::set_person_level(&mut tx, person.id, framework_id, level, actor.id, self.clock.now()).await?;
        tx.commit().await?;
        store::person_level(&self.db, person.id).await?.ok_or(AppError::NotFound)
    }

    /// The manager shares (or stops sharing) the person's growth record with the leaders above.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_growth_shared(&self, actor: &Person, person_id: PersonId, shared: bool) -> AppResult<()> {
        let person = self.subject(person_id).await?;
        self.require(actor, &person, Action::Write, Resource::GrowthShare).await?;
        let mut tx = self.db.begin().await?;
        store::set_shared(&mut tx, person.id, shared, actor.id, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an assessment of one competency against the person's current level: a
    /// self-assessment when the actor is the person, the manager's when the actor manages them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn assess(
        &self,
        actor: &Person,
        person_id: PersonId,
        competency: &str,
        rating: &str,
        evidence: &str,
    ) -> AppResult<Assessment> {
        let person = self.subject(person_id).await?;
        let kind = if actor.id == person.id { AssessmentKind::SelfAssessment } else { AssessmentKind::Manager };
        self.require(actor, &person, Action::Write, Resource::Assessment { self_assessment: kind == AssessmentKind::SelfAssessment })
            .await?;
        let level = store::person_level(&self.db, person.id).await?.ok_or_else(|| {
            AppError::Invalid(Invalid(vec![FieldError::new("level", "Set a track and level first; assessments are made against it.")]))
        })?;
        let v = store::framework_version(&self.db, level.framework_id, None).await?.ok_or(AppError::NotFound)?;
        let mut errors = Invalid::default();
        if v.framework.competency(competency).is_none() {
            errors.push(FieldError::new("competency", "Choose a competency of the framework."));
        }
        let rating = Rating::parse(rating);
        if rating.is_none() {
            errors.push(FieldError::new("rating", "Choose below, meets or exceeds."));
        }
        let evidence = match growth::validate_evidence(evidence) {
            Ok(e) => e,
            Err(e) => {
                errors.0.extend(e.0);
                String::new()
            }
        };
        // A pasted link to a 1:1 becomes linked evidence: one of this pair's 1:1s the actor can open.
        let mut evidence_meeting_id = None;
        if let Some(m) = growth::meeting_link(&evidence) {
            match self.meeting_view(actor, m).await {
                Ok(v) if v.teammate.id == person.id || v.manager.id == person.id => evidence_meeting_id = Some(m),
                Ok(_) | Err(AppError::NotFound) => {
                    errors.push(FieldError::new("evidence", "That 1:1 link is not one of yours with this person."))
                }
                Err(e) => return Err(e),
            }
        }
        errors.into_result()?;
        let a = Assessment {
            id: Uuid::now_v7(),
            person_id: person.id.0,
            assessor_id: actor.id.0,
            kind,
            framework_version_id: v.id,
            competency: competency.to_string(),
            level: level.level,
            rating: rating.unwrap_or(Rating::Meets),
            evidence,
            evidence_meeting_id,
            created_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        store::insert_assessment(&mut tx, &a).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Adds a difference of views as a talking point to the pair's next 1:1; returns the meeting.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn discuss_difference(&self, actor: &Person, person_id: PersonId, competency: &str) -> AppResult<Uuid> {
        let person = self.subject(person_id).await?;
        let resource = self.growth_resource(&person).await?;
        self.require(actor, &person, Action::Write, resource).await?;
        let view = self.growth(actor, person_id).await?;
        let d = view.differences.iter().find(|d| d.competency == competency).ok_or(AppError::NotFound)?;
        let other = if actor.id == person.id { person.manager_id } else { Some(person.id) };
        let upcoming = self.upcoming_meetings(actor, 50).await?;
        let next = upcoming.iter().find(|u| Some(u.other.id) == other).ok_or_else(|| {
            AppError::Invalid(Invalid(vec![FieldError::new("meeting", "There is no 1:1 coming up between you two; start a series first.")]))
        })?;
        let meeting_id = next.meeting.id;
        self.add_point(actor, meeting_id, &d.topic(), false).await?;
        Ok(meeting_id)
    }

    // ---- strengths ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_strength(
        &self,
        actor: &Person,
        person_id: PersonId,
        name: &str,
        evidence: &str,
        how_used: &str,
    ) -> AppResult<Strength> {
        let person = self.subject(person_id).await?;
        let resource = self.growth_resource(&person).await?;
        self.require(actor, &person, Action::Write, resource).await?;
        let mut errors = Invalid::default();
        let name = growth::required_line("name", name, TITLE_MAX, &mut errors);
        let evidence = growth::optional_text("evidence", evidence, TEXT_MAX, &mut errors);
        let how_used = growth::optional_text("how_used", how_used, TEXT_MAX, &mut errors);
        errors.into_result()?;
        let s = Strength {
            id: Uuid::now_v7(),
            person_id: person.id.0,
            author_id: actor.id.0,
            name,
            evidence,
            how_used,
            created_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        store::insert_strength(&mut tx, &s).await?;
        tx.commit().await?;
        Ok(s)
    }

    // ---- plans ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_plan(&self, actor: &Person, person_id: PersonId, kind: &str, title: &str, goals: &str) -> AppResult<Uuid> {
        let person = self.subject(person_id).await?;
        let resource = self.growth_resource(&person).await?;
        self.require(actor, &person, Action::Write, resource).await?;
        let mut errors = Invalid::default();
        let kind = PlanKind::parse(kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "Choose growth, work or promotion."));
        }
        let title = growth::required_line("title", title, TITLE_MAX, &mut errors);
        let goals = growth::optional_text("goals", goals, TEXT_MAX, &mut errors);
        errors.into_result()?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_plan(&mut tx, id, person.id, kind.unwrap_or(PlanKind::Growth), &title, &goals, actor.id, self.clock.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn plan_subject(&self, actor: &Person, plan: Uuid) -> AppResult<Person> {
        let person_id = store::plan_person(&self.db, plan).await?.ok_or(AppError::NotFound)?;
        let person = self.subject(person_id).await?;
        let resource = self.growth_resource(&person).await?;
        self.require(actor, &person, Action::Write, resource).await?;
        Ok(person)
    }

    /// Adds a step; its owner is the person or their manager.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_step(&self, actor: &Person, plan: Uuid, body: &str, owner: Option<PersonId>, due: Option<Day>) -> AppResult<Uuid> {
        let person = self.plan_subject(actor, plan).await?;
        self.require(actor, &person, Action::Write, Resource::GrowthRecord { shared_with_skip_level: false }).await?;
        let mut errors = Invalid::default();
        let body = growth::required_line("body", body, TEXT_MAX, &mut errors);
        let owner = owner.unwrap_or(actor.id);
        if owner != person.id && Some(owner) != person.manager_id {
            errors.push(FieldError::new("owner", "A step is owned by the person or their manager."));
        }
        errors.into_result()?;
        let due = due.map(Day::date);
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_step(&mut tx, id, plan, &body, owner, due, self.clock.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_step_done(&self, actor: &Person, step: Uuid, done: bool) -> AppResult<()> {
        let (plan, _) = store::step_plan(&self.db, step).await?.ok_or(AppError::NotFound)?;
        let person = self.plan_subject(actor, plan).await?;
        self.require(actor, &person, Action::Write, Resource::GrowthRecord { shared_with_skip_level: false }).await?;
        let mut tx = self.db.begin().await?;
        store::set_step_done(&mut tx, step, done.then(|| self.clock.now())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records progress, obstacles and next steps against a plan (in a 1:1, typically).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_plan_update(&self, actor: &Person, plan: Uuid, progress: &str, obstacles: &str, next_steps: &str) -> AppResult<Uuid> {
        let person = self.plan_subject(actor, plan).await?;
        self.require(actor, &person, Action::Write, Resource::GrowthRecord { shared_with_skip_level: false }).await?;
        let mut errors = Invalid::default();
        let progress = growth::optional_text("progress", progress, TEXT_MAX, &mut errors);
        let obstacles = growth::optional_text("obstacles", obstacles, TEXT_MAX, &mut errors);
        let next_steps = growth::optional_text("next_steps", next_steps, TEXT_MAX, &mut errors);
        if progress.is_empty() && obstacles.is_empty() && next_steps.is_empty() {
            errors.push(FieldError::new("progress", "Write the progress, an obstacle or the next steps."));
        }
        errors.into_result()?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_update(&mut tx, id, plan, actor.id, &progress, &obstacles, &next_steps, self.clock.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Overdue steps on the person's plans, for the prep view (empty when the actor may not see them).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn overdue_steps(&self, actor: &Person, person_id: PersonId) -> AppResult<Vec<(String, PlanStep)>> {
        let person = self.subject(person_id).await?;
        let resource = self.growth_resource(&person).await?;
        self.require(actor, &person, Action::Read, resource).await?;
        Ok(store::overdue_steps(&self.db, person.id, self.clock.now().date_naive()).await?)
    }
}
