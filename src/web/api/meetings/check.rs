//! Reading and checking the request's own values, before any use case runs.

use crate::domain::{FieldError, Invalid};
use crate::web::api::ApiResult;
use crate::web::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// Collects what is wrong with the request's own values, before any use case runs.
#[derive(Default)]
pub(super) struct Check(pub(super) Invalid);

impl Check {
    pub(super) fn choice<T>(&mut self, field: &str, value: &str, parse: impl Fn(&str) -> Option<T>, choices: &str) -> Option<T> {
        let v = parse(value.trim());
        if v.is_none() {
            self.0.push(FieldError::new(field, format!("\"{value}\" is not one of the choices: {choices}.")));
        }
        v
    }

    /// An RFC 3339 instant; with `day_end`, a plain date means the end of that day (UTC), and
    /// without it the start.
    pub(super) fn instant(&mut self, field: &str, value: &str, day_end: bool) -> Option<DateTime<Utc>> {
        let v = value.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Some(t.with_timezone(&Utc));
        }
        if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            let d = if day_end { d.succ_opt().unwrap_or(d) } else { d };
            return Some(d.and_time(chrono::NaiveTime::MIN).and_utc());
        }
        self.0.push(FieldError::new(field, "Give a time as RFC 3339 (2026-10-20T08:00:00Z) or a date (2026-10-20)."));
        None
    }

    pub(super) fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
        &mut self,
        field: &str,
        value: &str,
        min: T,
        max: T,
    ) -> Option<T> {
        match value.trim().parse::<T>() {
            Ok(n) if n >= min && n <= max => Some(n),
            _ => {
                self.0.push(FieldError::new(field, format!("Give a whole number from {min} to {max}.")));
                None
            }
        }
    }

    pub(super) fn uuid(&mut self, field: &str, value: &str) -> Option<Uuid> {
        match Uuid::parse_str(value.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                self.0.push(FieldError::new(field, "Give an id as a UUID."));
                None
            }
        }
    }

    pub(super) fn done(self) -> ApiResult<()> {
        self.0.into_result().map_err(|e| ApiError::App(e.into()))
    }

    /// `value` once nothing is wrong; otherwise the problems collected (which say why `value`
    /// is missing) as the answer.
    pub(super) fn value<T>(self, value: Option<T>) -> ApiResult<T> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.refused()),
        }
    }

    /// The problems collected, as the answer: for when a value is missing because it was wrong.
    pub(super) fn refused(self) -> ApiError {
        ApiError::App(self.0.into())
    }
}

pub(super) fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_date_covers_the_whole_day() {
        let mut c = Check::default();
        assert_eq!(c.instant("from", "2026-10-20", false).unwrap().to_rfc3339(), "2026-10-20T00:00:00+00:00");
        assert_eq!(c.instant("to", "2026-10-20", true).unwrap().to_rfc3339(), "2026-10-21T00:00:00+00:00");
        assert_eq!(c.instant("to", "2026-10-20T10:00:00+02:00", true).unwrap().to_rfc3339(), "2026-10-20T08:00:00+00:00");
        assert!(c.instant("to", "next tuesday", true).is_none());
        assert_eq!(c.0.0[0].field, "to");
    }
}
