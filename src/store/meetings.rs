//! Series, meetings, talking points, notes (with revisions) and action items.

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::meeting::{ActionItem, ActionKind, Meeting, MeetingStatus, Note, Series, SeriesKind, SeriesStatus, TalkingPoint};
use crate::domain::schedule::{Cadence, Schedule};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

// ---- series ----

/// A series as stored; read with [`SERIES_COLS`]. The columns a meeting row shares (`id`,
/// `duration_minutes`, `status`, `version`) carry the table's letter, so a meeting and its
/// series read together by name.
#[derive(sqlx::FromRow)]
pub(crate) struct SeriesRow {
    #[sqlx(rename = "s_id")]
    id: Uuid,
    manager_id: Uuid,
    teammate_id: Uuid,
    kind: String,
    cadence: String,
    first_date: NaiveDate,
    local_time: String,
    timezone: String,
    #[sqlx(rename = "s_duration_minutes")]
    duration_minutes: i64,
    #[sqlx(rename = "s_status")]
    status: String,
    created_at: DateTime<Utc>,
    #[sqlx(rename = "s_version")]
    version: i64,
}
pub(crate) const SERIES_COLS: &str = "s.id AS s_id, s.manager_id, s.teammate_id, s.kind, s.cadence, s.first_date, s.local_time, s.timezone, \
                                      s.duration_minutes AS s_duration_minutes, s.status AS s_status, s.created_at, s.version AS s_version";

pub(crate) fn series(r: SeriesRow) -> Result<Series> {
    Ok(Series {
        id: r.id,
        manager_id: PersonId(r.manager_id),
        teammate_id: PersonId(r.teammate_id),
        kind: SeriesKind::parse(&r.kind).ok_or_else(|| corrupt("series kind", &r.kind))?,
        schedule: Schedule {
            cadence: Cadence::parse(&r.cadence).ok_or_else(|| corrupt("cadence", &r.cadence))?,
            first_date: r.first_date,
            local_time: NaiveTime::parse_from_str(&r.local_time, "%H:%M").map_err(|_| corrupt("local time", &r.local_time))?,
            tz: r.timezone.parse().map_err(|_| corrupt("time zone", &r.timezone))?,
        },
        duration_minutes: r.duration_minutes as u32,
        status: SeriesStatus::parse(&r.status).ok_or_else(|| corrupt("series status", &r.status))?,
        created_at: r.created_at,
        version: r.version,
    })
}

pub async fn insert_series(tx: &mut Tx, s: &Series, created_by: PersonId, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO series (id, manager_id, teammate_id, kind, cadence, first_date, local_time, timezone, duration_minutes, status, created_by, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1)";
    let time = s.schedule.local_time.format("%H:%M").to_string();
    on_tx!(tx, c => sqlx::query(Q)
        .bind(s.id).bind(s.manager_id.0).bind(s.teammate_id.0).bind(s.kind.as_str()).bind(s.schedule.cadence.as_str())
        .bind(s.schedule.first_date).bind(&time).bind(s.schedule.tz.name()).bind(s.duration_minutes as i64)
        .bind(s.status.as_str()).bind(created_by.0).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get_series(db: &Db, id: Uuid) -> Result<Option<Series>> {
    let q = format!("SELECT {SERIES_COLS} FROM series s WHERE s.id = $1");
    let row: Option<SeriesRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(p).await)?;
    row.map(series).transpose()
}

/// The series' revision: it moves on with every change to anything shown about its 1:1s
/// (database triggers; see migrations/*/0007_series_rev.sql).
pub async fn series_rev(db: &Db, id: Uuid) -> Result<Option<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT rev FROM series WHERE id = $1").bind(id).fetch_optional(p).await)?)
}

/// Every series `person` is part of, active ones first, newest first.
pub async fn series_of_person(db: &Db, person: PersonId) -> Result<Vec<Series>> {
    let q = format!(
        "SELECT {SERIES_COLS} FROM series s WHERE s.manager_id = $1 OR s.teammate_id = $1 \
         ORDER BY CASE s.status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END, s.created_at DESC"
    );
    let rows: Vec<SeriesRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(person.0).fetch_all(p).await)?;
    rows.into_iter().map(series).collect()
}

