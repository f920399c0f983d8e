//! What was sent (by idempotency key), the in-app inbox, calendar feed tokens (hashed) and
//! reminder settings.

use super::{Db, Result, Tx, on_db, on_tx, on_write};
use crate::domain::PersonId;
use crate::domain::messages::{InboxMessage, ReminderSettings};
use chrono::{DateTime, NaiveTime, Utc};
use uuid::Uuid;

// ---- sent messages ----

pub async fn was_sent(db: &Db, key: &str) -> Result<bool> {
    const Q: &str = "SELECT COUNT(*) FROM sent_message WHERE idempotency_key = $1";
    let n: i64 = on_db!(db, p => sqlx::query_scalar(Q).bind(key).fetch_one(p).await)?;
    Ok(n > 0)
}

/// Records a message as sent. False when it already was (then the caller sends nothing).
pub async fn record_sent(tx: &mut Tx, key: &str, channel: &str, recipient: &str, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "INSERT INTO sent_message (idempotency_key, channel, recipient, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT (idempotency_key) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(Q).bind(key).bind(channel).bind(recipient).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn sent_count(db: &Db, key_prefix: &str) -> Result<i64> {
    const Q: &str = "SELECT COUNT(*) FROM sent_message WHERE idempotency_key LIKE $1";
    Ok(on_db!(db, p => sqlx::query_scalar(Q).bind(format!("{key_prefix}%")).fetch_one(p).await)?)
}

// ---- inbox ----

pub struct NewInboxMessage<'a> {
    pub person_id: PersonId,
    pub idempotency_key: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub calendar: Option<&'a str>,
}

