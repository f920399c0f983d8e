//! Messages: the job queue that sends them, e-mail over SMTP (or only the in-app inbox when no
//! SMTP server is configured), invitations with iCalendar parts, the private calendar feed,
//! reminder settings and the scheduler that queues reminders when they fall due.
//!
//! Exactly once: every message has an idempotency key. Queueing the same key twice queues one
//! job; before sending, the worker checks the sent-message record, and it records the send
//! in the same transaction that completes the job. A worker that dies mid-job leaves its
//! lease to run out; another worker then takes the job and, finding no record, sends it.
//! The one window left is an SMTP server that accepted the message just before the process
//! died: the retry sends it again with the same Message-ID, which mail systems deduplicate.

use super::mail::{self, Rendered};
use super::{App, AppError, AppResult};
use crate::config::{MailConfig, MailTls};
use crate::domain::ical::{self, Event, Method, Party};
use crate::domain::meeting::{Meeting, MeetingStatus, Series, SeriesKind, SeriesStatus};
use crate::domain::messages::{self as rules, ReminderSettings};
use crate::domain::policy::{Action, Resource};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::jobs::{self, ClaimedJob, JobRow, NewJob};
use crate::store::messages::{self as store, InboxMessage, NewInboxMessage};
use crate::store::{Tx, meetings, people};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const EMAIL_JOB: &str = "email";
pub const WEBHOOK_JOB: &str = "webhook";
const FEED_PREFIX: &str = "rcal_";

/// An e-mail as it waits in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to_person: Uuid,
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<CalendarPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPart {
    /// REQUEST or CANCEL.
    pub method: String,
    pub ics: String,
}

/// A Slack-compatible incoming-webhook call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCall {
    pub url: String,
    pub text: String,
}

/// What the admin page shows.
#[derive(Debug, Clone)]
pub struct JobReport {
    pub counts: Vec<(String, i64)>,
    pub troubled: Vec<JobRow>,
}

/// How one attempt ended, when it did not succeed.
#[derive(Debug)]
enum Failure {
    /// Worth trying again later (server unreachable, a 4xx SMTP reply, a 5xx from a webhook).
    Transient(String),
    /// Trying again will not help (a recipient the server refuses, a malformed message).
    Permanent(String),
}

impl App {
    /// The address people reach rapport at, for links in messages.
    pub fn public_base(&self) -> String {
        self.config.public_url.clone().unwrap_or_else(|| format!("http://{}", self.config.bind))
    }

    // ---- queueing ----

    /// Queues an e-mail (and the same text to the person's webhook, when they have one) in the
    /// caller's transaction, so it is sent if and only if the change commits.
    pub(crate) async fn queue_email(
        &self,
        tx: &mut Tx,
        key: &str,
        to: &Person,
        message: Rendered,
        calendar: Option<CalendarPart>,
        chat: Option<String>,
    ) -> AppResult<bool> {
        let now = self.clock.now();
        let email = Email {
            to_person: to.id.0,
            to: to.email.clone(),
            to_name: to.name.clone(),
            subject: message.subject,
            text: message.text,
            html: message.html,
            calendar,
        };
        let payload = serde_json::to_string(&email).map_err(anyhow::Error::from)?;
        let job = NewJob { kind: EMAIL_JOB, payload: &payload, idempotency_key: key, run_at: now, max_attempts: rules::MAX_ATTEMPTS };
        let added = jobs::enqueue(tx, &job, now).await?;
        if let Some(text) = chat
            && let Some(url) = store::webhook_url(tx, to.id).await?
        {
            {
                let call = WebhookCall { url, text };
                let payload = serde_json::to_string(&call).map_err(anyhow::Error::from)?;
                let hook_key = format!("{key}:webhook");
                let job = NewJob {
                    kind: WEBHOOK_JOB,
                    payload: &payload,
                    idempotency_key: &hook_key,
                    run_at: now,
                    max_attempts: rules::MAX_ATTEMPTS,
                };
                jobs::enqueue(tx, &job, now).await?;
            }
        }
        Ok(added)
    }

    // ---- the worker ----

    /// Claims the jobs that are due and runs them. Returns how many were run.
    pub async fn run_jobs(&self, worker: &str) -> AppResult<usize> {
        let mut total = 0;
        loop {
            let now = self.clock.now();
            let lease = now + Duration::seconds(self.config.job_lease_secs as i64);
            let batch = jobs::claim(&self.db, worker, now, lease, 10).await?;
            if batch.is_empty() {
                return Ok(total);
            }
            for job in batch {
                total += 1;
                self.run_job(worker, job).await?;
            }
        }
    }

