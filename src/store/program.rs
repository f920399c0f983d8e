//! The first ten 1:1s (a pair's progress and what sessions captured) and "how to work with me".

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::program::SavedCapture;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRow {
    pub series_id: Uuid,
    pub started_by: PersonId,
    pub started_at: DateTime<Utc>,
}

pub async fn program(db: &Db, series: Uuid) -> Result<Option<ProgramRow>> {
    const Q: &str = "SELECT series_id, started_by, started_at FROM program WHERE series_id = $1";
    let row: Option<(Uuid, Uuid, DateTime<Utc>)> = on_db!(db, p => sqlx::query_as(Q).bind(series).fetch_optional(p).await)?;
    Ok(row.map(|r| ProgramRow { series_id: r.0, started_by: PersonId(r.1), started_at: r.2 }))
}

/// Starts a program with its sessions in the given order. False when it had started already.
pub async fn insert_program(tx: &mut Tx, p: &ProgramRow, keys: &[String]) -> Result<bool> {
    const Q: &str = "INSERT INTO program (series_id, started_by, started_at) VALUES ($1, $2, $3) ON CONFLICT (series_id) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(p.series_id).bind(p.started_by.0).bind(p.started_at).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(false);
    }
    for (i, k) in keys.iter().enumerate() {
        const S: &str = "INSERT INTO program_session (series_id, session_key, position) VALUES ($1, $2, $3)";
        on_tx!(tx, c => sqlx::query(S).bind(p.series_id).bind(k).bind(i as i64).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(true)
}

/// One session of a pair's program as stored, with the meeting it was run in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub key: String,
    pub position: i64,
    pub skipped_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub meeting_id: Option<Uuid>,
    pub run_at: Option<DateTime<Utc>>,
}

type SRow = (String, i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<Uuid>, Option<DateTime<Utc>>);

pub async fn sessions(db: &Db, series: Uuid) -> Result<Vec<SessionRow>> {
    const Q: &str = "SELECT session_key, position, skipped_at, done_at, meeting_id, run_at FROM program_session \
                     WHERE series_id = $1 ORDER BY position, session_key";
    let rows: Vec<SRow> = on_db!(db, p => sqlx::query_as(Q).bind(series).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| SessionRow { key: r.0, position: r.1, skipped_at: r.2, done_at: r.3, meeting_id: r.4, run_at: r.5 })
        .collect())
}