/// The first three meetings from `from` on of each active series `person` is part of, soonest
/// first, in one statement, each series' through its (series, start) index. Meetings are
/// planned months ahead and the caller wants the next one not over: `from` is now less the
/// longest meeting, so one or two of a series may have started and ended since.
pub async fn ahead_for_person(db: &Db, person: PersonId, from: DateTime<Utc>) -> Result<Vec<Meeting>> {
    let q = format!(
        "SELECT {MEETING_COLS} FROM series s JOIN meeting m ON m.series_id = s.id \
         WHERE (s.manager_id = $1 OR s.teammate_id = $1) AND s.status = 'active' AND m.starts_at >= $2 \
         AND m.starts_at <= COALESCE((SELECT n.starts_at FROM meeting n WHERE n.series_id = s.id AND n.starts_at >= $2 \
                                      ORDER BY n.starts_at LIMIT 1 OFFSET 2), $3) \
         ORDER BY m.starts_at"
    );
    // The bound when a series has fewer than three ahead: none. (Year 9999: SQLite compares
    // the times as text, where a later year with a sign would sort first.)
    let end_of_time =
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc()).unwrap_or(from);
    let rows: Vec<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(person.0).bind(from).bind(end_of_time).fetch_all(p).await)?;
    rows.into_iter().map(meeting).collect()
}

/// An active or paused recurring series of this kind for this pair, if there is one.
pub async fn live_series_for_pair(tx: &mut Tx, manager: PersonId, teammate: PersonId, kind: SeriesKind) -> Result<Option<Uuid>> {
    const Q: &str = "SELECT id FROM series WHERE manager_id = $1 AND teammate_id = $2 AND kind = $3 AND status <> 'ended'";
    Ok(on_tx!(tx, c => sqlx::query_scalar(Q).bind(manager.0).bind(teammate.0).bind(kind.as_str()).fetch_optional(c).await)?)
}

pub async fn set_series_status(tx: &mut Tx, id: Uuid, expected_version: i64, status: SeriesStatus, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE series SET status = $3, updated_at = $4, version = version + 1 WHERE id = $1 AND version = $2";
    Ok(
        on_tx!(tx, c => sqlx::query(Q).bind(id).bind(expected_version).bind(status.as_str()).bind(now).execute(c).await.map(|r| r.rows_affected()))?
            == 1,
    )
}

/// After reporting lines change: every regular series whose manager is no longer the
/// teammate's manager ends. Its meetings and everything in them stay, readable by the two
/// people who wrote them; the new pair starts a series of its own.
pub async fn end_series_outside_reporting_lines(tx: &mut Tx, now: DateTime<Utc>) -> Result<u64> {
    const Q: &str = "UPDATE series SET status = 'ended', updated_at = $1, version = version + 1 \
                     WHERE kind = 'regular' AND status <> 'ended' \
                     AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = series.teammate_id AND p.manager_id = series.manager_id)";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(now).execute(c).await.map(|r| r.rows_affected()))?)
}

// ---- meetings ----

/// A meeting as stored; read with [`MEETING_COLS`]. Its `id` and `version`, which a talking
/// point's row shares, carry the table's letter (`m_id`, `m_version`).
#[derive(sqlx::FromRow)]
pub(crate) struct MeetingRow {
    #[sqlx(rename = "m_id")]
    id: Uuid,
    series_id: Uuid,
    occurrence: i64,
    starts_at: DateTime<Utc>,
    duration_minutes: i64,
    status: String,
    status_reason: String,
    status_by: Option<Uuid>,
    moved_from_at: Option<DateTime<Utc>>,
    moved_by: Option<Uuid>,
    rating: Option<i64>,
    rating_comment: String,
    #[sqlx(rename = "m_version")]
    version: i64,
}
pub(crate) const MEETING_COLS: &str = "m.id AS m_id, m.series_id, m.occurrence, m.starts_at, m.duration_minutes, m.status, m.status_reason, \
                                       m.status_by, m.moved_from_at, m.moved_by, m.rating, m.rating_comment, m.version AS m_version";

pub(crate) fn meeting(r: MeetingRow) -> Result<Meeting> {
    Ok(Meeting {
        id: r.id,
        series_id: r.series_id,
        occurrence: r.occurrence,
        starts_at: r.starts_at,
        duration_minutes: r.duration_minutes as u32,
        status: MeetingStatus::parse(&r.status).ok_or_else(|| corrupt("meeting status", &r.status))?,
        status_reason: r.status_reason,
        status_by: r.status_by.map(PersonId),
        moved_from_at: r.moved_from_at,
        moved_by: r.moved_by.map(PersonId),
        rating: r.rating,
        rating_comment: r.rating_comment,
        version: r.version,
    })
}

/// A meeting read with its series: `SELECT {MEETING_COLS}, {SERIES_COLS} … JOIN series s`.
#[derive(sqlx::FromRow)]
pub(crate) struct MeetingWithSeries {
    #[sqlx(flatten)]
    meeting: MeetingRow,
    #[sqlx(flatten)]
    series: SeriesRow,
}

