//! Who is asking, and whether a state change really comes from our own pages.
//!
//! [`identify`] runs on every request: it reads the session cookie or an API token and puts
//! an [`Identity`] in the request. [`csrf_guard`] runs next and refuses unsafe requests that
//! another site could have forged. Handlers then take [`CurrentUser`].

use super::error::{ApiError, error_page};
use super::identity::Identity;
use crate::app::secrets::constant_time_eq;
use crate::app::{App, AppError};
use crate::domain::Person;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie::{CookieBuilder, time::Duration};
use futures_util::StreamExt;
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "rapport_session";

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
    } else if let Some(token) = CookieJar::from_headers(req.headers()).get(SESSION_COOKIE).map(|c| c.value().to_string()) {
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

/// The origin forms may come from: the configured public URL's (scheme, host and port), or,
/// with none configured, `http://` and the request's own `Host` (rapport itself speaks plain
/// HTTP; behind a TLS proxy, configure the public URL).
fn expected_origin(app: &App, headers: &HeaderMap) -> Option<url::Origin> {
    let base = match &app.config.public_url {
        Some(u) => u.clone(),
        None => format!("http://{}", headers.get(header::HOST)?.to_str().ok()?),
    };
    url::Url::parse(&base).ok().map(|u| u.origin())
}

/// Refuses forged state changes. Three checks, all needed for a session cookie:
/// the browser's own `Sec-Fetch-Site`, the `Origin` (scheme, host and port) against
/// [`expected_origin`], and the session's token
/// (form field `_csrf`, the first field of a file upload, or header `X-CSRF-Token`).
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
    if let Some(origin) = headers.get(header::ORIGIN) {
        let sent = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()).map(|u| u.origin());
        let same = origin.as_bytes() == b"null" || (sent.is_some() && sent == expected_origin(&app, headers));
        if !same {
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
        let (token, req) = multipart_token(req, &content_type).await;
        let ok = token.is_some_and(|t| constant_time_eq(&t, &session.csrf_token));
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

/// An upload's `_csrf`, which must be its first field, and the request with its body intact:
/// the bytes read to find the field are sent again before the rest, so the upload itself is
/// never buffered here.
async fn multipart_token(req: Request, content_type: &str) -> (Option<String>, Request) {
    let (parts, body) = req.into_parts();
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return (None, Request::from_parts(parts, Body::empty()));
    };
    let mut stream = body.into_data_stream();
    let mut read: Vec<Bytes> = Vec::new();
    let token = {
        let recorded = (&mut stream).inspect(|chunk| {
            if let Ok(b) = chunk {
                read.push(b.clone());
            }
        });
        let limits = multer::Constraints::new().size_limit(multer::SizeLimit::new().for_field("_csrf", 1024));
        let mut form = multer::Multipart::with_constraints(recorded, boundary, limits);
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("_csrf") => field.text().await.ok(),
            _ => None,
        }
    };
    let body = futures_util::stream::iter(read.into_iter().map(Ok::<_, axum::Error>)).chain(stream);
    (token, Request::from_parts(parts, Body::from_stream(body)))
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

/// The session cookie: HttpOnly, SameSite=Lax, for the whole site, for the session's lifetime;
/// Secure when the public URL is https. Sent with a response as a [`CookieJar`].
pub fn session_cookie(app: &App, token: &str) -> CookieJar {
    let max_age = Duration::days(i64::from(app.config.session_days));
    CookieJar::new().add(base_cookie(token.to_string()).max_age(max_age).secure(app.config.secure_cookies()))
}

/// Ends the session cookie in the browser (same name, path and flags; Max-Age=0).
pub fn clear_session_cookie() -> CookieJar {
    CookieJar::new().add(base_cookie(String::new()).max_age(Duration::ZERO))
}

fn base_cookie(value: String) -> CookieBuilder<'static> {
    Cookie::build((SESSION_COOKIE, value)).path("/").http_only(true).same_site(SameSite::Lax)
}

/// Where to go after signing in: `next` as a normalised path on rapport itself, or `/`.
/// Every redirect to a target the request names goes through here.
///
/// Accepted: a path starting with one `/`, of visible characters (no control characters,
/// spaces or backslashes, which browsers strip or read as `/`), that still names rapport
/// after a URL parser resolved it (dot segments, `//`, `@`, schemes). What is returned is the
/// parser's serialisation (non-ASCII percent-encoded), so it is always a valid header value.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_else(|| "/".to_string())
}

fn local_path(next: &str) -> Option<String> {
    if next.len() > 2048 || !next.starts_with('/') || next.starts_with("//") {
        return None;
    }
    if next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return None;
    }
    let base = url::Url::parse("http://rapport.invalid/").ok()?;
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() || !resolved.username().is_empty() || resolved.password().is_some() {
        return None;
    }
    let mut out = resolved.path().to_string();
    if let Some(q) = resolved.query() {
        out.push('?');
        out.push_str(q);
    }
    // `/.//host` resolves to the path `//host`, which a browser reads as another site.
    if out.starts_with("//") || !out.starts_with('/') || out.bytes().any(|b| !b.is_ascii_graphic() || b == b'\\') {
        return None;
    }
    Some(out)
}

/// The client's address, for the sign-in throttle: the connection's peer, or behind a
/// configured trusted proxy (`trusted_proxies`), the last address in `X-Forwarded-For` that is
/// not itself a trusted proxy. None when the server was not started with peer addresses.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<App> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
        Ok(ClientAddr(peer.map(|p| client_ip(p, &forwarded, &app.config.trusted_proxies))))
    }
}

fn client_ip(peer: IpAddr, forwarded: &str, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.to_canonical() == ip.to_canonical());
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    for hop in forwarded.split(',').rev().map(str::trim).filter(|h| !h.is_empty()) {
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = ip.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use std::net::IpAddr;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxy = [ip("10.0.0.1")];
        assert_eq!(client_ip(ip("192.0.2.9"), "203.0.113.5", &proxy), ip("192.0.2.9"), "an untrusted peer's header is ignored");
        assert_eq!(client_ip(ip("10.0.0.1"), "1.1.1.1, 203.0.113.5", &proxy), ip("203.0.113.5"), "the address the proxy saw");
        assert_eq!(client_ip(ip("10.0.0.1"), "203.0.113.5, 10.0.0.1", &proxy), ip("203.0.113.5"), "proxies are skipped");
        assert_eq!(client_ip(ip("10.0.0.1"), "", &proxy), ip("10.0.0.1"));
        assert_eq!(client_ip(ip("10.0.0.1"), "garbage", &proxy), ip("10.0.0.1"));
        assert_eq!(client_ip(ip("::ffff:192.0.2.9"), "", &[]), ip("192.0.2.9"));
    }
}
