//! Growth: frameworks and their versions, levels, assessments, strengths, plans.

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::framework::Framework;
use crate::domain::growth::{
    Assessment, AssessmentKind, FrameworkInfo, FrameworkVersion, PersonLevel, Plan, PlanKind, PlanStep, PlanUpdate, Rating, Strength,
};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

// Frameworks ----------------------------------------------------------------------------------

macro_rules! info_select {
    () => {
        "SELECT f.id, f.name, v.number, v.id, v.created_at, f.archived_at, \
         (SELECT COUNT(*) FROM person_level pl WHERE pl.framework_id = f.id), \
         EXISTS (SELECT 1 FROM assessment a JOIN framework_version av ON av.id = a.framework_version_id WHERE av.framework_id = f.id) \
         FROM framework f \
         JOIN framework_version v ON v.framework_id = f.id \
         AND v.number = (SELECT MAX(number) FROM framework_version w WHERE w.framework_id = f.id)"
    };
}

type InfoRow = (Uuid, String, i64, Uuid, DateTime<Utc>, Option<DateTime<Utc>>, i64, bool);

fn info(r: InfoRow) -> FrameworkInfo {
    FrameworkInfo { id: r.0, name: r.1, version: r.2, version_id: r.3, updated_at: r.4, archived_at: r.5, placed: r.6, assessed: r.7 }
}

