//! The first ten 1:1s: starting the program for a pair (or for several at once), running a
//! session in a meeting (its questions join the agenda and the pair's memory), skipping,
//! reordering, marking done, and capturing what a session is for where it belongs.
//!
//! The progress rules are `domain::program`'s; this module only gathers the facts they read.

use super::meetings::MeetingView;
use super::{App, AppError, AppResult};
use crate::domain::meeting::{Meeting, MeetingStatus, Series, SeriesKind, SeriesStatus};
use crate::domain::policy::{self, Action, Relation, Resource, Role};
use crate::domain::program::SavedCapture;
use crate::domain::program::{self as rules, MeetingOutcome, Progress, Session, SessionRecord, SessionStatus, Target};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::meetings as meetings_store;
use crate::store::program::{self as store, ProgramRow};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use uuid::Uuid;

/// One session of a pair's program, as the pair sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub session: &'static Session,
    /// Its number in the pair's order (1-based).
    pub number: usize,
    pub status: SessionStatus,
    /// The meeting it was last run in.
    pub meeting: Option<Meeting>,
    pub captures: Vec<SavedCapture>,
}

/// A pair's program.
#[derive(Debug, Clone)]
pub struct ProgramView {
    pub series: Series,
    pub manager: Person,
    pub teammate: Person,
    pub viewer: PersonId,
    /// None until the manager starts it; the sessions are then shown in the suggested order.
    pub started: Option<ProgramRow>,
    pub sessions: Vec<SessionView>,
    pub progress: Progress,
    /// The manager runs, skips, reorders and marks sessions done.
    pub can_manage: bool,
}

impl ProgramView {
    pub fn next(&self) -> Option<&SessionView> {
        self.progress.next_key.as_ref().and_then(|k| self.sessions.iter().find(|s| &s.session.key == k))
    }
    pub fn session(&self, key: &str) -> Option<&SessionView> {
        self.sessions.iter().find(|s| s.session.key == key)
    }
}

/// A pair on the program overview.
#[derive(Debug, Clone)]
pub struct PairProgram {
    pub series: Series,
    pub other: Person,
    pub i_lead: bool,
    /// None when not started.
    pub progress: Option<Progress>,
    /// The next session's title.
    pub next_title: Option<String>,
}

/// What the meeting page and the prep view show of the program.
#[derive(Debug, Clone)]
pub struct MeetingProgram {
    pub program: ProgramView,
    /// The sessions run in this meeting.
    pub here: Vec<SessionView>,
}

/// What a capture form sends. Which fields count depends on the session's target: a strength
/// (`title`: the strength, `body`: what shows it), expectations (`title`: the plan, `body`: its
/// goals), how to work with me (`section`, `body`), a note (`body`).
#[derive(Debug, Clone, Default)]
pub struct CaptureInput {
    pub meeting_id: Option<Uuid>,
    pub title: String,
    pub body: String,
    pub section: String,
}

const CAPTURE_TITLE_MAX: usize = 200;
const CAPTURE_BODY_MAX: usize = 4000;

fn outcome(m: &Meeting, now: DateTime<Utc>) -> MeetingOutcome {
    outcome_of(m.status, m.ends_at(), now)
}

