//! 1:1s through the pages: the list of your 1:1s, starting a series, a series' timeline, the
//! meeting page (agenda, actions, shared and private notes, status, rating), the prep view,
//! your actions and search. Plain forms that post and redirect back (303); a refused form is
//! shown again with each message next to its field (422), a stale version with the current
//! content (409). Live updates are a layer on top, in `static/app.js`.

mod actions;
mod agenda;
mod list;
mod meeting;
mod new_series;
mod notes;
mod prep;
mod search;
mod series;
mod shared;
mod status;

pub use actions::{actions_page, add_action, update_action};
pub use agenda::{add_point, delete_point, move_point, update_point};
pub use list::index;
pub use meeting::meeting_page;
pub(in crate::web::pages) use meeting::meeting_with_capture;
pub(crate) use meeting::meeting_with_pulse;
pub use new_series::{create_series, new_series_page};
pub use notes::{save_private_note, save_shared_note, settle_note};
pub use prep::prep_page;
pub use search::search_page;
pub use series::{series_page, series_status};
pub use status::{meeting_status, move_meeting, rate_meeting};
