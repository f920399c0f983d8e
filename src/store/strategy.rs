//! Strategy placements: a leader's talking point and where each copy went.

use super::{Db, Result, Tx, on_db, on_tx};
use crate::domain::PersonId;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub id: Uuid,
    pub leader_id: PersonId,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// One copy: (series, meeting, point origin).
pub type Copy = (Uuid, Uuid, Uuid);

type Row = (Uuid, Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>);

fn placement(r: Row) -> Placement {
    Placement { id: r.0, leader_id: PersonId(r.1), text: r.2, created_at: r.3, withdrawn_at: r.4 }
}

pub async fn insert(tx: &mut Tx, p: &Placement) -> Result<()> {
    const Q: &str = "INSERT INTO strategy_placement (id, leader_id, text, created_at, withdrawn_at) VALUES ($1, $2, $3, $4, NULL)";
    on_tx!(tx, c => sqlx::query(Q).bind(p.id).bind(p.leader_id.0).bind(&p.text).bind(p.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_copy(tx: &mut Tx, placement: Uuid, c: Copy) -> Result<()> {
    const Q: &str = "INSERT INTO strategy_point (placement_id, series_id, meeting_id, point_id) VALUES ($1, $2, $3, $4)";
    on_tx!(tx, k => sqlx::query(Q).bind(placement).bind(c.0).bind(c.1).bind(c.2).execute(k).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(db: &Db, id: Uuid) -> Result<Option<Placement>> {
    const Q: &str = "SELECT id, leader_id, text, created_at, withdrawn_at FROM strategy_placement WHERE id = $1";
    let r: Option<Row> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    Ok(r.map(placement))
}

/// A leader's placements, newest first.
pub async fn of_leader(db: &Db, leader: PersonId) -> Result<Vec<Placement>> {
    const Q: &str = "SELECT id, leader_id, text, created_at, withdrawn_at FROM strategy_placement WHERE leader_id = $1 ORDER BY created_at DESC, id DESC";
    let r: Vec<Row> = on_db!(db, p => sqlx::query_as(Q).bind(leader.0).fetch_all(p).await)?;
    Ok(r.into_iter().map(placement).collect())
}

pub async fn copies(db: &Db, placement: Uuid) -> Result<Vec<Copy>> {
    const Q: &str = "SELECT series_id, meeting_id, point_id FROM strategy_point WHERE placement_id = $1 ORDER BY series_id";
    Ok(on_db!(db, p => sqlx::query_as(Q).bind(placement).fetch_all(p).await)?)
}

/// Removes the copies of a point (by origin) not yet discussed, in meetings that have not
/// begun; marks the placement withdrawn. Returns how many were removed and how many stay.
pub async fn withdraw(tx: &mut Tx, placement: Uuid, origins: &[Uuid], now: DateTime<Utc>) -> Result<(u64, i64)> {
    let mut removed = 0;
    let mut kept = 0;
    for o in origins {
        const DEL: &str = "DELETE FROM talking_point WHERE origin_id = $1 AND discussed = FALSE \
                           AND meeting_id IN (SELECT id FROM meeting WHERE starts_at > $2)";
        removed += on_tx!(tx, c => sqlx::query(DEL).bind(*o).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        const LEFT: &str = "SELECT COUNT(*) FROM talking_point WHERE origin_id = $1";
        let left: i64 = on_tx!(tx, c => sqlx::query_scalar(LEFT).bind(*o).fetch_one(c).await)?;
        if left == 0 {
            super::search::remove(tx, *o).await?;
        }
        kept += left;
    }
    const Q: &str = "UPDATE strategy_placement SET withdrawn_at = $2 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(Q).bind(placement).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok((removed, kept))
}