pub(crate) fn meeting_with_series(r: MeetingWithSeries) -> Result<(Meeting, Series)> {
    Ok((meeting(r.meeting)?, series(r.series)?))
}

/// Creates the meeting for an occurrence unless it exists. Returns whether it was created.
pub async fn insert_meeting_if_absent(tx: &mut Tx, m: &Meeting, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "INSERT INTO meeting (id, series_id, occurrence, starts_at, duration_minutes, status, status_reason, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, '', $7, $7, 1) ON CONFLICT (series_id, occurrence) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(m.id).bind(m.series_id).bind(m.occurrence).bind(m.starts_at)
        .bind(m.duration_minutes as i64).bind(m.status.as_str()).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const MAX_OCCURRENCE: &str = "SELECT MAX(occurrence) FROM meeting WHERE series_id = $1";

pub async fn max_occurrence(tx: &mut Tx, series: Uuid) -> Result<Option<i64>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(MAX_OCCURRENCE).bind(series).fetch_one(c).await)?)
}

/// [`max_occurrence`] read outside any transaction, to decide whether one is needed.
pub async fn last_occurrence(db: &Db, series: Uuid) -> Result<Option<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(MAX_OCCURRENCE).bind(series).fetch_one(p).await)?)
}

/// The last occurrence of each active series `person` is part of, in one statement (a series
/// with no meeting yet is absent).
pub async fn last_occurrences(db: &Db, person: PersonId) -> Result<std::collections::HashMap<Uuid, i64>> {
    const Q: &str = "SELECT m.series_id, MAX(m.occurrence) FROM meeting m JOIN series s ON s.id = m.series_id \
                     WHERE (s.manager_id = $1 OR s.teammate_id = $1) AND s.status = 'active' GROUP BY m.series_id";
    let rows: Vec<(Uuid, i64)> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    Ok(rows.into_iter().collect())
}

pub async fn get_meeting(db: &Db, id: Uuid) -> Result<Option<Meeting>> {
    let q = format!("SELECT {MEETING_COLS} FROM meeting m WHERE m.id = $1");
    let row: Option<MeetingRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(p).await)?;
    row.map(meeting).transpose()
}

/// A meeting and its series, in one statement.
pub async fn get_meeting_with_series(db: &Db, id: Uuid) -> Result<Option<(Meeting, Series)>> {
    let q = format!("SELECT {MEETING_COLS}, {SERIES_COLS} FROM meeting m JOIN series s ON s.id = m.series_id WHERE m.id = $1");
    let row: Option<MeetingWithSeries> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(p).await)?;
    row.map(meeting_with_series).transpose()
}

/// A meeting, its series and the series' revision (see [`series_rev`]), in one statement.
pub async fn get_meeting_with_series_rev(db: &Db, id: Uuid) -> Result<Option<(Meeting, Series, i64)>> {
    let q = format!("SELECT {MEETING_COLS}, {SERIES_COLS}, s.rev FROM meeting m JOIN series s ON s.id = m.series_id WHERE m.id = $1");
    #[derive(sqlx::FromRow)]
    struct WithRev {
        #[sqlx(flatten)]
        both: MeetingWithSeries,
        rev: i64,
    }
    let row: Option<WithRev> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(p).await)?;
    row.map(|r| meeting_with_series(r.both).map(|(m, s)| (m, s, r.rev))).transpose()
}

/// A page of a series' past: meetings that started before `before`, newest first. Uses the
/// (series_id, starts_at) index, so the thousandth page costs what the first does.
pub async fn history(db: &Db, series: Uuid, before: DateTime<Utc>, limit: i64) -> Result<Vec<Meeting>> {
    let q = format!("SELECT {MEETING_COLS} FROM meeting m WHERE m.series_id = $1 AND m.starts_at < $2 ORDER BY m.starts_at DESC LIMIT $3");
    let rows: Vec<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(before).bind(limit).fetch_all(p).await)?;
    rows.into_iter().map(meeting).collect()
}

/// Meetings starting at or after `from`, soonest first.
pub async fn upcoming(db: &Db, series: Uuid, from: DateTime<Utc>, limit: i64) -> Result<Vec<Meeting>> {
    let q = format!("SELECT {MEETING_COLS} FROM meeting m WHERE m.series_id = $1 AND m.starts_at >= $2 ORDER BY m.starts_at LIMIT $3");
    let rows: Vec<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(from).bind(limit).fetch_all(p).await)?;
    rows.into_iter().map(meeting).collect()
}

