//! Guidance: own questions, favourites, what a pair used, own templates.

use super::{Db, Result, StoreError, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::guidance::{Prompt, Purpose, purposes_from_string, purposes_to_string};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnQuestion {
    pub id: Uuid,
    pub owner_id: PersonId,
    pub text: String,
    pub purposes: Vec<Purpose>,
    pub created_at: DateTime<Utc>,
}

type QRow = (Uuid, Uuid, String, String, DateTime<Utc>);

fn own(r: QRow) -> OwnQuestion {
    OwnQuestion { id: r.0, owner_id: PersonId(r.1), text: r.2, purposes: purposes_from_string(&r.3), created_at: r.4 }
}

pub async fn own_questions(db: &Db, owner: PersonId) -> Result<Vec<OwnQuestion>> {
    const Q: &str = "SELECT id, owner_id, text, purposes, created_at FROM own_question WHERE owner_id = $1 ORDER BY created_at, id";
    let rows: Vec<QRow> = on_db!(db, p => sqlx::query_as(Q).bind(owner.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(own).collect())
}

pub async fn own_question(db: &Db, id: Uuid) -> Result<Option<OwnQuestion>> {
    const Q: &str = "SELECT id, owner_id, text, purposes, created_at FROM own_question WHERE id = $1";
    let row: Option<QRow> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    Ok(row.map(own))
}

pub async fn insert_own_question(tx: &mut Tx, q: &OwnQuestion) -> Result<()> {
    const Q: &str = "INSERT INTO own_question (id, owner_id, text, text_lower, purposes, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(Q).bind(q.id).bind(q.owner_id.0).bind(&q.text).bind(q.text.to_lowercase()).bind(purposes_to_string(&q.purposes)).bind(q.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_own_question(tx: &mut Tx, id: Uuid) -> Result<()> {
    let key = format!("own:{id}");
    on_tx!(tx, c => sqlx::query("DELETE FROM question_favourite WHERE question_key = $1").bind(&key).execute(c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("DELETE FROM own_question WHERE id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn favourites(db: &Db, person: PersonId) -> Result<Vec<String>> {
    const Q: &str = "SELECT question_key FROM question_favourite WHERE person_id = $1 ORDER BY created_at";
    let rows: Vec<(String,)> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn set_favourite(tx: &mut Tx, person: PersonId, key: &str, on: bool, now: DateTime<Utc>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM question_favourite WHERE person_id = $1 AND question_key = $2").bind(person.0).bind(key).execute(c).await.map(|r| r.rows_affected()))?;
    if on {
        on_tx!(tx, c => sqlx::query("INSERT INTO question_favourite (person_id, question_key, created_at) VALUES ($1, $2, $3)").bind(person.0).bind(key).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// One question or prompt a pair brought into a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub id: Uuid,
    pub series_id: Uuid,
    pub meeting_id: Uuid,
    pub source: String,
    pub purposes: Vec<Purpose>,
    pub point_id: Option<Uuid>,
    pub used_by: PersonId,
    pub used_at: DateTime<Utc>,
}

pub async fn insert_use(tx: &mut Tx, u: &Use) -> Result<()> {
    const Q: &str = "INSERT INTO guidance_use (id, series_id, meeting_id, source, purposes, point_id, used_by, used_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, c => sqlx::query(Q).bind(u.id).bind(u.series_id).bind(u.meeting_id).bind(&u.source).bind(purposes_to_string(&u.purposes)).bind(u.point_id).bind(u.used_by.0).bind(u.used_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

type UseRow = (Uuid, Uuid, Uuid, String, String, Option<Uuid>, Uuid, DateTime<Utc>);

/// Everything the pairs of `series` used, newest first.
pub async fn uses(db: &Db, series: &[Uuid]) -> Result<Vec<Use>> {
    let mut out = vec![];
    for s in series {
        const Q: &str = "SELECT id, series_id, meeting_id, source, purposes, point_id, used_by, used_at FROM guidance_use \
                         WHERE series_id = $1 ORDER BY used_at DESC, id DESC";
        let rows: Vec<UseRow> = on_db!(db, p => sqlx::query_as(Q).bind(*s).fetch_all(p).await)?;
        out.extend(rows.into_iter().map(|r| Use {
            id: r.0,
            series_id: r.1,
            meeting_id: r.2,
            source: r.3,
            purposes: purposes_from_string(&r.4),
            point_id: r.5,
            used_by: PersonId(r.6),
            used_at: r.7,
        }));
    }
    out.sort_by_key(|u| std::cmp::Reverse(u.used_at));
    Ok(out)
}

/// A template a manager or admin wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnTemplate {
    pub id: Uuid,
    pub owner_id: PersonId,
    pub name: String,
    pub summary: String,
    pub prompts: Vec<Prompt>,
    pub shared: bool,
    pub created_at: DateTime<Utc>,
}

type TRow = (Uuid, Uuid, String, String, String, bool, DateTime<Utc>);

fn tpl(r: TRow) -> Result<OwnTemplate> {
    let prompts = serde_json::from_str(&r.4).map_err(|e| StoreError::Corrupt(format!("template {}: {e}", r.0)))?;
    Ok(OwnTemplate { id: r.0, owner_id: PersonId(r.1), name: r.2, summary: r.3, prompts, shared: r.5, created_at: r.6 })
}

/// The person's own templates and every shared one.
pub async fn templates_for(db: &Db, person: PersonId) -> Result<Vec<OwnTemplate>> {
    const Q: &str = "SELECT id, owner_id, name, summary, prompts, shared, created_at FROM own_template \
                     WHERE owner_id = $1 OR shared ORDER BY name, id";
    let rows: Vec<TRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    rows.into_iter().map(tpl).collect()
}

pub async fn own_template(db: &Db, id: Uuid) -> Result<Option<OwnTemplate>> {
    const Q: &str = "SELECT id, owner_id, name, summary, prompts, shared, created_at FROM own_template WHERE id = $1";
    let row: Option<TRow> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    row.map(tpl).transpose()
}

pub async fn insert_template(tx: &mut Tx, t: &OwnTemplate) -> Result<()> {
    const Q: &str =
        "INSERT INTO own_template (id, owner_id, name, summary, prompts, shared, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let prompts = serde_json::to_string(&t.prompts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    on_tx!(tx, c => sqlx::query(Q).bind(t.id).bind(t.owner_id.0).bind(&t.name).bind(&t.summary).bind(prompts).bind(t.shared).bind(t.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_template(tx: &mut Tx, id: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM own_template WHERE id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many points of a series, in meetings up to `until`, share each origin (a point carried
/// over n times has n + 1), for all of `origins` in one statement.
pub async fn chain_lengths(db: &Db, series: Uuid, origins: &[Uuid], until: DateTime<Utc>) -> Result<Vec<(Uuid, i64)>> {
    if origins.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (3..origins.len() + 3).map(|i| format!("${i}")).collect();
    let q = format!(
        "SELECT p.origin_id, COUNT(*) FROM talking_point p JOIN meeting m ON m.id = p.meeting_id \
         WHERE p.series_id = $1 AND m.starts_at <= $2 AND p.origin_id IN ({}) GROUP BY p.origin_id",
        marks.join(", ")
    );
    Ok(on_db!(db, p => {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series).bind(until);
        for o in origins {
            query = query.bind(*o);
        }
        query.fetch_all(p).await
    })?)
}
