//! People, reporting lines, the CSV import and the org chart.

use super::{App, AppError, AppResult};
use crate::domain::Page;
use crate::domain::people_csv;
use crate::domain::person::{validate_name, validate_title};
use crate::domain::policy::{self, Action, Relation, Resource, Role};
use crate::domain::reporting::would_create_cycle;
use crate::domain::{EmailAddress, FieldError, Invalid, Person, PersonId, PersonWithReports, Zone};
use crate::store::people;

/// What a form or API request gives to create a person.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub title: String,
    pub timezone: String,
    pub manager_id: Option<PersonId>,
    pub is_admin: bool,
}

/// An edit; `None` leaves a field unchanged. `manager_id: Some(None)` removes the manager.
#[derive(Debug, Clone, Default)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
    pub timezone: Option<String>,
    pub manager_id: Option<Option<PersonId>>,
    pub is_admin: Option<bool>,
}

/// A profile as one viewer may see it.
#[derive(Debug, Clone)]
pub struct Profile {
    pub person: Person,
    /// Managers above, nearest first.
    pub chain: Vec<Person>,
    pub reports: Vec<PersonWithReports>,
    pub relation: Relation,
    pub can_edit_all: bool,
    pub can_edit_own: bool,
    pub can_invite: bool,
}

#[derive(Debug, Clone)]
pub struct PeoplePage {
    pub people: Vec<PersonWithReports>,
    pub total: i64,
    pub page: Page,
}

/// The org chart around one person: the managers above them, them, and their reports.
#[derive(Debug, Clone)]
pub struct OrgChart {
    /// From the top of the organisation down to (not including) the focus.
    pub above: Vec<Person>,
    pub focus: Option<PersonWithReports>,
    /// The focus's direct reports, or the top of the organisation when there is no focus.
    pub below: Vec<PersonWithReports>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub applied: bool,
}

pub const MAX_PAGE_SIZE: u32 = 200;

