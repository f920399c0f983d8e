//! Action items: agreeing, updating, what a person has promised; live updates for a meeting.

use super::conflict;
use super::view::{ActionPatch, MyAction};
use crate::app::events::MeetingEvent;
use crate::app::{App, AppError, AppResult};
use crate::domain::meeting::{self as rules, ActionItem, ActionKind, Meeting, Series};
use crate::domain::policy::{Action, Resource};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::{Tx, meetings as store, people};
use chrono::NaiveDate;
use std::collections::HashMap;
use uuid::Uuid;

impl App {
    #[tracing::instrument(level = "debug", skip_all)]
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

    #[tracing::instrument(level = "debug", skip_all)]
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_actions(&self, actor: &Person, only: Option<ActionKind>) -> AppResult<Vec<MyAction>> {
        let actions = store::open_actions_of(&self.db, actor.id, only).await?;
        if actions.is_empty() {
            return Ok(vec![]);
        }
        // Every series and person the list names, read once for all of them (three statements
        // however many actions are open).
        let all_series: HashMap<Uuid, Series> = store::series_of_person(&self.db, actor.id).await?.into_iter().map(|s| (s.id, s)).collect();
        let others: HashMap<PersonId, Person> = people::met_by(&self.db, actor.id).await?.into_iter().map(|p| (p.id, p)).collect();
        let mut out = vec![];
        for action in actions {
            // An action is owned by one of its pair, so its series is one of the actor's.
            let Some(series) = all_series.get(&action.series_id).cloned() else { continue };
            // As the meeting page would show it: only to one of the pair.
            if !self.may_read_pair(actor, series.manager_id, series.teammate_id) {
                continue;
            }
            let Some(other) = others.get(&series.other(actor.id)).cloned() else { continue };
            out.push(MyAction { action, series, other });
        }
        Ok(out)
    }

    /// Live updates for a meeting the actor is part of.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn subscribe_meeting(&self, actor: &Person, meeting_id: Uuid) -> AppResult<tokio::sync::broadcast::Receiver<MeetingEvent>> {
        self.load_meeting(actor, meeting_id, Action::Read).await?;
        Ok(self.events.subscribe(meeting_id))
    }
}
