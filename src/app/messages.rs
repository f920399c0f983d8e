//! Messages: the job queue that sends them, e-mail over SMTP (or only the in-app inbox when no
//! SMTP server is configured), webhooks, the inbox, reminder settings and the admins' view of
//! failed jobs. What gets queued comes from `calendar.rs` (invitations) and `reminders.rs`.
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
use crate::domain::messages::{self as rules, ReminderSettings, WebhookHost, WebhookTarget};
use crate::domain::messages::{InboxMessage, QueuedJob};
use crate::domain::policy::{Action, Resource};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::Tx;
use crate::store::jobs::{self, ClaimedJob, NewJob};
use crate::store::messages::{self as store, NewInboxMessage};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use uuid::Uuid;

pub const EMAIL_JOB: &str = "email";
pub const WEBHOOK_JOB: &str = "webhook";

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
    /// Sent by e-mail only, never kept in the inbox: an invitation's one-time link is for the
    /// mailbox it was sent to, and has no use inside rapport.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mail_only: bool,
}

impl Email {
    /// `message` addressed to `to`.
    fn to(to: &Person, message: Rendered, calendar: Option<CalendarPart>, mail_only: bool) -> Email {
        Email {
            to_person: to.id.0,
            to: to.email.clone(),
            to_name: to.name.clone(),
            subject: message.subject,
            text: message.text,
            html: message.html,
            calendar,
            mail_only,
        }
    }
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
    pub troubled: Vec<QueuedJob>,
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
        self.enqueue_email(tx, key, Email::to(to, message, calendar, false), chat).await
    }

    /// Queues an e-mail that only makes sense by e-mail (an invitation link): never copied to
    /// the inbox nor to a webhook. Nothing is queued when no SMTP server is configured.
    pub(crate) async fn queue_mail_only(&self, tx: &mut Tx, key: &str, to: &Person, message: Rendered) -> AppResult<bool> {
        if self.config.mail.is_none() {
            return Ok(false);
        }
        self.enqueue_email(tx, key, Email::to(to, message, None, true), None).await
    }

    async fn enqueue_email(&self, tx: &mut Tx, key: &str, email: Email, chat: Option<String>) -> AppResult<bool> {
        let now = self.clock.now();
        let to = PersonId(email.to_person);
        let payload = serde_json::to_string(&email).map_err(anyhow::Error::from)?;
        let job = NewJob { kind: EMAIL_JOB, payload: &payload, idempotency_key: key, run_at: now, max_attempts: rules::MAX_ATTEMPTS };
        let added = jobs::enqueue(tx, &job, now).await?;
        if let Some(text) = chat
            && let Some(url) = store::webhook_url(tx, to).await?
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

    /// Queues a post to a webhook that is not a person's own (a team channel).
    pub(crate) async fn queue_webhook(&self, tx: &mut Tx, key: &str, url: String, text: String) -> AppResult<bool> {
        let now = self.clock.now();
        let payload = serde_json::to_string(&WebhookCall { url, text }).map_err(anyhow::Error::from)?;
        let job = NewJob { kind: WEBHOOK_JOB, payload: &payload, idempotency_key: key, run_at: now, max_attempts: rules::MAX_ATTEMPTS };
        Ok(jobs::enqueue(tx, &job, now).await?)
    }

    // ---- the worker ----

    /// Claims the jobs that are due and runs them. Returns how many were run.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn run_jobs(&self, worker: &str) -> AppResult<usize> {
        let mut total = 0;
        // Idle, the worker only reads: a claim is a write (and, on SQLite, a disk flush).
        if !jobs::any_due(&self.db, self.clock.now()).await? {
            return Ok(0);
        }
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
        if let Some(e) = email.filter(|e| !e.mail_only) {
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

    /// Whether the job's message was sent by an earlier attempt whose completion was lost; then
    /// the job is completed here, without sending again.
    async fn completed_if_sent(&self, worker: &str, job: &ClaimedJob) -> Result<bool, Failure> {
        if !store::was_sent(&self.db, &job.idempotency_key).await.map_err(|e| Failure::Transient(e.to_string()))? {
            return Ok(false);
        }
        let mut tx = self.db.begin().await.map_err(|e| Failure::Transient(e.to_string()))?;
        jobs::complete(&mut tx, job.id, worker, self.clock.now()).await.map_err(|e| Failure::Transient(e.to_string()))?;
        tx.commit().await.map_err(|e| Failure::Transient(e.to_string()))?;
        Ok(true)
    }

    async fn deliver_email(&self, worker: &str, job: &ClaimedJob, email: &Email) -> Result<(), Failure> {
        if self.completed_if_sent(worker, job).await? {
            return Ok(());
        }
        match &self.config.mail {
            // No SMTP: the inbox in rapport is the delivery (a mail-only message queued while a
            // server was configured is dropped: it cannot be delivered anywhere).
            None => self.finish(worker, job, Some(email), "inbox", &email.to).await,
            Some(cfg) => {
                send_smtp(cfg, email, &job.idempotency_key).await?;
                self.finish(worker, job, Some(email), "smtp", &email.to).await
            }
        }
    }

    async fn deliver_webhook(&self, worker: &str, job: &ClaimedJob, call: &WebhookCall) -> Result<(), Failure> {
        if self.completed_if_sent(worker, job).await? {
            return Ok(());
        }
        // Checked again now: the address may have been saved before the rules existed (or
        // under other rules), and a name may point elsewhere than when it was saved.
        let target = rules::check_webhook_url(&call.url, &self.config.webhooks)
            .map_err(|m| Failure::Permanent(format!("the webhook {} was refused: {m}", redact_webhook(&call.url))))?;
        post_webhook(&target, &call.text).await?;
        self.finish(worker, job, None, "webhook", &target.shown()).await
    }

    /// `rapport mail test ADDRESS`: sends one message straight away (no queue), so an
    /// operator sees the SMTP server's answer at once.
    #[tracing::instrument(level = "debug", skip_all)]
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
        let r = mail::test::Mail { link: &link, server: &server }.render(subject)?;
        let email = Email {
            to_person: Uuid::nil(),
            to: address.original,
            to_name: String::new(),
            subject: r.subject,
            text: r.text,
            html: r.html,
            calendar: None,
            mail_only: true,
        };
        let key = format!("test:{}", Uuid::now_v7());
        send_smtp(cfg, &email, &key).await.map_err(|f| match f {
            Failure::Transient(m) | Failure::Permanent(m) => AppError::Internal(anyhow::anyhow!(m)),
        })
    }

    // ---- the admin page ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn job_report(&self, actor: &Person) -> AppResult<JobReport> {
        self.require(actor, actor, Action::Read, Resource::JobQueue).await?;
        Ok(JobReport { counts: jobs::counts(&self.db).await?, troubled: jobs::troubled(&self.db, 200).await? })
    }

    /// Puts a job that failed for good back in the queue.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn retry_job(&self, actor: &Person, id: Uuid) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::JobQueue).await?;
        if jobs::retry(&self.db, id, self.clock.now()).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    // ---- the inbox ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn inbox(&self, actor: &Person) -> AppResult<Vec<InboxMessage>> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        Ok(store::inbox_of(&self.db, actor.id, 200).await?)
    }

    /// One message of the actor's own inbox (anyone else's is not found), marked read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn inbox_message(&self, actor: &Person, id: Uuid) -> AppResult<InboxMessage> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        let m = store::get_inbox_message(&self.db, id).await?.filter(|m| m.person_id == actor.id).ok_or(AppError::NotFound)?;
        store::mark_read(&self.db, m.id, self.clock.now()).await?;
        Ok(m)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn unread_messages(&self, actor: &Person) -> AppResult<i64> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        Ok(store::unread_count(&self.db, actor.id).await?)
    }

    // ---- reminder settings ----

    pub(crate) async fn settings_of(&self, person: PersonId) -> AppResult<ReminderSettings> {
        Ok(store::reminder_settings(&self.db, person).await?.unwrap_or_default())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn reminder_settings(&self, actor: &Person) -> AppResult<ReminderSettings> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        self.settings_of(actor.id).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_reminder_settings(&self, actor: &Person, settings: ReminderSettings) -> AppResult<ReminderSettings> {
        self.require(actor, actor, Action::Write, Resource::OwnMessages).await?;
        let mut errors = Invalid::default();
        if !(1..=72).contains(&settings.prep_hours) {
            errors.push(FieldError::new("prep_hours", "Choose between 1 and 72 hours before the meeting."));
        }
        let check = |field: &str, value: &str, errors: &mut Invalid| {
            let url = value.trim().to_string();
            if url.len() > 500 {
                errors.push(FieldError::new(field, "That address is too long."));
            } else if !url.is_empty()
                && let Err(message) = rules::check_webhook_url(&url, &self.config.webhooks)
            {
                errors.push(FieldError::new(field, message));
            }
            url
        };
        let url = check("webhook_url", &settings.webhook_url, &mut errors);
        let team_url = check("team_webhook_url", &settings.team_webhook_url, &mut errors);
        errors.into_result()?;
        let settings = ReminderSettings { webhook_url: url, team_webhook_url: team_url, ..settings };
        store::save_reminder_settings(&self.db, actor.id, &settings, self.clock.now()).await?;
        Ok(settings)
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

pub(super) fn to_tz(p: &Person) -> chrono_tz::Tz {
    p.timezone.tz()
}

fn redact_webhook(url: &str) -> String {
    // Webhook addresses are secrets (anyone with one can post): keep only the scheme, host and
    // port, never a path or credentials.
    match url::Url::parse(url.trim()) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{}://{h}:{p}/…", u.scheme()),
            (Some(h), None) => format!("{}://{h}/…", u.scheme()),
            (None, _) => "(an address without a host)".into(),
        },
        Err(_) => "(an unreadable address)".into(),
    }
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

/// The addresses a webhook call may connect to: the address in the URL, or every address its
/// name resolves to now, each checked (unless the operator named the host).
async fn webhook_addresses(target: &WebhookTarget) -> Result<Vec<SocketAddr>, Failure> {
    let shown = target.shown();
    let ips: Vec<IpAddr> = match &target.host {
        WebhookHost::Ip(ip) => vec![*ip],
        WebhookHost::Name(name) => match tokio::net::lookup_host((name.as_str(), target.port)).await {
            Ok(found) => found.map(|a| a.ip()).collect(),
            Err(e) => return Err(Failure::Transient(format!("the webhook {shown} could not be found: {e}"))),
        },
    };
    if ips.is_empty() {
        return Err(Failure::Transient(format!("the webhook {shown} could not be found: no address")));
    }
    rules::check_resolved(target, &ips).map_err(|m| Failure::Permanent(format!("the webhook {shown} was refused: {m}")))?;
    Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, target.port)).collect())
}

