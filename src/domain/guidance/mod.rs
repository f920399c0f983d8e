//! Guidance: the purposes of a 1:1, the question bank (ours, from `content/questions.csv`, and
//! each person's own), meeting templates (`content/templates.toml`), and reading and writing a
//! person's own questions as CSV, JSON or a Markdown list with every problem located.
//!
//! Every word of content lives in `content/`, not here: this module only reads it.

mod question_files;
mod questions;
mod suggestions;
mod templates;
#[cfg(test)]
mod tests;

pub use question_files::*;
pub use questions::*;
pub use suggestions::*;
pub use templates::*;

use serde::{Deserialize, Serialize};

/// The ten purposes of a 1:1 (DESIGN.md). One enumeration used by questions, template prompts
/// and the prep view's suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Relationship,
    Safety,
    Competence,
    Strengths,
    Support,
    Plans,
    Feedback,
    Career,
    Wellbeing,
    Strategy,
}

impl Purpose {
    pub const ALL: [Purpose; 10] = [
        Purpose::Relationship,
        Purpose::Safety,
        Purpose::Competence,
        Purpose::Strengths,
        Purpose::Support,
        Purpose::Plans,
        Purpose::Feedback,
        Purpose::Career,
        Purpose::Wellbeing,
        Purpose::Strategy,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Purpose::Relationship => "relationship",
            Purpose::Safety => "safety",
            Purpose::Competence => "competence",
            Purpose::Strengths => "strengths",
            Purpose::Support => "support",
            Purpose::Plans => "plans",
            Purpose::Feedback => "feedback",
            Purpose::Career => "career",
            Purpose::Wellbeing => "wellbeing",
            Purpose::Strategy => "strategy",
        }
    }

    /// The words people see.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Relationship => "Relationship",
            Purpose::Safety => "Psychological safety",
            Purpose::Competence => "Competence",
            Purpose::Strengths => "Strengths",
            Purpose::Support => "Support",
            Purpose::Plans => "Plans",
            Purpose::Feedback => "Reviews without surprises",
            Purpose::Career => "Promotion and career",
            Purpose::Wellbeing => "Wellbeing",
            Purpose::Strategy => "Team and strategy",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        let s = s.trim().to_lowercase();
        Purpose::ALL.into_iter().find(|p| p.slug() == s || p.label().to_lowercase() == s)
    }
}

/// A space-separated list of purpose slugs (how they are stored).
pub fn purposes_to_string(ps: &[Purpose]) -> String {
    ps.iter().map(|p| p.slug()).collect::<Vec<_>>().join(" ")
}

pub fn purposes_from_string(s: &str) -> Vec<Purpose> {
    s.split_whitespace().filter_map(Purpose::parse).collect()
}
