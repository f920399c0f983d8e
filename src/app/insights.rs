//! The leader's view: the practice across the teams of one's organisation, never one person.

use crate::app::{App, AppResult};
use crate::domain::insights::{Figure, Leader, LeaderView, Measure, TeamFacts, leader_view};
use crate::domain::policy::{Action, Resource};
use crate::domain::{Person, PersonId};
use crate::store::insights as store;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The start of the week `now` is in (Monday 00:00 UTC): the view counts whole weeks only, so
/// its figures move once a week, by what many people did, not with each answer as it comes.
pub fn week_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let day = now.date_naive() - Duration::days(now.weekday().num_days_from_monday() as i64);
    day.and_time(NaiveTime::MIN).and_utc()
}

fn team(teams: &mut BTreeMap<Uuid, TeamFacts>, manager: Uuid) -> &mut TeamFacts {
    teams.entry(manager).or_insert_with(|| TeamFacts::new(PersonId(manager), String::new()))
}

impl App {
    /// The practice across the teams of the actor's organisation (an admin's: everyone's) over
    /// the last `weeks` whole weeks, team by team, with nothing drawn from fewer than five people.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn leader_view(&self, actor: &Person, weeks: Option<u32>) -> AppResult<LeaderView> {
        self.require(actor, actor, Action::Read, Resource::OrgFigures).await?;
        let weeks = crate::domain::practice::window(weeks)?;
        let root = if actor.is_admin { None } else { Some(actor.id) };
        let now = self.clock.now();
        let to = week_start(now);
        let since = to.max(now - Duration::seconds(crate::app::cache::INSIGHTS_FRESH_SECS));
        if let Some(kept) = self.insights.get(root.map(|r| r.0), weeks, since) {
            return Ok(kept);
        }
        let from = to - Duration::weeks(weeks as i64);
        let before = from - Duration::weeks(weeks as i64);
        // The statements read apart from each other, at once (each on a connection of its own):
        // a first view of a large organisation takes the time of the longest, not of all.
        let db = &self.db;
        let (meetings, topics, actions, pulses, purposes, first_steps, leaders) = tokio::try_join!(
            store::meetings(db, root, before, from, to),
            store::topics(db, root, from, to),
            store::actions(db, root, from.date_naive(), to.date_naive()),
            store::pulses(db, root, before, from, to),
            store::purposes(db, root, from, to),
            store::first_steps(db, root),
            store::leaders(db, root),
        )?;
        let mut teams: BTreeMap<Uuid, TeamFacts> = BTreeMap::new();
        for (m, tm, due, kept, rs, rn, ps, pn) in meetings {
            let t = team(&mut teams, m);
            if due > 0 {
                t.member(tm);
                t.add(Figure::Cadence, &Measure::of(tm, kept as f64, due as f64));
            }
            if rn > 0 {
                t.add(Figure::Rating, &Measure::of(tm, rs as f64, rn as f64));
            }
            if pn > 0 {
                t.add(Figure::RatingBefore, &Measure::of(tm, ps as f64, pn as f64));
            }
        }
        for (m, tm, by, all) in topics {
            let t = team(&mut teams, m);
            t.member(tm);
            t.add(Figure::Topics, &Measure::of(tm, by as f64, all as f64));
        }
        for (m, owner, due, done) in actions {
            team(&mut teams, m).add(Figure::Actions, &Measure::of(owner, done as f64, due as f64));
        }
        for (m, tm, s, c, ps, pc) in pulses {
            let t = team(&mut teams, m);
            if c > 0 {
                t.member(tm);
                t.add(Figure::Pulse, &Measure::of(tm, s as f64, c as f64));
            }
            if pc > 0 {
                t.add(Figure::PulseBefore, &Measure::of(tm, ps as f64, pc as f64));
            }
        }
        // Of the pairs with a 1:1 due in the window: the purposes each touched, and its first steps.
        let due: std::collections::BTreeSet<(Uuid, Uuid)> =
            teams.iter().flat_map(|(m, t)| t.people.iter().map(move |p| (*m, *p))).collect();
        let mut touched: BTreeMap<(Uuid, Uuid), std::collections::BTreeSet<crate::domain::guidance::Purpose>> =
            due.iter().map(|pair| (*pair, Default::default())).collect();
        for (m, tm, purposes) in purposes {
            if let Some(set) = touched.get_mut(&(m, tm)) {
                set.extend(crate::domain::guidance::purposes_from_string(&purposes));
            }
        }
        for ((m, tm), set) in touched {
            let share = set.len() as f64 / crate::domain::guidance::Purpose::ALL.len() as f64;
            team(&mut teams, m).add(Figure::Purposes, &Measure::of(tm, share, 1.0));
        }
        for (m, tm, kicked_off, program) in first_steps {
            if due.contains(&(m, tm)) {
                let t = team(&mut teams, m);
                t.add(Figure::Kickoffs, &Measure::of(tm, f64::from(u8::from(kicked_off)), 1.0));
                t.add(Figure::Programs, &Measure::of(tm, f64::from(u8::from(program)), 1.0));
            }
        }
        let mut leaders = leaders;
        let missing: Vec<Uuid> = teams.keys().filter(|m| !leaders.iter().any(|l| l.0 == **m)).copied().collect();
        if !missing.is_empty() {
            leaders.extend(store::names(&self.db, missing).await?);
        }
        for (id, name, _) in &leaders {
            if let Some(t) = teams.get_mut(id) {
                t.name = name.clone();
            }
        }
        let leaders: Vec<Leader> =
            leaders.into_iter().map(|(id, name, manager)| Leader { id: PersonId(id), name, manager: manager.map(PersonId) }).collect();
        let view = leader_view(teams.into_values().collect(), &leaders, root, weeks, now);
        self.insights.put(root.map(|r| r.0), weeks, now, view.clone());
        Ok(view)
    }
}