pub async fn set_position(tx: &mut Tx, series: Uuid, key: &str, position: i64) -> Result<()> {
    const Q: &str = "UPDATE program_session SET position = $3 WHERE series_id = $1 AND session_key = $2";
    on_tx!(tx, c => sqlx::query(Q).bind(series).bind(key).bind(position).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_skipped(tx: &mut Tx, series: Uuid, key: &str, at: Option<DateTime<Utc>>) -> Result<()> {
    const Q: &str = "UPDATE program_session SET skipped_at = $3 WHERE series_id = $1 AND session_key = $2";
    on_tx!(tx, c => sqlx::query(Q).bind(series).bind(key).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_done(tx: &mut Tx, series: Uuid, key: &str, at: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE program_session SET done_at = COALESCE(done_at, $3) WHERE series_id = $1 AND session_key = $2";
    on_tx!(tx, c => sqlx::query(Q).bind(series).bind(key).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_run(tx: &mut Tx, series: Uuid, key: &str, meeting: Uuid, at: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE program_session SET meeting_id = $3, run_at = $4 WHERE series_id = $1 AND session_key = $2";
    on_tx!(tx, c => sqlx::query(Q).bind(series).bind(key).bind(meeting).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CRow {
    id: Uuid,
    series_id: Uuid,
    session_key: String,
    meeting_id: Option<Uuid>,
    author_id: Uuid,
    target: String,
    summary: String,
    section: Option<String>,
    ref_id: Option<Uuid>,
    created_at: DateTime<Utc>,
}

fn capture(r: CRow) -> SavedCapture {
    SavedCapture {
        id: r.id,
        series_id: r.series_id,
        session_key: r.session_key,
        meeting_id: r.meeting_id,
        author_id: PersonId(r.author_id),
        target: r.target,
        summary: r.summary,
        section: r.section,
        ref_id: r.ref_id,
        created_at: r.created_at,
    }
}

pub async fn insert_capture(tx: &mut Tx, c: &SavedCapture) -> Result<()> {
    const Q: &str = "INSERT INTO program_capture (id, series_id, session_key, meeting_id, author_id, target, summary, section, ref_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    on_tx!(tx, x => sqlx::query(Q).bind(c.id).bind(c.series_id).bind(&c.session_key).bind(c.meeting_id).bind(c.author_id.0).bind(&c.target).bind(&c.summary).bind(&c.section).bind(c.ref_id).bind(c.created_at).execute(x).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Everything the sessions of a pair captured, oldest first.
pub async fn captures(db: &Db, series: Uuid) -> Result<Vec<SavedCapture>> {
    const Q: &str = "SELECT id, series_id, session_key, meeting_id, author_id, target, summary, section, ref_id, created_at \
                     FROM program_capture WHERE series_id = $1 ORDER BY created_at, id";
    let rows: Vec<CRow> = on_db!(db, p => sqlx::query_as(Q).bind(series).fetch_all(p).await)?;
    Ok(rows.into_iter().map(capture).collect())
}

/// What the managers of `person`'s series noted about how they like to work, oldest first.
pub async fn manager_notes_about(db: &Db, person: PersonId) -> Result<Vec<SavedCapture>> {
    const Q: &str = "SELECT c.id, c.series_id, c.session_key, c.meeting_id, c.author_id, c.target, c.summary, c.section, c.ref_id, \
                     c.created_at FROM program_capture c JOIN series s ON s.id = c.series_id \
                     WHERE s.teammate_id = $1 AND c.author_id = s.manager_id AND c.target = 'how_to_work_with_me' \
                     ORDER BY c.created_at, c.id";
    let rows: Vec<CRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(capture).collect())
}

/// A person's "how to work with me" page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkWithMeRow {
    pub person_id: PersonId,
    pub sections: BTreeMap<String, String>,
    pub shared_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

type WRow = (Uuid, String, Option<DateTime<Utc>>, DateTime<Utc>, i64);

pub async fn work_with_me(db: &Db, person: PersonId) -> Result<Option<WorkWithMeRow>> {
    const Q: &str = "SELECT person_id, sections, shared_at, updated_at, version FROM work_with_me WHERE person_id = $1";
    let row: Option<WRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_optional(p).await)?;
    row.map(|r| {
        let sections = serde_json::from_str(&r.1).map_err(|e| StoreError::Corrupt(format!("work_with_me {}: {e}", r.0)))?;
        Ok(WorkWithMeRow { person_id: PersonId(r.0), sections, shared_at: r.2, updated_at: r.3, version: r.4 })
    })
    .transpose()
}

/// Writes the page if it is still at `expected_version` (0: not written yet). False when
/// someone saved in between.
pub async fn save_work_with_me(
    tx: &mut Tx,
    person: PersonId,
    sections: &BTreeMap<String, String>,
    shared_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    expected_version: i64,
) -> Result<bool> {
    let json = serde_json::to_string(sections).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let n = if expected_version == 0 {
        const Q: &str = "INSERT INTO work_with_me (person_id, sections, shared_at, updated_at, version) VALUES ($1, $2, $3, $4, 1) \
                         ON CONFLICT (person_id) DO NOTHING";
        on_tx!(tx, c => sqlx::query(Q).bind(person.0).bind(&json).bind(shared_at).bind(now).execute(c).await.map(|r| r.rows_affected()))?
    } else {
        const Q: &str = "UPDATE work_with_me SET sections = $2, shared_at = $3, updated_at = $4, version = version + 1 \
                         WHERE person_id = $1 AND version = $5";
        on_tx!(tx, c => sqlx::query(Q).bind(person.0).bind(&json).bind(shared_at).bind(now).bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?
    };
    Ok(n == 1)
}
