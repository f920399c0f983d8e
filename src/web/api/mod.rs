//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json`. Scripts authenticate with `Authorization: Bearer rpt_…`; a
//! browser session works too, with the `X-CSRF-Token` header on changes.
//!
//! `people.rs` holds people, accounts and tokens; `meetings/` the 1:1s: series, meetings,
//! the agenda, notes, action items and search; `growth.rs` frameworks and growth records;
//! `reviews.rs` feedback, review periods, packets and reviews; `about.rs` the manager's about
//! page and setback records.

mod about;
mod growth;
mod guidance;
mod handoff;
mod insights;
mod kickoff;
mod meetings;
mod messages;
mod people;
mod practice;
mod program;
mod pulse;
mod reviews;
mod strategy;

use super::error::ApiError;
use crate::app::App;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Query, Request};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

/// The API: every route with its OpenAPI operation, and `/openapi.json`, the document built
/// from the same list. Paths are absolute (`/api/v1/…`, as in each `#[utoipa::path]`), so
/// `web::router` merges this router rather than nesting it.
pub fn router(import_limit: usize) -> Router<App> {
    let (router, doc) = routes(import_limit).split_for_parts();
    let body = Bytes::from(serde_json::to_vec(&finish(doc)).expect("the OpenAPI document serializes"));
    router.route("/api/v1/openapi.json", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }))
}

/// The OpenAPI document `/api/v1/openapi.json` serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    finish(routes(0).into_openapi())
}

