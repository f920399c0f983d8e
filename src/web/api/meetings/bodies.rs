//! What the API reads: request bodies and query strings.

use super::choices::*;
use crate::domain::day::Day;
use crate::web::api::double_option;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

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
    pub first_date: Day,
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
    pub date: Day,
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
    /// The note under the topic, which either person writes ("" removes it). It travels with
    /// the topic when the topic is carried over.
    #[schema(max_length = 4000)]
    pub note: Option<String>,
    /// The note as it was when these words were typed on it (what a page saving as you type
    /// sends). With it, a note sent on an older `version` still saves when only other things
    /// changed since, or when the other change to the note touches other lines (both are
    /// kept, and the answer carries the merged note); the same lines changed by both answer 409.
    #[schema(max_length = 4000)]
    pub note_base: Option<String>,
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
    #[serde(default, deserialize_with = "crate::domain::day::blank_is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Day>,
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
    pub due_date: Option<Option<Day>>,
    pub owner_id: Option<Uuid>,
}

// ---- query strings ----

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesParams {
    /// RFC 3339: the `older` cursor of the previous page.
    #[param(value_type = Option<DateTime<Utc>>)]
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
    pub before: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpcomingParams {
    /// 1 to 100; default 10.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
    pub limit: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeletePointParams {
    /// The `version` you last read.
    #[param(value_type = i64)]
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
    pub version: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionsParams {
    /// Only this kind, e.g. `help` for "How can I help?" commitments.
    #[param(value_type = Option<ActionKind>)]
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
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
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
    pub with: Option<String>,
    /// From this instant or date (inclusive).
    #[param(value_type = Option<String>, min_length = 1)]
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
    pub from: Option<String>,
    /// Up to this instant (exclusive), or to the end of this date.
    #[param(value_type = Option<String>, min_length = 1)]
    #[serde(default, deserialize_with = "crate::web::api::not_blank")]
    pub to: Option<String>,
}
