//! Strategy into day-to-day: a leader writes a talking point (a quarter's priorities, a change)
//! and places it into the next 1:1 of every pair in their part of the organisation: every
//! active regular series whose manager is the leader or anyone below them. It is placed in one
//! transaction, as a point the pair's manager brings, tagged with the strategy purpose (so the
//! prep view's suggestions count it); the leader can withdraw it from the meetings still to come.

use super::{App, AppError, AppResult};
use crate::domain::guidance::Purpose;
use crate::domain::meeting::{Meeting, MeetingStatus, Series, SeriesKind, SeriesStatus, TalkingPoint};
use crate::domain::policy::{Action, Resource};
use crate::domain::strategy as rules;
use crate::domain::{Invalid, Person, PersonId};
use crate::store::strategy::{self as store, Placement};
use crate::store::{guidance, meetings, people};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One pair a placement reaches: their next 1:1.
#[derive(Debug, Clone)]
pub struct Reach {
    pub series: Series,
    pub manager: Person,
    pub teammate: Person,
    pub meeting: Meeting,
}

/// A placement with the pairs it reached.
#[derive(Debug, Clone)]
pub struct PlacementView {
    pub placement: Placement,
    /// (manager, teammate, meeting start)
    pub pairs: Vec<(String, String, DateTime<Utc>)>,
}

impl App {
    /// The leader and everyone below them in the reporting tree.
    async fn part_of_organisation(&self, leader: &Person) -> AppResult<Vec<PersonId>> {
        let mut out = vec![leader.id];
        let mut i = 0;
        while i < out.len() {
            for r in people::reports_of(&self.db, Some(out[i])).await? {
                if !out.contains(&r.person.id) {
                    out.push(r.person.id);
                }
            }
            i += 1;
        }
        Ok(out)
    }

