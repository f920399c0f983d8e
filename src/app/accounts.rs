//! Accounts: the first admin, signing in and out, passwords, invitations and API tokens.

use super::mail;
use super::secrets::{hash_password, random_token, token_hash, verify_password};
use super::{App, AppError, AppResult};
use crate::domain::person::{validate_name, validate_password};
use crate::domain::policy::{Action, Resource};
use crate::domain::{EmailAddress, FieldError, Invalid, Person, PersonId, TimeZoneName};
use crate::store::{accounts, people};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A signed-in browser session, as handed to the web layer.
#[derive(Debug, Clone)]
pub struct Session {
    /// The secret in the cookie. Only its hash is stored.
    pub token: String,
    pub csrf_token: String,
    pub person: Person,
}

pub struct NewAdmin {
    pub name: String,
    pub email: String,
    pub password: String,
    pub timezone: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Invitation {
    pub token: String,
    pub person: Person,
    pub expires_at: DateTime<Utc>,
    /// Whether the link was also e-mailed to the person (when an SMTP server is configured).
    pub emailed: bool,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: Uuid,
    pub name: String,
    /// Shown once; rapport keeps only its hash.
    pub token: String,
}

/// API tokens start with this, so they are recognisable in a leaked config file.
pub const TOKEN_PREFIX: &str = "rpt_";

impl App {
    /// True until the first admin exists: the first visit then shows the setup page.
    pub async fn needs_setup(&self) -> AppResult<bool> {
        Ok(people::count_admins(&self.db).await? == 0)
    }

    /// Creates the first admin. Refused once any admin exists (use invitations then), so the
    /// setup page cannot be replayed to take over an instance.
    pub async fn create_first_admin(&self, input: NewAdmin) -> AppResult<Person> {
        self.create_admin(input, true).await
    }

