//! One meeting: its page, status, moving it, the "worth your time?" rating, what is coming next.

use super::view::{EarlierNote, MeetingView, Upcoming};
use super::{conflict, parse_time};
use crate::app::{App, AppError, AppResult};
use crate::domain::kickoff::{Attendee, first_name, moved_warnings};
use crate::domain::meeting::{self as rules, Meeting, MeetingStatus, Series};
use crate::domain::policy::{Action, Resource};
use crate::domain::schedule::local_instant;
use crate::domain::{FieldError, Invalid, Person};
use crate::store::{meetings as store, people};
use chrono::{Duration, NaiveDate};
use uuid::Uuid;

impl App {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn meeting_view(&self, actor: &Person, meeting_id: Uuid) -> AppResult<MeetingView> {
        let now = self.clock.now();
        if let Some(mut hit) = self.views.get(meeting_id, actor.id.0, now) {
            self.require_pair(actor, &hit.view.series, Action::Read, Resource::SharedMeetingContent)?;
            let fresh = crate::store::home::freshness(&self.db, hit.view.series.id, meeting_id, actor.id).await?;
            if fresh.as_ref().is_some_and(|f| f.rev == hit.rev) {
                self.metrics.page_cache_hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                hit.view.fresh = fresh;
                return Ok(hit.view);
            }
            self.views.forget(meeting_id, actor.id.0);
        }
        self.metrics.page_cache_misses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (series, _) = self.load_meeting(actor, meeting_id, Action::Read).await?;
        self.refresh_series(&series, now).await?;
        // The revision is read (with the meeting and series as they are now) before everything
        // else: a change made while the page is being gathered moves it on, and the entry kept
        // below is then never used.
        let (meeting, series, rev) = store::get_meeting_with_series_rev(&self.db, meeting_id).await?.ok_or(AppError::NotFound)?;
        let mut view = self.gather_meeting_view(actor, series, meeting).await?;
        view.feedback = Some(self.meeting_feedback(&view).await?);
        // Kept until a meeting shown ends (points move on then) or for a minute at most.
        let ends = [&view.meeting].into_iter().chain(view.next.iter()).map(|m| m.ends_at()).filter(|end| *end > now).min();
        let fresh_until = ends.into_iter().chain([now + Duration::seconds(crate::app::cache::MAX_AGE_SECS)]).min().expect("one at least");
        self.views.put(meeting_id, actor.id.0, view.clone(), rev, fresh_until);
        view.fresh = crate::store::home::freshness(&self.db, view.series.id, meeting_id, actor.id).await?;
        Ok(view)
    }