    /// Which 1:1s a talking point from the actor would reach now: the next meeting still to come
    /// of every active regular series led by the actor or anyone below them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn strategy_reach(&self, actor: &Person) -> AppResult<Vec<Reach>> {
        self.require(actor, actor, Action::Write, Resource::StrategyPoint).await?;
        let now = self.clock.now();
        let mut out = vec![];
        for m in self.part_of_organisation(actor).await? {
            let manager = people::get(&self.db, m).await?.ok_or(AppError::NotFound)?;
            for series in meetings::series_of_person(&self.db, m).await? {
                if series.manager_id != m || series.kind != SeriesKind::Regular || series.status != SeriesStatus::Active {
                    continue;
                }
                // Asked per pair: the leader must be its manager or above them.
                self.require(actor, &manager, Action::Write, Resource::StrategyPoint).await?;
                let next = meetings::upcoming(&self.db, series.id, now, 8).await?;
                let Some(meeting) = next.into_iter().find(|x| x.status == MeetingStatus::Scheduled && x.starts_at > now) else {
                    continue;
                };
                let teammate = people::get(&self.db, series.teammate_id).await?.ok_or(AppError::NotFound)?;
                out.push(Reach { series, manager: manager.clone(), teammate, meeting });
            }
        }
        out.sort_by(|a, b| (&a.manager.name, &a.teammate.name).cmp(&(&b.manager.name, &b.teammate.name)));
        Ok(out)
    }

    /// Places the talking point into every pair's next 1:1, all in one transaction.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn place_strategy(&self, actor: &Person, text: &str) -> AppResult<PlacementView> {
        self.require(actor, actor, Action::Write, Resource::StrategyPoint).await?;
        let text = rules::check_text(text)?;
        let reach = self.strategy_reach(actor).await?;
        if reach.is_empty() {
            let has_reports = !people::reports_of(&self.db, Some(actor.id)).await?.is_empty();
            return Err(Invalid(vec![rules::nothing_to_reach(has_reports)]).into());
        }
        let body = rules::point_body(&actor.name, &text);
        let mut body_errors = Invalid::default();
        let body = crate::domain::meeting::short_text("text", &body, crate::domain::meeting::POINT_MAX, "a topic", &mut body_errors);
        body_errors.into_result()?;
        let now = self.clock.now();
        let placement = Placement { id: Uuid::now_v7(), leader_id: actor.id, text, created_at: now, withdrawn_at: None };
        let mut tx = self.db.begin().await?;
        store::insert(&mut tx, &placement).await?;
        for r in &reach {
            let id = Uuid::now_v7();
            let point = TalkingPoint {
                id,
                meeting_id: r.meeting.id,
                origin_id: id,
                carried_from: None,
                author_id: r.series.manager_id,
                body: body.clone(),
                position: meetings::next_position(&mut tx, r.meeting.id).await?,
                discussed: false,
                recurring: false,
                version: 1,
                note: String::new(),
            };
            meetings::insert_point(&mut tx, &point, r.series.id, now).await?;
            Self::index_point(&mut tx, &point, r.series.id, &r.meeting).await?;
            Self::notify_tx(&mut tx, r.meeting.id, "points", r.series.manager_id).await?;
            store::insert_copy(&mut tx, placement.id, (r.series.id, r.meeting.id, id)).await?;
            let used = guidance::Use {
                id: Uuid::now_v7(),
                series_id: r.series.id,
                meeting_id: r.meeting.id,
                source: format!("s:{}", placement.id),
                purposes: vec![Purpose::Strategy],
                point_id: Some(id),
                used_by: actor.id,
                used_at: now,
            };
            guidance::insert_use(&mut tx, &used).await?;
        }
        tx.commit().await?;
        for r in &reach {
            self.published(r.meeting.id, "points", r.series.manager_id);
        }
        let pairs = reach.into_iter().map(|r| (r.manager.name, r.teammate.name, r.meeting.starts_at)).collect();
        Ok(PlacementView { placement, pairs })
    }

    /// The actor's placements, newest first, with the pairs each reached.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_placements(&self, actor: &Person) -> AppResult<Vec<PlacementView>> {
        self.require(actor, actor, Action::Read, Resource::StrategyPoint).await?;
        let mut out = vec![];
        for placement in store::of_leader(&self.db, actor.id).await? {
            out.push(self.placement_view(placement).await?);
        }
        Ok(out)
    }

    async fn placement_view(&self, placement: Placement) -> AppResult<PlacementView> {
        let mut pairs = vec![];
        for (series, meeting, _) in store::copies(&self.db, placement.id).await? {
            let (Some(s), Some(m)) = (meetings::get_series(&self.db, series).await?, meetings::get_meeting(&self.db, meeting).await?)
            else {
                continue;
            };
            let (manager, teammate) = self.pair_people(&s).await?;
            pairs.push((manager.name, teammate.name, m.starts_at));
        }
        pairs.sort();
        Ok(PlacementView { placement, pairs })
    }

    /// Takes a placement back: its copies not yet discussed, in 1:1s that have not begun, are
    /// removed; discussed ones stay (they are the pair's history). Only its leader may.
    /// Returns (removed, kept).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn withdraw_strategy(&self, actor: &Person, placement_id: Uuid) -> AppResult<(u64, i64)> {
        let placement = store::get(&self.db, placement_id).await?.ok_or(AppError::NotFound)?;
        let leader = people::get(&self.db, placement.leader_id).await?.ok_or(AppError::NotFound)?;
        self.require(actor, &leader, Action::Write, Resource::StrategyPlacement).await?;
        if placement.withdrawn_at.is_some() {
            return Err(Invalid::one("placement", "This talking point was withdrawn already.").into());
        }
        let copies = store::copies(&self.db, placement.id).await?;
        let origins: Vec<Uuid> = copies.iter().map(|c| c.2).collect();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (removed, kept) = store::withdraw(&mut tx, placement.id, &origins, now).await?;
        for (series, meeting, _) in &copies {
            let s = meetings::get_series(&self.db, *series).await?;
            Self::notify_tx(&mut tx, *meeting, "points", s.map(|s| s.manager_id).unwrap_or(actor.id)).await?;
        }
        tx.commit().await?;
        for (_, meeting, _) in &copies {
            self.published(*meeting, "points", actor.id);
        }
        Ok((removed, kept))
    }
}
