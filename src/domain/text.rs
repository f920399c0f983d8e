//! Notes as people write them: Markdown rendered safely, plain text for search, and a
//! three-way merge so that two people saving the same note never lose each other's words.

use pulldown_cmark::{Event, Options, Parser};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Markdown to HTML with everything unsafe removed (scripts, event handlers, `javascript:`
/// links, raw HTML that is not on the allow-list).
pub fn render_markdown(source: &str) -> String {
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(source, options()));
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&html).to_string()
}

/// The words of a Markdown text, for the search index. `<`, `>` and `&` become spaces so
/// that both databases' tokenizers see the same words (PostgreSQL would drop `<b>`-like runs).
pub fn search_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    plain(&out)
}

/// Plain text with markup-like characters blanked, whitespace collapsed.
pub fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if matches!(c, '<' | '>' | '&') || c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    /// Both changes fit together.
    Clean(String),
    /// They touch the same lines: the text with both versions marked, for a person to settle.
    Conflict(String),
}

/// Merges `mine` and `theirs`, both edited from `base`.
pub fn three_way(base: &str, mine: &str, theirs: &str) -> Merge {
    if mine == theirs || theirs == base {
        return Merge::Clean(mine.to_string());
    }
    if mine == base {
        return Merge::Clean(theirs.to_string());
    }
    // diffy works line by line; make sure every line ends, so a last line edited by one side
    // is not treated as touching the other side's new lines.
    let fix = |s: &str| if s.ends_with('\n') || s.is_empty() { s.to_string() } else { format!("{s}\n") };
    let (b, m, t) = (fix(base), fix(mine), fix(theirs));
    match diffy::merge(&b, &m, &t) {
        Ok(merged) => Merge::Clean(merged),
        Err(conflicted) => Merge::Conflict(conflicted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markdown_is_rendered_and_scripts_are_removed() {
        let html =
            render_markdown("**Goals** for Q3\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>Goals</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
    }

    #[test]
    fn search_text_keeps_the_words_and_blanks_markup_characters() {
        assert_eq!(search_text("# Plan\n\n- ship `Vec<String>` and a<b and c>d"), "Plan ship Vec String and a b and c d");
    }

    #[test]
    fn edits_to_different_lines_merge_and_edits_to_the_same_line_conflict() {
        // Like git, edits to neighbouring lines count as touching each other; these are apart.
        let base = "Agenda\nHiring\nOn-call\nBudget\n";
        let mine = "Agenda\nHiring: two offers out\nOn-call\nBudget\n";
        let theirs = "Agenda\nHiring\nOn-call\nBudget: approved\n";
        assert_eq!(three_way(base, mine, theirs), Merge::Clean("Agenda\nHiring: two offers out\nOn-call\nBudget: approved\n".into()));
        match three_way(base, "Agenda\nHiring: A\nBudget\n", "Agenda\nHiring: B\nBudget\n") {
            Merge::Conflict(text) => assert!(text.contains("Hiring: A") && text.contains("Hiring: B")),
            other => panic!("expected a conflict, got {other:?}"),
        }
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
            let text = match three_way(&base, &(mine.join("\n") + "\n"), &(theirs.join("\n") + "\n")) {
                Merge::Clean(m) | Merge::Conflict(m) => m,
            };
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
    }
}
