//! What the 1:1 use cases take in and hand out. Plain data over domain types: the meeting-page
//! cache keeps [`MeetingView`]s without depending on the use cases.

use crate::domain::meeting::{ActionItem, Meeting, Note, Series, SeriesKind, TalkingPoint};
use crate::domain::policy::Allowed;
use crate::domain::schedule::Cadence;
use crate::domain::{Person, PersonId};
use crate::store::search::Hit;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone)]
pub struct SeriesInput {
    pub teammate_id: PersonId,
    pub kind: SeriesKind,
    pub cadence: Cadence,
    /// The first meeting's date; later ones fall on the same weekday.
    pub first_date: NaiveDate,
    /// "HH:MM", local to `timezone`.
    pub time: String,
    pub timezone: String,
    pub duration_minutes: u32,
}

/// Everything the meeting page shows, for one viewer.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub series: Series,
    pub meeting: Meeting,
    pub manager: Person,
    pub teammate: Person,
    pub viewer: PersonId,
    /// In agenda order: the teammate's topics, carried-over ones, then the manager's.
    pub points: Vec<TalkingPoint>,
    pub shared_note: Option<Note>,
    /// The viewer's own private note; nobody else's is ever loaded.
    pub private_note: Option<Note>,
    pub actions: Vec<ActionItem>,
    pub previous: Option<Meeting>,
    pub previous_note: Option<Note>,
    /// The shared notes of up to three meetings before the previous one, newest first, each
    /// with the actions agreed in it.
    pub earlier_notes: Vec<EarlierNote>,
    pub next: Vec<Meeting>,
    /// Whether the policy lets the viewer rate the pair's 1:1s (whether this one can be rated
    /// yet is [`Meeting::can_be_rated`]).
    pub can_rate: Allowed,
    /// The teammate's pulse for this 1:1, when given and the viewer may read it (a pulse moves
    /// the series' revision, so the cache keeps it). Whether it can be given now is
    /// [`App::pulse_for`].
    ///
    /// [`App::pulse_for`]: crate::app::App::pulse_for
    pub pulse: Option<crate::domain::pulse::Pulse>,
    /// Read afresh on every view of the meeting page ([`App::meeting_view`]); None where the
    /// view was made otherwise, and the readers of these read them themselves.
    ///
    /// [`App::meeting_view`]: crate::app::App::meeting_view
    pub fresh: Option<crate::store::home::Freshness>,
    /// The feedback recorded in this meeting that the viewer may read, when gathered with the
    /// view and kept with it (feedback moves the series' revision); None where the view was
    /// made otherwise, and [`App::meeting_feedback`] reads it.
    ///
    /// [`App::meeting_feedback`]: crate::app::App::meeting_feedback
    pub feedback: Option<Vec<crate::app::reviews::FeedbackItem>>,
}

/// An earlier meeting's shared notes, with when that meeting began and the action items agreed
/// in it (oldest first).
#[derive(Debug, Clone)]
pub struct EarlierNote {
    pub note: Note,
    pub starts_at: DateTime<Utc>,
    pub decisions: Vec<ActionItem>,
}

impl MeetingView {
    pub fn viewer_is_teammate(&self) -> bool {
        self.viewer == self.teammate.id
    }
    pub fn other(&self) -> &Person {
        if self.viewer_is_teammate() { &self.manager } else { &self.teammate }
    }
    pub fn person(&self, id: PersonId) -> &Person {
        if id == self.manager.id { &self.manager } else { &self.teammate }
    }
}

#[derive(Debug, Clone)]
pub struct SeriesSummary {
    pub series: Series,
    pub other: Person,
    pub next: Option<Meeting>,
}

#[derive(Debug, Clone)]
pub struct SeriesView {
    pub series: Series,
    pub manager: Person,
    pub teammate: Person,
    pub viewer: PersonId,
    pub upcoming: Vec<Meeting>,
    /// One page of past meetings, newest first.
    pub history: Vec<Meeting>,
    /// Pass as `before` for the next (older) page.
    pub older: Option<DateTime<Utc>>,
    /// The latest "worth your time?" ratings, newest first (at most [`RATINGS_SHOWN`]).
    pub ratings: Vec<(DateTime<Utc>, i64)>,
    /// Whether the policy lets the viewer pause, resume or end the series.
    pub can_pause: Allowed,
}

#[derive(Debug, Clone)]
pub struct Upcoming {
    pub meeting: Meeting,
    pub series: Series,
    pub other: Person,
}

#[derive(Debug, Clone)]
pub struct MyAction {
    pub action: ActionItem,
    pub series: Series,
    pub other: Person,
}

/// The result of saving a note.
#[derive(Debug, Clone)]
pub enum NoteSaved {
    Saved(Note),
    /// Someone else saved first; both changes fitted together and were saved.
    Merged(Note),
    /// Someone else saved first and changed the same lines. Nothing was saved; `parts` holds
    /// the shared text and both versions of each place that clashes, for the person to settle
    /// and save again on top of `current`.
    Conflict {
        current: Note,
        parts: Vec<crate::domain::merge::Part>,
    },
}

#[derive(Debug, Clone, Default)]
pub struct PointPatch {
    pub body: Option<String>,
    /// The note under the topic ("" removes it).
    pub note: Option<String>,
    /// The note these words were typed on: a note sent on an older version is merged with
    /// what changed since (see [`crate::domain::merge`]) instead of refused.
    pub note_base: Option<String>,
    pub discussed: Option<bool>,
    pub recurring: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct ActionPatch {
    pub body: Option<String>,
    pub done: Option<bool>,
    pub due_date: Option<Option<NaiveDate>>,
    pub owner_id: Option<PersonId>,
}

#[derive(Debug, Clone)]
pub struct SearchResult {
    pub hit: Hit,
    pub series: Series,
    pub other: Person,
}
