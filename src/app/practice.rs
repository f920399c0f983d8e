//! "My practice": a manager's own follow-through, for them alone.

use crate::app::{App, AppResult};
use crate::domain::Person;
use crate::domain::policy::{Action, Resource};
use crate::domain::practice::{self as rules, Facts, Practice};
use crate::store::practice as store;
use chrono::Duration;

impl App {
    /// The actor's own practice over `weeks` (4, 12 or 52): per person who reports to them and
    /// overall. Nobody else reads it, not their manager, not an admin.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_practice(&self, actor: &Person, weeks: Option<u32>) -> AppResult<Practice> {
        self.require(actor, actor, Action::Read, Resource::OwnPractice).await?;
        let weeks = rules::window(weeks)?;
        let now = self.clock.now();
        let pairs = store::pairs(&self.db, actor.id).await?;
        if pairs.is_empty() {
            return Ok(rules::practice(&Facts { now, ..Default::default() }, weeks));
        }
        // The window, and the ratings of the window before (compared), read at once.
        let from = now - Duration::weeks(weeks as i64);
        let before = from - Duration::weeks(weeks as i64);
        let today = now.date_naive();
        let db = &self.db;
        let (meetings, ratings_before, actions, purposes, feedback) = tokio::try_join!(
            store::meetings(db, actor.id, from, now),
            store::ratings(db, actor.id, before, from),
            store::actions(db, actor.id, today - Duration::weeks(weeks as i64), today),
            store::purposes(db, actor.id),
            store::feedback(db, actor.id),
        )?;
        let facts = Facts { now, meetings, ratings_before, actions, purposes, feedback, pairs };
        Ok(rules::practice(&facts, weeks))
    }
}
