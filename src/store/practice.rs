//! What "my practice" counts, for one manager's regular 1:1s: one statement a kind of fact,
//! each reached through the manager's series (`series_manager_idx`) and bounded by the window.

use super::{Db, Result, on_db};
use crate::domain::PersonId;
use crate::domain::guidance::purposes_from_string;
use crate::domain::meeting::MeetingStatus;
use crate::domain::practice::{ActionFact, By, MeetingFact, PairFact, RatingsFact};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

const LED: &str = "s.manager_id = $1 AND s.kind = 'regular'";

/// The manager's regular series that are not ended, by the teammate's name.
pub async fn pairs(db: &Db, manager: PersonId) -> Result<Vec<PairFact>> {
    let q = format!(
        "SELECT s.id, s.teammate_id, p.name FROM series s JOIN person p ON p.id = s.teammate_id \
         WHERE {LED} AND s.status <> 'ended' ORDER BY p.name, s.id"
    );
    let rows: Vec<(Uuid, Uuid, String)> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(manager.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(series, teammate, name)| PairFact { series, teammate: PersonId(teammate), name }).collect())
}

/// The 1:1s of those series that began from `from` until `to`, with who of the pair skipped,
/// cancelled or moved them, and how many topics were first added to each (and by the teammate).
pub async fn meetings(db: &Db, manager: PersonId, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<MeetingFact>> {
    // The topics are counted a 1:1 at a time through `talking_point`'s (meeting, position)
    // index: a row a topic would be a thousand rows for a year of ten pairs.
    let q = format!(
        "SELECT m.series_id, m.starts_at, m.duration_minutes, m.status, m.status_by, m.moved_from_at IS NOT NULL AS moved, m.moved_by, \
             m.rating, s.teammate_id, \
             (SELECT COUNT(*) FROM talking_point t WHERE t.meeting_id = m.id AND t.origin_id = t.id), \
             (SELECT COUNT(*) FROM talking_point t WHERE t.meeting_id = m.id AND t.origin_id = t.id AND t.author_id = s.teammate_id) \
         FROM series s JOIN meeting m ON m.series_id = s.id WHERE {LED} AND m.starts_at >= $2 AND m.starts_at < $3"
    );
    type Row = (Uuid, DateTime<Utc>, i64, String, Option<Uuid>, bool, Option<Uuid>, Option<i64>, Uuid, i64, i64);
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(manager.0).bind(from).bind(to).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(series, starts_at, minutes, status, status_by, moved, moved_by, rating, teammate, topics, theirs)| {
            let by = |who: Option<Uuid>| By::of(who, manager.0, teammate);
            Some(MeetingFact {
                series,
                starts_at,
                ends_at: starts_at + Duration::minutes(minutes),
                status: MeetingStatus::parse(&status)?,
                status_by: by(status_by),
                moved: moved.then(|| by(moved_by)),
                rating,
                topics: u32::try_from(topics).unwrap_or(0),
                their_topics: u32::try_from(theirs).unwrap_or(0),
            })
        })
        .collect())
}

/// The ratings of those series' 1:1s that began from `from` until `to`, summed a series at a
/// time (with when the first of them began): the window before the one looked at.
pub async fn ratings(db: &Db, manager: PersonId, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<RatingsFact>> {
    let q = format!(
        "SELECT m.series_id, MIN(m.starts_at), CAST(SUM(m.rating) AS BIGINT), COUNT(*) \
         FROM series s JOIN meeting m ON m.series_id = s.id WHERE {LED} AND m.starts_at >= $2 AND m.starts_at < $3 AND m.rating IS NOT NULL \
         GROUP BY m.series_id"
    );
    let rows: Vec<(Uuid, DateTime<Utc>, i64, i64)> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(manager.0).bind(from).bind(to).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(series, at, sum, count)| RatingsFact { series, at, sum, count }).collect())
}

/// The action items of those series due from `from` until before `to`.
pub async fn actions(db: &Db, manager: PersonId, from: NaiveDate, to: NaiveDate) -> Result<Vec<ActionFact>> {
    let q = format!(
        "SELECT a.series_id, a.due_date, a.done_at, a.kind, a.owner_id = s.manager_id AS mine \
         FROM series s JOIN action_item a ON a.series_id = s.id WHERE {LED} AND a.due_date >= $2 AND a.due_date < $3"
    );
    type Row = (Uuid, NaiveDate, Option<DateTime<Utc>>, String, bool);
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(manager.0).bind(from).bind(to).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(series, due, done_at, kind, mine)| ActionFact {
            series,
            due,
            done_on: done_at.map(|d| d.date_naive()),
            help: kind == "help",
            mine,
        })
        .collect())
}

/// When each question, prompt or template used in those series touched which purposes.
pub async fn purposes(db: &Db, manager: PersonId) -> Result<Vec<(Uuid, DateTime<Utc>, Vec<crate::domain::guidance::Purpose>)>> {
    let q = format!("SELECT g.series_id, g.used_at, g.purposes FROM series s JOIN guidance_use g ON g.series_id = s.id WHERE {LED}");
    let rows: Vec<(Uuid, DateTime<Utc>, String)> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(manager.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(s, at, p)| (s, at, purposes_from_string(&p))).collect())
}

/// The last time feedback was shared between the manager and each person, either way.
pub async fn feedback(db: &Db, manager: PersonId) -> Result<Vec<(PersonId, DateTime<Utc>)>> {
    const Q: &str = "SELECT receiver_id, MAX(shared_at) FROM feedback WHERE giver_id = $1 AND shared_at IS NOT NULL GROUP BY receiver_id \
                     UNION ALL SELECT giver_id, MAX(shared_at) FROM feedback WHERE receiver_id = $1 AND shared_at IS NOT NULL GROUP BY giver_id";
    let rows: Vec<(Uuid, Option<DateTime<Utc>>)> = on_db!(db, p => sqlx::query_as(Q).bind(manager.0).fetch_all(p).await)?;
    Ok(rows.into_iter().filter_map(|(who, at)| Some((PersonId(who), at?))).collect())
}
