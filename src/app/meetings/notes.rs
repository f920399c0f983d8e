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
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use uuid::Uuid;

impl App {
    /// Saves the shared note or the actor's private note. `base_version` is the version the
    /// text was edited from (0 for a note that did not exist yet). If someone saved in
    /// between, the two edits are merged line by line; if they change the same lines, nothing
    /// is saved and both versions come back, place by place.
    #[tracing::instrument(level = "debug", skip_all)]
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

    /// A note as HTML. Kept by note, version and text (a saved version's text never changes):
    /// the meeting page shows up to six notes on every view, and the sanitiser is most of the
    /// cost of drawing it. A few thousand notes are kept; then the store starts again.
    pub fn render_note(note: &Note) -> String {
        type Key = (Uuid, i64, u64);
        static RENDERED: OnceLock<Mutex<HashMap<Key, Arc<str>>>> = OnceLock::new();
        const KEPT: usize = 4096;
        let mut text = DefaultHasher::new();
        note.body.hash(&mut text);
        let key = (note.id, note.version, text.finish());
        let kept = RENDERED.get_or_init(Default::default);
        if let Some(html) = kept.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return html.to_string();
        }
        let html = render_markdown(&note.body);
        let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(key, Arc::from(html.as_str()));
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonId;

    fn note(body: &str, version: i64) -> Note {
        let (id, by) = (Uuid::nil(), PersonId(Uuid::nil()));
        Note {
            id,
            meeting_id: id,
            private: false,
            author_id: by,
            body: body.into(),
            updated_by: by,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            version,
        }
    }

    #[test]
    fn a_kept_rendering_is_used_only_for_the_same_text() {
        assert_eq!(App::render_note(&note("**one**", 1)), "<p><strong>one</strong></p>\n");
        assert_eq!(App::render_note(&note("**one**", 1)), "<p><strong>one</strong></p>\n", "kept");
        // The same note and version with other words (a note built in memory) is drawn anew.
        assert_eq!(App::render_note(&note("*two*", 1)), "<p><em>two</em></p>\n");
        assert_eq!(App::render_note(&note("**one**", 2)), "<p><strong>one</strong></p>\n");
    }
}
