//! What the leader's view counts, pair by pair, for the regular 1:1s of everyone in an
//! organisation (everyone below a leader, or everyone): one statement a kind of fact, each
//! summed in the database to a row a pair (or a person, for actions). Each goes from the
//! people of the organisation to their series and from there through the series' own index:
//! written as `CROSS JOIN`s, which SQLite keeps in that order (left to itself it read every
//! 1:1 of the window in the whole database by time, seconds on 10,000 people), and which
//! PostgreSQL plans as it likes. The kind of a series is compared as `s.kind || ''`, which no
//! index serves: SQLite 3.51 would otherwise build an index over every series by kind for each
//! statement and look up all regular series for each person (0.7 s for a director over 1,110).

use super::{Db, Result, on_db};
use crate::domain::PersonId;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// The people of the organisation: everyone below `root`, or everyone.
fn org(root: Option<PersonId>) -> &'static str {
    match root {
        Some(_) => {
            "WITH RECURSIVE org(id) AS (SELECT id FROM person WHERE manager_id = $1 \
             UNION ALL SELECT p.id FROM person p JOIN org ON p.manager_id = org.id)"
        }
        None => "WITH org(id) AS (SELECT id FROM person WHERE $1 IS NULL OR $1 IS NOT NULL)",
    }
}

fn root_id(root: Option<PersonId>) -> Option<Uuid> {
    root.map(|r| r.0)
}

/// A pair's 1:1s: (manager, teammate, due, kept, rating sum and count in the window, the same
/// in the window before).
pub type MeetingSums = (Uuid, Uuid, i64, i64, i64, i64, i64, i64);

/// The 1:1s of each pair that began from `before` (the window before) until `to`; `from` splits
/// the two windows.
pub async fn meetings(
    db: &Db,
    root: Option<PersonId>,
    before: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<MeetingSums>> {
    let q = format!(
        "{} SELECT s.manager_id, s.teammate_id, \
             CAST(SUM(CASE WHEN m.starts_at >= $3 THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN m.starts_at >= $3 AND m.status IN ('held', 'scheduled') THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN m.starts_at >= $3 THEN m.rating END), 0) AS BIGINT), \
             COUNT(CASE WHEN m.starts_at >= $3 THEN m.rating END), \
             CAST(COALESCE(SUM(CASE WHEN m.starts_at < $3 THEN m.rating END), 0) AS BIGINT), \
             COUNT(CASE WHEN m.starts_at < $3 THEN m.rating END) \
         FROM org CROSS JOIN series s CROSS JOIN meeting m \
         WHERE s.teammate_id = org.id AND s.kind || '' = 'regular' AND m.series_id = s.id AND m.starts_at >= $2 AND m.starts_at < $4 \
         GROUP BY s.manager_id, s.teammate_id",
        org(root)
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).bind(before).bind(from).bind(to).fetch_all(p).await)?)
}

/// The topics first added to each pair's 1:1s in the window: (manager, teammate, by the
/// teammate, all).
pub async fn topics(db: &Db, root: Option<PersonId>, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(Uuid, Uuid, i64, i64)>> {
    let q = format!(
        "{} SELECT s.manager_id, s.teammate_id, CAST(SUM(CASE WHEN t.author_id = s.teammate_id THEN 1 ELSE 0 END) AS BIGINT), COUNT(*) \
         FROM org CROSS JOIN series s CROSS JOIN meeting m CROSS JOIN talking_point t \
         WHERE s.teammate_id = org.id AND s.kind || '' = 'regular' AND m.series_id = s.id AND m.starts_at >= $2 AND m.starts_at < $3 \
             AND t.meeting_id = m.id AND t.origin_id = t.id \
         GROUP BY s.manager_id, s.teammate_id",
        org(root)
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).bind(from).bind(to).fetch_all(p).await)?)
}

/// The actions due in the window in each pair's 1:1s, by owner: (manager, owner, due, done by
/// their date).
pub async fn actions(db: &Db, root: Option<PersonId>, from: NaiveDate, to: NaiveDate) -> Result<Vec<(Uuid, Uuid, i64, i64)>> {
    // The day an action was done, as its due date is written: the first ten characters of the
    // stored moment on SQLite, the UTC date on PostgreSQL.
    let done_by = match db {
        super::Db::Sqlite(_) => "substr(a.done_at, 1, 10) <= a.due_date",
        super::Db::Postgres(_) => "(a.done_at AT TIME ZONE 'UTC')::date <= a.due_date",
    };
    let q = format!(
        "{} SELECT s.manager_id, a.owner_id, COUNT(*), \
             CAST(SUM(CASE WHEN a.done_at IS NOT NULL AND {done_by} THEN 1 ELSE 0 END) AS BIGINT) \
         FROM org CROSS JOIN series s CROSS JOIN action_item a \
         WHERE s.teammate_id = org.id AND s.kind || '' = 'regular' AND a.series_id = s.id AND a.due_date >= $2 AND a.due_date < $3 \
         GROUP BY s.manager_id, a.owner_id",
        org(root)
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).bind(from).bind(to).fetch_all(p).await)?)
}