    /// `rapport admin create`: an admin made from the server's own command line, which is
    /// trusted (whoever runs it can read the database anyway).
    pub async fn create_admin(&self, input: NewAdmin, only_if_first: bool) -> AppResult<Person> {
        let mut errors = Invalid::default();
        let name = validate_name("name", &input.name, &mut errors);
        let email = EmailAddress::parse(&input.email).map_err(|m| errors.push(FieldError::new("email", m))).ok();
        let tz = TimeZoneName::parse(&input.timezone).map_err(|m| errors.push(FieldError::new("timezone", m))).ok();
        let title = crate::domain::person::validate_title("title", &input.title, &mut errors);
        validate_password("password", &input.password, &mut errors);
        errors.into_result()?;
        let (email, tz) = (email.expect("checked"), tz.expect("checked"));
        let hash = hash_password(input.password).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        people::lock_setup_tx(&mut tx).await?;
        if only_if_first && people::count_admins_tx(&mut tx).await? > 0 {
            return Err(AppError::Invalid(Invalid::one("setup", "rapport is already set up. Sign in, or ask an admin for an invitation.")));
        }
        let id = PersonId(Uuid::now_v7());
        let new = people::NewPerson {
            id,
            name,
            email: email.original,
            email_lower: email.lower,
            title,
            timezone: tz.0,
            manager_id: None,
            is_admin: true,
            password_hash: Some(hash),
        };
        if let Err(e) = people::insert(&mut tx, &new, now).await {
            return Err(if e.is_unique_violation() {
                Invalid::one("email", "Someone with this e-mail address is already in rapport.").into()
            } else {
                e.into()
            });
        }
        tx.commit().await?;
        people::get(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    /// Checks an e-mail and password and opens a session. Every failure answers the same
    /// way, whether the address exists or not. After `login_max_failures` failures within
    /// the window, the address is paused until the oldest failure leaves the window.
    pub async fn sign_in(&self, email: &str, password: &str) -> AppResult<Session> {
        let email_lower = email.trim().to_lowercase();
        let now = self.clock.now();
        let window = Duration::minutes(self.config.login_window_minutes as i64);
        let (failures, oldest) = accounts::recent_failures(&self.db, &email_lower, now - window).await?;
        if failures >= self.config.login_max_failures as i64 {
            let until = oldest.unwrap_or(now) + window;
            return Err(AppError::Throttled { retry_after_secs: (until - now).num_seconds().max(1) as u64 });
        }
        let found = accounts::password_hash(&self.db, &email_lower).await?;
        let (id, hash) = match found {
            Some((id, hash)) => (Some(id), hash),
            None => (None, None),
        };
        let ok = verify_password(password.to_string(), hash).await;
        accounts::record_login_attempt(&self.db, &email_lower, now, ok).await?;
        match (ok, id) {
            (true, Some(id)) => self.open_session(id).await,
            _ => Err(AppError::Invalid(Invalid::one("password", "That e-mail and password do not match. Check both and try again."))),
        }
    }

    async fn open_session(&self, id: PersonId) -> AppResult<Session> {
        let token = random_token();
        let csrf_token = random_token();
        let now = self.clock.now();
        let expires = now + Duration::days(self.config.session_days as i64);
        accounts::insert_session(&self.db, &token_hash(&token), id, &csrf_token, now, expires).await?;
        let person = people::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        Ok(Session { token, csrf_token, person })
    }

    /// The session behind a cookie, if it is live. Sessions slide: use extends them, written
    /// at most once a day.
    pub async fn session(&self, token: &str) -> AppResult<Option<Session>> {
        let now = self.clock.now();
        let hash = token_hash(token);
        let Some(rec) = accounts::find_session(&self.db, &hash, now).await? else { return Ok(None) };
        let full = Duration::days(self.config.session_days as i64);
        if rec.expires_at - now < full - Duration::days(1) {
            accounts::extend_session(&self.db, &hash, now + full).await?;
        }
        Ok(Some(Session { token: token.to_string(), csrf_token: rec.csrf_token, person: rec.person }))
    }

    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        accounts::delete_session(&self.db, &token_hash(token)).await?;
        Ok(())
    }

    /// Changes the actor's own password. Every other session of theirs is signed out.
    pub async fn change_password(&self, actor: &Person, current: &str, new: &str, keep_session: Option<&str>) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        let stored = accounts::password_hash_by_id(&self.db, actor.id).await?;
        let mut errors = Invalid::default();
        if !verify_password(current.to_string(), stored).await {
            errors.push(FieldError::new("current_password", "This is not your current password."));
        }
        validate_password("new_password", new, &mut errors);
        if current == new && errors.is_empty() {
            errors.push(FieldError::new("new_password", "Choose a password different from the current one."));
        }
        errors.into_result()?;
        let hash = hash_password(new.to_string()).await?;
        let mut tx = self.db.begin().await?;
        accounts::set_password(&mut tx, actor.id, &hash, self.clock.now()).await?;
        accounts::delete_other_sessions(&mut tx, actor.id, keep_session.map(token_hash).as_deref()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An invitation link for someone already in rapport (created by an admin, imported, or
    /// added by their manager with [`App::create_person`]). Admins may invite anyone;
    /// managers, the people who report to them. Inviting again replaces nothing: each link
    /// works once until it expires.
    pub async fn invite(&self, actor: &Person, person_id: PersonId) -> AppResult<Invitation> {
        self.invite_with(actor, person_id, false).await
    }

    /// [`App::invite`], and with `send_email` (and an SMTP server configured) the link is also
    /// e-mailed to the person once the invitation is saved.
    pub async fn invite_with(&self, actor: &Person, person_id: PersonId, send_email: bool) -> AppResult<Invitation> {
        let person = people::get(&self.db, person_id).await?.ok_or(AppError::NotFound)?;
        self.require(actor, &person, Action::Write, Resource::Invitation).await?;
        if person.can_sign_in {
            return Err(Invalid::one(
                "person",
                format!("{} can already sign in. If they forgot their password, an admin can reset it.", person.name),
            )
            .into());
        }
        let token = random_token();
        let now = self.clock.now();
        let expires_at = now + Duration::days(self.config.invitation_days as i64);
        let mut tx = self.db.begin().await?;
        let id = Uuid::now_v7();
        accounts::insert_invitation(&mut tx, id, &token_hash(&token), person.id, actor.id, now, expires_at).await?;
        // The link can go to the person's mailbox too, sent once this commits (rendered only
        // when rapport can send e-mail).
        let mut emailed = false;
        if send_email && self.config.mail.is_some() {
            let link = format!("{}/invite/{token}", self.public_base());
            let expires = expires_at.format("%A %-d %B %Y, %H:%M UTC").to_string();
            let subject = format!("{} invited you to rapport", actor.name);
            let message = mail::render(
                &subject,
                &mail::invitation::Text { subject: &subject, name: &person.name, inviter: &actor.name, expires: &expires, link: &link },
                &mail::invitation::Html { subject: &subject, name: &person.name, inviter: &actor.name, expires: &expires, link: &link },
            )?;
            emailed = self.queue_mail_only(&mut tx, &format!("invitation:{id}"), &person, message).await?;
        }
        tx.commit().await?;
        Ok(Invitation { token, person, expires_at, emailed })
    }

    /// Who an invitation is for, so the page can greet them. Expired and used links are
    /// explained, not hidden: the person holding the link already knows it exists.
    pub async fn invitation(&self, token: &str) -> AppResult<Person> {
        let rec = accounts::find_invitation(&self.db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
        if rec.accepted_at.is_some() {
            return Err(Invalid::one(
                "token",
                "This invitation has been used already. Sign in with the password you chose, or ask for a new invitation.",
            )
            .into());
        }
        if rec.expires_at <= self.clock.now() {
            return Err(Invalid::one("token", "This invitation has expired. Ask the person who invited you for a new one.").into());
        }
        Ok(rec.person)
    }

    /// Sets the invited person's password and signs them in. Works once.
    pub async fn accept_invitation(&self, token: &str, password: &str) -> AppResult<Session> {
        let person = self.invitation(token).await?;
        let mut errors = Invalid::default();
        validate_password("password", password, &mut errors);
        errors.into_result()?;
        let rec = accounts::find_invitation(&self.db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
        let hash = hash_password(password.to_string()).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !accounts::accept_invitation(&mut tx, rec.id, now).await? {
            return Err(Invalid::one("token", "This invitation has been used already.").into());
        }
        accounts::set_password(&mut tx, person.id, &hash, now).await?;
        tx.commit().await?;
        self.open_session(person.id).await
    }

    pub async fn create_token(&self, actor: &Person, name: &str) -> AppResult<NewToken> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Invalid::one("name", "Give the token a name of 1 to 100 characters, such as \"laptop script\".").into());
        }
        let token = format!("{TOKEN_PREFIX}{}", random_token());
        let id = Uuid::now_v7();
        accounts::insert_token(&self.db, id, actor.id, name, &token_hash(&token), self.clock.now()).await?;
        Ok(NewToken { id, name: name.to_string(), token })
    }

    pub async fn list_tokens(&self, actor: &Person) -> AppResult<Vec<accounts::ApiTokenRow>> {
        self.require(actor, actor, Action::Read, Resource::Credentials).await?;
        Ok(accounts::list_tokens(&self.db, actor.id).await?)
    }

    pub async fn revoke_token(&self, actor: &Person, id: Uuid) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        if accounts::revoke_token(&self.db, actor.id, id, self.clock.now()).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// The person behind an API token, if it is live.
    pub async fn authenticate_token(&self, token: &str) -> AppResult<Option<Person>> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        Ok(accounts::find_token(&self.db, &token_hash(token), self.clock.now()).await?)
    }

    /// Housekeeping: expired sessions and old sign-in attempts.
    pub async fn clean_up(&self) -> AppResult<()> {
        let now = self.clock.now();
        accounts::delete_expired_sessions(&self.db, now).await?;
        accounts::forget_login_attempts_before(&self.db, now - Duration::days(1)).await?;
        Ok(())
    }
}
