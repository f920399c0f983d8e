//! Sign-in: password hashes, sessions, API tokens, invitations and the failure log that the
//! sign-in throttle reads. Secrets are stored only as SHA-256 hashes of random tokens.

use super::{Db, Result, Tx, on_db, on_tx, on_write};
use crate::domain::person::ApiToken;
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

/// Holds the throttle keys until `tx` ends, so that counting and reserving an attempt is one
/// step for every instance. PostgreSQL: a transaction-scoped advisory lock per key, taken in
/// sorted order. SQLite: the one writer already runs write transactions one at a time.
pub async fn lock_throttle_keys(tx: &mut Tx, keys: &[&str]) -> Result<()> {
    if let Tx::Postgres(t) = tx {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(&mut **t).await?;
        }
    }
    Ok(())
}

/// Failed (or still unchecked) attempts under `key` since `since`, with the time of the oldest
/// one counted. With `reset_on_success`, only those after the key's last success count (at the
/// same instant, attempt ids, which are time-ordered UUIDv7s, decide).
pub async fn recent_failures_tx(
    tx: &mut Tx,
    key: &str,
    since: DateTime<Utc>,
    reset_on_success: bool,
) -> Result<(i64, Option<DateTime<Utc>>)> {
    const Q: &str = "SELECT COUNT(*), MIN(attempted_at) FROM sign_in_attempt \
        WHERE throttle_key = $1 AND attempted_at >= $2 AND NOT succeeded \
        AND ($3 = FALSE OR NOT EXISTS (SELECT 1 FROM sign_in_attempt s \
            WHERE s.throttle_key = $1 AND s.succeeded AND (s.attempted_at > sign_in_attempt.attempted_at \
                OR (s.attempted_at = sign_in_attempt.attempted_at AND s.attempt_id > sign_in_attempt.attempt_id))))";
    let row: (i64, Option<DateTime<Utc>>) =
        on_tx!(tx, c => sqlx::query_as(Q).bind(key).bind(since).bind(reset_on_success).fetch_one(c).await)?;
    Ok(row)
}

