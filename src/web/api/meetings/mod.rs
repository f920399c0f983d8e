//! 1:1s: series, meetings, the shared agenda, notes, action items, ratings and search.
//!
//! Times are RFC 3339 in UTC; meetings also carry their local date and time in the series'
//! time zone, which is what stays fixed across daylight-saving changes. Values with a fixed
//! set of choices (kinds, statuses, dates) are read as text and checked here, so a wrong one
//! is a 422 that names its field. Anything a person is not part of answers 404, exactly like
//! an id that does not exist.
//!
//! One module per thing people do: `series`, `meeting` (a meeting, its status, moving and
//! rating), `agenda` (talking points), `notes`, `actions` and `search`; with `shapes` (what
//! comes back), `bodies` (request bodies and query strings), `choices` (the wire enums) and
//! `check` (reading and checking the request's own values).

mod actions;
mod agenda;
mod bodies;
mod check;
mod choices;
mod meeting;
mod notes;
mod search;
mod series;
mod shapes;

pub(crate) use actions::*;
pub(crate) use agenda::*;
pub(crate) use meeting::*;
pub(crate) use notes::*;
pub(crate) use search::*;
pub(crate) use series::*;