/// What a meeting a session ran in became, from its status and when it ends.
pub(crate) fn outcome_of(status: MeetingStatus, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> MeetingOutcome {
    match status {
        MeetingStatus::Skipped | MeetingStatus::Cancelled => MeetingOutcome::DidNotHappen,
        MeetingStatus::Held => MeetingOutcome::TookPlace,
        MeetingStatus::Scheduled if ends_at <= now => MeetingOutcome::TookPlace,
        MeetingStatus::Scheduled => MeetingOutcome::Upcoming,
    }
}

fn refused(field: &str, r: rules::Refused) -> AppError {
    AppError::Invalid(Invalid::one(field, r.0))
}

impl App {
    fn program_role(actor: &Person, series: &Series) -> Role {
        let relation = if actor.id == series.teammate_id {
            Relation::Themselves
        } else if actor.id == series.manager_id {
            Relation::Manager
        } else {
            Relation::Unrelated
        };
        Role { relation, is_admin: actor.is_admin }
    }

    /// The series, if the actor may do `action` on its program (regular 1:1s only).
    pub(crate) async fn require_program(&self, actor: &Person, series_id: Uuid, action: Action, resource: Resource) -> AppResult<Series> {
        let series = meetings_store::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        if series.kind != SeriesKind::Regular || !policy::allows(Self::program_role(actor, &series), action, resource) {
            return Err(AppError::NotFound);
        }
        Ok(series)
    }

    /// A pair's program: its sessions in the pair's order with what happened to each.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn program(&self, actor: &Person, series_id: Uuid) -> AppResult<ProgramView> {
        let series = self.require_program(actor, series_id, Action::Read, Resource::Program).await?;
        self.gather_program(actor, series).await
    }

    async fn gather_program(&self, actor: &Person, series: Series) -> AppResult<ProgramView> {
        let (manager, teammate) = self.pair_people(&series).await?;
        let started = store::program(&self.db, series.id).await?;
        self.program_view(actor, series, (manager, teammate), started).await
    }

    /// The program of a pair whose people and program row are already read.
    async fn program_view(
        &self,
        actor: &Person,
        series: Series,
        (manager, teammate): (Person, Person),
        started: Option<ProgramRow>,
    ) -> AppResult<ProgramView> {
        let now = self.clock.now();
        let rows = if started.is_some() { store::sessions(&self.db, series.id).await? } else { vec![] };
        let captures = if started.is_some() { store::captures(&self.db, series.id).await? } else { vec![] };
        let mut records = vec![];
        let mut meetings = vec![];
        if started.is_some() {
            for r in &rows {
                let meeting = match r.meeting_id {
                    Some(id) => meetings_store::get_meeting(&self.db, id).await?,
                    None => None,
                };
                records.push(SessionRecord {
                    key: r.key.clone(),
                    position: r.position,
                    skipped: r.skipped_at.is_some(),
                    marked_done: r.done_at.is_some(),
                    meeting: meeting.as_ref().map(|m| outcome(m, now)),
                    captures: captures.iter().filter(|c| c.session_key == r.key).count(),
                });
                meetings.push((r.key.clone(), meeting));
            }
        } else {
            records = rules::fresh();
        }
        let progress = rules::progress(&records);
        let sessions = rules::in_order(&records)
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let session = rules::session(&r.key)?;
                Some(SessionView {
                    session,
                    number: i + 1,
                    status: rules::status(&r),
                    meeting: meetings.iter().find(|(k, _)| *k == r.key).and_then(|(_, m)| m.clone()),
                    captures: captures.iter().filter(|c| c.session_key == r.key).cloned().collect(),
                })
            })
            .collect();
        let can_manage = policy::allows(Self::program_role(actor, &series), Action::Write, Resource::Program);
        Ok(ProgramView { series, manager, teammate, viewer: actor.id, started, sessions, progress, can_manage })
    }

    /// Every regular 1:1 series the actor is in, with its program's progress.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_programs(&self, actor: &Person) -> AppResult<Vec<PairProgram>> {
        let mut out = vec![];
        for (s, other) in self.pairs(actor).await? {
            if s.kind != SeriesKind::Regular {
                continue;
            }
            let series = self.require_program(actor, s.id, Action::Read, Resource::Program).await?;
            let view = self.gather_program(actor, series).await?;
            let next_title = view.next().map(|n| n.session.title.clone());
            out.push(PairProgram {
                i_lead: s.manager_id == actor.id,
                progress: view.started.as_ref().map(|_| view.progress.clone()),
                next_title,
                series: s,
                other,
            });
        }
        // The pairs one leads first, then by name.
        out.sort_by(|a, b| b.i_lead.cmp(&a.i_lead).then_with(|| a.other.name.cmp(&b.other.name)));
        Ok(out)
    }

    /// Starts the program for one pair. False when it had started already (nothing changes).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn start_program(&self, actor: &Person, series_id: Uuid) -> AppResult<bool> {
        self.require_program(actor, series_id, Action::Write, Resource::Program).await?;
        Ok(self.start_programs(actor, &[series_id]).await? == 1)
    }

    /// Starts the program for several pairs at once (a manager who inherits a team): every
    /// series is checked first; then all start in one transaction. Pairs that had started are
    /// left as they are. Returns how many started now.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn start_programs(&self, actor: &Person, series_ids: &[Uuid]) -> AppResult<usize> {
        if series_ids.is_empty() {
            return Err(Invalid::one("series_ids", "Choose at least one person to start the program with.").into());
        }
        let mut chosen = vec![];
        for id in series_ids {
            let series = self.require_program(actor, *id, Action::Write, Resource::Program).await?;
            if series.status == SeriesStatus::Ended {
                return Err(Invalid::one("series_ids", "These 1:1s have ended; the program needs 1:1s that go on.").into());
            }
            if !chosen.contains(&series.id) {
                chosen.push(series.id);
            }
        }
        let keys: Vec<String> = rules::sessions().iter().map(|s| s.key.clone()).collect();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut started = 0;
        for id in chosen {
            let row = ProgramRow { series_id: id, started_by: actor.id, started_at: now };
            if store::insert_program(&mut tx, &row, &keys).await? {
                started += 1;
            }
        }
        tx.commit().await?;
        Ok(started)
    }

    /// The program of a series the actor may change (checked by the caller), started, and one of
    /// its sessions.
    async fn managed_session(&self, actor: &Person, series: Series, key: &str) -> AppResult<(ProgramView, SessionStatus)> {
        let view = self.gather_program(actor, series).await?;
        if view.started.is_none() {
            return Err(Invalid::one("program", "Start the program for this pair first.").into());
        }
        let status = view.session(key).map(|s| s.status).ok_or(AppError::NotFound)?;
        Ok((view, status))
    }

    /// Runs a session in a meeting of the pair still to come (the next one when none is
    /// chosen): its questions join the agenda (those already on it are left alone) and are
    /// remembered as used by the pair. Returns the meeting and how many questions were added.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn run_session(&self, actor: &Person, series_id: Uuid, key: &str, meeting_id: Option<Uuid>) -> AppResult<(Uuid, usize)> {
        let series = self.require_program(actor, series_id, Action::Write, Resource::Program).await?;
        let (view, status) = self.managed_session(actor, series, key).await?;
        rules::can_run(status).map_err(|r| refused("session", r))?;
        let meeting_id = match meeting_id {
            Some(id) => id,
            None => self.next_meeting_of(actor, series_id).await.map_err(|e| match e {
                AppError::Invalid(_) => {
                    AppError::Invalid(Invalid::one("meeting_id", "There is no 1:1 coming up with this person. Schedule one first."))
                }
                e => e,
            })?,
        };
        let now = self.clock.now();
        let meeting = self.meeting_view(actor, meeting_id).await?;
        if meeting.series.id != view.series.id || meeting.meeting.is_over(now) {
            return Err(Invalid::one("meeting_id", "Choose a 1:1 of this pair that is still to come.").into());
        }
        let session = rules::session(key).ok_or(AppError::NotFound)?;
        let mut have: HashSet<String> = meeting.points.iter().map(|p| p.body.to_lowercase()).collect();
        let mut added = 0;
        for q in &session.questions {
            if !have.insert(q.text.to_lowercase()) {
                continue;
            }
            match &q.key {
                Some(k) => {
                    self.use_question(actor, k, meeting_id).await?;
                }
                None => {
                    let point = self.add_point(actor, meeting_id, &q.text, false).await?;
                    self.remember_use(actor, meeting_id, &format!("p:{key}"), &q.purposes, Some(point.id)).await?;
                }
            }
            added += 1;
        }
        let mut tx = self.db.begin().await?;
        store::set_run(&mut tx, series_id, key, meeting_id, now).await?;
        tx.commit().await?;
        Ok((meeting_id, added))
    }

    /// Skips a session, or brings a skipped one back.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn skip_session(&self, actor: &Person, series_id: Uuid, key: &str, skip: bool) -> AppResult<()> {
        let series = self.require_program(actor, series_id, Action::Write, Resource::Program).await?;
        let (_, status) = self.managed_session(actor, series, key).await?;
        rules::can_skip(status, skip).map_err(|r| refused("session", r))?;
        let mut tx = self.db.begin().await?;
        store::set_skipped(&mut tx, series_id, key, skip.then(|| self.clock.now())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a session one place up or down in the pair's order.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn move_session(&self, actor: &Person, series_id: Uuid, key: &str, up: bool) -> AppResult<()> {
        let series = self.require_program(actor, series_id, Action::Write, Resource::Program).await?;
        self.managed_session(actor, series, key).await?;
        let rows = store::sessions(&self.db, series_id).await?;
        let records: Vec<SessionRecord> = rows
            .iter()
            .map(|r| SessionRecord {
                key: r.key.clone(),
                position: r.position,
                skipped: false,
                marked_done: false,
                meeting: None,
                captures: 0,
            })
            .collect();
        let swap = rules::move_session(&records, key, up).map_err(|r| refused("session", r))?;
        let mut tx = self.db.begin().await?;
        // Every position is rewritten from the order, so older ties or gaps heal too.
        let mut order: Vec<String> = rules::in_order(&records).into_iter().map(|r| r.key).collect();
        let (i, j) = (swap[1].1 as usize, swap[0].1 as usize);
        order.swap(i, j);
        for (pos, k) in order.iter().enumerate() {
            store::set_position(&mut tx, series_id, k, pos as i64).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks a session done by hand (it is also done once its meeting took place, or when
    /// something was captured for it).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn mark_session_done(&self, actor: &Person, series_id: Uuid, key: &str) -> AppResult<()> {
        let series = self.require_program(actor, series_id, Action::Write, Resource::Program).await?;
        let (_, status) = self.managed_session(actor, series, key).await?;
        rules::can_mark_done(status).map_err(|r| refused("session", r))?;
        let mut tx = self.db.begin().await?;
        store::set_done(&mut tx, series_id, key, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Captures what a session is for, where it belongs: a strength on the teammate's growth
    /// record, a plan on their growth page, their "how to work with me" page (their own words
    /// into their draft; a manager's into "what my manager noted"), or the meeting's shared
    /// notes. Either of the pair may capture. The landing write and the capture's record are
    /// two commits (like a question and its memory).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn capture(&self, actor: &Person, series_id: Uuid, key: &str, input: CaptureInput) -> AppResult<SavedCapture> {
        let series = self.require_program(actor, series_id, Action::Write, Resource::ProgramCapture).await?;
        let view = self.gather_program(actor, series).await?;
        if view.started.is_none() {
            return Err(Invalid::one("program", "Start the program for this pair first.").into());
        }
        let sv = view.session(key).ok_or(AppError::NotFound)?.clone();
        rules::can_capture(sv.status).map_err(|r| refused("session", r))?;
        let session = sv.session;
        let now = self.clock.now();
        // The meeting: the one given (of this pair), else the one the session was run in.
        let meeting_id = match input.meeting_id {
            Some(id) => {
                let m = self.meeting_view(actor, id).await?;
                if m.series.id != view.series.id {
                    return Err(AppError::NotFound);
                }
                Some(id)
            }
            None => sv.meeting.as_ref().map(|m| m.id),
        };
        let mut errors = Invalid::default();
        let title = input.title.trim().to_string();
        let body = input.body.trim().to_string();
        let target = session.capture.target;
        let needs_title = matches!(target, Target::Strengths | Target::Expectations);
        if needs_title && title.is_empty() {
            errors.push(FieldError::new("title", "Write something here."));
        }
        if title.chars().count() > CAPTURE_TITLE_MAX {
            errors.push(FieldError::new("title", format!("Keep it under {CAPTURE_TITLE_MAX} characters.")));
        }
        if !needs_title && body.is_empty() {
            errors.push(FieldError::new("body", "Write something here."));
        }
        if body.chars().count() > CAPTURE_BODY_MAX {
            errors.push(FieldError::new("body", format!("Keep it under {CAPTURE_BODY_MAX} characters.")));
        }
        let section = rules::work_with_me().section.iter().find(|s| s.key == input.section.trim());
        let landing = match target {
            Target::Strengths => Some(Landing::Strength),
            Target::Expectations => Some(Landing::Plan),
            Target::HowToWorkWithMe => section.map(Landing::Page).or_else(|| {
                errors.push(FieldError::new("section", "Choose the part of the page it belongs to."));
                None
            }),
            Target::Note => meeting_id.map(Landing::Note).or_else(|| {
                errors
                    .push(FieldError::new("meeting_id", "Run this session in a 1:1 first: a note is kept in that meeting's shared notes."));
                None
            }),
        };
        let (Some(landing), true) = (landing, errors.is_empty()) else { return Err(errors.into()) };
        let teammate = view.teammate.id;
        let (summary, section_key, ref_id) = match landing {
            Landing::Strength => {
                let s = self
                    .add_strength(actor, teammate, &title, &body, "")
                    .await
                    .map_err(|e| rename_fields(e, &[("name", "title"), ("evidence", "body")]))?;
                (format!("Strength: {title}"), None, Some(s.id))
            }
            Landing::Plan => {
                let id =
                    self.create_plan(actor, teammate, "growth", &title, &body).await.map_err(|e| rename_fields(e, &[("goals", "body")]))?;
                (format!("Plan: {title}"), None, Some(id))
            }
            Landing::Page(section) => {
                if actor.id == teammate {
                    // Their own words go into their own page, still a draft if it was one. What
                    // the pair sees of the capture never holds those words.
                    self.append_to_work_with_me(actor, &section.key, &body).await?;
                    let first = view.teammate.name.split_whitespace().next().unwrap_or(&view.teammate.name).to_string();
                    (
                        format!("Written into {first}’s own page, under “{}”: theirs to share when they want", section.title),
                        Some(section.key.clone()),
                        None,
                    )
                } else {
                    (body.clone(), Some(section.key.clone()), None)
                }
            }
            Landing::Note(meeting) => {
                self.append_to_shared_note(actor, meeting, &format!("**{}:** {}", session.capture.label, body)).await?;
                (format!("In the shared notes: {body}"), None, None)
            }
        };
        let row = SavedCapture {
            id: Uuid::now_v7(),
            series_id: view.series.id,
            session_key: key.to_string(),
            meeting_id,
            author_id: actor.id,
            target: target.as_str().to_string(),
            summary,
            section: section_key,
            ref_id,
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        store::insert_capture(&mut tx, &row).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Adds a paragraph at the end of a meeting's shared notes (merged with anything saved in
    /// between, like any other save).
    async fn append_to_shared_note(&self, actor: &Person, meeting_id: Uuid, paragraph: &str) -> AppResult<()> {
        for _ in 0..3 {
            let v = self.meeting_view(actor, meeting_id).await?;
            let (body, base) = v.shared_note.map(|n| (n.body, n.version)).unwrap_or_default();
            let text = if body.trim().is_empty() { paragraph.to_string() } else { format!("{}\n\n{paragraph}", body.trim_end()) };
            match self.save_note(actor, meeting_id, false, &text, base).await? {
                super::meetings::NoteSaved::Conflict { .. } => continue,
                _ => return Ok(()),
            }
        }
        Err(AppError::Conflict("The shared notes kept changing while we added this. Try again.".into()))
    }

    /// The program as the meeting page and the prep view show it: None when the meeting's pair
    /// has no program (or it is not a regular 1:1).
    #[tracing::instrument(level = "debug", skip_all)]
    /// The view is the proof that its viewer may read the meeting; it also brings the pair, so
    /// a pair without a program costs one statement.
    pub async fn meeting_program(&self, view: &MeetingView) -> AppResult<Option<MeetingProgram>> {
        let (actor, series, meeting_id) = (view.person(view.viewer), &view.series, view.meeting.id);
        if series.kind != SeriesKind::Regular || !policy::allows(Self::program_role(actor, series), Action::Read, Resource::Program) {
            return Ok(None);
        }
        let started = match &view.fresh {
            Some(f) => f.program.clone(),
            None => store::program(&self.db, series.id).await?,
        };
        let Some(started) = started else { return Ok(None) };
        let pair = (view.manager.clone(), view.teammate.clone());
        let program = self.program_view(actor, series.clone(), pair, Some(started)).await?;
        let here = program.sessions.iter().filter(|s| s.meeting.as_ref().is_some_and(|m| m.id == meeting_id)).cloned().collect();
        Ok(Some(MeetingProgram { program, here }))
    }
}

/// A use case's field errors under the names of the capture form.
fn rename_fields(e: AppError, names: &[(&str, &str)]) -> AppError {
    match e {
        AppError::Invalid(Invalid(list)) => AppError::Invalid(Invalid(
            list.into_iter()
                .map(|mut f| {
                    if let Some((_, to)) = names.iter().find(|(from, _)| *from == f.field) {
                        f.field = (*to).to_string();
                    }
                    f
                })
                .collect(),
        )),
        e => e,
    }
}

/// Where a capture lands, with what that place needs: checked once, then kept.
enum Landing {
    Strength,
    Plan,
    Page(&'static rules::WorkSection),
    Note(Uuid),
}
