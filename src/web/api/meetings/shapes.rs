//! What the API answers with.

use super::choices::*;
use crate::app::App;
use crate::app::meetings::MeetingView;
use crate::domain::meeting::{self as rules, ActionItem, Note, TalkingPoint};
use crate::web::api::people::PersonDto;
use crate::web::error::ErrorDetail;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

// ---- shapes ----

#[derive(Serialize, ToSchema)]
pub struct SeriesDto {
    pub id: Uuid,
    /// The person who leads these 1:1s.
    pub manager_id: Uuid,
    pub teammate_id: Uuid,
    pub kind: SeriesKind,
    pub cadence: Cadence,
    /// The first meeting's local date; later ones fall on the same weekday.
    #[schema(value_type = String, format = Date)]
    pub first_date: NaiveDate,
    /// Monday … Sunday.
    pub weekday: String,
    /// Local time of day, HH:MM, in `timezone`.
    pub time: String,
    /// IANA time zone the meetings keep their local time in.
    pub timezone: String,
    pub duration_minutes: u32,
    pub status: SeriesStatus,
    pub created_at: DateTime<Utc>,
    /// Send it back with a change; a change based on an older version is refused (409).
    pub version: i64,
}

/// A series just started, with the warnings about its first 1:1 for the kickoff note (see
/// `GET /api/v1/series/{id}/kickoff`): too soon, or in the teammate's focus hours.
#[derive(Serialize, ToSchema)]
pub struct StartedSeriesDto {
    #[serde(flatten)]
    pub series: SeriesDto,
    pub kickoff_warnings: Vec<crate::domain::kickoff::Warning>,
}

