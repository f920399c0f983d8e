//! Blameless setback records: recorded by a person's manager or by the person, read by both
//! (`Resource::SetbackRecord`; not skip-level leaders, not admins; refusals are not found).
//! Follow-up actions become action items on the pair's next 1:1, written in the same
//! transaction as the record: a problem with any of them saves nothing.

use super::{App, AppError, AppResult};
use crate::domain::day::Day;
use crate::domain::meeting::{ActionKind, MeetingStatus, Series, SeriesKind, SeriesStatus};
use crate::domain::policy::{Action, Relation, Resource};
use crate::domain::setback::{self, FollowUpInput, Setback, SetbackInput};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::{about as store, meetings as meeting_store, people};
use chrono::NaiveDate;
use uuid::Uuid;

/// A follow-up action as it stands now (it lives on the 1:1 it was put on).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub body: String,
    pub owner_id: Uuid,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
}

/// A record with what a reader needs around it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SetbackItem {
    pub record: Setback,
    pub author_name: String,
    pub follow_ups: Vec<FollowUp>,
    /// A gentle note when the facts sound like blame (never blocks saving).
    pub hint: Option<String>,
    /// Whether the reader may change it (its author).
    pub can_edit: bool,
}

impl App {
    async fn setback_person(&self, person_id: PersonId) -> AppResult<Person> {
        people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)
    }

    async fn setback_item(&self, actor: &Person, s: Setback) -> AppResult<SetbackItem> {
        let author_name = people::get(&self.db, PersonId(s.author_id)).await?.map(|p| p.name).unwrap_or_default();
        let mut follow_ups = vec![];
        for id in &s.action_ids {
            if let Some(a) = meeting_store::get_action(&self.db, *id).await? {
                follow_ups.push(FollowUp {
                    id: a.id,
                    meeting_id: a.meeting_id,
                    body: a.body,
                    owner_id: a.owner_id.0,
                    due_date: a.due_date,
                    done: a.done_at.is_some(),
                });
            }
        }
        Ok(SetbackItem { hint: setback::blame_hint(&s.facts), can_edit: s.author_id == actor.id.0, author_name, follow_ups, record: s })
    }

    /// A person's setback records, the most recent first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn setbacks(&self, actor: &Person, person_id: PersonId) -> AppResult<(Person, Vec<SetbackItem>)> {
        let person = self.setback_person(person_id).await?;
        // A new manager lists only the records they may read one by one: not the past ones
        // the previous manager (or the person, before the change) wrote.
        let new_manager = match self.require(actor, &person, Action::Read, Resource::SetbackRecord { actor_is_author: false }).await {
            Ok(()) => false,
            Err(AppError::NotFound) if self.relation(actor, &person).await? == Relation::NewManager => true,
            Err(e) => return Err(e),
        };
        let mut out = vec![];
        for s in store::setbacks_of(&self.db, person.id.0, None).await? {
            let resource = Resource::SetbackRecord { actor_is_author: s.author_id == actor.id.0 };
            if new_manager && self.require_at(actor, &person, Action::Read, resource, Some(s.created_at)).await.is_err() {
                continue;
            }
            out.push(self.setback_item(actor, s).await?);
        }
        Ok((person, out))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn setback(&self, actor: &Person, id: Uuid) -> AppResult<(Person, SetbackItem)> {
        let s = store::get_setback(&self.db, id).await?.ok_or(AppError::NotFound)?;
        let person = self.setback_person(PersonId(s.person_id)).await?;
        self.require_at(actor, &person, Action::Read, super::access::setback_resource(actor, &s), Some(s.created_at)).await?;
        Ok((person, self.setback_item(actor, s).await?))
    }

    /// Whether the actor may record a setback about `person` (for links and forms).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn may_record_setback(&self, actor: &Person, person: &Person) -> bool {
        self.require(actor, person, Action::Write, Resource::SetbackRecord { actor_is_author: true }).await.is_ok()
    }

    /// The regular series of `person` with their current manager, if there is one.
    async fn pair_series(&self, person: &Person) -> AppResult<Option<Series>> {
        let Some(manager) = person.manager_id else { return Ok(None) };
        Ok(meeting_store::series_of_person(&self.db, person.id)
            .await?
            .into_iter()
            .find(|s| s.kind == SeriesKind::Regular && s.teammate_id == person.id && s.manager_id == manager))
    }

    /// Checks the fields and the 1:1 a record points at: `record` with them written over its own,
    /// or the problems added to `errors`.
    async fn check_setback(
        &self,
        actor: &Person,
        person: &Person,
        input: &SetbackInput,
        errors: &mut Invalid,
        record: Setback,
    ) -> AppResult<Option<Setback>> {
        let tz = actor.timezone.tz();
        let today = self.clock.now().with_timezone(&tz).date_naive();
        let fields = match setback::validate(input, today, record) {
            Ok(f) => Some(f),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        if let Some(m) = input.meeting_id {
            let series = self.pair_series(person).await?;
            let ok = match (series, meeting_store::get_meeting(&self.db, m).await?) {
                (Some(s), Some(meeting)) => meeting.series_id == s.id && s.includes(actor.id),
                _ => false,
            };
            if !ok {
                errors.push(FieldError::new("meeting_id", format!("Pick one of {}’s 1:1s with their manager.", person.name)));
            }
        }
        Ok(fields)
    }

    /// Records a setback about `person_id`, with follow-up actions for the pair's next 1:1.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_setback(
        &self,
        actor: &Person,
        person_id: PersonId,
        input: &SetbackInput,
        follow_ups: &[FollowUpInput],
    ) -> AppResult<SetbackItem> {
        let person = self.setback_person(person_id).await?;
        self.require(actor, &person, Action::Write, Resource::SetbackRecord { actor_is_author: true }).await?;
        let mut errors = Invalid::default();
        let now = self.clock.now();
        let new = Setback {
            id: Uuid::now_v7(),
            person_id: person.id.0,
            author_id: actor.id.0,
            version: 1,
            created_at: now,
            updated_at: now,
            ..Setback::default()
        };
        let checked = self.check_setback(actor, &person, input, &mut errors, new).await?;
        let mut actions = vec![];
        let mut next = None;
        if follow_ups.len() > setback::ACTIONS_MAX {
            errors.push(FieldError::new("actions", format!("Keep it to {} follow-up actions at once.", setback::ACTIONS_MAX)));
        } else if !follow_ups.is_empty() {
            let series = self.pair_series(&person).await?.filter(|s| s.status == SeriesStatus::Active);
            if let Some(series) = &series {
                let mut tx = self.db.begin().await?;
                self.ensure_meetings(&mut tx, series, now, false).await?;
                tx.commit().await?;
                next = meeting_store::upcoming(&self.db, series.id, now, 10)
                    .await?
                    .into_iter()
                    .find(|m| m.status == MeetingStatus::Scheduled)
                    .map(|m| (series.clone(), m));
            }
            match &next {
                None => errors.push(FieldError::new(
                    "actions",
                    format!("{} and their manager have no 1:1 coming up to put follow-up actions on. Schedule one first.", person.name),
                )),
                Some((series, meeting)) => {
                    for (i, f) in follow_ups.iter().enumerate() {
                        let due = f.due_date.map(Day::date);
                        let owner = f.owner_id.map(PersonId).unwrap_or(person.id);
                        match self.prepare_action(
                            actor,
                            series,
                            meeting,
                            &format!("actions[{i}]."),
                            &f.body,
                            owner,
                            due,
                            ActionKind::Normal,
                        ) {
                            Ok(a) => actions.push(a),
                            Err(e) => errors.0.extend(e.0),
                        }
                    }
                }
            }
        }
        errors.into_result()?;
        let Some(record) = checked else { return Err(AppError::Internal(anyhow::anyhow!("setback fields missing without an error"))) };
        let record = Setback { action_ids: actions.iter().map(|a| a.id).collect(), ..record };
        let mut tx = self.db.begin().await?;
        if let Some((_, meeting)) = &next {
            for a in &actions {
                Self::write_action(&mut tx, actor, a, meeting).await?;
            }
        }
        store::insert_setback(&mut tx, &record).await?;
        tx.commit().await?;
        if let Some((_, meeting)) = &next
            && !actions.is_empty()
        {
            self.published_actions(meeting.id, actor.id);
        }
        self.setback_item(actor, record).await
    }

    /// Changes a record (its author only), read at `version`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_setback(&self, actor: &Person, id: Uuid, version: i64, input: &SetbackInput) -> AppResult<SetbackItem> {
        let current = store::get_setback(&self.db, id).await?.ok_or(AppError::NotFound)?;
        let is_author = current.author_id == actor.id.0;
        let person = self.setback_person(PersonId(current.person_id)).await?;
        let written = Some(current.created_at);
        self.require_at(actor, &person, Action::Read, Resource::SetbackRecord { actor_is_author: is_author }, written).await?;
        self.require_at(actor, &person, Action::Write, Resource::SetbackRecord { actor_is_author: is_author }, written).await?;
        let mut errors = Invalid::default();
        let is_stale = current.version != version;
        let next = Setback { version: current.version.saturating_add(1), updated_at: self.clock.now(), ..current };
        let checked = self.check_setback(actor, &person, input, &mut errors, next).await?;
        errors.into_result()?;
        let Some(record) = checked else { return Err(AppError::Internal(anyhow::anyhow!("setback fields missing without an error"))) };
        if is_stale {
            return Err(stale());
        }
        let mut tx = self.db.begin().await?;
        if !store::update_setback(&mut tx, &record, version).await? {
            return Err(stale());
        }
        tx.commit().await?;
        self.setback_item(actor, record).await
    }

    /// The person's 1:1s with their manager that a record may point at (most recent first).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn setback_meetings(&self, actor: &Person, person: &Person) -> AppResult<Vec<crate::domain::meeting::Meeting>> {
        self.require(actor, person, Action::Read, Resource::SetbackRecord { actor_is_author: false }).await?;
        let Some(series) = self.pair_series(person).await? else { return Ok(vec![]) };
        let now = self.clock.now();
        Ok(meeting_store::history(&self.db, series.id, now + chrono::Duration::days(60), 24).await?)
    }
}

fn stale() -> AppError {
    AppError::Conflict("This record was changed a moment ago. It now shows the current version; make your change again.".into())
}
