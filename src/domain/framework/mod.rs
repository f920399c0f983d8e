//! Career frameworks: tracks and their levels, competencies grouped in areas, and what each
//! competency expects at each level.
//!
//! Three shapes come in and go out: the rapport format in YAML or JSON (documented by
//! `frameworks/framework.schema.json`) and a spreadsheet matrix in CSV (rows = competencies,
//! columns = levels, cells = expectations). [`parse`] reads a whole file into a [`Framework`]
//! or returns every problem with its line and column; [`export`] writes one back, so that
//! `parse(export(f)) == f` and `export(parse(x)) == x` for a file rapport wrote.

mod export;
mod matrix;
mod parse;
mod raw;
#[cfg(test)]
mod tests;

pub use export::export;
pub use parse::parse;

use serde::{Deserialize, Serialize};

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 8000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Framework {
    pub name: String,
    pub tracks: Vec<Track>,
    pub areas: Vec<Area>,
}

/// A career track (individual contributor, manager…) and its levels, lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Track {
    pub name: String,
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Area {
    pub name: String,
    pub competencies: Vec<Competency>,
}

/// A competency and its expectation at every level of every track, in [`Framework::levels`]
/// order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Competency {
    pub name: String,
    pub description: String,
    pub expectations: Vec<String>,
}

/// A level with the track it belongs to and its place in that track (0 = lowest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRef<'a> {
    pub track: &'a str,
    pub name: &'a str,
    pub rank: usize,
    /// Position in [`Framework::levels`] (the column of the matrix).
    pub column: usize,
}

impl Framework {
    /// Every level of every track, in order: the columns of the matrix.
    pub fn levels(&self) -> Vec<LevelRef<'_>> {
        let mut out = Vec::new();
        for t in &self.tracks {
            for (rank, l) in t.levels.iter().enumerate() {
                let column = out.len();
                out.push(LevelRef { track: &t.name, name: l, rank, column });
            }
        }
        out
    }

    pub fn level(&self, name: &str) -> Option<LevelRef<'_>> {
        self.levels().into_iter().find(|l| l.name == name)
    }

    /// The level after `name` in its track, if there is one.
    pub fn next_level(&self, name: &str) -> Option<LevelRef<'_>> {
        let here = self.level(name)?;
        self.levels().into_iter().find(|l| l.track == here.track && l.rank == here.rank + 1)
    }

    pub fn competencies(&self) -> impl Iterator<Item = (&Area, &Competency)> {
        self.areas.iter().flat_map(|a| a.competencies.iter().map(move |c| (a, c)))
    }

    pub fn competency(&self, name: &str) -> Option<&Competency> {
        self.competencies().map(|(_, c)| c).find(|c| c.name == name)
    }

    /// What `competency` expects at `level`.
    pub fn expectation(&self, competency: &str, level: &str) -> Option<&str> {
        let col = self.level(level)?.column;
        self.competency(competency)?.expectations.get(col).map(String::as_str)
    }

    /// Counts for an import preview.
    pub fn summary(&self) -> Summary {
        let levels = self.levels().len();
        let competencies = self.competencies().count();
        // Cells left empty (not expected at that level) are not expectations.
        let expectations = self.competencies().map(|(_, c)| c.expectations.iter().filter(|e| !e.is_empty()).count()).sum();
        Summary { tracks: self.tracks.len(), levels, areas: self.areas.len(), competencies, expectations }
    }
}

/// A level of one version that the next version no longer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VanishedLevel {
    pub level: String,
    /// The name it seems to have now: at its place in the same track there is exactly one
    /// name, new to the framework, and the old one is gone. Only a guess: nobody is moved.
    pub renamed_to: Option<String>,
}

impl VanishedLevel {
    /// What importing means for the people placed on this level, in one sentence: `names` are
    /// those the reader may see, `others` how many more there are.
    pub fn message(&self, names: &[String], others: usize) -> String {
        let renamed = self.renamed_to.as_ref().map(|n| format!(" (it looks renamed to {n})")).unwrap_or_default();
        let head = format!("{} is not in the new version{renamed}", self.level);
        let total = names.len() + others;
        if total == 0 {
            return format!("{head}: nobody is placed on it.");
        }
        let mut who = names.join(", ");
        if others > 0 {
            let more = if others == 1 { "other" } else { "others" };
            who =
                if names.is_empty() { format!("{others} you don't manage") } else { format!("{who} and {others} {more} you don't manage") };
        }
        let people = if total == 1 { "1 person is".to_string() } else { format!("{total} people are") };
        format!("{head}: {people} placed on it ({who}); their level will need choosing.")
    }
}

/// The levels of `old` that `new` does not have, in `old`'s order, each with the name it looks
/// renamed to when that is safe to say.
pub fn vanished_levels(old: &Framework, new: &Framework) -> Vec<VanishedLevel> {
    let known = |name: &str| old.level(name).is_some();
    old.levels()
        .into_iter()
        .filter(|l| new.level(l.name).is_none())
        .map(|l| {
            let there = new.tracks.iter().find(|t| t.name == l.track).and_then(|t| t.levels.get(l.rank));
            VanishedLevel { level: l.name.to_string(), renamed_to: there.filter(|n| !known(n)).cloned() }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub tracks: usize,
    pub levels: usize,
    pub areas: usize,
    pub competencies: usize,
    pub expectations: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Yaml,
    Json,
    Csv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Yaml, Format::Json, Format::Csv];

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_file_name(name: &str) -> Option<Format> {
        name.rsplit_once('.').and_then(|(_, ext)| Format::parse(ext))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Yaml => "application/yaml; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}
