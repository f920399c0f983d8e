//! What commands run on the server itself ask before they act (`rapport serve --demo`,
//! `rapport review packet`, any command acting as the first admin or for `--email`). There is
//! no actor yet: whoever can run commands on the server can read the database anyway.

use super::{App, AppResult};
use crate::domain::{Person, PersonId};
use crate::store::people;

impl App {
    /// True while no one is in the directory (a demo fills only such an instance).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn has_no_people(&self) -> AppResult<bool> {
        Ok(people::count(&self.db).await? == 0)
    }

    /// The first admin, whom commands run on the server act as.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn first_admin(&self) -> AppResult<Option<Person>> {
        Ok(people::first_admin(&self.db).await?)
    }

    /// Someone by e-mail address (any case), for a command that acts for them or on them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn person_for_command(&self, email: &str) -> AppResult<Option<Person>> {
        Ok(people::get_by_email(&self.db, &email.trim().to_lowercase()).await?)
    }

    /// Someone by id, for a command that acts for them (a person's manager, say).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn person_by_id_for_command(&self, id: PersonId) -> AppResult<Option<Person>> {
        Ok(people::get(&self.db, id).await?)
    }
}
