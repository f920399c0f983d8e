//! The web layer: routes, middleware, pages and the JSON API. Handlers turn requests into
//! calls of `app` use cases and results into HTML or JSON; they contain no SQL and no rules.

pub mod api;
pub mod assets;
pub mod auth;
pub mod charts;
pub mod download;
pub mod error;
pub mod forms;
pub mod identity;
pub mod live;
pub mod metrics;
pub mod pages;

use crate::app::App;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every route of the product, with its middleware.
pub fn router(app: App) -> Router {
    let import_limit = app.config.max_import_bytes + 64 * 1024;
    let pages = Router::new()
        .route("/", get(pages::accounts::home))
        .route("/setup", get(pages::accounts::setup_page).post(pages::accounts::setup_submit))
        .route("/sign-in", get(pages::accounts::sign_in_page).post(pages::accounts::sign_in_submit))
        .route("/sign-out", post(pages::accounts::sign_out))
        .route("/settings", get(pages::accounts::settings_page))
        .route("/settings/password", post(pages::accounts::change_password))
        .route("/settings/sign-out-everywhere", post(pages::accounts::sign_out_everywhere))
        .route("/settings/tokens", post(pages::accounts::create_token))
        .route("/settings/tokens/{id}/revoke", post(pages::accounts::revoke_token))
        .route("/invite/{token}", get(pages::accounts::invitation_page).post(pages::accounts::invitation_submit))
        .route("/people", get(pages::people::list))
        .route("/people/new", get(pages::people::new_page).post(pages::people::create))
        .route(
            "/people/import",
            get(pages::people::import_page).post(pages::people::import_submit).layer(DefaultBodyLimit::max(import_limit)),
        )
        .route("/people/{id}", get(pages::people::show))
        .route("/people/{id}/edit", get(pages::people::edit_page).post(pages::people::update))
        .route("/people/{id}/invite", post(pages::people::invite))
        .route("/org", get(pages::people::org))
        .route("/meetings/{id}/events", get(live::meeting_events))
        .route("/meetings", get(pages::meetings::index))
        .route("/series/new", get(pages::meetings::new_series_page).post(pages::meetings::create_series))
        .route("/series/{id}", get(pages::meetings::series_page))
        .route("/series/{id}/status", post(pages::meetings::series_status))
        .route("/strategy", get(pages::strategy::strategy_page).post(pages::strategy::strategy_submit))
        .route("/strategy/{id}/withdraw", post(pages::strategy::strategy_withdraw))
        .route("/kickoff/team", get(pages::kickoff::team_page_get).post(pages::kickoff::team_submit))
        .route("/series/{id}/kickoff", get(pages::kickoff::kickoff_page).post(pages::kickoff::kickoff_submit))
        .route("/meetings/{id}", get(pages::meetings::meeting_page))
        .route("/meetings/{id}/prep", get(pages::meetings::prep_page))
        .route("/meetings/{id}/points", post(pages::meetings::add_point))
        .route("/meetings/{id}/actions", post(pages::meetings::add_action))
        .route("/meetings/{id}/notes", post(pages::meetings::save_shared_note))
        .route("/meetings/{id}/private-note", post(pages::meetings::save_private_note))
        .route("/meetings/{id}/notes/settle", post(pages::meetings::settle_note))
        .route("/meetings/{id}/status", post(pages::meetings::meeting_status))
        .route("/meetings/{id}/move", post(pages::meetings::move_meeting))
        .route("/meetings/{id}/rating", post(pages::meetings::rate_meeting))
        .route("/meetings/{id}/pulse", post(pages::pulse::answer_pulse))
        .route("/practice", get(pages::practice::practice_page))
        .route("/practice.csv", get(pages::practice::practice_csv))
        .route("/insights", get(pages::insights::insights_page))
        .route("/insights.csv", get(pages::insights::insights_csv))
        .route("/points/{id}", post(pages::meetings::update_point))
        .route("/points/{id}/move", post(pages::meetings::move_point))
        .route("/points/{id}/delete", post(pages::meetings::delete_point))
        .route("/actions", get(pages::meetings::actions_page))
        .route("/actions/{id}", post(pages::meetings::update_action))
        .route("/search", get(pages::meetings::search_page))
        .route("/frameworks", get(pages::growth::list))
        .route(
            "/frameworks/import",
            get(pages::growth::import_page).post(pages::growth::import_submit).layer(DefaultBodyLimit::max(import_limit)),
        )
        .route("/frameworks/{id}", get(pages::growth::show))
        .route("/frameworks/{id}/export", get(pages::growth::export))
        .route("/frameworks/{id}/archive", post(pages::growth::archive))
        .route("/frameworks/{id}/restore", post(pages::growth::restore))
        .route("/frameworks/{id}/delete", post(pages::growth::delete))
        .route("/people/{id}/growth", get(pages::growth::growth))
        .route("/people/{id}/growth/level", post(pages::growth::set_level))
        .route("/people/{id}/growth/share", post(pages::growth::share))
        .route("/people/{id}/growth/discuss", post(pages::growth::discuss))
        .route("/people/{id}/assessments", post(pages::growth::assess))
        .route("/people/{id}/strengths", post(pages::growth::add_strength))
        .route("/people/{id}/plans", post(pages::growth::add_plan))
        .route("/plans/{id}/steps", post(pages::growth::add_step))
        .route("/plans/{id}/updates", post(pages::growth::add_update))
        .route("/steps/{id}/done", post(pages::growth::step_done))
        .route("/messages", get(pages::messages::inbox))
        .route("/messages/{id}", get(pages::messages::message))
        .route("/messages/{id}/invitation.ics", get(pages::messages::message_calendar))
        .route("/settings/notifications", get(pages::messages::notifications_page))
        .route("/settings/calendar", post(pages::messages::create_feed))
        .route("/settings/calendar/revoke", post(pages::messages::revoke_feed))
        .route("/settings/reminders", post(pages::messages::save_reminders))
        .route("/settings/focus", get(pages::focus::focus_page).post(pages::focus::focus_submit))
        .route("/handoff", get(pages::handoff::handoff_page).post(pages::handoff::handoff_submit))
        .route("/calendar/{file}", get(pages::messages::feed))
        .route("/admin/jobs", get(pages::messages::jobs_page))
        .route("/admin/jobs/{id}/retry", post(pages::messages::retry_job))
        .route("/feedback", get(pages::reviews::feedback).post(pages::reviews::give))
        .route("/feedback/{id}/share", post(pages::reviews::share))
        .route("/reviews", get(pages::reviews::reviews))
        .route("/reviews/periods", post(pages::reviews::create_period))
        .route("/people/{id}/reviews/{period}", get(pages::reviews::review))
        .route("/people/{id}/reviews/{period}/statements", post(pages::reviews::add_statement))
        .route("/people/{id}/reviews/{period}/statements/{statement}", post(pages::reviews::update_statement))
        .route("/people/{id}/reviews/{period}/statements/{statement}/delete", post(pages::reviews::delete_statement))
        .route("/people/{id}/reviews/{period}/share", post(pages::reviews::share_review))
        .route("/people/{id}/reviews/{period}/answer", post(pages::reviews::answer_review))
        .route("/people/{id}/reviews/{period}/{file}", get(pages::reviews::packet_export))
        .route("/questions", get(pages::guidance::questions))
        .route("/questions/own", post(pages::guidance::add_own))
        .route("/questions/own/{id}/delete", post(pages::guidance::delete_own))
        .route("/questions/favourite", post(pages::guidance::favourite))
        .route("/questions/use", post(pages::guidance::use_question))
        .route("/questions/export", get(pages::guidance::export))
        .route("/questions/import", post(pages::guidance::import))
        .route("/templates", get(pages::guidance::templates_page).post(pages::guidance::create_template))
        .route("/templates/delete", post(pages::guidance::delete_template))
        .route("/templates/export", get(pages::guidance::export_templates))
        .route("/templates/import", post(pages::guidance::import_templates))
        .route("/meetings/{id}/template", post(pages::guidance::apply_template))
        .route("/meetings/{id}/questions", post(pages::guidance::add_question_to_meeting))
        .route("/program", get(pages::program::programs))
        .route("/program/start", post(pages::program::start_several))
        .route("/series/{id}/program", get(pages::program::program_page))
        .route("/series/{id}/program/start", post(pages::program::start_one))
        .route("/series/{id}/program/{key}/run", post(pages::program::run))
        .route("/series/{id}/program/{key}/skip", post(pages::program::skip))
        .route("/series/{id}/program/{key}/move", post(pages::program::move_session))
        .route("/series/{id}/program/{key}/done", post(pages::program::mark_done))
        .route("/series/{id}/program/{key}/capture", post(pages::capture::capture))
        .route("/people/{id}/work-with-me", get(pages::program::work_with_me_page).post(pages::program::save_work_with_me))
        .route("/people/{id}/work-with-me/share", post(pages::program::share_work_with_me))
        .route("/people/{id}/about", get(pages::about::about_page).post(pages::about::about_save))
        .route("/people/{id}/about/dates", post(pages::about::about_add_date))
        .route("/people/{id}/about/time-off", post(pages::about::about_add_time_off))
        .route("/people/{id}/about/items/{item}/delete", post(pages::about::about_remove))
        .route("/people/{id}/setbacks", get(pages::about::setbacks_page).post(pages::about::setback_create))
        .route("/setbacks/{id}", get(pages::about::setback_page).post(pages::about::setback_update))
        // Reached with GET, a form's address leads to its page; a refused form says which page
        // it belongs to (see `forms`).
        .method_not_allowed_fallback(forms::not_a_page)
        .layer(middleware::from_fn(forms::mark_refused));

    // Behind https, browsers are told to use nothing else for a year.
    let hsts = app.config.secure_cookies().then(|| HeaderValue::from_static("max-age=31536000"));
    Router::new()
        .merge(pages)
        .merge(api::router(import_limit))
        .route("/static/{file}", get(assets::serve))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(not_found)
        // Layers run bottom-up for a request: the request id first, then tracing, then
        // identity, then the CSRF guard, then the handler.
        .layer(middleware::from_fn_with_state(app.clone(), auth::csrf_guard))
        .layer(middleware::from_fn_with_state(app.clone(), auth::identify))
        // Outside identity: a scrape's bearer token is the metrics token, not a person's.
        .route("/metrics", get(metrics::scrape))
        .layer(DefaultBodyLimit::max(app.config.max_body_bytes))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(header::STRICT_TRANSPORT_SECURITY, hsts))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::new())
        // Outside the timeout and the panic catcher (their answers become JSON under /api)
        // and inside compression (so it reads plain bodies).
        .layer(middleware::from_fn(api::json_errors))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: query strings may carry tokens. A calendar feed's path is its token.
            let path = req.uri().path();
            let path = if path.starts_with("/calendar/") { "/calendar/[token].ics" } else { path };
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %path)
        }))
        // Counts each request by its route (a layer on the router runs after routing, so the
        // route's pattern is known), including the time spent in every layer inside it.
        .layer(middleware::from_fn_with_state(app.clone(), metrics::record))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(app)
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready means able to serve writes too: a write transaction can begin and commit within
/// [`READY_WITHIN`]. `/healthz` says only that the process answers.
async fn readyz(State(app): State<App>) -> Response {
    match app.check_writable(READY_WITHIN).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: writes cannot be made: {why}")).into_response(),
    }
}

/// How long `/readyz` waits for a write transaction before answering 503.
const READY_WITHIN: Duration = Duration::from_secs(2);

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        error::ApiError::App(crate::app::AppError::NotFound).into_response()
    } else {
        error::PageError(crate::app::AppError::NotFound).into_response()
    }
}

/// The address people use to reach rapport, for absolute links: the configured public URL,
/// or failing that the bind address. Never the request's `Host` header (`_headers` is ignored
/// on purpose): anyone can send any Host, and a link built from it would point elsewhere.
pub fn base_url(app: &App, _headers: &HeaderMap) -> String {
    app.public_base()
}

/// Listens on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // On PostgreSQL, relay other instances' changes to this instance's live pages.
    let relay = app.relay_other_instances();
    // Peer addresses reach handlers as `ConnectInfo` (the sign-in throttle counts by them).
    let service = router(app).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, service).with_graceful_shutdown(shutdown).await;
    if let Some(r) = relay {
        r.abort();
    }
    result
}
