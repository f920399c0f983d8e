//! What the home page gathers across all of a person's 1:1s, each in one statement whatever the
//! number of series: who put topics on the coming meetings, which begun meetings wait for the
//! teammate's rating, and where the first ten 1:1s stand in the pairs a manager leads.

use super::meetings::{MEETING_COLS, MeetingRow, meeting};
use super::{Db, Result, on_db};
use crate::domain::PersonId;
use crate::domain::meeting::Meeting;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// For each scheduled meeting from `from` on, in the active series `person` is part of: how
/// many topics each author put on it.
pub async fn topics_ahead(db: &Db, person: PersonId, from: DateTime<Utc>) -> Result<Vec<(Uuid, PersonId, i64)>> {
    const Q: &str = "SELECT p.meeting_id, p.author_id, COUNT(*) FROM talking_point p \
         JOIN meeting m ON m.id = p.meeting_id JOIN series s ON s.id = m.series_id \
         WHERE (s.manager_id = $1 OR s.teammate_id = $1) AND s.status = 'active' AND m.status = 'scheduled' AND m.starts_at >= $2 \
         GROUP BY p.meeting_id, p.author_id";
    let rows: Vec<(Uuid, Uuid, i64)> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).bind(from).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(m, a, n)| (m, PersonId(a), n)).collect())
}

/// Meetings of the series where `teammate` is the teammate that began between `since` and
/// `now`, were neither skipped nor cancelled, and have no rating yet; newest first.
pub async fn unrated_since(db: &Db, teammate: PersonId, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<Vec<Meeting>> {
    let q = format!(
        "SELECT {MEETING_COLS} FROM meeting m JOIN series s ON s.id = m.series_id \
         WHERE s.teammate_id = $1 AND s.status = 'active' AND m.starts_at >= $2 AND m.starts_at <= $3 \
         AND m.status IN ('scheduled', 'held') AND m.rating IS NULL ORDER BY m.starts_at DESC"
    );
    let rows: Vec<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(teammate.0).bind(since).bind(now).fetch_all(p).await)?;
    rows.into_iter().map(meeting).collect()
}

/// The regular series between two people that has not ended, whoever leads it: its id, its
/// manager and its teammate.
pub async fn regular_series_between(db: &Db, a: PersonId, b: PersonId) -> Result<Option<(Uuid, PersonId, PersonId)>> {
    const Q: &str = "SELECT id, manager_id, teammate_id FROM series WHERE kind = 'regular' AND status <> 'ended' \
         AND ((manager_id = $1 AND teammate_id = $2) OR (manager_id = $2 AND teammate_id = $1)) ORDER BY created_at LIMIT 1";
    let row: Option<(Uuid, Uuid, Uuid)> = on_db!(db, p => sqlx::query_as(Q).bind(a.0).bind(b.0).fetch_optional(p).await)?;
    Ok(row.map(|(id, m, t)| (id, PersonId(m), PersonId(t))))
}

/// A session of the first ten 1:1s in an active series `manager` leads, with what the meeting it
/// was last run in became and how much was captured for it.
#[derive(sqlx::FromRow)]
pub struct LedSession {
    pub series_id: Uuid,
    pub session_key: String,
    pub position: i64,
    pub skipped: bool,
    pub done: bool,
    pub meeting_status: Option<String>,
    pub meeting_starts_at: Option<DateTime<Utc>>,
    pub meeting_minutes: Option<i64>,
    pub captures: i64,
}

/// Every session of the programs in the active series `manager` leads, in one statement.
pub async fn sessions_led(db: &Db, manager: PersonId) -> Result<Vec<LedSession>> {
    const Q: &str = "SELECT ps.series_id, ps.session_key, ps.position, ps.skipped_at IS NOT NULL AS skipped, \
         ps.done_at IS NOT NULL AS done, m.status AS meeting_status, m.starts_at AS meeting_starts_at, \
         m.duration_minutes AS meeting_minutes, \
         (SELECT COUNT(*) FROM program_capture c WHERE c.series_id = ps.series_id AND c.session_key = ps.session_key) AS captures \
         FROM program_session ps JOIN series s ON s.id = ps.series_id LEFT JOIN meeting m ON m.id = ps.meeting_id \
         WHERE s.manager_id = $1 AND s.status = 'active'";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(manager.0).fetch_all(p).await)?)
}
