//! The pulse's SQL: one row a pulse (a meeting), one a question answered.

use super::{Db, Result, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::pulse::Pulse;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Writes the teammate's pulse for a meeting, over any earlier answer to it.
pub async fn save(
    tx: &mut Tx,
    meeting: Uuid,
    series: Uuid,
    teammate: PersonId,
    answers: &[(String, i64)],
    comment: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    const PULSE: &str = "INSERT INTO pulse (meeting_id, series_id, teammate_id, comment, answered_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
                         ON CONFLICT (meeting_id) DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at";
    const CLEAR: &str = "DELETE FROM pulse_answer WHERE meeting_id = $1";
    on_tx!(tx, c => sqlx::query(PULSE).bind(meeting).bind(series).bind(teammate.0).bind(comment).bind(now).execute(&mut *c).await.map(|_| ()))?;
    on_tx!(tx, c => sqlx::query(CLEAR).bind(meeting).execute(&mut *c).await.map(|_| ()))?;
    let marks: Vec<String> = (0..answers.len()).map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3)).collect();
    let q = format!("INSERT INTO pulse_answer (meeting_id, question, value) VALUES {}", marks.join(", "));
    on_tx!(tx, c => {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(q.clone())).bind(meeting);
        for (key, value) in answers {
            query = query.bind(key.clone()).bind(*value);
        }
        query.execute(&mut *c).await.map(|_| ())
    })?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    meeting_id: Uuid,
    starts_at: DateTime<Utc>,
    answered_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    comment: String,
    question: String,
    value: i64,
}

fn gather(rows: Vec<Row>) -> Vec<Pulse> {
    let mut out: Vec<Pulse> = vec![];
    for r in rows {
        match out.last_mut() {
            Some(p) if p.meeting_id == r.meeting_id => {
                p.answers.insert(r.question, r.value);
            }
            _ => out.push(Pulse {
                meeting_id: r.meeting_id,
                meeting_starts_at: r.starts_at,
                answered_at: r.answered_at.max(r.updated_at),
                answers: BTreeMap::from([(r.question, r.value)]),
                comment: r.comment,
            }),
        }
    }
    out
}

const COLS: &str = "p.meeting_id, m.starts_at, p.answered_at, p.updated_at, p.comment, a.question, a.value";

/// A series' latest pulses given for meetings that begin before `before` (any, without it),
/// oldest first (the order trends and suggestions read them in).
pub async fn of_series(db: &Db, series: Uuid, before: Option<DateTime<Utc>>, limit: i64) -> Result<Vec<Pulse>> {
    // A moment after every meeting (SQLite compares its text, so not chrono's largest, which
    // is written with a sign and six digits of year).
    let before = before.unwrap_or_else(|| DateTime::parse_from_rfc3339("9999-12-31T00:00:00Z").expect("a date").to_utc());
    let q = format!(
        "SELECT {COLS} FROM pulse p JOIN meeting m ON m.id = p.meeting_id JOIN pulse_answer a ON a.meeting_id = p.meeting_id \
         WHERE p.meeting_id IN (SELECT p2.meeting_id FROM pulse p2 JOIN meeting m2 ON m2.id = p2.meeting_id \
             WHERE p2.series_id = $1 AND m2.starts_at < $2 ORDER BY m2.starts_at DESC LIMIT $3) \
         ORDER BY m.starts_at, p.meeting_id, a.question"
    );
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(before).bind(limit).fetch_all(p).await)?;
    Ok(gather(rows))
}

/// The pulse given for one meeting, if any.
pub async fn of_meeting(db: &Db, meeting: Uuid) -> Result<Option<Pulse>> {
    let q = format!(
        "SELECT {COLS} FROM pulse p JOIN meeting m ON m.id = p.meeting_id JOIN pulse_answer a ON a.meeting_id = p.meeting_id \
         WHERE p.meeting_id = $1 ORDER BY a.question"
    );
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(meeting).fetch_all(p).await)?;
    Ok(gather(rows).pop())
}

/// Of the meetings a person is the teammate in that begin after `from`, those they gave a pulse
/// for.
pub async fn answered_since(db: &Db, teammate: PersonId, from: DateTime<Utc>) -> Result<Vec<Uuid>> {
    const Q: &str = "SELECT p.meeting_id FROM pulse p JOIN meeting m ON m.id = p.meeting_id WHERE p.teammate_id = $1 AND m.starts_at >= $2";
    let rows: Vec<(Uuid,)> = on_db!(db, p => sqlx::query_as(Q).bind(teammate.0).bind(from).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The latest pulses of every series a manager leads (at most `per_series` each, for meetings
/// that began before `before`), as (series, pulse), oldest first within a series: what the
/// home's suggestions read for all pairs at once.
pub async fn of_series_led(db: &Db, manager: PersonId, before: DateTime<Utc>, per_series: i64) -> Result<Vec<(Uuid, Pulse)>> {
    #[derive(sqlx::FromRow)]
    struct Led {
        series_id: Uuid,
        #[sqlx(flatten)]
        row: Row,
    }
    let q = format!(
        "SELECT p.series_id, {COLS} FROM (SELECT p2.meeting_id, ROW_NUMBER() OVER (PARTITION BY p2.series_id ORDER BY m2.starts_at DESC) AS n \
             FROM pulse p2 JOIN series s ON s.id = p2.series_id JOIN meeting m2 ON m2.id = p2.meeting_id \
             WHERE s.manager_id = $1 AND s.status = 'active' AND m2.starts_at < $2) latest \
         JOIN pulse p ON p.meeting_id = latest.meeting_id JOIN meeting m ON m.id = p.meeting_id JOIN pulse_answer a ON a.meeting_id = p.meeting_id \
         WHERE latest.n <= $3 ORDER BY p.series_id, m.starts_at, p.meeting_id, a.question"
    );
    let rows: Vec<Led> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(manager.0).bind(before).bind(per_series).fetch_all(p).await)?;
    let mut out: Vec<(Uuid, Vec<Row>)> = vec![];
    for r in rows {
        match out.last_mut() {
            Some((s, rows)) if *s == r.series_id => rows.push(r.row),
            _ => out.push((r.series_id, vec![r.row])),
        }
    }
    Ok(out.into_iter().flat_map(|(s, rows)| gather(rows).into_iter().map(move |p| (s, p))).collect())
}
