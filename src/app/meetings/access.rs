//! Who may see a 1:1, and telling open pages that it changed.

use crate::app::events::MeetingEvent;
use crate::app::{App, AppError, AppResult};
use crate::domain::meeting::{Meeting, Series};
use crate::domain::policy::{self, Action, Allowed, Relation, Resource, Role};
use crate::domain::{Person, PersonId};
use crate::store::{Tx, meetings as store, people};
use uuid::Uuid;

impl App {
    pub(super) fn pair_relation(actor: &Person, series: &Series) -> Relation {
        crate::app::access::pair_relation(actor, series.manager_id, series.teammate_id)
    }

    /// What the policy says of the actor and `resource` of the pair, for a page to show.
    pub(crate) fn pair_may(actor: &Person, series: &Series, action: Action, resource: Resource) -> Allowed {
        policy::may(Role { relation: Self::pair_relation(actor, series), is_admin: actor.is_admin }, action, resource)
    }

    /// The actor must be one of the pair for `resource`; otherwise, not found.
    pub(crate) fn require_pair(&self, actor: &Person, series: &Series, action: Action, resource: Resource) -> AppResult<()> {
        if Self::pair_may(actor, series, action, resource).yes() { Ok(()) } else { Err(AppError::NotFound) }
    }

    pub(crate) async fn load_meeting(&self, actor: &Person, meeting_id: Uuid, action: Action) -> AppResult<(Series, Meeting)> {
        let (meeting, series) = store::get_meeting_with_series(&self.db, meeting_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, action, Resource::SharedMeetingContent)?;
        Ok((series, meeting))
    }

    pub(crate) async fn pair_people(&self, series: &Series) -> AppResult<(Person, Person)> {
        // Both in one statement.
        let mut both = people::by_ids(&self.db, vec![series.manager_id.0, series.teammate_id.0]).await?;
        let teammate = both.iter().position(|p| p.id == series.teammate_id).map(|i| both.swap_remove(i)).ok_or(AppError::NotFound)?;
        let manager = both.into_iter().find(|p| p.id == series.manager_id).ok_or(AppError::NotFound)?;
        Ok((manager, teammate))
    }

    /// After a commit: tell this instance's open pages (PostgreSQL instances hear it through
    /// NOTIFY instead, which `notify_tx` queued inside the transaction).
    pub(crate) fn published(&self, meeting: Uuid, what: &str, by: PersonId) {
        if let crate::store::Db::Sqlite(_) = self.db {
            self.events.publish(MeetingEvent { meeting_id: meeting, what: what.into(), by: by.0 });
        }
    }

    pub(crate) async fn notify_tx(tx: &mut Tx, meeting: Uuid, what: &str, by: PersonId) -> AppResult<()> {
        let payload =
            serde_json::to_string(&MeetingEvent { meeting_id: meeting, what: what.into(), by: by.0 }).map_err(anyhow::Error::from)?;
        store::notify_meeting_changed(tx, &payload).await?;
        Ok(())
    }
}
