//! What the home page gathers across all of a person's 1:1s, each in one statement whatever the
//! number of series: who put topics on the coming meetings (and which are new since the person
//! last looked), which begun meetings wait for the teammate's rating, and where the first ten
//! 1:1s stand in the pairs a manager leads. And the mark of when a person last looked.

use super::meetings::{MEETING_COLS, MeetingRow, meeting};
use super::{Db, Result, on_db, on_write};
use crate::domain::PersonId;
use crate::domain::meeting::Meeting;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The topics one author put on a coming meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicsAhead {
    pub meeting_id: Uuid,
    pub author_id: Uuid,
    pub count: i64,
    /// Of those, added (not carried over) after the person last looked at the series' coming
    /// 1:1 ([`topics_seen`]), or all of them when they never did.
    pub new_topics: i64,
}

/// A topic not carried over, on the meeting, added after the mark `v` (or with no mark).
const NEW_TOPIC: &str = "p.carried_from IS NULL AND (v.seen_at IS NULL OR p.created_at > v.seen_at)";

/// For each scheduled meeting from `from` on, in the active series `person` is part of: how
/// many topics each author put on it, and how many of them are new to `person`.
pub async fn topics_ahead(db: &Db, person: PersonId, from: DateTime<Utc>) -> Result<Vec<TopicsAhead>> {
    let q = format!(
        "SELECT p.meeting_id, p.author_id, COUNT(*) AS count, SUM(CASE WHEN {NEW_TOPIC} THEN 1 ELSE 0 END) AS new_topics \
         FROM talking_point p JOIN meeting m ON m.id = p.meeting_id JOIN series s ON s.id = m.series_id \
         LEFT JOIN topics_seen v ON v.series_id = s.id AND v.person_id = $1 \
         WHERE (s.manager_id = $1 OR s.teammate_id = $1) AND s.status = 'active' AND m.status = 'scheduled' AND m.starts_at >= $2 \
         GROUP BY p.meeting_id, p.author_id"
    );
    Ok(on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(person.0).bind(from).fetch_all(p).await)?)
}

/// When the newest of the other person's topics on `meeting` that are new to `person` was
/// added: None when none is new.
pub async fn new_topics_on(db: &Db, person: PersonId, meeting: Uuid) -> Result<Option<DateTime<Utc>>> {
    let q = format!(
        "SELECT MAX(p.created_at) FROM talking_point p LEFT JOIN topics_seen v ON v.series_id = p.series_id AND v.person_id = $1 \
         WHERE p.meeting_id = $2 AND p.author_id <> $1 AND {NEW_TOPIC}"
    );
    Ok(on_db!(db, p => sqlx::query_scalar(sqlx::AssertSqlSafe(q)).bind(person.0).bind(meeting).fetch_one(p).await)?)
}

/// What a meeting page reads on every view besides what it keeps between views, in one
/// statement (a kept page costs this and the session).
#[derive(Debug, Clone)]
pub struct Freshness {
    /// The series' revision, as [`super::meetings::series_rev`].
    pub rev: i64,
    /// When the newest of the other person's topics on the meeting that are new to the viewer
    /// was added, as [`new_topics_on`].
    pub newest_new_topic: Option<DateTime<Utc>>,
    /// The pair's program, if one was started, as [`super::program::program`].
    pub program: Option<super::program::ProgramRow>,
}

pub async fn freshness(db: &Db, series: Uuid, meeting: Uuid, viewer: PersonId) -> Result<Option<Freshness>> {
    let q = format!(
        "SELECT s.rev, (SELECT MAX(p.created_at) FROM talking_point p \
         LEFT JOIN topics_seen v ON v.series_id = p.series_id AND v.person_id = $3 \
         WHERE p.meeting_id = $2 AND p.author_id <> $3 AND {}) AS newest, g.started_by, g.started_at \
         FROM series s LEFT JOIN program g ON g.series_id = s.id WHERE s.id = $1",
        NEW_TOPIC
    );
    type Row = (i64, Option<DateTime<Utc>>, Option<Uuid>, Option<DateTime<Utc>>);
    let row: Option<Row> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(meeting).bind(viewer.0).fetch_optional(p).await)?;
    Ok(row.map(|(rev, newest_new_topic, by, at)| Freshness {
        rev,
        newest_new_topic,
        program: by.zip(at).map(|(by, at)| super::program::ProgramRow { series_id: series, started_by: PersonId(by), started_at: at }),
    }))
}

/// Marks that `person` looked at the coming 1:1 of `series` at `at`.
pub async fn mark_topics_seen(db: &Db, person: PersonId, series: Uuid, at: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO topics_seen (person_id, series_id, seen_at) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id, series_id) DO UPDATE SET seen_at = excluded.seen_at";
    on_write!(db, c => sqlx::query(Q).bind(person.0).bind(series).bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
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

/// What prep's suggestions read of a pair's history, for every active series `manager` leads at
/// once: when each question, prompt or template used touched which purposes (series, the
/// purposes as stored, when).
pub async fn purposes_touched_led(db: &Db, manager: PersonId) -> Result<Vec<(Uuid, String, DateTime<Utc>)>> {
    const Q: &str = "SELECT g.series_id, g.purposes, g.used_at FROM guidance_use g JOIN series s ON s.id = g.series_id \
         WHERE s.manager_id = $1 AND s.status = 'active'";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(manager.0).fetch_all(p).await)?)
}

/// The last `limit` meetings that began before `before` in each active series `manager` leads:
/// (series, when it began, its rating), newest first within a series.
pub async fn recent_meetings_led(
    db: &Db,
    manager: PersonId,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(Uuid, DateTime<Utc>, Option<i64>)>> {
    // Each series' last meetings through the (series_id, starts_at) index, `limit` at a time:
    // a window over every meeting of the series read five years of history to keep 24 rows.
    // SQLite runs the `IN` below once per series; PostgreSQL would test it against every
    // meeting there is (minutes on a large organisation), so there it is a LATERAL join.
    const SQLITE: &str = "SELECT m.series_id, m.starts_at, m.rating FROM series s JOIN meeting m ON m.id IN \
         (SELECT l.id FROM meeting l WHERE l.series_id = s.id AND l.starts_at < $2 ORDER BY l.starts_at DESC LIMIT $3) \
         WHERE s.manager_id = $1 AND s.status = 'active' ORDER BY m.series_id, m.starts_at DESC";
    const POSTGRES: &str = "SELECT m.series_id, m.starts_at, m.rating FROM series s CROSS JOIN LATERAL \
         (SELECT l.series_id, l.starts_at, l.rating FROM meeting l WHERE l.series_id = s.id AND l.starts_at < $2 \
          ORDER BY l.starts_at DESC LIMIT $3) m \
         WHERE s.manager_id = $1 AND s.status = 'active' ORDER BY m.series_id, m.starts_at DESC";
    let q = if matches!(db, Db::Postgres(_)) { POSTGRES } else { SQLITE };
    Ok(on_db!(db, p => sqlx::query_as(q).bind(manager.0).bind(before).bind(limit).fetch_all(p).await)?)
}
