//! Server-rendered pages. Plain forms and links: everything works without JavaScript.

pub mod about;
pub mod accounts;
pub mod capture;
pub mod chrome;
mod evidence;
pub mod focus;
pub mod growth;
pub mod guidance;
pub mod handoff;
pub mod insights;
pub mod kickoff;
pub mod meetings;
pub mod messages;
pub mod people;
pub mod practice;
pub mod program;
pub mod pulse;
pub mod reviews;
pub mod strategy;
mod time;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
pub use chrome::{Chrome, ErrorPage};

/// A submitted HTML form. A body that cannot be read as the form (wrong content type, a field
/// of the wrong kind) gets an error page that says so, never a bare status.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) => Err(super::error::error_page(
                e.status(),
                "This form could not be read",
                &format!("{} Reload the page and try again.", e.body_text()),
            )),
        }
    }
}

/// Renders a template with a status. A template that fails to render is a bug: logged, 500.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response()
        }
    }
}

pub fn ok(t: &impl Template) -> Response {
    render(StatusCode::OK, t)
}

/// One of a fixed list of choices in a form (a checkbox or an option), and whether it is picked.
pub struct Choice {
    pub slug: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// Up to two initials for an avatar: "Ada Lovelace" → "AL".
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let pick = |w: &str| w.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
    match words.as_slice() {
        [] => "?".into(),
        [one] => pick(one),
        [first, .., last] => format!("{}{}", pick(first), pick(last)),
    }
}

/// A stable colour (one of six) for an avatar, from the name.
pub fn hue(name: &str) -> u32 {
    name.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32)) % 6
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials_take_the_first_and_last_word() {
        assert_eq!(super::initials("Ada King Lovelace"), "AL");
        assert_eq!(super::initials("plato"), "P");
        assert_eq!(super::initials("  "), "?");
        assert_eq!(super::initials("émile zola"), "ÉZ");
    }
}
