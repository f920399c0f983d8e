//! Accounts: the first admin, signing in and out, passwords, invitations and API tokens.

use super::mail;
use super::secrets::{hash_password, random_token, token_hash, verify_password};
use super::{App, AppError, AppResult};
use crate::domain::person::{validate_name, validate_password};
use crate::domain::policy::{Action, Resource};
use crate::domain::{EmailAddress, FieldError, Invalid, Person, PersonId, Zone};
use crate::store::{accounts, people};
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;
use uuid::Uuid;

/// A signed-in browser session, as handed to the web layer.
#[derive(Debug, Clone)]
pub struct Session {
    /// The secret in the cookie. Only its hash is stored.
    pub token: String,
    pub csrf_token: String,
    pub person: Person,
    /// Whether anyone reports to them (the menu offers managers' tools).
    pub leads: bool,
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

/// The part of a client address the throttle counts by: the whole IPv4 address, or the /64
/// network of an IPv6 address (one subscriber usually holds a whole /64).
pub fn client_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// API tokens start with this, so they are recognisable in a leaked config file.
pub const TOKEN_PREFIX: &str = "rpt_";

impl App {
    /// True until the first admin exists: the first visit then shows the setup page.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn needs_setup(&self) -> AppResult<bool> {
        Ok(people::count_admins(&self.db).await? == 0)
    }