/// Every API route, once: one `routes!` per path, naming the handlers for its methods. Each
/// handler's `#[utoipa::path]` gives its method, path and operation, so a route cannot be
/// served without being documented, nor documented without being served.
fn routes(import_limit: usize) -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(people::me))
        .routes(routes!(people::change_password))
        .routes(routes!(people::sign_out_everywhere))
        .routes(routes!(handoff::get_handoff, handoff::save_handoff))
        .routes(routes!(handoff::reporting_changes))
        .routes(routes!(people::list_people, people::create_person))
        .routes(routes!(people::import_people).layer(DefaultBodyLimit::max(import_limit)))
        .routes(routes!(people::get_person, people::update_person))
        .routes(routes!(people::invite_person))
        .routes(routes!(people::accept_invitation))
        .routes(routes!(people::org_chart))
        .routes(routes!(people::list_tokens, people::create_token))
        .routes(routes!(people::revoke_token))
        .routes(routes!(meetings::list_series, meetings::create_series))
        .routes(routes!(meetings::get_series, meetings::update_series))
        .routes(routes!(meetings::upcoming))
        .routes(routes!(meetings::get_meeting, meetings::update_meeting))
        .routes(routes!(meetings::move_meeting))
        .routes(routes!(meetings::rate_meeting))
        .routes(routes!(meetings::add_point))
        .routes(routes!(meetings::save_shared_note))
        .routes(routes!(meetings::save_private_note))
        .routes(routes!(meetings::add_action))
        .routes(routes!(meetings::update_point, meetings::delete_point))
        .routes(routes!(meetings::move_point))
        .routes(routes!(meetings::my_actions))
        .routes(routes!(meetings::update_action))
        .routes(routes!(meetings::search))
        .routes(routes!(growth::list_frameworks))
        .routes(routes!(growth::import_framework).layer(DefaultBodyLimit::max(import_limit)))
        .routes(routes!(growth::get_framework, growth::delete_framework))
        .routes(routes!(growth::archive_framework))
        .routes(routes!(growth::restore_framework))
        .routes(routes!(growth::export_framework))
        .routes(routes!(growth::get_growth))
        .routes(routes!(growth::set_sharing))
        .routes(routes!(growth::set_level))
        .routes(routes!(growth::add_assessment))
        .routes(routes!(growth::add_strength))
        .routes(routes!(growth::add_plan))
        .routes(routes!(growth::add_step))
        .routes(routes!(growth::add_plan_update))
        .routes(routes!(growth::set_step_done))
        .routes(routes!(messages::my_messages))
        .routes(routes!(messages::feed_status, messages::create_feed, messages::revoke_feed))
        .routes(routes!(messages::get_reminders, messages::put_reminders))
        .routes(routes!(messages::jobs))
        .routes(routes!(reviews::my_feedback, reviews::give_feedback))
        .routes(routes!(reviews::get_feedback))
        .routes(routes!(reviews::share_feedback))
        .routes(routes!(reviews::list_periods, reviews::create_period))
        .routes(routes!(reviews::get_packet))
        .routes(routes!(reviews::get_review))
        .routes(routes!(reviews::add_statement))
        .routes(routes!(reviews::update_statement, reviews::delete_statement))
        .routes(routes!(reviews::share_review))
        .routes(routes!(reviews::answer_review))
        .routes(routes!(guidance::list_questions, guidance::add_question))
        .routes(routes!(guidance::delete_question))
        .routes(routes!(guidance::add_favourite, guidance::remove_favourite))
        .routes(routes!(guidance::import_questions).layer(DefaultBodyLimit::max(import_limit)))
        .routes(routes!(guidance::export_questions))
        .routes(routes!(guidance::use_question))
        .routes(routes!(guidance::list_templates, guidance::create_template))
        .routes(routes!(guidance::import_templates).layer(DefaultBodyLimit::max(import_limit)))
        .routes(routes!(guidance::export_templates))
        .routes(routes!(guidance::apply_template))
        .routes(routes!(program::my_programs))
        .routes(routes!(program::start_several))
        .routes(routes!(program::get_program, program::start_program))
        .routes(routes!(program::run_session))
        .routes(routes!(program::set_skipped))
        .routes(routes!(program::move_session))
        .routes(routes!(program::mark_done))
        .routes(routes!(program::capture))
        .routes(routes!(program::get_work_with_me, program::save_work_with_me))
        .routes(routes!(program::set_sharing))
        .routes(routes!(about::get_about, about::put_about))
        .routes(routes!(about::list_setbacks, about::create_setback))
        .routes(routes!(about::get_setback, about::update_setback))
        .routes(routes!(kickoff::start_team))
        .routes(routes!(strategy::list, strategy::place))
        .routes(routes!(strategy::reach))
        .routes(routes!(strategy::withdraw))
        .routes(routes!(kickoff::get_kickoff, kickoff::put_kickoff))
        .routes(routes!(kickoff::send_kickoff))
        .routes(routes!(kickoff::skip_kickoff))
        .routes(routes!(kickoff::get_focus, kickoff::put_focus, kickoff::delete_focus))
        .routes(routes!(pulse::questions))
        .routes(routes!(pulse::get_pulse, pulse::answer_pulse))
        .routes(routes!(pulse::series_pulses))
        .routes(routes!(practice::my_practice))
        .routes(routes!(insights::leader_view))
}

// ---- request bodies: JSON only, with errors that say where ----