impl App {
    /// Adds a person in `tx`; an e-mail address already in rapport is refused next to the field.
    pub(crate) async fn insert_person(
        tx: &mut crate::store::Tx,
        new: &people::NewPerson,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<()> {
        people::insert(tx, new, now).await.map_err(|e| {
            if e.is_unique_violation() {
                Invalid::one("email", "Someone with this e-mail address is already in rapport.").into()
            } else {
                e.into()
            }
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_people(&self, _actor: &Person, query: &str, page: u32, size: u32) -> AppResult<PeoplePage> {
        // Everyone signed in may read the directory (the policy's `Profile` read); the
        // directory holds no 1:1 content.
        let query = crate::domain::validation::search_query("q", query)?;
        let page = Page { number: page.max(1), size: size.clamp(1, MAX_PAGE_SIZE) };
        let (people, total) = people::search(&self.db, query, page).await?;
        Ok(PeoplePage { people, total, page })
    }

    /// The names of the people with these ids, for showing who wrote or owns something. Names
    /// are directory facts, open to everyone signed in (the policy's `Profile` read).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn names_of(&self, actor: &Person, ids: Vec<uuid::Uuid>) -> AppResult<std::collections::HashMap<uuid::Uuid, String>> {
        self.require(actor, actor, Action::Read, Resource::Profile).await?;
        Ok(people::by_ids(&self.db, ids).await?.into_iter().map(|p| (p.id.0, p.name)).collect())
    }

    /// Everyone, when there are at most `max` people; `None` in a larger organisation, where a
    /// list of every name is too long to choose from (and to send).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn manager_choices_up_to(&self, actor: &Person, max: i64) -> AppResult<Option<Vec<(PersonId, String, String)>>> {
        self.require(actor, actor, Action::Read, Resource::Profile).await?;
        if people::count(&self.db).await? > max {
            return Ok(None);
        }
        Ok(Some(people::names(&self.db).await?))
    }

    /// Someone in the directory by e-mail address (any case).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn person_by_email(&self, actor: &Person, email: &str) -> AppResult<Person> {
        self.require(actor, actor, Action::Read, Resource::Profile).await?;
        people::get_by_email(&self.db, &email.trim().to_lowercase()).await?.ok_or(AppError::NotFound)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn person(&self, actor: &Person, id: PersonId) -> AppResult<Person> {
        let p = people::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        self.require(actor, &p, Action::Read, Resource::Profile).await?;
        Ok(p)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn profile(&self, actor: &Person, id: PersonId) -> AppResult<Profile> {
        let person = self.person(actor, id).await?;
        let chain = people::manager_chain(&self.db, id).await?;
        let reports = people::reports_of(&self.db, Some(id)).await?;
        let relation = if actor.id == id {
            Relation::Themselves
        } else if person.manager_id == Some(actor.id) {
            Relation::Manager
        } else if chain.iter().skip(1).any(|m| m.id == actor.id) {
            Relation::SkipLevel
        } else {
            Relation::Unrelated
        };
        let role = Role { relation, is_admin: actor.is_admin };
        Ok(Profile {
            can_edit_all: policy::allows(role, Action::Write, Resource::PersonRecord),
            can_edit_own: policy::allows(role, Action::Write, Resource::OwnProfileFields),
            can_invite: !person.can_sign_in && policy::allows(role, Action::Write, Resource::Invitation),
            person,
            chain,
            reports,
            relation,
        })
    }

    /// Admins add people (one by one here, or many with [`App::import_people`]); managers
    /// then invite the ones who report to them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_person(&self, actor: &Person, input: PersonInput) -> AppResult<Person> {
        self.require_admin(actor)?;
        let mut errors = Invalid::default();
        let name = validate_name("name", &input.name, &mut errors);
        let title = validate_title("title", &input.title, &mut errors);
        let email = EmailAddress::parse(&input.email).map_err(|m| errors.push(FieldError::new("email", m))).ok();
        let tz = Zone::parse(&input.timezone).map_err(|m| errors.push(FieldError::new("timezone", m))).ok();
        let (Some(email), Some(tz), true) = (email, tz, errors.is_empty()) else { return Err(errors.into()) };
        let mut tx = self.db.begin().await?;
        if let Some(m) = input.manager_id
            && !people::exists_tx(&mut tx, m).await?
        {
            return Err(Invalid::one("manager_id", "The chosen manager is not in rapport.").into());
        }
        let new =
            people::NewPerson { manager_id: input.manager_id, is_admin: input.is_admin, ..people::NewPerson::new(name, email, title, tz) };
        let id = new.id;
        App::insert_person(&mut tx, &new, self.clock.now()).await?;
        if input.manager_id.is_some() {
            self.record_manager_change(&mut tx, id, None, input.manager_id, Some(actor)).await?;
        }
        tx.commit().await?;
        people::get(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    /// Edits a person if they are still at `expected_version`; otherwise nothing changes and
    /// the caller is told someone else edited first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_person(&self, actor: &Person, id: PersonId, patch: PersonPatch, expected_version: i64) -> AppResult<Person> {
        let current = self.person(actor, id).await?;
        let relation = self.relation(actor, &current).await?;
        let role = Role { relation, is_admin: actor.is_admin };
        let may_all = policy::allows(role, Action::Write, Resource::PersonRecord);
        let may_own = policy::allows(role, Action::Write, Resource::OwnProfileFields);
        if !may_all && !may_own {
            return Err(AppError::NotFound);
        }
        let mut errors = Invalid::default();
        if !may_all {
            for (field, set) in [
                ("email", patch.email.is_some()),
                ("title", patch.title.is_some()),
                ("manager_id", patch.manager_id.is_some()),
                ("is_admin", patch.is_admin.is_some()),
            ] {
                if set {
                    errors.push(FieldError::new(field, "Only an admin can change this."));
                }
            }
        }
        let mut ch = people::PersonChanges::default();
        if let Some(n) = &patch.name {
            ch.name = Some(validate_name("name", n, &mut errors));
        }
        if let Some(t) = &patch.title {
            ch.title = Some(validate_title("title", t, &mut errors));
        }
        if let Some(e) = &patch.email {
            match EmailAddress::parse(e) {
                Ok(e) => ch.email = Some((e.original, e.lower)),
                Err(m) => errors.push(FieldError::new("email", m)),
            }
        }
        if let Some(tz) = &patch.timezone {
            match Zone::parse(tz) {
                Ok(tz) => ch.timezone = Some(tz),
                Err(m) => errors.push(FieldError::new("timezone", m)),
            }
        }
        ch.manager_id = patch.manager_id;
        ch.is_admin = patch.is_admin;
        if patch.is_admin == Some(false) && current.is_admin && people::count_admins(&self.db).await? <= 1 {
            errors.push(FieldError::new("is_admin", "rapport needs at least one admin; make someone else an admin first."));
        }
        errors.into_result()?;

        let mut tx = self.db.begin().await?;
        if let Some(Some(m)) = patch.manager_id {
            if !people::exists_tx(&mut tx, m).await? {
                return Err(Invalid::one("manager_id", "The chosen manager is not in rapport.").into());
            }
            let chain = people::manager_chain_ids_tx(&mut tx, m).await?;
            if would_create_cycle(&id, &m, &chain) {
                let msg = if m == id {
                    "A person cannot be their own manager.".to_string()
                } else {
                    format!("{} cannot report to someone who reports to them, directly or through others.", current.name)
                };
                return Err(Invalid::one("manager_id", msg).into());
            }
        }
        match people::update(&mut tx, id, expected_version, &ch, self.clock.now()).await {
            Ok(true) => {}
            Ok(false) => {
                return Err(AppError::Conflict(format!(
                    "{} was changed by someone else while you were editing. Reload to see the current details, then make your change again.",
                    current.name
                )));
            }
            Err(e) if e.is_unique_violation() => {
                return Err(Invalid::one("email", "Someone with this e-mail address is already in rapport.").into());
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(new_manager) = patch.manager_id {
            self.record_manager_change(&mut tx, id, current.manager_id, new_manager, Some(actor)).await?;
            crate::store::meetings::end_series_outside_reporting_lines(&mut tx, self.clock.now()).await?;
        }
        tx.commit().await?;
        people::get(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    /// Imports people from CSV: checks everything first, then applies all of it in one
    /// transaction, or nothing. With `apply: false` only checks and counts.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import_people(&self, actor: &Person, bytes: &[u8], apply: bool) -> AppResult<ImportSummary> {
        self.require_admin(actor)?;
        if bytes.len() > self.config.max_import_bytes {
            return Err(
                Invalid(vec![FieldError::new("file", format!("The file is larger than {} bytes.", self.config.max_import_bytes))]).into()
            );
        }
        let existing = people::email_manager_map(&self.db).await?;
        let plan = people_csv::plan(bytes, &existing)?;
        if !apply {
            return Ok(ImportSummary { created: plan.new_people, updated: plan.rows.len() - plan.new_people, applied: false });
        }
        let mut tx = self.db.begin().await?;
        let before = crate::store::reporting::manager_map_tx(&mut tx).await?;
        let (created, updated) = people::apply_import(&mut tx, &plan, self.clock.now()).await?;
        let after = crate::store::reporting::manager_map_tx(&mut tx).await?;
        let mut changed: Vec<_> = after.iter().filter(|(id, m)| before.get(*id).copied().flatten() != **m).collect();
        changed.sort();
        for (id, m) in changed {
            let old = before.get(id).copied().flatten().map(PersonId);
            self.record_manager_change(&mut tx, PersonId(*id), old, m.map(PersonId), Some(actor)).await?;
        }
        crate::store::meetings::end_series_outside_reporting_lines(&mut tx, self.clock.now()).await?;
        tx.commit().await?;
        Ok(ImportSummary { created, updated, applied: true })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn org_chart(&self, actor: &Person, focus: Option<PersonId>) -> AppResult<OrgChart> {
        let Some(focus) = focus else {
            return Ok(OrgChart { above: vec![], focus: None, below: people::reports_of(&self.db, None).await? });
        };
        let person = self.person(actor, focus).await?;
        let mut above = people::manager_chain(&self.db, focus).await?;
        above.reverse();
        let below = people::reports_of(&self.db, Some(focus)).await?;
        let reports = below.len() as i64;
        Ok(OrgChart { above, focus: Some(PersonWithReports { person, reports }), below })
    }
}
