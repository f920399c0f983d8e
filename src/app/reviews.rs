//! Feedback both ways, review periods, review packets and reviews without surprises.
//!
//! Privacy (PRODUCT.md): a feedback draft is its giver's alone; shared feedback is read by the
//! giver, the recipient and the recipient's manager. A packet is read by the person and their
//! manager; a review is written by the manager and read by the person once shared. Skip-level
//! leaders and admins see none of it. Private notes never enter a packet. Refusals are `NotFound`.

use super::access::feedback_resource;
use super::meetings::MeetingView;
use super::{App, AppError, AppResult};
use crate::domain::day::Day;
use crate::domain::policy::{Action, Resource};
use crate::domain::review::{
    self, EvidenceKind, EvidenceRef, Feedback, FeedbackKind, Packet, PacketFeedback, Review, ReviewPeriod, Seen, Statement, StatementKind,
};
use crate::domain::{FieldError, Invalid, Person, PersonId};
use crate::store::reviews as store;
use crate::store::{growth as growth_store, people};
use std::collections::HashMap;
use uuid::Uuid;

/// What a person fills in to give feedback.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct FeedbackInput {
    pub receiver_id: Uuid,
    /// "praise" or "change".
    pub kind: String,
    pub body: String,
    #[serde(default)]
    pub meeting_id: Option<Uuid>,
    /// A competency of the teammate's framework, by name.
    #[serde(default)]
    pub competency: Option<String>,
    #[serde(default)]
    pub plan_id: Option<Uuid>,
    /// Share now (true) or keep as a draft only you see.
    #[serde(default)]
    pub share: bool,
}

/// A piece of feedback with the names of the two people.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FeedbackItem {
    #[serde(flatten)]
    pub feedback: Feedback,
    pub giver_name: String,
    pub receiver_name: String,
}

/// A statement with the no-surprises verdict.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CheckedStatement {
    #[serde(flatten)]
    pub statement: Statement,
    /// Why this point would be new to the person; `None` when it traces to what they heard.
    pub flag: Option<String>,
}

/// A review as one viewer may see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub person_id: Uuid,
    pub person_name: String,
    pub period: ReviewPeriod,
    /// `None` until the manager writes the first statement.
    pub review: Option<Review>,
    pub statements: Vec<CheckedStatement>,
    pub notice_days: i64,
    /// How many statements would be new to the person.
    pub flagged: usize,
    pub can_write: bool,
    pub can_answer: bool,
}

