//! The kickoff: before the first 1:1 of a series, its manager sends the teammate a note about
//! what the 1:1s are for (drafted by rapport from `content/kickoff.toml`, edited by the
//! manager). It reaches the teammate in the app (on their 1:1s page and the series) and as a
//! message (e-mail, or the in-app inbox when no mail server is set up). A first 1:1 less than a
//! day after the note, or in the teammate's focus hours, gets a warning that says why.

use super::messages::to_tz;
use super::{App, AppError, AppResult, mail};
use crate::domain::kickoff::{self as rules, Facts, FocusHours, Timing, Warning};
use crate::domain::meeting::{Meeting, MeetingStatus, Series, SeriesKind, SeriesStatus};
use crate::domain::policy::{self, Action, Relation, Resource, Role};
use crate::domain::text::render_markdown;
use crate::domain::{Invalid, Person};
use crate::store::kickoff::{self as store, KickoffRow};
use crate::store::meetings;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A kickoff note as one of the pair sees it.
#[derive(Debug, Clone)]
pub struct KickoffView {
    pub series: Series,
    pub manager: Person,
    pub teammate: Person,
    /// Whether the viewer is the series' manager (who writes the note).
    pub viewer_is_manager: bool,
    /// As written, with placeholders (for the manager's form).
    pub subject: String,
    pub body: String,
    /// What the teammate reads (or will read): placeholders filled in.
    pub filled_subject: String,
    pub filled_body: String,
    /// `filled_body` as sanitised HTML.
    pub body_html: String,
    /// 0 while nothing has been saved.
    pub version: i64,
    pub sent_at: Option<DateTime<Utc>>,
    /// The manager told them in person instead (nothing was sent).
    pub skipped_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    /// The first 1:1 the note is about: the first one still to come (for a sent note, the first
    /// one after it was sent).
    pub first: Option<Meeting>,
    /// Whether `first` is the series' very first 1:1 (a note written weeks into a series is
    /// about the next one, not the first).
    pub first_of_series: bool,
    /// Whether a sent note reaches the teammate today: they can sign in, or e-mail goes out.
    /// Otherwise it waits in rapport until they have an account.
    pub reaches_teammate: bool,
    /// Why the first 1:1 may take the teammate by surprise (only while it is still to come).
    pub warnings: Vec<Warning>,
}