/// A JSON body. Refuses other content types (415), malformed JSON (400, with line and
/// column), unknown or mistyped fields (422, with the field), and oversized bodies (413).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
        if !is_json {
            return Err(ApiError::request(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON, with \"Content-Type: application/json\".",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::request(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The body is larger than rapport accepts.")
            } else {
                ApiError::request(StatusCode::BAD_REQUEST, "bad_request", format!("The body could not be read: {e}"))
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// `bytes` as a `T`. A value that does not fit names its field by its path (`first_date`,
/// `actions[0].due_date`), with the message the field's type gives (a [`Day`]'s, say).
///
/// [`Day`]: crate::domain::day::Day
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        (e.into_inner(), path)
    });
    let parsed = parsed.and_then(|t| de.end().map(|()| t).map_err(|e| (e, String::new())));
    parsed.map_err(|(e, path)| {
        use serde_json::error::Category;
        let at = format!("line {}, column {}", e.line(), e.column());
        match e.classify() {
            Category::Data => {
                let mut msg = e.to_string();
                if let Some(i) = msg.find(" at line ") {
                    msg.truncate(i);
                }
                // serde names the field for unknown, missing and repeated fields; for a wrong
                // value the path to it does (the message quotes the value, not the field).
                let names_field = ["unknown field `", "missing field `", "duplicate field `"].iter().any(|p| msg.starts_with(p));
                let field = if names_field {
                    msg.split('`').nth(1).unwrap_or("body").to_string()
                } else if path.is_empty() || path == "." {
                    "body".to_string()
                } else {
                    path
                };
                ApiError::Request {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    code: "invalid",
                    message: format!("{msg} ({at})."),
                    fields: vec![crate::domain::FieldError::new(field, msg).at(e.line() as u64, e.column() as u64)],
                }
            }
            Category::Eof => ApiError::request(StatusCode::BAD_REQUEST, "bad_request", format!("The JSON ends too early ({at}).")),
            _ => ApiError::request(StatusCode::BAD_REQUEST, "bad_request", format!("The body is not valid JSON: {e}.")),
        }
    })
}

/// `null` and absent differ for optional fields such as `manager_id` or `due_date`: absent
/// leaves the value, `null` removes it.
pub(crate) fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// For a query parameter read as text and checked by the handler: present means not blank.
/// `?kind=` is refused (400) rather than read as "no filter", so the server accepts exactly
/// what the schema allows (an empty value is not an enum member, a uuid or a number).
pub(crate) fn not_blank<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
        return Err(serde::de::Error::custom("leave the parameter out rather than empty"));
    }
    Ok(v)
}

/// A whole number from `MIN` to `MAX`, as the schema states it (`minimum`, `maximum`); anything
/// else is a 400 naming the parameter, not a silent clamp.
pub(crate) fn bounded<'de, D: Deserializer<'de>, const MIN: u32, const MAX: u32>(d: D) -> Result<Option<u32>, D::Error> {
    let v = Option::<u32>::deserialize(d)?;
    match v {
        Some(n) if !(MIN..=MAX).contains(&n) => Err(serde::de::Error::custom(format!("use a whole number from {MIN} to {MAX}"))),
        _ => Ok(v),
    }
}

/// A query string. Values are read as text and checked by the handler, so a bad one is a
/// 422 naming the parameter; a query string that cannot be read at all is a JSON 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri).map(|Query(t)| ApiQuery(t)).map_err(|e| {
            ApiError::request(StatusCode::BAD_REQUEST, "bad_request", format!("The query string could not be read: {}.", e.body_text()))
        })
    }
}

// ---- every error under /api is the JSON error shape ----

/// Rewrites any error answer under `/api/` that is not JSON into the documented error shape
/// (`{"error": {"code", "message"}}`), keeping its status and headers (`Allow`, `Retry-After`,
/// `WWW-Authenticate`). Handlers already answer JSON; this catches what answers before or
/// around them: axum's rejections (query string, path, JSON), the body limit (413), 405 for a
/// known path with another method, the timeout (408) and the 500 of a caught panic. It sits
/// outside the timeout and panic layers and inside compression, so the bodies it reads are
/// never compressed.
pub async fn json_errors(req: Request, next: axum::middleware::Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // What axum says about a rejection is useful ("page: invalid digit found in string");
    // anything else (an empty body, a panic's text) is replaced by a plain sentence.
    let said = match axum::body::to_bytes(body, 4096).await {
        Ok(b) if status.is_client_error() => String::from_utf8_lossy(&b).trim().to_string(),
        _ => String::new(),
    };
    let (code, default) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "The request could not be read."),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "Sign in, or send an API token as \"Authorization: Bearer rpt_…\"."),
        StatusCode::FORBIDDEN => ("forbidden", "This request was refused."),
        StatusCode::NOT_FOUND => ("not_found", "Nothing here, or nothing you may see."),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "This address does not accept that method; see the Allow header."),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "The request took too long and was stopped."),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "The body is larger than rapport accepts."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Send the body as JSON, with \"Content-Type: application/json\"."),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid", "The request is not valid."),
        StatusCode::TOO_MANY_REQUESTS => ("throttled", "Too many requests; try again later."),
        s if s.is_server_error() => ("internal", "Something went wrong on our side; it has been logged."),
        _ => ("bad_request", "The request could not be served."),
    };
    let message = if said.is_empty() || status == StatusCode::NOT_FOUND { default.to_string() } else { said };
    let mut out = ApiError::request(status, code, message).into_response();
    for name in [header::CONTENT_TYPE, header::CONTENT_LENGTH, header::CONTENT_ENCODING, header::TRANSFER_ENCODING] {
        parts.headers.remove(name);
    }
    for (name, value) in parts.headers.iter() {
        out.headers_mut().entry(name).or_insert_with(|| value.clone());
    }
    out
}

