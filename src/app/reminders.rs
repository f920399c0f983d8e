//! The reminder scheduler: each pass queues the reminders that are due by `App::clock` and
//! not yet queued. Keys make each reminder happen once, whatever the number of passes or
//! instances: `prep:<meeting>:<person>`, `nudge:<meeting>`, `overdue:<person>:<local date>`,
//! `gap:<series>:<since>`, `digest:<person>:<Monday>`.

use super::mail::{self, Rendered};
use super::messages::to_tz;
use super::{App, AppResult};
use crate::domain::Person;
use crate::domain::meeting::{Meeting, Series};
use crate::domain::messages as rules;
use crate::store::jobs;
use crate::store::messages as store;
use crate::store::{meetings, people};
use chrono::{DateTime, Duration, Utc};

impl App {
    // ---- reminders ----

    /// One pass of the reminder scheduler: queues every reminder that is due by the clock
    /// and not yet queued (idempotency keys make a second pass, or a second instance, queue
    /// nothing new). Returns how many were queued.
    #[tracing::instrument(level = "debug", skip_all)]
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
                if self.queue_reminder(&key, who, r, chat).await? {
                    queued += 1;
                }
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
            if known.contains(&key) {
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
            let r = mail::overdue_actions::Mail { name: &person.name, items, link: &link }.render(&subject)?;
            if self.queue_reminder(&key, &person, r, chat).await? {
                queued += 1;
            }
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
        let r = mail::topic_nudge::Mail { name: &teammate.name, other: &manager.name, when: &when, link: &link }.render(&subject)?;
        let chat = format!("{subject} Your 1:1 is {when}: {link}");
        let mut tx = self.db.begin().await?;
        let added = self.queue_email(&mut tx, &key, teammate, r, None, Some(chat)).await?;
        // The manager's team channel hears it too: who, when and a link, nothing said in the 1:1.
        if let Some(url) = store::team_webhook_url(&mut tx, manager.id).await? {
            let text = format!("{}: your 1:1 with {} is {when}. What would you like to talk about? {link}", teammate.name, manager.name);
            self.queue_webhook(&mut tx, &format!("{key}:team"), url, text).await?;
        }
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
            let r = mail::gap_alert::Mail { name: &manager.name, other: &teammate.name, since: &since_text, next: &next, link: &link }
                .render(&subject)?;
            let chat = format!("{subject}: {link}");
            if self.queue_reminder(&key, &manager, r, chat).await? {
                queued += 1;
            }
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
            let r = mail::weekly_digest::Mail { name: &person.name, meetings: list, actions, link: &link }.render(&subject)?;
            let chat = format!("{subject}: {link}");
            if self.queue_reminder(&key, &person, r, chat).await? {
                queued += 1;
            }
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
        Ok(mail::prep_reminder::Mail { name: &who.name, other: &other.name, when: &when, topics, actions, link: &link }.render(&subject)?)
    }

    /// Queues one reminder in a transaction of its own; true when it is new (nothing was
    /// queued under `key` before).
    async fn queue_reminder(&self, key: &str, to: &Person, r: Rendered, chat: String) -> AppResult<bool> {
        let mut tx = self.db.begin().await?;
        let added = self.queue_email(&mut tx, key, to, r, None, Some(chat)).await?;
        tx.commit().await?;
        Ok(added)
    }
}
