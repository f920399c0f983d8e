//! A time zone: an IANA name such as `Europe/Berlin`, parsed once where it comes in (a form, an
//! API body, a database row) and kept as the zone itself from then on.

use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A known IANA time zone. Shown, stored and serialized as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// The zone named by `input` (surrounding spaces ignored), or the one message that says
    /// what to type instead.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Choose a time zone, for example Europe/Berlin.".into());
        }
        s.parse::<Tz>().map(Zone).map_err(|_| format!("\"{s}\" is not a time zone we know; use an IANA name such as America/New_York."))
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    /// The IANA name, for example `Europe/Berlin`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl From<Tz> for Zone {
    fn from(tz: Tz) -> Self {
        Zone(tz)
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Zone::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Every IANA zone name, for the time-zone picker.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iana_name_parses_into_its_zone() {
        let z = Zone::parse(" Europe/Berlin ").unwrap();
        assert_eq!(z.tz(), chrono_tz::Europe::Berlin);
        assert_eq!(z.to_string(), "Europe/Berlin");
    }

    #[test]
    fn an_unknown_name_is_refused_with_what_to_type_instead() {
        let m = Zone::parse("Mars/Olympus").unwrap_err();
        assert_eq!(m, "\"Mars/Olympus\" is not a time zone we know; use an IANA name such as America/New_York.");
        assert_eq!(Zone::parse("  ").unwrap_err(), "Choose a time zone, for example Europe/Berlin.");
    }

    #[test]
    fn serde_uses_the_name() {
        let z = Zone::parse("America/New_York").unwrap();
        let json = serde_json::to_string(&z).unwrap();
        assert_eq!(json, "\"America/New_York\"");
        assert_eq!(serde_json::from_str::<Zone>(&json).unwrap(), z);
        let e = serde_json::from_str::<Zone>("\"Mars/Olympus\"").unwrap_err();
        assert!(e.to_string().contains("not a time zone we know"), "{e}");
    }
}
