//! "My practice": a manager's own follow-through, over the last 4, 12 or 52 weeks, per person
//! and overall, each figure with one sentence on what to try next (from `content/practice.toml`).
//! Only counts and dates go in; no content of a 1:1.

use super::PersonId;
use super::guidance::Purpose;
use super::meeting::MeetingStatus;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use uuid::Uuid;

/// The windows a manager can look over, in weeks.
pub const WINDOWS: [u32; 3] = [4, 12, 52];

/// The window asked for, checked: none is 12 weeks; anything but 4, 12 or 52 is refused, naming
/// `weeks`. Shared by one's practice and the organisation's view.
pub fn window(weeks: Option<u32>) -> Result<u32, super::Invalid> {
    let w = weeks.unwrap_or(12);
    if WINDOWS.contains(&w) { Ok(w) } else { Err(super::Invalid::one("weeks", "Choose 4, 12 or 52 weeks.")) }
}

/// Who of the pair changed a 1:1's plan (skipped, cancelled or moved it); `Unknown` for a
/// change made before rapport kept it, or by someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Manager,
    Teammate,
    Unknown,
}

impl By {
    /// From the stored person who made the change, knowing the pair.
    pub fn of(who: Option<Uuid>, manager: Uuid, teammate: Uuid) -> By {
        match who {
            Some(w) if w == manager => By::Manager,
            Some(w) if w == teammate => By::Teammate,
            _ => By::Unknown,
        }
    }
}

/// A 1:1 of one of the manager's pairs.
#[derive(Debug, Clone)]
pub struct MeetingFact {
    pub series: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: MeetingStatus,
    /// Who set the status (meaningful for a skip or cancellation).
    pub status_by: By,
    /// Moved, and by whom.
    pub moved: Option<By>,
    pub rating: Option<i64>,
    /// The topics first added to it (not carried-over copies), and how many of those the
    /// teammate added.
    pub topics: u32,
    pub their_topics: u32,
}

/// The "worth your time?" ratings of a pair's 1:1s in the window before the one looked at,
/// summed: the first of those 1:1s began at `at`.
#[derive(Debug, Clone)]
pub struct RatingsFact {
    pub series: Uuid,
    pub at: DateTime<Utc>,
    pub sum: i64,
    pub count: i64,
}

/// An action item with a due date.
#[derive(Debug, Clone)]
pub struct ActionFact {
    pub series: Uuid,
    pub due: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub help: bool,
    /// The manager owns it.
    pub mine: bool,
}

/// One of the manager's pairs: its series and the teammate.
#[derive(Debug, Clone)]
pub struct PairFact {
    pub series: Uuid,
    pub teammate: PersonId,
    pub name: String,
}

/// What the figures are worked out from, as of `now`.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub now: DateTime<Utc>,
    pub pairs: Vec<PairFact>,
    /// The 1:1s of the window.
    pub meetings: Vec<MeetingFact>,
    /// The ratings of the window before, summed a pair at a time.
    pub ratings_before: Vec<RatingsFact>,
    pub actions: Vec<ActionFact>,
    /// When a question, prompt or template a pair used touched which purposes.
    pub purposes: Vec<(Uuid, DateTime<Utc>, Vec<Purpose>)>,
    /// When feedback was shared between the manager and a teammate (either way).
    pub feedback: Vec<(PersonId, DateTime<Utc>)>,
}

/// A part of a whole: 7 of 8.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Share {
    pub part: u32,
    pub whole: u32,
}

impl Share {
    pub fn ratio(self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 / self.whole as f64)
    }
    fn add(&mut self, other: Share) {
        self.part += other.part;
        self.whole += other.whole;
    }
    /// "7 of 8 (88 %)" or "none".
    pub fn words(self) -> String {
        match self.ratio() {
            Some(r) => format!("{} of {} ({:.0} %)", self.part, self.whole, r * 100.0),
            None => "none due".to_string(),
        }
    }
}

/// How many of some changes the manager asked for, and how many the teammate; the rest were
/// made before rapport kept who made them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChangedBy {
    pub manager: u32,
    pub teammate: u32,
}