    async fn run_job(&self, worker: &str, job: ClaimedJob) -> AppResult<()> {
        let result = match job.kind.as_str() {
            EMAIL_JOB => match serde_json::from_str::<Email>(&job.payload) {
                Ok(email) => self.deliver_email(worker, &job, &email).await,
                Err(e) => Err(Failure::Permanent(format!("unreadable job: {e}"))),
            },
            WEBHOOK_JOB => match serde_json::from_str::<WebhookCall>(&job.payload) {
                Ok(call) => self.deliver_webhook(worker, &job, &call).await,
                Err(e) => Err(Failure::Permanent(format!("unreadable job: {e}"))),
            },
            other => Err(Failure::Permanent(format!("unknown kind of job {other:?}"))),
        };
        let now = self.clock.now();
        match result {
            Ok(()) => Ok(()),
            Err(Failure::Transient(msg)) if job.attempts < job.max_attempts => {
                let at = now + rules::retry_delay(job.attempts);
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, retry_at = %at, error = %msg, "job failed; will retry");
                jobs::fail(&self.db, job.id, worker, &msg, Some(at), now).await?;
                Ok(())
            }
            Err(Failure::Transient(msg) | Failure::Permanent(msg)) => {
                tracing::error!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %msg, "job failed for good");
                jobs::fail(&self.db, job.id, worker, &msg, None, now).await?;
                Ok(())
            }
        }
    }

    async fn finish(&self, worker: &str, job: &ClaimedJob, email: Option<&Email>, channel: &str, recipient: &str) -> Result<(), Failure> {
        let internal = |e: crate::store::StoreError| Failure::Transient(format!("database: {e}"));
        let now = self.clock.now();
        let mut tx = self.db.begin().await.map_err(internal)?;
        if let Some(e) = email {
            let m = NewInboxMessage {
                person_id: PersonId(e.to_person),
                idempotency_key: &job.idempotency_key,
                subject: &e.subject,
                body_text: &e.text,
                body_html: &e.html,
                calendar: e.calendar.as_ref().map(|c| c.ics.as_str()),
            };
            store::insert_inbox(&mut tx, &m, now).await.map_err(internal)?;
        }
        store::record_sent(&mut tx, &job.idempotency_key, channel, recipient, now).await.map_err(internal)?;
        jobs::complete(&mut tx, job.id, worker, now).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    async fn deliver_email(&self, worker: &str, job: &ClaimedJob, email: &Email) -> Result<(), Failure> {
        if store::was_sent(&self.db, &job.idempotency_key).await.map_err(|e| Failure::Transient(e.to_string()))? {
            // Sent by an earlier attempt whose completion was lost: finish without sending.
            let mut tx = self.db.begin().await.map_err(|e| Failure::Transient(e.to_string()))?;
            jobs::complete(&mut tx, job.id, worker, self.clock.now()).await.map_err(|e| Failure::Transient(e.to_string()))?;
            tx.commit().await.map_err(|e| Failure::Transient(e.to_string()))?;
            return Ok(());
        }
        match &self.config.mail {
            // No SMTP: the inbox in rapport is the delivery.
            None => self.finish(worker, job, Some(email), "inbox", &email.to).await,
            Some(cfg) => {
                send_smtp(cfg, email, &job.idempotency_key).await?;
                self.finish(worker, job, Some(email), "smtp", &email.to).await
            }
        }
    }

    async fn deliver_webhook(&self, worker: &str, job: &ClaimedJob, call: &WebhookCall) -> Result<(), Failure> {
        if store::was_sent(&self.db, &job.idempotency_key).await.map_err(|e| Failure::Transient(e.to_string()))? {
            let mut tx = self.db.begin().await.map_err(|e| Failure::Transient(e.to_string()))?;
            jobs::complete(&mut tx, job.id, worker, self.clock.now()).await.map_err(|e| Failure::Transient(e.to_string()))?;
            tx.commit().await.map_err(|e| Failure::Transient(e.to_string()))?;
            return Ok(());
        }
        post_webhook(call).await?;
        self.finish(worker, job, None, "webhook", &redact_webhook(&call.url)).await
    }

    /// `rapport mail test ADDRESS`: sends one message straight away (no queue), so an
    /// operator sees the SMTP server's answer at once.
    pub async fn send_test_mail(&self, to: &str) -> AppResult<()> {
        let cfg = self.config.mail.as_ref().ok_or_else(|| {
            AppError::Invalid(Invalid::one(
                "mail",
                "No SMTP server is configured: set [mail] in rapport.toml or RAPPORT_MAIL_HOST. Until then messages go to each person's inbox in rapport.",
            ))
        })?;
        let address = crate::domain::EmailAddress::parse(to).map_err(|m| Invalid::one("address", m))?;
        let link = self.public_base();
        let server = format!("{}:{}", cfg.host, cfg.port);
        let subject = "rapport test message";
        let r = mail::render(
            subject,
            &mail::test::Text { subject, link: &link, server: &server },
            &mail::test::Html { subject, link: &link, server: &server },
        )?;
        let email = Email {
            to_person: Uuid::nil(),
            to: address.original,
            to_name: String::new(),
            subject: r.subject,
            text: r.text,
            html: r.html,
            calendar: None,
        };
        let key = format!("test:{}", Uuid::now_v7());
        send_smtp(cfg, &email, &key).await.map_err(|f| match f {
            Failure::Transient(m) | Failure::Permanent(m) => AppError::Internal(anyhow::anyhow!(m)),
        })
    }

    // ---- the admin page ----

    pub async fn job_report(&self, actor: &Person) -> AppResult<JobReport> {
        self.require(actor, actor, Action::Read, Resource::JobQueue).await?;
        Ok(JobReport { counts: jobs::counts(&self.db).await?, troubled: jobs::troubled(&self.db, 200).await? })
    }

    /// Puts a job that failed for good back in the queue.
    pub async fn retry_job(&self, actor: &Person, id: Uuid) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::JobQueue).await?;
        if jobs::retry(&self.db, id, self.clock.now()).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    // ---- the inbox ----

    pub async fn inbox(&self, actor: &Person) -> AppResult<Vec<InboxMessage>> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        Ok(store::inbox_of(&self.db, actor.id, 200).await?)
    }

    /// One message of the actor's own inbox (anyone else's is not found), marked read.
    pub async fn inbox_message(&self, actor: &Person, id: Uuid) -> AppResult<InboxMessage> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        let m = store::get_inbox_message(&self.db, id).await?.filter(|m| m.person_id == actor.id).ok_or(AppError::NotFound)?;
        store::mark_read(&self.db, m.id, self.clock.now()).await?;
        Ok(m)
    }

    pub async fn unread_messages(&self, actor: &Person) -> AppResult<i64> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        Ok(store::unread_count(&self.db, actor.id).await?)
    }

    // ---- reminder settings ----

    async fn settings_of(&self, person: PersonId) -> AppResult<ReminderSettings> {
        Ok(store::reminder_settings(&self.db, person).await?.unwrap_or_default())
    }

    pub async fn reminder_settings(&self, actor: &Person) -> AppResult<ReminderSettings> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        self.settings_of(actor.id).await
    }

    pub async fn save_reminder_settings(&self, actor: &Person, settings: ReminderSettings) -> AppResult<ReminderSettings> {
        self.require(actor, actor, Action::Write, Resource::OwnMessages).await?;
        let mut errors = Invalid::default();
        if !(1..=72).contains(&settings.prep_hours) {
            errors.push(FieldError::new("prep_hours", "Choose between 1 and 72 hours before the meeting."));
        }
        let url = settings.webhook_url.trim().to_string();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            errors.push(FieldError::new("webhook_url", "A webhook address starts with https:// (for example one Slack gives you)."));
        }
        if url.len() > 500 {
            errors.push(FieldError::new("webhook_url", "That address is too long."));
        }
        errors.into_result()?;
        let settings = ReminderSettings { webhook_url: url, ..settings };
        store::save_reminder_settings(&self.db, actor.id, &settings, self.clock.now()).await?;
        Ok(settings)
    }

    // ---- the calendar feed ----

    /// Makes a new private feed link; an earlier link stops working. The token is shown once.
    pub async fn create_calendar_feed(&self, actor: &Person) -> AppResult<String> {
        self.require(actor, actor, Action::Write, Resource::OwnMessages).await?;
        let token = format!("{FEED_PREFIX}{}", super::secrets::random_token());
        let mut tx = self.db.begin().await?;
        store::set_feed(&mut tx, actor.id, &super::secrets::token_hash(&token), self.clock.now()).await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn revoke_calendar_feed(&self, actor: &Person) -> AppResult<bool> {
        self.require(actor, actor, Action::Write, Resource::OwnMessages).await?;
        Ok(store::delete_feed(&self.db, actor.id).await?)
    }

    /// When the actor's current feed link was made, if they have one.
    pub async fn calendar_feed_status(&self, actor: &Person) -> AppResult<Option<DateTime<Utc>>> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        Ok(store::feed_created_at(&self.db, actor.id).await?)
    }

    /// The feed behind a token: every 1:1 series of its owner. The token is the credential;
    /// an unknown or revoked one is not found.
    pub async fn calendar_feed(&self, token: &str, base: &str) -> AppResult<String> {
        if !token.starts_with(FEED_PREFIX) || token.len() > 100 {
            return Err(AppError::NotFound);
        }
        let owner = store::feed_owner(&self.db, &super::secrets::token_hash(token)).await?.ok_or(AppError::NotFound)?;
        let person = people::get(&self.db, owner).await?.ok_or(AppError::NotFound)?;
        self.calendar_of(&person, base).await
    }

    /// The calendar of every series `person` takes part in (they are one of each pair).
    async fn calendar_of(&self, person: &Person, base: &str) -> AppResult<String> {
        let now = self.clock.now();
        let mut events = vec![];
        for series in meetings::series_of_person(&self.db, person.id).await? {
            let until = if series.status == SeriesStatus::Active {
                None
            } else {
                match store::last_started(&self.db, series.id, now).await? {
                    Some(m) => Some(m.starts_at),
                    None => continue, // stopped before it began: nothing to show
                }
            };
            let (manager, teammate) = self.pair_people(&series).await?;
            let changed = store::changed_meetings(&self.db, series.id).await?;
            events.extend(series_events(&series, &manager, &teammate, person.id, &changed, until, base, now));
        }
        Ok(ical::calendar(None, Some("1:1s (rapport)"), &events))
    }

    // ---- invitations ----

    /// After a series starts: an invitation with the whole series to both people.
    pub(crate) async fn queue_series_invitations(
        &self,
        tx: &mut Tx,
        series: &Series,
        manager: &Person,
        teammate: &Person,
    ) -> AppResult<()> {
        let base = self.public_base();
        let now = self.clock.now();
        let Some(first) = series.schedule.occurrence(0) else { return Ok(()) };
        for (to, other, for_teammate) in [(manager, teammate, false), (teammate, manager, true)] {
            let events = series_events(series, manager, teammate, to.id, &[], None, &base, now);
            let ics = ical::calendar(Some(Method::Request), None, &events);
            let tz = to_tz(to);
            let first_text = first.starts_at.with_timezone(&tz).format("%A %-d %B %Y at %H:%M").to_string();
            let when = format!(
                "{}s at {} ({})",
                series.schedule.weekday_name(),
                series.schedule.local_time.format("%H:%M"),
                series.schedule.tz.name()
            );
            let link = format!("{base}/series/{}", series.id);
            let subject = format!("1:1s with {}: starting {}", other.name, first.starts_at.with_timezone(&tz).format("%-d %B"));
            let cadence = series.schedule.cadence.label();
            let r = mail::render(
                &subject,
                &mail::series_started::Text {
                    subject: &subject,
                    name: &to.name,
                    other: &other.name,
                    for_teammate,
                    cadence,
                    when: &when,
                    minutes: series.duration_minutes,
                    first: &first_text,
                    link: &link,
                },
                &mail::series_started::Html {
                    subject: &subject,
                    name: &to.name,
                    other: &other.name,
                    for_teammate,
                    cadence,
                    when: &when,
                    minutes: series.duration_minutes,
                    first: &first_text,
                    link: &link,
                },
            )?;
            let key = format!("invite:{}:v{}:{}", series.id, series.version, to.id.0);
            let chat = format!("1:1s with {} start {} ({}): {link}", other.name, first_text, cadence);
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: "REQUEST".into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }

    /// What the calendar needs to know about a series that was paused, resumed or ended:
    /// read before the change's transaction begins.
    pub(crate) async fn series_update_facts(&self, series: &Series) -> AppResult<(Person, Person, Vec<Meeting>, Option<DateTime<Utc>>)> {
        let (manager, teammate) = self.pair_people(series).await?;
        let changed = store::changed_meetings(&self.db, series.id).await?;
        let last = store::last_started(&self.db, series.id, self.clock.now()).await?.map(|m| m.starts_at);
        Ok((manager, teammate, changed, last))
    }

    /// After a series was paused, resumed or ended: the series again, with its end when it
    /// has one (REQUEST), or a cancellation when it ends before its first meeting.
    pub(crate) async fn queue_series_update(
        &self,
        tx: &mut Tx,
        series: &Series,
        facts: &(Person, Person, Vec<Meeting>, Option<DateTime<Utc>>),
    ) -> AppResult<()> {
        let (manager, teammate, changed, last) = facts;
        let base = self.public_base();
        let now = self.clock.now();
        let active = series.status == SeriesStatus::Active;
        let what = match series.status {
            SeriesStatus::Active => "continue as before",
            SeriesStatus::Paused => "are paused",
            SeriesStatus::Ended => "have ended",
        };
        for (to, other) in [(manager, teammate), (teammate, manager)] {
            let (method, events) = match (active, last) {
                (true, _) => (Method::Request, series_events(series, manager, teammate, to.id, changed, None, &base, now)),
                (false, Some(until)) => {
                    (Method::Request, series_events(series, manager, teammate, to.id, changed, Some(*until), &base, now))
                }
                (false, None) => {
                    let mut e = series_events(series, manager, teammate, to.id, &[], None, &base, now);
                    e.truncate(1);
                    if let Some(master) = e.first_mut() {
                        master.cancelled = true;
                    }
                    (Method::Cancel, e)
                }
            };
            let ics = ical::calendar(Some(method), None, &events);
            let link = format!("{base}/series/{}", series.id);
            let subject = format!("1:1s with {} {what}", other.name);
            let r = mail::render(
                &subject,
                &mail::series_changed::Text { subject: &subject, name: &to.name, other: &other.name, what, link: &link },
                &mail::series_changed::Html { subject: &subject, name: &to.name, other: &other.name, what, link: &link },
            )?;
            let key = format!("series:{}:v{}:{}", series.id, series.version, to.id.0);
            let chat = format!("{subject}: {link}");
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: method.as_str().into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }

    /// After a meeting moved: an updated invitation for that one occurrence to both people.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn queue_move_notices(
        &self,
        tx: &mut Tx,
        series: &Series,
        manager: &Person,
        teammate: &Person,
        before: &Meeting,
        after: &Meeting,
    ) -> AppResult<()> {
        let (manager, teammate) = (manager.clone(), teammate.clone());
        let base = self.public_base();
        let now = self.clock.now();
        for (to, other) in [(&manager, &teammate), (&teammate, &manager)] {
            let event = occurrence_event(series, &manager, &teammate, to.id, after, false, &base, now);
            let ics = ical::calendar(Some(Method::Request), None, &[event]);
            let tz = to_tz(to);
            let from = before.starts_at.with_timezone(&tz).format("%A %-d %B at %H:%M").to_string();
            let to_text = after.starts_at.with_timezone(&tz).format("%A %-d %B at %H:%M").to_string();
            let link = format!("{base}/meetings/{}", after.id);
            let subject = format!("1:1 with {} moved to {}", other.name, to_text);
            let r = mail::render(
                &subject,
                &mail::meeting_moved::Text {
                    subject: &subject,
                    name: &to.name,
                    other: &other.name,
                    from: &from,
                    to: &to_text,
                    reason: &after.status_reason,
                    link: &link,
                },
                &mail::meeting_moved::Html {
                    subject: &subject,
                    name: &to.name,
                    other: &other.name,
                    from: &from,
                    to: &to_text,
                    reason: &after.status_reason,
                    link: &link,
                },
            )?;
            let key = format!("move:{}:v{}:{}", after.id, after.version, to.id.0);
            let chat = format!("Your 1:1 with {} moved from {from} to {to_text}: {link}", other.name);
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: "REQUEST".into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }

    /// After a meeting was skipped or cancelled: a cancellation of that occurrence to both.
    pub(crate) async fn queue_cancel_notices(
        &self,
        tx: &mut Tx,
        series: &Series,
        manager: &Person,
        teammate: &Person,
        meeting: &Meeting,
    ) -> AppResult<()> {
        let (manager, teammate) = (manager.clone(), teammate.clone());
        let base = self.public_base();
        let now = self.clock.now();
        for (to, other) in [(&manager, &teammate), (&teammate, &manager)] {
            let event = occurrence_event(series, &manager, &teammate, to.id, meeting, true, &base, now);
            let ics = ical::calendar(Some(Method::Cancel), None, &[event]);
            let when = meeting.starts_at.with_timezone(&to_tz(to)).format("%A %-d %B at %H:%M").to_string();
            let link = format!("{base}/meetings/{}", meeting.id);
            let subject = format!("1:1 with {} on {} will not take place", other.name, when);
            let status = meeting.status.as_str();
            let r = mail::render(
                &subject,
                &mail::meeting_cancelled::Text {
                    subject: &subject,
                    name: &to.name,
                    other: &other.name,
                    when: &when,
                    status,
                    reason: &meeting.status_reason,
                    link: &link,
                },
                &mail::meeting_cancelled::Html {
                    subject: &subject,
                    name: &to.name,
                    other: &other.name,
                    when: &when,
                    status,
                    reason: &meeting.status_reason,
                    link: &link,
                },
            )?;
            let key = format!("cancel:{}:v{}:{}", meeting.id, meeting.version, to.id.0);
            let chat = format!("Your 1:1 with {} on {when} will not take place ({status}): {link}", other.name);
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: "CANCEL".into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }

    // ---- reminders ----

    /// One pass of the reminder scheduler: queues every reminder that is due by the clock
    /// and not yet queued (idempotency keys make a second pass, or a second instance, queue
    /// nothing new). Returns how many were queued.
    pub async fn run_scheduler(&self) -> AppResult<usize> {
        let now = self.clock.now();
        let mut queued = 0;
        // Meetings exist as records a few ahead; keep them there even when nobody opens rapport,
        // so reminders have meetings to be about.
        for series in store::series_running_short(&self.db, now + Duration::days(14)).await? {
            let mut tx = self.db.begin().await?;
            self.ensure_meetings(&mut tx, &series, now, false).await?;
            tx.commit().await?;
        }
        // Prep reminders: meetings in the next three days (the longest lead time a person can choose).
        // Keys already queued are read once, so meetings whose reminders are all queued cost nothing more.
        let known = jobs::keys_since(&self.db, now - Duration::days(4)).await?;
        for (meeting, series) in store::meetings_starting(&self.db, now, now + Duration::hours(73)).await? {
            let keys = [
                format!("prep:{}:{}", meeting.id, series.manager_id.0),
                format!("prep:{}:{}", meeting.id, series.teammate_id.0),
                format!("nudge:{}", meeting.id),
            ];
            if keys.iter().all(|k| known.contains(k)) {
                continue;
            }
            let (manager, teammate) = self.pair_people(&series).await?;
            if self.queue_topic_nudge(&meeting, &manager, &teammate, now).await? {
                queued += 1;
            }
            for (who, other) in [(&manager, &teammate), (&teammate, &manager)] {
                let settings = self.settings_of(who.id).await?;
                if !settings.prep_reminder {
                    continue;
                }
                let due = rules::prep_due(meeting.starts_at, settings.prep_hours);
                if settings.delivery_time(due, to_tz(who), Some(meeting.starts_at)) > now {
                    continue;
                }
                let key = format!("prep:{}:{}", meeting.id, who.id.0);
                if jobs::by_key(&self.db, &key).await?.is_some() {
                    continue;
                }
                let r = self.render_prep(who, other, &series, &meeting).await?;
                let chat = format!("{} ({})", r.subject, format_args!("{}/meetings/{}/prep", self.public_base(), meeting.id));
                let mut tx = self.db.begin().await?;
                if self.queue_email(&mut tx, &key, who, r, None, Some(chat)).await? {
                    queued += 1;
                }
                tx.commit().await?;
            }
        }
        // Overdue action items: one message a day per person, in the morning of their zone.
        let today_utc = now.date_naive();
        for owner in store::owners_with_overdue_actions(&self.db, today_utc).await? {
            let Some(person) = people::get(&self.db, owner).await? else { continue };
            let settings = self.settings_of(owner).await?;
            let tz = to_tz(&person);
            if !settings.overdue_actions || settings.is_quiet(now.with_timezone(&tz).time()) {
                continue;
            }
            let local_day = now.with_timezone(&tz).date_naive();
            let key = format!("overdue:{}:{}", owner.0, local_day);
            if jobs::by_key(&self.db, &key).await?.is_some() {
                continue;
            }
            let items: Vec<String> = meetings::open_actions_of(&self.db, owner, None)
                .await?
                .into_iter()
                .filter(|a| a.due_date.is_some_and(|d| d < local_day))
                .map(|a| format!("{} (due {})", a.body, a.due_date.map(|d| d.format("%-d %B").to_string()).unwrap_or_default()))
                .collect();
            if items.is_empty() {
                continue;
            }
            let link = format!("{}/actions", self.public_base());
            let subject = if items.len() == 1 {
                "An action item is past due".to_string()
            } else {
                format!("{} action items are past due", items.len())
            };
            let chat = format!("{subject}: {link}");
            let r = mail::render(
                &subject,
                &mail::overdue_actions::Text { subject: &subject, name: &person.name, items: items.clone(), link: &link },
                &mail::overdue_actions::Html { subject: &subject, name: &person.name, items, link: &link },
            )?;
            let mut tx = self.db.begin().await?;
            if self.queue_email(&mut tx, &key, &person, r, None, Some(chat)).await? {
                queued += 1;
            }
            tx.commit().await?;
        }
        queued += self.queue_gap_alerts(now).await?;
        queued += self.queue_weekly_digests(now).await?;
        Ok(queued)
    }

    /// Two days before a 1:1 whose agenda has nothing from the teammate: "it is your meeting".
    async fn queue_topic_nudge(&self, meeting: &Meeting, manager: &Person, teammate: &Person, now: DateTime<Utc>) -> AppResult<bool> {
        let settings = self.settings_of(teammate.id).await?;
        if !settings.topic_nudge
            || settings.delivery_time(meeting.starts_at - Duration::hours(48), to_tz(teammate), Some(meeting.starts_at)) > now
        {
            return Ok(false);
        }
        let key = format!("nudge:{}", meeting.id);
        if jobs::by_key(&self.db, &key).await?.is_some() {
            return Ok(false);
        }
        if meetings::points_of_meeting(&self.db, meeting.id).await?.iter().any(|p| p.author_id == teammate.id) {
            return Ok(false);
        }
        let when = meeting.starts_at.with_timezone(&to_tz(teammate)).format("%A %-d %B at %H:%M").to_string();
        let link = format!("{}/meetings/{}", self.public_base(), meeting.id);
        let subject = format!("What would you like to talk about with {}?", manager.name);
        let r = mail::render(
            &subject,
            &mail::topic_nudge::Text { subject: &subject, name: &teammate.name, other: &manager.name, when: &when, link: &link },
            &mail::topic_nudge::Html { subject: &subject, name: &teammate.name, other: &manager.name, when: &when, link: &link },
        )?;
        let chat = format!("{subject} Your 1:1 is {when}: {link}");
        let mut tx = self.db.begin().await?;
        let added = self.queue_email(&mut tx, &key, teammate, r, None, Some(chat)).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// For managers: a regular series with no 1:1 held for three weeks, once per gap.
    async fn queue_gap_alerts(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let mut queued = 0;
        for (series, last) in store::active_regular_series_with_last_meeting(&self.db, now).await? {
            let since = last.unwrap_or(series.created_at);
            if now - since < Duration::days(rules::GAP_DAYS) {
                continue;
            }
            let key = format!("gap:{}:{}", series.id, since.format("%Y-%m-%dT%H:%M"));
            if jobs::by_key(&self.db, &key).await?.is_some() {
                continue;
            }
            let (manager, teammate) = self.pair_people(&series).await?;
            let settings = self.settings_of(manager.id).await?;
            let tz = to_tz(&manager);
            if !settings.gap_alert || settings.is_quiet(now.with_timezone(&tz).time()) {
                continue;
            }
            let weeks = (now - since).num_days() / 7;
            let since_text =
                if last.is_some() { format!("{weeks} weeks") } else { format!("{weeks} weeks since the series began and still") };
            let next = match meetings::upcoming(&self.db, series.id, now, 1).await?.first() {
                Some(m) => m.starts_at.with_timezone(&tz).format("%A %-d %B at %H:%M").to_string(),
                None => "none planned".to_string(),
            };
            let link = format!("{}/series/{}", self.public_base(), series.id);
            let subject = format!("No 1:1 with {} for {weeks} weeks", teammate.name);
            let r = mail::render(
                &subject,
                &mail::gap_alert::Text {
                    subject: &subject,
                    name: &manager.name,
                    other: &teammate.name,
                    since: &since_text,
                    next: &next,
                    link: &link,
                },
                &mail::gap_alert::Html {
                    subject: &subject,
                    name: &manager.name,
                    other: &teammate.name,
                    since: &since_text,
                    next: &next,
                    link: &link,
                },
            )?;
            let chat = format!("{subject}: {link}");
            let mut tx = self.db.begin().await?;
            if self.queue_email(&mut tx, &key, &manager, r, None, Some(chat)).await? {
                queued += 1;
            }
            tx.commit().await?;
        }
        Ok(queued)
    }

    /// Monday from 08:00 in each person's zone: the week's 1:1s and their open actions.
    async fn queue_weekly_digests(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let mut queued = 0;
        let known = jobs::keys_since(&self.db, now - Duration::days(8)).await?;
        for person in store::people_who_sign_in(&self.db).await? {
            let tz = to_tz(&person);
            let week = rules::week_start(now, tz);
            // On Monday only: a digest that comes late in the week is of no use.
            if now < week || now >= week + Duration::days(1) {
                continue;
            }
            let key = format!("digest:{}:{}", person.id.0, week.with_timezone(&tz).date_naive());
            if known.contains(&key) {
                continue;
            }
            let settings = self.settings_of(person.id).await?;
            if !settings.weekly_digest || settings.is_quiet(now.with_timezone(&tz).time()) {
                continue;
            }
            let mut list = vec![];
            for (m, s) in meetings::upcoming_for_person(&self.db, person.id, now, 50).await? {
                if m.starts_at >= week + Duration::days(7) {
                    break;
                }
                let other = people::get(&self.db, s.other(person.id)).await?.map(|p| p.name).unwrap_or_default();
                list.push(format!("{} with {other}", m.starts_at.with_timezone(&tz).format("%A %H:%M")));
            }
            let actions: Vec<String> = meetings::open_actions_of(&self.db, person.id, None)
                .await?
                .into_iter()
                .map(|a| match a.due_date {
                    Some(d) => format!("{} (due {})", a.body, d.format("%-d %B")),
                    None => a.body,
                })
                .collect();
            let link = self.public_base();
            let subject = match list.len() {
                0 => "Your week: no 1:1s".to_string(),
                1 => "Your week: one 1:1".to_string(),
                n => format!("Your week: {n} 1:1s"),
            };
            let r = mail::render(
                &subject,
                &mail::weekly_digest::Text {
                    subject: &subject,
                    name: &person.name,
                    meetings: list.clone(),
                    actions: actions.clone(),
                    link: &link,
                },
                &mail::weekly_digest::Html { subject: &subject, name: &person.name, meetings: list, actions, link: &link },
            )?;
            let chat = format!("{subject}: {link}");
            let mut tx = self.db.begin().await?;
            if self.queue_email(&mut tx, &key, &person, r, None, Some(chat)).await? {
                queued += 1;
            }
            tx.commit().await?;
        }
        Ok(queued)
    }

    async fn render_prep(&self, who: &Person, other: &Person, series: &Series, meeting: &Meeting) -> AppResult<Rendered> {
        let topics: Vec<String> = meetings::points_of_meeting(&self.db, meeting.id)
            .await?
            .into_iter()
            .filter(|p| p.author_id == other.id && !p.discussed)
            .map(|p| p.body)
            .collect();
        let actions: Vec<String> = store::open_actions_of_series(&self.db, series.id)
            .await?
            .into_iter()
            .map(|a| {
                let owner = if a.owner_id == who.id { "you".to_string() } else { other.name.clone() };
                match a.due_date {
                    Some(d) => format!("{} ({owner}, due {})", a.body, d.format("%-d %B")),
                    None => format!("{} ({owner})", a.body),
                }
            })
            .collect();
        let when = meeting.starts_at.with_timezone(&to_tz(who)).format("%A %-d %B at %H:%M").to_string();
        let link = format!("{}/meetings/{}/prep", self.public_base(), meeting.id);
        let subject = format!("Your 1:1 with {}: {}", other.name, when);
        Ok(mail::render(
            &subject,
            &mail::prep_reminder::Text {
                subject: &subject,
                name: &who.name,
                other: &other.name,
                when: &when,
                topics: topics.clone(),
                actions: actions.clone(),
                link: &link,
            },
            &mail::prep_reminder::Html {
                subject: &subject,
                name: &who.name,
                other: &other.name,
                when: &when,
                topics,
                actions,
                link: &link,
            },
        )?)
    }

    /// The worker loop `rapport serve` runs: the scheduler, then due jobs, every few seconds,
    /// until `stop` fires. All timing decisions use `self.clock`; only the pause between
    /// passes is real time.
    pub async fn work(self, worker: String, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut last_schedule: Option<DateTime<Utc>> = None;
        loop {
            // Reminders are looked for once a minute by the clock; jobs every pass.
            let now = self.clock.now();
            if last_schedule.is_none_or(|t| now - t >= Duration::seconds(60)) {
                last_schedule = Some(now);
                if let Err(e) = self.run_scheduler().await {
                    tracing::error!(error = %e, "reminder scheduler failed");
                }
            }
            if let Err(e) = self.run_jobs(&worker).await {
                tracing::error!(error = %e, "job worker failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

fn to_tz(p: &Person) -> chrono_tz::Tz {
    p.timezone.parse().unwrap_or(chrono_tz::UTC)
}

fn summary(series: &Series, manager: &Person, teammate: &Person, viewer: PersonId) -> String {
    let other = if viewer == manager.id { &teammate.name } else { &manager.name };
    match series.kind {
        SeriesKind::SkipLevel => format!("Skip-level 1:1 with {other}"),
        _ => format!("1:1 with {other}"),
    }
}

pub fn series_uid(series: &Series) -> String {
    format!("series-{}@rapport", series.id)
}

/// The events of one series as `viewer` sees it: the series with its rule (cancelled and
/// skipped occurrences left out), and an override for each moved meeting.
#[allow(clippy::too_many_arguments)]
pub fn series_events(
    series: &Series,
    manager: &Person,
    teammate: &Person,
    viewer: PersonId,
    changed: &[Meeting],
    until: Option<DateTime<Utc>>,
    base: &str,
    now: DateTime<Utc>,
) -> Vec<Event> {
    let Some(first) = series.schedule.occurrence(0) else { return vec![] };
    let original = |m: &Meeting| series.schedule.occurrence(m.occurrence as u32).map(|o| o.starts_at).unwrap_or(m.starts_at);
    let one_off = series.kind == SeriesKind::OneOff;
    let mut exdates = vec![];
    let mut overrides = vec![];
    for m in changed {
        if matches!(m.status, MeetingStatus::Skipped | MeetingStatus::Cancelled) {
            exdates.push(original(m));
        } else if m.starts_at != original(m) {
            overrides.push(m);
        }
    }
    let link = format!("{base}/series/{}", series.id);
    let mut master = Event {
        uid: series_uid(series),
        sequence: series.version - 1,
        stamp: now,
        start: first.starts_at,
        tz: series.schedule.tz,
        duration_minutes: series.duration_minutes,
        summary: summary(series, manager, teammate, viewer),
        description: format!("Agenda, notes and actions: {link}"),
        url: Some(link),
        rrule: if one_off { None } else { Some(ical::rrule(&series.schedule, until)) },
        exdates,
        recurrence_id: None,
        cancelled: false,
        organizer: Some(Party { name: manager.name.clone(), email: manager.email.clone() }),
        attendees: vec![Party { name: teammate.name.clone(), email: teammate.email.clone() }],
    };
    if one_off {
        // A one-off meeting is a single event; a moved one simply has its new time.
        if let Some(m) = overrides.first() {
            master.start = m.starts_at;
            master.sequence = master.sequence.max(m.version - 1);
        }
        if !master.exdates.is_empty() {
            master.exdates.clear();
            master.cancelled = true;
        }
        return vec![master];
    }
    let mut out = vec![master];
    for m in overrides {
        out.push(occurrence_event(series, manager, teammate, viewer, m, false, base, now));
    }
    out
}

/// One occurrence of a series: its override (moved), or its cancellation.
#[allow(clippy::too_many_arguments)]
pub fn occurrence_event(
    series: &Series,
    manager: &Person,
    teammate: &Person,
    viewer: PersonId,
    m: &Meeting,
    cancelled: bool,
    base: &str,
    now: DateTime<Utc>,
) -> Event {
    let original = series.schedule.occurrence(m.occurrence as u32).map(|o| o.starts_at).unwrap_or(m.starts_at);
    let link = format!("{base}/meetings/{}", m.id);
    let one_off = series.kind == SeriesKind::OneOff;
    Event {
        uid: series_uid(series),
        // Above the series' own sequence, so a client takes this change over the series.
        sequence: series.version - 1 + m.version - 1,
        stamp: now,
        start: m.starts_at,
        tz: series.schedule.tz,
        duration_minutes: m.duration_minutes,
        summary: summary(series, manager, teammate, viewer),
        // Only the link: a calendar (and whoever holds a feed link) sees when and with whom,
        // never what the two wrote, not even the reason for a move.
        description: format!("Agenda, notes and actions: {link}"),
        url: Some(link),
        rrule: None,
        exdates: vec![],
        recurrence_id: if one_off { None } else { Some(original) },
        cancelled,
        organizer: Some(Party { name: manager.name.clone(), email: manager.email.clone() }),
        attendees: vec![Party { name: teammate.name.clone(), email: teammate.email.clone() }],
    }
}

fn redact_webhook(url: &str) -> String {
    // Webhook addresses are secrets (anyone with one can post): keep only the host.
    url.split('/').take(3).collect::<Vec<_>>().join("/") + "/…"
}

fn redact(cfg: &MailConfig, text: String) -> String {
    match &cfg.password {
        Some(p) if !p.expose().is_empty() => text.replace(p.expose(), "[redacted]"),
        _ => text,
    }
}

/// Sends one e-mail over SMTP: text and HTML as multipart/alternative, plus the iCalendar
/// invitation as a text/calendar part with its method, as mail clients expect.
async fn send_smtp(cfg: &MailConfig, email: &Email, key: &str) -> Result<(), Failure> {
    use lettre::message::header::ContentType;
    use lettre::message::{Mailbox, MultiPart, SinglePart};
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let from: Mailbox =
        cfg.from.parse().map_err(|e| Failure::Permanent(format!("the configured sender {:?} is not an address: {e}", cfg.from)))?;
    let to_addr = email.to.parse().map_err(|e| Failure::Permanent(format!("{:?} is not an e-mail address: {e}", email.to)))?;
    let to = Mailbox::new((!email.to_name.is_empty()).then(|| email.to_name.clone()), to_addr);
    let mut body =
        MultiPart::alternative().singlepart(SinglePart::plain(email.text.clone())).singlepart(SinglePart::html(email.html.clone()));
    if let Some(cal) = &email.calendar {
        let ct = ContentType::parse(&format!("text/calendar; charset=utf-8; method={}", cal.method))
            .map_err(|e| Failure::Permanent(format!("calendar content type: {e}")))?;
        body = body.singlepart(SinglePart::builder().header(ct).body(cal.ics.clone()));
    }
    // The same key gives the same Message-ID, so a resend after a crash is recognisably the same message.
    let message_id = format!("<{}@rapport>", &super::secrets::token_hash(key)[..32]);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(message_id))
        .multipart(body)
        .map_err(|e| Failure::Permanent(format!("the message could not be built: {e}")))?;
    let builder = match cfg.tls {
        MailTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
        MailTls::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host).map_err(|e| Failure::Permanent(redact(cfg, e.to_string())))?
        }
        MailTls::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host).map_err(|e| Failure::Permanent(redact(cfg, e.to_string())))?
        }
    };
    let mut builder = builder.port(cfg.port).timeout(Some(std::time::Duration::from_secs(cfg.timeout_secs)));
    if let (Some(user), Some(pass)) = (&cfg.username, &cfg.password) {
        builder = builder.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
    }
    let transport = builder.build();
    match transport.send(message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(Failure::Permanent(redact(cfg, format!("the SMTP server refused the message: {e}")))),
        Err(e) => Err(Failure::Transient(redact(cfg, format!("SMTP {}:{}: {e}", cfg.host, cfg.port)))),
    }
}

/// Posts `{"text": …}` to a Slack-compatible incoming webhook. A 2xx answer is success; a
/// 4xx other than 408 and 429 will not get better (a revoked hook), anything else is retried.
async fn post_webhook(call: &WebhookCall) -> Result<(), Failure> {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let client = CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    });
    let shown = redact_webhook(&call.url);
    match client.post(&call.url).json(&serde_json::json!({ "text": call.text })).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) if r.status().is_client_error() && r.status() != 408 && r.status() != 429 => {
            Err(Failure::Permanent(format!("the webhook {shown} refused the message: HTTP {}", r.status().as_u16())))
        }
        Ok(r) => Err(Failure::Transient(format!("the webhook {shown} answered HTTP {}", r.status().as_u16()))),
        Err(e) if e.is_timeout() => Err(Failure::Transient(format!("the webhook {shown} did not answer in time"))),
        Err(e) => Err(Failure::Transient(format!("the webhook {shown} could not be reached: {}", e.without_url()))),
    }
}
