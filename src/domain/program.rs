//! The first ten 1:1s: the guided program's sessions (read from `content/program.toml`) and the
//! rules of a pair's progress through them; and the sections of a "how to work with me" page
//! (`content/work_with_me.toml`).
//!
//! Progress rules, in one place:
//! - The sessions keep an order per pair (`position`); a session moves up or down one place at a
//!   time, and not past either end.
//! - A session is **skipped** when someone in the pair said so (it can be brought back). A
//!   skipped session is never done and never next.
//! - A session is **done** when it was marked done, or something was captured for it, or the
//!   meeting it was run in took place (held, or its time is over without being skipped or
//!   cancelled).
//! - A session run in a meeting still to come is **planned**; run in a meeting that was skipped
//!   or cancelled, it is **to do** again.
//! - What is **next**: the first session, in the pair's order, that is to do or planned. The
//!   program is finished when none is left.
//! - A session that is done cannot be run again or skipped; a skipped one cannot be run or
//!   marked done until it is brought back.

use super::PersonId;
use super::guidance::{Purpose, bank_question};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use uuid::Uuid;

/// Where what is captured in a session lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A strength on the teammate's growth record.
    Strengths,
    /// The teammate's "how to work with me" page.
    HowToWorkWithMe,
    /// A plan on the teammate's growth page.
    Expectations,
    /// The meeting's shared notes.
    Note,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Strengths => "strengths",
            Target::HowToWorkWithMe => "how_to_work_with_me",
            Target::Expectations => "expectations",
            Target::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        [Target::Strengths, Target::HowToWorkWithMe, Target::Expectations, Target::Note].into_iter().find(|t| t.as_str() == s)
    }
}

/// A question of a session as written in the content file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    key: Option<String>,
    text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    pub target: Target,
    /// What to capture, in a few words.
    pub label: String,
    /// Where it lands and who sees it.
    pub hint: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession {
    key: String,
    title: String,
    purpose: String,
    purposes: Vec<Purpose>,
    question: Vec<RawQuestion>,
    capture: Capture,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramFile {
    session: Vec<RawSession>,
}

/// A question a session brings into the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SessionQuestion {
    /// The question bank key, when the question comes from the bank.
    pub key: Option<String>,
    pub text: String,
    pub purposes: Vec<Purpose>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Session {
    /// Stable: a pair's progress points at it (`strengths`).
    pub key: String,
    pub title: String,
    /// Why this session, in a sentence or two.
    pub purpose: String,
    pub purposes: Vec<Purpose>,
    pub questions: Vec<SessionQuestion>,
    pub capture: Capture,
}

const PROGRAM_TOML: &str = include_str!("../../content/program.toml");

fn resolve(file: ProgramFile) -> Result<Vec<Session>, String> {
    file.session
        .into_iter()
        .map(|s| {
            let questions = s
                .question
                .iter()
                .map(|q| match (&q.key, &q.text) {
                    (Some(k), None) => bank_question(k)
                        .map(|b| SessionQuestion { key: Some(k.clone()), text: b.text.clone(), purposes: b.purposes.clone() })
                        .ok_or_else(|| format!("session {}: no question {k} in the bank", s.key)),
                    (None, Some(t)) => Ok(SessionQuestion { key: None, text: t.clone(), purposes: s.purposes.clone() }),
                    _ => Err(format!("session {}: a question has either a key or a text", s.key)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Session { key: s.key, title: s.title, purpose: s.purpose, purposes: s.purposes, questions, capture: s.capture })
        })
        .collect()
}

/// The ten sessions, in their suggested order, read once from `content/program.toml` (checked
/// by a unit test: a broken file is a bug in the repository).
pub fn sessions() -> &'static [Session] {
    static S: OnceLock<Vec<Session>> = OnceLock::new();
    S.get_or_init(|| {
        let file: ProgramFile = toml::from_str(PROGRAM_TOML).expect("content/program.toml");
        resolve(file).expect("content/program.toml")
    })
}

pub fn session(key: &str) -> Option<&'static Session> {
    sessions().iter().find(|s| s.key == key)
}

// ---- progress ----

/// What became of the meeting a session was run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingOutcome {
    /// Still to come (or under way).
    Upcoming,
    /// Held, or its time is over and it was neither skipped nor cancelled.
    TookPlace,
    /// Skipped or cancelled.
    DidNotHappen,
}

