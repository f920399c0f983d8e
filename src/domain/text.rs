//! Notes as people write them: Markdown rendered safely, and plain text for search (the merge
//! of two people's edits is in `merge`).

use pulldown_cmark::{Event, Options, Parser};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Markdown to HTML with everything unsafe removed (scripts, event handlers, `javascript:`
/// links, raw HTML that is not on the allow-list).
pub fn render_markdown(source: &str) -> String {
    let mut html = String::with_capacity(source.len() * 2);
    // A line typed on its own stays on its own (notes are written line by line).
    let events = Parser::new_ext(source, options()).map(|e| if e == Event::SoftBreak { Event::HardBreak } else { e });
    pulldown_cmark::html::push_html(&mut html, events);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_typed_on_its_own_stays_on_its_own() {
        // Notes are typed line by line during a meeting: a new line is a new line, as in a
        // chat or a comment, not a space.
        let html = render_markdown("Amara: rotate pairs monthly\nLukas: I will draft the rota");
        assert_eq!(html.trim(), "<p>Amara: rotate pairs monthly<br>\nLukas: I will draft the rota</p>");
    }

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
}

/// The words of `text` as the search index sees them (SQLite FTS5 `unicode61` with
/// `remove_diacritics 2`): runs of letters and digits, lower-cased, accents removed. Each with
/// its byte range in `text`.
pub fn index_words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, fold(&text[s..i])));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn fold(word: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// How well each document answers `query`: BM25 term-frequency saturation and length
/// normalisation (k1 = 1.2, b = 0.75) over the candidates themselves. There is no inverse
/// document frequency: every word of a query is required, so all candidates contain all of
/// them, and counting a word across the whole index would cost more than the search.
pub fn rank(query: &str, docs: &[&str]) -> Vec<f64> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let terms: Vec<String> = index_words(query).into_iter().map(|(_, _, w)| w).collect();
    let words: Vec<Vec<String>> = docs.iter().map(|d| index_words(d).into_iter().map(|(_, _, w)| w).collect()).collect();
    let avg = (words.iter().map(Vec::len).sum::<usize>() as f64 / words.len().max(1) as f64).max(1.0);
    words
        .iter()
        .map(|doc| {
            let len = doc.len() as f64;
            terms
                .iter()
                .map(|t| {
                    let tf = doc.iter().filter(|w| *w == t).count() as f64;
                    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg))
                })
                .sum()
        })
        .collect()
}

/// A passage of about `width` words around the first match of `query` in `text`, each
/// matching word between `mark.0` and `mark.1`, with `…` where text was left out.
pub fn snippet(text: &str, query: &str, width: usize, mark: (char, char)) -> String {
    let terms: Vec<String> = index_words(query).into_iter().map(|(_, _, w)| w).collect();
    let words = index_words(text);
    if words.is_empty() {
        return String::new();
    }
    let first = words.iter().position(|(_, _, w)| terms.contains(w)).unwrap_or(0);
    let from = first.saturating_sub(width / 4).min(words.len().saturating_sub(width));
    let to = (from + width).min(words.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = words[from].0;
    for (s, e, w) in &words[from..to] {
        out.push_str(&text[at..*s]);
        if terms.contains(w) {
            out.push(mark.0);
            out.push_str(&text[*s..*e]);
            out.push(mark.1);
        } else {
            out.push_str(&text[*s..*e]);
        }
        at = *e;
    }
    if to < words.len() {
        out.push('…');
    } else {
        out.push_str(&text[at..]);
    }
    out
}

#[cfg(test)]
mod search_text_tests {
    use super::*;

    #[test]
    fn words_are_folded_like_the_index_folds_them() {
        let w: Vec<String> = index_words("Café-Umzug: NAÏVE plan, v2!").into_iter().map(|(_, _, w)| w).collect();
        assert_eq!(w, ["cafe", "umzug", "naive", "plan", "v2"]);
    }

    #[test]
    fn more_mentions_in_a_shorter_text_rank_higher() {
        let r = rank(
            "migration",
            &["the migration", "migration plan and migration risks", "a long text that mentions the migration once among many other words"],
        );
        assert!(r[1] > r[0] && r[0] > r[2], "{r:?}");
        assert_eq!(rank("absent", &["nothing here"]), vec![0.0]);
    }

    #[test]
    fn snippets_mark_every_match_and_show_where_text_was_cut() {
        let text = "one two three four five six seven eight Migration nine ten eleven twelve thirteen fourteen";
        assert_eq!(snippet(text, "migration", 6, ('[', ']')), "…eight [Migration] nine ten eleven twelve…");
        assert_eq!(snippet("Plan the café move", "cafe", 16, ('[', ']')), "Plan the [café] move");
        assert_eq!(snippet("", "x", 16, ('[', ']')), "");
    }
}
