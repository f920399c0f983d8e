//! Two people editing the same note: a three-way merge, line by line, that never loses a word.
//!
//! Edits at different places fit together without asking anyone, and so do two additions at
//! the same place (both are kept, yours first). Only where both people changed the same lines
//! is a person asked; the answer is a list of parts, the same text and the places that differ,
//! for a page to show side by side, never text with merge marks in it.

use diffy::{ConflictStyle, MergeOptions};
use serde::{Deserialize, Serialize};

/// One run of a merged text: words both versions share, or a place where they differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Part {
    Same { text: String },
    Differ { mine: String, theirs: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    /// Both changes fit together.
    Clean(String),
    /// They changed the same lines: the shared text and, at each such place, both versions.
    Conflict(Vec<Part>),
}

/// What to keep at a place where two versions differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
    Both,
}

impl Keep {
    pub fn parse(s: &str) -> Option<Keep> {
        match s {
            "mine" => Some(Keep::Mine),
            "theirs" => Some(Keep::Theirs),
            "both" => Some(Keep::Both),
            _ => None,
        }
    }
}

/// Merges `mine` and `theirs`, both edited from `base`.
pub fn three_way(base: &str, mine: &str, theirs: &str) -> Merge {
    if mine == theirs || theirs == base {
        return Merge::Clean(mine.to_string());
    }
    if mine == base {
        return Merge::Clean(theirs.to_string());
    }
    // Work on whole lines: a last line without its end would otherwise touch whatever the other
    // side added after it.
    let end = |s: &str| if s.ends_with('\n') || s.is_empty() { s.to_string() } else { format!("{s}\n") };
    let (b, m, t) = (end(base), end(mine), end(theirs));
    // Marks longer than any run of mark characters a person typed at the start of a line, so
    // that reading them back cannot mistake a person's words for a mark.
    let longest = [&b, &m, &t]
        .iter()
        .flat_map(|s| s.lines())
        .map(|l| l.chars().take_while(|c| matches!(c, '<' | '>' | '=' | '|')).count())
        .max()
        .unwrap_or(0);
    let width = longest.max(6) + 1;
    let mut options = MergeOptions::new();
    options.set_conflict_style(ConflictStyle::Diff3).set_conflict_marker_length(width);
    match options.merge(&b, &m, &t) {
        Ok(merged) => Merge::Clean(merged),
        Err(marked) => settle_additions(read_marks(&marked, width)),
    }
}

/// A place where the versions differ, with what the base had there.
struct Clash {
    base: String,
    mine: String,
    theirs: String,
}

