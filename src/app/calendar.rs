//! Calendars: the private feed of a person's 1:1s, and the invitations (REQUEST / CANCEL)
//! queued when a series starts, pauses, resumes or ends and when a meeting moves or will not
//! take place. The iCalendar text itself is `domain::ical`.

use super::mail::{self, Rendered};
use super::messages::{CalendarPart, to_tz};
use super::{App, AppError, AppResult};
use crate::domain::ical::{self, Event, Method, Party};
use crate::domain::meeting::{Meeting, MeetingStatus, Series, SeriesKind, SeriesStatus};
use crate::domain::policy::{Action, Resource};
use crate::domain::{Person, PersonId};
use crate::store::messages as store;
use crate::store::{Tx, meetings, people};
use chrono::{DateTime, Utc};

const FEED_PREFIX: &str = "rcal_";

impl App {
    // ---- the calendar feed ----

    /// Makes a new private feed link; an earlier link stops working. The token is shown once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_calendar_feed(&self, actor: &Person) -> AppResult<String> {
        self.require(actor, actor, Action::Write, Resource::OwnMessages).await?;
        let token = format!("{FEED_PREFIX}{}", super::secrets::random_token());
        let mut tx = self.db.begin().await?;
        store::set_feed(&mut tx, actor.id, &super::secrets::token_hash(&token), self.clock.now()).await?;
        tx.commit().await?;
        Ok(token)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_calendar_feed(&self, actor: &Person) -> AppResult<bool> {
        self.require(actor, actor, Action::Write, Resource::OwnMessages).await?;
        Ok(store::delete_feed(&self.db, actor.id).await?)
    }

