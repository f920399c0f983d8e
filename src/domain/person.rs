//! A person: who they are in the organisation. People are also the accounts that sign in.

use super::validation::{FieldError, Invalid};
use super::zone::Zone;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub Uuid);

impl std::fmt::Display for PersonId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An e-mail address as typed, plus the lower-cased form used for uniqueness and sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress {
    pub original: String,
    pub lower: String,
}

impl EmailAddress {
    /// Accepts what mail systems accept in practice: one `@`, a non-empty local part without
    /// spaces, and a domain with at least one dot and no empty labels. Not the full RFC 5322
    /// grammar, on purpose: quoted local parts are never seen in an organisation's directory.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter an e-mail address.".into());
        }
        if s.len() > 254 {
            return Err("This e-mail address is longer than 254 characters.".into());
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(format!("\"{s}\" is not an e-mail address: it has no @."));
        };
        if local.is_empty() || domain.contains('@') {
            return Err(format!("\"{s}\" is not an e-mail address."));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
            return Err(format!("\"{s}\" contains a character an e-mail address cannot have."));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
            return Err(format!("\"{s}\" has no valid domain after the @ (for example example.com)."));
        }
        Ok(Self { original: s.to_string(), lower: s.to_lowercase() })
    }
}

pub const NAME_MAX: usize = 200;
pub const TITLE_MAX: usize = 200;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 1024;

pub fn validate_name(field: &str, input: &str, errors: &mut Invalid) -> String {
    let s = input.trim();
    if s.is_empty() {
        errors.push(FieldError::new(field, "Enter a name."));
    } else if s.chars().count() > NAME_MAX {
        errors.push(FieldError::new(field, format!("A name can have at most {NAME_MAX} characters.")));
    } else if s.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "A name cannot contain control characters."));
    }
    s.to_string()
}

pub fn validate_title(field: &str, input: &str, errors: &mut Invalid) -> String {
    let s = input.trim();
    if s.chars().count() > TITLE_MAX {
        errors.push(FieldError::new(field, format!("A title can have at most {TITLE_MAX} characters.")));
    } else if s.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "A title cannot contain control characters."));
    }
    s.to_string()
}

pub fn validate_password(field: &str, input: &str, errors: &mut Invalid) {
    let n = input.chars().count();
    if n < PASSWORD_MIN {
        errors.push(FieldError::new(field, format!("Use at least {PASSWORD_MIN} characters; a short sentence works well.")));
    } else if input.len() > PASSWORD_MAX {
        errors.push(FieldError::new(field, format!("Use at most {PASSWORD_MAX} bytes.")));
    }
}

/// One of a person's API tokens, as they see it listed (never the token itself).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_normalised_for_uniqueness() {
        let e = EmailAddress::parse("  Ada.Lovelace@Example.COM ").unwrap();
        assert_eq!(e.original, "Ada.Lovelace@Example.COM");
        assert_eq!(e.lower, "ada.lovelace@example.com");
    }

    #[test]
    fn malformed_email_addresses_are_refused_with_a_reason() {
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "a da@example.com", "ada@exa..mple.com"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        let mut e = Invalid::default();
        validate_password("password", "short", &mut e);
        assert_eq!(e.message_for("password").map(|m| m.contains("at least")), Some(true));
        let mut ok = Invalid::default();
        validate_password("password", "a long enough phrase", &mut ok);
        assert!(ok.is_empty());
    }
}

/// A person as the rest of rapport sees them. The password hash is not part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub title: String,
    pub timezone: Zone,
    pub manager_id: Option<PersonId>,
    pub is_admin: bool,
    /// Whether they have set a password (accepted an invitation or were created with one).
    pub can_sign_in: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// A person with the number of people who report to them, for lists and the org chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonWithReports {
    pub person: Person,
    pub reports: i64,
}
