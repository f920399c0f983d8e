//! `/metrics` and the middleware that counts each request for it.

use crate::app::App;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Counts the request under its route's pattern (`/meetings/{id}`: never an id or a token),
/// with its method, status and the time to answer it (up to the response's head).
pub async fn record(State(app): State<App>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_owned();
    let response = next.run(req).await;
    app.metrics.requests.record(&method, &route, response.status().as_u16(), started.elapsed());
    response
}

/// The Prometheus text format; with `metrics_token` set, only for `Authorization: Bearer` with it.
pub async fn scrape(State(app): State<App>, headers: HeaderMap) -> Response {
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !app.may_scrape(token) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "A bearer token is needed to read the metrics.\n")
            .into_response();
    }
    match app.metrics_text().await {
        Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "metrics could not be gathered");
            (StatusCode::SERVICE_UNAVAILABLE, "The metrics could not be gathered just now.\n").into_response()
        }
    }
}
