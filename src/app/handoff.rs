//! Changes of reporting line, and the handoff a person makes to a new manager.
//!
//! Every path that changes someone's manager (the API's PATCH, the admin page, the CSV import
//! from the web or the command line) goes through [`App::record_manager_change`] inside its
//! transaction: the change is recorded (who, when), the person and both managers get a
//! message, and a change back to the previous manager within [`RESUME_DAYS`] days resumes the
//! pair's series the change had ended.
//!
//! A manager who became the manager by a change is a `Relation::NewManager` for the person's
//! past (PRODUCT.md: past content stays with the two people who wrote it; what the person's
//! own record shows a new manager is the person's choice). The person chooses on their handoff
//! page what of their own record the new manager reads (`HandoffItem`).

use super::{App, AppError, AppResult};
use crate::domain::policy::{Action, HandoffItem, Resource};
use crate::domain::{Invalid, Person, PersonId};
use crate::store::Tx;
use crate::store::messages::{NewInboxMessage, insert_inbox};
use crate::store::people;
use crate::store::reporting::{self as store, LineRow};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A change back to the previous manager within this many days resumes their series.
pub const RESUME_DAYS: i64 = 14;

/// One recorded change of a person's reporting line, with names.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportingChange {
    pub person_id: Uuid,
    /// The manager from then on (none: nobody).
    pub manager_id: Option<Uuid>,
    pub manager_name: Option<String>,
    pub previous_manager_id: Option<Uuid>,
    pub previous_manager_name: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// Who made the change (none: recorded before changes were recorded).
    pub changed_by_id: Option<Uuid>,
    pub changed_by_name: Option<String>,
    /// Whether the change resumed the series with a manager the person had just before.
    pub resumed: bool,
}

/// The person's handoff to their current manager.
#[derive(Debug, Clone)]
pub struct HandoffView {
    /// Their current manager, when that manager became it by a change (nothing to hand over
    /// otherwise).
    pub new_manager: Option<Person>,
    pub items: Vec<(HandoffItem, bool)>,
    pub chosen_at: Option<DateTime<Utc>>,
}

async fn name_of(tx: &mut Tx, id: Option<Uuid>) -> AppResult<String> {
    Ok(match id {
        Some(id) => store::name_tx(tx, id).await?.unwrap_or_default(),
        None => String::new(),
    })
}

impl App {
    /// When `manager` became `person`'s manager by a change from someone else (and not back
    /// to themselves soon after); `None` when they are the person's first manager.
    pub(crate) async fn manager_since_change(&self, person: PersonId, manager: PersonId) -> AppResult<Option<DateTime<Utc>>> {
        let lines = store::lines_of(&self.db, person.0).await?;
        let Some(current) = lines.last() else { return Ok(None) };
        if current.manager_id != Some(manager.0) || current.resumed {
            return Ok(None);
        }
        let someone_else = |m: Option<Uuid>| m.is_some_and(|m| m != manager.0);
        let had_another = lines.iter().any(|l| someone_else(l.manager_id) || someone_else(l.previous_manager_id));
        Ok(had_another.then_some(current.started_at))
    }

    /// What `person` handed over to `manager`.
    pub(crate) async fn handed_over(&self, person: PersonId, manager: PersonId) -> AppResult<Vec<HandoffItem>> {
        Ok(match store::handoff(&self.db, person.0, manager.0).await? {
            Some((items, _)) => items.split_whitespace().filter_map(HandoffItem::parse).collect(),
            None => vec![],
        })
    }

    /// Records that `person`'s manager changed from `old` to `new` (by `actor`, now), inside
    /// the transaction that changes it; tells the person and both managers. Call it before the
    /// series outside reporting lines are ended.
    pub(crate) async fn record_manager_change(
        &self,
        tx: &mut Tx,
        person: PersonId,
        old: Option<PersonId>,
        new: Option<PersonId>,
        actor: Option<&Person>,
    ) -> AppResult<()> {
        if old == new {
            return Ok(());
        }
        let now = self.clock.now();
        let lines = store::lines_of_tx(tx, person.0).await?;
        // A change back to the manager of just before, soon after: the pair carries on.
        let mut resumed = false;
        if let (Some(current), Some(new)) = (lines.last(), new)
            && current.previous_manager_id == Some(new.0)
            && now - current.started_at <= Duration::days(RESUME_DAYS)
            && let Some(series) = current.ended_series_id
        {
            resumed = store::resume_series_tx(tx, series, now).await?;
        }
        let ended_series_id = match old {
            Some(old) => store::open_regular_series_tx(tx, old.0, person.0).await?,
            None => None,
        };
        let line = LineRow {
            id: Uuid::now_v7(),
            person_id: person.0,
            manager_id: new.map(|m| m.0),
            previous_manager_id: old.map(|m| m.0),
            started_at: now,
            changed_by: actor.map(|a| a.id.0),
            ended_series_id,
            resumed,
        };
        store::insert_line(tx, &line).await?;
        // A person's first placement (when they are added) is recorded, not announced.
        if old.is_none() && lines.is_empty() {
            return Ok(());
        }
        self.tell_about_change(tx, &line, ended_series_id.is_some()).await
    }

