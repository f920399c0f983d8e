//! "How to work with me": a page each person writes about themselves, a draft until they share
//! it. Once shared, their manager reads it, and so do the people who report to them. Nobody
//! else: not skip-level leaders, not peers, not admins (`Resource::WorkWithMe`).

use super::{App, AppError, AppResult};
use crate::domain::policy::{Action, Relation, Resource};
use crate::domain::program::SavedCapture;
use crate::domain::program::{SECTION_MAX, WorkSection, work_with_me};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::program as store;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A person's page, as the viewer may see it.
#[derive(Debug, Clone)]
pub struct WorkWithMeView {
    pub person: Person,
    pub is_mine: bool,
    /// Every section of the content file, with what the person wrote (empty when nothing).
    pub sections: Vec<(&'static WorkSection, String)>,
    pub shared_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// 0 when nothing was saved yet.
    pub version: i64,
    /// For the person only: what their managers noted in the first ten 1:1s, with who noted it.
    pub manager_notes: Vec<(SavedCapture, String)>,
}

impl WorkWithMeView {
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|(_, t)| t.trim().is_empty())
    }
}

impl App {
    async fn work_with_me_resource(&self, actor: &Person, subject: &Person) -> AppResult<Resource> {
        let shared = store::work_with_me(&self.db, subject.id).await?.is_some_and(|w| w.shared_at.is_some());
        Ok(Resource::WorkWithMe { shared, actor_reports_to_subject: actor.manager_id == Some(subject.id) })
    }

    /// Whether the actor may read `subject`'s page (for links to it).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn can_read_work_with_me(&self, actor: &Person, subject: &Person) -> AppResult<bool> {
        let resource = self.work_with_me_resource(actor, subject).await?;
        match self.require(actor, subject, Action::Read, resource).await {
            Ok(()) => Ok(true),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn work_with_me(&self, actor: &Person, person_id: PersonId) -> AppResult<WorkWithMeView> {
        let person = crate::store::people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)?;
        let resource = self.work_with_me_resource(actor, &person).await?;
        self.require(actor, &person, Action::Read, resource).await?;
        let row = store::work_with_me(&self.db, person.id).await?;
        let is_mine = self.relation(actor, &person).await? == Relation::Themselves;
        let mut manager_notes = vec![];
        if is_mine {
            for n in store::manager_notes_about(&self.db, person.id).await? {
                let who = crate::store::people::get(&self.db, n.author_id).await?.map(|p| p.name).unwrap_or_default();
                manager_notes.push((n, who));
            }
        }
        let stored = row.as_ref().map(|r| r.sections.clone()).unwrap_or_default();
        let sections = work_with_me().section.iter().map(|s| (s, stored.get(&s.key).cloned().unwrap_or_default())).collect();
        Ok(WorkWithMeView {
            person,
            is_mine,
            sections,
            shared_at: row.as_ref().and_then(|r| r.shared_at),
            updated_at: row.as_ref().map(|r| r.updated_at),
            version: row.as_ref().map(|r| r.version).unwrap_or(0),
            manager_notes,
        })
    }

    /// Saves one's own page from `version` (0 for the first save). Unknown sections and long
    /// texts are refused, field by field; an older version is a conflict. Sharing stays as it was.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_work_with_me(
        &self,
        actor: &Person,
        person_id: PersonId,
        sections: &[(String, String)],
        version: i64,
    ) -> AppResult<WorkWithMeView> {
        let person = crate::store::people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)?;
        let resource = self.work_with_me_resource(actor, &person).await?;
        self.require(actor, &person, Action::Write, resource).await?;
        let known = &work_with_me().section;
        let mut errors = Invalid::default();
        let mut map = BTreeMap::new();
        for (key, text) in sections {
            if !known.iter().any(|s| &s.key == key) {
                errors.push(FieldError::new(key.clone(), format!("There is no section “{key}”.")));
                continue;
            }
            let t = text.trim();
            if t.chars().count() > SECTION_MAX {
                errors.push(FieldError::new(key.clone(), format!("Keep it under {SECTION_MAX} characters.")));
            }
            if !t.is_empty() {
                map.insert(key.clone(), t.to_string());
            }
        }
        errors.into_result()?;
        let current = store::work_with_me(&self.db, person.id).await?;
        // Sections not sent keep what they had.
        if let Some(c) = &current {
            for (k, v) in &c.sections {
                if !sections.iter().any(|(key, _)| key == k) {
                    map.insert(k.clone(), v.clone());
                }
            }
        }
        let shared_at = current.as_ref().and_then(|c| c.shared_at);
        let mut tx = self.db.begin().await?;
        if !store::save_work_with_me(&mut tx, person.id, &map, shared_at, self.clock.now(), version).await? {
            return Err(AppError::Conflict(
                "Your page was saved from another window a moment ago. The page now shows that version; make your change again.".into(),
            ));
        }
        tx.commit().await?;
        self.work_with_me(actor, person.id).await
    }

    /// Shares one's page with one's manager (and one's reports), or takes it back to a draft.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn share_work_with_me(&self, actor: &Person, person_id: PersonId, shared: bool) -> AppResult<WorkWithMeView> {
        let person = crate::store::people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)?;
        let resource = self.work_with_me_resource(actor, &person).await?;
        self.require(actor, &person, Action::Write, resource).await?;
        let current = store::work_with_me(&self.db, person.id).await?;
        let Some(current) = current.filter(|c| c.sections.values().any(|v| !v.trim().is_empty())) else {
            return Err(Invalid::one("shared", "Write something first: there is nothing to share yet.").into());
        };
        let shared_at = if shared { current.shared_at.or(Some(self.clock.now())) } else { None };
        let mut tx = self.db.begin().await?;
        store::save_work_with_me(&mut tx, person.id, &current.sections, shared_at, self.clock.now(), current.version).await?;
        tx.commit().await?;
        self.work_with_me(actor, person.id).await
    }

    /// Adds a paragraph to one section of one's own page (from a program session).
    pub(crate) async fn append_to_work_with_me(&self, actor: &Person, section: &str, text: &str) -> AppResult<()> {
        for _ in 0..3 {
            let current = store::work_with_me(&self.db, actor.id).await?;
            let before = current.as_ref().and_then(|c| c.sections.get(section).cloned()).unwrap_or_default();
            let joined = if before.trim().is_empty() { text.to_string() } else { format!("{}\n\n{text}", before.trim_end()) };
            match self.save_work_with_me(actor, actor.id, &[(section.to_string(), joined)], current.map(|c| c.version).unwrap_or(0)).await {
                Err(AppError::Conflict(_)) => continue,
                Err(AppError::Invalid(Invalid(list))) => {
                    return Err(AppError::Invalid(Invalid(list.into_iter().map(|f| FieldError { field: "body".into(), ..f }).collect())));
                }
                other => return other.map(|_| ()),
            }
        }
        Err(AppError::Conflict("Your page kept changing while we added this. Try again.".into()))
    }
}