/// The latest ratings of a series' meetings, newest first (walks the series' meetings by
/// the (series_id, starts_at) index from the newest).
pub async fn recent_ratings(db: &Db, series: Uuid, limit: i64) -> Result<Vec<(DateTime<Utc>, i64)>> {
    const Q: &str = "SELECT starts_at, rating FROM meeting WHERE series_id = $1 AND rating IS NOT NULL ORDER BY starts_at DESC LIMIT $2";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(series).bind(limit).fetch_all(p).await)?)
}

/// The meeting before this one that took place or was due to (not cancelled).
pub async fn previous(db: &Db, series: Uuid, before: DateTime<Utc>) -> Result<Option<Meeting>> {
    let q = format!(
        "SELECT {MEETING_COLS} FROM meeting m WHERE m.series_id = $1 AND m.starts_at < $2 AND m.status <> 'cancelled' ORDER BY m.starts_at DESC LIMIT 1"
    );
    let row: Option<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(before).fetch_optional(p).await)?;
    row.map(meeting).transpose()
}

/// Over means starts_at + duration <= now; durations are at most a few hours, so the query
/// filters on a safe bound and [`first_open`] exactly.
fn next_open_sql() -> String {
    format!(
        "SELECT {MEETING_COLS} FROM meeting m WHERE m.series_id = $1 AND m.starts_at > $2 AND m.status = 'scheduled' AND m.starts_at > $3 \
         ORDER BY m.starts_at LIMIT 8"
    )
}