    /// When the actor's current feed link was made, if they have one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn calendar_feed_status(&self, actor: &Person) -> AppResult<Option<DateTime<Utc>>> {
        self.require(actor, actor, Action::Read, Resource::OwnMessages).await?;
        Ok(store::feed_created_at(&self.db, actor.id).await?)
    }

    /// The feed behind a token: every 1:1 series of its owner. The token is the credential;
    /// an unknown or revoked one is not found.
    #[tracing::instrument(level = "debug", skip_all)]
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
            let changed = self.calendar_changes(&series).await?;
            events.extend(series_events(&series, &manager, &teammate, person.id, &changed, until, base, now));
        }
        Ok(ical::calendar(None, Some("1:1s (rapport)"), &events))
    }

    /// The meetings of a series that differ from its rule: moved, skipped or cancelled ones,
    /// and the occurrences a pause left out (no record), which count as skipped.
    async fn calendar_changes(&self, series: &Series) -> AppResult<Vec<Meeting>> {
        let mut changed = store::changed_meetings(&self.db, series.id).await?;
        let present: std::collections::BTreeSet<i64> = store::occurrence_numbers(&self.db, series.id).await?.into_iter().collect();
        if let Some(&last) = present.iter().next_back() {
            for index in (0..last).filter(|i| !present.contains(i)) {
                if let Some(o) = series.schedule.occurrence(index as u32) {
                    changed.push(skipped_occurrence(series, index, o.starts_at));
                }
            }
        }
        Ok(changed)
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
            let when = if series.kind == SeriesKind::OneOff {
                format!("at {} ({})", series.schedule.local_time.format("%H:%M"), series.schedule.tz.name())
            } else {
                format!(
                    "{}s at {} ({})",
                    series.schedule.weekday_name(),
                    series.schedule.local_time.format("%H:%M"),
                    series.schedule.tz.name()
                )
            };
            let link = format!("{base}/series/{}", series.id);
            let one_off = series.kind == SeriesKind::OneOff;
            let subject = if one_off {
                format!("A 1:1 with {} on {}", other.name, first.starts_at.with_timezone(&tz).format("%-d %B"))
            } else {
                format!("1:1s with {}: starting {}", other.name, first.starts_at.with_timezone(&tz).format("%-d %B"))
            };
            let cadence = if one_off { "once" } else { series.schedule.cadence.label() };
            let r = mail::series_started::Mail {
                name: &to.name,
                other: &other.name,
                for_teammate,
                cadence,
                when: &when,
                minutes: series.duration_minutes,
                first: &first_text,
                link: &link,
            }
            .render(&subject)?;
            let key = format!("invite:{}:v{}:{}", series.id, series.version, to.id.0);
            let chat = format!("1:1s with {} start {} ({}): {link}", other.name, first_text, cadence);
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: "REQUEST".into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }

    /// What the calendar needs to know about a series that was paused, resumed or ended:
    /// read before the change's transaction begins.
    /// `resuming`: the occurrences that passed during the pause will get no record (see
    /// `ensure_meetings`), so they count as skipped already.
    pub(crate) async fn series_update_facts(
        &self,
        series: &Series,
        resuming: bool,
    ) -> AppResult<(Person, Person, Vec<Meeting>, Option<DateTime<Utc>>)> {
        let (manager, teammate) = self.pair_people(series).await?;
        let mut changed = self.calendar_changes(series).await?;
        if resuming {
            let now = self.clock.now();
            let next = store::occurrence_numbers(&self.db, series.id).await?.last().map_or(0, |l| l + 1);
            let mut index = next;
            while let Some(o) = series.schedule.occurrence(index as u32) {
                if o.starts_at + chrono::Duration::minutes(series.duration_minutes as i64) > now {
                    break;
                }
                changed.push(skipped_occurrence(series, index, o.starts_at));
                index += 1;
            }
        }
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
            let r = mail::series_changed::Mail { name: &to.name, other: &other.name, what, link: &link }.render(&subject)?;
            let key = format!("series:{}:v{}:{}", series.id, series.version, to.id.0);
            let chat = format!("{subject}: {link}");
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: method.as_str().into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }

    /// After a meeting moved: an updated invitation for that one occurrence to both people.
    pub(crate) async fn queue_move_notices(
        &self,
        tx: &mut Tx,
        series: &Series,
        pair: (&Person, &Person),
        before: &Meeting,
        after: &Meeting,
    ) -> AppResult<()> {
        self.queue_occurrence_notices(tx, series, pair, after, "move", |to, other, link| {
            let tz = to_tz(to);
            let from = before.starts_at.with_timezone(&tz).format(SPOKEN).to_string();
            let to_text = after.starts_at.with_timezone(&tz).format(SPOKEN).to_string();
            let subject = format!("1:1 with {} moved to {}", other.name, to_text);
            let (name, other, reason) = (&to.name, &other.name, &after.status_reason);
            let r = mail::meeting_moved::Mail { name, other, from: &from, to: &to_text, reason, link }.render(&subject)?;
            Ok((r, format!("Your 1:1 with {other} moved from {from} to {to_text}: {link}")))
        })
        .await
    }

    /// After a meeting's status changed: when it was skipped or cancelled, a cancellation of that
    /// occurrence; when it was put back after that, the occurrence again. To both.
    pub(crate) async fn queue_status_notices(
        &self,
        tx: &mut Tx,
        series: &Series,
        pair: (&Person, &Person),
        meeting: &Meeting,
    ) -> AppResult<()> {
        let cancel = meeting.status.needs_reason();
        self.queue_occurrence_notices(tx, series, pair, meeting, if cancel { "cancel" } else { "restore" }, |to, other, link| {
            let when = meeting.starts_at.with_timezone(&to_tz(to)).format(SPOKEN).to_string();
            if !cancel {
                let subject = format!("1:1 with {} on {} takes place after all", other.name, when);
                let r = mail::meeting_restored::Mail { name: &to.name, other: &other.name, when: &when, link }.render(&subject)?;
                return Ok((r, format!("{subject}: {link}")));
            }
            let subject = format!("1:1 with {} on {} will not take place", other.name, when);
            let (name, other, status, reason) = (&to.name, &other.name, meeting.status.as_str(), &meeting.status_reason);
            let r = mail::meeting_cancelled::Mail { name, other, when: &when, status, reason, link }.render(&subject)?;
            Ok((r, format!("Your 1:1 with {other} on {when} will not take place ({status}): {link}")))
        })
        .await
    }

    /// One occurrence to both people of a pair (manager, teammate): an updated invitation, or a
    /// cancellation when the meeting will not take place, each with the message `write`
    /// composes for its reader from (reader, the other person, the meeting's address).
    async fn queue_occurrence_notices(
        &self,
        tx: &mut Tx,
        series: &Series,
        (manager, teammate): (&Person, &Person),
        meeting: &Meeting,
        what: &str,
        write: impl Fn(&Person, &Person, &str) -> AppResult<(Rendered, String)>,
    ) -> AppResult<()> {
        let base = self.public_base();
        let now = self.clock.now();
        let cancel = matches!(meeting.status, MeetingStatus::Skipped | MeetingStatus::Cancelled);
        let method = if cancel { Method::Cancel } else { Method::Request };
        for (to, other) in [(manager, teammate), (teammate, manager)] {
            let event = occurrence_event(series, manager, teammate, to.id, meeting, cancel, &base, now);
            let ics = ical::calendar(Some(method), None, &[event]);
            let (r, chat) = write(to, other, &format!("{base}/meetings/{}", meeting.id))?;
            let key = format!("{what}:{}:v{}:{}", meeting.id, meeting.version, to.id.0);
            self.queue_email(tx, &key, to, r, Some(CalendarPart { method: method.as_str().into(), ics }), Some(chat)).await?;
        }
        Ok(())
    }
}

/// A meeting's time as a sentence says it: "Thursday 10 December at 11:30".
const SPOKEN: &str = "%A %-d %B at %H:%M";

fn summary(series: &Series, manager: &Person, teammate: &Person, viewer: PersonId) -> String {
    let other = if viewer == manager.id { &teammate.name } else { &manager.name };
    match series.kind {
        SeriesKind::SkipLevel => format!("Skip-level 1:1 with {other}"),
        _ => format!("1:1 with {other}"),
    }
}

/// An occurrence with no record, as the calendar sees it: not taking place.
fn skipped_occurrence(series: &Series, index: i64, starts_at: DateTime<Utc>) -> Meeting {
    Meeting { status: MeetingStatus::Skipped, ..Meeting::planned(uuid::Uuid::nil(), series, index, starts_at) }
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