impl From<&rules::Series> for SeriesDto {
    fn from(s: &rules::Series) -> Self {
        let weekday = match s.schedule.weekday() {
            chrono::Weekday::Mon => "Monday",
            chrono::Weekday::Tue => "Tuesday",
            chrono::Weekday::Wed => "Wednesday",
            chrono::Weekday::Thu => "Thursday",
            chrono::Weekday::Fri => "Friday",
            chrono::Weekday::Sat => "Saturday",
            chrono::Weekday::Sun => "Sunday",
        };
        SeriesDto {
            id: s.id,
            manager_id: s.manager_id.0,
            teammate_id: s.teammate_id.0,
            kind: s.kind.into(),
            cadence: s.schedule.cadence.into(),
            first_date: s.schedule.first_date,
            weekday: weekday.into(),
            time: s.schedule.local_time.format("%H:%M").to_string(),
            timezone: s.schedule.tz.name().to_string(),
            duration_minutes: s.duration_minutes,
            status: s.status.into(),
            created_at: s.created_at,
            version: s.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDto {
    pub id: Uuid,
    pub series_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The local date in the series' `timezone`.
    #[schema(value_type = String, format = Date)]
    pub local_date: NaiveDate,
    /// The local start time, HH:MM, in the series' `timezone`.
    pub local_time: String,
    pub timezone: String,
    pub duration_minutes: u32,
    pub status: MeetingStatus,
    /// Why it was skipped, cancelled or moved.
    pub status_reason: String,
    /// Who of the two last set the status (none: never set, or before rapport kept it).
    pub status_by: Option<Uuid>,
    /// Where it was before it moved.
    pub moved_from_at: Option<DateTime<Utc>>,
    /// Who of the two last moved it.
    pub moved_by: Option<Uuid>,
    /// 1–5, given by the teammate after the meeting.
    pub rating: Option<i64>,
    pub rating_comment: String,
    pub version: i64,
}

/// A meeting just moved, with what may not suit one of the two about its new time.
#[derive(Serialize, ToSchema)]
pub struct MovedMeeting {
    #[serde(flatten)]
    pub meeting: MeetingDto,
    /// In words, for the person moving it: the new time falls outside a usual working day
    /// (08:00 to 19:00) for one of the two, in their own zone, or in focus hours the mover may
    /// see. Empty when the time suits both. The move is saved either way.
    pub warnings: Vec<String>,
}

impl MeetingDto {
    pub(super) fn new(m: &rules::Meeting, series: &rules::Series) -> Self {
        let local = m.starts_at.with_timezone(&series.schedule.tz);
        MeetingDto {
            id: m.id,
            series_id: m.series_id,
            starts_at: m.starts_at,
            ends_at: m.ends_at(),
            local_date: local.date_naive(),
            local_time: local.format("%H:%M").to_string(),
            timezone: series.schedule.tz.name().to_string(),
            duration_minutes: m.duration_minutes,
            status: m.status.into(),
            status_reason: m.status_reason.clone(),
            status_by: m.status_by.map(|p| p.0),
            moved_from_at: m.moved_from_at,
            moved_by: m.moved_by.map(|p| p.0),
            rating: m.rating,
            rating_comment: m.rating_comment.clone(),
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SeriesSummaryDto {
    pub series: SeriesDto,
    /// The other person of the pair.
    pub other: PersonDto,
    /// The next meeting, for an active series.
    pub next: Option<MeetingDto>,
}

#[derive(Serialize, ToSchema)]
pub struct SeriesViewDto {
    pub series: SeriesDto,
    pub manager: PersonDto,
    pub teammate: PersonDto,
    /// The next meetings (only on the first page).
    pub upcoming: Vec<MeetingDto>,
    /// One page of past meetings, newest first.
    pub history: Vec<MeetingDto>,
    /// Pass as `before` for the next, older page; null on the last page.
    pub older: Option<DateTime<Utc>>,
    /// The latest "was this worth your time?" ratings (1–5), newest first.
    pub ratings: Vec<RatingDto>,
}

#[derive(Serialize, ToSchema)]
pub struct RatingDto {
    pub starts_at: DateTime<Utc>,
    pub rating: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UpcomingDto {
    pub meeting: MeetingDto,
    pub series: SeriesDto,
    pub other: PersonDto,
    /// How many of the other person's topics on this meeting were added since you last opened
    /// its page or its prep page (all of them when you never did); carried-over topics are not new.
    pub new_topics: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PointDto {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// The same for every copy of a topic as it moves from meeting to meeting.
    pub origin_id: Uuid,
    /// The meeting it was carried over from, when it was.
    pub carried_from: Option<Uuid>,
    pub author_id: Uuid,
    pub body: String,
    pub position: i64,
    pub discussed: bool,
    /// Comes back at every meeting.
    pub recurring: bool,
    pub version: i64,
    /// The note under the topic; empty for none.
    pub note: String,
}

impl From<TalkingPoint> for PointDto {
    fn from(p: TalkingPoint) -> Self {
        PointDto {
            id: p.id,
            meeting_id: p.meeting_id,
            origin_id: p.origin_id,
            carried_from: p.carried_from,
            author_id: p.author_id.0,
            body: p.body,
            position: p.position,
            discussed: p.discussed,
            recurring: p.recurring,
            version: p.version,
            note: p.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoteDto {
    /// Markdown.
    pub body: String,
    /// `body` rendered as safe HTML.
    pub html: String,
    /// Send it back as `base_version` when saving; 0 for a note not written yet.
    pub version: i64,
    pub updated_by: Option<Uuid>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl NoteDto {
    pub(super) fn new(note: Option<&Note>) -> Self {
        match note {
            Some(n) => NoteDto {
                body: n.body.clone(),
                html: App::render_note(n),
                version: n.version,
                updated_by: Some(n.updated_by.0),
                updated_at: Some(n.updated_at),
            },
            None => NoteDto { body: String::new(), html: String::new(), version: 0, updated_by: None, updated_at: None },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActionDto {
    pub id: Uuid,
    pub series_id: Uuid,
    /// The meeting it was agreed in.
    pub meeting_id: Uuid,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub body: String,
    pub kind: ActionKind,
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl From<ActionItem> for ActionDto {
    fn from(a: ActionItem) -> Self {
        ActionDto {
            id: a.id,
            series_id: a.series_id,
            meeting_id: a.meeting_id,
            owner_id: a.owner_id.0,
            created_by: a.created_by.0,
            body: a.body,
            kind: a.kind.into(),
            due_date: a.due_date,
            done: a.done_at.is_some(),
            done_at: a.done_at,
            created_at: a.created_at,
            version: a.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingViewDto {
    pub meeting: MeetingDto,
    pub series: SeriesDto,
    pub manager: PersonDto,
    pub teammate: PersonDto,
    /// In agenda order: the teammate's topics, carried-over ones, then the manager's.
    pub points: Vec<PointDto>,
    pub shared_note: NoteDto,
    /// Your own private note. Nobody else's is ever included.
    pub private_note: NoteDto,
    /// Open items from earlier meetings and the items agreed in this one.
    pub actions: Vec<ActionDto>,
    pub previous_meeting_id: Option<Uuid>,
    /// The meetings after this one.
    pub next: Vec<MeetingDto>,
}

impl From<MeetingView> for MeetingViewDto {
    fn from(v: MeetingView) -> Self {
        MeetingViewDto {
            meeting: MeetingDto::new(&v.meeting, &v.series),
            next: v.next.iter().map(|m| MeetingDto::new(m, &v.series)).collect(),
            series: (&v.series).into(),
            manager: v.manager.into(),
            teammate: v.teammate.into(),
            points: v.points.into_iter().map(Into::into).collect(),
            shared_note: NoteDto::new(v.shared_note.as_ref()),
            private_note: NoteDto::new(v.private_note.as_ref()),
            actions: v.actions.into_iter().map(Into::into).collect(),
            previous_meeting_id: v.previous.map(|m| m.id),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoteSavedDto {
    pub note: NoteDto,
    /// True when someone else had saved in between and both changes were merged.
    pub merged: bool,
}

/// The answer to a note save that clashed with someone else's: nothing was saved.
#[derive(Serialize, ToSchema)]
pub struct NoteConflictDto {
    pub error: ErrorDetail,
    /// The note as it is now; save on top of its `version`.
    pub current: NoteDto,
    /// The note with both versions of each place that clashes, yours first, without any marks:
    /// saved as it is on top of `current.version`, nothing either person wrote is lost.
    pub merged_text: String,
    /// The same, place by place: the text both share (`same`) and, where both changed the same
    /// lines, each version (`differ`), for a client to offer "keep mine / keep theirs / keep both".
    pub parts: Vec<crate::domain::merge::Part>,
}

#[derive(Serialize, ToSchema)]
pub struct MyActionDto {
    pub action: ActionDto,
    /// The other person of the 1:1 it belongs to.
    pub other: PersonDto,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    pub kind: SearchHitKind,
    pub meeting_id: Uuid,
    pub series_id: Uuid,
    /// The other person of the 1:1.
    pub other: PersonDto,
    pub occurred_at: DateTime<Utc>,
    /// The matching passage as safe HTML, each match in `<mark>`.
    pub snippet_html: String,
    /// Your own private note (only you ever find it).
    pub private: bool,
}