/// A resolver that answers every name with the addresses already checked, so the HTTP client
/// connects to exactly those (a second lookup could answer differently: DNS rebinding).
struct CheckedAddresses(Vec<SocketAddr>);

impl reqwest::dns::Resolve for CheckedAddresses {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let addrs = self.0.clone();
        Box::pin(async move { Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs) })
    }
}

/// Posts `{"text": …}` to a Slack-compatible incoming webhook, connecting only to checked
/// addresses, through no proxy, following no redirect. A 2xx answer is success; a redirect
/// and a 4xx other than 408 and 429 will not get better (a revoked hook), anything else is
/// retried.
async fn post_webhook(target: &WebhookTarget, text: &str) -> Result<(), Failure> {
    let addrs = webhook_addresses(target).await?;
    let shown = target.shown();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(std::sync::Arc::new(CheckedAddresses(addrs)))
        .build()
        .map_err(|e| Failure::Transient(format!("the HTTP client could not be built: {e}")))?;
    match client.post(target.url.clone()).json(&serde_json::json!({ "text": text })).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) if r.status().is_redirection() => Err(Failure::Permanent(format!(
            "the webhook {shown} answered with a redirect (HTTP {}), which is not followed",
            r.status().as_u16()
        ))),
        Ok(r) if r.status().is_client_error() && r.status() != 408 && r.status() != 429 => {
            Err(Failure::Permanent(format!("the webhook {shown} refused the message: HTTP {}", r.status().as_u16())))
        }
        Ok(r) => Err(Failure::Transient(format!("the webhook {shown} answered HTTP {}", r.status().as_u16()))),
        Err(e) if e.is_timeout() => Err(Failure::Transient(format!("the webhook {shown} did not answer in time"))),
        Err(e) => Err(Failure::Transient(format!("the webhook {shown} could not be reached: {}", e.without_url()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check after resolving, with the system's resolver: a name that is not refused by
    /// itself (here `localhost`, taken past the name rule as a name under someone's control
    /// would be) but resolves to loopback is refused for good, before any connection.
    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_at_send_time() {
        let url = url::Url::parse("https://localhost:9/hook").unwrap();
        let target = WebhookTarget { url, host: WebhookHost::Name("localhost".into()), port: 9, allowed: false };
        match webhook_addresses(&target).await {
            Err(Failure::Permanent(m)) => assert!(m.contains("localhost resolves to a loopback address"), "{m}"),
            other => panic!("not refused: {other:?}"),
        }
        let allowed = WebhookTarget { allowed: true, ..target };
        let addrs = webhook_addresses(&allowed).await.map_err(|f| format!("{f:?}")).unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 9), "{addrs:?}");
    }

    #[test]
    fn errors_show_no_path_nor_credentials() {
        assert_eq!(redact_webhook("https://u:secret@hooks.example.com:8443/services/secret"), "https://hooks.example.com:8443/…");
        assert_eq!(redact_webhook("not a url /secret"), "(an unreadable address)");
    }
}