    pub(super) async fn gather_meeting_view(&self, actor: &Person, series: Series, meeting: Meeting) -> AppResult<MeetingView> {
        let (manager, teammate) = self.pair_people(&series).await?;
        let mut points = store::points_of_meeting(&self.db, meeting.id).await?;
        rules::agenda_order(&mut points, series.teammate_id);
        let (shared_note, private_note) = store::notes_for(&self.db, meeting.id, actor.id).await?;
        let previous = store::previous(&self.db, series.id, meeting.starts_at).await?;
        let since = previous.as_ref().map(|p| p.starts_at).unwrap_or(meeting.starts_at);
        let actions = store::actions_for_meeting(&self.db, series.id, meeting.id, meeting.starts_at, since).await?;
        // The last time's notes and up to three before them, in one statement, and the actions
        // agreed in those meetings in another. Actions are shared content of the pair, which
        // `load_meeting` let the actor read; there are no private ones.
        let mut notes = store::shared_notes_before(&self.db, series.id, meeting.starts_at, 4).await?;
        let mut decided = store::actions_of_noted_before(&self.db, series.id, meeting.starts_at, 4).await?;
        let last_id = previous.as_ref().map(|p| p.id);
        let previous_note = notes.iter().position(|(n, _)| Some(n.meeting_id) == last_id).map(|i| notes.remove(i).0);
        notes.truncate(3);
        let earlier_notes = notes
            .into_iter()
            .map(|(note, starts_at)| {
                let (decisions, rest) = decided.drain(..).partition(|a| a.meeting_id == note.meeting_id);
                decided = rest;
                EarlierNote { note, starts_at, decisions }
            })
            .collect();
        let next = store::upcoming(&self.db, series.id, meeting.starts_at + Duration::seconds(1), 3).await?;
        let can_rate = Self::pair_may(actor, &series, Action::Write, Resource::MeetingRating);
        let pulse = if Self::pair_may(actor, &series, Action::Read, crate::app::pulse::pulse_resource(&series)).yes() {
            crate::store::pulse::of_meeting(&self.db, meeting.id).await?
        } else {
            None
        };
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
            earlier_notes,
            next,
            can_rate,
            pulse,
            fresh: None,
            feedback: None,
        })
    }

    /// Marks a meeting held, skipped or cancelled (with a reason for the last two), or back
    /// to scheduled. Nothing is deleted; points not discussed move on to the next meeting.
    #[tracing::instrument(level = "debug", skip_all)]
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
        if !store::set_meeting_status(&mut tx, meeting.id, expected_version, status, reason, actor.id, now).await? {
            return Err(conflict("This meeting"));
        }
        if let Some((manager, teammate)) = &pair {
            let after = Meeting {
                status,
                status_reason: reason.to_string(),
                status_by: Some(actor.id),
                version: expected_version.saturating_add(1),
                ..meeting.clone()
            };
            self.queue_status_notices(&mut tx, &series, (manager, teammate), &after).await?;
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
    #[tracing::instrument(level = "debug", skip_all)]
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
        if !store::move_meeting(&mut tx, meeting.id, expected_version, starts_at, reason, actor.id, now).await? {
            return Err(conflict("This meeting"));
        }
        // Both people get the new time as an update of that occurrence in their calendars.
        let after = Meeting {
            starts_at,
            status_reason: reason.to_string(),
            moved_from_at: Some(meeting.moved_from_at.unwrap_or(meeting.starts_at)),
            moved_by: Some(actor.id),
            version: expected_version.saturating_add(1),
            ..meeting.clone()
        };
        self.queue_move_notices(&mut tx, &series, (&manager, &teammate), &meeting, &after).await?;
        Self::notify_tx(&mut tx, meeting.id, "meeting", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "meeting", actor.id);
        store::get_meeting(&self.db, meeting.id).await?.ok_or(AppError::NotFound)
    }

    /// Why the meeting's time may not suit one of the two, as `actor` says it ("you" for
    /// themself, the other by first name): outside their usual working day, in their own zone,
    /// or in their focus hours where the actor may see those (as `focus_hours` decides).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn meeting_time_warnings(&self, actor: &Person, meeting_id: Uuid) -> AppResult<Vec<String>> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Read).await?;
        let (manager, teammate) = self.pair_people(&series).await?;
        let mut focus = Vec::new();
        for p in [&manager, &teammate] {
            let seen = self.may(actor, p, Action::Read, Resource::FocusHours).await?;
            focus.push(if seen { crate::store::kickoff::focus_hours(&self.db, p.id).await? } else { None });
        }
        let people: Vec<Attendee<'_>> = [&manager, &teammate]
            .into_iter()
            .zip(&focus)
            .map(|(p, f)| Attendee {
                who: if p.id == actor.id { "you".into() } else { first_name(&p.name) },
                tz: p.timezone.tz(),
                focus: f.as_ref(),
            })
            .collect();
        Ok(moved_warnings(meeting.starts_at, meeting.duration_minutes, &people))
    }

    /// "Was this worth your time?" The teammate answers, once the meeting has begun.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn rate_meeting(&self, actor: &Person, meeting_id: Uuid, rating: i64, comment: &str) -> AppResult<Meeting> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Write).await?;
        self.require_pair(actor, &series, Action::Write, Resource::MeetingRating)?;
        let mut errors = Invalid::default();
        rules::rating("rating", rating, &mut errors);
        if comment.chars().count() > rules::COMMENT_MAX {
            errors.push(FieldError::new("comment", format!("Keep the comment to {} characters.", rules::COMMENT_MAX)));
        }
        errors.into_result()?;
        let now = self.clock.now();
        if !meeting.can_be_rated(now) {
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn upcoming_meetings(&self, actor: &Person, limit: i64) -> AppResult<Vec<Upcoming>> {
        let now = self.clock.now();
        // Whether any series needs meetings planned is read in one statement for all of them;
        // only a series that does opens a write.
        let last = store::last_occurrences(&self.db, actor.id).await?;
        let all = store::series_of_person(&self.db, actor.id).await?;
        for series in &all {
            if !super::meetings_due(series, last.get(&series.id).copied(), now, false).is_empty() {
                let mut tx = self.db.begin().await?;
                self.ensure_meetings(&mut tx, series, now, false).await?;
                tx.commit().await?;
            }
        }
        // From the longest a meeting lasts, so that one under way is listed; those already over
        // are left out after reading, so a few more than asked for are read (one a series).
        let longest = all.iter().map(|s| s.duration_minutes).max().unwrap_or(0);
        let found: Vec<(Meeting, Series)> =
            store::upcoming_for_person(&self.db, actor.id, now - Duration::minutes(longest as i64), limit + all.len() as i64)
                .await?
                .into_iter()
                .filter(|(meeting, _)| !meeting.is_over(now))
                .take(limit.max(0) as usize)
                .collect();
        // The people across, in one statement.
        let others = people::by_ids(&self.db, found.iter().map(|(_, s)| s.other(actor.id).0).collect()).await?;
        found
            .into_iter()
            .map(|(meeting, series)| {
                let other = others.iter().find(|p| p.id == series.other(actor.id)).cloned().ok_or(AppError::NotFound)?;
                Ok(Upcoming { meeting, series, other })
            })
            .collect()
    }
}
