//! The reminder scheduler: each pass queues the reminders that are due by `App::clock` and
//! not yet queued. Keys make each reminder happen once, whatever the number of passes or
//! instances: `prep:<meeting>:<person>`, `nudge:<meeting>`, `overdue:<person>:<local date>`,
//! `gap:<series>:<since>`, `digest:<person>:<Monday>`.
//!
//! A pass costs what changed, not what exists. Each kind of reminder, when it looks, notes
//! when it next has something coming due ([`SchedulerMemory`]); a later pass skips a kind
//! until then, unless this process has committed a write since (any write may bring a
//! reminder forward) or [`LOOK_AGAIN`] has passed (writes by other processes: the CLI, another
//! instance). So a pass with nothing due and nothing changed runs no statement at all, and a
//! kind that looks reads its candidates and what it needs to decide in a few statements, then
//! works one by one only on what is due. Keys known to be queued are remembered, so what was
//! queued before is not asked about again.

use super::mail::{self, Rendered};
use super::messages::to_tz;
use super::{App, AppResult};
use crate::domain::meeting::{Meeting, Series};
use crate::domain::messages::{self as rules, ReminderSettings};
use crate::domain::{Person, PersonId};
use crate::store::jobs;
use crate::store::messages as store;
use crate::store::{meetings, people};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use uuid::Uuid;

/// The longest a kind of reminder goes without a look, whatever it noted: writes made by
/// other processes (the CLI, another instance) are seen within this.
pub const LOOK_AGAIN: Duration = Duration::minutes(10);

/// Meetings are looked at from this long before they start: no reminder about a meeting comes
/// earlier (a prep reminder at most 72 hours before, a nudge 48, quiet hours only delay them or
/// bring them forward to before the quiet hours of the day before).
const MEETING_WINDOW: Duration = Duration::hours(73);

#[derive(Clone, Copy)]
enum Kind {
    TopUp,
    Meetings,
    Overdue,
    Gaps,
    Digests,
}

const KINDS: [Kind; 5] = [Kind::TopUp, Kind::Meetings, Kind::Overdue, Kind::Gaps, Kind::Digests];

/// What the scheduler of this instance remembers between passes (in memory only: an instance
/// that starts looks at everything once).
#[derive(Default, Debug)]
pub struct SchedulerMemory(Mutex<Memory>);

#[derive(Default, Debug)]
struct Memory {
    /// [`crate::store::writes_committed`] when the last pass began.
    writes: Option<u64>,
    /// The clock when the last pass began (a clock set back makes every kind look again).
    last_pass: Option<DateTime<Utc>>,
    /// When each kind next has something that may come due; `None`: look now.
    next: [Option<DateTime<Utc>>; 5],
    /// Keys known to have a job, with when that was learnt (forgotten after eight days).
    known: HashMap<String, DateTime<Utc>>,
}

impl SchedulerMemory {
    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Which kinds look in a pass at `now`, with `writes` committed so far.
    fn looks(&self, now: DateTime<Utc>, writes: u64) -> [bool; 5] {
        let mut m = self.lock();
        let changed = m.writes != Some(writes) || m.last_pass.is_none_or(|t| now < t);
        m.writes = Some(writes);
        m.last_pass = Some(now);
        if changed {
            m.known.retain(|_, learnt| *learnt > now - Duration::days(8) && *learnt <= now);
        }
        m.next.map(|next| changed || next.is_none_or(|t| now >= t))
    }

    fn set_next(&self, kind: Kind, next: Option<DateTime<Utc>>) {
        self.lock().next[kind as usize] = next;
    }

    fn knows(&self, key: &str) -> bool {
        self.lock().known.contains_key(key)
    }

    fn learn(&self, key: String, now: DateTime<Utc>) {
        self.lock().known.insert(key, now);
    }
}

impl App {
    // ---- reminders ----