impl ChangedBy {
    fn count(&mut self, by: By) {
        match by {
            By::Manager => self.manager += 1,
            By::Teammate => self.teammate += 1,
            By::Unknown => {}
        }
    }
    fn add(&mut self, other: ChangedBy) {
        self.manager += other.manager;
        self.teammate += other.teammate;
    }
    /// Both together.
    pub fn plus(mut self, other: ChangedBy) -> ChangedBy {
        self.add(other);
        self
    }
    /// " (2 by you, 1 by them)", or nothing when neither is known.
    pub fn words(self) -> String {
        let mut parts = vec![];
        if self.manager > 0 {
            parts.push(format!("{} by you", self.manager));
        }
        if self.teammate > 0 {
            parts.push(format!("{} by them", self.teammate));
        }
        if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
    }
}

/// The figures of one pair, or of all of them together, over a window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PairFigures {
    /// 1:1s held (or over and not marked otherwise) of those due.
    pub cadence: Share,
    pub skipped: u32,
    pub cancelled: u32,
    pub moved: u32,
    /// Of those skipped, cancelled and moved, how many each of the two asked for.
    pub skipped_by: ChangedBy,
    pub cancelled_by: ChangedBy,
    pub moved_by: ChangedBy,
    /// Topics the teammate raised, of all topics.
    pub topics: Share,
    /// "How can I help?" items of the manager's done by their date, of those due.
    pub help: Share,
    /// Other actions done by their date, of those due: the manager's, and the teammate's.
    pub my_actions: Share,
    pub their_actions: Share,
    /// The average "worth your time?" rating, and the one of the window before.
    pub rating: Option<f64>,
    pub rating_before: Option<f64>,
    /// Purposes touched in the window.
    pub purposes: Vec<Purpose>,
    /// Days since the last career, feedback and growth conversation (none: never).
    pub since_career: Option<i64>,
    pub since_feedback: Option<i64>,
    pub since_growth: Option<i64>,
}

/// One figure's sentence on what to try next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Advice {
    /// `cadence`, `topics`, `help`, `actions`, `rating`, `purposes` or `since`.
    pub figure: String,
    pub text: String,
}

/// A manager's practice over `weeks`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Practice {
    pub weeks: u32,
    /// The moment the figures are worked out for.
    pub as_of: DateTime<Utc>,
    pub overall: PairFigures,
    /// One row a person, in the order of the pairs given.
    pub people: Vec<PersonFigures>,
    /// Each purpose with the last time any pair touched it (none: never), longest untouched first.
    pub purposes: Vec<(Purpose, Option<DateTime<Utc>>)>,
    pub advice: Vec<Advice>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonFigures {
    #[schema(value_type = uuid::Uuid)]
    pub person_id: PersonId,
    pub name: String,
    pub figures: PairFigures,
}

fn average(v: &[i64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64)
}

/// The average of summed ratings: all their sums over all their counts.
fn ratio<'a>(sums: impl Iterator<Item = &'a RatingsFact>) -> Option<f64> {
    let (sum, count) = sums.fold((0, 0), |(s, c), r| (s + r.sum, c + r.count));
    (count > 0).then(|| sum as f64 / count as f64)
}

fn days(now: DateTime<Utc>, at: Option<DateTime<Utc>>) -> Option<i64> {
    at.map(|a| (now - a).num_days().max(0))
}

const GROWTH: [Purpose; 3] = [Purpose::Competence, Purpose::Strengths, Purpose::Plans];