impl KickoffView {
    pub fn is_sent(&self) -> bool {
        self.sent_at.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    Save,
    Send,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KickoffState {
    Draft,
    Sent(DateTime<Utc>),
    Skipped(DateTime<Utc>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KickoffSummary {
    pub state: KickoffState,
    pub read_at: Option<DateTime<Utc>>,
}

/// Starting 1:1s with several direct reports at once: one schedule (the first meetings one
/// after another from `time` on `first_date`) and one note, filled in for each person.
#[derive(Debug, Clone)]
pub struct TeamStart {
    pub teammate_ids: Vec<crate::domain::PersonId>,
    pub cadence: crate::domain::schedule::Cadence,
    pub first_date: chrono::NaiveDate,
    /// "HH:MM" of the first person's meeting; each next one starts when the one before ends.
    pub time: String,
    pub timezone: String,
    pub duration_minutes: u32,
    pub subject: String,
    pub body: String,
    /// Send the notes at once (otherwise they wait as drafts).
    pub send: bool,
}

/// A note a teammate received, for their 1:1s page.
#[derive(Debug, Clone)]
pub struct Received {
    pub series_id: Uuid,
    pub manager: Person,
    pub subject: String,
    pub sent_at: DateTime<Utc>,
    pub read: bool,
}

impl App {
    fn kickoff_role(actor: &Person, series: &Series) -> Role {
        let relation = if actor.id == series.manager_id {
            Relation::Manager
        } else if actor.id == series.teammate_id {
            Relation::Themselves
        } else {
            Relation::Unrelated
        };
        Role { relation, is_admin: actor.is_admin }
    }

    async fn load_kickoff(&self, actor: &Person, series_id: Uuid, action: Action) -> AppResult<(Series, Option<KickoffRow>)> {
        let series = meetings::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        let stored = store::get(&self.db, series_id).await?;
        let sent = stored.as_ref().is_some_and(|k| k.sent_at.is_some());
        if !policy::allows(Self::kickoff_role(actor, &series), action, Resource::Kickoff { sent }) {
            return Err(AppError::NotFound);
        }
        Ok((series, stored))
    }

    /// The first scheduled 1:1 of a series starting at or after `from`.
    async fn first_meeting(&self, series: Uuid, from: DateTime<Utc>) -> AppResult<Option<Meeting>> {
        Ok(meetings::upcoming(&self.db, series, from, 12).await?.into_iter().find(|m| m.status == MeetingStatus::Scheduled))
    }

    fn kickoff_facts(&self, series: &Series, manager: &Person, teammate: &Person, first: Option<&Meeting>) -> Facts {
        let tz = to_tz(teammate);
        let base = self.public_base();
        let s = &series.schedule;
        let place = format!("{} ({})", s.local_time.format("%H:%M"), s.tz.name());
        Facts {
            name: rules::first_name(&teammate.name),
            manager: manager.name.clone(),
            cadence: if series.kind == SeriesKind::OneOff { "once".into() } else { s.cadence.label().into() },
            when: if series.kind == SeriesKind::OneOff { format!("at {place}") } else { format!("{}s at {place}", s.weekday_name()) },
            first: first.map(|m| m.starts_at.with_timezone(&tz).format("%A %-d %B at %H:%M").to_string()).unwrap_or_else(|| "soon".into()),
            minutes: series.duration_minutes,
            link: match first {
                Some(m) => format!("{base}/meetings/{}", m.id),
                None => format!("{base}/series/{}", series.id),
            },
        }
    }

    async fn kickoff_view_of(&self, actor: &Person, series: Series, stored: Option<KickoffRow>) -> AppResult<KickoffView> {
        let (manager, teammate) = self.pair_people(&series).await?;
        let now = self.clock.now();
        let announced = stored.as_ref().and_then(|k| k.sent_at).unwrap_or(now);
        let first = self.first_meeting(series.id, announced).await?;
        let (subject, body) = match &stored {
            Some(k) => (k.subject.clone(), k.body.clone()),
            None => rules::default_draft(),
        };
        let facts = self.kickoff_facts(&series, &manager, &teammate, first.as_ref());
        let (filled_subject, filled_body) = match &stored {
            Some(KickoffRow { sent_subject: Some(s), sent_body: Some(b), .. }) => (s.clone(), b.clone()),
            _ => (rules::fill(&subject, &facts), rules::fill(&body, &facts)),
        };
        let viewer_is_manager = actor.id == series.manager_id;
        let skipped = stored.as_ref().is_some_and(|k| k.skipped_at.is_some() && k.sent_at.is_none());
        let warnings = match &first {
            Some(m) if viewer_is_manager && m.starts_at > now && series.status == SeriesStatus::Active && !skipped => {
                let focus = store::focus_hours(&self.db, teammate.id).await?;
                rules::warnings(&Timing {
                    announced,
                    first_start: m.starts_at,
                    minutes: m.duration_minutes,
                    teammate_name: &teammate.name,
                    teammate_tz: to_tz(&teammate),
                    focus: focus.as_ref(),
                    manager_tz: to_tz(&manager),
                })
            }
            _ => vec![],
        };
        Ok(KickoffView {
            body_html: render_markdown(&filled_body),
            viewer_is_manager,
            subject,
            body,
            filled_subject,
            filled_body,
            version: stored.as_ref().map_or(0, |k| k.version),
            sent_at: stored.as_ref().and_then(|k| k.sent_at),
            skipped_at: stored.as_ref().and_then(|k| k.skipped_at),
            read_at: stored.as_ref().and_then(|k| k.read_at),
            first_of_series: first
                .as_ref()
                .is_none_or(|m| m.starts_at.with_timezone(&series.schedule.tz).date_naive() <= series.schedule.first_date),
            reaches_teammate: teammate.can_sign_in || self.config.mail.is_some(),
            first,
            warnings,
            series,
            manager,
            teammate,
        })
    }

    /// The kickoff note of a series: for its manager, the draft (ours until they save one) with
    /// the warnings about the first 1:1; for the teammate, the note once it was sent (opening it
    /// marks it read). Anyone else, or the teammate before it is sent: not found.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn kickoff(&self, actor: &Person, series_id: Uuid) -> AppResult<KickoffView> {
        let (series, mut stored) = self.load_kickoff(actor, series_id, Action::Read).await?;
        if actor.id == series.teammate_id
            && let Some(k) = stored.as_mut()
            && k.read_at.is_none()
        {
            let now = self.clock.now();
            let mut tx = self.db.begin().await?;
            store::mark_read(&mut tx, series.id, now).await?;
            tx.commit().await?;
            k.read_at = Some(now);
        }
        self.kickoff_view_of(actor, series, stored).await
    }

    /// The note as its manager edits it: the same view, for someone who may write it. Reading it
    /// this way marks nothing read, so a send or skip (or a form shown again) can start from it
    /// and a refused one changes nothing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn kickoff_draft(&self, actor: &Person, series_id: Uuid) -> AppResult<KickoffView> {
        let (series, stored) = self.load_kickoff(actor, series_id, Action::Write).await?;
        self.kickoff_view_of(actor, series, stored).await
    }

    /// Checks a note as the manager typed it, without saving: the preview and the warnings.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn preview_kickoff(&self, actor: &Person, series_id: Uuid, subject: &str, body: &str) -> AppResult<KickoffView> {
        let (series, stored) = self.load_kickoff(actor, series_id, Action::Write).await?;
        let (subject, body) = rules::check(subject, body)?;
        let version = stored.as_ref().map_or(0, |k| k.version);
        let draft = KickoffRow::draft(series_id, subject, body, actor.id, self.clock.now(), version);
        let mut v = self.kickoff_view_of(actor, series, Some(draft)).await?;
        v.version = version;
        Ok(v)
    }

    /// Saves the manager's draft. `expected_version` is the version they edited (0 for ours).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_kickoff(&self, actor: &Person, series_id: Uuid, subject: &str, body: &str, version: i64) -> AppResult<KickoffView> {
        let loaded = self.load_kickoff(actor, series_id, Action::Write).await?;
        self.write_kickoff(actor, loaded, subject, body, version, Write::Save).await
    }

