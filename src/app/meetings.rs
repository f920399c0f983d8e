//! 1:1s: series, meetings, the shared agenda, notes, action items, ratings, carry-over,
//! history, the prep view and search. Every function checks that the actor is one of the
//! pair (the access policy's `SharedMeetingContent`, or `Series` for running a series);
//! anyone else gets `NotFound`, the same as for a meeting that does not exist.

use super::events::MeetingEvent;
use super::{App, AppError, AppResult};
use crate::domain::meeting::{
    self as rules, ActionItem, ActionKind, Meeting, MeetingStatus, Note, Series, SeriesKind, SeriesStatus, TalkingPoint,
};
use crate::domain::policy::{self, Action, Relation, Resource, Role};
use crate::domain::schedule::{Cadence, Schedule, local_instant};
use crate::domain::text::{Merge, render_markdown, search_text, three_way};
use crate::domain::{FieldError, Invalid, Person, PersonId, TimeZoneName};
use crate::store::search::{Doc, DocKind, Filter, Hit};
use crate::store::{Tx, meetings as store, people, search};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

/// How many meetings ahead a series keeps ready.
const UPCOMING_READY: usize = 4;

/// The meetings a series is missing, given the highest occurrence it has (`last`): those up
/// to [`UPCOMING_READY`] still to come within 120 days, and any passed over before them
/// (unless `skip_past`, after a pause). None for a series that is not active, and a one-off
/// has only its one.
fn meetings_due(series: &Series, last: Option<i64>, now: DateTime<Utc>, skip_past: bool) -> Vec<Meeting> {
    let mut due = vec![];
    if series.status != SeriesStatus::Active {
        return due;
    }
    let mut index = last.map(|m| m as u32 + 1).unwrap_or(0);
    if series.kind == SeriesKind::OneOff && index > 0 {
        return due;
    }
    let mut ahead = 0;
    let horizon = now + Duration::days(120);
    while let Some(o) = series.schedule.occurrence(index) {
        if o.starts_at > horizon || ahead >= UPCOMING_READY {
            break;
        }
        let over = o.starts_at + Duration::minutes(series.duration_minutes as i64) <= now;
        if !(skip_past && over) {
            due.push(Meeting {
                id: Uuid::now_v7(),
                series_id: series.id,
                occurrence: index as i64,
                starts_at: o.starts_at,
                duration_minutes: series.duration_minutes,
                status: MeetingStatus::Scheduled,
                status_reason: String::new(),
                moved_from_at: None,
                rating: None,
                rating_comment: String::new(),
                version: 1,
            });
        }
        if !over {
            ahead += 1;
        }
        index += 1;
        if series.kind == SeriesKind::OneOff {
            break;
        }
    }
    due
}

#[derive(Debug, Clone)]
pub struct SeriesInput {
    pub teammate_id: PersonId,
    pub kind: SeriesKind,
    pub cadence: Cadence,
    /// The first meeting's date; later ones fall on the same weekday.
    pub first_date: NaiveDate,
    /// "HH:MM", local to `timezone`.
    pub time: String,
    pub timezone: String,
    pub duration_minutes: u32,
}

/// Everything the meeting page shows, for one viewer.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub series: Series,
    pub meeting: Meeting,
    pub manager: Person,
    pub teammate: Person,
    pub viewer: PersonId,
    /// In agenda order: the teammate's topics, carried-over ones, then the manager's.
    pub points: Vec<TalkingPoint>,
    pub shared_note: Option<Note>,
    /// The viewer's own private note; nobody else's is ever loaded.
    pub private_note: Option<Note>,
    pub actions: Vec<ActionItem>,
    pub previous: Option<Meeting>,
    pub previous_note: Option<Note>,
    pub next: Vec<Meeting>,
}

impl MeetingView {
    pub fn viewer_is_teammate(&self) -> bool {
        self.viewer == self.teammate.id
    }
    pub fn other(&self) -> &Person {
        if self.viewer_is_teammate() { &self.manager } else { &self.teammate }
    }
    pub fn person(&self, id: PersonId) -> &Person {
        if id == self.manager.id { &self.manager } else { &self.teammate }
    }
}

#[derive(Debug, Clone)]
pub struct SeriesSummary {
    pub series: Series,
    pub other: Person,
    pub next: Option<Meeting>,
}

#[derive(Debug, Clone)]
pub struct SeriesView {
    pub series: Series,
    pub manager: Person,
    pub teammate: Person,
    pub viewer: PersonId,
    pub upcoming: Vec<Meeting>,
    /// One page of past meetings, newest first.
    pub history: Vec<Meeting>,
    /// Pass as `before` for the next (older) page.
    pub older: Option<DateTime<Utc>>,
    /// The latest "worth your time?" ratings, newest first (at most [`RATINGS_SHOWN`]).
    pub ratings: Vec<(DateTime<Utc>, i64)>,
}

#[derive(Debug, Clone)]
pub struct Upcoming {
    pub meeting: Meeting,
    pub series: Series,
    pub other: Person,
}

#[derive(Debug, Clone)]
pub struct MyAction {
    pub action: ActionItem,
    pub series: Series,
    pub other: Person,
}