pub async fn insert_inbox(tx: &mut Tx, m: &NewInboxMessage<'_>, now: DateTime<Utc>) -> Result<bool> {
    const Q: &str = "INSERT INTO inbox_message (id, person_id, idempotency_key, subject, body_text, body_html, calendar, created_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING";
    let n = on_tx!(tx, c => sqlx::query(Q)
        .bind(Uuid::now_v7()).bind(m.person_id.0).bind(m.idempotency_key).bind(m.subject).bind(m.body_text).bind(m.body_html).bind(m.calendar).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

type InboxRow = (Uuid, Uuid, String, String, String, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>);

fn inbox(r: InboxRow) -> InboxMessage {
    let (id, person, subject, body_text, body_html, calendar, created_at, read_at) = r;
    InboxMessage { id, person_id: PersonId(person), subject, body_text, body_html, calendar, created_at, read_at }
}

pub async fn inbox_of(db: &Db, person: PersonId, limit: i64) -> Result<Vec<InboxMessage>> {
    const Q: &str = "SELECT id, person_id, subject, body_text, body_html, calendar, created_at, read_at FROM inbox_message \
        WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
    let rows: Vec<InboxRow> = on_db!(db, p => sqlx::query_as(Q).bind(person.0).bind(limit).fetch_all(p).await)?;
    Ok(rows.into_iter().map(inbox).collect())
}

pub async fn get_inbox_message(db: &Db, id: Uuid) -> Result<Option<InboxMessage>> {
    const Q: &str = "SELECT id, person_id, subject, body_text, body_html, calendar, created_at, read_at FROM inbox_message WHERE id = $1";
    let row: Option<InboxRow> = on_db!(db, p => sqlx::query_as(Q).bind(id).fetch_optional(p).await)?;
    Ok(row.map(inbox))
}

pub async fn mark_read(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "UPDATE inbox_message SET read_at = $2 WHERE id = $1 AND read_at IS NULL";
    on_write!(db, c => sqlx::query(Q).bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn unread_count(db: &Db, person: PersonId) -> Result<i64> {
    const Q: &str = "SELECT COUNT(*) FROM inbox_message WHERE person_id = $1 AND read_at IS NULL";
    Ok(on_db!(db, p => sqlx::query_scalar(Q).bind(person.0).fetch_one(p).await)?)
}

// ---- calendar feeds ----

/// Replaces the person's feed token (a new link makes the old one stop working).
pub async fn set_feed(tx: &mut Tx, person: PersonId, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    const DEL: &str = "DELETE FROM calendar_feed WHERE person_id = $1";
    const INS: &str = "INSERT INTO calendar_feed (person_id, token_hash, created_at) VALUES ($1, $2, $3)";
    on_tx!(tx, c => sqlx::query(DEL).bind(person.0).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query(INS).bind(person.0).bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_feed(db: &Db, person: PersonId) -> Result<bool> {
    const Q: &str = "DELETE FROM calendar_feed WHERE person_id = $1";
    Ok(on_write!(db, c => sqlx::query(Q).bind(person.0).execute(c).await.map(|r| r.rows_affected()))? > 0)
}

pub async fn feed_created_at(db: &Db, person: PersonId) -> Result<Option<DateTime<Utc>>> {
    const Q: &str = "SELECT created_at FROM calendar_feed WHERE person_id = $1";
    Ok(on_db!(db, p => sqlx::query_scalar(Q).bind(person.0).fetch_optional(p).await)?)
}

pub async fn feed_owner(db: &Db, token_hash: &str) -> Result<Option<PersonId>> {
    const Q: &str = "SELECT person_id FROM calendar_feed WHERE token_hash = $1";
    let id: Option<Uuid> = on_db!(db, p => sqlx::query_scalar(Q).bind(token_hash).fetch_optional(p).await)?;
    Ok(id.map(PersonId))
}

// ---- reminder settings ----

#[derive(sqlx::FromRow)]
struct SettingsRow {
    prep_reminder: bool,
    prep_hours: i64,
    topic_nudge: bool,
    overdue_actions: bool,
    gap_alert: bool,
    weekly_digest: bool,
    quiet_start: String,
    quiet_end: String,
    webhook_url: String,
    team_webhook_url: String,
}

pub async fn reminder_settings(db: &Db, person: PersonId) -> Result<Option<ReminderSettings>> {
    let q = format!("SELECT {SETTINGS_COLS} FROM reminder_settings WHERE person_id = $1");
    let row: Option<SettingsRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(person.0).fetch_optional(p).await)?;
    Ok(row.map(settings))
}

/// The reminder settings of each of `people` who saved any (the others keep the defaults), a
/// few hundred people per statement.
pub async fn reminder_settings_of(db: &Db, people: &[Uuid]) -> Result<std::collections::HashMap<Uuid, ReminderSettings>> {
    let mut out = std::collections::HashMap::new();
    for chunk in people.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let q = format!("SELECT person_id, {SETTINGS_COLS} FROM reminder_settings WHERE person_id IN ({})", marks.join(", "));
        let rows: Vec<PersonSettingsRow> =
            on_db!(db, p => chunk.iter().fold(sqlx::query_as(sqlx::AssertSqlSafe(q.clone())), |q, id| q.bind(*id)).fetch_all(p).await)?;
        out.extend(rows.into_iter().map(|r| (r.person_id, settings(r.settings))));
    }
    Ok(out)
}

const SETTINGS_COLS: &str = "prep_reminder, prep_hours, topic_nudge, overdue_actions, gap_alert, weekly_digest, quiet_start, quiet_end, \
    webhook_url, team_webhook_url";

#[derive(sqlx::FromRow)]
struct PersonSettingsRow {
    person_id: Uuid,
    #[sqlx(flatten)]
    settings: SettingsRow,
}

fn settings(r: SettingsRow) -> ReminderSettings {
    let d = ReminderSettings::default();
    ReminderSettings {
        prep_reminder: r.prep_reminder,
        prep_hours: r.prep_hours as u32,
        topic_nudge: r.topic_nudge,
        overdue_actions: r.overdue_actions,
        gap_alert: r.gap_alert,
        weekly_digest: r.weekly_digest,
        quiet_start: NaiveTime::parse_from_str(&r.quiet_start, "%H:%M").unwrap_or(d.quiet_start),
        quiet_end: NaiveTime::parse_from_str(&r.quiet_end, "%H:%M").unwrap_or(d.quiet_end),
        webhook_url: r.webhook_url,
        team_webhook_url: r.team_webhook_url,
    }
}

pub async fn save_reminder_settings(db: &Db, person: PersonId, s: &ReminderSettings, now: DateTime<Utc>) -> Result<()> {
    const Q: &str = "INSERT INTO reminder_settings (person_id, prep_reminder, prep_hours, topic_nudge, overdue_actions, gap_alert, weekly_digest, quiet_start, quiet_end, webhook_url, updated_at, team_webhook_url) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
        ON CONFLICT (person_id) DO UPDATE SET prep_reminder = $2, prep_hours = $3, topic_nudge = $4, overdue_actions = $5, gap_alert = $6, \
        weekly_digest = $7, quiet_start = $8, quiet_end = $9, webhook_url = $10, updated_at = $11, team_webhook_url = $12";
    on_write!(db, c => sqlx::query(Q)
        .bind(person.0).bind(s.prep_reminder).bind(s.prep_hours as i64).bind(s.topic_nudge).bind(s.overdue_actions).bind(s.gap_alert)
        .bind(s.weekly_digest).bind(s.quiet_start.format("%H:%M").to_string()).bind(s.quiet_end.format("%H:%M").to_string())
        .bind(&s.webhook_url).bind(now).bind(&s.team_webhook_url)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- what reminders and feeds read ----

use super::meetings::{
    ACTION_COLS, ActionRow, MEETING_COLS, MeetingRow, MeetingWithSeries, SERIES_COLS, SeriesRow, action, meeting, meeting_with_series,
    series,
};
use crate::domain::meeting::{ActionItem, Meeting, Series};

/// Meetings of a series that differ from its rule: moved, skipped or cancelled.
pub async fn changed_meetings(db: &Db, series_id: Uuid) -> Result<Vec<Meeting>> {
    let q = format!(
        "SELECT {MEETING_COLS} FROM meeting m WHERE m.series_id = $1 AND (m.moved_from_at IS NOT NULL OR m.status IN ('skipped', 'cancelled')) ORDER BY m.occurrence"
    );
    let rows: Vec<MeetingRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series_id).fetch_all(p).await)?;
    rows.into_iter().map(meeting).collect()
}

/// The start of the last meeting of a series that has begun by `now`, if any.
pub async fn last_started(db: &Db, series_id: Uuid, now: DateTime<Utc>) -> Result<Option<Meeting>> {
    let q = format!("SELECT {MEETING_COLS} FROM meeting m WHERE m.series_id = $1 AND m.starts_at <= $2 ORDER BY m.starts_at DESC LIMIT 1");
    let row: Option<MeetingRow> =
        on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series_id).bind(now).fetch_optional(p).await)?;
    row.map(meeting).transpose()
}

/// Scheduled meetings of active series starting after `from` and up to `to`, with their series.
pub async fn meetings_starting(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(Meeting, Series)>> {
    let q = format!(
        "SELECT {MEETING_COLS}, {SERIES_COLS} FROM meeting m JOIN series s ON s.id = m.series_id \
         WHERE m.starts_at > $1 AND m.starts_at <= $2 AND m.status = 'scheduled' AND s.status = 'active' ORDER BY m.starts_at"
    );
    let rows: Vec<MeetingWithSeries> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(from).bind(to).fetch_all(p).await)?;
    rows.into_iter().map(meeting_with_series).collect()
}

/// Open action items of a series (either owner).
pub async fn open_actions_of_series(db: &Db, series_id: Uuid) -> Result<Vec<ActionItem>> {
    let q = format!(
        "SELECT {ACTION_COLS} FROM action_item a WHERE a.series_id = $1 AND a.done_at IS NULL ORDER BY a.due_date IS NULL, a.due_date, a.created_at"
    );
    let rows: Vec<ActionRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(series_id).fetch_all(p).await)?;
    rows.into_iter().map(action).collect()
}

/// People with open action items due before `day`, for the overdue reminder.
pub async fn owners_with_overdue_actions(db: &Db, day: chrono::NaiveDate) -> Result<Vec<PersonId>> {
    const Q: &str = "SELECT DISTINCT owner_id FROM action_item WHERE done_at IS NULL AND due_date IS NOT NULL AND due_date < $1";
    let ids: Vec<Uuid> = on_db!(db, p => sqlx::query_scalar(Q).bind(day).fetch_all(p).await)?;
    Ok(ids.into_iter().map(PersonId).collect())
}

/// The person's webhook address, read inside a write transaction.
pub async fn webhook_url(tx: &mut Tx, person: PersonId) -> Result<Option<String>> {
    const Q: &str = "SELECT webhook_url FROM reminder_settings WHERE person_id = $1";
    let url: Option<String> = on_tx!(tx, c => sqlx::query_scalar(Q).bind(person.0).fetch_optional(c).await)?;
    Ok(url.filter(|u| !u.is_empty()))
}

/// Active regular series with the start of the last meeting that took place by `now` (held,
/// or scheduled and begun), for the "no 1:1 in three weeks" alert.
pub async fn active_regular_series_with_last_meeting(db: &Db, now: DateTime<Utc>) -> Result<Vec<(Series, Option<DateTime<Utc>>)>> {
    // One statement: each series' last meeting is read from the (series_id, starts_at) index,
    // newest first, stopping at the first that counts.
    let q = format!(
        "SELECT {SERIES_COLS}, (SELECT m.starts_at FROM meeting m WHERE m.series_id = s.id AND m.starts_at <= $1 \
         AND m.status IN ('held', 'scheduled') ORDER BY m.starts_at DESC LIMIT 1) AS last_started \
         FROM series s WHERE s.status = 'active' AND s.kind = 'regular' ORDER BY s.id"
    );
    let rows: Vec<SeriesWithLast> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(now).fetch_all(p).await)?;
    rows.into_iter().map(|r| Ok((series(r.series)?, r.last_started))).collect()
}