    /// Creates the first admin. Refused once any admin exists (use invitations then), so the
    /// setup page cannot be replayed to take over an instance.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_first_admin(&self, input: NewAdmin) -> AppResult<Person> {
        self.create_admin(input, true).await
    }

    /// `rapport admin create`: an admin made from the server's own command line, which is
    /// trusted (whoever runs it can read the database anyway).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_admin(&self, input: NewAdmin, only_if_first: bool) -> AppResult<Person> {
        let mut errors = Invalid::default();
        let name = validate_name("name", &input.name, &mut errors);
        let email = EmailAddress::parse(&input.email).map_err(|m| errors.push(FieldError::new("email", m))).ok();
        let tz = Zone::parse(&input.timezone).map_err(|m| errors.push(FieldError::new("timezone", m))).ok();
        let title = crate::domain::person::validate_title("title", &input.title, &mut errors);
        validate_password("password", &input.password, &mut errors);
        let (Some(email), Some(tz), true) = (email, tz, errors.is_empty()) else { return Err(errors.into()) };
        let hash = hash_password(input.password).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        people::lock_setup_tx(&mut tx).await?;
        if only_if_first && people::count_admins_tx(&mut tx).await? > 0 {
            return Err(AppError::Invalid(Invalid::one("setup", "rapport is already set up. Sign in, or ask an admin for an invitation.")));
        }
        let new = people::NewPerson { is_admin: true, password_hash: Some(hash), ..people::NewPerson::new(name, email, title, tz) };
        let id = new.id;
        App::insert_person(&mut tx, &new, now).await?;
        tx.commit().await?;
        people::get(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    /// Checks an e-mail and password and opens a session. Every failure answers the same
    /// way, whether the address exists or not. See [`App::sign_in_from`].
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_in(&self, email: &str, password: &str) -> AppResult<Session> {
        self.sign_in_from(email, password, None).await
    }

    /// [`App::sign_in`] from a client address (the web layer knows it; the CLI does not).
    /// The attempt is counted before the password is checked: see [`App::reserve_attempt`].
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_in_from(&self, email: &str, password: &str, client: Option<IpAddr>) -> AppResult<Session> {
        let email_lower = email.trim().to_lowercase();
        let attempt = self.reserve_attempt(&email_lower, client).await?;
        let found = accounts::password_hash(&self.db, &email_lower).await?;
        let (id, hash) = match found {
            Some((id, hash)) => (Some(id), hash),
            None => (None, None),
        };
        let ok = verify_password(password.to_string(), hash).await;
        match (ok, id) {
            (true, Some(id)) => {
                accounts::attempt_succeeded(&self.db, attempt).await?;
                self.open_session(id).await
            }
            _ => Err(AppError::Invalid(Invalid::one("password", "That e-mail and password do not match. Check both and try again."))),
        }
    }

    /// The sign-in throttle. Counts the recent failures of the account (`account:<e-mail>`,
    /// since its last success) and of the client address (`client:<address>`, successes or
    /// not), and if both are under their limits records this attempt as failed — all in one
    /// transaction holding both keys, so parallel requests, on any number of instances, cannot
    /// all pass the count before any of them is recorded. The caller then checks the password
    /// and, if it was right, marks the attempt succeeded. Over a limit: `Throttled` until the
    /// oldest counted failure leaves the window.
    async fn reserve_attempt(&self, email_lower: &str, client: Option<IpAddr>) -> AppResult<Uuid> {
        let now = self.clock.now();
        let window = Duration::minutes(self.config.login_window_minutes as i64);
        let mut keys = vec![(format!("account:{email_lower}"), self.config.login_max_failures, true)];
        if let Some(ip) = client {
            keys.push((format!("client:{}", client_key(ip)), self.config.login_max_failures_per_client, false));
        }
        let names: Vec<&str> = keys.iter().map(|(k, _, _)| k.as_str()).collect();
        let mut tx = self.db.begin().await?;
        accounts::lock_throttle_keys(&mut tx, &names).await?;
        for (key, limit, reset) in &keys {
            let (failures, oldest) = accounts::recent_failures_tx(&mut tx, key, now - window, *reset).await?;
            if failures >= *limit as i64 {
                let until = oldest.unwrap_or(now) + window;
                return Err(AppError::Throttled { retry_after_secs: (until - now).num_seconds().max(1) as u64 });
            }
        }
        let attempt = Uuid::now_v7();
        for key in &names {
            accounts::insert_attempt(&mut tx, attempt, key, now).await?;
        }
        tx.commit().await?;
        Ok(attempt)
    }

    async fn open_session(&self, id: PersonId) -> AppResult<Session> {
        let token = random_token();
        let csrf_token = random_token();
        let now = self.clock.now();
        let expires = now + Duration::days(self.config.session_days as i64);
        accounts::insert_session(&self.db, &token_hash(&token), id, &csrf_token, now, expires).await?;
        let rec = accounts::find_session(&self.db, &token_hash(&token), now).await?.ok_or(AppError::NotFound)?;
        Ok(Session { token, csrf_token, person: rec.person, leads: rec.leads })
    }

    /// The session behind a cookie, if it is live. Sessions slide: use extends them, written
    /// at most once a day.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session(&self, token: &str) -> AppResult<Option<Session>> {
        let now = self.clock.now();
        let hash = token_hash(token);
        // Taken before the read: a write committed after it (a sign-out, say) makes what is
        // read below unusable from the cache.
        let writes = crate::store::writes_committed();
        if let Some(s) = self.sessions.get(&hash, writes, now) {
            return Ok(Some(Session { token: token.to_string(), csrf_token: s.csrf_token, person: s.person, leads: s.leads }));
        }
        let Some(rec) = accounts::find_session(&self.db, &hash, now).await? else { return Ok(None) };
        let full = Duration::days(self.config.session_days as i64);
        if rec.expires_at - now < full - Duration::days(1) {
            accounts::extend_session(&self.db, &hash, now + full).await?;
        } else {
            self.sessions.put(hash, writes, now, &rec);
        }
        Ok(Some(Session { token: token.to_string(), csrf_token: rec.csrf_token, person: rec.person, leads: rec.leads }))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        let hash = token_hash(token);
        accounts::delete_session(&self.db, &hash).await?;
        self.sessions.forget(&hash);
        Ok(())
    }

    /// Ends every session of the actor (this one too) and revokes every API token of theirs:
    /// for a lost laptop or a leaked token. Returns how many sessions and tokens ended.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_out_everywhere(&self, actor: &Person) -> AppResult<(u64, u64)> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        let mut tx = self.db.begin().await?;
        let sessions = accounts::delete_all_sessions(&mut tx, actor.id).await?;
        let tokens = accounts::revoke_all_tokens(&mut tx, actor.id, self.clock.now()).await?;
        tx.commit().await?;
        Ok((sessions, tokens))
    }

    /// Changes the actor's own password. Every other session of theirs is signed out; API
    /// tokens keep working ([`App::sign_out_everywhere`] ends those too).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_password(&self, actor: &Person, current: &str, new: &str, keep_session: Option<&str>) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        self.change_password_from(actor, current, new, keep_session, None).await
    }

    /// [`App::change_password`] from a client address. Wrong current passwords are throttled
    /// like sign-ins, on the same counts (a guess is a guess).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_password_from(
        &self,
        actor: &Person,
        current: &str,
        new: &str,
        keep_session: Option<&str>,
        client: Option<IpAddr>,
    ) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        let attempt = self.reserve_attempt(&actor.email.trim().to_lowercase(), client).await?;
        let stored = accounts::password_hash_by_id(&self.db, actor.id).await?;
        let mut errors = Invalid::default();
        if verify_password(current.to_string(), stored).await {
            accounts::attempt_succeeded(&self.db, attempt).await?;
        } else {
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn invite(&self, actor: &Person, person_id: PersonId) -> AppResult<Invitation> {
        self.invite_with(actor, person_id, false).await
    }

    /// [`App::invite`], and with `send_email` (and an SMTP server configured) the link is also
    /// e-mailed to the person once the invitation is saved.
    #[tracing::instrument(level = "debug", skip_all)]
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
        // One live link per person: the newest. Older ones answer that they were replaced.
        accounts::revoke_invitations(&mut tx, person.id, None, now).await?;
        accounts::insert_invitation(&mut tx, id, &token_hash(&token), person.id, actor.id, now, expires_at).await?;
        // The link can go to the person's mailbox too, sent once this commits (rendered only
        // when rapport can send e-mail).
        let mut emailed = false;
        if send_email && self.config.mail.is_some() {
            let link = format!("{}/invite/{token}", self.public_base());
            let expires = expires_at.format("%A %-d %B %Y, %H:%M UTC").to_string();
            let subject = format!("{} invited you to rapport", actor.name);
            let message =
                mail::invitation::Mail { name: &person.name, inviter: &actor.name, expires: &expires, link: &link }.render(&subject)?;
            emailed = self.queue_mail_only(&mut tx, &format!("invitation:{id}"), &person, message).await?;
        }
        tx.commit().await?;
        Ok(Invitation { token, person, expires_at, emailed })
    }

    /// Who an invitation is for, so the page can greet them. Used, replaced and expired links
    /// are explained, not hidden: the person holding the link already knows it exists.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn invitation(&self, token: &str) -> AppResult<Person> {
        let rec = accounts::find_invitation(&self.db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
        self.open_invitation(&rec)?;
        Ok(rec.person)
    }

    /// Why a link no longer works, if it does not.
    fn open_invitation(&self, rec: &accounts::InvitationRecord) -> AppResult<()> {
        let why = if rec.accepted_at.is_some() {
            "it has been used already. Sign in with the password you chose, or ask for a new invitation."
        } else if rec.revoked_at.is_some() {
            "a newer invitation replaced it. Use the newest link you were sent."
        } else if rec.person.can_sign_in {
            "this account is already active. Sign in; if the password is lost, an admin can help."
        } else if rec.expires_at <= self.clock.now() {
            "it has expired. Ask the person who invited you for a new one."
        } else {
            return Ok(());
        };
        Err(Invalid::one("token", format!("This invitation link no longer works: {why}")).into())
    }

    /// Sets the invited person's first password and signs them in. In one transaction: the
    /// link is marked used only if it is still open, the password is set only if the account
    /// has none, and every other link of the person is revoked. So a link works once, two
    /// acceptances racing each other make one winner, and no link ever replaces a password.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn accept_invitation(&self, token: &str, password: &str) -> AppResult<Session> {
        let rec = accounts::find_invitation(&self.db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
        self.open_invitation(&rec)?;
        let mut errors = Invalid::default();
        validate_password("password", password, &mut errors);
        errors.into_result()?;
        let hash = hash_password(password.to_string()).await?;
        let now = self.clock.now();
        let person = rec.person.id;
        let mut tx = self.db.begin().await?;
        let accepted =
            accounts::accept_invitation(&mut tx, rec.id, now).await? && accounts::set_first_password(&mut tx, person, &hash, now).await?;
        if !accepted {
            drop(tx);
            // Someone else got there first: explain with the link's state now.
            let rec = accounts::find_invitation(&self.db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
            self.open_invitation(&rec)?;
            return Err(Invalid::one("token", "This invitation link no longer works: it has been used already.").into());
        }
        accounts::revoke_invitations(&mut tx, person, Some(rec.id), now).await?;
        tx.commit().await?;
        self.open_session(person).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
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

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_tokens(&self, actor: &Person) -> AppResult<Vec<crate::domain::person::ApiToken>> {
        self.require(actor, actor, Action::Read, Resource::Credentials).await?;
        Ok(accounts::list_tokens(&self.db, actor.id).await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_token(&self, actor: &Person, id: Uuid) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::Credentials).await?;
        if accounts::revoke_token(&self.db, actor.id, id, self.clock.now()).await? { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// The person behind an API token, if it is live.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn authenticate_token(&self, token: &str) -> AppResult<Option<Person>> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        Ok(accounts::find_token(&self.db, &token_hash(token), self.clock.now()).await?)
    }

    /// Housekeeping: expired sessions and old sign-in attempts.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn clean_up(&self) -> AppResult<()> {
        let now = self.clock.now();
        accounts::delete_expired_sessions(&self.db, now).await?;
        accounts::forget_login_attempts_before(&self.db, now - Duration::days(1)).await?;
        Ok(())
    }
}
