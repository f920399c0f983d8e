//! Feedback, review periods, reviews and the 1:1 facts a review packet reads.

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::review::{
    EvidenceKind, EvidenceRef, Feedback, FeedbackKind, PacketMeeting, Review, ReviewPeriod, Statement, StatementKind,
};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

// Feedback ------------------------------------------------------------------------------------

const FB_COLS: &str = "id, giver_id, receiver_id, kind, body, meeting_id, competency, plan_id, created_at, shared_at";
#[derive(sqlx::FromRow)]
struct FbRow {
    id: Uuid,
    giver_id: Uuid,
    receiver_id: Uuid,
    kind: String,
    body: String,
    meeting_id: Option<Uuid>,
    competency: Option<String>,
    plan_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    shared_at: Option<DateTime<Utc>>,
}

fn feedback(r: FbRow) -> Result<Feedback> {
    Ok(Feedback {
        id: r.id,
        giver_id: r.giver_id,
        receiver_id: r.receiver_id,
        kind: FeedbackKind::parse(&r.kind).ok_or_else(|| corrupt("feedback kind"))?,
        body: r.body,
        meeting_id: r.meeting_id,
        competency: r.competency,
        plan_id: r.plan_id,
        created_at: r.created_at,
        shared_at: r.shared_at,
    })
}

async fn feedback_query(db: &Db, where_: &str, a: Uuid, b: Option<DateTime<Utc>>, c: Option<DateTime<Utc>>) -> Result<Vec<Feedback>> {
    let q = format!("SELECT {FB_COLS} FROM feedback WHERE {where_}");
    let rows: Vec<FbRow> = match (b, c) {
        (Some(b), Some(c)) => on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(a).bind(b).bind(c).fetch_all(p).await)?,
        _ => on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(a).fetch_all(p).await)?,
    };
    rows.into_iter().map(feedback).collect()
}

pub async fn insert_feedback(tx: &mut Tx, f: &Feedback) -> Result<()> {
    let q = format!("INSERT INTO feedback ({FB_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(q)).bind(f.id).bind(f.giver_id).bind(f.receiver_id).bind(f.kind.as_str()).bind(&f.body)
        .bind(f.meeting_id).bind(&f.competency).bind(f.plan_id).bind(f.created_at).bind(f.shared_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get_feedback(db: &Db, id: Uuid) -> Result<Option<Feedback>> {
    Ok(feedback_query(db, "id = $1", id, None, None).await?.pop())
}

/// Shares a draft. False when it was already shared.
pub async fn share_feedback(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE feedback SET shared_at = $2 WHERE id = $1 AND shared_at IS NULL";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Every piece of feedback a person gave or received (drafts included; the caller filters).
pub async fn feedback_of(db: &Db, person: PersonId) -> Result<Vec<Feedback>> {
    feedback_query(db, "giver_id = $1 OR receiver_id = $1 ORDER BY created_at DESC, id", person.0, None, None).await
}

/// Shared feedback recorded against one 1:1.
pub async fn feedback_for_meeting(db: &Db, meeting: Uuid) -> Result<Vec<Feedback>> {
    feedback_query(db, "meeting_id = $1 ORDER BY created_at, id", meeting, None, None).await
}

/// Shared feedback a person gave or received, shared within `[from, to)`.
pub async fn shared_feedback_in(db: &Db, person: PersonId, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Feedback>> {
    feedback_query(
        db,
        "(receiver_id = $1 OR giver_id = $1) AND shared_at >= $2 AND shared_at < $3 ORDER BY shared_at, id",
        person.0,
        Some(from),
        Some(to),
    )
    .await
}

// Periods -------------------------------------------------------------------------------------

type PeriodRow = (Uuid, String, NaiveDate, NaiveDate);

pub async fn periods(db: &Db) -> Result<Vec<ReviewPeriod>> {
    const Q: &str = "SELECT id, name, start_date, end_date FROM review_period ORDER BY start_date DESC";
    let rows: Vec<PeriodRow> = on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| ReviewPeriod { id: r.0, name: r.1, starts_on: r.2, ends_on: r.3 }).collect())
}

/// The periods, read inside a write transaction (so an overlap check and the insert agree).
pub async fn periods_tx(tx: &mut Tx) -> Result<Vec<ReviewPeriod>> {
    const Q: &str = "SELECT id, name, start_date, end_date FROM review_period ORDER BY start_date DESC";
    let rows: Vec<PeriodRow> = on_tx!(tx, c => sqlx::query_as(Q).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| ReviewPeriod { id: r.0, name: r.1, starts_on: r.2, ends_on: r.3 }).collect())
}

/// On PostgreSQL, serialises period creation so two overlapping inserts cannot both pass the check.
pub async fn lock_periods(tx: &mut Tx) -> Result<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("LOCK TABLE review_period IN SHARE ROW EXCLUSIVE MODE").execute(&mut **t).await?;
    }
    Ok(())
}

