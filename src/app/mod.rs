//! Use cases: one function per thing a user does. Each takes the person acting, asks the
//! access policy, and then reads or writes through the store. The web pages, the JSON API and
//! the command line all call these, so none can do what the others cannot.

pub mod about;
pub mod access;
pub mod accounts;
pub mod cache;
pub mod calendar;
pub mod events;
pub mod frameworks;
pub mod growth;
pub mod guidance;
pub mod handoff;
pub mod insights;
pub mod kickoff;
pub mod mail;
pub mod meetings;
pub mod messages;
pub mod metrics;
pub mod operator;
pub mod people;
pub mod practice;
pub mod print;
pub mod program;
pub mod pulse;
pub mod reminders;
pub mod reviews;
pub mod secrets;
pub mod setbacks;
pub mod strategy;
pub mod work_with_me;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::domain::policy::{self, Action, HandoffItem, Relation, Resource, Role};
use crate::domain::{Invalid, Person};
use crate::store::{Db, StoreError, StoreErrorKind};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Everything a use case needs. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub events: Arc<events::Events>,
    /// Meeting pages gathered earlier, checked against the database before each use.
    pub views: Arc<cache::ViewCache>,
    /// Sessions read in the last moment (see [`cache::SessionCache`]).
    pub sessions: Arc<cache::SessionCache>,
    /// The views of organisations worked out lately (see [`cache::InsightsCache`]).
    pub insights: Arc<cache::InsightsCache>,
    /// What `/metrics` reports (see [`App::metrics_text`]).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Searches running at once (see [`meetings::SEARCH_WAIT`]).
    pub search_gate: Arc<tokio::sync::Semaphore>,
    /// What the reminder scheduler noted in its last passes (see [`reminders`]).
    pub scheduler: Arc<reminders::SchedulerMemory>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not exist, or the actor may not see it: the two look the same.
    #[error("not found")]
    NotFound,
    /// No valid sign-in or token.
    #[error("sign-in required")]
    Unauthenticated,
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    /// Someone else changed the record since the actor loaded it.
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    /// The database is busy or locked just now; trying again later should work.
    #[error("the database is busy; try again")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The one place a store failure becomes an answer: its kind decides, so a unique violation
/// from two requests at once is a conflict (409), not a server error.
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e.kind() {
            StoreErrorKind::UniqueViolation => {
                AppError::Conflict("This was just added by someone else (or by you, twice). Reload to see it.".into())
            }
            StoreErrorKind::NotFound => AppError::NotFound,
            StoreErrorKind::Busy => {
                tracing::warn!(error = %e, "database busy");
                AppError::Unavailable
            }
            StoreErrorKind::Other => AppError::Internal(e.into()),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl App {
    pub fn new(db: Db, config: Config) -> App {
        App {
            db,
            clock: Arc::new(SystemClock),
            config: Arc::new(config),
            events: Arc::new(events::Events::default()),
            views: Arc::new(cache::ViewCache::default()),
            sessions: Arc::new(cache::SessionCache::default()),
            insights: Arc::new(cache::InsightsCache::default()),
            metrics: Arc::new(crate::metrics::Metrics::default()),
            search_gate: Arc::new(tokio::sync::Semaphore::new(meetings::search_slots())),
            scheduler: Arc::new(reminders::SchedulerMemory::default()),
        }
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> App {
        self.clock = clock;
        self
    }

    /// Whether writes can be made now: a write transaction begins and commits within `within`.
    /// `Err` says why not, in words fit for an operator (a failed write's details go to the log
    /// only).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn check_writable(&self, within: std::time::Duration) -> Result<(), String> {
        self.db.check_writable(within).await.map_err(|e| {
            tracing::warn!(error = %e, "not ready: writes cannot be made");
            match e {
                crate::store::Unwritable::Failed(_) => "a trivial write failed (see the log)".to_string(),
                e => e.to_string(),
            }
        })
    }

    /// How `actor` relates to `subject` in the reporting tree, for the person's record as a
    /// whole (past included): a manager who became it by a change of reporting line is a
    /// [`Relation::NewManager`] for it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn relation(&self, actor: &Person, subject: &Person) -> AppResult<Relation> {
        self.relation_at(actor, subject, None).await
    }

    /// The same for one record written at `written_at` (`None`: the whole record). A new
    /// manager is a plain manager for what was written after they became the manager.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn relation_at(&self, actor: &Person, subject: &Person, written_at: Option<DateTime<Utc>>) -> AppResult<Relation> {
        if actor.id == subject.id {
            return Ok(Relation::Themselves);
        }
        if subject.manager_id == Some(actor.id) {
            return Ok(match self.manager_since_change(subject.id, actor.id).await? {
                Some(since) if written_at.is_none_or(|w| w < since) => Relation::NewManager,
                _ => Relation::Manager,
            });
        }
        if subject.manager_id.is_none() {
            return Ok(Relation::Unrelated);
        }
        let chain = crate::store::people::manager_chain(&self.db, subject.id).await?;
        Ok(if chain.iter().skip(1).any(|m| m.id == actor.id) { Relation::SkipLevel } else { Relation::Unrelated })
    }

    /// Asks the policy; a refusal is `NotFound`, exactly like a missing record.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn require(&self, actor: &Person, subject: &Person, action: Action, resource: Resource) -> AppResult<()> {
        self.require_at(actor, subject, action, resource, None).await
    }

    /// [`App::require`] for one record written at `written_at` (see [`App::relation_at`]).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn require_at(
        &self,
        actor: &Person,
        subject: &Person,
        action: Action,
        resource: Resource,
        written_at: Option<DateTime<Utc>>,
    ) -> AppResult<()> {
        // When the answer is the same whatever the relation, skip looking the relation up.
        let answers: Vec<bool> =
            Relation::ALL.iter().map(|&relation| policy::allows(Role { relation, is_admin: actor.is_admin }, action, resource)).collect();
        if answers.iter().all(|a| *a) {
            return Ok(());
        }
        if answers.iter().all(|a| !*a) {
            return Err(AppError::NotFound);
        }
        let mut relation = self.relation_at(actor, subject, written_at).await?;
        if relation == Relation::NewManager
            && let Some(item) = HandoffItem::of(resource)
            && self.handed_over(subject.id, actor.id).await?.contains(&item)
        {
            relation = Relation::HandedOver;
        }
        if policy::allows(Role { relation, is_admin: actor.is_admin }, action, resource) { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// For actions that are not about one person (creating people, importing).
    pub fn require_admin(&self, actor: &Person) -> AppResult<()> {
        let role = Role { relation: Relation::Unrelated, is_admin: actor.is_admin };
        if policy::allows(role, Action::Write, Resource::PersonRecord) { Ok(()) } else { Err(AppError::NotFound) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_failure_keeps_its_kind() {
        assert!(matches!(AppError::from(StoreError::Sql(sqlx::Error::RowNotFound)), AppError::NotFound));
        assert!(matches!(AppError::from(StoreError::Sql(sqlx::Error::PoolTimedOut)), AppError::Unavailable));
        assert!(matches!(AppError::from(StoreError::Corrupt("x".into())), AppError::Internal(_)));
    }
}