    /// One pass of the reminder scheduler: queues every reminder that is due by the clock
    /// and not yet queued (idempotency keys make a second pass, or a second instance, queue
    /// nothing new). Returns how many were queued.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn run_scheduler(&self) -> AppResult<usize> {
        let now = self.clock.now();
        let looks = self.scheduler.looks(now, crate::store::writes_committed());
        let mut queued = 0;
        for kind in KINDS {
            if !looks[kind as usize] {
                continue;
            }
            let result = match kind {
                Kind::TopUp => self.top_up_meetings(now).await,
                Kind::Meetings => self.queue_meeting_reminders(now).await,
                Kind::Overdue => self.queue_overdue_actions(now).await,
                Kind::Gaps => self.queue_gap_alerts(now).await,
                Kind::Digests => self.queue_weekly_digests(now).await,
            };
            match result {
                Ok((n, next)) => {
                    queued += n;
                    self.scheduler.set_next(kind, Some(next.max(now)));
                }
                Err(e) => {
                    // Looked at again in the next pass.
                    self.scheduler.set_next(kind, None);
                    return Err(e);
                }
            }
        }
        Ok(queued)
    }

    /// Of `keys` (due now), those with no job yet: the ones this instance knows of are not asked
    /// about, and the rest in one statement (and then known).
    async fn not_yet_queued(&self, keys: Vec<String>, now: DateTime<Utc>) -> AppResult<Vec<String>> {
        let unknown: Vec<String> = keys.into_iter().filter(|k| !self.scheduler.knows(k)).collect();
        if unknown.is_empty() {
            return Ok(unknown);
        }
        let existing = jobs::existing_keys(&self.db, &unknown).await?;
        for key in &existing {
            self.scheduler.learn(key.clone(), now);
        }
        Ok(unknown.into_iter().filter(|k| !existing.contains(k)).collect())
    }

    /// The people `ids` names, with their reminder settings: two statements for any number.
    async fn with_settings(&self, ids: Vec<Uuid>) -> AppResult<HashMap<PersonId, (Person, ReminderSettings)>> {
        let mut ids = ids;
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut settings = store::reminder_settings_of(&self.db, &ids).await?;
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            for p in people::by_ids(&self.db, chunk.to_vec()).await? {
                let s = settings.remove(&p.id.0).unwrap_or_default();
                out.insert(p.id, (p, s));
            }
        }
        Ok(out)
    }

    /// Meetings exist as records a few ahead; keep them there even when nobody opens rapport,
    /// so reminders have meetings to be about. Looked at hourly (and after writes).
    async fn top_up_meetings(&self, now: DateTime<Utc>) -> AppResult<(usize, DateTime<Utc>)> {
        for series in store::series_running_short(&self.db, now + Duration::days(14)).await? {
            let mut tx = self.db.begin().await?;
            self.ensure_meetings(&mut tx, &series, now, false).await?;
            tx.commit().await?;
        }
        Ok((0, now + Duration::hours(1)))
    }

    /// Prep reminders and topic nudges for the meetings of the next three days. The meetings,
    /// their people and the people's settings are read at once; only a reminder that is due and
    /// not known to be queued costs more.
    async fn queue_meeting_reminders(&self, now: DateTime<Utc>) -> AppResult<(usize, DateTime<Utc>)> {
        let mut next = now + LOOK_AGAIN;
        if let Some(start) = store::first_scheduled_after(&self.db, now + MEETING_WINDOW).await? {
            next = next.min(start - MEETING_WINDOW);
        }
        let keys = |m: &Meeting, s: &Series| {
            [format!("nudge:{}", m.id), format!("prep:{}:{}", m.id, s.manager_id.0), format!("prep:{}:{}", m.id, s.teammate_id.0)]
        };
        let pending: Vec<(Meeting, Series)> = store::meetings_starting(&self.db, now, now + MEETING_WINDOW)
            .await?
            .into_iter()
            .filter(|(m, s)| keys(m, s).iter().any(|k| !self.scheduler.knows(k)))
            .collect();
        let ids = pending.iter().flat_map(|(_, s)| [s.manager_id.0, s.teammate_id.0]).collect();
        let people = self.with_settings(ids).await?;
        // What is due now; what is not says when to look next.
        let mut due = vec![];
        for (meeting, series) in &pending {
            let (Some((manager, _)), Some((teammate, teammate_settings))) =
                (people.get(&series.manager_id), people.get(&series.teammate_id))
            else {
                continue;
            };
            let [nudge, ..] = keys(meeting, series);
            if teammate_settings.topic_nudge {
                let at = teammate_settings.delivery_time(meeting.starts_at - Duration::hours(48), to_tz(teammate), Some(meeting.starts_at));
                if at > now {
                    next = next.min(at);
                } else {
                    due.push((nudge, meeting, series, None));
                }
            }
            for (who, other) in [(manager, teammate), (teammate, manager)] {
                let settings = &people[&who.id].1;
                if !settings.prep_reminder {
                    continue;
                }
                let at =
                    settings.delivery_time(rules::prep_due(meeting.starts_at, settings.prep_hours), to_tz(who), Some(meeting.starts_at));
                if at > now {
                    next = next.min(at);
                } else {
                    due.push((format!("prep:{}:{}", meeting.id, who.id.0), meeting, series, Some((who, other))));
                }
            }
        }
        let open = self.not_yet_queued(due.iter().map(|d| d.0.clone()).collect(), now).await?;
        let mut queued = 0;
        for (key, meeting, series, prep) in due {
            if !open.contains(&key) {
                continue;
            }
            let added = match prep {
                None => {
                    let (manager, teammate) = (&people[&series.manager_id].0, &people[&series.teammate_id].0);
                    self.queue_topic_nudge(meeting, manager, teammate).await?
                }
                Some((who, other)) => {
                    let r = self.render_prep(who, other, series, meeting).await?;
                    let chat = format!("{} ({})", r.subject, format_args!("{}/meetings/{}/prep", self.public_base(), meeting.id));
                    self.queue_reminder(&key, who, r, chat).await?
                }
            };
            if added {
                queued += 1;
                self.scheduler.learn(key, now);
            }
        }
        Ok((queued, next))
    }

    /// Overdue action items: one message a day per person, in the morning of their zone.
    async fn queue_overdue_actions(&self, now: DateTime<Utc>) -> AppResult<(usize, DateTime<Utc>)> {
        let today_utc = now.date_naive();
        // Items fall due as the day (in UTC, as asked below) changes.
        let mut next = (now + LOOK_AGAIN).min(next_midnight(now, chrono_tz::UTC));
        let owners = store::owners_with_overdue_actions(&self.db, today_utc).await?;
        let people = self.with_settings(owners.iter().map(|o| o.0).collect()).await?;
        let mut due = vec![];
        for (person, settings) in people.values() {
            let tz = to_tz(person);
            if !settings.overdue_actions {
                continue;
            }
            // Tomorrow brings another message while items stay open.
            next = next.min(next_midnight(now, tz));
            if settings.is_quiet(now.with_timezone(&tz).time()) {
                next = next.min(settings.delivery_time(now, tz, None));
                continue;
            }
            let local_day = now.with_timezone(&tz).date_naive();
            due.push((format!("overdue:{}:{}", person.id.0, local_day), person, local_day));
        }
        let open = self.not_yet_queued(due.iter().map(|d| d.0.clone()).collect(), now).await?;
        let mut queued = 0;
        for (key, person, local_day) in due {
            if !open.contains(&key) {
                continue;
            }
            let items: Vec<String> = meetings::open_actions_of(&self.db, person.id, None)
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
            if self.queue_reminder(&key, person, r, chat).await? {
                queued += 1;
            }
            self.scheduler.learn(key, now);
        }
        Ok((queued, next))
    }

    /// Two days before a 1:1 whose agenda has nothing from the teammate: "it is your meeting"
    /// (the caller has checked that it is due, wanted and not queued yet).
    async fn queue_topic_nudge(&self, meeting: &Meeting, manager: &Person, teammate: &Person) -> AppResult<bool> {
        let key = format!("nudge:{}", meeting.id);
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

    /// For managers: a regular series with no 1:1 held for three weeks, once per gap. The
    /// series and their last meetings are read at once; a gap that opens costs more.
    async fn queue_gap_alerts(&self, now: DateTime<Utc>) -> AppResult<(usize, DateTime<Utc>)> {
        let mut next = now + LOOK_AGAIN;
        let mut due = vec![];
        for (series, last) in store::active_regular_series_with_last_meeting(&self.db, now).await? {
            let since = last.unwrap_or(series.created_at);
            if now - since < Duration::days(rules::GAP_DAYS) {
                // A meeting before then only puts it off.
                next = next.min(since + Duration::days(rules::GAP_DAYS));
                continue;
            }
            due.push((format!("gap:{}:{}", series.id, since.format("%Y-%m-%dT%H:%M")), series, since, last));
        }
        let open = self.not_yet_queued(due.iter().map(|d| d.0.clone()).collect(), now).await?;
        let due: Vec<_> = due.into_iter().filter(|d| open.contains(&d.0)).collect();
        let people = self.with_settings(due.iter().flat_map(|d| [d.1.manager_id.0, d.1.teammate_id.0]).collect()).await?;
        let mut queued = 0;
        for (key, series, since, last) in due {
            let (Some((manager, settings)), Some((teammate, _))) = (people.get(&series.manager_id), people.get(&series.teammate_id)) else {
                continue;
            };
            let tz = to_tz(manager);
            if !settings.gap_alert {
                continue;
            }
            if settings.is_quiet(now.with_timezone(&tz).time()) {
                next = next.min(settings.delivery_time(now, tz, None));
                continue;
            }
            let weeks = (now - since).num_days() / 7;
            let since_text =
                if last.is_some() { format!("{weeks} weeks") } else { format!("{weeks} weeks since the series began and still") };
            let next_meeting = match meetings::upcoming(&self.db, series.id, now, 1).await?.first() {
                Some(m) => m.starts_at.with_timezone(&tz).format("%A %-d %B at %H:%M").to_string(),
                None => "none planned".to_string(),
            };
            let link = format!("{}/series/{}", self.public_base(), series.id);
            let subject = format!("No 1:1 with {} for {weeks} weeks", teammate.name);
            let r =
                mail::gap_alert::Mail { name: &manager.name, other: &teammate.name, since: &since_text, next: &next_meeting, link: &link }
                    .render(&subject)?;
            let chat = format!("{subject}: {link}");
            if self.queue_reminder(&key, manager, r, chat).await? {
                queued += 1;
            }
            self.scheduler.learn(key, now);
        }
        Ok((queued, next))
    }

    /// Monday from 08:00 in each person's zone: the week's 1:1s and their open actions. Outside
    /// the hours when it is Monday morning or later somewhere, nothing is read.
    async fn queue_weekly_digests(&self, now: DateTime<Utc>) -> AppResult<(usize, DateTime<Utc>)> {
        // Monday 08:00 comes first at UTC+14 (Sunday 18:00 UTC) and Monday ends last at UTC-12
        // (Tuesday 12:00 UTC); two hours more each side.
        let monday = now.date_naive() - Duration::days(now.weekday().num_days_from_monday() as i64);
        let monday = monday.and_time(NaiveTime::MIN).and_utc();
        let next_opens = monday + Duration::days(7) - Duration::hours(8);
        if now >= monday + Duration::hours(38) && now < next_opens {
            return Ok((0, next_opens));
        }
        let mut next = now + LOOK_AGAIN;
        let mut due = vec![];
        for person in store::people_who_sign_in(&self.db).await? {
            let tz = to_tz(&person);
            let week = rules::week_start(now, tz);
            // On Monday only: a digest that comes late in the week is of no use.
            if now < week {
                next = next.min(week);
                continue;
            }
            if now >= week + Duration::days(1) {
                continue;
            }
            let key = format!("digest:{}:{}", person.id.0, week.with_timezone(&tz).date_naive());
            due.push((key, person, week));
        }
        let open = self.not_yet_queued(due.iter().map(|d| d.0.clone()).collect(), now).await?;
        let due: Vec<_> = due.into_iter().filter(|d| open.contains(&d.0)).collect();
        let mut settings = store::reminder_settings_of(&self.db, &due.iter().map(|d| d.1.id.0).collect::<Vec<_>>()).await?;
        let mut queued = 0;
        for (key, person, week) in due {
            let tz = to_tz(&person);
            let settings = settings.remove(&person.id.0).unwrap_or_default();
            if !settings.weekly_digest {
                continue;
            }
            if settings.is_quiet(now.with_timezone(&tz).time()) {
                next = next.min(settings.delivery_time(now, tz, None));
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
            self.scheduler.learn(key, now);
        }
        Ok((queued, next))
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
        // The teammate is asked for the pulse while it is open and not yet answered.
        let asked = Self::pair_may(who, series, crate::domain::policy::Action::Write, crate::app::pulse::pulse_resource(series)).yes()
            && crate::app::pulse::asks_for_pulse(meeting, self.clock.now());
        let pulse_link = if asked && crate::store::pulse::of_meeting(&self.db, meeting.id).await?.is_none() {
            Some(format!("{}/meetings/{}#pulse", self.public_base(), meeting.id))
        } else {
            None
        };
        let subject = format!("Your 1:1 with {}: {}", other.name, when);
        Ok(mail::prep_reminder::Mail { name: &who.name, other: &other.name, when: &when, topics, actions, link: &link, pulse_link }
            .render(&subject)?)
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

/// The next midnight in `tz` after `now` (when a person's day, and so an overdue reminder's key, changes).
fn next_midnight(now: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let tomorrow = now.with_timezone(&tz).date_naive() + Duration::days(1);
    crate::domain::schedule::local_instant(tz, tomorrow, NaiveTime::MIN)
}
