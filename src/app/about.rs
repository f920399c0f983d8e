//! The manager's "about" page on a direct report, and what it adds to the prep view.
//!
//! Privacy (PRODUCT.md): `Resource::AboutPage`, the person's current manager only; not the
//! person, not a skip-level leader, not an admin. The notes belong to the manager who wrote
//! them: each page is stored per (person, author) and only the current manager's own page is
//! read, so a new manager starts with an empty page and the old one stays out of sight.

use super::{App, AppError, AppResult};
use crate::domain::about::{self, AboutFacts, AboutInput, AboutPage};
use crate::domain::policy::{Action, Resource};
use crate::domain::{Person, PersonId};
use crate::store::{about as store, people};

impl App {
    /// The actor's page about `person_id` (empty, version 0, when never written).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn about_page(&self, actor: &Person, person_id: PersonId) -> AppResult<(Person, AboutPage)> {
        let person = people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)?;
        self.require(actor, &person, Action::Read, Resource::AboutPage).await?;
        let page = store::about_page(&self.db, person.id.0, actor.id.0).await?.unwrap_or_else(|| AboutPage::empty(person.id.0, actor.id.0));
        Ok((person, page))
    }

    /// Replaces the actor's page about `person_id` with `input`, checked whole: a problem
    /// anywhere changes nothing. A stale `version` is a conflict.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_about_page(&self, actor: &Person, person_id: PersonId, input: &AboutInput) -> AppResult<AboutPage> {
        let (person, current) = self.about_page(actor, person_id).await?;
        self.require(actor, &person, Action::Write, Resource::AboutPage).await?;
        let fields = about::validate(input)?;
        if input.version.is_some_and(|v| v != current.version) {
            return Err(stale());
        }
        let page = AboutPage {
            person_id: person.id.0,
            author_id: actor.id.0,
            interests: fields.interests,
            family: fields.family,
            dates: fields.dates,
            time_off: fields.time_off,
            version: current.version.saturating_add(1),
            updated_at: Some(self.clock.now()),
        };
        let mut tx = self.db.begin().await?;
        if !store::save_about_page(&mut tx, &page, current.version).await? {
            return Err(stale());
        }
        tx.commit().await?;
        Ok(page)
    }

    /// Whether the actor may keep an about page on `person` (for links).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn may_keep_about(&self, actor: &Person, person: &Person) -> bool {
        self.require(actor, person, Action::Read, Resource::AboutPage).await.is_ok()
    }

    /// The dates and time off the actor's about page holds on `teammate`, as of the actor's
    /// today; empty for anyone the policy does not let keep that page (the teammate, a
    /// skip-level leader, an admin).
    pub(crate) async fn about_facts(&self, actor: &Person, teammate: &Person) -> AppResult<AboutFacts> {
        let tz = actor.timezone.tz();
        let today = self.clock.now().with_timezone(&tz).date_naive();
        if !self.may_keep_about(actor, teammate).await {
            return Ok(AboutFacts { today, ..Default::default() });
        }
        let page = store::about_page(&self.db, teammate.id.0, actor.id.0).await?;
        Ok(page.map(|p| AboutFacts { today, dates: p.dates, time_off: p.time_off }).unwrap_or(AboutFacts { today, ..Default::default() }))
    }
}

fn stale() -> AppError {
    AppError::Conflict(
        "This page was changed a moment ago (in another tab?). It now shows the current version; make your change again.".into(),
    )
}
