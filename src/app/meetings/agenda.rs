//! The shared agenda: adding, changing, reordering and removing talking points.

use super::conflict;
use super::view::PointPatch;
use crate::app::{App, AppError, AppResult};
use crate::domain::meeting::{self as rules, Meeting, Series, TalkingPoint};
use crate::domain::merge::{Merge, three_way};
use crate::domain::policy::{Action, Resource};
use crate::domain::{FieldError, Invalid, Person};
use crate::store::{meetings as store, search};
use uuid::Uuid;

impl App {
    #[tracing::instrument(level = "debug", skip_all)]
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
            note: String::new(),
        };
        store::insert_point(&mut tx, &point, series.id, now).await?;
        Self::index_point(&mut tx, &point, series.id, &meeting).await?;
        Self::notify_tx(&mut tx, meeting.id, "points", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "points", actor.id);
        Ok(point)
    }

    pub(super) async fn load_point(&self, actor: &Person, point_id: Uuid) -> AppResult<(Series, Meeting, TalkingPoint)> {
        let point = store::get_point(&self.db, point_id).await?.ok_or(AppError::NotFound)?;
        let (series, meeting) = self.load_meeting(actor, point.meeting_id, Action::Write).await?;
        Ok((series, meeting, point))
    }

    /// Whether the policy lets `actor` reword or remove `point` (they can see it: when not, the
    /// answer says why rather than "not found").
    fn may_change_topic(&self, actor: &Person, series: &Series, point: &TalkingPoint) -> bool {
        let topic = Resource::Topic { actor_is_author: point.author_id == actor.id };
        self.may_pair(actor, series.manager_id, series.teammate_id, Action::Write, topic)
    }

    /// Rewords (author only), ticks as discussed, marks recurring or writes the topic's note
    /// (either person).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_point(&self, actor: &Person, point_id: Uuid, expected_version: i64, patch: PointPatch) -> AppResult<TalkingPoint> {
        // A note sent with the note it was typed on is merged with what changed meanwhile; when
        // another change lands between reading the topic and writing it, read and merge again.
        let tries = if patch.note_base.is_some() { 3 } else { 1 };
        for _ in 0..tries {
            let loaded = self.load_point(actor, point_id).await?;
            if let Some(point) = self.write_point(actor, loaded, expected_version, patch.clone()).await? {
                return Ok(point);
            }
        }
        Err(conflict("This topic"))
    }

    /// One attempt of [`App::update_point`] on the topic as just read: `None` when it changed
    /// between reading and writing it.
    async fn write_point(
        &self,
        actor: &Person,
        (series, meeting, mut point): (Series, Meeting, TalkingPoint),
        expected_version: i64,
        mut patch: PointPatch,
    ) -> AppResult<Option<TalkingPoint>> {
        let mut expected_version = expected_version;
        if point.version != expected_version {
            // A note typed on an older version (and nothing else): put in what changed since,
            // unless both changed the same lines.
            let only_note = patch.body.is_none() && patch.discussed.is_none() && patch.recurring.is_none();
            match (&patch.note, &patch.note_base) {
                (Some(mine), Some(base)) if only_note => match three_way(&lines(base), &lines(mine), &point.note) {
                    Merge::Clean(text) => {
                        patch.note = Some(text);
                        expected_version = point.version;
                    }
                    Merge::Conflict(_) => return Err(conflict("This topic's note")),
                },
                _ => return Err(conflict("This topic")),
            }
        }
        let mut errors = Invalid::default();
        if let Some(body) = &patch.body {
            if !self.may_change_topic(actor, &series, &point) && body.trim() != point.body {
                errors.push(FieldError::new("body", "Only the person who added a topic can reword it."));
            }
            point.body = rules::short_text("body", body, rules::POINT_MAX, "a topic", &mut errors);
        }
        if let Some(note) = &patch.note {
            point.note = rules::topic_note("note", note, &mut errors);
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
            return Ok(None);
        }
        Self::index_point(&mut tx, &point, series.id, &meeting).await?;
        Self::notify_tx(&mut tx, meeting.id, "points", actor.id).await?;
        tx.commit().await?;
        self.published(meeting.id, "points", actor.id);
        point.version = expected_version.saturating_add(1);
        Ok(Some(point))
    }

    /// Moves a topic one place up or down within the agenda as shown.
    #[tracing::instrument(level = "debug", skip_all)]
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

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_point(&self, actor: &Person, point_id: Uuid, expected_version: i64) -> AppResult<()> {
        let (series, meeting, point) = self.load_point(actor, point_id).await?;
        if !self.may_change_topic(actor, &series, &point) {
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
}

/// Text as a form or a script may send it, with its line ends as the notes keep them.
fn lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}