/// The result of saving a note.
#[derive(Debug, Clone)]
pub enum NoteSaved {
    Saved(Note),
    /// Someone else saved first; both changes fitted together and were saved.
    Merged(Note),
    /// Someone else saved first and changed the same lines. Nothing was saved; `merged` holds
    /// both versions, marked, for the person to settle and save again on top of `current`.
    Conflict {
        current: Note,
        merged: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct PointPatch {
    pub body: Option<String>,
    pub discussed: Option<bool>,
    pub recurring: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct ActionPatch {
    pub body: Option<String>,
    pub done: Option<bool>,
    pub due_date: Option<Option<NaiveDate>>,
    pub owner_id: Option<PersonId>,
}

#[derive(Debug, Clone)]
pub struct SearchResult {
    pub hit: Hit,
    pub series: Series,
    pub other: Person,
}

pub const SEARCH_LIMIT: i64 = 50;
pub const HISTORY_PAGE: i64 = 20;
/// How many of the latest ratings a series page shows (and its trend reads).
pub const RATINGS_SHOWN: i64 = 12;

fn conflict(what: &str) -> AppError {
    AppError::Conflict(format!(
        "{what} was changed by someone else a moment ago. The page now shows the current version; make your change again."
    ))
}

fn parse_time(field: &str, input: &str, errors: &mut Invalid) -> Option<NaiveTime> {
    match NaiveTime::parse_from_str(input.trim(), "%H:%M") {
        Ok(t) => Some(t),
        Err(_) => {
            errors.push(FieldError::new(field, "Give a time as hours and minutes, for example 09:30."));
            None
        }
    }
}

impl App {
    // ---- access ----

    fn pair_relation(actor: &Person, series: &Series) -> Relation {
        if actor.id == series.teammate_id {
            Relation::Themselves
        } else if actor.id == series.manager_id {
            Relation::Manager
        } else {
            Relation::Unrelated
        }
    }

    /// The actor must be one of the pair for `resource`; otherwise, not found.
    fn require_pair(&self, actor: &Person, series: &Series, action: Action, resource: Resource) -> AppResult<()> {
        let role = Role { relation: Self::pair_relation(actor, series), is_admin: actor.is_admin };
        if policy::allows(role, action, resource) { Ok(()) } else { Err(AppError::NotFound) }
    }

    pub(crate) async fn load_meeting(&self, actor: &Person, meeting_id: Uuid, action: Action) -> AppResult<(Series, Meeting)> {
        let meeting = store::get_meeting(&self.db, meeting_id).await?.ok_or(AppError::NotFound)?;
        let series = store::get_series(&self.db, meeting.series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, action, Resource::SharedMeetingContent)?;
        Ok((series, meeting))
    }

    pub(crate) async fn pair_people(&self, series: &Series) -> AppResult<(Person, Person)> {
        let manager = people::get(&self.db, series.manager_id).await?.ok_or(AppError::NotFound)?;
        let teammate = people::get(&self.db, series.teammate_id).await?.ok_or(AppError::NotFound)?;
        Ok((manager, teammate))
    }

    /// After a commit: tell this instance's open pages (PostgreSQL instances hear it through
    /// NOTIFY instead, which `notify_tx` queued inside the transaction).
    pub(crate) fn published(&self, meeting: Uuid, what: &str, by: PersonId) {
        if let crate::store::Db::Sqlite(_) = self.db {
            self.events.publish(MeetingEvent { meeting_id: meeting, what: what.into(), by: by.0 });
        }
    }

    pub(crate) async fn notify_tx(tx: &mut Tx, meeting: Uuid, what: &str, by: PersonId) -> AppResult<()> {
        let payload =
            serde_json::to_string(&MeetingEvent { meeting_id: meeting, what: what.into(), by: by.0 }).map_err(anyhow::Error::from)?;
        store::notify_meeting_changed(tx, &payload).await?;
        Ok(())
    }

    // ---- series ----

    pub async fn create_series(&self, actor: &Person, input: SeriesInput) -> AppResult<Series> {
        let (series, teammate) = self.prepare_series(actor, input).await?;
        let mut tx = self.db.begin().await?;
        self.start_series_in(&mut tx, &series, actor, &teammate, None).await?;
        tx.commit().await?;
        Ok(series)
    }

    /// Checks a new series (who with, and when) and builds it, without writing anything.
    pub(crate) async fn prepare_series(&self, actor: &Person, input: SeriesInput) -> AppResult<(Series, Person)> {
        let teammate = people::get(&self.db, input.teammate_id).await?.ok_or(AppError::NotFound)?;
        let relation = self.relation(actor, &teammate).await?;
        let role = Role { relation, is_admin: actor.is_admin };
        let allowed = match input.kind {
            SeriesKind::Regular => policy::allows(role, Action::Write, Resource::Series { skip_level: false }),
            SeriesKind::SkipLevel => policy::allows(role, Action::Write, Resource::Series { skip_level: true }),
            SeriesKind::OneOff => {
                policy::allows(role, Action::Write, Resource::Series { skip_level: false })
                    || policy::allows(role, Action::Write, Resource::Series { skip_level: true })
            }
        };
        if !allowed {
            return Err(AppError::NotFound);
        }
        let mut errors = Invalid::default();
        let tz = TimeZoneName::parse(&input.timezone).map_err(|m| errors.push(FieldError::new("timezone", m))).ok();
        let time = parse_time("time", &input.time, &mut errors);
        if !(10..=240).contains(&input.duration_minutes) {
            errors.push(FieldError::new("duration_minutes", "A 1:1 lasts between 10 and 240 minutes."));
        }
        let now = self.clock.now();
        if let Err(e) = rules::within_reach("first_date", input.first_date, now.date_naive()) {
            errors.push(e);
        }
        let (Some(tz), Some(time), true) = (tz, time, errors.is_empty()) else { return Err(errors.into()) };
        let tz = tz.0.parse::<chrono_tz::Tz>().map_err(|_| Invalid::one("timezone", "Unknown time zone."))?;
        let first = local_instant(tz, input.first_date, time);
        if first <= now {
            return Err(Invalid::one(
                "first_date",
                "The first meeting must be in the future. A 1:1 that starts right now takes people by surprise; give them a day or two.",
            )
            .into());
        }
        let series = Series {
            id: Uuid::now_v7(),
            manager_id: actor.id,
            teammate_id: teammate.id,
            kind: input.kind,
            schedule: Schedule { cadence: input.cadence, first_date: input.first_date, local_time: time, tz },
            duration_minutes: input.duration_minutes,
            status: SeriesStatus::Active,
            created_at: now,
            version: 1,
        };
        Ok((series, teammate))
    }

    /// Starts a prepared series in the caller's transaction: its first meetings, both
    /// calendar invitations and the kickoff draft (ours, or `note` as (subject, body)).
    pub(crate) async fn start_series_in(
        &self,
        tx: &mut Tx,
        series: &Series,
        actor: &Person,
        teammate: &Person,
        note: Option<(&str, &str)>,
    ) -> AppResult<()> {
        let now = self.clock.now();
        if series.kind != SeriesKind::OneOff && store::live_series_for_pair(tx, actor.id, teammate.id, series.kind).await?.is_some() {
            return Err(Invalid::one(
                "teammate_id",
                format!(
                    "You already have {} 1:1s with {}. Pause or end them before starting new ones.",
                    if series.kind == SeriesKind::SkipLevel { "skip-level" } else { "recurring" },
                    teammate.name
                ),
            )
            .into());
        }
        store::insert_series(tx, series, actor.id, now).await?;
        self.ensure_meetings(tx, series, now, false).await?;
        // Both people get the series as a calendar invitation, sent once the series exists.
        self.queue_series_invitations(tx, series, actor, teammate).await?;
        // And a kickoff note for the manager to edit and send before the first meeting.
        self.draft_kickoff(tx, series, actor, note).await?;
        Ok(())
    }

    /// Makes sure the next meetings of an active series exist as records (so points, notes
    /// and actions can be attached ahead of time). `skip_past` leaves out occurrences that
    /// are already over (after a pause).
    pub(crate) async fn ensure_meetings(&self, tx: &mut Tx, series: &Series, now: DateTime<Utc>, skip_past: bool) -> AppResult<()> {
        let last = store::max_occurrence(tx, series.id).await?;
        for m in meetings_due(series, last, now, skip_past) {
            store::insert_meeting_if_absent(tx, &m, now).await?;
        }
        Ok(())
    }

    /// Whether [`App::ensure_meetings`] would add anything, read without a transaction: pages
    /// that only show a series take the writer only when there is something to write.
    async fn would_create_meetings(&self, series: &Series, now: DateTime<Utc>) -> AppResult<bool> {
        if series.status != SeriesStatus::Active {
            return Ok(false);
        }
        let last = store::last_occurrence(&self.db, series.id).await?;
        Ok(!meetings_due(series, last, now, false).is_empty())
    }

    /// Pause, resume or end a series (its leader only).
    pub async fn set_series_status(
        &self,
        actor: &Person,
        series_id: Uuid,
        expected_version: i64,
        status: SeriesStatus,
    ) -> AppResult<Series> {
        let series = store::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Read, Resource::SharedMeetingContent)?;
        if actor.id != series.manager_id {
            return Err(Invalid::one("status", "Only the person who leads these 1:1s can pause, resume or end them.").into());
        }
        if series.status == SeriesStatus::Ended {
            return Err(Invalid::one("status", "These 1:1s have ended. Start a new series instead.").into());
        }
        let now = self.clock.now();
        let facts = self.series_update_facts(&series, status == SeriesStatus::Active && series.status == SeriesStatus::Paused).await?;
        let mut tx = self.db.begin().await?;
        if !store::set_series_status(&mut tx, series.id, expected_version, status, now).await? {
            return Err(conflict("This series"));
        }
        let updated = Series { status, version: expected_version.saturating_add(1), ..series };
        self.ensure_meetings(&mut tx, &updated, now, true).await?;
        // Both calendars follow: the series ends (or resumes), by the same UID.
        if status != series.status {
            self.queue_series_update(&mut tx, &updated, &facts).await?;
        }
        tx.commit().await?;
        Ok(updated)
    }

    /// The series the actor is part of, with the other person and the next meeting.
    pub async fn my_series(&self, actor: &Person) -> AppResult<Vec<SeriesSummary>> {
        let now = self.clock.now();
        let mut out = vec![];
        for series in store::series_of_person(&self.db, actor.id).await? {
            let other = people::get(&self.db, series.other(actor.id)).await?.ok_or(AppError::NotFound)?;
            let next = if series.status == SeriesStatus::Active {
                store::upcoming(&self.db, series.id, now - Duration::minutes(series.duration_minutes as i64), 1).await?.into_iter().next()
            } else {
                None
            };
            out.push(SeriesSummary { series, other, next });
        }
        Ok(out)
    }

    /// A pair's timeline: what is coming and one page of the past, newest first.
    pub async fn series_view(&self, actor: &Person, series_id: Uuid, before: Option<DateTime<Utc>>) -> AppResult<SeriesView> {
        let series = store::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Read, Resource::SharedMeetingContent)?;
        let now = self.clock.now();
        self.refresh_series(&series, now).await?;
        let (manager, teammate) = self.pair_people(&series).await?;
        let upcoming = if before.is_none() { store::upcoming(&self.db, series.id, now, UPCOMING_READY as i64).await? } else { vec![] };
        let history = store::history(&self.db, series.id, before.unwrap_or(now).min(now), HISTORY_PAGE).await?;
        let older = if history.len() as i64 == HISTORY_PAGE { history.last().map(|m| m.starts_at) } else { None };
        let ratings = store::recent_ratings(&self.db, series.id, RATINGS_SHOWN).await?;
        Ok(SeriesView { series, manager, teammate, viewer: actor.id, upcoming, history, older, ratings })
    }

    /// Keeps a series current: upcoming meetings exist, and points that should move on have.
    async fn refresh_series(&self, series: &Series, now: DateTime<Utc>) -> AppResult<()> {
        // Checked first by reading, so that showing a series that is up to date never waits
        // for (or holds) the write lock.
        let over_before = now - Duration::minutes(series.duration_minutes as i64);
        if !self.would_create_meetings(series, now).await? && !store::points_to_carry(&self.db, series.id, over_before, now).await? {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        self.ensure_meetings(&mut tx, series, now, false).await?;
        let moved = self.carry_over(&mut tx, series, now).await?;
        tx.commit().await?;
        for meeting in moved {
            self.published(meeting, "points", series.manager_id);
        }
        Ok(())
    }

    /// Moves every point that should move on (not discussed, or recurring) from meetings that
    /// are over to the next meeting still to come — once each, keeping where it came from.
    /// Returns the meetings that received points.
    async fn carry_over(&self, tx: &mut Tx, series: &Series, now: DateTime<Utc>) -> AppResult<Vec<Uuid>> {
        let pending = store::pending_carries(tx, series.id, now).await?;
        let mut targets = vec![];
        for (point, from) in pending {
            debug_assert!(rules::carries_over(point.discussed, point.recurring));
            let Some(target) = store::next_open_after(tx, series.id, from.starts_at, now).await? else { continue };
            let copy = TalkingPoint {
                id: Uuid::now_v7(),
                meeting_id: target.id,
                origin_id: point.origin_id,
                carried_from: Some(from.id),
                author_id: point.author_id,
                body: point.body.clone(),
                position: store::next_position(tx, target.id).await?,
                discussed: false,
                recurring: point.recurring,
                version: 1,
            };
            if store::insert_point(tx, &copy, series.id, now).await? {
                Self::index_point(tx, &copy, series.id, &target).await?;
                Self::notify_tx(tx, target.id, "points", point.author_id).await?;
                if !targets.contains(&target.id) {
                    targets.push(target.id);
                }
            }
            store::mark_carried(tx, point.id).await?;
        }
        Ok(targets)
    }

    /// A topic is found by search under its origin, at the meeting it is in now.
    pub(crate) async fn index_point(tx: &mut Tx, point: &TalkingPoint, series: Uuid, meeting: &Meeting) -> AppResult<()> {
        let doc = Doc {
            kind: DocKind::Point,
            ref_id: point.origin_id,
            series_id: series,
            meeting_id: meeting.id,
            private_to: None,
            occurred_at: meeting.starts_at,
            body: &point.body,
        };
        search::upsert(tx, &doc).await?;
        Ok(())
    }

    /// An action is found by search at the meeting it was agreed in.
    async fn index_action(tx: &mut Tx, item: &ActionItem, meeting: &Meeting) -> AppResult<()> {
        let doc = Doc {
            kind: DocKind::Action,
            ref_id: item.id,
            series_id: item.series_id,
            meeting_id: meeting.id,
            private_to: None,
            occurred_at: meeting.starts_at,
            body: &item.body,
        };
        search::upsert(tx, &doc).await?;
        Ok(())
    }

    // ---- meetings ----

    pub async fn meeting_view(&self, actor: &Person, meeting_id: Uuid) -> AppResult<MeetingView> {
        let now = self.clock.now();
        if let Some(hit) = self.views.get(meeting_id, actor.id.0, now) {
            self.require_pair(actor, &hit.view.series, Action::Read, Resource::SharedMeetingContent)?;
            if store::series_rev(&self.db, hit.view.series.id).await? == Some(hit.rev) {
                return Ok(hit.view);
            }
            self.views.forget(meeting_id, actor.id.0);
        }
        let (series, _) = self.load_meeting(actor, meeting_id, Action::Read).await?;
        self.refresh_series(&series, now).await?;
        // The revision is read (with the series as it is now) before everything else: a change
        // made while the page is being gathered moves it on, and the entry kept below is then
        // never used.
        let (series, rev) = store::get_series_with_rev(&self.db, series.id).await?.ok_or(AppError::NotFound)?;
        let view = self.gather_meeting_view(actor, series, meeting_id).await?;
        // Kept until a meeting shown ends (points move on then) or for a minute at most.
        let ends = [&view.meeting].into_iter().chain(view.next.iter()).map(|m| m.ends_at()).filter(|end| *end > now).min();
        let fresh_until = ends.into_iter().chain([now + Duration::seconds(super::cache::MAX_AGE_SECS)]).min().expect("one at least");
        self.views.put(meeting_id, actor.id.0, view.clone(), rev, fresh_until);
        Ok(view)
    }

    async fn gather_meeting_view(&self, actor: &Person, series: Series, meeting_id: Uuid) -> AppResult<MeetingView> {
        let meeting = store::get_meeting(&self.db, meeting_id).await?.ok_or(AppError::NotFound)?;
        let (manager, teammate) = self.pair_people(&series).await?;
        let mut points = store::points_of_meeting(&self.db, meeting.id).await?;
        rules::agenda_order(&mut points, series.teammate_id);
        let shared_note = store::get_note(&self.db, meeting.id, None).await?;
        let private_note = store::get_note(&self.db, meeting.id, Some(actor.id)).await?;
        let previous = store::previous(&self.db, series.id, meeting.starts_at).await?;
        let since = previous.as_ref().map(|p| p.starts_at).unwrap_or(meeting.starts_at);
        let actions = store::actions_for_meeting(&self.db, series.id, meeting.id, meeting.starts_at, since).await?;
        let previous_note = match &previous {
            Some(p) => store::get_note(&self.db, p.id, None).await?,
            None => None,
        };
        let next = store::upcoming(&self.db, series.id, meeting.starts_at + Duration::seconds(1), 3).await?;
        Ok(MeetingView {
            series,
            meeting,
            manager,
            teammate,
            viewer: actor.id,
            points,
            shared_note,
            private_note,
            actions,
            previous,
            previous_note,
            next,
        })
    }

    /// Marks a meeting held, skipped or cancelled (with a reason for the last two), or back
    /// to scheduled. Nothing is deleted; points not discussed move on to the next meeting.
    pub async fn set_meeting_status(
        &self,
        actor: &Person,
        meeting_id: Uuid,
        expected_version: i64,
        status: MeetingStatus,
        reason: &str,
    ) -> AppResult<Meeting> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Write).await?;
        let reason = reason.trim();
        if status.needs_reason() && reason.is_empty() {
            return Err(Invalid::one("reason", format!("Say why the meeting is {}; it stays in the record.", status.as_str())).into());
        }
        if reason.chars().count() > rules::REASON_MAX {
            return Err(Invalid::one("reason", format!("Keep the reason to {} characters.", rules::REASON_MAX)).into());
        }
        let now = self.clock.now();
        // A meeting still to come that will not happen: both people get a cancellation.
        let cancels = status.needs_reason() && meeting.status == MeetingStatus::Scheduled && meeting.starts_at > now;
        // Put back after a skip or cancellation: both calendars get it again.
        let restores = status == MeetingStatus::Scheduled && meeting.status.needs_reason() && meeting.starts_at > now;
        let pair = if cancels || restores { Some(self.pair_people(&series).await?) } else { None };
        let mut tx = self.db.begin().await?;
        if !store::set_meeting_status(&mut tx, meeting.id, expected_version, status, reason, now).await? {
            return Err(conflict("This meeting"));
        }
        if let Some((manager, teammate)) = &pair {
            let after =
                Meeting { status, status_reason: reason.to_string(), version: expected_version.saturating_add(1), ..meeting.clone() };
            if cancels {
                self.queue_cancel_notices(&mut tx, &series, manager, teammate, &after).await?;
            } else {
                self.queue_restore_notices(&mut tx, &series, manager, teammate, &after).await?;
            }
        }
        let moved = self.carry_over(&mut tx, &series, now).await?;
        Self::notify_tx(&mut tx, meeting.id, "meeting", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "meeting", actor.id);
        for m in moved {
            self.published(m, "points", actor.id);
        }
        store::get_meeting(&self.db, meeting.id).await?.ok_or(AppError::NotFound)
    }