fn pair_figures(f: &Facts, pair: &PairFact, weeks: u32) -> PairFigures {
    let now = f.now;
    let from = now - Duration::weeks(weeks as i64);
    let before = from - Duration::weeks(weeks as i64);
    let today = now.date_naive();
    let from_day = today - Duration::weeks(weeks as i64);
    let mut out = PairFigures::default();
    let mut ratings = vec![];
    for m in f.meetings.iter().filter(|m| m.series == pair.series && m.starts_at >= from && m.starts_at <= now) {
        out.topics.whole += m.topics;
        out.topics.part += m.their_topics;
        if m.ends_at > now {
            continue;
        }
        match m.status {
            MeetingStatus::Held | MeetingStatus::Scheduled => out.cadence.part += 1,
            MeetingStatus::Skipped => {
                out.skipped += 1;
                out.skipped_by.count(m.status_by);
            }
            MeetingStatus::Cancelled => {
                out.cancelled += 1;
                out.cancelled_by.count(m.status_by);
            }
        }
        out.cadence.whole += 1;
        if let Some(by) = m.moved {
            out.moved += 1;
            out.moved_by.count(by);
        }
        ratings.extend(m.rating);
    }
    out.rating = average(&ratings);
    out.rating_before = ratio(f.ratings_before.iter().filter(|r| r.series == pair.series && r.at >= before && r.at < from));
    for a in f.actions.iter().filter(|a| a.series == pair.series && a.due >= from_day && a.due < today) {
        let kept = Share { part: u32::from(a.done_on.is_some_and(|d| d <= a.due)), whole: 1 };
        match (a.help, a.mine) {
            (true, true) => out.help.add(kept),
            (_, true) => out.my_actions.add(kept),
            (_, false) => out.their_actions.add(kept),
        }
    }
    let touched = |p: &[Purpose]| {
        f.purposes
            .iter()
            .filter(|(s, at, ps)| *s == pair.series && *at <= now && ps.iter().any(|x| p.contains(x)))
            .map(|(_, at, _)| *at)
            .max()
    };
    out.purposes = Purpose::ALL.into_iter().filter(|p| touched(&[*p]).is_some_and(|at| at >= from)).collect();
    out.since_career = days(now, touched(&[Purpose::Career]));
    let feedback = f.feedback.iter().filter(|(who, at)| *who == pair.teammate && *at <= now).map(|(_, at)| *at).max();
    out.since_feedback = days(now, touched(&[Purpose::Feedback]).max(feedback));
    out.since_growth = days(now, touched(&GROWTH));
    out
}

/// The figures over `weeks` (one of [`WINDOWS`]), per person and overall, with their advice.
pub fn practice(f: &Facts, weeks: u32) -> Practice {
    let people: Vec<PersonFigures> =
        f.pairs.iter().map(|p| PersonFigures { person_id: p.teammate, name: p.name.clone(), figures: pair_figures(f, p, weeks) }).collect();
    let mut overall = PairFigures::default();
    let mut ratings = vec![];
    let from = f.now - Duration::weeks(weeks as i64);
    let ours = |series: &Uuid| f.pairs.iter().any(|p| p.series == *series);
    for m in f.meetings.iter().filter(|m| m.ends_at <= f.now && m.starts_at >= from && ours(&m.series)) {
        ratings.extend(m.rating);
    }
    let before = from - Duration::weeks(weeks as i64);
    for p in &people {
        let g = &p.figures;
        overall.cadence.add(g.cadence);
        overall.skipped += g.skipped;
        overall.cancelled += g.cancelled;
        overall.moved += g.moved;
        overall.skipped_by.add(g.skipped_by);
        overall.cancelled_by.add(g.cancelled_by);
        overall.moved_by.add(g.moved_by);
        overall.topics.add(g.topics);
        overall.help.add(g.help);
        overall.my_actions.add(g.my_actions);
        overall.their_actions.add(g.their_actions);
        for purpose in &g.purposes {
            if !overall.purposes.contains(purpose) {
                overall.purposes.push(*purpose);
            }
        }
    }
    // Overall, the person waited on longest (never, when someone never had one).
    let longest = |pick: fn(&PairFigures) -> Option<i64>| {
        people.iter().map(|p| pick(&p.figures)).try_fold(0, |acc, d| d.map(|d| acc.max(d))).filter(|_| !people.is_empty())
    };
    overall.since_career = longest(|g| g.since_career);
    overall.since_feedback = longest(|g| g.since_feedback);
    overall.since_growth = longest(|g| g.since_growth);
    overall.purposes.sort();
    overall.rating = average(&ratings);
    overall.rating_before = ratio(f.ratings_before.iter().filter(|r| ours(&r.series) && r.at >= before && r.at < from));
    let series: Vec<Uuid> = f.pairs.iter().map(|p| p.series).collect();
    let mut purposes: Vec<(Purpose, Option<DateTime<Utc>>)> = Purpose::ALL
        .into_iter()
        .map(|p| {
            let last =
                f.purposes.iter().filter(|(s, at, ps)| series.contains(s) && *at <= f.now && ps.contains(&p)).map(|(_, at, _)| *at).max();
            (p, last)
        })
        .collect();
    purposes.sort_by_key(|(p, last)| (*last, *p));
    let advice = advice(&overall, &people, &purposes, weeks);
    Practice { weeks, as_of: f.now, overall, people, purposes, advice }
}

