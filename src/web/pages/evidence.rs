//! The review's evidence picker: the record a statement may link (the packet as the writer may
//! read it), grouped by month, newest first, and within a month by kind; each item named in
//! words with a short excerpt, and found by what it says: `?q=` on the server, and
//! `static/evidence.js` as one types. Chosen items always stay in view.

use super::time::Words;
use crate::domain::growth::AssessmentKind;
use crate::domain::review::Packet;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// One piece of evidence to tick.
pub struct Item {
    /// Its place in the picker, for element ids.
    pub n: usize,
    /// "note", "feedback" or "assessment", as the form sends it.
    pub kind: &'static str,
    pub id: Uuid,
    pub label: String,
    pub excerpt: String,
    /// What a search looks in (label and whole text), in lower case.
    pub find: String,
}

/// The items of one kind in a month.
pub struct Group {
    pub name: &'static str,
    pub items: Vec<Item>,
}

pub struct Month {
    pub name: String,
    pub groups: Vec<Group>,
}

pub struct Picker {
    pub months: Vec<Month>,
    /// What was searched for (`?q=`), as typed.
    pub q: String,
    terms: Vec<String>,
}

/// The kinds, in the order a month shows them.
const KINDS: [&str; 3] = ["Shared notes", "Feedback", "Assessments"];
const EXCERPT_CHARS: usize = 140;

/// The start of a text on one line, cut at a word with "…" when longer than the excerpt.
fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]))
}

/// An item before grouping: when it happened, its kind (a place in `KINDS`), the form's value,
/// its label and its whole text.
struct Found<'a> {
    at: DateTime<Utc>,
    kind: usize,
    value: &'static str,
    id: Uuid,
    label: String,
    body: &'a str,
}

fn words_of(q: &str) -> Vec<String> {
    q.to_lowercase().split_whitespace().map(str::to_string).collect()
}

impl Picker {
    /// The picker for `packet`, with the text of its shared notes, in the reader's words.
    pub fn new(packet: &Packet, notes: &HashMap<Uuid, String>, words: Words, q: &str) -> Picker {
        let mut all: Vec<Found<'_>> = vec![];
        for m in packet.meetings.iter().filter(|m| m.has_shared_note) {
            let body = notes.get(&m.id).map_or("", String::as_str);
            let label = format!("1:1 on {}", words.day(&m.starts_at));
            all.push(Found { at: m.starts_at, kind: 0, value: "note", id: m.id, label, body });
        }
        for f in &packet.feedback {
            let at = f.feedback.shared_at.unwrap_or(f.feedback.created_at);
            let label = format!("{} from {} to {}, {}", f.feedback.kind.label(), f.giver_name, f.receiver_name, words.day(&at));
            all.push(Found { at, kind: 1, value: "feedback", id: f.feedback.id, label, body: &f.feedback.body });
        }
        for a in &packet.assessments {
            let by = if a.kind == AssessmentKind::SelfAssessment { "self-assessment" } else { "manager's assessment" };
            let label = format!("{}: {} ({by}), {}", a.competency, a.rating.label(), words.day(&a.created_at));
            all.push(Found { at: a.created_at, kind: 2, value: "assessment", id: a.id, label, body: &a.evidence });
        }
        all.sort_by_key(|f| std::cmp::Reverse(f.at));
        let mut months: Vec<Month> = vec![];
        for (n, Found { at, kind, value, id, label, body }) in all.into_iter().enumerate() {
            let name = words.month(&at);
            if months.last().is_none_or(|m| m.name != name) {
                months.push(Month { name, groups: vec![] });
            }
            let month = months.last_mut().expect("a month");
            if !month.groups.iter().any(|g| g.name == KINDS[kind]) {
                month.groups.push(Group { name: KINDS[kind], items: vec![] });
            }
            let group = month.groups.iter_mut().find(|g| g.name == KINDS[kind]).expect("its group");
            let find = format!("{label} {body}").to_lowercase();
            group.items.push(Item { n: n + 1, kind: value, id, label, excerpt: excerpt(body), find });
        }
        for m in &mut months {
            m.groups.sort_by_key(|g| KINDS.iter().position(|k| *k == g.name));
        }
        Picker { months, q: q.trim().to_string(), terms: words_of(q) }
    }

    /// Whether an item mentions every word searched for (all do when nothing is).
    pub fn matches(&self, item: &Item) -> bool {
        self.terms.iter().all(|t| item.find.contains(t.as_str()))
    }
}