#[derive(sqlx::FromRow)]
struct SeriesWithLast {
    #[sqlx(flatten)]
    series: SeriesRow,
    last_started: Option<DateTime<Utc>>,
}

/// The start of the first scheduled meeting after `after`, if any: when the next meeting
/// enters the reminder scheduler's window.
pub async fn first_scheduled_after(db: &Db, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    const Q: &str = "SELECT starts_at FROM meeting WHERE starts_at > $1 AND status = 'scheduled' ORDER BY starts_at LIMIT 1";
    Ok(on_db!(db, p => sqlx::query_scalar(Q).bind(after).fetch_optional(p).await)?)
}

/// Everyone who can sign in, for the weekly digest.
pub async fn people_who_sign_in(db: &Db) -> Result<Vec<crate::domain::Person>> {
    const Q: &str = concat!("SELECT ", crate::person_cols!(), " FROM person p WHERE p.password_hash IS NOT NULL ORDER BY p.id");
    let rows: Vec<super::people::PersonRow> = on_db!(db, p => sqlx::query_as(Q).fetch_all(p).await)?;
    Ok(rows.into_iter().map(super::people::person).collect())
}

/// Active recurring series whose last meeting record starts before `horizon`.
pub async fn series_running_short(db: &Db, horizon: DateTime<Utc>) -> Result<Vec<Series>> {
    let q = format!(
        "SELECT {SERIES_COLS} FROM series s WHERE s.status = 'active' AND s.kind <> 'one_off' \
         AND COALESCE((SELECT MAX(m.starts_at) FROM meeting m WHERE m.series_id = s.id), $1) < $1 ORDER BY s.id"
    );
    let rows: Vec<SeriesRow> = on_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(horizon).fetch_all(p).await)?;
    rows.into_iter().map(series).collect()
}

/// A manager's team channel webhook, read inside a write transaction.
pub async fn team_webhook_url(tx: &mut Tx, person: PersonId) -> Result<Option<String>> {
    const Q: &str = "SELECT team_webhook_url FROM reminder_settings WHERE person_id = $1";
    let url: Option<String> = on_tx!(tx, c => sqlx::query_scalar(Q).bind(person.0).fetch_optional(c).await)?;
    Ok(url.filter(|u| !u.is_empty()))
}

/// The occurrence numbers of a series that have a meeting record.
pub async fn occurrence_numbers(db: &Db, series_id: Uuid) -> Result<Vec<i64>> {
    const Q: &str = "SELECT occurrence FROM meeting WHERE series_id = $1 ORDER BY occurrence";
    Ok(on_db!(db, p => sqlx::query_scalar(Q).bind(series_id).fetch_all(p).await)?)
}
