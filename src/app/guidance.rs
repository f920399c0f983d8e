//! Guidance use cases: the question bank (ours and one's own), favourites, bringing a question
//! or a template into a 1:1 (remembered per pair), import and export of one's own questions,
//! and one's own templates.

use super::{App, AppError, AppResult};
use crate::domain::guidance::{self as g, Purpose, QuestionFormat, QuestionInput, Template};
use crate::domain::meeting::TalkingPoint;
use crate::domain::policy::{Action, Resource};
use crate::domain::template_files::{self as tf, Fill, TemplateFormat};
use crate::domain::{FieldError, Invalid, Person};
use crate::store::guidance::{self as store, OwnQuestion, OwnTemplate, Use};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What the bank page asks for.
#[derive(Debug, Clone, Default)]
pub struct BankFilter {
    /// Words the question must contain (case-insensitive).
    pub q: String,
    pub purpose: Option<Purpose>,
    pub favourites_only: bool,
    /// A series of the actor: questions that pair used are marked and ranked lower.
    pub series_id: Option<Uuid>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BankItem {
    /// `relationship-01` for ours, `own:<id>` for one's own.
    pub key: String,
    pub text: String,
    pub purposes: Vec<Purpose>,
    pub own: bool,
    pub favourite: bool,
    /// When the chosen pair last brought this question into a 1:1.
    pub used_at: Option<DateTime<Utc>>,
}

/// What an import of one's own questions found, and whether it was saved.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct QuestionImport {
    /// How many questions are added (or, in a dry run, would be).
    pub imported: usize,
    /// The file's questions our bank already has: not added, each with its line and our key.
    pub skipped: Vec<g::InBank>,
    /// False for a dry run.
    pub applied: bool,
}

/// A 1:1 series the actor is in, with the other person's name: where a question can go.
#[derive(Debug, Clone)]
pub struct PairChoice {
    pub series_id: Uuid,
    pub other: Person,
}

fn own_key(id: Uuid) -> String {
    format!("own:{id}")
}