pub async fn insert_period(tx: &mut Tx, p: &ReviewPeriod, by: PersonId, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO review_period (id, name, start_date, end_date, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(Q).bind(p.id).bind(&p.name).bind(p.starts_on).bind(p.ends_on).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get_period(db: &Db, id: Uuid) -> Result<Option<ReviewPeriod>> {
    const Q: &str = "SELECT id, name, start_date, end_date FROM review_period WHERE id = $1";
    let row: Option<PeriodRow> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    Ok(row.map(|r| ReviewPeriod { id: r.0, name: r.1, starts_on: r.2, ends_on: r.3 }))
}

pub async fn period_by_name(db: &Db, name: &str) -> Result<Option<ReviewPeriod>> {
    Ok(periods(db).await?.into_iter().find(|p| p.name.eq_ignore_ascii_case(name.trim())))
}

// 1:1 facts for the packet and the check --------------------------------------------------------

/// The 1:1s of the pair (`manager`, `teammate`, regular series) that started within `[from, to)`,
/// with whether each has shared notes. Private notes are not read.
pub async fn pair_meetings_in(
    db: &Db,
    manager: PersonId,
    teammate: PersonId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PacketMeeting>> {
    const Q: &str = "SELECT m.id, m.starts_at, m.status, m.status_reason, m.rating, \
         EXISTS (SELECT 1 FROM note n WHERE n.meeting_id = m.id AND NOT n.private) \
         FROM series s JOIN meeting m ON m.series_id = s.id \
         WHERE s.manager_id = $1 AND s.teammate_id = $2 AND s.kind = 'regular' AND m.starts_at >= $3 AND m.starts_at < $4 \
         AND m.status <> 'scheduled' ORDER BY m.starts_at";
    type Row = (Uuid, DateTime<Utc>, String, String, Option<i64>, bool);
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(Q).bind(manager.0).bind(teammate.0).bind(from).bind(to).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| PacketMeeting { id: r.0, starts_at: r.1, status: r.2, status_reason: r.3, rating: r.4, has_shared_note: r.5 })
        .collect())
}

/// For a meeting's shared notes: the pair (manager, teammate) and when the note was first saved.
pub async fn shared_note_facts(db: &Db, meeting: Uuid) -> Result<Option<(PersonId, PersonId, Option<DateTime<Utc>>)>> {
    const Q: &str = "SELECT s.manager_id, s.teammate_id, (SELECT n.created_at FROM note n WHERE n.meeting_id = m.id AND NOT n.private) \
         FROM meeting m JOIN series s ON s.id = m.series_id WHERE m.id = $1";
    let row: Option<(Uuid, Uuid, Option<DateTime<Utc>>)> = on_db!(db, p => sqlx::query_as(Q).bind(meeting).fetch_optional(p).await)?;
    Ok(row.map(|r| (PersonId(r.0), PersonId(r.1), r.2)))
}

/// The person an assessment is about and when it was made.
pub async fn assessment_facts(db: &Db, id: Uuid) -> Result<Option<(PersonId, DateTime<Utc>)>> {
    const Q: &str = "SELECT person_id, created_at FROM assessment WHERE id = $1";
    let row: Option<(Uuid, DateTime<Utc>)> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    Ok(row.map(|r| (PersonId(r.0), r.1)))
}

// Reviews -------------------------------------------------------------------------------------

const REVIEW_COLS: &str = "id, period_id, person_id, manager_id, created_at, shared_at, acknowledged_at, answer, answered_at";
type ReviewRow = (Uuid, Uuid, Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>, String, Option<DateTime<Utc>>);

fn review(r: ReviewRow) -> Review {
    Review {
        id: r.0,
        period_id: r.1,
        person_id: r.2,
        manager_id: r.3,
        created_at: r.4,
        shared_at: r.5,
        acknowledged_at: r.6,
        answer: r.7,
        answered_at: r.8,
    }
}

pub async fn get_review(db: &Db, period: Uuid, person: PersonId) -> Result<Option<Review>> {
    let q = format!("SELECT {REVIEW_COLS} FROM review WHERE period_id = $1 AND person_id = $2");
    let row: Option<ReviewRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(period).bind(person.0).fetch_optional(p).await)?;
    Ok(row.map(review))
}

