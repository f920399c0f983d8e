//! Running a series: start, keep current (upcoming meetings, carry-over), pause, resume, end; the pair's timeline.

use super::view::{SeriesInput, SeriesSummary, SeriesView};
use super::{HISTORY_PAGE, RATINGS_SHOWN, UPCOMING_READY, conflict, meetings_due, parse_time};
use crate::app::{App, AppError, AppResult};
use crate::domain::meeting::{self as rules, Series, SeriesKind, SeriesStatus, TalkingPoint};
use crate::domain::policy::{self, Action, Resource, Role};
use crate::domain::schedule::{Schedule, local_instant};
use crate::domain::{FieldError, Invalid, Person, Zone};
use crate::store::{Tx, meetings as store, people};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

impl App {
    #[tracing::instrument(level = "debug", skip_all)]
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
        let tz = Zone::parse(&input.timezone).map_err(|m| errors.push(FieldError::new("timezone", m))).ok();
        let time = parse_time("time", &input.time, &mut errors);
        if !(10..=240).contains(&input.duration_minutes) {
            errors.push(FieldError::new("duration_minutes", "A 1:1 lasts between 10 and 240 minutes."));
        }
        let now = self.clock.now();
        if let Err(e) = rules::within_reach("first_date", input.first_date, now.date_naive()) {
            errors.push(e);
        }
        let (Some(tz), Some(time), true) = (tz, time, errors.is_empty()) else { return Err(errors.into()) };
        let tz = tz.tz();
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
    pub(super) async fn would_create_meetings(&self, series: &Series, now: DateTime<Utc>) -> AppResult<bool> {
        if series.status != SeriesStatus::Active {
            return Ok(false);
        }
        let last = store::last_occurrence(&self.db, series.id).await?;
        Ok(!meetings_due(series, last, now, false).is_empty())
    }

    /// Pause, resume or end a series (its leader only).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_series_status(
        &self,
        actor: &Person,
        series_id: Uuid,
        expected_version: i64,
        status: SeriesStatus,
    ) -> AppResult<Series> {
        let series = store::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Write, Resource::SeriesState)?;
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_series(&self, actor: &Person) -> AppResult<Vec<SeriesSummary>> {
        let now = self.clock.now();
        let series = store::series_of_person(&self.db, actor.id).await?;
        if series.is_empty() {
            return Ok(vec![]);
        }
        // Three statements whatever the number of series: the series, the people on their other
        // side, and the meetings ahead (from the longest a meeting may last: one under way counts).
        let others = people::met_by(&self.db, actor.id).await?;
        let longest = series.iter().map(|s| s.duration_minutes).max().unwrap_or(0);
        let ahead = store::ahead_for_person(&self.db, actor.id, now - Duration::minutes(longest as i64)).await?;
        let mut out = vec![];
        for series in series {
            let other = others.iter().find(|p| p.id == series.other(actor.id)).cloned().ok_or(AppError::NotFound)?;
            let next = if series.status == SeriesStatus::Active {
                let from = now - Duration::minutes(series.duration_minutes as i64);
                ahead.iter().find(|m| m.series_id == series.id && m.starts_at >= from).cloned()
            } else {
                None
            };
            out.push(SeriesSummary { series, other, next });
        }
        Ok(out)
    }

    /// The series the actor is in (active or not) with the person on the other side of each,
    /// without their meetings: two statements whatever the number of series.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn pairs(&self, actor: &Person) -> AppResult<Vec<(Series, Person)>> {
        let series = store::series_of_person(&self.db, actor.id).await?;
        if series.is_empty() {
            return Ok(vec![]);
        }
        let others = people::met_by(&self.db, actor.id).await?;
        Ok(series
            .into_iter()
            .filter_map(|s| {
                let other = others.iter().find(|p| p.id == s.other(actor.id))?.clone();
                Some((s, other))
            })
            .collect())
    }

    /// A pair's timeline: what is coming and one page of the past, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
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
        let can_pause = Self::pair_may(actor, &series, Action::Write, Resource::SeriesState);
        Ok(SeriesView { series, manager, teammate, viewer: actor.id, upcoming, history, older, ratings, can_pause })
    }

    /// Keeps a series current: upcoming meetings exist, and points that should move on have.
    pub(super) async fn refresh_series(&self, series: &Series, now: DateTime<Utc>) -> AppResult<()> {
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
    pub(super) async fn carry_over(&self, tx: &mut Tx, series: &Series, now: DateTime<Utc>) -> AppResult<Vec<Uuid>> {
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
                note: point.note.clone(),
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
}
