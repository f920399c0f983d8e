//! Sign-in: password hashes, sessions, API tokens, invitations and the failure log that the
//! sign-in throttle reads. Secrets are stored only as SHA-256 hashes of random tokens.

use super::{Db, Result, Tx, on_db, on_tx, on_write};
use crate::domain::{Person, PersonId};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub async fn password_hash(db: &Db, email_lower: &str) -> Result<Option<(PersonId, Option<String>)>> {
    const Q: &str = "SELECT id, password_hash FROM person WHERE email_lower = $1";
    let row: Option<(Uuid, Option<String>)> = on_db!(db, p => sqlx::query_as(Q).bind(email_lower).fetch_optional(p).await)?;
    Ok(row.map(|(id, h)| (PersonId(id), h)))
}

pub async fn password_hash_by_id(db: &Db, id: PersonId) -> Result<Option<String>> {
    const Q: &str = "SELECT password_hash FROM person WHERE id = $1";
    let row: Option<Option<String>> = on_db!(db, p => sqlx::query_scalar(Q).bind(id.0).fetch_optional(p).await)?;
    Ok(row.flatten())
}

pub async fn set_password(tx: &mut Tx, id: PersonId, hash: &str, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE person SET password_hash = $2, updated_at = $3 WHERE id = $1";
    on_tx!(tx, c => sqlx::query(Q).bind(id.0).bind(hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- sign-in throttle ----

pub async fn record_login_attempt(db: &Db, email_lower: &str, at: DateTime<Utc>, succeeded: bool) -> Result<()> {
    const Q: &str = "INSERT INTO login_attempt (email_lower, attempted_at, succeeded) VALUES ($1, $2, $3)";
    on_write!(db, c => sqlx::query(Q).bind(email_lower).bind(at).bind(succeeded).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Failed attempts for an address since `since` (or since its last success, whichever is later),
/// with the time of the oldest one counted.
pub async fn recent_failures(db: &Db, email_lower: &str, since: DateTime<Utc>) -> Result<(i64, Option<DateTime<Utc>>)> {
    const Q: &str = "SELECT COUNT(*), MIN(attempted_at) FROM login_attempt \
        WHERE email_lower = $1 AND attempted_at >= $2 AND NOT succeeded \
        AND attempted_at > COALESCE((SELECT MAX(attempted_at) FROM login_attempt WHERE email_lower = $1 AND succeeded), $2)";
    let row: (i64, Option<DateTime<Utc>>) = on_db!(db, p => sqlx::query_as(Q).bind(email_lower).bind(since).fetch_one(p).await)?;
    Ok(row)
}

pub async fn forget_login_attempts_before(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    const Q: &str = "DELETE FROM login_attempt WHERE attempted_at < $1";
    Ok(on_write!(db, c => sqlx::query(Q).bind(before).execute(c).await.map(|r| r.rows_affected()))?)
}

// ---- sessions ----

pub struct SessionRecord {
    pub person: Person,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    person: PersonId,
    csrf: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    const Q: &str = "INSERT INTO session (token_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    on_write!(db, c => sqlx::query(Q).bind(token_hash).bind(person.0).bind(csrf).bind(now).bind(expires).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The live session behind a token hash, with its person, in one query (every request asks).
pub async fn find_session(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionRecord>> {
    const Q: &str = concat!(
        "SELECT ",
        crate::person_cols!(),
        ", s.csrf_token, s.expires_at FROM session s JOIN person p ON p.id = s.person_id WHERE s.token_hash = $1 AND s.expires_at > $2"
    );
    let row = on_db!(db, p => {
        use sqlx::Row as _;
        match sqlx::query(Q).bind(token_hash).bind(now).fetch_optional(p).await? {
            None => Ok::<_, sqlx::Error>(None),
            Some(r) => {
                let person: super::people::PersonRow = (
                    r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?,
                    r.try_get(6)?, r.try_get(7)?, r.try_get(8)?, r.try_get(9)?, r.try_get(10)?,
                );
                Ok(Some((person, r.try_get::<String, _>(11)?, r.try_get::<DateTime<Utc>, _>(12)?)))
            }
        }
    })?;
    Ok(row.map(|(p, csrf_token, expires_at)| SessionRecord { person: super::people::person(p), csrf_token, expires_at }))
}

pub async fn extend_session(db: &Db, token_hash: &str, expires: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE session SET expires_at = $2 WHERE token_hash = $1";
    on_write!(db, c => sqlx::query(Q).bind(token_hash).bind(expires).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<()> {
    on_write!(db, c => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Signs a person out everywhere except the session `keep` (after a password change).
pub async fn delete_other_sessions(tx: &mut Tx, person: PersonId, keep: Option<&str>) -> Result<()> {
    const Q: &str = "DELETE FROM session WHERE person_id = $1 AND token_hash <> $2";
    on_tx!(tx, c => sqlx::query(Q).bind(person.0).bind(keep.unwrap_or("")).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_expired_sessions(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    Ok(on_write!(db, c => sqlx::query("DELETE FROM session WHERE expires_at <= $1").bind(now).execute(c).await.map(|r| r.rows_affected()))?)
}

// ---- API tokens ----

type TokenRow = (Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>);
type InvitationRow = (Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>);

#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub async fn insert_token(db: &Db, id: Uuid, person: PersonId, name: &str, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO api_token (id, person_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
    on_write!(db, c => sqlx::query(Q).bind(id).bind(person.0).bind(name).bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list_tokens(db: &Db, person: PersonId) -> Result<Vec<ApiTokenRow>> {
    const Q: &str =
        "SELECT id, name, created_at, last_used_at FROM api_token WHERE person_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC";
    let rows: Vec<TokenRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(id, name, created_at, last_used_at)| ApiTokenRow { id, name, created_at, last_used_at }).collect())
}

/// Revokes one of `person`'s tokens. False when there is no such live token of theirs.
pub async fn revoke_token(db: &Db, person: PersonId, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE api_token SET revoked_at = $3 WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL";
    Ok(on_write!(db, c => sqlx::query(Q).bind(id).bind(person.0).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}

pub async fn find_token(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Person>> {
    const Q: &str = "SELECT id, person_id, last_used_at FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL";
    let row: Option<(Uuid, Uuid, Option<DateTime<Utc>>)> = on_db!(db, p => sqlx::query_as(Q).bind(token_hash).fetch_optional(p).await)?;
    let Some((id, pid, last_used)) = row else { return Ok(None) };
    // Record use at most once a minute, so reads through the API do not all become writes.
    if last_used.is_none_or(|t| now - t > chrono::Duration::minutes(1)) {
        on_write!(db, c => sqlx::query("UPDATE api_token SET last_used_at = $2 WHERE id = $1").bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    }
    super::people::get(db, PersonId(pid)).await
}

// ---- invitations ----

pub struct InvitationRecord {
    pub id: Uuid,
    pub person: Person,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

pub async fn insert_invitation(
    tx: &mut Tx,
    id: Uuid,
    token_hash: &str,
    person: PersonId,
    by: PersonId,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    const Q: &str =
        "INSERT INTO invitation (id, token_hash, person_id, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, c => sqlx::query(Q).bind(id).bind(token_hash).bind(person.0).bind(by.0).bind(now).bind(expires).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_invitation(db: &Db, token_hash: &str) -> Result<Option<InvitationRecord>> {
    const Q: &str = "SELECT id, person_id, expires_at, accepted_at FROM invitation WHERE token_hash = $1";
    let row: Option<InvitationRow> = on_db!(db, p => sqlx::query_as(Q).bind(token_hash).fetch_optional(p).await)?;
    let Some((id, pid, expires_at, accepted_at)) = row else { return Ok(None) };
    Ok(super::people::get(db, PersonId(pid)).await?.map(|person| InvitationRecord { id, person, expires_at, accepted_at }))
}

/// Marks an invitation used. False if it was used already (by a request racing this one).
pub async fn accept_invitation(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE invitation SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL AND expires_at > $2";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}