/// The review for (period, person), created for `manager` when there is none yet.
pub async fn ensure_review(tx: &mut Tx, period: Uuid, person: PersonId, manager: PersonId, now: DateTime<Utc>) -> Result<Review> {
    let ins = "INSERT INTO review (id, period_id, person_id, manager_id, created_at) VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (period_id, person_id) DO NOTHING";
    on_tx!(tx, c => sqlx::query(ins).bind(Uuid::now_v7()).bind(period).bind(person.0).bind(manager.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    let q = format!("SELECT {REVIEW_COLS} FROM review WHERE period_id = $1 AND person_id = $2");
    let row: ReviewRow = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(period).bind(person.0).fetch_one(c).await)?;
    Ok(review(row))
}

pub async fn statements(db: &Db, review: Uuid) -> Result<Vec<Statement>> {
    const Q: &str = "SELECT id, position, kind, body, created_at FROM review_statement WHERE review_id = $1 ORDER BY position, id";
    const EV: &str = "SELECT e.statement_id, e.kind, e.ref_id FROM review_evidence e JOIN review_statement s ON s.id = e.statement_id \
         WHERE s.review_id = $1 ORDER BY e.kind, e.ref_id";
    let rows: Vec<(Uuid, i64, String, String, DateTime<Utc>)> = on_db!(db, p => sqlx::query_as(Q).bind(review).fetch_all(p).await)?;
    let ev: Vec<(Uuid, String, Uuid)> = on_db!(db, p => sqlx::query_as(EV).bind(review).fetch_all(p).await)?;
    rows.into_iter()
        .map(|r| {
            let evidence = ev
                .iter()
                .filter(|e| e.0 == r.0)
                .map(|e| Ok(EvidenceRef { kind: EvidenceKind::parse(&e.1).ok_or_else(|| corrupt("evidence kind"))?, id: e.2 }))
                .collect::<Result<Vec<_>>>()?;
            Ok(Statement {
                id: r.0,
                review_id: review,
                position: r.1,
                kind: StatementKind::parse(&r.2).ok_or_else(|| corrupt("statement kind"))?,
                body: r.3,
                evidence,
                created_at: r.4,
            })
        })
        .collect()
}

/// Adds a statement at the end of its review; returns the position it was given.
pub async fn insert_statement(tx: &mut Tx, s: &Statement) -> Result<i64> {
    const POS: &str = "SELECT COALESCE(MAX(position), 0) + 1 FROM review_statement WHERE review_id = $1";
    const Q: &str = "INSERT INTO review_statement (id, review_id, position, kind, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    const EV: &str = "INSERT INTO review_evidence (statement_id, kind, ref_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    let pos: i64 = on_tx!(tx, c => sqlx::query_scalar(POS).bind(s.review_id).fetch_one(c).await)?;
    on_tx!(tx, c => sqlx::query(Q).bind(s.id).bind(s.review_id).bind(pos).bind(s.kind.as_str()).bind(&s.body).bind(s.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    for e in &s.evidence {
        on_tx!(tx, c => sqlx::query(EV).bind(s.id).bind(e.kind.as_str()).bind(e.id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(pos)
}

/// Rewrites a statement's kind, text and evidence (its place stays).
pub async fn update_statement(tx: &mut Tx, s: &Statement) -> Result<()> {
    const Q: &str = "UPDATE review_statement SET kind = $2, body = $3 WHERE id = $1";
    const CLEAR: &str = "DELETE FROM review_evidence WHERE statement_id = $1";
    const EV: &str = "INSERT INTO review_evidence (statement_id, kind, ref_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    on_tx!(tx, c => sqlx::query(Q).bind(s.id).bind(s.kind.as_str()).bind(&s.body).execute(c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query(CLEAR).bind(s.id).execute(c).await.map(|r| r.rows_affected()))?;
    for e in &s.evidence {
        on_tx!(tx, c => sqlx::query(EV).bind(s.id).bind(e.kind.as_str()).bind(e.id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Removes a statement of `review` with its evidence links. False when there was none.
pub async fn delete_statement(tx: &mut Tx, review: Uuid, id: Uuid) -> Result<bool> {
    const EV: &str =
        "DELETE FROM review_evidence WHERE statement_id = $1 AND EXISTS (SELECT 1 FROM review_statement WHERE id = $1 AND review_id = $2)";
    const Q: &str = "DELETE FROM review_statement WHERE id = $1 AND review_id = $2";
    on_tx!(tx, c => sqlx::query(EV).bind(id).bind(review).execute(c).await.map(|r| r.rows_affected()))?;
    let n = on_tx!(tx, c => sqlx::query(Q).bind(id).bind(review).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Shares a review once. False when it was already shared.
pub async fn share_review(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE review SET shared_at = $2 WHERE id = $1 AND shared_at IS NULL";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}

pub async fn acknowledge_review(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE review SET acknowledged_at = COALESCE(acknowledged_at, $2) WHERE id = $1";
    on_tx!(tx, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn answer_review(tx: &mut Tx, id: Uuid, answer: &str, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE review SET answer = $2, answered_at = $3, acknowledged_at = COALESCE(acknowledged_at, $3) WHERE id = $1";
    on_tx!(tx, c => sqlx::query(Q).bind(id).bind(answer).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
