//! The job queue: jobs are rows. Enqueueing happens inside the transaction of the change that
//! causes it; workers claim due jobs with a lease, so a job whose worker died is taken again
//! once the lease has run out. The one dialect difference is the claim: PostgreSQL skips
//! rows another instance has locked (`FOR UPDATE SKIP LOCKED`); SQLite serialises writers
//! with `BEGIN IMMEDIATE`, so the same UPDATE … RETURNING is already exclusive there.

use super::{Db, Result, Tx, on_db, on_tx, on_write};
use crate::domain::messages::QueuedJob;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A job as a worker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: Uuid,
    pub kind: String,
    pub payload: String,
    pub idempotency_key: String,
    /// Including this one.
    pub attempts: i64,
    pub max_attempts: i64,
}

pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub idempotency_key: &'a str,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i64,
}

/// Adds a job unless one with the same key exists (then nothing happens). True when added.
pub async fn enqueue(tx: &mut Tx, job: &NewJob<'_>, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "INSERT INTO job (id, kind, payload, idempotency_key, state, run_at, attempts, max_attempts, last_error, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, '', $7, $7) ON CONFLICT (idempotency_key) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(Q)
        .bind(Uuid::now_v7()).bind(job.kind).bind(job.payload).bind(job.idempotency_key).bind(job.run_at).bind(job.max_attempts).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const CLAIM_SQLITE: &str = "UPDATE job SET state = 'running', attempts = attempts + 1, lease_expires_at = $2, locked_by = $3, updated_at = $1 \
    WHERE id IN (SELECT id FROM job WHERE (state = 'queued' AND run_at <= $1) OR (state = 'running' AND lease_expires_at <= $1) \
    ORDER BY run_at LIMIT $4) \
    RETURNING id, kind, payload, idempotency_key, attempts, max_attempts";
const CLAIM_POSTGRES: &str = "UPDATE job SET state = 'running', attempts = attempts + 1, lease_expires_at = $2, locked_by = $3, updated_at = $1 \
    WHERE id IN (SELECT id FROM job WHERE (state = 'queued' AND run_at <= $1) OR (state = 'running' AND lease_expires_at <= $1) \
    ORDER BY run_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
    RETURNING id, kind, payload, idempotency_key, attempts, max_attempts";

/// Whether any job is due (queued and due, or running with a lease that ran out), read
/// without a transaction: an idle worker asks this, and takes the writer only when it is so.
pub async fn any_due(db: &Db, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "SELECT 1 FROM job WHERE state = 'queued' AND run_at <= $1 \
        UNION ALL SELECT 1 FROM job WHERE state = 'running' AND lease_expires_at <= $1 LIMIT 1";
    let row: Option<i32> = on_db!(db, p => sqlx::query_scalar(Q).bind(now).fetch_optional(p).await)?;
    Ok(row.is_some())
}

/// Claims up to `limit` due jobs (queued and due, or running with a lease that ran out) for
/// `worker` until `lease_until`, and commits the claim at once.
pub async fn claim(db: &Db, worker: &str, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: i64) -> Result<Vec<ClaimedJob>> {
    let mut tx = db.begin().await?;
    let q = match &tx {
        Tx::Sqlite(_) => CLAIM_SQLITE,
        Tx::Postgres(_) => CLAIM_POSTGRES,
    };
    let rows: Vec<(Uuid, String, String, String, i64, i64)> =
        on_tx!(&mut tx, c => sqlx::query_as(q).bind(now).bind(lease_until).bind(worker).bind(limit).fetch_all(c).await)?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, payload, idempotency_key, attempts, max_attempts)| ClaimedJob {
            id,
            kind,
            payload,
            idempotency_key,
            attempts,
            max_attempts,
        })
        .collect())
}