// ---- the OpenAPI document ----

#[derive(OpenApi)]
#[openapi(
    info(title = "rapport", description = "The JSON API of rapport, self-hosted 1:1 meetings. Authenticate with a personal API token: `Authorization: Bearer rpt_…` (create one under Settings, or with `rapport token create`)."),
    components(schemas(super::error::ErrorBody, super::error::ErrorDetail, crate::domain::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "people", description = "People, reporting lines and the org chart"),
        (name = "accounts", description = "Passwords, invitations and API tokens"),
        (name = "meetings", description = "1:1 series and their meetings: the shared agenda, notes, action items and ratings"),
        (name = "search", description = "Search across every 1:1 you are part of"),
        (name = "growth", description = "Career frameworks, expectations, assessments, strengths, plans and promotion readiness"),
        (name = "messages", description = "Your messages, calendar feed and reminders; failed jobs for admins"),
        (name = "reviews", description = "Feedback both ways, review periods, review packets and reviews without surprises"),
        (name = "guidance", description = "The question bank, your own questions and favourites, and meeting templates"),
        (name = "program", description = "The first ten 1:1s of a pair, and each person's \"how to work with me\" page"),
        (name = "about", description = "A manager's about page on a direct report, and blameless setback records"),
        (name = "kickoff", description = "The note before the first 1:1 (draft, send, skip) with its warnings, and your focus hours"),
        (name = "practice", description = "Your own practice as a manager (yours alone), and the practice across the teams of your organisation (never drawn from fewer than five people)"),
        (name = "pulse", description = "The teammate's quick answers before a 1:1 (energy, workload, how things are going), read by the pair only"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        doc.security = Some(vec![SecurityRequirement::new("token", Vec::<String>::new())]);
    }
}

/// Documents the error answers every operation can give besides its own: any path parameter,
/// query string or body can be malformed (400) or invalid (422); a body can be too large (413)
/// or not JSON (415); without a token the answer is 401 (except on public operations); a
/// refusal is the same 404 as a missing record; a write can meet the same write made at once
/// (409); and a busy database answers 503 with `Retry-After`. Each operation keeps its own, more specific
/// description where it has one.
struct ErrorAnswers;

impl utoipa::Modify for ErrorAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let answer = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            let ops =
                [(false, &mut item.get), (true, &mut item.put), (true, &mut item.post), (true, &mut item.delete), (true, &mut item.patch)];
            for (write, op) in ops.into_iter().filter_map(|(w, op)| Some((w, op.as_mut()?))) {
                let public = op.security.as_ref().is_some_and(|s| serde_json::to_value(s).is_ok_and(|v| v == serde_json::json!([{}])));
                let mut add = vec![
                    ("400", "The request could not be read: a malformed path parameter, query string or body"),
                    ("404", "Nothing here, or nothing you may see (the same answer for both)"),
                    ("422", "What is wrong, per field"),
                    ("503", "The database is busy just now; try again after Retry-After seconds"),
                ];
                if write {
                    add.push(("409", "The same thing was just written by another request (try reloading)"));
                }
                if !public {
                    add.push(("401", "Not signed in, or an unknown token"));
                }
                if op.request_body.is_some() {
                    add.push(("413", "The body is larger than rapport accepts"));
                    add.push(("415", "The body is not of the documented content type"));
                }
                for (status, description) in add {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| answer(description).into());
                }
            }
        }
    }
}

