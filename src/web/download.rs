//! Files a person downloads: the body, its type, and the name it is saved under.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `body` as a download named `file_name`. Quotes, backslashes and control characters in the
/// name (which can come from what people typed, such as a framework's name) become `_`, so
/// the header stays well-formed whatever the name.
pub fn attachment(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    let safe: String = file_name.chars().map(|c| if c == '"' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    let disposition = format!("attachment; filename=\"{safe}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_quotes_or_line_breaks_cannot_break_the_header() {
        let r = attachment("text/csv", "team \"A\"\r\nX-Evil: 1.csv", "a,b");
        let d = r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert_eq!(d, "attachment; filename=\"team _A___X-Evil: 1.csv\"");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "text/csv");
    }
}