    /// Moves a meeting to another local date and time (in the series' time zone).
    pub async fn move_meeting(
        &self,
        actor: &Person,
        meeting_id: Uuid,
        expected_version: i64,
        date: NaiveDate,
        time: &str,
        reason: &str,
    ) -> AppResult<Meeting> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Write).await?;
        let mut errors = Invalid::default();
        let time = parse_time("time", time, &mut errors);
        let reason = reason.trim();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "Say why the meeting moves; it stays in the record."));
        } else if reason.chars().count() > rules::REASON_MAX {
            errors.push(FieldError::new("reason", format!("Keep the reason to {} characters.", rules::REASON_MAX)));
        }
        let now = self.clock.now();
        if let Err(e) = rules::within_reach("date", date, now.date_naive()) {
            errors.push(e);
        }
        let (Some(time), true) = (time, errors.is_empty()) else { return Err(errors.into()) };
        let starts_at = local_instant(series.schedule.tz, date, time);
        if starts_at <= now {
            return Err(Invalid::one("date", "Choose a time that is still to come.").into());
        }
        if meeting.status != MeetingStatus::Scheduled {
            return Err(
                Invalid::one("date", format!("This meeting is {}; only a scheduled meeting can move.", meeting.status.as_str())).into()
            );
        }
        let (manager, teammate) = self.pair_people(&series).await?;
        let mut tx = self.db.begin().await?;
        if !store::move_meeting(&mut tx, meeting.id, expected_version, starts_at, reason, now).await? {
            return Err(conflict("This meeting"));
        }
        // Both people get the new time as an update of that occurrence in their calendars.
        let after = Meeting {
            starts_at,
            status_reason: reason.to_string(),
            moved_from_at: Some(meeting.moved_from_at.unwrap_or(meeting.starts_at)),
            version: expected_version.saturating_add(1),
            ..meeting.clone()
        };
        self.queue_move_notices(&mut tx, &series, &manager, &teammate, &meeting, &after).await?;
        Self::notify_tx(&mut tx, meeting.id, "meeting", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "meeting", actor.id);
        store::get_meeting(&self.db, meeting.id).await?.ok_or(AppError::NotFound)
    }

    /// "Was this worth your time?" The teammate answers, once the meeting has begun.
    pub async fn rate_meeting(&self, actor: &Person, meeting_id: Uuid, rating: i64, comment: &str) -> AppResult<Meeting> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Write).await?;
        if actor.id != series.teammate_id {
            return Err(Invalid::one("rating", "The teammate rates their 1:1s; the manager sees the trend.").into());
        }
        let mut errors = Invalid::default();
        rules::rating("rating", rating, &mut errors);
        if comment.chars().count() > rules::COMMENT_MAX {
            errors.push(FieldError::new("comment", format!("Keep the comment to {} characters.", rules::COMMENT_MAX)));
        }
        errors.into_result()?;
        let now = self.clock.now();
        if meeting.starts_at > now || matches!(meeting.status, MeetingStatus::Cancelled | MeetingStatus::Skipped) {
            return Err(Invalid::one("rating", "You can rate a meeting once it has taken place.").into());
        }
        let mut tx = self.db.begin().await?;
        store::rate_meeting(&mut tx, meeting.id, rating, comment.trim(), now).await?;
        Self::notify_tx(&mut tx, meeting.id, "meeting", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "meeting", actor.id);
        store::get_meeting(&self.db, meeting.id).await?.ok_or(AppError::NotFound)
    }

    /// The actor's next meetings across all their 1:1s.
    pub async fn upcoming_meetings(&self, actor: &Person, limit: i64) -> AppResult<Vec<Upcoming>> {
        let now = self.clock.now();
        for series in store::series_of_person(&self.db, actor.id).await? {
            if self.would_create_meetings(&series, now).await? {
                let mut tx = self.db.begin().await?;
                self.ensure_meetings(&mut tx, &series, now, false).await?;
                tx.commit().await?;
            }
        }
        let mut out = vec![];
        for (meeting, series) in store::upcoming_for_person(&self.db, actor.id, now - Duration::minutes(60), limit).await? {
            if meeting.is_over(now) {
                continue;
            }
            let other = people::get(&self.db, series.other(actor.id)).await?.ok_or(AppError::NotFound)?;
            out.push(Upcoming { meeting, series, other });
        }
        Ok(out)
    }

    // ---- talking points ----

    pub async fn add_point(&self, actor: &Person, meeting_id: Uuid, body: &str, recurring: bool) -> AppResult<TalkingPoint> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Write).await?;
        let mut errors = Invalid::default();
        let body = rules::short_text("body", body, rules::POINT_MAX, "a topic", &mut errors);
        errors.into_result()?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let id = Uuid::now_v7();
        let point = TalkingPoint {
            id,
            meeting_id: meeting.id,
            origin_id: id,
            carried_from: None,
            author_id: actor.id,
            body,
            position: store::next_position(&mut tx, meeting.id).await?,
            discussed: false,
            recurring,
            version: 1,
        };
        store::insert_point(&mut tx, &point, series.id, now).await?;
        Self::index_point(&mut tx, &point, series.id, &meeting).await?;
        Self::notify_tx(&mut tx, meeting.id, "points", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "points", actor.id);
        Ok(point)
    }

    async fn load_point(&self, actor: &Person, point_id: Uuid) -> AppResult<(Series, Meeting, TalkingPoint)> {
        let point = store::get_point(&self.db, point_id).await?.ok_or(AppError::NotFound)?;
        let (series, meeting) = self.load_meeting(actor, point.meeting_id, Action::Write).await?;
        Ok((series, meeting, point))
    }

    /// Rewords (author only), ticks as discussed or marks recurring (either person).
    pub async fn update_point(&self, actor: &Person, point_id: Uuid, expected_version: i64, patch: PointPatch) -> AppResult<TalkingPoint> {
        let (series, meeting, mut point) = self.load_point(actor, point_id).await?;
        if point.version != expected_version {
            return Err(conflict("This topic"));
        }
        let mut errors = Invalid::default();
        if let Some(body) = &patch.body {
            if point.author_id != actor.id && body.trim() != point.body {
                errors.push(FieldError::new("body", "Only the person who added a topic can reword it."));
            }
            point.body = rules::short_text("body", body, rules::POINT_MAX, "a topic", &mut errors);
        }
        errors.into_result()?;
        if let Some(d) = patch.discussed {
            point.discussed = d;
        }
        if let Some(r) = patch.recurring {
            point.recurring = r;
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !store::update_point(&mut tx, &point, expected_version, now).await? {
            return Err(conflict("This topic"));
        }
        Self::index_point(&mut tx, &point, series.id, &meeting).await?;
        Self::notify_tx(&mut tx, meeting.id, "points", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "points", actor.id);
        point.version = expected_version.saturating_add(1);
        Ok(point)
    }

    /// Moves a topic one place up or down within the agenda as shown.
    pub async fn reorder_point(&self, actor: &Person, point_id: Uuid, up: bool) -> AppResult<()> {
        let (series, meeting, point) = self.load_point(actor, point_id).await?;
        let mut points = store::points_of_meeting(&self.db, meeting.id).await?;
        rules::agenda_order(&mut points, series.teammate_id);
        let Some(i) = points.iter().position(|p| p.id == point.id) else { return Err(AppError::NotFound) };
        let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < points.len()) };
        let Some(j) = j else { return Ok(()) };
        let (mut a, mut b) = (points[i].clone(), points[j].clone());
        std::mem::swap(&mut a.position, &mut b.position);
        if a.position == b.position {
            // Equal positions (possible after carries): make them distinct in the wanted order.
            if up { a.position -= 1 } else { a.position += 1 }
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !store::update_point(&mut tx, &a, points[i].version, now).await?
            || !store::update_point(&mut tx, &b, points[j].version, now).await?
        {
            return Err(conflict("The agenda"));
        }
        Self::notify_tx(&mut tx, meeting.id, "points", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "points", actor.id);
        Ok(())
    }

    pub async fn delete_point(&self, actor: &Person, point_id: Uuid, expected_version: i64) -> AppResult<()> {
        let (_, meeting, point) = self.load_point(actor, point_id).await?;
        if point.author_id != actor.id {
            return Err(Invalid::one("body", "Only the person who added a topic can remove it; mark it discussed instead.").into());
        }
        let mut tx = self.db.begin().await?;
        if !store::delete_point(&mut tx, point.id, expected_version).await? {
            return Err(conflict("This topic"));
        }
        if point.carried_from.is_none() {
            search::remove(&mut tx, point.origin_id).await?;
        }
        Self::notify_tx(&mut tx, meeting.id, "points", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "points", actor.id);
        Ok(())
    }

    // ---- notes ----

    /// Saves the shared note or the actor's private note. `base_version` is the version the
    /// text was edited from (0 for a note that did not exist yet). If someone saved in
    /// between, the two edits are merged line by line; if they touch the same lines, nothing
    /// is saved and both versions come back marked.
    pub async fn save_note(&self, actor: &Person, meeting_id: Uuid, private: bool, body: &str, base_version: i64) -> AppResult<NoteSaved> {
        let resource = if private { Resource::PrivateNote { actor_is_author: true } } else { Resource::SharedMeetingContent };
        let meeting = store::get_meeting(&self.db, meeting_id).await?.ok_or(AppError::NotFound)?;
        let series = store::get_series(&self.db, meeting.series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Write, resource)?;
        let mut errors = Invalid::default();
        let mine = rules::note_text("body", body, &mut errors);
        errors.into_result()?;
        let now = self.clock.now();
        let owner = private.then_some(actor.id);
        let current = store::get_note(&self.db, meeting.id, owner).await?;
        let (text, merged) = match &current {
            Some(c) if c.version != base_version => {
                let base = if base_version == 0 {
                    String::new()
                } else {
                    store::note_revision(&self.db, c.id, base_version).await?.unwrap_or_default()
                };
                match three_way(&base, &mine, &c.body) {
                    Merge::Clean(t) => (t, true),
                    Merge::Conflict(marked) => return Ok(NoteSaved::Conflict { current: c.clone(), merged: marked }),
                }
            }
            _ => (mine, false),
        };
        let mut tx = self.db.begin().await?;
        let saved = match &current {
            Some(c) => {
                if !store::update_note(&mut tx, c.id, c.version, &text, actor.id, now).await? {
                    // Another save landed between our read and our write: go round again.
                    drop(tx);
                    return Box::pin(self.save_note(actor, meeting_id, private, &text, c.version)).await;
                }
                Note { body: text.clone(), updated_by: actor.id, updated_at: now, version: c.version.saturating_add(1), ..c.clone() }
            }
            None => {
                let n = Note {
                    id: Uuid::now_v7(),
                    meeting_id: meeting.id,
                    private,
                    author_id: actor.id,
                    body: text.clone(),
                    updated_by: actor.id,
                    updated_at: now,
                    version: 1,
                };
                if !store::insert_note(&mut tx, &n, now).await? {
                    drop(tx);
                    return Box::pin(self.save_note(actor, meeting_id, private, &text, 0)).await;
                }
                n
            }
        };
        let plain = search_text(&saved.body);
        search::upsert(
            &mut tx,
            &Doc {
                kind: DocKind::Note,
                ref_id: saved.id,
                series_id: series.id,
                meeting_id: meeting.id,
                private_to: owner,
                occurred_at: meeting.starts_at,
                body: &plain,
            },
        )
        .await?;
        if !private {
            Self::notify_tx(&mut tx, meeting.id, "notes", actor.id).await?;
        }
        tx.commit().await?;
        if !private {
            self.published(meeting.id, "notes", actor.id);
        }
        Ok(if merged { NoteSaved::Merged(saved) } else { NoteSaved::Saved(saved) })
    }

    pub fn render_note(note: &Note) -> String {
        render_markdown(&note.body)
    }

    // ---- action items ----

    pub async fn add_action(
        &self,
        actor: &Person,
        meeting_id: Uuid,
        body: &str,
        owner: PersonId,
        due_date: Option<NaiveDate>,
        kind: ActionKind,
    ) -> AppResult<ActionItem> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Write).await?;
        let item = self.prepare_action(actor, &series, &meeting, "", body, owner, due_date, kind)?;
        let mut tx = self.db.begin().await?;
        Self::write_action(&mut tx, actor, &item, &meeting).await?;
        tx.commit().await?;
        self.published(meeting.id, "actions", actor.id);
        Ok(item)
    }

    /// Checks a new action item for a meeting the actor may write to (`load_meeting` first);
    /// `prefix` goes before each field name ("actions[0]." for one of several).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn prepare_action(
        &self,
        actor: &Person,
        series: &Series,
        meeting: &Meeting,
        prefix: &str,
        body: &str,
        owner: PersonId,
        due_date: Option<NaiveDate>,
        kind: ActionKind,
    ) -> Result<ActionItem, Invalid> {
        let mut errors = Invalid::default();
        let body = rules::short_text(&format!("{prefix}body"), body, rules::ACTION_MAX, "the action", &mut errors);
        if !series.includes(owner) {
            errors.push(FieldError::new(format!("{prefix}owner_id"), "An action belongs to one of the two people in this 1:1."));
        }
        if kind == ActionKind::Help && owner != series.manager_id {
            errors.push(FieldError::new(format!("{prefix}owner_id"), "\"How can I help?\" items belong to the manager."));
        }
        errors.into_result()?;
        let now = self.clock.now();
        Ok(ActionItem {
            id: Uuid::now_v7(),
            series_id: series.id,
            meeting_id: meeting.id,
            owner_id: owner,
            created_by: actor.id,
            body,
            kind,
            due_date,
            done_at: None,
            created_at: now,
            version: 1,
        })
    }

    /// Writes a prepared action item inside the caller's transaction (call `published` after
    /// the commit).
    pub(crate) async fn write_action(tx: &mut Tx, actor: &Person, item: &ActionItem, meeting: &Meeting) -> AppResult<()> {
        store::insert_action(tx, item, item.created_at).await?;
        Self::index_action(tx, item, meeting).await?;
        Self::notify_tx(tx, meeting.id, "actions", actor.id).await?;
        Ok(())
    }

    pub(crate) fn published_actions(&self, meeting: Uuid, by: PersonId) {
        self.published(meeting, "actions", by);
    }

    pub async fn update_action(&self, actor: &Person, action_id: Uuid, expected_version: i64, patch: ActionPatch) -> AppResult<ActionItem> {
        let mut item = store::get_action(&self.db, action_id).await?.ok_or(AppError::NotFound)?;
        let series = store::get_series(&self.db, item.series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Write, Resource::SharedMeetingContent)?;
        if item.version != expected_version {
            return Err(conflict("This action"));
        }
        let mut errors = Invalid::default();
        if let Some(b) = &patch.body {
            item.body = rules::short_text("body", b, rules::ACTION_MAX, "the action", &mut errors);
        }
        if let Some(o) = patch.owner_id {
            if !series.includes(o) {
                errors.push(FieldError::new("owner_id", "An action belongs to one of the two people in this 1:1."));
            }
            item.owner_id = o;
        }
        errors.into_result()?;
        if let Some(d) = patch.due_date {
            item.due_date = d;
        }
        let now = self.clock.now();
        if let Some(done) = patch.done {
            item.done_at = if done { item.done_at.or(Some(now)) } else { None };
        }
        // Search dates an action by its meeting, as when it was added.
        let meeting = store::get_meeting(&self.db, item.meeting_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        if !store::update_action(&mut tx, &item, expected_version, now).await? {
            return Err(conflict("This action"));
        }
        Self::index_action(&mut tx, &item, &meeting).await?;
        Self::notify_tx(&mut tx, item.meeting_id, "actions", actor.id).await?;
        tx.commit().await?;
        self.published(item.meeting_id, "actions", actor.id);
        item.version = expected_version.saturating_add(1);
        Ok(item)
    }

    /// Everything the actor has promised, across all their 1:1s.
    pub async fn my_actions(&self, actor: &Person, only: Option<ActionKind>) -> AppResult<Vec<MyAction>> {
        let mut out = vec![];
        for action in store::open_actions_of(&self.db, actor.id, only).await? {
            let series = store::get_series(&self.db, action.series_id).await?.ok_or(AppError::NotFound)?;
            // As the meeting page would show it: only to one of the pair.
            if !self.may_read_pair(actor, series.manager_id, series.teammate_id) {
                continue;
            }
            let other = people::get(&self.db, series.other(actor.id)).await?.ok_or(AppError::NotFound)?;
            out.push(MyAction { action, series, other });
        }
        Ok(out)
    }

    /// Live updates for a meeting the actor is part of.
    pub async fn subscribe_meeting(&self, actor: &Person, meeting_id: Uuid) -> AppResult<tokio::sync::broadcast::Receiver<MeetingEvent>> {
        self.load_meeting(actor, meeting_id, Action::Read).await?;
        Ok(self.events.subscribe(meeting_id))
    }

    // ---- search ----

    /// Searches every 1:1 the actor is part of: topics, shared notes, their own private notes
    /// and actions. The access rule is inside the query, so counts and limits never leak.
    pub async fn search(
        &self,
        actor: &Person,
        query: &str,
        with: Option<PersonId>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> AppResult<Vec<SearchResult>> {
        let query = crate::domain::validation::search_query("q", query)?;
        let hits = search::search(&self.db, actor.id, query, &Filter { with, from, to, limit: SEARCH_LIMIT }).await?;
        // Hits come from a handful of series: look each series and person up once.
        let mut seen: std::collections::HashMap<Uuid, (Series, Person)> = std::collections::HashMap::new();
        let mut out = vec![];
        for hit in hits {
            if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(hit.series_id) {
                let series = store::get_series(&self.db, hit.series_id).await?.ok_or(AppError::NotFound)?;
                let other = people::get(&self.db, series.other(actor.id)).await?.ok_or(AppError::NotFound)?;
                slot.insert((series, other));
            }
            let (series, other) = seen[&hit.series_id].clone();
            // The query already keeps to the actor's series; each hit still passes the check
            // the meeting page makes for it, so search never shows what that page refuses.
            let resource = if hit.private {
                // A private note: the meeting page shows the actor their own one only.
                let own = store::get_note(&self.db, hit.meeting_id, Some(actor.id)).await?;
                Resource::PrivateNote { actor_is_author: own.is_some_and(|n| n.id == hit.ref_id) }
            } else {
                Resource::SharedMeetingContent
            };
            if !self.may_pair(actor, series.manager_id, series.teammate_id, Action::Read, resource) {
                continue;
            }
            out.push(SearchResult { hit, series, other });
        }
        Ok(out)
    }
}

/// A search snippet as safe HTML: escaped, with the matches in `<mark>`.
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    for c in snippet.chars() {
        match c {
            search::MARK_START => out.push_str("<mark>"),
            search::MARK_END => out.push_str("</mark>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_are_escaped_and_marked() {
        let s = format!("a <script> {}growth{} plan", crate::store::search::MARK_START, crate::store::search::MARK_END);
        assert_eq!(super::snippet_html(&s), "a &lt;script&gt; <mark>growth</mark> plan");
    }
}
