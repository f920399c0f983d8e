//! How failures reach people: one mapping for the JSON API and one for pages.

use super::pages::chrome::{Chrome, ErrorPage};
use crate::app::AppError;
use crate::domain::{FieldError, Invalid};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

/// The JSON body of every API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable code: not_found, unauthenticated, invalid, conflict, throttled, bad_request,
    /// payload_too_large, unsupported_media_type, forbidden, unavailable, internal.
    pub code: &'static str,
    pub message: String,
    /// For `invalid`: each problem with its field (and line and column for files).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// An error from an API handler.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// A problem with the request itself (body, headers), found before any use case ran.
    Request {
        status: StatusCode,
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl ApiError {
    pub fn request(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Request { status, code, message: message.into(), fields: vec![] }
    }
}

fn json(status: StatusCode, code: &'static str, message: String, fields: Vec<FieldError>) -> Response {
    (status, axum::Json(ErrorBody { error: ErrorDetail { code, message, fields } })).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Request { status, code, message, fields } => json(status, code, message, fields),
            ApiError::App(e) => match e {
                AppError::NotFound => json(StatusCode::NOT_FOUND, "not_found", "Nothing here, or nothing you may see.".into(), vec![]),
                AppError::Unauthenticated => {
                    let mut r = json(
                        StatusCode::UNAUTHORIZED,
                        "unauthenticated",
                        "Sign in, or send an API token as \"Authorization: Bearer rpt_…\".".into(),
                        vec![],
                    );
                    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                    r
                }
                AppError::Invalid(Invalid(fields)) => {
                    let message = if fields.len() == 1 { fields[0].to_string() } else { format!("{} problems; see fields.", fields.len()) };
                    json(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message, fields)
                }
                AppError::Conflict(m) => json(StatusCode::CONFLICT, "conflict", m, vec![]),
                AppError::Throttled { retry_after_secs } => {
                    let mut r = json(
                        StatusCode::TOO_MANY_REQUESTS,
                        "throttled",
                        format!("Too many failed attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60)),
                        vec![],
                    );
                    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                        r.headers_mut().insert(header::RETRY_AFTER, v);
                    }
                    r
                }
                AppError::Unavailable => unavailable(json(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "rapport is busy just now; try again in a moment.".into(),
                    vec![],
                )),
                AppError::Internal(err) => {
                    tracing::error!(error = %format!("{err:#}"), "internal error");
                    json(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "Something went wrong on our side; it has been logged.".into(),
                        vec![],
                    )
                }
            },
        }
    }
}

/// An error from a page handler: an error page, or a redirect to sign in.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self.0 {
            AppError::Unauthenticated => return Redirect::to("/sign-in").into_response(),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "There is nothing here, or nothing you may see. Check the address, or go back.".to_string(),
            ),
            AppError::Invalid(i) => (StatusCode::UNPROCESSABLE_ENTITY, "That did not work", i.to_string()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "Someone else got there first", m),
            AppError::Throttled { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "Please wait",
                format!("Too many attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60)),
            ),
            AppError::Unavailable => {
                let page = error_page(StatusCode::SERVICE_UNAVAILABLE, "Busy", "rapport is busy just now; try again in a moment.");
                return unavailable(page);
            }
            AppError::Internal(err) => {
                tracing::error!(error = %format!("{err:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "Something went wrong on our side and has been logged. Please try again.".to_string(),
                )
            }
        };
        error_page(status, heading, &message)
    }
}

/// A 503 says when to try again.
fn unavailable(mut r: Response) -> Response {
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

pub fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    let page = ErrorPage { c: Chrome::bare(heading), heading, message };
    match askama::Template::render(&page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_answers_503_with_retry_after_on_pages_and_the_api() {
        for r in [ApiError::App(AppError::Unavailable).into_response(), PageError(AppError::Unavailable).into_response()] {
            assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(r.headers()[header::RETRY_AFTER], "1");
        }
    }
}