/// Each pair's pulse answers: (manager, teammate, sum and count of every answer in the window,
/// the same in the window before).
pub async fn pulses(
    db: &Db,
    root: Option<PersonId>,
    before: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(Uuid, Uuid, i64, i64, i64, i64)>> {
    let q = format!(
        "{} SELECT s.manager_id, s.teammate_id, \
             CAST(COALESCE(SUM(CASE WHEN m.starts_at >= $3 THEN a.value END), 0) AS BIGINT), COUNT(CASE WHEN m.starts_at >= $3 THEN a.value END), \
             CAST(COALESCE(SUM(CASE WHEN m.starts_at < $3 THEN a.value END), 0) AS BIGINT), COUNT(CASE WHEN m.starts_at < $3 THEN a.value END) \
         FROM org CROSS JOIN series s CROSS JOIN pulse p CROSS JOIN meeting m CROSS JOIN pulse_answer a \
         WHERE s.teammate_id = org.id AND s.kind || '' = 'regular' AND p.series_id = s.id AND m.id = p.meeting_id \
             AND m.starts_at >= $2 AND m.starts_at < $4 AND a.meeting_id = p.meeting_id \
         GROUP BY s.manager_id, s.teammate_id",
        org(root)
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).bind(before).bind(from).bind(to).fetch_all(p).await)?)
}

/// Each pair's purposes touched in the window, as stored (one row a distinct list): (manager,
/// teammate, purposes).
pub async fn purposes(db: &Db, root: Option<PersonId>, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(Uuid, Uuid, String)>> {
    let q = format!(
        "{} SELECT s.manager_id, s.teammate_id, g.purposes          FROM org CROSS JOIN series s CROSS JOIN guidance_use g WHERE s.teammate_id = org.id AND s.kind || '' = 'regular' AND g.series_id = s.id AND g.used_at >= $2 AND g.used_at < $3 GROUP BY s.manager_id, s.teammate_id, g.purposes",
        org(root)
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).bind(from).bind(to).fetch_all(p).await)?)
}

/// Each pair's first steps: (manager, teammate, kickoff sent or given in person, first ten 1:1s
/// started), for the series not ended.
pub async fn first_steps(db: &Db, root: Option<PersonId>) -> Result<Vec<(Uuid, Uuid, bool, bool)>> {
    let q = format!(
        "{} SELECT s.manager_id, s.teammate_id,              (k.sent_at IS NOT NULL OR k.skipped_at IS NOT NULL) AS kicked_off, pr.series_id IS NOT NULL AS program          FROM org CROSS JOIN series s LEFT JOIN kickoff k ON k.series_id = s.id LEFT JOIN program pr ON pr.series_id = s.id WHERE s.teammate_id = org.id AND s.kind || '' = 'regular' AND s.status <> 'ended'",
        org(root)
    );
    type Row = (Uuid, Uuid, Option<bool>, bool);
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(m, t, k, p)| (m, t, k.unwrap_or(false), p)).collect())
}

/// The managers of the organisation (those of anyone in it: the reader and the managers below
/// them), each with their name and own manager: (id, name, manager).
pub async fn leaders(db: &Db, root: Option<PersonId>) -> Result<Vec<(Uuid, String, Option<Uuid>)>> {
    let q = format!(
        "{} SELECT p.id, p.name, p.manager_id FROM person p WHERE p.id IN (SELECT q.manager_id FROM org CROSS JOIN person q WHERE q.id = org.id)",
        org(root)
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(root_id(root)).fetch_all(p).await)?)
}

/// People by id: (id, name, manager), for a team whose manager no longer manages anyone.
pub async fn names(db: &Db, ids: Vec<Uuid>) -> Result<Vec<(Uuid, String, Option<Uuid>)>> {
    Ok(super::people::by_ids(db, ids).await?.into_iter().map(|p| (p.id.0, p.name, p.manager_id.map(|m| m.0))).collect())
}
