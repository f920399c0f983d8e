//! The policy as a yes or no, for aggregates: packets, search, one's own lists.
//!
//! An aggregate (a review packet, search results, one's feedback) gathers items of several
//! kinds about several people. Each item it shows must be one the actor could read directly,
//! so every aggregate filters each item through the same question the direct read asks:
//! [`App::may`] for an item about a person (`App::require` answers it the same way for the
//! direct read), [`App::may_pair`] for 1:1 content of a pair (as `load_meeting` does). The
//! resource each item is read as comes from one function per kind ([`feedback_resource`],
//! [`setback_resource`], [`App::growth_record_resource`]), shared by the direct read and the
//! aggregates, so the two cannot drift apart.

use super::{App, AppError, AppResult};
use crate::domain::policy::{self, Action, Relation, Resource, Role};
use crate::domain::review::Feedback;
use crate::domain::setback::Setback;
use crate::domain::{Person, PersonId};
use std::collections::HashMap;

/// How a piece of feedback is read by `actor` (its giver, its recipient or someone else).
pub(crate) fn feedback_resource(actor: &Person, f: &Feedback) -> Resource {
    Resource::Feedback {
        actor_is_giver: f.giver_id == actor.id.0,
        actor_is_recipient: f.receiver_id == actor.id.0,
        shared: f.shared_at.is_some(),
    }
}

/// How a setback record is read by `actor` (its author or not).
pub(crate) fn setback_resource(actor: &Person, s: &Setback) -> Resource {
    Resource::SetbackRecord { actor_is_author: s.author_id == actor.id.0 }
}

/// How `actor` relates to 1:1 content of a pair: access follows the pair, not the current
/// reporting line (the manager of the pair, its teammate, or nobody).
pub(crate) fn pair_relation(actor: &Person, manager: PersonId, teammate: PersonId) -> Relation {
    if actor.id == teammate {
        Relation::Themselves
    } else if actor.id == manager {
        Relation::Manager
    } else {
        Relation::Unrelated
    }
}

impl App {
    /// Whether the policy lets `actor` do `action` on `resource` about `subject`: the question
    /// [`App::require`] asks, answered as a yes or no instead of "not found".
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn may(&self, actor: &Person, subject: &Person, action: Action, resource: Resource) -> AppResult<bool> {
        match self.require(actor, subject, action, resource).await {
            Ok(()) => Ok(true),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether `actor` may do `action` on `resource` of the 1:1s of the pair (`manager`,
    /// `teammate`): shared content, a private note, the pair's program.
    pub fn may_pair(&self, actor: &Person, manager: PersonId, teammate: PersonId, action: Action, resource: Resource) -> bool {
        let role = Role { relation: pair_relation(actor, manager, teammate), is_admin: actor.is_admin };
        policy::allows(role, action, resource)
    }

    /// Whether `actor` may read the shared content of the pair's 1:1s (what `GET /meetings/{id}`
    /// shows everyone it shows anything to).
    pub fn may_read_pair(&self, actor: &Person, manager: PersonId, teammate: PersonId) -> bool {
        self.may_pair(actor, manager, teammate, Action::Read, Resource::SharedMeetingContent)
    }

    /// How a person's growth record (assessments, strengths, plans) is read: whether it is
    /// shared with the leaders above their manager.
    pub(crate) async fn growth_record_resource(&self, subject: PersonId) -> AppResult<Resource> {
        Ok(Resource::GrowthRecord { shared_with_skip_level: crate::store::growth::is_shared(&self.db, subject).await? })
    }

    /// Whether `actor` may read a piece of feedback, as `GET /feedback/{id}` decides (the rule is
    /// about the recipient).
    pub(crate) async fn may_read_feedback(&self, actor: &Person, f: &Feedback) -> AppResult<bool> {
        let Some(receiver) = crate::store::people::get(&self.db, PersonId(f.receiver_id)).await? else { return Ok(false) };
        self.may(actor, &receiver, Action::Read, feedback_resource(actor, f)).await
    }

    /// Of `list`, the pieces of feedback `actor` may read, each as `GET /feedback/{id}` decides.
    pub(crate) async fn readable_feedback(&self, actor: &Person, list: Vec<Feedback>) -> AppResult<Vec<Feedback>> {
        self.readable(actor, list, |f| f.receiver_id, feedback_resource).await
    }

    /// Of `list`, the setback records `actor` may read, each as `GET /setbacks/{id}` decides.
    pub(crate) async fn readable_setbacks(&self, actor: &Person, list: Vec<Setback>) -> AppResult<Vec<Setback>> {
        self.readable(actor, list, |s| s.person_id, setback_resource).await
    }

    /// Of `list`, the items `actor` may read, each as its direct read decides: about the person
    /// `subject` names, read as `resource` says. The people are read together and each distinct
    /// question asked once, so an aggregate costs the same statements however long it is.
    async fn readable<T>(
        &self,
        actor: &Person,
        list: Vec<T>,
        subject: impl Fn(&T) -> uuid::Uuid,
        resource: impl Fn(&Person, &T) -> Resource,
    ) -> AppResult<Vec<T>> {
        let ids = list.iter().map(&subject).collect();
        let people: HashMap<uuid::Uuid, Person> =
            crate::store::people::by_ids(&self.db, ids).await?.into_iter().map(|p| (p.id.0, p)).collect();
        let mut answers: HashMap<(uuid::Uuid, Resource), bool> = HashMap::new();
        let mut out = Vec::with_capacity(list.len());
        for item in list {
            let (id, r) = (subject(&item), resource(actor, &item));
            let yes = match answers.get(&(id, r)) {
                Some(yes) => *yes,
                None => {
                    let yes = match people.get(&id) {
                        Some(person) => self.may(actor, person, Action::Read, r).await?,
                        None => false,
                    };
                    answers.insert((id, r), yes);
                    yes
                }
            };
            if yes {
                out.push(item);
            }
        }
        Ok(out)
    }
}