fn first_open(rows: Vec<MeetingRow>, now: DateTime<Utc>) -> Result<Option<Meeting>> {
    for r in rows {
        let m = meeting(r)?;
        if !m.is_over(now) {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

/// The first meeting after `after` that is still to come: scheduled, and not over at `now`.
pub async fn next_open_after(tx: &mut Tx, series: Uuid, after: DateTime<Utc>, now: DateTime<Utc>) -> Result<Option<Meeting>> {
    let bound = now - chrono::Duration::hours(24);
    let rows: Vec<MeetingRow> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(next_open_sql())).bind(series).bind(after).bind(bound).fetch_all(c).await)?;
    first_open(rows, now)
}

/// Sets a meeting's status and reason, and who set it (`by`, kept for one's practice page).
#[allow(clippy::too_many_arguments)]
pub async fn set_meeting_status(
    tx: &mut Tx,
    id: Uuid,
    expected_version: i64,
    status: MeetingStatus,
    reason: &str,
    by: PersonId,
    now: DateTime<Utc>,
) -> Result<bool> {
    const Q: &str = "UPDATE meeting SET status = $3, status_reason = $4, status_by = $6, updated_at = $5, version = version + 1 \
                     WHERE id = $1 AND version = $2";
    Ok(on_tx!(tx, c => sqlx::query(Q)
        .bind(id)
        .bind(expected_version)
        .bind(status.as_str())
        .bind(reason)
        .bind(now)
        .bind(by.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
        == 1)
}

/// Moves a meeting, keeping where it first was and who moved it last (`by`).
#[allow(clippy::too_many_arguments)]
pub async fn move_meeting(
    tx: &mut Tx,
    id: Uuid,
    expected_version: i64,
    starts_at: DateTime<Utc>,
    reason: &str,
    by: PersonId,
    now: DateTime<Utc>,
) -> Result<bool> {
    const Q: &str = "UPDATE meeting SET moved_from_at = COALESCE(moved_from_at, starts_at), starts_at = $3, status_reason = $4, \
                     moved_by = $6, updated_at = $5, version = version + 1 WHERE id = $1 AND version = $2";
    Ok(on_tx!(tx, c => sqlx::query(Q)
        .bind(id)
        .bind(expected_version)
        .bind(starts_at)
        .bind(reason)
        .bind(now)
        .bind(by.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
        == 1)
}

pub async fn rate_meeting(tx: &mut Tx, id: Uuid, rating: i64, comment: &str, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str =
        "UPDATE meeting SET rating = $2, rating_comment = $3, rated_at = $4, updated_at = $4, version = version + 1 WHERE id = $1";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(id).bind(rating).bind(comment).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}

/// `person`'s next meetings across all their series, soonest first.
pub async fn upcoming_for_person(db: &Db, person: PersonId, from: DateTime<Utc>, limit: i64) -> Result<Vec<(Meeting, Series)>> {
    let q = format!(
        "SELECT {MEETING_COLS}, {SERIES_COLS} FROM meeting m JOIN series s ON s.id = m.series_id \
         WHERE (s.manager_id = $1 OR s.teammate_id = $1) AND s.status = 'active' AND m.status = 'scheduled' AND m.starts_at >= $2 \
         ORDER BY m.starts_at LIMIT $3"
    );
    let rows: Vec<MeetingWithSeries> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(person.0).bind(from).bind(limit).fetch_all(p).await)?;
    rows.into_iter().map(meeting_with_series).collect()
}

// ---- talking points ----

/// A talking point as stored; read with [`POINT_COLS`].
#[derive(sqlx::FromRow)]
pub(crate) struct PointRow {
    id: Uuid,
    meeting_id: Uuid,
    origin_id: Uuid,
    carried_from: Option<Uuid>,
    author_id: Uuid,
    body: String,
    position: i64,
    discussed: bool,
    recurring: bool,
    version: i64,
    note: String,
}
pub(crate) const POINT_COLS: &str =
    "p.id, p.meeting_id, p.origin_id, p.carried_from, p.author_id, p.body, p.position, p.discussed, p.recurring, p.version, p.note";

pub(crate) fn point(r: PointRow) -> TalkingPoint {
    TalkingPoint {
        id: r.id,
        meeting_id: r.meeting_id,
        origin_id: r.origin_id,
        carried_from: r.carried_from,
        author_id: PersonId(r.author_id),
        body: r.body,
        position: r.position,
        discussed: r.discussed,
        recurring: r.recurring,
        version: r.version,
        note: r.note,
    }
}

pub async fn points_of_meeting(db: &Db, meeting: Uuid) -> Result<Vec<TalkingPoint>> {
    let q = format!("SELECT {POINT_COLS} FROM talking_point p WHERE p.meeting_id = $1 ORDER BY p.position, p.id");
    let rows: Vec<PointRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(meeting).fetch_all(p).await)?;
    Ok(rows.into_iter().map(point).collect())
}

pub async fn get_point(db: &Db, id: Uuid) -> Result<Option<TalkingPoint>> {
    let q = format!("SELECT {POINT_COLS} FROM talking_point p WHERE p.id = $1");
    let row: Option<PointRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(p).await)?;
    Ok(row.map(point))
}

pub async fn next_position(tx: &mut Tx, meeting: Uuid) -> Result<i64> {
    let max: Option<i64> = on_tx!(tx, c => sqlx::query_scalar("SELECT MAX(position) FROM talking_point WHERE meeting_id = $1").bind(meeting).fetch_one(c).await)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Inserts a point; a copy of an origin already in that meeting is skipped (returns false).
pub async fn insert_point(tx: &mut Tx, p: &TalkingPoint, series: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "INSERT INTO talking_point (id, meeting_id, series_id, origin_id, carried_from, author_id, body, position, discussed, recurring, carried_on, created_at, updated_at, version, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, FALSE, $11, $11, 1, $12) ON CONFLICT (meeting_id, origin_id) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(p.id).bind(p.meeting_id).bind(series).bind(p.origin_id).bind(p.carried_from)
        .bind(p.author_id.0).bind(&p.body).bind(p.position).bind(p.discussed).bind(p.recurring).bind(now).bind(&p.note)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Saves a point's editable fields if it is still at `expected_version`.
pub async fn update_point(tx: &mut Tx, p: &TalkingPoint, expected_version: i64, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE talking_point SET body = $3, position = $4, discussed = $5, recurring = $6, updated_at = $7, note = $8, version = version + 1 \
                     WHERE id = $1 AND version = $2";
    Ok(
        on_tx!(tx, c => sqlx::query(Q).bind(p.id).bind(expected_version).bind(&p.body).bind(p.position).bind(p.discussed).bind(p.recurring).bind(now).bind(&p.note)
        .execute(c).await.map(|r| r.rows_affected()))?
            == 1,
    )
}

pub async fn delete_point(tx: &mut Tx, id: Uuid, expected_version: i64) -> Result<bool> {
    Ok(
        on_tx!(tx, c => sqlx::query("DELETE FROM talking_point WHERE id = $1 AND version = $2").bind(id).bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?
            == 1,
    )
}

/// Points of a series that should move on and have not yet: not discussed (or recurring),
/// in a meeting that is over. With the start of the meeting they are in, oldest first.
pub async fn pending_carries(tx: &mut Tx, series: Uuid, now: DateTime<Utc>) -> Result<Vec<(TalkingPoint, Meeting)>> {
    let q = format!(
        "SELECT {POINT_COLS}, {MEETING_COLS} FROM talking_point p JOIN meeting m ON m.id = p.meeting_id \
         WHERE p.series_id = $1 AND NOT p.carried_on AND (NOT p.discussed OR p.recurring) AND (m.status <> 'scheduled' OR m.starts_at <= $2) \
         ORDER BY m.starts_at, p.position"
    );
    /// A point with the meeting it is in (the meeting's `id` and `version` are aliased).
    #[derive(sqlx::FromRow)]
    struct PointInMeeting {
        #[sqlx(flatten)]
        point: PointRow,
        #[sqlx(flatten)]
        meeting: MeetingRow,
    }
    let rows: Vec<PointInMeeting> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(now).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| Ok((point(r.point), meeting(r.meeting)?)))
        .filter(|r| r.as_ref().map(|(_, m)| m.is_over(now)).unwrap_or(true))
        .collect()
}

/// Read-only: does the series have points waiting to move on, or fewer than `ready` meetings
/// ahead? Lets a page view skip the write transaction when nothing is due (the usual case).
/// Whether a carry-over would move anything, read without a transaction: a point that should
/// move on (not discussed, or recurring) sits in a meeting that began by `over_before` or did
/// not take place, and a meeting still to come at `now` follows the earliest such meeting
/// (every point with somewhere to go has that meeting, or an earlier one, to go to).
pub async fn points_to_carry(db: &Db, series: Uuid, over_before: DateTime<Utc>, now: DateTime<Utc>) -> Result<bool> {
    const EARLIEST: &str = "SELECT m.starts_at FROM talking_point p JOIN meeting m ON m.id = p.meeting_id \
                            WHERE p.series_id = $1 AND NOT p.carried_on AND (NOT p.discussed OR p.recurring) \
                            AND (m.status <> 'scheduled' OR m.starts_at <= $2) ORDER BY m.starts_at LIMIT 1";
    let earliest: Option<DateTime<Utc>> =
        on_db!(db, p => sqlx::query_scalar(EARLIEST).bind(series).bind(over_before).fetch_optional(p).await)?;
    let Some(earliest) = earliest else { return Ok(false) };
    let bound = now - chrono::Duration::hours(24);
    let rows: Vec<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(next_open_sql())).bind(series).bind(earliest).bind(bound).fetch_all(p).await)?;
    Ok(first_open(rows, now)?.is_some())
}

pub async fn mark_carried(tx: &mut Tx, point: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE talking_point SET carried_on = TRUE WHERE id = $1").bind(point).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- notes ----

type NoteRow = (Uuid, Uuid, bool, Uuid, String, Uuid, DateTime<Utc>, i64);
const NOTE_COLS: &str = "n.id, n.meeting_id, n.private, n.author_id, n.body, n.updated_by, n.updated_at, n.version";

fn note(r: NoteRow) -> Note {
    let (id, meeting_id, private, author, body, updated_by, updated_at, version) = r;
    Note { id, meeting_id, private, author_id: PersonId(author), body, updated_by: PersonId(updated_by), updated_at, version }
}

/// The shared note of a meeting (`private_of: None`), or one person's private note on it.
/// A meeting's shared note and `reader`'s own private note, in one statement.
pub async fn notes_for(db: &Db, meeting: Uuid, reader: PersonId) -> Result<(Option<Note>, Option<Note>)> {
    // Two parts, each fitting one of the partial indexes on notes: as one `NOT private OR
    // author_id = $2` it fitted neither and read every note there is.
    let q = format!(
        "SELECT {NOTE_COLS} FROM note n WHERE n.meeting_id = $1 AND NOT n.private \
         UNION ALL SELECT {NOTE_COLS} FROM note n WHERE n.meeting_id = $1 AND n.private AND n.author_id = $2"
    );
    let rows: Vec<NoteRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(meeting).bind(reader.0).fetch_all(p).await)?;
    let (mut shared, mut private) = (None, None);
    for n in rows.into_iter().map(note) {
        if n.private { private = Some(n) } else { shared = Some(n) }
    }
    Ok((shared, private))
}

pub async fn get_note(db: &Db, meeting: Uuid, private_of: Option<PersonId>) -> Result<Option<Note>> {
    let row: Option<NoteRow> = match private_of {
        None => {
            let q = format!("SELECT {NOTE_COLS} FROM note n WHERE n.meeting_id = $1 AND NOT n.private");
            on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(meeting).fetch_optional(p).await)?
        }
        Some(author) => {
            let q = format!("SELECT {NOTE_COLS} FROM note n WHERE n.meeting_id = $1 AND n.private AND n.author_id = $2");
            on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(meeting).bind(author.0).fetch_optional(p).await)?
        }
    };
    Ok(row.map(note))
}

