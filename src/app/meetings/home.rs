//! The home: one row per person you have 1:1s with, saying what needs you before the next one.

use super::SeriesSummary;
use crate::app::{App, AppResult};
use crate::domain::Person;
use crate::domain::meeting::{ActionKind, Meeting, Series, SeriesStatus};
use crate::store::home as store;
use crate::store::meetings::open_actions_of;
use chrono::Duration;

/// How far back a begun, unrated 1:1 still asks the teammate for a rating.
const RATE_WITHIN_DAYS: i64 = 14;

/// One person you have 1:1s with, and what needs you before the next one.
#[derive(Debug, Clone)]
pub struct HomeRow {
    pub series: Series,
    pub other: Person,
    pub next: Option<Meeting>,
    /// Topics on the next 1:1: the other person's and yours.
    pub their_topics: i64,
    pub my_topics: i64,
    /// Your open actions in this series, how many are past their date (in your zone), and how
    /// many are "how can I help?" promises.
    pub open_actions: usize,
    pub overdue_actions: usize,
    pub help_owed: usize,
    /// For the teammate: the latest begun 1:1 of the last two weeks still waiting for a rating.
    pub to_rate: Option<Meeting>,
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
    pub async fn home(&self, actor: &Person, series: &[SeriesSummary]) -> AppResult<Vec<HomeRow>> {
        let now = self.clock.now();
        let today = now.with_timezone(&actor.timezone.tz()).date_naive();
        let topics = store::topics_ahead(&self.db, actor.id, now - Duration::hours(12)).await?;
        let actions = open_actions_of(&self.db, actor.id, None).await?;
        let unrated = store::unrated_since(&self.db, actor.id, now - Duration::days(RATE_WITHIN_DAYS), now).await?;
        let mut rows: Vec<HomeRow> = series
            .iter()
            .filter(|s| s.series.status == SeriesStatus::Active)
            .filter(|s| self.may_read_pair(actor, s.series.manager_id, s.series.teammate_id))
            .map(|s| {
                let next_id = s.next.as_ref().map(|m| m.id);
                let count = |mine: bool| {
                    topics
                        .iter()
                        .filter(|(m, author, _)| Some(*m) == next_id && (*author == actor.id) == mine)
                        .map(|(_, _, n)| n)
                        .sum::<i64>()
                };
                let open: Vec<_> = actions.iter().filter(|a| a.series_id == s.series.id).collect();
                HomeRow {
                    their_topics: count(false),
                    my_topics: count(true),
                    open_actions: open.len(),
                    overdue_actions: open.iter().filter(|a| a.due_date.is_some_and(|d| d < today)).count(),
                    help_owed: open.iter().filter(|a| a.kind == ActionKind::Help).count(),
                    to_rate: unrated
                        .iter()
                        .find(|m| m.series_id == s.series.id && s.series.teammate_id == actor.id && m.can_be_rated(now))
                        .cloned(),
                    series: s.series.clone(),
                    other: s.other.clone(),
                    next: s.next.clone(),
                }
            })
            .collect();
        rows.sort_by_key(|r| (r.next.is_none(), r.next.as_ref().map(|m| m.starts_at), r.other.name.to_lowercase()));
        Ok(rows)
    }

    /// The regular 1:1s between the actor and `other` that have not ended, for a profile's
    /// "your 1:1s with them" (the actor being one of the pair, they may read it).
    pub async fn series_with(&self, actor: &Person, other: &Person) -> AppResult<Option<uuid::Uuid>> {
        let found = store::regular_series_between(&self.db, actor.id, other.id).await?;
        Ok(found.filter(|(_, manager, teammate)| self.may_read_pair(actor, *manager, *teammate)).map(|(id, _, _)| id))
    }
}