impl App {
    /// The series the actor is one of the pair of (active or not).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn guidance_pairs(&self, actor: &Person) -> AppResult<Vec<PairChoice>> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        Ok(self.pairs(actor).await?.into_iter().map(|(series, other)| PairChoice { series_id: series.id, other }).collect())
    }

    /// The actor must be one of the pair of `series_id` (active or not): what the pair used is
    /// theirs. Otherwise not found. One small read, where listing the actor's pairs read every
    /// meeting ahead of them.
    async fn require_in_pair(&self, actor: &Person, series_id: Uuid) -> AppResult<()> {
        let series = crate::store::meetings::get_series(&self.db, series_id).await?.ok_or(AppError::NotFound)?;
        self.require_pair(actor, &series, Action::Read, Resource::SharedMeetingContent)
    }

    /// Our questions and the actor's own, filtered; with a pair chosen, those it used come last.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_bank(&self, actor: &Person, f: &BankFilter) -> AppResult<Vec<BankItem>> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let q = crate::domain::validation::search_query("q", &f.q)?;
        let favs: HashSet<String> = store::favourites(&self.db, actor.id).await?.into_iter().collect();
        let used = match f.series_id {
            Some(s) => self.used_questions(actor, s).await?,
            None => HashMap::new(),
        };
        let mut items: Vec<BankItem> = store::own_questions(&self.db, actor.id)
            .await?
            .into_iter()
            .map(|q| (own_key(q.id), q.text, q.purposes, true))
            .chain(g::bank().iter().map(|q| (q.key.clone(), q.text.clone(), q.purposes.clone(), false)))
            .map(|(key, text, purposes, own)| BankItem {
                favourite: favs.contains(&key),
                used_at: used.get(&key).copied(),
                key,
                text,
                purposes,
                own,
            })
            .collect();
        let words: Vec<String> = q.to_lowercase().split_whitespace().map(String::from).collect();
        items.retain(|i| {
            let t = i.text.to_lowercase();
            words.iter().all(|w| t.contains(w)) && f.purpose.is_none_or(|p| i.purposes.contains(&p)) && (!f.favourites_only || i.favourite)
        });
        // Not yet used first (favourites at the top), then used ones, least recently used first.
        items.sort_by_key(|i| (i.used_at.is_some(), i.used_at, !i.favourite));
        Ok(items)
    }

    /// When each question was last used by the pair of `series_id` (the actor must be one of it).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn used_questions(&self, actor: &Person, series_id: Uuid) -> AppResult<HashMap<String, DateTime<Utc>>> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let uses = self.pair_uses(actor, series_id).await?;
        let mut out = HashMap::new();
        for u in uses {
            if let Some(k) = u.source.strip_prefix("q:") {
                out.entry(k.to_string()).or_insert(u.used_at);
            }
        }
        Ok(out)
    }

    /// Everything the pair brought in from questions and templates, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn pair_uses(&self, actor: &Person, series_id: Uuid) -> AppResult<Vec<Use>> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        self.require_in_pair(actor, series_id).await?;
        Ok(store::uses(&self.db, &[series_id]).await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_own_question(&self, actor: &Person, text: &str, purposes: &[String]) -> AppResult<OwnQuestion> {
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        let input = g::check_question(text, purposes)?;
        if let Some(ours) = g::in_bank(&input.text) {
            return Err(Invalid::one("text", format!("This question is already in the bank as {}; it is not added.", ours.key)).into());
        }
        let existing = store::own_questions(&self.db, actor.id).await?;
        if existing.iter().any(|q| q.text.to_lowercase() == input.text.to_lowercase()) {
            return Err(Invalid::one("text", "You already have this question.").into());
        }
        let q = OwnQuestion {
            id: Uuid::now_v7(),
            owner_id: actor.id,
            text: input.text,
            purposes: input.purposes,
            created_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        store::insert_own_question(&mut tx, &q).await?;
        tx.commit().await?;
        Ok(q)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_own_question(&self, actor: &Person, id: Uuid) -> AppResult<()> {
        let q = store::own_question(&self.db, id).await?.ok_or(AppError::NotFound)?;
        if q.owner_id != actor.id {
            return Err(AppError::NotFound);
        }
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        let mut tx = self.db.begin().await?;
        store::delete_own_question(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A question by key, if the actor may use it (ours, or their own).
    async fn question_for(&self, actor: &Person, key: &str) -> AppResult<(String, Vec<Purpose>)> {
        if let Some(id) = key.strip_prefix("own:") {
            let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
            let q = store::own_question(&self.db, id).await?.filter(|q| q.owner_id == actor.id).ok_or(AppError::NotFound)?;
            return Ok((q.text, q.purposes));
        }
        let q = g::bank_question(key).ok_or(AppError::NotFound)?;
        Ok((q.text.clone(), q.purposes.clone()))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_favourite(&self, actor: &Person, key: &str, on: bool) -> AppResult<()> {
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        self.question_for(actor, key).await?;
        let mut tx = self.db.begin().await?;
        store::set_favourite(&mut tx, actor.id, key, on, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The next 1:1 of a series the actor is in that has not started yet.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn next_meeting_of(&self, actor: &Person, series_id: Uuid) -> AppResult<Uuid> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        self.require_in_pair(actor, series_id).await?;
        let now = self.clock.now();
        let up = self.upcoming_meetings(actor, 200).await?;
        up.into_iter()
            .filter(|u| u.series.id == series_id && u.meeting.starts_at > now)
            .min_by_key(|u| u.meeting.starts_at)
            .map(|u| u.meeting.id)
            .ok_or_else(|| Invalid::one("series_id", "There is no 1:1 coming up with this person. Schedule one first.").into())
    }

    /// Adds a question to the agenda of a meeting (as a talking point by the actor) and
    /// remembers that the pair used it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn use_question(&self, actor: &Person, key: &str, meeting_id: Uuid) -> AppResult<TalkingPoint> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let (text, purposes) = self.question_for(actor, key).await?;
        let point = self.add_point(actor, meeting_id, &text, false).await?;
        self.remember_use(actor, meeting_id, &format!("q:{key}"), &purposes, Some(point.id)).await?;
        Ok(point)
    }

    /// "Add to the agenda of my next 1:1 with …".
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn use_question_next(&self, actor: &Person, key: &str, series_id: Uuid) -> AppResult<(Uuid, TalkingPoint)> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        self.question_for(actor, key).await?;
        let meeting = self.next_meeting_of(actor, series_id).await?;
        Ok((meeting, self.use_question(actor, key, meeting).await?))
    }

    pub(crate) async fn remember_use(
        &self,
        actor: &Person,
        meeting_id: Uuid,
        source: &str,
        purposes: &[Purpose],
        point: Option<Uuid>,
    ) -> AppResult<()> {
        let view = self.meeting_view(actor, meeting_id).await?;
        let u = Use {
            id: Uuid::now_v7(),
            series_id: view.series.id,
            meeting_id,
            source: source.to_string(),
            purposes: purposes.to_vec(),
            point_id: point,
            used_by: actor.id,
            used_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        store::insert_use(&mut tx, &u).await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- import and export ----

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn export_own_questions(&self, actor: &Person, format: QuestionFormat) -> AppResult<String> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let qs: Vec<QuestionInput> = store::own_questions(&self.db, actor.id)
            .await?
            .into_iter()
            .map(|q| QuestionInput { text: q.text, purposes: q.purposes })
            .collect();
        Ok(g::export_questions(&qs, format))
    }

    /// Reads a whole file; any problem (located) and nothing is added. With `apply` false (a
    /// dry run) nothing is written either way.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import_questions(&self, actor: &Person, bytes: &[u8], format: QuestionFormat, apply: bool) -> AppResult<QuestionImport> {
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        let existing: HashSet<String> =
            store::own_questions(&self.db, actor.id).await?.into_iter().map(|q| q.text.to_lowercase()).collect();
        let g::QuestionsPlan { questions: qs, in_bank: skipped } = g::plan_questions(bytes, format, &existing)?;
        if !apply {
            return Ok(QuestionImport { imported: qs.len(), skipped, applied: false });
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        for (i, q) in qs.iter().enumerate() {
            let row = OwnQuestion {
                id: Uuid::now_v7(),
                owner_id: actor.id,
                text: q.text.clone(),
                purposes: q.purposes.clone(),
                created_at: now + chrono::Duration::microseconds(i as i64),
            };
            store::insert_own_question(&mut tx, &row).await?;
        }
        tx.commit().await?;
        Ok(QuestionImport { imported: qs.len(), skipped, applied: true })
    }

    // ---- templates ----

    /// Ours, then the actor's own and the ones admins shared.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn templates(&self, actor: &Person) -> AppResult<Vec<Template>> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let mut out: Vec<Template> = g::templates().to_vec();
        for t in store::templates_for(&self.db, actor.id).await? {
            out.push(Template { key: own_key(t.id), name: t.name, summary: t.summary, prompts: t.prompts });
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn template(&self, actor: &Person, key: &str) -> AppResult<Template> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        self.templates(actor).await?.into_iter().find(|t| t.key == key).ok_or(AppError::NotFound)
    }

    /// A manager's template (theirs alone) or an admin's (offered to everyone).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_template(&self, actor: &Person, name: &str, summary: &str, prompts: &str) -> AppResult<Template> {
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        let (name, summary, prompts) = g::check_template(name, summary, prompts)?;
        let t = OwnTemplate {
            id: Uuid::now_v7(),
            owner_id: actor.id,
            name,
            summary,
            prompts,
            shared: actor.is_admin,
            created_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        store::insert_template(&mut tx, &t).await?;
        tx.commit().await?;
        Ok(Template { key: own_key(t.id), name: t.name, summary: t.summary, prompts: t.prompts })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_template(&self, actor: &Person, key: &str) -> AppResult<()> {
        let id = key.strip_prefix("own:").and_then(|s| Uuid::parse_str(s).ok()).ok_or(AppError::NotFound)?;
        let t = store::own_template(&self.db, id).await?.filter(|t| t.owner_id == actor.id).ok_or(AppError::NotFound)?;
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        let mut tx = self.db.begin().await?;
        store::delete_template(&mut tx, t.id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The actor's own templates as a file that imports back.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn export_own_templates(&self, actor: &Person, format: TemplateFormat) -> AppResult<String> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let mine: Vec<Template> = store::templates_for(&self.db, actor.id)
            .await?
            .into_iter()
            .filter(|t| t.owner_id == actor.id)
            .map(|t| Template { key: own_key(t.id), name: t.name, summary: t.summary, prompts: t.prompts })
            .collect();
        Ok(tf::export_templates(&mine, format))
    }

    /// Reads a whole file of templates; any problem (located) and nothing is added. With
    /// `apply` false only checks. Returns the names of the templates the file holds.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import_own_templates(&self, actor: &Person, bytes: &[u8], format: TemplateFormat, apply: bool) -> AppResult<Vec<String>> {
        self.require(actor, actor, Action::Write, Resource::OwnGuidance).await?;
        let existing: HashSet<String> = store::templates_for(&self.db, actor.id)
            .await?
            .into_iter()
            .filter(|t| t.owner_id == actor.id)
            .map(|t| t.name.to_lowercase())
            .collect();
        let ts = tf::parse_templates(bytes, format, &existing)?;
        if apply {
            let now = self.clock.now();
            let mut tx = self.db.begin().await?;
            for (i, t) in ts.iter().enumerate() {
                let row = OwnTemplate {
                    id: Uuid::now_v7(),
                    owner_id: actor.id,
                    name: t.name.clone(),
                    summary: t.summary.clone(),
                    prompts: t.prompts.clone(),
                    shared: actor.is_admin,
                    created_at: now + chrono::Duration::microseconds(i as i64),
                };
                store::insert_template(&mut tx, &row).await?;
            }
            tx.commit().await?;
        }
        Ok(ts.into_iter().map(|t| t.name).collect())
    }

    /// Fills the agenda of a meeting with a template's prompts, in order, with `{teammate}`,
    /// `{manager}` and `{date}` filled in, skipping prompts the agenda already has word for word.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn apply_template(&self, actor: &Person, key: &str, meeting_id: Uuid) -> AppResult<Vec<TalkingPoint>> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let t = self.template(actor, key).await?;
        let view = self.meeting_view(actor, meeting_id).await?;
        if view.meeting.is_over(self.clock.now()) {
            return Err(Invalid(vec![FieldError::new("meeting", "This 1:1 is over; apply the template to the next one.")]).into());
        }
        let have: HashSet<String> = view.points.iter().map(|p| p.body.to_lowercase()).collect();
        let day = view.meeting.starts_at.with_timezone(&view.series.schedule.tz).date_naive();
        let fill = Fill::new(&view.teammate.name, &view.manager.name, day);
        let mut out = vec![];
        let mut all: Vec<Purpose> = vec![];
        for p in &t.prompts {
            let text = fill.apply(&p.text);
            if have.contains(&text.to_lowercase()) {
                continue;
            }
            out.push(self.add_point(actor, meeting_id, &text, false).await?);
            for x in &p.purposes {
                if !all.contains(x) {
                    all.push(*x);
                }
            }
        }
        if !out.is_empty() {
            self.remember_use(actor, meeting_id, &format!("t:{}", t.key), &all, None).await?;
        }
        Ok(out)
    }

    // ---- the prep view ----

    /// What the prep view adds for one meeting: suggestions with reasons, computed from the
    /// pair's history (purposes touched by the questions and templates it used, topics carried
    /// over again and again, the ratings of its past meetings), questions not yet asked, and the
    /// templates that can fill the agenda.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn prep_guidance(&self, actor: &Person, meeting_id: Uuid) -> AppResult<PrepGuidance> {
        self.require(actor, actor, Action::Read, Resource::OwnGuidance).await?;
        let view = self.meeting_view(actor, meeting_id).await?;
        let series = view.series.id;
        let now = self.clock.now();
        let uses = self.pair_uses(actor, series).await?;
        let past = crate::store::meetings::history(&self.db, series, view.meeting.starts_at, 24).await?;
        let ratings: Vec<i64> = past.iter().rev().filter_map(|m| m.rating).collect();
        let carried_points: Vec<_> = view.points.iter().filter(|p| p.carried_from.is_some() && !p.recurring).collect();
        let origins: Vec<Uuid> = carried_points.iter().map(|p| p.origin_id).collect();
        let lengths = store::chain_lengths(&self.db, series, &origins, view.meeting.starts_at).await?;
        let carried: Vec<(String, u32)> = carried_points
            .iter()
            .map(|p| {
                let n = lengths.iter().find(|(o, _)| *o == p.origin_id).map(|(_, n)| *n).unwrap_or(1);
                (p.body.clone(), (n - 1).max(0) as u32)
            })
            .collect();
        // The pulses given up to this 1:1's own (read by the pair only: none in a skip-level
        // series); what they say is suggested to the manager, who asks about it.
        let pulses = self.pulses_if_allowed(actor, &view.series, Some(view.meeting.starts_at + chrono::Duration::seconds(1))).await?;
        let history = g::PairHistory {
            now,
            started: view.series.created_at.min(past.last().map(|m| m.starts_at).unwrap_or(view.series.created_at)),
            touched: uses.iter().map(|u| (u.used_at, u.purposes.clone())).collect(),
            ratings,
            carried,
            // Only the teammate's manager gets anything here: the about page is theirs alone.
            about: self.about_facts(actor, &view.teammate).await?,
            pulse: if view.series.manager_id == actor.id { self.pulse_signals(&pulses) } else { vec![] },
        };
        let t = &self.config.guidance;
        let suggestions = g::suggest(&history, t);
        let carried_again = history.carried.iter().filter(|(_, n)| *n >= t.carried_times.max(1)).map(|(b, _)| b.clone()).collect();
        // Questions for the purpose most overdue, else the one touched longest ago.
        let focus = suggestions.iter().find_map(|s| s.purpose).unwrap_or_else(|| {
            Purpose::ALL
                .into_iter()
                .min_by_key(|p| uses.iter().filter(|u| u.purposes.contains(p)).map(|u| u.used_at).max())
                .unwrap_or(Purpose::Relationship)
        });
        let f = BankFilter { purpose: Some(focus), series_id: Some(series), ..Default::default() };
        let questions = self.question_bank(actor, &f).await?.into_iter().filter(|q| q.used_at.is_none()).take(5).collect();
        let templates = self.templates(actor).await?.into_iter().map(|t| (t.key, t.name)).collect();
        Ok(PrepGuidance { suggestions, carried_again, focus, questions, templates, pulses })
    }
}

/// What the prep view adds to a meeting.
#[derive(Debug, Clone)]
pub struct PrepGuidance {
    pub suggestions: Vec<g::Suggestion>,
    /// Topics the suggestions already cover as carried over again and again.
    pub carried_again: HashSet<String>,
    /// The purpose the suggested questions serve.
    pub focus: Purpose,
    pub questions: Vec<BankItem>,
    /// (key, name) of every template the actor may apply.
    pub templates: Vec<(String, String)>,
    /// The pair's latest pulses up to this 1:1's, oldest first (none where the viewer may not
    /// read them).
    pub pulses: Vec<crate::domain::pulse::Pulse>,
}
