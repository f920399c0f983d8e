//! Validation errors that say what is wrong and where.

use serde::Serialize;

/// One problem with one piece of input. `field` names the form field or JSON property;
/// `line` and `column` are set (1-based) when the input was a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into(), line: None, column: None }
    }

    pub fn at(mut self, line: u64, column: u64) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c} ({}): {}", self.field, self.message),
            _ => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// A set of problems; a request with any of them changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was collected.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The message for one field, for showing next to it in a form.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// The longest text search, in characters, everywhere rapport searches (the directory, the
/// 1:1 search). Longer is a paste gone wrong, and a database refuses very long patterns.
pub const SEARCH_MAX: usize = 200;

/// A search as typed, trimmed; longer than [`SEARCH_MAX`] characters, the message for `field`.
pub fn search_query<'a>(field: &str, typed: &'a str) -> Result<&'a str, Invalid> {
    let q = typed.trim();
    let n = q.chars().count();
    if n > SEARCH_MAX {
        return Err(Invalid::one(field, format!("Search for at most {SEARCH_MAX} characters; this is {n}.")));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_at_most_200_characters() {
        assert_eq!(search_query("q", "  ann  ").unwrap(), "ann");
        assert_eq!(search_query("q", &format!(" {} ", "é".repeat(200))).unwrap().chars().count(), 200);
        let e = search_query("q", &"a".repeat(50_000)).unwrap_err();
        assert_eq!(e.0[0].field, "q");
        assert!(e.0[0].message.contains("at most 200 characters"), "{e}");
    }
}
