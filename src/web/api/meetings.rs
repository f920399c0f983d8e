//! 1:1s: series, meetings, the shared agenda, notes, action items, ratings and search.
//!
//! Times are RFC 3339 in UTC; meetings also carry their local date and time in the series'
//! time zone, which is what stays fixed across daylight-saving changes. Values with a fixed
//! set of choices (kinds, statuses, dates) are read as text and checked here, so a wrong one
//! is a 422 that names its field. Anything a person is not part of answers 404, exactly like
//! an id that does not exist.

use super::people::PersonDto;
use super::{ApiJson, ApiQuery, ApiResult, double_option};
use crate::app::App;
use crate::app::meetings::{self as uc, ActionPatch, MeetingView, NoteSaved, PointPatch, SeriesInput};
use crate::domain::meeting::{self as rules, ActionItem, Note, TalkingPoint};
use crate::domain::schedule::Cadence as DomainCadence;
use crate::domain::{FieldError, Invalid, PersonId};
use crate::web::auth::CurrentUser;
use crate::web::error::{ApiError, ErrorBody, ErrorDetail};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

// ---- choices: serialised exactly as the domain spells them (a unit test checks) ----

/// Declares a wire enum mirroring a domain enum, with the conversion from it.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident from $domain:ty { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => $name::$variant),+ }
            }
        }
    };
}

wire_enum!(
    /// `regular` (a manager and a direct report), `skip_level`, or `one_off` (a single meeting).
    SeriesKind from rules::SeriesKind { Regular, SkipLevel, OneOff }
);
wire_enum!(Cadence from DomainCadence { Weekly, Biweekly, Monthly });
wire_enum!(SeriesStatus from rules::SeriesStatus { Active, Paused, Ended });
wire_enum!(
    /// `skipped` and `cancelled` need a reason; nothing is deleted.
    MeetingStatus from rules::MeetingStatus { Scheduled, Held, Skipped, Cancelled }
);
wire_enum!(
    /// `help`: a "How can I help?" commitment, owned by the manager.
    ActionKind from rules::ActionKind { Normal, Help }
);
wire_enum!(SearchHitKind from crate::store::search::DocKind { Point, Note, Action });

/// Which way a topic moves in the agenda as shown.
#[derive(Serialize, ToSchema, Clone, Copy, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// Collects what is wrong with the request's own values, before any use case runs.
#[derive(Default)]
struct Check(Invalid);

impl Check {
    fn choice<T>(&mut self, field: &str, value: &str, parse: impl Fn(&str) -> Option<T>, choices: &str) -> Option<T> {
        let v = parse(value.trim());
        if v.is_none() {
            self.0.push(FieldError::new(field, format!("\"{value}\" is not one of the choices: {choices}.")));
        }
        v
    }

    /// A [`Day`](crate::domain::day::Day): YYYY-MM-DD, from 1900 to 2100.
    fn date(&mut self, field: &str, value: &str) -> Option<NaiveDate> {
        crate::domain::day::required(field, value, &mut self.0)
    }

    /// An RFC 3339 instant; with `day_end`, a plain date means the end of that day (UTC), and
    /// without it the start.
    fn instant(&mut self, field: &str, value: &str, day_end: bool) -> Option<DateTime<Utc>> {
        let v = value.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Some(t.with_timezone(&Utc));
        }
        if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            let d = if day_end { d.succ_opt().unwrap_or(d) } else { d };
            return Some(d.and_time(chrono::NaiveTime::MIN).and_utc());
        }
        self.0.push(FieldError::new(field, "Give a time as RFC 3339 (2026-10-20T08:00:00Z) or a date (2026-10-20)."));
        None
    }

    fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(&mut self, field: &str, value: &str, min: T, max: T) -> Option<T> {
        match value.trim().parse::<T>() {
            Ok(n) if n >= min && n <= max => Some(n),
            _ => {
                self.0.push(FieldError::new(field, format!("Give a whole number from {min} to {max}.")));
                None
            }
        }
    }

    fn uuid(&mut self, field: &str, value: &str) -> Option<Uuid> {
        match Uuid::parse_str(value.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                self.0.push(FieldError::new(field, "Give an id as a UUID."));
                None
            }
        }
    }

    fn done(self) -> ApiResult<()> {
        self.0.into_result().map_err(|e| ApiError::App(e.into()))
    }

    /// The problems collected, as the answer: for when a value is missing because it was wrong.
    fn refused(self) -> ApiError {
        ApiError::App(self.0.into())
    }
}

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
    /// Where it was before it moved.
    pub moved_from_at: Option<DateTime<Utc>>,
    /// 1–5, given by the teammate after the meeting.
    pub rating: Option<i64>,
    pub rating_comment: String,
    pub version: i64,
}

