//! The kickoff note of each series, and each person's focus hours.

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::kickoff::FocusHours;
use chrono::{DateTime, NaiveTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KickoffRow {
    pub series_id: Uuid,
    pub subject: String,
    pub body: String,
    pub sent_subject: Option<String>,
    pub sent_body: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub updated_by: PersonId,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl KickoffRow {
    /// A draft nobody has sent, read or skipped yet.
    pub fn draft(series_id: Uuid, subject: String, body: String, by: PersonId, at: DateTime<Utc>, version: i64) -> KickoffRow {
        KickoffRow {
            series_id,
            subject,
            body,
            sent_subject: None,
            sent_body: None,
            sent_at: None,
            skipped_at: None,
            read_at: None,
            updated_by: by,
            updated_at: at,
            version,
        }
    }
}

type Row = (
    Uuid,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Uuid,
    DateTime<Utc>,
    i64,
);

macro_rules! select {
    ($where:literal) => {
        concat!("SELECT series_id, subject, body, sent_subject, sent_body, sent_at, skipped_at, read_at, updated_by, updated_at, version FROM kickoff WHERE ", $where)
    };
}

fn row(r: Row) -> KickoffRow {
    KickoffRow {
        series_id: r.0,
        subject: r.1,
        body: r.2,
        sent_subject: r.3,
        sent_body: r.4,
        sent_at: r.5,
        skipped_at: r.6,
        read_at: r.7,
        updated_by: PersonId(r.8),
        updated_at: r.9,
        version: r.10,
    }
}

pub async fn get(db: &Db, series: Uuid) -> Result<Option<KickoffRow>> {
    const Q: &str = select!("series_id = $1");
    let r: Option<Row> = on_db!(db, p => sqlx::query_as(Q).bind(series).fetch_optional(p).await)?;
    Ok(r.map(row))
}

/// The notes sent in any of `series`, newest first.
pub async fn sent_in(db: &Db, series: &[Uuid]) -> Result<Vec<KickoffRow>> {
    let mut out = vec![];
    for s in series {
        const Q: &str = select!("series_id = $1 AND sent_at IS NOT NULL");
        let r: Option<Row> = on_db!(db, p => sqlx::query_as(Q).bind(*s).fetch_optional(p).await)?;
        out.extend(r.map(row));
    }
    out.sort_by_key(|k| std::cmp::Reverse(k.sent_at));
    Ok(out)
}

/// Saves a draft (or sends it, when `sent_*` are set). `expected_version` 0 means "there is
/// none yet". False when someone else saved in between (or it was sent already).
pub async fn save(tx: &mut Tx, k: &KickoffRow, expected_version: i64) -> Result<bool> {
    let n = if expected_version == 0 {
        const Q: &str = "INSERT INTO kickoff (series_id, subject, body, sent_subject, sent_body, sent_at, skipped_at, read_at, updated_by, updated_at, version) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, 1) ON CONFLICT (series_id) DO NOTHING";
        on_tx!(tx, c => sqlx::query(Q).bind(k.series_id).bind(&k.subject).bind(&k.body).bind(&k.sent_subject).bind(&k.sent_body).bind(k.sent_at).bind(k.skipped_at).bind(k.updated_by.0).bind(k.updated_at).execute(c).await.map(|r| r.rows_affected()))?
    } else {
        const Q: &str = "UPDATE kickoff SET subject = $2, body = $3, sent_subject = $4, sent_body = $5, sent_at = $6, skipped_at = $7, \
                         updated_by = $8, updated_at = $9, version = version + 1 \
                         WHERE series_id = $1 AND version = $10 AND sent_at IS NULL";
        on_tx!(tx, c => sqlx::query(Q).bind(k.series_id).bind(&k.subject).bind(&k.body).bind(&k.sent_subject).bind(&k.sent_body).bind(k.sent_at).bind(k.skipped_at).bind(k.updated_by.0).bind(k.updated_at).bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?
    };
    Ok(n == 1)
}

/// The teammate opened the note (the first time counts).
pub async fn mark_read(tx: &mut Tx, series: Uuid, at: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE kickoff SET read_at = $2 WHERE series_id = $1 AND sent_at IS NOT NULL AND read_at IS NULL";
    on_tx!(tx, c => sqlx::query(Q).bind(series).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- focus hours ----

pub async fn focus_hours(db: &Db, person: PersonId) -> Result<Option<FocusHours>> {
    const Q: &str = "SELECT days, start_time, end_time FROM focus_hours WHERE person_id = $1";
    let r: Option<(String, String, String)> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_optional(p).await)?;
    r.map(|(days, s, e)| {
        let t =
            |v: &str| NaiveTime::parse_from_str(v, "%H:%M").map_err(|_| StoreError::Corrupt(format!("focus hours of {}: {v}", person.0)));
        Ok(FocusHours { days: FocusHours::parse_days(&days), start: t(&s)?, end: t(&e)? })
    })
    .transpose()
}

pub async fn set_focus_hours(tx: &mut Tx, person: PersonId, f: Option<&FocusHours>, now: DateTime<Utc>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM focus_hours WHERE person_id = $1").bind(person.0).execute(c).await.map(|r| r.rows_affected()))?;
    if let Some(f) = f {
        const Q: &str = "INSERT INTO focus_hours (person_id, days, start_time, end_time, updated_at) VALUES ($1, $2, $3, $4, $5)";
        let (s, e) = (f.start.format("%H:%M").to_string(), f.end.format("%H:%M").to_string());
        on_tx!(tx, c => sqlx::query(Q).bind(person.0).bind(f.days_string()).bind(s).bind(e).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
