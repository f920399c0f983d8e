//! The home: one row per person you have 1:1s with, saying what needs you before the next one.

use super::{MeetingView, SeriesSummary, Upcoming};
use crate::app::program::outcome_of;
use crate::app::{App, AppResult};
use crate::domain::Person;
use crate::domain::guidance::{self as g, Suggestion};
use crate::domain::meeting::{ActionKind, Meeting, MeetingStatus, Series, SeriesStatus};
use crate::domain::policy::{Action, Resource};
use crate::domain::program as rules;
use crate::store::home as store;
use crate::store::meetings::open_actions_of;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// How far back a begun, unrated 1:1 still asks the teammate for a rating.
const RATE_WITHIN_DAYS: i64 = 14;

/// How many past 1:1s of a pair prep's suggestions read (their ratings, and when the pair began).
const PAST_MEETINGS: i64 = 24;

/// One person you have 1:1s with, and what needs you before the next one.
#[derive(Debug, Clone)]
pub struct HomeRow {
    pub series: Series,
    pub other: Person,
    pub next: Option<Meeting>,
    /// Topics on the next 1:1: the other person's and yours.
    pub their_topics: i64,
    pub my_topics: i64,
    /// Of the other person's, those added since you last opened the 1:1's page or its prep page.
    pub new_topics: i64,
    /// Your open actions in this series, how many are past their date (in your zone), and how
    /// many are "how can I help?" promises.
    pub open_actions: usize,
    pub overdue_actions: usize,
    pub help_owed: usize,
    /// For the teammate: the latest begun 1:1 of the last two weeks still waiting for a rating.
    pub to_rate: Option<Meeting>,
    /// For the teammate: the next 1:1, when it asks for a pulse not yet given.
    pub pulse_due: Option<Meeting>,
    /// For the manager running the first ten 1:1s with this person: the next session.
    pub program_next: Option<ProgramNext>,
    /// For the manager: prep's most important suggestion for the pair, from what the home reads
    /// for all pairs at once ([`App::first_suggestions`]).
    pub suggestion: Option<Suggestion>,
}

/// The next session of a pair's first ten 1:1s.
#[derive(Debug, Clone)]
pub struct ProgramNext {
    /// Its number in the pair's order (1-based), of `total`.
    pub number: usize,
    pub total: usize,
    pub title: String,
}

/// Where each pair's program stands, from its sessions as read for the whole home.
fn programs(sessions: Vec<store::LedSession>, now: DateTime<Utc>) -> HashMap<Uuid, ProgramNext> {
    let mut records: HashMap<Uuid, Vec<rules::SessionRecord>> = HashMap::new();
    for s in sessions {
        let meeting = match (s.meeting_status.as_deref().and_then(MeetingStatus::parse), s.meeting_starts_at, s.meeting_minutes) {
            (Some(status), Some(starts), Some(minutes)) => Some(outcome_of(status, starts + Duration::minutes(minutes), now)),
            _ => None,
        };
        records.entry(s.series_id).or_default().push(rules::SessionRecord {
            key: s.session_key,
            position: s.position,
            skipped: s.skipped,
            marked_done: s.done,
            meeting,
            captures: usize::try_from(s.captures).unwrap_or(0),
        });
    }
    records
        .into_iter()
        .filter_map(|(series, records)| {
            let progress = rules::progress(&records);
            let title = rules::session(progress.next_key.as_deref()?)?.title.clone();
            Some((series, ProgramNext { number: progress.next_number?, total: progress.total, title }))
        })
        .collect()
}

/// Topics on each coming meeting: (the others', the actor's, the others' new to the actor).
fn topic_counts(rows: Vec<store::TopicsAhead>, actor: &Person) -> HashMap<Uuid, (i64, i64, i64)> {
    let mut out: HashMap<Uuid, (i64, i64, i64)> = HashMap::new();
    for r in rows {
        let counts = out.entry(r.meeting_id).or_default();
        if r.author_id == actor.id.0 {
            counts.1 += r.count;
        } else {
            counts.0 += r.count;
            counts.2 += r.new_topics;
        }
    }
    out
}

