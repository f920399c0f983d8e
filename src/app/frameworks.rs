//! A framework's life after its first import: what a new version means for the people placed
//! on a level it no longer has; archiving (no longer offered for new choices), restoring, and
//! deleting one nobody was placed on.

use super::{App, AppError, AppResult};
use crate::domain::framework::{VanishedLevel, vanished_levels};
use crate::domain::growth::FrameworkInfo;
use crate::domain::policy::{Action, Resource};
use crate::domain::{Invalid, Person};
use crate::store::growth as store;
use crate::store::people;
use uuid::Uuid;

/// A level the new version no longer has, and the people placed on it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LevelChange {
    pub level: String,
    /// The name it looks renamed to (the one new name at its place in its track). Nobody is
    /// moved to it: each person's level needs choosing.
    pub renamed_to: Option<String>,
    /// The people placed on it whom the importer may see, by name.
    pub people: Vec<PlacedPerson>,
    /// How many more people are placed on it, whom the importer does not manage.
    pub others: usize,
    /// All of it in one sentence.
    pub message: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PlacedPerson {
    pub id: Uuid,
    pub name: String,
}

impl App {
    /// The levels of version `number - 1` of a framework that version `new` no longer has, with
    /// the people placed on each as the policy lets `actor` see them (`PersonLevel`): named,
    /// or counted.
    pub(crate) async fn level_changes(
        &self,
        actor: &Person,
        framework_id: Uuid,
        number: i64,
        new: &crate::domain::framework::Framework,
    ) -> AppResult<Vec<LevelChange>> {
        let Some(old) = store::framework_version(&self.db, framework_id, Some(number - 1)).await? else { return Ok(vec![]) };
        let gone = vanished_levels(&old.framework, new);
        if gone.is_empty() {
            return Ok(vec![]);
        }
        let placed = store::placed_on(&self.db, framework_id).await?;
        let ids = placed.iter().filter(|(_, l)| gone.iter().any(|g| &g.level == l)).map(|(id, _)| *id).collect();
        let mut persons = people::by_ids(&self.db, ids).await?;
        persons.sort_by_key(|a| a.name.to_lowercase());
        let mut out = vec![];
        for VanishedLevel { level, renamed_to } in gone {
            let (mut seen, mut others) = (vec![], 0);
            for p in &persons {
                if !placed.iter().any(|(id, l)| *id == p.id.0 && *l == level) {
                    continue;
                }
                if self.may(actor, p, Action::Read, Resource::PersonLevel).await? {
                    seen.push(PlacedPerson { id: p.id.0, name: p.name.clone() });
                } else {
                    others += 1;
                }
            }
            let names: Vec<String> = seen.iter().map(|p| p.name.clone()).collect();
            let v = VanishedLevel { level, renamed_to };
            let message = v.message(&names, others);
            out.push(LevelChange { level: v.level, renamed_to: v.renamed_to, people: seen, others, message });
        }
        Ok(out)
    }
}

impl App {
    /// Archives a framework (an admin): it leaves the level selects and the list of frameworks
    /// to choose from; the people placed on it keep it and still see it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn archive_framework(&self, actor: &Person, id: Uuid) -> AppResult<FrameworkInfo> {
        self.require(actor, actor, Action::Write, Resource::Framework).await?;
        self.mark_archived(id, true).await
    }

    /// Offers an archived framework for new choices again (an admin).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn restore_framework(&self, actor: &Person, id: Uuid) -> AppResult<FrameworkInfo> {
        self.require(actor, actor, Action::Write, Resource::Framework).await?;
        self.mark_archived(id, false).await
    }

    async fn mark_archived(&self, id: Uuid, archived: bool) -> AppResult<FrameworkInfo> {
        let info = store::framework_info(&self.db, id).await?.ok_or(AppError::NotFound)?;
        if info.archived_at.is_some() != archived {
            let mut tx = self.db.begin().await?;
            store::set_archived(&mut tx, id, archived.then(|| self.clock.now())).await?;
            tx.commit().await?;
        }
        store::framework_info(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    /// Deletes a framework and every version of it (an admin), when nobody is placed on it and
    /// nothing was assessed against it; any other is archived instead.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_framework(&self, actor: &Person, id: Uuid) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::Framework).await?;
        let info = store::framework_info(&self.db, id).await?.ok_or(AppError::NotFound)?;
        if !info.can_delete() {
            let why = format!("{} cannot be deleted: {}. You can archive it instead.", info.name, in_use(&info));
            return Err(Invalid::one("framework", why).into());
        }
        let mut tx = self.db.begin().await?;
        if !store::delete_framework(&mut tx, id).await? {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Why a framework cannot be deleted: "1 person is placed on it".
pub fn in_use(info: &FrameworkInfo) -> String {
    match info.placed {
        0 => "people were assessed against it".to_string(),
        1 => "1 person is placed on it".to_string(),
        n => format!("{n} people are placed on it"),
    }
}
