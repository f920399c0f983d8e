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
        // Twice the window: the rating of the window before is compared.
        let from = now - Duration::weeks(2 * weeks as i64);
        let today = now.date_naive();
        let facts = Facts {
            now,
            meetings: store::meetings(&self.db, actor.id, from, now).await?,
            topics: store::topics(&self.db, actor.id, now - Duration::weeks(weeks as i64), now).await?,
            actions: store::actions(&self.db, actor.id, today - Duration::weeks(weeks as i64), today).await?,
            purposes: store::purposes(&self.db, actor.id).await?,
            feedback: store::feedback(&self.db, actor.id).await?,
            pairs,
        };
        Ok(rules::practice(&facts, weeks))
    }
}