/// Reserves an attempt under `key`; it counts as failed until [`attempt_succeeded`].
pub async fn insert_attempt(tx: &mut Tx, attempt: Uuid, key: &str, at: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO sign_in_attempt (attempt_id, throttle_key, attempted_at, succeeded) VALUES ($1, $2, $3, FALSE)";
    on_tx!(tx, c => sqlx::query(Q).bind(attempt).bind(key).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn attempt_succeeded(db: &Db, attempt: Uuid) -> Result<()> {
    const Q: &str = "UPDATE sign_in_attempt SET succeeded = TRUE WHERE attempt_id = $1";
    on_write!(db, c => sqlx::query(Q).bind(attempt).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn forget_login_attempts_before(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    const Q: &str = "DELETE FROM sign_in_attempt WHERE attempted_at < $1";
    Ok(on_write!(db, c => sqlx::query(Q).bind(before).execute(c).await.map(|r| r.rows_affected()))?)
}

// ---- sessions ----

pub struct SessionRecord {
    pub person: Person,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    /// Whether anyone reports to the person.
    pub leads: bool,
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
        ", s.csrf_token, s.expires_at, EXISTS (SELECT 1 FROM person r WHERE r.manager_id = p.id) AS leads \
         FROM session s JOIN person p ON p.id = s.person_id WHERE s.token_hash = $1 AND s.expires_at > $2"
    );
    let row = on_db!(db, p => {
        use sqlx::Row as _;
        match sqlx::query(Q).bind(token_hash).bind(now).fetch_optional(p).await? {
            None => Ok::<_, sqlx::Error>(None),
            Some(r) => {
                let person: super::people::PersonRow = sqlx::FromRow::from_row(&r)?;
                Ok(Some((person, r.try_get::<String, _>("csrf_token")?, r.try_get::<DateTime<Utc>, _>("expires_at")?, r.try_get::<bool, _>("leads")?)))
            }
        }
    })?;
    Ok(row.map(|(p, csrf_token, expires_at, leads)| SessionRecord { person: super::people::person(p), csrf_token, expires_at, leads }))
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

/// Ends every session of `person`. The number ended.
pub async fn delete_all_sessions(tx: &mut Tx, person: PersonId) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM session WHERE person_id = $1").bind(person.0).execute(c).await.map(|r| r.rows_affected()))?)
}

pub async fn delete_expired_sessions(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    Ok(on_write!(db, c => sqlx::query("DELETE FROM session WHERE expires_at <= $1").bind(now).execute(c).await.map(|r| r.rows_affected()))?)
}

// ---- API tokens ----

type TokenRow = (Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>);
type InvitationRow = (Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub async fn insert_token(db: &Db, id: Uuid, person: PersonId, name: &str, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO api_token (id, person_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
    on_write!(db, c => sqlx::query(Q).bind(id).bind(person.0).bind(name).bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list_tokens(db: &Db, person: PersonId) -> Result<Vec<ApiToken>> {
    const Q: &str =
        "SELECT id, name, created_at, last_used_at FROM api_token WHERE person_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC";
    let rows: Vec<TokenRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(id, name, created_at, last_used_at)| ApiToken { id, name, created_at, last_used_at }).collect())
}

/// Revokes one of `person`'s tokens. False when there is no such live token of theirs.
pub async fn revoke_token(db: &Db, person: PersonId, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE api_token SET revoked_at = $3 WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL";
    Ok(on_write!(db, c => sqlx::query(Q).bind(id).bind(person.0).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}

/// Revokes every live token of `person`. The number revoked.
pub async fn revoke_all_tokens(tx: &mut Tx, person: PersonId, now: DateTime<Utc>) -> Result<u64> {
    const Q: &str = "UPDATE api_token SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(person.0).bind(now).execute(c).await.map(|r| r.rows_affected()))?)
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
    pub revoked_at: Option<DateTime<Utc>>,
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

/// Revokes every open invitation of `person` except `keep`.
pub async fn revoke_invitations(tx: &mut Tx, person: PersonId, keep: Option<Uuid>, now: DateTime<Utc>) -> Result<u64> {
    const Q: &str =
        "UPDATE invitation SET revoked_at = $2 WHERE person_id = $1 AND id <> $3 AND accepted_at IS NULL AND revoked_at IS NULL";
    Ok(
        on_tx!(tx, c => sqlx::query(Q).bind(person.0).bind(now).bind(keep.unwrap_or(Uuid::nil())).execute(c).await.map(|r| r.rows_affected()))?,
    )
}

pub async fn find_invitation(db: &Db, token_hash: &str) -> Result<Option<InvitationRecord>> {
    const Q: &str = "SELECT id, person_id, expires_at, accepted_at, revoked_at FROM invitation WHERE token_hash = $1";
    let row: Option<InvitationRow> = on_db!(db, p => sqlx::query_as(Q).bind(token_hash).fetch_optional(p).await)?;
    let Some((id, pid, expires_at, accepted_at, revoked_at)) = row else { return Ok(None) };
    Ok(super::people::get(db, PersonId(pid)).await?.map(|person| InvitationRecord { id, person, expires_at, accepted_at, revoked_at }))
}

/// Marks an invitation used, if it is still open (not used, not revoked, not expired). False
/// otherwise — also for the loser of two acceptances racing each other: the row is locked by
/// the first, and the second sees it used.
pub async fn accept_invitation(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str =
        "UPDATE invitation SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}

/// Sets the password of an account that has none yet (accepting an invitation). False when the
/// account already has one: an invitation never replaces a password.
pub async fn set_first_password(tx: &mut Tx, id: PersonId, hash: &str, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "UPDATE person SET password_hash = $2, updated_at = $3 WHERE id = $1 AND password_hash IS NULL";
    Ok(on_tx!(tx, c => sqlx::query(Q).bind(id.0).bind(hash).bind(now).execute(c).await.map(|r| r.rows_affected()))? == 1)
}
