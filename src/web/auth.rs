//! Who is asking, and whether a state change really comes from our own pages.
//!
//! [`identify`] runs on every request: it reads the session cookie or an API token and puts
//! an [`Identity`] in the request. [`csrf_guard`] runs next and refuses unsafe requests that
//! another site could have forged. Handlers then take [`CurrentUser`].

use super::error::{ApiError, error_page};
use crate::app::accounts::Session;
use crate::app::secrets::constant_time_eq;
use crate::app::{App, AppError};
use crate::domain::Person;
use axum::body::Body;
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub const SESSION_COOKIE: &str = "rapport_session";

#[derive(Clone, Debug)]
pub enum Identity {
    /// A browser with a session cookie. Unsafe requests must carry its CSRF token.
    Session(Session),
    /// A script with a personal API token. No cookie, so nothing to forge.
    Token(Person),
}

impl Identity {
    pub fn person(&self) -> &Person {
        match self {
            Identity::Session(s) => &s.person,
            Identity::Token(p) => p,
        }
    }

    pub fn csrf(&self) -> &str {
        match self {
            Identity::Session(s) => &s.csrf_token,
            Identity::Token(_) => "",
        }
    }

    pub fn session_token(&self) -> Option<&str> {
        match self {
            Identity::Session(s) => Some(&s.token),
            Identity::Token(_) => None,
        }
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

pub async fn identify(State(app): State<App>, mut req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let identity = if let Some(token) = bearer(req.headers()) {
        match app.authenticate_token(token).await {
            Ok(Some(p)) => Some(Identity::Token(p)),
            Ok(None) => {
                // A wrong token is an error, not a silent anonymous request.
                return ApiError::App(AppError::Unauthenticated).into_response();
            }
            Err(e) => return ApiError::App(e).into_response(),
        }
    } else if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        match app.session(&token).await {
            Ok(s) => s.map(Identity::Session),
            Err(e) => {
                return if api { ApiError::App(e).into_response() } else { super::error::PageError(e).into_response() };
            }
        }
    } else {
        None
    };
    if let Some(i) = identity {
        req.extensions_mut().insert(i);
    }
    next.run(req).await
}

/// Refuses forged state changes. Three checks, all needed for a session cookie:
/// the browser's own `Sec-Fetch-Site`, the `Origin` against `Host`, and the session's token
/// (form field `_csrf`, header `X-CSRF-Token`, or for file uploads the query parameter `_csrf`).
pub async fn csrf_guard(State(app): State<App>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let api = is_api(req.uri().path());
    let refuse = |why: &str| -> Response {
        if api {
            ApiError::request(StatusCode::FORBIDDEN, "forbidden", why).into_response()
        } else {
            error_page(StatusCode::FORBIDDEN, "This form could not be sent", why)
        }
    };
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return refuse("The request came from another site.");
    }
    if let (Some(origin), Some(host)) =
        (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST).and_then(|v| v.to_str().ok()))
    {
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return refuse("The request came from another site.");
        }
    }
    let Some(Identity::Session(session)) = req.extensions().get::<Identity>().cloned() else {
        return next.run(req).await;
    };
    let expired = "This page was open for too long or in another session. Reload it and try again.";
    if let Some(t) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if constant_time_eq(t, &session.csrf_token) { next.run(req).await } else { refuse(expired) };
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if content_type.starts_with("multipart/form-data") {
        let ok = req
            .uri()
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "_csrf" && constant_time_eq(&v, &session.csrf_token)))
            .unwrap_or(false);
        return if ok { next.run(req).await } else { refuse(expired) };
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, app.config.max_body_bytes).await {
            Ok(b) => b,
            Err(_) => {
                return error_page(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Too much text",
                    "What you sent is larger than rapport accepts in one form.",
                );
            }
        };
        let ok = form_urlencoded::parse(&bytes).any(|(k, v)| k == "_csrf" && constant_time_eq(&v, &session.csrf_token));
        if !ok {
            return refuse(expired);
        }
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }
    refuse(expired)
}

/// The signed-in person. Pages without one redirect to sign-in; the API answers 401.
pub struct CurrentUser(pub Identity);

impl CurrentUser {
    pub fn person(&self) -> &Person {
        self.0.person()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Nested routers see a shortened path; the original one says whether this is the API.
        let uri = parts.extensions.get::<OriginalUri>().map(|o| o.0.clone()).unwrap_or_else(|| parts.uri.clone());
        match parts.extensions.get::<Identity>() {
            Some(i) => Ok(CurrentUser(i.clone())),
            None if is_api(uri.path()) => Err(ApiError::App(AppError::Unauthenticated).into_response()),
            None => {
                let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let to = format!("/sign-in?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
                Err(Redirect::to(&to).into_response())
            }
        }
    }
}

/// The signed-in person, if any.
pub struct MaybeUser(pub Option<Identity>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<Identity>().cloned()))
    }
}

pub fn session_cookie(app: &App, token: &str) -> HeaderValue {
    let secure = if app.config.secure_cookies() { "; Secure" } else { "" };
    let max_age = app.config.session_days as u64 * 86_400;
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        .expect("cookie is ASCII")
}

pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("rapport_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Only same-site paths are followed after sign-in, so `next` cannot send people elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_string(),
        _ => "/".to_string(),
    }
}