/// A number of days as people say it: "today", "3 days ago", "5 weeks ago", "never".
pub fn days_ago(days: Option<i64>) -> String {
    match days {
        None => "never".into(),
        Some(0) => "today".into(),
        Some(1) => "yesterday".into(),
        Some(d) if d < 14 => format!("{d} days ago"),
        Some(d) => format!("{} weeks ago", d / 7),
    }
}

/// An average rating in words: "4.2" or "none".
pub fn rating_words(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.1}")).unwrap_or_else(|| "none".into())
}

/// The per-person table as CSV (every cell made safe for spreadsheets), with a last row for
/// everyone together.
pub fn csv(p: &Practice) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let header = [
        "person",
        "weeks",
        "1:1s held",
        "1:1s due",
        "skipped",
        "skipped by you",
        "skipped by them",
        "cancelled",
        "cancelled by you",
        "cancelled by them",
        "moved",
        "moved by you",
        "moved by them",
        "topics by them",
        "topics",
        "help kept on time",
        "help due",
        "your actions on time",
        "your actions due",
        "their actions on time",
        "their actions due",
        "average rating",
        "purposes covered",
        "days since career",
        "days since feedback",
        "days since growth",
    ];
    let _ = w.write_record(header);
    let rows = p.people.iter().map(|r| (r.name.as_str(), &r.figures)).chain([("Everyone", &p.overall)]);
    for (name, g) in rows {
        let n = |v: u32| v.to_string();
        let d = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let record = [
            super::csv_cells::escape(name),
            p.weeks.to_string(),
            n(g.cadence.part),
            n(g.cadence.whole),
            n(g.skipped),
            n(g.skipped_by.manager),
            n(g.skipped_by.teammate),
            n(g.cancelled),
            n(g.cancelled_by.manager),
            n(g.cancelled_by.teammate),
            n(g.moved),
            n(g.moved_by.manager),
            n(g.moved_by.teammate),
            n(g.topics.part),
            n(g.topics.whole),
            n(g.help.part),
            n(g.help.whole),
            n(g.my_actions.part),
            n(g.my_actions.whole),
            n(g.their_actions.part),
            n(g.their_actions.whole),
            g.rating.map(|r| format!("{r:.2}")).unwrap_or_default(),
            g.purposes.len().to_string(),
            d(g.since_career),
            d(g.since_feedback),
            d(g.since_growth),
        ];
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[derive(Deserialize)]
struct Phrase {
    #[serde(default)]
    below: Option<f64>,
    #[serde(default)]
    above: Option<i64>,
    low: String,
    /// Instead of `low`, when the manager asked for most of the changes (cadence only).
    #[serde(default)]
    yours: Option<String>,
    fine: String,
    none: String,
}

const PRACTICE_TOML: &str = include_str!("../../content/practice.toml");

fn phrases() -> &'static std::collections::BTreeMap<String, Phrase> {
    static P: OnceLock<std::collections::BTreeMap<String, Phrase>> = OnceLock::new();
    P.get_or_init(|| toml::from_str(PRACTICE_TOML).expect("content/practice.toml"))
}

