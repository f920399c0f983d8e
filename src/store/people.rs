//! People and reporting lines.

use super::{Db, Result, Tx, on_db, on_tx};
use crate::domain::Page;
use crate::domain::people_csv::ImportPlan;
use crate::domain::person::EmailAddress;
use crate::domain::{Person, PersonId, PersonWithReports, Zone};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

#[macro_export]
#[doc(hidden)]
macro_rules! person_cols {
    () => {
        "p.id, p.name, p.email, p.title, p.timezone, p.manager_id, p.is_admin, \
         (p.password_hash IS NOT NULL) AS can_sign_in, p.created_at, p.updated_at, p.version"
    };
}
macro_rules! report_count {
    () => {
        "(SELECT COUNT(*) FROM person r WHERE r.manager_id = p.id) AS reports"
    };
}

/// A person as the database returns them (the columns of `person_cols!`).
#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: Uuid,
    name: String,
    email: String,
    title: String,
    timezone: String,
    manager_id: Option<Uuid>,
    is_admin: bool,
    can_sign_in: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i64,
}
/// The same with the count of direct reports (`report_count!`).
#[derive(sqlx::FromRow)]
struct PersonReportsRow {
    #[sqlx(flatten)]
    person: PersonRow,
    reports: i64,
}

pub(crate) fn person(r: PersonRow) -> Person {
    Person {
        id: PersonId(r.id),
        name: r.name,
        email: r.email,
        title: r.title,
        timezone: stored_zone(&r.timezone),
        manager_id: r.manager_id.map(PersonId),
        is_admin: r.is_admin,
        can_sign_in: r.can_sign_in,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

/// A zone name read back: one rapport wrote, so an unknown one means the zone database changed
/// under it. It becomes UTC, with a warning here rather than silently wherever it is used.
fn stored_zone(name: &str) -> Zone {
    Zone::parse(name).unwrap_or_else(|_| {
        tracing::warn!(timezone = name, "unknown time zone in the database; using UTC");
        Zone::UTC
    })
}

fn with_reports(r: PersonReportsRow) -> PersonWithReports {
    PersonWithReports { person: person(r.person), reports: r.reports }
}

/// What a new person needs. `password_hash` is set for the first admin and the demo.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub email_lower: String,
    pub title: String,
    pub timezone: Zone,
    pub manager_id: Option<PersonId>,
    pub is_admin: bool,
    pub password_hash: Option<String>,
}

impl NewPerson {
    /// Someone new with checked fields and a fresh id: no manager, not an admin, no password.
    pub fn new(name: String, email: EmailAddress, title: String, timezone: Zone) -> NewPerson {
        let id = PersonId(Uuid::now_v7());
        NewPerson {
            id,
            name,
            email: email.original,
            email_lower: email.lower,
            title,
            timezone,
            manager_id: None,
            is_admin: false,
            password_hash: None,
        }
    }
}

/// The fields an edit may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonChanges {
    pub name: Option<String>,
    pub email: Option<(String, String)>,
    pub title: Option<String>,
    pub timezone: Option<Zone>,
    pub manager_id: Option<Option<PersonId>>,
    pub is_admin: Option<bool>,
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM person").fetch_one(p).await)?)
}

pub async fn count_admins(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM person WHERE is_admin").fetch_one(p).await)?)
}

pub async fn get(db: &Db, id: PersonId) -> Result<Option<Person>> {
    const Q: &str = concat!("SELECT ", person_cols!(), " FROM person p WHERE p.id = $1");
    let row: Option<PersonRow> = on_db!(db, p => sqlx::query_as(Q).bind(id.0).fetch_optional(p).await)?;
    Ok(row.map(person))
}

/// Everyone `person` has a series with (the other side of each), in one statement.
pub async fn met_by(db: &Db, who: PersonId) -> Result<Vec<Person>> {
    const Q: &str = concat!(
        "SELECT ",
        person_cols!(),
        " FROM person p WHERE p.id IN (SELECT CASE WHEN s.manager_id = $1 THEN s.teammate_id ELSE s.manager_id END \
          FROM series s WHERE s.manager_id = $1 OR s.teammate_id = $1)"
    );
    let rows: Vec<PersonRow> = on_db!(db, p => sqlx::query_as(Q).bind(who.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(person).collect())
}

/// The people `ids` names (each once; unknown ids are left out), in one statement.
pub async fn by_ids(db: &Db, mut ids: Vec<Uuid>) -> Result<Vec<Person>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let q = format!(concat!("SELECT ", person_cols!(), " FROM person p WHERE p.id IN ({})"), marks.join(", "));
    let rows: Vec<PersonRow> = on_db!(db, p => {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q));
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(person).collect())
}

/// The earliest admin, whatever the size of the organisation.
pub async fn first_admin(db: &Db) -> Result<Option<Person>> {
    const Q: &str = concat!("SELECT ", person_cols!(), " FROM person p WHERE p.is_admin ORDER BY p.created_at, p.id LIMIT 1");
    let row: Option<PersonRow> = on_db!(db, p => sqlx::query_as(Q).fetch_optional(p).await)?;
    Ok(row.map(person))
}