/// What the routes alone do not give: the error answers every operation can give.
fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    utoipa::Modify::modify(&ErrorAnswers, &mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        version: i64,
        minutes: Option<u32>,
    }

    fn field_of(json: &str) -> String {
        match parse_json::<Body>(json.as_bytes()) {
            Err(ApiError::Request { status, fields, .. }) => {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
                fields[0].field.clone()
            }
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    /// OpenAPI requires each operationId to be unique; utoipa takes the function's name, and
    /// two modules may well use the same one (`set_sharing` did, in growth and program).
    #[test]
    fn operation_ids_are_unique() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(id) = op.get("operationId").and_then(|v| v.as_str()) else { continue };
                if let Some(earlier) = seen.insert(id.to_string(), format!("{method} {path}")) {
                    panic!("operationId {id} is used by {earlier} and by {method} {path}");
                }
            }
        }
        assert!(seen.len() > 100, "{} operations", seen.len());
    }

    /// A panic (500) and the timeout (408) answer the JSON error shape under /api, and are
    /// left alone elsewhere. Built like `web::router`: the middleware outside both layers.
    #[tokio::test]
    async fn panics_and_timeouts_under_api_answer_the_json_error_shape() {
        use tower::ServiceExt;
        async fn boom() -> &'static str {
            panic!("a bug")
        }
        async fn slow() -> &'static str {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            "late"
        }
        let app = || {
            Router::new()
                .route("/api/v1/boom", get(boom))
                .route("/api/v1/slow", get(slow))
                .route("/boom", get(boom))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    std::time::Duration::from_millis(50),
                ))
                .layer(tower_http::catch_panic::CatchPanicLayer::new())
                .layer(axum::middleware::from_fn(json_errors))
        };
        for (path, status, code) in
            [("/api/v1/boom", StatusCode::INTERNAL_SERVER_ERROR, "internal"), ("/api/v1/slow", StatusCode::REQUEST_TIMEOUT, "timeout")]
        {
            let r = app().oneshot(Request::builder().uri(path).body(axum::body::Body::empty()).unwrap()).await.unwrap();
            assert_eq!(r.status(), status);
            assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
            let body: serde_json::Value = serde_json::from_slice(&axum::body::to_bytes(r.into_body(), 10_000).await.unwrap()).unwrap();
            assert_eq!(body["error"]["code"], code, "{body}");
            assert!(!body.to_string().contains("a bug"), "the panic's text stays in the log");
        }
        let r = app().oneshot(Request::builder().uri("/boom").body(axum::body::Body::empty()).unwrap()).await.unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_ne!(r.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes()), Some(&b"application/json"[..]));
    }

    #[test]
    fn json_errors_name_a_field_only_when_serde_names_one() {
        assert_eq!(field_of(r#"{"version": 1, "colour": "blue"}"#), "colour");
        assert_eq!(field_of(r#"{"minutes": 5}"#), "version");
        assert_eq!(field_of(r#"{"version": 1, "version": 2}"#), "version");
        // A wrong value is quoted by serde (`-5`); the field is named by its path instead
        // (issue 13: a bad value names its field), never by the quoted value.
        assert_eq!(field_of(r#"{"version": 1, "minutes": -5}"#), "minutes");
        assert_eq!(field_of(r#"{"version": "one"}"#), "version");
    }
}
