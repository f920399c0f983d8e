//! The pulse: the teammate's quick answers before a 1:1, read by the pair (never above).

use crate::app::{App, AppError, AppResult};
use crate::domain::Person;
use crate::domain::meeting::{Meeting, MeetingStatus, Series, SeriesKind};
use crate::domain::policy::{Action, Allowed, Resource};
use crate::domain::pulse::{self as rules, Pulse, Questions};
use crate::domain::{Invalid, PersonId};
use crate::store::pulse as store;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

/// How many of a pair's pulses the series page and prep read (their trend).
pub const PULSES_SHOWN: i64 = 12;

/// The policy's resource for a pair's pulse.
pub(crate) fn pulse_resource(series: &Series) -> Resource {
    Resource::Pulse { regular_series: series.kind == SeriesKind::Regular }
}

/// Whether a meeting still asks for its pulse at `now`: a 1:1 that is scheduled, not over, and
/// begins within [`rules::ASK_DAYS_BEFORE`] days.
pub fn asks_for_pulse(meeting: &Meeting, now: DateTime<Utc>) -> bool {
    meeting.status == MeetingStatus::Scheduled && !meeting.is_over(now) && meeting.starts_at <= now + Duration::days(rules::ASK_DAYS_BEFORE)
}

/// A meeting's pulse as its page shows it.
#[derive(Debug, Clone)]
pub struct MeetingPulse {
    pub answer: Option<Pulse>,
    /// Whether the viewer may answer it (the teammate, while the meeting asks for it).
    pub can_answer: bool,
    pub can_read: Allowed,
}

impl App {
    /// The questions in use.
    pub fn pulse_questions(&self) -> &Questions {
        &self.config.pulse
    }

    /// The teammate answers the pulse for a coming 1:1 (again, to change it, until it ends).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn answer_pulse(&self, actor: &Person, meeting_id: Uuid, answers: &BTreeMap<String, i64>, comment: &str) -> AppResult<Pulse> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Read).await?;
        self.require_pair(actor, &series, Action::Write, pulse_resource(&series))?;
        let checked = self.config.pulse.check(answers, comment)?;
        let now = self.clock.now();
        if !asks_for_pulse(&meeting, now) {
            let why = if meeting.is_over(now) || meeting.status != MeetingStatus::Scheduled {
                "This 1:1 is over or no longer planned; the pulse is for one still to come."
            } else {
                "The pulse opens a week before the 1:1; answer it then."
            };
            return Err(Invalid::one("meeting", why).into());
        }
        let mut tx = self.db.begin().await?;
        store::save(&mut tx, meeting.id, series.id, actor.id, &checked, comment.trim(), now).await?;
        Self::notify_tx(&mut tx, meeting.id, "pulse", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "pulse", actor.id);
        store::of_meeting(&self.db, meeting.id).await?.ok_or(AppError::NotFound)
    }

    /// A meeting's pulse, for the pair: the answer if there is one, and whether the viewer may
    /// give it now.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn meeting_pulse(&self, actor: &Person, meeting_id: Uuid) -> AppResult<MeetingPulse> {
        let (series, meeting) = self.load_meeting(actor, meeting_id, Action::Read).await?;
        self.require_pair(actor, &series, Action::Read, pulse_resource(&series))?;
        let answer = store::of_meeting(&self.db, meeting.id).await?;
        Ok(self.pulse_for(actor, &series, &meeting, answer))
    }

    /// What a meeting's page shows of its pulse, from an answer already read.
    pub fn pulse_for(&self, actor: &Person, series: &Series, meeting: &Meeting, answer: Option<Pulse>) -> MeetingPulse {
        let can_read = Self::pair_may(actor, series, Action::Read, pulse_resource(series));
        let can_answer =
            Self::pair_may(actor, series, Action::Write, pulse_resource(series)).yes() && asks_for_pulse(meeting, self.clock.now());
        MeetingPulse { answer: if can_read.yes() { answer } else { None }, can_answer, can_read }
    }

    /// A pair's latest pulses, oldest first, for its trend (at most [`PULSES_SHOWN`]).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn series_pulses(&self, actor: &Person, series_id: Uuid) -> AppResult<Vec<Pulse>> {
        let series = crate::store::meetings::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Read, Resource::SharedMeetingContent)?;
        self.require_pair(actor, &series, Action::Read, pulse_resource(&series))?;
        Ok(store::of_series(&self.db, series.id, None, PULSES_SHOWN).await?)
    }

    /// The pulses of a pair whose series the actor was already let read (a [`SeriesView`]'s),
    /// oldest first, or none where the policy keeps them from the actor (a skip-level series).
    ///
    /// [`SeriesView`]: crate::app::meetings::SeriesView
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn pulses_if_allowed(&self, actor: &Person, series: &Series, before: Option<DateTime<Utc>>) -> AppResult<Vec<Pulse>> {
        if self.require_pair(actor, series, Action::Read, pulse_resource(series)).is_err() {
            return Ok(vec![]);
        }
        Ok(store::of_series(&self.db, series.id, before, PULSES_SHOWN).await?)
    }

    /// What the pulses say for prep's suggestions, each signal with its question's label.
    pub(crate) fn pulse_signals(&self, pulses: &[Pulse]) -> Vec<(String, rules::Signal)> {
        let t = &self.config.guidance;
        rules::signals(&self.config.pulse, pulses, t.pulse_drop, t.pulse_low_times)
            .into_iter()
            .map(|s| {
                let key = match &s {
                    rules::Signal::Drop { key, .. } | rules::Signal::Low { key, .. } => key.clone(),
                };
                (self.config.pulse.label(&key).to_string(), s)
            })
            .collect()
    }

    /// Of the meetings a teammate has coming from `from`, those they answered the pulse for.
    pub(crate) async fn pulses_answered(&self, teammate: PersonId, from: DateTime<Utc>) -> AppResult<Vec<Uuid>> {
        Ok(store::answered_since(&self.db, teammate, from).await?)
    }
}