fn advice(o: &PairFigures, people: &[PersonFigures], purposes: &[(Purpose, Option<DateTime<Utc>>)], weeks: u32) -> Vec<Advice> {
    let window = format!("{weeks} weeks");
    let longest = purposes.first().map(|(p, _)| p.label().to_string()).unwrap_or_default();
    let fill = |s: &str| s.replace("{weeks}", &window).replace("{purpose}", &longest);
    let say = |figure: &str, value: Option<f64>| {
        let ph = &phrases()[figure];
        let text = match value {
            None => &ph.none,
            Some(v) if v < ph.below.unwrap_or(0.0) => &ph.low,
            Some(_) => &ph.fine,
        };
        Advice { figure: figure.to_string(), text: fill(text) }
    };
    let mut actions = o.my_actions;
    actions.add(o.their_actions);
    let covered = (!people.is_empty()).then(|| o.purposes.len() as f64 / Purpose::ALL.len() as f64);
    let since = {
        let ph = &phrases()["since"];
        let limit = ph.above.unwrap_or(8) * 7;
        let waited = people.iter().any(|p| {
            let g = &p.figures;
            [g.since_career, g.since_feedback, g.since_growth].iter().any(|d| d.is_none_or(|d| d > limit))
        });
        let text = if people.is_empty() {
            &ph.none
        } else if waited {
            &ph.low
        } else {
            &ph.fine
        };
        Advice { figure: "since".into(), text: fill(text) }
    };
    let cadence = {
        let mut a = say("cadence", o.cadence.ratio());
        let mine = o.skipped_by.manager + o.cancelled_by.manager + o.moved_by.manager;
        let theirs = o.skipped_by.teammate + o.cancelled_by.teammate + o.moved_by.teammate;
        let ph = &phrases()["cadence"];
        if let (Some(yours), true) = (&ph.yours, a.text == fill(&ph.low) && mine > theirs) {
            a.text = fill(yours);
        }
        a
    };
    vec![
        cadence,
        say("topics", o.topics.ratio()),
        say("help", o.help.ratio()),
        say("actions", actions.ratio()),
        say("rating", o.rating),
        say("purposes", covered),
        since,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z").unwrap().to_utc() - Duration::days(days_ago)
    }

    #[test]
    fn the_figures_of_a_small_history_are_counted_per_window() {
        let s = Uuid::from_u128(1);
        let tm = PersonId(Uuid::from_u128(2));
        // Topics (all, theirs): two at the 1:1 three days ago (one theirs), one of theirs 17 days
        // ago, one of the manager's 60 days ago.
        let topics = |days_ago: i64| match days_ago {
            3 => (2, 1),
            17 => (1, 1),
            60 => (1, 0),
            _ => (0, 0),
        };
        let meeting = |days_ago: i64, status: MeetingStatus, moved: Option<By>, rating: Option<i64>| MeetingFact {
            series: s,
            starts_at: at(days_ago),
            ends_at: at(days_ago) + Duration::minutes(30),
            status,
            // The teammate asked for the skip; nobody is recorded for the cancellation.
            status_by: if status == MeetingStatus::Skipped { By::Teammate } else { By::Unknown },
            moved,
            rating,
            topics: topics(days_ago).0,
            their_topics: topics(days_ago).1,
        };
        let today = at(0).date_naive();
        let f = Facts {
            now: at(0),
            pairs: vec![PairFact { series: s, teammate: tm, name: "Tom".into() }],
            meetings: vec![
                meeting(3, MeetingStatus::Held, None, Some(4)),
                meeting(10, MeetingStatus::Skipped, None, None),
                meeting(17, MeetingStatus::Held, Some(By::Manager), Some(2)),
                meeting(40, MeetingStatus::Cancelled, None, None),
                meeting(60, MeetingStatus::Held, None, Some(5)),
                // Still to come: not counted.
                meeting(-4, MeetingStatus::Scheduled, Some(By::Teammate), None),
            ],
            // As the store sums them, here one 1:1 at a time: every rating given.
            ratings_before: [(3, 4), (17, 2), (60, 5)]
                .map(|(days_ago, rating)| RatingsFact { series: s, at: at(days_ago), sum: rating, count: 1 })
                .to_vec(),
            actions: vec![
                ActionFact { series: s, due: today - Duration::days(5), done_on: Some(today - Duration::days(6)), help: true, mine: true },
                ActionFact { series: s, due: today - Duration::days(9), done_on: Some(today - Duration::days(2)), help: true, mine: true },
                ActionFact { series: s, due: today - Duration::days(9), done_on: None, help: false, mine: false },
                ActionFact {
                    series: s,
                    due: today - Duration::days(50),
                    done_on: Some(today - Duration::days(50)),
                    help: false,
                    mine: true,
                },
                // Not due yet.
                ActionFact { series: s, due: today + Duration::days(3), done_on: None, help: true, mine: true },
            ],
            purposes: vec![(s, at(20), vec![Purpose::Career]), (s, at(5), vec![Purpose::Plans, Purpose::Wellbeing])],
            feedback: vec![(tm, at(30))],
        };
        let four = practice(&f, 4);
        let g = &four.people[0].figures;
        assert_eq!((g.cadence, g.skipped, g.moved, g.cancelled), (Share { part: 2, whole: 3 }, 1, 1, 0));
        assert_eq!((g.skipped_by, g.moved_by), (ChangedBy { manager: 0, teammate: 1 }, ChangedBy { manager: 1, teammate: 0 }));
        assert_eq!((g.skipped_by.words(), g.moved_by.words()), (" (1 by them)".to_string(), " (1 by you)".to_string()));
        assert_eq!(g.topics, Share { part: 2, whole: 3 });
        assert_eq!(g.help, Share { part: 1, whole: 2 });
        assert_eq!((g.my_actions, g.their_actions), (Share::default(), Share { part: 0, whole: 1 }));
        assert_eq!(g.rating, Some(3.0));
        assert_eq!(g.purposes, [Purpose::Plans, Purpose::Career, Purpose::Wellbeing]);
        assert_eq!((g.since_career, g.since_feedback, g.since_growth), (Some(20), Some(30), Some(5)));
        let twelve = practice(&f, 12);
        let g = &twelve.people[0].figures;
        assert_eq!((g.cadence, g.cancelled), (Share { part: 3, whole: 5 }, 1));
        assert_eq!((g.cancelled_by, g.cancelled_by.words()), (ChangedBy::default(), String::new()), "not recorded: nobody's");
        assert_eq!(g.my_actions, Share { part: 1, whole: 1 });
        assert_eq!((g.rating, g.rating_before), (Some(11.0 / 3.0), None));
        assert_eq!(twelve.overall.cadence, g.cadence);
        // Advice follows the figure: 60 % kept is below 85 %.
        assert!(twelve.advice[0].text.starts_with("Protect the slot"), "{:?}", twelve.advice[0]);
        // The purposes never touched come first, then the one touched longest ago.
        assert_eq!(twelve.purposes.first().map(|(_, last)| *last), Some(None));
        assert_eq!(twelve.purposes.iter().rev().take(3).map(|(p, _)| *p).collect::<Vec<_>>()[2], Purpose::Career);
    }

    #[test]
    fn when_most_changes_were_the_managers_the_cadence_advice_says_so() {
        let s = Uuid::from_u128(1);
        let tm = Uuid::from_u128(2);
        let m = Uuid::from_u128(3);
        let meeting = |days_ago: i64, status: MeetingStatus, by: Option<Uuid>| MeetingFact {
            series: s,
            starts_at: at(days_ago),
            ends_at: at(days_ago) + Duration::minutes(30),
            status,
            status_by: By::of(by, m, tm),
            moved: None,
            rating: None,
            topics: 0,
            their_topics: 0,
        };
        let facts = |skips: [Option<Uuid>; 2]| Facts {
            now: at(0),
            pairs: vec![PairFact { series: s, teammate: PersonId(tm), name: "Tom".into() }],
            meetings: vec![
                meeting(3, MeetingStatus::Skipped, skips[0]),
                meeting(10, MeetingStatus::Skipped, skips[1]),
                meeting(17, MeetingStatus::Held, None),
            ],
            ..Default::default()
        };
        let yours = practice(&facts([Some(m), Some(m)]), 4);
        assert_eq!(yours.overall.skipped_by, ChangedBy { manager: 2, teammate: 0 });
        assert!(yours.advice[0].text.starts_with("Most of the skipped"), "{:?}", yours.advice[0]);
        // Evenly shared, or asked for by someone else: the usual advice.
        for skips in [[Some(m), Some(tm)], [Some(Uuid::from_u128(9)), None]] {
            let p = practice(&facts(skips), 4);
            assert!(p.advice[0].text.starts_with("Protect the slot"), "{skips:?}: {:?}", p.advice[0]);
        }
    }

    #[test]
    fn the_csv_has_a_row_a_person_and_one_for_everyone_and_no_formula() {
        let s = Uuid::from_u128(1);
        let f = Facts {
            now: at(0),
            pairs: vec![PairFact { series: s, teammate: PersonId(Uuid::from_u128(2)), name: "=HYPERLINK(1)".into() }],
            ..Default::default()
        };
        let text = csv(&practice(&f, 4));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("'=HYPERLINK(1),4,0,0,"), "{}", lines[1]);
        assert!(lines[2].starts_with("Everyone,4,"), "{}", lines[2]);
    }

    #[test]
    fn with_nothing_to_measure_every_figure_says_so() {
        let p = practice(&Facts { now: at(0), ..Default::default() }, 12);
        assert_eq!(p.advice.len(), 7);
        assert!(p.advice[0].text.contains("No 1:1 was due in the last 12 weeks"), "{:?}", p.advice[0]);
        assert!(phrases().values().all(|ph| !ph.low.is_empty() && !ph.fine.is_empty() && !ph.none.is_empty()));
    }
}
