//! The shared note and each person's private note, merged line by line when two edits cross.

use super::view::NoteSaved;
use crate::app::{App, AppError, AppResult};
use crate::domain::meeting::DocKind;
use crate::domain::meeting::{self as rules, Note};
use crate::domain::merge::{Merge, three_way};
use crate::domain::policy::{Action, Resource};
use crate::domain::text::{render_markdown, search_text};
use crate::domain::{Invalid, Person};
use crate::store::search::Doc;
use crate::store::{meetings as store, search};
use uuid::Uuid;

impl App {
    /// Saves the shared note or the actor's private note. `base_version` is the version the
    /// text was edited from (0 for a note that did not exist yet). If someone saved in
    /// between, the two edits are merged line by line; if they change the same lines, nothing
    /// is saved and both versions come back, place by place.
    pub async fn save_note(&self, actor: &Person, meeting_id: Uuid, private: bool, body: &str, base_version: i64) -> AppResult<NoteSaved> {
        let resource = if private { Resource::PrivateNote { actor_is_author: true } } else { Resource::SharedMeetingContent };
        let meeting = store::get_meeting(&self.db, meeting_id).await?.ok_or(AppError::NotFound)?;
        let series = store::get_series(&self.db, meeting.series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Write, resource)?;
        let mut errors = Invalid::default();
        let mine = rules::note_text("body", body, &mut errors);
        errors.into_result()?;
        let now = self.clock.now();
        let owner = private.then_some(actor.id);
        let current = store::get_note(&self.db, meeting.id, owner).await?;
        let (text, merged) = match &current {
            Some(c) if c.version != base_version => {
                let base = if base_version == 0 {
                    String::new()
                } else {
                    store::note_revision(&self.db, c.id, base_version).await?.unwrap_or_default()
                };
                match three_way(&base, &mine, &c.body) {
                    Merge::Clean(t) => (t, true),
                    Merge::Conflict(parts) => return Ok(NoteSaved::Conflict { current: c.clone(), parts }),
                }
            }
            _ => (mine, false),
        };
        let mut tx = self.db.begin().await?;
        let saved = match &current {
            Some(c) => {
                if !store::update_note(&mut tx, c.id, c.version, &text, actor.id, now).await? {
                    // Another save landed between our read and our write: go round again.
                    drop(tx);
                    return Box::pin(self.save_note(actor, meeting_id, private, &text, c.version)).await;
                }
                Note { body: text.clone(), updated_by: actor.id, updated_at: now, version: c.version.saturating_add(1), ..c.clone() }
            }
            None => {
                let n = Note {
                    id: Uuid::now_v7(),
                    meeting_id: meeting.id,
                    private,
                    author_id: actor.id,
                    body: text.clone(),
                    updated_by: actor.id,
                    updated_at: now,
                    version: 1,
                };
                if !store::insert_note(&mut tx, &n, now).await? {
                    drop(tx);
                    return Box::pin(self.save_note(actor, meeting_id, private, &text, 0)).await;
                }
                n
            }
        };
        let plain = search_text(&saved.body);
        search::upsert(
            &mut tx,
            &Doc {
                kind: DocKind::Note,
                ref_id: saved.id,
                series_id: series.id,
                meeting_id: meeting.id,
                private_to: owner,
                occurred_at: meeting.starts_at,
                body: &plain,
            },
        )
        .await?;
        if !private {
            Self::notify_tx(&mut tx, meeting.id, "notes", actor.id).await?;
        }
        tx.commit().await?;
        if !private {
            self.published(meeting.id, "notes", actor.id);
        }
        Ok(if merged { NoteSaved::Merged(saved) } else { NoteSaved::Saved(saved) })
    }

    pub fn render_note(note: &Note) -> String {
        render_markdown(&note.body)
    }
}