impl App {
    async fn review_subject(&self, id: PersonId) -> AppResult<Person> {
        people::get(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    async fn names(&self, ids: Vec<Uuid>) -> AppResult<HashMap<Uuid, String>> {
        Ok(people::by_ids(&self.db, ids).await?.into_iter().map(|p| (p.id.0, p.name)).collect())
    }

    async fn feedback_items(&self, list: Vec<Feedback>) -> AppResult<Vec<FeedbackItem>> {
        let ids: Vec<Uuid> = list.iter().flat_map(|f| [f.giver_id, f.receiver_id]).collect();
        let names = self.names(ids).await?;
        Ok(list
            .into_iter()
            .map(|f| FeedbackItem {
                giver_name: names.get(&f.giver_id).cloned().unwrap_or_default(),
                receiver_name: names.get(&f.receiver_id).cloned().unwrap_or_default(),
                feedback: f,
            })
            .collect())
    }

    // ---- feedback ----

    /// Whom the actor gives feedback to: their manager (upward) and their direct reports.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_partners(&self, actor: &Person) -> AppResult<(Option<Person>, Vec<Person>)> {
        self.require(actor, actor, Action::Read, Resource::Profile).await?;
        let manager = match actor.manager_id {
            Some(m) => people::get(&self.db, m).await?,
            None => None,
        };
        let reports = people::reports_of(&self.db, Some(actor.id)).await?.into_iter().map(|r| r.person).collect();
        Ok((manager, reports))
    }

    /// Gives feedback to one's manager or one of one's direct reports, as a draft or shared.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn give_feedback(&self, actor: &Person, input: FeedbackInput) -> AppResult<FeedbackItem> {
        let receiver = self.review_subject(PersonId(input.receiver_id)).await?;
        let shared = input.share;
        self.require(actor, &receiver, Action::Write, Resource::Feedback { actor_is_giver: true, actor_is_recipient: false, shared })
            .await?;
        // Feedback runs along a reporting line: down to a direct report, or up to one's manager.
        let downward = receiver.manager_id == Some(actor.id);
        let upward = actor.manager_id == Some(receiver.id);
        if receiver.id == actor.id || !(downward || upward) {
            return Err(AppError::NotFound);
        }
        let teammate = if downward { &receiver } else { actor };
        let mut errors = Invalid::default();
        let kind = FeedbackKind::parse(&input.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "Choose praise or something to change."));
        }
        let body = review::validate_feedback_body(&input.body).unwrap_or_else(|e| {
            errors.0.extend(e.0);
            String::new()
        });
        if let Some(m) = input.meeting_id {
            match self.load_meeting(actor, m, Action::Read).await {
                Ok((s, _)) if s.manager_id.0 != s.teammate_id.0 && [s.manager_id, s.teammate_id].contains(&receiver.id) => {}
                Ok(_) | Err(AppError::NotFound) => {
                    errors.push(FieldError::new("meeting_id", "That 1:1 is not one of yours with this person."))
                }
                Err(e) => return Err(e),
            }
        }
        let competency = input.competency.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        if let Some(c) = &competency {
            let found = match growth_store::person_level(&self.db, teammate.id).await? {
                Some(level) => growth_store::framework_version(&self.db, level.framework_id, None)
                    .await?
                    .and_then(|v| v.framework.competency(c).map(|c| c.name.clone())),
                None => None,
            };
            if found.is_none() {
                errors.push(FieldError::new("competency", "Choose a competency of their framework."));
            }
        }
        if let Some(plan) = input.plan_id
            && growth_store::plan_person(&self.db, plan).await? != Some(teammate.id)
        {
            errors.push(FieldError::new("plan_id", "That plan is not one of theirs."));
        }
        errors.into_result()?;
        let now = self.clock.now();
        let f = Feedback {
            id: Uuid::now_v7(),
            giver_id: actor.id.0,
            receiver_id: receiver.id.0,
            kind: kind.unwrap_or(FeedbackKind::Praise),
            body,
            meeting_id: input.meeting_id,
            competency,
            plan_id: input.plan_id,
            created_at: now,
            shared_at: shared.then_some(now),
        };
        let mut tx = self.db.begin().await?;
        store::insert_feedback(&mut tx, &f).await?;
        tx.commit().await?;
        Ok(self.feedback_items(vec![f]).await?.remove(0))
    }

    /// Shares a draft with its recipient. Only the giver may; sharing twice changes nothing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn share_feedback(&self, actor: &Person, id: Uuid) -> AppResult<FeedbackItem> {
        let f = store::get_feedback(&self.db, id).await?.ok_or(AppError::NotFound)?;
        let receiver = self.review_subject(PersonId(f.receiver_id)).await?;
        let res = Resource::Feedback { actor_is_giver: f.giver_id == actor.id.0, actor_is_recipient: false, shared: f.shared_at.is_some() };
        self.require(actor, &receiver, Action::Write, res).await?;
        let mut tx = self.db.begin().await?;
        store::share_feedback(&mut tx, id, self.clock.now()).await?;
        tx.commit().await?;
        let f = store::get_feedback(&self.db, id).await?.ok_or(AppError::NotFound)?;
        Ok(self.feedback_items(vec![f]).await?.remove(0))
    }

    /// One piece of feedback, if the actor may read it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback(&self, actor: &Person, id: Uuid) -> AppResult<FeedbackItem> {
        let f = store::get_feedback(&self.db, id).await?.ok_or(AppError::NotFound)?;
        let receiver = self.review_subject(PersonId(f.receiver_id)).await?;
        self.require(actor, &receiver, Action::Read, feedback_resource(actor, &f)).await?;
        Ok(self.feedback_items(vec![f]).await?.remove(0))
    }

    /// Feedback the actor gave (drafts included) or received (shared only), newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn my_feedback(&self, actor: &Person) -> AppResult<Vec<FeedbackItem>> {
        self.require(actor, actor, Action::Read, Resource::Feedback { actor_is_giver: false, actor_is_recipient: true, shared: true })
            .await?;
        // Each item as `GET /feedback/{id}` would answer it: drafts are their giver's alone.
        let visible = self.readable_feedback(actor, store::feedback_of(&self.db, actor.id).await?).await?;
        self.feedback_items(visible).await
    }

    /// Feedback recorded in one 1:1: what was shared, and the actor's own drafts.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn meeting_feedback(&self, view: &MeetingView) -> AppResult<Vec<FeedbackItem>> {
        if let Some(kept) = &view.feedback {
            return Ok(kept.clone());
        }
        let actor = view.person(view.viewer);
        let visible = self.readable_feedback(actor, store::feedback_for_meeting(&self.db, view.meeting.id).await?).await?;
        self.feedback_items(visible).await
    }

    // ---- periods ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review_periods(&self, actor: &Person) -> AppResult<Vec<ReviewPeriod>> {
        self.require(actor, actor, Action::Read, Resource::ReviewPeriod).await?;
        Ok(store::periods(&self.db).await?)
    }

    /// Defines a period (admins). Overlapping or inverted periods are refused; nothing changes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_review_period(&self, actor: &Person, name: &str, starts_on: Day, ends_on: Day) -> AppResult<ReviewPeriod> {
        self.require(actor, actor, Action::Write, Resource::ReviewPeriod).await?;
        let mut tx = self.db.begin().await?;
        store::lock_periods(&mut tx).await?;
        let existing = store::periods_tx(&mut tx).await?;
        let (name, s, e) = review::validate_period(name, starts_on, ends_on, &existing)?;
        let p = ReviewPeriod { id: Uuid::now_v7(), name, starts_on: s, ends_on: e };
        store::insert_period(&mut tx, &p, actor.id, self.clock.now()).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// A period by id, or by name (case-insensitive), for the CLI and links.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review_period(&self, actor: &Person, key: &str) -> AppResult<ReviewPeriod> {
        self.require(actor, actor, Action::Read, Resource::ReviewPeriod).await?;
        let found = match Uuid::parse_str(key.trim()) {
            Ok(id) => store::get_period(&self.db, id).await?,
            Err(_) => store::period_by_name(&self.db, key).await?,
        };
        found.ok_or(AppError::NotFound)
    }

    // ---- the packet ----

    /// The review packet for a person and period, compiled from the record. Never private notes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review_packet(&self, actor: &Person, person_id: PersonId, period_id: Uuid) -> AppResult<Packet> {
        let person = self.review_subject(person_id).await?;
        self.require(actor, &person, Action::Read, Resource::ReviewPacket).await?;
        let period = store::get_period(&self.db, period_id).await?.ok_or(AppError::NotFound)?;
        self.build_packet(actor, &person, period).await
    }

    /// What a review's statements may link, for the picker: the packet, and the text of each
    /// shared note in it, each read as the meeting's own page reads it (`load_meeting`), so
    /// the picker never shows what reading the item directly would not.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review_evidence(
        &self,
        actor: &Person,
        person_id: PersonId,
        period_id: Uuid,
    ) -> AppResult<(Packet, HashMap<Uuid, String>)> {
        let packet = self.review_packet(actor, person_id, period_id).await?;
        let mut notes = HashMap::new();
        for m in packet.meetings.iter().filter(|m| m.has_shared_note) {
            match self.load_meeting(actor, m.id, Action::Read).await {
                Ok(_) => {
                    if let Some(n) = crate::store::meetings::get_note(&self.db, m.id, None).await? {
                        notes.insert(m.id, n.body);
                    }
                }
                Err(AppError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((packet, notes))
    }

    /// Compiles the packet as `actor` may see it. Reading the packet is not a licence to read
    /// everything in it: each item passes the check its own direct read makes (feedback as
    /// `GET /feedback/{id}`, a setback as `GET /setbacks/{id}`, growth records as the person's
    /// growth page, 1:1s as the meeting), so a packet never shows what the item's page refuses
    /// (feedback the person gave to their own report is not their manager's to read).
    async fn build_packet(&self, actor: &Person, person: &Person, period: ReviewPeriod) -> AppResult<Packet> {
        let (from, to) = period.bounds();
        let manager = match person.manager_id {
            Some(m) => people::get(&self.db, m).await?,
            None => None,
        };
        let meetings = match &manager {
            Some(m) if self.may_read_pair(actor, m.id, person.id) => store::pair_meetings_in(&self.db, m.id, person.id, from, to).await?,
            _ => Vec::new(),
        };
        let feedback = self.readable_feedback(actor, store::shared_feedback_in(&self.db, person.id, from, to).await?).await?;
        let feedback = self
            .feedback_items(feedback)
            .await?
            .into_iter()
            .map(|i| PacketFeedback {
                direction: if i.feedback.giver_id == person.id.0 { "given".into() } else { "received".into() },
                giver_name: i.giver_name,
                receiver_name: i.receiver_name,
                feedback: i.feedback,
            })
            .collect();
        let growth = self.growth_record_resource(person.id).await?;
        let (plans, assessments, strengths) = if self.may(actor, person, Action::Read, growth).await? {
            let today = self.clock.now().date_naive();
            let plans = review::plans_in(growth_store::plans(&self.db, person.id, today).await?, &period);
            let mut assessments = growth_store::assessments(&self.db, person.id).await?;
            assessments.retain(|a| period.contains(a.created_at));
            let mut strengths = growth_store::strengths(&self.db, person.id).await?;
            strengths.retain(|s| s.created_at < to);
            (plans, assessments, strengths)
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let setbacks = crate::store::about::setbacks_of(&self.db, person.id.0, Some((period.starts_on, period.ends_on))).await?;
        let setbacks = self.readable_setbacks(actor, setbacks).await?;
        Ok(Packet {
            person_id: person.id.0,
            person_name: person.name.clone(),
            manager_name: manager.map(|m| m.name),
            period,
            counts: review::counts(&meetings),
            meetings,
            feedback,
            plans,
            assessments,
            strengths,
            setbacks,
        })
    }

    // ---- the review ----

    fn notice_days(&self) -> i64 {
        self.config.review_notice_days as i64
    }

    /// A person's review for a period: the manager always (empty until written), the person once shared.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review(&self, actor: &Person, person_id: PersonId, period_id: Uuid) -> AppResult<ReviewView> {
        let person = self.review_subject(person_id).await?;
        let period = store::get_period(&self.db, period_id).await?.ok_or(AppError::NotFound)?;
        let existing = store::get_review(&self.db, period.id, person.id).await?;
        let shared = existing.as_ref().is_some_and(|r| r.shared_at.is_some());
        // A review written before a change of manager is the previous manager's (issue 12).
        let written = Some(existing.as_ref().map_or_else(|| self.clock.now(), |r| r.created_at));
        self.require_at(actor, &person, Action::Read, Resource::Review { shared }, written).await?;
        let can_write = !shared && self.require_at(actor, &person, Action::Write, Resource::Review { shared }, written).await.is_ok();
        let can_answer = self.require(actor, &person, Action::Write, Resource::ReviewAnswer { shared }).await.is_ok();
        let statements = match &existing {
            Some(r) => store::statements(&self.db, r.id).await?,
            None => Vec::new(),
        };
        let at = existing.as_ref().and_then(|r| r.shared_at).unwrap_or_else(|| self.clock.now());
        let mut checked = Vec::new();
        for s in statements {
            let mut seen = Vec::new();
            for e in &s.evidence {
                seen.push((*e, self.seen_by(&person, e).await?));
            }
            let flag = review::check_statement(s.kind, &seen, at, self.notice_days());
            checked.push(CheckedStatement { statement: s, flag });
        }
        Ok(ReviewView {
            person_id: person.id.0,
            person_name: person.name.clone(),
            period,
            review: existing,
            flagged: checked.iter().filter(|c| c.flag.is_some()).count(),
            statements: checked,
            notice_days: self.notice_days(),
            can_write,
            can_answer,
        })
    }

    /// What the person reviewed could see of one piece of evidence, and since when.
    async fn seen_by(&self, person: &Person, e: &EvidenceRef) -> AppResult<Seen> {
        Ok(match e.kind {
            EvidenceKind::Feedback => match store::get_feedback(&self.db, e.id).await? {
                Some(f) if f.receiver_id != person.id.0 => Seen::SomeoneElse,
                Some(f) => f.shared_at.map(Seen::Since).unwrap_or(Seen::NotShared),
                None => Seen::NotShared,
            },
            EvidenceKind::Note => match store::shared_note_facts(&self.db, e.id).await? {
                Some((_, teammate, Some(at))) if teammate == person.id => Seen::Since(at),
                Some((_, teammate, None)) if teammate == person.id => Seen::NotShared,
                _ => Seen::SomeoneElse,
            },
            EvidenceKind::Assessment => Seen::NotFeedback,
        })
    }

    /// Checks that the writer may see a piece of evidence (refused like not found otherwise)
    /// and that it is about the person reviewed.
    async fn check_evidence(&self, actor: &Person, person: &Person, e: &EvidenceRef) -> AppResult<Option<FieldError>> {
        let wrong = |what: &str| Some(FieldError::new("evidence", format!("That {what} is not about {}.", person.name)));
        Ok(match e.kind {
            EvidenceKind::Feedback => {
                let f = store::get_feedback(&self.db, e.id).await?.ok_or(AppError::NotFound)?;
                if !self.may_read_feedback(actor, &f).await? {
                    return Err(AppError::NotFound);
                }
                if f.receiver_id != person.id.0 && f.giver_id != person.id.0 { wrong("feedback") } else { None }
            }
            EvidenceKind::Note => {
                let (series, _) = self.load_meeting(actor, e.id, Action::Read).await?;
                match store::shared_note_facts(&self.db, e.id).await? {
                    _ if series.teammate_id != person.id => wrong("1:1"),
                    Some((_, _, Some(_))) => None,
                    _ => Some(FieldError::new("evidence", "That 1:1 has no shared notes.")),
                }
            }
            EvidenceKind::Assessment => {
                let (about, _) = store::assessment_facts(&self.db, e.id).await?.ok_or(AppError::NotFound)?;
                let subject = self.review_subject(about).await?;
                let shared = growth_store::is_shared(&self.db, subject.id).await?;
                self.require(actor, &subject, Action::Read, Resource::GrowthRecord { shared_with_skip_level: shared }).await?;
                if about != person.id { wrong("assessment") } else { None }
            }
        })
    }

    /// Checks what a statement says and links: its kind, its text and evidence the writer may
    /// see about the person (refused like not found otherwise).
    async fn check_statement(
        &self,
        actor: &Person,
        person: &Person,
        kind: &str,
        body: &str,
        evidence: &[String],
    ) -> AppResult<(StatementKind, String, Vec<EvidenceRef>)> {
        let mut errors = Invalid::default();
        let kind = StatementKind::parse(kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "Choose praise, concern or neutral."));
        }
        let body = review::validate_feedback_body(body).unwrap_or_else(|e| {
            errors.0.extend(e.0);
            String::new()
        });
        let mut refs = Vec::new();
        for raw in evidence.iter().filter(|s| !s.trim().is_empty()) {
            match review::parse_evidence(raw) {
                Some(r) => {
                    if let Some(e) = self.check_evidence(actor, person, &r).await? {
                        errors.push(e);
                    }
                    if !refs.contains(&r) {
                        refs.push(r);
                    }
                }
                None => errors.push(FieldError::new("evidence", "Link evidence as feedback:ID, note:MEETING-ID or assessment:ID.")),
            }
        }
        errors.into_result()?;
        Ok((kind.unwrap_or(StatementKind::Neutral), body, refs))
    }

    /// The review a manager is still writing: refused like not found for anyone else, and as a
    /// conflict once it is shared (a shared review no longer changes).
    async fn review_in_writing(&self, actor: &Person, person: &Person, period_id: Uuid) -> AppResult<(ReviewPeriod, Option<Review>)> {
        let period = store::get_period(&self.db, period_id).await?.ok_or(AppError::NotFound)?;
        let existing = store::get_review(&self.db, period.id, person.id).await?;
        let shared = existing.as_ref().is_some_and(|r| r.shared_at.is_some());
        let written = Some(existing.as_ref().map_or_else(|| self.clock.now(), |r| r.created_at));
        self.require_at(actor, person, Action::Write, Resource::Review { shared }, written).await?;
        if shared {
            return Err(AppError::Conflict("This review is shared already; it no longer changes.".into()));
        }
        Ok((period, existing))
    }

    /// Adds a statement to a person's review (their manager), linked to evidence the writer may see.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_statement(
        &self,
        actor: &Person,
        person_id: PersonId,
        period_id: Uuid,
        kind: &str,
        body: &str,
        evidence: &[String],
    ) -> AppResult<Statement> {
        let person = self.review_subject(person_id).await?;
        let (period, _) = self.review_in_writing(actor, &person, period_id).await?;
        let (kind, body, refs) = self.check_statement(actor, &person, kind, body, evidence).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let r = store::ensure_review(&mut tx, period.id, person.id, actor.id, now).await?;
        let mut s = Statement { id: Uuid::now_v7(), review_id: r.id, position: 0, kind, body, evidence: refs, created_at: now };
        s.position = store::insert_statement(&mut tx, &s).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Rewrites a statement of a review not yet shared: its kind, text and evidence.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_statement(
        &self,
        actor: &Person,
        person_id: PersonId,
        period_id: Uuid,
        statement_id: Uuid,
        kind: &str,
        body: &str,
        evidence: &[String],
    ) -> AppResult<Statement> {
        let person = self.review_subject(person_id).await?;
        let (_, review) = self.review_in_writing(actor, &person, period_id).await?;
        let review = review.ok_or(AppError::NotFound)?;
        let mut s = store::statements(&self.db, review.id).await?.into_iter().find(|s| s.id == statement_id).ok_or(AppError::NotFound)?;
        let (kind, body, refs) = self.check_statement(actor, &person, kind, body, evidence).await?;
        (s.kind, s.body, s.evidence) = (kind, body, refs);
        let mut tx = self.db.begin().await?;
        store::update_statement(&mut tx, &s).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Removes a statement from a review not yet shared.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_statement(&self, actor: &Person, person_id: PersonId, period_id: Uuid, statement_id: Uuid) -> AppResult<()> {
        let person = self.review_subject(person_id).await?;
        let (_, review) = self.review_in_writing(actor, &person, period_id).await?;
        let review = review.ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        if !store::delete_statement(&mut tx, review.id, statement_id).await? {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Shares a review with the person (their manager only). Flagged statements do not stop it:
    /// the answer lists them, so the manager knows which points are new to the person.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn share_review(&self, actor: &Person, person_id: PersonId, period_id: Uuid) -> AppResult<ReviewView> {
        let person = self.review_subject(person_id).await?;
        let period = store::get_period(&self.db, period_id).await?.ok_or(AppError::NotFound)?;
        let existing = store::get_review(&self.db, period.id, person.id).await?;
        let shared = existing.as_ref().is_some_and(|r| r.shared_at.is_some());
        let written = Some(existing.as_ref().map_or_else(|| self.clock.now(), |r| r.created_at));
        self.require_at(actor, &person, Action::Write, Resource::Review { shared }, written).await?;
        let Some(r) = existing else {
            return Err(Invalid::one("statements", "Write at least one statement before sharing.").into());
        };
        if !shared {
            let mut tx = self.db.begin().await?;
            if store::share_review(&mut tx, r.id, self.clock.now()).await? {
                // The person hears of it (inbox, and e-mail when configured) once it is shared.
                let link = format!("{}/people/{}/reviews/{}", self.public_base(), person.id, period.id);
                let subject = format!("{} shared your review for {}", actor.name, period.name);
                let message =
                    super::mail::review_shared::Mail { name: &person.name, manager: &actor.name, period: &period.name, link: &link }
                        .render(&subject)?;
                let chat = format!("{subject}: {link}");
                self.queue_email(&mut tx, &format!("review-shared:{}", r.id), &person, message, None, Some(chat)).await?;
            }
            tx.commit().await?;
        }
        self.review(actor, person_id, period_id).await
    }

    /// The person acknowledges a shared review, optionally answering it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn answer_review(&self, actor: &Person, person_id: PersonId, period_id: Uuid, answer: Option<&str>) -> AppResult<ReviewView> {
        let person = self.review_subject(person_id).await?;
        let period = store::get_period(&self.db, period_id).await?.ok_or(AppError::NotFound)?;
        let existing = store::get_review(&self.db, period.id, person.id).await?;
        let shared = existing.as_ref().is_some_and(|r| r.shared_at.is_some());
        self.require(actor, &person, Action::Write, Resource::ReviewAnswer { shared }).await?;
        let r = existing.ok_or(AppError::NotFound)?;
        let answer = match answer.map(str::trim) {
            Some(a) if a.chars().count() > review::BODY_MAX => {
                return Err(Invalid::one("answer", format!("Keep it to {} characters.", review::BODY_MAX)).into());
            }
            other => other.filter(|a| !a.is_empty()),
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        match answer {
            Some(a) => store::answer_review(&mut tx, r.id, a, now).await?,
            None => store::acknowledge_review(&mut tx, r.id, now).await?,
        }
        tx.commit().await?;
        self.review(actor, person_id, period_id).await
    }
}