pub async fn get_by_email(db: &Db, email_lower: &str) -> Result<Option<Person>> {
    const Q: &str = concat!("SELECT ", person_cols!(), " FROM person p WHERE p.email_lower = $1");
    let row: Option<PersonRow> = on_db!(db, p => sqlx::query_as(Q).bind(email_lower).fetch_optional(p).await)?;
    Ok(row.map(person))
}

/// `LIKE` matching `text` anywhere, with `%`, `_` and `\` in it matched as themselves (the
/// query says `ESCAPE '\'`).
fn like_contains(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// People whose name, e-mail or title contains `query` as typed (case-insensitive; `%` and `_`
/// are plain characters), by name, one page at a time. The caller keeps `query` short.
pub async fn search(db: &Db, query: &str, page: Page) -> Result<(Vec<PersonWithReports>, i64)> {
    const Q: &str = concat!(
        "SELECT ",
        person_cols!(),
        ", ",
        report_count!(),
        " FROM person p WHERE ($1 = '' OR lower(p.name) LIKE $2 ESCAPE '\\' OR p.email_lower LIKE $2 ESCAPE '\\'",
        " OR lower(p.title) LIKE $2 ESCAPE '\\')",
        " ORDER BY lower(p.name), p.id LIMIT $3 OFFSET $4"
    );
    const C: &str = concat!(
        "SELECT COUNT(*) FROM person p WHERE ($1 = '' OR lower(p.name) LIKE $2 ESCAPE '\\' OR p.email_lower LIKE $2 ESCAPE '\\'",
        " OR lower(p.title) LIKE $2 ESCAPE '\\')"
    );
    let q = query.trim().to_lowercase();
    let pattern = like_contains(&q);
    let (rows, total): (Vec<PersonReportsRow>, i64) = on_db!(db, p => {
        let rows = sqlx::query_as(Q).bind(&q).bind(&pattern).bind(page.size as i64).bind(page.offset()).fetch_all(p).await?;
        let total = sqlx::query_scalar(C).bind(&q).bind(&pattern).fetch_one(p).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((rows.into_iter().map(with_reports).collect(), total))
}

/// Everyone's id, name and title, by name: the choices for a manager picker.
pub async fn names(db: &Db) -> Result<Vec<(PersonId, String, String)>> {
    const Q: &str = "SELECT id, name, title FROM person ORDER BY lower(name), id";
    let rows: Vec<(Uuid, String, String)> = on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(id, n, t)| (PersonId(id), n, t)).collect())
}

/// The people who report directly to `manager` (or the top of the organisation for `None`).
pub async fn reports_of(db: &Db, manager: Option<PersonId>) -> Result<Vec<PersonWithReports>> {
    const Q: &str =
        concat!("SELECT ", person_cols!(), ", ", report_count!(), " FROM person p WHERE p.manager_id = $1 ORDER BY lower(p.name), p.id");
    const TOP: &str =
        concat!("SELECT ", person_cols!(), ", ", report_count!(), " FROM person p WHERE p.manager_id IS NULL ORDER BY lower(p.name), p.id");
    let rows: Vec<PersonReportsRow> = match manager {
        Some(m) => on_db!(db, p => sqlx::query_as(Q).bind(m.0).fetch_all(p).await)?,
        None => on_db!(db, p => sqlx::query_as(TOP).fetch_all(p).await)?,
    };
    Ok(rows.into_iter().map(with_reports).collect())
}

/// `chain(id, depth)`: the managers above the person `$1`, depth 1 the nearest; at most 200.
macro_rules! chain_cte {
    () => {
        concat!(
            "WITH RECURSIVE chain(id, depth) AS (",
            " SELECT manager_id, 1 FROM person WHERE id = $1 AND manager_id IS NOT NULL",
            " UNION ALL",
            " SELECT q.manager_id, c.depth + 1 FROM person q JOIN chain c ON q.id = c.id",
            " WHERE q.manager_id IS NOT NULL AND c.depth < 200)"
        )
    };
}

/// The managers above `id`, nearest first. Bounded, so bad data can never loop forever.
pub async fn manager_chain(db: &Db, id: PersonId) -> Result<Vec<Person>> {
    const Q: &str = concat!(chain_cte!(), " SELECT ", person_cols!(), " FROM chain c JOIN person p ON p.id = c.id ORDER BY c.depth");
    let rows: Vec<PersonRow> = on_db!(db, p => sqlx::query_as(Q).bind(id.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(person).collect())
}

/// The same chain inside a write transaction, for the cycle check before changing a manager.
pub async fn manager_chain_ids_tx(tx: &mut Tx, id: PersonId) -> Result<Vec<PersonId>> {
    const Q: &str = concat!(chain_cte!(), " SELECT id FROM chain ORDER BY depth");
    let ids: Vec<Uuid> = on_tx!(tx, c => sqlx::query_scalar(Q).bind(id.0).fetch_all(c).await)?;
    Ok(ids.into_iter().map(PersonId).collect())
}

pub async fn exists_tx(tx: &mut Tx, id: PersonId) -> Result<bool> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM person WHERE id = $1").bind(id.0).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn count_admins_tx(tx: &mut Tx) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM person WHERE is_admin").fetch_one(c).await)?)
}

