//! The demo's pulses: each teammate answers before most 1:1s of the last twelve weeks, at a
//! level of their own with a little change from week to week; one in eight is sliding lately,
//! so the manager's prep has something to suggest. The same for the same seed, and drawn from a
//! generator of its own, so the rest of the demo is what it was without pulses.

use super::Rng;
use crate::domain::pulse::Questions;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// How far back the demo's teammates answered the pulse.
pub const WEEKS: i64 = 12;

const COMMENTS: &[&str] = &[
    "",
    "",
    "",
    "",
    "Launch week, long days",
    "Good sprint, felt in control",
    "Waiting on decisions from other teams",
    "Back from holiday, catching up",
    "On call was rough this week",
];

pub struct Pulses {
    rng: Rng,
    keys: Vec<String>,
}

impl Pulses {
    pub fn new(seed: u64, questions: &Questions) -> Pulses {
        Pulses { rng: Rng::new(seed ^ 0x5eed_0fb0_a7e5), keys: questions.all().iter().map(|q| q.key.clone()).collect() }
    }

    /// Whether a 1:1 beginning at `starts_at` gets a pulse: three in four of those of the last
    /// [`WEEKS`] weeks; none still to come, so each teammate's home asks for the next one.
    pub fn answered(&mut self, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        if starts_at < now - Duration::weeks(WEEKS) || starts_at > now {
            return false;
        }
        self.rng.below(100) < 75
    }

    /// The answers of `teammate` for a 1:1 `weeks_ago` weeks back (0 or less: this week), and a
    /// comment now and then.
    pub fn answers(&mut self, teammate: Uuid, weeks_ago: i64) -> (Vec<(String, i64)>, String) {
        let h = teammate.as_u128();
        let sliding = h % 8 == 3;
        let answers = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let level = 3 + ((h >> (8 * i)) % 3) as i64;
                let noise = [-1, 0, 0, 0, 1][self.rng.below(5)];
                // The first question slides over the last four weeks, down to the bottom.
                let slide = if sliding && i == 0 { 4 - weeks_ago.clamp(0, 4) } else { 0 };
                (key.clone(), (level + noise - slide).clamp(1, 5))
            })
            .collect();
        (answers, self.rng.pick(COMMENTS).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliding_teammate_reaches_the_bottom_and_the_others_stay_in_range() {
        let q = Questions::ours();
        let mut p = Pulses::new(7, q);
        let sliding = (0u128..).map(Uuid::from_u128).find(|id| id.as_u128() % 8 == 3).unwrap();
        let (now, _) = p.answers(sliding, 0);
        assert!(now[0].1 <= 2, "{now:?}");
        for id in 0..50u128 {
            for weeks in 0..WEEKS {
                let (answers, _) = p.answers(Uuid::from_u128(id), weeks);
                assert_eq!(answers.len(), 3);
                assert!(answers.iter().all(|(_, v)| (1..=5).contains(v)));
            }
        }
    }
}