/// Archives a framework (`Some(when)`) or restores it (`None`); false when there is none.
pub async fn set_archived(tx: &mut Tx, id: Uuid, at: Option<DateTime<Utc>>) -> Result<bool> {
    const Q: &str = "UPDATE framework SET archived_at = $2 WHERE id = $1";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(id).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Deletes a framework and its versions (the use case checks first that nobody is placed on it
/// and nothing was assessed against it; the foreign keys refuse otherwise).
pub async fn delete_framework(tx: &mut Tx, id: Uuid) -> Result<bool> {
    const VERSIONS: &str = "DELETE FROM framework_version WHERE framework_id = $1";
    const FRAMEWORK: &str = "DELETE FROM framework WHERE id = $1";
    on_tx!(tx, c => sqlx::query(VERSIONS).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    let n = on_tx!(tx, c => sqlx::query(FRAMEWORK).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

pub async fn list_frameworks(db: &Db) -> Result<Vec<FrameworkInfo>> {
    const Q: &str = concat!(info_select!(), " ORDER BY f.name_lower");
    let rows: Vec<InfoRow> = on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await)?;
    Ok(rows.into_iter().map(info).collect())
}

pub async fn framework_info(db: &Db, id: Uuid) -> Result<Option<FrameworkInfo>> {
    const Q: &str = concat!(info_select!(), " WHERE f.id = $1");
    let row: Option<InfoRow> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    Ok(row.map(info))
}

type VersionRow = (Uuid, Uuid, i64, DateTime<Utc>, String);

fn version(r: VersionRow) -> Result<FrameworkVersion> {
    let framework: Framework = serde_json::from_str(&r.4).map_err(|e| corrupt(&format!("framework version {}: {e}", r.0)))?;
    Ok(FrameworkVersion { id: r.0, framework_id: r.1, number: r.2, created_at: r.3, framework })
}

/// One version of a framework; `number` `None` is the latest.
pub async fn framework_version(db: &Db, framework_id: Uuid, number: Option<i64>) -> Result<Option<FrameworkVersion>> {
    const Q: &str = "SELECT id, framework_id, number, created_at, body FROM framework_version WHERE framework_id = $1 \
         AND number = COALESCE($2, (SELECT MAX(number) FROM framework_version WHERE framework_id = $1))";
    let row: Option<VersionRow> = on_db!(db, p => sqlx::query_as(Q).bind(framework_id).bind(number).fetch_optional(p).await)?;
    row.map(version).transpose()
}

pub async fn framework_version_by_id(db: &Db, id: Uuid) -> Result<Option<FrameworkVersion>> {
    const Q: &str = "SELECT id, framework_id, number, created_at, body FROM framework_version WHERE id = $1";
    let row: Option<VersionRow> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    row.map(version).transpose()
}

/// Every version's number and date, newest first.
pub async fn version_list(db: &Db, framework_id: Uuid) -> Result<Vec<(i64, DateTime<Utc>)>> {
    const Q: &str = "SELECT number, created_at FROM framework_version WHERE framework_id = $1 ORDER BY number DESC";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(framework_id).fetch_all(p).await)?)
}

/// What importing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A framework with a new name: version 1.
    Created { framework_id: Uuid, version: i64 },
    /// A changed framework: a new version.
    NewVersion { framework_id: Uuid, version: i64 },
    /// The same as the latest version: nothing written.
    Unchanged { framework_id: Uuid, version: i64 },
}

/// Saves a framework: a new framework, a new version of the one with the same name, or nothing
/// when it equals the latest version. In one transaction.
pub async fn save_framework(tx: &mut Tx, f: &Framework, by: PersonId, now: DateTime<Utc>, apply: bool) -> Result<Saved> {
    const FIND: &str = "SELECT id FROM framework WHERE name_lower = $1";
    const LATEST: &str = "SELECT number, body FROM framework_version WHERE framework_id = $1 ORDER BY number DESC LIMIT 1";
    const INS_F: &str = "INSERT INTO framework (id, name, name_lower, created_by, created_at) VALUES ($1, $2, $3, $4, $5)";
    const INS_V: &str =
        "INSERT INTO framework_version (id, framework_id, number, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    let body = serde_json::to_string(f).map_err(|e| corrupt(&e.to_string()))?;
    let found: Option<Uuid> = on_tx!(tx, c => sqlx::query_scalar(FIND).bind(f.name.to_lowercase()).fetch_optional(c).await)?;
    let (framework_id, number, created) = match found {
        Some(id) => {
            let (n, old): (i64, String) = on_tx!(tx, c => sqlx::query_as(LATEST).bind(id).fetch_one(c).await)?;
            let old: Framework = serde_json::from_str(&old).map_err(|e| corrupt(&e.to_string()))?;
            if &old == f {
                return Ok(Saved::Unchanged { framework_id: id, version: n });
            }
            (id, n + 1, false)
        }
        None => (Uuid::now_v7(), 1, true),
    };
    if apply {
        if created {
            on_tx!(tx, c => sqlx::query(INS_F).bind(framework_id).bind(&f.name).bind(f.name.to_lowercase()).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        }
        on_tx!(tx, c => sqlx::query(INS_V).bind(Uuid::now_v7()).bind(framework_id).bind(number).bind(&body).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(if created { Saved::Created { framework_id, version: number } } else { Saved::NewVersion { framework_id, version: number } })
}

// Levels and sharing ---------------------------------------------------------------------------

pub async fn person_level(db: &Db, person: PersonId) -> Result<Option<PersonLevel>> {
    const Q: &str = "SELECT framework_id, level, set_at FROM person_level WHERE person_id = $1";
    let row: Option<(Uuid, String, DateTime<Utc>)> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_optional(p).await)?;
    Ok(row.map(|(framework_id, level, set_at)| PersonLevel { framework_id, level, set_at }))
}

pub async fn set_person_level(
    tx: &mut Tx,
    person: PersonId,
    framework_id: Uuid,
    level: &str,
    by: PersonId,
    now: DateTime<Utc>,
) -> Result<()> {
    const DEL: &str = "DELETE FROM person_level WHERE person_id = $1";
    const INS: &str = "INSERT INTO person_level (person_id, framework_id, level, set_by, set_at) VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(DEL).bind(person.0).execute(c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query(INS).bind(person.0).bind(framework_id).bind(level).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Who is placed on a framework, and on which level.
pub async fn placed_on(db: &Db, framework_id: Uuid) -> Result<Vec<(Uuid, String)>> {
    const Q: &str = "SELECT person_id, level FROM person_level WHERE framework_id = $1";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(framework_id).fetch_all(p).await)?)
}

pub async fn is_shared(db: &Db, person: PersonId) -> Result<bool> {
    const Q: &str = "SELECT COUNT(*) FROM growth_share WHERE person_id = $1";
    let n: i64 = on_db!(db, p => sqlx::query_scalar(Q).bind(person.0).fetch_one(p).await)?;
    Ok(n > 0)
}

pub async fn set_shared(tx: &mut Tx, person: PersonId, shared: bool, by: PersonId, now: DateTime<Utc>) -> Result<()> {
    const DEL: &str = "DELETE FROM growth_share WHERE person_id = $1";
    const INS: &str = "INSERT INTO growth_share (person_id, shared_by, shared_at) VALUES ($1, $2, $3)";
    on_tx!(tx, c => sqlx::query(DEL).bind(person.0).execute(c).await.map(|r| r.rows_affected()))?;
    if shared {
        on_tx!(tx, c => sqlx::query(INS).bind(person.0).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

// Assessments ---------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: Uuid,
    person_id: Uuid,
    assessor_id: Uuid,
    kind: String,
    framework_version_id: Uuid,
    competency: String,
    level: String,
    rating: String,
    evidence: String,
    evidence_meeting_id: Option<Uuid>,
    created_at: DateTime<Utc>,
}

pub async fn assessments(db: &Db, person: PersonId) -> Result<Vec<Assessment>> {
    const Q: &str = "SELECT id, person_id, assessor_id, kind, framework_version_id, competency, level, rating, evidence, evidence_meeting_id, created_at \
         FROM assessment WHERE person_id = $1 ORDER BY created_at, id";
    let rows: Vec<AssessmentRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Assessment {
                id: r.id,
                person_id: r.person_id,
                assessor_id: r.assessor_id,
                kind: AssessmentKind::parse(&r.kind).ok_or_else(|| corrupt("assessment kind"))?,
                framework_version_id: r.framework_version_id,
                competency: r.competency,
                level: r.level,
                rating: Rating::parse(&r.rating).ok_or_else(|| corrupt("assessment rating"))?,
                evidence: r.evidence,
                evidence_meeting_id: r.evidence_meeting_id,
                created_at: r.created_at,
            })
        })
        .collect()
}

pub async fn insert_assessment(tx: &mut Tx, a: &Assessment) -> Result<()> {
    const Q: &str = "INSERT INTO assessment (id, person_id, assessor_id, kind, framework_version_id, competency, level, rating, evidence, evidence_meeting_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    on_tx!(tx, c => sqlx::query(Q).bind(a.id).bind(a.person_id).bind(a.assessor_id).bind(a.kind.as_str()).bind(a.framework_version_id)
        .bind(&a.competency).bind(&a.level).bind(a.rating.as_str()).bind(&a.evidence).bind(a.evidence_meeting_id).bind(a.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// Strengths -----------------------------------------------------------------------------------

pub async fn strengths(db: &Db, person: PersonId) -> Result<Vec<Strength>> {
    const Q: &str =
        "SELECT id, person_id, author_id, name, evidence, how_used, created_at FROM strength WHERE person_id = $1 ORDER BY created_at, id";
    let rows: Vec<TextRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| Strength { id: r.0, person_id: r.1, author_id: r.2, name: r.3, evidence: r.4, how_used: r.5, created_at: r.6 })
        .collect())
}

pub async fn insert_strength(tx: &mut Tx, s: &Strength) -> Result<()> {
    const Q: &str =
        "INSERT INTO strength (id, person_id, author_id, name, evidence, how_used, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(Q).bind(s.id).bind(s.person_id).bind(s.author_id).bind(&s.name).bind(&s.evidence).bind(&s.how_used).bind(s.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// Plans ---------------------------------------------------------------------------------------

type PlanRow = (Uuid, Uuid, String, String, String, Uuid, DateTime<Utc>);
type TextRow = (Uuid, Uuid, Uuid, String, String, String, DateTime<Utc>);
type OverdueRow = (String, Uuid, Uuid, String, Uuid, Option<NaiveDate>, Option<DateTime<Utc>>);
type StepRow = (Uuid, Uuid, String, Uuid, Option<NaiveDate>, Option<DateTime<Utc>>);

fn step(r: StepRow, today: NaiveDate) -> PlanStep {
    let overdue = crate::domain::growth::is_overdue(r.4, r.5.is_some(), today);
    PlanStep { id: r.0, plan_id: r.1, body: r.2, owner_id: r.3, due_on: r.4, done_at: r.5, overdue }
}

/// Every plan of a person with its steps and updates, newest plan first.
pub async fn plans(db: &Db, person: PersonId, today: NaiveDate) -> Result<Vec<Plan>> {
    const P: &str =
        "SELECT id, person_id, kind, title, goals, created_by, created_at FROM plan WHERE person_id = $1 ORDER BY created_at DESC, id";
    const S: &str = "SELECT s.id, s.plan_id, s.body, s.owner_id, s.due_date, s.done_at FROM plan_step s JOIN plan p ON p.id = s.plan_id \
         WHERE p.person_id = $1 ORDER BY s.created_at, s.id";
    const U: &str = "SELECT u.id, u.plan_id, u.author_id, u.progress, u.obstacles, u.next_steps, u.created_at FROM plan_update u \
         JOIN plan p ON p.id = u.plan_id WHERE p.person_id = $1 ORDER BY u.created_at DESC, u.id";
    let rows: Vec<PlanRow> = on_db!(db, p => sqlx::query_as(P).bind(person.0).fetch_all(p).await)?;
    let steps: Vec<StepRow> = on_db!(db, p => sqlx::query_as(S).bind(person.0).fetch_all(p).await)?;
    let updates: Vec<TextRow> = on_db!(db, p => sqlx::query_as(U).bind(person.0).fetch_all(p).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Plan {
                id: r.0,
                person_id: r.1,
                kind: PlanKind::parse(&r.2).ok_or_else(|| corrupt("plan kind"))?,
                title: r.3,
                goals: r.4,
                created_by: r.5,
                created_at: r.6,
                steps: steps.iter().filter(|s| s.1 == r.0).cloned().map(|s| step(s, today)).collect(),
                updates: updates
                    .iter()
                    .filter(|u| u.1 == r.0)
                    .map(|u| PlanUpdate {
                        id: u.0,
                        author_id: u.2,
                        progress: u.3.clone(),
                        obstacles: u.4.clone(),
                        next_steps: u.5.clone(),
                        created_at: u.6,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The person a plan is about.
pub async fn plan_person(db: &Db, plan: Uuid) -> Result<Option<PersonId>> {
    let id: Option<Uuid> =
        on_db!(db, p => sqlx::query_scalar("SELECT person_id FROM plan WHERE id = $1").bind(plan).fetch_optional(p).await)?;
    Ok(id.map(PersonId))
}

/// The plan a step belongs to, and the person it is about.
pub async fn step_plan(db: &Db, step: Uuid) -> Result<Option<(Uuid, PersonId)>> {
    const Q: &str = "SELECT p.id, p.person_id FROM plan_step s JOIN plan p ON p.id = s.plan_id WHERE s.id = $1";
    let row: Option<(Uuid, Uuid)> = on_db!(db, p => sqlx::query_as(Q).bind(step).fetch_optional(p).await)?;
    Ok(row.map(|(a, b)| (a, PersonId(b))))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_plan(
    tx: &mut Tx,
    id: Uuid,
    person: PersonId,
    kind: PlanKind,
    title: &str,
    goals: &str,
    by: PersonId,
    now: DateTime<Utc>,
) -> Result<()> {
    const Q: &str = "INSERT INTO plan (id, person_id, kind, title, goals, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(Q).bind(id).bind(person.0).bind(kind.as_str()).bind(title).bind(goals).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_step(
    tx: &mut Tx,
    id: Uuid,
    plan: Uuid,
    body: &str,
    owner: PersonId,
    due: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<()> {
    const Q: &str =
        "INSERT INTO plan_step (id, plan_id, body, owner_id, due_date, done_at, created_at) VALUES ($1, $2, $3, $4, $5, NULL, $6)";
    on_tx!(tx, c => sqlx::query(Q).bind(id).bind(plan).bind(body).bind(owner.0).bind(due).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_step_done(tx: &mut Tx, step: Uuid, done_at: Option<DateTime<Utc>>) -> Result<()> {
    const Q: &str = "UPDATE plan_step SET done_at = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(Q).bind(step).bind(done_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_update(
    tx: &mut Tx,
    id: Uuid,
    plan: Uuid,
    by: PersonId,
    progress: &str,
    obstacles: &str,
    next_steps: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    const Q: &str =
        "INSERT INTO plan_update (id, plan_id, author_id, progress, obstacles, next_steps, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    on_tx!(tx, c => sqlx::query(Q).bind(id).bind(plan).bind(by.0).bind(progress).bind(obstacles).bind(next_steps).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Steps past their due date and not done, on plans about `person`.
pub async fn overdue_steps(db: &Db, person: PersonId, today: NaiveDate) -> Result<Vec<(String, PlanStep)>> {
    const Q: &str = "SELECT p.title, s.id, s.plan_id, s.body, s.owner_id, s.due_date, s.done_at FROM plan_step s JOIN plan p ON p.id = s.plan_id \
         WHERE p.person_id = $1 AND s.done_at IS NULL AND s.due_date < $2 ORDER BY s.due_date, s.id";
    let rows: Vec<OverdueRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).bind(today).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| (r.0, step((r.1, r.2, r.3, r.4, r.5, r.6), today))).collect())
}