/// Reads diffy's marked text back: the runs both share and the places that clash.
fn read_marks(marked: &str, width: usize) -> Vec<Result<String, Clash>> {
    let mark = |c: char, line: &str| {
        let head: String = std::iter::repeat_n(c, width).collect();
        line.strip_prefix(head.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    #[derive(Clone, Copy)]
    enum At {
        Same,
        Mine,
        Base,
        Theirs,
    }
    let mut out = Vec::new();
    let mut same = String::new();
    let mut clash = Clash { base: String::new(), mine: String::new(), theirs: String::new() };
    let mut at = At::Same;
    for line in marked.split_inclusive('\n') {
        let text = line.trim_end_matches('\n');
        match at {
            At::Same if mark('<', text) => {
                out.push(Ok(std::mem::take(&mut same)));
                at = At::Mine;
            }
            At::Mine if mark('|', text) => at = At::Base,
            At::Mine | At::Base if mark('=', text) => at = At::Theirs,
            At::Theirs if mark('>', text) => {
                let done = std::mem::replace(&mut clash, Clash { base: String::new(), mine: String::new(), theirs: String::new() });
                out.push(Err(done));
                at = At::Same;
            }
            At::Same => same.push_str(line),
            At::Mine => clash.mine.push_str(line),
            At::Base => clash.base.push_str(line),
            At::Theirs => clash.theirs.push_str(line),
        }
    }
    out.push(Ok(same));
    out
}

/// Places where each person only added lines, at the same spot, keep both (yours first); the
/// merge is clean when no other place clashes.
fn settle_additions(runs: Vec<Result<String, Clash>>) -> Merge {
    let mut parts: Vec<Part> = Vec::new();
    for run in runs {
        let text = match run {
            Ok(text) => text,
            Err(c) if c.base.is_empty() => c.mine + &c.theirs,
            Err(c) => {
                parts.push(Part::Differ { mine: c.mine, theirs: c.theirs });
                continue;
            }
        };
        match parts.last_mut() {
            Some(Part::Same { text: before }) => before.push_str(&text),
            _ if text.is_empty() => {}
            _ => parts.push(Part::Same { text }),
        }
    }
    if parts.iter().all(|p| matches!(p, Part::Same { .. })) {
        return Merge::Clean(settle(&parts, &[]));
    }
    Merge::Conflict(parts)
}

/// The text made of `parts` with, at each place that differs, what the person chose to keep
/// (in order; a missing choice keeps both, so nothing is ever lost by accident).
pub fn settle(parts: &[Part], choices: &[Keep]) -> String {
    let mut out = String::new();
    let mut choice = choices.iter();
    for part in parts {
        match part {
            Part::Same { text } => out.push_str(text),
            Part::Differ { mine, theirs } => match choice.next().copied().unwrap_or(Keep::Both) {
                Keep::Mine => out.push_str(mine),
                Keep::Theirs => out.push_str(theirs),
                Keep::Both => {
                    out.push_str(mine);
                    out.push_str(theirs);
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both_kept(m: Merge) -> String {
        match m {
            Merge::Clean(t) => t,
            Merge::Conflict(parts) => settle(&parts, &[]),
        }
    }

    #[test]
    fn edits_to_different_lines_merge_and_edits_to_the_same_line_conflict() {
        // Like git, edits to neighbouring lines count as touching each other; these are apart.
        let base = "Agenda\nHiring\nOn-call\nBudget\n";
        let mine = "Agenda\nHiring: two offers out\nOn-call\nBudget\n";
        let theirs = "Agenda\nHiring\nOn-call\nBudget: approved\n";
        assert_eq!(three_way(base, mine, theirs), Merge::Clean("Agenda\nHiring: two offers out\nOn-call\nBudget: approved\n".into()));
        assert_eq!(
            three_way(base, "Agenda\nHiring: A\nBudget\n", "Agenda\nHiring: B\nBudget\n"),
            Merge::Conflict(vec![
                Part::Same { text: "Agenda\n".into() },
                Part::Differ { mine: "Hiring: A\n".into(), theirs: "Hiring: B\n".into() },
                Part::Same { text: "Budget\n".into() },
            ])
        );
    }

    #[test]
    fn two_people_adding_at_the_end_keep_both_additions_without_asking() {
        let base = "Agenda\nHiring\n";
        assert_eq!(
            three_way(base, "Agenda\nHiring\nMine: ship on Friday\n", "Agenda\nHiring\nTheirs: ask Sam\n"),
            Merge::Clean("Agenda\nHiring\nMine: ship on Friday\nTheirs: ask Sam\n".into())
        );
        // The same from an empty note, and without a final line end.
        assert_eq!(three_way("", "a", "b"), Merge::Clean("a\nb\n".into()));
    }

    #[test]
    fn words_that_look_like_merge_marks_are_kept_as_words() {
        let base = "<<<<<<< not a mark\n=======\nHiring\n>>>>>>> nor this\n";
        let mine = "<<<<<<< not a mark\n=======\nHiring: A\n>>>>>>> nor this\n";
        let theirs = "<<<<<<< not a mark\n=======\nHiring: B\n>>>>>>> nor this\n";
        let Merge::Conflict(parts) = three_way(base, mine, theirs) else { panic!("expected a conflict") };
        assert_eq!(
            parts,
            vec![
                Part::Same { text: "<<<<<<< not a mark\n=======\n".into() },
                Part::Differ { mine: "Hiring: A\n".into(), theirs: "Hiring: B\n".into() },
                Part::Same { text: ">>>>>>> nor this\n".into() },
            ]
        );
    }

    #[test]
    fn a_person_settles_each_place_with_mine_theirs_or_both() {
        let parts = vec![
            Part::Same { text: "Agenda\n".into() },
            Part::Differ { mine: "A\n".into(), theirs: "B\n".into() },
            Part::Same { text: "Budget\n".into() },
            Part::Differ { mine: "C\n".into(), theirs: "D\n".into() },
        ];
        assert_eq!(settle(&parts, &[Keep::Mine, Keep::Theirs]), "Agenda\nA\nBudget\nD\n");
        assert_eq!(settle(&parts, &[Keep::Theirs]), "Agenda\nB\nBudget\nC\nD\n");
        assert_eq!(Keep::parse("both"), Some(Keep::Both));
        assert_eq!(Keep::parse("ours"), None);
    }

    proptest! {
        /// Nothing either person wrote is ever lost: a clean merge holds both new lines, and a
        /// conflict shows both of them (to settle by hand).
        #[test]
        fn a_merge_never_drops_a_line_either_side_wrote(lines in prop::collection::vec("[a-z]{0,3}", 2..12), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(), x in "[A-Z]{3,8}", y in "[0-9]{3,8}") {
            let n = lines.len();
            let (i, j) = (a.index(n), b.index(n));
            let base = lines.join("\n") + "\n";
            let mut mine = lines.clone();
            mine[i] = x.clone();
            let mut theirs = lines.clone();
            theirs[j] = y.clone();
            let text = both_kept(three_way(&base, &(mine.join("\n") + "\n"), &(theirs.join("\n") + "\n")));
            prop_assert!(text.lines().any(|l| l == x), "{}", text);
            prop_assert!(text.lines().any(|l| l == y), "{}", text);
        }

        /// With distinct lines, edits that are apart always merge without asking anyone.
        #[test]
        fn edits_apart_merge_cleanly(n in 3usize..15, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
            let lines: Vec<String> = (0..n).map(|k| format!("line {k}")).collect();
            let (i, j) = (a.index(n), b.index(n));
            prop_assume!(i.abs_diff(j) > 1);
            let base = lines.join("\n") + "\n";
            let mut mine = lines.clone();
            mine[i] = "MINE".into();
            let mut theirs = lines.clone();
            theirs[j] = "THEIRS".into();
            prop_assert!(matches!(three_way(&base, &(mine.join("\n") + "\n"), &(theirs.join("\n") + "\n")), Merge::Clean(_)));
        }

        /// Additions anywhere, by both, never need a person: both are kept.
        #[test]
        fn additions_alone_never_conflict(lines in prop::collection::vec("[a-z]{1,3}", 0..8), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
            let n = lines.len() + 1;
            let (i, j) = (a.index(n), b.index(n));
            let base = lines.concat_lines();
            let mut mine = lines.clone();
            mine.insert(i, "MINE".into());
            let mut theirs = lines.clone();
            theirs.insert(j, "THEIRS".into());
            match three_way(&base, &mine.concat_lines(), &theirs.concat_lines()) {
                Merge::Clean(t) => {
                    prop_assert!(t.lines().any(|l| l == "MINE") && t.lines().any(|l| l == "THEIRS"), "{}", t);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    trait Lines {
        fn concat_lines(&self) -> String;
    }
    impl Lines for Vec<String> {
        fn concat_lines(&self) -> String {
            self.iter().map(|l| format!("{l}\n")).collect()
        }
    }
}
