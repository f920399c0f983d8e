//! A calendar day as people type it: `YYYY-MM-DD`, from 1900 to 2100.
//!
//! Every date that comes in from a form, an API body or the command line is parsed here, once,
//! at the edge. What is outside those years is a typing slip (9999-12-31, 0001-01-01) or an
//! attempt to break what reads the date later (a calendar feed cannot carry a five-digit
//! year), so it is refused with one message that names the field.

use super::validation::{FieldError, Invalid};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The first year a date may have.
pub const FIRST_YEAR: i32 = 1900;
/// The last year a date may have.
pub const LAST_YEAR: i32 = 2100;

/// A day from 1900-01-01 to 2100-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(NaiveDate);

impl Day {
    /// `YYYY-MM-DD` exactly (surrounding spaces aside): four digits for the year, two for the
    /// month and the day, no sign. The message says what to type instead.
    pub fn parse(text: &str) -> Result<Day, String> {
        let t = text.trim();
        let b = t.as_bytes();
        let shape =
            b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let date = if shape { NaiveDate::parse_from_str(t, "%Y-%m-%d").ok() } else { None };
        match date {
            None => {
                Err(format!("“{}” is not a date from {FIRST_YEAR} to {LAST_YEAR}; write it as YYYY-MM-DD, like 2026-12-03.", shorten(t)))
            }
            Some(d) => Day::bounded(d),
        }
    }

    /// `date` as a day, or the one message for a date outside the years.
    pub fn bounded(date: NaiveDate) -> Result<Day, String> {
        Day::new(date).ok_or_else(|| format!("{date} is too far out: give a date from {FIRST_YEAR} to {LAST_YEAR}."))
    }

    /// A date within the bounds, or `None`.
    pub fn new(date: NaiveDate) -> Option<Day> {
        (FIRST_YEAR..=LAST_YEAR).contains(&date.year()).then_some(Day(date))
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// What was typed, cut short when it is long (a message quotes it).
fn shorten(t: &str) -> String {
    if t.chars().count() <= 40 { t.to_string() } else { format!("{}…", t.chars().take(40).collect::<String>()) }
}

/// What a required date field left empty says.
const ENTER_A_DATE: &str = "Enter a date, like 2026-12-03.";

/// A date field that may be left empty (`None` then, and no message).
pub fn optional(field: &str, text: &str, errors: &mut Invalid) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    match Day::parse(text) {
        Ok(d) => Some(d.date()),
        Err(m) => {
            errors.push(FieldError::new(field, m));
            None
        }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl std::str::FromStr for Day {
    type Err = String;
    fn from_str(s: &str) -> Result<Day, String> {
        Day::parse(s)
    }
}

impl From<Day> for NaiveDate {
    fn from(d: Day) -> NaiveDate {
        d.0
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read from a string with the same rule and wording as [`FormDay::required`], so a body that holds a
/// `Day` cannot hold a year outside the bounds.
impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Err(serde::de::Error::custom(ENTER_A_DATE));
        }
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// For an optional date field (`#[serde(default, deserialize_with = …)]`): absent, `null` and
/// blank are no date, as [`optional`] reads them; anything else must be a [`Day`].
pub fn blank_is_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.trim().is_empty() => Day::parse(&s).map(Some).map_err(serde::de::Error::custom),
        _ => Ok(None),
    }
}

/// An optional date field of a page form, read into a [`Day`] as the form is deserialized.
/// Unlike a `Day` it never fails to deserialize, so a bad date becomes a message next to the
/// field ([`FormDay::day`]) instead of a form that cannot be read; what was typed is kept for
/// the form shown again.
#[derive(Debug, Clone, Default)]
pub struct FormDay {
    pub typed: String,
    read: Option<Result<Day, String>>,
}

impl FormDay {
    /// `text` as typed in a form field or on the command line.
    pub fn read(text: &str) -> FormDay {
        FormDay { typed: text.to_string(), read: (!text.trim().is_empty()).then(|| Day::parse(text)) }
    }

    /// The day of a field that must be filled in; `None` with a message under `field` otherwise.
    pub fn required(&self, field: &str, errors: &mut Invalid) -> Option<Day> {
        if self.read.is_none() {
            errors.push(FieldError::new(field, ENTER_A_DATE));
        }
        self.day(field, errors)
    }

    /// The day; `None` when left blank, or when it is not a day (then with a message under `field`).
    pub fn day(&self, field: &str, errors: &mut Invalid) -> Option<Day> {
        match &self.read {
            Some(Ok(d)) => Some(*d),
            Some(Err(m)) => {
                errors.push(FieldError::new(field, m.clone()));
                None
            }
            None => None,
        }
    }
}

/// A date as typed, in code that builds a form's input (the demo, tests).
impl From<&str> for FormDay {
    fn from(text: &str) -> FormDay {
        FormDay::read(text)
    }
}

impl<'de> Deserialize<'de> for FormDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FormDay, D::Error> {
        Ok(FormDay::read(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_four_digits_two_and_two_within_the_years() {
        assert_eq!(Day::parse(" 2026-12-03 ").unwrap().to_string(), "2026-12-03");
        assert_eq!(Day::parse("1900-01-01").unwrap().date(), NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
        assert_eq!(Day::parse("2100-12-31").unwrap().date(), NaiveDate::from_ymd_opt(2100, 12, 31).unwrap());
        for far in ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"] {
            let m = Day::parse(far).unwrap_err();
            assert!(m.contains("from 1900 to 2100") && m.contains(far), "{far}: {m}");
        }
        for bad in [
            "+10000-01-01",
            "-0001-01-01",
            "10000-01-01",
            "2026-2-3",
            "2026-02-30",
            "26-12-03",
            "2026/12/03",
            "",
            "soon",
            "2026-12-03T10:00",
        ] {
            let m = Day::parse(bad).unwrap_err();
            assert!(m.contains("YYYY-MM-DD"), "{bad}: {m}");
        }
        assert!(Day::parse(&"9".repeat(5000)).unwrap_err().chars().count() < 120, "a long input is not quoted whole");
    }

    #[test]
    fn serde_applies_the_same_rule() {
        let d: Day = serde_json::from_str("\"2026-12-03\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-12-03\"");
        for far in ["\"9999-12-31\"", "\"+10000-01-01\"", "\"0001-01-01\"", "20261203"] {
            assert!(serde_json::from_str::<Day>(far).is_err(), "{far}");
        }
        assert!(serde_json::from_str::<Day>("\" \"").unwrap_err().to_string().starts_with(ENTER_A_DATE));
        #[derive(Deserialize)]
        struct Due {
            #[serde(default, deserialize_with = "blank_is_none")]
            due: Option<Day>,
        }
        for none in ["{}", r#"{"due": null}"#, r#"{"due": " "}"#] {
            assert_eq!(serde_json::from_str::<Due>(none).unwrap().due, None, "{none}");
        }
        assert!(serde_json::from_str::<Due>(r#"{"due": "2026-02-30"}"#).is_err());
    }

    #[test]
    fn fields_name_themselves() {
        let mut e = Invalid::default();
        assert_eq!(FormDay::read("").required("starts_on", &mut e), None);
        assert_eq!(optional("due_date", " ", &mut e), None);
        assert_eq!(optional("due_date", "9999-12-31", &mut e), None);
        assert_eq!(FormDay::read("2026-01-31").required("ends_on", &mut e).map(Day::date), NaiveDate::from_ymd_opt(2026, 1, 31));
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["starts_on", "due_date"]);
    }
}
