//! Reporting lines over time and the handoffs people make to a new manager.

use super::{Db, Result, Tx, on_db, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// One reporting line a person had: who their manager became, and who made it so, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub manager_id: Option<Uuid>,
    pub previous_manager_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub changed_by: Option<Uuid>,
    pub ended_series_id: Option<Uuid>,
    pub resumed: bool,
}

type Row = (Uuid, Uuid, Option<Uuid>, Option<Uuid>, DateTime<Utc>, Option<Uuid>, Option<Uuid>, bool);

fn line(r: Row) -> LineRow {
    let (id, person_id, manager_id, previous_manager_id, started_at, changed_by, ended_series_id, resumed) = r;
    LineRow { id, person_id, manager_id, previous_manager_id, started_at, changed_by, ended_series_id, resumed }
}

pub async fn insert_line(tx: &mut Tx, l: &LineRow) -> Result<()> {
    const Q: &str = "INSERT INTO reporting_line (id, person_id, manager_id, previous_manager_id, started_at, changed_by, ended_series_id, resumed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(Q).bind(l.id).bind(l.person_id).bind(l.manager_id).bind(l.previous_manager_id).bind(l.started_at)
        .bind(l.changed_by).bind(l.ended_series_id).bind(l.resumed).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Every line a person has had, the oldest first.
pub async fn lines_of(db: &Db, person: Uuid) -> Result<Vec<LineRow>> {
    const Q: &str = "SELECT id, person_id, manager_id, previous_manager_id, started_at, changed_by, ended_series_id, resumed FROM reporting_line WHERE person_id = $1 ORDER BY started_at, id";
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(Q).bind(person).fetch_all(p).await)?;
    Ok(rows.into_iter().map(line).collect())
}

/// The same, inside a transaction.
pub async fn lines_of_tx(tx: &mut Tx, person: Uuid) -> Result<Vec<LineRow>> {
    const Q: &str = "SELECT id, person_id, manager_id, previous_manager_id, started_at, changed_by, ended_series_id, resumed FROM reporting_line WHERE person_id = $1 ORDER BY started_at, id";
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(Q).bind(person).fetch_all(c).await)?;
    Ok(rows.into_iter().map(line).collect())
}

/// Everyone's manager, by person id (to see what an import changed).
pub async fn manager_map_tx(tx: &mut Tx) -> Result<HashMap<Uuid, Option<Uuid>>> {
    let rows: Vec<(Uuid, Option<Uuid>)> = on_tx!(tx, c => sqlx::query_as("SELECT id, manager_id FROM person").fetch_all(c).await)?;
    Ok(rows.into_iter().collect())
}

/// The regular series of a pair that is not ended yet, if any.
pub async fn open_regular_series_tx(tx: &mut Tx, manager: Uuid, teammate: Uuid) -> Result<Option<Uuid>> {
    const Q: &str = "SELECT id FROM series WHERE kind = 'regular' AND status <> 'ended' AND manager_id = $1 AND teammate_id = $2 \
                     ORDER BY created_at DESC LIMIT 1";
    Ok(on_tx!(tx, c => sqlx::query_scalar(Q).bind(manager).bind(teammate).fetch_optional(c).await)?)
}

/// Resumes a series a change of reporting line ended. True when it was ended and now runs.
pub async fn resume_series_tx(tx: &mut Tx, series: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE series SET status = 'active', updated_at = $2, version = version + 1 WHERE id = $1 AND status = 'ended' AND kind = 'regular'";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(series).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// What `person` handed over to `manager` (space-separated items), if they chose.
pub async fn handoff(db: &Db, person: Uuid, manager: Uuid) -> Result<Option<(String, DateTime<Utc>)>> {
    const Q: &str = "SELECT items, updated_at FROM handoff WHERE person_id = $1 AND manager_id = $2";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(person).bind(manager).fetch_optional(p).await)?)
}

pub async fn save_handoff(tx: &mut Tx, person: Uuid, manager: Uuid, items: &str, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO handoff (person_id, manager_id, items, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (person_id, manager_id) DO UPDATE SET items = excluded.items, updated_at = excluded.updated_at";
    on_tx!(tx, c => sqlx::query(Q).bind(person).bind(manager).bind(items).bind(now).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// A person's name, inside a transaction.
pub async fn name_tx(tx: &mut Tx, id: Uuid) -> Result<Option<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("SELECT name FROM person WHERE id = $1").bind(id).fetch_optional(c).await)?)
}
