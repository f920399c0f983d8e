//! Form addresses are not pages. A form posts to an address such as `/meetings/{id}/points`;
//! a person who reaches that address another way (a reload after a refused form, a bookmark,
//! the address typed back) lands on the page the form belongs to, never on a bare 405.
//!
//! - A GET of an address that only takes forms is sent on to its page ([`form_home`]).
//! - A refused form (422 or 409) is shown at the address it was posted to, with what was
//!   typed. The page says which page it belongs to (`<meta name="page-address">`), and the
//!   script puts that address in the location bar, so a reload opens the page (200) instead of
//!   posting again.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The page a form address belongs to: its parent address, except where the form lives on a
/// page of another name. A parent that only takes forms is sent on again, up to a page.
pub fn form_home(path: &str) -> String {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["settings", "calendar" | "reminders", ..] => "/settings/notifications".into(),
        ["settings", ..] => "/settings".into(),
        ["people", id, "assessments" | "strengths" | "plans"] => format!("/people/{id}/growth"),
        ["people", id, "reviews", period, _, ..] => format!("/people/{id}/reviews/{period}"),
        ["people", id, "about", _, ..] => format!("/people/{id}/about"),
        ["series", id, "program", _, ..] => format!("/series/{id}/program"),
        [list @ ("strategy" | "feedback" | "questions" | "templates"), _, ..] => format!("/{list}"),
        ["admin", "jobs", _, ..] => "/admin/jobs".into(),
        ["frameworks", _, "archive" | "restore" | "delete"] => "/frameworks".into(),
        ["points", ..] => "/meetings".into(),
        ["meetings", id, "notes", "settle"] => format!("/meetings/{id}"),
        ["plans" | "steps", ..] | ["sign-out"] | [] => "/".into(),
        [parent @ .., _] => format!("/{}", parent.join("/")),
    }
}

/// The answer for a method an address does not take: a GET or HEAD goes to the page the
/// address belongs to; anything else is refused with a sentence (and the `Allow` header the
/// router adds).
pub async fn not_a_page(method: Method, uri: axum::http::Uri) -> Response {
    if method == Method::GET || method == Method::HEAD {
        return Redirect::to(&form_home(uri.path())).into_response();
    }
    (StatusCode::METHOD_NOT_ALLOWED, "This address does not take that kind of request.\n").into_response()
}

/// Marks a refused form's page with the address of the page it belongs to (see the module).
pub async fn mark_refused(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let home = form_home(request.uri().path());
    let response = next.run(request).await;
    let refused = matches!(response.status(), StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT);
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if !(refused && html) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, 4 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be shown.\n").into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let meta = format!("<head>\n<meta name=\"page-address\" content=\"{}\">", attribute(&home));
    let marked = page.replacen("<head>", &meta, 1);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Response::from_parts(parts, Body::from(marked))
}

/// `text` safe inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::form_home;

    #[test]
    fn a_form_address_belongs_to_the_page_its_form_is_on() {
        for (address, page) in [
            ("/meetings/7/points", "/meetings/7"),
            ("/meetings/7/notes", "/meetings/7"),
            ("/meetings/7/notes/settle", "/meetings/7"),
            ("/series/3/program/kickoff/run", "/series/3/program"),
            ("/questions/own/8/delete", "/questions"),
            ("/frameworks/8/archive", "/frameworks"),
            ("/settings/tokens/8/revoke", "/settings"),
            ("/people/5/about/items/8/delete", "/people/5/about"),
            ("/settings/calendar", "/settings/notifications"),
            ("/settings/calendar/revoke", "/settings/notifications"),
            ("/settings/password", "/settings"),
            ("/people/5/assessments", "/people/5/growth"),
            ("/people/5/reviews/9/statements/2/delete", "/people/5/reviews/9"),
            ("/points/4/move", "/meetings"),
            ("/steps/4/done", "/"),
            ("/sign-out", "/"),
            ("/", "/"),
        ] {
            assert_eq!(form_home(address), page, "{address}");
        }
    }
}