/// On PostgreSQL, serialises the first-admin check across instances for this transaction.
/// SQLite's `BEGIN IMMEDIATE` already does.
pub async fn lock_setup_tx(tx: &mut Tx) -> Result<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock(7261)").execute(&mut **t).await.map(|r| r.rows_affected())?;
    }
    Ok(())
}

pub async fn insert(tx: &mut Tx, p: &NewPerson, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO person (id, name, email, email_lower, title, timezone, manager_id, is_admin, password_hash, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)";
    on_tx!(tx, c => sqlx::query(Q)
        .bind(p.id.0).bind(&p.name).bind(&p.email).bind(&p.email_lower).bind(&p.title).bind(p.timezone.name())
        .bind(p.manager_id.map(|m| m.0)).bind(p.is_admin).bind(&p.password_hash).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Applies `changes` if the person is still at `expected_version`. Returns false when someone
/// else changed them first (or they do not exist).
pub async fn update(tx: &mut Tx, id: PersonId, expected_version: i64, ch: &PersonChanges, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE person SET \
        name = COALESCE($3, name), \
        email = COALESCE($4, email), email_lower = COALESCE($5, email_lower), \
        title = COALESCE($6, title), timezone = COALESCE($7, timezone), \
        manager_id = CASE WHEN $8 THEN $9 ELSE manager_id END, \
        is_admin = COALESCE($10, is_admin), \
        updated_at = $11, version = version + 1 \
        WHERE id = $1 AND version = $2";
    let (email, email_lower) = match &ch.email {
        Some((e, l)) => (Some(e.as_str()), Some(l.as_str())),
        None => (None, None),
    };
    let set_manager = ch.manager_id.is_some();
    let manager = ch.manager_id.flatten().map(|m| m.0);
    let n = on_tx!(tx, c => sqlx::query(Q)
        .bind(id.0).bind(expected_version).bind(&ch.name).bind(email).bind(email_lower)
        .bind(&ch.title).bind(ch.timezone.map(Zone::name)).bind(set_manager).bind(manager).bind(ch.is_admin).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Everyone's e-mail and their manager's e-mail, for checking an import against the organisation.
pub async fn email_manager_map(db: &Db) -> Result<HashMap<String, Option<String>>> {
    const Q: &str = "SELECT p.email_lower, m.email_lower FROM person p LEFT JOIN person m ON m.id = p.manager_id";
    let rows: Vec<(String, Option<String>)> = on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await)?;
    Ok(rows.into_iter().collect())
}

/// Applies a checked import plan inside `tx`: creates the people who are new, updates those
/// who exist, then sets every reporting line (managers may be created by the same file).
/// Returns (created, updated).
pub async fn apply_import(tx: &mut Tx, plan: &ImportPlan, now: DateTime<Utc>) -> Result<(usize, usize)> {
    const FIND: &str = "SELECT id FROM person WHERE email_lower = $1";
    const UPD: &str =
        "UPDATE person SET name = $2, email = $3, title = $4, timezone = $5, updated_at = $6, version = version + 1 WHERE id = $1";
    const SET_MANAGER: &str = "UPDATE person SET manager_id = (SELECT id FROM person WHERE email_lower = $2) WHERE email_lower = $1";
    const CLEAR_MANAGER: &str = "UPDATE person SET manager_id = NULL WHERE email_lower = $1";
    let (mut created, mut updated) = (0, 0);
    for row in &plan.rows {
        let found: Option<Uuid> = on_tx!(tx, c => sqlx::query_scalar(FIND).bind(&row.email.lower).fetch_optional(c).await)?;
        match found {
            Some(id) => {
                on_tx!(tx, c => sqlx::query(UPD).bind(id).bind(&row.name).bind(&row.email.original).bind(&row.title).bind(row.timezone.name()).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
                updated += 1;
            }
            None => {
                let p = NewPerson::new(row.name.clone(), row.email.clone(), row.title.clone(), row.timezone);
                insert(tx, &p, now).await?;
                created += 1;
            }
        }
    }
    for row in &plan.rows {
        match &row.manager_email {
            Some(m) => {
                on_tx!(tx, c => sqlx::query(SET_MANAGER).bind(&row.email.lower).bind(m).execute(c).await.map(|r| r.rows_affected()))?
            }
            None => on_tx!(tx, c => sqlx::query(CLEAR_MANAGER).bind(&row.email.lower).execute(c).await.map(|r| r.rows_affected()))?,
        };
    }
    Ok((created, updated))
}