/// The shared notes (with words in them) of a series' meetings before `before`, cancelled
/// ones left out, newest first, at most `limit`, each with when its meeting began: the
/// meeting page's "last time" and the notes before it, in one statement.
pub async fn shared_notes_before(db: &Db, series: Uuid, before: DateTime<Utc>, limit: i64) -> Result<Vec<(Note, DateTime<Utc>)>> {
    type Dated = (Uuid, Uuid, bool, Uuid, String, Uuid, DateTime<Utc>, i64, DateTime<Utc>);
    let q = format!("SELECT {NOTE_COLS}, m.starts_at {NOTED_BEFORE} LIMIT $3");
    let rows: Vec<Dated> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(before).bind(limit).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, m, private, author, body, by, at, version, starts)| (note((id, m, private, author, body, by, at, version)), starts))
        .collect())
}

/// The meetings [`shared_notes_before`] reads, newest first (`$1` the series, `$2` before when).
const NOTED_BEFORE: &str = "FROM meeting m JOIN note n ON n.meeting_id = m.id AND NOT n.private \
     WHERE m.series_id = $1 AND m.starts_at < $2 AND m.status <> 'cancelled' AND n.body <> '' ORDER BY m.starts_at DESC";

/// The action items agreed in the meetings whose notes [`shared_notes_before`] reads with the
/// same arguments, oldest first, in one statement whatever the number of meetings.
pub async fn actions_of_noted_before(db: &Db, series: Uuid, before: DateTime<Utc>, limit: i64) -> Result<Vec<ActionItem>> {
    let q = format!(
        "SELECT {ACTION_COLS} FROM action_item a WHERE a.series_id = $1 AND a.meeting_id IN (SELECT m.id {NOTED_BEFORE} LIMIT $3) \
         ORDER BY a.created_at"
    );
    let rows: Vec<ActionRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(before).bind(limit).fetch_all(p).await)?;
    rows.into_iter().map(action).collect()
}