/// One session of a pair's program, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub key: String,
    pub position: i64,
    pub skipped: bool,
    pub marked_done: bool,
    /// The meeting it was last run in, if any.
    pub meeting: Option<MeetingOutcome>,
    /// How many things were captured for it.
    pub captures: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    ToDo,
    Planned,
    Done,
    Skipped,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::ToDo => "to_do",
            SessionStatus::Planned => "planned",
            SessionStatus::Done => "done",
            SessionStatus::Skipped => "skipped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionStatus::ToDo => "To do",
            SessionStatus::Planned => "In a 1:1 to come",
            SessionStatus::Done => "Done",
            SessionStatus::Skipped => "Skipped",
        }
    }
}

pub fn status(r: &SessionRecord) -> SessionStatus {
    if r.skipped {
        SessionStatus::Skipped
    } else if r.marked_done || r.captures > 0 || r.meeting == Some(MeetingOutcome::TookPlace) {
        SessionStatus::Done
    } else if r.meeting == Some(MeetingOutcome::Upcoming) {
        SessionStatus::Planned
    } else {
        SessionStatus::ToDo
    }
}

/// Sorted by the pair's order (position, then key for a stable answer).
pub fn in_order(records: &[SessionRecord]) -> Vec<SessionRecord> {
    let mut v = records.to_vec();
    v.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.key.cmp(&b.key)));
    v
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub total: usize,
    pub done: usize,
    pub skipped: usize,
    /// The next session's key and its number in the pair's order (1-based).
    pub next_key: Option<String>,
    pub next_number: Option<usize>,
    /// Done and skipped, out of 100.
    pub percent: u32,
    pub finished: bool,
}

pub fn progress(records: &[SessionRecord]) -> Progress {
    let ordered = in_order(records);
    let statuses: Vec<SessionStatus> = ordered.iter().map(status).collect();
    let done = statuses.iter().filter(|s| **s == SessionStatus::Done).count();
    let skipped = statuses.iter().filter(|s| **s == SessionStatus::Skipped).count();
    let next = statuses.iter().position(|s| matches!(s, SessionStatus::ToDo | SessionStatus::Planned));
    let total = ordered.len();
    Progress {
        total,
        done,
        skipped,
        next_key: next.map(|i| ordered[i].key.clone()),
        next_number: next.map(|i| i + 1),
        percent: ((done + skipped) * 100).checked_div(total).unwrap_or(0) as u32,
        finished: next.is_none(),
    }
}

/// The records a new program starts with: every session, in the suggested order.
pub fn fresh() -> Vec<SessionRecord> {
    sessions()
        .iter()
        .enumerate()
        .map(|(i, s)| SessionRecord {
            key: s.key.clone(),
            position: i as i64,
            skipped: false,
            marked_done: false,
            meeting: None,
            captures: 0,
        })
        .collect()
}

/// Why a change to a session is refused (the words people see).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// The new positions after moving `key` one place up or down, as (key, position) for the two
/// sessions that swap.
pub fn move_session(records: &[SessionRecord], key: &str, up: bool) -> Result<[(String, i64); 2], Refused> {
    let ordered = in_order(records);
    let i = ordered.iter().position(|r| r.key == key).ok_or(Refused("There is no such session."))?;
    let j = if up {
        i.checked_sub(1).ok_or(Refused("This session is already the first."))?
    } else if i + 1 < ordered.len() {
        i + 1
    } else {
        return Err(Refused("This session is already the last."));
    };
    // Positions are rewritten as the order's indexes, so gaps or ties left by older data heal.
    Ok([(ordered[i].key.clone(), j as i64), (ordered[j].key.clone(), i as i64)])
}

pub fn can_run(s: SessionStatus) -> Result<(), Refused> {
    match s {
        SessionStatus::Done => Err(Refused("This session is done already.")),
        SessionStatus::Skipped => Err(Refused("This session was skipped. Bring it back first.")),
        _ => Ok(()),
    }
}

pub fn can_skip(s: SessionStatus, skip: bool) -> Result<(), Refused> {
    match (s, skip) {
        (SessionStatus::Done, true) => Err(Refused("This session is done; there is nothing to skip.")),
        (SessionStatus::Skipped, true) => Err(Refused("This session is skipped already.")),
        (SessionStatus::Skipped, false) => Ok(()),
        (_, false) => Err(Refused("This session was not skipped.")),
        _ => Ok(()),
    }
}

pub fn can_mark_done(s: SessionStatus) -> Result<(), Refused> {
    match s {
        SessionStatus::Skipped => Err(Refused("This session was skipped. Bring it back first.")),
        _ => Ok(()),
    }
}

