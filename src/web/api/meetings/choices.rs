//! Values with a fixed set of choices, as they go on the wire.

use crate::domain::meeting as rules;
use crate::domain::schedule::Cadence as DomainCadence;
use serde::Serialize;
use utoipa::ToSchema;

// ---- choices: serialised exactly as the domain spells them (a unit test checks) ----

/// Declares a wire enum mirroring a domain enum, with the conversion from it.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident from $domain:ty { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => $name::$variant),+ }
            }
        }
    };
}

wire_enum!(
    /// `regular` (a manager and a direct report), `skip_level`, or `one_off` (a single meeting).
    SeriesKind from rules::SeriesKind { Regular, SkipLevel, OneOff }
);
wire_enum!(Cadence from DomainCadence { Weekly, Biweekly, Monthly });
wire_enum!(SeriesStatus from rules::SeriesStatus { Active, Paused, Ended });
wire_enum!(
    /// `skipped` and `cancelled` need a reason; nothing is deleted.
    MeetingStatus from rules::MeetingStatus { Scheduled, Held, Skipped, Cancelled }
);
wire_enum!(
    /// `help`: a "How can I help?" commitment, owned by the manager.
    ActionKind from rules::ActionKind { Normal, Help }
);
wire_enum!(SearchHitKind from crate::domain::meeting::DocKind { Point, Note, Action });

/// Which way a topic moves in the agenda as shown.
#[derive(Serialize, ToSchema, Clone, Copy, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire<T: Serialize>(v: T) -> String {
        serde_json::to_value(v).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn choices_are_spelled_as_the_domain_spells_them() {
        for k in [rules::SeriesKind::Regular, rules::SeriesKind::SkipLevel, rules::SeriesKind::OneOff] {
            assert_eq!(wire(SeriesKind::from(k)), k.as_str());
        }
        for c in DomainCadence::ALL {
            assert_eq!(wire(Cadence::from(c)), c.as_str());
        }
        for s in [rules::SeriesStatus::Active, rules::SeriesStatus::Paused, rules::SeriesStatus::Ended] {
            assert_eq!(wire(SeriesStatus::from(s)), s.as_str());
        }
        for s in
            [rules::MeetingStatus::Scheduled, rules::MeetingStatus::Held, rules::MeetingStatus::Skipped, rules::MeetingStatus::Cancelled]
        {
            assert_eq!(wire(MeetingStatus::from(s)), s.as_str());
        }
        for k in [rules::ActionKind::Normal, rules::ActionKind::Help] {
            assert_eq!(wire(ActionKind::from(k)), k.as_str());
        }
        use crate::domain::meeting::DocKind;
        for k in [DocKind::Point, DocKind::Note, DocKind::Action] {
            assert_eq!(wire(SearchHitKind::from(k)), k.as_str());
        }
    }
}
