//! A manager's about pages and blameless setback records.

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::about::{AboutPage, ImportantDate, TimeOff};
use crate::domain::setback::{Context, Setback};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

type AboutRow = (Uuid, Uuid, String, String, String, String, i64, DateTime<Utc>);

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("about_page JSON: {e}"))
}

/// The page `author` wrote about `person`, if any.
pub async fn about_page(db: &Db, person: Uuid, author: Uuid) -> Result<Option<AboutPage>> {
    const Q: &str = "SELECT person_id, author_id, interests, family, dates, time_off, version, updated_at \
                     FROM about_page WHERE person_id = $1 AND author_id = $2";
    let row: Option<AboutRow> = on_db!(db, p => sqlx::query_as(Q).bind(person).bind(author).fetch_optional(p).await)?;
    row.map(|r| {
        let dates: Vec<ImportantDate> = serde_json::from_str(&r.4).map_err(json_err)?;
        let time_off: Vec<TimeOff> = serde_json::from_str(&r.5).map_err(json_err)?;
        Ok(AboutPage { person_id: r.0, author_id: r.1, interests: r.2, family: r.3, dates, time_off, version: r.6, updated_at: Some(r.7) })
    })
    .transpose()
}

/// Writes a page whose version was `expected` (0: not written yet). False when someone else
/// saved in between.
pub async fn save_about_page(tx: &mut Tx, p: &AboutPage, expected: i64) -> Result<bool> {
    let dates = serde_json::to_string(&p.dates).map_err(json_err)?;
    let time_off = serde_json::to_string(&p.time_off).map_err(json_err)?;
    let at = p.updated_at.unwrap_or_else(Utc::now);
    let n = if expected == 0 {
        const Q: &str = "INSERT INTO about_page (person_id, author_id, interests, family, dates, time_off, version, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, author_id) DO NOTHING";
        on_tx!(tx, c => sqlx::query(Q).bind(p.person_id).bind(p.author_id).bind(&p.interests).bind(&p.family).bind(&dates).bind(&time_off).bind(p.version).bind(at).execute(c).await.map(|r| r.rows_affected()))?
    } else {
        const Q: &str = "UPDATE about_page SET interests = $3, family = $4, dates = $5, time_off = $6, version = $7, updated_at = $8 \
                         WHERE person_id = $1 AND author_id = $2 AND version = $9";
        on_tx!(tx, c => sqlx::query(Q).bind(p.person_id).bind(p.author_id).bind(&p.interests).bind(&p.family).bind(&dates).bind(&time_off).bind(p.version).bind(at).bind(expected).execute(c).await.map(|r| r.rows_affected()))?
    };
    Ok(n == 1)
}

// ---- setbacks ----

type SetbackRow =
    (Uuid, Uuid, Uuid, Option<Uuid>, NaiveDate, String, String, String, String, String, String, i64, DateTime<Utc>, DateTime<Utc>);

const SETBACK_COLS: &str = "id, person_id, author_id, meeting_id, occurred_date, facts, contexts, context_other, remedy, \
                            manager_change, learned, version, created_at, updated_at";

fn setback(r: SetbackRow) -> Setback {
    Setback {
        id: r.0,
        person_id: r.1,
        author_id: r.2,
        meeting_id: r.3,
        occurred_on: r.4,
        facts: r.5,
        contexts: r.6.split_whitespace().filter_map(Context::parse).collect(),
        context_other: r.7,
        remedy: r.8,
        manager_change: r.9,
        learned: r.10,
        action_ids: vec![],
        version: r.11,
        created_at: r.12,
        updated_at: r.13,
    }
}

fn contexts_text(s: &Setback) -> String {
    s.contexts.iter().map(|c| c.slug()).collect::<Vec<_>>().join(" ")
}

/// Fills in each record's follow-up action ids: every record given is about `person`.
async fn with_actions(db: &Db, person: Uuid, mut list: Vec<Setback>) -> Result<Vec<Setback>> {
    if list.is_empty() {
        return Ok(list);
    }
    const Q: &str = "SELECT sa.setback_id, sa.action_id FROM setback_action sa JOIN setback s ON s.id = sa.setback_id \
                     WHERE s.person_id = $1 ORDER BY sa.action_id";
    let rows: Vec<(Uuid, Uuid)> = on_db!(db, p => sqlx::query_as(Q).bind(person).fetch_all(p).await)?;
    for s in &mut list {
        s.action_ids = rows.iter().filter(|(sid, _)| *sid == s.id).map(|(_, a)| *a).collect();
    }
    Ok(list)
}

/// A person's setback records, the most recent first; with `between`, only those that
/// happened on those days (inclusive).
pub async fn setbacks_of(db: &Db, person: Uuid, between: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Setback>> {
    let rows: Vec<SetbackRow> = match between {
        None => {
            let q = format!("SELECT {SETBACK_COLS} FROM setback WHERE person_id = $1 ORDER BY occurred_date DESC, created_at DESC");
            on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q.clone())).bind(person).fetch_all(p).await)?
        }
        Some((from, to)) => {
            let q = format!(
                "SELECT {SETBACK_COLS} FROM setback WHERE person_id = $1 AND occurred_date >= $2 AND occurred_date <= $3 \
                 ORDER BY occurred_date, created_at"
            );
            on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q.clone())).bind(person).bind(from).bind(to).fetch_all(p).await)?
        }
    };
    with_actions(db, person, rows.into_iter().map(setback).collect()).await
}

pub async fn get_setback(db: &Db, id: Uuid) -> Result<Option<Setback>> {
    let q = format!("SELECT {SETBACK_COLS} FROM setback WHERE id = $1");
    let row: Option<SetbackRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q.clone())).bind(id).fetch_optional(p).await)?;
    match row {
        None => Ok(None),
        Some(r) => {
            let s = setback(r);
            Ok(with_actions(db, s.person_id, vec![s]).await?.pop())
        }
    }
}

pub async fn insert_setback(tx: &mut Tx, s: &Setback) -> Result<()> {
    let q = format!("INSERT INTO setback ({SETBACK_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)");
    let contexts = contexts_text(s);
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(q.clone())).bind(s.id).bind(s.person_id).bind(s.author_id).bind(s.meeting_id).bind(s.occurred_on).bind(&s.facts).bind(&contexts).bind(&s.context_other).bind(&s.remedy).bind(&s.manager_change).bind(&s.learned).bind(s.version).bind(s.created_at).bind(s.updated_at).execute(c).await.map(|r| r.rows_affected()))?;
    for a in &s.action_ids {
        on_tx!(tx, c => sqlx::query("INSERT INTO setback_action (setback_id, action_id) VALUES ($1, $2)").bind(s.id).bind(*a).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Saves the fields of a record read at version `expected`; false when it changed since.
pub async fn update_setback(tx: &mut Tx, s: &Setback, expected: i64) -> Result<bool> {
    const Q: &str = "UPDATE setback SET meeting_id = $2, occurred_date = $3, facts = $4, contexts = $5, context_other = $6, remedy = $7, \
                     manager_change = $8, learned = $9, version = $10, updated_at = $11 WHERE id = $1 AND version = $12";
    let contexts = contexts_text(s);
    let n = on_tx!(tx, c => sqlx::query(Q).bind(s.id).bind(s.meeting_id).bind(s.occurred_on).bind(&s.facts).bind(&contexts).bind(&s.context_other).bind(&s.remedy).bind(&s.manager_change).bind(&s.learned).bind(s.version).bind(s.updated_at).bind(expected).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}