impl HomeRow {
    /// Whether the viewer leads this series (is its manager).
    pub fn i_lead(&self, me: &Person) -> bool {
        self.series.manager_id == me.id
    }
}

impl App {
    /// The home's rows: of the actor's series (from [`App::my_series`]), the active ones, soonest
    /// next 1:1 first. Only what the pair's own pages show each of them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn home(&self, actor: &Person, series: &[SeriesSummary]) -> AppResult<Vec<HomeRow>> {
        let now = self.clock.now();
        let today = now.with_timezone(&actor.timezone.tz()).date_naive();
        let topics = topic_counts(store::topics_ahead(&self.db, actor.id, now - Duration::hours(12)).await?, actor);
        let actions = open_actions_of(&self.db, actor.id, None).await?;
        let unrated = store::unrated_since(&self.db, actor.id, now - Duration::days(RATE_WITHIN_DAYS), now).await?;
        let programs = programs(store::sessions_led(&self.db, actor.id).await?, now);
        let mut suggestions = self.first_suggestions(actor, series).await?;
        let pulse_asked = |s: &SeriesSummary| {
            Self::pair_may(actor, &s.series, Action::Write, crate::app::pulse::pulse_resource(&s.series)).yes()
                && s.next.as_ref().is_some_and(|m| crate::app::pulse::asks_for_pulse(m, now))
        };
        let answered = if series.iter().any(pulse_asked) { self.pulses_answered(actor.id, now - Duration::days(1)).await? } else { vec![] };
        let mut rows: Vec<HomeRow> = series
            .iter()
            .filter(|s| s.series.status == SeriesStatus::Active)
            .filter(|s| self.may_read_pair(actor, s.series.manager_id, s.series.teammate_id))
            .map(|s| {
                let (their_topics, my_topics, new_topics) = s.next.as_ref().and_then(|m| topics.get(&m.id)).copied().unwrap_or_default();
                let open: Vec<_> = actions.iter().filter(|a| a.series_id == s.series.id).collect();
                HomeRow {
                    their_topics,
                    my_topics,
                    new_topics,
                    open_actions: open.len(),
                    overdue_actions: open.iter().filter(|a| a.due_date.is_some_and(|d| d < today)).count(),
                    help_owed: open.iter().filter(|a| a.kind == ActionKind::Help).count(),
                    to_rate: unrated
                        .iter()
                        .find(|m| m.series_id == s.series.id && s.series.teammate_id == actor.id && m.can_be_rated(now))
                        .cloned(),
                    pulse_due: s.next.as_ref().filter(|m| pulse_asked(s) && !answered.contains(&m.id)).cloned(),
                    program_next: programs.get(&s.series.id).filter(|_| s.series.manager_id == actor.id).cloned(),
                    suggestion: suggestions.remove(&s.series.id),
                    series: s.series.clone(),
                    other: s.other.clone(),
                    next: s.next.clone(),
                }
            })
            .collect();
        rows.sort_by_key(|r| (r.next.is_none(), r.next.as_ref().map(|m| m.starts_at), r.other.name.to_lowercase()));
        Ok(rows)
    }

    /// Prep's first suggestion for each pair of `series` the actor leads, as `suggest` makes it
    /// from what can be read for all of them in two statements: the purposes the pair's questions
    /// and templates touched, and its last 1:1s (ratings, and when the pair began). Not read here,
    /// so never suggested on the home: topics carried over again and again (their chains are
    /// followed one agenda at a time) and the dates on the manager's about page (one teammate at
    /// a time); the prep page has them. Only for the manager, behind prep's own gate.
    async fn first_suggestions(&self, actor: &Person, series: &[SeriesSummary]) -> AppResult<HashMap<Uuid, Suggestion>> {
        let led: Vec<&Series> =
            series.iter().map(|s| &s.series).filter(|s| s.manager_id == actor.id && s.status == SeriesStatus::Active).collect();
        if led.is_empty() || self.require(actor, actor, Action::Read, Resource::OwnGuidance).await.is_err() {
            return Ok(HashMap::new());
        }
        let now = self.clock.now();
        let touched = store::purposes_touched_led(&self.db, actor.id).await?;
        let past = store::recent_meetings_led(&self.db, actor.id, now, PAST_MEETINGS).await?;
        // The pulses given for each pair's 1:1s up to the next one (which prep reads too).
        let horizon = now + Duration::days(crate::domain::pulse::ASK_DAYS_BEFORE);
        let pulses = crate::store::pulse::of_series_led(&self.db, actor.id, horizon, crate::app::pulse::PULSES_SHOWN).await?;
        let mut out = HashMap::new();
        for s in led {
            // Newest first, as prep reads them.
            let meetings: Vec<_> = past.iter().filter(|(id, _, _)| *id == s.id).collect();
            let history = g::PairHistory {
                now,
                started: s.created_at.min(meetings.last().map(|(_, at, _)| *at).unwrap_or(s.created_at)),
                touched: touched.iter().filter(|(id, _, _)| *id == s.id).map(|(_, p, at)| (*at, g::purposes_from_string(p))).collect(),
                ratings: meetings.iter().rev().filter_map(|(_, _, r)| *r).collect(),
                carried: vec![],
                about: Default::default(),
                pulse: if Self::pair_may(actor, s, Action::Read, crate::app::pulse::pulse_resource(s)).yes() {
                    let mine: Vec<_> = pulses.iter().filter(|(id, _)| *id == s.id).map(|(_, p)| p.clone()).collect();
                    self.pulse_signals(&mine)
                } else {
                    vec![]
                },
            };
            if let Some(first) = g::suggest(&history, &self.config.guidance).into_iter().next() {
                out.insert(s.id, first);
            }
        }
        Ok(out)
    }

    /// Of each of the actor's coming 1:1s in `upcoming`: how many of the other person's topics
    /// are new since the actor last looked ([`App::looked_at_coming`]), as the home counts them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn new_topics(&self, actor: &Person, upcoming: &[Upcoming]) -> AppResult<HashMap<Uuid, i64>> {
        let now = self.clock.now();
        let topics = topic_counts(store::topics_ahead(&self.db, actor.id, now - Duration::hours(12)).await?, actor);
        Ok(upcoming
            .iter()
            .filter(|u| self.may_read_pair(actor, u.series.manager_id, u.series.teammate_id))
            .map(|u| (u.meeting.id, topics.get(&u.meeting.id).map(|c| c.2).unwrap_or(0)))
            .collect())
    }

    /// The actor opened a coming 1:1's page or its prep page (`v`, as drawn for them): from now
    /// on the home counts only topics added after this as new. Written only when the other
    /// person added a topic since the last mark (one read when they have topics on it at all),
    /// never on every view; nothing for a meeting that is over.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn looked_at_coming(&self, actor: &Person, v: &MeetingView) -> AppResult<()> {
        let now = self.clock.now();
        let theirs = v.points.iter().any(|p| p.author_id != actor.id && p.carried_from.is_none());
        if v.viewer != actor.id
            || v.meeting.is_over(now)
            || !theirs
            || !self.may_read_pair(actor, v.series.manager_id, v.series.teammate_id)
        {
            return Ok(());
        }
        // Marked no earlier than the newest topic seen, which may be dated ahead of this clock
        // (another instance's): else every later look would find it new and write again.
        let newest = match &v.fresh {
            Some(f) => f.newest_new_topic,
            None => store::new_topics_on(&self.db, actor.id, v.meeting.id).await?,
        };
        if let Some(newest) = newest {
            store::mark_topics_seen(&self.db, actor.id, v.series.id, now.max(newest)).await?;
        }
        Ok(())
    }

    /// The regular 1:1s between the actor and `other` that have not ended, for a profile's
    /// "your 1:1s with them" (the actor being one of the pair, they may read it).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn series_with(&self, actor: &Person, other: &Person) -> AppResult<Option<uuid::Uuid>> {
        let found = store::regular_series_between(&self.db, actor.id, other.id).await?;
        Ok(found.filter(|(_, manager, teammate)| self.may_read_pair(actor, *manager, *teammate)).map(|(id, _, _)| id))
    }
}