pub async fn note_revision(db: &Db, note: Uuid, version: i64) -> Result<Option<String>> {
    Ok(
        on_db!(db, p => sqlx::query_scalar("SELECT body FROM note_revision WHERE note_id = $1 AND version = $2").bind(note).bind(version).fetch_optional(p).await)?,
    )
}

/// Creates a note at version 1. False when it already exists (someone created it first).
pub async fn insert_note(tx: &mut Tx, n: &Note, now: DateTime<Utc>) -> Result<bool> {
    let q = if n.private {
        "INSERT INTO note (id, meeting_id, private, author_id, body, updated_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) \
         ON CONFLICT (meeting_id, author_id) WHERE private DO NOTHING"
    } else {
        "INSERT INTO note (id, meeting_id, private, author_id, body, updated_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) \
         ON CONFLICT (meeting_id) WHERE NOT private DO NOTHING"
    };
    let n_rows = on_tx!(tx, c => sqlx::query(q).bind(n.id).bind(n.meeting_id).bind(n.private).bind(n.author_id.0).bind(&n.body).bind(n.updated_by.0).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n_rows == 1 {
        insert_revision(tx, n.id, 1, &n.body, n.updated_by, now).await?;
    }
    Ok(n_rows == 1)
}

/// Saves a note's new text if it is still at `expected_version`, keeping the revision.
pub async fn update_note(tx: &mut Tx, id: Uuid, expected_version: i64, body: &str, by: PersonId, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE note SET body = $3, updated_by = $4, updated_at = $5, version = version + 1 WHERE id = $1 AND version = $2";
    let ok = on_tx!(tx, c => sqlx::query(Q).bind(id).bind(expected_version).bind(body).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?
        == 1;
    if ok {
        insert_revision(tx, id, expected_version + 1, body, by, now).await?;
    }
    Ok(ok)
}

async fn insert_revision(tx: &mut Tx, note: Uuid, version: i64, body: &str, by: PersonId, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO note_revision (note_id, version, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, c => sqlx::query(Q).bind(note).bind(version).bind(body).bind(by.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- action items ----

/// An action item as stored; read with [`ACTION_COLS`].
#[derive(sqlx::FromRow)]
pub(crate) struct ActionRow {
    id: Uuid,
    series_id: Uuid,
    meeting_id: Uuid,
    owner_id: Uuid,
    created_by: Uuid,
    body: String,
    kind: String,
    due_date: Option<NaiveDate>,
    done_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    version: i64,
}
pub(crate) const ACTION_COLS: &str =
    "a.id, a.series_id, a.meeting_id, a.owner_id, a.created_by, a.body, a.kind, a.due_date, a.done_at, a.created_at, a.version";

pub(crate) fn action(r: ActionRow) -> Result<ActionItem> {
    Ok(ActionItem {
        id: r.id,
        series_id: r.series_id,
        meeting_id: r.meeting_id,
        owner_id: PersonId(r.owner_id),
        created_by: PersonId(r.created_by),
        kind: ActionKind::parse(&r.kind).ok_or_else(|| corrupt("action kind", &r.kind))?,
        body: r.body,
        due_date: r.due_date,
        done_at: r.done_at,
        created_at: r.created_at,
        version: r.version,
    })
}

/// What a meeting shows: every item still open from this meeting or before, plus those
/// closed since `since` (the previous meeting) or created in this meeting.
pub async fn actions_for_meeting(
    db: &Db,
    series: Uuid,
    meeting: Uuid,
    until: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<Vec<ActionItem>> {
    let q = format!(
        "SELECT {ACTION_COLS} FROM action_item a JOIN meeting m ON m.id = a.meeting_id \
         WHERE a.series_id = $1 AND (a.meeting_id = $2 OR (m.starts_at <= $3 AND (a.done_at IS NULL OR a.done_at >= $4))) \
         ORDER BY a.done_at IS NOT NULL, a.due_date IS NULL, a.due_date, a.created_at"
    );
    let rows: Vec<ActionRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(meeting).bind(until).bind(since).fetch_all(p).await)?;
    rows.into_iter().map(action).collect()
}

pub async fn get_action(db: &Db, id: Uuid) -> Result<Option<ActionItem>> {
    let q = format!("SELECT {ACTION_COLS} FROM action_item a WHERE a.id = $1");
    let row: Option<ActionRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(p).await)?;
    row.map(action).transpose()
}

pub async fn insert_action(tx: &mut Tx, a: &ActionItem, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO action_item (id, series_id, meeting_id, owner_id, created_by, body, kind, due_date, done_at, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)";
    on_tx!(tx, c => sqlx::query(Q).bind(a.id).bind(a.series_id).bind(a.meeting_id).bind(a.owner_id.0).bind(a.created_by.0).bind(&a.body)
        .bind(a.kind.as_str()).bind(a.due_date).bind(a.done_at).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update_action(tx: &mut Tx, a: &ActionItem, expected_version: i64, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE action_item SET body = $3, owner_id = $4, due_date = $5, done_at = $6, kind = $7, updated_at = $8, version = version + 1 \
                     WHERE id = $1 AND version = $2";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(a.id).bind(expected_version).bind(&a.body).bind(a.owner_id.0).bind(a.due_date).bind(a.done_at)
        .bind(a.kind.as_str()).bind(now).execute(c).await.map(|r| r.rows_affected()))?
        == 1)
}

/// Everything `owner` still has to do, across all their 1:1s; optionally only "how can I
/// help?" items. Soonest due first.
pub async fn open_actions_of(db: &Db, owner: PersonId, only: Option<ActionKind>) -> Result<Vec<ActionItem>> {
    let q = format!(
        "SELECT {ACTION_COLS} FROM action_item a WHERE a.owner_id = $1 AND a.done_at IS NULL AND ($2 IS NULL OR a.kind = $2) \
         ORDER BY a.due_date IS NULL, a.due_date, a.created_at"
    );
    let rows: Vec<ActionRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(owner.0).bind(only.map(|k| k.as_str())).fetch_all(p).await)?;
    rows.into_iter().map(action).collect()
}

/// The PostgreSQL channel that carries "a meeting changed" between instances.
const MEETING_CHANNEL: &str = "rapport_meeting";

/// PostgreSQL: tells every instance that a meeting changed, when (and only if) the
/// transaction commits. SQLite has one instance; the app publishes in process instead.
pub async fn notify_meeting_changed(tx: &mut Tx, payload: &str) -> Result<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_notify($1, $2)").bind(MEETING_CHANNEL).bind(payload).execute(&mut **t).await?;
    }
    Ok(())
}

/// PostgreSQL: hands `deliver` the payload of every [`notify_meeting_changed`] from any
/// instance, for as long as the task runs; reconnects after a dropped connection. Returns at
/// once on SQLite, where there is nothing to listen to.
pub async fn listen_for_meeting_changes(db: &Db, deliver: impl Fn(&str)) {
    let Db::Postgres(pool) = db else { return };
    loop {
        match sqlx::postgres::PgListener::connect_with(pool).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(MEETING_CHANNEL).await {
                    tracing::warn!(error = %e, "cannot LISTEN for meeting changes");
                } else {
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) => deliver(n.payload()),
                            Ok(None) => {
                                tracing::warn!("notification connection lost; reconnecting");
                                continue;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "notification listener failed");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot connect the notification listener"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
