//! `GET /meetings/{id}/events`: Server-Sent Events for one meeting. Each event says only
//! what changed (`{"what":"points","by":"<person id>"}`); the page then fetches the fresh
//! content through the ordinary, access-checked routes. Private notes send no events.

use super::auth::CurrentUser;
use super::error::PageError;
use crate::app::App;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use uuid::Uuid;

pub async fn meeting_events(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> Result<Response, PageError> {
    let receiver = app.subscribe_meeting(user.person(), id).await?;
    let stream = BroadcastStream::new(receiver).filter_map(|msg| async move {
        match msg {
            Ok(event) => Event::default().event("change").json_data(&event).ok().map(Ok::<_, std::convert::Infallible>),
            // Too slow to keep up: ask the page to reload everything.
            Err(_) => Some(Ok(Event::default().event("resync").data("{}"))),
        }
    });
    let mut r = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    // Proxies must pass events through as they come.
    r.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