/// Something can be captured for a session unless it was skipped.
pub fn can_capture(s: SessionStatus) -> Result<(), Refused> {
    match s {
        SessionStatus::Skipped => Err(Refused("This session was skipped. Bring it back first.")),
        _ => Ok(()),
    }
}

// ---- "how to work with me" ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkSection {
    pub key: String,
    pub title: String,
    pub prompt: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkWithMeContent {
    pub intro: String,
    pub section: Vec<WorkSection>,
}

const WORK_WITH_ME_TOML: &str = include_str!("../../content/work_with_me.toml");

pub fn work_with_me() -> &'static WorkWithMeContent {
    static W: OnceLock<WorkWithMeContent> = OnceLock::new();
    W.get_or_init(|| toml::from_str(WORK_WITH_ME_TOML).expect("content/work_with_me.toml"))
}

/// The most a section may hold.
pub const SECTION_MAX: usize = 4000;

/// Something a session captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCapture {
    pub id: Uuid,
    pub series_id: Uuid,
    pub session_key: String,
    pub meeting_id: Option<Uuid>,
    pub author_id: PersonId,
    pub target: String,
    pub summary: String,
    pub section: Option<String>,
    pub ref_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_program_has_ten_sessions_with_three_to_five_questions_each() {
        let s = sessions();
        assert_eq!(s.len(), 10);
        let keys: HashSet<_> = s.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys.len(), 10, "keys are unique");
        for x in s {
            assert!((3..=5).contains(&x.questions.len()), "{}: {} questions", x.key, x.questions.len());
            assert!(!x.title.is_empty() && !x.purpose.is_empty() && !x.capture.label.is_empty() && !x.capture.hint.is_empty());
            assert!(!x.purposes.is_empty(), "{}", x.key);
            let texts: HashSet<_> = x.questions.iter().map(|q| q.text.to_lowercase()).collect();
            assert_eq!(texts.len(), x.questions.len(), "{}: a question twice", x.key);
        }
        // The capture targets the issue names all have a session.
        for t in [Target::Strengths, Target::HowToWorkWithMe, Target::Expectations, Target::Note] {
            assert!(s.iter().any(|x| x.capture.target == t), "{t:?}");
            assert_eq!(Target::parse(t.as_str()), Some(t));
        }
        assert_eq!(s[0].key, "getting-to-know");
        assert_eq!(s[9].key, "look-back");
    }

    #[test]
    fn a_session_question_names_a_bank_key_or_gives_its_text_never_both() {
        let bad = |q: &str| {
            let toml = format!(
                "[[session]]\nkey = \"x\"\ntitle = \"X\"\npurpose = \"p\"\npurposes = [\"relationship\"]\n[[session.question]]\n{q}\n[session.capture]\ntarget = \"note\"\nlabel = \"l\"\nhint = \"h\"\n"
            );
            resolve(toml::from_str(&toml).unwrap()).unwrap_err()
        };
        assert!(bad("key = \"no-such-question\"").contains("no question no-such-question"));
        assert!(bad("key = \"relationship-01\"\ntext = \"Both?\"").contains("either a key or a text"));
        // A bank question carries its own purposes; our own text, the session's.
        let strengths = session("strengths").unwrap();
        let q = strengths.questions.iter().find(|q| q.key.as_deref() == Some("strengths-01")).unwrap();
        assert_eq!(q.purposes, bank_question("strengths-01").unwrap().purposes);
        let own = strengths.questions.iter().find(|q| q.key.is_none()).unwrap();
        assert_eq!(own.purposes, strengths.purposes);
    }

    #[test]
    fn the_how_to_work_with_me_page_has_its_five_sections() {
        let w = work_with_me();
        let keys: Vec<_> = w.section.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["communication", "hours", "feedback", "energy", "misunderstood"]);
        assert!(!w.intro.is_empty() && w.section.iter().all(|s| !s.title.is_empty() && !s.prompt.is_empty()));
    }

    fn rec(key: &str, position: i64) -> SessionRecord {
        SessionRecord { key: key.into(), position, skipped: false, marked_done: false, meeting: None, captures: 0 }
    }

    #[test]
    fn done_means_marked_captured_or_its_meeting_took_place() {
        let mut r = rec("a", 0);
        assert_eq!(status(&r), SessionStatus::ToDo);
        r.meeting = Some(MeetingOutcome::Upcoming);
        assert_eq!(status(&r), SessionStatus::Planned);
        r.meeting = Some(MeetingOutcome::DidNotHappen);
        assert_eq!(status(&r), SessionStatus::ToDo, "a skipped or cancelled meeting leaves the session to do");
        r.meeting = Some(MeetingOutcome::TookPlace);
        assert_eq!(status(&r), SessionStatus::Done);
        let mut c = rec("b", 1);
        c.meeting = Some(MeetingOutcome::Upcoming);
        c.captures = 1;
        assert_eq!(status(&c), SessionStatus::Done, "a capture makes it done before the meeting ends");
        let mut m = rec("c", 2);
        m.marked_done = true;
        assert_eq!(status(&m), SessionStatus::Done);
        m.skipped = true;
        assert_eq!(status(&m), SessionStatus::Skipped, "skipped wins");
    }

    #[test]
    fn next_is_the_first_session_in_the_pairs_order_still_to_do() {
        let mut rs = vec![rec("c", 2), rec("a", 0), rec("b", 1)];
        let p = progress(&rs);
        assert_eq!((p.next_key.as_deref(), p.next_number, p.done, p.percent, p.finished), (Some("a"), Some(1), 0, 0, false));
        rs[1].captures = 1; // a done
        rs[2].skipped = true; // b skipped
        let p = progress(&rs);
        assert_eq!((p.next_key.as_deref(), p.next_number, p.done, p.skipped), (Some("c"), Some(3), 1, 1));
        assert_eq!(p.percent, 66);
        // Planned is still next: it has not happened yet.
        rs[0].meeting = Some(MeetingOutcome::Upcoming);
        assert_eq!(progress(&rs).next_key.as_deref(), Some("c"));
        rs[0].meeting = Some(MeetingOutcome::TookPlace);
        let p = progress(&rs);
        assert!(p.finished && p.next_key.is_none() && p.percent == 100);
        // A fresh program starts at session 1 of 10.
        let p = progress(&fresh());
        assert_eq!((p.total, p.next_number, p.next_key.as_deref()), (10, Some(1), Some("getting-to-know")));
    }

    #[test]
    fn sessions_move_one_place_and_not_past_either_end() {
        let rs = vec![rec("a", 0), rec("b", 1), rec("c", 2)];
        assert_eq!(move_session(&rs, "b", true).unwrap(), [("b".to_string(), 0), ("a".to_string(), 1)]);
        assert_eq!(move_session(&rs, "b", false).unwrap(), [("b".to_string(), 2), ("c".to_string(), 1)]);
        assert_eq!(move_session(&rs, "a", true).unwrap_err(), Refused("This session is already the first."));
        assert_eq!(move_session(&rs, "c", false).unwrap_err(), Refused("This session is already the last."));
        assert!(move_session(&rs, "zzz", true).is_err());
        // Ties and gaps in stored positions are settled by the order itself.
        let tied = vec![rec("b", 5), rec("a", 5), rec("c", 9)];
        assert_eq!(move_session(&tied, "c", true).unwrap(), [("c".to_string(), 1), ("b".to_string(), 2)]);
        // After a move, the order (and so what is next) follows it.
        let mut moved = rs.clone();
        for (k, p) in move_session(&rs, "c", true).unwrap() {
            moved.iter_mut().find(|r| r.key == k).unwrap().position = p;
        }
        let keys: Vec<_> = in_order(&moved).into_iter().map(|r| r.key).collect();
        assert_eq!(keys, ["a", "c", "b"]);
        moved[0].marked_done = true;
        assert_eq!(progress(&moved).next_key.as_deref(), Some("c"));
    }

    #[test]
    fn what_can_be_done_to_a_session_depends_on_its_status() {
        use SessionStatus::*;
        assert!(can_run(ToDo).is_ok() && can_run(Planned).is_ok());
        assert!(can_run(Done).is_err() && can_run(Skipped).is_err());
        assert!(can_skip(ToDo, true).is_ok() && can_skip(Planned, true).is_ok());
        assert!(can_skip(Done, true).is_err() && can_skip(Skipped, true).is_err());
        assert!(can_skip(Skipped, false).is_ok() && can_skip(ToDo, false).is_err());
        assert!(can_mark_done(ToDo).is_ok() && can_mark_done(Done).is_ok() && can_mark_done(Skipped).is_err());
        assert!(can_capture(Done).is_ok() && can_capture(Skipped).is_err());
    }
}