/// The job is finished. Only the worker holding the claim may say so.
pub async fn complete(tx: &mut Tx, id: Uuid, worker: &str, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE job SET state = 'done', lease_expires_at = NULL, locked_by = NULL, last_error = '', updated_at = $3 \
        WHERE id = $1 AND locked_by = $2 AND state = 'running'";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(id).bind(worker).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The attempt failed: try again at `retry_at`, or give up (`None`) and keep the error.
pub async fn fail(db: &Db, id: Uuid, worker: &str, error: &str, retry_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE job SET state = $4, run_at = COALESCE($5, run_at), lease_expires_at = NULL, locked_by = NULL, last_error = $3, updated_at = $6 \
        WHERE id = $1 AND locked_by = $2 AND state = 'running'";
    let state = if retry_at.is_some() { "queued" } else { "failed" };
    on_write!(db, c => sqlx::query(Q).bind(id).bind(worker).bind(error).bind(state).bind(retry_at).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Puts a failed job back in the queue, due now, with its attempts counted afresh.
pub async fn retry(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE job SET state = 'queued', run_at = $2, attempts = 0, updated_at = $2 WHERE id = $1 AND state = 'failed'";
    let n = on_write!(db, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

type JobTuple = (Uuid, String, String, String, DateTime<Utc>, i64, i64, String, DateTime<Utc>);
const JOB_COLS: &str = "id, kind, idempotency_key, state, run_at, attempts, max_attempts, last_error, updated_at";

fn job_row(r: JobTuple) -> QueuedJob {
    let (id, kind, idempotency_key, state, run_at, attempts, max_attempts, last_error, updated_at) = r;
    QueuedJob { id, kind, idempotency_key, state, run_at, attempts, max_attempts, last_error, updated_at }
}

/// Jobs that failed for good, or that failed at least once and wait for another try.
pub async fn troubled(db: &Db, limit: i64) -> Result<Vec<QueuedJob>> {
    let q = format!(
        "SELECT {JOB_COLS} FROM job WHERE state = 'failed' OR (state IN ('queued', 'running') AND last_error <> '') ORDER BY updated_at DESC LIMIT $1"
    );
    let rows: Vec<JobTuple> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q.clone())).bind(limit).fetch_all(p).await)?;
    Ok(rows.into_iter().map(job_row).collect())
}

pub async fn by_key(db: &Db, key: &str) -> Result<Option<QueuedJob>> {
    let q = format!("SELECT {JOB_COLS} FROM job WHERE idempotency_key = $1");
    let row: Option<JobTuple> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q.clone())).bind(key).fetch_optional(p).await)?;
    Ok(row.map(job_row))
}

/// How many jobs are in each state, for the admin page.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    const Q: &str = "SELECT state, COUNT(*) FROM job GROUP BY state ORDER BY state";
    Ok(on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await)?)
}

/// Removes finished jobs older than `before` (their sent-message record stays).
pub async fn forget_done_before(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    const Q: &str = "DELETE FROM job WHERE state = 'done' AND updated_at < $1";
    Ok(on_write!(db, c => sqlx::query(Q).bind(before).execute(c).await.map(|r| r.rows_affected()))?)
}

/// How many jobs have a key starting with `prefix` (tests and the CLI read this).
pub async fn count_with_prefix(db: &Db, prefix: &str) -> Result<i64> {
    const Q: &str = "SELECT COUNT(*) FROM job WHERE idempotency_key LIKE $1";
    Ok(on_db!(db, p => sqlx::query_scalar(Q).bind(format!("{prefix}%")).fetch_one(p).await)?)
}

/// Which of `keys` have a job (any state), a few hundred keys per statement.
pub async fn existing_keys(db: &Db, keys: &[String]) -> Result<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in keys.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let q = format!("SELECT idempotency_key FROM job WHERE idempotency_key IN ({})", marks.join(", "));
        let rows: Vec<String> = on_db!(db, p => chunk.iter().fold(sqlx::query_scalar(sqlx::AssertSqlSafe(q.clone())), |q, key| q.bind(key)).fetch_all(p).await)?;
        found.extend(rows);
    }
    Ok(found)
}