    /// "I told them in person": nothing is sent, and the warnings stop. The draft is kept, and
    /// can still be sent later.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn skip_kickoff(&self, actor: &Person, series_id: Uuid, subject: &str, body: &str, version: i64) -> AppResult<KickoffView> {
        let loaded = self.load_kickoff(actor, series_id, Action::Write).await?;
        self.write_kickoff(actor, loaded, subject, body, version, Write::Skip).await
    }

    /// Sends the note: saved with its placeholders filled in for the teammate, and queued as a
    /// message to them in the same transaction. A note is sent once; after that it is kept as
    /// they received it. Warnings do not stop it (the manager has seen them on the form).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send_kickoff(&self, actor: &Person, series_id: Uuid, subject: &str, body: &str, version: i64) -> AppResult<KickoffView> {
        let loaded = self.load_kickoff(actor, series_id, Action::Write).await?;
        self.write_kickoff(actor, loaded, subject, body, version, Write::Send).await
    }

    async fn write_kickoff(
        &self,
        actor: &Person,
        (series, stored): (Series, Option<KickoffRow>),
        subject: &str,
        body: &str,
        expected_version: i64,
        how: Write,
    ) -> AppResult<KickoffView> {
        let send = how == Write::Send;
        let series_id = series.id;
        if stored.as_ref().is_some_and(|k| k.sent_at.is_some()) {
            return Err(Invalid::one("body", "This note was sent already; it stays as they received it.").into());
        }
        if send && series.status == SeriesStatus::Ended {
            return Err(Invalid::one("body", "These 1:1s have ended; there is nothing to announce.").into());
        }
        let (subject, body) = rules::check(subject, body)?;
        let now = self.clock.now();
        let (manager, teammate) = self.pair_people(&series).await?;
        let first = self.first_meeting(series.id, now).await?;
        let facts = self.kickoff_facts(&series, &manager, &teammate, first.as_ref());
        let (sent_subject, sent_body) =
            if send { (Some(rules::fill(&subject, &facts)), Some(rules::fill(&body, &facts))) } else { (None, None) };
        let row = KickoffRow {
            series_id,
            subject,
            body,
            sent_subject: sent_subject.clone(),
            sent_body: sent_body.clone(),
            sent_at: send.then_some(now),
            skipped_at: (how == Write::Skip).then_some(now),
            read_at: None,
            updated_by: actor.id,
            updated_at: now,
            version: expected_version.saturating_add(1),
        };
        let mut tx = self.db.begin().await?;
        if !store::save(&mut tx, &row, expected_version).await? {
            return Err(AppError::Conflict(
                "The note was changed (or sent) a moment ago. The page now shows the current version; make your change again.".into(),
            ));
        }
        if let (Some(s), Some(b)) = (sent_subject, sent_body) {
            let link = format!("{}/series/{}/kickoff", self.public_base(), series.id);
            let html = render_markdown(&b);
            let r = mail::kickoff::Mail { body: &b, body_html: &html, manager: &manager.name, link: &link }.render(&s)?;
            let chat = format!("{} wrote to you about your 1:1s: {link}", manager.name);
            self.queue_email(&mut tx, &format!("kickoff:{}", series.id), &teammate, r, None, Some(chat)).await?;
        }
        tx.commit().await?;
        self.kickoff_view_of(actor, series, store::get(&self.db, series_id).await?).await
    }

    /// Where a series' note stands, for its series page: for the manager always, for the
    /// teammate once it was sent; `None` for anyone else (or for a series from before notes).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn kickoff_summary(&self, actor: &Person, series: &Series) -> AppResult<Option<KickoffSummary>> {
        let Some(k) = store::get(&self.db, series.id).await? else { return Ok(None) };
        let sent = k.sent_at.is_some();
        if !policy::allows(Self::kickoff_role(actor, series), Action::Read, Resource::Kickoff { sent }) {
            return Ok(None);
        }
        let state = match (k.sent_at, k.skipped_at) {
            (Some(t), _) => KickoffState::Sent(t),
            (None, Some(t)) => KickoffState::Skipped(t),
            _ => KickoffState::Draft,
        };
        Ok(Some(KickoffSummary { state, read_at: k.read_at }))
    }

    /// The notes the actor received as a teammate, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn received_kickoffs(&self, actor: &Person) -> AppResult<Vec<Received>> {
        let mine: Vec<Series> =
            meetings::series_of_person(&self.db, actor.id).await?.into_iter().filter(|s| s.teammate_id == actor.id).collect();
        let ids: Vec<Uuid> = mine.iter().map(|s| s.id).collect();
        let mut out = vec![];
        for k in store::sent_in(&self.db, &ids).await? {
            let Some(series) = mine.iter().find(|s| s.id == k.series_id) else { continue };
            if !policy::allows(Self::kickoff_role(actor, series), Action::Read, Resource::Kickoff { sent: true }) {
                continue;
            }
            let (manager, _) = self.pair_people(series).await?;
            out.push(Received {
                series_id: k.series_id,
                manager,
                subject: k.sent_subject.unwrap_or(k.subject),
                sent_at: k.sent_at.unwrap_or(k.updated_at),
                read: k.read_at.is_some(),
            });
        }
        Ok(out)
    }

    /// The draft saved for a series that has just started (in its transaction): ours, or the
    /// (checked) note the manager wrote for a whole team.
    pub(crate) async fn draft_kickoff(
        &self,
        tx: &mut crate::store::Tx,
        series: &Series,
        actor: &Person,
        note: Option<(&str, &str)>,
    ) -> AppResult<()> {
        let (subject, body) = match note {
            Some((s, b)) => (s.to_string(), b.to_string()),
            None => rules::default_draft(),
        };
        let row = KickoffRow::draft(series.id, subject, body, actor.id, self.clock.now(), 1);
        store::save(tx, &row, 0).await?;
        Ok(())
    }

    /// Starts regular 1:1s with each chosen direct report, all in one transaction (a problem
    /// with anyone, and nobody's 1:1s start), each with the team's note as its draft; then, when
    /// asked, sends each note. Returns each person's note with its warnings, in order.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn start_team(&self, actor: &Person, t: TeamStart) -> AppResult<Vec<KickoffView>> {
        use crate::app::meetings::SeriesInput;
        let mut errors = Invalid::default();
        let note = rules::check(&t.subject, &t.body);
        if let Err(e) = &note {
            errors.0.extend(e.0.iter().cloned());
        }
        let mut ids: Vec<crate::domain::PersonId> = vec![];
        for id in &t.teammate_ids {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        if ids.is_empty() {
            errors.push(crate::domain::FieldError::new("teammate_ids", "Choose at least one person."));
        }
        let start = chrono::NaiveTime::parse_from_str(t.time.trim(), "%H:%M").ok();
        if start.is_none() {
            errors.push(crate::domain::FieldError::new("time", "Give a time as hours and minutes, for example 09:30."));
        }
        let (Ok((subject, body)), Some(start), true) = (note, start, errors.is_empty()) else { return Err(errors.into()) };
        let step = chrono::Duration::minutes(t.duration_minutes as i64);
        let mut prepared = vec![];
        for (i, id) in ids.iter().enumerate() {
            let (time, wrapped) = start.overflowing_add_signed(step * i as i32);
            if wrapped != 0 {
                return Err(Invalid::one(
                    "time",
                    "One after another, these 1:1s run past midnight. Start earlier, or choose fewer people.",
                )
                .into());
            }
            let input = SeriesInput {
                teammate_id: *id,
                kind: SeriesKind::Regular,
                cadence: t.cadence,
                first_date: t.first_date,
                time: time.format("%H:%M").to_string(),
                timezone: t.timezone.clone(),
                duration_minutes: t.duration_minutes,
            };
            match self.prepare_series(actor, input).await {
                Ok(p) => prepared.push(p),
                Err(AppError::NotFound) => {
                    return Err(Invalid::one("teammate_ids", "Choose people who report to you directly.").into());
                }
                Err(e) => return Err(e),
            }
        }
        let mut tx = self.db.begin().await?;
        for (series, teammate) in &prepared {
            self.start_series_in(&mut tx, series, actor, teammate, Some((&subject, &body))).await.map_err(|e| match e {
                AppError::Invalid(i) => {
                    AppError::Invalid(Invalid(i.0.into_iter().map(|f| crate::domain::FieldError::new("teammate_ids", f.message)).collect()))
                }
                e => e,
            })?;
        }
        tx.commit().await?;
        let mut out = vec![];
        for (series, _) in prepared {
            out.push(if t.send {
                self.send_kickoff(actor, series.id, &subject, &body, 1).await?
            } else {
                self.kickoff(actor, series.id).await?
            });
        }
        Ok(out)
    }

    // ---- focus hours ----

    /// A person's focus hours: theirs to set; their manager and the leaders above may see them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn focus_hours(&self, actor: &Person, person: &Person) -> AppResult<Option<FocusHours>> {
        self.require(actor, person, Action::Read, Resource::FocusHours).await?;
        Ok(store::focus_hours(&self.db, person.id).await?)
    }

    /// Sets (or, with `None`, clears) the actor's own focus hours.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_focus_hours(&self, actor: &Person, hours: Option<&FocusHours>) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::FocusHours).await?;
        let mut tx = self.db.begin().await?;
        store::set_focus_hours(&mut tx, actor.id, hours, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}