    async fn tell_about_change(&self, tx: &mut Tx, line: &LineRow, ended: bool) -> AppResult<()> {
        let person = name_of(tx, Some(line.person_id)).await?;
        let new = name_of(tx, line.manager_id).await?;
        let old = name_of(tx, line.previous_manager_id).await?;
        let by = match line.changed_by {
            Some(id) => store::name_tx(tx, id).await?.unwrap_or_default(),
            None => "rapport".to_string(),
        };
        let when = line.started_at.format("%Y-%m-%d %H:%M UTC");
        let change = match (line.previous_manager_id, line.manager_id) {
            (Some(_), Some(_)) => format!("{person} now reports to {new} instead of {old}"),
            (None, Some(_)) => format!("{person} now reports to {new}"),
            (Some(_), None) => format!("{person} no longer reports to {old}"),
            (None, None) => format!("{person}'s reporting line changed"),
        };
        let mut body = format!("{change}. Changed by {by} on {when}.");
        if line.resumed {
            body.push_str(&format!(" {person} and {new} resume their 1:1s where they left them."));
        } else if ended {
            body.push_str(&format!(" The 1:1s of {person} and {old} have ended; their past notes stay with the two of them."));
        }
        if line.manager_id.is_some() && !line.resumed {
            body.push_str(&format!(
                " A new manager does not see what the previous manager wrote; {person} chooses on their handoff page (/handoff) what of their own record {new} sees."
            ));
        }
        let subject = format!("Reporting line: {change}");
        let message = super::mail::reporting_line::Mail { body: &body }.render(&subject)?;
        let mut recipients = vec![Some(line.person_id), line.manager_id, line.previous_manager_id];
        recipients.dedup();
        for r in recipients.into_iter().flatten() {
            let key = format!("reporting-line:{}:{}", line.id, r);
            let m = NewInboxMessage {
                person_id: PersonId(r),
                idempotency_key: &key,
                subject: &subject,
                body_text: &message.text,
                body_html: &message.html,
                calendar: None,
            };
            insert_inbox(tx, &m, line.started_at).await?;
        }
        Ok(())
    }

    /// Every change of a person's reporting line, the oldest first: for the person, their
    /// current and former managers, and admins.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn reporting_changes(&self, actor: &Person, person_id: PersonId) -> AppResult<Vec<ReportingChange>> {
        let person = people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)?;
        let lines = store::lines_of(&self.db, person.id.0).await?;
        let was_manager = lines.iter().any(|l| l.manager_id == Some(actor.id.0) || l.previous_manager_id == Some(actor.id.0));
        self.require(actor, &person, Action::Read, Resource::ReportingChanges { actor_was_manager: was_manager }).await?;
        let mut out = vec![];
        for l in lines {
            let name = |id: Option<Uuid>| {
                let db = self.db.clone();
                async move {
                    match id {
                        Some(id) => Ok::<_, AppError>(people::get(&db, PersonId(id)).await?.map(|p| p.name)),
                        None => Ok(None),
                    }
                }
            };
            out.push(ReportingChange {
                person_id: l.person_id,
                manager_id: l.manager_id,
                manager_name: name(l.manager_id).await?,
                previous_manager_id: l.previous_manager_id,
                previous_manager_name: name(l.previous_manager_id).await?,
                changed_at: l.started_at,
                changed_by_id: l.changed_by,
                changed_by_name: name(l.changed_by).await?,
                resumed: l.resumed,
            });
        }
        Ok(out)
    }

    /// The actor's own handoff to their current manager.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_handoff(&self, actor: &Person) -> AppResult<HandoffView> {
        self.require(actor, actor, Action::Read, Resource::Handoff).await?;
        let new_manager = match actor.manager_id {
            Some(m) if self.manager_since_change(actor.id, m).await?.is_some() => people::get(&self.db, m).await?,
            _ => None,
        };
        let (chosen, chosen_at) = match &new_manager {
            Some(m) => match store::handoff(&self.db, actor.id.0, m.id.0).await? {
                Some((items, at)) => (items.split_whitespace().filter_map(HandoffItem::parse).collect::<Vec<_>>(), Some(at)),
                None => (vec![], None),
            },
            None => (vec![], None),
        };
        Ok(HandoffView { new_manager, items: HandoffItem::ALL.iter().map(|i| (*i, chosen.contains(i))).collect(), chosen_at })
    }

    /// The actor chooses what of their own record their new manager sees (replacing an earlier
    /// choice; an empty list takes everything back).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_my_handoff(&self, actor: &Person, items: &[String]) -> AppResult<HandoffView> {
        self.require(actor, actor, Action::Write, Resource::Handoff).await?;
        let mut chosen = vec![];
        for s in items {
            match HandoffItem::parse(s.trim()) {
                Some(i) => {
                    if !chosen.contains(&i) {
                        chosen.push(i);
                    }
                }
                None => {
                    let known: Vec<&str> = HandoffItem::ALL.iter().map(|i| i.slug()).collect();
                    return Err(Invalid::one("items", format!("Unknown item \"{s}\"; choose from: {}.", known.join(", "))).into());
                }
            }
        }
        let current = self.my_handoff(actor).await?;
        let Some(manager) = current.new_manager else {
            return Err(Invalid::one("items", "Nothing to hand over: your manager has not changed.").into());
        };
        chosen.sort();
        let text = chosen.iter().map(|i| i.slug()).collect::<Vec<_>>().join(" ");
        let mut tx = self.db.begin().await?;
        store::save_handoff(&mut tx, actor.id.0, manager.id.0, &text, self.clock.now()).await?;
        tx.commit().await?;
        self.my_handoff(actor).await
    }
}