impl MeetingDto {
    fn new(m: &rules::Meeting, series: &rules::Series) -> Self {
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
            moved_from_at: m.moved_from_at,
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
    fn new(note: Option<&Note>) -> Self {
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
    /// Both versions of the lines that clash, marked, for you to settle and save again.
    pub merged_text: String,
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

// ---- request bodies ----

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSeries {
    pub teammate_id: Uuid,
    /// Default `regular`.
    #[serde(default)]
    #[schema(value_type = Option<SeriesKind>)]
    pub kind: Option<String>,
    /// Default `weekly`.
    #[serde(default)]
    #[schema(value_type = Option<Cadence>)]
    pub cadence: Option<String>,
    /// YYYY-MM-DD, in the future.
    #[schema(value_type = String, format = Date, example = "2026-10-20")]
    pub first_date: String,
    /// HH:MM, local to `timezone`.
    #[schema(example = "10:00")]
    pub time: String,
    /// IANA time zone; default yours.
    #[serde(default)]
    pub timezone: Option<String>,
    /// 10 to 240; default 30.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSeries {
    /// The `version` you last read.
    pub version: i64,
    /// Pause, resume (`active`) or end.
    #[schema(value_type = SeriesStatus)]
    pub status: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeeting {
    pub version: i64,
    #[schema(value_type = MeetingStatus)]
    pub status: String,
    /// Required for `skipped` and `cancelled`.
    #[serde(default)]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveMeeting {
    pub version: i64,
    /// The new local date, YYYY-MM-DD, in the series' time zone.
    #[schema(value_type = String, format = Date, example = "2026-10-21")]
    pub date: String,
    /// The new local time, HH:MM.
    #[schema(example = "14:30")]
    pub time: String,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateMeeting {
    /// 1 (not worth it) to 5 (very worth it).
    pub rating: i64,
    #[serde(default)]
    pub comment: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePoint {
    pub body: String,
    #[serde(default)]
    pub recurring: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePoint {
    pub version: i64,
    /// Only the author can reword a topic.
    pub body: Option<String>,
    pub discussed: Option<bool>,
    pub recurring: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovePoint {
    #[schema(value_type = Direction)]
    pub direction: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveNote {
    /// Markdown.
    pub body: String,
    /// The `version` the text was edited from; 0 for a note that did not exist yet.
    pub base_version: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAction {
    pub body: String,
    /// One of the two people in the 1:1.
    pub owner_id: Uuid,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<String>,
    /// Default `normal`.
    #[serde(default)]
    #[schema(value_type = Option<ActionKind>)]
    pub kind: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAction {
    pub version: i64,
    pub body: Option<String>,
    pub done: Option<bool>,
    /// YYYY-MM-DD, or null to clear. Leave it out to keep the current one.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Option<String>>,
    pub owner_id: Option<Uuid>,
}

// ---- query strings ----

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesParams {
    /// RFC 3339: the `older` cursor of the previous page.
    #[param(value_type = Option<DateTime<Utc>>)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub before: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpcomingParams {
    /// 1 to 100; default 10.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub limit: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeletePointParams {
    /// The `version` you last read.
    #[param(value_type = i64)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub version: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionsParams {
    /// Only this kind, e.g. `help` for "How can I help?" commitments.
    #[param(value_type = Option<ActionKind>)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub kind: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (at most 200 characters).
    #[serde(default)]
    pub q: String,
    /// Only 1:1s with this person (their id).
    #[param(value_type = Option<Uuid>)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub with: Option<String>,
    /// From this instant or date (inclusive).
    #[param(value_type = Option<String>, min_length = 1)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub from: Option<String>,
    /// Up to this instant (exclusive), or to the end of this date.
    #[param(value_type = Option<String>, min_length = 1)]
    #[serde(default, deserialize_with = "super::not_blank")]
    pub to: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|v| !v.trim().is_empty())
}

// ---- series ----

#[utoipa::path(get, path = "/api/v1/series", tag = "meetings", responses(
    (status = 200, description = "Every series you are part of, with the other person and the next meeting", body = Vec<SeriesSummaryDto>),
    (status = 401, description = "Not signed in, or an unknown token", body = ErrorBody)))]
pub(super) async fn list_series(State(app): State<App>, user: CurrentUser) -> ApiResult<Json<Vec<SeriesSummaryDto>>> {
    let list = app.my_series(user.person()).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SeriesSummaryDto {
                next: s.next.as_ref().map(|m| MeetingDto::new(m, &s.series)),
                series: (&s.series).into(),
                other: s.other.into(),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/series", tag = "meetings", request_body = CreateSeries, responses(
    (status = 201, description = "Started; the first meetings exist, and a kickoff note waits to be sent", body = StartedSeriesDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "No such person, or not someone you lead", body = ErrorBody)))]
pub(super) async fn create_series(
    State(app): State<App>,
    user: CurrentUser,
    ApiJson(b): ApiJson<CreateSeries>,
) -> ApiResult<(StatusCode, Json<StartedSeriesDto>)> {
    let mut check = Check::default();
    let kind = match nonempty(&b.kind) {
        Some(k) => check.choice("kind", k, rules::SeriesKind::parse, "regular, skip_level, one_off"),
        None => Some(rules::SeriesKind::Regular),
    };
    let cadence = match nonempty(&b.cadence) {
        Some(c) => check.choice("cadence", c, DomainCadence::parse, "weekly, biweekly, monthly"),
        None => Some(DomainCadence::Weekly),
    };
    let first_date = check.date("first_date", &b.first_date);
    let (Some(kind), Some(cadence), Some(first_date)) = (kind, cadence, first_date) else {
        return Err(check.refused());
    };
    let input = SeriesInput {
        teammate_id: PersonId(b.teammate_id),
        kind,
        cadence,
        first_date,
        time: b.time,
        timezone: b.timezone.unwrap_or_else(|| user.person().timezone.clone()),
        duration_minutes: b.duration_minutes.unwrap_or(30),
    };
    let series = app.create_series(user.person(), input).await?;
    let kickoff_warnings = app.kickoff(user.person(), series.id).await.map(|k| k.warnings).unwrap_or_default();
    Ok((StatusCode::CREATED, Json(StartedSeriesDto { series: (&series).into(), kickoff_warnings })))
}

#[utoipa::path(get, path = "/api/v1/series/{id}", tag = "meetings", params(("id" = Uuid, Path), SeriesParams), responses(
    (status = 200, description = "The pair's timeline: what is coming, and one page of the past", body = SeriesViewDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn get_series(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiQuery(q): ApiQuery<SeriesParams>,
) -> ApiResult<Json<SeriesViewDto>> {
    let mut check = Check::default();
    let before = nonempty(&q.before).and_then(|b| check.instant("before", b, false));
    check.done()?;
    let v = app.series_view(user.person(), id, before).await?;
    Ok(Json(SeriesViewDto {
        upcoming: v.upcoming.iter().map(|m| MeetingDto::new(m, &v.series)).collect(),
        history: v.history.iter().map(|m| MeetingDto::new(m, &v.series)).collect(),
        series: (&v.series).into(),
        manager: v.manager.into(),
        teammate: v.teammate.into(),
        older: v.older,
        ratings: v.ratings.iter().map(|(starts_at, rating)| RatingDto { starts_at: *starts_at, rating: *rating }).collect(),
    }))
}

#[utoipa::path(patch, path = "/api/v1/series/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdateSeries, responses(
    (status = 200, description = "The series as it is now", body = SeriesDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "Not yours to change, already ended, or an unknown status", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn update_series(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateSeries>,
) -> ApiResult<Json<SeriesDto>> {
    let mut check = Check::default();
    let status = check.choice("status", &b.status, rules::SeriesStatus::parse, "active, paused, ended");
    check.done()?;
    let series = app.set_series_status(user.person(), id, b.version, status.expect("checked")).await?;
    Ok(Json((&series).into()))
}

// ---- meetings ----

#[utoipa::path(get, path = "/api/v1/meetings/upcoming", tag = "meetings", params(UpcomingParams), responses(
    (status = 200, description = "Your next meetings across all your 1:1s, soonest first", body = Vec<UpcomingDto>),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(super) async fn upcoming(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<UpcomingParams>,
) -> ApiResult<Json<Vec<UpcomingDto>>> {
    let mut check = Check::default();
    let limit = nonempty(&q.limit).map(|l| check.number("limit", l, 1i64, 100)).unwrap_or(Some(10));
    check.done()?;
    let list = app.upcoming_meetings(user.person(), limit.expect("checked")).await?;
    Ok(Json(
        list.into_iter()
            .map(|u| UpcomingDto { meeting: MeetingDto::new(&u.meeting, &u.series), series: (&u.series).into(), other: u.other.into() })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = Uuid, Path)), responses(
    (status = 200, description = "The meeting as you see it: agenda, shared note, your private note, actions", body = MeetingViewDto),
    (status = 404, description = "No such meeting, or not one you are part of", body = ErrorBody)))]
pub(super) async fn get_meeting(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Json<MeetingViewDto>> {
    Ok(Json(app.meeting_view(user.person(), id).await?.into()))
}

/// A changed meeting, shown with its series' local time.
async fn meeting_answer(app: &App, user: &CurrentUser, meeting: rules::Meeting) -> ApiResult<Json<MeetingDto>> {
    let series = app.meeting_view(user.person(), meeting.id).await?.series;
    Ok(Json(MeetingDto::new(&meeting, &series)))
}

#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdateMeeting, responses(
    (status = 200, description = "Marked; topics not discussed move on to the next meeting", body = MeetingDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn update_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateMeeting>,
) -> ApiResult<Json<MeetingDto>> {
    let mut check = Check::default();
    let status = check.choice("status", &b.status, rules::MeetingStatus::parse, "scheduled, held, skipped, cancelled");
    check.done()?;
    let m = app.set_meeting_status(user.person(), id, b.version, status.expect("checked"), &b.reason).await?;
    meeting_answer(&app, &user, m).await
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/move", tag = "meetings", params(("id" = Uuid, Path)), request_body = MoveMeeting, responses(
    (status = 200, description = "Moved; `moved_from_at` keeps where it was", body = MeetingDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn move_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<MoveMeeting>,
) -> ApiResult<Json<MeetingDto>> {
    let mut check = Check::default();
    let Some(date) = check.date("date", &b.date) else { return Err(check.refused()) };
    let m = app.move_meeting(user.person(), id, b.version, date, &b.time, &b.reason).await?;
    meeting_answer(&app, &user, m).await
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/rating", tag = "meetings", params(("id" = Uuid, Path)), request_body = RateMeeting, responses(
    (status = 200, description = "Rated (the teammate, once the meeting has taken place)", body = MeetingDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn rate_meeting(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<RateMeeting>,
) -> ApiResult<Json<MeetingDto>> {
    let m = app.rate_meeting(user.person(), id, b.rating, &b.comment).await?;
    meeting_answer(&app, &user, m).await
}

// ---- talking points ----

#[utoipa::path(post, path = "/api/v1/meetings/{id}/points", tag = "meetings", params(("id" = Uuid, Path)), request_body = CreatePoint, responses(
    (status = 201, description = "Created", body = PointDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<CreatePoint>,
) -> ApiResult<(StatusCode, Json<PointDto>)> {
    let p = app.add_point(user.person(), id, &b.body, b.recurring).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(patch, path = "/api/v1/points/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdatePoint, responses(
    (status = 200, description = "Changed", body = PointDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn update_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdatePoint>,
) -> ApiResult<Json<PointDto>> {
    let patch = PointPatch { body: b.body, discussed: b.discussed, recurring: b.recurring };
    Ok(Json(app.update_point(user.person(), id, b.version, patch).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/points/{id}/move", tag = "meetings", params(("id" = Uuid, Path)), request_body = MovePoint, responses(
    (status = 204, description = "Moved one place (or already first or last)"),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn move_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<MovePoint>,
) -> ApiResult<StatusCode> {
    let mut check = Check::default();
    let direction = check.choice(
        "direction",
        &b.direction,
        |d| match d {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        },
        "up, down",
    );
    check.done()?;
    app.reorder_point(user.person(), id, matches!(direction, Some(Direction::Up))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/points/{id}", tag = "meetings", params(("id" = Uuid, Path), DeletePointParams), responses(
    (status = 204, description = "Removed"),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "Not your topic, or no `version`", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn delete_point(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiQuery(q): ApiQuery<DeletePointParams>,
) -> ApiResult<StatusCode> {
    let mut check = Check::default();
    let version = check.number("version", q.version.as_deref().unwrap_or(""), 1i64, i64::MAX);
    check.done()?;
    app.delete_point(user.person(), id, version.expect("checked")).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- notes ----

async fn save_note(app: &App, user: &CurrentUser, meeting: Uuid, private: bool, b: SaveNote) -> ApiResult<Response> {
    Ok(match app.save_note(user.person(), meeting, private, &b.body, b.base_version).await? {
        NoteSaved::Saved(n) => Json(NoteSavedDto { note: NoteDto::new(Some(&n)), merged: false }).into_response(),
        NoteSaved::Merged(n) => Json(NoteSavedDto { note: NoteDto::new(Some(&n)), merged: true }).into_response(),
        NoteSaved::Conflict { current, merged } => (
            StatusCode::CONFLICT,
            Json(NoteConflictDto {
                error: ErrorDetail {
                    code: "conflict",
                    message: "The note was changed by someone else a moment ago, on the same lines. Nothing was saved; settle \
                              `merged_text` and save it on top of `current.version`."
                        .into(),
                    fields: vec![],
                },
                current: NoteDto::new(Some(&current)),
                merged_text: merged,
            }),
        )
            .into_response(),
    })
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/notes/shared", tag = "meetings", params(("id" = Uuid, Path)), request_body = SaveNote, responses(
    (status = 200, description = "Saved, or merged with a change saved in between (`merged`)", body = NoteSavedDto),
    (status = 409, description = "Someone else changed the same lines; nothing was saved", body = NoteConflictDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn save_shared_note(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SaveNote>,
) -> ApiResult<Response> {
    save_note(&app, &user, id, false, b).await
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/notes/private", tag = "meetings", params(("id" = Uuid, Path)), request_body = SaveNote, responses(
    (status = 200, description = "Your own private note, saved; nobody else can ever read it", body = NoteSavedDto),
    (status = 409, description = "Your note changed elsewhere on the same lines; nothing was saved", body = NoteConflictDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn save_private_note(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SaveNote>,
) -> ApiResult<Response> {
    save_note(&app, &user, id, true, b).await
}

// ---- action items ----

#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "meetings", params(("id" = Uuid, Path)), request_body = CreateAction, responses(
    (status = 201, description = "Created", body = ActionDto),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn add_action(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<CreateAction>,
) -> ApiResult<(StatusCode, Json<ActionDto>)> {
    let mut check = Check::default();
    let due = nonempty(&b.due_date).map(|d| check.date("due_date", d));
    let kind = match nonempty(&b.kind) {
        Some(k) => check.choice("kind", k, rules::ActionKind::parse, "normal, help"),
        None => Some(rules::ActionKind::Normal),
    };
    let Some(kind) = kind.filter(|_| check.0.is_empty()) else { return Err(check.refused()) };
    let a = app.add_action(user.person(), id, &b.body, PersonId(b.owner_id), due.flatten(), kind).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

#[utoipa::path(patch, path = "/api/v1/actions/{id}", tag = "meetings", params(("id" = Uuid, Path)), request_body = UpdateAction, responses(
    (status = 200, description = "Changed", body = ActionDto),
    (status = 409, description = "Changed by someone else since `version`", body = ErrorBody),
    (status = 422, description = "What is wrong, per field", body = ErrorBody),
    (status = 404, description = "Nothing here, or nothing you may see (the same answer for both)", body = ErrorBody)))]
pub(super) async fn update_action(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateAction>,
) -> ApiResult<Json<ActionDto>> {
    let mut check = Check::default();
    let due_date = match &b.due_date {
        None => None,
        Some(None) => Some(None),
        Some(Some(d)) => Some(check.date("due_date", d)),
    };
    check.done()?;
    let patch = ActionPatch { body: b.body, done: b.done, due_date, owner_id: b.owner_id.map(PersonId) };
    Ok(Json(app.update_action(user.person(), id, b.version, patch).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/actions", tag = "meetings", params(ActionsParams), responses(
    (status = 200, description = "Your open action items across all your 1:1s, soonest due first", body = Vec<MyActionDto>),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(super) async fn my_actions(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<ActionsParams>,
) -> ApiResult<Json<Vec<MyActionDto>>> {
    let mut check = Check::default();
    let kind = nonempty(&q.kind).and_then(|k| check.choice("kind", k, rules::ActionKind::parse, "normal, help"));
    check.done()?;
    let list = app.my_actions(user.person(), kind).await?;
    Ok(Json(list.into_iter().map(|a| MyActionDto { action: a.action.into(), other: a.other.into() }).collect()))
}

// ---- search ----

#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams), responses(
    (status = 200, description = "The best matches first: topics, shared notes, your own private notes and actions", body = Vec<SearchHitDto>),
    (status = 422, description = "What is wrong, per field", body = ErrorBody)))]
pub(super) async fn search(
    State(app): State<App>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<SearchHitDto>>> {
    let mut check = Check::default();
    let with = nonempty(&q.with).and_then(|w| check.uuid("with", w)).map(PersonId);
    let from = nonempty(&q.from).and_then(|f| check.instant("from", f, false));
    let to = nonempty(&q.to).and_then(|t| check.instant("to", t, true));
    check.done()?;
    let hits = app.search(user.person(), &q.q, with, from, to).await?;
    Ok(Json(
        hits.into_iter()
            .map(|r| SearchHitDto {
                kind: r.hit.kind.into(),
                meeting_id: r.hit.meeting_id,
                series_id: r.hit.series_id,
                other: r.other.into(),
                occurred_at: r.hit.occurred_at,
                snippet_html: uc::snippet_html(&r.hit.snippet),
                private: r.hit.private,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire<T: Serialize>(v: T) -> String {
        serde_json::to_value(v).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn choices_are_spelled_as_the_domain_spells_them() {
        for k in [rules::SeriesKind::Regular, rules::SeriesKind::SkipLevel, rules::SeriesKind::OneOff] {
            assert_eq!(wire(SeriesKind::from(k)), k.as_str());
        }
        for c in DomainCadence::ALL {
            assert_eq!(wire(Cadence::from(c)), c.as_str());
        }
        for s in [rules::SeriesStatus::Active, rules::SeriesStatus::Paused, rules::SeriesStatus::Ended] {
            assert_eq!(wire(SeriesStatus::from(s)), s.as_str());
        }
        for s in
            [rules::MeetingStatus::Scheduled, rules::MeetingStatus::Held, rules::MeetingStatus::Skipped, rules::MeetingStatus::Cancelled]
        {
            assert_eq!(wire(MeetingStatus::from(s)), s.as_str());
        }
        for k in [rules::ActionKind::Normal, rules::ActionKind::Help] {
            assert_eq!(wire(ActionKind::from(k)), k.as_str());
        }
        use crate::store::search::DocKind;
        for k in [DocKind::Point, DocKind::Note, DocKind::Action] {
            assert_eq!(wire(SearchHitKind::from(k)), k.as_str());
        }
    }

    #[test]
    fn a_plain_date_covers_the_whole_day() {
        let mut c = Check::default();
        assert_eq!(c.instant("from", "2026-10-20", false).unwrap().to_rfc3339(), "2026-10-20T00:00:00+00:00");
        assert_eq!(c.instant("to", "2026-10-20", true).unwrap().to_rfc3339(), "2026-10-21T00:00:00+00:00");
        assert_eq!(c.instant("to", "2026-10-20T10:00:00+02:00", true).unwrap().to_rfc3339(), "2026-10-20T08:00:00+00:00");
        assert!(c.instant("to", "next tuesday", true).is_none());
        assert_eq!(c.0.0[0].field, "to");
    }
}
